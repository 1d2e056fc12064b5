"""Chapter 16: attention layers, checked against naive loops and numerical gradients in float64."""
import numpy as np
import pytest

from dlcourse import attention as A
from dlcourse import optim
from dlcourse.gradients import numerical_gradient, rel_error


def _err(a, b):
    """||a - b|| / ||a + b||: the relative error of a whole gradient, robust to entries near 0
    (elementwise rel_error flags an entry of 1e-6 whose round-off is 1e-12). A gradient that is
    0 in exact arithmetic (the key bias of attention: softmax ignores a shift shared by all
    scores of a query) counts as agreeing when both sides are below 1e-9."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    if np.linalg.norm(a) < 1e-9 and np.linalg.norm(b) < 1e-9:
        return 0.0
    return float(np.linalg.norm(a - b) / np.linalg.norm(a + b))


def _grad_errors(forward, backward, inputs, params=(), grads=(), seed=0):
    """Relative errors of backward's input gradients and of ``grads`` against numerical ones,
    for the scalar sum(forward() * dout)."""
    out = forward()
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    forward()
    dins = backward(dout)
    dins = dins if isinstance(dins, tuple) else (dins,)
    analytic = [g.copy() for g in grads]

    def scalar():
        return float(np.sum(forward() * dout))

    errs = [_err(d, numerical_gradient(scalar, x)) for x, d in zip(inputs, dins)]
    errs += [_err(g, numerical_gradient(scalar, p)) for p, g in zip(params, analytic)]
    return errs


def _naive_attention(Q, K, V, mask=None):
    """One query at a time, written as the formula reads."""
    Tq, d = Q.shape
    out, W = np.zeros((Tq, V.shape[1])), np.zeros((Tq, K.shape[0]))
    for i in range(Tq):
        s = np.array([Q[i] @ K[j] / np.sqrt(d) for j in range(K.shape[0])])
        allowed = np.ones(len(s), bool) if mask is None else mask[i]
        if allowed.any():
            e = np.where(allowed, np.exp(s - s[allowed].max()), 0.0)
            W[i] = e / e.sum()
        out[i] = sum(W[i, j] * V[j] for j in range(K.shape[0]))
    return out, W


# --- scaled dot-product attention ------------------------------------------------------

@pytest.mark.parametrize("Tq, Tk, d, dv", [(3, 4, 5, 2), (1, 6, 2, 3), (5, 5, 4, 4)])
def test_attention_matches_naive_loop(Tq, Tk, d, dv):
    rng = np.random.default_rng(Tq * 10 + Tk)
    Q, K, V = rng.standard_normal((Tq, d)), rng.standard_normal((Tk, d)), rng.standard_normal((Tk, dv))
    mask = rng.random((Tq, Tk)) < 0.6
    mask[0] = False                                     # one fully masked query
    for m in (None, mask):
        out, W = A.scaled_dot_product_attention(Q, K, V, m)
        out_ref, W_ref = _naive_attention(Q, K, V, m)
        assert out.shape == (Tq, dv) and W.shape == (Tq, Tk)
        assert rel_error(out, out_ref) < 1e-12 and rel_error(W, W_ref) < 1e-12


def test_mask_gives_exact_zeros_and_fully_masked_rows_give_zero_not_nan():
    rng = np.random.default_rng(0)
    Q, K, V = (rng.standard_normal((2, 4, 3)) * 50 for _ in range(3))   # large scores
    mask = np.array([[True, False, True, False]] * 3 + [[False] * 4])
    out, W = A.scaled_dot_product_attention(Q, K, V, mask)
    assert np.all(W[:, :, ~mask[0]][:, :3] == 0.0)
    assert np.allclose(W[:, :3].sum(-1), 1.0)
    assert np.all(W[:, 3] == 0.0) and np.all(out[:, 3] == 0.0) and np.all(np.isfinite(out))


def test_causal_and_padding_masks():
    assert np.array_equal(A.causal_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    m = A.padding_mask([2, 3], 4)
    assert m.shape == (2, 1, 4) and np.array_equal(m[:, 0], [[1, 1, 0, 0], [1, 1, 1, 0]])
    with pytest.raises(ValueError, match="lengths"):
        A.padding_mask([5], 4)


def test_bad_inputs_are_clear_errors():
    Q = np.zeros((2, 3))
    with pytest.raises(ValueError, match="same last size"):
        A.scaled_dot_product_attention(Q, np.zeros((2, 4)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="one value per key"):
        A.scaled_dot_product_attention(Q, np.zeros((4, 3)), np.zeros((3, 1)))
    with pytest.raises(TypeError, match="boolean"):
        A.scaled_dot_product_attention(Q, Q, Q, mask=np.ones((2, 2)))
    with pytest.raises(ValueError, match="broadcast"):
        A.scaled_dot_product_attention(Q, Q, Q, mask=np.ones((3, 3), bool))


@pytest.mark.parametrize("masked", [False, True])
def test_attention_layer_gradients(masked):
    rng = np.random.default_rng(1)
    Q, K, V = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 3))
    mask = None
    if masked:
        mask = rng.random((2, 3, 5)) < 0.5
        mask[1, 2] = False                              # a fully masked query: zero gradient
    layer = A.ScaledDotProductAttention()
    errs = _grad_errors(lambda: layer.forward(Q, K, V, mask), layer.backward, (Q, K, V))
    assert max(errs) < 1e-8, errs


def test_attention_layer_gradients_with_broadcast_batch():
    rng = np.random.default_rng(2)
    Q, K, V = rng.standard_normal((3, 2, 4)), rng.standard_normal((1, 5, 4)), rng.standard_normal((5, 2))
    layer = A.ScaledDotProductAttention()
    dQ, dK, dV = (layer.forward(Q, K, V), layer.backward(np.ones((3, 2, 2))))[1]
    assert dQ.shape == Q.shape and dK.shape == K.shape and dV.shape == V.shape
    errs = _grad_errors(lambda: layer.forward(Q, K, V, A.causal_mask(5)[:2]), layer.backward, (Q, K, V))
    assert max(errs) < 1e-8, errs


def test_attention_keeps_float32():
    Q = np.ones((2, 3), np.float32)
    out, W = A.scaled_dot_product_attention(Q, Q, Q, A.causal_mask(2)[:, :2][:, [0, 1]])
    assert out.dtype == np.float32 and W.dtype == np.float32


# --- positional encoding, layer norm, feed-forward ------------------------------------------

def test_positional_encoding_values():
    pe = A.positional_encoding(50, 6)
    assert pe.shape == (50, 6)
    pos = 7
    for i in range(3):
        rate = 1.0 / 10000 ** (2 * i / 6)
        assert pe[pos, 2 * i] == pytest.approx(np.sin(pos * rate))
        assert pe[pos, 2 * i + 1] == pytest.approx(np.cos(pos * rate))
    assert np.allclose(pe[0, 1::2], 1.0) and np.allclose(pe[0, 0::2], 0.0)
    assert A.positional_encoding(4, 5).shape == (4, 5)                  # odd d
    # a shift by k is one fixed linear map for every position
    pe = A.positional_encoding(40, 8)
    M, *_ = np.linalg.lstsq(pe[:30], pe[3:33], rcond=None)
    assert np.allclose(pe[:30] @ M, pe[3:33], atol=1e-8)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 6)])
def test_layernorm_forward_and_gradients(shape):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape) * 3 + 1
    D = shape[-1]
    ln = A.LayerNorm(rng.standard_normal(D), rng.standard_normal(D))
    out = ln.forward(x)
    xn = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    assert rel_error(out, ln.params[0] * xn + ln.params[1]) < 1e-12
    errs = _grad_errors(lambda: ln.forward(x), ln.backward, (x,), ln.params, ln.grads)
    assert max(errs) < 1e-8, errs


def test_linear_and_feedforward_gradients():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 4))
    ffn = A.FeedForward(rng.standard_normal((4, 6)), rng.standard_normal(6),
                        rng.standard_normal((6, 4)), rng.standard_normal(4))
    errs = _grad_errors(lambda: ffn.forward(x), ffn.backward, (x,), ffn.params, ffn.grads)
    assert max(errs) < 1e-8, errs
    lin = A.Linear(rng.standard_normal((4, 2)), rng.standard_normal(2))
    assert rel_error(lin.forward(x)[1, 2], x[1, 2] @ lin.params[0] + lin.params[1]) < 1e-12


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
            heads.append(_naive_attention((x[n] @ Wq + bq)[:, cols], (x[n] @ Wk + bk)[:, cols],
                                          (x[n] @ Wv + bv)[:, cols], m)[0])
        out[n] = np.concatenate(heads, axis=1) @ Wo + bo
    return out


@pytest.mark.parametrize("n_heads, masked", [(1, False), (2, True), (4, True)])
def test_multihead_matches_naive_and_gradients(n_heads, masked):
    rng = np.random.default_rng(n_heads)
    N, T, D = 2, 4, 8
    layer = A.MultiHeadSelfAttention(D, n_heads, rng=rng)
    for p in layer.params[1::2]:
        p[...] = rng.standard_normal(p.shape) * 0.5        # non-zero biases
    x = rng.standard_normal((N, T, D))
    mask = A.padding_mask([4, 2], T) if masked else None
    out = layer.forward(x, mask)
    assert layer.weights.shape == (N, n_heads, T, T)
    assert rel_error(out, _naive_mhsa(layer, x, mask)) < 1e-10
    if masked:
        assert np.all(layer.weights[1, :, :, 2:] == 0.0)
    errs = _grad_errors(lambda: layer.forward(x, mask), layer.backward, (x,), layer.params, layer.grads)
    assert max(errs) < 1e-8, errs


def test_multihead_rejects_bad_sizes():
    with pytest.raises(ValueError, match="multiple"):
        A.MultiHeadSelfAttention(6, 4)
    with pytest.raises(ValueError, match="expected x"):
        A.MultiHeadSelfAttention(4, 2, rng=0).forward(np.zeros((2, 3, 5)))


@pytest.mark.parametrize("pre_norm, mask", [(False, None), (True, None), (False, "causal"), (True, "pad")])
def test_encoder_block_gradients(pre_norm, mask):
    rng = np.random.default_rng(5)
    N, T, D = 2, 3, 4
    block = A.TransformerEncoderBlock(D, 2, 6, rng=rng, pre_norm=pre_norm)
    for p in block.params:
        p += rng.standard_normal(p.shape) * 0.1             # move LayerNorm off ones/zeros
    x = rng.standard_normal((N, T, D))
    m = {None: None, "causal": A.causal_mask(T), "pad": A.padding_mask([3, 2], T)}[mask]
    assert len(block.params) == 16 and block.forward(x, m).shape == (N, T, D)
    errs = _grad_errors(lambda: block.forward(x, m), block.backward, (x,), block.params, block.grads)
    assert max(errs) < 1e-8, errs


def test_encoder_block_float32_stays_float32():
    block = A.TransformerEncoderBlock(8, 2, 16, rng=0, dtype=np.float32)
    x = np.random.default_rng(0).standard_normal((2, 5, 8)).astype(np.float32)
    y = block.forward(x)
    dx = block.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in block.grads)


# --- the Transformer encoder model -----------------------------------------------------------

def test_transformer_encoder_gradients_and_interface():
    rng = np.random.default_rng(6)
    model = A.TransformerEncoder(vocab_size=5, n_out=4, d_model=4, n_heads=2, d_ff=6, n_layers=2,
                                 max_len=6, rng=0)
    xs, ts = rng.integers(0, 5, (3, 4)), rng.integers(0, 4, (3, 4))
    mask = A.padding_mask([4, 3, 2], 4)
    assert model.forward(xs, mask).shape == (3, 4, 4) and model.predict(xs).shape == (3, 4)
    assert [w.shape for w in model.attention_weights] == [(3, 2, 4, 4)] * 2
    model.loss(xs, ts, mask)
    model.backward()
    errs = [_err(g, numerical_gradient(lambda: model.loss(xs, ts, mask), p))
            for p, g in zip(model.params, [g.copy() for g in model.grads])]
    assert max(errs) < 1e-8, errs
    with pytest.raises(ValueError, match="max_len"):
        model.forward(np.zeros((1, 7), int))


def test_positional_encoding_is_what_breaks_the_symmetry():
    model = A.TransformerEncoder(5, 5, d_model=8, n_heads=2, d_ff=8, rng=0, positional=False)
    xs = np.array([[1, 2, 1, 3]])
    y = model.forward(xs)
    assert np.allclose(y[0, 0], y[0, 2])                   # same token, no positions: same output
    y = A.TransformerEncoder(5, 5, d_model=8, n_heads=2, d_ff=8, rng=0).forward(xs)
    assert not np.allclose(y[0, 0], y[0, 2])


def test_fit_trains_a_transformer_to_reverse():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, (600, 5))
    model = A.TransformerEncoder(4, 4, d_model=16, n_heads=2, d_ff=32, rng=0, dtype=np.float32)
    hist = A.fit(model, x, x[:, ::-1], epochs=8, batch_size=32, by_length=False,
                 optimizer=optim.Adam(lr=3e-3))
    assert hist["steps"] == 8 * 19 and np.mean(hist["loss"][-10:]) < 0.5 * np.mean(hist["loss"][:10])
    assert all(p.dtype == np.float32 for p in model.params)


# --- attention for seq2seq --------------------------------------------------------------------------

def test_attention_weight_and_weight_sum_gradients():
    rng = np.random.default_rng(7)
    hs, h, a = rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 4)), A.masked_softmax(rng.standard_normal((3, 5)))
    aw, ws = A.AttentionWeight(), A.WeightSum()
    assert np.allclose(aw.forward(hs, h).sum(axis=1), 1.0)
    assert max(_grad_errors(lambda: aw.forward(hs, h), aw.backward, (hs, h))) < 1e-8
    assert max(_grad_errors(lambda: ws.forward(hs, a), ws.backward, (hs, a))) < 1e-8
    # one step of AttentionWeight + WeightSum equals DotAttention with Td = 1
    c = ws.forward(hs, aw.forward(hs, h))
    assert rel_error(A.DotAttention().forward(hs, h[:, None, :])[:, 0], c) < 1e-12


@pytest.mark.parametrize("cls", ["dot", "additive"])
def test_seq2seq_attention_layers_gradients_with_mask(cls):
    rng = np.random.default_rng(8)
    enc, dec = rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 3, 4))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = A.DotAttention() if cls == "dot" else A.AdditiveAttention(4, 3, rng=0)
    for p in layer.params:
        p += rng.standard_normal(p.shape) * 0.5
    out = layer.forward(enc, dec, mask)
    assert out.shape == (2, 3, 4) and np.all(layer.weights[0, :, 3:] == 0)
    errs = _grad_errors(lambda: layer.forward(enc, dec, mask), layer.backward, (enc, dec), layer.params, layer.grads)
    assert max(errs) < 1e-8, errs


@pytest.mark.parametrize("score, extra", [("dot", {}), ("additive", {}), ("none", {}),
                                          ("none", {"peeky": True, "reverse": True}), ("dot", {"reverse": True})])
def test_attention_seq2seq_gradients(score, extra):
    rng = np.random.default_rng(9)
    model = A.AttentionSeq2Seq(7, 3, 4, score=score, rng=1, **extra)
    for p in model.params:
        p += rng.standard_normal(p.shape) * 0.5             # gradients well above round-off
    xs, ts = rng.integers(1, 7, (3, 5)), rng.integers(1, 7, (3, 4))
    xs[0, 3:] = 0
    xs[2, 1] = 0                                            # a pad id inside a question is a real character
    model.loss(xs, ts)
    model.backward()
    errs = [_err(g, numerical_gradient(lambda: model.loss(xs, ts), p))
            for p, g in zip(model.params, [g.copy() for g in model.grads])]
    assert max(errs) < 1e-6, errs                           # additive: some gradients near 1e-5 (round-off 1e-11)


@pytest.mark.parametrize("score", ["dot", "none"])
def test_padding_changes_nothing(score):
    rng = np.random.default_rng(10)
    model = A.AttentionSeq2Seq(6, 3, 4, score=score, rng=0)
    xs, ts = rng.integers(1, 6, (2, 4)), rng.integers(1, 6, (2, 3))
    wide = np.zeros((2, 9), int)
    wide[:, :4] = xs
    assert model.loss(xs, ts) == pytest.approx(model.loss(wide, ts), rel=1e-12)
    ids = model.generate(xs, 1, 3)
    assert ids.shape == (2, 3) and np.array_equal(ids, model.generate(wide, 1, 3))
    if score == "dot":
        assert model.last_weights.shape == (2, 3, 9) and np.all(model.last_weights[:, :, 4:] == 0)
        assert np.allclose(model.last_weights.sum(axis=2), 1.0)
    else:
        assert model.last_weights is None


def test_reverse_reads_each_question_backwards():
    model = A.AttentionSeq2Seq(6, 3, 4, score="none", rng=0, reverse=True)
    model._encode(np.array([[1, 2, 3, 0, 0], [4, 0, 5, 2, 0]]))
    seen = model.encoder.embed.idx
    assert np.array_equal(seen, [[3, 2, 1, 0], [2, 5, 0, 4]])


def test_sequence_lengths_and_length_batches():
    xs = np.array([[3, 0, 2, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
    assert np.array_equal(A.sequence_lengths(xs), [3, 0, 4])
    lengths = np.arange(100) % 13
    batches = A.length_batches(lengths, 8, np.random.default_rng(0), pool=4)
    assert sorted(np.concatenate(batches).tolist()) == list(range(100))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    assert spread < 6                                       # random batches would spread over ~11


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="unknown score"):
        A.AttentionSeq2Seq(5, 2, 3, score="cosine")
    with pytest.raises(ValueError, match="peeky"):
        A.AttentionSeq2Seq(5, 2, 3, score="dot", peeky=True)
    with pytest.raises(ValueError, match="Ta >= 2"):
        A.AttentionSeq2Seq(5, 2, 3).loss(np.ones((2, 3), int), np.ones((2, 1), int))
