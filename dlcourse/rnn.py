"""Recurrent networks: cells, layers that run a cell over time, and the echo state network.

A recurrent cell maps one time step, ``(x_t, state_{t-1}) -> state_t``; a
``Time*`` layer runs the same cell over a whole sequence ``(N, T, D)`` and
back-propagates through time (BPTT). Chapters 13-16 build on this module.

Shapes: ``x`` (N, D) for one step, ``xs`` (N, T, D) for a sequence, hidden
states ``h`` and memory cells ``c`` (N, H). The gate blocks sit side by side
in the columns of ``Wx`` (D, G·H), ``Wh`` (H, G·H) and ``b`` (G·H,):

========  ===  ==========================================================
cell      G    column blocks, in order
========  ===  ==========================================================
RNN       1    tanh unit
LSTM      4    f (forget), g (candidate), i (input), o (output)
GRU       3    z (update), r (reset), candidate
========  ===  ==========================================================

Every cell keeps its maths in two methods, ``_step(ax, state)`` and
``_step_back(dstate, cache)``, where ``ax = x Wx + b`` is the input's share of
the pre-activations. A cell's ``forward`` computes ``ax`` for one step; a
``Time*`` layer computes it for all T steps in one matrix product, loops the
same ``_step`` over time, and in backward turns all T gradients ``d ax`` into
``dWx``, ``db`` and ``dxs`` with one product each. So the cell and the layer
share every line of maths, and the test that unrolls a cell step by step
checks BPTT.

Beside the cells and their layers the module holds what the chapters build
from them: :class:`TimeLeakyRNN` and :class:`TimeSkipRNN` (leaky units and
skip connections for long lags, chapter 13), :class:`Bidirectional`, the
:class:`EchoStateNetwork` (chapter 13), and small models with the
``models.train`` interface: :class:`SequenceClassifier` (chapter 14's
memory task), :class:`SequenceTagger` (chapter 13's bidirectional task),
:class:`BiGRUClassifier` and :func:`mnist1d_gru` (MNIST-1D, chapters 14 and
17). ``TimeAffine`` is :class:`dlcourse.layers.Linear` on (N·T, H) rows.

Seeds: 000 p.30, 32 (RNN, LSTM); 001 §7.3.3; 003 §9.5; 004 (CEC, gates,
peephole, GRU, echo state networks, leaky units, skip connections).
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F
from dlcourse import layers as L
from dlcourse import optim
from dlcourse.validation import as_float, check_choice, check_dout, check_shape

__all__ = [
    "RNNCell", "LSTMCell", "GRUCell", "TimeRNN", "TimeLSTM", "TimeGRU",
    "TimeEmbedding", "TimeAffine", "TimeSoftmaxWithLoss", "Bidirectional",
    "TimeLeakyRNN", "TimeSkipRNN", "EchoStateNetwork", "clip_grads", "init_recurrent",
    "TIME_LAYERS", "SequenceClassifier", "SequenceTagger", "BiGRUClassifier", "mnist1d_gru",
]


def _sigmoid(a):
    """σ(a) = ½(1 + tanh(a/2)): exact, overflow-free, and keeps float32 as float32.

    The gates use this form rather than :func:`dlcourse.functions.sigmoid`
    (which picks 1/(1 + e^-a) or e^a/(1 + e^a) by the sign of a): both are
    σ, but their results differ in the last bits, and every recurrent
    number the lessons of chapters 13-16 print was computed with this one.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _check_recurrent(name, Wx, Wh, b, G=1):
    """Wx (D, G·H), Wh (H, G·H), b (G·H,) as float arrays; the message names what is wrong."""
    Wx, Wh, b = as_float(Wx), as_float(Wh), as_float(b)
    if Wh.ndim != 2 or Wh.shape[1] != G * Wh.shape[0]:
        raise ValueError(f"{name}: expected Wh of shape (H, {G}·H), got {Wh.shape}")
    H = Wh.shape[0]
    if Wx.ndim != 2 or Wx.shape[1] != G * H:
        raise ValueError(f"{name}: expected Wx of shape (D, {G * H}) to match Wh {Wh.shape}, got {Wx.shape}")
    check_shape(name, "b", b, (G * H,))
    return Wx, Wh, b


# --- cells: one time step ---------------------------------------------------------

class _Cell:
    """What every cell shares: parameter checks, ``forward`` for one step, ``backward``.

    Subclasses set ``n_gates``, ``state_names`` and ``gate_names`` and write
    ``_step`` and ``_step_back``.
    """

    n_gates = 1
    state_names = ("h",)
    gate_names = ()

    def __init__(self, Wx, Wh, b, *extra):
        Wx, Wh, b = _check_recurrent(type(self).__name__, Wx, Wh, b, self.n_gates)
        self.params = [Wx, Wh, b, *extra]
        self.grads = [np.zeros_like(p) for p in self.params]
        self.x = self.cache = None

    @property
    def hidden_size(self):
        return self.params[1].shape[0]

    @property
    def gates(self):
        """The gate activations of the last forward step: name -> (N, H)."""
        return {k: self.cache[k] for k in self.gate_names}

    def _check_step(self, x, state):
        name, (D, _), H = type(self).__name__, self.params[0].shape, self.hidden_size
        x = as_float(x)
        check_shape(f"{name}.forward", "x", x, ("N", D))
        state = tuple(as_float(s) for s in state)
        for s_name, s in zip(self.state_names, state):
            check_shape(f"{name}.forward", f"{s_name}_prev", s, (x.shape[0], H))
        return x, state

    def forward(self, x, *state):
        """One step. ``x`` (N, D), state arrays (N, H) -> new state (N, H) each."""
        x, state = self._check_step(x, state)
        Wx, _, b = self.params[:3]
        self.x = x
        new, self.cache = self._step(x @ Wx + b, state)
        return new if len(new) > 1 else new[0]

    def backward(self, *dnew):
        """Gradients of one step: ``(dx, dh_prev[, dc_prev])``; fills ``grads``."""
        Wx = self.params[0]
        dnew = tuple(check_dout(f"{type(self).__name__}.backward", d, self.cache["h"].shape) for d in dnew)
        for g in self.grads:
            g[...] = 0
        dax, dstate = self._step_back(dnew, self.cache)
        self.grads[0][...] = self.x.T @ dax
        self.grads[2][...] = dax.sum(axis=0)
        return (dax @ Wx.T, *dstate)


