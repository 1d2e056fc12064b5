"""Chapter 05: the Playground network's gradients, its training loop, the slide
experiments (Neubig's XOR network, the Playground demo, more units) and the widget."""
import matplotlib
import numpy as np
import pytest

from dlcourse import datasets, models, plots, widgets
from dlcourse.lessons import playground as P
from dlcourse.experiments import hidden as H
from dlcourse.lessons import neubig
from dlcourse.gradients import numerical_gradient, rel_error

matplotlib.use("Agg")


# --- the network -------------------------------------------------------------------

@pytest.mark.parametrize("activation", P.ACTIVATIONS)
@pytest.mark.parametrize("hidden", [(), (3,), (4, 3, 2)])
@pytest.mark.parametrize("reg", [("none", 0.0), ("L2", 0.1), ("L1", 0.03)])
def test_gradients_match_numerical_gradients(activation, hidden, reg):
    rng = np.random.default_rng(len(hidden) + 7 * P.ACTIVATIONS.index(activation))
    net = P.PlaygroundNet(hidden, activation, rng=rng)
    for p in net.params:       # larger weights than the Playground's; positive biases keep ReLUs alive
        p[...] = rng.uniform(-1.5, 1.5, p.shape) if p.ndim == 2 else rng.uniform(0.2, 1.0, p.shape)
    X = rng.uniform(-3, 3, (7, 2))
    t = rng.choice([-1.0, 1.0], 7)
    loss, grads = net.gradients(X, t, *reg)
    assert loss == pytest.approx(net.loss(X, t, *reg), rel=1e-12)
    for p, g in zip(net.params, grads):
        num = numerical_gradient(lambda: net.loss(X, t, *reg), p)
        # ReLU's and L1's kinks are never this close to a random float64 point. The error
        # is measured against the array's largest entry: an entry that cancels to ~1e-6
        # still carries the central difference's ~1e-12 rounding error.
        assert g.shape == p.shape
        scale = max(np.max(np.abs(g) + np.abs(num)), 1e-8)
        assert np.max(np.abs(g - num)) / scale < 1e-7, (activation, hidden, reg)
        assert rel_error(g, num) < 1e-5, (activation, hidden, reg)
    assert np.all(np.abs(grads[0]) > 0), "the test should reach the first layer"


def test_forward_by_hand_for_one_hidden_unit():
    net = P.PlaygroundNet([1], "sigmoid", rng=0)
    W1, b1, W2, b2 = net.params
    x = np.array([[0.5, -2.0]])
    h = 1 / (1 + np.exp(-(x @ W1 + b1)))
    assert net.forward(x) == pytest.approx(np.tanh(h @ W2 + b2).ravel())
    assert net.sizes == [2, 1, 1] and b1[0] == 0.1 and np.all(np.abs(W1) <= 0.5)


def test_sgd_step_and_l1_stops_at_zero():
    rng = np.random.default_rng(3)
    net = P.PlaygroundNet([4], "tanh", rng=rng)
    X, t = rng.uniform(-5, 5, (10, 2)), rng.choice([-1.0, 1.0], 10)
    before = [p.copy() for p in net.params]
    _, grads = net.gradients(X, t, "L2", 0.01)
    net.sgd_step(X, t, 0.1, "L2", 0.01)
    for p, p0, g in zip(net.params, before, grads):
        assert np.allclose(p, p0 - 0.1 * g)
    # a huge L1 rate pushes every weight across zero: L1 stops them all at exactly 0
    net.sgd_step(X, t, 0.1, "L1", 100.0)
    assert all(np.all(W == 0) for W in net.weights)


def test_training_in_chunks_equals_training_at_once():
    one = H.PlaygroundRun("circle", 10, 2, 3, "tanh", 0.1, "L2", 0.001, 7, seed=4).train(12)
    chunks = H.PlaygroundRun("circle", 10, 2, 3, "tanh", 0.1, "L2", 0.001, 7, seed=4)
    for k in (1, 5, 0, 6):
        chunks.train(k)
    assert chunks.epoch == one.epoch == 12
    assert all(np.array_equal(a, b) for a, b in zip(one.net.params, chunks.net.params))
    assert str(one.result()) == str(chunks.result())
    assert len(one.train_loss) == 13


def test_a_huge_learning_rate_stops_with_nan_and_no_warning():
    with np.errstate(all="raise"):          # the loop must silence its own overflows
        # L2 with lr * rate = 10 multiplies every weight by 1 - 10 = -9 per step
        res = H.playground("spiral", regularization="L2", reg_rate=10.0, learning_rate=1.0, epochs=50)
    assert res.diverged and res.epoch < 50 and "too large" in str(res)
    plots.playground(res)                    # draws nan without complaint


def test_bad_settings_are_clear_errors():
    with pytest.raises(ValueError, match="unknown activation"):
        P.PlaygroundNet([2], "gelu")
    with pytest.raises(ValueError, match="unknown regularization"):
        H.playground(regularization="L3", epochs=1)
    with pytest.raises(ValueError, match="0-6 hidden layers"):
        H.PlaygroundRun(hidden_layers=7)
    with pytest.raises(ValueError, match="batch_size"):
        P.train_playground(P.PlaygroundNet(), *datasets.playground("xor", 20, train_ratio=0.5),
                           epochs=1, batch_size=0)


# --- the slide experiments -------------------------------------------------------------

