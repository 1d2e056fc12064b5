"""Figures of chapter 17 (lesson ``notebooks/17_theory``): universal approximation, lottery
tickets and double descent (three widget figures rendered by
:func:`~dlcourse.plots.common.blit_png`), flat and sharp minima, random labels.

See :mod:`dlcourse.experiments.theory` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _changing, _fast_layout, _figure, _plain_log_ticks, cached_artists

__all__ = ["approximation", "lottery", "flat_sharp", "double_descent", "random_labels"]


def _log2_ticks(axis, values):
    """Fixed ticks at ``values`` with plain labels (no mathtext: cheap to redraw)."""
    import matplotlib.ticker as mticker

    axis.set_major_locator(mticker.FixedLocator(values))
    axis.set_major_formatter(mticker.FixedFormatter([f"{v:g}" for v in values]))
    axis.set_minor_locator(mticker.NullLocator())


def approximation(res, fig=None):
    """Left: the target, one hidden layer's fit and its kinks. Right: rms error against the
    width for both targets, log-log, with the current fit marked (chapter 17).

    Redrawing into a figure this function drew before only moves lines and titles."""
    fig, parts = cached_artists(fig, "approximation", lambda fig: _approximation_axes(fig, res.rates),
                                figsize=(9, 3.4))
    parts["target"].set_data(res.x, res.y)
    parts["fit"].set_data(res.x, res.fit)
    parts["knots"].set_data(res.knots, np.full(res.knots.shape, -1.55))
    parts["fit"].axes.set_title(f"{res.width} ReLU units, {res.target} target: max error {res.max_error:.3f}",
                                y=1.01)
    parts["now"].set_data([res.width], [res.rms_error])
    parts["now"].set_color(parts["colors"][res.target])
    parts["now"].axes.set_title(f"rms error {res.rms_error:.4f}", y=1.01)
    return fig


def _approximation_axes(fig, rates):
    """The axes and artists of :func:`approximation` on the clean figure ``fig``; marks what
    :func:`~dlcourse.plots.common.blit_png` redraws."""
    ax = fig.add_subplot(1, 2, 1)
    (target,) = ax.plot([], [], color="0.6", lw=4, alpha=0.6, label="target")
    (fit,) = ax.plot([], [], color="C3", lw=1.5, label="network")
    (knots,) = ax.plot([], [], "|", color="k", ms=8, label="kinks")
    ax.set(xlim=(-1.02, 1.02), ylim=(-1.65, 1.85), xlabel="x", ylabel="f(x)")
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    right = fig.add_subplot(1, 2, 2)
    colors = {"smooth": "C0", "jump": "C1"}
    for name, rms in rates.rms.items():
        right.plot(rates.widths, rms, "o-", ms=3, color=colors[name],
                   label=f"{name}: ~ width^{rates.slope(name):.1f}")
    (now,) = right.plot([], [], "o", ms=11, mfc="none", mew=2, color="k")
    right.set(xscale="log", yscale="log", xlabel="hidden units (width)", ylabel="rms error")
    _log2_ticks(right.xaxis, [1, 4, 16, 64])
    _plain_log_ticks(right.yaxis, n=5)
    right.legend(loc="lower left", fontsize=8)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    _changing(fig, [(ax, target), (ax, fit), (ax, knots), (ax, ax.title), (right, now), (right, right.title)])
    return {"target": target, "fit": fit, "knots": knots, "now": now, "colors": colors}


def lottery(view, fig=None):
    """Left: test accuracy against the share of hidden weights kept, for the winning ticket,
    a random mask and pruning without retraining. Right: test accuracy per epoch of the
    ticket and the random mask at the chosen share (chapter 17).

    Redrawing into a figure this function drew before only moves the marker and the curves."""
    g = view.grid
    fig, parts = cached_artists(fig, "lottery", lambda fig: _lottery_axes(fig, g), figsize=(10, 3.4))
    k, kept = view.index, 1.0 - view.fraction
    parts["mark"].set_xdata([kept, kept])
    parts["acc"].set_title(f"{view.fraction:.0%} pruned: ticket {g.ticket[k]:.1%}, random {g.random[k]:.1%}",
                           y=1.01)
    ticket, random = g.curves[view.fraction]
    epochs = np.arange(1, ticket.size + 1)
    parts["ticket"].set_data(epochs, ticket)
    parts["random"].set_data(epochs, random)
    parts["ticket"].axes.set_title(f"training with {kept:.0%} of the weights", y=1.01)
    return fig


def _lottery_axes(fig, g):
    """The axes and artists of :func:`lottery` on the clean figure ``fig``; marks what
    :func:`~dlcourse.plots.common.blit_png` redraws."""
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_subplot(1, 2, 1)
    kept = 1.0 - g.fractions
    ax.plot(kept, g.ticket, "o-", color="C0", label="ticket: magnitude mask, rewound")
    ax.plot(kept, g.random, "s--", color="C1", label="random mask, same start")
    ax.plot(kept, g.prune_only, "^:", color="C2", label="pruned, not retrained")
    ax.axhline(g.dense, color="0.5", lw=0.8)
    mark = ax.axvline(1.0, color="k", lw=1, alpha=0.5)
    ax.set(xscale="log", xlim=(1.3, 0.008), ylim=(0, 1.02), xlabel="share of hidden weights kept",
           ylabel="test accuracy")
    _log2_ticks(ax.xaxis, [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01])
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    right = fig.add_subplot(1, 2, 2)
    dense = g.curves["dense"]
    right.plot(np.arange(1, dense.size + 1), dense, color="0.5", lw=0.8, label="dense")
    (ticket,) = right.plot([], [], "o-", ms=3, color="C0", label="ticket")
    (random,) = right.plot([], [], "s--", ms=3, color="C1", label="random mask")
    right.set(xlim=(0.5, dense.size + 0.5), ylim=(0, 1.02), xlabel="epoch", ylabel="test accuracy")
    right.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    right.legend(loc="lower right", fontsize=8)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.22)
    _changing(fig, [(ax, mark), (ax, ax.title), (right, ticket), (right, random), (right, right.title)])
    return {"acc": ax, "mark": mark, "ticket": ticket, "random": random}


def flat_sharp(res, fig=None):
    """Left: training loss along a random (filter-normalised) direction through each solution.
    Right: training and test loss on the line through the smallest- and largest-batch
    solutions (chapter 17)."""
    fig = _figure(fig, (10, 3.6))
    ax = fig.add_subplot(1, 2, 1)
    mid = int(np.argmin(np.abs(res.probe)))
    for k, (run, curve) in enumerate(zip(res.runs, res.probe_loss)):
        ax.plot(res.probe, curve - curve[mid], color=f"C{k}",
                label=f"batch {run.batch_size} (sharpness {run.sharpness:.4f})")
    ax.set(xlabel="step t along a random direction d (θ + t·d)", ylabel="rise of the training loss",
           title="Around each solution: narrower = sharper")
    ax.legend(fontsize=8, loc="upper center")
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    small, large = res.runs[0].batch_size, res.runs[-1].batch_size
    ax.plot(res.alphas, res.line_train, color="C0", label="training loss")
    ax.plot(res.alphas, res.line_test, "--", color="C1", label="test loss")
    for a, b in ((0, small), (1, large)):
        ax.axvline(a, color="0.6", lw=0.8)
        ax.text(a, 0.97, f" batch {b}", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
    ax.set(yscale="log", xlabel=f"α in (1 − α)·θ(batch {small}) + α·θ(batch {large})", ylabel="loss",
           title="On the line between the two solutions")
    ax.legend(fontsize=8, loc="lower center")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.22)
    return fig


def double_descent(view, fig=None):
    """Left: training and test error of the minimum-norm fit against the number of random
    features P, with P = N marked. Right: the singular values of the training features at the
    chosen P (chapter 17).

    Redrawing into a figure this function drew before only moves the marker and the spectrum."""
    s, k = view.sweep, view.index
    fig, parts = cached_artists(fig, "double_descent", lambda fig: _double_descent_axes(fig, s), figsize=(10, 3.4))
    parts["mark"].set_data([view.width], [s.test_err[k]])
    parts["err"].set_title(f"P = {view.width}: train {s.train_err[k]:.1%}, test {s.test_err[k]:.1%}", y=1.01)
    sv = s.singular[k]
    parts["sv"].set_data(np.arange(1, sv.size + 1), sv)
    parts["sv"].axes.set_title(f"smallest σ = {sv[-1]:.4f}, ||β|| = {s.norm[k]:.1f}", y=1.01)
    return fig


def _double_descent_axes(fig, s):
    """The axes and artists of :func:`double_descent` on the clean figure ``fig``; marks what
    :func:`~dlcourse.plots.common.blit_png` redraws."""
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(s.widths, s.train_err, "o--", ms=3, color="C0", label="train (noisy labels)")
    ax.plot(s.widths, s.test_err, "o-", ms=3, color="C1", label="test")
    ax.axvline(s.n_train, color="0.5", lw=0.8, ls=":")
    ax.text(s.n_train, 0.98, " P = N", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
    (mark,) = ax.plot([], [], "o", ms=11, mfc="none", mew=2, color="k")
    ax.set(xscale="log", ylim=(0, 1), xlabel="random features P", ylabel="classification error")
    _log2_ticks(ax.xaxis, [10, 30, 100, 300, 1000])
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    right = fig.add_subplot(1, 2, 2)
    (sv,) = right.plot([], [], ".-", ms=3, color="C2")
    right.set(yscale="log", xlim=(0, s.n_train + 5), ylim=(3e-4, 300), xlabel="index i (largest first)",
              ylabel="singular value σ_i of Φ")
    _plain_log_ticks(right.yaxis, n=6)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    _changing(fig, [(ax, mark), (ax, ax.title), (right, sv), (right, right.title)])
    return {"err": ax, "mark": mark, "sv": sv}


def random_labels(res, fig=None):
    """Training loss per epoch of a narrow and a wide MLP on true and on random labels (chapter 17)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {"true": "-", "random": "--"}
    for k, w in enumerate(res.widths):
        for labels in ("true", "random"):
            curve = res.curves[(w, labels)]
            ax.plot(np.arange(1, curve.size + 1), curve, styles[labels], color=f"C{k}",
                    label=f"H = {w} ({res.n_params[w]:,} params), {labels} labels")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss",
           title=f"{res.n_train} training sequences: who can memorise noise?")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.14, top=0.9)
    return fig
