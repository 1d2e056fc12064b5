"""Chapter 05 experiments: hidden layers make non-linear boundaries.

Seeds: 000 p.11-17 (Neubig: a perceptron only separates linearly; a hand-set
network of three ±1 perceptrons maps XOR into a space where one line
separates it), 001 §7.1 (6/7, 7/7: a feed-forward net's boundary is a
weighted sum of its hidden units' boundaries; more hidden units give more
complex boundaries; the TensorFlow Playground demo with 1 hidden layer of 4
sigmoid units on XOR, noise 0), 002 p.19-26 (the limit of one layer, the
multilayer perceptron and its layer numbering).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlcourse import datasets
from dlcourse.lessons.neubig import NEUBIG_LABELS, NEUBIG_PHI, NEUBIG_WEIGHTS, pm1_network
from dlcourse.lessons import playground as P

__all__ = [
    "NeubigNetwork", "neubig_network",
    "PlaygroundResult", "PlaygroundRun", "playground", "PLAYGROUND_DEFAULTS",
    "UnitsSweep", "units_sweep", "EPOCH_CHOICES",
]

# --- Neubig's hand-set network (seed 000 p.14-17) ---------------------------------

@dataclass(frozen=True)
class NeubigNetwork:
    """Neubig's XOR network: inputs, hidden outputs (the new space) and outputs."""

    phi: np.ndarray        # (4, 2)
    labels: np.ndarray     # (4,) ±1
    W1: np.ndarray         # (2, H)
    b1: np.ndarray         # (H,)
    w2: np.ndarray         # (H,)
    b2: float
    hidden: np.ndarray     # (4, H) ±1
    output: np.ndarray     # (4,) ±1

    def __str__(self):
        mark = {1: "O", -1: "X"}
        H_ = self.W1.shape[1]
        ys = "".join(f"{f'y{j + 1}':>5}" for j in range(H_))
        lines = [f"     phi1  phi2 | label |{ys} | y.w2 + b2 | output",
                 "    " + "-" * (29 + 5 * H_ + 10)]
        for k, (p, t, y, o) in enumerate(zip(self.phi, self.labels, self.hidden, self.output)):
            s = float(y @ self.w2 + self.b2)
            lines.append(f"x{k + 1}: {p[0]:+5g} {p[1]:+5g} |   {mark[int(t)]}   |"
                         + "".join(f"{v:+5d}" for v in y) + f" | {s:+9g} | {o:+3d} {mark[int(o)]}")
        lines.append("")
        for j in range(H_):
            lines.append(f"hidden y{j + 1}: w = ({self.W1[0, j]:+g}, {self.W1[1, j]:+g}), b = {self.b1[j]:+g}")
        w2 = ", ".join(f"{v:+g}" for v in self.w2)
        right = int(np.sum(self.output == self.labels))
        lines += [f"output:    w = ({w2}), b = {self.b2:+g}", f"{right}/4 inputs classified correctly"]
        return "\n".join(lines)


def neubig_network(W1=None, b1=None, w2=None, b2=None):
    """Neubig's hand-set network on his four ±1 inputs (seed 000 p.14-17).

    Parameters
    ----------
    W1, b1, w2, b2 : optional
        Other weights in the layout of :func:`dlcourse.lessons.neubig.pm1_network`;
        by default the slide's (:data:`~dlcourse.lessons.neubig.NEUBIG_WEIGHTS`).

    Returns
    -------
    NeubigNetwork
        The hidden layer maps x1 .. x4 to (-1, -1), (1, -1), (-1, 1), (-1, -1):
        both X inputs land on one corner, and the output unit's line
        y1 + y2 + 1 = 0 separates it from the two O's.
    """
    given = (W1, b1, w2, b2)
    W1, b1, w2, b2 = (np.asarray(d, dtype=float) if g is None else np.asarray(g, dtype=float)
                      for g, d in zip(given, NEUBIG_WEIGHTS))
    hidden, output = pm1_network(NEUBIG_PHI, W1, b1, w2, b2)
    return NeubigNetwork(NEUBIG_PHI.copy(), NEUBIG_LABELS.copy(), W1, b1, w2, float(b2), hidden, output)


# --- the TensorFlow Playground (seed 001 §7.1 7/7) --------------------------------

EPOCH_CHOICES = (0, 10, 25, 50, 100, 200, 300, 500, 1000)
"""Epoch counts offered by the Playground widget."""

PLAYGROUND_DEFAULTS = dict(dataset="xor", noise=0, hidden_layers=1, units=4, activation="sigmoid",
                           learning_rate=0.03, regularization="none", reg_rate=0.001, batch_size=10,
                           epochs=300, seed=1)
