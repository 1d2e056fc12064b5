"""Chapter 04 experiments: a network's forward pass is matrix products and sums.

Seeds: 002 p.38-39 (the shape rule of matrix products, (2, 3) x (3, 2) -> (2, 2);
the example [1, 2] . [[1, 3, 5], [2, 4, 6]] + [1, 1, 1] = [6, 12, 18]) and
002 p.43-46 (the 3-layer network 2 -> 3 -> 2 -> 2: sigmoid hidden layers,
identity output).

The few lines of maths the chapter needs (``matmul_shape``, ``slide_network``,
``forward``) are in :mod:`dlcourse.lessons.three_layer_net`; this module prints,
checks and times them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from dlcourse.lessons.three_layer_net import forward, matmul_shape, slide_input, slide_network

__all__ = [
    "ShapeRules", "shape_rules", "SlideProduct", "slide_product",
    "ForwardPass", "three_layer_forward", "BatchForward", "batch_forward", "BatchSpeed", "batch_speed",
]


def _fmt(v):
    """A vector or matrix at 4 decimals, rows in brackets: [0.3168, 0.6963]."""
    v = np.asarray(v, dtype=float)
    if v.ndim == 1:
        return "[" + ", ".join(f"{x:.4f}" for x in v) + "]"
    return "[" + ", ".join(_fmt(row) for row in v) + "]"


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ShapeRules:
    """Pairs of shapes, the product's shape (or why there is none), checked against numpy."""

    pairs: list          # [(a_shape, b_shape)]
    results: list        # (n, m) or an error message, per pair
    numpy_agrees: bool   # numpy's A @ B has the same shape / raises for the same pairs

    def __str__(self):
        lines = []
        for (a, b), r in zip(self.pairs, self.results):
            got = f"-> {r}" if isinstance(r, tuple) else f"ValueError: {r}"
            lines.append(f"{str(a):>7} x {str(b):<7} {got}")
        lines.append(f"numpy's A @ B agrees on every pair: {self.numpy_agrees}")
        return "\n".join(lines)


def shape_rules(pairs=(((2, 3), (3, 2)), ((1, 2), (2, 3)), ((1, 3), (3, 2)), ((1, 2), (2, 2)),
                       ((3, 2), (2, 3)), ((3, 2), (3, 2)))):
    """Apply :func:`matmul_shape` to several pairs and confirm each with numpy.

    Returns
    -------
    ShapeRules
    """
    results, agrees = [], True
    for a, b in pairs:
        try:
            results.append(matmul_shape(a, b))
        except ValueError as exc:
            results.append(str(exc))
        try:
            numpy_shape = (np.ones(a) @ np.ones(b)).shape
        except ValueError:
            numpy_shape = None
        mine = results[-1] if isinstance(results[-1], tuple) else None
        agrees = agrees and numpy_shape == mine
    return ShapeRules(list(pairs), results, agrees)


@dataclass(frozen=True)
class SlideProduct:
    """x @ W + b for one input row (seed 002 p.39)."""

    x: np.ndarray   # (D,)
    W: np.ndarray   # (D, H)
    b: np.ndarray   # (H,)
    xW: np.ndarray  # (H,)
    y: np.ndarray   # (H,)

    def __str__(self):
        rows = [("x", self.x), ("W", self.W), ("b", self.b), ("x @ W", self.xW), ("x @ W + b", self.y)]
        return "\n".join(f"{n:<10}= {str(v.astype(int).tolist()):<26} shape {v.shape}" for n, v in rows)


def slide_product():
    """The slide's one-layer example: [1, 2] . [[1, 3, 5], [2, 4, 6]] + [1, 1, 1] = [6, 12, 18].

    Returns
    -------
    SlideProduct
    """
    x = np.array([1.0, 2.0])
    W = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    b = np.array([1.0, 1.0, 1.0])
    return SlideProduct(x, W, b, x @ W, x @ W + b)


