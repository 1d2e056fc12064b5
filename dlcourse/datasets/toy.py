"""Toy data sets drawn or computed from a formula: a line, logic gates, the Playground's 2-D sets.

=========================  =======  ==============================================
function                   chapter  what
=========================  =======  ==============================================
:func:`make_line_data`     00       noisy points around a straight line
:func:`gate_data`          01, 05   the four inputs of AND, OR, NAND, XOR
:func:`playground`         05, 08   TensorFlow Playground's circle, xor, gauss, spiral
=========================  =======  ==============================================

Every generator draws from its own ``np.random.default_rng(seed)``.
"""
from __future__ import annotations

import numpy as np

from dlcourse.gates import INPUTS

__all__ = ["make_line_data", "GATE_NAMES", "gate_data", "PLAYGROUND_SETS", "playground"]


# ---------------------------------------------------------------------------
# A straight line (chapter 00)
# ---------------------------------------------------------------------------

def make_line_data(n=20, slope=2.0, intercept=-1.0, noise=0.5, seed=0):
    """Noisy points around a straight line.

    Parameters
    ----------
    n : int
        Number of points N.
    slope, intercept : float
        The line ``y = slope * x + intercept``.
    noise : float
        Standard deviation of the Gaussian noise added to y.
    seed : int
        Seed of ``np.random.default_rng(seed)``.

    Returns
    -------
    x : ndarray of float64, shape (N,)
        Evenly spaced in [0, 1].
    y : ndarray of float64, shape (N,)
        ``slope * x + intercept + noise * N(0, 1)``.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, n)
    return x, slope * x + intercept + noise * rng.standard_normal(n)


# ---------------------------------------------------------------------------
# Logic gates
# ---------------------------------------------------------------------------

GATE_NAMES = ("AND", "OR", "NAND", "XOR")
"""The gates :func:`gate_data` knows."""

_GATE_TRUTH = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "XOR": lambda a, b: a ^ b,
}


def gate_data(name):
    """The four inputs of a logic gate and its truth table.

    Parameters
    ----------
    name : str
        One of ``"AND"``, ``"OR"``, ``"NAND"``, ``"XOR"`` (any case).

    Returns
    -------
    X : ndarray of float64, shape (4, 2)
        The inputs (x1, x2) in the slides' order (0,0), (1,0), (0,1), (1,1),
        the same order as :data:`dlcourse.gates.INPUTS`.
    t : ndarray of int64, shape (4,)
        The gate's output, 0 or 1, for each input.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`GATE_NAMES`.
    """
    key = str(name).upper()
    if key not in _GATE_TRUTH:
        raise ValueError(f"gate_data: unknown gate {name!r}; expected one of {GATE_NAMES}")
    x1, x2 = INPUTS[:, 0].astype(np.int64), INPUTS[:, 1].astype(np.int64)
    return INPUTS.astype(np.float64), _GATE_TRUTH[key](x1, x2)


# ---------------------------------------------------------------------------
# TensorFlow Playground sets
# ---------------------------------------------------------------------------

PLAYGROUND_SETS = ("circle", "xor", "gauss", "spiral")
"""The classification sets of the TensorFlow Playground, in its menu order."""


def _playground_circle(n, noise, rng):
    radius = 5.0
    n_in = n - n // 2                                    # label +1
    r = np.concatenate([rng.uniform(0.0, 0.5 * radius, n_in),
                        rng.uniform(0.7 * radius, radius, n // 2)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)     # (n, 2)
    # The Playground moves the point only to decide its label; the point
    # itself is kept where it was drawn, so noise flips labels near the rings.
    X_noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    t = np.where(np.hypot(X_noisy[:, 0], X_noisy[:, 1]) < 0.5 * radius, 1, -1)
    return X, t


def _playground_xor(n, noise, rng):
    padding = 0.3
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, padding, -padding)              # keep points off the axes
    X_noisy = X + rng.uniform(-5.0, 5.0, (n, 2)) * noise  # as in circle: labels only
    t = np.where(X_noisy[:, 0] * X_noisy[:, 1] >= 0, 1, -1)
    return X, t


def _playground_gauss(n, noise, rng):
    variance = 0.5 + 7.0 * noise                         # 0.5 at noise 0, 4 at noise 0.5
    n_pos = n - n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n_pos, n // 2], axis=0)   # (n, 2)
    X = centres + rng.normal(0.0, np.sqrt(variance), (n, 2))
    t = np.repeat([1, -1], [n_pos, n // 2])
    return X, t


def _playground_spiral(n, noise, rng):
    arms = []
    for m, delta, label in ((n - n // 2, 0.0, 1), (n // 2, np.pi, -1)):
        i = np.arange(m)
        r = 5.0 * i / m
        angle = 1.75 * 2 * np.pi * i / m + delta
        X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)     # (m, 2)
        X += rng.uniform(-1.0, 1.0, (m, 2)) * noise
        arms.append((X, np.full(m, label)))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


_PLAYGROUND_GENERATORS = {
    "circle": _playground_circle,
    "xor": _playground_xor,
    "gauss": _playground_gauss,
    "spiral": _playground_spiral,
}


def playground(name, n=500, noise=0, seed=0, labels="pm1", train_ratio=None):
    """A 2-D classification set made the way the TensorFlow Playground makes it.

    Parameters
    ----------
    name : str
        One of :data:`PLAYGROUND_SETS`: ``"circle"``, ``"xor"``, ``"gauss"``,
        ``"spiral"``.
    n : int
        Number of points N (the Playground uses 500).
    noise : float
        The Playground's noise slider, a percentage from 0 to 50. Below it is
        used as the fraction ``nu = noise / 100`` (0 to 0.5).
    seed : int
        Seed of the generator ``np.random.default_rng(seed)``.
    labels : {"pm1", "01"}
        ``"pm1"`` gives labels +1 / -1 as in the Playground; ``"01"`` maps
        +1 to 1 and -1 to 0.
    train_ratio : float or None
        If given (the Playground's default is 0.5), the shuffled points are
        split: the first ``floor(N * train_ratio)`` are the training set.

    Returns
    -------
    X : ndarray of float64, shape (N, 2)
        Points (x, y), in shuffled order.
    t : ndarray of int64, shape (N,)
        Labels, +1/-1 or 1/0.

    or, when ``train_ratio`` is given,

    X_train, t_train, X_test, t_test : ndarrays
        Shapes (N_train, 2), (N_train,), (N - N_train, 2), (N - N_train,).

    Raises
    ------
    ValueError
        For an unknown name or ``labels`` value, a noise outside [0, 50], a
        non-positive ``n`` or a ``train_ratio`` outside (0, 1).

    Notes
    -----
    The formulas follow the Playground's ``dataset.ts``; ``U(a, b)`` is a
    uniform draw and ``nu = noise / 100``. Half the points (the first
    ``ceil(N/2)``) belong to the positive class where a set has two halves.

    - **circle**: radius R = 5. Positive half: r ~ U(0, R/2); negative half:
      r ~ U(0.7 R, R) = U(3.5, 5); angle a ~ U(0, 2 pi); the point is
      (r sin a, r cos a). The label is +1 if the point *moved by noise*,
      (x + U(-R, R) nu, y + U(-R, R) nu), lies within R/2 = 2.5 of the
      origin, else -1. The point itself is returned without the noise, so
      noise shows up as flipped labels near the rings.
    - **xor**: x, y ~ U(-5, 5), each pushed 0.3 away from its axis
      (``x += 0.3 if x > 0 else -0.3``). The label is +1 if
      (x + U(-5, 5) nu)(y + U(-5, 5) nu) >= 0, else -1; again the returned
      point has no noise.
    - **gauss**: two Gaussians with centres (2, 2) (label +1) and (-2, -2)
      (label -1) and variance ``0.5 + 7 nu`` in each coordinate (0.5 at
      noise 0, 4 at noise 50).
    - **spiral**: two arms of m = N/2 points; for i = 0 .. m-1,
      r = 5 i / m and a = 1.75 * 2 pi * i / m + delta (delta = 0 for the
      +1 arm, pi for the -1 arm); the point is
      (r sin a + U(-1, 1) nu, r cos a + U(-1, 1) nu). Here noise moves points.

    Then, as in the Playground, all N points are shuffled, and the training
    set is the first ``floor(N * train_ratio)`` of them. Only the random
    numbers differ from the browser's: they come from ``np.random.default_rng``.
    """
    if name not in _PLAYGROUND_GENERATORS:
        raise ValueError(
            f"playground: unknown data set {name!r}; expected one of {PLAYGROUND_SETS}")
    if not 0 <= noise <= 50:
        raise ValueError(f"playground: noise is a percentage in [0, 50], got {noise!r}")
    if labels not in ("pm1", "01"):
        raise ValueError(f"playground: labels must be 'pm1' or '01', got {labels!r}")
    if int(n) != n or n < 1:
        raise ValueError(f"playground: n must be a positive integer, got {n!r}")
    if train_ratio is not None and not 0 < train_ratio < 1:
        raise ValueError(f"playground: train_ratio must be in (0, 1) or None, got {train_ratio!r}")
    n = int(n)
    rng = np.random.default_rng(seed)

    X, t = _PLAYGROUND_GENERATORS[name](n, noise / 100.0, rng)
    order = rng.permutation(n)
    X, t = X[order].astype(np.float64), t[order].astype(np.int64)
    if labels == "01":
        t = (t > 0).astype(np.int64)
    if train_ratio is None:
        return X, t
    n_train = int(np.floor(n * train_ratio))
    return X[:n_train], t[:n_train], X[n_train:], t[n_train:]

