"""Chapter 17: the maths of dlcourse.lessons.theory_gaps against naive references, the experiments on
small settings, and the widgets' defaults."""
import inspect

import numpy as np
import pytest

from dlcourse import models, optim, widgets
from dlcourse.lessons import theory_gaps
from dlcourse.experiments import theory as E


# --- approximation -----------------------------------------------------------------------------

def test_knot_features_are_shifted_relus():
    x, knots = np.array([-1.0, 0.0, 0.5, 1.0]), np.array([-0.5, 0.5])
    expected = [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [1.5, 0.5]]
    np.testing.assert_array_equal(theory_gaps.knot_features(x, knots), expected)
    with pytest.raises(ValueError, match=r"x \(M,\)"):
        theory_gaps.knot_features(x[:, None], knots)


def test_output_layer_recovers_a_piecewise_linear_function_exactly():
    x = np.linspace(-1, 1, 101)
    knots = np.array([-1.0, -0.3, 0.2, 0.6])
    hidden = theory_gaps.knot_features(x, knots)
    v_true, c_true = np.array([0.5, -2.0, 3.0, -1.5]), 0.25
    v, c = theory_gaps.fit_output_layer(hidden, hidden @ v_true + c_true)
    np.testing.assert_allclose(v, v_true, atol=1e-10)
    assert abs(c - c_true) < 1e-10


def test_approximation_rates_match_the_theory():
    rates = E.approximation_rates()
    assert rates.slope("smooth") < -1.8                     # width^-2 for a smooth function
    assert -0.8 < rates.slope("jump") < -0.3                # width^-1/2 with a jump
    assert np.all(rates.max["jump"][rates.widths >= 8] > 0.45)   # about half the jump never goes away
    res = E.universal_approximation(8, "smooth")
    assert str(res) == ("8 hidden ReLU units (25 parameters), smooth target: "
                        f"max error {res.max_error:.4f}, rms error {res.rms_error:.4f}")
    assert abs(res.rms_error - rates.rms["smooth"][list(rates.widths).index(8)]) < 1e-12
    with pytest.raises(ValueError, match="unknown target"):
        E.universal_approximation(8, "wiggly")


# --- pruning -------------------------------------------------------------------------------------

def _naive_mask(W, fraction):
    flat = [(abs(w), i) for i, w in enumerate(np.ravel(W))]
    pruned = {i for _, i in sorted(flat)[: int(round(fraction * len(flat)))]}
    return np.array([i not in pruned for i in range(len(flat))]).reshape(np.shape(W))


@pytest.mark.parametrize("shape, fraction", [((6, 8), 0.5), ((10, 10), 0.29), ((3, 4, 5), 0.3), ((7,), 1.0),
                                             ((5, 5), 0.0)])
def test_magnitude_mask_matches_a_naive_sort(shape, fraction):
    W = np.random.default_rng(len(shape)).standard_normal(shape)
    before = W.copy()
    mask = theory_gaps.magnitude_prune_mask(W, fraction)
    assert mask.dtype == bool and mask.shape == W.shape
    np.testing.assert_array_equal(mask, _naive_mask(W, fraction))
    np.testing.assert_array_equal(W, before)
    assert (~mask).sum() == round(fraction * W.size)


def test_random_mask_has_the_same_count_and_is_seeded():
    a = theory_gaps.random_prune_mask((20, 30), 0.9, rng=3)
    assert (~a).sum() == 540 and a.dtype == bool
    np.testing.assert_array_equal(a, theory_gaps.random_prune_mask((20, 30), 0.9, rng=3))
    assert not np.array_equal(a, theory_gaps.random_prune_mask((20, 30), 0.9, rng=4))
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="0 <= fraction <= 1"):
            theory_gaps.magnitude_prune_mask(np.ones(3), bad)
        with pytest.raises(ValueError, match="0 <= fraction <= 1"):
            theory_gaps.random_prune_mask((3,), bad)


