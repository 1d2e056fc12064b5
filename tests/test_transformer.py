"""Chapter 16's Transformer (dlcourse.transformer): positional encoding, the feed-forward net,
multi-head self-attention against a naive loop, the encoder block and the encoder model, with
numerical gradients in float64."""
import numpy as np
import pytest

from attention_utils import err, grad_errors, naive_attention
from dlcourse import attention as A
from dlcourse import optim
from dlcourse import transformer as TR
from dlcourse.gradients import numerical_gradient, rel_error


# --- positional encoding, feed-forward ------------------------------------------------------

def test_positional_encoding_values():
    pe = TR.positional_encoding(50, 6)
    assert pe.shape == (50, 6)
    pos = 7
    for i in range(3):
        rate = 1.0 / 10000 ** (2 * i / 6)
        assert pe[pos, 2 * i] == pytest.approx(np.sin(pos * rate))
        assert pe[pos, 2 * i + 1] == pytest.approx(np.cos(pos * rate))
    assert np.allclose(pe[0, 1::2], 1.0) and np.allclose(pe[0, 0::2], 0.0)
    assert TR.positional_encoding(4, 5).shape == (4, 5)                  # odd d
    # a shift by k is one fixed linear map for every position
    pe = TR.positional_encoding(40, 8)
    M, *_ = np.linalg.lstsq(pe[:30], pe[3:33], rcond=None)
    assert np.allclose(pe[:30] @ M, pe[3:33], atol=1e-8)


def test_feedforward_gradients():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 4))
    ffn = TR.FeedForward(rng.standard_normal((4, 6)), rng.standard_normal(6),
                         rng.standard_normal((6, 4)), rng.standard_normal(4))
    errs = grad_errors(lambda: ffn.forward(x), ffn.backward, (x,), ffn.params, ffn.grads)
    assert max(errs) < 1e-8, errs
    y = ffn.forward(x)
    np.testing.assert_allclose(y, np.maximum(x @ ffn.params[0] + ffn.params[1], 0) @ ffn.params[2] + ffn.params[3])


# --- multi-head self-attention and the encoder block ----------------------------------------------

def _naive_mhsa(layer, x, mask):
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = layer.params
    N, T, D = x.shape
    h = layer.n_heads
    dk = D // h
    out = np.zeros_like(x)
    for n in range(N):
        heads = []
        for j in range(h):
            cols = slice(j * dk, (j + 1) * dk)
            m = None if mask is None else np.broadcast_to(mask, (N, T, T))[n]
            heads.append(naive_attention((x[n] @ Wq + bq)[:, cols], (x[n] @ Wk + bk)[:, cols],
                                          (x[n] @ Wv + bv)[:, cols], m)[0])
        out[n] = np.concatenate(heads, axis=1) @ Wo + bo
    return out


@pytest.mark.parametrize("n_heads, masked", [(1, False), (2, True), (4, True)])
def test_multihead_matches_naive_and_gradients(n_heads, masked):
    rng = np.random.default_rng(n_heads)
    N, T, D = 2, 4, 8
    layer = TR.MultiHeadSelfAttention(D, n_heads, rng=rng)
    for p in layer.params[1::2]:
        p[...] = rng.standard_normal(p.shape) * 0.5        # non-zero biases
    x = rng.standard_normal((N, T, D))
    mask = A.padding_mask([4, 2], T) if masked else None
    out = layer.forward(x, mask)
    assert layer.weights.shape == (N, n_heads, T, T)
    assert rel_error(out, _naive_mhsa(layer, x, mask)) < 1e-10
    if masked:
        assert np.all(layer.weights[1, :, :, 2:] == 0.0)
    errs = grad_errors(lambda: layer.forward(x, mask), layer.backward, (x,), layer.params, layer.grads)
    assert max(errs) < 1e-8, errs


def test_multihead_rejects_bad_sizes():
    with pytest.raises(ValueError, match="multiple"):
        TR.MultiHeadSelfAttention(6, 4)
    with pytest.raises(ValueError, match="expected x"):
        TR.MultiHeadSelfAttention(4, 2, rng=0).forward(np.zeros((2, 3, 5)))


