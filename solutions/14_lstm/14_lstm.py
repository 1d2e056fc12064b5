# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 14 · Exercises: LSTM and GRU
#
# Four exercises, 9 points. You write an LSTM cell (forward, then backward), the GRU
# backward pass that seed 004 leaves out ("逆伝播計算 (省略)"), and a parameter count.
# Every gradient is compared with a numerical gradient in float64, at a tolerance of
# 1e-7. The lesson is `notebooks/14_lstm.ipynb`.
#
# The cells follow the course's recurrent-cell contract: `params = [Wx, Wh, b]`, `grads`
# holds arrays of the same shapes, `forward` keeps what `backward` needs, and `backward`
# fills `grads` **in place** and returns the gradient of every forward input. Shapes: a
# batch `x` is `(N, D)`, states `h` and `c` are `(N, H)`; the gate blocks sit side by
# side in the columns of `Wx (D, G·H)`, `Wh (H, G·H)` and `b (G·H,)`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.functions import sigmoid
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "LSTMCell_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 14.1 · The LSTM cell, forward (2 points)
#
# With $a = x W_x + h_{prev} W_h + b$ of shape `(N, 4H)`, split into four `(N, H)` blocks
# **in the order f, g, i, o** (columns `0:H`, `H:2H`, `2H:3H`, `3H:4H`):
#
# $$f = \sigma(a_f),\quad g = \tanh(a_g),\quad i = \sigma(a_i),\quad o = \sigma(a_o)$$
# $$c_{next} = f \odot c_{prev} + g \odot i, \qquad h_{next} = o \odot \tanh(c_{next})$$
#
# Write `forward(x, h_prev, c_prev)` returning the pair `(h_next, c_next)`. Keep in
# `self.cache` whatever your backward (exercise 14.2) will need. `sigmoid` is imported.

