"""Attention: alignment in seq2seq, and scaled dot-product attention.

Chapter 16 uses this module. It has two halves:

* **Scaled dot-product attention** (Vaswani et al., 2017; seed 003 "Transformer",
  seed 001 §7.3.3 (3/3)): :func:`masked_softmax`, :func:`scaled_dot_product_attention`
  and its layer :class:`ScaledDotProductAttention`, :func:`causal_mask`,
  :func:`padding_mask`. The Transformer built from them (multi-head
  self-attention, positional encoding, the encoder block and a small encoder
  model) is in :mod:`dlcourse.transformer`.
* **Attention for seq2seq** (Bahdanau et al., 2015; seed 003 §9.5, seed 004
  "Attention Mechanism"): :class:`AttentionWeight` and :class:`WeightSum` (one
  decoder step), :class:`DotAttention`, :class:`AdditiveAttention`, the
  :class:`AttentionDecoder` and the model :class:`AttentionSeq2Seq`, with
  :func:`length_batches` and :func:`fit` to train it.

Every layer follows the layer contract of DESIGN.md: ``params`` and ``grads``
lists (same shapes and order), ``forward`` keeps what ``backward`` needs,
``backward`` fills ``grads`` in place and returns the gradient of each forward
input. Layers keep the dtype of their parameters and inputs (float64 for
gradient checks, float32 for faster training).

Masks are boolean and **True where attention is allowed**. A masked position
gets a weight of exactly 0. A query whose every key is masked gets all-zero
weights, hence a zero output and zero gradients, instead of the NaN a plain
softmax over ``-inf`` would give.
"""
from __future__ import annotations

import math

import numpy as np

from dlcourse import optim, rnn
from dlcourse import seq2seq as s2s
from dlcourse.validation import as_float, check_choice, check_dout, check_mask

__all__ = [
    "masked_softmax", "scaled_dot_product_attention", "ScaledDotProductAttention",
    "causal_mask", "padding_mask", "AttentionWeight", "WeightSum", "DotAttention", "AdditiveAttention",
    "SCORES", "AttentionDecoder", "AttentionSeq2Seq", "sequence_lengths", "length_batches", "fit",
]


# --- helpers (bookkeeping, kept out of the maths) -------------------------------

def _rng(rng):
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched, to get ``shape``."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# --- scaled dot-product attention -------------------------------------------------

