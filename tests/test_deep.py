"""Chapter 08: the deep stack's backward pass (plain and residual) against numerical
gradients, the slide experiments' key numbers, the plots and the widget."""
import matplotlib
import numpy as np
import pytest

from dlcourse import optim, plots, widgets
from dlcourse.lessons import deep_stacks
from dlcourse.experiments import deep as D
from dlcourse.gradients import numerical_gradient, rel_error

matplotlib.use("Agg")


def _random_stack(rng, sizes):
    return [(rng.standard_normal((a, b)) * 0.7, rng.standard_normal(b) * 0.3)
            for a, b in zip(sizes[:-1], sizes[1:])]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("residual", [False, True])
def test_loss_and_grads_match_numerical_gradients(activation, residual):
    rng = np.random.default_rng(3)
    params = _random_stack(rng, [4, 6, 6, 6, 3])
    x, t = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    loss, grads = deep_stacks.loss_and_grads(params, x, t, activation, residual)
    assert loss == pytest.approx(deep_stacks.loss_and_grads(params, x, t, activation, residual)[0])
    f = lambda: deep_stacks.loss_and_grads(params, x, t, activation, residual)[0]   # noqa: E731
    # ReLU's kink (z = 0) is never within h of a random float64 point, but a residual ReLU
    # stack sums near-cancelling terms: 1e-6 there, 1e-7 everywhere else
    tol = 1e-6 if activation in ("relu", "leaky_relu") else 1e-7
    for (W, b), (dW, db) in zip(params, grads):
        assert dW.shape == W.shape and db.shape == b.shape
        assert rel_error(dW, numerical_gradient(f, W)) < tol
        assert rel_error(db, numerical_gradient(f, b)) < tol


def test_residual_skips_only_square_layers_and_changes_the_output():
    rng = np.random.default_rng(0)
    params = _random_stack(rng, [4, 6, 6, 3])
    x = rng.standard_normal((2, 4))
    plain = deep_stacks.network(params, "tanh")
    skip = deep_stacks.network(params, "tanh", residual=True)
    assert [type(layer).__name__ for layer in skip.layers] == ["Affine", "Tanh", "Residual", "Affine"]
    h1 = np.tanh(x @ params[0][0] + params[0][1])              # 4 -> 6: no skip possible
    h2 = h1 + np.tanh(h1 @ params[1][0] + params[1][1])        # 6 -> 6: skip
    np.testing.assert_allclose(skip.predict(x), h2 @ params[2][0] + params[2][1], rtol=1e-12)
    assert not np.allclose(plain.predict(x), skip.predict(x))


def test_network_shares_the_stack_arrays():
    """An optimiser that updates the network updates the (W, b) list (chapter 08's Adam runs)."""
    params = _random_stack(np.random.default_rng(4), [3, 5, 2])
    net = deep_stacks.network(params, "relu")
    assert all(p is q for p, q in zip(net.params, [a for layer in params for a in layer]))
    with pytest.raises(ValueError, match="unknown activation"):
        deep_stacks.network(params, "softplus")


def test_init_stack_scales():
    for init, std in [("xavier", np.sqrt(1 / 400)), ("he", np.sqrt(2 / 400)), ("0.01", 0.01), (3.0, 3.0)]:
        (W, b), = deep_stacks.init_stack([400, 300], init, rng=0)
        assert W.shape == (400, 300) and np.all(b == 0)
        assert W.std() == pytest.approx(std, rel=0.02)
    np.testing.assert_array_equal(deep_stacks.init_stack([5, 4], "xavier", rng=1)[0][0], optim.xavier(5, 4, 1))
    with pytest.raises(ValueError, match="unknown init"):
        deep_stacks.weight_std("glorot", 10)
    with pytest.raises(ValueError, match="positive"):
        deep_stacks.weight_std(-1.0, 10)


