"""Optimisers that update parameters from their gradients, and weight initialisers.

Chapter 07 trains with plain SGD; chapter 08 compares initial weight
scales (Xavier, He); chapter 09 compares SGD, Momentum, Nesterov, AdaGrad,
RMSProp and Adam on f(x, y) = x²/20 + y² and on real data. The sequence
models of chapters 13-16 draw their weights with :func:`scaled_normal`, the
MNIST-1D models of chapter 17 with PyTorch's default, :func:`uniform_init`.

Every optimiser has the same interface::

    opt.update(params, grads)   # lists of arrays, same shapes; params change in place

Its state (velocities, squared-gradient sums) is kept per position in the
list, so pass the same model's lists in the same order at every step.
Optimisers with an epsilon keep it as the attribute ``eps``.

Seeds: 003 §9.3.1 (optimisation of deep networks); Kingma & Ba (2015) for Adam.
"""
from __future__ import annotations

import numpy as np

from dlcourse.validation import check_positive, check_range

__all__ = [
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam",
    "OPTIMIZERS", "get_optimizer", "xavier", "he", "INITIALIZERS", "uniform_init", "scaled_normal",
]


class Optimizer:
    """Shared bookkeeping: check the lists, keep per-position state, call ``_step``.

    Subclasses implement ``_step(i, p, g)``, which updates the array ``p``
    (position ``i`` in the list) in place from its gradient ``g``.
    """

    def __init__(self, lr):
        check_positive(type(self).__name__, "a learning rate lr", lr)
        self.lr = float(lr)
        self.state = {}    # position in the params list -> dict of arrays

    def update(self, params, grads):
        """Update every array in ``params`` in place.

        Parameters
        ----------
        params : list of ndarray
            The parameters, e.g. ``model.params``.
        grads : list of ndarray
            Their gradients, same length, order and shapes.
        """
        if len(params) != len(grads):
            raise ValueError(f"{type(self).__name__}.update: expected as many grads as params "
                             f"({len(params)}), got {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            if p.shape != g.shape:
                raise ValueError(f"{type(self).__name__}.update: grads[{i}] should have the shape "
                                 f"of params[{i}], {p.shape}, got {g.shape}")
            self._step(i, p, g)

    def _zeros(self, i, p, *names):
        """The state arrays ``names`` of position i, created as zeros on first use."""
        if i not in self.state:
            self.state[i] = {n: np.zeros_like(p) for n in names}
        state = self.state[i]
        if state[names[0]].shape != p.shape:
            raise ValueError(f"{type(self).__name__}.update: params[{i}] changed shape from "
                             f"{state[names[0]].shape} to {p.shape}; use a new optimiser for a new model")
        return [state[n] for n in names]

    def _step(self, i, p, g):
        raise NotImplementedError

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in ("state", "t"))
        return f"{type(self).__name__}({hyper})"


class SGD(Optimizer):
    """Stochastic gradient descent: p ← p − lr·g.

    Parameters
    ----------
    lr : float
        Learning rate (0.01).
    """

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def _step(self, i, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum (heavy ball).

    Parameters
    ----------
    lr : float
        Learning rate (0.01).
    momentum : float
        How much of the previous velocity is kept, 0 <= momentum < 1 (0.9).

    Notes
    -----
    ::

        v ← momentum·v − lr·g
        p ← p + v

    with v = 0 at the start. Along a direction where g stays constant the
    step grows towards lr·g / (1 − momentum); where g changes sign, the
    oscillations cancel.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr)
        check_range(type(self).__name__, "momentum", momentum, 0.0, 1.0)
        self.momentum = float(momentum)

    def _step(self, i, p, g):
        (v,) = self._zeros(i, p, "v")
        v *= self.momentum
        v -= self.lr * g
        p += v


