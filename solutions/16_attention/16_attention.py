# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 16 · Exercises: attention
#
# Four exercises, 8 points. The two small layers of an attention decoder (the weights
# and the weighted sum, with their backward passes), then masked scaled dot-product
# attention, the heart of the Transformer, and the sinusoidal positional encoding.
# Every gradient you compute is compared with a numerical gradient in float64, at a
# tolerance of 1e-7. The lesson is `notebooks/16_attention.ipynb`.
#
# The layers follow the course's **layer contract**: `forward(...)` keeps what `backward`
# needs, and `backward(dout)` returns the gradient of each forward input (a tuple when
# there are two). Neither layer has parameters, so `params` and `grads` stay empty.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "AttentionWeight_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 16.1 · Attention weights (2 points)
#
# At one decoder step, the decoder's state `h` (shape `(N, H)`) is compared with each of
# the encoder's T states `hs` (shape `(N, T, H)`) by a dot product, and a softmax over the
# T steps turns the scores into weights:
#
# $$s_t = \mathbf{h}_t^{enc} \cdot \mathbf{h}, \qquad a = \text{softmax}(s) \quad\text{(over } t\text{)}$$
#
# - `forward(hs, h)` returns `a`, shape `(N, T)`; each row sums to 1.
# - `backward(da)`, with `da` of shape `(N, T)`, returns `(dhs, dh)` of shapes `(N, T, H)`
#   and `(N, H)`.
#
# Hints: `(hs * h[:, None, :]).sum(axis=2)` gives the scores. Subtract each row's
# maximum before `np.exp`. The softmax backward is
# `ds = a * (da - (da * a).sum(axis=1, keepdims=True))`; then follow the product
# $s_t = \mathbf{h}_t^{enc} \cdot \mathbf{h}$: its gradient with respect to one factor is
# the other factor, and `h` took part in all T scores.

# %% nbgrader={"grade": false, "grade_id": "AttentionWeight", "locked": false, "schema_version": 3, "solution": true, "task": false}
class AttentionWeight:
    def __init__(self):                               # no parameters
        self.params, self.grads = [], []
    def forward(self, hs, h):                         # hs: (N, T, H), h: (N, H) -> a: (N, T)
        ### BEGIN SOLUTION
        s = np.sum(hs * h[:, None, :], axis=2)        # (N, T)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        self.hs, self.h, self.a = hs, h, e / e.sum(axis=1, keepdims=True)
        return self.a
        ### END SOLUTION
    def backward(self, da):                           # da: (N, T) -> (dhs (N, T, H), dh (N, H))
        ### BEGIN SOLUTION
        ds = self.a * (da - np.sum(da * self.a, axis=1, keepdims=True))
        return ds[:, :, None] * self.h[:, None, :], np.sum(ds[:, :, None] * self.hs, axis=1)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_AttentionWeight", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("16.attention_weight", AttentionWeight)


# %% [markdown] nbgrader={"grade": false, "grade_id": "WeightSum_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 16.2 · The weighted sum (2 points)
#
# The context vector is the weighted sum of the encoder's states:
#
# $$\mathbf{c} = \sum_t a_t\, \mathbf{h}_t^{enc}$$
#
# - `forward(hs, a)`, with `hs` `(N, T, H)` and `a` `(N, T)`, returns `c`, shape `(N, H)`.
# - `backward(dc)`, with `dc` `(N, H)`, returns `(dhs, da)` of shapes `(N, T, H)` and `(N, T)`.
#
# Hints: `a[:, :, None]` lines the weights up with `hs`. In the backward pass, each
# `hs[n, t]` was scaled by the number `a[n, t]`, and each `a[n, t]` scaled a whole vector
# of H numbers: which axis does its gradient sum over?

