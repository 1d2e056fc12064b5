"""Two small variants of the plain tanh RNN for long time lags: leaky units and skip connections.

Chapter 13 uses them to show how the gradient flows back over many time
steps (seed 004: "leaky unit", "skip connection"). Both are sequence layers
that follow the layer contract of DESIGN.md (``params``/``grads`` lists,
``forward(xs)`` with xs of shape (N, T, D), ``backward(dhs)``) and start
from a zero state on every forward.

* :class:`TimeLeakyRNN` mixes the old state with the new one,
  ``h_t = (1 - alpha) h_{t-1} + alpha tanh(x_t Wx + h_{t-1} Wh + b)``:
  a moving average whose memory lasts about ``1 / alpha`` steps. With
  ``alpha = 1`` it is the plain RNN of :class:`dlcourse.rnn.TimeRNN`.
* :class:`TimeSkipRNN` adds a connection that jumps ``d`` steps,
  ``h_t = tanh(x_t Wx + h_{t-1} Wh + h_{t-d} Ws + b)``: a signal needs only
  about ``k / d`` multiplications to travel ``k`` steps.

After ``backward`` both keep ``dhs`` (N, T, H): the total gradient that
reached each hidden state h_t, the quantity whose norm chapter 13 plots
against the number of steps back.
"""
from __future__ import annotations

import numpy as np

__all__ = ["TimeLeakyRNN", "TimeSkipRNN"]


def _check_weights(where, Wx, Wh, b):
    D, H = Wx.shape
    if Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError(f"{where}: expected Wx (D, H), Wh (H, H), b (H,) with H = {H}, "
                         f"got Wx {Wx.shape}, Wh {Wh.shape}, b {b.shape}")


def _check_xs(where, xs, D):
    if xs.ndim != 3 or xs.shape[2] != D:
        raise ValueError(f"{where}: expected xs of shape (N, T, {D}), got {xs.shape}")


class TimeLeakyRNN:
    """A tanh RNN whose units are leaky integrators, run over a whole sequence.

    Parameters
    ----------
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)
    alpha : float or ndarray of shape (H,)
        The leak rate in (0, 1] of each unit (fixed, not trained). 1 gives the plain RNN.

    Notes
    -----
    With ``g_t = tanh(x_t Wx + h_{t-1} Wh + b)`` and ``h_{-1} = 0``::

        h_t = (1 - alpha) h_{t-1} + alpha g_t
        dL/dh_{t-1} = (1 - alpha) dL/dh_t + (alpha dL/dh_t (1 - g_t²)) Wh^T

    The first term of the backward is the shortcut: with a small alpha the
    gradient keeps a factor (1 - alpha) per step, whatever Wh does (seed 004,
    leaky units give a moving-average effect).
    """

    def __init__(self, Wx, Wh, b, alpha=1.0):
        _check_weights("TimeLeakyRNN", Wx, Wh, b)
        alpha = np.asarray(alpha, dtype=Wx.dtype)
        if np.any(alpha <= 0) or np.any(alpha > 1) or alpha.shape not in ((), (Wx.shape[1],)):
            raise ValueError(f"TimeLeakyRNN: expected alpha in (0, 1], a number or shape ({Wx.shape[1]},), "
                             f"got {alpha!r}")
        self.alpha = alpha
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.dhs = None

    def forward(self, xs):
        """xs (N, T, D) -> hs (N, T, H), from h_{-1} = 0."""
        Wx, Wh, b = self.params
        _check_xs("TimeLeakyRNN.forward", xs, Wx.shape[0])
        N, T, D = xs.shape
        a = self.alpha
        hs = np.empty((N, T, Wh.shape[0]), dtype=Wx.dtype)
        gs = np.empty_like(hs)
        h = np.zeros((N, Wh.shape[0]), dtype=Wx.dtype)
        xw = xs @ Wx + b                                      # (N, T, H): the input part of every step at once
        for t in range(T):
            gs[:, t] = np.tanh(xw[:, t] + h @ Wh)
            h = (1 - a) * h + a * gs[:, t]
            hs[:, t] = h
        self.xs, self.hs, self.gs = xs, hs, gs
        return hs

    def backward(self, dhs):
        """dhs (N, T, H) -> dxs (N, T, D); fills grads = [dWx, dWh, db] and keeps self.dhs."""
        Wx, Wh, b = self.params
        N, T, H = self.hs.shape
        a = self.alpha
        total = np.empty_like(self.hs)                        # dL/dh_t, all paths
        das = np.empty_like(self.hs)                          # dL/d(pre-activation) at t
        carry = np.zeros((N, H), dtype=self.hs.dtype)         # gradient from step t+1 into h_t
        for t in reversed(range(T)):
            dh = dhs[:, t] + carry
            total[:, t] = dh
            das[:, t] = a * dh * (1 - self.gs[:, t] ** 2)
            carry = (1 - a) * dh + das[:, t] @ Wh.T
        h_prev = np.concatenate([np.zeros((N, 1, H), dtype=self.hs.dtype), self.hs[:, :-1]], axis=1)
        self.grads[0][...] = np.einsum("ntd,nth->dh", self.xs, das)
        self.grads[1][...] = np.einsum("ntg,nth->gh", h_prev, das)
        self.grads[2][...] = das.sum(axis=(0, 1))
        self.dhs = total
        return das @ Wx.T


