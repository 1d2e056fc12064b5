"""dlcourse.rnn: every backward against float64 numeric gradients, the Time layers
against the cells unrolled step by step, and the gate formulas against DESIGN.md
written out independently."""
import numpy as np
import pytest

from dlcourse import rnn
from dlcourse.gradients import check_layer_gradients, numerical_gradient, rel_error

TOL = 1e-7  # cs231n's threshold for float64 gradient checks
N, T, D, H = 3, 5, 4, 3


def params(kind, seed=0, scale=0.5):
    G = {"rnn": 1, "gru": 3, "lstm": 4}[kind]
    rng = np.random.default_rng(seed)
    return [scale * rng.standard_normal(s) for s in ((D, G * H), (H, G * H), (G * H,))]


def sig(a):
    return 1 / (1 + np.exp(-a))


def assert_grads(errors, tol=TOL):
    assert max(errors.values()) < tol, errors


# Over T steps some gradient entries get tiny, and the element-wise relative error of
# central differences on those reaches ~1e-7 (a wrong formula gives > 1e-2). The exact
# comparison of BPTT with the unrolled cells below is the strict check.
TIME_TOL = 1e-6


# --- cells ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind, cls", [("rnn", rnn.RNNCell), ("gru", rnn.GRUCell), ("lstm", rnn.LSTMCell)])
def test_cell_gradients(kind, cls):
    rng = np.random.default_rng(1)
    cell = cls(*params(kind))
    state = [rng.standard_normal((N, H)) for _ in cell.state_names]
    assert_grads(check_layer_gradients(cell, rng.standard_normal((N, D)), *state))


def test_peephole_lstm_gradients_and_parameters():
    rng = np.random.default_rng(2)
    P = rng.standard_normal((3, H))
    cell = rnn.LSTMCell(*params("lstm"), peephole=P)
    assert len(cell.params) == 4 and cell.params[3] is P
    errors = check_layer_gradients(cell, rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                                   rng.standard_normal((N, H)))
    assert_grads(errors)
    assert "param3" in errors


