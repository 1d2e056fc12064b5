"""Checks for chapter 05 (hidden layers and non-linear boundaries)."""
import numpy as np

from dlcourse import models
from dlcourse.lessons import neubig as H
from dlcourse.grading.core import register


def _as_network(params):
    """(W1, b1, w2, b2) as float arrays of shapes (2, H), (H,), (H,), (), or an error message."""
    try:
        W1, b1, w2, b2 = params
        W1, b1, w2, b2 = (np.asarray(p, dtype=np.float64) for p in (W1, b1, w2, b2))
    except (TypeError, ValueError):
        return None, f"expected four things (W1, b1, w2, b2), got {params!r}"
    if W1.ndim != 2 or W1.shape[0] != 2:
        return None, f"expected W1 of shape (2, H), got shape {W1.shape}"
    H_ = W1.shape[1]
    if b1.shape != (H_,) or w2.shape != (H_,) or b2.size != 1:
        return None, (f"with W1 {W1.shape}: expected b1 ({H_},), w2 ({H_},), b2 a number; "
                      f"got {b1.shape}, {w2.shape}, {b2.shape}")
    return (W1, b1, w2, float(b2)), f"W1 {W1.shape}, b1 {b1.shape}, w2 {w2.shape}, b2 a number"


@register("05.xor_weights", points=2, title="xor_weights() -> (W1 (2, H), b1 (H,), w2 (H,), b2)",
          hint="in the layout x @ W1 + b1, column j of W1 holds hidden unit j's two weights. "
               "Make one hidden unit fire (+1) only for (1, 1) and another only for (-1, -1); "
               "then the output unit must fire when either of them does: weights (1, 1) and a "
               "positive bias (the step outputs +1 only for a sum > 0)")
def check_xor_weights(xor_weights, c):
    net, measure = _as_network(xor_weights())
    if not c.record("returns (W1, b1, w2, b2)", net is not None, measure):
        return
    hidden, out = H.pm1_network(H.NEUBIG_PHI, *net)
    mark = {1: "O", -1: "X"}
    for k, ((p1, p2), want) in enumerate(zip(H.NEUBIG_PHI, H.NEUBIG_LABELS)):
        c.equal(f"x{k + 1}: phi = ({p1:+.0f}, {p2:+.0f}) -> {want:+d} ({mark[int(want)]})",
                int(out[k]), int(want))


def _mlp_params(sizes):
    """Number of weights and biases in dlcourse's MLP with these layer sizes."""
    return int(sum(p.size for p in models.MLP(sizes, rng=0).params))


@register("05.count_params", points=2, forbid=("dlcourse.models.MLP",), title="count_params(sizes) -> int",
          hint="every pair of neighbouring layers (n_in, n_out) is joined by an n_in x n_out weight "
               "matrix plus n_out biases; add this up over all len(sizes) - 1 pairs, "
               "including the last one into the output layer")
def check_count_params(count_params, c):
    cases = [([2, 4, 1], "the Playground demo 2-4-1"), ([2, 3, 2, 2], "chapter 04's 2-3-2-2"),
             ([784, 100, 10], "MNIST 784-100-10"), ([2] + [8] * 6 + [1], "6 hidden layers of 8"),
             ([5, 1], "no hidden layer 5-1")]
    for _ in range(2):
        n = int(c.rng.integers(3, 7))
        cases.append(([int(v) for v in c.rng.integers(1, 20, size=n)], "random"))
    for sizes, what in cases:
        label = f"{what}: {sizes}" if what == "random" else f"{what}"
        c.equal(label, lambda: int(count_params(list(sizes))), _mlp_params(sizes))