"""The slide's demo (seed 001 §7.1 7/7) with the Playground's defaults for the rest, except
``reg_rate`` (0.001, unused without regularisation) and the seed (1: see :func:`playground`)."""

GRID = np.linspace(-6.0, 6.0, 60)
"""Coordinates of the 60 x 60 grid on which the boundary is drawn."""


@dataclass(frozen=True)
class PlaygroundResult:
    """A Playground network after some epochs, with what the figure needs."""

    settings: dict
    sizes: list
    epoch: int
    X_train: np.ndarray          # (N, 2)
    t_train: np.ndarray          # (N,) ±1
    X_test: np.ndarray           # (M, 2)
    t_test: np.ndarray           # (M,) ±1
    train_loss: np.ndarray       # (epoch + 1,)
    test_loss: np.ndarray        # (epoch + 1,)
    train_acc: float
    test_acc: float
    grid: np.ndarray             # (G,) coordinates of the grid, both axes
    output: np.ndarray           # (G, G) network output, row i is x2 = grid[i]
    first_layer: np.ndarray      # (G, G, H1) first hidden layer's outputs (empty without one)
    params: list                 # copies of [W1, b1, ..., W(k+1), b(k+1)]
    diverged: bool = False

    @property
    def n_params(self):
        """Number of weights and biases: sum over layers of fan_in * fan_out + fan_out."""
        return int(sum(a * b + b for a, b in zip(self.sizes[:-1], self.sizes[1:])))

    def describe_network(self):
        s = self.settings
        k = s["hidden_layers"]
        if k == 0:
            net = "no hidden layer"
        else:
            net = (f"{k} hidden layer{'s' if k > 1 else ''} of {s['units']} {s['activation']} "
                   f"unit{'s' if s['units'] > 1 else ''}")
        return f"{net} ({'-'.join(map(str, self.sizes))}, {self.n_params} parameters)"

    def __str__(self):
        s = self.settings
        reg = "none" if s["regularization"] == "none" else f"{s['regularization']} at rate {s['reg_rate']:g}"
        lines = [
            f"data: {s['dataset']}, noise {s['noise']}, "
            f"{len(self.t_train)} training / {len(self.t_test)} test points, seed {s['seed']}",
            f"network: {self.describe_network()}",
            f"training: learning rate {s['learning_rate']:g}, regularization {reg}, "
            f"batch size {s['batch_size']}",
            f"epoch {self.epoch}: training loss {self.train_loss[-1]:.4f}, test loss {self.test_loss[-1]:.4f}",
            f"accuracy: training {100 * self.train_acc:.1f}%, test {100 * self.test_acc:.1f}%",
        ]
        if self.diverged:
            lines.append(f"the loss overflowed (nan) at epoch {self.epoch}: the steps are too large "
                         f"(the learning rate, or learning rate x regularization rate)")
        return "\n".join(lines)


