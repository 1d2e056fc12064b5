"""Checks for chapter 06 (losses, numerical differentiation, gradient descent)."""
import numpy as np

from dlcourse import functions as F
from dlcourse.lessons.numerical_descent import sum_of_squares
from dlcourse.grading.core import register

SLIDE_Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
WRONG_Y = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])   # peak on class 7

CE_TOL = 1e-5
"""The reference is exact up to a clip at 1e-12; the textbook's ``log(y + 1e-7)`` differs
from it by about 1e-7 / y relative, under 1e-6 on these inputs. That version is not wrong,
so the tolerance lets it pass; every real mistake is off by far more than 1e-5."""


def _unchanged(c, label, before, after, hint):
    same = np.allclose(after, before, rtol=1e-12, atol=1e-12)
    return c.record(label, same, "unchanged" if same else
                    f"changed by up to {np.max(np.abs(after - before)):.1e}", hint)


# --- 06.numerical_gradient ------------------------------------------------------

@register("06.numerical_gradient", points=2, title="numerical_gradient(f, x, h=1e-4) -> same shape as x",
          hint="for every index i of x (np.ndindex(x.shape) also covers 2-D and 3-D arrays): keep "
               "old = x[i], set x[i] = old + h and evaluate f(x), set x[i] = old - h and evaluate "
               "f(x), put x[i] = old back; grad[i] = (f_plus - f_minus) / (2 * h)")
def check_numerical_gradient(numerical_gradient, c):
    bowl = lambda x: float(np.sum(x * x))                                   # noqa: E731
    for p, g in (((3, 4), (6, 8)), ((0, 2), (0, 4)), ((3, 0), (6, 0))):
        c.close(f"x0² + x1² at {p}: gradient {g}", lambda p=p: numerical_gradient(bowl, np.array(p, float)), g,
                hint="central difference: divide f(x + h) - f(x - h) by 2h, and keep h about 1e-4 "
                     "(with h = 1e-50, x + h == x and every difference is 0)")
    x3 = c.rng.uniform(-1.0, 1.0, size=(2, 3, 2))
    c.close("Σ sin(x), x of shape (2, 3, 2)", lambda: numerical_gradient(lambda x: float(np.sum(np.sin(x))), x3),
            np.cos(x3), hint="loop over every index of an array of any shape, e.g. np.ndindex(x.shape)")
    X = c.rng.uniform(-1.0, 1.0, size=(3, 4))
    B = c.rng.uniform(-1.0, 1.0, size=(4, 2))
    quad = lambda X: float(np.sum((X @ B) ** 2))                             # noqa: E731
    c.close("Σ (X @ B)², X of shape (3, 4)", lambda: numerical_gradient(quad, X), 2 * (X @ B) @ B.T)
    before = X.copy()
    if c.run("x is restored afterwards", lambda: numerical_gradient(quad, X))[0]:
        _unchanged(c, "x is restored afterwards", before, X,
                   "after evaluating f at x[i] ± h, put the old value back: x[i] = old")


# --- 06.cross_entropy_error ------------------------------------------------------

def _ce_batch(c, N=5, C=10):
    """A batch of softmax outputs whose true-class probabilities lie in [0.05, 0.9]."""
    for _ in range(100):
        y = F.softmax(c.rng.standard_normal((N, C)) * 1.5)
        t = c.rng.integers(0, C, size=N)
        p = y[np.arange(N), t]
        if p.min() >= 0.05 and p.max() <= 0.9:
            return y, t
    raise AssertionError("could not draw a batch with moderate probabilities")


@register("06.cross_entropy_error", points=2, title="cross_entropy_error(y, t) -> float, mean over the batch",
          hint="pick each row's probability of the true class, p = y[np.arange(N), t] (for one-hot t, "
               "take t = t.argmax(axis=1) first); the loss is -mean(log p); keep log away from 0 with "
               "np.clip(p, 1e-12, None) (or the textbook's p + 1e-7)")