def masked_softmax(scores, mask=None):
    """Softmax over the last axis that gives masked entries a weight of exactly 0.

    Parameters
    ----------
    scores : ndarray, shape (..., Tq, Tk)
    mask : bool ndarray broadcastable to scores, optional
        True where attention is allowed.

    Returns
    -------
    ndarray, shape (..., Tq, Tk)
        Each row sums to 1 over its allowed entries, or is all zeros when
        the row has no allowed entry (a fully masked query).
    """
    scores = as_float(scores)
    if mask is None:
        z = scores - scores.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)
    mask = check_mask("masked_softmax", mask, scores.shape)
    s = np.where(mask, scores, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)                   # fully masked row: any shift will do
    e = np.exp(s - m)                                      # exp(-inf) = 0 exactly
    total = e.sum(axis=-1, keepdims=True)
    return e / np.where(total > 0, total, 1.0)             # 0 / 1 = 0 on fully masked rows


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Attention(Q, K, V) = softmax(Q Kᵀ / √d) V, with an optional mask.

    Parameters
    ----------
    Q : ndarray, shape (..., Tq, d)
        Queries: one row per position that looks.
    K : ndarray, shape (..., Tk, d)
        Keys: one row per position that can be looked at.
    V : ndarray, shape (..., Tk, dv)
        Values: what each looked-at position hands over.
    mask : bool ndarray broadcastable to (..., Tq, Tk), optional
        True where query i may attend to key j.

    Returns
    -------
    out : ndarray, shape (..., Tq, dv)
        Row i is the weighted sum of the value rows, ``sum_j weights[i, j] V[j]``.
    weights : ndarray, shape (..., Tq, Tk)
        The attention weights; every row sums to 1 (or is 0 if fully masked).

    Notes
    -----
    ``S = Q Kᵀ / √d``; ``weights = softmax(S)`` over the keys; ``out = weights V``.
    Dividing by √d keeps the scores' spread independent of d: for random
    unit-variance q and k, q·k has variance d (Vaswani et al., 2017, §3.2.1).
    """
    out, weights = _sdpa_forward(as_float(Q), as_float(K), as_float(V), mask)
    return out, weights


def _sdpa_forward(Q, K, V, mask):
    d = Q.shape[-1]
    if K.shape[-1] != d:
        raise ValueError(f"attention: queries and keys need the same last size d, got Q {Q.shape} and K {K.shape}")
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(f"attention: expected one value per key (Tk = {K.shape[-2]}), got V {V.shape}")
    scores = (Q @ np.swapaxes(K, -1, -2)) / math.sqrt(d)   # Python float: keeps float32          # (..., Tq, Tk)
    mask = check_mask("scaled_dot_product_attention", mask, scores.shape)
    weights = masked_softmax(scores, mask)
    return weights @ V, weights                                # (..., Tq, dv)


class ScaledDotProductAttention:
    """Layer form of :func:`scaled_dot_product_attention`: no parameters, forward and backward.

    Attributes
    ----------
    weights : ndarray, shape (..., Tq, Tk)
        The attention weights of the last forward.

    Notes
    -----
    With ``S = Q Kᵀ / √d``, ``A = softmax(S)`` and ``out = A V``, for the
    upstream gradient ``dout`` (..., Tq, dv)::

        dV = Aᵀ dout                              (..., Tk, dv)
        dA = dout Vᵀ                              (..., Tq, Tk)
        dS = A ⊙ (dA − sum_j (dA ⊙ A))            softmax backward, row by row
        dQ = dS K / √d,   dK = dSᵀ Q / √d

    Masked entries have A = 0, so they get dS = 0: no gradient flows
    through a connection the mask forbids.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.weights = None
        self._cache = self.out_shape = None

    def forward(self, Q, K, V, mask=None):
        """Q (..., Tq, d), K (..., Tk, d), V (..., Tk, dv), mask -> out (..., Tq, dv)."""
        Q, K, V = as_float(Q), as_float(K), as_float(V)
        out, self.weights = _sdpa_forward(Q, K, V, mask)
        self._cache = (Q, K, V)
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        """dout (..., Tq, dv) -> (dQ, dK, dV), each of the shape of its forward input."""
        dout = check_dout("ScaledDotProductAttention.backward", dout, self.out_shape)
        Q, K, V = self._cache
        A = self.weights
        scale = 1.0 / math.sqrt(Q.shape[-1])
        dV = np.swapaxes(A, -1, -2) @ dout
        dA = dout @ np.swapaxes(V, -1, -2)
        dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True))
        dQ = (dS @ K) * scale
        dK = (np.swapaxes(dS, -1, -2) @ Q) * scale
        return _unbroadcast(dQ, Q.shape), _unbroadcast(dK, K.shape), _unbroadcast(dV, V.shape)


def causal_mask(T):
    """(T, T) boolean mask, True on and below the diagonal: position i sees positions j ≤ i.

    Used by a decoder that must not look at the words it has not produced yet.
    """
    return np.tril(np.ones((int(T), int(T)), dtype=bool))


def padding_mask(lengths, T):
    """Key mask for padded sequences: shape (N, 1, T), True at the first ``lengths[n]`` positions.

    Parameters
    ----------
    lengths : array_like of int, shape (N,)
        The true length of each sequence (the rest is padding).
    T : int
        The padded length.

    Returns
    -------
    bool ndarray, shape (N, 1, T)
        Broadcasts over the queries: no query attends to a padding position.
    """
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or np.any(lengths < 0) or np.any(lengths > T):
        raise ValueError(f"padding_mask: expected lengths of shape (N,) in 0..{T}, got {lengths}")
    return (np.arange(T)[None, :] < lengths[:, None])[:, None, :]


# --- attention for an encoder-decoder (seq2seq) -------------------------------------------
#
# The decoder's hidden state at step i (the query) is compared with every encoder
# hidden state h_j (keys and values at once); the weights a_ij say where to look,
# and the context c_i = sum_j a_ij h_j is what the decoder reads there.