class RNNCell(_Cell):
    """Elman RNN cell: h_next = tanh(x Wx + h_prev Wh + b).

    Parameters
    ----------
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)

    Notes
    -----
    ``forward(x (N, D), h_prev (N, H)) -> h_next (N, H)``;
    ``backward(dh_next) -> (dx, dh_prev)``. With ``da = dh_next ⊙ (1 − h_next²)``::

        dWx = xᵀ da,  dWh = h_prevᵀ da,  db = Σ_n da,  dx = da Wxᵀ,  dh_prev = da Whᵀ
    """

    def _step(self, ax, state):
        (h_prev,), Wh = state, self.params[1]
        h = np.tanh(ax + h_prev @ Wh)
        return (h,), {"h_prev": h_prev, "h": h}

    def _step_back(self, dstate, cache):
        (dh,), Wh = dstate, self.params[1]
        da = dh * (1.0 - cache["h"] ** 2)
        self.grads[1] += cache["h_prev"].T @ da
        return da, (da @ Wh.T,)


class LSTMCell(_Cell):
    """Long short-term memory cell, gate blocks in the order f, g, i, o.

    Parameters
    ----------
    Wx : ndarray, shape (D, 4H)
    Wh : ndarray, shape (H, 4H)
    b : ndarray, shape (4H,)
    peephole : ndarray, shape (3, H), optional
        Diagonal peephole weights: rows for f and i (which see ``c_prev``) and
        for o (which sees ``c_next``). When given it is ``params[3]``.

    Notes
    -----
    With ``a = x Wx + h_prev Wh + b`` split into four (N, H) blocks::

        f = σ(a_f [+ p_f ⊙ c_prev])     forget gate
        g = tanh(a_g)                   candidate
        i = σ(a_i [+ p_i ⊙ c_prev])     input gate
        c_next = f ⊙ c_prev + g ⊙ i     the memory cell (the CEC of seed 004)
        o = σ(a_o [+ p_o ⊙ c_next])     output gate
        h_next = o ⊙ tanh(c_next)

    ``forward(x, h_prev, c_prev) -> (h_next, c_next)``;
    ``backward(dh_next, dc_next) -> (dx, dh_prev, dc_prev)``. The gradient
    reaches ``c_prev`` through ``f`` alone, not through a squashing function:
    that is why it survives long lags.
    """

    n_gates = 4
    state_names = ("h", "c")
    gate_names = ("f", "g", "i", "o")

    def __init__(self, Wx, Wh, b, peephole=None):
        extra = () if peephole is None else (as_float(peephole),)
        super().__init__(Wx, Wh, b, *extra)
        if extra:
            check_shape("LSTMCell", "peephole", extra[0], (3, self.hidden_size))

    @property
    def peephole(self):
        return len(self.params) == 4

    def _step(self, ax, state):
        (h_prev, c_prev), Wh, H = state, self.params[1], self.hidden_size
        a = ax + h_prev @ Wh
        af, ag, ai, ao = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if self.peephole:
            P = self.params[3]
            af, ai = af + P[0] * c_prev, ai + P[1] * c_prev
        f, g, i = _sigmoid(af), np.tanh(ag), _sigmoid(ai)
        c = f * c_prev + g * i
        if self.peephole:
            ao = ao + P[2] * c
        o = _sigmoid(ao)
        tc = np.tanh(c)
        h = o * tc
        return (h, c), {"h_prev": h_prev, "c_prev": c_prev, "h": h, "c": c, "tc": tc,
                        "f": f, "g": g, "i": i, "o": o}

    def _step_back(self, dstate, cache):
        (dh, dc), Wh = dstate, self.params[1]
        f, g, i, o, tc, c_prev = (cache[k] for k in ("f", "g", "i", "o", "tc", "c_prev"))
        dao = dh * tc * o * (1.0 - o)
        dc = dc + dh * o * (1.0 - tc ** 2)
        if self.peephole:
            P, dP = self.params[3], self.grads[3]
            dc = dc + dao * P[2]
            dP[2] += np.sum(dao * cache["c"], axis=0)
        daf = dc * c_prev * f * (1.0 - f)
        dag = dc * i * (1.0 - g ** 2)
        dai = dc * g * i * (1.0 - i)
        dc_prev = dc * f
        if self.peephole:
            dc_prev = dc_prev + daf * P[0] + dai * P[1]
            dP[0] += np.sum(daf * c_prev, axis=0)
            dP[1] += np.sum(dai * c_prev, axis=0)
        da = np.concatenate([daf, dag, dai, dao], axis=1)
        self.grads[1] += cache["h_prev"].T @ da
        return da, (da @ Wh.T, dc_prev)


