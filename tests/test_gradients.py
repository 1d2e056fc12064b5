"""dlcourse.gradients: numerical differentiation and the gradient-check helpers."""
import numpy as np
import pytest

from dlcourse.gradients import check_layer_gradients, numerical_diff, numerical_gradient, rel_error


def test_numerical_diff_of_known_functions():
    assert numerical_diff(lambda x: x ** 2, 2.0) == pytest.approx(4.0, abs=1e-8)
    assert numerical_diff(np.sin, 0.3) == pytest.approx(np.cos(0.3), abs=1e-8)


@pytest.mark.parametrize("shape", [(3,), (2, 4), (2, 3, 2)])
def test_numerical_gradient_matches_analytic(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)   # away from 0, where
    A = rng.standard_normal(shape)                                      # rel. error is noise
    f = lambda: float(np.sum(A * x ** 3))  # noqa: E731   d/dx = 3 A x^2
    before = x.copy()
    g = numerical_gradient(f, x)
    assert rel_error(g, 3 * A * before ** 2) < 1e-8
    assert np.array_equal(x, before), "numerical_gradient must restore x"


def test_numerical_gradient_accepts_f_of_x():
    x = np.array([3.0, -4.0])
    assert rel_error(numerical_gradient(lambda v: np.sum(v ** 2), x), 2 * x) < 1e-9


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match="float ndarray"):
        numerical_gradient(lambda: 0.0, np.array([1, 2]))


def test_rel_error_thresholds_and_shapes():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [1.0 + 1e-9]) < 1e-7
    assert rel_error([1.0], [-1.0]) == 1.0
    with pytest.raises(ValueError, match=r"equal shapes, got \(2,\) and \(2, 1\)"):
        rel_error(np.zeros(2), np.zeros((2, 1)))


class _Scale:
    """out = x * w; a tiny layer to exercise check_layer_gradients (and a broken twin)."""

    def __init__(self, w, broken=False):
        self.params, self.grads, self.broken = [w], [np.zeros_like(w)], broken

    def forward(self, x):
        self.x = x
        return x * self.params[0]

    def backward(self, dout):
        self.grads[0][...] = np.sum(dout * self.x, axis=0)
        return dout * self.params[0] * (-1 if self.broken else 1)


def test_check_layer_gradients_passes_a_correct_layer_and_catches_a_wrong_one():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((4, 3)), rng.standard_normal(3)
    good = check_layer_gradients(_Scale(w.copy()), x.copy())
    assert max(good.values()) < 1e-8
    bad = check_layer_gradients(_Scale(w.copy(), broken=True), x.copy())
    assert bad["dx0"] > 0.5 and bad["param0"] < 1e-8


def test_five_point_differences_are_more_accurate():
    """order=4 against the exact derivative of sin: about h**2 more accurate than order=2."""
    x = np.linspace(-2.0, 2.0, 9)
    exact = np.cos(x)
    two = numerical_gradient(lambda: float(np.sum(np.sin(x))), x, h=1e-3)
    four = numerical_gradient(lambda: float(np.sum(np.sin(x))), x, h=1e-3, order=4)
    assert np.max(np.abs(two - exact)) > 1e-8 > 1e-11 > np.max(np.abs(four - exact))
    with pytest.raises(ValueError, match="order must be 2 or 4"):
        numerical_gradient(lambda: 0.0, x, order=3)
