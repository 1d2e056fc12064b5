"""Typical wrong answers for the checks of chapter 06 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse.gradients import numerical_gradient as _library_gradient


# --- 06.numerical_gradient ----------------------------------------------------------

def _gradient(f, x, h, estimate, restore=True):
    """Loop over every index of x; ``estimate(f_plus, f_minus, f_here, h)`` gives one entry."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        f_here = f(x)
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        if restore:
            x[i] = old
        grad[i] = estimate(f_plus, f_minus, f_here, h)
    return grad


def _central(fp, fm, f0, h):
    return (fp - fm) / (2 * h)


def _only_1d(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for i in range(x.size):          # x[i] is a whole row when x is 2-D
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# --- 06.cross_entropy_error ---------------------------------------------------------

def _batch(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return y, t


def _textbook_ce(y, t):
    y, t = _batch(y, t)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t] + 1e-7)) / y.shape[0]


def _ce_sum(y, t):
    y, t = _batch(y, t)
    return -np.sum(np.log(np.clip(y[np.arange(y.shape[0]), t], 1e-12, None)))


def _ce_predicted_class(y, t):
    y, _ = _batch(y, t)
    return -np.mean(np.log(np.clip(y[np.arange(y.shape[0]), y.argmax(axis=1)], 1e-12, None)))


def _ce_no_minus(y, t):
    y, t = _batch(y, t)
    return np.mean(np.log(np.clip(y[np.arange(y.shape[0]), t], 1e-12, None)))


def _ce_no_clip(y, t):
    y, t = _batch(y, t)
    return -np.mean(np.log(y[np.arange(y.shape[0]), t]))


def _ce_all_classes(y, t):
    y, t = _batch(y, t)
    return -np.mean(np.sum(np.log(np.clip(y, 1e-12, None)), axis=1))


# --- 06.gradient_descent -------------------------------------------------------------

def _descent(sign=-1.0, fixed_lr=None, extra=0, copy=True):
    def gradient_descent(f, init_x, lr=0.01, step_num=100):
        x = init_x.copy() if copy else init_x
        for _ in range(step_num + extra):
            grad = _library_gradient(f, x)
            if copy:
                x = x + sign * (fixed_lr or lr) * grad
            else:
                x -= (fixed_lr or lr) * grad
        return x
    return gradient_descent


MUTANTS = {
    "06.numerical_gradient": [
        ("forward difference", lambda f, x, h=1e-4: _gradient(f, x, h, lambda fp, fm, f0, h: (fp - f0) / h)),
        ("forgot to restore x", lambda f, x, h=1e-4: _gradient(f, x, h, _central, restore=False)),
        ("h = 1e-50 rounds away", lambda f, x, h=1e-50: _gradient(f, x, h, _central)),
        ("divides by h instead of 2h", lambda f, x, h=1e-4: _gradient(f, x, h, lambda fp, fm, f0, h: (fp - fm) / h)),
        ("only loops over 1-D arrays", _only_1d),
    ],
    "06.cross_entropy_error": [
        ("sum over the batch, not the mean", _ce_sum),
        ("log of the predicted class, not the true one", _ce_predicted_class),
        ("missing minus sign", _ce_no_minus),
        ("no clip: log(0) = -inf", _ce_no_clip),
        ("log of every class", _ce_all_classes),
    ],
    "06.gradient_descent": [
        ("+ instead of -: climbs the hill", _descent(sign=+1.0)),
        ("lr ignored (always 0.01)", _descent(fixed_lr=0.01)),
        ("one step too many", _descent(extra=1)),
        ("one step too few", _descent(extra=-1)),
        ("modifies init_x in place", _descent(copy=False)),
    ],
}

TEXTBOOK_CROSS_ENTROPY = _textbook_ce
"""The textbook's version, log(y + 1e-7): not a mutant, it must PASS (tests/test_descent.py)."""
