"""Linear classifiers on word features: the perceptron and logistic regression (chapter 03).

Seed 000 p.2-10 (Neubig): predict y = +1 or -1 for a sentence x from its
unigram features phi(x); the linear classifier y = step(w . phi(x)); the
perceptron; the sigmoid P(y=1|x) = e^{w.phi} / (1 + e^{w.phi}); logistic
regression, which maximises the conditional likelihood prod_n P(y_n | x_n; w);
stochastic gradient descent (SGD), which moves w after every example.

Two representations, the same maths:

* **dicts**, as on the slides: ``phi = {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}``
  and a weight dict ``w`` with the same keys (:func:`unigram_features`,
  :func:`dot`, :func:`predict_one`). Good for reading one sentence.
* **arrays**, for training on a corpus: ``X`` of shape (N, V) holds each
  sentence's word counts over a vocabulary of V words
  (:func:`dlcourse.datasets.sentiment_corpus` builds it), ``w`` has shape (V,).
  Row n of ``X`` is the dict ``phi(x_n)`` written out as a vector.

Labels are +1 (positive) and -1 (negative) everywhere in this module. There is
no separate bias: as on the slides, y = step(w . phi(x)).
"""
from __future__ import annotations

import math

import numpy as np

from dlcourse import functions as F
from dlcourse.datasets import SentimentCorpus

__all__ = [
    "unigram_features", "dot", "predict_one", "predict", "accuracy",
    "perceptron_epoch", "train_perceptron",
    "prob_positive", "prob_of_label", "prob_grad", "log_likelihood", "log_likelihood_grad",
    "sgd_epoch", "sgd",
]


# ---------------------------------------------------------------------------
# Features and prediction
# ---------------------------------------------------------------------------

def unigram_features(sentence):
    """Unigram features of a sentence: ``{"UNI:" + word: count}`` (seed 000 p.4).

    Parameters
    ----------
    sentence : str
        Words separated by whitespace (spaces, tabs; repeated or trailing
        whitespace is ignored). Words are kept as written: "I" stays "I".

    Returns
    -------
    dict of str -> int
        ``phi("I am happy") = {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}``.
        The same function builds the count matrices of
        :class:`dlcourse.datasets.SentimentCorpus`.
    """
    return SentimentCorpus.unigram_features(sentence)


def dot(w, phi):
    """w . phi(x) for dict weights and dict features: sum of w[k] * phi[k] over phi's keys.

    A feature missing from ``w`` has weight 0.
    """
    return float(sum(w.get(k, 0.0) * v for k, v in phi.items()))


def predict_one(w, phi):
    """y = step(w . phi(x)) for one example, dicts as on the slides (seed 000 p.3-5).

    Parameters
    ----------
    w, phi : dict of str -> float

    Returns
    -------
    int
        +1 if ``w . phi >= 0`` else -1. A score of exactly 0 (say, all
        weights still 0) counts as +1.
    """
    return 1 if dot(w, phi) >= 0 else -1


def predict(w, X):
    """Predicted labels, array version of :func:`predict_one`.

    Parameters
    ----------
    w : ndarray, shape (V,)
    X : ndarray, shape (N, V) or (V,)

    Returns
    -------
    ndarray of int, shape (N,) (or a 0-d array for one example)
        +1 where ``X @ w >= 0``, else -1.
    """
    return np.where(X @ w >= 0, 1, -1)


def accuracy(w, X, t):
    """Fraction of examples whose predicted label equals t. X: (N, V), t: (N,) of +-1."""
    return float(np.mean(predict(w, X) == t))


# ---------------------------------------------------------------------------
# The perceptron
# ---------------------------------------------------------------------------

def perceptron_epoch(w, X, t, rng):
    """One pass of the perceptron over the data in a shuffled order.

    Parameters
    ----------
    w : ndarray, shape (V,)
        Updated in place.
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1
    rng : numpy.random.Generator
        Draws the visiting order, ``rng.permutation(N)``.

    Returns
    -------
    int
        The number of mistakes (updates) made in this pass.

    Notes
    -----
    For each example, if ``predict(w, x) != t``: ``w += t * x``. A positive
    example that scored too low gets its words' weights raised, a negative one
    gets them lowered.
    """
    mistakes = 0
    for n in rng.permutation(len(X)):
        if (1 if X[n] @ w >= 0 else -1) != t[n]:
            w += t[n] * X[n]
            mistakes += 1
    return mistakes


def train_perceptron(X, t, epochs, rng):
    """Train a perceptron from w = 0 for a number of passes over the data.

    Parameters
    ----------
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1
    epochs : int
    rng : numpy.random.Generator

    Returns
    -------
    w : ndarray, shape (V,)
    mistakes : list of int, length ``epochs``
        Mistakes made in each pass; 0 means the data are separated.
    """
    w = np.zeros(X.shape[1])
    mistakes = [perceptron_epoch(w, X, t, rng) for _ in range(int(epochs))]
    return w, mistakes


# ---------------------------------------------------------------------------
# Logistic regression
# ---------------------------------------------------------------------------

def prob_positive(w, X):
    """P(y = 1 | x) = e^{w.phi} / (1 + e^{w.phi}) = sigmoid(w . phi(x)) (seed 000 p.7).

    Parameters
    ----------
    w : ndarray, shape (V,)
    X : ndarray, shape (N, V) or (V,)

    Returns
    -------
    ndarray, shape (N,) (or 0-d)
        Without overflow for any score.
    """
    return F.sigmoid(X @ w)


