"""How far back a plain tanh RNN's gradient reaches (chapter 13).

Backpropagation through time multiplies one Jacobian per step, so
``||dh_T / dh_(T-k)||`` shrinks or grows geometrically with the lag k,
depending on the spectral radius of the recurrent weights (seed 003 §9.5,
seed 004). :func:`random_rnn` draws an RNN whose ``Wh`` has a given spectral
radius and :func:`jacobian_norms` measures the norms along one sequence of
states. :mod:`dlcourse.experiments.rnn` averages them into the lesson's
curves; chapter 13's check grades a learner's ``jacobian_norms`` against this one.
"""
from __future__ import annotations

import numpy as np

__all__ = ["spectral_radius", "jacobian_norms", "random_rnn"]


def spectral_radius(W):
    """The largest |eigenvalue| of a square matrix W (H, H), a float."""
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def jacobian_norms(hs, Wh):
    """Spectral norms of ∂h_{T-1}/∂h_{T-1-k} for k = 0..T-1, for one sequence of a tanh RNN.

    Parameters
    ----------
    hs : ndarray, shape (T, H)
        The states h_0..h_{T-1} of ``h_t = tanh(x_t Wx + h_{t-1} Wh + b)``.
    Wh : ndarray, shape (H, H)

    Returns
    -------
    ndarray, shape (T,)
        ``norms[k] = ||J_{T-1} J_{T-2} ... J_{T-k}||_2`` (``norms[0] = 1``), with
        ``J_t = ∂h_t/∂h_{t-1} = diag(1 − h_t²) Whᵀ``.

    Notes
    -----
    Row vectors: ``h_t[i]`` depends on ``h_{t-1}[j]`` through ``Wh[j, i]``, so the
    Jacobian is ``Whᵀ`` with row i scaled by tanh's slope ``1 − h_t[i]²``. BPTT
    multiplies a gradient by these Jacobians, one per step back.
    """
    hs = np.asarray(hs, dtype=np.float64)
    T, H = hs.shape
    M = np.eye(H)
    norms = np.ones(T)
    for k in range(1, T):
        M = M @ ((1 - hs[T - k] ** 2)[:, None] * Wh.T)
        norms[k] = np.linalg.norm(M, 2)
    return norms


def random_rnn(H, D, radius, rng):
    """Weights of a tanh RNN whose recurrent matrix has spectral radius ``radius``.

    ``Wx`` is Xavier-scaled (std 1/√D), ``Wh`` Gaussian rescaled so that its
    largest |eigenvalue| is ``radius``, ``b`` zero.

    Returns
    -------
    Wx (D, H), Wh (H, H), b (H,)
    """
    rng = np.random.default_rng(rng)
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H))
    Wh *= radius / spectral_radius(Wh)
    return Wx, Wh, np.zeros(H)
