"""Typical wrong answers for the checks of chapter 16 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse import attention as A
from dlcourse import transformer


def _softmax(s, axis=-1):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# --- AttentionWeight ---------------------------------------------------------------------

class _AttentionWeight:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, hs, h):
        self.hs, self.h = hs, h
        self.a = _softmax(np.sum(hs * h[:, None, :], axis=2), axis=1)
        return self.a

    def _ds(self, da):
        return self.a * (da - np.sum(da * self.a, axis=1, keepdims=True))

    def backward(self, da):
        ds = self._ds(da)
        return ds[:, :, None] * self.h[:, None, :], np.sum(ds[:, :, None] * self.hs, axis=1)


class _AWSoftmaxOverBatch(_AttentionWeight):
    def forward(self, hs, h):
        self.hs, self.h = hs, h
        self.a = _softmax(np.sum(hs * h[:, None, :], axis=2), axis=0)     # over N, not T
        return self.a


class _AWNoSoftmaxBackward(_AttentionWeight):
    def _ds(self, da):
        return da                                                      # forgot the softmax Jacobian


class _AWDhNotSummed(_AttentionWeight):
    def backward(self, da):
        dhs, _ = super().backward(da)
        return dhs, np.sum(self._ds(da)[:, :, None] * self.hs, axis=2)    # wrong axis: (N, T)


class _AWDhFromLastStep(_AttentionWeight):
    def backward(self, da):
        ds = self._ds(da)
        return ds[:, :, None] * self.h[:, None, :], ds[:, -1, None] * self.hs[:, -1]   # one step only


class _AWNoShift(_AttentionWeight):
    def forward(self, hs, h):
        self.hs, self.h = hs, h
        e = np.exp(np.sum(hs * h[:, None, :], axis=2))                 # overflows for large scores
        self.a = e / e.sum(axis=1, keepdims=True)
        return self.a


class _AWSignFlipped(_AttentionWeight):
    def backward(self, da):
        dhs, dh = super().backward(da)
        return -dhs, -dh


# --- WeightSum -----------------------------------------------------------------------------

class _WeightSum:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, hs, a):
        self.hs, self.a = hs, a
        return np.sum(a[:, :, None] * hs, axis=1)

    def backward(self, dc):
        return self.a[:, :, None] * dc[:, None, :], np.sum(self.hs * dc[:, None, :], axis=2)


class _WSMean(_WeightSum):
    def forward(self, hs, a):
        self.hs, self.a = hs, a
        return np.mean(a[:, :, None] * hs, axis=1)                     # mean instead of sum


class _WSForgotWeights(_WeightSum):
    def backward(self, dc):
        _, da = super().backward(dc)
        return np.broadcast_to(dc[:, None, :], self.hs.shape).copy(), da   # dhs without a


class _WSDaWrongAxis(_WeightSum):
    def backward(self, dc):
        dhs, _ = super().backward(dc)
        return dhs, np.sum(self.hs * dc[:, None, :], axis=1)            # (N, H) instead of (N, T)


class _WSSwapped(_WeightSum):
    def backward(self, dc):
        dhs, da = super().backward(dc)
        return da, dhs                                                   # in the wrong order


# --- masked attention ------------------------------------------------------------------------

def _masked(Q, K, V, mask, scale=None, fill=-np.inf, guard=True, renormalise=True):
    d = Q.shape[-1]
    s = Q @ np.swapaxes(K, -1, -2) / (np.sqrt(d) if scale is None else scale)
    if mask is None:
        w = _softmax(s)
    elif not renormalise:
        w = _softmax(s) * mask
    else:
        s = np.where(mask, s, fill)
        m = s.max(axis=-1, keepdims=True)
        if guard:
            m = np.where(np.isfinite(m), m, 0.0)
        e = np.exp(s - m)
        total = e.sum(axis=-1, keepdims=True)
        w = e / (np.where(total > 0, total, 1.0) if guard else total)
    return w @ V, w


def _attention_no_scaling(Q, K, V, mask=None):
    return _masked(Q, K, V, mask, scale=1.0)


def _attention_scaled_by_d(Q, K, V, mask=None):
    return _masked(Q, K, V, mask, scale=float(Q.shape[-1]))


def _attention_mask_after_softmax(Q, K, V, mask=None):
    return _masked(Q, K, V, mask, renormalise=False)


def _attention_large_negative(Q, K, V, mask=None):
    return _masked(Q, K, V, mask, fill=-1e9)            # fully masked rows come out uniform


def _attention_no_guard(Q, K, V, mask=None):
    return _masked(Q, K, V, mask, guard=False)          # fully masked rows become nan


def _attention_mask_inverted(Q, K, V, mask=None):
    return _masked(Q, K, V, None if mask is None else ~np.asarray(mask))


def _attention_softmax_over_queries(Q, K, V, mask=None):
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    w = _softmax(s, axis=-2)
    return w @ V, w


# --- positional encoding ------------------------------------------------------------------------

def _pe(T, d, swap=False, own_rate=False, halves=False, start=0):
    pos = np.arange(start, start + T)[:, None]
    cols = np.arange(d)
    rate_cols = cols if own_rate else cols - cols % 2          # 2i for both members of a pair
    angles = pos / 10000.0 ** (rate_cols / d)
    sin, cos = np.sin(angles), np.cos(angles)
    if halves:
        h = (d + 1) // 2
        rates = 10000.0 ** (-np.arange(0, d, 2) / d)
        return np.concatenate([np.sin(pos * rates), np.cos(pos * rates)[:, : d - h]], axis=1)
    even = cols % 2 == 0
    return np.where(even ^ swap, sin, cos)


def _pe_swapped(T, d):
    return _pe(T, d, swap=True)


def _pe_own_rate(T, d):
    return _pe(T, d, own_rate=True)


def _pe_halves(T, d):
    return _pe(T, d, halves=True)


def _pe_from_one(T, d):
    return _pe(T, d, start=1)


class _BorrowedWeightSum(A.WeightSum):
    """Borrows the library's layer instead of writing one."""


