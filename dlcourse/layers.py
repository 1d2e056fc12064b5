"""Layers with a forward and a backward pass: the building blocks of every network.

Chapter 07 introduces them as nodes of a computational graph (Affine,
Sigmoid, ReLU, SoftmaxWithLoss); chapter 08 adds Tanh and LeakyReLU,
chapter 10 Dropout and chapter 12 BatchNorm. Models (``dlcourse.models``)
stack them.

Every layer follows the contract in DESIGN.md:

* ``params``: list of arrays the optimiser updates in place, and ``grads``:
  list of arrays of the same shapes and order, filled in place by ``backward``
  (so an optimiser may hold on to both lists);
* ``forward(...)`` computes the output and keeps what ``backward`` needs;
* ``backward(dout)`` returns the gradient with respect to the forward input.
  It never writes into ``dout`` or into the cached input.
* ``Dropout`` and ``BatchNorm`` behave differently while training, so their
  ``forward`` takes ``train``.

Layers keep the dtype they are given: float32 in, float32 out (integer
inputs are computed in float64). Gradient checks use float64.

Seeds: 001 §7.2 (backpropagation), 000 p.20-22 and p.28 (backprop, dropout),
003 §9.3.3 and §9.4 (dropout, batch normalisation).
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F

__all__ = [
    "Affine", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Dropout", "BatchNorm",
    "SoftmaxWithLoss", "MSELoss", "ACTIVATION_LAYERS", "get_activation_layer",
]


# --- helpers (bookkeeping, kept out of the maths) -------------------------------

def _as_float(x):
    """``x`` as an ndarray; integer or boolean arrays become float64, floats keep their dtype."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _check_shape(where, name, arr, expected):
    """Raise ValueError unless ``arr.shape == expected``; the message shows both shapes."""
    if arr.shape != tuple(expected):
        raise ValueError(f"{where}: expected {name} of shape {tuple(expected)}, got {arr.shape}")


def _labels(where, t, C):
    """Class labels t (N,) as int64, checked to be whole numbers in 0..C-1."""
    whole = np.issubdtype(t.dtype, np.integer) or (
        np.issubdtype(t.dtype, np.floating) and np.all(np.mod(t, 1) == 0))
    if not whole or (t.size and (t.min() < 0 or t.max() >= C)):
        got = f"values {t.min()}..{t.max()}" if t.size and whole else f"dtype {t.dtype}"
        raise ValueError(f"{where}: expected integer labels t in 0..{C - 1}, got {got}")
    return t.astype(np.int64)


def _check_dout(where, dout, shape):
    """Upstream gradient as a float array of the forward output's shape."""
    dout = _as_float(dout)
    _check_shape(where, "dout (the shape of the forward output)", dout, shape)
    return dout


# --- the dense layer --------------------------------------------------------------

class Affine:
    """Fully connected layer: out = x W + b.

    Parameters
    ----------
    W : ndarray, shape (D, H)
        Weights; kept by reference and updated in place by an optimiser.
    b : ndarray, shape (H,)
        Biases.

    Notes
    -----
    Forward: ``out = x @ W + b``. Backward, for the upstream gradient
    ``dout`` of shape (N, H)::

        dx = dout @ W.T      (N, D)
        dW = x.T @ dout      (D, H)
        db = sum_n dout      (H,)

    An input of shape (N, d1, d2, ...) is flattened to (N, D) with
    D = d1·d2·..., and ``dx`` gets the input's shape back (used after
    convolutions). Seed 001 §7.2; seed 002 p.38-46 (matrix products).
    """

    def __init__(self, W, b):
        W, b = _as_float(W), _as_float(b)
        if W.ndim != 2:
            raise ValueError(f"Affine: expected W of shape (D, H), got {W.shape}")
        _check_shape("Affine", "b", b, (W.shape[1],))
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None          # (N, D), the flattened input
        self.x_shape = None    # the input's original shape

    def forward(self, x):
        """Compute ``x W + b``.

        Parameters
        ----------
        x : ndarray, shape (N, D) or (N, d1, d2, ...) with d1·d2·... = D

        Returns
        -------
        ndarray, shape (N, H)
        """
        x = _as_float(x)
        W, b = self.params
        D, H = W.shape
        if x.ndim < 2 or int(np.prod(x.shape[1:])) != D:
            raise ValueError(f"Affine.forward: expected x of shape (N, {D}) "
                             f"(or (N, ...) with {D} features), got {x.shape}")
        self.x_shape = x.shape
        self.x = x.reshape(x.shape[0], D)  # (N, d1, d2, ...) -> (N, D)
        return self.x @ W + b

    def backward(self, dout):
        """Gradients of the loss with respect to x, W and b.

        Parameters
        ----------
        dout : ndarray, shape (N, H)

        Returns
        -------
        dx : ndarray, shape of the forward input
            ``dW`` (D, H) and ``db`` (H,) go into ``grads``.
        """
        W, _ = self.params
        dout = _check_dout("Affine.backward", dout, (self.x.shape[0], W.shape[1]))
        dx = dout @ W.T
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.sum(dout, axis=0)
        return dx.reshape(self.x_shape)


