"""Checks for chapter 14 (LSTM and GRU).

The cell exercises are classes that follow the layer contract (DESIGN.md) and
the recurrent-cell signatures of :mod:`dlcourse.rnn`. The check builds one with
seeded random weights (D != H, so a missing transpose shows), compares the
forward pass with the reference cell, and compares every gradient of backward
with ``numerical_gradient`` of the *reference* cell's forward pass, in float64,
at the cs231n tolerance 1e-7. The learner's object is only ever called with
arrays (it may live in a sandboxed process).
"""
import numpy as np

from dlcourse import rnn
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import Built, register

SHAPES = ((3, 4, 5), (2, 3, 2))
"""(N, D, H) of the random trials."""


def _weights(rng, D, H, G, scale=0.5):
    """Random (Wx (D, G·H), Wh (H, G·H), b (G·H,)), scaled so no gate saturates."""
    return (rng.standard_normal((D, G * H)) * scale, rng.standard_normal((H, G * H)) * scale,
            rng.standard_normal(G * H) * scale)


class _Outputs:
    """Calls a learner's method once and hands out the entries of the tuple it returned."""

    def __init__(self, call, n, what):
        self.call, self.n, self.what, self.value = call, n, what, None

    def __getitem__(self, k):
        if self.value is None:
            res = self.call()
            if not isinstance(res, (tuple, list)) or len(res) != self.n:
                raise TypeError(f"{self.what} should return a tuple of {self.n} arrays, "
                                f"got {type(res).__name__}")
            self.value = [np.asarray(r, dtype=np.float64) for r in res]
        return self.value[k]


# --- 14.lstm_forward and 14.lstm_backward ------------------------------------------------

def _lstm_inputs(rng, N, D, H):
    Wx, Wh, b = _weights(rng, D, H, 4)
    x, h, cc = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    return Wx, Wh, b, x, h, cc


@register("14.lstm_forward", points=2, forbid=("dlcourse.rnn.LSTMCell", "dlcourse.rnn.TimeLSTM"),
          title="LSTMCell(Wx, Wh, b).forward(x, h_prev, c_prev) -> (h_next, c_next)",
          hint="a = x @ Wx + h_prev @ Wh + b, split into four (N, H) blocks in the order f, g, i, o; "
               "f, i, o = sigmoid, g = tanh; c_next = f * c_prev + g * i; h_next = o * tanh(c_next)")
def check_lstm_forward(LSTMCell, c):
    for N, D, H in SHAPES:
        Wx, Wh, b, x, h, cc = _lstm_inputs(c.rng, N, D, H)
        h_ref, c_ref = rnn.LSTMCell(Wx.copy(), Wh.copy(), b.copy()).forward(x, h, cc)
        fwd = _Outputs(lambda: LSTMCell(Wx.copy(), Wh.copy(), b.copy()).forward(x.copy(), h.copy(), cc.copy()),
                       2, "forward")
        c.close(f"h_next ({N}, {H}), D = {D}", lambda: fwd[0], h_ref,
                hint="h_next = o * tanh(c_next); the blocks of a are f, g, i, o in that order "
                     "(columns 0:H, H:2H, 2H:3H, 3H:4H)")
        c.close(f"c_next ({N}, {H})", lambda: fwd[1], c_ref,
                hint="c_next = f * c_prev + g * i, with g = tanh of the second block")
    Wx, Wh, b, x, h, cc = _lstm_inputs(c.rng, 2, 3, 2)
    Wx[:, :2] = b[:2] = 0.0
    Wh[:, :2] = 0.0                                 # a_f = 0: the forget gate is exactly 0.5
    ref = rnn.LSTMCell(Wx, Wh, b).forward(x, h, cc)[1]
    c.close("forget gate 0.5 everywhere: c_next = 0.5 c_prev + g i",
            lambda: LSTMCell(Wx.copy(), Wh.copy(), b.copy()).forward(x.copy(), h.copy(), cc.copy())[1], ref,
            hint="the forget gate is the first block of a, and it multiplies c_prev")


@register("14.lstm_backward", points=3, partial=True, forbid=("dlcourse.rnn.LSTMCell", "dlcourse.rnn.TimeLSTM"),
          title="TrainableLSTMCell.backward(dh_next, dc_next) -> (dx, dh_prev, dc_prev); grads = [dWx, dWh, db]",
          hint="the memory cell collects dc = dc_next + dh_next * o * (1 - tanh(c_next)**2); then "
               "da_f = dc * c_prev * f(1-f), da_g = dc * i * (1-g**2), da_i = dc * g * i(1-i), "
               "da_o = dh_next * tanh(c_next) * o(1-o); dc_prev = dc * f")