class AttentionWeight:
    """Attention weights of one decoder step: a = softmax(hs · h) over the encoder steps.

    Notes
    -----
    ``forward(hs (N, T, H), h (N, H), mask=None) -> a (N, T)`` with
    ``s_t = hs[:, t] · h`` and ``a = softmax(s)``; ``mask`` (N, T) bool, True
    where the encoder step may be looked at. ``backward(da (N, T)) -> (dhs, dh)``::

        ds  = a ⊙ (da − sum_t da ⊙ a)
        dhs = ds[:, :, None] ⊙ h[:, None, :]         (N, T, H)
        dh  = sum_t ds[:, t, None] ⊙ hs[:, t]        (N, H)
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, h, mask=None):
        hs, h = as_float(hs), as_float(h)
        N, T, H = hs.shape
        if h.shape != (N, H):
            raise ValueError(f"AttentionWeight.forward: expected h of shape ({N}, {H}), got {h.shape}")
        a = masked_softmax(np.einsum("nth,nh->nt", hs, h), mask)     # (N, T)
        self.cache = (hs, h, a)
        return a

    def backward(self, da):
        hs, h, a = self.cache
        da = check_dout("AttentionWeight.backward", da, a.shape)
        ds = a * (da - np.sum(da * a, axis=1, keepdims=True))
        return ds[:, :, None] * h[:, None, :], np.einsum("nt,nth->nh", ds, hs)


class WeightSum:
    """The context vector of one decoder step: c = sum_t a_t hs_t.

    Notes
    -----
    ``forward(hs (N, T, H), a (N, T)) -> c (N, H)``;
    ``backward(dc (N, H)) -> (dhs, da)``::

        dhs = a[:, :, None] ⊙ dc[:, None, :]          (N, T, H)
        da  = sum_h dc[:, None, :] ⊙ hs              (N, T)
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        hs, a = as_float(hs), as_float(a)
        if a.shape != hs.shape[:2]:
            raise ValueError(f"WeightSum.forward: expected a of shape {hs.shape[:2]}, got {a.shape}")
        self.cache = (hs, a)
        return np.einsum("nt,nth->nh", a, hs)

    def backward(self, dc):
        hs, a = self.cache
        dc = check_dout("WeightSum.backward", dc, (hs.shape[0], hs.shape[2]))
        return a[:, :, None] * dc[:, None, :], np.einsum("nh,nth->nt", dc, hs)


