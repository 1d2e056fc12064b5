"""Checks for chapter 16 (attention and Transformers).

The two seq2seq layers (``AttentionWeight``, ``WeightSum``) are classes that
follow the layer contract: the check builds one, runs ``forward`` and
``backward`` on seeded random shapes and compares every gradient with
``numerical_gradient`` of the *reference* layer's forward pass (from
``dlcourse.attention``), in float64, at the cs231n tolerance 1e-7. The masked
attention and the positional encoding are compared with their references
(``dlcourse.attention``, ``dlcourse.transformer``).
"""
import numpy as np

from dlcourse import attention as A
from dlcourse import transformer
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import Built, register

SHAPES = ((3, 5, 4), (2, 7, 3))
"""(N, T, H) of the random trials: T != H, so a sum over the wrong axis cannot go unnoticed."""


def _numeric(f, *arrays, h=1e-5):
    """numerical_gradient of the scalar f() with respect to each array, in float64."""
    return [numerical_gradient(f, a, h=h) for a in arrays]


def _numeric_precise(f, *arrays, h=1e-3):
    """Richardson-extrapolated numerical gradients: (4 D(h/2) - D(h)) / 3, with D the central
    difference of ``numerical_gradient``. Its error is O(h⁴) instead of O(h²), so entries of a
    softmax gradient close to 0 are still measured to far better than the 1e-7 tolerance."""
    return [(4 * numerical_gradient(f, a, h=h / 2) - numerical_gradient(f, a, h=h)) / 3 for a in arrays]


