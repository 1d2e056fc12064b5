"""Gradient descent on a function of an array, and the test functions chapters 06 and 09 study.

Chapter 06 (losses, numerical differentiation, gradient descent) uses the
parabola, the round bowl ``x0² + x1²`` and :func:`gradient_descent`; chapter 09
races the optimisers of :mod:`dlcourse.optim` on the elongated bowl
``x²/20 + y²`` (:func:`bowl`). Later chapters train networks with
:mod:`dlcourse.optim`, which applies the same update rules to a network's
parameters.

The gradient comes from :func:`dlcourse.gradients.numerical_gradient`
(central differences), so any function of an array can be minimised, with
no derivative written by hand. It costs two evaluations of ``f`` per entry of
``x`` per step: fine for the 2-D examples of the lesson, far too slow for a
network (chapter 07's backpropagation fixes that).
"""
from __future__ import annotations

import numbers

import numpy as np

from dlcourse.gradients import numerical_gradient

__all__ = [
    "forward_diff", "parabola", "parabola_grad", "sum_of_squares", "sum_of_squares_grad",
    "gradient_descent", "bowl", "bowl_grad", "BOWL_START", "BOWL_LRS",
]


def forward_diff(f, x, h=1e-4):
    """Derivative of a scalar function at a point by the *forward* difference.

    Parameters
    ----------
    f : callable
        Scalar function of one float.
    x : float
        Where to differentiate.
    h : float
        Step size.

    Returns
    -------
    float
        ``(f(x + h) - f(x)) / h``.

    Notes
    -----
    Its error is ``h f''(x) / 2 + O(h**2)``: first order in ``h``. The central
    difference :func:`dlcourse.gradients.numerical_diff` is second order, so
    the library uses that one; this one is here to be compared with it.
    """
    return (f(x + h) - f(x)) / h


def parabola(x):
    """The textbook's 1-D example ``0.01 x**2 + 0.1 x``; x: any shape, returns the same shape."""
    return 0.01 * x * x + 0.1 * x


def parabola_grad(x):
    """Derivative of :func:`parabola`: ``0.02 x + 0.1`` (0.2 at x = 5, 0.3 at x = 10)."""
    return 0.02 * x + 0.1


def sum_of_squares(x):
    """``f(x) = x0**2 + x1**2 + ...`` along the last axis.

    Parameters
    ----------
    x : ndarray, shape (..., D)
        One point ``(D,)`` or a grid of points ``(M, M, D)``.

    Returns
    -------
    float or ndarray of shape (...)
        The bowl whose minimum is 0 at the origin (the lesson's ``x0² + x1²``).
    """
    x = np.asarray(x, dtype=float)
    return np.sum(x * x, axis=-1)


def sum_of_squares_grad(x):
    """Gradient of :func:`sum_of_squares`: ``2 x``, same shape as ``x``."""
    return 2.0 * np.asarray(x, dtype=float)


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Minimise ``f`` by repeating ``x <- x - lr * grad f(x)``, the gradient taken numerically.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for an array ``x`` shaped like ``init_x``.
    init_x : array_like, shape (D,) (any shape works)
        Where to start. It is copied, never modified.
    lr : float
        The learning rate (η, the slides' learning coefficient ρ), > 0.
    step_num : int
        How many updates, >= 0.

    Returns
    -------
    x : ndarray, shape (D,)
        The point after ``step_num`` updates.
    path : ndarray, shape (step_num + 1, D)
        ``path[0]`` is ``init_x``, ``path[k]`` the point after ``k`` updates.

    Notes
    -----
    Seed 001 §7.2.2: ``w <- w - ρ ∂J/∂w``, moving the weights against the
    gradient of the error ``J`` a fixed amount at a time. The gradient is
    :func:`dlcourse.gradients.numerical_gradient` (central differences,
    ``h = 1e-5``); once ``|x|`` is about ``1e11`` or larger, ``x + h`` rounds
    back to ``x`` and that gradient is 0, so a diverging run stops growing there.
    """
    if not isinstance(lr, numbers.Real) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not isinstance(step_num, numbers.Integral) or step_num < 0:
        raise ValueError(f"step_num must be a whole number >= 0, got {step_num!r}")
    x = np.array(init_x, dtype=np.float64)          # a copy: the caller's array stays as it is
    path = np.empty((int(step_num) + 1,) + x.shape)  # (step_num + 1, D)
    path[0] = x
    for k in range(int(step_num)):
        x = x - lr * numerical_gradient(f, x)
        path[k + 1] = x
    return x, path


# --- the elongated bowl of chapter 09 ----------------------------------------------

BOWL_START = (-7.0, 2.0)
"""Where chapter 09's optimiser paths start on :func:`bowl` (the lineage's ("Deep Learning
from Scratch", ch. 6) starting point)."""

BOWL_LRS = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "rmsprop": 0.1, "adam": 0.3}
"""Learning rates for the paths on x²/20 + y²: each shows its optimiser's character in 30 steps."""


def bowl(x, y):
    """f(x, y) = x²/20 + y²: an elongated bowl, 20 times steeper along y than along x."""
    return x * x / 20.0 + y * y


def bowl_grad(x, y):
    """∇f = (x/10, 2y) for :func:`bowl`."""
    return x / 10.0, 2.0 * y
