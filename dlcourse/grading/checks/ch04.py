"""Checks for chapter 04 (the forward pass as matrix products)."""
import numpy as np

from dlcourse.lessons import three_layer_net as M
from dlcourse.grading.core import register


def _numpy_shape(a_shape, b_shape):
    """The shape numpy gives A @ B (an independent reference for matmul_shape)."""
    return (np.ones(a_shape) @ np.ones(b_shape)).shape


@register("04.matmul_shape", points=2, title="matmul_shape(a_shape, b_shape) -> (n, m)",
          hint="(n, k) @ (k, m) -> (n, m): the inner dimensions (A's columns, B's rows) must "
               "be equal, and the result keeps A's rows and B's columns; otherwise "
               "raise ValueError (an `assert` raises AssertionError, which is not the same)")
def check_matmul_shape(matmul_shape, c):
    c.equal("(2, 3) x (3, 2) -> (2, 2) (the slide)", lambda: tuple(matmul_shape((2, 3), (3, 2))), (2, 2))
    c.equal("(1, 2) x (2, 3) -> (1, 3)", lambda: tuple(matmul_shape((1, 2), (2, 3))), (1, 3))
    c.equal("(3, 2) x (2, 4) -> (3, 4)", lambda: tuple(matmul_shape((3, 2), (2, 4))), (3, 4))
    for _ in range(3):
        n, k, m = (int(v) for v in c.rng.integers(1, 9, size=3))
        c.equal(f"({n}, {k}) x ({k}, {m}), as numpy says",
                lambda: tuple(matmul_shape((n, k), (k, m))), _numpy_shape((n, k), (k, m)))
    c.raises("(3, 2) x (3, 2) raises ValueError", lambda: matmul_shape((3, 2), (3, 2)))
    c.raises("(2, 3) x (2, 3) raises ValueError", lambda: matmul_shape((2, 3), (2, 3)))
    c.raises("(4, 1) x (2, 4) raises ValueError", lambda: matmul_shape((4, 1), (2, 4)))


def _random_network(rng, sizes):
    """Weights and biases of a 3-layer network with the given layer sizes (D, H1, H2, C)."""
    net = {}
    for k in range(3):
        net[f"W{k + 1}"] = rng.standard_normal((sizes[k], sizes[k + 1]))
        net[f"b{k + 1}"] = rng.standard_normal(sizes[k + 1])
    return net


def _copy(net):
    return {k: v.copy() for k, v in net.items()}


@register("04.forward", points=3, title="forward(network, x) -> y, x of shape (D,) or (N, D)",
          hint="a1 = x @ W1 + b1, z1 = sigmoid(a1); a2 = z1 @ W2 + b2, z2 = sigmoid(a2); "
               "y = z2 @ W3 + b3 with no activation (identity output). Keep x on the left "
               "(x @ W, not W @ x) so that a batch of rows works too")
def check_forward(forward, c):
    net, x = M.slide_network(), M.slide_input()
    c.close("slide: x=[1.0, 0.5] -> [0.3168, 0.6963]", lambda: forward(_copy(net), x.copy()),
            M.forward(net, x))
    X = c.rng.standard_normal((5, 2))
    c.close("slide network, batch of shape (5, 2)", lambda: forward(_copy(net), X.copy()),
            M.forward(net, X))
    big = _random_network(c.rng, (4, 5, 3, 2))
    X = c.rng.standard_normal((6, 4))
    c.close("random 4->5->3->2 network, batch (6, 4)", lambda: forward(_copy(big), X.copy()),
            M.forward(big, X))
    c.close("same network, one input of shape (4,)", lambda: forward(_copy(big), X[0].copy()),
            M.forward(big, X[0]))
    rows = np.stack([M.forward(big, x) for x in X])
    c.close("batch equals row by row", lambda: forward(_copy(big), X.copy()), rows)
