"""Layers with a forward and a backward pass: the building blocks of every network.

Chapter 07 introduces them as nodes of a computational graph (Affine,
Sigmoid, ReLU, SoftmaxWithLoss); chapter 08 adds Tanh, LeakyReLU and the
Residual block, chapter 10 Dropout and chapter 12 BatchNorm. ``Linear`` (the
dense map over the last axis of any array, which ``Affine`` and
``rnn.TimeAffine`` specialise) and ``LayerNorm`` serve the Transformer of
chapter 16. ``Sequential`` chains layers (``dlcourse.models`` builds its
models on it); this module imports ``functions`` and ``validation`` only,
never ``models``.

Every layer follows the contract in DESIGN.md:

* ``params``: list of arrays the optimiser updates in place, and ``grads``:
  list of arrays of the same shapes and order, filled in place by ``backward``
  (so an optimiser may hold on to both lists);
* ``forward(...)`` computes the output and keeps what ``backward`` needs;
* ``backward(dout)`` returns the gradient with respect to the forward input.
  It never writes into ``dout`` or into the cached input.
* ``Dropout`` and ``BatchNorm`` behave differently while training, so their
  ``forward`` takes ``train`` (and ``Residual`` hands it on to its inner layers).

Layers keep the dtype they are given: float32 in, float32 out (integer
inputs are computed in float64). Gradient checks use float64.

Seeds: 001 §7.2 (backpropagation), 000 p.20-22 and p.28 (backprop, dropout),
003 §9.3.3 and §9.4 (dropout, batch normalisation).
"""
from __future__ import annotations

import inspect
import math

import numpy as np

from dlcourse import functions as F
from dlcourse.validation import (
    as_float, check_choice, check_dout, check_labels, check_positive, check_range, check_shape,
)

__all__ = [
    "Linear", "Affine", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Dropout", "BatchNorm", "LayerNorm",
    "Sequential", "Residual", "SoftmaxWithLoss", "MSELoss", "ACTIVATION_LAYERS", "get_activation_layer",
]


# --- dense layers -------------------------------------------------------------------

class Linear:
    """Dense layer on the last axis: out = x W + b, for x (N, ..., D) -> (N, ..., H).

    Parameters
    ----------
    W : ndarray, shape (D, H)
        Weights; kept by reference and updated in place by an optimiser.
    b : ndarray, shape (H,)
        Biases.

    Notes
    -----
    Every position of ``x`` (every row, every time step, every token) goes
    through the same map. Backward, for the upstream gradient ``dout``
    (N, ..., H)::

        dx = dout @ W.T                       (N, ..., D)
        dW = sum over positions of x.T @ dout (D, H)
        db = sum over positions of dout       (H,)

    dW and db are one matrix product and one sum over the positions laid
    out as rows, (positions, D) and (positions, H). The Transformer
    (chapter 16) uses this layer as it is; :class:`Affine` and
    :class:`dlcourse.rnn.TimeAffine` are the same layer with their input
    first laid out as rows (see ``_rows``). Seed 001 §7.2; seed 002 p.38-46.
    """

    def __init__(self, W, b):
        W, b = as_float(W), as_float(b)
        name = type(self).__name__
        if W.ndim != 2:
            raise ValueError(f"{name}: expected W of shape (D, H), got {W.shape}")
        check_shape(name, "b", b, (W.shape[1],))
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None          # the input as the product saw it (see _rows)
        self.x_shape = None    # the input's own shape
        self.out_shape = None

    def _rows(self, x):
        """The input as the matrix product sees it, and the shape of the output.

        Linear multiplies ``x`` (N, ..., D) as it is (numpy's matmul, one
        product per leading index). Subclasses lay ``x`` out differently
        first: :class:`Affine` flattens (N, d1, d2, ...) to (N, D), and
        ``rnn.TimeAffine`` stacks the (N, T, D) steps into (N·T, D) rows for
        one large product. The layout only decides how the products are cut
        up; the maths is the same.
        """
        D, H = self.params[0].shape
        if x.ndim == 0 or x.shape[-1] != D:
            raise ValueError(f"{type(self).__name__}.forward: expected x of shape (..., {D}), got {x.shape}")
        return x, x.shape[:-1] + (H,)

    def forward(self, x):
        """Compute ``x W + b`` over the last axis.

        Parameters
        ----------
        x : ndarray, shape (N, ..., D)

        Returns
        -------
        ndarray, shape (N, ..., H)
        """
        x = as_float(x)
        W, b = self.params
        self.x_shape = x.shape
        self.x, self.out_shape = self._rows(x)
        return (self.x @ W + b).reshape(self.out_shape)

    def backward(self, dout):
        """Gradients of the loss with respect to x, W and b.

        Parameters
        ----------
        dout : ndarray, shape of the forward output

        Returns
        -------
        dx : ndarray, shape of the forward input
            ``dW`` (D, H) and ``db`` (H,) go into ``grads``.
        """
        W, _ = self.params
        D, H = W.shape
        dout = check_dout(f"{type(self).__name__}.backward", dout, self.out_shape)
        dout = dout.reshape(self.x.shape[:-1] + (H,))             # the product's layout
        d_rows = dout.reshape(-1, H)                               # every position is a row
        self.grads[0][...] = self.x.reshape(-1, D).T @ d_rows
        self.grads[1][...] = np.sum(d_rows, axis=0)
        return (dout @ W.T).reshape(self.x_shape)


