"""A small copy of the TensorFlow Playground's network and its training loop (chapter 05).

The Playground (https://playground.tensorflow.org, seed 001 §7.1) trains a
fully connected network on 2-D points labelled +1 / -1. This module does the
same in a few vectorised numpy lines, fast enough to retrain on every slider
move of :func:`dlcourse.widgets.playground_demo`:

* inputs: the two coordinates ``(x1, x2)`` of a point, shape ``(N, 2)``;
* hidden layers: 0 to 6 layers of 1 to 8 units, each ``h = act(h_prev @ W + b)``
  with ``act`` one of :data:`ACTIVATIONS` (``"linear"`` is the identity);
* output: one ``tanh`` unit, ``y`` in (-1, 1); its sign is the predicted label;
* loss: the squared error ``E = mean_n 0.5 (y_n - t_n)^2`` with ``t = ±1``;
* regularisation of the weights (not the biases): L1 ``rate * sum |W|`` or
  L2 ``rate * sum 0.5 W^2``;
* initial weights uniform in [-0.5, 0.5), biases 0.1, as in the Playground;
* minibatch SGD: the points are visited in the same (already shuffled) order
  every epoch, ``batch_size`` at a time, and each step moves every parameter
  by ``-lr`` times the batch's mean gradient (plus the regulariser's).

Layout of the parameters, for sizes ``[2, H1, ..., Hk, 1]``: ``params`` is
``[W1, b1, ..., W(k+1), b(k+1)]`` with ``W`` of shape (fan_in, fan_out) and
``b`` of shape (fan_out,), the layer contract of :mod:`dlcourse.layers`.

Why this network is not built from :mod:`dlcourse.layers`: the widget trains
thousands of steps of a 2-4-1 net per slider move, where Python's overhead per
layer call is most of the cost. One vectorised loop here takes about a third of
the time of the same network as ``Sequential([Affine, Sigmoid, Affine, Tanh])``
with ``MSELoss`` (measured: 137 µs against 379 µs per step), and the widget
shows three times as many epochs within its first-view budget. Its output unit,
loss, initialisation and L1 step are the Playground's own, not the library's;
chapter 07 onwards use the library's layers.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "ACTIVATIONS", "REGULARIZATIONS", "LEARNING_RATES", "REG_RATES",
    "PlaygroundNet", "train_playground",
]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
"""Hidden activations of the Playground's menu."""

REGULARIZATIONS = ("none", "L1", "L2")
"""Regularisation choices of the Playground's menu."""

LEARNING_RATES = (1e-5, 1e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""The Playground's learning rates (its default is 0.03)."""

REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""The Playground's regularisation rates."""


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))        # = 1 / (1 + e^-z), without overflow


# name -> (h = act(z), dh/dz written with the output h only: all four allow it)
_ACT = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda h: (h > 0).astype(h.dtype)),
    "tanh": (np.tanh, lambda h: 1.0 - h * h),
    "sigmoid": (_sigmoid, lambda h: h * (1.0 - h)),
    "linear": (lambda z: z, lambda h: np.ones_like(h)),
}


def _check_choice(what, value, valid):
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(map(str, valid))}")