class GRUCell(_Cell):
    """Gated recurrent unit as in seed 004: blocks z, r, candidate.

    Parameters
    ----------
    Wx : ndarray, shape (D, 3H)
    Wh : ndarray, shape (H, 3H)
    b : ndarray, shape (3H,)

    Notes
    -----
    ::

        z = σ(x Wx_z + h Wh_z + b_z)               update gate
        r = σ(x Wx_r + h Wh_r + b_r)               reset gate
        h̃ = tanh(x Wx_h + (r ⊙ h) Wh_h + b_h)      candidate; r acts before the product
        h_next = z ⊙ h + (1 − z) ⊙ h̃

    ``forward(x, h_prev) -> h_next``; ``backward(dh_next) -> (dx, dh_prev)``.
    Backward, from the last line up::

        dz = dh ⊙ (h − h̃),   dh̃ = dh ⊙ (1 − z),   dh_prev = dh ⊙ z + ...
        da_h = dh̃ ⊙ (1 − h̃²);   dWh_h = (r ⊙ h)ᵀ da_h;   d(r ⊙ h) = da_h Wh_hᵀ
        dr = d(r ⊙ h) ⊙ h,   dh_prev += d(r ⊙ h) ⊙ r
        da_z = dz ⊙ z(1 − z),   da_r = dr ⊙ r(1 − r);   dh_prev += [da_z da_r] Wh_zrᵀ
    """

    n_gates = 3
    gate_names = ("z", "r", "candidate")

    def _step(self, ax, state):
        (h_prev,), Wh, H = state, self.params[1], self.hidden_size
        a_zr = ax[:, :2 * H] + h_prev @ Wh[:, :2 * H]
        z, r = _sigmoid(a_zr[:, :H]), _sigmoid(a_zr[:, H:])
        rh = r * h_prev
        hh = np.tanh(ax[:, 2 * H:] + rh @ Wh[:, 2 * H:])
        h = z * h_prev + (1.0 - z) * hh
        return (h,), {"h_prev": h_prev, "h": h, "z": z, "r": r, "rh": rh, "candidate": hh}

    def _step_back(self, dstate, cache):
        (dh,), Wh, dWh, H = dstate, self.params[1], self.grads[1], self.hidden_size
        h_prev, z, r, hh = (cache[k] for k in ("h_prev", "z", "r", "candidate"))
        da_h = dh * (1.0 - z) * (1.0 - hh ** 2)
        dWh[:, 2 * H:] += cache["rh"].T @ da_h
        drh = da_h @ Wh[:, 2 * H:].T
        da_z = dh * (h_prev - hh) * z * (1.0 - z)
        da_r = drh * h_prev * r * (1.0 - r)
        da_zr = np.concatenate([da_z, da_r], axis=1)
        dWh[:, :2 * H] += h_prev.T @ da_zr
        dh_prev = dh * z + drh * r + da_zr @ Wh[:, :2 * H].T
        return np.concatenate([da_zr, da_h], axis=1), (dh_prev,)


# --- layers over time: BPTT ----------------------------------------------------------

class _TimeLayer:
    """Runs ``cell_class`` over a sequence: ``xs`` (N, T, D) -> ``hs`` (N, T, H).

    ``stateful=False``: every forward starts from the state given to
    ``set_state`` (zeros when none was given). ``stateful=True``: every forward
    also carries the previous forward's last state over (truncated BPTT).
    """

    cell_class = _Cell

    def __init__(self, Wx, Wh, b, stateful=False, **cell_kw):
        self.cell = self.cell_class(Wx, Wh, b, **cell_kw)
        self.params, self.grads = self.cell.params, self.cell.grads
        self.stateful = stateful
        self._start = None      # initial state for the next forward, or None for zeros
        self.last = None        # final state of the last forward
        self.dstate = None      # gradient w.r.t. the initial state after backward
        self._caches = self.xs = self.xs_tm = None

    # -- state -------------------------------------------------------------------
    def set_state(self, h, c=None):
        """Start the next forward from ``h`` (N, H) (and ``c`` for an LSTM)."""
        state = (h,) if len(self.cell.state_names) == 1 else (h, np.zeros_like(h) if c is None else c)
        self._start = tuple(as_float(s) for s in state)

    def reset_state(self):
        """Start the next forward from zeros."""
        self._start = None

    h = property(lambda self: None if self.last is None else self.last[0],
                 doc="(N, H) hidden state after the last forward step.")
    c = property(lambda self: None if self.last is None else self.last[1],
                 doc="(N, H) memory cell after the last forward step (LSTM only).")
    dh = property(lambda self: None if self.dstate is None else self.dstate[0],
                  doc="(N, H) gradient w.r.t. the initial hidden state, after backward.")
    dc = property(lambda self: None if self.dstate is None else self.dstate[1],
                  doc="(N, H) gradient w.r.t. the initial memory cell, after backward (LSTM only).")

    @property
    def gates(self):
        """Gate activations of the last forward: name -> (N, T, H)."""
        return {k: np.stack([c[k] for c in self._caches], axis=1) for k in self.cell.gate_names}

    # -- forward and backward ----------------------------------------------------------
    def forward(self, xs):
        """``xs`` (N, T, D) -> ``hs`` (N, T, H)."""
        xs = as_float(xs)
        Wx, _, b = self.params[:3]
        name, D, H = type(self).__name__, Wx.shape[0], self.cell.hidden_size
        check_shape(f"{name}.forward", "xs", xs, ("N", "T", D))
        N, T, _ = xs.shape
        state = self._start
        if state is None or state[0].shape != (N, H):
            if state is not None:
                raise ValueError(f"{name}.forward: the state set by set_state has shape "
                                 f"{state[0].shape}, but this batch needs ({N}, {H})")
            state = tuple(np.zeros((N, H), dtype=Wx.dtype) for _ in self.cell.state_names)
        xs_tm = xs.transpose(1, 0, 2).reshape(T * N, D)  # time-major rows: step t is rows t·N..(t+1)·N
        ax = (xs_tm @ Wx + b).reshape(T, N, -1)           # (T, N, G·H): all input products in one GEMM
        hs = np.empty((N, T, H), dtype=ax.dtype)
        self._caches = []
        for t in range(T):
            state, cache = self.cell._step(ax[t], state)
            hs[:, t] = state[0]
            self._caches.append(cache)
        self.xs, self.xs_tm, self.last = xs, xs_tm, state
        if self.stateful:
            self._start = state
        return hs

    def backward(self, dhs, dh=None, dc=None):
        """``dhs`` (N, T, H) -> ``dxs`` (N, T, D); BPTT over the whole sequence.

        ``dh`` (and ``dc``), optional (N, H): extra gradient reaching the last
        state, e.g. from a decoder that started from it.
        """
        Wx = self.params[0]
        N, T, D = self.xs.shape
        H = self.cell.hidden_size
        dhs = check_dout(f"{type(self).__name__}.backward", dhs, (N, T, H))
        for g in self.grads:
            g[...] = 0
        extra = (dh, dc)[:len(self.cell.state_names)]
        dstate = tuple(np.zeros((N, H), dtype=dhs.dtype) if d is None else as_float(d) for d in extra)
        dax = np.empty((T, N, Wx.shape[1]), dtype=dhs.dtype)   # time-major, like the forward's ax
        for t in reversed(range(T)):
            dstate = (dstate[0] + dhs[:, t], *dstate[1:])
            dax[t], dstate = self.cell._step_back(dstate, self._caches[t])
        dax = dax.reshape(T * N, -1)
        self.grads[0][...] = self.xs_tm.T @ dax
        self.grads[2][...] = dax.sum(axis=0)
        self.dstate = dstate
        return (dax @ Wx.T).reshape(T, N, D).transpose(1, 0, 2)   # (T·N, D) -> (N, T, D)


