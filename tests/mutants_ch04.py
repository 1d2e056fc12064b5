"""Typical wrong answers for the checks of chapter 04 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse import functions as F


def _asserts_instead(a, b):
    assert a[1] == b[0], "inner dimensions differ"
    return (a[0], b[1])


def _outer_dims_compared(a, b):
    if a[0] != b[1]:
        raise ValueError("mismatch")
    return (a[0], b[1])


def _swapped_result(a, b):
    if a[1] != b[0]:
        raise ValueError("mismatch")
    return (b[1], a[0])


def _forward(net, x, act=F.sigmoid, out=lambda a: a, biases=(True, True, True), transpose=False):
    """The 3-layer forward pass with one mistake switched on."""
    z = x
    for k in (1, 2, 3):
        W, b = net[f"W{k}"], net[f"b{k}"]
        a = (z @ W.T if transpose else z @ W) + (b if biases[k - 1] else 0)
        z = act(a) if k < 3 else out(a)
    return z


def _column_vectors(net, x):
    """W.T @ x: right for one input, wrong for a batch of rows."""
    z1 = F.sigmoid(net["W1"].T @ x + net["b1"])
    z2 = F.sigmoid(net["W2"].T @ z1 + net["b2"])
    return net["W3"].T @ z2 + net["b3"]


MUTANTS = {
    "04.matmul_shape": [
        ("(rows of A, rows of B)", lambda a, b: (a[0], b[0])),
        ("never raises", lambda a, b: (a[0], b[1])),
        ("assert instead of ValueError", _asserts_instead),
        ("compares the outer dimensions", _outer_dims_compared),
        ("result (m, n) instead of (n, m)", _swapped_result),
    ],
    "04.forward": [
        ("forgot the first bias", lambda net, x: _forward(net, x, biases=(False, True, True))),
        ("forgot the output bias", lambda net, x: _forward(net, x, biases=(True, True, False))),
        ("sigmoid on the output", lambda net, x: _forward(net, x, out=F.sigmoid)),
        ("softmax on the output", lambda net, x: _forward(net, x, out=F.softmax)),
        ("transposed weights", lambda net, x: _forward(net, x, transpose=True)),
        ("ReLU in the hidden layers", lambda net, x: _forward(net, x, act=F.relu)),
        ("column-vector convention W.T @ x", _column_vectors),
        ("no activation at all", lambda net, x: _forward(net, x, act=lambda a: a)),
    ],
}
