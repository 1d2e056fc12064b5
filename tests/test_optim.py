"""Tests for dlcourse.optim: each update against a naive per-element reference, known values, errors."""
import math

import numpy as np
import pytest

from dlcourse.optim import (
    OPTIMIZERS, SGD, AdaGrad, Adam, Momentum, Nesterov, RMSProp, get_optimizer, he, scaled_normal,
    uniform_init, xavier,
)

# --- naive references: one scalar at a time, the formula as written in the docs ----------


def naive_sgd(p, gs, lr):
    for g in gs:
        p = p - lr * g
    return p


def naive_momentum(p, gs, lr, mu):
    v = 0.0
    for g in gs:
        v = mu * v - lr * g
        p = p + v
    return p


def naive_nesterov(p, gs, lr, mu):
    v = 0.0
    for g in gs:
        v_prev = v
        v = mu * v - lr * g
        p = p - mu * v_prev + (1 + mu) * v
    return p


def naive_adagrad(p, gs, lr, eps):
    h = 0.0
    for g in gs:
        h = h + g * g
        p = p - lr * g / (math.sqrt(h) + eps)
    return p


def naive_rmsprop(p, gs, lr, decay, eps):
    h = 0.0
    for g in gs:
        h = decay * h + (1 - decay) * g * g
        p = p - lr * g / (math.sqrt(h) + eps)
    return p


def naive_adam(p, gs, lr, b1, b2, eps):
    m = v = 0.0
    for t, g in enumerate(gs, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
    return p


CASES = [
    (SGD(lr=0.1), lambda p, gs: naive_sgd(p, gs, 0.1)),
    (Momentum(lr=0.05, momentum=0.8), lambda p, gs: naive_momentum(p, gs, 0.05, 0.8)),
    (Nesterov(lr=0.05, momentum=0.8), lambda p, gs: naive_nesterov(p, gs, 0.05, 0.8)),
    (AdaGrad(lr=0.2, eps=1e-7), lambda p, gs: naive_adagrad(p, gs, 0.2, 1e-7)),
    (RMSProp(lr=0.01, decay=0.9, eps=1e-7), lambda p, gs: naive_rmsprop(p, gs, 0.01, 0.9, 1e-7)),
    (Adam(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-8),
     lambda p, gs: naive_adam(p, gs, 0.01, 0.8, 0.99, 1e-8)),
]


@pytest.mark.parametrize("opt, naive", CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_update_matches_naive_reference(opt, naive):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (2, 1, 3)]
    params = [rng.standard_normal(s) for s in shapes]
    start = [p.copy() for p in params]
    steps = [[rng.standard_normal(s) for s in shapes] for _ in range(6)]
    for grads in steps:
        opt.update(params, grads)
    for k, (p, p0) in enumerate(zip(params, start)):
        expected = np.empty_like(p0)
        for idx in np.ndindex(p0.shape):
            expected[idx] = naive(p0[idx], [grads[k][idx] for grads in steps])
        np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-14,
                                   err_msg=f"params[{k}] (mine) vs naive loop (theirs)")


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_update_is_in_place_and_leaves_grads_alone(name):
    rng = np.random.default_rng(1)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(3)]
    grads = [rng.standard_normal((2, 3)), rng.standard_normal(3)]
    ids, before, g_before = [id(p) for p in params], [p.copy() for p in params], [g.copy() for g in grads]
    get_optimizer(name).update(params, grads)
    assert [id(p) for p in params] == ids
    assert all(not np.array_equal(p, b) for p, b in zip(params, before))
    assert all(np.array_equal(g, b) for g, b in zip(grads, g_before))


# --- known values ------------------------------------------------------------------------------

def test_sgd_step():
    p = np.array([1.0, -2.0])
    SGD(lr=0.5).update([p], [np.array([2.0, 4.0])])
    np.testing.assert_allclose(p, [0.0, -4.0])


def test_momentum_builds_up_velocity():
    p, opt = np.array([1.0]), Momentum(lr=0.1, momentum=0.9)
    opt.update([p], [np.array([1.0])])
    np.testing.assert_allclose(p, [0.9])          # v = -0.1
    opt.update([p], [np.array([1.0])])
    np.testing.assert_allclose(p, [0.71])         # v = 0.9 * -0.1 - 0.1 = -0.19