class TimeRNN(_TimeLayer):
    """``RNNCell`` over time. ``TimeRNN(Wx (D,H), Wh (H,H), b (H,), stateful=False)``."""
    cell_class = RNNCell


class TimeLSTM(_TimeLayer):
    """``LSTMCell`` over time (f, g, i, o). ``TimeLSTM(Wx (D,4H), Wh (H,4H), b (4H,), stateful=False, peephole=None)``."""
    cell_class = LSTMCell

    def __init__(self, Wx, Wh, b, stateful=False, peephole=None):
        super().__init__(Wx, Wh, b, stateful=stateful, peephole=peephole)


class TimeGRU(_TimeLayer):
    """``GRUCell`` over time (z, r, candidate). ``TimeGRU(Wx (D,3H), Wh (H,3H), b (3H,), stateful=False)``."""
    cell_class = GRUCell


# --- layers that act on every time step independently --------------------------------

class TimeEmbedding:
    """Look up a vector per token: ``idx`` (N, T) int -> (N, T, D).

    Parameters
    ----------
    W : ndarray, shape (V, D)
        One row per vocabulary entry.

    Notes
    -----
    Backward scatters ``dout`` back into the rows that were looked up
    (a row used twice gets both gradients); there is no input gradient.
    """

    def __init__(self, W):
        W = as_float(W)
        if W.ndim != 2:
            raise ValueError(f"TimeEmbedding: expected W of shape (V, D), got {W.shape}")
        self.params, self.grads = [W], [np.zeros_like(W)]
        self.idx = None

    def forward(self, idx):
        idx = np.asarray(idx)
        V = self.params[0].shape[0]
        if idx.ndim != 2 or not np.issubdtype(idx.dtype, np.integer):
            raise ValueError(f"TimeEmbedding.forward: expected integer ids of shape (N, T), got {idx.dtype} {idx.shape}")
        if idx.size and (idx.min() < 0 or idx.max() >= V):
            raise ValueError(f"TimeEmbedding.forward: ids must be in 0..{V - 1}, got {idx.min()}..{idx.max()}")
        self.idx = idx
        return self.params[0][idx]

    def backward(self, dout):
        dW = self.grads[0]
        dout = check_dout("TimeEmbedding.backward", dout, self.idx.shape + (dW.shape[1],))
        dW[...] = 0
        np.add.at(dW, self.idx.ravel(), dout.reshape(-1, dW.shape[1]))
        return None


class TimeAffine(L.Linear):
    """``Affine`` applied at every step: (N, T, H) -> (N, T, O), as one (N·T, H) product.

    Parameters
    ----------
    W : ndarray, shape (H, O)
    b : ndarray, shape (O,)

    Notes
    -----
    This is :class:`dlcourse.layers.Linear`, the dense layer on the last
    axis; the only difference is the layout: the N·T steps are stacked into
    rows so that forward and backward are one large matrix product each.
    """

    def _rows(self, xs):
        H, O = self.params[0].shape
        check_shape("TimeAffine.forward", "xs", xs, ("N", "T", H))
        N, T, _ = xs.shape
        return xs.reshape(N * T, H), (N, T, O)        # (N·T, H) rows; the output (N·T, O) -> (N, T, O)