class PlaygroundRun:
    """A Playground network being trained; :meth:`train` continues where it stopped.

    Training in chunks gives exactly the same numbers as training in one go
    (the batches are the same every epoch), so a widget can train a little,
    draw, and train on in the background.

    Parameters
    ----------
    dataset : {"circle", "xor", "gauss", "spiral"}
    noise : int, 0 to 50
    hidden_layers : int, 0 to 6
    units : int, 1 to 8
        Units in every hidden layer.
    activation : {"relu", "tanh", "sigmoid", "linear"}
    learning_rate : float
    regularization : {"none", "L1", "L2"}
    reg_rate : float
        Used only with L1 or L2. It starts at 0.001 rather than the
        Playground's 0, so that choosing L1 or L2 changes something at once.
    batch_size : int, 1 to 30
    seed : int
        Seeds the data (500 points, half for training) and, separately, the
        initial weights.
    """

    def __init__(self, dataset="xor", noise=0, hidden_layers=1, units=4, activation="sigmoid",
                 learning_rate=0.03, regularization="none", reg_rate=0.001, batch_size=10, seed=1):
        if not 0 <= int(hidden_layers) <= 6 or not 1 <= int(units) <= 8:
            raise ValueError(f"expected 0-6 hidden layers of 1-8 units, got {hidden_layers} x {units}")
        self.settings = dict(dataset=dataset, noise=noise, hidden_layers=int(hidden_layers),
                             units=int(units), activation=activation, learning_rate=float(learning_rate),
                             regularization=regularization, reg_rate=float(reg_rate),
                             batch_size=int(batch_size), seed=int(seed))
        self.data = datasets.playground(dataset, n=500, noise=noise, seed=seed, train_ratio=0.5)
        self.net = P.PlaygroundNet([int(units)] * int(hidden_layers), activation,
                                   rng=np.random.default_rng([int(seed), 5]))
        self.epoch = 0
        self.diverged = False
        X_train, t_train, X_test, t_test = self.data
        self.train_loss = [self.net.loss(X_train, t_train)]
        self.test_loss = [self.net.loss(X_test, t_test)]

    def train(self, epochs):
        """Train ``epochs`` more epochs (fewer if the loss overflows); returns self."""
        if self.diverged or epochs <= 0:
            return self
        s = self.settings
        h = P.train_playground(self.net, *self.data, epochs=int(epochs), batch_size=s["batch_size"],
                               lr=s["learning_rate"], regularization=s["regularization"],
                               reg_rate=s["reg_rate"])
        self.train_loss += h["train_loss"][1:]
        self.test_loss += h["test_loss"][1:]
        self.epoch += len(h["train_loss"]) - 1
        self.diverged = h["diverged"]
        return self

    def epochs_for(self, work):
        """How many epochs cost about ``work`` layer-steps (steps x weight layers); at least 1.

        A widget uses it to train as much as fits in a time budget without
        timing anything, so what it shows stays deterministic.
        """
        steps = -(-len(self.data[1]) // self.settings["batch_size"])          # ceil(N / B)
        return max(1, int(work // (steps * (len(self.net.sizes) - 1))))

    def result(self):
        """A snapshot of the run as a :class:`PlaygroundResult`."""
        X_train, t_train, X_test, t_test = self.data
        G = len(GRID)
        gx, gy = np.meshgrid(GRID, GRID)                                  # (G, G) each
        with np.errstate(all="ignore"):
            out, hs = self.net.forward(np.stack([gx.ravel(), gy.ravel()], axis=1), all_layers=True)
            first = hs[1].reshape(G, G, -1) if len(hs) > 2 else np.zeros((G, G, 0))
            acc = [float(np.mean(np.where(self.net.forward(X) > 0, 1, -1) == t))
                   for X, t in ((X_train, t_train), (X_test, t_test))]
        return PlaygroundResult(
            dict(self.settings), list(self.net.sizes), self.epoch, X_train, t_train, X_test, t_test,
            np.array(self.train_loss), np.array(self.test_loss), acc[0], acc[1],
            GRID, out.reshape(G, G), first, [p.copy() for p in self.net.params], self.diverged)


def playground(dataset="xor", noise=0, hidden_layers=1, units=4, activation="sigmoid",
               learning_rate=0.03, regularization="none", reg_rate=0.001, batch_size=10,
               epochs=300, seed=1):
    """Train a Playground network and report its losses, accuracies and boundary.

    The defaults are the slide's demo (seed 001 §7.1 7/7): XOR data with
    noise 0, one hidden layer of 4 sigmoid units, and the Playground's
    learning rate 0.03, batch size 10 and no regularisation, trained for
    300 epochs from seed 1. (Sigmoid units learn XOR slowly and the start
    matters: from seed 0 the same network is still at 87% after 300
    epochs.) See
    :class:`PlaygroundRun` for the parameters and :mod:`dlcourse.lessons.playground`
    for the network and the training loop.

    Returns
    -------
    PlaygroundResult
    """
    return PlaygroundRun(dataset, noise, hidden_layers, units, activation, learning_rate,
                         regularization, reg_rate, batch_size, seed).train(epochs).result()


@dataclass(frozen=True)
class UnitsSweep:
    """The same data and training with 1 hidden layer of more and more units."""

    results: list = field(default_factory=list)     # PlaygroundResult, one per unit count

    def __str__(self):
        r0 = self.results[0]
        s = r0.settings
        lines = [f"{s['dataset']} data, noise {s['noise']}, one hidden layer of {s['activation']} units, "
                 f"{r0.epoch} epochs at learning rate {s['learning_rate']:g}",
                 "units  parameters  training loss  test loss  training acc  test acc"]
        for r in self.results:
            lines.append(f"{r.settings['units']:5d}  {r.n_params:10d}  {r.train_loss[-1]:13.4f}  "
                         f"{r.test_loss[-1]:9.4f}  {100 * r.train_acc:11.1f}%  {100 * r.test_acc:7.1f}%")
        return "\n".join(lines)


def units_sweep(units=(1, 2, 4, 8), dataset="circle", activation="tanh", epochs=200, seed=0, **kw):
    """More hidden units, more complex boundaries (seed 001 §7.1 7/7).

    Trains :func:`playground` with one hidden layer of each size in ``units``;
    other keywords go to :func:`playground`.

    Returns
    -------
    UnitsSweep
    """
    return UnitsSweep([playground(dataset=dataset, hidden_layers=1, units=u, activation=activation,
                                  epochs=epochs, seed=seed, **kw) for u in units])
