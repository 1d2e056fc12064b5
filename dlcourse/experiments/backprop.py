"""Chapter 07 experiments: backpropagation, from Araki's derivation to an MLP on digits.

Seeds: 001 §7.2 (the derivation with squared error, sigmoid units and
ε terms; per-sample SGD with shuffling; §7.2.4 overfitting and the
dependence on initial weights), 001 §7.1 (7/7) (the Playground XOR demo:
one hidden layer of 4 sigmoid units), 000 p.20-22 (only the output's target
is known; the chain rule sends the next layer's error back through the
weights).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse.lessons import araki as bp
from dlcourse import datasets, gradients, models, optim
from dlcourse import layers as L
from dlcourse.datasets import stratified_subset
from dlcourse.experiments._cache import cached

__all__ = [
    "XOR_X", "XOR_B", "XorRun", "araki_xor", "LayersAgreement", "layers_agree",
    "GradientCheck", "gradient_check", "graph_net", "DigitsRuns", "digits_mlp",
    "Overfitting", "overfitting", "SeedMinima", "seed_minima",
]

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
"""The four XOR inputs, (4, 2)."""
XOR_B = np.array([[0.0], [1.0], [1.0], [0.0]])
"""Their training signals b_p, (4, 1)."""


def _outputs_table(X, outputs, B):
    rows = [f"{'x1':>4} {'x2':>4} {'target':>7} {'output':>8}"]
    for x, y, b in zip(X, outputs, B):
        rows.append(f"{x[0]:4.0f} {x[1]:4.0f} {b[0]:7.0f} {y[0]:8.4f}")
    return "\n".join(rows)


# --- Araki's algorithm on XOR -------------------------------------------------------

@dataclass(frozen=True)
class XorRun:
    """One run of Araki's per-sample backpropagation on XOR."""

    hidden: int
    rho: float
    epochs: int
    seed: int
    every: int
    losses: np.ndarray       # (epochs + 1,): J = sum_p J_p before training and after each epoch
    outputs: np.ndarray      # (4, 1): the trained network's outputs for XOR_X
    w: list                  # the trained weights, w[k] of shape (n_k + 1, n_{k+1})

    @property
    def accuracy(self):
        """Fraction of the four inputs whose output is on the right side of 0.5."""
        return float(np.mean((self.outputs > 0.5) == (XOR_B > 0.5)))

    def __str__(self):
        head = (f"Araki's backprop on XOR: 2-{self.hidden}-1 sigmoid net, rho = {self.rho:g}, "
                f"{self.epochs} epochs, seed {self.seed}")
        marks = sorted(set(range(0, self.epochs + 1, self.every)) | {self.epochs})
        rows = [f"{'epoch':>6}  {'J = sum_p J_p':>13}"]
        rows += [f"{e:6d}  {self.losses[e]:13.4f}" for e in marks]
        return "\n".join([head, *rows, "", self.summary(short=True)])

    def summary(self, short=False):
        """The outputs table and the verdict (what the slider demo shows beside its figure)."""
        right = int(round(4 * self.accuracy))
        head = [] if short else [f"2-{self.hidden}-1 net, rho = {self.rho:g}, {self.epochs} epochs",
                                 f"final J = {self.losses[-1]:.4f}", ""]
        return "\n".join([*head, _outputs_table(XOR_X, self.outputs, XOR_B),
                          f"{right}/4 outputs on the right side of 0.5"])


@cached(256)
def _araki_xor(hidden, rho, epochs, seed, scale):
    w = bp.init_weights([2, hidden, 1], rng=seed, scale=scale)
    losses = bp.train(w, XOR_X, XOR_B, rho=rho, epochs=epochs, rng=seed)
    return losses, bp.predict(w, XOR_X), w


def araki_xor(hidden=4, rho=3.0, epochs=300, seed=0, every=25, scale=0.5):
    """Train a 2-``hidden``-1 sigmoid network on XOR with Araki's algorithm.

    Initial weights uniform in [-scale, scale]; each epoch shuffles the four
    samples, then runs forward, ε from the output down, and the update for
    each sample in turn (:func:`dlcourse.lessons.araki.train`). The generator
    seeded with ``seed`` draws the weights; a second one with the same seed
    draws the orders. The default hidden layer of 4 units is the
    Playground's XOR setting on seed 001 §7.1.

    Runs are cached (the same arguments give the same result), so the slider
    demo can return to a setting at once; the returned weights are copies.

    Returns
    -------
    XorRun
    """
    hidden, epochs, every = int(hidden), int(epochs), max(1, int(every))
    if hidden < 1:
        raise ValueError(f"araki_xor: expected hidden >= 1, got {hidden}")
    losses, outputs, w = _araki_xor(hidden, float(rho), epochs, int(seed), float(scale))
    return XorRun(hidden, float(rho), epochs, int(seed), every, losses.copy(), outputs.copy(),
                  [w_k.copy() for w_k in w])