class Affine(Linear):
    """Fully connected layer: out = x W + b, for x (N, D) -> (N, H).

    Parameters
    ----------
    W, b : ndarray, shapes (D, H) and (H,)
        Weights and biases, as for :class:`Linear`.

    Notes
    -----
    Forward: ``out = x @ W + b``. Backward, for the upstream gradient
    ``dout`` of shape (N, H)::

        dx = dout @ W.T      (N, D)
        dW = x.T @ dout      (D, H)
        db = sum_n dout      (H,)

    An input of shape (N, d1, d2, ...) is flattened to (N, D) with
    D = d1·d2·..., and ``dx`` gets the input's shape back (used after
    convolutions). The maths is :class:`Linear`'s.
    Seed 001 §7.2; seed 002 p.38-46 (matrix products).
    """

    def _rows(self, x):
        D, H = self.params[0].shape
        if x.ndim < 2 or math.prod(x.shape[1:]) != D:
            raise ValueError(f"Affine.forward: expected x of shape (N, {D}) "
                             f"(or (N, ...) with {D} features), got {x.shape}")
        return x.reshape(x.shape[0], D), (x.shape[0], H)         # (N, d1, d2, ...) -> (N, D)


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
        x = as_float(x)
        self.out = F.sigmoid(x)
        return self.out

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = check_dout("Sigmoid.backward", dout, self.out.shape)
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
        x = as_float(x)
        self.out = F.tanh(x)
        return self.out

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = check_dout("Tanh.backward", dout, self.out.shape)
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
        x = as_float(x)
        self.positive = x > 0
        return F.relu(x)

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape (a new array)."""
        dout = check_dout("ReLU.backward", dout, self.positive.shape)
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
        x = as_float(x)
        self.positive = x > 0
        return F.leaky_relu(x, self.alpha)

    def backward(self, dout):
        """dout: shape of the output -> dx: same shape."""
        dout = check_dout("LeakyReLU.backward", dout, self.positive.shape)
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
        check_choice("Dropout", "mode", mode, self.MODES)
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
        x = as_float(x)
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
        dout = check_dout("Dropout.backward", dout, self.shape)
        dx = dout * self.scale
        return dx if self.mask is None else dx * self.mask


class _Normalization:
    """What BatchNorm and LayerNorm share: normalise, scale and shift, and the backward.

    The two differ only in the axis the statistics are taken over: the
    batch (axis 0) for BatchNorm, the features of one position (the last
    axis) for LayerNorm. With the mean μ and the biased variance σ² over
    that axis::

        xn  = (x - μ) / sqrt(σ² + eps),   out = gamma * xn + beta

    and for the upstream gradient ``dout``, with dxn = dout * gamma::

        dx = (dxn - mean(dxn) - xn * mean(dxn * xn)) / sqrt(σ² + eps)   (μ, σ² depend on x)
        dx = dxn / sqrt(σ² + eps)                                        (μ, σ² constants)
        dgamma = sum of dout * xn,  dbeta = sum of dout                  (over every position)
    """

    def __init__(self, gamma, beta, eps):
        gamma, beta = as_float(gamma), as_float(beta)
        name = type(self).__name__
        if gamma.ndim != 1:
            raise ValueError(f"{name}: expected gamma of shape (D,), got {gamma.shape}")
        check_shape(name, "beta", beta, gamma.shape)
        check_positive(name, "eps", eps)
        self.eps = float(eps)
        self.params = [gamma, beta]
        self.grads = [np.zeros_like(gamma), np.zeros_like(beta)]
        self.xn = self.std = None

    def _normalise(self, x, mu, var):
        """gamma * xn + beta with xn = (x - mu) / sqrt(var + eps); keeps xn and the std."""
        gamma, beta = self.params
        self.std = np.sqrt(var + self.eps)
        self.xn = (x - mu) / self.std
        return gamma * self.xn + beta

    def _normalise_backward(self, dout, axis, through_statistics=True):
        """dx for dout of the output's shape; dgamma, dbeta (D,) go into ``grads``."""
        gamma, _ = self.params
        D = gamma.shape[0]
        dxn = dout * gamma
        self.grads[0][...] = np.sum((dout * self.xn).reshape(-1, D), axis=0)
        self.grads[1][...] = np.sum(dout.reshape(-1, D), axis=0)
        if not through_statistics:
            return dxn / self.std
        mean_dxn = dxn.mean(axis=axis, keepdims=True)
        mean_dxn_xn = np.mean(dxn * self.xn, axis=axis, keepdims=True)
        return (dxn - mean_dxn - self.xn * mean_dxn_xn) / self.std