class Nesterov(Optimizer):
    """Nesterov's accelerated gradient, in the form of Bengio et al. (2013).

    Parameters
    ----------
    lr : float
        Learning rate (0.01).
    momentum : float
        0 <= momentum < 1 (0.9).

    Notes
    -----
    Classical Nesterov momentum (Sutskever et al., 2013) evaluates the
    gradient at a look-ahead point::

        v_new = μ·v − lr·∇f(θ + μ·v),   θ ← θ + v_new

    Storing p = θ + μ·v instead (the point where the gradient is taken)
    gives an update that needs only the gradient g = ∇f(p) at the
    parameters themselves; this is the form implemented here::

        v_prev = v
        v      ← μ·v − lr·g
        p      ← p − μ·v_prev + (1 + μ)·v      ( = p + μ·v − lr·g )

    The two "Deep Learning from Scratch" books implement Nesterov in two
    different ways; neither is this one exactly. Bengio, Boulanger-Lewandowski
    & Pascanu, "Advances in optimizing recurrent networks" (2013).
    """

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr)
        check_range(type(self).__name__, "momentum", momentum, 0.0, 1.0)
        self.momentum = float(momentum)

    def _step(self, i, p, g):
        mu = self.momentum
        (v,) = self._zeros(i, p, "v")
        v_prev = v.copy()
        v *= mu
        v -= self.lr * g
        p += -mu * v_prev + (1 + mu) * v


class AdaGrad(Optimizer):
    """AdaGrad: each parameter's step shrinks with its summed squared gradients.

    Parameters
    ----------
    lr : float
        Learning rate (0.01).
    eps : float
        Added to the square root so the first steps cannot divide by 0 (1e-7).

    Notes
    -----
    ::

        h ← h + g²
        p ← p − lr·g / (√h + eps)

    Because h only grows, the steps shrink forever (Duchi et al., 2011).
    """

    def __init__(self, lr=0.01, eps=1e-7):
        super().__init__(lr)
        check_range(type(self).__name__, "eps", eps, 0.0, np.inf)
        self.eps = float(eps)

    def _step(self, i, p, g):
        (h,) = self._zeros(i, p, "h")
        h += g * g
        p -= self.lr * g / (np.sqrt(h) + self.eps)


class RMSProp(Optimizer):
    """RMSProp: AdaGrad with an exponentially decaying average of g².

    Parameters
    ----------
    lr : float
        Learning rate (0.01).
    decay : float
        Weight of the old average, 0 <= decay < 1 (0.99).
    eps : float
        Added outside the square root (1e-7).

    Notes
    -----
    ::

        h ← decay·h + (1 − decay)·g²
        p ← p − lr·g / (√h + eps)

    with h = 0 at the start, so the first step is lr·g / (√(1−decay)·|g| + eps),
    about 10·lr for decay = 0.99 (Tieleman & Hinton, 2012).
    """

    def __init__(self, lr=0.01, decay=0.99, eps=1e-7):
        super().__init__(lr)
        check_range(type(self).__name__, "decay", decay, 0.0, 1.0)
        check_range(type(self).__name__, "eps", eps, 0.0, np.inf)
        self.decay, self.eps = float(decay), float(eps)

    def _step(self, i, p, g):
        (h,) = self._zeros(i, p, "h")
        h *= self.decay
        h += (1 - self.decay) * g * g
        p -= self.lr * g / (np.sqrt(h) + self.eps)


