"""Tests for dlcourse.layers: numeric gradient checks, naive references, contracts, errors."""
import numpy as np
import pytest

from attention_utils import grad_errors
from dlcourse import functions as F
from dlcourse.gradients import check_layer_gradients, numerical_gradient, rel_error
from dlcourse.layers import (
    Affine, BatchNorm, Dropout, LayerNorm, LeakyReLU, Linear, MSELoss, ReLU, Residual, Sigmoid,
    SoftmaxWithLoss, Tanh, get_activation_layer,
)

TOL = 1e-7   # cs231n's threshold for float64 gradient checks
SHAPES = [(2, 3, 4), (5, 1, 3), (4, 6, 2), (7, 5, 5)]


class Fixed:
    """A layer that takes ``train``, pinned to one mode and (for Dropout) to one mask.

    Resetting the generator before every forward makes Dropout draw the same
    mask each time, so the numeric gradient sees one fixed function.
    """

    def __init__(self, layer, train, seed=None):
        self.layer, self.train, self.seed = layer, train, seed

    params = property(lambda self: self.layer.params)
    grads = property(lambda self: self.layer.grads)

    def forward(self, x):
        if self.seed is not None:
            self.layer.rng = np.random.default_rng(self.seed)
        return self.layer.forward(x, train=self.train)

    def backward(self, dout):
        return self.layer.backward(dout)


def assert_grads_ok(errors):
    assert errors, "no gradient was checked"
    bad = {k: v for k, v in errors.items() if not v < TOL}
    assert not bad, f"relative errors above {TOL:g}: {bad}"