def test_masked_training_keeps_pruned_weights_at_zero():
    rng = np.random.default_rng(0)
    X, t = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)
    model = models.MLP([5, 8, 3], rng=0)
    masks = [theory_gaps.magnitude_prune_mask(p, 0.5) if p.ndim == 2 else None for p in model.params]
    for p, m in zip(model.params, masks):
        if m is not None:
            p *= m
    models.train(E._Masked(model, masks), optim.Adam(0.01), X, t, epochs=3, batch_size=10, rng=0,
                 progress=False)
    for p, m in zip(model.params, masks):
        if m is not None:
            assert np.all(p[~m] == 0.0) and np.all(p[m] != 0.0)


# --- random features and the minimum-norm fit ---------------------------------------------------

def test_relu_features_match_a_loop():
    rng = np.random.default_rng(1)
    X, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    naive = [[max(0.0, sum(X[n, d] * W[d, p] for d in range(3)) + b[p]) for p in range(5)] for n in range(4)]
    np.testing.assert_allclose(theory_gaps.relu_features(X, W, b), naive, rtol=1e-12)
    with pytest.raises(ValueError, match=r"W \(3, P\)"):
        theory_gaps.relu_features(X, W.T, b)


@pytest.mark.parametrize("N, P, C", [(12, 5, None), (5, 12, 3), (8, 8, 2), (30, 300, None)])
def test_min_norm_fit_is_the_pseudo_inverse(N, P, C):
    rng = np.random.default_rng(N + P)
    Phi = rng.standard_normal((N, P))
    Y = rng.standard_normal((N,) if C is None else (N, C))
    beta = theory_gaps.min_norm_fit(Phi, Y)
    assert beta.shape == ((P,) if C is None else (P, C))
    np.testing.assert_allclose(beta, np.linalg.pinv(Phi) @ Y, rtol=1e-8, atol=1e-10)
    if P >= N:                                   # an exact fit, with no part in the null space of Phi
        np.testing.assert_allclose(Phi @ beta, Y, atol=1e-9)
        null = np.linalg.svd(Phi)[2][N:]          # (P - N, P): directions Phi cannot see
        assert P == N or np.max(np.abs(null @ beta)) < 1e-9


def test_min_norm_fit_handles_repeated_features():
    rng = np.random.default_rng(0)
    Phi = rng.standard_normal((6, 3))
    Phi = np.hstack([Phi, Phi[:, :1]])           # rank 3 with 4 columns
    Y = rng.standard_normal(6)
    np.testing.assert_allclose(theory_gaps.min_norm_fit(Phi, Y), np.linalg.pinv(Phi) @ Y, atol=1e-10)


def test_random_features_sweep_peaks_at_as_many_features_as_samples():
    rf = E.random_features_sweep(n_train=50, label_noise=0.15, widths=(10, 20, 50, 100, 400), seed=0)
    k = list(rf.widths).index(50)
    assert np.argmax(rf.test_err) == k and np.argmax(rf.norm) == k
    assert np.all(rf.train_err[rf.widths >= 50] == 0.0)
    assert rf.test_err[-1] < rf.test_err[k]
    assert rf.singular[k].shape == (50,) and rf.singular[0].shape == (10,)
    view = rf.at(50)
    assert "P = 50 features for N = 50 samples" in str(view)
    with pytest.raises(ValueError, match="not on the grid"):
        rf.at(51)


# --- the loss landscape -------------------------------------------------------------------------

def test_interpolate_and_random_direction():
    rng = np.random.default_rng(2)
    a = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    b = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    for alpha, expect in ((0.0, a), (1.0, b)):
        for got, want in zip(theory_gaps.interpolate(a, b, alpha), expect):
            np.testing.assert_allclose(got, want)
    np.testing.assert_allclose(theory_gaps.interpolate(a, b, 2.0)[0], 2 * b[0] - a[0])
    d = theory_gaps.random_direction(a, rng=5)
    np.testing.assert_allclose(np.linalg.norm(d[0], axis=0), np.linalg.norm(a[0], axis=0))
    assert np.all(d[1] == 0.0)
    np.testing.assert_array_equal(d[0], theory_gaps.random_direction(a, rng=5)[0])
    with pytest.raises(ValueError, match="shapes differ"):
        theory_gaps.interpolate(a, [b[0], b[1][:2]], 0.5)