def test_lstm_forward_matches_the_contract_formulas():
    """Gate order f, g, i, o, written out independently of the library."""
    rng = np.random.default_rng(3)
    Wx, Wh, b = params("lstm")
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    a = x @ Wx + h @ Wh + b
    f, g, i, o = sig(a[:, :H]), np.tanh(a[:, H:2 * H]), sig(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
    c_next = f * c + g * i
    h_next, c_out = rnn.LSTMCell(Wx, Wh, b).forward(x, h, c)
    assert rel_error(c_out, c_next) < 1e-12
    assert rel_error(h_next, o * np.tanh(c_next)) < 1e-12


def test_peephole_forward_matches_formulas():
    rng = np.random.default_rng(4)
    Wx, Wh, b = params("lstm")
    P = rng.standard_normal((3, H))
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    a = x @ Wx + h @ Wh + b
    f, i = sig(a[:, :H] + P[0] * c), sig(a[:, 2 * H:3 * H] + P[1] * c)
    c_next = f * c + np.tanh(a[:, H:2 * H]) * i
    o = sig(a[:, 3 * H:] + P[2] * c_next)
    h_next, _ = rnn.LSTMCell(Wx, Wh, b, peephole=P).forward(x, h, c)
    assert rel_error(h_next, o * np.tanh(c_next)) < 1e-12


def test_gru_forward_matches_seed_004():
    """z, r, candidate; r applied before the Whh product; h = z h_prev + (1 - z) h~."""
    rng = np.random.default_rng(5)
    Wx, Wh, b = params("gru")
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    Wxz, Wxr, Wxh = np.split(Wx, 3, axis=1)
    Whz, Whr, Whh = np.split(Wh, 3, axis=1)
    bz, br, bh = np.split(b, 3)
    z = sig(x @ Wxz + h @ Whz + bz)
    r = sig(x @ Wxr + h @ Whr + br)
    hh = np.tanh(x @ Wxh + (r * h) @ Whh + bh)
    cell = rnn.GRUCell(Wx, Wh, b)
    assert rel_error(cell.forward(x, h), z * h + (1 - z) * hh) < 1e-12
    assert set(cell.gates) == {"z", "r", "candidate"}


def test_rnn_cell_forward():
    rng = np.random.default_rng(6)
    Wx, Wh, b = params("rnn")
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    assert rel_error(rnn.RNNCell(Wx, Wh, b).forward(x, h), np.tanh(x @ Wx + h @ Wh + b)) < 1e-12


# --- Time layers ------------------------------------------------------------------------

TIME = [("rnn", rnn.TimeRNN), ("gru", rnn.TimeGRU), ("lstm", rnn.TimeLSTM)]


@pytest.mark.parametrize("kind, cls", TIME)
def test_time_layer_gradients(kind, cls):
    rng = np.random.default_rng(7)
    layer = cls(*params(kind))
    assert_grads(check_layer_gradients(layer, rng.standard_normal((N, T, D))), TIME_TOL)


def test_peephole_time_lstm_gradients():
    rng = np.random.default_rng(8)
    layer = rnn.TimeLSTM(*params("lstm"), peephole=rng.standard_normal((3, H)))
    assert_grads(check_layer_gradients(layer, rng.standard_normal((N, T, D))), TIME_TOL)


def unrolled(kind, cls_cell, p, xs, dhs, start):
    """Naive BPTT: one cell object per step, gradients summed by hand."""
    cells = [cls_cell(*[q.copy() for q in p]) for _ in range(T)]
    state, hs = start, []
    for t, cell in enumerate(cells):
        out = cell.forward(xs[:, t], *state)
        state = out if isinstance(out, tuple) else (out,)
        hs.append(state[0])
    dstate = tuple(np.zeros((N, H)) for _ in state)
    grads, dxs = [np.zeros_like(q) for q in p], np.zeros_like(xs)
    for t in reversed(range(T)):
        back = cells[t].backward(dstate[0] + dhs[:, t], *dstate[1:])
        dxs[:, t], dstate = back[0], back[1:]
        for g, cg in zip(grads, cells[t].grads):
            g += cg
    return np.stack(hs, axis=1), dxs, grads, dstate


@pytest.mark.parametrize("kind, cls", TIME)
def test_time_layer_equals_cells_unrolled(kind, cls):
    rng = np.random.default_rng(9)
    p = params(kind)
    layer = cls(*p)
    xs, dhs = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H))
    start = tuple(rng.standard_normal((N, H)) for _ in layer.cell.state_names)
    layer.set_state(*start)
    hs = layer.forward(xs)
    dxs = layer.backward(dhs)
    hs_ref, dxs_ref, grads_ref, dstate_ref = unrolled(kind, type(layer.cell), p, xs, dhs, start)
    assert rel_error(hs, hs_ref) < 1e-12
    assert rel_error(dxs, dxs_ref) < 1e-10
    for g, g_ref in zip(layer.grads, grads_ref):
        assert rel_error(g, g_ref) < 1e-10
    assert rel_error(layer.dh, dstate_ref[0]) < 1e-10


@pytest.mark.parametrize("kind, cls", TIME)
def test_gradient_of_initial_state_and_extra_final_gradient(kind, cls):
    """dh (and dc) of the initial state, numerically; backward(dhs, dh=...) adds into the last state."""
    rng = np.random.default_rng(10)
    layer = cls(*params(kind))
    xs, dhs = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H))
    h0, dh_last = rng.standard_normal((N, H)), rng.standard_normal((N, H))

    def loss(h):
        layer.set_state(h.copy())
        return float(np.sum(layer.forward(xs) * dhs) + np.sum(layer.h * dh_last))

    loss(h0)
    layer.backward(dhs, dh=dh_last)
    assert rel_error(layer.dh, numerical_gradient(loss, h0.copy())) < TOL


def test_lstm_initial_cell_gradient():
    rng = np.random.default_rng(11)
    layer = rnn.TimeLSTM(*params("lstm"))
    xs, dhs = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H))
    h0, c0, dc_last = (rng.standard_normal((N, H)) for _ in range(3))

    def loss(c):
        layer.set_state(h0, c.copy())
        return float(np.sum(layer.forward(xs) * dhs) + np.sum(layer.c * dc_last))

    loss(c0)
    layer.backward(dhs, dc=dc_last)
    assert rel_error(layer.dc, numerical_gradient(loss, c0.copy())) < TOL


