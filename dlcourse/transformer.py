"""The Transformer encoder: multi-head self-attention, positional encoding, the encoder block.

Chapter 16 builds it after the seq2seq attention of :mod:`dlcourse.attention`,
from whose :class:`~dlcourse.attention.ScaledDotProductAttention` every head is
made (Vaswani et al., 2017; seed 003 "Transformer", seed 001 §7.3.3 (3/3)):

* :func:`positional_encoding`: the sinusoidal position codes;
* :class:`FeedForward`: the position-wise two-layer ReLU network;
* :class:`MultiHeadSelfAttention`: h heads of scaled dot-product attention;
* :class:`TransformerEncoderBlock`: attention and feed-forward, each with a
  residual connection and :class:`dlcourse.layers.LayerNorm`, post- or pre-norm;
* :class:`TransformerEncoder`: embedding + positional encoding, a stack of
  blocks, and a classifier per position, the small model the lesson trains to
  reverse and sort digits.

The dense maps are :class:`dlcourse.layers.Linear` (over the last axis of
(N, T, D) arrays). Every layer follows the layer contract of DESIGN.md and
keeps the dtype of its parameters (float64 for gradient checks, float32 for
faster training). Masks are boolean, True where attention is allowed (see
:mod:`dlcourse.attention`).
"""
from __future__ import annotations

import numpy as np

from dlcourse import layers as L
from dlcourse import optim, rnn
from dlcourse.attention import ScaledDotProductAttention
from dlcourse.validation import as_float, check_dout, check_shape

__all__ = [
    "positional_encoding", "FeedForward", "MultiHeadSelfAttention", "TransformerEncoderBlock",
    "TransformerEncoder",
]


# --- positional encoding ------------------------------------------------------------

def positional_encoding(T, d):
    """Sinusoidal position codes, one row per position.

    Parameters
    ----------
    T : int
        Number of positions (0 .. T-1).
    d : int
        Size of each code (the model width d_model).

    Returns
    -------
    ndarray, shape (T, d), float64
        ``PE[pos, 2i] = sin(pos / 10000^(2i/d))``, ``PE[pos, 2i+1] = cos(pos / 10000^(2i/d))``.

    Notes
    -----
    Each pair of columns is a clock turning at its own speed, from once every
    2π positions (i = 0) to once every 2π·10000. Self-attention by itself does
    not know the order of its inputs; adding these codes to the word vectors
    tells it. Because sin and cos of ``pos + k`` are a fixed rotation of those
    of ``pos``, a linear map can turn "position i" into "position i + k"
    (Vaswani et al., 2017, §3.5).
    """
    if int(T) != T or T < 1 or int(d) != d or d < 1:
        raise ValueError(f"positional_encoding: expected positive integers T and d, got T={T}, d={d}")
    pos = np.arange(int(T))[:, None]                         # (T, 1)
    rates = 10000.0 ** (-np.arange(0, int(d), 2) / d)       # (ceil(d/2),)
    angles = pos * rates                                     # (T, ceil(d/2))
    pe = np.zeros((int(T), int(d)))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d // 2])
    return pe


# --- the position-wise feed-forward net ------------------------------------------------

class FeedForward:
    """Position-wise feed-forward network: ReLU(x W1 + b1) W2 + b2 at every position.

    Parameters
    ----------
    W1 : ndarray, shape (D, F);  b1 : (F,)
    W2 : ndarray, shape (F, D);  b2 : (D,)

    Notes
    -----
    Each position goes through the same small MLP, independently of the
    others: attention mixes positions, this mixes features. F is usually
    larger than D (4 D in the original Transformer).
    """

    def __init__(self, W1, b1, W2, b2):
        self.lin1, self.lin2 = L.Linear(W1, b1), L.Linear(W2, b2)
        self.params = self.lin1.params + self.lin2.params
        self.grads = self.lin1.grads + self.lin2.grads
        self.hidden = None
        self.out_shape = None

    def forward(self, x):
        """x (N, T, D) (any leading axes) -> (N, T, D)."""
        a = self.lin1.forward(x)
        self.hidden = np.maximum(a, 0)                       # ReLU, (..., F)
        out = self.lin2.forward(self.hidden)
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        """dout (N, T, D) -> dx (N, T, D)."""
        dout = check_dout("FeedForward.backward", dout, self.out_shape)
        dh = self.lin2.backward(dout)
        return self.lin1.backward(dh * (self.hidden > 0))


# --- multi-head self-attention ----------------------------------------------------------