# --- the same network from layer classes -----------------------------------------------

@dataclass(frozen=True)
class LayersAgreement:
    """Araki's per-sample updates against Affine/Sigmoid/MSELoss layers + SGD, same start, same order."""

    steps: list              # number of per-sample steps after which the weights were compared
    max_difference: list     # max |w_araki - w_layers| over every weight, after each entry of steps
    J_araki: float           # J_p of the first sample, Araki's formula
    J_layers: float          # MSELoss of the first sample (a batch of one)
    tol: float = 1e-12

    def __str__(self):
        rows = [f"first sample: J_p (Araki) = {self.J_araki:.4f}, MSELoss (batch of 1) = {self.J_layers:.4f}"]
        for n, d in zip(self.steps, self.max_difference):
            ok = "✓" if d < self.tol else "✗"
            step = "steps" if n > 1 else "step "
            rows.append(f"after {n:3d} per-sample {step}: max |w_araki - w_layers| < {self.tol:.0e} {ok}")
        return "\n".join(rows)


def _layers_step(net, loss, x, b, sgd):
    """One per-sample SGD step of a layer stack on MSELoss; returns the loss."""
    J = float(loss.forward(net.forward(x[None, :]), b[None, :]))    # batch of one: (1, D)
    net.backward(loss.backward())
    sgd.update(net.params, net.grads)
    return J


