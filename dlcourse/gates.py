"""The perceptron and logic gates built from it (chapter 01).

A perceptron fires (outputs 1) when the weighted sum of its inputs plus a
bias is positive: ``y = 1 if w1 x1 + w2 x2 + b > 0 else 0``. The bias is
minus the threshold theta of the slides. The weights are the ones in seed
002 p.16-18:

=====  ====  ====  ====
gate    w1    w2    b
=====  ====  ====  ====
AND     0.5   0.5  -0.7
OR      0.5   0.5  -0.2
NAND   -0.5  -0.5   0.7
=====  ====  ====  ====

XOR cannot be drawn with one straight line, so it needs two layers:
``XOR(x1, x2) = AND(NAND(x1, x2), OR(x1, x2))`` (seed 002 p.19-26).
"""
from __future__ import annotations

import numpy as np

__all__ = ["perceptron", "AND", "OR", "NAND", "XOR", "GATE_PARAMS", "INPUTS", "truth_table"]

GATE_PARAMS = {
    "AND": ((0.5, 0.5), -0.7),
    "OR": ((0.5, 0.5), -0.2),
    "NAND": ((-0.5, -0.5), 0.7),
}
"""Gate name -> ((w1, w2), b), the slide values."""

INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
"""The four binary inputs (x1, x2), in the slides' order, shape (4, 2)."""


def perceptron(x, w, b):
    """Output of a perceptron: 1 where ``x @ w + b > 0``, else 0.

    Parameters
    ----------
    x : array_like, shape (D,) or (N, D)
        One input or a batch of inputs.
    w : array_like, shape (D,)
        Weights.
    b : float
        Bias (= -threshold).

    Returns
    -------
    int or ndarray of int, shape (N,)
        0 or 1 for each input.

    Raises
    ------
    ValueError
        If ``x``'s last axis does not match ``w``.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError(f"perceptron: expected w of shape (D,), got {w.shape}")
    if x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"perceptron: expected x of shape ({w.shape[0]},) or (N, {w.shape[0]}) "
            f"to match w of shape {w.shape}, got {x.shape}"
        )
    y = (x @ w + b > 0).astype(int)
    return int(y) if y.ndim == 0 else y


def _gate(name):
    (w1, w2), b = GATE_PARAMS[name]

    def gate(x1, x2):
        x = np.stack(np.broadcast_arrays(np.asarray(x1), np.asarray(x2)), axis=-1)
        y = perceptron(x.reshape(-1, 2), (w1, w2), b).reshape(x.shape[:-1])
        return int(y) if y.ndim == 0 else y

    gate.__name__ = name
    gate.__qualname__ = name
    gate.__doc__ = (
        f"{name} gate: a perceptron with w = ({w1}, {w2}), b = {b}.\n\n"
        "Takes two 0/1 inputs (scalars or equal-shape arrays) and returns 0/1."
    )
    return gate


AND = _gate("AND")
OR = _gate("OR")
NAND = _gate("NAND")


def XOR(x1, x2):
    """XOR as a two-layer perceptron: AND(NAND(x1, x2), OR(x1, x2))."""
    return AND(NAND(x1, x2), OR(x1, x2))


def truth_table(gate):
    """The gate's outputs on :data:`INPUTS`, shape (4,)."""
    return np.array([gate(int(a), int(b)) for a, b in INPUTS])
