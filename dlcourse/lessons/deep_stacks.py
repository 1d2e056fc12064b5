"""Deep fully connected stacks and their per-layer gradients (chapter 08).

A *stack* is a list of layers ``[(W1, b1), ..., (WL, bL)]``. Layers 1 to L-1
are hidden: ``h = act(h_prev @ W + b)``; layer L is affine and gives the
scores, and the loss is softmax cross-entropy (the mean over the batch). With
``residual=True`` every hidden layer whose W is square adds a skip
connection, ``h = h_prev + act(h_prev @ W + b)`` (He et al., 2016); the first
hidden layer changes the width and stays plain.

The chapter uses it to measure ``||dL/dW||`` layer by layer: in a deep
sigmoid stack the gradient shrinks by orders of magnitude toward the input
(the vanishing gradient, seed 000 p.23, seed 001 §7.3.1); ReLU with He
weights, or skip connections, keep it flowing.

The stack is the plain ``(W, b)`` list the chapter's exercise works on; the
network that computes with it is the library's (:func:`network`:
:class:`~dlcourse.layers.Affine`, the activation layers,
:class:`~dlcourse.layers.Residual` and :class:`~dlcourse.models.Classifier`), so
this module adds no forward or backward pass of its own.
"""
from __future__ import annotations

import numpy as np

from dlcourse import layers as L
from dlcourse import models
from dlcourse.optim import he, xavier

__all__ = ["INITS", "weight_std", "init_stack", "network", "loss_and_grads", "gradient_norms"]

INITS = ("0.01", "xavier", "he", "1.0")
"""The weight scales the chapter compares: fixed std 0.01 or 1, Xavier √(1/n), He √(2/n)."""


def weight_std(init, fan_in):
    """Standard deviation of the initial weights for ``init`` and a layer's fan-in.

    Parameters
    ----------
    init : {"xavier", "he"} or float or numeric str
        ``"xavier"`` gives √(1/fan_in), ``"he"`` √(2/fan_in), a number is the std itself.
    fan_in : int

    Returns
    -------
    float
    """
    if init == "xavier":
        return float(np.sqrt(1.0 / fan_in))
    if init == "he":
        return float(np.sqrt(2.0 / fan_in))
    try:
        std = float(init)
    except (TypeError, ValueError):
        raise ValueError(f"unknown init {init!r}; expected 'xavier', 'he' or a number (the std)") from None
    if not std > 0:
        raise ValueError(f"expected a positive weight std, got {std}")
    return std


def init_stack(sizes, init="xavier", rng=0):
    """Gaussian initial weights and zero biases for a stack of sizes ``[D, H1, ..., C]``.

    Parameters
    ----------
    sizes : sequence of int
        Widths, input first, scores last.
    init : see :func:`weight_std`
    rng : numpy.random.Generator or int

    Returns
    -------
    list of (W, b)
        ``W`` of shape (sizes[k], sizes[k+1]), ``b`` of shape (sizes[k+1],).
    """
    rng = np.random.default_rng(rng)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if init == "xavier":
            W = xavier(fan_in, fan_out, rng)
        elif init == "he":
            W = he(fan_in, fan_out, rng)
        else:
            W = rng.standard_normal((fan_in, fan_out)) * weight_std(init, fan_in)
        params.append((W, np.zeros(fan_out)))
    return params


def _skips(params, residual):
    """Which hidden layers add a skip connection (square W, residual on)."""
    return [residual and W.shape[0] == W.shape[1] for W, _ in params[:-1]]


def network(params, activation="sigmoid", residual=False):
    """The stack as a classifier built from the library's layers, sharing the arrays of ``params``.

    Parameters
    ----------
    params : list of (W, b)
        ``W`` (fan_in, fan_out), ``b`` (fan_out,); the layers hold these very
        arrays, so an optimiser that updates the network updates ``params``.
    activation : str
        The hidden activation: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"leaky_relu"``.
    residual : bool
        Wrap every square hidden layer in a :class:`dlcourse.layers.Residual`.

    Returns
    -------
    dlcourse.models.Classifier
        ``Affine -> activation`` per hidden layer (``Residual([Affine, activation])``
        where a skip applies), then the scoring ``Affine``; softmax
        cross-entropy is its loss.
    """
    if len(params) < 1:
        raise ValueError("network: expected at least one layer (W, b), got none")
    layers = []
    for (W, b), skip in zip(params[:-1], _skips(params, residual)):
        block = [L.Affine(W, b), L.get_activation_layer(activation)]
        layers += [L.Residual(block)] if skip else block
    layers.append(L.Affine(*params[-1]))
    return models.Classifier(layers, name=f"{len(params) - 1}-hidden-layer {activation} stack")


def loss_and_grads(params, x, t, activation="sigmoid", residual=False):
    """Softmax cross-entropy of a stack and its gradient for every layer (backpropagation).

    Parameters
    ----------
    params : list of (W, b)
    x : ndarray, shape (N, D)
    t : ndarray of int, shape (N,)
        Class labels.
    activation : str
    residual : bool

    Returns
    -------
    loss : float
    grads : list of (dW, db)
        Same shapes and order as ``params``.

    Notes
    -----
    The network is :func:`network`'s, so the backward pass is the layers':
    ``dscores = (softmax(scores) - onehot(t)) / N``; going down, a plain
    layer gives ``dz = dh * act'(z)``, ``dW = h_prev.T @ dz``,
    ``dh_prev = dz @ W.T``; a residual layer adds the skip, ``dh_prev = dh +
    dz @ W.T``, so the gradient reaches the input undiminished through the sum.
    """
    net = network(params, activation, residual)
    loss = net.loss(x, t)
    net.backward()
    grads = net.grads                                    # [dW1, db1, dW2, db2, ...]
    return float(loss), list(zip(grads[0::2], grads[1::2]))


def gradient_norms(params, x, t, activation="sigmoid", residual=False):
    """``||dL/dW||`` (Frobenius norm) of every layer, input layer first.

    Parameters and the loss as in :func:`loss_and_grads`.

    Returns
    -------
    ndarray, shape (L,)
    """
    _, grads = loss_and_grads(params, x, t, activation, residual)
    return np.array([np.linalg.norm(dW) for dW, _ in grads])
