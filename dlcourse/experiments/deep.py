"""Chapter 08 experiments: deep networks and the vanishing gradient.

Seeds: 000 p.19 and p.23 (Neubig: deep networks; the error terms δ shrink
from about 0.1 at the output to about 1e-6 at the input; exploding gradients
too), 001 §7.3.1-7.3.2 (the vanishing gradient, the Playground demo with 6
hidden layers of 4 sigmoid units on Gaussian data with noise 30; the
sigmoid's derivative is at most 0.25, ReLU's is 1 for positive inputs),
002 p.32 (stacked sigmoids squash the signal), 003 §9.3.1 (remedies:
activations, optimisers, pre-training).

The deep stacks and their backward pass live in :mod:`dlcourse.lessons.deep_stacks`; the
data is a fixed batch of scikit-learn's 8x8 digits.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlcourse import datasets, models, optim
from dlcourse import layers as L
from dlcourse.experiments import hidden
from dlcourse.lessons import deep_stacks
from dlcourse.lessons import playground as P
from dlcourse.experiments._cache import cached

__all__ = [
    "digits_batch", "Profiles", "gradient_profiles", "PlaygroundDepth", "playground_depth",
    "ActivationHistograms", "activation_histograms", "DeepRun", "deep_run",
]


@cached(4)
def _digits(n, seed):
    X, t, _, _ = datasets.load_digits(seed=seed)
    return X[:n].copy(), t[:n].copy()


def digits_batch(n=100, seed=0):
    """The first ``n`` training digits of ``datasets.load_digits(seed=seed)``.

    Returns
    -------
    x : ndarray, shape (n, 64), pixels in [0, 1]
    t : ndarray of int, shape (n,)
    """
    x, t = _digits(int(n), int(seed))
    return x.copy(), t.copy()


def _case_name(case):
    act, init, res = case
    return f"{act}/{init}" + ("+skip" if res else "")


@dataclass(frozen=True)
class Profiles:
    """Per-layer gradient norms ``||dL/dW||`` of several deep stacks at initialisation."""

    cases: list        # (activation, init, residual) per stack
    sizes: list        # [64, H, ..., H, 10]
    norms: np.ndarray  # (n_cases, L), input layer first
    losses: np.ndarray # (n_cases,) initial loss
    n: int = 100       # digits in the batch

    @property
    def names(self):
        return [_case_name(c) for c in self.cases]

    @property
    def ratios(self):
        """Output layer's gradient norm over the input layer's, per case."""
        return self.norms[:, -1] / self.norms[:, 0]

    def __str__(self):
        L = self.norms.shape[1]
        w = max(14, *(len(n) + 2 for n in self.names))
        lines = [f"{L - 1} hidden layers of {self.sizes[1]} units, a batch of {self.n} digits: "
                 f"||dL/dW|| per layer at initialisation"]
        lines.append("layer" + " " * 10 + "".join(f"{n:>{w}}" for n in self.names))
        for k in range(L):
            where = " (input)" if k == 0 else " (output)" if k == L - 1 else ""
            lines.append(f"{f'{k + 1}{where}':<15}" + "".join(f"{v:>{w}.1e}" for v in self.norms[:, k]))
        lines.append(f"{'output/input':<15}" + "".join(f"{r:>{w}.1e}" for r in self.ratios))
        return "\n".join(lines)


def gradient_profiles(cases=(("sigmoid", "xavier", False), ("relu", "he", False)),
                      depth=10, width=30, n=100, seed=0):
    """Per-layer gradient norms of deep stacks on a batch of digits (seed 000 p.23).

    Parameters
    ----------
    cases : sequence of (activation, init, residual)
        ``init`` as in :func:`dlcourse.lessons.deep_stacks.weight_std`; ``residual`` adds skip
        connections to the square hidden layers.
    depth : int
        Hidden layers, each of ``width`` units; a stack 64-H-...-H-10.
    n : int
        Digits in the batch (:func:`digits_batch`).
    seed : int
        Seeds the weights (the same draw for every case, scaled differently).

    Returns
    -------
    Profiles
    """
    x, t = digits_batch(n)
    sizes = [64] + [int(width)] * int(depth) + [10]
    norms, losses = [], []
    with np.errstate(all="ignore"):
        for act, init, res in cases:
            params = deep_stacks.init_stack(sizes, init, rng=seed)
            loss, grads = deep_stacks.loss_and_grads(params, x, t, act, res)
            norms.append([np.linalg.norm(dW) for dW, _ in grads])
            losses.append(loss)
    return Profiles([tuple(c) for c in cases], sizes, np.array(norms), np.array(losses), int(n))


# --- the Playground demo (seed 001 §7.3.1) ------------------------------------------

@dataclass(frozen=True)
class PlaygroundDepth:
    """The slide's deep Playground net trained with each activation."""

    results: list                                # hidden.PlaygroundResult per activation
    init_norms: list = field(default_factory=list)  # (L,) ||dE/dW|| per layer at the start

    def __str__(self):
        s = self.results[0].settings
        lines = [f"{s['dataset']} data, noise {s['noise']}, {s['hidden_layers']} hidden layers of "
                 f"{s['units']} units, {self.results[0].epoch} epochs, learning rate {s['learning_rate']:g}",
                 "activation  train loss  training acc  test acc  ||dW|| at start: layer 1 ... output"]
        for r, g in zip(self.results, self.init_norms):
            lines.append(f"{r.settings['activation']:<10}  {r.train_loss[-1]:10.4f}  "
                         f"{100 * r.train_acc:11.1f}%  {100 * r.test_acc:7.1f}%  "
                         + " ".join(f"{v:.0e}" for v in g))
        return "\n".join(lines)