def check_lstm_backward(TrainableLSTMCell, c):
    for N, D, H in SHAPES:
        Wx, Wh, b, x, h, cc = _lstm_inputs(c.rng, N, D, H)
        dh, dc = c.rng.standard_normal((N, H)), c.rng.standard_normal((N, H))
        mine = Built()
        ok, _ = c.run(f"forward ({N}, {D}) -> ({N}, {H})", lambda: mine.make(
            TrainableLSTMCell, Wx.copy(), Wh.copy(), b.copy()).forward(x.copy(), h.copy(), cc.copy()),
            hint="backward needs what forward kept: make forward work first (exercise 14.1)")

        def loss(*_, x=x, h=h, cc=cc, Wx=Wx, Wh=Wh, b=b, dh=dh, dc=dc):
            hn, cn = rnn.LSTMCell(Wx, Wh, b).forward(x, h, cc)
            return float(np.sum(hn * dh) + np.sum(cn * dc))

        nums = [numerical_gradient(loss, a, h=1e-3, order=4) for a in (x, h, cc, Wx, Wh, b)]
        bwd = _Outputs(lambda: mine.backward(dh.copy(), dc.copy()), 3, "backward")
        for k, (name, shape, hint) in enumerate([
                ("dx", (N, D), "dx = da @ Wx.T, where da (N, 4H) stacks the gradients of the four "
                               "pre-activations in the order f, g, i, o"),
                ("dh_prev", (N, H), "dh_prev = da @ Wh.T"),
                ("dc_prev", (N, H), "dc_prev = dc * f, where dc already includes dh_next's share "
                                    "dh_next * o * (1 - tanh(c_next)**2)")]):
            c.close(f"{name} {shape} vs numerical gradient", lambda k=k: bwd[k], nums[k], hint=hint)
        for k, (name, shape, hint) in enumerate([
                ("dWx = grads[0]", (D, 4 * H), "dWx = x.T @ da"),
                ("dWh = grads[1]", (H, 4 * H), "dWh = h_prev.T @ da (the state that went in, not h_next)"),
                ("db = grads[2]", (4 * H,), "db = da.sum(axis=0)")]):
            c.close(f"{name} {shape} vs numerical", lambda k=k: mine.grads[k], nums[3 + k], hint=hint)


# --- 14.gru_backward -------------------------------------------------------------------------

@register("14.gru_backward", points=3, forbid=("dlcourse.rnn.GRUCell", "dlcourse.rnn.TimeGRU"),
          title="TrainableGRUCell.backward(dh_next) -> (dx, dh_prev); grads = [dWx, dWh, db]",
          hint="go up from h_next = z * h_prev + (1 - z) * h_hat: dz = dh * (h_prev - h_hat), "
               "dh_hat = dh * (1 - z), and h_prev gets dh * z directly; through tanh: "
               "da_h = dh_hat * (1 - h_hat**2); the reset gate acts before Whh, so "
               "dWhh = (r * h_prev).T @ da_h and d(r * h_prev) = da_h @ Whh.T")
def check_gru_backward(GRUCell, c):
    for N, D, H in SHAPES:
        Wx, Wh, b = _weights(c.rng, D, H, 3)
        x, h = c.rng.standard_normal((N, D)), c.rng.standard_normal((N, H))
        dh = c.rng.standard_normal((N, H))
        ref = rnn.GRUCell(Wx.copy(), Wh.copy(), b.copy())
        mine = Built()
        c.close(f"forward h_next ({N}, {H}), D = {D} (given)",
                lambda: mine.make(GRUCell, Wx.copy(), Wh.copy(), b.copy()).forward(x.copy(), h.copy()),
                ref.forward(x, h), hint="the forward is given: keep it as it is")

        def loss(*_, x=x, h=h, Wx=Wx, Wh=Wh, b=b, dh=dh):
            return float(np.sum(rnn.GRUCell(Wx, Wh, b).forward(x, h) * dh))

        nums = [numerical_gradient(loss, a, h=1e-3, order=4) for a in (x, h, Wx, Wh, b)]
        bwd = _Outputs(lambda: mine.backward(dh.copy()), 2, "backward")
        c.close(f"dx ({N}, {D}) vs numerical gradient", lambda: bwd[0], nums[0],
                hint="dx = [da_z, da_r, da_h] @ Wx.T: the three pre-activation gradients side by side")
        c.close(f"dh_prev ({N}, {H}) vs numerical gradient", lambda: bwd[1], nums[1],
                hint="h_prev reaches h_next four ways: directly (dh * z), through r * h_prev "
                     "(d(r*h) * r), and through the z and r pre-activations (da_z @ Whz.T + da_r @ Whr.T)")
        for k, (name, shape, hint) in enumerate([
                ("dWx = grads[0]", (D, 3 * H), "dWx = x.T @ [da_z, da_r, da_h]"),
                ("dWh = grads[1]", (H, 3 * H), "the z and r blocks get h_prev.T @ da; the candidate block "
                                               "gets (r * h_prev).T @ da_h"),
                ("db = grads[2]", (3 * H,), "db = [da_z, da_r, da_h].sum(axis=0)")]):
            c.close(f"{name} {shape} vs numerical", lambda k=k: mine.grads[k], nums[2 + k], hint=hint)


_KINDS = ("rnn", "lstm", "gru")


# --- 14.count_params -----------------------------------------------------------------------------

@register("14.count_params", points=1, forbid=("dlcourse.experiments.lstm.param_counts",),
          title="count_params(kind, D, H) -> int, kind in 'rnn', 'lstm', 'gru'",
          hint="one block holds Wx (D, H), Wh (H, H) and b (H,): D·H + H·H + H numbers; "
               "an RNN has 1 block, an LSTM 4 (f, g, i, o), a GRU 3 (z, r, candidate)")
def check_count_params(count_params, c):
    for D, H in ((1, 6), (12, 16), (256, 512)):
        expected = [sum(p.size for p in rnn.init_recurrent(kind, D, H, rng=0)) for kind in _KINDS]
        c.equal(f"D = {D}, H = {H}: [rnn, lstm, gru]",
                lambda D=D, H=H: [count_params(kind, D, H) for kind in _KINDS], expected)
    c.equal("GRU / LSTM = 3/4 at D = 40, H = 100",
            lambda: count_params("gru", 40, 100) / count_params("lstm", 40, 100), 0.75)
