"""Typical wrong answers for the checks of chapter 08 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse import functions as F


def _normal(std_of_fan_in, transpose=False):
    def init(fan_in, fan_out, rng):
        shape = (fan_out, fan_in) if transpose else (fan_in, fan_out)
        return np.random.default_rng(rng).standard_normal(shape) * std_of_fan_in(fan_in)
    return init


def _uniform(limit_of_fan_in):
    def init(fan_in, fan_out, rng):
        a = limit_of_fan_in(fan_in)
        return np.random.default_rng(rng).uniform(-a, a, (fan_in, fan_out))
    return init


def _global_rng(gain):
    def init(fan_in, fan_out, rng):
        return np.random.standard_normal((fan_in, fan_out)) * np.sqrt(gain / fan_in)
    return init


def _norms(params, x, t, activation, *, reverse=False, no_dact=False, of_acts=False, loss_sum=False):
    """A reference-like backprop with one typical mistake switched on."""
    act, dact = F.get_activation(activation)
    hs, zs = [np.asarray(x, dtype=float)], []
    for W, b in params[:-1]:
        zs.append(hs[-1] @ W + b)
        hs.append(act(zs[-1]))
    W, b = params[-1]
    scores = hs[-1] @ W + b
    N = scores.shape[0]
    dh = F.softmax(scores)
    dh[np.arange(N), t] -= 1.0
    if not loss_sum:
        dh /= N
    norms = []
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        if k == len(params) - 1:
            dz = dh
        else:
            dz = dh if no_dact else dh * dact(zs[k])
        norms.append(np.linalg.norm(hs[k + 1] if of_acts and k < len(params) - 1 else hs[k].T @ dz))
        dh = dz @ W.T
    return norms if reverse else norms[::-1]


MUTANTS = {
    "08.xavier": [
        ("std 1/fan_in instead of 1/sqrt(fan_in)", _normal(lambda n: 1.0 / n)),
        ("transposed shape (fan_out, fan_in)", _normal(lambda n: np.sqrt(1.0 / n), transpose=True)),
        ("uniform in ±sqrt(1/fan_in): std too small", _uniform(lambda n: np.sqrt(1.0 / n))),
        ("He's std sqrt(2/fan_in)", _normal(lambda n: np.sqrt(2.0 / n))),
        ("ignores rng (global np.random)", _global_rng(1.0)),
        ("std 1", _normal(lambda n: 1.0)),
    ],
    "08.he": [
        ("std sqrt(1/fan_in) (Xavier's)", _normal(lambda n: np.sqrt(1.0 / n))),
        ("std 2/fan_in instead of sqrt(2/fan_in)", _normal(lambda n: 2.0 / n)),
        ("std 1/fan_in", _normal(lambda n: 1.0 / n)),
        ("transposed shape (fan_out, fan_in)", _normal(lambda n: np.sqrt(2.0 / n), transpose=True)),
        ("uniform in ±sqrt(2/fan_in): std too small", _uniform(lambda n: np.sqrt(2.0 / n))),
        ("ignores rng (global np.random)", _global_rng(2.0)),
    ],
    "08.gradient_norms": [
        ("norms in reversed order (output first)", lambda p, x, t, a: _norms(p, x, t, a, reverse=True)),
        ("forgot the activation derivative", lambda p, x, t, a: _norms(p, x, t, a, no_dact=True)),
        ("norms of the activations instead of the gradients",
         lambda p, x, t, a: _norms(p, x, t, a, of_acts=True)),
        ("loss summed over the batch (no / N)", lambda p, x, t, a: _norms(p, x, t, a, loss_sum=True)),
    ],
}
