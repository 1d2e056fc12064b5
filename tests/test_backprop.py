"""Chapter 07: Araki's backpropagation against naive loops, numerical gradients and the
layer classes; the chapter's experiments and its slider demo."""
import numpy as np
import pytest

from dlcourse.lessons import araki as bp
from dlcourse import layers as L
from dlcourse import models, optim
from dlcourse.experiments import backprop as E
from dlcourse.gradients import numerical_gradient, rel_error


def _random_net(sizes, seed):
    rng = np.random.default_rng(seed)
    w = bp.init_weights(sizes, rng=rng, scale=1.0)
    x = rng.uniform(-1, 1, sizes[0])
    b = rng.integers(0, 2, sizes[-1]).astype(float)
    return w, x, b


def _naive_epsilons(w, g, b):
    """The slides' formulas with one Python loop per index (no vectorisation)."""
    L_ = len(w)
    eps = [np.zeros(w_k.shape[1]) for w_k in w]
    out = g[-1]
    for j in range(len(out)):
        eps[-1][j] = (out[j] - b[j]) * out[j] * (1 - out[j])
    for k in range(L_ - 2, -1, -1):
        for j in range(w[k].shape[1]):
            total = 0.0
            for q in range(w[k + 1].shape[1]):          # units q of the layer above
                total += eps[k + 1][q] * w[k + 1][j + 1, q]   # row j + 1: row 0 is the bias
            eps[k][j] = total * g[k + 1][j] * (1 - g[k + 1][j])
    return eps


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 4, 3, 2], [2, 5, 4, 3, 2]])
def test_epsilons_match_a_naive_loop(sizes):
    w, x, b = _random_net(sizes, seed=len(sizes))
    _, g = bp.forward(w, x)
    for mine, naive in zip(bp.epsilons(w, g, b), _naive_epsilons(w, g, b)):
        np.testing.assert_allclose(mine, naive, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 4, 3, 2]])
def test_araki_step_is_gradient_descent_on_J_p(sizes):
    w, x, b = _random_net(sizes, seed=7)
    rho = 0.3
    J = lambda: 0.5 * float(np.sum((bp.predict(w, x[None, :])[0] - b) ** 2))   # noqa: E731
    numeric = [numerical_gradient(J, w_k) for w_k in w]
    before = [w_k.copy() for w_k in w]
    J_p = bp.araki_step(w, x, b, rho)
    assert J_p == pytest.approx(0.5 * np.sum((bp.predict(before, x[None, :])[0] - b) ** 2))
    for w0, w1, num in zip(before, w, numeric):
        assert rel_error((w0 - w1) / rho, num) < 1e-7


@pytest.mark.parametrize("sizes", [[2, 4, 1], [3, 4, 3, 2]])
def test_araki_update_equals_the_layer_classes_sgd_step(sizes):
    w, x, b = _random_net(sizes, seed=3)
    net = models.Sequential(bp.to_layers(w))
    loss = L.MSELoss()
    J = float(loss.forward(net.forward(x[None, :]), b[None, :]))
    net.backward(loss.backward())
    optim.SGD(lr=0.5).update(net.params, net.grads)
    J_p = bp.araki_step(w, x, b, rho=0.5)
    assert J == pytest.approx(J_p, rel=1e-14)
    for w_k, W, b_k in zip(w, net.params[0::2], net.params[1::2]):
        np.testing.assert_allclose(w_k, np.vstack([b_k, W]), rtol=0, atol=1e-14)


def test_layers_agree_experiment():
    res = E.layers_agree()
    assert res.steps == [1, 4, 40]
    assert max(res.max_difference) < 1e-12
    assert res.J_araki == pytest.approx(res.J_layers)
    assert "✓" in str(res) and "✗" not in str(res)


def test_gradient_check_experiment_below_1e7():
    gc = E.gradient_check()
    assert gc.names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert gc.passed and max(gc.errors) < 1e-7
    assert [n[0] for n in gc.nodes] == ["Affine", "Sigmoid", "Affine", "ReLU", "Affine", "SoftmaxWithLoss"]
    assert "rel. error" in str(gc)


def test_araki_xor_learns_and_is_deterministic():
    run = E.araki_xor()
    assert run.accuracy == 1.0 and run.losses[-1] < 0.05
    assert run.losses[0] > 0.45                      # starts near 4 * 0.5 * 0.5**2
    assert str(run) == str(E.araki_xor(hidden=4, rho=3.0, epochs=300, seed=0))
    run.w[0][...] = 0                                # results are copies: the cache stays clean
    assert E.araki_xor().w[0].any()


def test_train_shuffles_with_its_own_generator():
    w1, w2 = bp.init_weights([2, 3, 1], rng=1), bp.init_weights([2, 3, 1], rng=1)
    state = np.random.get_state()
    l1 = bp.train(w1, E.XOR_X, E.XOR_B, rho=1.0, epochs=20, rng=5)
    l2 = bp.train(w2, E.XOR_X, E.XOR_B, rho=1.0, epochs=20, rng=5)
    np.testing.assert_array_equal(l1, l2)
    assert l1.shape == (21,)
    assert np.array_equal(np.random.get_state()[1], state[1]), "the global RNG must not be touched"


def test_some_initial_weights_get_stuck():
    res = E.seed_minima(seeds=(0, 5), hidden=2, rho=3.0, epochs=1000)
    assert list(res.solved) == [True, False]
    stuck = E.araki_xor(hidden=2, rho=3.0, epochs=2000, seed=5)
    assert stuck.losses[-1] > 0.3, "seed 5 stays in its local minimum"
    assert "1 of 2 runs solve XOR" in str(res)


def test_digits_mlp_reaches_97_percent_on_the_hardest_split():
    res = E.digits_mlp(split_seeds=(0,))          # split 0 is the hardest of the five
    assert res.test_acc[0] >= 0.97
    assert "mean" in str(res) and "standardised" in str(res)


def test_overfitting_train_perfect_test_worse():
    res = E.overfitting(epochs=40)
    h = res.history
    assert h["train_acc"][-1] == 1.0 and h["test_acc"][-1] < 0.93
    assert min(h["test_loss"]) < h["test_loss"][-1]


def test_shapes_and_errors():
    w = bp.init_weights([3, 4, 2], rng=0)
    assert [w_k.shape for w_k in w] == [(4, 4), (5, 2)]
    h, g = bp.forward(w, np.zeros(3))
    assert [a.shape for a in h] == [(4,), (2,)] and [a.shape for a in g] == [(3,), (4,), (2,)]
    with pytest.raises(ValueError, match=r"expected one sample x of shape \(3,\), got \(2,\)"):
        bp.forward(w, np.zeros(2))
    with pytest.raises(ValueError, match=r"training signal b of shape \(2,\)"):
        bp.araki_step(w, np.zeros(3), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="at least two"):
        bp.init_weights([3])
    with pytest.raises(ValueError, match="same N"):
        bp.train(w, np.zeros((4, 3)), np.zeros((3, 2)))
    assert bp.f(np.array([-1e4]))[0] == pytest.approx(0.0)   # no overflow warning (pytest -W error)


def test_backprop_xor_demo_default_and_sliders():
    from dlcourse import widgets

    demo = widgets.backprop_xor_demo()
    assert str(demo.result) == str(E.araki_xor()), "the default view must equal the printed run"
    for values in ({"rho": 1.0}, {"hidden": 2}, {"epochs": 100}):
        before = (str(demo.result), demo.image.value, demo.text.value)
        demo.set(**values)
        after = (str(demo.result), demo.image.value, demo.text.value)
        assert all(a != b for a, b in zip(after, before)), values