def away_from_zero(rng, shape):
    """Random values with |x| >= 0.1, so central differences never straddle a ReLU kink."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


# --- gradient checks ----------------------------------------------------------------

@pytest.mark.parametrize("N, D, H", SHAPES)
def test_affine_gradients(N, D, H):
    rng = np.random.default_rng(N * 100 + D * 10 + H)
    layer = Affine(rng.standard_normal((D, H)), rng.standard_normal(H))
    errors = check_layer_gradients(layer, rng.standard_normal((N, D)))
    assert set(errors) == {"dx0", "param0", "param1"}
    assert_grads_ok(errors)


def test_affine_flattens_higher_dim_input_and_restores_dx_shape():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 2, 4, 5))                 # (N, C, H, W), D = 40
    layer = Affine(rng.standard_normal((40, 6)), rng.standard_normal(6))
    out = layer.forward(x)
    np.testing.assert_allclose(out, x.reshape(3, 40) @ layer.params[0] + layer.params[1])
    assert layer.backward(np.ones((3, 6))).shape == x.shape
    assert_grads_ok(check_layer_gradients(layer, x))


@pytest.mark.parametrize("Layer", [Sigmoid, Tanh])
@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3), (6,)])
def test_smooth_activation_gradients(Layer, shape):
    rng = np.random.default_rng(len(shape) * 10 + shape[0])
    assert_grads_ok(check_layer_gradients(Layer(), 2 * rng.standard_normal(shape)))


@pytest.mark.parametrize("layer", [ReLU(), LeakyReLU(), LeakyReLU(alpha=0.3)],
                         ids=["relu", "leaky-0.01", "leaky-0.3"])
@pytest.mark.parametrize("shape", [(4, 3), (3, 2, 5)])
def test_kinked_activation_gradients(layer, shape):
    rng = np.random.default_rng(shape[0])
    assert_grads_ok(check_layer_gradients(layer, away_from_zero(rng, shape)))


@pytest.mark.parametrize("mode", ["inverted", "scale_at_test"])
@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("shape", [(5, 4), (3, 2, 6)])
def test_dropout_gradients_with_a_fixed_mask(mode, train, shape):
    rng = np.random.default_rng(7)
    layer = Fixed(Dropout(0.4, mode=mode), train=train, seed=123)
    assert_grads_ok(check_layer_gradients(layer, rng.standard_normal(shape)))


@pytest.mark.parametrize("N, D", [(4, 3), (8, 1), (3, 6)])
@pytest.mark.parametrize("train", [True, False])
def test_batchnorm_gradients(N, D, train):
    rng = np.random.default_rng(N * 10 + D)
    bn = BatchNorm(rng.uniform(0.5, 2.0, D), rng.standard_normal(D))
    for _ in range(3):   # give the running statistics values other than 0 and 1
        bn.forward(3 * rng.standard_normal((N, D)) + 1, train=True)
    errors = check_layer_gradients(Fixed(bn, train=train), 2 * rng.standard_normal((N, D)) + 0.5)
    assert set(errors) == {"dx0", "param0", "param1"}
    assert_grads_ok(errors)


@pytest.mark.parametrize("N, C", [(1, 3), (4, 5), (10, 2)])
@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_gradient(N, C, one_hot):
    rng = np.random.default_rng(N * 10 + C)
    x = 2 * rng.standard_normal((N, C))
    labels = rng.integers(0, C, N)
    t = np.eye(C)[labels] if one_hot else labels
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()            # dout = 1: the gradient of the loss itself
    num = numerical_gradient(lambda: layer.forward(x, t), x)
    assert rel_error(dx, num) < TOL
    assert_grads_ok(check_layer_gradients(layer, x, t))   # random scalar dout


@pytest.mark.parametrize("shape", [(3, 4), (6, 1), (2, 3, 2)])
def test_mse_loss_gradient(shape):
    rng = np.random.default_rng(shape[0])
    y, t = rng.standard_normal(shape), rng.standard_normal(shape)
    layer = MSELoss()
    layer.forward(y, t)
    assert rel_error(layer.backward(), numerical_gradient(lambda: layer.forward(y, t), y)) < TOL
    assert_grads_ok(check_layer_gradients(layer, y, t))


# --- forward values against naive references ------------------------------------

def test_affine_forward_matches_a_loop():
    rng = np.random.default_rng(3)
    N, D, H = 3, 4, 2
    x, W, b = rng.standard_normal((N, D)), rng.standard_normal((D, H)), rng.standard_normal(H)
    naive = np.array([[sum(x[n, d] * W[d, h] for d in range(D)) + b[h] for h in range(H)]
                      for n in range(N)])
    np.testing.assert_allclose(Affine(W, b).forward(x), naive, rtol=1e-12)


def test_activation_layers_match_functions_module():
    x = np.linspace(-4, 4, 17).reshape(1, -1)
    np.testing.assert_allclose(Sigmoid().forward(x), F.sigmoid(x))
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    np.testing.assert_array_equal(ReLU().forward(x), np.maximum(x, 0))
    np.testing.assert_allclose(LeakyReLU(0.2).forward(x), np.where(x > 0, x, 0.2 * x))


def test_relu_backward_is_zero_at_and_below_the_kink():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 0.0, 2.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0, 5.0]])), [[0.0, 0.0, 5.0]])


def test_softmax_with_loss_matches_a_loop():
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    naive = -np.mean([np.log(np.exp(x[n, t[n]]) / np.sum(np.exp(x[n]))) for n in range(5)])
    assert SoftmaxWithLoss().forward(x, t) == pytest.approx(naive, rel=1e-12)
    # float labels that are whole numbers are read as labels too
    assert SoftmaxWithLoss().forward(x, t.astype(float)) == pytest.approx(naive, rel=1e-12)


def test_softmax_with_loss_is_finite_for_huge_logits():
    layer = SoftmaxWithLoss()
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss = layer.forward(np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([0, 1]))
        dx = layer.backward()
    # the second row is confidently wrong: its probability 1e-435 is clipped at LOG_CLIP
    assert loss == pytest.approx(-np.log(F.LOG_CLIP) / 2)
    np.testing.assert_allclose(dx, [[0.0, 0.0], [0.5, -0.5]], atol=1e-12)


def test_mse_loss_is_half_the_squared_error_per_sample():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = np.array([[1.0, 0.0], [0.0, 4.0]])
    assert MSELoss().forward(y, t) == pytest.approx(0.5 * (4 + 9) / 2)
    # N = 1 agrees with functions.mean_squared_error (the slides' 0.0975)
    y1 = np.array([[0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0]])
    assert MSELoss().forward(y1, np.eye(10)[[2]]) == pytest.approx(0.0975)


def test_batchnorm_train_output_has_batch_statistics_beta_and_gamma():
    rng = np.random.default_rng(5)
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    out = BatchNorm(gamma, beta).forward(5 * rng.standard_normal((50, 3)) + 7, train=True)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-5)   # eps shrinks it a little


def test_batchnorm_running_statistics_follow_the_momentum_formula():
    rng = np.random.default_rng(6)
    bn = BatchNorm(np.ones(2), np.zeros(2), momentum=0.8)
    mean, var = np.zeros(2), np.ones(2)
    for _ in range(4):
        x = rng.standard_normal((10, 2)) * [1.0, 3.0] + [2.0, -1.0]
        bn.forward(x, train=True)
        mean = 0.8 * mean + 0.2 * x.mean(axis=0)
        var = 0.8 * var + 0.2 * x.var(axis=0)
    np.testing.assert_allclose(bn.running_mean, mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, var, rtol=1e-12)
    x = rng.standard_normal((3, 2))
    np.testing.assert_allclose(bn.forward(x, train=False), (x - mean) / np.sqrt(var + bn.eps))
    np.testing.assert_allclose(bn.running_mean, mean, rtol=1e-12)   # test mode leaves them alone


# --- Dropout ---------------------------------------------------------------------------

def test_dropout_inverted_training_drops_and_scales():
    x = np.ones((200, 50))
    out = Dropout(0.3, rng=0).forward(x, train=True)
    np.testing.assert_allclose(np.unique(out), [0.0, 1 / 0.7])
    assert abs(np.mean(out == 0) - 0.3) < 0.02
    np.testing.assert_array_equal(Dropout(0.3, rng=0).forward(x, train=False), x)


def test_dropout_scale_at_test_training_drops_without_scaling():
    x = np.full((200, 50), 2.0)
    out = Dropout(0.5, mode="scale_at_test", rng=0).forward(x, train=True)
    np.testing.assert_array_equal(np.unique(out), [0.0, 2.0])
    np.testing.assert_array_equal(Dropout(0.5, mode="scale_at_test").forward(x, train=False), 1.0)


@pytest.mark.parametrize("mode", ["inverted", "scale_at_test"])
def test_dropout_training_output_equals_test_output_in_expectation(mode):
    rng = np.random.default_rng(8)
    x = rng.standard_normal((4, 5))
    layer = Dropout(0.5, mode=mode, rng=9)
    mean_train = np.mean([layer.forward(x, train=True) for _ in range(20000)], axis=0)
    # each entry averages 20000 Bernoulli draws: standard error <= |x| * 0.5 / sqrt(20000) * 2
    np.testing.assert_allclose(mean_train, layer.forward(x, train=False), atol=0.03)


def test_dropout_modes_differ_only_by_the_keep_rate():
    """Same mask: inverted = scale_at_test / (1-p), in training and at test time."""
    rng = np.random.default_rng(10)
    x, p = rng.standard_normal((6, 7)), 0.4
    inv, slides = Dropout(p, rng=11), Dropout(p, mode="scale_at_test", rng=11)
    np.testing.assert_allclose(inv.forward(x, train=True), slides.forward(x, train=True) / (1 - p))
    np.testing.assert_allclose(inv.forward(x, train=False), slides.forward(x, train=False) / (1 - p))


def test_dropout_is_reproducible_and_leaves_the_global_rng_alone():
    x = np.ones((10, 10))
    state = np.random.get_state()
    a = Dropout(0.5, rng=42).forward(x, train=True)
    b = Dropout(0.5, rng=np.random.default_rng(42)).forward(x, train=True)
    after = np.random.get_state()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, Dropout(0.5, rng=43).forward(x, train=True))
    assert all(np.array_equal(s, t) for s, t in zip(state, after))


def test_dropout_backward_uses_the_forward_mask():
    layer = Dropout(0.5, rng=1)
    out = layer.forward(np.ones((8, 8)), train=True)
    np.testing.assert_array_equal(layer.backward(np.ones((8, 8))), out)   # same mask and scale


# --- the layer contract -----------------------------------------------------------------

def _all_layers(rng, dtype=np.float64, D=4):
    """(layer, forward kwargs, forward inputs) for every layer, on a random batch of 3."""
    x = away_from_zero(rng, (3, D)).astype(dtype)
    t = np.array([0, 3, 1])
    W, b = rng.standard_normal((D, 2)).astype(dtype), rng.standard_normal(2).astype(dtype)
    gamma, beta = np.ones(D, dtype), np.zeros(D, dtype)
    return [
        (Affine(W, b), {}, (x,)),
        (Sigmoid(), {}, (x,)), (Tanh(), {}, (x,)), (ReLU(), {}, (x,)), (LeakyReLU(), {}, (x,)),
        (Dropout(0.5, rng=0), {"train": True}, (x,)),
        (BatchNorm(gamma, beta), {"train": True}, (x,)),
        (BatchNorm(gamma.copy(), beta.copy()), {"train": False}, (x,)),
        (SoftmaxWithLoss(), {}, (x, t)),
        (MSELoss(), {}, (x, rng.standard_normal((3, D)).astype(dtype))),
    ]


def test_backward_never_modifies_its_inputs():
    rng = np.random.default_rng(12)
    for layer, kw, inputs in _all_layers(rng):
        out = layer.forward(*inputs, **kw)
        dout = rng.standard_normal(np.shape(out))
        kept = [a.copy() for a in inputs] + [dout.copy()]
        out_kept = np.copy(out)
        dx = layer.backward(dout)
        for before, after in zip(kept, list(inputs) + [dout]):
            np.testing.assert_array_equal(after, before, err_msg=type(layer).__name__)
        np.testing.assert_array_equal(out, out_kept, err_msg=type(layer).__name__)
        assert not np.shares_memory(dx, dout), type(layer).__name__


def test_grads_are_filled_in_place_and_match_params():
    rng = np.random.default_rng(13)
    for layer, kw, inputs in _all_layers(rng):
        assert len(layer.params) == len(layer.grads)
        assert [p.shape for p in layer.params] == [g.shape for g in layer.grads]
        before = list(layer.grads)
        out = layer.forward(*inputs, **kw)
        layer.backward(np.ones(np.shape(out)))
        assert all(g is b for g, b in zip(layer.grads, before)), type(layer).__name__
        assert all(np.any(g != 0) for g in layer.grads), type(layer).__name__


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layers_keep_their_dtype(dtype):
    rng = np.random.default_rng(14)
    for layer, kw, inputs in _all_layers(rng, dtype):
        out = layer.forward(*inputs, **kw)
        dx = layer.backward(np.ones(np.shape(out), dtype=dtype))
        name = type(layer).__name__
        if np.ndim(out):
            assert out.dtype == dtype, name
        else:              # the losses return a float64 scalar; their default dout is 1.0
            assert layer.backward().dtype == dtype, name
        assert dx.dtype == dtype, name
        assert all(g.dtype == dtype for g in layer.grads), name


def test_integer_input_is_computed_in_float64():
    out = Sigmoid().forward(np.array([[0, 1], [1, 0]]))
    assert out.dtype == np.float64 and out[0, 0] == 0.5


def test_get_activation_layer():
    assert isinstance(get_activation_layer("ReLU"), ReLU)
    assert isinstance(get_activation_layer("leaky relu"), LeakyReLU)
    assert isinstance(get_activation_layer("tanh"), Tanh)
    for bad in ["step", "identity", "softplus"]:
        with pytest.raises(ValueError, match=r"expected one of sigmoid, tanh, relu, leaky_relu"):
            get_activation_layer(bad)


# --- learner errors: ValueError naming expected and actual ------------------------------

@pytest.mark.parametrize("make, call, message", [
    (lambda: Affine(np.ones((3, 2)), np.ones(2)), lambda l: l.forward(np.ones((5, 4))),
     r"Affine.forward: expected x of shape \(N, 3\).*got \(5, 4\)"),
    (lambda: Affine(np.ones((3, 2)), np.ones(2)), lambda l: l.forward(np.ones(3)),
     r"expected x of shape \(N, 3\).*got \(3,\)"),
    (lambda: Affine(np.ones(3), np.ones(2)), None, r"expected W of shape \(D, H\), got \(3,\)"),
    (lambda: Affine(np.ones((3, 2)), np.ones(3)), None, r"expected b of shape \(2,\), got \(3,\)"),
    (lambda: BatchNorm(np.ones(3), np.zeros(3)), lambda l: l.forward(np.ones((4, 2))),
     r"BatchNorm.forward: expected x of shape \(N, 3\), got \(4, 2\)"),
    (lambda: BatchNorm(np.ones(3), np.zeros(2)), None, r"expected beta of shape \(3,\), got \(2,\)"),
    (lambda: BatchNorm(np.ones((3, 1)), np.zeros(3)), None, r"expected gamma of shape \(D,\), got \(3, 1\)"),
    (lambda: SoftmaxWithLoss(), lambda l: l.forward(np.ones((4, 3)), np.zeros((4, 2))),
     r"expected t of shape \(4,\) \(labels\) or \(4, 3\) \(one-hot\).*got \(4, 2\)"),
    (lambda: SoftmaxWithLoss(), lambda l: l.forward(np.ones((2, 3)), np.array([0, 3])),
     r"expected integer labels t in 0\.\.2, got values 0\.\.3"),
    (lambda: SoftmaxWithLoss(), lambda l: l.forward(np.ones((2, 3)), np.array([0.5, 1.0])),
     r"expected integer labels t in 0\.\.2, got dtype float64"),
    (lambda: SoftmaxWithLoss(), lambda l: l.forward(np.ones(3), np.array([0])),
     r"expected x of shape \(N, C\), got \(3,\)"),
    (lambda: MSELoss(), lambda l: l.forward(np.ones((4, 3)), np.ones((4, 2))),
     r"MSELoss.forward: expected t \(the shape of y\) of shape \(4, 3\), got \(4, 2\)"),
    (lambda: Dropout(1.0), None, r"expected a drop probability p with 0 <= p < 1, got 1.0"),
    (lambda: Dropout(-0.1), None, r"got -0.1"),
    (lambda: Dropout(0.5, mode="slides"), None, r"unknown mode 'slides'; expected one of inverted, scale_at_test"),
])
def test_bad_inputs_raise_value_error(make, call, message):
    with pytest.raises(ValueError, match=message):
        layer = make()
        call(layer)


@pytest.mark.parametrize("layer", [Affine(np.ones((3, 2)), np.ones(2)), Sigmoid(), ReLU(),
                                   BatchNorm(np.ones(3), np.zeros(3))],
                         ids=["affine", "sigmoid", "relu", "batchnorm"])
def test_backward_with_wrong_dout_shape_raises(layer):
    layer.forward(np.ones((4, 3)))
    expected = r"\(4, 2\)" if isinstance(layer, Affine) else r"\(4, 3\)"
    with pytest.raises(ValueError, match=rf"expected dout .* of shape {expected}, got \(4, 5\)"):
        layer.backward(np.ones((4, 5)))


# --- Linear, LayerNorm and Residual (moved here from the attention and MNIST-1D modules) ----

def test_linear_maps_every_position_and_its_gradients():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 4))
    lin = Linear(rng.standard_normal((4, 2)), rng.standard_normal(2))
    out = lin.forward(x)
    assert out.shape == (2, 3, 2)
    assert rel_error(out[1, 2], x[1, 2] @ lin.params[0] + lin.params[1]) < 1e-12
    assert_grads_ok(check_layer_gradients(lin, x))
    assert_grads_ok(check_layer_gradients(lin, rng.standard_normal((5, 4))))          # (N, D) too


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 6)])
def test_layernorm_forward_and_gradients(shape):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape) * 3 + 1
    D = shape[-1]
    ln = LayerNorm(rng.standard_normal(D), rng.standard_normal(D))
    out = ln.forward(x)
    xn = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    assert rel_error(out, ln.params[0] * xn + ln.params[1]) < 1e-12
    errs = grad_errors(lambda: ln.forward(x), ln.backward, (x,), ln.params, ln.grads)
    assert max(errs) < 1e-8, errs


def test_residual_block_gradients():
    rng = np.random.default_rng(0)
    block = Residual([Affine(rng.standard_normal((4, 4)), rng.standard_normal(4)), Tanh()])
    x = rng.standard_normal((3, 4))
    errors = check_layer_gradients(block, x)
    assert max(errors.values()) < 1e-7, errors
    np.testing.assert_allclose(block.forward(x), x + np.tanh(x @ block.params[0] + block.params[1]))


def test_residual_block_needs_a_shape_preserving_inner_block():
    block = Residual([Affine(np.ones((4, 3)), np.zeros(3))])
    with pytest.raises(ValueError, match="keep the shape"):
        block.forward(np.ones((2, 4)))


def test_residual_hands_train_to_the_layers_that_take_it():
    block = Residual([Dropout(0.5, rng=0)])
    x = np.ones((50, 4))
    assert np.array_equal(block.forward(x, train=False), 2 * x)          # test mode: x + x
    out = block.forward(x, train=True)                                   # x + mask * x / 0.5
    assert set(np.unique(out)) == {1.0, 3.0}
    np.testing.assert_array_equal(block.backward(np.ones_like(x)), 1 + block.layers[0].mask / 0.5)


@pytest.mark.parametrize("make, call, message", [
    (lambda: Linear(np.ones((3, 2)), np.ones(2)), lambda l: l.forward(np.ones((4, 2))),
     r"Linear.forward: expected x of shape \(\.\.\., 3\), got \(4, 2\)"),
    (lambda: Linear(np.ones((3, 2)), np.ones(3)), None, r"Linear: expected b of shape \(2,\), got \(3,\)"),
    (lambda: LayerNorm(np.ones(3), np.zeros(3)), lambda l: l.forward(np.ones((2, 4))),
     r"LayerNorm.forward: expected x of shape \(\.\.\., 3\), got \(2, 4\)"),
    (lambda: LayerNorm(np.ones(3), np.zeros(2)), None, r"LayerNorm: expected beta of shape \(3,\), got \(2,\)"),
    (lambda: LayerNorm(np.ones(3), np.zeros(3), eps=0), None, r"LayerNorm: expected eps > 0, got 0"),
    (lambda: BatchNorm(np.ones(3), np.zeros(3), momentum=1.5), None,
     r"BatchNorm: expected momentum in \[0.0, 1.0\], got 1.5"),
])
def test_more_bad_inputs_name_the_layer(make, call, message):
    with pytest.raises(ValueError, match=message):
        layer = make()
        call(layer)


@pytest.mark.parametrize("make, x, bad, message", [
    (lambda: Linear(np.ones((3, 2)), np.ones(2)), np.ones((4, 5, 3)), np.ones((4, 2)),
     r"Linear.backward: expected dout .* of shape \(4, 5, 2\), got \(4, 2\)"),
    (lambda: LayerNorm(np.ones(3), np.zeros(3)), np.ones((4, 5, 3)), np.ones((4, 3)),
     r"LayerNorm.backward: expected dout .* of shape \(4, 5, 3\), got \(4, 3\)"),
    (lambda: Residual([Tanh()]), np.ones((4, 3)), np.ones((4, 2)),
     r"Residual.backward: expected dout .* of shape \(4, 3\), got \(4, 2\)"),
])
def test_new_layers_check_dout(make, x, bad, message):
    layer = make()
    layer.forward(x)
    with pytest.raises(ValueError, match=message):
        layer.backward(bad)


# --- one Linear, bit for bit what each old class computed --------------------------------------
#
# Affine, rnn.TimeAffine and the Transformer's dense layer used to be three classes. They are
# one layer now, and every printed number of the lessons rests on each caller getting exactly
# the old bits. The old formulas are written out here and compared with np.array_equal (not
# allclose) on the shapes and dtypes the course uses.

def _old_affine(x, W, b, dout):
    """The old layers.Affine: flatten to (N, D), one product."""
    x2 = x.reshape(x.shape[0], W.shape[0])
    return x2 @ W + b, (dout @ W.T).reshape(x.shape), x2.T @ dout, np.sum(dout, axis=0)


def _old_time_affine(xs, W, b, dout):
    """The old rnn.TimeAffine: (N·T, H) rows through the old Affine."""
    N, T, H = xs.shape
    x2 = xs.reshape(N * T, H)
    d2 = dout.reshape(N * T, -1)
    out = (x2 @ W + b).reshape(N, T, -1)
    return out, (d2 @ W.T).reshape(N * T, H).reshape(N, T, H), x2.T @ d2, np.sum(d2, axis=0)


def _old_attention_linear(x, W, b, dout):
    """The old attention.Linear: numpy's matmul on the (..., D) array, rows only for dW, db."""
    D, H = W.shape
    x2, d2 = x.reshape(-1, D), dout.reshape(-1, H)
    return x @ W + b, dout @ W.T, x2.T @ d2, d2.sum(axis=0)


