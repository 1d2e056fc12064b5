"""Typical wrong answers for the checks of chapter 09 (merged by tests/mutants.py)."""
import numpy as np


class _PerPosition:
    """Keeps a dict of state arrays per position; subclasses write ``_step(i, p, g)``."""

    def __init__(self, lr=0.01, **hyper):
        self.lr, self.state, self.t = lr, {}, 0
        self.__dict__.update(hyper)

    def _get(self, i, p, *names):
        if i not in self.state:
            self.state[i] = {n: np.zeros_like(p) for n in names}
        return [self.state[i][n] for n in names]

    def update(self, params, grads):
        self.t += 1
        for i in range(len(params)):
            self._step(i, params[i], grads[i])


# --- 09.momentum ----------------------------------------------------------------------

def _momentum(sign=-1.0, keep=True, fixed_momentum=None, rebind=False):
    class Momentum(_PerPosition):
        def __init__(self, lr=0.01, momentum=0.9):
            super().__init__(lr, momentum=fixed_momentum or momentum)

        def _step(self, i, p, g):
            (v,) = self._get(i, p, "v")
            if not keep:
                v[...] = 0.0                       # velocity forgotten at every step
            v[...] = self.momentum * v + sign * self.lr * g
            if rebind:
                p = p + v                          # noqa: F841  a new array: the caller sees nothing
            else:
                p += v
    return Momentum


# --- 09.adagrad -----------------------------------------------------------------------

def _adagrad(eps_inside=False, accumulate=True, square_root=True):
    class AdaGrad(_PerPosition):
        def __init__(self, lr=0.01, eps=1e-7):
            super().__init__(lr, eps=eps)

        def _step(self, i, p, g):
            (h,) = self._get(i, p, "h")
            if accumulate:
                h += g * g
            else:
                h[...] = g * g                     # only the last gradient
            if eps_inside:
                p -= self.lr * g / np.sqrt(h + self.eps)
            elif square_root:
                p -= self.lr * g / (np.sqrt(h) + self.eps)
            else:
                p -= self.lr * g / (h + self.eps)
    return AdaGrad


# --- 09.adam --------------------------------------------------------------------------

def _adam(correct=True, swap=False, eps_inside=False, textbook=False):
    class Adam(_PerPosition):
        def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            if swap:
                beta1, beta2 = beta2, beta1
            super().__init__(lr, beta1=beta1, beta2=beta2, eps=eps)

        def _step(self, i, p, g):
            b1, b2, t = self.beta1, self.beta2, self.t
            m, v = self._get(i, p, "m", "v")
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            if textbook:                           # lr_t shortcut: eps ends up scaled by √(1 − b2^t)
                lr_t = self.lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                p -= lr_t * m / (np.sqrt(v) + self.eps)
                return
            m_hat, v_hat = (m / (1 - b1 ** t), v / (1 - b2 ** t)) if correct else (m, v)
            if eps_inside:
                p -= self.lr * m_hat / np.sqrt(v_hat + self.eps)
            else:
                p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
    return Adam


def _adam_counts_parameters():
    """t advanced once per parameter instead of once per update call."""
    base = _adam()

    class Adam(base):
        def update(self, params, grads):
            for i in range(len(params)):
                self.t += 1
                self._step(i, params[i], grads[i])
    return Adam


MUTANTS = {
    "09.momentum": [
        ("+ instead of -: v = momentum v + lr g", _momentum(sign=+1.0)),
        ("velocity not kept between steps", _momentum(keep=False)),
        ("momentum argument ignored (always 0.9)", _momentum(fixed_momentum=0.9)),
        ("p = p + v: nothing updated in place", _momentum(rebind=True)),
    ],
    "09.adagrad": [
        ("eps inside the square root", _adagrad(eps_inside=True)),
        ("h not accumulated (h = g²)", _adagrad(accumulate=False)),
        ("divides by h, not √h", _adagrad(square_root=False)),
    ],
    "09.adam": [
        ("no bias correction", _adam(correct=False)),
        ("beta1 and beta2 swapped", _adam(swap=True)),
        ("eps inside the square root", _adam(eps_inside=True)),
        ("t counts parameters, not updates", _adam_counts_parameters()),
    ],
}

TEXTBOOK_ADAM = _adam(textbook=True)
"""The textbook's lr_t shortcut: right but for where eps sits (tests/test_optimizers.py)."""