# --- activation layers ----------------------------------------------------------

class Sigmoid:
    """Elementwise logistic sigmoid, out = 1 / (1 + exp(-x)).

    Notes
    -----
    ``dx = dout * out * (1 - out)``: the backward pass needs only the
    forward output, which the layer keeps. Seed 000 p.18, seed 001 §7.2.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x: any shape -> out: same shape, values in (0, 1)."""
        x = _as_float(x)
        self.out = F.sigmoid(x)
        return self.out

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = _check_dout("Sigmoid.backward", dout, self.out.shape)
        return dout * self.out * (1.0 - self.out)


class Tanh:
    """Elementwise hyperbolic tangent, out = tanh(x).

    Notes
    -----
    ``dx = dout * (1 - out**2)``, again from the forward output alone.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x: any shape -> out: same shape, values in (-1, 1)."""
        x = _as_float(x)
        self.out = F.tanh(x)
        return self.out

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = _check_dout("Tanh.backward", dout, self.out.shape)
        return dout * (1.0 - self.out ** 2)


class ReLU:
    """Elementwise rectified linear unit, out = max(0, x).

    Notes
    -----
    ``dx = dout`` where ``x > 0`` and 0 elsewhere (0 at the kink x = 0).
    The textbook writes ``dout[mask] = 0``, which edits the caller's
    array; here ``np.where`` builds a new one.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.positive = None   # boolean mask, x > 0

    def forward(self, x):
        """x: any shape -> out: same shape."""
        x = _as_float(x)
        self.positive = x > 0
        return F.relu(x)

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape (a new array)."""
        dout = _check_dout("ReLU.backward", dout, self.positive.shape)
        return np.where(self.positive, dout, 0)


class LeakyReLU:
    """Elementwise leaky ReLU, out = x for x > 0 and alpha·x otherwise.

    Parameters
    ----------
    alpha : float
        Slope for negative inputs (default 0.01), so no unit is ever
        completely switched off.

    Notes
    -----
    ``dx = dout`` where ``x > 0`` and ``alpha · dout`` elsewhere.
    """

    def __init__(self, alpha=0.01):
        self.alpha = float(alpha)
        self.params, self.grads = [], []
        self.positive = None

    def forward(self, x):
        """x: any shape -> out: same shape."""
        x = _as_float(x)
        self.positive = x > 0
        return F.leaky_relu(x, self.alpha)

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = _check_dout("LeakyReLU.backward", dout, self.positive.shape)
        return np.where(self.positive, dout, self.alpha * dout)


ACTIVATION_LAYERS = {F.sigmoid: Sigmoid, F.tanh: Tanh, F.relu: ReLU, F.leaky_relu: LeakyReLU}
"""Activation function in ``dlcourse.functions`` -> the layer class that computes it."""


def get_activation_layer(name):
    """A new activation layer by name: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"leaky_relu"``.

    Names are read as :func:`dlcourse.functions.get_activation` reads them
    (case-insensitive, ``"leaky relu"`` works). ``"step"`` and ``"identity"``
    have no layer: the step's gradient is zero, and a linear activation adds
    nothing to a network (chapter 02).

    Raises
    ------
    ValueError
        For any other name; the message lists the valid ones.
    """
    try:
        h, _ = F.get_activation(name)
    except ValueError:
        h = None
    if h not in ACTIVATION_LAYERS:
        valid = ", ".join(f.__name__ for f in ACTIVATION_LAYERS)
        raise ValueError(f"unknown activation {name!r} for a layer; expected one of {valid}")
    return ACTIVATION_LAYERS[h]()


# --- layers that behave differently in training --------------------------------