def _run(layer, x, dout):
    out = layer.forward(x)
    dx = layer.backward(dout)
    return out, dx, layer.grads[0].copy(), layer.grads[1].copy()


def _assert_bits(new, old):
    for name, a, b in zip(("out", "dx", "dW", "db"), new, old):
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b), f"{name} differs from the old formula by {np.max(np.abs(a - b))}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("x_shape, H", [((100, 40), 100), ((100, 100), 10), ((64, 784), 50),
                                        ((13, 32, 7, 7), 10), ((7, 3), 5), ((100, 1568), 10)])
def test_affine_is_bit_for_bit_the_old_affine(x_shape, H, dtype):
    rng = np.random.default_rng(x_shape[0] + H)
    D = int(np.prod(x_shape[1:]))
    x, W, b = (rng.standard_normal(s).astype(dtype) for s in (x_shape, (D, H), (H,)))
    dout = rng.standard_normal((x_shape[0], H)).astype(dtype)
    _assert_bits(_run(Affine(W, b), x, dout), _old_affine(x, W, b, dout))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape, O", [((128, 4, 128), 13), ((32, 10, 128), 59), ((50, 12, 8), 2),
                                      ((100, 6, 256), 59), ((3, 5, 7), 11), ((1, 1, 16), 13)])
