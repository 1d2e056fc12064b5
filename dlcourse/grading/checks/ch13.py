"""Checks for chapter 13 (recurrent networks).

The cell is a class that follows the layer contract (DESIGN.md); BPTT is a
function of arrays. The checks run them on seeded random shapes (D != H, so a
missing transpose shows) and compare every gradient with ``numerical_gradient``
of the *reference* layers' forward pass (``dlcourse.rnn``), in float64, at the
cs231n tolerance 1e-7.
"""
import numpy as np

from dlcourse import rnn
from dlcourse.lessons import rnn_jacobians as ex
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import Built, register


def _weights(c, D, H, scale=0.8):
    return (c.rng.standard_normal((D, H)) * scale, c.rng.standard_normal((H, H)) * scale / np.sqrt(H),
            c.rng.standard_normal(H) * 0.3)


def _pair(result, what):
    """The learner's backward result as a pair of arrays, or a clear TypeError."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"backward should return a pair {what}, got {type(result).__name__}")
    return result


# --- 13.rnn_cell ---------------------------------------------------------------------------

@register("13.rnn_cell", points=3, forbid=("dlcourse.rnn.RNNCell", "dlcourse.rnn.TimeRNN"),
          title="RNNCell(Wx, Wh, b): forward(x, h_prev) -> h_next; backward(dh_next) -> (dx, dh_prev)",
          hint="forward: h_next = tanh(x @ Wx + h_prev @ Wh + b), keep x, h_prev and h_next; "
               "backward: da = dh_next * (1 - h_next**2), then dx = da @ Wx.T, dh_prev = da @ Wh.T, "
               "dWx = x.T @ da, dWh = h_prev.T @ da, db = da.sum(axis=0)")
def check_rnn_cell(RNNCell, c):
    for N, D, H in ((4, 3, 5), (2, 6, 4)):
        x, h_prev, dh = c.rng.standard_normal((N, D)), c.rng.uniform(-1, 1, (N, H)), c.rng.standard_normal((N, H))
        Wx, Wh, b = _weights(c, D, H)
        ref = rnn.RNNCell(Wx.copy(), Wh.copy(), b.copy())
        mine, out = Built(), {}
        c.close(f"forward, x ({N}, {D}), h_prev ({N}, {H})",
                lambda: mine.make(RNNCell, Wx.copy(), Wh.copy(), b.copy()).forward(x.copy(), h_prev.copy()),
                ref.forward(x, h_prev), hint="h_next = tanh(x @ Wx + h_prev @ Wh + b), shape (N, H)")
        xn, hn = x.copy(), h_prev.copy()
        f = lambda: np.sum(ref.forward(xn, hn) * dh)                               # noqa: E731
        dx, dhp, dWx, dWh, db = (numerical_gradient(f, a, h=1e-3, order=4) for a in (xn, hn, *ref.params))

        def back(k, out=out, mine=mine, dh=dh):
            if "r" not in out:
                out["r"] = _pair(mine.backward(dh.copy()), "(dx, dh_prev)")
            return out["r"][k]

        c.close(f"dx ({N}, {D}) vs numerical gradient", lambda: back(0), dx,
                hint="dx = da @ Wx.T with da = dh_next * (1 - h_next**2): tanh' uses the *output* h_next")
        c.close(f"dh_prev ({N}, {H}) vs numerical gradient", lambda: back(1), dhp,
                hint="dh_prev = da @ Wh.T: the gradient flows back through Wh, transposed")
        c.close(f"dWx = grads[0] ({D}, {H}) vs numerical", lambda: mine.grads[0], dWx,
                hint="dWx = x.T @ da, written into self.grads[0][...]")
        c.close(f"dWh = grads[1] ({H}, {H}) vs numerical", lambda: mine.grads[1], dWh,
                hint="dWh = h_prev.T @ da: Wh multiplies h_prev, not h_next")
        c.close(f"db = grads[2] ({H},) vs numerical", lambda: mine.grads[2], db,
                hint="db = da.sum(axis=0): the bias is added to every row of the batch")


# --- 13.bptt ------------------------------------------------------------------------------

def _four(result):
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        raise TypeError(f"bptt should return (dxs, dWx, dWh, db), got {type(result).__name__}")
    return result


@register("13.bptt", points=3, partial=True,
          forbid=("dlcourse.rnn.TimeRNN", "dlcourse.rnn.RNNCell", "dlcourse.rnn.TimeLeakyRNN"),
          title="bptt(xs, hs, Wx, Wh, dhs) -> (dxs, dWx, dWh, db)",
          hint="walk t = T-1 .. 0 with dh = zeros at the start: da = (dhs[:, t] + dh) * (1 - hs[:, t]**2), "
               "dxs[:, t] = da @ Wx.T, dh = da @ Wh.T; add xs[:, t].T @ da, h_prev.T @ da and "
               "da.sum(axis=0) to the sums, with h_prev = zeros at t = 0")
def check_bptt(bptt, c):
    for N, T, D, H in ((3, 5, 2, 4), (2, 7, 4, 3), (2, 1, 3, 2)):
        xs, dhs = c.rng.standard_normal((N, T, D)), c.rng.standard_normal((N, T, H))
        Wx, Wh, b = _weights(c, D, H)
        ref = rnn.TimeRNN(Wx.copy(), Wh.copy(), b.copy())
        hs = ref.forward(xs)
        xn = xs.copy()
        f = lambda: np.sum(ref.forward(xn) * dhs)                                  # noqa: E731
        dxs, dWx, dWh, db = (numerical_gradient(f, a, h=1e-3, order=4) for a in (xn, *ref.params))
        out = {}

        def got(k, out=out, args=(xs, hs, Wx, Wh, dhs)):
            if "r" not in out:
                out["r"] = _four(bptt(*(a.copy() for a in args)))
            return out["r"][k]

        size = f"N={N}, T={T}, D={D}, H={H}"
        c.close(f"dxs, {size}, vs numerical", lambda: got(0), dxs,
                hint="each step's gradient is dhs[:, t] plus the dh that step t+1 sent back; without "
                     "the second term the gradient stops after one step")
        c.close(f"dWx, {size}, vs numerical", lambda: got(1), dWx,
                hint="the weights are shared by every step: add every step's x_t.T @ da_t")
        c.close(f"dWh, {size}, vs numerical", lambda: got(2), dWh,
                hint="dWh adds h_(t-1).T @ da_t: the state *before* step t, zeros at t = 0 "
                     "(hs[:, -1] is the last state, not h_(-1))")
        c.close(f"db, {size}, vs numerical", lambda: got(3), db,
                hint="db adds da_t.sum(axis=0) for every step t")


# --- 13.jacobian_norms -------------------------------------------------------------------

@register("13.jacobian_norms", points=2, forbid=("dlcourse.lessons.rnn_jacobians.jacobian_norms",),
          title="jacobian_norms(hs (T, H), Wh (H, H)) -> (T,) spectral norms of dh_(T-1)/dh_(T-1-k)",
          hint="start from M = I; for k = 1 .. T-1 multiply M on the right by "
               "J = (1 - hs[T-k]**2)[:, None] * Wh.T and store np.linalg.norm(M, 2)")
def check_jacobian_norms(jacobian_norms, c):
    for T, H, radius in ((6, 4, 0.9), (10, 5, 1.6)):
        Wx, Wh, b = ex.random_rnn(H, 3, radius, c.rng)
        hs = rnn.TimeRNN(Wx, Wh, b).forward(c.rng.standard_normal((1, T, 3)))[0]    # (T, H)
        c.close(f"hs ({T}, {H}), spectral radius of Wh {radius}", lambda: jacobian_norms(hs.copy(), Wh.copy()),
                ex.jacobian_norms(hs, Wh),
                hint="J_t = diag(1 - h_t**2) @ Wh.T; the product for k steps back is "
                     "J_(T-1) @ J_(T-2) @ ... @ J_(T-k), and its 2-norm is np.linalg.norm(M, 2)")
    c.close("T = 1: only k = 0, norm 1", lambda: jacobian_norms(hs[:1].copy(), Wh.copy()), [1.0],
            hint="k = 0 is dh/dh itself: the identity, whose norm is 1")
