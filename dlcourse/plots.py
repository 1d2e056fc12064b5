"""Figures for the lessons. A plot function draws results it is given; it never trains.

Every function takes the result of an experiment (see
:mod:`dlcourse.experiments`) and an optional ``fig``. Without ``fig`` it
makes a pyplot figure of a fixed size, so a notebook shows it inline; with
``fig`` (a :class:`matplotlib.figure.Figure`, as the widgets pass) it clears
and redraws that figure. Either way it returns the figure.
"""
from __future__ import annotations

import numpy as np

COLORS = {0: "#d62728", 1: "#1f77b4"}   # output 0 red, output 1 blue


def _figure(fig, figsize):
    if fig is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize)
    fig.clear()
    return fig


def _fast_layout(fig, **margins):
    """Fixed margins instead of ``tight_layout``: widgets redraw often, and tight
    layout costs a full extra draw (a third of a widget's update time)."""
    fig.subplots_adjust(**margins)


def figure_to_png(fig, dpi=100):
    """Render a figure to PNG bytes (what the widgets show)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --- chapter 00 ---------------------------------------------------------------

def line_fit(result, fig=None):
    """Data points, the learner's line and the best line (chapter 00)."""
    fig = _figure(fig, (6, 4))
    ax = fig.add_subplot()
    xs = np.array([0.0, 1.0])
    ax.scatter(result.x, result.y, color="k", s=18, label="data")
    ax.plot(xs, result.slope * xs + result.intercept, color="C1", lw=2,
            label=f"your line (MSE {result.error:.3f})")
    ax.plot(xs, result.best_slope * xs + result.best_intercept, color="C2", ls="--",
            label=f"best line (MSE {result.best_error:.3f})")
    ax.set(xlabel="x", ylabel="y", title="Fit a line by hand", ylim=(-3, 3))
    ax.legend(loc="upper left")
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.12, top=0.92)
    return fig


# --- chapter 01 ---------------------------------------------------------------

def _gate_panel(ax, inputs, outputs, w=None, b=None, title=""):
    for (x1, x2), y in zip(inputs, outputs):
        ax.scatter(x1, x2, s=160, color=COLORS[int(y)], marker="o" if y else "X",
                   edgecolor="k", zorder=3)
    if w is not None:
        _draw_boundary(ax, w, b)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$", title=title,
           aspect="equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])


