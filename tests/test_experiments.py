"""Slide experiments of chapters 00-02 reproduce the slides' numbers."""
import numpy as np
import pytest

from dlcourse import functions as F
from dlcourse import gates
from dlcourse.experiments import activations as A
from dlcourse.experiments import intro
from dlcourse.experiments import perceptron as P


def test_line_fit_best_line_beats_any_other():
    best = intro.line_fit(0, 0)
    assert best.best_error <= intro.line_fit(best.best_slope + 0.1, best.best_intercept).error
    assert best.best_error <= intro.line_fit(best.best_slope, best.best_intercept - 0.1).error
    at_best = intro.line_fit(best.best_slope, best.best_intercept)
    assert at_best.error == pytest.approx(at_best.best_error)
    assert "mean squared error" in str(best)


def test_truth_tables_print_the_slide_weights():
    text = str(P.gate_truth_tables())
    assert "AND: w = (+0.5, +0.5), b = -0.7" in text and "NAND: w = (-0.5, -0.5), b = +0.7" in text
    with pytest.raises(ValueError, match="expected one of AND, OR, NAND, XOR"):
        P.gate_truth_tables(("NOR",))


def test_no_single_perceptron_computes_xor():
    s = P.search_single_perceptron()
    assert s.n_tried == 21 ** 3
    assert s.n_found["XOR"] == 0 and s.best_correct["XOR"] == 3
    assert min(s.n_found[g] for g in ("AND", "OR", "NAND")) > 0


def test_gate_search_matches_a_naive_loop_on_a_small_grid():
    grid = np.linspace(-1, 1, 5)
    s = P.search_single_perceptron(grid)
    for g in ("AND", "OR", "NAND", "XOR"):
        target = list(gates.truth_table(getattr(gates, g)))
        naive = sum(1 for w1 in grid for w2 in grid for b in grid
                    if [int(w1 * x1 + w2 * x2 + b > 0) for x1, x2 in gates.INPUTS] == target)
        assert s.n_found[g] == naive, g


@pytest.mark.parametrize("w1, w2, b, name", [
    (0.5, 0.5, -0.7, "AND"), (0.5, 0.5, -0.2, "OR"), (-0.5, -0.5, 0.7, "NAND"),
    (0.0, 0.0, 0.5, "constant 1"), (1.0, -1.0, 0.5, ""),
])
def test_perceptron_view_names_the_gate(w1, w2, b, name):
    assert P.perceptron_view(w1, w2, b).matches == name


def test_xor_two_layers_hidden_space():
    t = P.xor_two_layers()
    s1, s2, y = t.outputs.values()
    assert list(y) == [0, 1, 1, 0]
    assert sorted(zip(s1, s2)) == [(0, 1), (1, 0), (1, 1), (1, 1)]


def test_sigmoid_derivative_peak():
    x, d = A.sigmoid_derivative_max()
    assert f"{x:.4f}" == "0.0000" and f"{d:.4f}" == "0.2500"


def test_linear_collapse_is_exact_and_nonlinear_is_not():
    assert A.linear_collapse(c=2.0, depth=3).max_difference < 1e-12
    assert A.linear_collapse(c=0.5, depth=5).max_difference < 1e-12


def test_signal_decay_sigmoid_squashes_leaky_relu_keeps():
    sig = A.signal_through_layers("sigmoid", depth=4).spreads
    leaky = A.signal_through_layers("leaky_relu", depth=4).spreads
    # seed 002 p.32: the sigmoid squashes, leaky ReLU barely attenuates
    assert [f"{v:.4f}" for v in sig] == ["10.0000", "0.9866", "0.2281", "0.0519", "0.0117"]
    assert np.all(np.diff(sig) < 0) and sig[-1] < 0.02
    assert leaky[-1] > 4.99
    with pytest.raises(ValueError, match="depth"):
        A.signal_through_layers("sigmoid", depth=-1)
    with pytest.raises(ValueError, match="unknown activation"):
        A.signal_through_layers("gelu", depth=2)


def test_activation_table_values_match_functions():
    t = A.activation_table()
    for name in t.values:
        h, dh = F.get_activation(name)
        assert np.array_equal(t.values[name], h(t.x)) and np.array_equal(t.derivatives[name], dh(t.x))
    assert "0.2500" in str(t)


def test_softmax_example_is_the_slides():
    _, p = A.softmax_example()
    assert [round(v, 2) for v in p] == [0.06, 0.82, 0.12]