# ---------------------------------------------------------------------------
# The 3-layer network
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ForwardPass:
    """Every signal of the 3-layer network for one input."""

    x: np.ndarray
    signals: dict        # a1, z1, a2, z2, a3
    network: dict

    @property
    def y(self):
        return self.signals["a3"]

    def summary(self):
        """Two short lines (the widget shows them beside its figure)."""
        return f"x = {_fmt(self.x)}\ny = {_fmt(self.y)}"

    def __str__(self):
        s = self.signals
        rows = [("x", self.x, "input"),
                ("a1", s["a1"], "x @ W1 + b1"), ("z1", s["z1"], "sigmoid(a1)"),
                ("a2", s["a2"], "z1 @ W2 + b2"), ("z2", s["z2"], "sigmoid(a2)"),
                ("y", s["a3"], "z2 @ W3 + b3 (identity output)")]
        return "\n".join(f"{n:<3}= {_fmt(v):<26} shape {str(np.shape(v)):<5} {what}"
                         for n, v, what in rows)


def three_layer_forward(x1=1.0, x2=0.5):
    """The slides' network on one input; the default x = [1.0, 0.5] gives y = [0.3168, 0.6963].

    Returns
    -------
    ForwardPass
    """
    network = slide_network()
    x = np.array([float(x1), float(x2)])
    _, signals = forward(network, x, intermediates=True)
    return ForwardPass(x, signals, network)


@dataclass(frozen=True)
class BatchForward:
    """A batch through the network at once, against one row at a time."""

    X: np.ndarray          # (N, D)
    Y: np.ndarray          # (N, C)
    Y_loop: np.ndarray     # (N, C), row by row
    shapes: dict           # name -> shape of each signal for the batch

    @property
    def max_difference(self):
        return float(np.max(np.abs(self.Y - self.Y_loop)))

    def __str__(self):
        N = len(self.X)
        lines = ["shapes for a batch of N = %d:" % N]
        lines += [f"  {k:<3}{str(v)}" for k, v in self.shapes.items()]
        lines.append("   n  x                   y (batch)           y (row by row)")
        for n in range(N):
            lines.append(f"  {n:2d}  {_fmt(self.X[n]):<18}  {_fmt(self.Y[n]):<18}  {_fmt(self.Y_loop[n])}")
        lines.append(f"max |batch - loop| = {self.max_difference:.4f}; "
                     f"equal to 1e-12: {np.allclose(self.Y, self.Y_loop, rtol=0, atol=1e-12)}")
        return "\n".join(lines)


def batch_forward(N=4, seed=0, include_slide_input=True):
    """Push N inputs through the slides' network in one call, and one by one.

    Parameters
    ----------
    N : int
        Batch size.
    seed : int
        Seed of the random inputs (standard normal, shape (N, 2)).
    include_slide_input : bool
        Make the first row the slides' x = [1.0, 0.5], so its output is
        [0.3168, 0.6963] again.

    Returns
    -------
    BatchForward
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, 2))
    if include_slide_input:
        X[0] = slide_input()
    network = slide_network()
    Y, signals = forward(network, X, intermediates=True)
    Y_loop = np.stack([forward(network, x) for x in X])
    shapes = {"x": X.shape, **{k if k != "a3" else "y": v.shape for k, v in signals.items()}}
    return BatchForward(X, Y, Y_loop, shapes)


@dataclass(frozen=True)
class BatchSpeed:
    """Time for N inputs: one batched forward pass against a Python loop over rows."""

    N: int
    batch_seconds: float
    loop_seconds: float

    @property
    def speedup(self):
        return self.loop_seconds / self.batch_seconds

    def __str__(self):
        # Times differ between runs and machines; the report states only what holds everywhere,
        # so a saved notebook does not change every time it runs. See batch_seconds, loop_seconds.
        return (f"N = {self.N} inputs: one batched pass is more than 10x faster "
                f"than a Python loop over the rows: {self.speedup > 10}")


def batch_speed(N=5000, seed=0, repeats=3):
    """Time the batched forward pass against the loop (best of ``repeats``; timings vary).

    Returns
    -------
    BatchSpeed
    """
    X = np.random.default_rng(seed).standard_normal((N, 2))
    network = slide_network()

    def best(func):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            func()
            times.append(time.perf_counter() - t0)
        return min(times)

    t_batch = best(lambda: forward(network, X))
    t_loop = best(lambda: [forward(network, x) for x in X])
    return BatchSpeed(N, t_batch, t_loop)
