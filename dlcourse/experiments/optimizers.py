"""Chapter 09 experiments: optimisers (SGD, Momentum, AdaGrad, RMSProp, Adam).

Seeds: 003 §9.3.1 (deep networks train better with better optimisers: Adam,
AdaGrad, RMSProp), 002 p.12 (the plan: SGD, Adam, hyperparameters). The
two-dimensional test function f(x, y) = x²/20 + y² started from (−7, 2) and
the learning rates of the path comparison are the lineage's ("Deep Learning
from Scratch", ch. 6); every optimiser is :mod:`dlcourse.optim`'s.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dlcourse import datasets, models, optim
from dlcourse.lessons.numerical_descent import BOWL_LRS, BOWL_START, bowl, bowl_grad
from dlcourse.experiments._cache import cached

__all__ = [
    "NAMES", "LABELS",
    "OptimizerPath", "optimizer_path", "PathComparison", "compare_paths",
    "LossCurves", "mnist1d_curves", "BatchSizes", "batch_sizes",
    "BATCH_CHOICES", "LR_CHOICES", "batch_size_run", "warm_batch_grid",
]

NAMES = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
"""The five optimisers of the lesson, in the order they are shown."""

LABELS = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}

def _num(v):
    """A float at 4 decimals (no "-0.0000"), in scientific notation when it is huge or not finite."""
    v = float(v)
    if not np.isfinite(v) or abs(v) >= 1e5:
        return f"{v:.4e}"
    return f"{v + 0.0:.4f}" if round(v, 4) != 0 else "0.0000"


def _check_name(name):
    if name not in NAMES:
        raise ValueError(f"unknown optimizer {name!r}; expected one of {', '.join(NAMES)}")


# --- paths on x²/20 + y² ----------------------------------------------------------

@dataclass(frozen=True)
class OptimizerPath:
    """One optimiser's steps on f(x, y) = x²/20 + y²."""

    name: str
    lr: float
    path: np.ndarray         # (steps + 1, 2)
    f: np.ndarray            # (steps + 1,), f at every point of the path

    @property
    def steps(self):
        return len(self.path) - 1

    @property
    def end(self):
        return self.path[-1]

    def __str__(self):
        x, y = self.end
        return (f"{LABELS[self.name]}, lr = {self.lr:.3g}, {self.steps} steps from "
                f"({self.path[0, 0]:g}, {self.path[0, 1]:g}): end ({_num(x)}, {_num(y)}), "
                f"f = {_num(self.f[-1])}")


def optimizer_path(name="adam", lr=None, steps=30, init=BOWL_START):
    """Run one optimiser of :mod:`dlcourse.optim` on x²/20 + y² with the exact gradient.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    lr : float, optional
        Learning rate; default :data:`BOWL_LRS` ``[name]``. Every other
        hyperparameter is the optimiser's default (Momentum 0.9, RMSProp
        decay 0.99, Adam betas 0.9 and 0.999).
    steps : int
        Number of updates.
    init : (float, float)
        Start point.

    Returns
    -------
    OptimizerPath
        With the defaults for Adam: end (0.1360, 0.3182), f = 0.1022.

    Notes
    -----
    The loop stays written out (``g = ∇f(p); opt.update([p], [g])``): it is
    what chapter 09 teaches, an optimiser's update on a formula with its exact
    gradient, with no model, data or loss. ``models.train_steps`` runs the
    same update for a model on minibatches.
    """
    _check_name(name)
    lr = BOWL_LRS[name] if lr is None else float(lr)
    opt = optim.get_optimizer(name, lr=lr)
    p = np.array(init, dtype=float)                       # (2,): the point (x, y)
    path = [p.copy()]
    with np.errstate(all="ignore"):                       # a huge lr may overflow: shown, not warned
        for _ in range(int(steps)):
            g = np.array(bowl_grad(p[0], p[1]))
            opt.update([p], [g])
            path.append(p.copy())
        path = np.array(path)
        f = bowl(path[:, 0], path[:, 1])
    return OptimizerPath(name, lr, path, f)


@dataclass(frozen=True)
class PathComparison:
    """The paths of several optimisers from the same start."""

    runs: list               # [OptimizerPath]

    def __str__(self):
        first = self.runs[0]
        rows = [f"f(x, y) = x²/20 + y², {first.steps} steps from "
                f"({first.path[0, 0]:g}, {first.path[0, 1]:g}), f = {first.f[0]:.4f}",
                f"{'optimizer':<10}{'lr':>6}{'end x':>10}{'end y':>10}{'f(end)':>10}"]
        for r in self.runs:
            rows.append(f"{LABELS[r.name]:<10}{r.lr:6.2f}{_num(r.end[0]):>10}{_num(r.end[1]):>10}"
                        f"{_num(r.f[-1]):>10}")
        return "\n".join(rows)


def compare_paths(lrs=None, steps=30, init=BOWL_START):
    """:func:`optimizer_path` for every optimiser of ``lrs`` (default :data:`BOWL_LRS`).

    Returns
    -------
    PathComparison
    """
    lrs = dict(BOWL_LRS if lrs is None else lrs)
    return PathComparison([optimizer_path(n, lr, steps, init) for n, lr in lrs.items()])


# --- MNIST-1D ---------------------------------------------------------------------

@cached(2)
def _mnist1d(seed):
    """MNIST-1D (4000 train / 1000 test sequences of 40 values), built once per seed."""
    return datasets.load_mnist1d(seed=seed)


