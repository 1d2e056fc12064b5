"""Figures of chapter 09 (lesson ``notebooks/09_optimizers``): optimiser paths on x²/20 + y² (the
optimiser widget's figure), MNIST-1D loss curves, and batch sizes (the batch-size widget's
figure).

See :mod:`dlcourse.experiments.optimizers` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _plain_log_ticks, cached_artists

__all__ = ["optimizer_paths", "optimizer_path", "mnist1d_curves", "batch_sizes", "batch_size_run"]


_BOWL_X, _BOWL_Y = (-10.0, 10.0), (-5.0, 5.0)
_OPT_COLORS = {"sgd": "C3", "momentum": "C0", "adagrad": "C2", "rmsprop": "C4", "adam": "C1"}


def _ellipse_levels(ax, levels=(0.05, 0.2, 0.5, 1.0, 2.0, 3.5, 5.0, 6.45, 9.0, 12.0)):
    """Level sets of x²/20 + y² (ellipses, 4.5 times wider than tall) as one LineCollection."""
    from matplotlib.collections import LineCollection

    theta = np.linspace(0, 2 * np.pi, 121)
    rings = [np.column_stack([np.sqrt(20 * c) * np.cos(theta), np.sqrt(c) * np.sin(theta)]) for c in levels]
    ax.add_collection(LineCollection(rings, colors="0.75", linewidths=0.8))
    ax.plot(0, 0, "+", color="k", ms=10, mew=1.5)
    ax.set(xlim=_BOWL_X, ylim=_BOWL_Y, xlabel="x", ylabel="y")


def _clipped(path, window=1e3):
    """The path up to its first point far outside the window (Agg misdraws huge coordinates)."""
    far = np.any(~np.isfinite(path) | (np.abs(path) > window), axis=1)
    return path[: int(np.argmax(far))] if far.any() else path


def optimizer_paths(result, fig=None):
    """One panel per optimiser of a :class:`PathComparison` on the level sets of x²/20 + y²,
    and a last panel with f after each step of every run (log scale)."""
    from dlcourse.experiments.optimizers import LABELS

    fig = _figure(fig, (13, 6.6))
    for k, run in enumerate(result.runs):
        ax = fig.add_subplot(2, 3, k + 1)
        _ellipse_levels(ax)
        q = _clipped(run.path)
        ax.plot(q[:, 0], q[:, 1], "o-", color=_OPT_COLORS.get(run.name, "C3"), ms=3, lw=1)
        ax.plot(*run.path[0], "s", color="k", ms=5)
        ax.set_title(f"{LABELS[run.name]} (lr {run.lr:g}): f = {run.f[-1]:.4f}", fontsize=10)
    ax = fig.add_subplot(2, 3, 6)
    for run in result.runs:
        ax.semilogy(np.maximum(run.f, 1e-32), ".-", ms=3, color=_OPT_COLORS.get(run.name, "C3"),
                    label=LABELS[run.name])
    ax.set(xlabel="step", ylabel="f(x, y)", title="f after each step")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def optimizer_path(run, fig=None):
    """One optimiser's path on x²/20 + y² (left) and f after each step (right, log scale).

    Redrawing into a figure this function drew before only moves the lines and
    changes the titles and limits (the widget of chapter 09 redraws it often).
    """
    from dlcourse.experiments.optimizers import LABELS

    fig, parts = cached_artists(fig, "optimizer_path", _optimizer_path_axes, figsize=(10, 3.8))
    q = _clipped(run.path)
    color = _OPT_COLORS.get(run.name, "C3")
    parts["path"].set_data(q[:, 0], q[:, 1])
    parts["path"].set_color(color)
    parts["start"].set_data([q[0, 0]], [q[0, 1]])
    parts["end"].set_data([q[-1, 0]], [q[-1, 1]])
    f = np.where(np.isfinite(run.f), run.f, 1e30)
    f = np.clip(f, 1e-32, 1e30)                           # 0 falls off a log axis; a huge f overflows its ticks
    parts["f"].set_data(np.arange(len(f)), f)
    parts["f"].set_color(color)
    left, right = parts["path"].axes, parts["f"].axes
    left.set_title(f"{LABELS[run.name]}, lr = {run.lr:.3g}, {run.steps} steps", y=1.01)
    right.set_xlim(0, max(1, run.steps))
    lo, hi = float(f.min()), float(f.max())
    right.set_ylim(max(lo / 3, 1e-32), min(hi * 3, 1e30))
    right.set_title(f"f after each step (end {run.f[-1]:.2e})", y=1.01)
    return fig


def _optimizer_path_axes(fig):
    """The axes and (empty) lines of :func:`optimizer_path` on the clean figure ``fig``."""
    from matplotlib.ticker import MaxNLocator

    left = fig.add_axes((0.06, 0.14, 0.5, 0.74))
    _ellipse_levels(left)
    (start,) = left.plot([], [], "s", color="k", ms=6)
    (path,) = left.plot([], [], "o-", ms=3, lw=1)
    (end,) = left.plot([], [], "*", color="gold", ms=14, mec="k")
    left.set(xticks=[-10, -5, 0, 5, 10], yticks=[-4, -2, 0, 2, 4])   # few labels: text is most of a redraw
    right = fig.add_axes((0.66, 0.14, 0.32, 0.74))
    (f,) = right.plot([], [], ".-", ms=3)
    right.set(xlabel="step", ylabel="f(x, y) = x²/20 + y²", yscale="log")
    _plain_log_ticks(right.yaxis, n=5)
    right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    return {"start": start, "path": path, "end": end, "f": f}


def mnist1d_curves(result, fig=None):
    """Training loss and test accuracy per epoch, one colour per optimiser (:class:`LossCurves`)."""
    from dlcourse.experiments.optimizers import LABELS

    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for n in result.names:
        h = result.histories[n]
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        label = f"{LABELS[n]} (lr {result.lrs[n]:g})"
        ax_loss.plot(epochs, h["train_loss"], "o-", ms=3, color=_OPT_COLORS.get(n), label=label)
        ax_acc.plot(epochs, h["test_acc"], "o-", ms=3, color=_OPT_COLORS.get(n), label=label)
    ax_loss.set(xlabel="epoch", ylabel="training loss (cross-entropy)", title="training loss")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy", title="test accuracy (chance 10%)", ylim=(0, 1))
    ax_acc.legend(fontsize=8, loc="lower right")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _running_mean(loss):
    """Minibatch losses -> (update number 1..n, mean of the last n/40 losses at each update)."""
    loss = np.asarray(loss)
    w = max(1, len(loss) // 40)
    total = np.concatenate([[0.0], np.cumsum(loss)])
    steps = np.arange(1, len(loss) + 1)               # the update each mean ends at
    return steps, (total[steps] - total[np.maximum(steps - w, 0)]) / np.minimum(steps, w)


def batch_sizes(result, fig=None):
    """Minibatch loss (running mean) against samples seen and against updates, one colour per
    batch size (:class:`BatchSizes`)."""
    fig = _figure(fig, (10, 3.6))
    ax_s, ax_u = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, b in enumerate(result.batch_sizes):
        steps, smooth = _running_mean(result.histories[b]["batch_loss"])
        ax_s.plot(steps * b, smooth, color=f"C{k}", label=f"batch {b}")
        ax_u.plot(steps, smooth, color=f"C{k}", label=f"batch {b}")
    ax_s.set(xlabel="training samples seen", ylabel="minibatch loss (running mean)",
             title=f"same samples ({result.epochs} epochs)")
    ax_u.set(xlabel="parameter updates", xscale="log", title="per update: larger batches step better")
    ax_s.legend(fontsize=8)
    for ax in (ax_s, ax_u):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def batch_size_run(result, fig=None):
    """Minibatch loss (running mean) against samples seen for one batch size and learning
    rate (a one-size :class:`BatchSizes`), on fixed axes so runs compare by eye.

    The figure is built once; later calls only move the line and the title.
    """
    b = result.batch_sizes[0]
    steps, smooth = _running_mean(result.histories[b]["batch_loss"])
    title = (f"batch {b}, lr {result.lr:g}: {result.updates(b)} updates, "
             f"test acc {result.histories[b]['test_acc'][-1]:.1%}")

    def build(fig):
        ax = fig.add_subplot(1, 1, 1)
        (line,) = ax.plot(steps * b, smooth, color="C0")
        ax.set(xlim=(0, result.epochs * result.n_train), ylim=(0, 3.5),    # fixed: runs compare by eye
               xlabel="training samples seen", ylabel="minibatch loss (running mean)")
        ax.grid(alpha=0.3)
        _fast_layout(fig, left=0.12, right=0.97, bottom=0.15, top=0.88)
        return ax, line

    fig, (ax, line) = cached_artists(fig, "batch_size_run", build, figsize=(6, 3.4))
    line.set_data(steps * b, smooth)
    ax.set_title(title, fontsize=10)
    return fig