class MultiHeadSelfAttention:
    """Multi-head self-attention: every position looks at every (allowed) position.

    Parameters
    ----------
    d_model : int
        D, the width of the input and output vectors.
    n_heads : int
        h, the number of heads; D must be a multiple of h (each head has d_k = D / h).
    rng : numpy.random.Generator or int or None
        For the initial weights (Xavier-scaled normal, zero biases).
    dtype : numpy dtype
        float64 (default) or float32.

    Attributes
    ----------
    params : list of 8 arrays
        ``[Wq, bq, Wk, bk, Wv, bv, Wo, bo]``: W* of shape (D, D), b* of shape (D,).
    weights : ndarray, shape (N, h, T, T)
        Attention weights of the last forward, one (T, T) map per head.

    Notes
    -----
    For x (N, T, D)::

        Q = x Wq + bq,  K = x Wk + bk,  V = x Wv + bv          (N, T, D)
        split the D columns into h heads of d_k                (N, h, T, d_k)
        head = softmax(Q Kᵀ / √d_k) V  per head (masked)       (N, h, T, d_k)
        out  = concat(heads) Wo + bo                           (N, T, D)

    Each head can learn its own notion of "relevant" (Vaswani et al., 2017, §3.2.2).
    """

    def __init__(self, d_model, n_heads, rng=None, dtype=np.float64):
        if int(n_heads) != n_heads or n_heads < 1 or d_model % n_heads:
            raise ValueError(f"MultiHeadSelfAttention: d_model ({d_model}) must be a multiple of "
                             f"n_heads ({n_heads})")
        rng = np.random.default_rng(rng)
        D = int(d_model)
        self.n_heads = int(n_heads)
        self.projections = [L.Linear(optim.scaled_normal((D, D), rng, dtype=dtype), np.zeros(D, dtype))
                            for _ in range(4)]
        self.attention = ScaledDotProductAttention()
        self.x_shape = None
        self.params = [p for lin in self.projections for p in lin.params]
        self.grads = [g for lin in self.projections for g in lin.grads]

    @property
    def weights(self):
        return self.attention.weights

    def _split(self, x):
        N, T, D = x.shape
        return x.reshape(N, T, self.n_heads, D // self.n_heads).transpose(0, 2, 1, 3)  # (N, h, T, d_k)

    @staticmethod
    def _merge(x):
        N, h, T, dk = x.shape
        return x.transpose(0, 2, 1, 3).reshape(N, T, h * dk)                       # (N, T, D)

    def forward(self, x, mask=None):
        """x (N, T, D), mask broadcastable to (N, T, T) or (T, T) -> (N, T, D)."""
        x = as_float(x)
        check_shape("MultiHeadSelfAttention.forward", "x", x, ("N", "T", self.params[0].shape[0]))
        self.x_shape = x.shape
        if mask is not None and np.ndim(mask) == 3:
            mask = np.asarray(mask)[:, None]                  # (N, 1, Tq, Tk): same for every head
        q, k, v, o = self.projections
        heads = self.attention.forward(self._split(q.forward(x)), self._split(k.forward(x)),
                                       self._split(v.forward(x)), mask)
        return o.forward(self._merge(heads))

    def backward(self, dout):
        """dout (N, T, D) -> dx (N, T, D); the 8 parameter gradients go into ``grads``."""
        dout = check_dout("MultiHeadSelfAttention.backward", dout, self.x_shape)
        q, k, v, o = self.projections
        dheads = self._split(o.backward(dout))
        dQ, dK, dV = self.attention.backward(dheads)
        return (q.backward(self._merge(dQ)) + k.backward(self._merge(dK))
                + v.backward(self._merge(dV)))


# --- the encoder block ------------------------------------------------------------------

class TransformerEncoderBlock:
    """One Transformer encoder layer: self-attention and a feed-forward net, each with a
    residual connection and layer normalisation.

    Parameters
    ----------
    d_model : int
        D.
    n_heads : int
        h (D must be a multiple of h).
    d_ff : int
        F, the hidden width of the feed-forward net.
    rng : numpy.random.Generator or int or None
    dtype : numpy dtype
    pre_norm : bool
        False (default): the original "post-norm" order; True: normalise
        before each sub-layer, which trains more easily in deep stacks.

    Notes
    -----
    Post-norm (Vaswani et al., 2017; the "+" boxes of seed 001 §7.3.3 (3/3))::

        a = LayerNorm1(x + MHSA(x))
        y = LayerNorm2(a + FFN(a))

    Pre-norm (Xiong et al., 2020)::

        a = x + MHSA(LayerNorm1(x))
        y = a + FFN(LayerNorm2(a))

    ``params`` = attention (8) + LayerNorm1 (2) + FFN (4) + LayerNorm2 (2).
    """

    def __init__(self, d_model, n_heads, d_ff, rng=None, dtype=np.float64, pre_norm=False):
        rng = np.random.default_rng(rng)
        D, F = int(d_model), int(d_ff)
        self.pre_norm = bool(pre_norm)
        self.attn = MultiHeadSelfAttention(D, n_heads, rng=rng, dtype=dtype)
        self.norm1 = L.LayerNorm(np.ones(D, dtype), np.zeros(D, dtype))
        self.ffn = FeedForward(optim.scaled_normal((D, F), rng, fan_in=D / 2, dtype=dtype),   # He: ReLU
                               np.zeros(F, dtype),
                               optim.scaled_normal((F, D), rng, dtype=dtype), np.zeros(D, dtype))
        self.norm2 = L.LayerNorm(np.ones(D, dtype), np.zeros(D, dtype))
        parts = (self.attn, self.norm1, self.ffn, self.norm2)
        self.params = [p for part in parts for p in part.params]
        self.grads = [g for part in parts for g in part.grads]
        self.x_shape = None

    @property
    def weights(self):
        """Attention weights of the last forward, (N, h, T, T)."""
        return self.attn.weights

    def forward(self, x, mask=None):
        """x (N, T, D), optional mask (see MultiHeadSelfAttention) -> (N, T, D)."""
        self.x_shape = np.shape(x)
        if self.pre_norm:
            a = x + self.attn.forward(self.norm1.forward(x), mask)
            return a + self.ffn.forward(self.norm2.forward(a))
        a = self.norm1.forward(x + self.attn.forward(x, mask))
        return self.norm2.forward(a + self.ffn.forward(a))

    def backward(self, dout):
        """dout (N, T, D) -> dx (N, T, D)."""
        dout = check_dout("TransformerEncoderBlock.backward", dout, self.x_shape)
        if self.pre_norm:
            da = dout + self.norm2.backward(self.ffn.backward(dout))
            return da + self.norm1.backward(self.attn.backward(da))
        ds = self.norm2.backward(dout)                      # s = a + FFN(a)
        da = ds + self.ffn.backward(ds)
        dr = self.norm1.backward(da)                        # r = x + MHSA(x)
        return dr + self.attn.backward(dr)


# --- a small Transformer encoder for token-to-token tasks --------------------------------

class TransformerEncoder:
    """Embedding + positional encoding, a stack of encoder blocks, and a classifier per position.

    Used in chapter 16 on toy tasks where output position t is a function of
    the whole input sequence (reverse or sort a string of digits): no decoder
    is needed, each position predicts its own output token.

    Parameters
    ----------
    vocab_size : int
        V, the number of input token ids.
    n_out : int
        C, the number of output classes per position.
    d_model, n_heads, d_ff, n_layers : int
        Width D, heads h, feed-forward width F, number of blocks.
    max_len : int
        Longest sequence the positional encoding covers.
    rng : numpy.random.Generator or int or None
    dtype : numpy dtype
        float64 (gradient checks) or float32 (faster training).
    pre_norm : bool
        Passed to every :class:`TransformerEncoderBlock`.
    positional : bool
        Add the sinusoidal positional encoding (True). Without it the model
        cannot tell positions apart: the lesson shows it fail.

    Notes
    -----
    ``scores = Linear(Block_L(... Block_1(E[x] + PE)))`` (:class:`dlcourse.layers.Linear`), shape (N, T, C); the
    loss is the softmax cross-entropy averaged over the positions
    (``rnn.TimeSoftmaxWithLoss``). The model follows the interface of
    ``dlcourse.models.train``: ``params``, ``grads``, ``loss``, ``backward``,
    ``predict``.
    """

    def __init__(self, vocab_size, n_out, d_model=32, n_heads=2, d_ff=64, n_layers=1,
                 max_len=64, rng=None, dtype=np.float64, pre_norm=False, positional=True):
        rng = np.random.default_rng(rng)
        D = int(d_model)
        self.embed = rnn.TimeEmbedding(rng.standard_normal((int(vocab_size), D)).astype(dtype))
        self.pe = positional_encoding(max_len, D).astype(dtype) * float(positional)
        self.blocks = [TransformerEncoderBlock(D, n_heads, d_ff, rng=rng, dtype=dtype, pre_norm=pre_norm)
                       for _ in range(int(n_layers))]
        self.head = L.Linear(optim.scaled_normal((D, int(n_out)), rng, dtype=dtype),
                             np.zeros(int(n_out), dtype))
        self.loss_layer = rnn.TimeSoftmaxWithLoss()
        parts = [self.embed, *self.blocks, self.head]
        self.params = [p for part in parts for p in part.params]
        self.grads = [g for part in parts for g in part.grads]

    @property
    def attention_weights(self):
        """Attention weights of the last forward, one (N, h, T, T) array per block."""
        return [block.weights for block in self.blocks]

    def forward(self, xs, mask=None):
        """Token ids xs (N, T) int, optional mask (see MultiHeadSelfAttention) -> scores (N, T, C)."""
        N, T = np.shape(xs)
        if T > len(self.pe):
            raise ValueError(f"TransformerEncoder: sequences of length {T} exceed max_len {len(self.pe)}")
        x = self.embed.forward(xs) + self.pe[:T]                   # (N, T, D)
        for block in self.blocks:
            x = block.forward(x, mask)
        return self.head.forward(x)                                # (N, T, C)

    def loss(self, xs, ts, mask=None, train=True):
        """Mean cross-entropy over the positions of ts (N, T) int (labels -1 are ignored)."""
        return self.loss_layer.forward(self.forward(xs, mask), ts)

    def backward(self, dout=1.0):
        """Fill ``grads`` with the gradients of the last ``loss``."""
        dscores = self.loss_layer.backward(dout).astype(self.params[0].dtype, copy=False)  # keep float32
        d = self.head.backward(dscores)
        for block in reversed(self.blocks):
            d = block.backward(d)
        self.embed.backward(d)

    def predict(self, xs, mask=None):
        """The most likely output token at every position, (N, T) int."""
        return np.argmax(self.forward(xs, mask), axis=-1)