@pytest.mark.parametrize("pre_norm, mask", [(False, None), (True, None), (False, "causal"), (True, "pad")])
def test_encoder_block_gradients(pre_norm, mask):
    rng = np.random.default_rng(5)
    N, T, D = 2, 3, 4
    block = TR.TransformerEncoderBlock(D, 2, 6, rng=rng, pre_norm=pre_norm)
    for p in block.params:
        p += rng.standard_normal(p.shape) * 0.1             # move LayerNorm off ones/zeros
    x = rng.standard_normal((N, T, D))
    m = {None: None, "causal": A.causal_mask(T), "pad": A.padding_mask([3, 2], T)}[mask]
    assert len(block.params) == 16 and block.forward(x, m).shape == (N, T, D)
    errs = grad_errors(lambda: block.forward(x, m), block.backward, (x,), block.params, block.grads)
    assert max(errs) < 1e-8, errs


def test_encoder_block_float32_stays_float32():
    block = TR.TransformerEncoderBlock(8, 2, 16, rng=0, dtype=np.float32)
    x = np.random.default_rng(0).standard_normal((2, 5, 8)).astype(np.float32)
    y = block.forward(x)
    dx = block.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in block.grads)


# --- the Transformer encoder model -----------------------------------------------------------

def test_transformer_encoder_gradients_and_interface():
    rng = np.random.default_rng(6)
    model = TR.TransformerEncoder(vocab_size=5, n_out=4, d_model=4, n_heads=2, d_ff=6, n_layers=2,
                                  max_len=6, rng=0)
    xs, ts = rng.integers(0, 5, (3, 4)), rng.integers(0, 4, (3, 4))
    mask = A.padding_mask([4, 3, 2], 4)
    assert model.forward(xs, mask).shape == (3, 4, 4) and model.predict(xs).shape == (3, 4)
    assert [w.shape for w in model.attention_weights] == [(3, 2, 4, 4)] * 2
    model.loss(xs, ts, mask)
    model.backward()
    errs = [err(g, numerical_gradient(lambda: model.loss(xs, ts, mask), p))
            for p, g in zip(model.params, [g.copy() for g in model.grads])]
    assert max(errs) < 1e-8, errs
    with pytest.raises(ValueError, match="max_len"):
        model.forward(np.zeros((1, 7), int))


def test_positional_encoding_is_what_breaks_the_symmetry():
    model = TR.TransformerEncoder(5, 5, d_model=8, n_heads=2, d_ff=8, rng=0, positional=False)
    xs = np.array([[1, 2, 1, 3]])
    y = model.forward(xs)
    assert np.allclose(y[0, 0], y[0, 2])                   # same token, no positions: same output
    y = TR.TransformerEncoder(5, 5, d_model=8, n_heads=2, d_ff=8, rng=0).forward(xs)
    assert not np.allclose(y[0, 0], y[0, 2])


def test_fit_trains_a_transformer_to_reverse():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, (600, 5))
    model = TR.TransformerEncoder(4, 4, d_model=16, n_heads=2, d_ff=32, rng=0, dtype=np.float32)
    hist = A.fit(model, x, x[:, ::-1], epochs=8, batch_size=32, by_length=False,
                 optimizer=optim.Adam(lr=3e-3))
    assert hist["steps"] == 8 * 19 and np.mean(hist["loss"][-10:]) < 0.5 * np.mean(hist["loss"][:10])
    assert all(p.dtype == np.float32 for p in model.params)


# --- dout checks: each layer names itself and the shape it expected ------------------------

@pytest.mark.parametrize("make, forward, bad, message", [
    (lambda: TR.FeedForward(np.ones((4, 6)), np.ones(6), np.ones((6, 4)), np.ones(4)),
     lambda l: l.forward(np.ones((2, 3, 4))), np.ones((2, 3, 6)),
     r"FeedForward.backward: expected dout .* of shape \(2, 3, 4\), got \(2, 3, 6\)"),
    (lambda: TR.MultiHeadSelfAttention(4, 2, rng=0), lambda l: l.forward(np.ones((2, 3, 4))),
     np.ones((2, 4)), r"MultiHeadSelfAttention.backward: expected dout .* of shape \(2, 3, 4\), got \(2, 4\)"),
    (lambda: TR.TransformerEncoderBlock(4, 2, 6, rng=0), lambda l: l.forward(np.ones((2, 3, 4))),
     np.ones((2, 3, 5)), r"TransformerEncoderBlock.backward: expected dout .* of shape \(2, 3, 4\)"),
])
def test_backward_with_wrong_dout_shape_names_the_layer(make, forward, bad, message):
    layer = make()
    forward(layer)
    with pytest.raises(ValueError, match=message):
        layer.backward(bad)