def test_gradient_norms_equal_the_norms_of_the_grads():
    rng = np.random.default_rng(1)
    params = _random_stack(rng, [5, 7, 7, 2])
    x, t = rng.standard_normal((4, 5)), rng.integers(0, 2, 4)
    _, grads = deep_stacks.loss_and_grads(params, x, t, "sigmoid")
    np.testing.assert_allclose(deep_stacks.gradient_norms(params, x, t, "sigmoid"),
                               [np.sqrt(np.sum(dW ** 2)) for dW, _ in grads])


def test_sigmoid_gradient_vanishes_relu_does_not():
    prof = D.gradient_profiles()
    sig, relu = prof.norms
    assert sig.shape == (11,)
    assert 0.1 < sig[-1] < 1 and sig[0] < 1e-6              # the slide: ~0.1 vs ~1e-6
    assert np.all(np.diff(sig) > 0)                          # shrinks layer by layer toward the input
    assert prof.ratios[0] > 1e5 and 0.3 < prof.ratios[1] < 3
    assert "2.5e-07" in str(prof) and "output/input" in str(prof)


def test_large_weights_explode_and_skips_restore_the_flow():
    boom = D.gradient_profiles((("tanh", "xavier", False), ("tanh", "3.0", False)))
    assert boom.norms[1, 0] > 1e3 * boom.norms[1, -1]
    assert 0.3 < boom.ratios[0] < 3
    skip = D.gradient_profiles((("sigmoid", "xavier", False), ("sigmoid", "xavier", True)))
    assert skip.norms[1, 0] > 1e5 * skip.norms[0, 0] and skip.norms[1, 0] > 0.1


def test_activation_histograms_show_saturation_and_he():
    h = D.activation_histograms()
    stds = dict(zip(h.cases, h.stds))
    assert stds[("sigmoid", "0.01")].max() < 0.03                 # everything near 0.5
    sat = h.acts[0]                                               # sigmoid, std 1
    assert np.mean((sat < 0.05) | (sat > 0.95)) > 0.5             # mostly saturated
    assert stds[("relu", "xavier")][-1] < 0.5 * stds[("relu", "xavier")][0]
    assert np.ptp(stds[("relu", "he")]) < 0.15                    # He keeps the spread
    assert "layer 5" in str(h)


def test_playground_slide_demo_sigmoid_fails_relu_learns():
    pg = D.playground_depth()
    sig, relu = pg.results
    assert sig.train_acc < 0.6 and relu.test_acc > 0.9
    assert pg.init_norms[0][0] < 1e-4 * pg.init_norms[0][-1]
    assert "52.4%" in str(pg)


def test_deep_run_is_cached_and_contrasts_depth():
    run = D.deep_run()
    assert D.deep_run() is run
    assert run.losses[-1] > 2.2 and len(run.losses) == 31 and len(run.norms) == 11
    assert D.deep_run(10, "relu", "he").losses[-1] < 0.5
    assert D.deep_run(1, "sigmoid", "xavier").losses[-1] < 1.5
    assert "30 Adam steps" in str(run)


def test_plots_draw():
    import matplotlib.pyplot as plt

    for fig in (plots.gradient_profiles(D.gradient_profiles()),
                plots.activation_histograms(D.activation_histograms(cases=(("relu", "he"),), depth=2)),
                plots.deep_run(D.deep_run(depth=2, activation="tanh", init="1.0"))):
        assert fig.axes
        plt.close(fig)


def test_widget_default_is_the_lesson_run_and_every_control_redraws():
    demo = widgets.deep_gradients_demo()
    assert str(demo.result) == str(D.deep_run(depth=10, activation="sigmoid", init="xavier"))
    for values in ({"depth": 3}, {"activation": "relu"}, {"init": "he"}, {"init": "1.0"}):
        before = (str(demo.result), demo.image.value, demo.text.value)
        demo.set(**values)
        after = (str(demo.result), demo.image.value, demo.text.value)
        assert all(a != b for a, b in zip(after, before)), values