def playground_depth(activations=("sigmoid", "relu"), epochs=100, seed=1, **kw):
    """Seed 001 §7.3.1: 6 hidden layers of 4 units, Gaussian data, noise 30.

    Trains :func:`dlcourse.experiments.hidden.playground` once per activation
    (other keywords go to it) and also reports each fresh network's
    ``||dE/dW||`` per layer on the training set, before any step.

    Returns
    -------
    PlaygroundDepth
    """
    settings = dict(dataset="gauss", noise=30, hidden_layers=6, units=4, epochs=epochs, seed=seed)
    settings.update(kw)
    out = PlaygroundDepth([])
    for act in activations:
        res = hidden.playground(activation=act, **settings)
        net = P.PlaygroundNet([settings["units"]] * settings["hidden_layers"], act,
                              rng=np.random.default_rng([int(settings["seed"]), 5]))
        _, grads = net.gradients(res.X_train, res.t_train)
        out.results.append(res)
        out.init_norms.append(np.array([np.linalg.norm(g) for g in grads[0::2]]))
    return out


# --- activation histograms (weight scale) ------------------------------------------

@dataclass(frozen=True)
class ActivationHistograms:
    """Activations of every hidden layer for several (activation, init) pairs."""

    cases: list          # (activation, init)
    acts: list           # per case: ndarray (depth, n, width)

    @property
    def stds(self):
        """(n_cases, depth): the std of each layer's activations."""
        return np.array([a.std(axis=(1, 2)) for a in self.acts])

    def __str__(self):
        depth = self.acts[0].shape[0]
        lines = [f"std of the activations, {self.acts[0].shape[1]} inputs through {depth} layers "
                 f"of {self.acts[0].shape[2]} units",
                 f"{'activation/init':<16}" + "".join(f"{f'layer {k + 1}':>10}" for k in range(depth))]
        for (act, init), s in zip(self.cases, self.stds):
            lines.append(f"{f'{act}/{init}':<16}" + "".join(f"{v:>10.4f}" for v in s))
        return "\n".join(lines)


def activation_histograms(cases=(("sigmoid", "1.0"), ("sigmoid", "0.01"), ("sigmoid", "xavier"),
                                 ("relu", "xavier"), ("relu", "he")),
                          depth=5, width=100, n=1000, seed=0):
    """Pass ``n`` standard-normal inputs through ``depth`` layers of ``width`` units.

    Biases are 0 and the weights are drawn once per case from the same seed,
    so only the scale differs. Std 1 pushes sigmoids to 0 and 1 (slope 0);
    std 0.01 makes every unit output about 0.5 (all units alike); Xavier
    keeps sigmoids spread; ReLU needs He's factor 2 to keep its spread.

    Returns
    -------
    ActivationHistograms
    """
    x = np.random.default_rng(seed).standard_normal((int(n), int(width)))
    out = []
    for act, init in cases:
        params = deep_stacks.init_stack([width] * (depth + 1), init, rng=seed + 1)
        net = L.Sequential([layer for W, b in params
                            for layer in (L.Affine(W, b), L.get_activation_layer(act))])
        out.append(np.array(list(net.outputs(x))[1::2]))    # (depth, n, width): after each activation
    return ActivationHistograms([tuple(c) for c in cases], out)


# --- the widget's run ------------------------------------------------------------------

@dataclass(frozen=True)
class DeepRun:
    """A deep stack's gradient norms at initialisation and its loss over a few steps."""

    depth: int
    activation: str
    init: str
    norms: np.ndarray     # (depth + 1,), input layer first
    losses: np.ndarray    # (steps + 1,)
    lr: float

    def __str__(self):
        ratio = self.norms[-1] / self.norms[0]
        return "\n".join([
            f"{self.depth} hidden layer{'s' if self.depth > 1 else ''} of 30 {self.activation} units, "
            f"init {self.init}",
            "||dL/dW|| per layer (input first): " + " ".join(f"{v:.1e}" for v in self.norms),
            f"output layer / input layer: {ratio:.1e}",
            f"loss: {self.losses[0]:.4f} at the start, {self.losses[-1]:.4f} after "
            f"{len(self.losses) - 1} Adam steps (lr {self.lr:g})",
        ])


@cached(256)
def deep_run(depth=10, activation="sigmoid", init="xavier", steps=30, lr=0.01, seed=0):
    """Gradient norms of a fresh 64-30-...-30-10 stack, then a few Adam steps on the batch.

    Cached by its arguments (the widget revisits settings). Uses the 100-digit
    batch of :func:`digits_batch`, full-batch steps of ``optim.Adam(lr)``; a
    diverging loss shows as nan.

    Returns
    -------
    DeepRun
    """
    from threadpoolctl import threadpool_limits

    x, t = digits_batch(100)
    params = deep_stacks.init_stack([64] + [30] * int(depth) + [10], init, rng=seed)
    net = deep_stacks.network(params, activation)
    with np.errstate(all="ignore"), threadpool_limits(limits=1):
        norms = deep_stacks.gradient_norms(params, x, t, activation)
        history = models.train_steps(net, optim.Adam(lr=lr), lambda step: (x, t), int(steps))
        losses = history["batch_loss"] + [net.loss(x, t)]          # and the loss after the last step
    return DeepRun(int(depth), activation, str(init), norms, np.array(losses), float(lr))