def test_nesterov_equals_classical_look_ahead_form():
    """p = θ + μv, where θ follows v ← μv − lr ∇f(θ + μv), θ ← θ + v (Sutskever et al.)."""
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    grad = lambda z: A @ z                        # f(z) = z·Az / 2
    lr, mu = 0.05, 0.9
    theta, v = np.array([1.0, -2.0]), np.zeros(2)
    p, opt = theta.copy(), Nesterov(lr=lr, momentum=mu)
    for _ in range(25):
        v = mu * v - lr * grad(theta + mu * v)
        theta = theta + v
        opt.update([p], [grad(p)])
        np.testing.assert_allclose(p, theta + mu * v, rtol=1e-12, atol=1e-15)


def test_adagrad_and_adam_first_step_is_lr_whatever_the_gradient_size():
    for opt in (AdaGrad(lr=0.01), Adam(lr=0.001)):
        p = np.zeros(4)
        opt.update([p], [np.array([1e-3, -0.5, 20.0, -300.0])])
        np.testing.assert_allclose(np.abs(p), opt.lr, rtol=1e-4, err_msg=type(opt).__name__)
        assert np.all(np.sign(p) == [-1, 1, -1, 1]), "steps go against the gradient"


def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_decay():
    p = np.zeros(2)
    RMSProp(lr=0.01, decay=0.99).update([p], [np.array([2.0, -0.1])])
    np.testing.assert_allclose(p, [-0.1, 0.1], rtol=1e-5)     # 0.01 / sqrt(0.01)


def test_adam_counts_one_step_per_update_call():
    opt = Adam()
    params = [np.zeros(3), np.zeros(2), np.zeros((2, 2))]
    opt.update(params, [np.ones(3), np.ones(2), np.ones((2, 2))])
    opt.update(params, [np.ones(3), np.ones(2), np.ones((2, 2))])
    assert opt.t == 2
    # a constant gradient keeps m̂ = g and v̂ = g², so every step is exactly lr / (1 + eps)
    for p in params:
        np.testing.assert_allclose(p, -2 * 0.001 / (1 + 1e-8), rtol=1e-12)


def test_state_is_kept_per_position():
    """Two arrays of one list must not share a velocity."""
    a, b, opt = np.zeros(1), np.zeros(1), Momentum(lr=1.0, momentum=0.5)
    for _ in range(2):
        opt.update([a, b], [np.array([1.0]), np.array([-1.0])])
    np.testing.assert_allclose([a[0], b[0]], [-2.5, 2.5])        # v: -1, -1.5


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_reaches_the_minimum_of_the_chapter_09_function(name):
    """f(x, y) = x²/20 + y² from (-7, 2), the optimiser chapter's test function."""
    lr = {"sgd": 0.9, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.5,
          "rmsprop": 0.1, "adam": 0.3}[name]
    opt = get_optimizer(name, lr=lr)
    p = np.array([-7.0, 2.0])
    for _ in range(500):
        opt.update([p], [np.array([p[0] / 10, 2 * p[1]])])
    assert p[0] ** 2 / 20 + p[1] ** 2 < 1e-2, f"{name} ended at {p}"


# --- defaults, names and errors ------------------------------------------------------------

def test_defaults_follow_the_design():
    assert SGD().lr == 0.01
    assert (Momentum().lr, Momentum().momentum) == (0.01, 0.9)
    assert (Nesterov().lr, Nesterov().momentum) == (0.01, 0.9)
    assert (AdaGrad().lr, AdaGrad().eps) == (0.01, 1e-7)
    assert (RMSProp().lr, RMSProp().decay, RMSProp().eps) == (0.01, 0.99, 1e-7)
    a = Adam()
    assert (a.lr, a.beta1, a.beta2, a.eps) == (0.001, 0.9, 0.999, 1e-8)


def test_get_optimizer():
    opt = get_optimizer("Adam", lr=0.05, beta1=0.5)
    assert isinstance(opt, Adam) and (opt.lr, opt.beta1) == (0.05, 0.5)
    assert isinstance(get_optimizer(" rmsprop "), RMSProp)
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamw'; expected one of "
                                         r"sgd, momentum, nesterov, adagrad, rmsprop, adam"):
        get_optimizer("adamw")