def test_state_handling():
    rng = np.random.default_rng(12)
    xs = rng.standard_normal((N, T, D))
    p = params("rnn")
    plain, stateful = rnn.TimeRNN(*p), rnn.TimeRNN(*p, stateful=True)
    first = plain.forward(xs)
    assert np.array_equal(plain.forward(xs), first)                 # starts from zeros every time
    stateful.forward(xs)
    carried = stateful.forward(xs)
    assert not np.allclose(carried, first)                           # carries the last state over
    whole = rnn.TimeRNN(*p).forward(np.concatenate([xs, xs], axis=1))
    assert rel_error(carried, whole[:, T:]) < 1e-12                  # = one long sequence
    stateful.reset_state()
    assert np.array_equal(stateful.forward(xs), first)
    plain.set_state(np.ones((N, H)))
    assert not np.allclose(plain.forward(xs), first)
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        plain.forward(xs[:2])


def test_gates_over_time():
    rng = np.random.default_rng(13)
    layer = rnn.TimeLSTM(*params("lstm"))
    layer.forward(rng.standard_normal((N, T, D)))
    gates = layer.gates
    assert list(gates) == ["f", "g", "i", "o"]
    assert all(g.shape == (N, T, H) for g in gates.values())
    assert np.all((gates["f"] > 0) & (gates["f"] < 1))


def test_float32_stays_float32():
    rng = np.random.default_rng(14)
    p = [q.astype(np.float32) for q in params("lstm")]
    layer = rnn.TimeLSTM(*p)
    hs = layer.forward(rng.standard_normal((N, T, D)).astype(np.float32))
    dxs = layer.backward(np.ones_like(hs))
    assert hs.dtype == dxs.dtype == layer.grads[1].dtype == np.float32
    loss = rnn.TimeSoftmaxWithLoss()
    loss.forward(hs, np.zeros((N, T), dtype=int))
    assert loss.backward().dtype == np.float32


