"""Chapter 11: autoencoder, pre-training, RBM and VAE maths, experiments and the demo."""
import numpy as np
import pytest

from dlcourse import autoencoders as A
from dlcourse import experiments, layers, models, widgets
from dlcourse.gradients import numerical_gradient, rel_error


def _norm_rel(a, b):
    """||a - b|| / ||a + b||: insensitive to near-zero entries (round-off of a large loss)."""
    return float(np.linalg.norm(a - b) / max(1e-12, np.linalg.norm(a + b)))


@pytest.mark.parametrize("N, D, H", [(4, 6, 3), (2, 3, 5), (5, 4, 4)])
def test_tied_autoencoder_gradients(N, D, H):
    rng = np.random.default_rng(N * D * H)
    x, W, b, c = rng.random((N, D)), rng.standard_normal((D, H)), rng.standard_normal(H), rng.standard_normal(D)
    loss, *grads = A.tied_autoencoder_loss(x, W, b, c)
    y = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(x @ W + b)))) @ W.T - c))
    assert loss == pytest.approx(0.5 * np.sum((y - x) ** 2) / N, rel=1e-12)
    for p, g in zip((W, b, c), grads):
        num = numerical_gradient(lambda: A.tied_autoencoder_loss(x, W, b, c)[0], p)
        assert rel_error(g, num) < 1e-7


@pytest.mark.parametrize("act", ["sigmoid", "relu", "tanh"])
def test_autoencoder_gradients_and_contract(act):
    rng = np.random.default_rng(1)
    ae, x = models.Autoencoder(5, 3, act, rng=0), rng.random((4, 5)) + 0.1
    assert [p.shape for p in ae.params] == [(5, 3), (3,), (3, 5), (5,)]
    ae.loss(x)
    dx = ae.backward()
    assert dx.shape == x.shape
    for p, g in zip(ae.params, [g.copy() for g in ae.grads]):
        assert rel_error(g, numerical_gradient(lambda: ae.loss(x), p)) < 1e-7
    t = x.copy()                                  # fixed target: dx is the gradient through the net
    ae.loss(x, t)
    dx = ae.backward()
    assert rel_error(dx, numerical_gradient(lambda: ae.loss(x, t), x)) < 1e-7
    assert ae.predict(x).shape == (4, 5) and ae.encode(x).shape == (4, 3)


def test_autoencoder_training_lowers_loss():
    rng = np.random.default_rng(0)
    x = rng.random((60, 2)) @ rng.random((2, 8)) / 2           # rank 2: a 4-unit code suffices
    ae = models.Autoencoder(8, 4, rng=0)
    losses = A.fit_autoencoder(ae, x, epochs=15, batch_size=10, lr=0.01, rng=0)
    assert losses[-1] < 0.7 * losses[0]


@pytest.mark.parametrize("seed", range(4))
def test_vae_gradients(seed):
    rng = np.random.default_rng(seed)
    vae, x, eps = A.VAE(5, 4, 2, rng=seed), rng.random((3, 5)), rng.standard_normal((3, 2))
    vae.loss(x, eps)
    vae.backward()
    for p, g in zip(vae.params, [g.copy() for g in vae.grads]):
        num = numerical_gradient(lambda: vae.loss(x, eps), p)
        assert _norm_rel(g, num) < 1e-8
        assert rel_error(g, num) < 1e-6     # elementwise: round-off of a loss of ~4 on tiny entries


def test_vae_terms_match_formulas():
    rng = np.random.default_rng(3)
    vae, x, eps = A.VAE(4, 3, 2, rng=0), rng.random((5, 4)), rng.standard_normal((5, 2))
    loss = vae.loss(x, eps)
    mu, logvar = vae.encode(x)
    y = vae.decode(mu + np.exp(0.5 * logvar) * eps)
    bce = -np.sum(x * np.log(y) + (1 - x) * np.log(1 - y)) / 5
    kl = -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar)) / 5
    assert vae.terms == pytest.approx((bce, kl), rel=1e-10)
    assert loss == pytest.approx(bce + kl, rel=1e-10)


def _cd1_naive(v0, W, a, b, u_h, u_v):
    """Per-sample loop of the CD-1 statistics."""
    N = len(v0)
    dW, da, db = np.zeros_like(W), np.zeros_like(a), np.zeros_like(b)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for n in range(N):
        ph0 = sig(v0[n] @ W + b)
        h0 = (u_h[n] < ph0) * 1.0
        v1 = (u_v[n] < sig(W @ h0 + a)) * 1.0
        ph1 = sig(v1 @ W + b)
        dW += np.outer(v0[n], ph0) - np.outer(v1, ph1)
        da += v0[n] - v1
        db += ph0 - ph1
    return dW / N, da / N, db / N


def test_cd1_matches_naive_loop():
    rng = np.random.default_rng(5)
    N, D, H = 6, 7, 4
    args = ((rng.random((N, D)) < 0.5) * 1.0, rng.standard_normal((D, H)), rng.standard_normal(D),
            rng.standard_normal(H), rng.random((N, H)), rng.random((N, D)))
    for mine, ref in zip(A.cd1_update(*args), _cd1_naive(*args)):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)


def test_cd1_fixed_point_when_reconstruction_is_the_data():
    # u_v = 0 never turns a visible unit on, u_v = 1 always does: choose them so v1 = v0
    v0 = np.array([[1.0, 0.0, 1.0]])
    W, a, b = np.zeros((3, 2)), np.zeros(3), np.zeros(2)
    dW, da, db = A.cd1_update(v0, W, a, b, np.full((1, 2), 0.3), np.where(v0 > 0, 0.0, 1.0))
    assert np.allclose(dW, 0) and np.allclose(da, 0) and np.allclose(db, 0)


def test_rbm_training_lowers_error():
    res = experiments.autoencoders.rbm_cd1(hidden=16, epochs=3, gibbs_steps=5)
    assert res.errors[-1] < 0.6 * res.errors[0]
    assert res.filters.shape == (16, 64) and res.samples.shape == (8, 64)


def test_pretrain_stack_copies_encoders_into_mlp():
    x = np.random.default_rng(0).random((40, 6))
    encoders, losses = A.pretrain_stack(x, [6, 4, 3], epochs=2, batch_size=10)
    assert [W.shape for W, _ in encoders] == [(6, 4), (4, 3)] and len(losses) == 2
    net = A.mlp_from_encoders(encoders, 5, rng=0)
    affines = [lay for lay in net.layers if isinstance(lay, layers.Affine)]
    assert net.sizes == [6, 4, 3, 5]
    np.testing.assert_array_equal(affines[1].params[0], encoders[1][0])
    assert net.predict(x).shape == (40, 5)


def test_compress_is_cached_and_sweep_is_monotone():
    aex = experiments.autoencoders
    sweep = aex.bottleneck_sweep()
    assert aex.compress(bottleneck=8) is aex.compress(8, 20, 0)
    errs = [r.test_mse for r in sweep.runs]
    assert errs == sorted(errs, reverse=True)
    assert "bottleneck" in str(sweep) and str(aex.compress(2)).count("\n") == 3


def test_bottleneck_demo_default_equals_printed_experiment_and_redraws():
    demo = widgets.bottleneck_demo()
    assert str(demo.result) == str(experiments.autoencoders.compress(bottleneck=2))
    before = demo.image.value
    demo.set(bottleneck=16)
    assert demo.result.bottleneck == 16 and demo.image.value != before
    demo.set(bottleneck=2)
    assert str(demo.result) == str(experiments.autoencoders.compress(bottleneck=2))