@cached(64)
def _train(name, lr, epochs, batch_size, sizes, seed):
    """One MLP trained on MNIST-1D; the history and the seconds it took (cached)."""
    x, t, x_test, t_test = _mnist1d(seed)
    model = models.MLP(list(sizes), activation="relu", rng=seed)
    opt = optim.get_optimizer(name) if lr is None else optim.get_optimizer(name, lr=lr)
    start = time.perf_counter()
    history = models.train(model, opt, x, t, x_test, t_test, epochs=epochs, batch_size=batch_size,
                           rng=seed, progress=False)
    return history, time.perf_counter() - start, opt.lr


@dataclass(frozen=True)
class LossCurves:
    """Learning curves of one MLP per optimiser on MNIST-1D."""

    names: tuple
    lrs: dict                # name -> learning rate used
    histories: dict          # name -> models.train history
    epochs: int
    batch_size: int
    sizes: tuple

    def __str__(self):
        rows = [f"MLP {'-'.join(map(str, self.sizes))} (ReLU) on MNIST-1D, {self.epochs} epochs, "
                f"batch {self.batch_size}, default learning rates",
                f"{'optimizer':<10}{'lr':>7}{'train loss':>12}{'test loss':>11}{'test acc':>10}"]
        for n in self.names:
            h = self.histories[n]
            rows.append(f"{LABELS[n]:<10}{self.lrs[n]:7.3f}{h['train_loss'][-1]:12.4f}"
                        f"{h['test_loss'][-1]:11.4f}{h['test_acc'][-1]:10.1%}")
        return "\n".join(rows)


def mnist1d_curves(names=NAMES, epochs=10, batch_size=100, sizes=(40, 100, 100, 10), seed=0):
    """Train the same MLP (same initial weights, same batches) with each optimiser.

    Every optimiser uses its default learning rate (SGD, Momentum, AdaGrad
    and RMSProp 0.01, Adam 0.001). ``seed`` fixes the data set, the initial
    weights and the batch order.

    Returns
    -------
    LossCurves
    """
    for n in names:
        _check_name(n)
    runs = {n: _train(n, None, int(epochs), int(batch_size), tuple(sizes), int(seed)) for n in names}
    return LossCurves(tuple(names), {n: r[2] for n, r in runs.items()},
                      {n: r[0] for n, r in runs.items()}, int(epochs), int(batch_size), tuple(sizes))


@dataclass(frozen=True)
class BatchSizes:
    """The same training with several minibatch sizes and the same number of epochs."""

    name: str
    lr: float
    epochs: int
    n_train: int
    batch_sizes: tuple
    histories: dict          # batch size -> models.train history
    seconds: dict = field(default_factory=dict, compare=False)   # batch size -> seconds of training

    def updates(self, b):
        """Parameter updates in the whole run with batch size b."""
        return self.epochs * -(-self.n_train // b)

    def __str__(self):
        rows = [f"{LABELS[self.name]}, lr = {self.lr:g}, {self.epochs} epochs "
                f"({self.epochs * self.n_train} samples seen) for every batch size",
                f"{'batch':>6}{'updates':>9}{'train loss':>12}{'test acc':>10}"]
        for b in self.batch_sizes:
            h = self.histories[b]
            rows.append(f"{b:6d}{self.updates(b):9d}{h['train_loss'][-1]:12.4f}{h['test_acc'][-1]:10.1%}")
        return "\n".join(rows)

    def timing(self):
        """Seconds per epoch and per update (they vary from run to run: not for nbval)."""
        rows = [f"{'batch':>6}{'s / epoch':>11}{'ms / update':>13}"]
        for b in self.batch_sizes:
            s = self.seconds[b]
            rows.append(f"{b:6d}{s / self.epochs:11.3f}{1000 * s / self.updates(b):13.3f}")
        return "\n".join(rows)


def batch_sizes(sizes=(1, 10, 100, 1000), epochs=2, name="sgd", lr=0.01,
                hidden=(40, 100, 100, 10), seed=0):
    """Train the MNIST-1D MLP with each minibatch size for the same number of epochs.

    Small batches make many noisy updates per epoch, large ones few accurate
    updates: per sample seen, small batches learn more, but each epoch costs
    more time (a batch of 1 makes 4000 small matrix products per epoch).

    Returns
    -------
    BatchSizes
    """
    _check_name(name)
    runs = {int(b): _train(name, float(lr), int(epochs), int(b), tuple(hidden), int(seed)) for b in sizes}
    n_train = _mnist1d(int(seed))[0].shape[0]
    return BatchSizes(name, float(lr), int(epochs), n_train, tuple(int(b) for b in sizes),
                      {b: r[0] for b, r in runs.items()}, {b: r[1] for b, r in runs.items()})


BATCH_CHOICES = (1, 10, 100, 1000)      # the batch-size slider of the lesson's demo
LR_CHOICES = (0.001, 0.01, 0.1)          # its learning-rate slider


def batch_size_run(batch_size=100, lr=0.01):
    """One point of the batch-size demo: SGD for 2 epochs with this batch size and learning rate.

    The same run as one row of :func:`batch_sizes` (cached, so the demo's grid is
    trained once). Returns a :class:`BatchSizes` with a single batch size.
    """
    return batch_sizes(sizes=(int(batch_size),), lr=float(lr))


def warm_batch_grid():
    """Train every (batch size, learning rate) pair of the demo's grid into the cache."""
    for lr in LR_CHOICES:
        for b in BATCH_CHOICES:
            batch_size_run(b, lr)
