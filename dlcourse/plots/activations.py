"""Figures of chapter 02 (lesson ``notebooks/02_activations``): activation functions and their
derivatives, a signal through repeated layers, softmax.

See :mod:`dlcourse.experiments.activations` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _plain_log_ticks

__all__ = ["activations", "signal_decay", "softmax_bars"]


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
    _plain_log_ticks(ax.yaxis)
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
