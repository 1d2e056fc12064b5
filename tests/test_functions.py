"""dlcourse.functions: values from the slides, derivatives against numerical ones,
overflow safety (hypothesis), and clear errors for bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlcourse import functions as F
from dlcourse.gradients import numerical_diff, rel_error

SLIDE_Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])


def test_softmax_slide_example():
    # seed 002 p.35: 0.3, 2.9, 1.0 -> 0.06, 0.82, 0.12
    p = F.softmax(np.array([0.3, 2.9, 1.0]))
    assert [f"{v:.4f}" for v in p] == ["0.0607", "0.8171", "0.1222"]
    assert abs(p.sum() - 1.0) < 1e-12


def test_softmax_rows_are_independent_and_match_naive():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 7))
    naive = np.array([np.exp(r) / np.exp(r).sum() for r in x])
    assert rel_error(F.softmax(x), naive) < 1e-12


def test_losses_on_the_slide_example():
    # seed 002 p.53 / DLFS: y above with true class 2
    t_onehot = np.eye(10)[2]
    assert f"{F.mean_squared_error(SLIDE_Y, t_onehot):.4f}" == "0.0975"
    assert f"{F.cross_entropy_error(SLIDE_Y, 2):.4f}" == "0.5108"
    assert F.cross_entropy_error(SLIDE_Y, t_onehot) == pytest.approx(-np.log(0.6), abs=1e-12)


def test_cross_entropy_is_exact_mean_over_batch():
    rng = np.random.default_rng(1)
    y = F.softmax(rng.standard_normal((6, 4)))
    t = rng.integers(0, 4, size=6)
    naive = np.mean([-np.log(y[n, t[n]]) for n in range(6)])
    assert F.cross_entropy_error(y, t) == pytest.approx(naive, rel=1e-13)
    assert F.cross_entropy_error(y, np.eye(4)[t]) == pytest.approx(naive, rel=1e-13)


def test_cross_entropy_clips_only_zero_probabilities():
    y = np.array([[0.0, 1.0]])
    assert F.cross_entropy_error(y, np.array([0])) == pytest.approx(-np.log(1e-12))


@pytest.mark.parametrize("name", list(F.ACTIVATIONS))
def test_derivatives_match_numerical(name):
    h, dh = F.get_activation(name)
    # avoid the kink at 0 (step, relu, leaky relu)
    xs = np.array([-3.1, -0.7, -0.2, 0.3, 1.4, 2.9])
    num = np.array([numerical_diff(h, x, h=1e-6) for x in xs])
    assert rel_error(dh(xs), num) < 1e-7


def test_activation_values():
    x = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(F.step_function(x), [0.0, 0.0, 1.0])
    assert np.allclose(F.sigmoid(x), 1 / (1 + np.exp(-x)))
    assert np.array_equal(F.relu(x), [0.0, 0.0, 3.0])
    assert np.allclose(F.leaky_relu(x), [-0.02, 0.0, 3.0])
    assert np.allclose(F.leaky_relu(x, alpha=0.2), [-0.4, 0.0, 3.0])
    assert np.allclose(F.tanh(x), np.tanh(x))
    assert F.sigmoid_grad(0.0) == 0.25


def test_activations_do_not_modify_input():
    x = np.array([-1.0, 2.0])
    for h, dh in F.ACTIVATIONS.values():
        h(x), dh(x)
    assert np.array_equal(x, [-1.0, 2.0])


def test_activations_keep_float32():
    x = np.ones(3, dtype=np.float32)
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        assert F.get_activation(name)[0](x).dtype == np.float32, name


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="expected one of identity, step, sigmoid"):
        F.get_activation("swish")
    assert F.get_activation("Leaky ReLU")[0] is F.leaky_relu


@pytest.mark.parametrize("y, t, message", [
    (np.ones((3, 4)) / 4, np.array([0, 1]), r"expected t of shape \(3,\) .* or \(3, 4\)"),
    (np.ones((2, 3, 4)), np.array([0, 1]), r"expected y of shape \(N, C\) or \(C,\), got \(2, 3, 4\)"),
    (np.ones((2, 3)) / 3, np.array([0, 3]), r"expected integer labels t in 0..2, got values 0..3"),
])
def test_loss_shape_errors_name_the_expected_shape(y, t, message):
    with pytest.raises(ValueError, match=message):
        F.cross_entropy_error(y, t)


def test_mse_shape_error():
    with pytest.raises(ValueError, match=r"expected t of shape"):
        F.mean_squared_error(np.zeros((2, 3)), np.zeros((3, 2)))


def test_softmax_rejects_scalar():
    with pytest.raises(ValueError, match=r"shape \(C,\) or \(N, C\)"):
        F.softmax(3.0)


big_floats = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)),
                    elements=st.floats(-1e3, 1e3, allow_nan=False))


def _no_warnings(func, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return func(*args)


@settings(max_examples=150, deadline=None)
@given(big_floats)
def test_softmax_finite_without_warnings(x):
    p = _no_warnings(F.softmax, x)
    assert np.all(np.isfinite(p))
    assert np.allclose(p.sum(axis=-1), 1.0)


@settings(max_examples=150, deadline=None)
@given(big_floats)
def test_sigmoid_finite_without_warnings(x):
    s = _no_warnings(F.sigmoid, x)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert np.all(np.isfinite(_no_warnings(F.sigmoid_grad, x)))


@settings(max_examples=150, deadline=None)
@given(big_floats, st.data())
def test_cross_entropy_finite_without_warnings(x, data):
    N, C = x.shape
    t = np.array(data.draw(st.lists(st.integers(0, C - 1), min_size=N, max_size=N)))
    e = _no_warnings(F.cross_entropy_error, _no_warnings(F.softmax, x), t)
    assert np.isfinite(e) and e >= 0
