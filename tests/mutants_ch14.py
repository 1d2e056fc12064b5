"""Typical wrong answers for the checks of chapter 14 (merged by tests/mutants.py).

The cell mutants subclass a correct cell and break one thing, as a learner would.
"""
import numpy as np

from dlcourse.functions import sigmoid


# --- LSTM forward ---------------------------------------------------------------------------

class _LSTM:
    def __init__(self, Wx, Wh, b):
        self.params, self.grads = [Wx, Wh, b], [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]

    def _gates(self, a, H):
        return sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])

    def forward(self, x, h_prev, c_prev):
        Wx, Wh, b = self.params
        H = Wh.shape[0]
        f, g, i, o = self._gates(x @ Wx + h_prev @ Wh + b, H)
        c_next = f * c_prev + g * i
        self.cache = (x, h_prev, c_prev, f, g, i, o, np.tanh(c_next))
        return o * np.tanh(c_next), c_next

    def backward(self, dh_next, dc_next):
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        dc = dc_next + dh_next * o * (1 - tc ** 2)
        da = self._da(dh_next, dc)
        self.grads[0][...], self.grads[1][...] = x.T @ da, h_prev.T @ da
        self.grads[2][...] = da.sum(axis=0)
        return da @ self.params[0].T, da @ self.params[1].T, dc * f

    def _da(self, dh_next, dc):
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        return np.hstack([dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                          dc * g * i * (1 - i), dh_next * tc * o * (1 - o)])


class _LSTMOrderIFGO(_LSTM):
    def _gates(self, a, H):                                   # blocks read as i, f, g, o
        i, f, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
        return f, g, i, o


class _LSTMNoTanhOnC(_LSTM):
    def forward(self, x, h_prev, c_prev):
        h, c = super().forward(x, h_prev, c_prev)
        return self.cache[6] * c, c                           # h = o * c, forgot tanh


class _LSTMNoInputGate(_LSTM):
    def forward(self, x, h_prev, c_prev):
        super().forward(x, h_prev, c_prev)
        _, _, _, f, g, i, o, _ = self.cache
        c = f * c_prev + g                                    # forgot the input gate
        return o * np.tanh(c), c


class _LSTMSigmoidCandidate(_LSTM):
    def _gates(self, a, H):
        f, _, i, o = super()._gates(a, H)
        return f, sigmoid(a[:, H:2 * H]), i, o               # g squashed by sigmoid, not tanh


class _LSTMForgetsCPrev(_LSTM):
    def forward(self, x, h_prev, c_prev):
        h, c = super().forward(x, h_prev, c_prev)
        _, _, _, f, g, i, o, _ = self.cache
        c = f + g * i                                         # forget gate not multiplied by c_prev
        return o * np.tanh(c), c


# --- LSTM backward ---------------------------------------------------------------------------

class _LSTMDcPrevNoForget(_LSTM):
    def backward(self, dh_next, dc_next):
        dx, dh_prev, _ = super().backward(dh_next, dc_next)
        o, tc = self.cache[6], self.cache[7]
        return dx, dh_prev, dc_next + dh_next * o * (1 - tc ** 2)     # dc_prev = dc: forgot * f


class _LSTMDcIgnoresDh(_LSTM):
    def backward(self, dh_next, dc_next):
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        dc = dc_next                                          # forgot dh_next's share through tanh(c)
        da = self._da(dh_next, dc)
        self.grads[0][...], self.grads[1][...] = x.T @ da, h_prev.T @ da
        self.grads[2][...] = da.sum(axis=0)
        return da @ self.params[0].T, da @ self.params[1].T, dc * f


class _LSTMdWhWithHNext(_LSTM):
    def backward(self, dh_next, dc_next):
        out = super().backward(dh_next, dc_next)
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        h_next = o * tc
        self.grads[1][...] = h_next.T @ self._da(dh_next, dc_next + dh_next * o * (1 - tc ** 2))
        return out


class _LSTMTanhDerivSign(_LSTM):
    def _da(self, dh_next, dc):
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        return np.hstack([dc * c_prev * f * (1 - f), dc * i * (1 + g ** 2),      # 1 + g² instead of 1 - g²
                          dc * g * i * (1 - i), dh_next * tc * o * (1 - o)])


class _LSTMGradsRebound(_LSTM):
    def backward(self, dh_next, dc_next):
        out = super().backward(dh_next, dc_next)
        self.grads = [np.zeros_like(g) for g in self.grads]  # new lists: the optimiser's arrays stay 0
        self.grads[2] = np.zeros(1)
        return out


