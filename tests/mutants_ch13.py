"""Typical wrong answers for the checks of chapter 13 (merged by tests/mutants.py).

The layer mutants subclass a correct layer and break one thing, as a learner would.
"""
import numpy as np


# --- RNNCell ------------------------------------------------------------------------------

class _Cell:
    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]

    def forward(self, x, h_prev):
        Wx, Wh, b = self.params
        self.x, self.h_prev = x, h_prev
        self.h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
        return self.h_next

    def _da(self, dh_next):
        return dh_next * (1 - self.h_next ** 2)

    def backward(self, dh_next):
        Wx, Wh, b = self.params
        da = self._da(dh_next)
        self.grads[0][...] = self.x.T @ da
        self.grads[1][...] = self.h_prev.T @ da
        self.grads[2][...] = da.sum(axis=0)
        return da @ Wx.T, da @ Wh.T


class _CellDerivativeOfInput(_Cell):
    def _da(self, dh_next):
        return dh_next * (1 - self.h_prev ** 2)           # tanh' at the wrong state


class _CellNoDerivative(_Cell):
    def _da(self, dh_next):
        return dh_next                                     # forgot tanh'


class _CellNoTranspose(_Cell):
    def backward(self, dh_next):
        dx, _ = super().backward(dh_next)
        return dx, self._da(dh_next) @ self.params[1]      # Wh instead of Wh.T


class _CellDWhFromOutput(_Cell):
    def backward(self, dh_next):
        out = super().backward(dh_next)
        self.grads[1][...] = self.h_next.T @ self._da(dh_next)   # h_next instead of h_prev
        return out


class _CellNoBias(_Cell):
    def forward(self, x, h_prev):
        Wx, Wh, b = self.params
        self.x, self.h_prev = x, h_prev
        self.h_next = np.tanh(x @ Wx + h_prev @ Wh)        # forgot + b
        return self.h_next


class _CellSigmoid(_Cell):
    def forward(self, x, h_prev):
        Wx, Wh, b = self.params
        self.x, self.h_prev = x, h_prev
        self.h_next = 1 / (1 + np.exp(-(x @ Wx + h_prev @ Wh + b)))   # sigmoid, not tanh
        return self.h_next


class _CellSwappedOutputs(_Cell):
    def backward(self, dh_next):
        dx, dh_prev = super().backward(dh_next)
        return dh_prev, dx                                 # pair in the wrong order


# --- bptt ----------------------------------------------------------------------------------

def _bptt(xs, hs, Wx, Wh, dhs, carry=True, slope_of_prev=False, wrap=False, dWh_from_h=False,
          overwrite=False, no_transpose=False, forwards=False):
    """A correct BPTT, or one with a single typical mistake switched on."""
    N, T, H = hs.shape
    dxs, dWx, dWh, db = np.zeros_like(xs), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    dh = np.zeros((N, H))
    for t in (range(T) if forwards else reversed(range(T))):
        h_prev = hs[:, t - 1] if (t > 0 or wrap) else np.zeros((N, H))
        slope = 1 - (h_prev if slope_of_prev else hs[:, t]) ** 2
        da = ((dhs[:, t] + dh) if carry else dhs[:, t]) * slope
        dxs[:, t], dh = da @ Wx.T, da @ (Wh if no_transpose else Wh.T)
        terms = (xs[:, t].T @ da, (hs[:, t] if dWh_from_h else h_prev).T @ da, da.sum(axis=0))
        dWx, dWh, db = terms if overwrite else (dWx + terms[0], dWh + terms[1], db + terms[2])
    return dxs, dWx, dWh, db


def _mutant(**wrong):
    return lambda xs, hs, Wx, Wh, dhs: _bptt(xs, hs, Wx, Wh, dhs, **wrong)


# --- jacobian_norms -------------------------------------------------------------------------

def _jac(hs, Wh, factor, norm=lambda M: np.linalg.norm(M, 2), right=True):
    T, H = hs.shape
    M, out = np.eye(H), np.ones(T)
    for k in range(1, T):
        J = factor(hs, Wh, T, k)
        M = M @ J if right else J @ M
        out[k] = norm(M)
    return out


def _right(hs, Wh, T, k):
    return (1 - hs[T - k] ** 2)[:, None] * Wh.T


MUTANTS = {
    "13.rnn_cell": [
        ("tanh' taken at h_prev", _CellDerivativeOfInput),
        ("forgot tanh'", _CellNoDerivative),
        ("dh_prev = da @ Wh (no transpose)", _CellNoTranspose),
        ("dWh from h_next", _CellDWhFromOutput),
        ("forgot the bias", _CellNoBias),
        ("sigmoid instead of tanh", _CellSigmoid),
        ("returns (dh_prev, dx)", _CellSwappedOutputs),
    ],
    "13.bptt": [
        ("no gradient from the next step", _mutant(carry=False)),
        ("tanh' taken at h_(t-1)", _mutant(slope_of_prev=True)),
        ("h_(-1) = hs[:, -1] (index wraps round)", _mutant(wrap=True)),
        ("dWh from h_t instead of h_(t-1)", _mutant(dWh_from_h=True)),
        ("weight gradients overwritten, not summed", _mutant(overwrite=True)),
        ("dh = da @ Wh (no transpose)", _mutant(no_transpose=True)),
        ("walks forwards in time", _mutant(forwards=True)),
        ("returns only dxs", lambda xs, hs, Wx, Wh, dhs: _bptt(xs, hs, Wx, Wh, dhs)[0]),
    ],
    "13.jacobian_norms": [
        ("Wh not transposed", lambda hs, Wh: _jac(hs, Wh, lambda h, W, T, k: (1 - h[T - k] ** 2)[:, None] * W)),
        ("forgot tanh'", lambda hs, Wh: _jac(hs, Wh, lambda h, W, T, k: W.T)),
        ("tanh' one step off", lambda hs, Wh: _jac(hs, Wh, lambda h, W, T, k: (1 - h[T - k - 1] ** 2)[:, None] * W.T)),
        ("Frobenius norm", lambda hs, Wh: _jac(hs, Wh, _right, norm=np.linalg.norm)),
        ("multiplied on the left", lambda hs, Wh: _jac(hs, Wh, _right, right=False)),
        ("derivative as a column scale", lambda hs, Wh: _jac(hs, Wh, lambda h, W, T, k: W.T * (1 - h[T - k] ** 2))),
    ],
}
