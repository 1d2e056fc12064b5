"""MNIST-1D as its paper trains it: the protocol loop and the small models of its results table.

Greydanus & Kobak's MNIST-1D (the ``mnist1d`` package, built locally by
:func:`dlcourse.datasets.load_mnist1d`) reports test accuracies of about
32% (logistic regression), 68% (an MLP), 94% (a CNN) and 91% (a bidirectional
GRU) under one protocol: Adam with learning rate 1e-2, batches of 100 taken in
order (no shuffling), 6,000 steps, the test set scored every 250 steps. This
module holds that protocol (:func:`train_protocol`), the two models that need
no chapter of their own (:func:`logistic`, :func:`residual_mlp`), the paper's
data (:func:`paper_data`, generator seed 42) and the label noise of its
double-descent experiment (:func:`label_noise`).

The CNN comes from :func:`dlcourse.cnn.mnist1d_cnn` (chapter 12) and the GRU
from :func:`dlcourse.experiments.lstm.mnist1d_gru` (chapter 14);
``benchmarks/mnist1d_table.py`` trains all four and ``benchmarks/double_descent.py``
runs the width sweep. Chapter 17 uses the pieces.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import numpy as np

from dlcourse import datasets, models, optim
from dlcourse import layers as L

__all__ = [
    "PAPER_SEED", "PAPER_ACCURACY", "paper_data", "label_noise", "uniform_init",
    "Residual", "Classifier", "logistic", "residual_mlp", "plain_mlp",
    "n_params", "ProtocolRun", "train_protocol", "evaluate",
]

PAPER_SEED = 42
"""The seed of ``mnist1d.data.get_dataset_args()``: the data set the paper publishes."""

PAPER_ACCURACY = {"logistic": 0.32, "mlp": 0.68, "cnn": 0.94, "gru": 0.91}
"""Test accuracies the MNIST-1D paper reports for its four baselines."""


# --- data -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def paper_data(num_samples=5000, train_split=0.8, seed=PAPER_SEED):
    """MNIST-1D with the paper's generator settings (read-only arrays, cached).

    Returns
    -------
    x : ndarray, shape (N_train, 40)
    t : ndarray of int, shape (N_train,)
    x_test : ndarray, shape (N_test, 40)
    t_test : ndarray of int, shape (N_test,)
        4,000 / 1,000 sequences by default, as in the paper.
    """
    arrays = datasets.load_mnist1d(seed=seed, num_samples=num_samples, train_split=train_split)
    for a in arrays:
        a.setflags(write=False)
    return arrays


def label_noise(t, fraction, num_classes=10, rng=None):
    """Labels with a ``fraction`` of them replaced by a uniformly random class.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
    fraction : float
        Share of the samples whose label is redrawn, 0 <= fraction <= 1. A
        redrawn label can land on the true class, so about
        ``fraction · (1 - 1/num_classes)`` of the labels end up wrong.
    rng : numpy.random.Generator or int or None

    Returns
    -------
    ndarray of int, shape (N,)
        A new array; ``t`` is not modified.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"label_noise: expected 0 <= fraction <= 1, got {fraction}")
    rng = np.random.default_rng(rng)
    t = np.array(t, dtype=np.int64)
    redraw = rng.random(t.shape[0]) < fraction
    t[redraw] = rng.integers(0, num_classes, int(redraw.sum()))
    return t


# --- layers and models ------------------------------------------------------------------

def uniform_init(fan_in, fan_out, rng):
    """PyTorch's default for ``nn.Linear``: W and b uniform in ±1/sqrt(fan_in).

    Returns
    -------
    W : ndarray, shape (fan_in, fan_out)
    b : ndarray, shape (fan_out,)
    """
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)


class Residual:
    """A block with a skip connection: ``out = x + f(x)``, f a stack of layers.

    Parameters
    ----------
    layers : list of layers
        The inner block f; its output must have the shape of its input.

    Notes
    -----
    Backward: ``dx = dout + df(dout)``: the skip passes the gradient through
    unchanged (chapter 08's residual connection).
    """

    def __init__(self, layers):
        self.inner = models.Sequential(layers)

    @property
    def params(self):
        return self.inner.params

    @property
    def grads(self):
        return self.inner.grads

    def forward(self, x):
        """x: (N, H) -> x + f(x): (N, H)."""
        out = self.inner.forward(x)
        if out.shape != x.shape:
            raise ValueError(f"Residual: the inner block must keep the shape {x.shape}, got {out.shape}")
        return x + out

    def backward(self, dout):
        """dout: (N, H) -> dx: (N, H)."""
        return dout + self.inner.backward(dout)


Classifier = models.Classifier   # a network with a softmax cross-entropy loss (the ``train`` interface)


def n_params(model):
    """Number of trainable numbers in ``model.params``."""
    return int(sum(np.size(p) for p in model.params))