def test_time_affine_is_bit_for_bit_the_old_time_affine(shape, O, dtype):
    from dlcourse.rnn import TimeAffine

    rng = np.random.default_rng(shape[0] + O)
    H = shape[2]
    xs, W, b = (rng.standard_normal(s).astype(dtype) for s in (shape, (H, O), (O,)))
    dout = rng.standard_normal(shape[:2] + (O,)).astype(dtype)
    _assert_bits(_run(TimeAffine(W, b), xs, dout), _old_time_affine(xs, W, b, dout))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape, H", [((64, 8, 32), 32), ((64, 8, 32), 64), ((64, 8, 64), 32),
                                      ((64, 8, 32), 11), ((1000, 8, 32), 32), ((2, 3, 4), 2),
                                      ((4, 8, 32), 32), ((3, 4), 6)])
def test_linear_is_bit_for_bit_the_old_attention_linear(shape, H, dtype):
    rng = np.random.default_rng(shape[0] + H)
    D = shape[-1]
    x, W, b = (rng.standard_normal(s).astype(dtype) for s in (shape, (D, H), (H,)))
    dout = rng.standard_normal(shape[:-1] + (H,)).astype(dtype)
    _assert_bits(_run(Linear(W, b), x, dout), _old_attention_linear(x, W, b, dout))


