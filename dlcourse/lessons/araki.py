"""Backpropagation exactly as Araki derives it: sigmoid units, squared error, per-sample updates.

Chapter 07 starts here, before the layer classes of :mod:`dlcourse.layers`.
The names follow the slides (seed 001 §7.2.2-7.2.3) so that every line can
be read next to its formula:

==========  ===========================================================
``g[k]``    outputs of the units of layer k for one sample p (``g[0]`` = the input x_p)
``h[k]``    their weighted sums, ``h_jp = sum_i w_ij g_ip``
``w[k]``    weights from layer k to layer k+1, ``w[k][i, j] = w_ij``
``eps[k]``  the error terms ε_jp of layer k+1
``b``       the training signal (教師信号) b_lp of the output layer
``rho``     the learning coefficient ρ (学習係数)
==========  ===========================================================

**The bias is a weight from a unit whose output is always 1.** Row 0 of
every ``w[k]`` holds the weights from that constant unit (Araki's d+1
dimensional vectors, x_0 = 1), so ``w[k]`` has shape ``(n_k + 1, n_{k+1})``
and the update rule needs no special case for it: its ``g_ip`` is 1.

Shapes, for layer sizes ``sizes = [D, H, ..., C]``:

* a sample ``x``: (D,), its training signal ``b``: (C,);
* ``g[k]``: (n_k,), ``eps[k]``: (n_{k+1},), ``w[k]``: (n_k + 1, n_{k+1});
* a data set ``X``: (N, D), its signals ``B``: (N, C).

The formulas, for one sample p::

    J_p   = 1/2 sum_l (g_lp - b_lp)^2                       (output units l)
    ε_jp  = (g_jp - b_jp) g_jp (1 - g_jp)                   output layer
    ε_jp  = (sum_k ε_kp w_jk) g_jp (1 - g_jp)               hidden layer (k: the layer above)
    w_ij <- w_ij - rho ε_jp g_ip

The ε of a layer needs the ε of the layer above and that layer's weights
*before* they are updated, so every ε is computed first (from the output
layer down), then every weight is updated.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "f", "init_weights", "with_bias", "forward", "epsilons", "update", "araki_step",
    "predict", "squared_error", "train", "to_layers",
]


def f(h):
    """The sigmoid activation f(h) = 1 / (1 + e^(-h)), elementwise; its derivative is f (1 - f).

    Written directly (about four times faster than ``functions.sigmoid`` on
    the tiny vectors of a per-sample step). ``h`` is floored at -700 so that
    e^(-h) cannot overflow; f(-700) ≈ 1e-304 is 0 for every purpose here.
    """
    return 1.0 / (1.0 + np.exp(-np.maximum(h, -700.0)))


def init_weights(sizes, rng=None, scale=0.5):
    """Small random initial weights (step 1 of the algorithm).

    Parameters
    ----------
    sizes : sequence of int
        ``[D, H1, ..., C]``: units per layer, input first, at least two.
    rng : numpy.random.Generator or int or None
        Source of the weights.
    scale : float
        Weights are drawn uniformly from ``[-scale, scale]``.

    Returns
    -------
    list of ndarray
        ``w[k]`` of shape ``(sizes[k] + 1, sizes[k + 1])``; row 0 is the bias.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"init_weights: expected sizes [D, ..., C] with at least two positive "
                         f"entries, got {sizes}")
    if not scale > 0:
        raise ValueError(f"init_weights: expected scale > 0, got {scale}")
    rng = np.random.default_rng(rng)
    return [rng.uniform(-scale, scale, size=(n_in + 1, n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


_ONE = np.ones(1)


def with_bias(g):
    """Prepend the constant-1 unit: g (n,) -> (n + 1,), or a batch (N, n) -> (N, n + 1)."""
    g = np.asarray(g)
    if g.ndim == 1:
        return np.concatenate((_ONE, g))
    return np.concatenate((np.ones((g.shape[0], 1)), g), axis=1)


def _check_sample(w, x, b=None):
    D, C = w[0].shape[0] - 1, w[-1].shape[1]
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (D,):
        raise ValueError(f"expected one sample x of shape ({D},), got {x.shape}")
    if b is None:
        return x
    b = np.asarray(b, dtype=np.float64)
    if b.shape != (C,):
        raise ValueError(f"expected a training signal b of shape ({C},), got {b.shape}")
    return x, b


def forward(w, x):
    """Outputs of every layer for one sample.

    Parameters
    ----------
    w : list of ndarray
        ``w[k]`` of shape (n_k + 1, n_{k+1}).
    x : ndarray, shape (D,)

    Returns
    -------
    h : list of ndarray
        ``h[k]`` (n_{k+1},): weighted sums ``h_jp = sum_i w_ij g_ip`` of layer k+1.
    g : list of ndarray
        ``g[0] = x``; ``g[k + 1] = f(h[k])`` with the sigmoid f.
    """
    return _forward(w, _check_sample(w, x))


def _forward(w, x):
    g = [x]
    h = []
    for w_k in w:
        h.append(with_bias(g[-1]) @ w_k)     # h_jp = sum_i w_ij g_ip, i = 0 is the constant 1
        g.append(f(h[-1]))                   # g_jp = f(h_jp)
    return h, g


def epsilons(w, g, b):
    """The error terms ε of every layer, from the output layer down.

    Parameters
    ----------
    w : list of ndarray
        The weights *before* this sample's update.
    g : list of ndarray
        From :func:`forward`: ``g[0]`` = x (D,), ..., ``g[-1]`` the outputs (C,).
    b : ndarray, shape (C,)
        The training signal.

    Returns
    -------
    list of ndarray
        ``eps[k]`` of shape (n_{k+1},): the ε_jp of the units fed by ``w[k]``.

    Notes
    -----
    ``eps_out = (g - b) g (1 - g)``; for a hidden layer
    ``eps_j = (sum_k eps_k w_jk) g_j (1 - g_j)``, where the sum runs over
    the units k of the layer above and skips the bias row (nothing feeds the
    constant unit). ``g (1 - g)`` is the sigmoid's derivative f'(h).
    """
    eps = [None] * len(w)
    eps[-1] = (g[-1] - b) * g[-1] * (1 - g[-1])
    for k in range(len(w) - 2, -1, -1):          # hidden layers, top down
        back = w[k + 1][1:] @ eps[k + 1]         # sum_k eps_kp w_jk; row 0 (bias) skipped
        eps[k] = back * g[k + 1] * (1 - g[k + 1])
    return eps


def update(w, g, eps, rho):
    """``w_ij <- w_ij - rho eps_jp g_ip`` for every layer, in place.

    Parameters
    ----------
    w : list of ndarray, updated in place
    g : list of ndarray
        Layer outputs from :func:`forward`; ``g[k]`` with the constant 1
        prepended is the g_ip feeding ``w[k]``.
    eps : list of ndarray
        From :func:`epsilons`.
    rho : float
        Learning coefficient.
    """
    for w_k, g_k, eps_k in zip(w, g, eps):
        w_k -= rho * np.outer(with_bias(g_k), eps_k)   # (n_k + 1, n_{k+1})


def araki_step(w, x, b, rho):
    """One per-sample step of the algorithm: forward, ε from the output down, update.

    Parameters
    ----------
    w : list of ndarray, updated in place
    x : ndarray, shape (D,)
    b : ndarray, shape (C,)
    rho : float

    Returns
    -------
    float
        J_p = 1/2 sum_l (g_lp - b_lp)^2, measured *before* the update.
    """
    x, b = _check_sample(w, x, b)
    return _step(w, x, b, rho)


def _step(w, x, b, rho):
    """:func:`araki_step` without the argument checks (the training loop's inner call)."""
    _, g = _forward(w, x)
    eps = epsilons(w, g, b)
    update(w, g, eps, rho)
    return 0.5 * float(np.sum((g[-1] - b) ** 2))


def predict(w, X):
    """Network outputs for a whole data set at once.

    Parameters
    ----------
    w : list of ndarray
    X : ndarray, shape (N, D)

    Returns
    -------
    ndarray, shape (N, C)
    """
    g = np.asarray(X, dtype=np.float64)
    for w_k in w:
        g = f(with_bias(g) @ w_k)                # (N, n_{k+1})
    return g


def squared_error(w, X, B):
    """J = sum_p J_p = 1/2 sum_p sum_l (g_lp - b_lp)^2 over a data set X (N, D), B (N, C)."""
    return float(0.5 * np.sum((predict(w, X) - np.asarray(B, dtype=np.float64)) ** 2))


def train(w, X, B, rho=0.5, epochs=1000, rng=None):
    """Araki's stochastic gradient descent: shuffle each epoch, then one step per sample.

    Parameters
    ----------
    w : list of ndarray, trained in place
        From :func:`init_weights`.
    X : ndarray, shape (N, D)
    B : ndarray, shape (N, C)
        Training signals (0/1 for sigmoid outputs).
    rho : float
        Learning coefficient ρ.
    epochs : int
        Passes over the data.
    rng : numpy.random.Generator or int or None
        Shuffles the order of the samples at the start of every epoch.

    Returns
    -------
    ndarray, shape (epochs + 1,)
        J = sum_p J_p on the whole set, before training and after each epoch.

    Notes
    -----
    The loop is written out rather than run by :func:`dlcourse.models.train`:
    chapter 07 teaches exactly this per-sample loop, in Araki's order (shuffle,
    then forward, ε and update for one sample at a time).
    """
    X = np.asarray(X, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if X.ndim != 2 or B.ndim != 2 or X.shape[0] != B.shape[0]:
        raise ValueError(f"train: expected X (N, D) and B (N, C) with the same N, "
                         f"got {X.shape} and {B.shape}")
    if int(epochs) != epochs or epochs < 0:
        raise ValueError(f"train: expected a whole number of epochs >= 0, got {epochs}")
    rng = np.random.default_rng(rng)
    losses = [squared_error(w, X, B)]
    for _ in range(int(epochs)):
        for p in rng.permutation(X.shape[0]):          # 2.1 shuffle
            _step(w, X[p], B[p], rho)                  # 2.2 forward, ε, update
        losses.append(squared_error(w, X, B))
    return np.array(losses)


def to_layers(w):
    """The same network as :mod:`dlcourse.layers` objects, sharing no memory with ``w``.

    ``Affine(W, b)`` computes ``x W + b``: W is ``w[k][1:]`` (the real
    inputs) and b is ``w[k][0]`` (the weights from the constant-1 unit).

    Returns
    -------
    list of layers
        ``[Affine, Sigmoid, Affine, Sigmoid, ...]``; add ``layers.MSELoss``
        for the squared error (with a batch of one sample it equals J_p).
    """
    from dlcourse import layers as L

    net = []
    for w_k in w:
        net += [L.Affine(w_k[1:].copy(), w_k[0].copy()), L.Sigmoid()]
    return net
