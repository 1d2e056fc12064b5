"""MNIST-1D as its paper trains it: the protocol loop and the small models of its results table.

Greydanus & Kobak's MNIST-1D (the ``mnist1d`` package, built locally by
:func:`dlcourse.datasets.load_mnist1d`) reports test accuracies of about
32% (logistic regression), 68% (an MLP), 94% (a CNN) and 91% (a bidirectional
GRU) under one protocol: Adam with learning rate 1e-2, batches of 100 taken in
order (no shuffling), 6,000 steps, the test set scored every 250 steps. This
module holds that protocol (:func:`train_protocol`). The paper's data
(:func:`dlcourse.datasets.mnist1d_paper_data`, generator seed 42) and the label
noise of its double-descent experiment (:func:`dlcourse.datasets.label_noise`)
live in :mod:`dlcourse.datasets`.

The models are in the library: :func:`dlcourse.models.logistic` and
:func:`dlcourse.models.residual_mlp` (with :func:`dlcourse.models.plain_mlp` for
the double-descent sweep), the CNN :func:`dlcourse.cnn.mnist1d_cnn` (chapter 12)
and the GRU :func:`dlcourse.rnn.mnist1d_gru` (chapter 14);
``benchmarks/mnist1d_table.py`` trains all four and ``benchmarks/double_descent.py``
runs the width sweep. Chapter 17 uses the pieces.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dlcourse import models, optim
from dlcourse.models import n_params

__all__ = [
    "PAPER_ACCURACY", "ProtocolRun", "train_protocol", "evaluate",
]

PAPER_ACCURACY = {"logistic": 0.32, "mlp": 0.68, "cnn": 0.94, "gru": 0.91}
"""Test accuracies the MNIST-1D paper reports for its four baselines."""




# --- the protocol -----------------------------------------------------------------------

@dataclass(frozen=True)
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
        x (N, 40), t (N,) int, as :func:`dlcourse.datasets.mnist1d_paper_data` returns.
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