class TimeSkipRNN:
    """A tanh RNN with an extra recurrent connection from ``d`` steps back.

    Parameters
    ----------
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
        Weights from h_{t-1}.
    Ws : ndarray, shape (H, H)
        Weights of the skip connection from h_{t-d}.
    b : ndarray, shape (H,)
    d : int
        Length of the skip in time steps, >= 2.

    Notes
    -----
    With ``h_t = 0`` for t < 0::

        h_t = tanh(x_t Wx + h_{t-1} Wh + h_{t-d} Ws + b)
        dL/dh_t collects (da_{t+1}) Wh^T and (da_{t+d}) Ws^T,  da_t = dL/dh_t (1 - h_t²)

    A gradient can reach k steps back through about k / d tanh factors instead
    of k (seed 004: skip connections against long-term dependencies).
    """

    def __init__(self, Wx, Wh, Ws, b, d=2):
        _check_weights("TimeSkipRNN", Wx, Wh, b)
        if Ws.shape != Wh.shape:
            raise ValueError(f"TimeSkipRNN: expected Ws of shape {Wh.shape}, got {Ws.shape}")
        if int(d) != d or d < 2:
            raise ValueError(f"TimeSkipRNN: expected a skip length d >= 2, got {d!r}")
        self.d = int(d)
        self.params = [Wx, Wh, Ws, b]
        self.grads = [np.zeros_like(p) for p in self.params]
        self.dhs = None

    def forward(self, xs):
        """xs (N, T, D) -> hs (N, T, H), from zero states."""
        Wx, Wh, Ws, b = self.params
        _check_xs("TimeSkipRNN.forward", xs, Wx.shape[0])
        N, T, D = xs.shape
        H, d = Wh.shape[0], self.d
        hs = np.zeros((N, T + d, H), dtype=Wx.dtype)         # d leading zero states: hs[:, t + d] is h_t
        xw = xs @ Wx + b
        for t in range(T):
            hs[:, t + d] = np.tanh(xw[:, t] + hs[:, t + d - 1] @ Wh + hs[:, t] @ Ws)
        self.xs, self.padded = xs, hs
        self.hs = hs[:, d:]
        return self.hs

    def backward(self, dhs):
        """dhs (N, T, H) -> dxs (N, T, D); fills grads = [dWx, dWh, dWs, db] and keeps self.dhs."""
        Wx, Wh, Ws, b = self.params
        N, T, H = self.hs.shape
        d = self.d
        total = np.zeros((N, T + d, H), dtype=self.hs.dtype)  # dL/dh_t at index t + d
        total[:, d:] = dhs
        das = np.empty_like(self.hs)
        for t in reversed(range(T)):
            das[:, t] = total[:, t + d] * (1 - self.hs[:, t] ** 2)
            total[:, t + d - 1] += das[:, t] @ Wh.T
            total[:, t] += das[:, t] @ Ws.T
        P = self.padded
        self.grads[0][...] = np.einsum("ntd,nth->dh", self.xs, das)
        self.grads[1][...] = np.einsum("ntg,nth->gh", P[:, d - 1:-1], das)
        self.grads[2][...] = np.einsum("ntg,nth->gh", P[:, :T], das)
        self.grads[3][...] = das.sum(axis=(0, 1))
        self.dhs = total[:, d:]
        return das @ Wx.T