class DotAttention:
    """Dot-product attention for every decoder step at once (Luong et al., 2015, "dot").

    ``forward(enc_hs (N, Te, H), dec_hs (N, Td, H), mask=None) -> context (N, Td, H)``,
    the same as :class:`AttentionWeight` then :class:`WeightSum` at each decoder
    step, as two batched matrix products. ``mask`` (N, Te) bool, True on real
    (non-padding) encoder steps. ``weights`` (N, Td, Te) keeps the alignment.
    ``backward(dcontext) -> (denc_hs, ddec_hs)``.

    Notes
    -----
    ``S = dec_hs enc_hsᵀ`` (no 1/√H: this is the seq2seq form of the textbook;
    the Transformer's version divides), ``A = softmax(S)``, ``C = A enc_hs``.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.weights = None
        self._cache = None

    def _scores(self, enc, dec):
        return dec @ np.swapaxes(enc, 1, 2)                     # (N, Td, Te)

    def _scores_backward(self, dS):
        enc, dec = self._cache
        return np.swapaxes(dS, 1, 2) @ dec, dS @ enc              # (denc, ddec)

    def forward(self, enc_hs, dec_hs, mask=None):
        enc, dec = as_float(enc_hs), as_float(dec_hs)
        if enc.ndim != 3 or dec.ndim != 3 or enc.shape[0] != dec.shape[0] or enc.shape[2] != dec.shape[2]:
            raise ValueError(f"{type(self).__name__}.forward: expected enc_hs (N, Te, H) and dec_hs "
                             f"(N, Td, H), got {enc.shape} and {dec.shape}")
        self._cache = (enc, dec)
        if mask is not None:
            mask = np.asarray(mask)[:, None, :]                   # (N, 1, Te): the same for every step
        self.weights = masked_softmax(self._scores(enc, dec), mask)
        return self.weights @ enc                                 # (N, Td, H)

    def backward(self, dcontext):
        enc, _ = self._cache
        A = self.weights
        dcontext = check_dout(f"{type(self).__name__}.backward", dcontext, A.shape[:2] + enc.shape[2:])
        dA = dcontext @ np.swapaxes(enc, 1, 2)                    # (N, Td, Te)
        dS = A * (dA - np.sum(dA * A, axis=2, keepdims=True))
        denc, ddec = self._scores_backward(dS)
        return denc + np.swapaxes(A, 1, 2) @ dcontext, ddec


class AdditiveAttention(DotAttention):
    """Additive (Bahdanau) attention: the score is a small network, v · tanh(h_j W_e + s_i W_d + b).

    Parameters
    ----------
    H : int
        Hidden size of encoder and decoder.
    A : int
        Size of the score network's hidden layer.
    rng : numpy.random.Generator or int or None
    dtype : numpy dtype

    Notes
    -----
    ``params = [W_e (H, A), W_d (H, A), b (A,), v (A,)]``. For encoder state
    h_j and decoder state s_i::

        Z_ij = tanh(h_j W_e + s_i W_d + b)        (N, Td, Te, A)
        S_ij = Z_ij · v

    then softmax and the weighted sum as in :class:`DotAttention`. Unlike the
    dot score it can compare vectors of different meaning, since W_e and W_d
    map both into a shared space first (Bahdanau, Cho & Bengio, 2015; seed
    003 §9.5).
    """

    def __init__(self, H, A, rng=None, dtype=np.float64):
        super().__init__()
        rng = _rng(rng)
        self.params = [optim.scaled_normal((H, A), rng, dtype=dtype), optim.scaled_normal((H, A), rng, dtype=dtype),
                       np.zeros(A, dtype), optim.scaled_normal((A,), rng, dtype=dtype)]
        self.grads = [np.zeros_like(p) for p in self.params]
        self._Z = None

    def _scores(self, enc, dec):
        We, Wd, b, v = self.params
        self._Z = np.tanh((dec @ Wd + b)[:, :, None, :] + (enc @ We)[:, None, :, :])   # (N, Td, Te, A)
        return self._Z @ v                                                               # (N, Td, Te)

    def _scores_backward(self, dS):
        enc, dec = self._cache
        We, Wd, b, v = self.params
        Z = self._Z
        self.grads[3][...] = np.einsum("nde,ndea->a", dS, Z)
        dpre = dS[..., None] * v * (1.0 - Z * Z)                  # (N, Td, Te, A)
        ddec_a, denc_a = dpre.sum(axis=2), dpre.sum(axis=1)       # (N, Td, A), (N, Te, A)
        H = We.shape[0]
        self.grads[0][...] = enc.reshape(-1, H).T @ denc_a.reshape(-1, We.shape[1])
        self.grads[1][...] = dec.reshape(-1, H).T @ ddec_a.reshape(-1, Wd.shape[1])
        self.grads[2][...] = ddec_a.sum(axis=(0, 1))
        return denc_a @ We.T, ddec_a @ Wd.T


def sequence_lengths(xs, pad_id=0):
    """Length of each right-padded row: one past its last id that is not ``pad_id``.

    Parameters
    ----------
    xs : ndarray of int, shape (N, T)

    Returns
    -------
    ndarray of int, shape (N,)
        0 for a row of padding only. Counting the non-padding ids instead would
        be wrong when the padding id also occurs inside a sequence (the space
        in "27 SEP 1994").
    """
    real = np.asarray(xs) != pad_id                                           # (N, T)
    last = real.shape[1] - np.argmax(real[:, ::-1], axis=1)                   # one past the last real id
    return np.where(real.any(axis=1), last, 0)


SCORES = ("dot", "additive", "none")
"""The choices of :class:`AttentionSeq2Seq`'s ``score``; "none" is the encoder-decoder of chapter 15."""