class Dropout:
    """Randomly switch off units while training.

    Parameters
    ----------
    p : float
        Probability of dropping each unit, 0 <= p < 1 (the slides use 0.5).
    mode : {"inverted", "scale_at_test"}
        ``"inverted"`` (default): in training, scale the kept units by
        1/(1-p); at test time the layer is the identity. ``"scale_at_test"``
        (the slides' version): in training only drop; at test time multiply
        every unit by the keep rate (1-p).
    rng : numpy.random.Generator or int or None
        Source of the masks, or a seed for one. The global ``np.random`` is
        never used.

    Notes
    -----
    With a mask m of independent Bernoulli(1-p) entries (1 = keep)::

        inverted       train: out = x * m / (1-p)    test: out = x
        scale_at_test  train: out = x * m            test: out = (1-p) x

    In both modes the expected training output equals the test output,
    and the backward pass multiplies ``dout`` by the same factors (mask and
    scale) as the forward pass. The two modes differ only by the constant
    factor 1-p, which the next layer's weights absorb (chapter 10).
    Seed 000 p.28, seed 003 §9.3.3.
    """

    MODES = ("inverted", "scale_at_test")

    def __init__(self, p=0.5, mode="inverted", rng=None):
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: expected a drop probability p with 0 <= p < 1, got {p}")
        if mode not in self.MODES:
            raise ValueError(f"Dropout: unknown mode {mode!r}; expected one of {', '.join(self.MODES)}")
        self.p, self.mode = float(p), mode
        self.rng = np.random.default_rng(rng)
        self.params, self.grads = [], []
        self.mask = None       # boolean, True = kept; None after a test-mode forward
        self.scale = 1.0       # the constant factor of the last forward
        self.shape = None

    def forward(self, x, train=True):
        """x: any shape -> out: same shape.

        Parameters
        ----------
        x : ndarray, any shape
        train : bool
            Draw a new mask (True) or apply the test-time rule (False).
        """
        x = _as_float(x)
        keep = 1.0 - self.p
        inverted = self.mode == "inverted"
        self.shape = x.shape
        if train:
            self.mask = self.rng.random(x.shape) < keep
            self.scale = 1.0 / keep if inverted else 1.0
            return x * self.mask * self.scale
        self.mask = None
        self.scale = 1.0 if inverted else keep
        return x * self.scale

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = _check_dout("Dropout.backward", dout, self.shape)
        dx = dout * self.scale
        return dx if self.mask is None else dx * self.mask


class BatchNorm:
    """Batch normalisation of each feature over the batch, then scale and shift.

    Parameters
    ----------
    gamma : ndarray, shape (D,)
        Scale (usually ones).
    beta : ndarray, shape (D,)
        Shift (usually zeros).
    momentum : float
        Weight of the old value in the running averages (0.9).
    eps : float
        Added to the variance before the square root (1e-5).

    Attributes
    ----------
    running_mean, running_var : ndarray, shape (D,)
        Used instead of the batch statistics when ``train=False``.

    Notes
    -----
    In training, with the batch mean μ and the (biased, 1/N) variance σ²::

        xn  = (x - μ) / sqrt(σ² + eps)
        out = gamma * xn + beta
        running = momentum * running + (1 - momentum) * batch statistic

    Backward in training (μ and σ² depend on x)::

        dxn = dout * gamma
        dx  = (dxn - mean_n(dxn) - xn * mean_n(dxn * xn)) / sqrt(σ² + eps)

    In test mode μ and σ² are the running constants, so dx = dxn / sqrt(σ² + eps).
    dgamma = sum_n dout * xn and dbeta = sum_n dout in both modes.
    Ioffe & Szegedy (2015); seed 003 §9.4.
    """

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        gamma, beta = _as_float(gamma), _as_float(beta)
        if gamma.ndim != 1:
            raise ValueError(f"BatchNorm: expected gamma of shape (D,), got {gamma.shape}")
        _check_shape("BatchNorm", "beta", beta, gamma.shape)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNorm: expected 0 <= momentum <= 1, got {momentum}")
        if eps <= 0:
            raise ValueError(f"BatchNorm: expected eps > 0, got {eps}")
        self.momentum, self.eps = float(momentum), float(eps)
        self.params = [gamma, beta]
        self.grads = [np.zeros_like(gamma), np.zeros_like(beta)]
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)
        self.xn = self.std = None
        self.train = None

    def forward(self, x, train=True):
        """Normalise x feature by feature.

        Parameters
        ----------
        x : ndarray, shape (N, D)
        train : bool
            Use the batch statistics and update the running ones (True), or
            use the running ones (False).

        Returns
        -------
        ndarray, shape (N, D)
        """
        x = _as_float(x)
        gamma, beta = self.params
        if x.ndim != 2 or x.shape[1] != gamma.shape[0]:
            raise ValueError(f"BatchNorm.forward: expected x of shape (N, {gamma.shape[0]}), got {x.shape}")
        if train:
            mu, var = x.mean(axis=0), x.var(axis=0)          # (D,) each
            m = self.momentum
            self.running_mean[...] = m * self.running_mean + (1 - m) * mu
            self.running_var[...] = m * self.running_var + (1 - m) * var
        else:
            mu, var = self.running_mean, self.running_var
        self.train = train
        self.std = np.sqrt(var + self.eps)
        self.xn = (x - mu) / self.std
        return gamma * self.xn + beta

    def backward(self, dout):
        """dout: (N, D) -> dx: (N, D); dgamma, dbeta (D,) go into ``grads``."""
        dout = _check_dout("BatchNorm.backward", dout, self.xn.shape)
        gamma, _ = self.params
        dxn = dout * gamma
        self.grads[0][...] = np.sum(dout * self.xn, axis=0)
        self.grads[1][...] = np.sum(dout, axis=0)
        if not self.train:
            return dxn / self.std
        return (dxn - dxn.mean(axis=0) - self.xn * np.mean(dxn * self.xn, axis=0)) / self.std


