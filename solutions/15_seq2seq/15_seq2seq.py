# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 15 · Exercises: sequence to sequence
#
# Two exercises, 6 points: the two halves of an encoder-decoder, written with the LSTM cell
# of chapter 14 (`dlcourse.rnn.LSTMCell`, gate columns f, g, i, o). First the **encoder**:
# read a question one character at a time and return the thought vector. Then **greedy
# decoding**: start a decoder from a thought vector and generate an answer, feeding each
# chosen character back in. Both are checked against the course's `dlcourse.seq2seq` given
# the same weights. The lesson is `notebooks/15_seq2seq.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check
from dlcourse.rnn import LSTMCell


# %% [markdown] nbgrader={"grade": false, "grade_id": "encoder_forward_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 15.1 · The encoder's forward pass (3 points)
#
# The encoder turns a batch of questions `xs` `(N, T)` (integer character ids) into one
# vector per question, the **thought vector** `h` `(N, H)` (seed 004):
#
# $$e_t = W_{\text{embed}}[x_t], \qquad (h_t, c_t) = \text{LSTM}(e_t, h_{t-1}, c_{t-1}),
# \qquad h_0 = c_0 = 0, \qquad \text{thought vector} = h_T .$$
#
# Write `encoder_forward(xs, W_embed, Wx, Wh, b, reverse=False)` with `W_embed` `(V, D)`,
# `Wx` `(D, 4H)`, `Wh` `(H, 4H)` and `b` `(4H,)`. With `reverse=True` the encoder reads
# each question backwards (the reversed-input trick of the lesson).
#
# Hints: `cell = LSTMCell(Wx, Wh, b)` and `h, c = cell.forward(x, h, c)` run one step for
# the whole batch (`x` of shape `(N, D)`). `W_embed[xs[:, t]]` looks up the embeddings of
# step `t`. Reversing means reversing the *time* axis.

# %% nbgrader={"grade": false, "grade_id": "encoder_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def encoder_forward(xs, W_embed, Wx, Wh, b, reverse=False):
    """xs: (N, T) ids, W_embed: (V, D), Wx: (D, 4H), Wh: (H, 4H), b: (4H,) -> h (N, H)."""
    ### BEGIN SOLUTION
    if reverse:
        xs = xs[:, ::-1]                            # read every question backwards
    N, T = xs.shape
    H = Wh.shape[0]
    cell = LSTMCell(Wx, Wh, b)
    h, c = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T):
        h, c = cell.forward(W_embed[xs[:, t]], h, c)   # (N, D) in, (N, H) state out
    return h
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_encoder_forward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("15.encoder_forward", encoder_forward)


# %% [markdown] nbgrader={"grade": false, "grade_id": "greedy_decode_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 15.2 · Greedy decoding (3 points)
#
# The decoder starts its LSTM from the thought vector: $h_0 = h$, $c_0 = 0$. Its first input
# is the start character; at every step it scores the next character and, decoding
# **greedily**, takes the highest score and feeds that character back in as the next input:
#
# $$(h_t, c_t) = \text{LSTM}(W_{\text{embed}}[y_{t-1}], h_{t-1}, c_{t-1}), \qquad
# s_t = h_t W_{\text{out}} + b_{\text{out}}, \qquad y_t = \arg\max_v s_{t,v},
# \qquad y_0 = \text{start\_id}.$$
#
# Write `greedy_decode(h, W_embed, Wx, Wh, b, W_out, b_out, start_id, length)` returning the
# generated ids $y_1 \dots y_{\text{length}}$ as an integer array `(N, length)` (not the
# start id). `h` is `(N, H)`, `W_out` `(H, V)`, `b_out` `(V,)`; the other weights are as in
# 15.1.
#
# Hints: every row of the batch starts from the same `start_id`
# (`np.full(N, start_id)`); carry `h` and `c` from step to step; `argmax(axis=1)` picks one
# id per row.

# %% nbgrader={"grade": false, "grade_id": "greedy_decode", "locked": false, "schema_version": 3, "solution": true, "task": false}
def greedy_decode(h, W_embed, Wx, Wh, b, W_out, b_out, start_id, length):
    """h: (N, H), W_embed: (V, D), Wx: (D, 4H), Wh: (H, 4H), b: (4H,), W_out: (H, V),
    b_out: (V,), start_id: int, length: int -> ids (N, length) int."""
    ### BEGIN SOLUTION
    N = h.shape[0]
    cell = LSTMCell(Wx, Wh, b)
    c = np.zeros_like(h)
    prev = np.full(N, start_id)
    ids = np.empty((N, length), dtype=np.int64)
    for t in range(length):
        h, c = cell.forward(W_embed[prev], h, c)
        prev = (h @ W_out + b_out).argmax(axis=1)   # the best next character of each row
        ids[:, t] = prev
    return ids
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_greedy_decode", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("15.greedy_decode", greedy_decode)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Put your two functions together into a calculator. Train the lesson's model
# (`from dlcourse.experiments import seq2seq`, then `run = seq2seq.train_addition("reversed")`,
# about 10 seconds), take its weights (`run.model.encoder.params` are `W_embed, Wx, Wh, b`;
# `run.model.decoder.params` add `W_out, b_out`), and answer questions encoded with
# `run.data.vocab.encode("12+34")` with `reverse=True`. Then try sampling instead of the
# argmax: draw each id from `softmax(scores / T)` and watch the answers change with `T`.