class AttentionDecoder:
    """LSTM decoder that looks back at every encoder state through attention.

    Parameters
    ----------
    V, D, H : int
        Vocabulary, embedding and hidden sizes.
    score : {"dot", "additive"}
        :class:`DotAttention` or :class:`AdditiveAttention` (with A = H).
    rng, dtype : as :class:`dlcourse.seq2seq.Encoder`.

    Notes
    -----
    At every step i: the LSTM state ``s_i`` (started from the encoder's last
    state) is the query; the attention gives the context ``c_i`` (H,); the
    scores of the next id are ``[c_i, s_i] W + b`` (2H -> V). This is the
    textbook's arrangement (the LSTM does not read ``c_i``), so with teacher
    forcing all steps are computed at once.
    """

    def __init__(self, V, D, H, score="dot", rng=None, dtype=np.float64):
        check_choice("AttentionDecoder", "score", score, ("dot", "additive"))
        rng = _rng(rng)
        self.embed = s2s.embedding_layer(V, D, rng, dtype)
        self.lstm = rnn.TimeLSTM(*rnn.init_recurrent("lstm", D, H, rng, dtype))
        self.attention = DotAttention() if score == "dot" else AdditiveAttention(H, H, rng, dtype)
        self.affine = s2s.output_layer(2 * H, V, rng, dtype)                 # [context, state] -> scores
        parts = (self.embed, self.lstm, self.attention, self.affine)
        self.params = [p for part in parts for p in part.params]
        self.grads = [g for part in parts for g in part.grads]

    def forward(self, xs, enc_hs, h, mask=None, c=None):
        """Scores (N, T, V) for decoder inputs xs (N, T), encoder states enc_hs (N, Te, H),
        start state h (N, H) (and c, zeros by default), key mask (N, Te)."""
        self.lstm.set_state(h, c)
        dec_hs = self.lstm.forward(self.embed.forward(xs))                    # (N, T, H)
        context = self.attention.forward(enc_hs, dec_hs, mask)                # (N, T, H)
        return self.affine.forward(np.concatenate([context, dec_hs], axis=2))

    def backward(self, dscores):
        """dscores (N, T, V) -> (denc_hs (N, Te, H), dh (N, H) of the start state)."""
        dcat = self.affine.backward(dscores)                                  # (N, T, 2H)
        H = dcat.shape[2] // 2
        denc_hs, ddec = self.attention.backward(dcat[:, :, :H])
        self.embed.backward(self.lstm.backward(ddec + dcat[:, :, H:]))
        return denc_hs, self.lstm.dh

    def generate(self, enc_hs, h, start_id, length, mask=None, temperature=None, rng=None):
        """Ids (N, length) generated one step at a time, and the weights (N, length, Te)."""
        N = h.shape[0]
        rng = _rng(rng)
        x = np.broadcast_to(np.asarray(start_id, dtype=np.int64), (N,)).reshape(N, 1)
        c = None
        ids = np.empty((N, int(length)), np.int64)
        weights = np.zeros((N, int(length), enc_hs.shape[1]), enc_hs.dtype)
        for t in range(int(length)):
            scores = self.forward(x, enc_hs, h, mask, c)[:, 0]                # (N, V)
            h, c = self.lstm.h, self.lstm.c
            weights[:, t] = self.attention.weights[:, 0]
            x = s2s.sample_ids(scores, temperature, rng).reshape(N, 1)
            ids[:, t] = x[:, 0]
        return ids, weights


