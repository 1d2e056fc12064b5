"""Figures of chapter 01 (lesson ``notebooks/01_perceptron``): logic gates as perceptrons, their
decision lines, XOR in the hidden space.

See :mod:`dlcourse.experiments.perceptron` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import COLORS, _fast_layout, _figure

__all__ = ["gate_panels", "xor_hidden_space", "perceptron_view"]


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
