"""Typical wrong answers for the checks of chapter 05 (merged by tests/mutants.py)."""
import numpy as np

_W1 = np.array([[1.0, -1.0], [1.0, -1.0]])      # the slide's hidden units, one per column
_b1 = np.array([-1.0, -1.0])


def _off_by_one(sizes):
    return sum(sizes[k] * sizes[k + 1] + sizes[k + 1] for k in range(len(sizes) - 2))


MUTANTS = {
    "05.xor_weights": [
        ("the slide's hidden units, output bias -1", lambda: (_W1, _b1, np.array([1.0, 1.0]), -1.0)),
        ("a single layer: the hidden units copy the inputs",
         lambda: (np.eye(2), np.zeros(2), np.array([1.0, 1.0]), 0.0)),
        ("hidden biases with the sign swapped", lambda: (_W1, -_b1, np.array([1.0, 1.0]), 1.0)),
        ("output signs swapped", lambda: (_W1, _b1, np.array([-1.0, -1.0]), -1.0)),
        ("W1 written one row per unit (transposed)",
         lambda: (_W1.T, _b1, np.array([1.0, 1.0]), 1.0)),
        ("only three things", lambda: (_W1, _b1, np.array([1.0, 1.0]))),
    ],
    "05.count_params": [
        ("forgot the biases", lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))),
        ("only the first layer's weights", lambda sizes: sizes[0] * sizes[1]),
        ("off by one: the last layer is missing", _off_by_one),
        ("a bias for the inputs too", lambda sizes: sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))),
        ("counted the units", lambda sizes: sum(sizes)),
    ],
}
