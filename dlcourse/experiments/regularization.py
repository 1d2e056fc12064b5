"""Chapter 10 experiments: overfitting, weight decay (L2) and dropout.

Seeds: 001 §7.2.4 (overfitting: a flexible boundary fits the training data
and fails on new data), 001 §7.3.2 and 000 p.28 (dropout: switch units off
with probability p while training; at test time use every unit, scaled by
the keep rate 1 - p, the slides' 0.5), 003 §9.3.3 (dropout trains an
ensemble of thinned networks that share their weights).

Data: MNIST-1D (``datasets.load_mnist1d``; 1,000 train / 1,000 test
sequences) for the overfitting and weight-decay runs, where a plain MLP
overfits badly; scikit-learn's 8×8 digits, standardised, for the dropout
experiments and the slider grid, where training is fast.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import datasets, models, optim
from dlcourse import layers as L
from dlcourse.datasets import stratified_subset
from dlcourse.experiments._cache import cached
from dlcourse.experiments.backprop import standardized_digits

__all__ = [
    "WeightDecayRuns", "overfitting", "DropoutExpectation", "dropout_expectation",
    "DropoutEquivalence", "dropout_equivalence", "DropoutEnsemble", "dropout_ensemble",
    "GridRun", "regularization_grid", "DROPOUT_RATES", "WEIGHT_DECAYS", "TRAIN_SIZES",
]


# --- data (cached: every experiment of the lesson reuses one load) ---------------------

@cached(2)
def _mnist1d(seed=0):
    """MNIST-1D, 1,000 train and 1,000 test sequences of length 40 (read-only arrays)."""
    return datasets.load_mnist1d(seed=seed, num_samples=2000, train_split=0.5)


def _acc(logits, t):
    return float(np.mean(np.argmax(logits, axis=1) == t))


# --- overfitting and weight decay (seed 001 §7.2.4) -------------------------------------

@dataclass(frozen=True)
class WeightDecayRuns:
    """The same MLP trained on a small training set with several weight-decay strengths λ."""

    sizes: list
    n_train: int
    n_test: int
    epochs: int
    lambdas: list
    histories: list          # one models.train history per λ

    def final(self, key):
        """The last epoch's value of ``key`` ("train_acc", "test_loss", ...) for every λ, (len(lambdas),)."""
        return np.array([h[key][-1] for h in self.histories])

    def __str__(self):
        rows = [f"MLP {'-'.join(map(str, self.sizes))} (ReLU), Adam, {self.epochs} epochs on MNIST-1D: "
                f"{self.n_train} train / {self.n_test} test sequences",
                f"{'lambda':>7}  {'train acc':>9}  {'test acc':>8}  {'gap':>6}  "
                f"{'train loss':>10}  {'test loss':>9}"]
        for lam, h in zip(self.lambdas, self.histories):
            tr, te = h["train_acc"][-1], h["test_acc"][-1]
            rows.append(f"{lam:7g}  {tr:9.1%}  {te:8.1%}  {tr - te:6.1%}  "
                        f"{h['train_loss'][-1]:10.4f}  {h['test_loss'][-1]:9.4f}")
        return "\n".join(rows)


@cached(16)
def _mnist1d_run(sizes, lam, dropout, lr, epochs, batch_size, seed):
    X, t, X_test, t_test = _mnist1d(seed)
    model = models.MLP(list(sizes), "relu", dropout=dropout, rng=seed)
    return models.train(model, optim.Adam(lr), X, t, X_test, t_test, epochs=epochs,
                        batch_size=batch_size, rng=seed, progress=False, weight_decay=lam)


def overfitting(lambdas=(0.0, 0.01), sizes=(40, 128, 128, 10), lr=2e-3, epochs=40, batch_size=50,
                seed=0):
    """Train ``MLP(sizes)`` on 1,000 MNIST-1D sequences once per weight decay λ.

    ``models.train(..., weight_decay=λ)`` adds λ·W to the gradient of every
    weight matrix (not the biases): the gradient of the penalty
    (λ/2)·Σ‖W‖², which pulls every weight towards 0 at each step.

    Returns
    -------
    WeightDecayRuns
    """
    histories = [_mnist1d_run(tuple(sizes), float(lam), 0.0, lr, int(epochs), int(batch_size), seed)
                 for lam in lambdas]
    X, _, X_test, _ = _mnist1d(seed)
    return WeightDecayRuns(list(sizes), len(X), len(X_test), int(epochs), [float(l) for l in lambdas],
                           histories)