def logistic(rng=None, D=40, C=10):
    """Logistic (softmax) regression: one Affine D -> C.

    Returns
    -------
    Classifier
        ``D·C + C`` parameters (410 for MNIST-1D).
    """
    rng = np.random.default_rng(rng)
    return Classifier(models.Sequential([L.Affine(*uniform_init(D, C, rng))]), "logistic")


def residual_mlp(rng=None, D=40, H=100, C=10):
    """The paper's MLP: ``h1 = relu(x W1 + b1)``, ``h2 = h1 + relu(h1 W2 + b2)``, logits ``h2 W3 + b3``.

    Returns
    -------
    Classifier
        40·100 + 100 + 100·100 + 100 + 100·10 + 10 = 15,210 parameters for the defaults.
    """
    rng = np.random.default_rng(rng)
    net = models.Sequential([
        L.Affine(*uniform_init(D, H, rng)), L.ReLU(),
        Residual([L.Affine(*uniform_init(H, H, rng)), L.ReLU()]),
        L.Affine(*uniform_init(H, C, rng)),
    ])
    return Classifier(net, "mlp")


def plain_mlp(sizes, rng=None):
    """An MLP with ReLU hidden layers and PyTorch's default initialisation.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, H1, ..., C]``, e.g. ``[40, h, h, 10]`` for the double-descent sweep.

    Returns
    -------
    Classifier
    """
    rng = np.random.default_rng(rng)
    layers = []
    for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(L.Affine(*uniform_init(int(fan_in), int(fan_out), rng)))
        if k < len(sizes) - 2:
            layers.append(L.ReLU())
    return Classifier(models.Sequential(layers), "mlp " + "-".join(str(int(s)) for s in sizes))


# --- the protocol -----------------------------------------------------------------------

@dataclass
class ProtocolRun:
    """Test accuracy of one model trained with the MNIST-1D protocol."""

    name: str
    n_params: int
    steps: int
    eval_steps: np.ndarray          # (K,) steps after which the test set was scored
    test_acc: np.ndarray            # (K,)
    train_loss: np.ndarray          # (K,) mean loss of the batches since the previous evaluation
    seconds: float                  # wall time of the whole loop, evaluations included
    extra: dict = field(default_factory=dict)

    @property
    def best(self):
        return float(np.max(self.test_acc))

    @property
    def final(self):
        return float(self.test_acc[-1])

    def __str__(self):
        return (f"{self.name:<10} {self.n_params:>7,d} params  test accuracy best {self.best:6.1%} "
                f"(step {int(self.eval_steps[np.argmax(self.test_acc)])}), final {self.final:6.1%}  "
                f"{self.seconds:7.1f} s")


def evaluate(model, x, t, batch_size=1000):
    """Accuracy of ``model`` on (x, t), predicted in chunks of ``batch_size``."""
    correct = 0
    for start in range(0, len(x), batch_size):
        logits = model.predict(x[start:start + batch_size])
        correct += int(np.sum(np.argmax(logits, axis=1) == t[start:start + batch_size]))
    return correct / len(x)


def train_protocol(model, data, steps=6000, batch_size=100, lr=1e-2, eval_every=250, threads=1,
                   name=None, progress=False):
    """Train ``model`` as the MNIST-1D paper does and score the test set as it goes.

    Parameters
    ----------
    model : Classifier, models.MLP or any model with ``params``, ``grads``,
        ``loss(x, t)``, ``backward()`` and ``predict(x)``
    data : tuple (x, t, x_test, t_test)
        x (N, 40), t (N,) int, as :func:`paper_data` returns.
    steps : int
        Adam steps (6,000 in the paper).
    batch_size : int
        Step s uses samples ``[(s·B) mod N, (s·B) mod N + B)``: batches in order, no shuffling.
    lr : float
        Adam's learning rate (1e-2).
    eval_every : int
        Score the test set after every ``eval_every`` steps (250).
    threads : int
        BLAS threads while training (threadpoolctl).
    progress : bool
        Print a line at every evaluation.

    Returns
    -------
    ProtocolRun
    """
    x, t, x_test, t_test = data
    if int(steps) < 1 or int(eval_every) < 1:
        raise ValueError(f"train_protocol: expected steps >= 1 and eval_every >= 1, got {steps}, {eval_every}")
    name = name or getattr(model, "name", "") or type(model).__name__

    def report(step, history):
        loss = models.window_means(history["batch_loss"], history["eval_step"][-2:])[-1]
        print(f"  {name} step {step:5d}: batch loss {loss:.4f}, test accuracy {history['test_acc'][-1]:.1%}",
              flush=True)

    t0 = time.perf_counter()
    history = models.train_steps(model, optim.Adam(lr), models.ordered_batches((x, t), batch_size), int(steps),
                                 eval_every=int(eval_every),
                                 evaluate=lambda model: {"test_acc": evaluate(model, x_test, t_test)},
                                 callback=report if progress else None, threads=threads)
    seconds = time.perf_counter() - t0
    return ProtocolRun(name, n_params(model), int(steps), np.array(history["eval_step"]),
                       np.array(history["test_acc"]),
                       np.array(models.window_means(history["batch_loss"], history["eval_step"])), seconds)
