"""Figures of chapter 16 (lesson ``notebooks/16_attention``): attention maps of the date model
(the alignment widget's figure), training curves, accuracy by length, scaling, masks,
positional encoding and the Transformer's attention (its widget's figure).

See :mod:`dlcourse.experiments.attention` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _figure, _plain_log_ticks, cached_artists

__all__ = [
    "attention_alignment", "alignment_examples", "date_training", "attention_by_length",
    "attention_scaling", "attention_masks", "positional_encoding", "transformer_curves",
    "transformer_attention",
]


def _attention_heatmap(ax, weights, cols, rows, title, xlabel, ylabel, cmap="Blues"):
    """One attention map: rows are queries (outputs), columns keys (inputs), labelled by characters."""
    im = ax.imshow(weights, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(cols)), [c if c != " " else "␣" for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)), list(rows), fontsize=8)
    ax.tick_params(length=0)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return im


def attention_alignment(res, fig=None):
    """The date model's attention weights on one question (left) and its exact match against
    question length, the current length marked (right).

    Redrawing into a figure this function drew before only updates the image, the
    character labels, the marker and the title (the widget of chapter 16 redraws it
    often). The characters are plain text artists made once, not tick labels:
    rebuilding ticks was most of a redraw.
    """
    fig, parts = cached_artists(fig, "attention_alignment", lambda fig: _alignment_axes(fig, res),
                                figsize=(10, 3.6))
    im, ax = parts["im"], parts["im"].axes
    L, n_out = res.length, len(res.predicted)
    im.set_data(res.weights)
    im.set_extent((-0.5, L - 0.5, n_out - 0.5, -0.5))
    ax.set_xlim(-0.5, L - 0.5)
    ax.set_ylim(n_out - 0.5, -0.5)
    for j, label in enumerate(parts["cols"]):
        label.set_visible(j < L)
        if j < L:
            label.set_x(j)
            label.set_text(res.question[j] if res.question[j] != " " else "␣")
    for i, label in enumerate(parts["rows"]):
        label.set_visible(i < n_out)
        if i < n_out:
            label.set_y(i)
            label.set_text(res.predicted[i])
    verdict = "right" if res.predicted == res.answer else f"wrong, should be {res.answer}"
    parts["title"].set_text(f"{res.question!r} -> {res.predicted} ({verdict})")
    parts["mark"].set_data([L], [100 * res.accuracy])
    return fig


def _alignment_axes(fig, res):
    """The axes, image, character labels and accuracy curve of :func:`attention_alignment`
    on the clean figure ``fig``."""
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_axes((0.05, 0.2, 0.58, 0.68))
    im = ax.imshow(np.zeros((1, 1)), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto",
                   interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    ax.set_xlabel("question (encoder input)", labelpad=16)
    ax.set_ylabel("answer (decoder output)", labelpad=14)
    below, left = ax.get_xaxis_transform(), ax.get_yaxis_transform()
    cols = [ax.text(j, -0.03, "", transform=below, ha="center", va="top", fontsize=8, family="monospace")
            for j in range(int(res.all_lengths.max()))]
    rows = [ax.text(-0.01, i, "", transform=left, ha="right", va="center", fontsize=8, family="monospace")
            for i in range(len(res.predicted))]
    title = ax.set_title("", fontsize=10)
    right = fig.add_axes((0.72, 0.2, 0.26, 0.68))
    right.plot(res.all_lengths, 100 * res.length_acc, ".-", color="C0", ms=4)
    (mark,) = right.plot([], [], "o", color="C3", ms=8)
    right.set(xlabel="question length", ylabel="test exact match (%)", ylim=(0, 103))
    right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    right.yaxis.set_major_locator(MaxNLocator(4))
    return {"im": im, "mark": mark, "cols": cols, "rows": rows, "title": title}


def alignment_examples(results, fig=None):
    """Attention maps of a few date questions side by side."""
    fig = _figure(fig, (4 * len(results), 3.4))
    for k, res in enumerate(results):
        ax = fig.add_subplot(1, len(results), k + 1)
        _attention_heatmap(ax, res.weights, res.question, res.predicted, repr(res.question),
                      "question", "answer" if k == 0 else "")
    fig.tight_layout()
    return fig


def _loss_axes(ax, xlabel, title):
    """Finish a training-loss panel: log cross-entropy with plain ticks, a grid and the legend."""
    ax.set(yscale="log", xlabel=xlabel, ylabel="cross-entropy loss", title=title)
    _plain_log_ticks(ax.yaxis, n=5)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def date_training(runs, fig=None):
    """Training loss per step of the date models (smoothed over 25 steps)."""
    fig = _figure(fig, (6, 3.4))
    ax = fig.add_subplot()
    labels = {"dot": "dot-product attention", "additive": "additive attention", "none": "no attention"}
    for run in runs:
        k = max(1, min(25, len(run.losses)))
        smooth = np.convolve(run.losses, np.ones(k) / k, mode="valid")
        ax.plot(np.arange(k, len(run.losses) + 1), smooth,
                label=f"{labels[run.score]}: test exact match {100 * run.accuracy:.1f}%")
    _loss_axes(ax, "training step (64 questions each)", "Learning the date format")
    fig.tight_layout()
    return fig


def attention_by_length(res, fig=None):
    """Exact match and characters right per bin of question length, with and without attention."""
    fig = _figure(fig, (9, 3.4))
    names = [f"{lo}-{hi}" for lo, hi in res.bins]
    x = np.arange(len(names))
    for k, (key, table, title) in enumerate((("exact", res.exact, "whole answer right"),
                                             ("chars", res.chars, "characters right"))):
        ax = fig.add_subplot(1, 2, k + 1)
        for j, (score, values) in enumerate(table.items()):
            label = "no attention" if score == "none" else f"{score} attention"
            ax.bar(x + (j - 0.5) * 0.4, 100 * values, width=0.4, label=label, color=f"C{j}")
        ax.set_xticks(x, names, fontsize=8)
        ax.set(xlabel="question length (characters)", ylabel="% of test questions" if k == 0 else "%",
               ylim=(0, 105), title=title)
        ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def attention_scaling(res, fig=None):
    """Largest softmax weight of random queries against d, with and without dividing by √d."""
    fig = _figure(fig, (5.5, 3.4))
    ax = fig.add_subplot()
    ax.plot(res.dims, res.max_weight_raw, "o-", label="softmax(q·k)")
    ax.plot(res.dims, res.max_weight_scaled, "s-", label="softmax(q·k / √d)")
    ax.axhline(1.0 / res.T, color="gray", ls=":", label=f"uniform, 1/{res.T}")
    ax.set_xscale("log", base=2)
    ax.set_xticks(res.dims, [str(d) for d in res.dims])
    ax.set(xlabel="dimension d of queries and keys", ylabel="mean largest weight", ylim=(0, 1.05),
           title="Without scaling the softmax saturates")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def attention_masks(res, fig=None):
    """Self-attention weights under each mask; forbidden cells hatched."""
    fig = _figure(fig, (3.3 * len(res.weights), 3.3))
    for k, (name, W) in enumerate(res.weights.items()):
        ax = fig.add_subplot(1, len(res.weights), k + 1)
        T = W.shape[0]
        _attention_heatmap(ax, W, [str(j) for j in range(T)], [str(i) for i in range(T)], name,
                      "key position j", "query position i" if k == 0 else "")
        for i, j in zip(*np.nonzero(~res.masks[name])):
            ax.add_patch(_forbidden_cell(j, i))
    fig.tight_layout()
    return fig


def _forbidden_cell(x, y):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6", lw=0)


def positional_encoding(res, fig=None):
    """The positional encoding matrix (positions × features) and the similarity PE PEᵀ."""
    fig = _figure(fig, (10, 3.6))
    ax = fig.add_subplot(1, 2, 1)
    im = ax.imshow(res.pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.05)
    ax.set(xlabel="feature (pairs of sin, cos: fast on the left, slow on the right)", ylabel="position",
           title="PE[pos, :]")
    ax = fig.add_subplot(1, 2, 2)
    im = ax.imshow(res.similarity, cmap="viridis", aspect="equal", interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.05)
    ax.set(xlabel="position j", ylabel="position i", title="PE[i] · PE[j]: largest near i = j")
    fig.tight_layout()
    return fig


def transformer_curves(runs, fig=None):
    """Training loss of Transformer runs (e.g. with and without positional encoding)."""
    fig = _figure(fig, (6, 3.4))
    ax = fig.add_subplot()
    for run in runs:
        pe = "with" if run.positional else "without"
        ax.plot(run.losses, lw=1, label=f"{run.task}, {pe} positions: "
                                       f"{100 * run.exact:.1f}% sequences right")
    _loss_axes(ax, "training step (64 sequences each)", "A one-block Transformer encoder")
    fig.tight_layout()
    return fig


def transformer_attention(res, fig=None):
    """One head's attention map: output positions (rows) against input positions (columns).

    Redrawing into a figure this function drew before updates it in place.
    """
    T = res.weights.shape[0]

    def build(fig):
        ax = fig.add_axes((0.2, 0.14, 0.76, 0.72))
        return _attention_heatmap(ax, res.weights, "0" * T, "0" * T, "", "input digit (position)",
                                  "output digit (position)")

    fig, im = cached_artists(fig, "transformer_attention", build, figsize=(4.6, 4.2))
    ax = im.axes
    im.set_data(res.weights)
    ax.set_xticks(range(T), [f"{c}\n{j}" for j, c in enumerate(res.inputs)], fontsize=8)
    ax.set_yticks(range(T), [f"{c} ({i})" for i, c in enumerate(res.outputs)], fontsize=8)
    ax.set_title(f"{res.task}: {res.inputs} -> {res.outputs}\nblock {res.layer + 1}, head {res.head + 1}",
                 fontsize=10)
    return fig