def prob_of_label(w, X, t):
    """P(y = t | x) for labels t = +-1: sigmoid(t * w . phi(x)), since P(y=-1|x) = 1 - P(y=1|x).

    X: (N, V), t: (N,); returns (N,).
    """
    return F.sigmoid(t * (X @ w))


def prob_grad(w, x, y):
    """dP(y | x)/dw for one example, as on seed 000 p.10.

    Parameters
    ----------
    w : ndarray, shape (V,)
    x : ndarray, shape (V,)
        The features phi(x).
    y : int
        +1 or -1.

    Returns
    -------
    ndarray, shape (V,)

    Notes
    -----
    dP(y=1|x)/dw = phi(x) e^{w.phi} / (1 + e^{w.phi})^2 and dP(y=-1|x)/dw is
    minus that. The factor e^s / (1 + e^s)^2 = sigmoid(s) sigmoid(-s) peaks at
    0.25 for s = 0 and vanishes for large |s|, however wrong the prediction.
    """
    s = float(x @ w)
    return y * x * (_sig(s) * _sig(-s))


def log_likelihood(w, X, t):
    """The conditional log-likelihood L(w) = sum_n log P(t_n | x_n; w), the quantity logistic regression maximises.

    Parameters
    ----------
    w : ndarray, shape (V,)
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1

    Returns
    -------
    float
        <= 0; 0 only if every example gets probability 1.

    Notes
    -----
    log P(t | x) = log sigmoid(t s) = -log(1 + e^{-t s}) with s = w . phi(x),
    computed as ``-np.logaddexp(0, -t s)`` so that no score overflows.
    Maximising the product of probabilities (seed 000 p.8) is the same as
    maximising the sum of their logs, and sums are kinder to floating point.
    """
    return float(-np.sum(np.logaddexp(0.0, -t * (X @ w))))


def log_likelihood_grad(w, X, t):
    """Gradient of :func:`log_likelihood` with respect to w.

    Parameters
    ----------
    w : ndarray, shape (V,)
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1

    Returns
    -------
    dw : ndarray, shape (V,)

    Notes
    -----
    d log P(t|x)/dw = (dP(t|x)/dw) / P(t|x) = t phi(x) sigmoid(-t w.phi(x)),
    which equals phi(x) ((t + 1)/2 - P(y=1|x)): the features times "how much
    probability the true label is still missing". Summed over the examples:
    dw = X^T (t * sigmoid(-t * X w)).
    """
    return X.T @ (t * F.sigmoid(-t * (X @ w)))       # (V,)


def _sig(z):
    """Overflow-safe sigmoid of one Python float (faster than numpy for a scalar)."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


_OBJECTIVES = ("log", "prob")


def sgd_epoch(w, X, t, lr, rng, objective="log"):
    """One pass of stochastic gradient ascent over the data in a shuffled order.

    Parameters
    ----------
    w : ndarray, shape (V,)
        Updated in place.
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1
    lr : float
        The learning rate alpha.
    rng : numpy.random.Generator
        Draws the visiting order, ``rng.permutation(N)``, once per pass.
    objective : {"log", "prob"}
        ``"log"``: w += lr * d log P(t_n|x_n)/dw (logistic regression).
        ``"prob"``: w += lr * dP(t_n|x_n)/dw, the slide's rule (seed 000 p.9).

    Returns
    -------
    w : the same array

    Notes
    -----
    For example n with score s = w . x_n the two steps are
    lr * t_n x_n sigmoid(-t_n s) and lr * t_n x_n sigmoid(s) sigmoid(-s).
    """
    if objective not in _OBJECTIVES:
        raise ValueError(f"objective must be one of {_OBJECTIVES}, got {objective!r}")
    rows, labels = list(X), np.asarray(t).tolist()   # plain Python numbers: this loop is the hot spot
    for n in rng.permutation(len(X)).tolist():
        x, y = rows[n], labels[n]
        ys = y * float(x @ w)                   # y * w.phi(x)
        step = _sig(-ys) if objective == "log" else _sig(ys) * _sig(-ys)
        w += (lr * y * step) * x
    return w


def sgd(X, t, lr, epochs, rng, w=None, objective="log"):
    """Logistic regression trained by SGD (seed 000 p.9): w = 0, then ``epochs`` shuffled passes.

    The loop stays written out (not :func:`dlcourse.models.train`): chapter 03
    teaches this loop on a dictionary of word weights, before any layer exists.

    Parameters
    ----------
    X : ndarray, shape (N, V)
    t : ndarray, shape (N,), +1 or -1
    lr : float
        Learning rate alpha > 0.
    epochs : int
        Passes over the data (the slide's "I iterations").
    rng : numpy.random.Generator
        Required: the order of the examples in each pass is
        ``rng.permutation(N)``, drawn afresh every pass.
    w : ndarray, shape (V,), optional
        Start here instead of at 0 (copied, not changed).
    objective : {"log", "prob"}
        See :func:`sgd_epoch`.

    Returns
    -------
    w : ndarray, shape (V,)

    Notes
    -----
    Running ``sgd`` for E epochs equals running it E times for one epoch
    each, passing on w and the same ``rng``.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    for _ in range(int(epochs)):
        sgd_epoch(w, X, t, lr, rng, objective)
    return w
