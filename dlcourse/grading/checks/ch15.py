"""Checks for chapter 15 (sequence to sequence).

``15.encoder_forward``: the thought vector of an embedding + LSTM encoder is
compared with ``seq2seq.Encoder`` given the same weights, with and without
the reversed input, for several shapes (T = 1 included). ``15.greedy_decode``:
greedy decoding from a given state is compared id for id with
``seq2seq.Decoder.generate`` given the same weights. Both are forward passes
(no gradients), compared in float64 at 1e-7.
"""
import numpy as np

from dlcourse import seq2seq as S
from dlcourse.grading.core import register

ENCODER_SHAPES = ((3, 5, 7, 4, 6), (2, 1, 5, 3, 4), (4, 6, 9, 5, 3))
"""(N, T, V, D, H): D != H so a wrong weight matrix breaks a shape; T = 1 is the edge case."""
DECODER_SHAPES = ((4, 5, 7, 4, 6), (3, 1, 6, 3, 5), (5, 7, 9, 5, 3))
"""(N, length, V, D, H)."""


def _with_weights(obj, weights):
    """Copy the given arrays into a reference object's params, in order."""
    for p, w in zip(obj.params, weights):
        p[...] = w
    return obj


def _encoder_weights(rng, V, D, H):
    return (rng.standard_normal((V, D)), 0.8 * rng.standard_normal((D, 4 * H)),
            0.8 * rng.standard_normal((H, 4 * H)), 0.5 * rng.standard_normal(4 * H))


@register("15.encoder_forward", points=3,
          forbid=("dlcourse.seq2seq.Encoder", "dlcourse.rnn.TimeLSTM"),
          title="encoder_forward(xs, W_embed, Wx, Wh, b, reverse=False) -> h (N, H)",
          hint="embed with W_embed[xs[:, t]] (N, D); start from h = c = zeros((N, H)); "
               "h, c = cell.forward(x_t, h, c) for t = 0 .. T-1 (carry both h and c); return the "
               "last h; with reverse=True read xs[:, ::-1] (reverse the time axis, axis 1)")
def check_encoder_forward(encoder_forward, c):
    for N, T, V, D, H in ENCODER_SHAPES:
        xs = c.rng.integers(0, V, (N, T))
        W = _encoder_weights(c.rng, V, D, H)
        ref = _with_weights(S.Encoder(V, D, H), W)
        for reverse in (False, True):
            expected = ref.forward(xs[:, ::-1] if reverse else xs)
            c.close(f"xs ({N}, {T}), H = {H}, reverse={reverse}",
                    lambda: encoder_forward(xs.copy(), *(w.copy() for w in W), reverse=reverse),
                    expected,
                    hint="the thought vector is the hidden state after the LAST input; carry h "
                         "and c from step to step, and reverse the time axis (xs[:, ::-1]) "
                         "when reverse=True")


def _decoder_weights(rng, V, D, H):
    return (rng.standard_normal((V, D)), 0.8 * rng.standard_normal((D, 4 * H)),
            0.8 * rng.standard_normal((H, 4 * H)), 0.5 * rng.standard_normal(4 * H),
            2.0 * rng.standard_normal((H, V)), 0.5 * rng.standard_normal(V))


@register("15.greedy_decode", points=3,
          forbid=("dlcourse.seq2seq.Decoder", "dlcourse.seq2seq.PeekyDecoder",
                  "dlcourse.seq2seq.Seq2Seq", "dlcourse.seq2seq.sample_ids"),
          title="greedy_decode(h, W_embed, Wx, Wh, b, W_out, b_out, start_id, length) -> ids (N, length)",
          hint="state (h, c = zeros); prev = start_id for every row; repeat length times: "
               "x = W_embed[prev]; h, c = cell.forward(x, h, c); scores = h @ W_out + b_out; "
               "prev = scores.argmax(axis=1); store prev. Do not store the start id")
def check_greedy_decode(greedy_decode, c):
    for N, length, V, D, H in DECODER_SHAPES:
        h = c.rng.standard_normal((N, H))
        W = _decoder_weights(c.rng, V, D, H)
        ref = _with_weights(S.Decoder(V, D, H), W)
        for start in (1, V - 1):
            expected = ref.generate(h, start, length)
            c.equal(f"N = {N}, length {length}, V = {V}, start id {start}",
                    lambda: greedy_decode(h.copy(), *(w.copy() for w in W), start, length),
                    expected,
                    hint="feed each step's argmax back in as the next input, and carry the LSTM "
                         "state (h, c) from step to step, starting from the given h and c = 0")
