"""Chapter 02 experiments: activation functions and what they do to a signal.

Seeds: 002 p.29-35 (the activation table, why a linear h(x) = cx is useless,
signal decay through sigmoid vs leaky ReLU, output activations, the softmax
example 0.3, 2.9, 1.0 -> 0.06, 0.82, 0.12), 000 p.7 and p.18 (the sigmoid and
its derivative).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import functions as F

__all__ = [
    "ActivationTable", "activation_table", "sigmoid_derivative_max",
    "LinearCollapse", "linear_collapse", "SignalDecay", "signal_through_layers",
    "softmax_example", "HIDDEN_ACTIVATIONS",
]

HIDDEN_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu")
"""The activations compared in the chapter, in the slides' order."""


@dataclass(frozen=True)
class ActivationTable:
    """Each activation h and its derivative h' sampled on a grid."""

    x: np.ndarray            # (M,)
    values: dict             # name -> (M,)
    derivatives: dict        # name -> (M,)
    at: np.ndarray           # the few points printed

    def __str__(self):
        cols = "".join(f"{f'x={a:+.0f}':>9}" for a in self.at)
        lines = [f"{'':<16}{cols}"]
        for name in self.values:
            h, dh = F.get_activation(name)
            lines.append(f"{name:<16}" + "".join(f"{float(h(a)):9.4f}" for a in self.at))
            lines.append(f"{'  derivative':<16}" + "".join(f"{float(dh(a)):9.4f}" for a in self.at))
        return "\n".join(lines)


def activation_table(names=HIDDEN_ACTIVATIONS, lo=-5.0, hi=5.0, num=501, at=(-2, -1, 0, 1, 2)):
    """Sample activations and their derivatives on ``linspace(lo, hi, num)``.

    Returns
    -------
    ActivationTable
    """
    x = np.linspace(lo, hi, num)
    values, derivs = {}, {}
    for name in names:
        h, dh = F.get_activation(name)
        values[name], derivs[name] = h(x), dh(x)
    return ActivationTable(x, values, derivs, np.asarray(at, dtype=float))


def sigmoid_derivative_max(lo=-10.0, hi=10.0, num=200001):
    """Where the sigmoid's derivative peaks and how high: (x*, h'(x*)) = (0, 0.25).

    Because every sigmoid layer multiplies a backward signal by at most 0.25,
    ten layers shrink it by at least 0.25**10 ≈ 1e-6 (chapter 08).
    """
    x = np.linspace(lo, hi, num)
    d = F.sigmoid_grad(x)
    k = int(np.argmax(d))
    return float(x[k]), float(d[k])


@dataclass(frozen=True)
class LinearCollapse:
    """A deep net with a linear activation h(a) = c a against the single matrix it equals."""

    c: float
    depth: int
    max_difference: float
    W_single: np.ndarray

    def __str__(self):
        return (f"{self.depth} layers with h(a) = {self.c:g}·a  ==  one layer x @ W_single, "
                f"W_single = {self.c:g}^{self.depth} · W1 @ ... @ W{self.depth}\n"
                f"max |deep(x) - x @ W_single| over the batch: {self.max_difference:.4f}")


def linear_collapse(c=2.0, depth=3, D=4, N=5, seed=0):
    """Show that stacking layers with a linear activation adds nothing.

    ``h(h(h(x W1) W2) W3)`` with ``h(a) = c a`` equals ``x (c^3 W1 W2 W3)``:
    one layer with no hidden units (seed 002 p.30).

    Returns
    -------
    LinearCollapse
    """
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((D, D)) for _ in range(depth)]
    x = rng.standard_normal((N, D))
    a = x
    for W in Ws:
        a = c * (a @ W)
    W_single = c ** depth * np.linalg.multi_dot(Ws) if depth > 1 else c * Ws[0]
    diff = float(np.max(np.abs(a - x @ W_single)) / max(1.0, np.max(np.abs(a))))
    return LinearCollapse(float(c), depth, diff, W_single)


@dataclass(frozen=True)
class SignalDecay:
    """Inputs pushed through the same activation again and again: h(h(...h(x)))."""

    activation: str
    layers: list             # layers[k] = signal after k applications, (n,) each

    @property
    def spreads(self):
        """max - min of the signal after each layer: how much of the input's variety survives."""
        return np.array([np.ptp(s) for s in self.layers])

    def __str__(self):
        rows = [f"{'layer':>5}  {'min':>8}  {'max':>8}  {'spread':>8}"]
        for k, s in enumerate(self.layers):
            name = "input" if k == 0 else str(k)
            rows.append(f"{name:>5}  {s.min():8.4f}  {s.max():8.4f}  {np.ptp(s):8.4f}")
        return f"activation: {self.activation}\n" + "\n".join(rows)


def signal_through_layers(activation="sigmoid", depth=4, n=1001, lo=-5.0, hi=5.0):
    """Apply one activation ``depth`` times to evenly spread inputs (seed 002 p.32).

    With the sigmoid the range collapses fast (10 -> 0.99 -> 0.23 -> 0.05 ...):
    after a few layers every input gives almost the same output, so the early
    layers barely affect the result. Leaky ReLU keeps the positive half intact.

    Parameters
    ----------
    activation : str
        A name from :data:`dlcourse.functions.ACTIVATIONS`.
    depth : int
        How many layers (applications), >= 0.

    Returns
    -------
    SignalDecay
    """
    if int(depth) != depth or depth < 0:
        raise ValueError(f"depth must be a whole number >= 0, got {depth!r}")
    h, _ = F.get_activation(activation)
    layers = [np.linspace(lo, hi, n)]
    for _ in range(int(depth)):
        layers.append(h(layers[-1]))
    return SignalDecay(activation, layers)


def softmax_example(scores=(0.3, 2.9, 1.0)):
    """The slide's softmax example: scores (0.3, 2.9, 1.0) -> probabilities (0.06, 0.82, 0.12).

    Returns
    -------
    scores, probabilities : ndarray, shape (C,)
    """
    a = np.asarray(scores, dtype=float)
    return a, F.softmax(a)