MUTANTS = {
    "16.attention_weight": [
        ("softmax over the batch axis", _AWSoftmaxOverBatch),
        ("backward forgets the softmax", _AWNoSoftmaxBackward),
        ("dh summed over the wrong axis", _AWDhNotSummed),
        ("dh from the last step only", _AWDhFromLastStep),
        ("no max shift: overflow", _AWNoShift),
        ("gradients' sign flipped", _AWSignFlipped),
        ("the library's AttentionWeight", A.AttentionWeight),
    ],
    "16.weight_sum": [
        ("mean instead of sum", _WSMean),
        ("dhs forgets the weights", _WSForgotWeights),
        ("da summed over the wrong axis", _WSDaWrongAxis),
        ("gradients returned in the wrong order", _WSSwapped),
        ("a subclass of the library's WeightSum", _BorrowedWeightSum),
    ],
    "16.masked_attention": [
        ("no 1/√d scaling", _attention_no_scaling),
        ("scaled by 1/d", _attention_scaled_by_d),
        ("mask applied after the softmax", _attention_mask_after_softmax),
        ("-1e9 instead of -inf", _attention_large_negative),
        ("fully masked rows give nan", _attention_no_guard),
        ("mask inverted", _attention_mask_inverted),
        ("softmax over the queries", _attention_softmax_over_queries),
        ("the library's function", A.scaled_dot_product_attention),
    ],
    "16.positional_encoding": [
        ("sin and cos swapped", _pe_swapped),
        ("each column its own rate", _pe_own_rate),
        ("sin half then cos half", _pe_halves),
        ("positions start at 1", _pe_from_one),
        ("the library's function", transformer.positional_encoding),
    ],
}
