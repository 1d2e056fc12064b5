"""Numerical differentiation and gradient checking.

Every backward pass in dlcourse is verified against the central-difference
gradients computed here, in float64 (chapters 06 and 07 teach them; every
later chapter's tests use them).

Thresholds for :func:`rel_error` (the cs231n rule of thumb, float64):

* ``< 1e-7``  the analytic gradient is almost certainly right;
* ``1e-7 .. 1e-4``  suspicious unless the function has kinks (ReLU, max);
* ``> 1e-2``  the analytic gradient is wrong.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "numerical_diff",
    "numerical_gradient",
    "rel_error",
    "check_layer_gradients",
]


def numerical_diff(f, x, h=1e-4):
    """Derivative of a scalar function at a point by central differences.

    Parameters
    ----------
    f : callable
        Scalar function of one float.
    x : float
        Where to differentiate.
    h : float
        Step size. ``1e-4`` balances truncation error (``O(h**2)``) against
        floating-point cancellation; ``1e-50`` would round to zero.

    Returns
    -------
    float
        ``(f(x + h) - f(x - h)) / (2 h)``.
    """
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5, order=2):
    """Gradient of a scalar function of an array, by central differences.

    Parameters
    ----------
    f : callable
        Takes no argument (or ``x``) and returns a float. It must read ``x``
        itself, for example a loss that closes over a layer's weights: the
        entries of ``x`` are nudged *in place* and restored afterwards.
    x : ndarray, any shape, float
        The array to differentiate with respect to.
    h : float
        Step size.
    order : {2, 4}
        2: the two-point formula below, error O(h^2). 4: the five-point formula
        ``(8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / (12 h)``, error O(h^4), for
        checks that need about 1e-9 relative accuracy on any inputs (use h about 1e-3).

    Returns
    -------
    ndarray, same shape as ``x``
        ``grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)`` for every index i.

    Raises
    ------
    TypeError
        If ``x`` is not a floating-point ndarray (nudging an integer array
        in place would silently do nothing).
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            "numerical_gradient needs a float ndarray to nudge in place, "
            f"got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, got {order!r}")
    call = _arity_adapter(f, x)

    def at(i, old, step):
        x[i] = old + step
        return float(call())

    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        diff = at(i, old, h) - at(i, old, -h)
        if order == 2:
            grad[i] = diff / (2 * h)
        else:
            grad[i] = (8 * diff - (at(i, old, 2 * h) - at(i, old, -2 * h))) / (12 * h)
        x[i] = old
        it.iternext()
    return grad


def _arity_adapter(f, x):
    """Let ``f`` be written either as ``f()`` or as ``f(x)``."""
    import inspect

    try:
        n_params = len(inspect.signature(f).parameters)
    except (TypeError, ValueError):  # builtins without a signature
        n_params = 1
    return (lambda: f(x)) if n_params >= 1 else f


def rel_error(x, y):
    """Largest elementwise relative error between two arrays.

    Parameters
    ----------
    x, y : array_like, same shape

    Returns
    -------
    float
        ``max |x - y| / max(1e-8, |x| + |y|)``. Zero when both are zero.

    Raises
    ------
    ValueError
        If the shapes differ (broadcasting would hide a missing transpose).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"rel_error needs equal shapes, got {x.shape} and {y.shape}")
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def check_layer_gradients(layer, *inputs, dout=None, seed=0, h=1e-5):
    """Compare a layer's backward pass against numerical gradients.

    The scalar used is ``sum(forward(*inputs) * dout)`` for a fixed random
    ``dout``, so its gradient with respect to the output is exactly ``dout``.

    Parameters
    ----------
    layer : object with ``forward``, ``backward``, ``params``, ``grads``
        Follows the layer contract in DESIGN.md. Layers that take ``train``
        should be passed already configured (e.g. via ``functools.partial``)
        or be deterministic.
    *inputs : ndarray, float64
        The forward inputs.
    dout : ndarray, optional
        Upstream gradient, same shape as the output; random if omitted.
    seed : int
        Seed for the random ``dout``.

    Returns
    -------
    dict
        ``{"dx0": err, ..., "param0": err, ...}``: the relative error of the
        gradient of every input and every parameter.
    """
    out = layer.forward(*inputs)
    outs = out if isinstance(out, tuple) else (out,)
    if dout is None:
        rng = np.random.default_rng(seed)
        dout = tuple(rng.standard_normal(o.shape) for o in outs)
    elif not isinstance(dout, tuple):
        dout = (dout,)

    def scalar():
        o = layer.forward(*inputs)
        o = o if isinstance(o, tuple) else (o,)
        return sum(float(np.sum(a * d)) for a, d in zip(o, dout))

    layer.forward(*inputs)
    dins = layer.backward(*dout)
    dins = dins if isinstance(dins, tuple) else (dins,)
    analytic_params = [g.copy() for g in getattr(layer, "grads", [])]

    errors = {}
    for k, (x, dx) in enumerate(zip(inputs, dins)):
        if np.issubdtype(np.asarray(x).dtype, np.floating):
            errors[f"dx{k}"] = rel_error(dx, numerical_gradient(scalar, x, h=h))
    for k, (p, g) in enumerate(zip(getattr(layer, "params", []), analytic_params)):
        errors[f"param{k}"] = rel_error(g, numerical_gradient(scalar, p, h=h))
    return errors
