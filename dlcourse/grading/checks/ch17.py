"""Checks for chapter 17 (why deep learning works): the magnitude-pruning mask, random ReLU
features and the minimum-norm least-squares fit.

References come from :mod:`dlcourse.lessons.theory_gaps`. Every input is a seeded array sent in
and every answer an array sent back, so the checks work the same against the
grader's sandbox.
"""
import numpy as np

from dlcourse.lessons import theory_gaps as T
from dlcourse.grading.core import register


def _as_array(value):
    return np.asarray(value)


@register("17.magnitude_prune_mask", points=2, forbid=("dlcourse.lessons.theory_gaps.magnitude_prune_mask",),
          title="magnitude_prune_mask(W, fraction) -> bool mask, shape of W",
          hint="k = round(fraction * W.size) weights with the smallest |W| get False, the rest True: "
               "order = np.argsort(np.abs(W), axis=None) sorts the whole array at once; "
               "check 0 <= fraction <= 1 and raise ValueError otherwise")
def check_magnitude_prune_mask(magnitude_prune_mask, c):
    W = c.rng.standard_normal((6, 8))
    c.equal("W (6, 8), fraction 0.5", lambda: magnitude_prune_mask(W.copy(), 0.5), T.magnitude_prune_mask(W, 0.5),
            hint="rank by magnitude |W| (a weight of -3 matters more than one of 0.1), over the whole array")
    W = c.rng.standard_normal((10, 10))
    c.equal("W (10, 10), fraction 0.29: 29 pruned", lambda: magnitude_prune_mask(W.copy(), 0.29),
            T.magnitude_prune_mask(W, 0.29),
            hint="k = round(fraction * W.size): int(0.29 * 100) is 28, because 0.29 * 100 = 28.999...")
    W3 = c.rng.standard_normal((3, 4, 5))
    c.equal("W (3, 4, 5), fraction 0.3: any shape", lambda: magnitude_prune_mask(W3.copy(), 0.3),
            T.magnitude_prune_mask(W3, 0.3), hint="the mask has the shape of W; rank all its entries together")
    c.equal("fraction 0: keep everything", lambda: magnitude_prune_mask(W.copy(), 0.0), np.ones(W.shape, bool))
    c.equal("fraction 1: prune everything", lambda: magnitude_prune_mask(W.copy(), 1.0), np.zeros(W.shape, bool))
    ok, mask = c.run("returns booleans", lambda: _as_array(magnitude_prune_mask(W.copy(), 0.5)))
    if ok:
        c.record("returns booleans", mask.dtype == bool, f"dtype {mask.dtype}",
                 hint="return the mask (True = keep), not the pruned weights: W * mask is for later")
    before = W.copy()
    ok, _ = c.run("does not modify W", lambda: magnitude_prune_mask(W, 0.5))
    if ok:
        c.record("does not modify W", np.array_equal(W, before),
                 "W unchanged" if np.array_equal(W, before) else "your function changed W",
                 hint="build a new mask array; do not write zeros into W")
    c.raises("fraction 1.5 raises ValueError", lambda: magnitude_prune_mask(W.copy(), 1.5))


@register("17.relu_features", points=1, forbid=("dlcourse.lessons.theory_gaps.relu_features",),
          title="relu_features(X, W, b) -> (N, P)",
          hint="max(0, X @ W + b): the bias is added before the ReLU; X (N, D) @ W (D, P) gives (N, P)")
def check_relu_features(relu_features, c):
    X = c.rng.standard_normal((5, 3))
    W = c.rng.standard_normal((3, 7))
    b = c.rng.standard_normal(7)
    c.close("X (5, 3), W (3, 7), b (7,)", lambda: relu_features(X, W, b), T.relu_features(X, W, b))
    X = c.rng.standard_normal((9, 4))
    W = c.rng.standard_normal((4, 2))
    b = np.array([-0.5, 2.0])
    c.close("X (9, 4), W (4, 2), b = [-0.5, 2]", lambda: relu_features(X, W, b), T.relu_features(X, W, b))


@register("17.min_norm_fit", points=2, forbid=("dlcourse.lessons.theory_gaps.min_norm_fit",),
          title="min_norm_fit(Phi, Y) -> beta of shape (P,) or (P, C)",
          hint="P < N: beta = (Phi^T Phi)^-1 Phi^T Y; P >= N: beta = Phi^T (Phi Phi^T)^-1 Y, "
               "the exact fit with the smallest norm; use np.linalg.solve rather than an inverse")
def check_min_norm_fit(min_norm_fit, c):
    Phi = c.rng.standard_normal((12, 5))
    Y = c.rng.standard_normal(12)
    c.close("P < N: Phi (12, 5), Y (12,)", lambda: min_norm_fit(Phi, Y),
            T.min_norm_fit(Phi, Y), hint="with P < N there is no exact fit: least squares, (Phi^T Phi)^-1 Phi^T Y")
    Phi = c.rng.standard_normal((5, 12))
    Y = c.rng.standard_normal((5, 3))
    c.close("P > N: Phi (5, 12), Y (5, 3)", lambda: min_norm_fit(Phi, Y),
            T.min_norm_fit(Phi, Y),
            hint="with P > N, Phi^T Phi is singular: use beta = Phi^T (Phi Phi^T)^-1 Y, the smallest exact fit")
    c.close("P > N: exact fit, Phi @ beta = Y", lambda: Phi @ np.asarray(min_norm_fit(Phi, Y)), Y,
            hint="with more features than samples the fit must be exact")
    Phi = c.rng.standard_normal((8, 8))
    Y = c.rng.standard_normal(8)
    c.close("P = N: Phi (8, 8), Y (8,)", lambda: min_norm_fit(Phi, Y), T.min_norm_fit(Phi, Y))