# --- dropout's two test-time rules agree in expectation (seed 001 §7.3.2) ----------------

@dataclass(frozen=True)
class DropoutExpectation:
    """Mean of many training-mode passes of one Dropout layer against its test-mode output."""

    p: float
    shape: tuple
    samples: list
    max_rel_diff: dict       # mode -> (len(samples),) max over entries of |mean - test| / |test|
    same_masks_diff: float   # max |inverted - scale_at_test / (1 - p)| over all passes

    def __str__(self):
        rows = [f"Dropout p = {self.p:g} (keep rate {1 - self.p:g}) on a fixed input of shape {self.shape}",
                "test mode:  inverted -> x,  scale_at_test -> (1 - p) x",
                f"{'passes':>7}  {'inverted':>9}  {'scale_at_test':>13}  {'1/sqrt(passes)':>14}",
                "         max relative difference |mean of train passes - test output| / |test output|"]
        for k, n in enumerate(self.samples):
            rows.append(f"{n:7d}  {self.max_rel_diff['inverted'][k]:9.4f}  "
                        f"{self.max_rel_diff['scale_at_test'][k]:13.4f}  {1 / np.sqrt(n):14.4f}")
        rows.append(f"same seed, same masks: max |inverted - scale_at_test / (1 - p)| = "
                    f"{self.same_masks_diff:.1e}")
        return "\n".join(rows)


def dropout_expectation(p=0.5, shape=(20, 50), samples=(10, 100, 1000, 10000), seed=0):
    """Average ``n`` training-mode passes of ``layers.Dropout`` in both modes; compare with test mode.

    The input x (``shape``) is uniform in [0.5, 1.5] (positive, like ReLU
    outputs, and away from 0 so relative differences are defined). Both
    layers get the same seed, so they draw the same masks.

    Returns
    -------
    DropoutExpectation
    """
    x = np.random.default_rng(seed).uniform(0.5, 1.5, shape)
    samples = sorted(int(n) for n in samples)
    layers = {m: L.Dropout(p, mode=m, rng=seed + 1) for m in L.Dropout.MODES}
    test = {m: layer.forward(x, train=False) for m, layer in layers.items()}
    sums = {m: np.zeros(shape) for m in layers}
    diffs = {m: [] for m in layers}
    same = 0.0
    for n in range(1, samples[-1] + 1):
        out = {m: layer.forward(x, train=True) for m, layer in layers.items()}
        same = max(same, float(np.max(np.abs(out["inverted"] - out["scale_at_test"] / (1 - p)))))
        for m in layers:
            sums[m] += out[m]
        if n in samples:
            for m in layers:
                diffs[m].append(float(np.max(np.abs(sums[m] / n - test[m]) / np.abs(test[m]))))
    return DropoutExpectation(float(p), tuple(shape), samples,
                              {m: np.array(d) for m, d in diffs.items()}, same)


# --- a network trained with dropout ---------------------------------------------------------

@cached(4)
def _dropout_net(p, hidden, epochs, seed, mode="inverted"):
    """An MLP 64-hidden-10 with dropout p trained on the digits (SGD lr 0.1, batch 32)."""
    X, t, X_test, t_test = standardized_digits(seed)
    model = models.MLP([64, hidden, 10], "relu", dropout=p, rng=seed)
    for layer in model.layers:
        if isinstance(layer, L.Dropout):
            layer.mode = mode
    h = models.train(model, optim.SGD(0.1), X, t, X_test, t_test, epochs=epochs, batch_size=32,
                     rng=seed, progress=False)
    return model, h


def _reseed(net, seed):
    """Give every Dropout layer of a Sequential a fresh generator (the same masks for the same seed)."""
    for layer in net.layers:
        if isinstance(layer, L.Dropout):
            layer.rng = np.random.default_rng(seed)


@dataclass(frozen=True)
class DropoutEquivalence:
    """An inverted-dropout net rewritten as a scale-at-test net: the same function."""

    p: float
    hidden: int
    train_mode_diff: float   # max |logits| difference, training mode, same masks
    test_mode_diff: float    # max |logits| difference, test mode
    agree: int               # test-mode predictions that agree
    n_test: int
    acc_inverted: float      # trained with inverted dropout (test accuracy)
    acc_scale_at_test: float  # trained from the same start with scale_at_test dropout

    def __str__(self):
        return "\n".join([
            f"MLP 64-{self.hidden}-10, dropout p = {self.p:g}, trained with inverted dropout on the digits",
            f"rewritten as scale_at_test with W2' = W2 / (1 - p) = {1 / (1 - self.p):g} W2:",
            f"  training mode, same masks: max |logit difference| = {self.train_mode_diff:.1e}",
            f"  test mode:                 max |logit difference| = {self.test_mode_diff:.1e}, "
            f"predictions agree on {self.agree}/{self.n_test}",
            "trained from the same start in each mode:",
            f"  inverted      test accuracy {self.acc_inverted:.1%}",
            f"  scale_at_test test accuracy {self.acc_scale_at_test:.1%}",
        ])