class AttentionSeq2Seq:
    """Encoder-decoder with attention: the decoder reads all encoder states, not one vector.

    Parameters
    ----------
    V : int
        Vocabulary size (shared by questions and answers).
    D : int
        Embedding size.
    H : int
        Hidden size of both LSTMs.
    score : {"dot", "additive", "none"}
        The attention score. "none" builds the baseline without attention:
        the decoder of chapter 15 (:class:`dlcourse.seq2seq.Decoder`, or
        :class:`~dlcourse.seq2seq.PeekyDecoder` with ``peeky``) on the same encoder.
    rng : numpy.random.Generator or int or None
    dtype : numpy dtype
    pad_id : int or None
        Questions are right-padded with this id. Attention then ignores the
        padding, and the decoder starts from the state at each question's last
        real character, so padding changes nothing (and batches of short
        questions run faster). None: every column counts.
    reverse : bool
        Feed each question's characters in reverse order (padding stays at
        the end): chapter 15's trick for models without attention.
    peeky : bool
        With ``score="none"``: the peeky decoder of chapter 15.

    Attributes
    ----------
    last_weights : ndarray (N, Ta − 1, Tq) or None
        The alignment of the last :meth:`generate` call: row i says where the
        decoder looked when it wrote character i (in the order the encoder read).

    Notes
    -----
    ``loss(xs, ts)``: encode ``xs`` (N, Tq) with :class:`dlcourse.seq2seq.Encoder`
    (keeping every hidden state ``hs``), decode ``ts[:, :-1]`` with teacher
    forcing from the encoder's last state, score against ``ts[:, 1:]``.
    The interface is that of :class:`dlcourse.seq2seq.Seq2Seq`, so
    :func:`dlcourse.seq2seq.exact_match` works on it. Bahdanau et al. (2015);
    seed 003 §9.5, seed 004 (attention).
    """

    def __init__(self, V, D, H, score="dot", rng=None, dtype=np.float64, pad_id=0, reverse=False,
                 peeky=False):
        check_choice("AttentionSeq2Seq", "score", score, SCORES)
        if peeky and score != "none":
            raise ValueError("AttentionSeq2Seq: peeky=True is for the baseline without attention "
                             "(score='none')")
        rng = _rng(rng)
        self.score, self.pad_id, self.reverse = score, pad_id, bool(reverse)
        self.encoder = s2s.Encoder(V, D, H, rng, dtype)
        if score == "none":
            self.decoder = (s2s.PeekyDecoder if peeky else s2s.Decoder)(V, D, H, rng, dtype)
        else:
            self.decoder = AttentionDecoder(V, D, H, score, rng, dtype)
        self.softmax = rnn.TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads
        self.last_weights = None
        self._last = None

    def key_mask(self, xs):
        """(N, Tq) bool: True up to each question's last non-padding id (None without pad_id)."""
        if self.pad_id is None:
            return None
        xs = np.asarray(xs)
        return np.arange(xs.shape[1])[None, :] < sequence_lengths(xs, self.pad_id)[:, None]

    def _encode(self, xs):
        """Encoder states hs (N, T, H), key mask (N, T) and the decoder's start state h (N, H)."""
        xs = np.asarray(xs)
        mask = self.key_mask(xs)
        if mask is None:
            h = self.encoder.forward(xs[:, ::-1] if self.reverse else xs)
            self._last = None
            return self.encoder.hs, None, h
        lengths = mask.sum(axis=1)
        T = max(1, int(lengths.max()))
        xs, mask = xs[:, :T], mask[:, :T]                                     # cut the all-padding columns
        if self.reverse:                                                      # x[L-1], ..., x[0], padding
            cols = np.where(mask, lengths[:, None] - 1 - np.arange(T)[None, :], np.arange(T)[None, :])
            xs = np.take_along_axis(xs, cols, axis=1)
        self.encoder.forward(xs)
        self._last = np.maximum(lengths - 1, 0)                               # (N,) last real step
        hs = self.encoder.hs                                                  # (N, T, H)
        return hs, mask, hs[np.arange(len(xs)), self._last]

    def forward(self, xs, ts):
        """Scores (N, Ta − 1, V) of the teacher-forced decoder."""
        xs, ts = np.asarray(xs), np.asarray(ts)
        if xs.ndim != 2 or ts.ndim != 2 or ts.shape[0] != xs.shape[0] or ts.shape[1] < 2:
            raise ValueError(f"AttentionSeq2Seq: expected xs (N, Tq) and ts (N, Ta) with Ta >= 2, "
                             f"got {xs.shape} and {ts.shape}")
        hs, mask, h = self._encode(xs)
        if self.score == "none":
            return self.decoder.forward(ts[:, :-1], h)
        return self.decoder.forward(ts[:, :-1], hs, h, mask)

    def loss(self, xs, ts, train=True):
        """Mean cross-entropy of predicting ``ts[:, 1:]``; ``train`` is ignored."""
        return self.softmax.forward(self.forward(xs, ts), np.asarray(ts)[:, 1:])

    def backward(self, dout=1.0):
        """Back-propagate the last loss into ``grads``."""
        dscores = self.softmax.backward(dout).astype(self.params[0].dtype, copy=False)  # keep float32
        if self.score == "none":
            dh = self.decoder.backward(dscores)
            denc_hs = np.zeros_like(self.encoder.hs)
        else:
            denc_hs, dh = self.decoder.backward(dscores)
        if self._last is None:
            self.encoder.backward(dh, denc_hs)
            return
        denc_hs[np.arange(len(dh)), self._last] += dh          # h was the state at the last real step
        self.encoder.backward(np.zeros_like(dh), denc_hs)

    def generate(self, xs, start_id, length, temperature=None, rng=None):
        """Answer ids (N, length), greedy (temperature None) or sampled; keeps ``last_weights``."""
        xs = np.asarray(xs)
        hs, mask, h = self._encode(xs)
        self.last_weights = None
        if self.score == "none":
            return self.decoder.generate(h, start_id, length, temperature, rng)
        ids, weights = self.decoder.generate(hs, h, start_id, length, mask, temperature, rng)
        self.last_weights = np.zeros(weights.shape[:2] + (xs.shape[1],), weights.dtype)
        self.last_weights[:, :, :weights.shape[2]] = weights                 # back to (N, length, Tq)
        return ids