class Adam(Optimizer):
    """Adam: momentum on g and RMSProp on g², both with bias correction.

    Parameters
    ----------
    lr : float
        Learning rate (0.001).
    beta1, beta2 : float
        Decay rates of the first and second moment averages, in [0, 1)
        (0.9 and 0.999).
    eps : float
        Added outside the square root (1e-8).

    Attributes
    ----------
    t : int
        Number of ``update`` calls so far (one per training step).

    Notes
    -----
    At step t = 1, 2, ... (Kingma & Ba, 2015, Algorithm 1)::

        m ← beta1·m + (1 − beta1)·g
        v ← beta2·v + (1 − beta2)·g²
        m̂ = m / (1 − beta1^t),   v̂ = v / (1 − beta2^t)
        p ← p − lr·m̂ / (√v̂ + eps)

    The correction undoes the pull of m = v = 0 towards zero in the first
    steps; the first step is lr·g / (|g| + eps), almost exactly lr per
    parameter whatever the size of g.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        check_range(type(self).__name__, "beta1", beta1, 0.0, 1.0)
        check_range(type(self).__name__, "beta2", beta2, 0.0, 1.0)
        check_range(type(self).__name__, "eps", eps, 0.0, np.inf)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0

    def update(self, params, grads):
        """Advance the step count once, then update every array in place."""
        self.t += 1
        super().update(params, grads)

    def _step(self, i, p, g):
        b1, b2 = self.beta1, self.beta2
        m, v = self._zeros(i, p, "m", "v")
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        m_hat = m / (1 - b1 ** self.t)
        v_hat = v / (1 - b2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS = {
    "sgd": SGD, "momentum": Momentum, "nesterov": Nesterov,
    "adagrad": AdaGrad, "rmsprop": RMSProp, "adam": Adam,
}
"""Name -> optimiser class, as used by sliders and ``models.train``."""


def get_optimizer(name, **kwargs):
    """A new optimiser by name (case-insensitive), e.g. ``get_optimizer("adam", lr=0.01)``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.
    """
    key = str(name).strip().lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; expected one of {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[key](**kwargs)


# --- initialisers -----------------------------------------------------------------

def _gaussian(fan_in, fan_out, gain, rng, where):
    """(fan_in, fan_out) normal weights with std √(gain / fan_in)."""
    for name, n in (("fan_in", fan_in), ("fan_out", fan_out)):
        if int(n) != n or n < 1:
            raise ValueError(f"{where}: expected {name} to be a positive integer, got {n}")
    rng = np.random.default_rng(rng)
    return rng.standard_normal((int(fan_in), int(fan_out))) * np.sqrt(gain / fan_in)


def xavier(fan_in, fan_out, rng):
    """Xavier (Glorot) initial weights: normal with std √(1/fan_in).

    Parameters
    ----------
    fan_in, fan_out : int
        D and H of the layer's weight matrix.
    rng : numpy.random.Generator or int
        The generator to draw from, or a seed for one.

    Returns
    -------
    ndarray, shape (fan_in, fan_out), float64

    Notes
    -----
    Keeps the variance of a unit's input about equal to the variance of the
    previous layer's outputs, which suits sigmoid and tanh (chapter 08).
    This is the 1/fan_in variant the textbook uses; Glorot & Bengio (2010)
    average fan_in and fan_out.
    """
    return _gaussian(fan_in, fan_out, 1.0, rng, "xavier")


def he(fan_in, fan_out, rng):
    """He initial weights: normal with std √(2/fan_in).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator or int

    Returns
    -------
    ndarray, shape (fan_in, fan_out), float64

    Notes
    -----
    ReLU zeroes half of its inputs, halving the variance; the factor 2
    makes up for it (He et al., 2015; chapter 08).
    """
    return _gaussian(fan_in, fan_out, 2.0, rng, "he")


INITIALIZERS = {"xavier": xavier, "he": he}
"""Name -> initialiser, as used by ``models.MLP``."""


def uniform_init(fan_in, fan_out, rng):
    """PyTorch's default for ``nn.Linear``: W and b uniform in ±1/sqrt(fan_in).

    Parameters
    ----------
    fan_in, fan_out : int
        D and H of the layer.
    rng : numpy.random.Generator
        Draws W first, then b.

    Returns
    -------
    W : ndarray, shape (fan_in, fan_out)
    b : ndarray, shape (fan_out,)

    Notes
    -----
    The MNIST-1D paper's baselines (chapter 17) start from this
    initialisation; its weights have std 1/√(3·fan_in), a third of Xavier's
    variance.
    """
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)


def scaled_normal(shape, rng, fan_in=None, dtype=np.float64):
    """Normal weights of any shape with std 1/√fan_in, computed as N(0, 1) / √fan_in.

    Parameters
    ----------
    shape : tuple of int
        E.g. (D, H) for a dense layer, (A,) for a score vector.
    rng : numpy.random.Generator
    fan_in : float, optional
        The number of inputs each output sums over; ``shape[0]`` by default.
        ``fan_in = D / 2`` gives He's std √(2/D) for a layer before a ReLU.
    dtype : numpy dtype
        float64 (default) or float32.

    Returns
    -------
    ndarray of ``shape``, ``dtype``

    Notes
    -----
    The same scale as :func:`xavier`, drawn for the recurrent, seq2seq and
    attention layers of chapters 13-16. It divides by √fan_in where
    ``xavier`` multiplies by √(1/fan_in); the two can differ in the last
    bit, so each keeps its own form and the lessons' printed numbers stay
    as they are.
    """
    fan_in = shape[0] if fan_in is None else fan_in
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(dtype)
