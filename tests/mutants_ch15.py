"""Typical wrong answers for the checks of chapter 15 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse.rnn import LSTMCell


def _encode(xs, W_embed, Wx, Wh, b, reverse=False, flip=None, carry_c=True, pick="last"):
    if flip is None:
        flip = reverse
    if flip == "batch":
        xs = xs[::-1]
    elif flip:
        xs = xs[:, ::-1]
    cell = LSTMCell(Wx, Wh, b)
    N, T = xs.shape
    H = Wh.shape[0]
    h, c = np.zeros((N, H)), np.zeros((N, H))
    hs, cs = [], []
    for t in range(T):
        h, c = cell.forward(W_embed[xs[:, t]], h, c if carry_c else np.zeros((N, H)))
        hs.append(h)
        cs.append(c)
    return {"last": hs[-1], "first": hs[0], "mean": np.mean(hs, axis=0), "cell": cs[-1]}[pick]


def _decode(h, W_embed, Wx, Wh, b, W_out, b_out, start_id, length, feedback=True,
            carry=True, c_from_h=False, keep_start=False, from_zeros=False):
    cell = LSTMCell(Wx, Wh, b)
    N = h.shape[0]
    h0 = np.zeros_like(h) if from_zeros else h
    state = (h0, h0.copy() if c_from_h else np.zeros_like(h))
    prev = np.full(N, start_id)
    out = [prev] if keep_start else []
    for _ in range(length):
        hn, cn = cell.forward(W_embed[prev], *state)
        state = (hn, cn) if carry else state
        ids = (hn @ W_out + b_out).argmax(axis=1)
        out.append(ids)
        prev = ids if feedback else prev
    return np.stack(out[:length], axis=1)       # with keep_start: shifted by one


MUTANTS = {
    "15.encoder_forward": [
        ("returns the state after the first input", lambda *a, reverse=False: _encode(*a, reverse=reverse, pick="first")),
        ("ignores reverse", lambda *a, reverse=False: _encode(*a, reverse=reverse, flip=False)),
        ("reverses the batch axis instead of time", lambda *a, reverse=False: _encode(
            *a, reverse=reverse, flip="batch" if reverse else False)),
        ("memory cell c reset at every step", lambda *a, reverse=False: _encode(*a, reverse=reverse, carry_c=False)),
        ("mean of all hidden states", lambda *a, reverse=False: _encode(*a, reverse=reverse, pick="mean")),
        ("returns the memory cell c", lambda *a, reverse=False: _encode(*a, reverse=reverse, pick="cell")),
    ],
    "15.greedy_decode": [
        ("feeds the start id at every step", lambda *a: _decode(*a, feedback=False)),
        ("restarts from h at every step", lambda *a: _decode(*a, carry=False)),
        ("starts from zeros, not from h", lambda *a: _decode(*a, from_zeros=True)),
        ("memory cell starts as h", lambda *a: _decode(*a, c_from_h=True)),
        ("start id kept as the first output, last id dropped", lambda *a: _decode(*a, keep_start=True)),
    ],
}