@pytest.mark.parametrize("bad, match", [
    (lambda: rnn.RNNCell(np.zeros((4, 3)), np.zeros((3, 3)), np.zeros(4)), r"b of shape \(3,\)"),
    (lambda: rnn.LSTMCell(np.zeros((4, 12)), np.zeros((3, 9)), np.zeros(12)), r"Wh of shape \(H, 4·H\)"),
    (lambda: rnn.GRUCell(np.zeros((4, 6)), np.zeros((3, 9)), np.zeros(9)), r"Wx of shape \(D, 9\)"),
    (lambda: rnn.RNNCell(*params("rnn")).forward(np.zeros((2, 5)), np.zeros((2, 3))), r"x of shape \(N, 4\)"),
    (lambda: rnn.LSTMCell(*params("lstm")).forward(np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((3, 3))),
     r"c_prev of shape \(2, 3\)"),
    (lambda: rnn.TimeGRU(*params("gru")).forward(np.zeros((2, 4))), r"xs of shape \(N, T, 4\)"),
    (lambda: rnn.TimeEmbedding(np.zeros((5, 2))).forward(np.array([[0, 5]])), r"0\.\.4"),
    (lambda: rnn.TimeEmbedding(np.zeros((5, 2))).forward(np.array([[0.5]])), "integer ids"),
    (lambda: rnn.TimeSoftmaxWithLoss().forward(np.zeros((2, 3, 4)), np.zeros((2, 2), int)), r"\(2, 3\)"),
    (lambda: rnn.init_recurrent("lstn", 2, 2), "unknown kind 'lstn'"),
])
def test_bad_input_names_what_was_expected(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()


# --- per-step layers ----------------------------------------------------------------------

def test_time_embedding():
    rng = np.random.default_rng(15)
    W = rng.standard_normal((6, D))
    layer = rnn.TimeEmbedding(W)
    idx = np.array([[0, 2, 2], [5, 0, 1]])
    out = layer.forward(idx)
    assert np.array_equal(out[1, 0], W[5])
    dout = rng.standard_normal(out.shape)
    layer.backward(dout)
    expected = np.zeros_like(W)
    for n in range(2):                      # naive loop: each lookup adds its gradient to its row
        for t in range(3):
            expected[idx[n, t]] += dout[n, t]
    assert rel_error(layer.grads[0], expected) < 1e-12


def test_time_affine_gradients_and_loop():
    rng = np.random.default_rng(16)
    W, b = rng.standard_normal((H, 7)), rng.standard_normal(7)
    layer = rnn.TimeAffine(W, b)
    xs = rng.standard_normal((N, T, H))
    out = layer.forward(xs)
    for t in range(T):
        assert rel_error(out[:, t], xs[:, t] @ W + b) < 1e-12
    assert_grads(check_layer_gradients(layer, xs))


def test_time_softmax_with_loss_ignores_padding():
    rng = np.random.default_rng(17)
    xs = rng.standard_normal((N, T, 6))
    ts = rng.integers(0, 6, (N, T))
    ts[0, 3:] = -1
    layer = rnn.TimeSoftmaxWithLoss(ignore_label=-1)
    loss = layer.forward(xs, ts)
    terms = [np.log(np.exp(xs[n, t]).sum()) - xs[n, t, ts[n, t]]
             for n in range(N) for t in range(T) if ts[n, t] != -1]
    assert abs(loss - np.mean(terms)) < 1e-12
    dx = layer.backward()
    num = numerical_gradient(lambda x: layer.forward(x, ts), xs.copy())
    assert rel_error(dx, num) < TOL
    assert np.all(dx[0, 3:] == 0)


def test_bidirectional():
    rng = np.random.default_rng(18)
    fwd, bwd = rnn.TimeGRU(*params("gru", 1)), rnn.TimeGRU(*params("gru", 2))
    layer = rnn.Bidirectional(fwd, bwd)
    xs = rng.standard_normal((N, T, D))
    hs = layer.forward(xs)
    assert hs.shape == (N, T, 2 * H)
    back_alone = rnn.TimeGRU(*params("gru", 2)).forward(xs[:, ::-1])
    assert rel_error(hs[:, 0, H:], back_alone[:, -1]) < 1e-12         # position 0 has read the whole sequence backwards
    assert len(layer.params) == 6
    assert_grads(check_layer_gradients(layer, xs), TIME_TOL)
    with pytest.raises(ValueError, match=rf"Bidirectional.backward: expected dout .* of shape \({N}, {T}, {2 * H}\)"):
        layer.backward(np.ones((N, T, H)))

# --- leaky units and skip connections (chapter 13) --------------------------------------

def check_sequence_layer(layer, xs, dhs):
    layer.forward(xs)
    dxs = layer.backward(dhs)
    grads = [g.copy() for g in layer.grads]
    f = lambda: float(np.sum(layer.forward(xs) * dhs))   # noqa: E731
    assert rel_error(dxs, numerical_gradient(f, xs)) < 1e-7
    for p, g in zip(layer.params, grads):
        assert rel_error(g, numerical_gradient(f, p)) < 1e-7


@pytest.mark.parametrize("alpha", [1.0, 0.3, "per unit"])
def test_leaky_rnn_gradients(alpha):
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 6, 3, 4
    alpha = rng.uniform(0.1, 1.0, H) if alpha == "per unit" else alpha
    layer = rnn.TimeLeakyRNN(rng.standard_normal((D, H)), rng.standard_normal((H, H)) * 0.5,
                             rng.standard_normal(H), alpha)
    check_sequence_layer(layer, rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H)))


@pytest.mark.parametrize("d", [2, 3, 8])
def test_skip_rnn_gradients(d):
    rng = np.random.default_rng(d)
    N, T, D, H = 2, 7, 3, 4
    layer = rnn.TimeSkipRNN(rng.standard_normal((D, H)), rng.standard_normal((H, H)) * 0.5,
                            rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H), d)
    check_sequence_layer(layer, rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H)))


def test_variants_reduce_to_the_plain_rnn():
    rng = np.random.default_rng(1)
    N, T, D, H = 3, 5, 2, 4
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
    xs, dhs = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H))
    ref = rnn.TimeRNN(Wx, Wh, b)
    hs, dxs = ref.forward(xs), ref.backward(dhs)
    for layer in (rnn.TimeLeakyRNN(Wx, Wh, b, 1.0), rnn.TimeSkipRNN(Wx, Wh, np.zeros((H, H)), b, 3)):
        np.testing.assert_allclose(layer.forward(xs), hs, atol=1e-12)
        np.testing.assert_allclose(layer.backward(dhs), dxs, atol=1e-12)
        for g, g_ref in zip(layer.grads, ref.grads):
            if g.shape == g_ref.shape and np.any(g_ref):
                np.testing.assert_allclose(g, g_ref, atol=1e-12)


