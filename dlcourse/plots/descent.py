"""Figures of chapter 06 (lesson ``notebooks/06_descent``): losses, numerical-derivative errors,
tangents, the gradient field and gradient-descent paths on the bowl x0² + x1² (the descent
widget's figure).

See :mod:`dlcourse.experiments.descent` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _plain_log_ticks, cached_artists

__all__ = ["losses", "difference_errors", "tangent_lines", "gradient_field", "descent_path", "learning_rates"]


def losses(result, fig=None):
    """Two 10-class predictions against the true class, and the cross-entropy curve −log p.

    ``result`` is :func:`dlcourse.experiments.descent.loss_examples`'s.
    """
    names = list(result.predictions)
    fig = _figure(fig, (11, 3.2))
    for k, name in enumerate(names):
        y = result.predictions[name]
        ax = fig.add_subplot(1, 3, k + 1)
        colors = ["C2" if c == result.t else "0.6" for c in range(len(y))]
        ax.bar(np.arange(len(y)), y, color=colors)
        ax.plot([result.t], [1.0], "v", color="C2", ms=8, label=f"true class {result.t} (t = 1)")
        ax.set(title=f"{name}\nSE {result.squared_error[name]:.4f}, CE {result.cross_entropy[name]:.4f}",
               xlabel="class", ylabel="probability y" if k == 0 else None, ylim=(0, 1.08),
               xticks=range(len(y)))
        ax.legend(loc="upper right", fontsize=8)
    ax = fig.add_subplot(1, 3, 3)
    p = np.linspace(0.005, 1.0, 400)
    ax.plot(p, -np.log(p), color="C0")
    for k, name in enumerate(names):
        pt = result.predictions[name][result.t]
        ax.plot(pt, -np.log(pt), "o", color=f"C{k + 1}", label=f"y[t] = {pt:.2f}: CE {-np.log(pt):.4f}")
    ax.set(title="cross-entropy = −log y[t]", xlabel="probability of the true class y[t]",
           ylabel="loss", ylim=(0, 5.5))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def difference_errors(result, fig=None):
    """Error of the forward and central differences against h, log-log (rounding on the left)."""
    fig = _figure(fig, (6.5, 4.2))
    ax = fig.add_subplot()
    hs = result.hs
    keep = hs >= 1e-17                                   # h = 1e-50 is off the chart (its error is printed)
    for err, label, color in ((result.forward_error, "forward (f(x+h) − f(x)) / h", "C3"),
                              (result.central_error, "central (f(x+h) − f(x−h)) / 2h", "C0")):
        shown = keep & (err > 0)                         # an error of exactly 0 has no logarithm
        ax.loglog(hs[shown], err[shown], "o-", ms=3, color=color, label=label)
    ax.text(1e-4, 3e-3, "slope 1:\nerror ≈ 3h", color="C3", fontsize=8, ha="right")
    ax.text(1e-3, 1e-8, "slope 2:\nerror = h²", color="C0", fontsize=8)
    ax.axvspan(hs[keep].min(), 1e-8, color="0.92", zorder=0)
    ax.text(1.5e-16, 3e-12, "rounding error\ngrows as h shrinks", fontsize=8)
    ax.set(xlabel="step h", ylabel="|estimate − exact derivative|", ylim=(1e-13, 10),
           title=f"derivative of x³ at x = {result.x:g}: truncation vs rounding")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def tangent_lines(result, lo=0.0, hi=20.0, fig=None):
    """The parabola 0.01x² + 0.1x and its tangent at each point of a :class:`DerivativeTable`."""
    from dlcourse.lessons.numerical_descent import parabola

    fig = _figure(fig, (6, 4))
    ax = fig.add_subplot()
    x = np.linspace(lo, hi, 200)
    ax.plot(x, parabola(x), color="k", label="f(x) = 0.01x² + 0.1x")
    for k, (x0, slope) in enumerate(zip(result.xs, result.central)):
        ax.plot(x, parabola(x0) + slope * (x - x0), "--", color=f"C{k}",
                label=f"tangent at x = {x0:g}: slope {slope:.4f}")
        ax.plot(x0, parabola(x0), "o", color=f"C{k}")
    ax.set(xlabel="x", ylabel="f(x)", title="numerical derivative = slope of the tangent", ylim=(-1, 6))
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def _bowl_levels(ax, radii=np.arange(0.5, 6.01, 0.5)):
    """Level sets of x0² + x1² (circles, f = r²) drawn as one cheap LineCollection."""
    from matplotlib.collections import LineCollection

    theta = np.linspace(0, 2 * np.pi, 121)
    circles = [np.column_stack([r * np.cos(theta), r * np.sin(theta)]) for r in radii]
    ax.add_collection(LineCollection(circles, colors="0.75", linewidths=0.8))
    ax.plot(0, 0, "+", color="k", ms=10, mew=1.5)


def gradient_field(result, fig=None):
    """Arrows −∇f on a grid over the level circles of x0² + x1²."""
    fig = _figure(fig, (5.2, 5))
    ax = fig.add_subplot()
    _bowl_levels(ax)
    ax.quiver(result.X0, result.X1, -result.G[..., 0], -result.G[..., 1], color="C0",
              angles="xy", scale_units="xy", scale=8, width=0.004)
    lim = (result.X0.min() - 0.4, result.X0.max() + 0.4)
    ax.set(xlim=lim, ylim=lim, aspect="equal", xlabel="$x_0$", ylabel="$x_1$",
           title="−∇f for f = $x_0^2 + x_1^2$ (grey: level sets)")
    fig.tight_layout()
    return fig


_WINDOW = 4.6


def _path_panel(ax, run=None, title=None):
    """A descent path on the level circles of the bowl; points far outside the window are cut off.

    Returns an ``update(run, title=None)`` function that moves the path in place, so a
    widget redraws only what changed; given ``run``, the panel shows it already.
    Plain-text labels and no legend.
    """
    _bowl_levels(ax)
    path, = ax.plot([], [], "o-", color="C3", ms=3, lw=1)
    start, = ax.plot([], [], "s", color="k", ms=6)
    start_label = ax.annotate("start", (0, 0), xytext=(6, 4), textcoords="offset points", fontsize=9)
    end, = ax.plot([], [], "*", color="C1", ms=14, mec="k")
    end_label = ax.annotate("end", (0, 0), xytext=(8, -12), textcoords="offset points", fontsize=9)
    away = ax.text(0.5, 0.04, "", transform=ax.transAxes, ha="center", fontsize=9, color="C3",
                   bbox=dict(facecolor="white", edgecolor="none", alpha=0.9))
    ax.set(xlim=(-_WINDOW, _WINDOW), ylim=(-_WINDOW, _WINDOW), aspect="equal", xlabel="x0", ylabel="x1")

    def update(run, title=None):
        p = run.path
        near = np.all(np.abs(p) < 100 * _WINDOW, axis=1)     # Agg misdraws lines to ~1e12
        n_near = int(np.argmin(near)) if not near.all() else len(p)
        path.set_data(p[:n_near, 0], p[:n_near, 1])
        start.set_data([p[0, 0]], [p[0, 1]])
        start_label.xy = tuple(p[0])
        inside = bool(np.all(np.abs(run.end) < _WINDOW))
        end.set_data([run.end[0]], [run.end[1]])
        end_label.xy = tuple(run.end)
        for artist in (end, end_label):
            artist.set_visible(inside)
        away.set_text("" if inside else f"left the window: end |x| = {np.linalg.norm(run.end):.1e}")
        away.set_visible(not inside)
        ax.set_title(title or f"lr = {run.lr:.3g}, {run.step_num} steps: {run.verdict}")

    if run is not None:
        update(run, title)
    return update


def descent_path(result, fig=None):
    """One gradient-descent run: its path on the level circles, and f at every step (log scale).

    Given a figure this function drew before (a widget's), it only moves the
    path and the curve: a slider move then costs one render, not a rebuild.
    """
    fig, (update_path, ax, curve) = cached_artists(fig, "descent_path", _descent_axes, figsize=(9.5, 4))
    update_path(result)
    f = np.nan_to_num(np.clip(result.f, 1e-32, 1e300), nan=1e300)   # 0 and inf fall off a log axis
    curve.set_data(np.arange(len(f)), f)
    ax.set_xlim(0, max(1, len(f) - 1))
    lo, hi = float(f.min()), float(f.max())
    ax.set_ylim(lo / 3, hi * 3)
    _plain_log_ticks(ax.yaxis)
    ax.set_title(f"f after each step (end {result.f[-1]:.1e})")
    return fig


def _descent_axes(fig):
    """The path panel and the f curve of :func:`descent_path` on the clean figure ``fig``."""
    update_path = _path_panel(fig.add_subplot(1, 2, 1))
    ax = fig.add_subplot(1, 2, 2)
    curve, = ax.semilogy([1], [1], ".-", color="C3", ms=3)
    ax.set(xlabel="step", ylabel="f(x) = x0² + x1²")
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.3)
    return update_path, ax, curve


def learning_rates(result, fig=None):
    """One path panel per learning rate (:class:`LearningRates`)."""
    n = len(result.runs)
    fig = _figure(fig, (3.6 * n, 3.8))
    for k, run in enumerate(result.runs):
        _path_panel(fig.add_subplot(1, n, k + 1), run, title=f"lr = {run.lr:g}: {run.verdict}")
    fig.tight_layout()
    return fig