class TimeSoftmaxWithLoss:
    """Softmax cross-entropy at every step, averaged over the steps that count.

    Parameters
    ----------
    ignore_label : int
        Targets equal to this label (padding) add nothing to the loss or the gradient.

    Notes
    -----
    ``forward(xs (N, T, V), ts (N, T) int) -> loss``, the mean of −log p(t)
    over the M positions with ``t != ignore_label``. ``backward`` returns
    ``(softmax(xs) − onehot(t)) · mask / M``. One-hot targets (N, T, V) are
    accepted too.
    """

    def __init__(self, ignore_label=-1):
        self.params, self.grads = [], []
        self.ignore_label = ignore_label
        self.cache = None

    def forward(self, xs, ts):
        xs, ts = as_float(xs), np.asarray(ts)
        if xs.ndim != 3:
            raise ValueError(f"TimeSoftmaxWithLoss.forward: expected scores of shape (N, T, V), got {xs.shape}")
        N, T, V = xs.shape
        if ts.shape == xs.shape:
            ts = ts.argmax(axis=2)
        if ts.shape != (N, T):
            raise ValueError(f"TimeSoftmaxWithLoss.forward: expected targets of shape ({N}, {T}), got {ts.shape}")
        mask = ts != self.ignore_label
        t = np.where(mask, ts, 0).astype(np.int64)
        if t.size and (t.min() < 0 or t.max() >= V):
            raise ValueError(f"TimeSoftmaxWithLoss.forward: expected labels in 0..{V - 1} "
                             f"(or ignore_label {self.ignore_label}), got {ts.min()}..{ts.max()}")
        p = F.softmax(xs)
        m = max(int(mask.sum()), 1)
        picked = np.take_along_axis(p, t[..., None], axis=2)[..., 0]
        loss = -np.sum(np.log(np.maximum(picked, 1e-12)) * mask) / m
        self.cache = (p, t, mask, m)
        return float(loss)

    def backward(self, dout=1.0):
        """dout: scalar (the loss's upstream gradient, 1 by default) -> dxs (N, T, V)."""
        dout = check_dout("TimeSoftmaxWithLoss.backward", dout, ())
        p, t, mask, m = self.cache
        dx = p.copy()
        np.put_along_axis(dx, t[..., None], np.take_along_axis(dx, t[..., None], axis=2) - 1.0, axis=2)
        dx[~mask] = 0.0                       # padding positions get no gradient
        dx *= float(dout) / m                 # a Python float keeps float32 as float32
        return dx


class Bidirectional:
    """Two ``Time*`` layers, one reading forwards and one backwards; outputs concatenated.

    Parameters
    ----------
    forward_layer, backward_layer : TimeRNN, TimeLSTM or TimeGRU
        Same input size D; hidden sizes H1 and H2.

    Notes
    -----
    ``forward(xs (N, T, D)) -> (N, T, H1 + H2)``: position t holds the forward
    layer's state after reading ``x_0..x_t`` and the backward layer's state
    after reading ``x_{T-1}..x_t``, so every position sees the whole sequence.
    """

    def __init__(self, forward_layer, backward_layer):
        self.layers = (forward_layer, backward_layer)
        self.params = forward_layer.params + backward_layer.params
        self.grads = forward_layer.grads + backward_layer.grads
        self.out_shape = None

    @property
    def h(self):
        """(N, H1 + H2): each direction's final state (the backward one's is at position 0)."""
        return np.concatenate([layer.h for layer in self.layers], axis=1)

    def forward(self, xs):
        """xs (N, T, D) -> hs (N, T, H1 + H2)."""
        fwd, bwd = self.layers
        hs = np.concatenate([fwd.forward(xs), bwd.forward(xs[:, ::-1])[:, ::-1]], axis=2)
        self.out_shape = hs.shape
        return hs

    def backward(self, dhs, dh=None):
        """dhs (N, T, H1 + H2) (and dh (N, H1 + H2) of the final states) -> dxs (N, T, D)."""
        dhs = check_dout("Bidirectional.backward", dhs, self.out_shape)
        fwd, bwd = self.layers
        H1 = fwd.cell.hidden_size
        dh1, dh2 = (None, None) if dh is None else (dh[:, :H1], dh[:, H1:])
        return fwd.backward(dhs[..., :H1], dh1) + bwd.backward(dhs[:, ::-1, H1:], dh2)[:, ::-1]


# --- two variants for long time lags: leaky units and skip connections (chapter 13) -----
#
# Both are sequence layers that start from a zero state on every forward (seed 004:
# "leaky unit", "skip connection"). After ``backward`` both keep ``dhs`` (N, T, H): the
# total gradient that reached each hidden state h_t, the quantity whose norm chapter 13
# plots against the number of steps back.

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
        Wx, Wh, b = _check_recurrent("TimeLeakyRNN", Wx, Wh, b)
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
        xs = as_float(xs)
        check_shape("TimeLeakyRNN.forward", "xs", xs, ("N", "T", Wx.shape[0]))
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
        dhs = check_dout("TimeLeakyRNN.backward", dhs, (N, T, H))
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
        Wx, Wh, b = _check_recurrent("TimeSkipRNN", Wx, Wh, b)
        Ws = as_float(Ws)
        check_shape("TimeSkipRNN", "Ws", Ws, Wh.shape)
        if int(d) != d or d < 2:
            raise ValueError(f"TimeSkipRNN: expected a skip length d >= 2, got {d!r}")
        self.d = int(d)
        self.params = [Wx, Wh, Ws, b]
        self.grads = [np.zeros_like(p) for p in self.params]
        self.dhs = None

    def forward(self, xs):
        """xs (N, T, D) -> hs (N, T, H), from zero states."""
        Wx, Wh, Ws, b = self.params
        xs = as_float(xs)
        check_shape("TimeSkipRNN.forward", "xs", xs, ("N", "T", Wx.shape[0]))
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
        dhs = check_dout("TimeSkipRNN.backward", dhs, (N, T, H))
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


# --- echo state network (reservoir computing, seed 004) -------------------------------