# %% nbgrader={"grade": false, "grade_id": "WeightSum", "locked": false, "schema_version": 3, "solution": true, "task": false}
class WeightSum:
    def __init__(self):                               # no parameters
        self.params, self.grads = [], []
    def forward(self, hs, a):                         # hs: (N, T, H), a: (N, T) -> c: (N, H)
        ### BEGIN SOLUTION
        self.hs, self.a = hs, a
        return np.sum(a[:, :, None] * hs, axis=1)
        ### END SOLUTION
    def backward(self, dc):                           # dc: (N, H) -> (dhs (N, T, H), da (N, T))
        ### BEGIN SOLUTION
        dhs = self.a[:, :, None] * dc[:, None, :]
        da = np.sum(self.hs * dc[:, None, :], axis=2)
        return dhs, da
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_WeightSum", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("16.weight_sum", WeightSum)


# %% [markdown] nbgrader={"grade": false, "grade_id": "masked_attention_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 16.3 · Masked scaled dot-product attention (3 points)
#
# $$\text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V$$
#
# `Q` has shape `(..., Tq, d)`, `K` `(..., Tk, d)`, `V` `(..., Tk, dv)`; the leading axes
# `...` (batch, heads) may be absent. `mask` is `None` or a boolean array that broadcasts
# to `(..., Tq, Tk)`, **True where query i may attend to key j**. Return
# `(out, weights)` with shapes `(..., Tq, dv)` and `(..., Tq, Tk)`.
#
# - A masked position gets weight **exactly 0**, and the allowed weights of a row still
#   sum to 1.
# - A row with no allowed key at all (a padded query) gets weights of all 0 (so its
#   output is 0), with no `nan` and no numpy warning.
#
# Hints: `np.swapaxes(K, -1, -2)` transposes the last two axes whatever comes before
# them. `np.where(mask, scores, -np.inf)` removes masked scores, and `exp(-inf) = 0`. A
# fully masked row has maximum `-inf`: use 0 there instead (`np.isfinite`), and divide
# by 1 where a row's sum is 0.

# %% nbgrader={"grade": false, "grade_id": "masked_attention", "locked": false, "schema_version": 3, "solution": true, "task": false}
def masked_attention(Q, K, V, mask=None):
    """softmax(Q Kᵀ / √d) V with masked positions left out. Returns (out, weights)."""
    ### BEGIN SOLUTION
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])          # (..., Tq, Tk)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    m = scores.max(axis=-1, keepdims=True)
    e = np.exp(scores - np.where(np.isfinite(m), m, 0.0))
    total = e.sum(axis=-1, keepdims=True)
    weights = e / np.where(total > 0, total, 1.0)
    return weights @ V, weights
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_masked_attention", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("16.masked_attention", masked_attention)


# %% [markdown] nbgrader={"grade": false, "grade_id": "positional_encoding_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 16.4 · Positional encoding (1 point)
#
# Return the `(T, d)` matrix of sinusoidal position codes, positions `pos = 0 .. T-1`:
#
# $$PE_{pos,\,2i} = \sin\!\left(\frac{pos}{10000^{2i/d}}\right), \qquad
#   PE_{pos,\,2i+1} = \cos\!\left(\frac{pos}{10000^{2i/d}}\right)$$
#
# The sin and the cos of one pair of columns share one rate. `d` may be odd: then the
# last column is a sin without its cos.
#
# Hint: compute the angles `pos / 10000**(2i/d)` for `2i = 0, 2, 4, ...` as a `(T, ceil(d/2))`
# array, then fill `pe[:, 0::2]` and `pe[:, 1::2]`.

# %% nbgrader={"grade": false, "grade_id": "positional_encoding", "locked": false, "schema_version": 3, "solution": true, "task": false}
def positional_encoding(T, d):
    """(T, d) sinusoidal position codes."""
    ### BEGIN SOLUTION
    angles = np.arange(T)[:, None] / 10000.0 ** (np.arange(0, d, 2) / d)   # (T, ceil(d/2))
    pe = np.zeros((T, d))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d // 2])
    return pe
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_positional_encoding", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("16.positional_encoding", positional_encoding)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? `dlcourse.attention` holds the same pieces (`AttentionWeight`, `WeightSum`,
# `scaled_dot_product_attention`) and `dlcourse.transformer` the `positional_encoding` and
# a Transformer encoder built from them; chapter 17 asks why such large networks work at all.