def test_variant_errors():
    W, b = np.zeros((3, 3)), np.zeros(3)
    with pytest.raises(ValueError, match="alpha in"):
        rnn.TimeLeakyRNN(W, W, b, 0.0)
    with pytest.raises(ValueError, match="d >= 2"):
        rnn.TimeSkipRNN(W, W, W, b, 1)
    with pytest.raises(ValueError, match=r"expected xs of shape \(N, T, 3\)"):
        rnn.TimeLeakyRNN(W, W, b).forward(np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match=r"TimeSkipRNN: expected Ws of shape \(3, 3\), got \(3, 2\)"):
        rnn.TimeSkipRNN(W, W, np.zeros((3, 2)), b, 2)
    with pytest.raises(ValueError, match=r"TimeLeakyRNN: expected Wh of shape \(H, 1·H\)"):
        rnn.TimeLeakyRNN(W, np.zeros((3, 2)), b)
    layer = rnn.TimeSkipRNN(W, W, W, b, 2)
    layer.forward(np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match=r"TimeSkipRNN.backward: expected dout .* of shape \(2, 4, 3\), got \(2, 3\)"):
        layer.backward(np.zeros((2, 3)))


# --- sequence models: classifiers and the tagger ------------------------------------------

def _check_model_gradients(model, x, t, tol=1e-5):
    # tol 1e-5, not 1e-7: entries of a whole model's gradient can be ~1e-6 (one-hot inputs,
    # saturated gates), where the central difference's round-off is relatively large; the
    # cells themselves are checked at 1e-7 above
    model.loss(x, t)
    model.backward()
    for p, g in zip(model.params, model.grads):
        num = numerical_gradient(lambda: model.loss(x, t), p)
        assert rel_error(g, num) < tol, (p.shape, rel_error(g, num))


def _recall_task(rng, n, T, C, D):
    """n one-hot sequences (n, T, D) whose first symbol (0..C-1) is the label (n,); the later
    steps hold symbols C..D-1 (chapter 14's memory task, written out here)."""
    ids = rng.integers(C, D, size=(n, T))
    t = rng.integers(0, C, size=n)
    ids[:, 0] = t
    return np.eye(D)[ids], t


@pytest.mark.parametrize("kind, peephole", [("rnn", False), ("lstm", False), ("lstm", True), ("gru", False)])
def test_sequence_classifier_gradients(kind, peephole):
    model = rnn.SequenceClassifier(kind, D=5, H=3, C=4, rng=1, gate_bias=2.0, peephole=peephole)
    if peephole:
        model.params[3][...] = np.random.default_rng(2).standard_normal((3, 3)) * 0.5
    xs, t = _recall_task(np.random.default_rng(3), n=3, T=5, C=4, D=5)
    _check_model_gradients(model, xs, t)
    assert len(model.params) == (4 if peephole else 3) + 2
    assert model.predict(xs).shape == (3, 4)


def test_sequence_classifier_gate_bias_sets_the_keep_gate():
    assert np.all(rnn.SequenceClassifier("lstm", 3, 4, 2, rng=0, gate_bias=3.0).params[2][:4] == 3.0)
    assert np.all(rnn.SequenceClassifier("gru", 3, 4, 2, rng=0, gate_bias=3.0).params[2][:4] == 3.0)
    assert np.all(rnn.SequenceClassifier("lstm", 3, 4, 2, rng=0).params[2][:4] == 1.0)   # init_recurrent's
    with pytest.raises(ValueError, match="peephole"):
        rnn.SequenceClassifier("gru", 3, 4, 2, peephole=True)
    with pytest.raises(ValueError, match=r"SequenceClassifier: unknown kind 'lstn'; expected one of rnn, lstm, gru"):
        rnn.SequenceClassifier("lstn", 3, 4, 2)


@pytest.mark.parametrize("readout", rnn.BiGRUClassifier.READOUTS)
def test_bigru_gradients(readout):
    model = rnn.BiGRUClassifier(hidden=2, T=5, C=3, readout=readout, rng=0)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 5)), rng.integers(0, 3, 4)
    _check_model_gradients(model, x, t)


def test_bigru_errors():
    with pytest.raises(ValueError, match=r"BiGRUClassifier: unknown readout 'mean'; expected one of last\+max"):
        rnn.BiGRUClassifier(readout="mean")
    with pytest.raises(ValueError, match=r"expected x of shape \(N, 5\)"):
        rnn.BiGRUClassifier(hidden=2, T=5, readout="all").predict(np.zeros((2, 4)))


