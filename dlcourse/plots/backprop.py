"""Figures of chapter 07 (lesson ``notebooks/07_backprop``): Araki's XOR run (its widget's
figure), the computational graph of the gradient check, the digits MLP's curves, overfitting,
and XOR minima per seed.

See :mod:`dlcourse.experiments.backprop` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import COLORS, _curves, _fast_layout, _figure, cached_artists

__all__ = ["araki_xor", "computational_graph", "digits_curves", "overfitting_curves", "seed_minima"]


def araki_xor(run, fig=None):
    """Left: J = sum_p J_p per epoch of Araki's XOR run. Right: the trained net's output
    over the input square, with the four XOR points (blue circles = target 1, red crosses = 0).

    Given a figure it drew before (the slider demo's), it updates the curve and the
    image in place instead of rebuilding the axes.
    """
    from dlcourse.lessons import araki as bp

    g = np.linspace(-0.5, 1.5, 41)
    X1, X2 = np.meshgrid(g, g)
    out = bp.predict(run.w, np.stack([X1.ravel(), X2.ravel()], axis=1)).reshape(X1.shape)
    fig, (left, curve, right, image) = cached_artists(fig, "araki_xor", lambda fig: _araki_axes(fig, out),
                                                      figsize=(9, 3.4))
    curve.set_data(np.arange(len(run.losses)), run.losses)
    left.set_xlim(0, max(1, len(run.losses) - 1))
    left.set_ylim(0, max(0.6, float(run.losses.max()) * 1.05))
    left.set_title(f"2-{run.hidden}-1 net, ρ = {run.rho:g}: final J = {run.losses[-1]:.4f}")
    image.set_data(out)
    right.set_title(f"output (red 0 … blue 1): {int(round(4 * run.accuracy))}/4 right")
    return fig


def _araki_axes(fig, out):
    """The J curve and the output image (first drawn as ``out``, shape (41, 41)) of
    :func:`araki_xor`, with the four XOR points, on the clean figure ``fig``."""
    from dlcourse.experiments.backprop import XOR_B, XOR_X

    left = fig.add_subplot(1, 2, 1)
    curve, = left.plot([0], [0], color="C0")
    left.set(xlabel="epoch", ylabel="J (sum of J_p over the 4 samples)")
    left.grid(alpha=0.3)
    right = fig.add_subplot(1, 2, 2)
    image = right.imshow(out, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap="RdBu", vmin=0, vmax=1,
                         interpolation="bilinear")
    for target, marker in ((1, "o"), (0, "X")):         # one scatter per class: cheap to redraw
        pts = XOR_X[XOR_B[:, 0] == target]
        right.scatter(pts[:, 0], pts[:, 1], s=120, color=COLORS[target], marker=marker, edgecolor="k",
                      zorder=3)
    right.set(xlabel="x1", ylabel="x2", xticks=[0, 1], yticks=[0, 1])
    _fast_layout(fig, left=0.08, right=0.97, bottom=0.15, top=0.9, wspace=0.3)
    return left, curve, right, image


def computational_graph(check, fig=None):
    """The gradient-check network as a chain of nodes: what flows forward above the
    arrows (left to right), the gradients flowing back below them (right to left, red)."""
    nodes = check.nodes
    n = len(nodes)
    fig = _figure(fig, (1.6 * (n + 1), 2.4))
    ax = fig.add_axes((0.01, 0.0, 0.98, 0.9))
    ax.set(xlim=(-0.5, n + 1.4), ylim=(-1.4, 0.9))
    ax.axis("off")
    box = dict(boxstyle="round", fc="#e8eef7", ec="k")
    ax.text(0, 0, "x", ha="center", va="center", fontsize=10, bbox=dict(box, fc="white"))
    ax.text(n + 1, 0, "loss", ha="center", va="center", fontsize=10, bbox=dict(box, fc="white"))
    for k, (name, out, dx, grads) in enumerate(nodes, start=1):
        label = "Softmax\nWithLoss" if name == "SoftmaxWithLoss" else name
        ax.text(k, 0, label, ha="center", va="center", fontsize=9, bbox=box)
        ax.annotate("", (k - 0.3, 0.22), (k - 0.7, 0.22), arrowprops=dict(arrowstyle="->"))
        ax.annotate("", (k - 0.7, -0.22), (k - 0.3, -0.22), arrowprops=dict(arrowstyle="->", color="C3"))
        ax.text(k - 0.5, 0.35, str(dx), ha="center", fontsize=8)
        ax.text(k - 0.5, -0.35, f"dx {dx}", ha="center", va="top", fontsize=8, color="C3")
        if grads:
            ax.text(k, -0.8, grads.replace("), d", ")\nd"), ha="center", va="top",
                    fontsize=8, color="C3")
    ax.annotate("", (n + 0.72, 0.22), (n + 0.42, 0.22), arrowprops=dict(arrowstyle="->"))
    ax.annotate("", (n + 0.42, -0.22), (n + 0.72, -0.22), arrowprops=dict(arrowstyle="->", color="C3"))
    ax.text(n + 0.57, -0.35, "dout = 1", ha="center", va="top", fontsize=8, color="C3")
    ax.set_title("forward: values, left to right (black); backward: gradients, right to left (red)",
                 fontsize=10)
    return fig


def digits_curves(runs, fig=None):
    """Loss and accuracy per epoch of the digits MLP, one colour per train/test split."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, (s, h) in enumerate(zip(runs.split_seeds, runs.histories)):
        _curves(ax_loss, ax_acc, h, f"C{k}", train_label=None, test_label=f"split {s}", alpha=0.8)
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="loss (dashed = train)")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0.85, 1.0), title="accuracy (dashed = train)")
    ax_acc.legend(fontsize=8, loc="lower right", title="test set of", title_fontsize=8)
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def overfitting_curves(res, fig=None):
    """Train and test loss and accuracy of the overfitting run; the best test epoch is marked."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    _curves(ax_loss, ax_acc, res.history, "C0")
    for ax in (ax_loss, ax_acc):
        ax.axvline(res.best_test_epoch, color="0.5", ls=":",
                   label=f"lowest test loss (epoch {res.best_test_epoch})")
        ax.grid(alpha=0.3)
        ax.set(xlabel="epoch")
    ax_loss.set(ylabel="cross-entropy loss", yscale="log", title=f"loss, {res.n_train} training digits")
    ax_acc.set(ylabel="accuracy", ylim=(0, 1.02), title="accuracy: train reaches 100%, test does not")
    ax_loss.legend(fontsize=8)
    fig.tight_layout()
    return fig


def seed_minima(res, fig=None):
    """J per epoch for every seed of the XOR runs: solved runs blue, stuck ones red."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    for ok, color, word in ((True, "C0", "solved"), (False, "C3", "stuck")):
        runs = [r for r, s_ in zip(res.runs, res.solved) if s_ == ok]
        for k, r in enumerate(runs):
            label = f"{word}: seeds {', '.join(str(q.seed) for q in runs)}" if k == 0 else None
            ax.plot(r.losses, color=color, alpha=0.8, lw=1.2, label=label)
    ax.set(xlabel="epoch", ylabel="J (sum of $J_p$ over the 4 samples)", yscale="log",
           title=f"{int(res.solved.sum())} of {len(res.runs)} initial weights solve XOR")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