def check_cross_entropy_error(cross_entropy_error, c):
    one_hot = np.eye(10)[2]
    c.close("the slide: y (10,), one-hot t: 0.5108", lambda: cross_entropy_error(SLIDE_Y.copy(), one_hot.copy()),
            F.cross_entropy_error(SLIDE_Y, one_hot), tol=CE_TOL,
            hint="for one sample y of shape (C,), reshape y and t to one row: y.reshape(1, -1)")
    c.close("peak on the wrong class 7: 2.3026", lambda: cross_entropy_error(WRONG_Y.copy(), one_hot.copy()),
            F.cross_entropy_error(WRONG_Y, one_hot), tol=CE_TOL,
            hint="the loss uses the probability of the TRUE class t, not of the predicted one")
    y, t = _ce_batch(c)
    c.close("batch (5, 10), labels (5,): the mean", lambda: cross_entropy_error(y.copy(), t.copy()),
            F.cross_entropy_error(y, t), tol=CE_TOL,
            hint="average over the batch: divide the sum by N = y.shape[0]")
    T = np.eye(10)[t]
    c.close("batch (5, 10), one-hot t (5, 10)", lambda: cross_entropy_error(y.copy(), T),
            F.cross_entropy_error(y, T), tol=CE_TOL,
            hint="t.size == y.size means one-hot: turn it into labels with t.argmax(axis=1)")
    zero = np.array([[0.0, 0.3, 0.7]])
    c.no_warnings("y[t] = 0: finite, no log(0) warning", lambda: cross_entropy_error(zero.copy(), np.array([0])),
                  "np.log(0) is -inf: clip p at a tiny value first")
    ok, big = c.run("y[t] = 0: a large loss (> 10)",
                   lambda: float(cross_entropy_error(zero.copy(), np.array([0]))))
    if ok:
        c.record("y[t] = 0: a large loss (> 10)", np.isfinite(big) and big > 10, f"got {big:.4g}",
                 "a zero probability for the true class is the worst prediction: -log(1e-12) ≈ 27.6")


# --- 06.gradient_descent ---------------------------------------------------------

def _quadratic(c, D=3):
    """f(x) = ½ xᵀ A x − bᵀ x with A symmetric positive definite, eigenvalues in [0.5, 3]."""
    Q, _ = np.linalg.qr(c.rng.standard_normal((D, D)))
    A = Q @ np.diag(np.linspace(0.5, 3.0, D)) @ Q.T
    b = c.rng.standard_normal(D)
    return A, b


@register("06.gradient_descent", points=2, title="gradient_descent(f, init_x, lr=0.01, step_num=100) -> x",
          hint="start from a copy, x = init_x.copy(); repeat step_num times: "
               "x = x - lr * numerical_gradient(f, x); return x")
def check_gradient_descent(gradient_descent, c):
    bowl = lambda x: float(sum_of_squares(x))                                # noqa: E731
    start = np.array([-3.0, 4.0])
    # On x0² + x1² one step is x <- (1 - 2 lr) x, so the answer is known in closed form.
    c.close("x0² + x1², lr 0.1, 20 steps",
            lambda: gradient_descent(bowl, start.copy(), lr=0.1, step_num=20), 0.8 ** 20 * start,
            hint="each step moves AGAINST the gradient by lr times it: x = x - lr * grad")
    c.close("x0² + x1², defaults (lr 0.01, 100 steps)",
            lambda: gradient_descent(bowl, start.copy()), 0.98 ** 100 * start,
            hint="use the defaults lr=0.01 and step_num=100 from the signature")
    c.close("x0² + x1², lr 0.3, 7 steps", lambda: gradient_descent(bowl, start.copy(), lr=0.3, step_num=7),
            0.4 ** 7 * start, hint="use the lr and step_num you are given; loop exactly step_num times")
    c.close("step_num = 0 returns the start", lambda: gradient_descent(bowl, start.copy(), lr=0.1, step_num=0),
            start, hint="range(step_num) runs the update exactly step_num times")
    A, b = _quadratic(c)
    x = np.zeros(3)
    for _ in range(25):                                   # the same descent with the exact gradient A x - b
        x = x - 0.1 * (A @ x - b)
    c.close("½xᵀAx − bᵀx (3-D), lr 0.1, 25 steps",
            lambda: gradient_descent(lambda v: float(0.5 * v @ A @ v - b @ v), np.zeros(3), lr=0.1, step_num=25),
            x)
    init = start.copy()
    if c.run("init_x is left unchanged", lambda: gradient_descent(bowl, init, lr=0.1, step_num=5))[0]:
        _unchanged(c, "init_x is left unchanged", start, init,
                   "x = init_x makes x the same array; x -= ... then changes the caller's init_x. "
                   "Start from x = init_x.copy() (or write x = x - lr * grad)")