class EchoStateNetwork:
    """A fixed random recurrent reservoir with a trained linear readout.

    Parameters
    ----------
    n_inputs : int
        D, the size of each input ``u_t``.
    n_reservoir : int
        R, the number of reservoir units.
    spectral_radius : float
        The largest |eigenvalue| of the recurrent matrix ``W``; below 1 the
        reservoir forgets its start (the echo state property).
    input_scale : float
        ``W_in`` is uniform in [−input_scale, input_scale].
    leak : float in (0, 1]
        Leaky integration: x_t = (1 − leak) x_{t−1} + leak · tanh(u_t W_in + x_{t−1} W).
    density : float
        Fraction of non-zero entries of ``W``.
    ridge : float
        L2 penalty of the readout's least-squares fit.
    rng : numpy.random.Generator or int, optional

    Notes
    -----
    Only ``W_out`` ((R + 1), O), bias row last) is learnt, in closed form:
    ``W_out = (XᵀX + ridge·I)⁻¹ XᵀY`` over the states X after the washout.
    ``self.state`` (R,) holds the reservoir state after the last call, so
    ``predict`` and ``generate`` can continue where training stopped.
    """

    def __init__(self, n_inputs, n_reservoir, spectral_radius=0.9, input_scale=1.0, leak=1.0,
                 density=0.1, ridge=1e-6, rng=None):
        if not 0 < leak <= 1:
            raise ValueError(f"EchoStateNetwork: expected leak in (0, 1], got {leak}")
        rng = np.random.default_rng(rng)
        W = rng.uniform(-1, 1, (n_reservoir, n_reservoir)) * (rng.random((n_reservoir, n_reservoir)) < density)
        radius = np.max(np.abs(np.linalg.eigvals(W)))
        self.W = W * (spectral_radius / radius) if radius > 0 else W
        self.W_in = rng.uniform(-input_scale, input_scale, (n_inputs, n_reservoir))
        self.leak, self.ridge = leak, ridge
        self.W_out = None
        self.state = np.zeros(n_reservoir)

    def _update(self, x, u):
        return (1.0 - self.leak) * x + self.leak * np.tanh(u @ self.W_in + x @ self.W)

    def _inputs(self, u, where):
        u = as_float(u)
        u = u[:, None] if u.ndim == 1 else u
        if u.ndim != 2 or u.shape[1] != self.W_in.shape[0]:
            raise ValueError(f"EchoStateNetwork.{where}: expected u of shape (T, {self.W_in.shape[0]}), got {u.shape}")
        return u

    def states(self, u, state=None):
        """Reservoir states for inputs ``u`` (T, D) -> (T, R), from ``state`` (default zeros)."""
        u = self._inputs(u, "states")
        x = np.zeros(self.W.shape[0]) if state is None else np.asarray(state, dtype=float)
        X = np.empty((len(u), len(x)))
        for t, u_t in enumerate(u):
            x = X[t] = self._update(x, u_t)
        self.state = x
        return X

    def _readout(self, X):
        return X @ self.W_out[:-1] + self.W_out[-1]

    def fit(self, u, y, washout=100):
        """Fit the readout so the states of ``u`` (T, D) predict ``y`` (T, O). Returns self."""
        y = as_float(y)
        y = y[:, None] if y.ndim == 1 else y
        X = self.states(u)
        if len(y) != len(X) or washout >= len(X):
            raise ValueError(f"EchoStateNetwork.fit: expected y with {len(X)} rows and washout < {len(X)}, "
                             f"got {len(y)} rows and washout {washout}")
        X1 = np.hstack([X[washout:], np.ones((len(X) - washout, 1))])
        A = X1.T @ X1 + self.ridge * np.eye(X1.shape[1])
        self.W_out = np.linalg.solve(A, X1.T @ y[washout:])
        return self

    def _fitted(self, where):
        if self.W_out is None:
            raise RuntimeError(f"EchoStateNetwork.{where}: call fit(u, y) first")

    def predict(self, u, state=None):
        """Readout for inputs ``u`` (T, D) -> (T, O), from ``state`` (default: zeros)."""
        self._fitted("predict")
        return self._readout(self.states(u, state))

    def generate(self, n_steps, u_last, state=None):
        """Run closed-loop for ``n_steps``: each output is the next input (needs O == D).

        Starts from ``state`` (default: where the last call left the reservoir)
        with input ``u_last`` (D,). Returns (n_steps, D).
        """
        self._fitted("generate")
        if self.W_out.shape[1] != self.W_in.shape[0]:
            raise ValueError("EchoStateNetwork.generate: the readout's output size must equal the input size")
        x = self.state if state is None else np.asarray(state, dtype=float)
        u = np.asarray(u_last, dtype=float).reshape(-1)
        out = np.empty((n_steps, len(u)))
        for k in range(n_steps):
            x = self._update(x, u)
            u = out[k] = x @ self.W_out[:-1] + self.W_out[-1]
        self.state = x
        return out


# --- training helpers ---------------------------------------------------------------------

def clip_grads(grads, max_norm):
    """Scale all gradients in place so their global L2 norm is at most ``max_norm``.

    Returns the norm before clipping. Every array is scaled by the same
    factor, so the direction of the update is kept.
    """
    total = float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads)))
    if total > max_norm:
        for g in grads:
            g *= max_norm / (total + 1e-6)
    return total