# --- GRU backward ---------------------------------------------------------------------------

class _GRU:
    def __init__(self, Wx, Wh, b):
        self.params, self.grads = [Wx, Wh, b], [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]

    def forward(self, x, h_prev):
        Wx, Wh, b = self.params
        H = h_prev.shape[1]
        z = sigmoid(x @ Wx[:, :H] + h_prev @ Wh[:, :H] + b[:H])
        r = sigmoid(x @ Wx[:, H:2 * H] + h_prev @ Wh[:, H:2 * H] + b[H:2 * H])
        h_hat = np.tanh(x @ Wx[:, 2 * H:] + (r * h_prev) @ Wh[:, 2 * H:] + b[2 * H:])
        self.cache = (x, h_prev, z, r, h_hat)
        return z * h_prev + (1 - z) * h_hat

    # switches the mutants flip
    direct, reset_path, dz_sign, rh_in_dWhh, tanh_square = True, True, 1.0, True, True

    def backward(self, dh_next):
        (Wx, Wh, _), (x, h_prev, z, r, h_hat) = self.params, self.cache
        H = h_prev.shape[1]
        deriv = (1 - h_hat ** 2) if self.tanh_square else (1 - h_hat)
        da_h = dh_next * (1 - z) * deriv
        d_rh = da_h @ Wh[:, 2 * H:].T
        da_z = self.dz_sign * dh_next * (h_prev - h_hat) * z * (1 - z)
        da_r = d_rh * h_prev * r * (1 - r)
        da = np.hstack([da_z, da_r, da_h])
        self.grads[0][...], self.grads[2][...] = x.T @ da, da.sum(axis=0)
        cand_in = r * h_prev if self.rh_in_dWhh else h_prev
        self.grads[1][...] = np.hstack([h_prev.T @ da[:, :2 * H], cand_in.T @ da_h])
        dh_prev = da[:, :2 * H] @ Wh[:, :2 * H].T
        if self.direct:
            dh_prev = dh_prev + dh_next * z
        if self.reset_path:
            dh_prev = dh_prev + d_rh * r
        return da @ Wx.T, dh_prev


class _GRUNoDirect(_GRU):
    direct = False            # forgot h_prev's direct path z * h_prev


class _GRUNoResetPath(_GRU):
    reset_path = False        # forgot the path through r * h_prev


class _GRUDzSign(_GRU):
    dz_sign = -1.0            # dz = dh (h_hat - h_prev)


class _GRUdWhhWithoutR(_GRU):
    rh_in_dWhh = False        # dWhh = h_prev.T @ da_h: the reset gate forgotten


class _GRUTanhDeriv(_GRU):
    tanh_square = False       # 1 - h_hat instead of 1 - h_hat²


MUTANTS = {
    "14.lstm_forward": [
        ("gate order i, f, g, o", _LSTMOrderIFGO),
        ("h = o * c (no tanh)", _LSTMNoTanhOnC),
        ("forgot the input gate", _LSTMNoInputGate),
        ("sigmoid candidate", _LSTMSigmoidCandidate),
        ("forget gate not times c_prev", _LSTMForgetsCPrev),
    ],
    "14.lstm_backward": [
        ("dc_prev without the forget gate", _LSTMDcPrevNoForget),
        ("dc misses dh_next's share", _LSTMDcIgnoresDh),
        ("dWh with h_next", _LSTMdWhWithHNext),
        ("tanh derivative 1 + g²", _LSTMTanhDerivSign),
        ("grads rebound, not filled", _LSTMGradsRebound),
    ],
    "14.gru_backward": [
        ("no direct path z * dh", _GRUNoDirect),
        ("no path through r * h", _GRUNoResetPath),
        ("dz sign flipped", _GRUDzSign),
        ("dWhh without r", _GRUdWhhWithoutR),
        ("tanh derivative 1 - h", _GRUTanhDeriv),
    ],
    "14.count_params": [
        ("forgot the bias", lambda kind, D, H: {"rnn": 1, "lstm": 4, "gru": 3}[kind] * (D * H + H * H)),
        ("GRU with 4 blocks", lambda kind, D, H: {"rnn": 1, "lstm": 4, "gru": 4}[kind] * (D * H + H * H + H)),
        ("no recurrent weights", lambda kind, D, H: {"rnn": 1, "lstm": 4, "gru": 3}[kind] * (D * H + H)),
        ("D + H instead of D·H", lambda kind, D, H: {"rnn": 1, "lstm": 4, "gru": 3}[kind] * (D + H * H + H)),
    ],
}