@pytest.mark.parametrize("make, message", [
    (lambda: SGD(lr=0), r"SGD: expected a learning rate lr > 0, got 0"),
    (lambda: Adam(lr=-1e-3), r"Adam: expected a learning rate lr > 0, got -0.001"),
    (lambda: Momentum(momentum=1.0), r"Momentum: expected momentum in \[0.0, 1.0\), got 1.0"),
    (lambda: Nesterov(momentum=-0.5), r"Nesterov: expected momentum in \[0.0, 1.0\), got -0.5"),
    (lambda: RMSProp(decay=1.5), r"RMSProp: expected decay in \[0.0, 1.0\), got 1.5"),
    (lambda: Adam(beta2=-0.1), r"Adam: expected beta2 in \[0.0, 1.0\), got -0.1"),
    (lambda: AdaGrad(eps=-1.0), r"AdaGrad: expected eps in \[0.0, inf\), got -1.0"),
])
def test_bad_hyperparameters_raise(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_mismatched_lists_raise():
    opt = SGD()
    with pytest.raises(ValueError, match=r"expected as many grads as params \(2\), got 1"):
        opt.update([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\[1\] should have the shape of params\[1\], \(3,\), got \(3, 1\)"):
        opt.update([np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros((3, 1))])
    mom = Momentum()
    mom.update([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"params\[0\] changed shape from \(2,\) to \(4,\)"):
        mom.update([np.zeros(4)], [np.ones(4)])


# --- initialisers --------------------------------------------------------------------------

@pytest.mark.parametrize("init, factor", [(xavier, 1.0), (he, 2.0)])
def test_initializer_std_shape_and_dtype(init, factor):
    W = init(200, 300, np.random.default_rng(0))
    assert W.shape == (200, 300) and W.dtype == np.float64
    assert W.std() == pytest.approx(math.sqrt(factor / 200), rel=0.02)
    assert abs(W.mean()) < 0.02 * W.std()      # its standard error is std / √60000 ≈ 0.004 std


def test_initializers_are_reproducible_and_leave_the_global_rng_alone():
    state = np.random.get_state()
    a, b = he(5, 3, np.random.default_rng(7)), he(5, 3, 7)
    assert all(np.array_equal(s, t) for s, t in zip(state, np.random.get_state()))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, he(5, 3, 8))
    # same draws, different scale: He is √2 times Xavier
    np.testing.assert_allclose(he(5, 3, 9), math.sqrt(2) * xavier(5, 3, 9))


@pytest.mark.parametrize("fan_in, fan_out", [(0, 3), (3, -1), (2.5, 3)])
def test_initializer_bad_sizes_raise(fan_in, fan_out):
    with pytest.raises(ValueError, match=r"xavier: expected fan_(in|out) to be a positive integer"):
        xavier(fan_in, fan_out, 0)


def test_uniform_init_is_bounded_by_one_over_root_fan_in():
    W, b = uniform_init(100, 7, np.random.default_rng(0))
    assert W.shape == (100, 7) and b.shape == (7,)
    assert np.abs(W).max() <= 0.1 and np.abs(b).max() <= 0.1 and np.abs(W).max() > 0.09


def test_uniform_init_draws_W_then_b_like_torch():
    rng = np.random.default_rng(3)
    W, b = uniform_init(4, 3, np.random.default_rng(3))
    bound = 1 / math.sqrt(4)
    np.testing.assert_array_equal(W, rng.uniform(-bound, bound, (4, 3)))
    np.testing.assert_array_equal(b, rng.uniform(-bound, bound, 3))


@pytest.mark.parametrize("shape, fan_in, dtype", [((4, 6), None, np.float64), ((8,), None, np.float32),
                                                  ((6, 5), 3.0, np.float32)])
def test_scaled_normal_is_the_textbook_division(shape, fan_in, dtype):
    W = scaled_normal(shape, np.random.default_rng(1), fan_in=fan_in, dtype=dtype)
    n = shape[0] if fan_in is None else fan_in
    expected = (np.random.default_rng(1).standard_normal(shape) / np.sqrt(n)).astype(dtype)
    assert W.dtype == dtype and W.shape == shape
    np.testing.assert_array_equal(W, expected)                 # bit for bit: the lessons' numbers rest on it
    big = scaled_normal((400, 300), np.random.default_rng(2))
    assert big.std() == pytest.approx(1 / math.sqrt(400), rel=0.02)