class BatchNorm(_Normalization):
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
    :class:`LayerNorm` is the same maths over the other axis.
    Ioffe & Szegedy (2015); seed 003 §9.4.
    """

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        super().__init__(gamma, beta, eps)
        check_range("BatchNorm", "momentum", momentum, 0.0, 1.0, high_inclusive=True)
        self.momentum = float(momentum)
        gamma = self.params[0]
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)
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
        x = as_float(x)
        check_shape("BatchNorm.forward", "x", x, ("N", self.params[0].shape[0]))
        if train:
            mu, var = x.mean(axis=0), x.var(axis=0)          # (D,) each
            m = self.momentum
            self.running_mean[...] = m * self.running_mean + (1 - m) * mu
            self.running_var[...] = m * self.running_var + (1 - m) * var
        else:
            mu, var = self.running_mean, self.running_var
        self.train = train
        return self._normalise(x, mu, var)

    def backward(self, dout):
        """dout: (N, D) -> dx: (N, D); dgamma, dbeta (D,) go into ``grads``."""
        dout = check_dout("BatchNorm.backward", dout, self.xn.shape)
        return self._normalise_backward(dout, axis=0, through_statistics=self.train)


class LayerNorm(_Normalization):
    """Normalise each position's vector over its features, then scale and shift.

    Parameters
    ----------
    gamma, beta : ndarray, shape (D,)
        Scale and shift of every position (usually ones and zeros).
    eps : float
        Added to each position's variance before the square root (1e-5).

    Notes
    -----
    Unlike BatchNorm (chapter 12), the statistics are taken over the D
    features of one position, not over the batch, so training and test mode
    are the same and any batch size works. For x (N, ..., D)::

        xn  = (x − mean(x)) / sqrt(var(x) + eps)      over the last axis
        out = gamma ⊙ xn + beta
        dxn = dout ⊙ gamma
        dx  = (dxn − mean(dxn) − xn ⊙ mean(dxn ⊙ xn)) / sqrt(var(x) + eps)

    The Transformer of chapter 16 normalises with it. Ba, Kiros & Hinton (2016).
    """

    def __init__(self, gamma, beta, eps=1e-5):
        super().__init__(gamma, beta, eps)

    def forward(self, x):
        """x (N, ..., D) -> (N, ..., D)."""
        x = as_float(x)
        D = self.params[0].shape[0]
        if x.ndim == 0 or x.shape[-1] != D:
            raise ValueError(f"LayerNorm.forward: expected x of shape (..., {D}), got {x.shape}")
        return self._normalise(x, x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True))

    def backward(self, dout):
        """dout (N, ..., D) -> dx (N, ..., D); dgamma, dbeta (D,) go into ``grads``."""
        dout = check_dout("LayerNorm.backward", dout, self.xn.shape)
        return self._normalise_backward(dout, axis=-1)


# --- stacks of layers, and the skip connection ------------------------------------------

class Sequential:
    """Layers applied one after another.

    Parameters
    ----------
    layers : list of layer objects
        Each follows the layer contract (``params``, ``grads``, ``forward``,
        ``backward``).

    Notes
    -----
    ``forward`` passes ``train`` only to layers whose ``forward`` accepts it
    (Dropout, BatchNorm); ``backward`` runs the layers in reverse order.
    ``params`` and ``grads`` are the layers' lists joined in order; the
    arrays are the layers' own, so an optimiser updates the layers.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        self._takes_train = [
            "train" in inspect.signature(layer.forward).parameters for layer in self.layers
        ]

    @property
    def params(self):
        """Every layer's parameters, in layer order."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self):
        """Every layer's gradients, same order and shapes as ``params``."""
        return [g for layer in self.layers for g in layer.grads]

    def outputs(self, x, train=False, upto=None):
        """Each layer's output in turn, for the first layer's input ``x`` (a generator).

        ``upto`` stops after that many layers (all by default); chapter 12
        draws a CNN's feature maps this way.
        """
        for layer, takes_train in zip(self.layers[:upto], self._takes_train):
            x = layer.forward(x, train=train) if takes_train else layer.forward(x)
            yield x

    def forward(self, x, train=False):
        """x: the first layer's input, e.g. (N, D) -> the last layer's output."""
        for x in self.outputs(x, train):
            pass
        return x

    def backward(self, dout):
        """dout: gradient of the output -> dx: gradient of the input; fills ``grads``."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def __repr__(self):
        inner = ",\n  ".join(type(layer).__name__ for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


class Residual(Sequential):
    """A block with a skip connection: ``out = x + f(x)``, f a stack of layers.

    Parameters
    ----------
    layers : list of layers
        The inner block f, applied in order (a :class:`Sequential`); its
        output must have the shape of its input.

    Notes
    -----
    Backward: ``dx = dout + df(dout)``: the skip passes the gradient through
    unchanged (chapter 08's residual connection; the MNIST-1D MLP of
    chapter 17). ``forward`` hands ``train`` to the inner layers that take it
    (Dropout, BatchNorm).
    """

    shape = None       # the shape of the last forward's input and output

    def forward(self, x, train=True):
        """x: (N, H) (any shape the inner block keeps) -> x + f(x): the same shape."""
        out = super().forward(x, train=train)
        if out.shape != np.shape(x):
            raise ValueError(f"Residual.forward: the inner block must keep the shape {np.shape(x)}, "
                             f"got {out.shape}")
        self.shape = out.shape
        return x + out

    def backward(self, dout):
        """dout: (N, H) -> dx: (N, H)."""
        dout = check_dout("Residual.backward", dout, self.shape)
        return dout + super().backward(dout)

    def __repr__(self):
        return "Residual" + super().__repr__()[len("Sequential"):]


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
        x = as_float(x)
        if x.ndim != 2:
            raise ValueError(f"SoftmaxWithLoss.forward: expected x of shape (N, C), got {x.shape}")
        N, C = x.shape
        t = np.asarray(t)
        if t.shape == (N,):
            t = np.eye(C, dtype=x.dtype)[check_labels("SoftmaxWithLoss.forward", t, C)]  # one-hot (N, C)
        elif t.shape != (N, C):
            raise ValueError(f"SoftmaxWithLoss.forward: expected t of shape ({N},) (labels) "
                             f"or ({N}, {C}) (one-hot) for x of shape {x.shape}, got {t.shape}")
        self.y = F.softmax(x)
        self.t = t
        return np.float64(F.cross_entropy_error(self.y, t))

    def backward(self, dout=1.0):
        """dout: scalar (the loss's upstream gradient, 1 by default) -> dx: (N, C)."""
        dout = check_dout("SoftmaxWithLoss.backward", dout, ())
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
        y, t = as_float(y), as_float(t)
        if y.ndim == 0:
            raise ValueError("MSELoss.forward: expected y of shape (N, D), got a scalar")
        check_shape("MSELoss.forward", "t (the shape of y)", t, y.shape)
        N = y.shape[0]
        self.diff = y - t
        return np.float64(0.5 * np.sum(self.diff ** 2) / N)

    def backward(self, dout=1.0):
        """dout: scalar (1 by default) -> dy: shape of y."""
        dout = check_dout("MSELoss.backward", dout, ())
        N = self.diff.shape[0]
        return (dout * self.diff / N).astype(self.diff.dtype, copy=False)