def dropout_equivalence(p=0.5, hidden=256, epochs=20, seed=0):
    """Rewrite a trained inverted-dropout MLP as a scale-at-test one and compare their outputs.

    Inverted dropout outputs m·h/(1-p) in training and h at test time; the
    slides' rule outputs m·h in training and (1-p)·h at test time. Dividing
    the next layer's weights by (1-p) makes the two networks compute the
    same logits in both modes: the constant factor is absorbed by the next
    layer. Then both rules are also trained from scratch (same start, same
    data order) to compare test accuracies.

    Returns
    -------
    DropoutEquivalence
    """
    model, h_inv = _dropout_net(p, hidden, epochs, seed, "inverted")
    _, h_sat = _dropout_net(p, hidden, epochs, seed, "scale_at_test")
    aff1, relu, drop, aff2 = model.layers                           # Affine, ReLU, Dropout, Affine
    W2, b2 = aff2.params
    rewritten = models.Sequential([L.Affine(aff1.params[0].copy(), aff1.params[1].copy()), L.ReLU(),
                                   L.Dropout(p, mode="scale_at_test"),
                                   L.Affine(W2 / (1 - p), b2.copy())])
    _, _, X_test, t_test = standardized_digits(seed)
    _reseed(model.net, seed)
    _reseed(rewritten, seed)
    train_diff = np.max(np.abs(model.net.forward(X_test, train=True) - rewritten.forward(X_test, train=True)))
    y_inv, y_sat = model.net.forward(X_test, train=False), rewritten.forward(X_test, train=False)
    agree = int(np.sum(np.argmax(y_inv, axis=1) == np.argmax(y_sat, axis=1)))
    return DropoutEquivalence(float(p), int(hidden), float(train_diff),
                              float(np.max(np.abs(y_inv - y_sat))), agree, len(X_test),
                              h_inv["test_acc"][-1], h_sat["test_acc"][-1])


# --- dropout as an ensemble of thinned networks (seed 003 §9.3.3) ----------------------------

@dataclass(frozen=True)
class DropoutEnsemble:
    """Averaged predictions of many thinned networks against the single test-mode pass."""

    p: float
    hidden: int
    counts: list
    ensemble_acc: np.ndarray  # (max count,): accuracy of the average of the first k thinned nets
    agreement: np.ndarray     # (max count,): fraction of test images where it agrees with test mode
    single_acc: np.ndarray    # (max count,): accuracy of each thinned network alone
    test_mode_acc: float
    n_test: int

    def __str__(self):
        rows = [f"MLP 64-{self.hidden}-10 trained with dropout p = {self.p:g}; "
                f"{self.n_test} test digits",
                f"one thinned network alone: accuracy {self.single_acc.mean():.1%} on average "
                f"(from {self.single_acc.min():.1%} to {self.single_acc.max():.1%})",
                f"{'thinned nets averaged':>21}  {'accuracy':>8}  {'agrees with test mode':>21}"]
        for k in self.counts:
            rows.append(f"{k:21d}  {self.ensemble_acc[k - 1]:8.1%}  {self.agreement[k - 1]:21.1%}")
        rows.append(f"{'test mode (one pass)':>21}  {self.test_mode_acc:8.1%}")
        return "\n".join(rows)