class PlaygroundNet:
    """The Playground's network: 2 inputs, hidden layers, one tanh output.

    Parameters
    ----------
    hidden : sequence of int
        Units per hidden layer ``[H1, ..., Hk]``; empty for no hidden layer
        (then the network is one tanh unit, a linear classifier).
    activation : str
        Hidden activation, one of :data:`ACTIVATIONS`.
    rng : numpy.random.Generator or int or None
        Draws the initial weights, uniform in [-0.5, 0.5).

    Attributes
    ----------
    sizes : list of int
        ``[2, H1, ..., Hk, 1]``.
    params : list of ndarray
        ``[W1, b1, ..., W(k+1), b(k+1)]``, W: (fan_in, fan_out), b: (fan_out,).
    """

    def __init__(self, hidden=(4,), activation="tanh", rng=None):
        _check_choice("activation", activation, ACTIVATIONS)
        hidden = [int(h) for h in hidden]
        if any(h < 1 for h in hidden):
            raise ValueError(f"expected at least one unit per hidden layer, got {hidden}")
        rng = np.random.default_rng(rng)
        self.sizes = [2, *hidden, 1]
        self.activation = activation
        self.params = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            self.params += [rng.uniform(-0.5, 0.5, (fan_in, fan_out)), np.full(fan_out, 0.1)]

    @property
    def weights(self):
        """The weight matrices [W1, ..., W(k+1)] (the regularised parameters)."""
        return self.params[0::2]

    def forward(self, X, all_layers=False):
        """Network output for a batch of points.

        Parameters
        ----------
        X : ndarray, shape (N, 2)
        all_layers : bool
            Also return every layer's output.

        Returns
        -------
        y : ndarray, shape (N,)
            tanh output in (-1, 1).
        hs : list of ndarray, only with ``all_layers``
            ``[X, h1, ..., hk, y[:, None]]``, shapes (N, 2), (N, H1), ..., (N, 1).
        """
        act = _ACT[self.activation][0]
        hs = [np.asarray(X, dtype=np.float64)]
        n_layers = len(self.params) // 2
        for k in range(n_layers):
            z = hs[-1] @ self.params[2 * k] + self.params[2 * k + 1]      # (N, fan_out)
            hs.append(np.tanh(z) if k == n_layers - 1 else act(z))
        y = hs[-1][:, 0]
        return (y, hs) if all_layers else y

    def loss(self, X, t, regularization="none", reg_rate=0.0):
        """Mean squared error ``mean 0.5 (y - t)^2`` plus the regulariser.

        Parameters
        ----------
        X : ndarray, shape (N, 2)
        t : ndarray, shape (N,), labels +1 / -1
        regularization : {"none", "L1", "L2"}
        reg_rate : float

        Returns
        -------
        float
        """
        y = self.forward(X)
        return float(0.5 * np.mean((y - t) ** 2)) + self.penalty(regularization, reg_rate)

    def penalty(self, regularization="none", reg_rate=0.0):
        """``reg_rate * sum |W|`` (L1), ``reg_rate * sum 0.5 W^2`` (L2) or 0, over all weights."""
        _check_choice("regularization", regularization, REGULARIZATIONS)
        if regularization == "none" or reg_rate == 0:
            return 0.0
        if regularization == "L1":
            return float(reg_rate * sum(np.abs(W).sum() for W in self.weights))
        return float(reg_rate * sum(0.5 * (W * W).sum() for W in self.weights))

    def gradients(self, X, t, regularization="none", reg_rate=0.0):
        """Loss and its gradient with respect to every parameter (backpropagation).

        Parameters
        ----------
        X : ndarray, shape (N, 2)
        t : ndarray, shape (N,)
        regularization, reg_rate : as in :meth:`loss`

        Returns
        -------
        loss : float
            Same value as :meth:`loss`.
        grads : list of ndarray
            Same order and shapes as ``params``.

        Notes
        -----
        Output unit: ``dE/dz = (y - t) (1 - y^2) / N``. Hidden layer:
        ``dE/dz = (dE/dh) act'(z)``, with ``act'`` written from the layer's
        output ``h``. L1 adds ``reg_rate * sign(W)``, L2 ``reg_rate * W``.
        """
        y, grads = self._backward(X, t, regularization, reg_rate)
        return float(0.5 * np.mean((y - t) ** 2)) + self.penalty(regularization, reg_rate), grads

    def _backward(self, X, t, regularization, reg_rate):
        """Outputs y (N,) and the gradients (the loss itself is not needed to train)."""
        N = X.shape[0]
        y, hs = self.forward(X, all_layers=True)
        dact = _ACT[self.activation][1]
        dz = ((y - t) * (1.0 - y * y) / N)[:, None]                          # (N, 1)
        grads = [None] * len(self.params)
        for k in range(len(self.params) // 2 - 1, -1, -1):
            W = self.params[2 * k]
            grads[2 * k], grads[2 * k + 1] = hs[k].T @ dz, dz.sum(axis=0)  # dW, db
            if k > 0:
                dz = (dz @ W.T) * dact(hs[k])                                # (N, fan_in)
        if regularization != "none" and reg_rate:
            for k, W in enumerate(self.weights):
                grads[2 * k] = grads[2 * k] + reg_rate * (np.sign(W) if regularization == "L1" else W)
        return y, grads

    def sgd_step(self, X, t, lr, regularization="none", reg_rate=0.0):
        """One minibatch step ``p <- p - lr * dE/dp``, in place.

        As in the Playground, an L1 step that would carry a weight across 0
        stops at 0 (so L1 can switch weights off completely).
        """
        _, grads = self._backward(X, t, regularization, reg_rate)
        l1 = regularization == "L1" and reg_rate
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if l1 and k % 2 == 0:
                new = p - lr * g
                new[new * p < 0] = 0.0                      # crossed 0: stop there
                p[...] = new
            else:
                p -= lr * g

    def __repr__(self):
        return f"PlaygroundNet(sizes={self.sizes}, activation={self.activation!r})"


def train_playground(net, X_train, t_train, X_test, t_test, epochs, batch_size=10, lr=0.03,
                     regularization="none", reg_rate=0.0):
    """Train a :class:`PlaygroundNet` with minibatch SGD, as the Playground does.

    Parameters
    ----------
    net : PlaygroundNet
        Trained in place.
    X_train : ndarray, shape (N, 2)
    t_train : ndarray, shape (N,), labels +1 / -1
    X_test : ndarray, shape (M, 2)
    t_test : ndarray, shape (M,)
    epochs : int
        Passes over the training set; each is ``ceil(N / batch_size)`` steps.
    batch_size : int
    lr : float
    regularization : {"none", "L1", "L2"}
    reg_rate : float

    Returns
    -------
    dict
        ``"train_loss"``, ``"test_loss"``: the data loss (no regulariser,
        like the Playground's display) after 0, 1, ..., E epochs, so E + 1
        values each, E being the epochs actually run. ``"diverged"``: True if
        the loss became nan or inf, in which case training stopped there.

    Notes
    -----
    The loop runs with one BLAS thread (many tiny matrix products) and with
    numpy's floating-point warnings off: a too-large learning rate makes the
    loss overflow to nan, which the history shows instead.
    """
    from threadpoolctl import threadpool_limits

    _check_choice("regularization", regularization, REGULARIZATIONS)
    if int(epochs) != epochs or epochs < 0 or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"expected integers epochs >= 0 and batch_size >= 1, "
                         f"got epochs={epochs}, batch_size={batch_size}")
    N = X_train.shape[0]
    batches = [(X_train[s:s + batch_size], t_train[s:s + batch_size])
               for s in range(0, N, int(batch_size))]
    with threadpool_limits(limits=1), np.errstate(all="ignore"):
        history = {"train_loss": [net.loss(X_train, t_train)], "test_loss": [net.loss(X_test, t_test)],
                   "diverged": False}
        for _ in range(int(epochs)):
            for xb, tb in batches:
                net.sgd_step(xb, tb, lr, regularization, reg_rate)
            history["train_loss"].append(net.loss(X_train, t_train))
            history["test_loss"].append(net.loss(X_test, t_test))
            if not np.isfinite(history["train_loss"][-1]):
                history["diverged"] = True
                break
    return history