def test_flat_vs_sharp_small_run_is_consistent():
    fs = E.flat_vs_sharp(batch_sizes=(20, 200), target_loss=1.5, lr=0.1, hidden=16, n_dirs=3, max_epochs=60)
    assert [r.batch_size for r in fs.runs] == [20, 200]
    for r in fs.runs:
        assert r.train_loss < 1.5 and r.sharpness > 0
    # the line through the two solutions passes through their losses at alpha = 0 and 1
    assert abs(fs.line_train[np.argmin(np.abs(fs.alphas))] - fs.runs[0].train_loss) < 1e-12
    assert abs(fs.line_train[np.argmin(np.abs(fs.alphas - 1))] - fs.runs[1].train_loss) < 1e-12
    mid = np.argmin(np.abs(fs.probe))
    assert abs(fs.probe_loss[0][mid] - fs.runs[0].train_loss) < 1e-12
    assert "sharpness" in str(fs)


# --- lottery tickets and random labels (small settings) ------------------------------------------

def test_lottery_grid_on_a_small_net():
    lt = E.lottery_tickets(fractions=(0.0, 0.8), hidden=24, epochs=3, seed=0)
    assert lt.prune_only[0] == lt.ticket[0] == lt.random[0] == lt.dense
    # the grid skips retraining at fraction 0 because it would repeat the dense run exactly:
    sizes, init = (64, 24, 24, 10), [p.copy() for p in models.MLP([64, 24, 24, 10], rng=0).params]
    full = [np.ones(p.shape, bool) if p.ndim == 2 else None for p in init]
    curve = E._train_masked(sizes, init, full, E.standardized_digits(0), 3, 1e-3, 100, 0)
    np.testing.assert_array_equal(curve, lt.curves["dense"])
    assert lt.curves[0.8][0].shape == (3,) and lt.curves["dense"].shape == (3,)
    assert "80%" in str(lt) and "ticket" in str(lt.at(0.8))
    with pytest.raises(ValueError, match="not on the grid"):
        lt.at(0.5)


def test_random_labels_small_run():
    rl = E.random_labels(widths=(16,), n_train=100, epochs=3, seed=0)
    assert set(rl.curves) == {(16, "true"), (16, "random")}
    assert rl.curves[(16, "true")].shape == (3,)
    assert rl.n_params[16] == 40 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10


# --- widgets -----------------------------------------------------------------------------------------

def test_approximation_demo_default_is_the_printed_experiment_and_controls_redraw():
    demo = widgets.approximation_demo()
    assert str(demo.result) == str(E.universal_approximation(8, "smooth"))
    before = demo.image.value
    demo.set(width=20)
    assert demo.image.value != before and "20 hidden ReLU units" in demo.text.value
    before = demo.image.value
    demo.set(target="jump")
    assert demo.image.value != before and "jump target" in demo.text.value


def test_double_descent_demo_default_is_the_printed_experiment():
    demo = widgets.double_descent_demo()
    assert str(demo.result) == str(E.random_features_at(200))
    before = demo.image.value
    demo.set(width=1000)
    assert demo.image.value != before and "P = 1000" in demo.text.value


def test_lottery_demo_shows_the_printed_fraction():
    # building the demo trains the whole grid (seconds): test_widgets.py does that; here
    # the wiring only.
    assert inspect.signature(widgets.lottery_demo).parameters["fraction"].default == 0.9
    assert inspect.signature(E.lottery_at).parameters["fraction"].default == 0.9
    assert 0.9 in E.PRUNE_FRACTIONS
