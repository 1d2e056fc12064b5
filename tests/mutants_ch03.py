"""Typical wrong answers for the checks of chapter 03 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse import functions as F


def _counts(words, key=lambda w: "UNI:" + w):
    phi = {}
    for word in words:
        phi[key(word)] = phi.get(key(word), 0) + 1
    return phi


def _sgd(X, t, lr, epochs, rng, step="log", shuffle="each", sign=1.0, use_lr=True, stale=False):
    """SGD for logistic regression with one mistake switched on."""
    w = np.zeros(X.shape[1])
    order = rng.permutation(len(X)) if shuffle == "once" else None
    for _ in range(epochs):
        if shuffle == "each":
            order = rng.permutation(len(X))
        elif shuffle == "none":
            order = range(len(X))
        scores = X @ w
        for n in order:
            s = scores[n] if stale else X[n] @ w
            if step == "log":
                g = t[n] * F.sigmoid(-t[n] * s)
            elif step == "prob":
                g = t[n] * F.sigmoid(s) * F.sigmoid(-s)
            else:                                   # labels read as 0/1
                g = t[n] - F.sigmoid(s)
            w += sign * (lr if use_lr else 1.0) * g * X[n]
    return w


def _full_batch(X, t, lr, epochs, rng):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        w += lr * X.T @ (t * F.sigmoid(-t * (X @ w)))
    return w


MUTANTS = {
    "03.unigram_features": [
        ("a set: every count 1", lambda s: {"UNI:" + w: 1 for w in s.split()}),
        ("no UNI: prefix", lambda s: _counts(s.split(), key=lambda w: w)),
        ("lower-cased", lambda s: _counts(s.lower().split())),
        ("split(' ') keeps empty words", lambda s: _counts(s.split(" "))),
        ("a list of features", lambda s: ["UNI:" + w for w in s.split()]),
    ],
    "03.log_likelihood_grad": [
        ("sign flipped (downhill)", lambda w, X, t: -X.T @ (t * F.sigmoid(-t * (X @ w)))),
        ("mean instead of sum", lambda w, X, t: X.T @ (t * F.sigmoid(-t * (X @ w))) / len(X)),
        ("labels used as 0/1", lambda w, X, t: X.T @ (t - F.sigmoid(X @ w))),
        ("the slide's dP/dw, not dlogP/dw", lambda w, X, t: X.T @ (t * F.sigmoid(X @ w) * F.sigmoid(-(X @ w)))),
        ("forgot the label", lambda w, X, t: X.T @ F.sigmoid(-(X @ w))),
        ("per-example rows, not summed", lambda w, X, t: X * (t * F.sigmoid(-t * (X @ w)))[:, None]),
        ("naive exp overflows", lambda w, X, t: X.T @ (t / (1 + np.exp(t * (X @ w))))),
    ],
    "03.sgd": [
        ("sign flipped", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, sign=-1.0)),
        ("learning rate ignored", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, use_lr=False)),
        ("no shuffle", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, shuffle="none")),
        ("one order for all epochs", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, shuffle="once")),
        ("the slide's dP/dw step", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, step="prob")),
        ("labels used as 0/1", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, step="01")),
        ("scores from the start of the epoch", lambda X, t, lr, epochs, rng: _sgd(X, t, lr, epochs, rng, stale=True)),
        ("full-batch gradient ascent", _full_batch),
    ],
}
