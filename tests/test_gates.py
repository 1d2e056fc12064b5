"""dlcourse.gates: slide truth tables, vectorised against a naive loop, bad shapes."""
import numpy as np
import pytest

from dlcourse import gates


@pytest.mark.parametrize("name, table", [
    ("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]), ("XOR", [0, 1, 1, 0]),
])
def test_truth_tables(name, table):
    assert list(gates.truth_table(getattr(gates, name))) == table


def test_slide_weights():
    assert gates.GATE_PARAMS["AND"] == ((0.5, 0.5), -0.7)
    assert gates.GATE_PARAMS["OR"] == ((0.5, 0.5), -0.2)
    assert gates.GATE_PARAMS["NAND"] == ((-0.5, -0.5), 0.7)


def test_perceptron_batch_equals_naive_loop():
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((50, 4)), rng.standard_normal(4), 0.2
    naive = [1 if sum(xi * wi for xi, wi in zip(row, w)) + b > 0 else 0 for row in x]
    assert list(gates.perceptron(x, w, b)) == naive
    assert gates.perceptron(x[0], w, b) == naive[0]
    assert isinstance(gates.perceptron(x[0], w, b), int)


def test_perceptron_is_strict_at_the_boundary():
    assert gates.perceptron(np.array([1.0, 1.0]), np.array([0.5, 0.5]), -1.0) == 0


def test_gates_accept_arrays():
    a, b = np.array([[0, 1], [0, 1]]), np.array([[0, 0], [1, 1]])
    assert gates.XOR(a, b).tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize("x, w, message", [
    (np.zeros((4, 3)), np.zeros(2), r"expected x of shape \(2,\) or \(N, 2\) .* got \(4, 3\)"),
    (np.zeros(2), np.zeros((2, 1)), r"expected w of shape \(D,\), got \(2, 1\)"),
])
def test_perceptron_shape_errors(x, w, message):
    with pytest.raises(ValueError, match=message):
        gates.perceptron(x, w, 0.0)
