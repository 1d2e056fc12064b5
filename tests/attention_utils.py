"""Helpers shared by the attention and Transformer tests: a robust relative error, numerical
gradients of sum(forward() * dout), and attention written one query at a time."""
import numpy as np

from dlcourse.gradients import numerical_gradient


def err(a, b):
    """||a - b|| / ||a + b||: the relative error of a whole gradient, robust to entries near 0
    (elementwise rel_error flags an entry of 1e-6 whose round-off is 1e-12). A gradient that is
    0 in exact arithmetic (the key bias of attention: softmax ignores a shift shared by all
    scores of a query) counts as agreeing when both sides are below 1e-9."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    if np.linalg.norm(a) < 1e-9 and np.linalg.norm(b) < 1e-9:
        return 0.0
    return float(np.linalg.norm(a - b) / np.linalg.norm(a + b))


def grad_errors(forward, backward, inputs, params=(), grads=(), seed=0):
    """Relative errors of backward's input gradients and of ``grads`` against numerical ones,
    for the scalar sum(forward() * dout)."""
    out = forward()
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    forward()
    dins = backward(dout)
    dins = dins if isinstance(dins, tuple) else (dins,)
    analytic = [g.copy() for g in grads]

    def scalar():
        return float(np.sum(forward() * dout))

    errs = [err(d, numerical_gradient(scalar, x)) for x, d in zip(inputs, dins)]
    errs += [err(g, numerical_gradient(scalar, p)) for p, g in zip(params, analytic)]
    return errs


def naive_attention(Q, K, V, mask=None):
    """One query at a time, written as the formula reads."""
    Tq, d = Q.shape
    out, W = np.zeros((Tq, V.shape[1])), np.zeros((Tq, K.shape[0]))
    for i in range(Tq):
        s = np.array([Q[i] @ K[j] / np.sqrt(d) for j in range(K.shape[0])])
        allowed = np.ones(len(s), bool) if mask is None else mask[i]
        if allowed.any():
            e = np.where(allowed, np.exp(s - s[allowed].max()), 0.0)
            W[i] = e / e.sum()
        out[i] = sum(W[i, j] * V[j] for j in range(K.shape[0]))
    return out, W
