"""Checks for chapter 03 (linear classifiers, logistic regression, SGD)."""
from collections.abc import Mapping

import numpy as np

from dlcourse.lessons import text_classifiers as L
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import register


def _dict_line(c, label, func, expected, hint=""):
    """One line comparing the learner's dict with the expected one, key by key."""
    ok, got = c.run(label, func, hint)
    if not ok:
        return False
    if not isinstance(got, Mapping):
        return c.record(label, False, f"expected a dict, got {type(got).__name__}", hint)
    got = dict(got)
    if got == expected:
        return c.record(label, True, f"{len(expected)} features, as expected")
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    wrong = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])
    if missing:
        what = f"missing {missing[0]!r}"
    elif extra:
        what = f"unexpected key {extra[0]!r}"
    else:
        what = f"{wrong[0]!r}: expected {expected[wrong[0]]}, got {got[wrong[0]]}"
    return c.record(label, False, what, hint)


_WORDS = ("the", "movie", "was", "very", "good", "bad", "I", "am", "happy", "not")


@register("03.unigram_features", points=1, title="unigram_features(sentence) -> {'UNI:word': count}",
          hint="split the sentence on whitespace with sentence.split() (no argument), keep each "
               "word as written, and count: phi['UNI:' + word] = phi.get('UNI:' + word, 0) + 1")
def check_unigram_features(unigram_features, c):
    for s in ("I am happy", "I am sad", "the cat saw the dog"):
        _dict_line(c, f"{s!r}", lambda: unigram_features(s), L.unigram_features(s))
    _dict_line(c, "empty sentence -> {}", lambda: unigram_features(""), {})
    _dict_line(c, "extra spaces and a tab", lambda: unigram_features("  I am\thappy  "),
               L.unigram_features("I am happy"))
    _dict_line(c, "'Happy happy': case is kept", lambda: unigram_features("Happy happy"),
               {"UNI:Happy": 1, "UNI:happy": 1})
    s = " ".join(c.rng.choice(_WORDS, size=12))
    _dict_line(c, "random 12-word sentence, repeats counted", lambda: unigram_features(s), L.unigram_features(s))


def _labelled(rng, N, V):
    """Word-count-like features (N, V), random weights (V,) and labels +-1 (N,)."""
    X = rng.integers(0, 3, size=(N, V)).astype(float)
    w = rng.standard_normal(V)
    t = rng.choice([-1, 1], size=N)
    return X, w, t


@register("03.log_likelihood_grad", points=2,
          title="log_likelihood_grad(w, X, t) -> dL/dw, shape (V,)",
          hint="L(w) = sum_n log P(t_n | x_n) with P(t|x) = sigmoid(t * w.x); its gradient is "
               "X.T @ (t * sigmoid(-t * (X @ w))): a sum over the examples (not a mean), labels "
               "+1/-1 (not 0/1), and it points uphill (we maximise L)")
def check_log_likelihood_grad(log_likelihood_grad, c):
    X, w, t = _labelled(c.rng, 8, 6)
    wn = w.copy()                              # nudged in place by numerical_gradient
    num = numerical_gradient(lambda: L.log_likelihood(wn, X, t), wn)
    c.close("random (N, V) = (8, 6): vs numerical grad.", lambda: log_likelihood_grad(w.copy(), X.copy(), t.copy()),
            num)
    c.close("w = 0 (every P = 0.5)", lambda: log_likelihood_grad(np.zeros(6), X.copy(), t.copy()),
            L.log_likelihood_grad(np.zeros(6), X, t))
    X1, w1, t1 = _labelled(c.rng, 1, 4)
    num = numerical_gradient(lambda: L.log_likelihood(w1, X1, t1), w1)
    c.close("one example, N = 1, V = 4", lambda: log_likelihood_grad(w1.copy(), X1.copy(), t1.copy()), num)
    neg = -np.ones(8, dtype=int)
    c.close("every label -1", lambda: log_likelihood_grad(w.copy(), X.copy(), neg.copy()),
            L.log_likelihood_grad(w, X, neg))
    big = np.array([500.0, -500.0, 300.0, -300.0, 200.0, -200.0])
    hint = "exp of a score near +1000 overflows: use the sigmoid imported in the first cell"
    c.no_warnings("scores near ±1000: no overflow", lambda: log_likelihood_grad(big, X, t), hint)
    c.close("scores near ±1000: values", lambda: log_likelihood_grad(big.copy(), X.copy(), t.copy()),
            L.log_likelihood_grad(big, X, t), hint=hint)


def _separable(rng, N=12, V=5):
    """A tiny linearly separable set: counts X (N, V) and labels sign(X w*) (+1 at 0)."""
    X = rng.integers(0, 3, size=(N, V)).astype(float)
    w_true = rng.standard_normal(V)
    t = np.where(X @ w_true >= 0, 1, -1)
    return X, t


@register("03.sgd", points=3, title="sgd(X, t, lr, epochs, rng) -> w, shape (V,)",
          hint="start at w = 0; for each epoch: for n in rng.permutation(N) (a new order every "
               "epoch): w += lr * t[n] * sigmoid(-t[n] * (X[n] @ w)) * X[n], i.e. one example's "
               "gradient of log P, computed with the current w")
def check_sgd(sgd, c):
    X, t = _separable(c.rng)
    rng = np.random.default_rng

    def same(label, lr, epochs, seed):
        want = L.sgd(X, t, lr, epochs, rng(seed))
        c.close(label, lambda: sgd(X.copy(), t.copy(), lr, epochs, rng(seed)), want)

    same("1 epoch, lr 0.5: same w as the reference", 0.5, 1, 1)
    same("5 epochs, lr 0.5, new order every epoch", 0.5, 5, 1)
    same("5 epochs, lr 0.05 (lr is used)", 0.05, 5, 1)
    same("5 epochs, another seed, its own order", 0.5, 5, 2)
    c.close("0 epochs -> w = 0", lambda: sgd(X.copy(), t.copy(), 0.5, 0, rng(1)), np.zeros(X.shape[1]))
    ok, w = c.run("20 epochs: training accuracy", lambda: sgd(X.copy(), t.copy(), 0.5, 20, rng(3)))
    if ok:
        want = L.accuracy(L.sgd(X, t, 0.5, 20, rng(3)), X, t)
        try:
            got = L.accuracy(np.asarray(w, dtype=float), X, t)
        except (TypeError, ValueError):
            got = float("nan")
        c.record("20 epochs: training accuracy", got == want, f"{got:.0%} (reference {want:.0%})")
    lls = []
    for epochs in range(1, 7):
        ok, w = c.run("log-likelihood after 1..6 epochs", lambda: sgd(X.copy(), t.copy(), 0.5, epochs, rng(4)))
        if not ok:
            break
        try:
            lls.append(L.log_likelihood(np.asarray(w, dtype=float), X, t))
        except (TypeError, ValueError):
            lls.append(float("nan"))
    if len(lls) == 6:
        # the reference's own curve, not "it rises": with lr 0.5 one epoch can overshoot on some data
        ref = [L.log_likelihood(L.sgd(X, t, 0.5, epochs, rng(4)), X, t) for epochs in range(1, 7)]
        c.close("log-likelihood after 1..6 epochs", np.array(lls), np.array(ref),
                hint="each epoch must continue from the w of the one before, in a new random order")