# %% nbgrader={"grade": false, "grade_id": "LSTMCell", "locked": false, "schema_version": 3, "solution": true, "task": false}
class LSTMCell:
    def __init__(self, Wx, Wh, b):                  # Wx (D, 4H), Wh (H, 4H), b (4H,)
        self.params, self.grads = [Wx, Wh, b], [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    def forward(self, x, h_prev, c_prev):           # (N, D), (N, H), (N, H) -> (h_next, c_next)
        ### BEGIN SOLUTION
        H = c_prev.shape[1]
        a = x @ self.params[0] + h_prev @ self.params[1] + self.params[2]      # (N, 4H)
        f, g, i, o = sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
        c_next = f * c_prev + g * i
        self.cache = (x, h_prev, c_prev, f, g, i, o, np.tanh(c_next))
        return o * np.tanh(c_next), c_next
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_LSTMCell", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("14.lstm_forward", LSTMCell)


# %% [markdown] nbgrader={"grade": false, "grade_id": "TrainableLSTMCell_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 14.2 · The LSTM cell, backward (3 points)
#
# `TrainableLSTMCell` is your `LSTMCell` plus `backward(dh_next, dc_next)`, which returns
# `(dx, dh_prev, dc_prev)` and fills `self.grads = [dWx, dWh, db]`. Work from the outputs
# back:
#
# 1. the memory cell receives gradient from both outputs:
#    $dc = dc_{next} + dh_{next} \odot o \odot (1 - \tanh^2 c_{next})$;
# 2. the four pre-activation gradients, stacked in the order f, g, i, o into `da (N, 4H)`:
#    $da_f = dc \odot c_{prev} \odot f(1-f)$, $da_g = dc \odot i \odot (1-g^2)$,
#    $da_i = dc \odot g \odot i(1-i)$, $da_o = dh_{next} \odot \tanh(c_{next}) \odot o(1-o)$;
# 3. $dc_{prev} = dc \odot f$ — the constant error carousel: only a product with the
#    forget gate, no weight matrix and no squashing;
# 4. as for an Affine layer: `dx = da @ Wx.T`, `dh_prev = da @ Wh.T`, `dWx = x.T @ da`,
#    `dWh = h_prev.T @ da`, `db = da.sum(axis=0)`.
#
# `np.hstack` joins the four blocks. Write into the existing arrays (`self.grads[0][...] = ...`).

# %% nbgrader={"grade": false, "grade_id": "TrainableLSTMCell", "locked": false, "schema_version": 3, "solution": true, "task": false}
class TrainableLSTMCell(LSTMCell):
    def backward(self, dh_next, dc_next):           # (N, H) each -> (dx (N, D), dh_prev, dc_prev); fills grads
        ### BEGIN SOLUTION
        x, h_prev, c_prev, f, g, i, o, tc = self.cache
        dc = dc_next + dh_next * o * (1 - tc ** 2)
        da = np.hstack([dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                        dc * g * i * (1 - i), dh_next * tc * o * (1 - o)])      # (N, 4H)
        self.grads[0][...], self.grads[1][...] = x.T @ da, h_prev.T @ da
        self.grads[2][...] = da.sum(axis=0)
        return da @ self.params[0].T, da @ self.params[1].T, dc * f
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_TrainableLSTMCell", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("14.lstm_backward", TrainableLSTMCell)


# %% [markdown] nbgrader={"grade": false, "grade_id": "GRUCell_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 14.3 · The GRU backward that seed 004 leaves out (3 points)
#
# The cell below is seed 004's GRU forward: columns z, r, candidate, and
#
# $$z = \sigma(x W_{xz} + h W_{hz} + b_z),\quad r = \sigma(x W_{xr} + h W_{hr} + b_r)$$
# $$\tilde h = \tanh\big(x W_{xh} + (r \odot h) W_{hh} + b_h\big),\qquad
#   h_{next} = z \odot h + (1 - z) \odot \tilde h$$
#
# with $h = h_{prev}$. Write `backward(dh_next)` returning `(dx, dh_prev)` and filling
# `self.grads = [dWx, dWh, db]`. From the last line up:
#
# - $dz = dh_{next} \odot (h - \tilde h)$ and $d\tilde h = dh_{next} \odot (1 - z)$;
#   $h$ also gets $dh_{next} \odot z$ directly;
# - through the tanh: $da_h = d\tilde h \odot (1 - \tilde h^2)$; the reset gate acts
#   **before** the product, so $dW_{hh} = (r \odot h)^T da_h$ and
#   $d(r \odot h) = da_h W_{hh}^T$, which gives $dr = d(r\odot h) \odot h$ and a share
#   $d(r \odot h) \odot r$ for $h$;
# - through the sigmoids: $da_z = dz \odot z(1-z)$, $da_r = dr \odot r(1-r)$, and $h$ gets
#   $da_z W_{hz}^T + da_r W_{hr}^T$.
#
# `dWx`, `db` and `dx` use all three blocks `[da_z, da_r, da_h]`; the z and r blocks of
# `dWh` are `h.T @ [da_z, da_r]`.

# %% nbgrader={"grade": false, "grade_id": "GRUCell_given", "locked": true, "schema_version": 3, "solution": false, "task": false}
class GRUCell:
    """Seed 004's GRU, forward only. Wx (D, 3H), Wh (H, 3H), b (3H,); columns z, r, candidate."""
    def __init__(self, Wx, Wh, b):
        self.params, self.grads = [Wx, Wh, b], [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    def forward(self, x, h_prev):                   # (N, D), (N, H) -> h_next (N, H)
        Wx, Wh, b = self.params
        H = h_prev.shape[1]
        z = sigmoid(x @ Wx[:, :H] + h_prev @ Wh[:, :H] + b[:H])
        r = sigmoid(x @ Wx[:, H:2 * H] + h_prev @ Wh[:, H:2 * H] + b[H:2 * H])
        h_hat = np.tanh(x @ Wx[:, 2 * H:] + (r * h_prev) @ Wh[:, 2 * H:] + b[2 * H:])
        self.cache = (x, h_prev, z, r, h_hat)
        return z * h_prev + (1 - z) * h_hat


# %% nbgrader={"grade": false, "grade_id": "TrainableGRUCell", "locked": false, "schema_version": 3, "solution": true, "task": false}
class TrainableGRUCell(GRUCell):
    def backward(self, dh_next):                    # (N, H) -> (dx (N, D), dh_prev (N, H)); fills grads
        ### BEGIN SOLUTION
        (Wx, Wh, _), (x, h_prev, z, r, h_hat) = self.params, self.cache
        H = dh_next.shape[1]
        da_h = dh_next * (1 - z) * (1 - h_hat ** 2)
        d_rh = da_h @ Wh[:, 2 * H:].T                # gradient of r * h_prev
        da_z = dh_next * (h_prev - h_hat) * z * (1 - z)
        da_r = d_rh * h_prev * r * (1 - r)
        da = np.hstack([da_z, da_r, da_h])           # (N, 3H)
        self.grads[0][...], self.grads[2][...] = x.T @ da, da.sum(axis=0)
        self.grads[1][...] = np.hstack([h_prev.T @ da[:, :2 * H], (r * h_prev).T @ da_h])
        dh_prev = dh_next * z + d_rh * r + da[:, :2 * H] @ Wh[:, :2 * H].T
        return da @ Wx.T, dh_prev
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_TrainableGRUCell", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("14.gru_backward", TrainableGRUCell)


# %% [markdown] nbgrader={"grade": false, "grade_id": "count_params_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 14.4 · Counting parameters (1 point)
#
# Seed 004 says the GRU cuts the LSTM's parameters. Write `count_params(kind, D, H)`:
# the number of entries of `Wx`, `Wh` and `b` of a recurrent layer with input size `D`
# and hidden size `H`, for `kind` in `"rnn"`, `"lstm"`, `"gru"`. Each gate block (or the
# RNN's single tanh unit) has its own `D·H` input weights, `H·H` recurrent weights and
# `H` biases. Check that the GRU has exactly 3/4 of the LSTM's.

# %% nbgrader={"grade": false, "grade_id": "count_params", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_params(kind, D, H):
    """Parameters of Wx, Wh, b for kind 'rnn', 'lstm' or 'gru'. Returns an int."""
    ### BEGIN SOLUTION
    blocks = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    return blocks * (D * H + H * H + H)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_count_params", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("14.count_params", count_params)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Chapter 15 puts an LSTM encoder and decoder together into a sequence-to-sequence model.
