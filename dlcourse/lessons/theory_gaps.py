"""The maths behind chapter 17: why deep learning works better than theory predicted.

Seed 003's section on the gaps between theory and practice (深層学習における現実と
理論のギャップ) asks three questions and lists the hypotheses this module gives
the tools for:

* approximation (近似誤差レート): a one-hidden-layer ReLU net with its kinks at
  hand-set knots (:func:`knot_features`) and least-squares output weights
  (:func:`fit_output_layer`);
* lottery tickets (宝くじ仮説, 枝刈り): :func:`magnitude_prune_mask` and its
  control :func:`random_prune_mask`;
* flat minima (損失平坦性): :func:`interpolate` (the line between two solutions)
  and :func:`random_direction` (a filter-normalised direction to probe a
  minimum's width);
* double descent (二重降下): random ReLU features (:func:`relu_features`) and the
  minimum-norm least-squares fit (:func:`min_norm_fit`).

Everything is plain numpy and works in float64. The experiments that use it
are in :mod:`dlcourse.experiments.theory`.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "knot_features", "fit_output_layer", "magnitude_prune_mask", "random_prune_mask",
    "relu_features", "min_norm_fit", "interpolate", "random_direction",
]


# --- approximation with one hidden layer ---------------------------------------------

def knot_features(x, knots):
    """Hidden layer of a 1-D ReLU net whose unit j has weight 1 and bias -knots[j].

    Parameters
    ----------
    x : ndarray, shape (M,)
        Inputs.
    knots : ndarray, shape (H,)
        Where each unit's kink sits.

    Returns
    -------
    ndarray, shape (M, H)
        ``relu(x[:, None] - knots[None, :])``.

    Notes
    -----
    A weighted sum of these units plus a constant is a continuous piecewise-linear
    function with kinks at the knots; with knots every 2/H on [-1, 1] it can
    follow any continuous function as closely as we like when H grows (the
    universal approximation property, seed 003 gap slide 1).
    """
    x, knots = np.asarray(x, dtype=float), np.asarray(knots, dtype=float)
    if x.ndim != 1 or knots.ndim != 1:
        raise ValueError(f"knot_features: expected x (M,) and knots (H,), got {x.shape} and {knots.shape}")
    return np.maximum(x[:, None] - knots[None, :], 0.0)      # (M, H)


def fit_output_layer(hidden, y):
    """Least-squares output weights and bias for fixed hidden activations.

    Parameters
    ----------
    hidden : ndarray, shape (M, H)
        Hidden-layer outputs at M points.
    y : ndarray, shape (M,)
        Target values.

    Returns
    -------
    v : ndarray, shape (H,)
        Output weights.
    c : float
        Output bias.

    Notes
    -----
    Minimises ``sum_m (hidden[m] @ v + c - y[m])**2`` (with the minimum-norm
    solution when it is not unique).
    """
    hidden, y = np.asarray(hidden, dtype=float), np.asarray(y, dtype=float)
    M, H = hidden.shape
    if y.shape != (M,):
        raise ValueError(f"fit_output_layer: expected y of shape ({M},), got {y.shape}")
    A = np.hstack([hidden, np.ones((M, 1))])                   # (M, H + 1): the bias is a unit at 1
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    return coef[:H], float(coef[H])


# --- pruning ---------------------------------------------------------------------------

def _pruned_count(fraction, size, where):
    if not 0.0 <= float(fraction) <= 1.0:
        raise ValueError(f"{where}: expected 0 <= fraction <= 1, got {fraction}")
    return int(round(float(fraction) * size))


def magnitude_prune_mask(W, fraction):
    """Mask that removes the ``fraction`` of weights with the smallest magnitude.

    Parameters
    ----------
    W : ndarray, any shape
        Weights (not modified).
    fraction : float
        Share of the weights to prune, 0 <= fraction <= 1.

    Returns
    -------
    ndarray of bool, shape of W
        False for the k = round(fraction · W.size) entries with the smallest
        ``|W|``, True for the rest (the weights kept).

    Raises
    ------
    ValueError
        If fraction is outside [0, 1].

    Notes
    -----
    Frankle & Carbin's lottery tickets (2019) prune by magnitude after training,
    then rewind the kept weights to their initial values (seed 003 gap slide 2:
    宝くじ仮説, 枝刈り). Ties are broken by position (a stable sort).
    """
    W = np.asarray(W)
    k = _pruned_count(fraction, W.size, "magnitude_prune_mask")
    order = np.argsort(np.abs(W), axis=None, kind="stable")   # flat indices, smallest |w| first
    keep = np.ones(W.size, dtype=bool)
    keep[order[:k]] = False
    return keep.reshape(W.shape)


def random_prune_mask(shape, fraction, rng=None):
    """Mask that removes round(fraction · size) entries chosen at random (the control).

    Parameters
    ----------
    shape : tuple of int
    fraction : float
        Share pruned, 0 <= fraction <= 1.
    rng : numpy.random.Generator or int or None

    Returns
    -------
    ndarray of bool, shape ``shape``
        As many False entries as :func:`magnitude_prune_mask` would give.
    """
    size = int(np.prod(shape))
    k = _pruned_count(fraction, size, "random_prune_mask")
    rng = np.random.default_rng(rng)
    keep = np.ones(size, dtype=bool)
    keep[rng.permutation(size)[:k]] = False
    return keep.reshape(shape)


# --- random features and the minimum-norm fit -------------------------------------------

def relu_features(X, W, b):
    """Random ReLU features: a hidden layer whose weights are drawn once and never trained.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    W : ndarray, shape (D, P)
    b : ndarray, shape (P,)

    Returns
    -------
    ndarray, shape (N, P)
        ``max(0, X W + b)``.
    """
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    N, D = X.shape
    if W.ndim != 2 or W.shape[0] != D or b.shape != (W.shape[1],):
        raise ValueError(f"relu_features: expected W ({D}, P) and b (P,) for X {X.shape}, "
                         f"got W {W.shape} and b {b.shape}")
    return np.maximum(X @ W + b, 0.0)


def min_norm_fit(Phi, Y):
    """Least-squares weights of the smallest norm: ``beta = pinv(Phi) @ Y``.

    Parameters
    ----------
    Phi : ndarray, shape (N, P)
        Features of the N training samples.
    Y : ndarray, shape (N,) or (N, C)
        Targets (C columns for one-hot classes).

    Returns
    -------
    beta : ndarray, shape (P,) or (P, C)

    Notes
    -----
    With the thin SVD ``Phi = U diag(s) V^T``, ``beta = V diag(1/s) U^T Y``,
    keeping the singular values above ``max(N, P) · eps · s_max``.

    * P < N (fewer features than samples): the ordinary least-squares fit,
      ``(Phi^T Phi)^-1 Phi^T Y``.
    * P >= N: one of infinitely many exact fits (``Phi beta = Y``); this one has
      the smallest ``||beta||``, ``Phi^T (Phi Phi^T)^-1 Y``.

    Near P = N the smallest singular value is close to 0, its ``1/s`` is huge,
    and so is beta: the peak of double descent (seed 003 gap slide 2: 二重降下).
    """
    Phi, Y = np.asarray(Phi, dtype=float), np.asarray(Y, dtype=float)
    N, P = Phi.shape
    if Y.shape[0] != N or Y.ndim > 2:
        raise ValueError(f"min_norm_fit: expected Y of shape ({N},) or ({N}, C), got {Y.shape}")
    U, s, Vt = np.linalg.svd(Phi, full_matrices=False)         # U (N, K), s (K,), Vt (K, P), K = min(N, P)
    r = int(np.sum(s > max(N, P) * np.finfo(float).eps * (s[0] if s.size else 0.0)))
    coef = U[:, :r].T @ Y                                      # (r,) or (r, C)
    coef = coef / (s[:r, None] if Y.ndim == 2 else s[:r])
    return Vt[:r].T @ coef


# --- the loss landscape -------------------------------------------------------------------

def interpolate(params_a, params_b, alpha):
    """Parameters on the line through two solutions: ``(1 - alpha) a + alpha b``.

    Parameters
    ----------
    params_a, params_b : list of ndarray
        Two parameter lists of the same shapes (e.g. ``model.params``).
    alpha : float
        0 gives a, 1 gives b; outside [0, 1] extrapolates beyond them.

    Returns
    -------
    list of ndarray
        New arrays, the same shapes.
    """
    if len(params_a) != len(params_b):
        raise ValueError(f"interpolate: expected two lists of the same length, got {len(params_a)} and {len(params_b)}")
    out = []
    for a, b in zip(params_a, params_b):
        if np.shape(a) != np.shape(b):
            raise ValueError(f"interpolate: shapes differ, {np.shape(a)} and {np.shape(b)}")
        out.append((1.0 - alpha) * np.asarray(a, dtype=float) + alpha * np.asarray(b, dtype=float))
    return out


def random_direction(params, rng=None):
    """A random direction in parameter space, scaled unit by unit like the weights.

    Parameters
    ----------
    params : list of ndarray
        Weight matrices (D, H) and bias vectors (H,).
    rng : numpy.random.Generator or int or None

    Returns
    -------
    list of ndarray
        Same shapes. Each column j of a weight matrix's direction has the norm
        of column j of the weights (the incoming weights of unit j); biases get
        0.

    Notes
    -----
    "Filter normalisation" (Li et al., 2018): a ReLU net computes the same
    function when one unit's incoming weights are scaled by c and its outgoing
    weights by 1/c, so a plain random step of a fixed size would mean different
    things for different solutions. Scaling the step to each unit's weights
    makes the width of minima comparable.
    """
    rng = np.random.default_rng(rng)
    out = []
    for p in params:
        p = np.asarray(p, dtype=float)
        if p.ndim < 2:
            out.append(np.zeros_like(p))
            continue
        d = rng.standard_normal(p.shape)
        d *= np.linalg.norm(p, axis=0, keepdims=True) / (np.linalg.norm(d, axis=0, keepdims=True) + 1e-12)
        out.append(d)
    return out