def _old_layernorm(x, gamma, beta, dout, eps=1e-5):
    D = gamma.shape[0]
    mu = x.mean(axis=-1, keepdims=True)
    std = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    xn = (x - mu) / std
    dxn = dout * gamma
    dgamma = np.sum((dout * xn).reshape(-1, D), axis=0)
    dbeta = np.sum(dout.reshape(-1, D), axis=0)
    mean_dxn = dxn.mean(axis=-1, keepdims=True)
    mean_dxn_xn = np.mean(dxn * xn, axis=-1, keepdims=True)
    return gamma * xn + beta, (dxn - mean_dxn - xn * mean_dxn_xn) / std, dgamma, dbeta


def _old_batchnorm(x, gamma, beta, dout, mu=None, var=None, eps=1e-5):
    train = mu is None
    if train:
        mu, var = x.mean(axis=0), x.var(axis=0)
    std = np.sqrt(var + eps)
    xn = (x - mu) / std
    dxn = dout * gamma
    dgamma, dbeta = np.sum(dout * xn, axis=0), np.sum(dout, axis=0)
    dx = (dxn - dxn.mean(axis=0) - xn * np.mean(dxn * xn, axis=0)) / std if train else dxn / std
    return gamma * xn + beta, dx, dgamma, dbeta


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(64, 8, 32), (4, 5), (2, 3, 6), (1000, 8, 32)])
def test_layernorm_is_bit_for_bit_the_old_layernorm(shape, dtype):
    rng = np.random.default_rng(shape[0])
    D = shape[-1]
    x = (3 * rng.standard_normal(shape) + 1).astype(dtype)
    gamma, beta = (rng.standard_normal(D).astype(dtype) for _ in range(2))
    dout = rng.standard_normal(shape).astype(dtype)
    _assert_bits(_run(LayerNorm(gamma, beta), x, dout), _old_layernorm(x, gamma, beta, dout))


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(100, 50), (6272, 16), (7, 3)])
def test_batchnorm_is_bit_for_bit_the_old_batchnorm(shape, dtype, train):
    rng = np.random.default_rng(shape[0])
    D = shape[1]
    x = (3 * rng.standard_normal(shape) + 1).astype(dtype)
    gamma, beta = (rng.standard_normal(D).astype(dtype) for _ in range(2))
    dout = rng.standard_normal(shape).astype(dtype)
    layer = BatchNorm(gamma, beta)
    layer.running_mean[...] = rng.standard_normal(D)
    layer.running_var[...] = rng.uniform(0.5, 2.0, D)
    mu, var = layer.running_mean.copy(), layer.running_var.copy()
    out = layer.forward(x, train=train)
    new = (out, layer.backward(dout), layer.grads[0].copy(), layer.grads[1].copy())
    old = _old_batchnorm(x, gamma, beta, dout) if train else _old_batchnorm(x, gamma, beta, dout, mu, var)
    _assert_bits(new, old)


def test_sequential_outputs_are_each_layers_output():
    rng = np.random.default_rng(5)
    from dlcourse.layers import Sequential

    net = Sequential([Affine(rng.standard_normal((3, 4)), np.zeros(4)), ReLU(), Dropout(0.5, rng=0),
                      Affine(rng.standard_normal((4, 2)), np.zeros(2))])
    x = rng.standard_normal((5, 3))
    outs = list(net.outputs(x))
    assert [o.shape for o in outs] == [(5, 4), (5, 4), (5, 4), (5, 2)]
    np.testing.assert_array_equal(outs[1], np.maximum(outs[0], 0))
    np.testing.assert_array_equal(outs[2], outs[1])                     # test mode: Dropout is the identity
    np.testing.assert_array_equal(outs[-1], net.forward(x))
    assert len(list(net.outputs(x, upto=2))) == 2
