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
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F
from dlcourse.optim import he, xavier

__all__ = ["INITS", "weight_std", "init_stack", "forward", "loss_and_grads", "gradient_norms"]

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


# derivatives written with the activation's output a = act(z): one exp per unit, not two
_DACT_FROM_OUTPUT = {
    "sigmoid": lambda a: a * (1.0 - a),
    "tanh": lambda a: 1.0 - a * a,
    "relu": lambda a: (a > 0).astype(a.dtype),
}


def _skips(params, residual):
    """Which hidden layers add a skip connection (square W, residual on)."""
    return [residual and W.shape[0] == W.shape[1] for W, _ in params[:-1]]


def forward(params, x, activation="sigmoid", residual=False):
    """Run a stack on a batch.

    Parameters
    ----------
    params : list of (W, b)
    x : ndarray, shape (N, D)
    activation : str
        A name of :data:`dlcourse.functions.ACTIVATIONS`.
    residual : bool

    Returns
    -------
    scores : ndarray, shape (N, C)
    hs : list of ndarray
        ``[x, h1, ..., h(L-1)]``, the input of every layer.
    zs : list of ndarray
        The pre-activations ``h_prev @ W + b`` of the hidden layers.
    acts : list of ndarray
        Their activations ``act(z)`` (equal to ``hs[1:]`` without skips).
    """
    act, _ = F.get_activation(activation)
    hs, zs, acts = [np.asarray(x, dtype=float)], [], []
    for (W, b), skip in zip(params[:-1], _skips(params, residual)):
        z = hs[-1] @ W + b                               # (N, H)
        zs.append(z)
        acts.append(act(z))
        hs.append(hs[-1] + acts[-1] if skip else acts[-1])
    W, b = params[-1]
    return hs[-1] @ W + b, hs, zs, acts


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
    ``dscores = (softmax(scores) - onehot(t)) / N``. Going down, a plain
    layer gives ``dz = dh * act'(z)``, ``dW = h_prev.T @ dz``,
    ``dh_prev = dz @ W.T``; a residual layer adds the skip: ``dh_prev = dh +
    dz @ W.T``, so the gradient reaches the input undiminished through the sum.
    """
    scores, hs, zs, acts = forward(params, x, activation, residual)
    key = str(activation).strip().lower()
    if key in _DACT_FROM_OUTPUT:
        dacts = [_DACT_FROM_OUTPUT[key](a) for a in acts]
    else:
        dacts = [F.get_activation(activation)[1](z) for z in zs]
    N = scores.shape[0]
    loss = F.cross_entropy_error(F.softmax(scores), t)
    dh = F.softmax(scores)
    dh[np.arange(N), t] -= 1.0
    dh /= N                                              # dscores (N, C)
    grads = [None] * len(params)
    skips = _skips(params, residual)
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        dz = dh if k == len(params) - 1 else dh * dacts[k]
        grads[k] = (hs[k].T @ dz, dz.sum(axis=0))
        if k > 0:
            dh = dz @ W.T + (dh if k < len(params) - 1 and skips[k] else 0.0)
    return float(loss), grads


def gradient_norms(params, x, t, activation="sigmoid", residual=False):
    """``||dL/dW||`` (Frobenius norm) of every layer, input layer first.

    Parameters and the loss as in :func:`loss_and_grads`.

    Returns
    -------
    ndarray, shape (L,)
    """
    _, grads = loss_and_grads(params, x, t, activation, residual)
    return np.array([np.linalg.norm(dW) for dW, _ in grads])