def _draw_boundary(ax, w, b, lim=(-0.5, 1.5)):
    """Shade the half-plane where w·x + b > 0 and draw the line w·x + b = 0."""
    g = np.linspace(lim[0], lim[1], 200)
    X1, X2 = np.meshgrid(g, g)
    Z = w[0] * X1 + w[1] * X2 + b
    ax.contourf(X1, X2, (Z > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=[COLORS[0], COLORS[1]], alpha=0.12)
    if np.any(Z > 0) and np.any(Z <= 0):
        ax.contour(X1, X2, Z, levels=[0.0], colors="k", linewidths=1.5)


def gate_panels(tables, fig=None):
    """One panel per gate: its four points (blue = 1, red = 0) and its decision line.

    Gates without parameters (XOR) get no line: there is none.
    """
    names = list(tables.outputs)
    fig = _figure(fig, (3 * len(names), 3.2))
    for k, g in enumerate(names):
        ax = fig.add_subplot(1, len(names), k + 1)
        p = tables.params.get(g)
        title = g if p is not None else f"{g}: no line separates"
        _gate_panel(ax, tables.inputs, tables.outputs[g], *(p if p else (None, None)), title=title)
    fig.tight_layout()
    return fig


def xor_hidden_space(tables, fig=None):
    """XOR in the input space (x1, x2) and in the hidden space (s1, s2) = (NAND, OR)."""
    s1, s2, y = (tables.outputs[k] for k in tables.outputs)
    fig = _figure(fig, (7, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    _gate_panel(ax, tables.inputs, y, title="input space: not separable")
    ax = fig.add_subplot(1, 2, 2)
    hidden = np.stack([s1, s2], axis=1)
    from dlcourse.gates import GATE_PARAMS

    _gate_panel(ax, hidden, y, *GATE_PARAMS["AND"], title="hidden space: AND separates")
    ax.set(xlabel="$s_1$ = NAND($x_1$, $x_2$)", ylabel="$s_2$ = OR($x_1$, $x_2$)")
    fig.tight_layout()
    return fig


def perceptron_view(view, fig=None):
    """The perceptron of the chapter 01 widget: the four inputs and its decision line."""
    from dlcourse.gates import INPUTS

    fig = _figure(fig, (4, 4))
    ax = fig.add_subplot()
    title = f"computes {view.matches}" if view.matches else "computes no named gate"
    _gate_panel(ax, INPUTS, view.outputs, view.w, view.b, title=title)
    _fast_layout(fig, left=0.15, right=0.95, bottom=0.12, top=0.92)
    return fig


# --- chapter 02 ---------------------------------------------------------------

def activations(table, fig=None):
    """Each activation (top row) and its derivative (bottom row)."""
    names = list(table.values)
    fig = _figure(fig, (2.6 * len(names), 5))
    for k, name in enumerate(names):
        top = fig.add_subplot(2, len(names), k + 1)
        top.plot(table.x, table.values[name], color="C0")
        top.set(title=name, xlabel="a", ylabel="h(a)" if k == 0 else None)
        top.axhline(0, color="0.8", lw=0.8)
        bottom = fig.add_subplot(2, len(names), len(names) + k + 1, sharex=top)
        bottom.plot(table.x, table.derivatives[name], color="C3")
        bottom.set(xlabel="a", ylabel="h'(a)" if k == 0 else None, ylim=(-0.1, 1.1))
        bottom.axhline(0, color="0.8", lw=0.8)
    fig.tight_layout()
    return fig


def signal_decay(result, fig=None):
    """Where 41 evenly spread inputs end up after each layer, and the spread per layer.

    Left: one line per input, coloured by its starting value; a funnel that
    closes means later layers can no longer tell the inputs apart. Right: the
    spread (max - min) of the signal per layer, on a log scale.
    """
    import matplotlib as mpl

    layers = np.stack(result.layers)                       # (depth + 1, n)
    pick = np.linspace(0, layers.shape[1] - 1, 41).round().astype(int)
    fig = _figure(fig, (9, 3.2))
    ax = fig.add_subplot(1, 2, 1)
    colors = mpl.colormaps["coolwarm"](np.linspace(0, 1, len(pick)))
    steps = np.arange(layers.shape[0])
    from matplotlib.collections import LineCollection

    paths = np.stack([np.broadcast_to(steps, (len(pick), len(steps))), layers[:, pick].T], axis=-1)
    ax.add_collection(LineCollection(paths, colors=colors, linewidths=1))   # (41, depth + 1, 2)
    ax.autoscale()
    ax.set(xlabel="layer (0 = input)", ylabel="signal value", xticks=steps,
           title=f"inputs through repeated {result.activation}")
    ax = fig.add_subplot(1, 2, 2)
    spread = np.maximum(result.spreads, 1e-12)
    ax.semilogy(steps, spread, "o-", color="C0")
    ax.set(xlabel="layer (0 = input)", ylabel="spread = max - min", xticks=steps,
           ylim=(1e-6, 30), title="how much variety survives")
    ax.yaxis.set_minor_locator(mpl.ticker.NullLocator())
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig


def softmax_bars(scores, probs, labels=("human", "cat", "dog"), fig=None):
    """Scores before and probabilities after softmax, side by side (seed 002 p.35)."""
    fig = _figure(fig, (7, 3))
    labels = list(labels)[: len(scores)]
    ax = fig.add_subplot(1, 2, 1)
    ax.bar(labels, scores, color="0.5")
    ax.set(title="scores (input)", ylabel="score")
    ax = fig.add_subplot(1, 2, 2)
    ax.bar(labels, probs, color="C0")
    for k, p in enumerate(probs):
        ax.text(k, p + 0.02, f"{p:.2f}", ha="center")
    ax.set(title="softmax (output)", ylabel="probability", ylim=(0, 1))
    fig.tight_layout()
    return fig


# --- chapter 03 ---------------------------------------------------------------

# end of chapter 03

# --- chapter 04 ---------------------------------------------------------------

# end of chapter 04

# --- chapter 05 ---------------------------------------------------------------

# end of chapter 05

# --- chapter 06 ---------------------------------------------------------------

# end of chapter 06

# --- chapter 07 ---------------------------------------------------------------

# end of chapter 07
