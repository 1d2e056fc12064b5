"""Chapter 16: attention layers, checked against naive loops and numerical gradients in float64.
(The Transformer's layers are tested in tests/test_transformer.py.)"""
import numpy as np
import pytest

from attention_utils import err, grad_errors, naive_attention
from dlcourse import attention as A
from dlcourse.gradients import numerical_gradient, rel_error


# --- scaled dot-product attention ------------------------------------------------------

@pytest.mark.parametrize("Tq, Tk, d, dv", [(3, 4, 5, 2), (1, 6, 2, 3), (5, 5, 4, 4)])
def test_attention_matches_naive_loop(Tq, Tk, d, dv):
    rng = np.random.default_rng(Tq * 10 + Tk)
    Q, K, V = rng.standard_normal((Tq, d)), rng.standard_normal((Tk, d)), rng.standard_normal((Tk, dv))
    mask = rng.random((Tq, Tk)) < 0.6
    mask[0] = False                                     # one fully masked query
    for m in (None, mask):
        out, W = A.scaled_dot_product_attention(Q, K, V, m)
        out_ref, W_ref = naive_attention(Q, K, V, m)
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
    errs = grad_errors(lambda: layer.forward(Q, K, V, mask), layer.backward, (Q, K, V))
    assert max(errs) < 1e-8, errs


def test_attention_layer_gradients_with_broadcast_batch():
    rng = np.random.default_rng(2)
    Q, K, V = rng.standard_normal((3, 2, 4)), rng.standard_normal((1, 5, 4)), rng.standard_normal((5, 2))
    layer = A.ScaledDotProductAttention()
    dQ, dK, dV = (layer.forward(Q, K, V), layer.backward(np.ones((3, 2, 2))))[1]
    assert dQ.shape == Q.shape and dK.shape == K.shape and dV.shape == V.shape
    errs = grad_errors(lambda: layer.forward(Q, K, V, A.causal_mask(5)[:2]), layer.backward, (Q, K, V))
    assert max(errs) < 1e-8, errs


def test_attention_keeps_float32():
    Q = np.ones((2, 3), np.float32)
    out, W = A.scaled_dot_product_attention(Q, Q, Q, A.causal_mask(2)[:, :2][:, [0, 1]])
    assert out.dtype == np.float32 and W.dtype == np.float32


# --- attention for seq2seq --------------------------------------------------------------------------

def test_attention_weight_and_weight_sum_gradients():
    rng = np.random.default_rng(7)
    hs, h, a = rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 4)), A.masked_softmax(rng.standard_normal((3, 5)))
    aw, ws = A.AttentionWeight(), A.WeightSum()
    assert np.allclose(aw.forward(hs, h).sum(axis=1), 1.0)
    assert max(grad_errors(lambda: aw.forward(hs, h), aw.backward, (hs, h))) < 1e-8
    assert max(grad_errors(lambda: ws.forward(hs, a), ws.backward, (hs, a))) < 1e-8
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
    errs = grad_errors(lambda: layer.forward(enc, dec, mask), layer.backward, (enc, dec), layer.params, layer.grads)
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
    errs = [err(g, numerical_gradient(lambda: model.loss(xs, ts), p))
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


# --- dout checks: each layer names itself and the shape it expected ------------------------

@pytest.mark.parametrize("make, forward, bad, message", [
    (A.ScaledDotProductAttention, lambda l: l.forward(np.ones((2, 3, 4)), np.ones((2, 5, 4)), np.ones((2, 5, 6))),
     np.ones((2, 3, 4)), r"ScaledDotProductAttention.backward: expected dout .* of shape \(2, 3, 6\), got \(2, 3, 4\)"),
    (A.AttentionWeight, lambda l: l.forward(np.ones((2, 5, 4)), np.ones((2, 4))), np.ones((2, 4)),
     r"AttentionWeight.backward: expected dout .* of shape \(2, 5\), got \(2, 4\)"),
    (A.WeightSum, lambda l: l.forward(np.ones((2, 5, 4)), np.ones((2, 5)) / 5), np.ones((2, 5)),
     r"WeightSum.backward: expected dout .* of shape \(2, 4\), got \(2, 5\)"),
    (A.DotAttention, lambda l: l.forward(np.ones((2, 5, 4)), np.ones((2, 3, 4))), np.ones((2, 3, 5)),
     r"DotAttention.backward: expected dout .* of shape \(2, 3, 4\), got \(2, 3, 5\)"),
    (lambda: A.AdditiveAttention(4, 3, rng=0), lambda l: l.forward(np.ones((2, 5, 4)), np.ones((2, 3, 4))),
     np.ones((2, 4)), r"AdditiveAttention.backward: expected dout .* of shape \(2, 3, 4\), got \(2, 4\)"),
])
def test_backward_with_wrong_dout_shape_names_the_layer(make, forward, bad, message):
    layer = make()
    forward(layer)
    with pytest.raises(ValueError, match=message):
        layer.backward(bad)


def test_decoder_and_model_name_their_choices():
    with pytest.raises(ValueError, match=r"AttentionDecoder: unknown score 'cosine'; expected one of dot, additive"):
        A.AttentionDecoder(5, 3, 4, score="cosine")
    with pytest.raises(ValueError, match=r"AttentionSeq2Seq: unknown score 'cosine'; expected one of dot, additive, none"):
        A.AttentionSeq2Seq(5, 3, 4, score="cosine")
