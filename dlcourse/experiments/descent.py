"""Chapter 06 experiments: losses, numerical differentiation, gradient descent.

Seeds: 002 p.53 (the plan: squared error and cross-entropy, numerical and
partial derivatives, learning by the gradient method), 001 §7.2.2 (the squared
error J = ½ Σ (g_i − b_i)² and the update w ← w − ρ ∂J/∂w). The 10-class
example (y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0], true class 2:
squared error 0.0975, cross-entropy 0.5108) and the descent on x0² + x1² from
(−3, 4) are the lineage's ("Deep Learning from Scratch", ch. 4).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse.lessons import numerical_descent as D
from dlcourse import functions as F
from dlcourse.gradients import numerical_diff, numerical_gradient

__all__ = [
    "SLIDE_Y", "LossExamples", "loss_examples", "DifferenceErrors", "difference_errors",
    "DerivativeTable", "derivative_table", "GradientTable", "gradient_table",
    "GradientField", "gradient_field", "DescentPath", "descent_path",
    "LearningRates", "learning_rates",
]

SLIDE_Y = (0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0)
"""The 10-class softmax output of the example; its peak (0.6) is on class 2."""


def _num(v):
    """A float at 4 decimals, in scientific notation when fixed point would hide it."""
    v = float(v)
    if v == 0 or 1e-3 <= abs(v) < 1e5:
        return f"{v:.4f}"
    return f"{v:.4e}"


def _point(x):
    return "(" + ", ".join(_num(v) for v in np.ravel(x)) + ")"


# --- losses ---------------------------------------------------------------------

@dataclass(frozen=True)
class LossExamples:
    """Squared error and cross-entropy of a few 10-class predictions against one true class."""

    t: int
    predictions: dict        # name -> y, (C,)
    squared_error: dict      # name -> float
    cross_entropy: dict      # name -> float

    def __str__(self):
        rows = [f"true class t = {self.t}",
                f"{'prediction':<26}{'y[t]':>7}{'squared error':>15}{'cross-entropy':>15}"]
        for name, y in self.predictions.items():
            rows.append(f"{name:<26}{y[self.t]:7.2f}{self.squared_error[name]:15.4f}"
                        f"{self.cross_entropy[name]:15.4f}")
        return "\n".join(rows)


def loss_examples(y=SLIDE_Y, t=2, wrong_class=7):
    """The losses of a right and a wrong prediction.

    The right one is the example ``y`` (peak 0.6 on the true class ``t``); the
    wrong one swaps entries ``t`` and ``wrong_class``, so the peak sits on
    ``wrong_class`` and the true class gets 0.1.

    Returns
    -------
    LossExamples
        For the defaults: squared error 0.0975 and cross-entropy 0.5108
        (right), 0.5975 and 2.3026 (wrong).
    """
    right = np.asarray(y, dtype=float)
    C = right.shape[0]
    if not 0 <= t < C or not 0 <= wrong_class < C or t == wrong_class:
        raise ValueError(f"t and wrong_class must be two different classes in 0..{C - 1}, "
                         f"got {t} and {wrong_class}")
    wrong = right.copy()
    wrong[[t, wrong_class]] = right[[wrong_class, t]]
    preds = {f"peak on class {t} (right)": right, f"peak on class {wrong_class} (wrong)": wrong}
    return LossExamples(
        t, preds,
        {k: F.mean_squared_error(v, t) for k, v in preds.items()},
        {k: F.cross_entropy_error(v, np.eye(C)[t]) for k, v in preds.items()},
    )


# --- numerical differentiation ------------------------------------------------

def _cube(x):
    return x * x * x          # products only: exact IEEE arithmetic, the same on every machine


@dataclass(frozen=True)
class DifferenceErrors:
    """Error of the forward and central differences against the exact derivative, per step h."""

    x: float
    exact: float
    hs: np.ndarray           # (K,)
    forward: np.ndarray      # (K,) estimates
    central: np.ndarray      # (K,)
    shown: tuple             # the h values printed

    @property
    def forward_error(self):
        return np.abs(self.forward - self.exact)

    @property
    def central_error(self):
        return np.abs(self.central - self.exact)

    def __str__(self):
        rows = [f"f(x) = x³ at x = {self.x:g}: exact f'(x) = {self.exact:g}",
                f"{'h':>7}{'forward':>14}{'error':>10}{'central':>14}{'error':>10}"]
        for h in self.shown:
            k = int(np.flatnonzero(self.hs == h)[0])
            rows.append(f"{self.hs[k]:7.0e}{self.forward[k]:14.8f}{self.forward_error[k]:10.1e}"
                        f"{self.central[k]:14.8f}{self.central_error[k]:10.1e}")
        return "\n".join(rows)


def difference_errors(x=1.0, hs=None, shown=(1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8, 1e-10,
                                               1e-12, 1e-14, 1e-50)):
    """Forward vs central differences of ``f(x) = x³`` for many step sizes ``h``.

    The forward error is ``3 x h + h²`` (first order), the central error
    exactly ``h²`` (second order), until rounding takes over: below about
    1e-8 (forward) or 5e-6 (central) the error grows again like ``1e-16 / h``,
    and at ``h = 1e-50`` the sum ``x + h`` rounds to ``x``, so both estimates are 0.

    Parameters
    ----------
    x : float
        Where to differentiate.
    hs : array_like, shape (K,), optional
        Step sizes; default 161 values from 1e-16 to 1, plus 1e-50.

    Returns
    -------
    DifferenceErrors
    """
    if hs is None:
        # parsed from decimal text, not computed with pow(): the same bits on every machine
        hs = [float(f"{m}e-{k}") for k in range(16, 0, -1) for m in (1, 1.5, 2, 3, 5, 7)]
        hs = [1e-50] + hs + [1.0]
    hs = np.asarray(sorted(set(hs) | set(shown)), dtype=float)
    x = float(x)
    fwd = np.array([D.forward_diff(_cube, x, h) for h in hs])
    cen = np.array([numerical_diff(_cube, x, h) for h in hs])
    return DifferenceErrors(x, 3 * x * x, hs, fwd, cen, tuple(shown))


@dataclass(frozen=True)
class DerivativeTable:
    """The derivative of ``0.01 x² + 0.1 x`` at a few points, three ways."""

    xs: np.ndarray           # (P,)
    central: np.ndarray      # (P,)
    forward: np.ndarray      # (P,)
    analytic: np.ndarray     # (P,)
    h: float

    def __str__(self):
        rows = [f"f(x) = 0.01x² + 0.1x, f'(x) = 0.02x + 0.1, h = {self.h:g}",
                f"{'x':>5}{'analytic':>10}{'central':>10}{'error':>9}{'forward':>10}{'error':>9}"]
        for x, a, c, f in zip(self.xs, self.analytic, self.central, self.forward):
            rows.append(f"{x:5.1f}{a:10.4f}{c:10.4f}{abs(c - a):9.0e}{f:10.4f}{abs(f - a):9.0e}")
        return "\n".join(rows)


def derivative_table(xs=(5.0, 10.0), h=1e-4):
    """Central and forward differences of the parabola against its derivative 0.02x + 0.1.

    At x = 5 and 10 the analytic values are 0.2 and 0.3. The central
    difference of a parabola is exact but for rounding (about 1e-12); the
    forward one is off by ``0.01 h`` = 1e-6.

    Returns
    -------
    DerivativeTable
    """
    xs = np.asarray(xs, dtype=float)
    return DerivativeTable(
        xs,
        np.array([numerical_diff(D.parabola, x, h) for x in xs]),
        np.array([D.forward_diff(D.parabola, x, h) for x in xs]),
        D.parabola_grad(xs), h,
    )


# --- gradients ------------------------------------------------------------------

@dataclass(frozen=True)
class GradientTable:
    """The numerical gradient of x0² + x1² at a few points, next to the exact 2x."""

    points: np.ndarray       # (P, 2)
    numerical: np.ndarray    # (P, 2)
    analytic: np.ndarray     # (P, 2)

    def __str__(self):
        rows = ["f(x0, x1) = x0² + x1², exact gradient (2 x0, 2 x1)"]
        for p, g, a in zip(self.points, self.numerical, self.analytic):
            rows.append(f"at ({p[0]:g}, {p[1]:g}): numerical gradient {_point(g)}, "
                        f"exact ({a[0]:g}, {a[1]:g})")
        return "\n".join(rows)


def gradient_table(points=((3.0, 4.0), (0.0, 2.0), (3.0, 0.0))):
    """Numerical gradients of ``x0² + x1²``: (6, 8), (0, 4), (6, 0) at (3, 4), (0, 2), (3, 0).

    Returns
    -------
    GradientTable
    """
    P = np.asarray(points, dtype=float)
    G = np.stack([numerical_gradient(D.sum_of_squares, p.copy()) for p in P])
    return GradientTable(P, G, D.sum_of_squares_grad(P))


@dataclass(frozen=True)
class GradientField:
    """Gradients of x0² + x1² on a grid, for a quiver plot of the arrows −∇f."""

    X0: np.ndarray           # (M, M)
    X1: np.ndarray           # (M, M)
    G: np.ndarray            # (M, M, 2), the numerical gradient at each grid point

    @property
    def max_angle_to_minimum(self):
        """Largest angle (degrees) between −∇f and the direction to the minimum (0, 0)."""
        P = np.stack([self.X0, self.X1], axis=-1).reshape(-1, 2)
        down = -self.G.reshape(-1, 2)
        keep = np.linalg.norm(P, axis=1) > 0                 # the minimum itself has no direction
        to_min, down = -P[keep], down[keep]
        cos = np.sum(to_min * down, axis=1) / (np.linalg.norm(to_min, axis=1) * np.linalg.norm(down, axis=1))
        return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))).max())

    def __str__(self):
        M = self.X0.shape[0]
        return (f"{M} x {M} grid on [{self.X0.min():g}, {self.X0.max():g}]²: {M * M} gradients\n"
                f"largest angle between -grad f and the way to the minimum (0, 0): "
                f"{self.max_angle_to_minimum:.4f} degrees")


def gradient_field(lo=-2.0, hi=2.5, step=0.25):
    """Numerical gradients of ``x0² + x1²`` at every point of ``arange(lo, hi, step)²``.

    Returns
    -------
    GradientField
        On this round bowl every arrow −∇f points straight at the minimum.
    """
    g = np.arange(lo, hi, step)
    X0, X1 = np.meshgrid(g, g)
    pts = np.stack([X0, X1], axis=-1)                        # (M, M, 2)
    G = np.empty_like(pts)
    for idx in np.ndindex(X0.shape):
        G[idx] = numerical_gradient(D.sum_of_squares, pts[idx].copy())
    return GradientField(X0, X1, G)


# --- gradient descent -----------------------------------------------------------

@dataclass(frozen=True)
class DescentPath:
    """One run of gradient descent on x0² + x1²."""

    lr: float
    step_num: int
    path: np.ndarray         # (step_num + 1, 2)
    f: np.ndarray            # (step_num + 1,), f at every point of the path

    @property
    def end(self):
        return self.path[-1]

    @property
    def verdict(self):
        """converges / diverges / barely moves / no progress / still on its way."""
        f0, f1 = self.f[0], self.f[-1]
        moved = np.max(np.linalg.norm(self.path - self.path[0], axis=1))
        if self.step_num == 0:
            return "no steps"
        if f1 <= 1e-6 * f0:
            return "converges"
        if f1 > 1.01 * f0:
            return "diverges"
        if moved < 0.01 * np.linalg.norm(self.path[0]):
            return "barely moves"
        if f1 >= 0.99 * f0:
            return "no progress"          # e.g. lr = 1: it jumps between x and -x for ever
        return "still on its way"

    def __str__(self):
        return (f"lr = {self.lr:.3g}, {self.step_num} steps from {_point(self.path[0])}: "
                f"end x = {_point(self.end)}, f(x) = {_num(self.f[-1])}  ({self.verdict})")


def descent_path(lr=0.1, step_num=100, init=(-3.0, 4.0)):
    """Gradient descent on ``x0² + x1²`` from ``init`` (:func:`dlcourse.lessons.numerical_descent.gradient_descent`).

    Each step multiplies ``x`` by ``1 - 2 lr``: with lr = 0.1 the end point
    after 100 steps is about (−6.1e-10, 8.1e-10).

    Returns
    -------
    DescentPath
    """
    _, path = D.gradient_descent(D.sum_of_squares, np.asarray(init, dtype=float), lr=float(lr),
                                 step_num=int(step_num))
    return DescentPath(float(lr), int(step_num), path, D.sum_of_squares(path))


@dataclass(frozen=True)
class LearningRates:
    """The same descent with several learning rates."""

    runs: list               # [DescentPath]

    def __str__(self):
        first = self.runs[0]
        rows = [f"{first.step_num} steps of gradient descent on x0² + x1² from {_point(first.path[0])}"]
        rows.append(f"{'lr':>8}  {'end x0':>12}{'end x1':>13}{'f(end)':>13}   verdict")
        for r in self.runs:
            rows.append(f"{r.lr:8.0e}  {_num(r.end[0]):>12}{_num(r.end[1]):>13}{_num(r.f[-1]):>13}"
                        f"   {r.verdict}")
        return "\n".join(rows)


def learning_rates(lrs=(0.1, 10.0, 1e-10), step_num=100, init=(-3.0, 4.0)):
    """Gradient descent from ``init`` with each learning rate: 0.1 converges, 10 diverges, 1e-10 stalls.

    Returns
    -------
    LearningRates
    """
    return LearningRates([descent_path(lr, step_num, init) for lr in lrs])
