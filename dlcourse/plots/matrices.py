"""Figures of chapter 04 (lesson ``notebooks/04_matrices``): the 2-3-2-2 network with the signal
in every unit and its matrix shapes.

See :mod:`dlcourse.experiments.matrices` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _figure

__all__ = ["network_diagram"]


def network_diagram(result, fig=None):
    """The 2 -> 3 -> 2 -> 2 network with the signal in every unit (chapter 04).

    ``result`` is a :class:`dlcourse.experiments.matrices.ForwardPass`. Each
    column is a layer; a hidden unit shows its input ``a`` and output
    ``z = sigmoid(a)``; every edge is a weight, drawn thicker the larger it is;
    under each column is the matrix product that makes it, with its shapes.
    """
    from matplotlib.collections import LineCollection

    s, net = result.signals, result.network
    columns = [("input x", result.x, None), ("layer 1", s["a1"], s["z1"]),
               ("layer 2", s["a2"], s["z2"]), ("output y", s["a3"], None)]
    formulas = ["shape (2,)", "σ((2,)@(2,3) + (3,))", "σ((3,)@(3,2) + (2,))", "(2,)@(2,2) + (2,)"]
    ys = [np.linspace(1, -1, len(v)) * (len(v) - 1) / 2 for _, v, _ in columns]
    fig = _figure(fig, (9, 4.2))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    segs, widths = [], []
    for k, W in enumerate((net["W1"], net["W2"], net["W3"])):            # W: (units in k, units in k + 1)
        for i, j in np.ndindex(W.shape):
            segs.append([(k, ys[k][i]), (k + 1, ys[k + 1][j])])
            widths.append(0.5 + 4 * abs(W[i, j]))
    ax.add_collection(LineCollection(segs, colors="0.7", linewidths=widths, zorder=1))
    for k, (name, a, z) in enumerate(columns):
        color = "#c7dcef" if z is not None else ("0.92" if k == 0 else "#fdd9b5")
        ax.scatter(np.full(len(ys[k]), k), ys[k], s=2600, color=color, edgecolor="k", zorder=2)
        for i, y in enumerate(ys[k]):
            if z is not None:
                text = f"a={a[i]:.4f}\nz={z[i]:.4f}"
            else:
                text = f"{'xy'[k > 0]}{i + 1}\n{a[i]:.4f}"
            ax.text(k, y, text, ha="center", va="center", fontsize=8, zorder=3)
        ax.text(k, 1.55, name, ha="center", fontsize=10, weight="bold")
        ax.text(k, -1.6, formulas[k], ha="center", va="top", fontsize=8)
    ax.set(xlim=(-0.5, 3.5), ylim=(-1.9, 2.1), xticks=[], yticks=[])
    ax.text(1.5, 1.95, "a = (previous z) @ W + b;  hidden: z = σ(a);  output: y = a", ha="center", fontsize=11)
    ax.set_frame_on(False)    # no axis, ticks or title: they cost a third of a redraw here
    return fig
