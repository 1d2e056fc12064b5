"""Chapter 10: dropout's two test-time rules, the ensemble, weight decay and the slider grid."""
import numpy as np
import pytest

from dlcourse import layers as L
from dlcourse import widgets
from dlcourse.experiments import regularization as R


def test_dropout_modes_agree_in_expectation_and_converge():
    res = R.dropout_expectation(p=0.5, shape=(10, 20), samples=(10, 100, 2000), seed=3)
    for mode in L.Dropout.MODES:
        d = res.max_rel_diff[mode]
        assert d[-1] < d[0] and d[-1] < 0.15, (mode, d)
    assert res.same_masks_diff == 0.0          # same seed: inverted = scale_at_test / (1 - p)
    assert "10000" not in str(res) and "2000" in str(res)


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_inverted_and_scale_at_test_differ_by_the_keep_rate(p):
    x = np.random.default_rng(0).standard_normal((5, 7))
    inv, sat = L.Dropout(p, "inverted", rng=1), L.Dropout(p, "scale_at_test", rng=1)
    np.testing.assert_allclose(inv.forward(x, train=True) * (1 - p), sat.forward(x, train=True))
    np.testing.assert_allclose(sat.forward(x, train=False), (1 - p) * inv.forward(x, train=False))


def test_rewritten_network_is_the_same_function():
    res = R.dropout_equivalence(p=0.5, hidden=32, epochs=2, seed=0)
    assert res.train_mode_diff < 1e-12 and res.test_mode_diff < 1e-12
    assert res.agree == res.n_test == 359
    assert res.acc_inverted > 0.8 and res.acc_scale_at_test > 0.7   # 2 epochs only


def test_ensemble_of_thinned_nets_approaches_the_test_mode_pass():
    res = R.dropout_ensemble(p=0.5, hidden=32, epochs=2, counts=(1, 50), seed=0)
    assert res.agreement[49] > res.agreement[0]
    assert res.agreement[49] > 0.95
    assert abs(res.ensemble_acc[49] - res.test_mode_acc) < 0.03
    assert res.single_acc.mean() < res.test_mode_acc


def test_weight_decay_narrows_the_gap(monkeypatch):
    # a small stand-in for MNIST-1D keeps the test fast: 200 digits, a wide net
    X, t, Xt, tt = R.standardized_digits(0)
    monkeypatch.setattr(R, "_mnist1d", lambda seed=0: (X[:200], t[:200], Xt, tt))
    R._mnist1d_run.cache_clear()
    try:
        res = R.overfitting(lambdas=(0.0, 0.1), sizes=(64, 64, 10), epochs=30, batch_size=20)
    finally:
        R._mnist1d_run.cache_clear()
    gap = res.final("train_acc") - res.final("test_acc")
    assert res.final("train_acc")[0] == 1.0
    assert gap[1] < gap[0]
    assert res.final("train_loss")[1] > res.final("train_loss")[0]   # the penalty stops the fit
    assert "lambda" in str(res) and res.n_train == 200


def test_grid_point_is_cached_and_checked():
    a = R.regularization_grid(0.2, 0.01, 300)
    assert R.regularization_grid(0.2, 0.01, 300).history is a.history
    assert R.SAMPLES_SEEN - 300 < a.samples_seen[-1] <= R.SAMPLES_SEEN
    assert "dropout p = 0.2" in str(a)
    with pytest.raises(ValueError, match="multiple of 10"):
        R.regularization_grid(n_train=55)


def test_dropout_demo_default_is_the_printed_grid_point():
    demo = widgets.dropout_demo(warm=False)
    assert str(demo.result) == str(R.regularization_grid())
    before = demo.image.value
    demo.set(n_train=1000)
    assert demo.image.value != before and demo.result.n_train == 1000
    assert all(c.continuous_update is False for c in demo.controls.values())