_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def init_recurrent(kind, D, H, rng=None, dtype=np.float64):
    """Xavier-scaled ``(Wx (D, G·H), Wh (H, G·H), b (G·H,))`` for kind 'rnn', 'lstm' or 'gru'.

    The LSTM's forget-gate biases start at 1, so the memory is kept at first.
    """
    check_choice("init_recurrent", "kind", kind, tuple(_GATES))
    rng = np.random.default_rng(rng)
    G = _GATES[kind]
    Wx = optim.scaled_normal((D, G * H), rng, dtype=dtype)         # std 1/√D
    Wh = optim.scaled_normal((H, G * H), rng, dtype=dtype)         # std 1/√H
    b = np.zeros(G * H, dtype=dtype)
    if kind == "lstm":
        b[:H] = 1.0
    return Wx, Wh, b


# --- models: sequence classifiers and taggers (chapters 13-14, 17) -----------------------

TIME_LAYERS = {"rnn": TimeRNN, "lstm": TimeLSTM, "gru": TimeGRU}
"""Kind name -> sequence layer, as :func:`init_recurrent` and :class:`SequenceClassifier` name them."""


class SequenceClassifier:
    """A recurrent layer read out after the last step: (N, T, D) -> class scores (N, C).

    ``TimeRNN``/``TimeLSTM``/``TimeGRU`` -> last hidden state ``hs[:, -1]`` (N, H)
    -> ``Affine`` (H, C) -> softmax cross-entropy. Follows the interface of
    ``models.train``: ``params``, ``grads``, ``loss``, ``backward``, ``predict``.
    Chapter 14 races the three kinds on a long-lag memory task with it.

    Parameters
    ----------
    kind : {"rnn", "lstm", "gru"}
    D, H, C : int
        Input size, hidden size, number of classes.
    rng : numpy.random.Generator or int, optional
        Initial weights: :func:`init_recurrent` and a Xavier readout.
    gate_bias : float, optional
        Starting bias of the LSTM's forget gate or the GRU's update gate z
        (the share of the old state kept at every step); ``None`` keeps
        ``init_recurrent``'s (1 for the LSTM, 0 for the GRU).
    peephole : bool
        LSTM only: add peephole weights (3, H), starting at 0.
    """

    def __init__(self, kind, D, H, C, rng=None, gate_bias=None, peephole=False):
        check_choice("SequenceClassifier", "kind", kind, tuple(TIME_LAYERS))
        if peephole and kind != "lstm":
            raise ValueError(f"SequenceClassifier: peepholes need kind='lstm', got {kind!r}")
        rng = np.random.default_rng(rng)
        Wx, Wh, b = init_recurrent(kind, D, H, rng)
        if gate_bias is not None and kind != "rnn":
            b[:H] = gate_bias                       # block 0: f (LSTM) or z (GRU)
        extra = {"peephole": np.zeros((3, H))} if peephole else {}
        self.kind, self.peephole = kind, bool(peephole)
        self.rnn = TIME_LAYERS[kind](Wx, Wh, b, **extra)
        self.head = L.Affine(optim.scaled_normal((H, C), rng), np.zeros(C))    # Xavier readout
        self.loss_layer = L.SoftmaxWithLoss()
        self.params = self.rnn.params + self.head.params
        self.grads = self.rnn.grads + self.head.grads
        self._hs_shape = None

    def predict(self, xs, train=False):
        """xs (N, T, D) -> scores (N, C) from the last hidden state."""
        hs = self.rnn.forward(xs)                   # (N, T, H)
        self._hs_shape = hs.shape
        return self.head.forward(hs[:, -1])

    def loss(self, xs, t, train=True):
        """Mean cross-entropy of the batch (a float)."""
        return float(self.loss_layer.forward(self.predict(xs), t))

    def backward(self, dout=1.0):
        """Gradients of the last loss into ``grads``; returns dxs (N, T, D)."""
        dh = self.head.backward(self.loss_layer.backward(dout))     # (N, H)
        dhs = np.zeros(self._hs_shape)
        dhs[:, -1] = dh                             # only the last step is read out
        return self.rnn.backward(dhs)