def test_neubig_network_maps_xor_to_the_slide_space():
    net = H.neubig_network()
    # seed 000 p.15: y(x1) = {-1, -1}, y(x2) = {1, -1}, y(x3) = {-1, 1}, y(x4) = {-1, -1}
    assert net.hidden.tolist() == [[-1, -1], [1, -1], [-1, 1], [-1, -1]]
    assert net.output.tolist() == net.labels.tolist() == [-1, 1, 1, -1]
    text = str(net)
    assert "hidden y1: w = (+1, +1), b = -1" in text and "hidden y2: w = (-1, -1), b = -1" in text
    assert "output:    w = (+1, +1), b = +1" in text and "4/4 inputs" in text


def test_no_single_pm1_perceptron_separates_neubigs_inputs():
    grid = np.linspace(-2, 2, 9)
    for w1 in grid:
        for w2 in grid:
            for b in grid:
                out = neubig.sign(neubig.NEUBIG_PHI @ np.array([w1, w2]) + b)
                assert not np.array_equal(out, neubig.NEUBIG_LABELS)


def test_playground_default_is_the_slide_demo_and_learns_xor():
    res = H.playground()
    s = res.settings
    assert (s["dataset"], s["noise"], s["hidden_layers"], s["units"], s["activation"]) == \
        ("xor", 0, 1, 4, "sigmoid")
    assert (s["learning_rate"], s["batch_size"], s["regularization"]) == (0.03, 10, "none")
    assert res.n_params == 17 and res.epoch == 300
    assert res.train_acc >= 0.98 and res.test_acc >= 0.97
    assert res.test_loss[-1] < res.test_loss[0] / 5
    assert res.output.shape == (60, 60) and res.first_layer.shape == (60, 60, 4)
    assert {k: s[k] for k in s} == {k: H.PLAYGROUND_DEFAULTS[k] for k in s}


def test_more_units_fit_the_circle_better():
    sweep = H.units_sweep()
    acc = [r.train_acc for r in sweep.results]
    assert acc[0] < 0.75 < acc[-1] and acc[-1] == 1.0
    assert [r.n_params for r in sweep.results] == [5, 9, 17, 33]


def test_linear_hidden_units_still_draw_a_line():
    res = H.playground("circle", hidden_layers=3, units=8, activation="linear", epochs=30)
    assert res.train_acc < 0.75          # a stack of linear layers is one linear map


def test_param_count_agrees_with_the_library_mlp():
    for sizes in ([2, 4, 1], [2, 8, 8, 8, 1], [2, 1]):
        ours = P.PlaygroundNet(sizes[1:-1]).params
        assert sum(p.size for p in ours) == sum(p.size for p in models.MLP(sizes).params)


# --- plots and the widget -----------------------------------------------------------------

def test_plots_draw():
    from matplotlib.figure import Figure

    plots.neubig_spaces(H.neubig_network())
    res = H.playground(epochs=5)
    plots.hidden_units(res)
    plots.hidden_units(H.playground(hidden_layers=0, epochs=1))
    plots.units_sweep(H.units_sweep(units=(1, 3), epochs=2))
    fig = Figure(figsize=(8.4, 3.6))
    png = plots.playground_png(res, fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert plots.playground_png(H.playground(epochs=6), fig) != png


def test_fast_redraw_is_pixel_identical_to_a_full_draw():
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    res = H.playground(epochs=8)
    fast, full = Figure(figsize=(8.4, 3.6)), Figure(figsize=(8.4, 3.6))
    plots.playground_png(H.playground(epochs=3), fast)      # build the cached background first
    a = np.asarray(Image.open(io.BytesIO(plots.playground_png(res, fast))).convert("RGB"))
    b = np.asarray(Image.open(io.BytesIO(plots.figure_to_png(plots.playground(res, fig=full)))).convert("RGB"))
    assert np.array_equal(a, b)


def test_playground_demo_default_equals_the_printed_experiment():
    demo = widgets.playground_demo()
    assert str(demo.wait().result) == str(H.playground(**H.PLAYGROUND_DEFAULTS))
    assert "training in the background" not in demo.text.value


def test_playground_demo_moves_train_to_the_experiment():
    demo = widgets.playground_demo(epochs=25)
    demo.set(units=2, activation="tanh").wait()
    assert str(demo.result) == str(H.playground(units=2, activation="tanh", epochs=25))
    run = demo._run
    demo.set(epochs=50).wait()                       # more epochs: the same run trains on
    assert demo._run is run and demo.result.epoch == 50
    assert str(demo.result) == str(H.playground(units=2, activation="tanh", epochs=50))
    demo.set(epochs=10).wait()                       # fewer: a fresh run
    assert demo._run is not run and str(demo.result) == str(H.playground(units=2, activation="tanh",
                                                                          epochs=10))


def test_playground_demo_controls():
    demo = widgets.playground_demo(background=False, epochs=10)
    assert list(demo.controls) == ["dataset", "noise", "hidden_layers", "units", "activation",
                                   "learning_rate", "regularization", "reg_rate", "batch_size",
                                   "epochs", "seed"]
    lr = demo.controls["learning_rate"]
    assert [v for _, v in lr.options] == list(P.LEARNING_RATES)
    assert [v for _, v in demo.controls["reg_rate"].options] == list(P.REG_RATES)
    for name, value in [("dataset", "spiral"), ("regularization", "L1"), ("reg_rate", 0.01),
                        ("hidden_layers", 0), ("learning_rate", 1.0), ("batch_size", 1)]:
        before = demo.image.value, demo.text.value
        demo.set(**{name: value})
        assert demo.image.value != before[0] and demo.text.value != before[1], name
    assert "no hidden layer" in demo.text.value