# --- loss layers ---------------------------------------------------------------------

class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy loss, averaged over the batch.

    Notes
    -----
    With y = softmax(x) and one-hot targets t (labels are turned into
    one-hot vectors)::

        loss = -(1/N) sum_n sum_c t[n, c] log y[n, c]
        dx   = dout * (y - t) / N

    The simple gradient y - t is why softmax and cross-entropy are one
    layer. It holds when each row of t sums to 1 (one-hot, or soft targets).
    Seed 002 p.34-35 and p.53; seed 001 §7.2.2.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.y = self.t = None

    def forward(self, x, t):
        """Mean cross-entropy of softmax(x) against t.

        Parameters
        ----------
        x : ndarray, shape (N, C)
            Scores (logits).
        t : ndarray, int labels of shape (N,) with values in 0..C-1, or one-hot (N, C)

        Returns
        -------
        numpy float64 scalar
            The loss, shape ().
        """
        x = _as_float(x)
        if x.ndim != 2:
            raise ValueError(f"SoftmaxWithLoss.forward: expected x of shape (N, C), got {x.shape}")
        N, C = x.shape
        t = np.asarray(t)
        if t.shape == (N,):
            t = np.eye(C, dtype=x.dtype)[_labels("SoftmaxWithLoss.forward", t, C)]  # one-hot (N, C)
        elif t.shape != (N, C):
            raise ValueError(f"SoftmaxWithLoss.forward: expected t of shape ({N},) (labels) "
                             f"or ({N}, {C}) (one-hot) for x of shape {x.shape}, got {t.shape}")
        self.y = F.softmax(x)
        self.t = t
        return np.float64(F.cross_entropy_error(self.y, t))

    def backward(self, dout=1.0):
        """dout: scalar (the loss's upstream gradient, 1 by default) -> dx: (N, C)."""
        dout = _check_dout("SoftmaxWithLoss.backward", dout, ())
        N, C = self.y.shape
        return (dout * (self.y - self.t) / N).astype(self.y.dtype, copy=False)


class MSELoss:
    """Squared error averaged over the batch: loss = 0.5 * sum (y - t)² / N.

    Notes
    -----
    ``functions.mean_squared_error`` sums over the whole batch (as in the
    slides). As a layer we divide by the batch size N, so the loss and its
    gradient do not grow with the batch and a learning rate works for any
    batch size (the same choice as SoftmaxWithLoss)::

        loss = 0.5 * sum_{n,k} (y[n, k] - t[n, k])² / N
        dy   = dout * (y - t) / N

    Used for regression and autoencoders (chapter 11); seed 001 §7.2.2.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.diff = None

    def forward(self, y, t):
        """Half the squared error per sample.

        Parameters
        ----------
        y : ndarray, shape (N, D) (or (N, ...))
            Predictions.
        t : ndarray, same shape as y
            Targets.

        Returns
        -------
        numpy float64 scalar
            The loss, shape ().
        """
        y, t = _as_float(y), _as_float(t)
        if y.ndim == 0:
            raise ValueError("MSELoss.forward: expected y of shape (N, D), got a scalar")
        _check_shape("MSELoss.forward", "t (the shape of y)", t, y.shape)
        N = y.shape[0]
        self.diff = y - t
        return np.float64(0.5 * np.sum(self.diff ** 2) / N)

    def backward(self, dout=1.0):
        """dout: scalar (1 by default) -> dy: shape of y."""
        dout = _check_dout("MSELoss.backward", dout, ())
        N = self.diff.shape[0]
        return (dout * self.diff / N).astype(self.diff.dtype, copy=False)
