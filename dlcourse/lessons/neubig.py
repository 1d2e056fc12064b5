"""Neubig's hand-set network of ±1 perceptrons that solves XOR (chapter 05).

Seed 000 p.14-17: a single perceptron cannot separate XOR, but two hidden
perceptrons map the four inputs phi(x1) .. phi(x4) into a space where one line
does. :func:`pm1_network` runs such a two-layer network of ±1 units; the
slide's inputs, labels and weights are :data:`NEUBIG_PHI`, :data:`NEUBIG_LABELS`
and :data:`NEUBIG_WEIGHTS`. Chapter 05's lesson prints the network
(:func:`dlcourse.experiments.hidden.neubig_network`) and its check grades a
learner's weights with :func:`pm1_network`.
"""
from __future__ import annotations

import numpy as np

__all__ = ["NEUBIG_PHI", "NEUBIG_LABELS", "NEUBIG_WEIGHTS", "sign", "pm1_network"]

NEUBIG_PHI = np.array([[-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
"""The four inputs phi(x1) .. phi(x4) of seed 000 p.14, shape (4, 2)."""

NEUBIG_LABELS = np.array([-1, 1, 1, -1])
"""Their labels X, O, O, X as -1, +1, +1, -1: XOR in ±1 form."""

NEUBIG_WEIGHTS = (
    np.array([[1.0, -1.0], [1.0, -1.0]]),   # W1 (2, 2): column j is hidden unit j's weights
    np.array([-1.0, -1.0]),                 # b1 (2,)
    np.array([1.0, 1.0]),                   # w2 (2,): the output unit's weights
    1.0,                                    # b2
)
"""The slide's weights in the layer layout ``x @ W1 + b1``: unit y1 has w = (1, 1),
b = -1; unit y2 has w = (-1, -1), b = -1; the output unit has w = (1, 1), b = 1."""


def sign(a):
    """The ±1 step of seed 000: +1 where a > 0, else -1 (shape of ``a``, int)."""
    return np.where(np.asarray(a) > 0, 1, -1)


def pm1_network(phi, W1, b1, w2, b2):
    """Run a 2-layer network of ±1 perceptrons.

    Parameters
    ----------
    phi : ndarray, shape (N, 2)
        Inputs.
    W1 : ndarray, shape (2, H)
        Hidden weights; column j belongs to hidden unit j.
    b1 : ndarray, shape (H,)
    w2 : ndarray, shape (H,)
        Output weights.
    b2 : float

    Returns
    -------
    y : ndarray of int, shape (N, H)
        Hidden outputs ``sign(phi @ W1 + b1)``.
    out : ndarray of int, shape (N,)
        Network outputs ``sign(y @ w2 + b2)``.
    """
    y = sign(np.asarray(phi, dtype=float) @ np.asarray(W1, dtype=float) + np.asarray(b1, dtype=float))
    out = sign(y @ np.asarray(w2, dtype=float) + float(b2))
    return y, out
