"""The slides' 3-layer network as plain matrix products (chapter 04).

Seed 002 p.38-39 gives the shape rule of a matrix product ((2, 3) x (3, 2) ->
(2, 2)) and p.43-46 the 3-layer network 2 -> 3 -> 2 -> 2 with sigmoid hidden
layers and an identity output. This module holds those few lines of maths:
:func:`matmul_shape`, :func:`slide_network`, :func:`slide_input` and
:func:`forward`. They are the references of chapter 04's checks, and
:mod:`dlcourse.experiments.matrices` prints and times them. Later chapters use
:class:`dlcourse.layers.Affine` and :class:`dlcourse.models.MLP` instead.
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F

__all__ = ["matmul_shape", "slide_network", "slide_input", "forward"]


def matmul_shape(a_shape, b_shape):
    """Shape of the product ``A @ B`` of two matrices, from their shapes alone.

    Parameters
    ----------
    a_shape : tuple of two ints
        ``(n, k)``: A has n rows and k columns.
    b_shape : tuple of two ints
        ``(k, m)``.

    Returns
    -------
    tuple of two ints
        ``(n, m)``: as many rows as A, as many columns as B.

    Raises
    ------
    ValueError
        If a shape does not have two entries, or A's column count differs
        from B's row count (the *inner* dimensions, seed 002 p.38).
    """
    if len(a_shape) != 2 or len(b_shape) != 2:
        raise ValueError(f"matmul_shape takes two 2-D shapes, got {tuple(a_shape)} and {tuple(b_shape)}")
    (n, k), (k2, m) = a_shape, b_shape
    if k != k2:
        raise ValueError(f"inner dimensions differ: A has {k} columns, B has {k2} rows")
    return (int(n), int(m))


def slide_network():
    """The weights and biases of the slides' 3-layer network (2 -> 3 -> 2 -> 2).

    Returns
    -------
    dict of str -> ndarray
        ``W1`` (2, 3), ``b1`` (3,), ``W2`` (3, 2), ``b2`` (2,), ``W3`` (2, 2),
        ``b3`` (2,). A new dict of new arrays each call, so editing it is safe.
    """
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def slide_input():
    """The slides' input x = [1.0, 0.5], shape (2,)."""
    return np.array([1.0, 0.5])


def forward(network, x, intermediates=False):
    """Forward pass of a 3-layer network: sigmoid, sigmoid, identity.

    Parameters
    ----------
    network : dict
        ``W1`` (D, H1), ``b1`` (H1,), ``W2`` (H1, H2), ``b2`` (H2,),
        ``W3`` (H2, C), ``b3`` (C,).
    x : ndarray, shape (D,) or (N, D)
        One input, or a batch with one input per row.
    intermediates : bool
        Also return the signals inside the network.

    Returns
    -------
    y : ndarray, shape (C,) or (N, C)
        The output, ``a3`` itself (identity output activation).
    signals : dict, only if ``intermediates``
        ``a1, z1, a2, z2, a3``, each with the batch shape of ``x``.

    Notes
    -----
    a1 = x W1 + b1,  z1 = sigmoid(a1);  a2 = z1 W2 + b2,  z2 = sigmoid(a2);
    y = a3 = z2 W3 + b3 (seed 002 p.43-46). Broadcasting adds each bias to
    every row, so the same code handles one input and a batch.
    """
    a1 = x @ network["W1"] + network["b1"]      # (N, H1)
    z1 = F.sigmoid(a1)
    a2 = z1 @ network["W2"] + network["b2"]     # (N, H2)
    z2 = F.sigmoid(a2)
    a3 = z2 @ network["W3"] + network["b3"]     # (N, C)
    if intermediates:
        return a3, {"a1": a1, "z1": z1, "a2": a2, "z2": z2, "a3": a3}
    return a3
