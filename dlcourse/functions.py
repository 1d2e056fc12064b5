"""Activation functions, their derivatives, softmax and losses.

Used from chapter 02 (activations) and chapter 06 (losses) on. Everything
here is elementwise or works along the last axis, accepts any float array,
and is overflow-safe: inputs of magnitude 1e3 give finite results and no
numpy warnings.

Seeds: 002 p.29-35 (activations and their roles, softmax), 002 p.53 and
001 §7.2.2 (losses), 000 p.7 and p.18 (sigmoid and its derivative).
"""
from __future__ import annotations

import numpy as np

from dlcourse.validation import as_float, check_labels

__all__ = [
    "identity", "step_function", "sigmoid", "tanh", "relu", "leaky_relu",
    "identity_grad", "step_grad", "sigmoid_grad", "tanh_grad", "relu_grad",
    "leaky_relu_grad", "softmax", "mean_squared_error", "cross_entropy_error",
    "ACTIVATIONS", "get_activation",
]

LOG_CLIP = 1e-12
"""Probabilities are clipped at this value before ``log`` so log(0) cannot happen."""


# --- activations ------------------------------------------------------------
# Each activation h(a) sits beside its derivative dh/da.

def identity(x):
    """h(a) = a. The output activation for regression."""
    return as_float(x)


def identity_grad(x):
    """dh/da = 1."""
    return np.ones_like(identity(x))


def step_function(x):
    """h(a) = 1 if a > 0 else 0: the threshold unit of the perceptron."""
    x = as_float(x)
    return (x > 0).astype(x.dtype)


def step_grad(x):
    """dh/da = 0 everywhere (undefined at 0): why the step cannot be trained by gradients."""
    return np.zeros_like(step_function(x))


def sigmoid(x):
    """h(a) = 1 / (1 + exp(-a)), computed without overflow.

    Notes
    -----
    For a >= 0 use 1 / (1 + e^-a); for a < 0 use e^a / (1 + e^a). Both only
    ever exponentiate ``-|a|`` so nothing overflows.
    """
    x = as_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def sigmoid_grad(x):
    """dh/da = h(a) (1 - h(a)); its maximum is 0.25, at a = 0."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    """h(a) = (e^a - e^-a) / (e^a + e^-a), in (-1, 1)."""
    return np.tanh(as_float(x))


def tanh_grad(x):
    """dh/da = 1 - tanh(a)^2; its maximum is 1, at a = 0."""
    return 1.0 - tanh(x) ** 2


def relu(x):
    """h(a) = max(0, a)."""
    x = as_float(x)
    return np.maximum(x, 0.0)


def relu_grad(x):
    """dh/da = 1 for a > 0, else 0 (we take 0 at the kink)."""
    x = as_float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x, alpha=0.01):
    """h(a) = a for a > 0, alpha * a otherwise."""
    x = as_float(x)
    return np.where(x > 0, x, alpha * x).astype(x.dtype, copy=False)


def leaky_relu_grad(x, alpha=0.01):
    """dh/da = 1 for a > 0, alpha otherwise."""
    x = as_float(x)
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


ACTIVATIONS = {
    "identity": (identity, identity_grad),
    "step": (step_function, step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}
"""Name -> (function, derivative). The names used by sliders and models."""


def get_activation(name):
    """Look up an activation and its derivative by name.

    Parameters
    ----------
    name : str
        One of ``ACTIVATIONS`` (case-insensitive; ``"leaky relu"`` and
        ``"leaky-relu"`` are accepted too).

    Returns
    -------
    (callable, callable)
        The function and its derivative.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.
    """
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}"
        )
    return ACTIVATIONS[key]


# --- output layer -------------------------------------------------------------

def softmax(x):
    """Softmax along the last axis, shifted by the maximum so exp cannot overflow.

    Parameters
    ----------
    x : array_like, shape (..., C)
        Scores ("logits").

    Returns
    -------
    ndarray, shape (..., C)
        ``y_k = exp(x_k - max x) / sum_j exp(x_j - max x)``; each row sums to 1
        and the order of the scores is kept (seed 002 p.34-35).
    """
    x = as_float(x)
    if x.ndim == 0:
        raise ValueError("softmax needs at least one axis of scores, shape (C,) or (N, C); got a scalar")
    z = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


# --- losses ---------------------------------------------------------------------

def _as_batch(y, t, name):
    """Return (y, t) as a (N, C) batch and (N,) labels or (N, C) targets."""
    y = as_float(y)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y[None, :]
        t = t.reshape(1, -1) if t.ndim == 1 and t.size == y.shape[1] else t.reshape(1)
    if y.ndim != 2:
        raise ValueError(f"{name}: expected y of shape (N, C) or (C,), got {y.shape}")
    N, C = y.shape
    if t.shape == (N,):
        return y, check_labels(name, t, C)
    if t.shape == (N, C):
        return y, t
    raise ValueError(
        f"{name}: expected t of shape ({N},) (labels) or ({N}, {C}) (one-hot) "
        f"for y of shape {y.shape}, got {t.shape}"
    )


def _one_hot(t, C):
    out = np.zeros((t.shape[0], C))
    out[np.arange(t.shape[0]), t] = 1.0
    return out


def mean_squared_error(y, t):
    """Sum-of-squares error E = 0.5 * sum (y - t)^2 (despite the historic name).

    Parameters
    ----------
    y : array_like, shape (N, C) or (C,)
        Network outputs.
    t : array_like, shape like ``y``, or integer labels (N,) / a scalar label
        Targets; labels are turned into one-hot vectors.

    Returns
    -------
    float
        Summed over every element, as in seed 001 §7.2.2 and seed 002 p.53:
        for y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0] and label 2 it is
        0.0975.
    """
    y, t = _as_batch(y, t, "mean_squared_error")
    if t.ndim == 1:
        t = _one_hot(t, y.shape[1])
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y, t):
    """Cross-entropy E = -(1/N) sum_n log y[n, t_n], exact up to a clip at 1e-12.

    Parameters
    ----------
    y : array_like, shape (N, C) or (C,)
        Predicted probabilities (each row sums to 1).
    t : array_like, int labels of shape (N,) (or a scalar for one sample), or one-hot (N, C)

    Returns
    -------
    float
        The mean over the batch of -log of the true class's probability. For
        y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0] and label 2 it is
        -log 0.6 = 0.5108.

    Notes
    -----
    The textbook adds 1e-7 inside the log; we only clip, so the value is
    exact whenever the probability is above 1e-12.
    """
    y, t = _as_batch(y, t, "cross_entropy_error")
    N = y.shape[0]
    if t.ndim == 2:  # one-hot (or soft) targets
        return float(-np.sum(t * np.log(np.clip(y, LOG_CLIP, None))) / N)
    p = y[np.arange(N), t]
    return float(-np.sum(np.log(np.clip(p, LOG_CLIP, None))) / N)