def dropout_ensemble(p=0.5, hidden=256, epochs=20, counts=(1, 10, 100, 1000), seed=0):
    """Average the softmax outputs of many random thinned networks (training-mode passes).

    Each training-mode pass drops a fresh random set of hidden units: a
    different "thinned" network that shares the trained weights. The test-mode
    pass (every unit, no random mask) is a cheap stand-in for the average of
    all of them.

    Returns
    -------
    DropoutEnsemble
    """
    from threadpoolctl import threadpool_limits

    from dlcourse.functions import softmax

    model, _ = _dropout_net(p, hidden, epochs, seed, "inverted")
    _, _, X_test, t_test = standardized_digits(seed)
    test_pred = np.argmax(model.net.forward(X_test, train=False), axis=1)
    _reseed(model.net, seed + 1)
    total = np.zeros((len(X_test), 10))
    K = max(counts)
    ens, agree, single = np.zeros(K), np.zeros(K), np.zeros(K)
    with threadpool_limits(limits=1):       # small matrices: one BLAS thread is several times faster
        for k in range(K):
            probs = softmax(model.net.forward(X_test, train=True))      # (N, 10)
            total += probs
            pred = np.argmax(total, axis=1)
            ens[k], agree[k] = np.mean(pred == t_test), np.mean(pred == test_pred)
            single[k] = np.mean(np.argmax(probs, axis=1) == t_test)
    return DropoutEnsemble(float(p), int(hidden), sorted(int(c) for c in counts), ens, agree, single,
                           float(np.mean(test_pred == t_test)), len(X_test))


# --- the slider grid: dropout, weight decay, training-set size ---------------------------------

DROPOUT_RATES = (0.0, 0.2, 0.5)
WEIGHT_DECAYS = (0.0, 0.001, 0.01, 0.1)
TRAIN_SIZES = (100, 300, 1000)
SAMPLES_SEEN = 4000
"""Every grid run sees about 4,000 training samples (whole epochs of batches of 20), whatever the training-set size."""


@dataclass(frozen=True)
class GridRun:
    """One point of the dropout / weight decay / training-size grid (small net on the digits)."""

    dropout: float
    weight_decay: float
    n_train: int
    hidden: int
    history: dict

    @property
    def samples_seen(self):
        """(epochs,): training samples seen at the end of each epoch."""
        return self.n_train * np.arange(1, len(self.history["train_acc"]) + 1)

    def __str__(self):
        h = self.history
        tr, te = h["train_acc"][-1], h["test_acc"][-1]
        return "\n".join([
            f"MLP 64-{self.hidden}-10 on {self.n_train} training digits, SGD lr 0.1, batch 20,",
            f"{len(h['train_acc'])} epochs ({self.samples_seen[-1]} samples seen)",
            f"dropout p = {self.dropout:g}, weight decay = {self.weight_decay:g}",
            f"train accuracy {tr:6.1%}   loss {h['train_loss'][-1]:.4f}",
            f"test accuracy  {te:6.1%}   loss {h['test_loss'][-1]:.4f}",
            f"gap (train - test) {tr - te:.1%}",
        ])


@cached(None)
def _grid_history(dropout, weight_decay, n_train, hidden, seed):
    X, t, X_test, t_test = standardized_digits(seed)
    idx = stratified_subset(t, n_train // 10, np.random.default_rng(seed))
    model = models.MLP([64, hidden, 10], "relu", dropout=dropout, rng=seed)
    return models.train(model, optim.SGD(0.1), X[idx], t[idx], X_test, t_test,
                        epochs=max(1, SAMPLES_SEEN // n_train), batch_size=20, rng=seed,
                        progress=False, weight_decay=weight_decay)


def regularization_grid(dropout=0.0, weight_decay=0.0, n_train=100, hidden=64, seed=0):
    """Train (or fetch from the cache) one point of the grid behind the chapter's slider demo.

    A ``MLP([64, hidden, 10])`` with dropout ``dropout`` and weight decay
    ``weight_decay`` trained on ``n_train`` digits (``n_train // 10`` per
    class) for 4,000 samples; evaluated on the 359 test digits after every
    epoch. A run takes a few tenths of a second; repeated settings come from
    the cache.

    Returns
    -------
    GridRun
    """
    if n_train % 10 or not 10 <= n_train <= 1430:
        raise ValueError(f"regularization_grid: expected n_train a multiple of 10 in [10, 1430], got {n_train}")
    h = _grid_history(float(dropout), float(weight_decay), int(n_train), int(hidden), int(seed))
    return GridRun(float(dropout), float(weight_decay), int(n_train), int(hidden), h)


def warm_grid(hidden=64, seed=0, stop=None):
    """Train every point of the slider grid not yet in the cache (the demo runs this in a thread).

    ``stop`` (a ``threading.Event``) ends the loop early when set. Returns the
    number of grid points now cached.
    """
    done = 0
    for n_train in TRAIN_SIZES:
        for dropout in DROPOUT_RATES:
            for weight_decay in WEIGHT_DECAYS:
                if stop is not None and stop.is_set():
                    return done
                regularization_grid(dropout, weight_decay, n_train, hidden, seed)
                done += 1
    return done