# --- training with batches of similar length -----------------------------------------------

def length_batches(lengths, batch_size, rng, pool=16):
    """Minibatch indices whose sequences have similar lengths.

    Parameters
    ----------
    lengths : ndarray of int, shape (N,)
    batch_size : int
    rng : numpy.random.Generator
    pool : int
        Shuffle, cut into pools of ``pool`` batches, sort each pool by length,
        cut it into batches, then shuffle the batches. Batches stay random
        but a batch of short questions is short.

    Returns
    -------
    list of ndarray of int
    """
    order = rng.permutation(len(lengths))
    batches = []
    for k in range(0, len(order), pool * batch_size):
        chunk = order[k:k + pool * batch_size]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def fit(model, x_train, t_train, epochs=1, batch_size=128, optimizer=None, max_grad=5.0, rng=0,
        by_length=True, pad_id=0, max_steps=None, callback=None, every=100, progress=False):
    """Train a seq2seq model (teacher forcing) with Adam, gradient clipping and length batches.

    Parameters
    ----------
    model : AttentionSeq2Seq, dlcourse.seq2seq.Seq2Seq, or any model with params, grads,
        loss(xs, ts) and backward()
    x_train : ndarray of int (N, Tq);  t_train : ndarray of int (N, Ta)
    epochs, batch_size : int
    optimizer : optimiser object; default ``optim.Adam(lr=1e-3)``
    max_grad : float or None
        Global gradient-norm clip (``rnn.clip_grads``).
    rng : numpy.random.Generator or int
    by_length : bool
        Group questions of similar length (:func:`length_batches`): an
        :class:`AttentionSeq2Seq` cuts each batch after its longest question, so
        this saves most of the encoder's work on padding.
    pad_id : int
        The padding id that defines a question's length.
    max_steps : int or None
        Stop after this many updates.
    callback : callable or None
        ``callback(step, history)`` every ``every`` steps and at the end; return
        True to stop.
    progress : bool
        A tqdm bar over the steps.

    Returns
    -------
    dict
        ``"loss"``: the loss of every step; ``"steps"``: updates done.

    Notes
    -----
    The loop is :func:`dlcourse.models.train_steps` with ``clip=max_grad``
    over the batches of :func:`length_batches`, drawn afresh every epoch.
    """
    from dlcourse import models, optim

    optimizer = optim.Adam(lr=1e-3) if optimizer is None else optimizer
    rng = _rng(rng)
    x_train, t_train = np.asarray(x_train), np.asarray(t_train)
    lengths = sequence_lengths(x_train, pad_id) if by_length else np.zeros(len(x_train), int)
    per_epoch = -(-len(x_train) // int(batch_size))
    total = int(epochs) * per_epoch if max_steps is None else min(int(max_steps), int(epochs) * per_epoch)

    def batches():
        while True:                                   # a new set of length batches every epoch
            for idx in length_batches(lengths, int(batch_size), rng):
                yield x_train[idx], t_train[idx]

    history = {"loss": [], "steps": 0}

    def report(step, steps_history):
        history["loss"], history["steps"] = steps_history["batch_loss"], step
        return callback(step, history)

    steps_history = models.train_steps(
        model, optimizer, batches(), total, clip=max_grad,
        eval_every=None if callback is None else int(every),
        callback=None if callback is None else report, progress=progress)
    history["loss"], history["steps"] = steps_history["batch_loss"], len(steps_history["batch_loss"])
    return history
