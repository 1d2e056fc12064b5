"""Figures of chapter 15 (lesson ``notebooks/15_seq2seq``): the three addition models' curves,
sampling at a temperature (the sampling widget's figure), the thought-vector map.

See :mod:`dlcourse.experiments.seq2seq` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, cached_artists

__all__ = ["seq2seq_runs", "sampling_view", "thought_vector_map"]


_S2S_COLORS = {"baseline": "C7", "reversed": "C0", "peeky": "C3"}


def seq2seq_runs(comparison, fig=None):
    """Test exact match and training loss against the epoch for the three addition models."""
    from matplotlib.ticker import MaxNLocator

    from dlcourse.experiments.seq2seq import LABELS

    fig = _figure(fig, (9, 3.4))
    ax_acc, ax_loss = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for name, run in comparison.runs.items():
        epochs = np.arange(1, len(run.history["loss"]) + 1)
        style = dict(color=_S2S_COLORS[name], marker="o", ms=4, label=LABELS[name])
        ax_acc.plot(epochs, 100 * np.array(run.history["test_acc"]), **style)
        ax_loss.plot(epochs, run.history["loss"], **style)
    ax_acc.set(xlabel="epoch", ylabel="test exact match (%)", ylim=(0, 100),
               title="Whole answer right (greedy decoding)")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy per character", ylim=(0, None),
                title="Training loss (teacher forcing)")
    for ax in (ax_acc, ax_loss):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    ax_acc.legend(loc="upper left", fontsize=8)
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.28)
    return fig


def _sampling_axes(fig, n_chars, n_questions, chars):
    """Empty bars of :func:`sampling_view` on the clean figure ``fig``."""
    ax_p = fig.add_subplot(1, 2, 1)
    ax_q = fig.add_subplot(1, 2, 2)
    x = np.arange(n_chars)
    bars_p = ax_p.bar(x, np.zeros(n_chars), color="C0")
    (model_p,) = ax_p.plot(x, np.zeros(n_chars), "_", color="k", ms=12, mew=2)
    ax_p.set_xticks(x, ["pad" if ch == " " else ch for ch in chars], fontsize=8)
    ax_p.set(ylim=(0, 1.05), xlabel="next character")
    ax_p.set_yticks([0, 0.5, 1.0])
    ys = np.arange(n_questions)[::-1]
    bars_q = ax_q.barh(ys, np.zeros(n_questions), color="C2", height=0.6)
    ax_q.set(xlim=(0, 1), xlabel="share of samples right")
    ax_q.set_xticks([0, 0.5, 1.0])
    ax_q.set_yticks(ys, [""] * n_questions, fontsize=9)
    _fast_layout(fig, left=0.05, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    return dict(bars_p=bars_p, model_p=model_p, bars_q=bars_q)


def sampling_view(res, fig=None):
    """Left: the next-character probabilities at the model's least sure step, at the
    chosen temperature (bars) and at temperature 1 (black ticks). Right: for each
    question, the share of sampled answers that are right; the labels give the greedy
    answer (red when wrong). The labels are kept short: every glyph is re-rasterised
    on every redraw, and this is a widget's figure.

    Redrawing into a figure this function drew before only updates bars and texts."""
    n_chars, n_q = len(res.probs), len(res.questions)
    layout = (n_chars, n_q, tuple(res.chars))          # the bars and the character labels
    fig, parts = cached_artists(fig, "sampling_view", lambda fig: _sampling_axes(fig, *layout), figsize=(9, 3.4),
                                key=layout)
    for bar, p in zip(parts["bars_p"], res.probs):
        bar.set_height(p)
    parts["model_p"].set_ydata(res.probs_t1)
    right = [sum(s == t for s in samples) / len(samples)
             for samples, t in zip(res.samples, res.truths)]
    for bar, r in zip(parts["bars_q"], right):
        bar.set_width(r)
    ax_p, ax_q = parts["bars_p"][0].axes, parts["bars_q"][0].axes
    labels = ax_q.set_yticklabels([f"{q} → {g}" for q, g in zip(res.questions, res.greedy)])
    for label, g, t in zip(labels, res.greedy, res.truths):
        label.set_color("k" if g == t else "C3")
    k, j = res.where
    kind = "greedy (T = 0)" if not res.temperature else f"T = {res.temperature:.1f}"
    ax_p.set_title(f"{res.questions[k]} = {res.greedy[k][:j]}?  {kind}", fontsize=10)
    ax_q.set_title(f"question → greedy answer: {res.sample_right:.0%} right", fontsize=10)
    return fig


def thought_vector_map(res, fig=None):
    """The test questions' thought vectors on their first two principal axes, coloured by the sum."""
    fig = _figure(fig, (5.6, 4.2))
    ax = fig.add_subplot()
    sc = ax.scatter(res.points[:, 0], res.points[:, 1], c=res.sums, cmap="viridis", s=10)
    fig.colorbar(sc, ax=ax, label="true sum a + b")
    ax.set(xlabel=f"principal axis 1 ({res.explained[0]:.0%} of the variance)",
           ylabel=f"principal axis 2 ({res.explained[1]:.0%})",
           title="Thought vectors h of the test questions")
    _fast_layout(fig, left=0.13, right=0.98, bottom=0.12, top=0.92)
    return fig
