"""Figures of chapter 05 (lesson ``notebooks/05_hidden``): Neubig's XOR network, the
TensorFlow-Playground view (its widget renders through :func:`playground_png`), hidden units'
boundaries, the units sweep.

See :mod:`dlcourse.experiments.hidden` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import (PM1_COLORS, _changing, _fast_layout, _figure, _playground_map,
                                   _playground_row, _pm1_cmap, blit_png, cached_artists)

__all__ = ["neubig_spaces", "playground", "playground_png", "hidden_units", "units_sweep"]


def _pm1_line(ax, w, b, lim, **kw):
    """Draw w[0] x + w[1] y + b = 0 inside the square lim x lim."""
    xs = np.array(lim, dtype=float)
    if abs(w[1]) > 1e-12:
        ax.plot(xs, -(w[0] * xs + b) / w[1], **kw)
    elif abs(w[0]) > 1e-12:
        ax.plot([-b / w[0]] * 2, xs, **kw)


def neubig_spaces(net, fig=None):
    """Neubig's XOR network: the input space phi and the hidden space y (seed 000 p.14-16).

    Left: the four inputs (O blue, X orange) with the two hidden units' lines;
    no single line puts the O's on one side. Right: the same inputs after
    the hidden layer, with the output unit's line, which separates them.
    """
    fig = _figure(fig, (8, 3.9))
    lim = (-2, 2)
    marker = {1: "o", -1: "X"}
    panels = [(net.phi, "input space", r"$\phi_1$", r"$\phi_2$"),
              (net.hidden.astype(float), "hidden space", "$y_1$", "$y_2$")]
    for k, (pts, title, xl, yl) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        for (a, b_), t in zip(pts, net.labels):
            ax.scatter(a, b_, s=170, marker=marker[int(t)], color=PM1_COLORS[int(t)], edgecolor="k", zorder=3)
        names = {}
        for j, p in enumerate(pts):
            names.setdefault(tuple(p), []).append(f"$x_{j + 1}$")
        for (a, b_), n in names.items():
            ax.annotate(", ".join(n), (a, b_), xytext=(8, 8), textcoords="offset points")
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        ax.set(xlim=lim, ylim=lim, xlabel=xl, ylabel=yl, aspect="equal", xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        if k == 0:
            for j, ls in ((0, "--"), (1, ":")):
                _pm1_line(ax, net.W1[:, j], net.b1[j], lim, color="0.3", ls=ls, lw=1.2,
                          label=f"$y_{j + 1}$ = 0 (hidden unit {j + 1})")
            ax.set_title("input space: no line separates X from O", fontsize=10)
        else:
            g = np.linspace(*lim, 101)
            G1, G2 = np.meshgrid(g, g)
            side = net.w2[0] * G1 + net.w2[1] * G2 + net.b2 > 0
            ax.contourf(G1, G2, side.astype(float), levels=[-0.5, 0.5, 1.5],
                        colors=[PM1_COLORS[-1], PM1_COLORS[1]], alpha=0.15)
            _pm1_line(ax, net.w2, net.b2, lim, color="k", lw=1.5, label="output unit = 0")
            ax.set_title("hidden space: the output unit's line separates", fontsize=10)
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def playground(res, fig=None):
    """The Playground view: the boundary with the data (left) and the loss curves (right).

    Training points have a white rim, test points a black one; the background
    is the network output, orange for -1 and blue for +1. Called again with a
    ``fig`` it drew before (as the Playground widget does many times a
    second), it only updates the data of its artists: rebuilding the axes
    would cost more than the rest of the redraw.
    """
    fig, h = cached_artists(fig, "playground", lambda fig: _playground_axes(fig, res), figsize=(9, 4))
    h["image"].set_data(res.output)
    for key, X, t in (("train", res.X_train, res.t_train), ("test", res.X_test, res.t_test)):
        h[key].set_offsets(X)
        h[key].set_facecolors([PM1_COLORS[int(v)] for v in t])
    # a fixed y: blit_png draws the background with the title hidden, and an automatic title
    # position computed then would put the title off the figure in that frame
    h["ax"].set_title(f"epoch {res.epoch}: " + ("diverged (nan)" if res.diverged else
                                                 f"test accuracy {100 * res.test_acc:.1f}%"), y=1.0)
    epochs = np.arange(len(res.train_loss))
    losses = (res.train_loss, res.test_loss)
    for line, loss, text, name in zip(h["lines"], losses, h["legend"].get_texts(), ("training", "test")):
        line.set_data(epochs, loss)
        text.set_text(f"{name} loss {loss[-1]:.4f}")
    # limits move in steps, so that most redraws keep the axes (see playground_png)
    finite = np.concatenate(losses)
    finite = finite[np.isfinite(finite)]
    worst = float(finite.max()) if finite.size else 2.0
    top = next((v for v in (0.6, 1.2) if worst <= 0.95 * v), 2.1)
    right = next((v for v in (10, 25, 50, 100, 200, 300, 500, 1000) if res.epoch <= v), res.epoch)
    h["ax2"].set(ylim=(0, top), xlim=(0, right))
    return fig


def _playground_axes(fig, res):
    """The axes and artists of :func:`playground` on the clean figure ``fig``; marks the
    boundary, points, curves, legend and title as what :func:`playground_png` redraws."""
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_subplot(1, 2, 1)
    g = res.grid
    image = ax.imshow(res.output, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(),
                      vmin=-1, vmax=1, interpolation="bilinear", aspect="equal")
    train = ax.scatter([], [], s=14, edgecolors="w", linewidths=0.6)
    test = ax.scatter([], [], s=14, edgecolors="k", linewidths=0.6)
    # plain text, few ticks: text is most of the drawing time
    ax.set(xlim=(g[0], g[-1]), ylim=(g[0], g[-1]), xlabel="x1", ylabel="x2",
           xticks=[-6, 0, 6], yticks=[-6, 0, 6])
    ax2 = fig.add_subplot(1, 2, 2)
    (train_line,) = ax2.plot([], [], color="0.2", label="training loss")
    (test_line,) = ax2.plot([], [], color="C3", ls="--", label="test loss")
    ax2.set(xlabel="epoch", ylabel="loss = mean of 0.5 (y - t)²")
    ax2.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax2.yaxis.set_major_locator(MaxNLocator(4))
    legend = ax2.legend(loc="upper right")
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.13, top=0.92, wspace=0.25)
    _changing(fig, [(ax, image), (ax, train), (ax, test), (ax2, train_line), (ax2, test_line), (ax2, legend),
                    (ax, ax.title)], static=lambda: (ax2.get_xlim(), ax2.get_ylim()))
    return dict(image=image, train=train, test=test, ax=ax, ax2=ax2, lines=(train_line, test_line),
                legend=legend)


def playground_png(res, fig, dpi=100):
    """PNG bytes of :func:`playground` drawn on ``fig``, redrawing only what changed.

    The axes, tick labels and axis labels are drawn once and kept as a
    background image; each call restores it and draws only the boundary,
    the points, the loss curves, the legend and the title on top
    (:func:`~dlcourse.plots.common.blit_png`). Text is most of matplotlib's
    drawing time, so this is several times faster than ``savefig``. The
    background is redrawn whenever the loss axes' limits change.
    """
    fig.set_dpi(dpi)
    playground(res, fig=fig)
    return blit_png(fig, dpi=dpi)


def hidden_units(res, fig=None):
    """Each first-layer hidden unit's output over the plane, then the network output.

    Seed 001 §7.1 (6/7): every hidden unit draws one (soft) line; the output
    unit's weighted sum of them is the non-linear boundary. A unit's colours
    run from orange (its lowest output) to blue (its highest); with one hidden
    layer, each title gives the weight with which the output unit adds it.
    """
    H = res.first_layer.shape[-1]
    fig = _figure(fig, (2.4 * (H + 1), 3.0))
    g = res.grid
    for j in range(H):
        ax = fig.add_subplot(1, H + 1, j + 1)
        h = res.first_layer[..., j]
        lo, hi = (0.0, 1.0) if res.settings["activation"] == "sigmoid" else (-1.0, 1.0)
        if res.settings["activation"] in ("relu", "linear"):
            lo, hi = -np.abs(h).max() - 1e-12, np.abs(h).max() + 1e-12
        ax.imshow(h, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(), vmin=lo, vmax=hi)
        title = f"hidden unit {j + 1}"
        if len(res.params) == 4:                      # one hidden layer: the next layer is the output
            title += f"\noutput weight {res.params[2][j, 0]:+.2f}"
        ax.set(title=title, xticks=[], yticks=[])
    ax = fig.add_subplot(1, H + 1, H + 1)
    _playground_map(ax, res, size=6)
    ax.set(title="network output\n(weighted sum, tanh)", xticks=[], yticks=[])
    fig.tight_layout()
    return fig


def units_sweep(sweep, fig=None):
    """One boundary per hidden-layer size: more units, more complex boundaries."""

    def describe(k, res):
        u = res.settings["units"]
        return dict(title=f"{u} unit{'s' if u > 1 else ''}: test {100 * res.test_acc:.1f}%", xticks=[], yticks=[])

    return _playground_row(sweep.results, fig, (2.9, 3.2), describe)
