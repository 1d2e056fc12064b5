"""Figures of chapter 03 (lesson ``notebooks/03_linear``): the step and the sigmoid, the
perceptron's mistakes and word weights, logistic regression trained by SGD (the SGD widget's
figure).

See :mod:`dlcourse.experiments.linear` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import COLORS, _fast_layout, _figure, cached_artists

__all__ = ["probability_curves", "perceptron_run", "sgd_curves"]


def probability_curves(curves, fig=None):
    """Left: the step and the sigmoid P(y=1|x) against w.phi(x) (seed 000 p.7).
    Right: the derivative factor e^s / (1 + e^s)^2 with its peak (seed 000 p.10)."""
    fig = _figure(fig, (9, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(curves.s, (curves.step > 0).astype(float), color="0.5", ls="--", label="step (as 0 / 1)")
    ax.plot(curves.s, curves.prob, color="C0", lw=2, label="sigmoid")
    ax.set(xlabel="w·φ(x)", ylabel="P(y = 1 | x)", title="step vs sigmoid", ylim=(-0.05, 1.05))
    ax.legend(loc="upper left")
    ax = fig.add_subplot(1, 2, 2)
    s, v = curves.peak
    ax.plot(curves.s, curves.dprob, color="C3", lw=2)
    ax.plot([s], [v], "o", color="k")
    ax.annotate(f"peak {v:.2f} at w·φ = {s:.0f}", (s, v), xytext=(-9.5, v * 1.06))
    ax.set(xlabel="w·φ(x)", ylabel="$e^{w·φ} / (1 + e^{w·φ})^2$", title="dP(y=1|x)/dw, divided by φ(x)",
           ylim=(0, 0.3))
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig


def perceptron_run(run, fig=None):
    """Left: the perceptron's mistakes per epoch. Right: the words with the largest and smallest weights."""
    fig = _figure(fig, (9, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    epochs = np.arange(1, len(run.mistakes) + 1)
    ax.bar(epochs, run.mistakes, color="C0")
    for e, m in zip(epochs, run.mistakes):
        ax.text(e, m, str(m), ha="center", va="bottom")
    ax.set(xlabel="epoch", ylabel="mistakes (updates)", xticks=epochs, ylim=(0, max(run.mistakes) * 1.15 + 1),
           title=f"mistakes per pass ({run.n_train} sentences)")
    ax = fig.add_subplot(1, 2, 2)
    words = run.top_positive + run.top_negative[::-1]
    ax.barh([w for w, _ in words], [v for _, v in words],
            color=[COLORS[1] if v > 0 else COLORS[0] for _, v in words])
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.8)
    ax.set(xlabel="weight", title="words with the largest |weight|")
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.45)
    return fig


def sgd_curves(run, fig=None):
    """Left: training log-likelihood per epoch. Right: train and test accuracy per epoch (chapter 03).

    Redrawing into a figure this function drew before only updates the lines,
    limits and titles: building the axes again would cost a widget a quarter of
    its update time.
    """
    fig, parts = cached_artists(fig, "sgd_curves", _sgd_curves_axes, figsize=(9, 3.4))
    epochs = np.arange(run.epochs + 1)
    parts["ll"].set_data(epochs, run.log_likelihood)
    parts["train"].set_data(epochs, run.train_accuracy)
    parts["test"].set_data(epochs, run.test_accuracy)
    left, right = parts["ll"].axes, parts["train"].axes
    for ax in (left, right):
        ax.set_xlim(-0.03 * run.epochs - 0.1, run.epochs * 1.03 + 0.1)
    left.set_ylim(min(run.log_likelihood.min(), -230) * 1.05, 5)
    left.set_title(f"training log-likelihood, lr = {run.lr:.3g}", y=1.01)   # a fixed y skips a layout pass
    right.set_title(f"final: train {run.train_accuracy[-1]:.1%}, test {run.test_accuracy[-1]:.1%}", y=1.01)
    return fig


def _sgd_curves_axes(fig):
    """The empty axes and lines of :func:`sgd_curves` on the clean figure ``fig``."""
    from matplotlib.ticker import MaxNLocator

    left = fig.add_subplot(1, 2, 1)
    (ll,) = left.plot([], [], "o-", color="C0", ms=3)
    left.axhline(0, color="0.8", lw=0.8)
    left.set(xlabel="epoch (0 = all weights 0)", ylabel="Σ log P(t | x)")
    right = fig.add_subplot(1, 2, 2)
    (train,) = right.plot([], [], "o-", color="C0", ms=3, label="train")
    (test,) = right.plot([], [], "s--", color="C1", ms=3, label="test")
    right.set(xlabel="epoch", ylabel="accuracy", ylim=(0.4, 1.02))
    right.legend(loc="lower right")
    for ax in (left, right):     # few tick labels: text is most of a redraw's cost
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(4))
    _fast_layout(fig, left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return {"ll": ll, "train": train, "test": test}
