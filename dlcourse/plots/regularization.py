"""Figures of chapter 10 (lesson ``notebooks/10_regularization``): weight decay, dropout's two
test-time rules, dropout as an ensemble, and one regularisation grid run (the dropout widget's
figure).

See :mod:`dlcourse.experiments.regularization` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _curves, _fast_layout, _figure, _plain_log_ticks, cached_artists

__all__ = ["weight_decay_curves", "dropout_expectation", "dropout_ensemble", "regularization_curves"]


def weight_decay_curves(res, fig=None):
    """Loss and accuracy per epoch of the weight-decay runs: one colour per λ, train dashed, test solid."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, (lam, h) in enumerate(zip(res.lambdas, res.histories)):
        _curves(ax_loss, ax_acc, h, f"C{k}", train_label=f"train, λ = {lam:g}", test_label=f"test, λ = {lam:g}")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log",
                title="loss (dashed = train, solid = test)")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02),
               title=f"accuracy, {res.n_train} training sequences")
    ax_acc.legend(fontsize=8, loc="center right")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def dropout_expectation(res, fig=None):
    """Max relative difference between the mean of n training passes and the test output, log-log."""
    fig = _figure(fig, (6, 3.8))
    ax = fig.add_subplot()
    n = np.asarray(res.samples, dtype=float)
    ax.plot(n, res.max_rel_diff["inverted"], "o-", color="C0", label="inverted: mean of x·m/(1-p) vs x")
    ax.plot(n, res.max_rel_diff["scale_at_test"], "x--", color="C1", ms=9,
            label="scale_at_test: mean of x·m vs (1-p)·x")
    ax.plot(n, 1 / np.sqrt(n), ":", color="0.4", label="1/√n")
    ax.set(xscale="log", yscale="log", xlabel="training-mode passes averaged (n)",
           ylabel="max relative difference", title=f"dropout p = {res.p:g}: both rules agree in expectation")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def dropout_ensemble(res, fig=None):
    """Accuracy of the average of k thinned networks, and its agreement with the test-mode pass."""
    fig = _figure(fig, (7, 3.8))
    ax = fig.add_subplot()
    k = np.arange(1, len(res.ensemble_acc) + 1)
    ax.plot(k, res.single_acc, ".", color="0.7", ms=3, label="one thinned network")
    ax.plot(k, res.ensemble_acc, color="C0", label="average of the first k")
    ax.plot(k, res.agreement, color="C2", ls="--", label="average agrees with test mode")
    ax.axhline(res.test_mode_acc, color="C3", ls=":", label=f"test mode, one pass ({res.test_mode_acc:.1%})")
    ax.set(xscale="log", xlabel="number of thinned networks k", ylabel="fraction of the test digits",
           ylim=(0.9, 1.005), title=f"dropout p = {res.p:g} as an ensemble of thinned networks")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def regularization_curves(run, fig=None):
    """Train (dashed) and test (solid) loss and accuracy of one grid run against samples seen.

    Redrawing into a figure this function drew before only updates lines and titles
    (the widget's speed)."""
    fig, parts = cached_artists(fig, "regularization_curves", _regularization_axes, figsize=(9, 3.4))
    x, h = run.samples_seen, run.history
    for key in ("loss", "acc"):
        parts[f"{key}_train"].set_data(x, h[f"train_{key}"])
        parts[f"{key}_test"].set_data(x, h[f"test_{key}"])
    tr, te = h["train_acc"][-1], h["test_acc"][-1]
    parts["acc_train"].axes.set_title(f"accuracy: train {tr:.1%}, test {te:.1%}", y=1.01)
    parts["loss_train"].axes.set_title(f"loss: p = {run.dropout:g}, λ = {run.weight_decay:g}, "
                                       f"{run.n_train} digits", y=1.01)
    return fig


def _regularization_axes(fig):
    """The empty axes and lines of :func:`regularization_curves` on the clean figure ``fig``."""
    from matplotlib.ticker import MaxNLocator

    parts = {}
    for k, key in enumerate(("loss", "acc")):
        ax = fig.add_subplot(1, 2, k + 1)
        (parts[f"{key}_train"],) = ax.plot([], [], "--", color="C0", label="train")
        (parts[f"{key}_test"],) = ax.plot([], [], "-", color="C1", label="test")
        ax.set_xlim(0, 4100)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.set_xlabel("training samples seen")
        ax.grid(alpha=0.3)
    ax_loss, ax_acc = parts["loss_train"].axes, parts["acc_train"].axes
    ax_loss.set(yscale="log", ylim=(0.005, 3), ylabel="cross-entropy loss")
    _plain_log_ticks(ax_loss.yaxis, n=5)
    ax_acc.set(ylim=(0.6, 1.01), ylabel="accuracy")
    ax_acc.yaxis.set_major_locator(MaxNLocator(4))
    ax_acc.legend(loc="lower right", fontsize=8)
    _fast_layout(fig, left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return parts