def _pair(out, where):
    """The two gradients a backward returned, as float arrays, or a clear error."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"{where} should return a pair of arrays, got {type(out).__name__}")
    return [np.asarray(o, dtype=float) for o in out]


# --- 16.AttentionWeight ------------------------------------------------------------------

@register("16.attention_weight", points=2, forbid=("dlcourse.attention.AttentionWeight",
                                                    "dlcourse.attention.masked_softmax"),
          title="AttentionWeight(): forward(hs (N, T, H), h (N, H)) -> a (N, T); backward(da) -> (dhs, dh)",
          hint="forward: s = (hs * h[:, None, :]).sum(axis=2), a = softmax(s) over axis 1 (the T "
               "encoder steps), shifted by the row maximum; backward: ds = a * (da - (da * a).sum(axis=1, "
               "keepdims=True)), dhs = ds[:, :, None] * h[:, None, :], dh = (ds[:, :, None] * hs).sum(axis=1)")
def check_attention_weight(AttentionWeight, c):
    for N, T, H in SHAPES:
        hs, h = c.rng.standard_normal((N, T, H)), c.rng.standard_normal((N, H))
        da = c.rng.standard_normal((N, T))
        ref = A.AttentionWeight()
        mine = Built()
        c.close(f"forward a, hs ({N}, {T}, {H}), h ({N}, {H})",
                lambda: mine.make(AttentionWeight).forward(hs.copy(), h.copy()), ref.forward(hs, h),
                hint="a[n, t] = softmax over t of hs[n, t] · h[n]: each row of a sums to 1 over the "
                     "encoder steps (axis=1), not over the batch")
        dhs, dh = _numeric_precise(lambda: np.sum(ref.forward(hs, h) * da), hs, h)
        grads = {}

        def backward(k, da=da, grads=grads, mine=mine):
            if "g" not in grads:
                grads["g"] = _pair(mine.backward(da.copy()), "backward(da)")
            return grads["g"][k]

        c.close(f"dhs ({N}, {T}, {H}) vs numerical gradient", lambda: backward(0), dhs,
                hint="the score s_t = hs_t · h, so ds_t/dhs_t = h: dhs = ds[:, :, None] * h[:, None, :], "
                     "with ds the softmax backward of da (not da itself)")
        c.close(f"dh ({N}, {H}) vs numerical gradient", lambda: backward(1), dh,
                hint="h meets every hs_t, so its gradient sums over the T steps: "
                     "dh = (ds[:, :, None] * hs).sum(axis=1)")
    big = c.rng.standard_normal((2, 4, 3)) * 100.0
    c.no_warnings("scores near ±1000: no overflow",
                  lambda: AttentionWeight().forward(big, c.rng.standard_normal((2, 3)) * 10),
                  hint="subtract each row's maximum score before np.exp")


# --- 16.WeightSum ------------------------------------------------------------------------

@register("16.weight_sum", points=2, forbid=("dlcourse.attention.WeightSum",),
          title="WeightSum(): forward(hs (N, T, H), a (N, T)) -> c (N, H); backward(dc) -> (dhs, da)",
          hint="forward: c = (a[:, :, None] * hs).sum(axis=1), a weighted *sum* over the T steps; "
               "backward: dhs = a[:, :, None] * dc[:, None, :], da = (hs * dc[:, None, :]).sum(axis=2)")
def check_weight_sum(WeightSum, c):
    for N, T, H in SHAPES:
        hs, dc = c.rng.standard_normal((N, T, H)), c.rng.standard_normal((N, H))
        a = A.masked_softmax(c.rng.standard_normal((N, T)))
        ref = A.WeightSum()
        mine = Built()
        c.close(f"forward c, hs ({N}, {T}, {H}), a ({N}, {T})",
                lambda: mine.make(WeightSum).forward(hs.copy(), a.copy()), ref.forward(hs, a),
                hint="c[n] = sum over t of a[n, t] * hs[n, t]: multiply, then sum over axis 1 (a sum, "
                     "not a mean)")
        # c is linear in hs and in a, so a large step has no truncation error and less round-off
        dhs, da = _numeric(lambda: np.sum(ref.forward(hs, a) * dc), hs, a, h=1e-3)
        grads = {}

        def backward(k, dc=dc, grads=grads, mine=mine):
            if "g" not in grads:
                grads["g"] = _pair(mine.backward(dc.copy()), "backward(dc)")
            return grads["g"][k]

        c.close(f"dhs ({N}, {T}, {H}) vs numerical gradient", lambda: backward(0), dhs,
                hint="each hs[n, t] was scaled by a[n, t]: dhs = a[:, :, None] * dc[:, None, :]")
        c.close(f"da ({N}, {T}) vs numerical gradient", lambda: backward(1), da,
                hint="a[n, t] multiplied the whole vector hs[n, t], so da sums over the H features: "
                     "da = (hs * dc[:, None, :]).sum(axis=2)")


# --- 16.masked_attention -----------------------------------------------------------------

@register("16.masked_attention", points=3,
          forbid=("dlcourse.attention.scaled_dot_product_attention", "dlcourse.attention.masked_softmax",
                  "dlcourse.attention.ScaledDotProductAttention"),
          title="masked_attention(Q, K, V, mask=None) -> (out (..., Tq, dv), weights (..., Tq, Tk))",
          hint="scores = Q @ K.swapaxes(-1, -2) / sqrt(d); put -inf where mask is False; softmax over the "
               "last axis after subtracting the row maximum (use 0 as the maximum of a row that is all "
               "-inf); divide by the row sum where it is > 0, else leave 0; out = weights @ V")
def check_masked_attention(masked_attention, c):
    def both(Q, K, V, mask):
        out = masked_attention(Q.copy(), K.copy(), V.copy(), None if mask is None else mask.copy())
        return _pair(out, "masked_attention")

    Q, K, V = c.rng.standard_normal((3, 4)), c.rng.standard_normal((5, 4)), c.rng.standard_normal((5, 2))
    ref_out, ref_w = A.scaled_dot_product_attention(Q, K, V)
    c.close("no mask: weights (3, 5)", lambda: both(Q, K, V, None)[1], ref_w,
            hint="weights = softmax(Q Kᵀ / √d) over the keys (last axis); d = Q.shape[-1]")
    c.close("no mask: out (3, 2)", lambda: both(Q, K, V, None)[0], ref_out,
            hint="out = weights @ V")
    Q, K, V = (c.rng.standard_normal((2, 3, 4, 16)) for _ in range(3))
    c.close("d = 16, batch (2, 3): scaled by 1/√16", lambda: both(Q, K, V, None)[1],
            A.scaled_dot_product_attention(Q, K, V)[1],
            hint="divide the scores by √d = 4 here, not by d, and not at all")
    mask = A.causal_mask(4)
    ref_out, ref_w = A.scaled_dot_product_attention(Q, K, V, mask)
    c.close("causal mask (4, 4) over batch (2, 3): weights", lambda: both(Q, K, V, mask)[1], ref_w,
            hint="the mask broadcasts over the leading axes; masked scores must be left out of the "
                 "softmax's sum (set them to -inf before exp), not zeroed after it")
    c.close("causal mask: out", lambda: both(Q, K, V, mask)[0], ref_out)
    c.equal("masked weights are exactly 0",
            lambda: np.asarray(both(Q, K, V, mask)[1])[..., ~mask], np.zeros((2, 3, 6)),
            hint="a forbidden position must get weight 0 exactly: exp(-inf) = 0 (a large negative "
                 "number like -1e9 leaves tiny weights)")
    Q, K, V = c.rng.standard_normal((4, 3)), c.rng.standard_normal((4, 3)), c.rng.standard_normal((4, 2))
    pad = np.array([True, True, False, False])
    mask = pad[:, None] & pad[None, :]                    # rows 2 and 3 may attend to nothing
    ref_out, ref_w = A.scaled_dot_product_attention(Q, K, V, mask)
    c.no_warnings("fully masked rows: no nan, no warning", lambda: both(Q, K, V, mask)[1],
                  hint="a row whose mask is all False has max = -inf and sum = 0: replace that max by 0 "
                       "and divide by 1 where the sum is 0, so the row is all zeros")
    c.close("fully masked rows: weights are all 0", lambda: both(Q, K, V, mask)[1], ref_w,
            hint="a query that may see nothing gets zero weights (and a zero output), not uniform weights")
    c.close("padding mask: out (4, 2)", lambda: both(Q, K, V, mask)[0], ref_out)


# --- 16.positional_encoding ------------------------------------------------------------------

@register("16.positional_encoding", points=1, forbid=("dlcourse.transformer.positional_encoding",),
          title="positional_encoding(T, d) -> (T, d)",
          hint="PE[pos, 2i] = sin(pos / 10000**(2i/d)), PE[pos, 2i+1] = cos(pos / 10000**(2i/d)): the "
               "sin and the cos of one pair share the same rate; positions start at 0")
def check_positional_encoding(positional_encoding, c):
    for T, d in ((10, 16), (7, 6), (5, 7)):
        c.close(f"T = {T}, d = {d}", lambda T=T, d=d: positional_encoding(T, d),
                transformer.positional_encoding(T, d),
                hint="even columns 2i hold sin, odd columns 2i+1 hold cos, both of pos / 10000**(2i/d)"
                     + ("; with an odd d the last column is a sin" if d % 2 else ""))