class SequenceTagger:
    """A recurrent layer, then an affine map to C classes at every step: (N, T, D) -> (N, T, C).

    Parameters
    ----------
    D, H, C : int
        Input size, hidden size (in all: H/2 per direction when
        bidirectional), number of classes per step.
    bidirectional : bool
        A :class:`Bidirectional` pair of tanh RNNs with H // 2 units each, so
        both taggers have H hidden units in all; else one :class:`TimeRNN`.
    rng : numpy.random.Generator or int, optional
        Initial weights: :func:`init_recurrent`, then a Xavier readout.

    Notes
    -----
    ``scores(xs)`` is ``TimeAffine(layer(xs))`` (N, T, C); ``loss(xs, ts)``
    the softmax cross-entropy averaged over the positions whose label in
    ``ts`` (N, T) is not -1 (:class:`TimeSoftmaxWithLoss`). Chapter 13 uses
    it to show that only a bidirectional RNN can label a position by what
    comes after it.
    """

    def __init__(self, D, H, C, bidirectional=False, rng=None):
        rng = np.random.default_rng(rng)
        if bidirectional:                                  # H/2 units each way: the same H in total
            self.layer = Bidirectional(TimeRNN(*init_recurrent("rnn", D, H // 2, rng)),
                                       TimeRNN(*init_recurrent("rnn", D, H // 2, rng)))
        else:
            self.layer = TimeRNN(*init_recurrent("rnn", D, H, rng))
        self.head = TimeAffine(optim.scaled_normal((H, C), rng), np.zeros(C))
        self.loss_layer = TimeSoftmaxWithLoss()
        self.params = self.layer.params + self.head.params
        self.grads = self.layer.grads + self.head.grads

    def scores(self, xs):
        """xs (N, T, D) -> scores (N, T, C)."""
        return self.head.forward(self.layer.forward(xs))

    def loss(self, xs, ts, train=True):
        """Mean cross-entropy over the labelled positions of ts (N, T) int (-1: not scored)."""
        return self.loss_layer.forward(self.scores(xs), ts)

    def backward(self, dout=1.0):
        """Gradients of the last loss into ``grads``; returns dxs (N, T, D)."""
        return self.layer.backward(self.head.backward(self.loss_layer.backward(dout)))


class BiGRUClassifier:
    """Bidirectional GRU over a 1-D signal, then a linear readout.

    Input ``x`` (N, T) is read as a sequence (N, T, 1). Two ``TimeGRU`` layers
    (hidden size H each), one reading forwards and one backwards
    (:class:`Bidirectional`), give states ``hs`` (N, T, 2H). Chapter 14 trains it
    on MNIST-1D (:func:`mnist1d_gru`).

    Parameters
    ----------
    hidden : int
        H per direction.
    T : int
        Sequence length (40 for MNIST-1D).
    C : int
        Number of classes.
    readout : {"last+max", "last", "all"}
        What the affine readout sees. ``"last"``: the two final states (the
        forward layer's at t = T-1, the backward layer's at t = 0), (N, 2H).
        ``"last+max"``: those and the maximum of every unit over time, (N, 4H).
        ``"all"``: every state, flattened, (N, 2HT).
    rng : numpy.random.Generator or int, optional

    Notes
    -----
    Follows the ``models.train`` interface: ``params``, ``grads``,
    ``loss(x, t)``, ``backward()``, ``predict(x)``. The maximum over time
    does not care *where* a feature occurs, which suits MNIST-1D, whose
    digits are shifted at random; its gradient goes to the time step that
    held the maximum.
    """

    READOUTS = ("last+max", "last", "all")

    def __init__(self, hidden=6, T=40, C=10, readout="last+max", rng=None):
        check_choice("BiGRUClassifier", "readout", readout, self.READOUTS)
        rng = np.random.default_rng(rng)
        H = int(hidden)
        self.bi = Bidirectional(TimeGRU(*init_recurrent("gru", 1, H, rng)),
                                TimeGRU(*init_recurrent("gru", 1, H, rng)))
        F_in = {"last": 2 * H, "last+max": 4 * H, "all": 2 * H * int(T)}[readout]
        self.head = L.Affine(optim.scaled_normal((F_in, C), rng), np.zeros(C))
        self.loss_layer = L.SoftmaxWithLoss()
        self.params = self.bi.params + self.head.params
        self.grads = self.bi.grads + self.head.grads
        self.hidden, self.T, self.readout = H, int(T), readout
        self._hs_shape = self._argmax = None

    def _features(self, hs):
        N, T, H2 = hs.shape
        H = self.hidden
        if self.readout == "all":
            return hs.reshape(N, T * H2)                                     # (N, T·2H)
        last = np.concatenate([hs[:, -1, :H], hs[:, 0, H:]], axis=1)        # (N, 2H)
        if self.readout == "last":
            return last
        self._argmax = np.argmax(hs, axis=1)                                 # (N, 2H): time of each max
        return np.concatenate([last, np.max(hs, axis=1)], axis=1)            # (N, 4H)

    def _features_back(self, dz):
        N, T, H2 = self._hs_shape
        H = self.hidden
        if self.readout == "all":
            return dz.reshape(N, T, H2)
        dhs = np.zeros(self._hs_shape)
        dhs[:, -1, :H], dhs[:, 0, H:] = dz[:, :H], dz[:, H:H2]
        if self.readout == "last+max":
            dmax = np.zeros(self._hs_shape)
            np.put_along_axis(dmax, self._argmax[:, None, :], dz[:, None, H2:], axis=1)
            dhs += dmax
        return dhs

    def predict(self, x, train=False):
        """x (N, T) -> scores (N, C)."""
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or (self.readout == "all" and x.shape[1] != self.T):
            raise ValueError(f"BiGRUClassifier.predict: expected x of shape (N, {self.T}), got {x.shape}")
        hs = self.bi.forward(x[:, :, None])                                  # (N, T, 2H)
        self._hs_shape = hs.shape
        return self.head.forward(self._features(hs))

    def loss(self, x, t, train=True):
        """Mean cross-entropy of the batch (a float)."""
        return float(self.loss_layer.forward(self.predict(x), t))

    def backward(self, dout=1.0):
        """Gradients of the last loss into ``grads``; returns dx (N, T)."""
        dz = self.head.backward(self.loss_layer.backward(dout))
        return self.bi.backward(self._features_back(dz))[:, :, 0]

    def __repr__(self):
        return f"BiGRUClassifier(hidden={self.hidden}, T={self.T}, readout={self.readout!r})"


def mnist1d_gru(rng=None, hidden=6):
    """The bidirectional GRU of the MNIST-1D paper's table (hidden size 6) for input (N, 40).

    The readout sees each direction's final state and every unit's maximum
    over time (``readout="last+max"``, 4H = 24 features -> 10 classes). With
    the final states alone, or with all 40 states flattened, the full
    protocol (Adam lr 1e-2, batches of 100 in order, 6000 steps) ended near
    88-89% test accuracy here; with the maxima it ends above the paper's 91%.

    Parameters
    ----------
    rng : numpy.random.Generator or int, optional
        Initial weights.
    hidden : int
        Hidden size of each direction.

    Returns
    -------
    BiGRUClassifier
        ``params``, ``grads``, ``loss(x, t)``, ``backward()``, ``predict(x)``
        for x of shape (N, 40) and labels t (N,) in 0..9.
    """
    return BiGRUClassifier(hidden=hidden, T=40, C=10, readout="last+max", rng=rng)