def layers_agree(hidden=4, rho=3.0, seed=0, steps=(1, 4, 40)):
    """Show that Araki's update is the layer classes' gradient step.

    Both start from the same weights (``Affine`` gets W = w[1:], b = w[0])
    and see the XOR samples in the same order (shuffled each epoch); after
    each count in ``steps`` of per-sample steps the weights are compared.
    With a batch of one, MSELoss = 0.5 sum (y - t)^2 = J_p, and Affine,
    Sigmoid and MSELoss's backward passes give exactly ε_jp g_ip.

    The per-sample loop stays written out, not ``models.train_steps``: the
    lesson (chapter 07) compares Araki's update with the layers' step one
    sample at a time, so both updates sit side by side in it.

    Returns
    -------
    LayersAgreement
    """
    steps = sorted(int(n) for n in steps)
    w = bp.init_weights([2, hidden, 1], rng=seed)
    net = models.Sequential(bp.to_layers(w))
    loss, sgd = L.MSELoss(), optim.SGD(lr=rho)
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(4) for _ in range(-(-steps[-1] // 4))])   # whole epochs
    diffs, first = [], None
    for n, p in enumerate(order[:steps[-1]], start=1):
        J_araki = bp.araki_step(w, XOR_X[p], XOR_B[p], rho)
        J_layers = _layers_step(net, loss, XOR_X[p], XOR_B[p], sgd)
        first = first or (J_araki, J_layers)
        if n in steps:
            W = net.params                                   # [W1, b1, W2, b2]
            diffs.append(max(float(np.max(np.abs(w_k - np.vstack([b_k, W_k]))))
                             for w_k, W_k, b_k in zip(w, W[0::2], W[1::2])))
    return LayersAgreement(steps, diffs, *first)


# --- gradient check on a small MLP ---------------------------------------------------

def graph_net(sizes=(4, 5, 5, 3), seed=0):
    """A small network that uses every node of the chapter, in float64.

    ``Affine -> Sigmoid -> Affine -> ReLU -> Affine``, followed by
    ``SoftmaxWithLoss``; weights normal with std 1 so no unit saturates.

    Returns
    -------
    net : Sequential
    loss : SoftmaxWithLoss
    """
    rng = np.random.default_rng(seed)
    D, H1, H2, C = sizes
    net = models.Sequential([
        L.Affine(rng.standard_normal((D, H1)), rng.standard_normal(H1)), L.Sigmoid(),
        L.Affine(rng.standard_normal((H1, H2)), rng.standard_normal(H2)), L.ReLU(),
        L.Affine(rng.standard_normal((H2, C)), rng.standard_normal(C)),
    ])
    return net, L.SoftmaxWithLoss()


@dataclass(frozen=True)
class GradientCheck:
    """Backprop gradients of every parameter against central differences."""

    names: list
    shapes: list
    errors: list
    nodes: list              # (node, forward output shape, dx shape, parameter gradients)
    loss: float
    tol: float = 1e-7

    @property
    def passed(self):
        return all(e < self.tol for e in self.errors)

    def __str__(self):
        rows = [f"{'node':<16} {'forward output':<15} backward returns"]
        for name, out, dx, grads in self.nodes:
            out = "loss ()" if out == () else str(out)
            back = f"dx {dx}" + (f"; {grads}" if grads else "")
            back += " = (y - t) / N" if name == "SoftmaxWithLoss" else ""
            rows.append(f"{name:<16} {out:<15} {back}")
        rows += ["", f"loss = {self.loss:.4f}; numeric (central differences, h = 1e-5) vs backprop:"]
        for name, shape, e in zip(self.names, self.shapes, self.errors):
            ok = f"< {self.tol:.0e} ✓" if e < self.tol else f">= {self.tol:.0e} ✗"
            rows.append(f"  {name:<3} {str(shape):<8} rel. error {e:.1e}  {ok}")
        return "\n".join(rows)


def gradient_check(sizes=(4, 5, 5, 3), N=6, seed=0):
    """Gradient check of :func:`graph_net` on a random batch (float64).

    Every parameter's backprop gradient is compared with
    ``gradients.numerical_gradient`` of the loss; expect relative errors
    far below 1e-7 (ReLU's kink at 0 is not hit by random inputs).

    Returns
    -------
    GradientCheck
    """
    net, loss = graph_net(sizes, seed)
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((N, sizes[0]))
    t = rng.integers(0, sizes[-1], size=N)

    def f():
        return float(loss.forward(net.forward(x), t))

    value = f()
    net.backward(loss.backward())
    analytic = [g.copy() for g in net.grads]
    errors = [gradients.rel_error(g, gradients.numerical_gradient(f, p))
              for p, g in zip(net.params, analytic)]
    k = len(net.params) // 2
    names = [n for i in range(1, k + 1) for n in (f"W{i}", f"b{i}")]
    shapes = [tuple(p.shape) for p in net.params]
    nodes, shape, a = [], (N, sizes[0]), 0
    for layer in net.layers:
        kind, out, grads = type(layer).__name__, shape, ""
        if kind == "Affine":
            a += 1
            (D, H), out = layer.params[0].shape, (N, layer.params[0].shape[1])
            grads = f"dW{a} {(D, H)}, db{a} {(H,)}"
        nodes.append((kind, out, shape, grads))
        shape = out
    nodes.append(("SoftmaxWithLoss", (), shape, ""))
    return GradientCheck(names, shapes, errors, nodes, value)


# --- an MLP on real digits ----------------------------------------------------------

@dataclass(frozen=True)
class DigitsRuns:
    """The same MLP recipe trained on several stratified train/test splits of the 8×8 digits."""

    sizes: list
    lr: float
    epochs: int
    batch_size: int
    split_seeds: list
    histories: list          # one models.train history per split
    standardize: bool = True

    @property
    def train_acc(self):
        return np.array([h["train_acc"][-1] for h in self.histories])

    @property
    def test_acc(self):
        return np.array([h["test_acc"][-1] for h in self.histories])

    def __str__(self):
        rows = [f"MLP {'-'.join(map(str, self.sizes))} (ReLU), SGD lr = {self.lr:g}, "
                f"batch {self.batch_size}, {self.epochs} epochs; 1438 train / 359 test images per split"
                + ("; pixels standardised" if self.standardize else ""),
                f"{'split seed':>10}  {'train acc':>9}  {'test acc':>8}"]
        rows += [f"{s:10d}  {a:9.1%}  {b:8.1%}"
                 for s, a, b in zip(self.split_seeds, self.train_acc, self.test_acc)]
        rows.append(f"{'mean':>10}  {self.train_acc.mean():9.1%}  {self.test_acc.mean():8.1%}")
        return "\n".join(rows)


def digits_mlp(hidden=256, lr=0.1, epochs=30, batch_size=32, split_seeds=(0, 1, 2, 3, 4), seed=0,
               standardize=True):
    """Train ``MLP([64, hidden, 10], "relu")`` with plain SGD on several digit splits.

    With ``standardize`` every pixel is shifted and scaled by the training
    set's mean and standard deviation (+0.1, since the border pixels are
    almost always 0), so all inputs share one scale and SGD takes even steps.

    ``datasets.load_digits(seed=s)`` holds out 20% of each class; one test
    set is only 359 images, so one image is 0.3% and splits differ by a
    few points: the mean over splits is the honest number.

    Returns
    -------
    DigitsRuns
    """
    histories = []
    for s in split_seeds:
        X_train, t_train, X_test, t_test = (standardized_digits if standardize else datasets.load_digits)(seed=s)
        model = models.MLP([64, hidden, 10], "relu", init="he", rng=seed)
        histories.append(models.train(model, optim.SGD(lr), X_train, t_train, X_test, t_test,
                                      epochs=epochs, batch_size=batch_size, rng=seed, progress=False))
    return DigitsRuns([64, hidden, 10], lr, epochs, batch_size, list(split_seeds), histories, standardize)


@cached(8)
def standardized_digits(seed=0):
    """scikit-learn's 8×8 digits (1,438 train / 359 test), each pixel standardised by the training set.

    Every pixel is shifted and scaled by the training images' mean and standard
    deviation + 0.1 (the border pixels are almost always 0). Chapters 07, 10
    and 17 train on these. Read-only and cached.

    Returns
    -------
    X_train (1438, 64), t_train (1438,), X_test (359, 64), t_test (359,)
    """
    X_train, t_train, X_test, t_test = datasets.load_digits(seed=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 0.1     # (64,) each
    return (X_train - mean) / std, t_train, (X_test - mean) / std, t_test


# --- overfitting (seed 001 §7.2.4) -----------------------------------------------------

@dataclass(frozen=True)
class Overfitting:
    """A big network trained on a few digits: training error goes to zero, test error does not."""

    sizes: list
    n_train: int
    epochs: int
    history: dict

    @property
    def best_test_epoch(self):
        """Epoch (1-based) with the lowest test loss."""
        return int(np.argmin(self.history["test_loss"])) + 1

    def __str__(self):
        h = self.history
        return "\n".join([
            f"MLP {'-'.join(map(str, self.sizes))} on {self.n_train} training digits, {self.epochs} epochs",
            f"train accuracy {h['train_acc'][-1]:6.1%}   train loss {h['train_loss'][-1]:.4f}",
            f"test accuracy  {h['test_acc'][-1]:6.1%}   test loss  {h['test_loss'][-1]:.4f}",
            f"lowest test loss {min(h['test_loss']):.4f} at epoch {self.best_test_epoch}; "
            f"after that the test loss rises while the train loss keeps falling",
        ])


def overfitting(per_class=10, sizes=(64, 256, 256, 10), lr=0.3, epochs=200, batch_size=20, seed=0):
    """Train a large MLP on ``10 * per_class`` digits and test it on the usual 359.

    Returns
    -------
    Overfitting
    """
    X_train, t_train, X_test, t_test = datasets.load_digits(seed=seed)
    idx = stratified_subset(t_train, per_class, np.random.default_rng(seed))
    model = models.MLP(list(sizes), "relu", init="he", rng=seed)
    h = models.train(model, optim.SGD(lr), X_train[idx], t_train[idx], X_test, t_test,
                     epochs=epochs, batch_size=batch_size, rng=seed, progress=False)
    return Overfitting(list(sizes), len(idx), epochs, h)


# --- initial weights decide the minimum (seed 001 §7.2.4) ----------------------------

@dataclass(frozen=True)
class SeedMinima:
    """Araki's algorithm on XOR from several initial weights."""

    runs: list               # XorRun per seed
    solved_below: float = 0.05

    @property
    def final_losses(self):
        return np.array([r.losses[-1] for r in self.runs])

    @property
    def solved(self):
        return self.final_losses < self.solved_below

    def __str__(self):
        r0 = self.runs[0]
        rows = [f"2-{r0.hidden}-1 sigmoid net on XOR, rho = {r0.rho:g}, {r0.epochs} epochs, "
                f"initial weights uniform in [-0.5, 0.5]",
                f"{'seed':>4}  {'final J':>8}  {'outputs for (0,0) (0,1) (1,0) (1,1)':<37} result"]
        for r, ok in zip(self.runs, self.solved):
            outs = " ".join(f"{y:.4f}" for y in r.outputs[:, 0])
            rows.append(f"{r.seed:4d}  {r.losses[-1]:8.4f}  {outs:<37} {'solved' if ok else 'stuck'}")
        rows.append(f"{int(self.solved.sum())} of {len(self.runs)} runs solve XOR "
                    f"(J < {self.solved_below:g})")
        return "\n".join(rows)


def seed_minima(seeds=range(10), hidden=2, rho=3.0, epochs=1000):
    """Train the smallest XOR net (2 hidden units) from several seeds; some end in a local minimum.

    Returns
    -------
    SeedMinima
    """
    return SeedMinima([araki_xor(hidden, rho, epochs, seed=s, every=epochs) for s in seeds])
