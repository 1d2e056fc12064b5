"""Chapter 04: shapes of matrix products and the slides' 3-layer forward pass."""
import numpy as np
import pytest

from dlcourse import widgets
from dlcourse.experiments import matrices as M
from dlcourse.lessons import three_layer_net as net3


@pytest.mark.parametrize("a, b, want", [((2, 3), (3, 2), (2, 2)), ((1, 2), (2, 3), (1, 3)),
                                        ((5, 1), (1, 7), (5, 7))])
def test_matmul_shape_follows_numpy(a, b, want):
    assert net3.matmul_shape(a, b) == want == (np.ones(a) @ np.ones(b)).shape


@pytest.mark.parametrize("a, b", [((3, 2), (3, 2)), ((2, 3), (2, 3)), ((2,), (2, 3))])
def test_matmul_shape_rejects_mismatches(a, b):
    with pytest.raises(ValueError, match="inner dimensions|2-D shapes"):
        net3.matmul_shape(a, b)


def test_shape_rules_agree_with_numpy():
    res = M.shape_rules()
    assert res.numpy_agrees
    assert "(2, 3) x (3, 2)  -> (2, 2)" in str(res)


def test_slide_product_is_6_12_18():
    assert M.slide_product().y.tolist() == [6.0, 12.0, 18.0]


def test_three_layer_network_gives_the_slide_numbers():
    res = M.three_layer_forward()
    assert [f"{v:.4f}" for v in res.y] == ["0.3168", "0.6963"]
    assert [f"{v:.4f}" for v in res.signals["a1"]] == ["0.3000", "0.7000", "1.1000"]
    assert [f"{v:.4f}" for v in res.signals["z1"]] == ["0.5744", "0.6682", "0.7503"]
    assert "y  = [0.3168, 0.6963]" in str(res)


def test_forward_against_a_naive_loop_over_units():
    """Every unit computed as an explicit sum over its inputs, one sample at a time."""
    rng = np.random.default_rng(3)
    net = {}
    sizes = (4, 5, 3, 2)
    for k in range(3):
        net[f"W{k + 1}"] = rng.standard_normal(sizes[k:k + 2])
        net[f"b{k + 1}"] = rng.standard_normal(sizes[k + 1])
    X = rng.standard_normal((6, 4))

    def naive(x):
        z = list(x)
        for k in (1, 2, 3):
            W, b = net[f"W{k}"], net[f"b{k}"]
            a = [sum(z[i] * W[i, j] for i in range(len(z))) + b[j] for j in range(W.shape[1])]
            z = [1 / (1 + np.exp(-v)) for v in a] if k < 3 else a
        return z

    np.testing.assert_allclose(net3.forward(net, X), [naive(x) for x in X], rtol=1e-12)


def test_batch_equals_row_by_row_and_keeps_shapes():
    b = M.batch_forward(N=7, seed=1)
    assert b.Y.shape == (7, 2) and b.max_difference < 1e-12
    assert b.shapes == {"x": (7, 2), "a1": (7, 3), "z1": (7, 3), "a2": (7, 2), "z2": (7, 2), "y": (7, 2)}
    assert [f"{v:.4f}" for v in b.Y[0]] == ["0.3168", "0.6963"]


def test_slide_network_is_a_fresh_copy():
    net = net3.slide_network()
    net["W1"][0, 0] = 99.0
    assert net3.slide_network()["W1"][0, 0] == 0.1


def test_batch_speed_reports_both_timings():
    s = M.batch_speed(N=200, repeats=1)
    assert s.batch_seconds > 0 and s.loop_seconds > 0 and "faster than a Python loop" in str(s)
    assert s.speedup == s.loop_seconds / s.batch_seconds


def test_forward_explorer_default_equals_the_printed_experiment():
    demo = widgets.forward_explorer()
    assert str(demo.result) == str(M.three_layer_forward(x1=1.0, x2=0.5))
    before = demo.image.value
    demo.set(x1=-2.0)
    assert demo.image.value != before and "x = [-2.0000, 0.5000]" in demo.text.value