def test_mnist1d_gru_builder_follows_the_train_interface():
    from dlcourse import models, optim

    model = rnn.mnist1d_gru(rng=0)
    assert model.hidden == 6 and model.readout == "last+max"
    assert sum(p.size for p in model.params) == 2 * 3 * (1 * 6 + 6 * 6 + 6) + (24 * 10 + 10)
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((30, 40)), rng.integers(0, 10, 30)
    assert model.predict(x).shape == (30, 10)
    h = models.train(model, optim.Adam(1e-2), x, t, epochs=2, batch_size=10, rng=0, progress=False)
    assert len(h["batch_loss"]) == 6 and np.all(np.isfinite(h["batch_loss"]))
    same = rnn.mnist1d_gru(rng=0)
    assert all(np.array_equal(a, b) for a, b in zip(same.params, rnn.mnist1d_gru(rng=0).params))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_sequence_tagger_gradients_and_shapes(bidirectional):
    rng = np.random.default_rng(4)
    model = rnn.SequenceTagger(4, 6, 3, bidirectional=bidirectional, rng=0)
    xs = np.eye(4)[rng.integers(0, 4, (3, 5))]                        # (N, T, D) one-hot
    ts = rng.integers(0, 3, (3, 5))
    ts[0, 3:] = -1                                                      # not scored
    assert model.scores(xs).shape == (3, 5, 3)
    H_total = sum(p.shape[0] for p in model.params if p.ndim == 2 and p.shape[0] == p.shape[1])
    assert H_total == 6                                                  # H units in all, either way
    _check_model_gradients(model, xs, ts, tol=1e-7)


def test_time_softmax_with_loss_checks_dout():
    layer = rnn.TimeSoftmaxWithLoss()
    layer.forward(np.zeros((2, 3, 4)), np.zeros((2, 3), int))
    with pytest.raises(ValueError, match=r"TimeSoftmaxWithLoss.backward: expected dout .* of shape \(\), got \(2,\)"):
        layer.backward(np.ones(2))


# --- echo state network, clipping, initialisation -------------------------------------

def test_echo_state_network_reservoir_and_fit():
    esn = rnn.EchoStateNetwork(1, 200, spectral_radius=0.8, rng=0)
    assert abs(np.max(np.abs(np.linalg.eigvals(esn.W))) - 0.8) < 1e-10
    t = np.arange(1500) * 0.1
    series = np.sin(t) + 0.5 * np.sin(0.31 * t)
    esn.fit(series[:-1, None], series[1:, None], washout=100)
    pred = esn.predict(series[1000:-1, None])
    err = np.sqrt(np.mean((pred[100:, 0] - series[1101:]) ** 2))
    assert err < 1e-2 * series.std()
    # echo state property: two different starts forget themselves
    a = esn.states(series[:300, None], state=np.ones(200))
    b = esn.states(series[:300, None], state=-np.ones(200))
    assert np.abs(a[-1] - b[-1]).max() < 1e-6
    gen = esn.generate(20, series[-1:], state=esn.states(series[:-1, None])[-1])
    assert gen.shape == (20, 1)


def test_echo_state_network_errors():
    esn = rnn.EchoStateNetwork(2, 20, rng=0)
    with pytest.raises(RuntimeError, match="fit"):
        esn.predict(np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        esn.states(np.zeros((5, 3)))


def test_clip_grads():
    g1, g2 = np.array([3.0, 0.0]), np.array([[0.0, 4.0]])
    norm = rnn.clip_grads([g1, g2], max_norm=1.0)
    assert norm == pytest.approx(5.0)
    assert np.sqrt(np.sum(g1 ** 2) + np.sum(g2 ** 2)) == pytest.approx(1.0, rel=1e-5)
    assert g1[0] / g2[0, 1] == pytest.approx(0.75)                       # direction kept
    small = [np.array([0.1, 0.2])]
    rnn.clip_grads(small, 5.0)
    assert np.array_equal(small[0], [0.1, 0.2])


def test_init_recurrent():
    Wx, Wh, b = rnn.init_recurrent("lstm", 5, 4, rng=0, dtype=np.float32)
    assert Wx.shape == (5, 16) and Wh.shape == (4, 16) and b.dtype == np.float32
    assert np.all(b[:4] == 1) and np.all(b[4:] == 0)
    assert rnn.init_recurrent("gru", 5, 4, rng=0)[0].shape == (5, 12)
