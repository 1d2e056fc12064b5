"""Chapter 03 experiments: linear classifiers, logistic regression and SGD on sentences.

Seeds: 000 p.2-10 (Neubig): "I am happy" -> +1, "I am sad" -> -1; unigram
features; the perceptron; P(y=1|x) = e^{w.phi} / (1 + e^{w.phi}); logistic
regression; SGD with w += alpha dP(y|x)/dw; the derivative curve, which peaks
at 0.25 where w.phi = 0.

The maths is in :mod:`dlcourse.lessons.text_classifiers`; the data in
:func:`dlcourse.datasets.sentiment_corpus`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import functions as F
from dlcourse.lessons import text_classifiers as L
from dlcourse.datasets import sentiment_corpus
from dlcourse.gradients import numerical_gradient, rel_error
from dlcourse.experiments._cache import cached

__all__ = [
    "UnigramExample", "unigram_example", "PerceptronRun", "perceptron_on_corpus",
    "ProbabilityCurves", "probability_curves", "GradientCheck", "gradient_check",
    "SGDRun", "logistic_sgd", "PROBES",
]


@cached(8)
def _corpus(seed, n):
    """The corpus for (seed, n), built once: the SGD demo reruns with the same data on every slider move.

    Callers must not modify its arrays.
    """
    return sentiment_corpus(seed=seed, n=n)


@dataclass(frozen=True)
class UnigramExample:
    """Unigram features of a few sentences, as dicts and as count vectors over chosen columns."""

    sentences: list
    features: list        # one dict per sentence
    columns: list         # the words shown as vector entries
    vectors: np.ndarray   # (len(sentences), len(columns))

    def __str__(self):
        lines = [f"phi({s!r}) = {phi}" for s, phi in zip(self.sentences, self.features)]
        width = max(len(s) for s in self.sentences) + 6
        lines.append("")
        lines.append(" " * width + "".join(f"{c:>7}" for c in self.columns) + "  ...")
        for s, v in zip(self.sentences, self.vectors):
            lines.append(f"{'phi(' + s + ')':<{width}}" + "".join(f"{int(a):>7}" for a in v) + "  ...")
        return "\n".join(lines)


def unigram_example(sentences=("I am happy", "I am sad"), columns=("I", "was", "am", "sad", "the", "happy")):
    """phi("I am happy") and phi("I am sad") as dicts and as the slide's vectors (seed 000 p.4).

    Returns
    -------
    UnigramExample
    """
    features = [L.unigram_features(s) for s in sentences]
    vectors = np.array([[phi.get("UNI:" + c, 0) for c in columns] for phi in features])
    return UnigramExample(list(sentences), features, list(columns), vectors)


def _top_words(w, vocab, k):
    """The k words with the largest and the k with the smallest weights."""
    words = np.array(sorted(vocab, key=vocab.get))      # column order
    order = np.argsort(w, kind="stable")
    return [(words[j], float(w[j])) for j in order[::-1][:k]], [(words[j], float(w[j])) for j in order[:k]]


@dataclass(frozen=True)
class PerceptronRun:
    """A perceptron trained on the sentiment corpus."""

    mistakes: list          # per epoch
    train_accuracy: float
    test_accuracy: float
    n_train: int
    n_test: int
    V: int
    top_positive: list      # [(word, weight)]
    top_negative: list
    probes: dict            # sentence -> predicted label

    def __str__(self):
        lines = [f"{self.n_train} training and {self.n_test} test sentences, V = {self.V} words",
                 "mistakes per epoch: " + ", ".join(str(m) for m in self.mistakes),
                 f"train accuracy {self.train_accuracy:.1%}, test accuracy {self.test_accuracy:.1%}",
                 "largest weights:  " + ", ".join(f"{w} {v:+.0f}" for w, v in self.top_positive),
                 "smallest weights: " + ", ".join(f"{w} {v:+.0f}" for w, v in self.top_negative)]
        lines += [f"predict({s!r}) = {y:+d}" for s, y in self.probes.items()]
        return "\n".join(lines)


PROBES = ("I am happy", "what a boring movie", "I am not happy")
"""Sentences the trained models are asked about; the last needs more than a linear model."""


def perceptron_on_corpus(epochs=5, seed=0, n=400, k=5, probes=PROBES):
    """Train the perceptron on :func:`~dlcourse.datasets.sentiment_corpus` (seed 000 p.5-6).

    Parameters
    ----------
    epochs : int
        Passes over the training sentences.
    seed : int
        Seeds the corpus and the visiting order (``default_rng(seed)``).
    n : int
        Corpus size (80% train, 20% test).
    k : int
        How many top words to report.
    probes : sequence of str
        Sentences to classify with the trained weights (words outside the
        training vocabulary are ignored).

    Returns
    -------
    PerceptronRun
    """
    corpus = _corpus(seed, n)
    X, t, X_test, t_test = corpus.arrays()
    w, mistakes = L.train_perceptron(X, t, epochs, np.random.default_rng(seed))
    pos, neg = _top_words(w, corpus.vocab, k)
    guesses = {s: int(L.predict(w, corpus.featurize(s))[0]) for s in probes}
    return PerceptronRun(mistakes, L.accuracy(w, X, t), L.accuracy(w, X_test, t_test),
                         len(X), len(X_test), X.shape[1], pos, neg, guesses)


@dataclass(frozen=True)
class ProbabilityCurves:
    """The step, the sigmoid P(y=1|x) and the derivative factor, against the score s = w.phi(x)."""

    s: np.ndarray          # (M,)
    step: np.ndarray       # (M,), +1 / -1
    prob: np.ndarray       # (M,), P(y=1|x)
    dprob: np.ndarray      # (M,), e^s / (1 + e^s)^2
    at: tuple              # scores printed

    @property
    def peak(self):
        """(s*, value) where the derivative factor is largest."""
        k = int(np.argmax(self.dprob))
        return float(self.s[k]), float(self.dprob[k])

    def __str__(self):
        head = f"{'w.phi(x)':<22}" + "".join(f"{a:>8.1f}" for a in self.at)
        rows = [head,
                f"{'step(w.phi)':<22}" + "".join(f"{(1 if a >= 0 else -1):>8d}" for a in self.at),
                f"{'P(y=1|x)':<22}" + "".join(f"{F.sigmoid(a):8.4f}" for a in self.at),
                f"{'e^s/(1+e^s)^2':<22}" + "".join(f"{F.sigmoid_grad(a):8.4f}" for a in self.at)]
        s, v = self.peak
        rows.append(f"dP(y=1|x)/dw = phi(x) e^s/(1+e^s)^2: the factor peaks at w.phi = {s:.4f} with {v:.4f}")
        return "\n".join(rows)


def probability_curves(lo=-10.0, hi=10.0, num=2001, at=(-10, -2, -1, 0, 1, 2, 10)):
    """P(y=1|x) and its derivative factor on a grid of scores (seed 000 p.7 and p.10).

    Returns
    -------
    ProbabilityCurves
        The derivative factor peaks at 0.2500 for w.phi = 0.0000.
    """
    s = np.linspace(lo, hi, num)
    return ProbabilityCurves(s, np.where(s >= 0, 1, -1), F.sigmoid(s), F.sigmoid_grad(s),
                             tuple(float(a) for a in at))


@dataclass(frozen=True)
class GradientCheck:
    """Analytic gradients against central differences, in float64."""

    errors: dict     # name -> relative error

    def __str__(self):
        return "\n".join(f"{name:<44} rel. error {err:.1e} (expect < 1e-7)" for name, err in self.errors.items())


def gradient_check(N=6, V=5, seed=0):
    """Check :func:`~dlcourse.lessons.text_classifiers.log_likelihood_grad` and :func:`~dlcourse.lessons.text_classifiers.prob_grad` numerically.

    Returns
    -------
    GradientCheck
    """
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(N, V)).astype(float)
    t = rng.choice([-1, 1], size=N)
    w = rng.standard_normal(V)
    num = numerical_gradient(lambda: L.log_likelihood(w, X, t), w)
    errors = {"d log-likelihood / dw (all examples)": rel_error(L.log_likelihood_grad(w, X, t), num)}
    for y in (1, -1):
        num = numerical_gradient(lambda: float(L.prob_of_label(w, X[:1], np.array([y]))[0]), w)
        errors[f"dP(y={y:+d}|x)/dw (one example)"] = rel_error(L.prob_grad(w, X[0], y), num)
    return GradientCheck(errors)


@dataclass(frozen=True)
class SGDRun:
    """Logistic regression by SGD on the sentiment corpus, measured after every epoch."""

    lr: float
    epochs: int
    objective: str
    log_likelihood: np.ndarray    # (epochs + 1,), training set, epoch 0 = w = 0
    train_accuracy: np.ndarray    # (epochs + 1,)
    test_accuracy: np.ndarray     # (epochs + 1,)
    n_train: int
    w: np.ndarray                 # (V,), final weights
    top_positive: list
    top_negative: list
    probes: dict                  # sentence -> P(y=1|x) under the final w

    def summary(self):
        """A few short lines (the widget shows them beside its figure)."""
        return (f"lr = {self.lr:.3g}\n{self.epochs} epochs\n"
                f"log-lik. {self.log_likelihood[-1]:.2f}\n"
                f"train {self.train_accuracy[-1]:.1%}\ntest  {self.test_accuracy[-1]:.1%}")

    def __str__(self):
        rule = "d log P(y|x)/dw" if self.objective == "log" else "dP(y|x)/dw (the slide's rule)"
        lines = [f"SGD, w += {self.lr:g} * {rule}, {self.n_train} training sentences",
                 f"{'epoch':>5}  {'log-likelihood':>14}  {'train acc':>9}  {'test acc':>8}"]
        for e in range(self.epochs + 1):
            lines.append(f"{e:>5}  {self.log_likelihood[e]:14.4f}  {self.train_accuracy[e]:9.1%}  "
                         f"{self.test_accuracy[e]:8.1%}")
        lines.append("largest weights:  " + ", ".join(f"{w} {v:+.2f}" for w, v in self.top_positive))
        lines.append("smallest weights: " + ", ".join(f"{w} {v:+.2f}" for w, v in self.top_negative))
        lines += [f"P(y=1 | {s!r}) = {p:.4f}" for s, p in self.probes.items()]
        return "\n".join(lines)


def logistic_sgd(lr=0.1, epochs=10, seed=0, n=400, objective="log", k=4, probes=PROBES):
    """Train logistic regression by SGD (seed 000 p.8-9) and record each epoch.

    Parameters
    ----------
    lr : float
        Learning rate alpha.
    epochs : int
        Passes over the training data (the slide's I iterations).
    seed : int
        Seeds the corpus and the visiting order.
    n : int
        Corpus size (80% train).
    objective : {"log", "prob"}
        Climb log P(y|x) (logistic regression) or P(y|x) itself (the slide's rule).

    Returns
    -------
    SGDRun
        Log-likelihood (summed over the training set) and accuracies from
        epoch 0 (w = 0, every P = 0.5) to ``epochs``.
    """
    corpus = _corpus(seed, n)
    X, t, X_test, t_test = corpus.arrays()
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    ll, acc, acc_test = [], [], []
    for e in range(int(epochs) + 1):
        if e > 0:
            L.sgd_epoch(w, X, t, lr, rng, objective)
        ll.append(L.log_likelihood(w, X, t))
        acc.append(L.accuracy(w, X, t))
        acc_test.append(L.accuracy(w, X_test, t_test))
    pos, neg = _top_words(w, corpus.vocab, k)
    probs = {s: float(L.prob_positive(w, corpus.featurize(s))[0]) for s in probes}
    return SGDRun(float(lr), int(epochs), objective, np.array(ll), np.array(acc), np.array(acc_test),
                  len(X), w, pos, neg, probs)
