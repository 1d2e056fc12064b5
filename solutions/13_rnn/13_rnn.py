# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 13 · Exercises: recurrent networks
#
# Three exercises, 8 points. First one step of a tanh RNN with its backward pass, then
# back-propagation through time (BPTT) over a whole sequence, then the Jacobian products
# that make the gradient vanish or explode over many steps. Every gradient you compute is
# compared with a numerical gradient in float64, at a tolerance of 1e-7. The lesson is
# `notebooks/13_rnn.ipynb`.
#
# The layers follow the course's **layer contract**: `params` is a list of the layer's
# arrays, `grads` a list of arrays of the same shapes, `forward(...)` keeps what
# `backward` needs, and `backward(...)` fills `grads` and returns the gradient of each
# forward input. Shapes: a batch of inputs `x` is `(N, D)`, hidden states `h` are `(N, H)`,
# sequences are `(N, T, D)`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "RNNCell_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 13.1 · One step of a tanh RNN (3 points)
#
# `RNNCell(Wx, Wh, b)` with `Wx` `(D, H)`, `Wh` `(H, H)` and `b` `(H,)` computes one time step
#
# $$h_{\text{next}} = \tanh(x\,W_x + h_{\text{prev}}\,W_h + b).$$
#
# - `forward(x, h_prev)`: `x` `(N, D)`, `h_prev` `(N, H)` → `h_next` `(N, H)`; keep what
#   backward needs.
# - `backward(dh_next)`: `dh_next` `(N, H)` → the pair `(dx, dh_prev)`, and fill
#   `self.grads` with `dWx`, `dWh`, `db`.
#
# With $da = dh_{\text{next}} \odot (1 - h_{\text{next}}^2)$ (tanh's derivative, written
# with its **output**), every gradient is an affine layer's: $dx = da\,W_x^\top$,
# $dh_{\text{prev}} = da\,W_h^\top$, $dW_x = x^\top da$, $dW_h = h_{\text{prev}}^\top da$,
# $db = \sum_n da_n$.
#
# Hint: `Wh` multiplies `h_prev`, not `h_next`, so `dWh` needs `h_prev`. Write into the
# existing arrays with `self.grads[0][...] = ...`.

# %% nbgrader={"grade": false, "grade_id": "RNNCell", "locked": false, "schema_version": 3, "solution": true, "task": false}
class RNNCell:
    def __init__(self, Wx, Wh, b):                    # Wx (D, H), Wh (H, H), b (H,)
        self.params, self.grads = [Wx, Wh, b], [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    def forward(self, x, h_prev):                     # x (N, D), h_prev (N, H) -> h_next (N, H)
        ### BEGIN SOLUTION
        self.x, self.h_prev = x, h_prev
        self.h_next = np.tanh(x @ self.params[0] + h_prev @ self.params[1] + self.params[2])
        return self.h_next
        ### END SOLUTION
    def backward(self, dh_next):                      # dh_next (N, H) -> (dx (N, D), dh_prev (N, H))
        ### BEGIN SOLUTION
        da = dh_next * (1 - self.h_next ** 2)         # through tanh, written with its output
        self.grads[0][...], self.grads[1][...], self.grads[2][...] = self.x.T @ da, self.h_prev.T @ da, da.sum(0)
        return da @ self.params[0].T, da @ self.params[1].T
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_RNNCell", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("13.rnn_cell", RNNCell)


# %% [markdown] nbgrader={"grade": false, "grade_id": "bptt_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 13.2 · Back-propagation through time (3 points)
#
# Unrolled over $T$ steps, the RNN is $T$ copies of the cell that share `Wx`, `Wh` and `b`.
# The forward pass has already run: you get the inputs `xs` `(N, T, D)`, the states it
# computed `hs` `(N, T, H)` (row $t$ is $h_t$; the state before the first step is
# $h_{-1} = 0$), the weights, and `dhs` `(N, T, H)`: the gradient of the loss with respect to
# each state **from above** (e.g. from an output layer at every step). Write
# `bptt(xs, hs, Wx, Wh, dhs)` that returns `(dxs, dWx, dWh, db)` with the shapes of
# `xs`, `Wx`, `Wh` and `(H,)`.
#
# Walk the steps backwards, $t = T-1, \dots, 0$. The state $h_t$ gets gradient from two
# places: from above (`dhs[:, t]`) and from the next step ($dh$, what step $t+1$ sent back;
# zero at the last step). Then, as in 13.1,
#
# $$da_t = (dhs_t + dh) \odot (1 - h_t^2), \quad dx_t = da_t W_x^\top, \quad
# dh \leftarrow da_t W_h^\top,$$
#
# and because the weights are shared, their gradients are **sums over the steps**:
# $dW_x = \sum_t x_t^\top da_t$, $dW_h = \sum_t h_{t-1}^\top da_t$, $db = \sum_t \sum_n da_t$.
#
# Hints: at $t = 0$ the previous state is zeros, not `hs[:, -1]` (negative indices wrap
# round in numpy!). Start the sums at zero with `np.zeros_like`.

# %% nbgrader={"grade": false, "grade_id": "bptt", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bptt(xs, hs, Wx, Wh, dhs):
    """xs (N, T, D), hs (N, T, H), Wx (D, H), Wh (H, H), dhs (N, T, H) -> (dxs, dWx, dWh, db)."""
    ### BEGIN SOLUTION
    N, T, H = hs.shape
    dxs, dWx, dWh, db = np.zeros_like(xs), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    dh = np.zeros((N, H))                           # gradient sent back by step t + 1
    for t in reversed(range(T)):
        da = (dhs[:, t] + dh) * (1 - hs[:, t] ** 2)
        h_prev = hs[:, t - 1] if t > 0 else np.zeros((N, H))
        dxs[:, t], dh = da @ Wx.T, da @ Wh.T
        dWx, dWh, db = dWx + xs[:, t].T @ da, dWh + h_prev.T @ da, db + da.sum(axis=0)
    return dxs, dWx, dWh, db
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_bptt", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("13.bptt", bptt)


# %% [markdown] nbgrader={"grade": false, "grade_id": "jacobian_norms_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 13.3 · How far back does the gradient reach? (2 points)
#
# BPTT multiplies the gradient by one Jacobian per step back. For
# $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ with row vectors,
#
# $$J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(1 - h_t^2)\, W_h^\top,
# \qquad
# \frac{\partial h_{T-1}}{\partial h_{T-1-k}} = J_{T-1}\, J_{T-2} \cdots J_{T-k}.$$
#
# Write `jacobian_norms(hs, Wh)` for one sequence of states `hs` `(T, H)` (rows
# $h_0, \dots, h_{T-1}$) and `Wh` `(H, H)`. Return an array of shape `(T,)` whose entry `k`
# is the spectral norm $\lVert \partial h_{T-1} / \partial h_{T-1-k} \rVert_2$ for
# $k = 0, \dots, T-1$ (entry 0 is the identity's norm, 1).
#
# Hints: start from `M = np.eye(H)` and for `k = 1, ..., T-1` multiply it **on the right**
# by $J_{T-k}$: `(1 - hs[T - k] ** 2)[:, None] * Wh.T` scales row $i$ of $W_h^\top$ by
# $1 - h_{T-k,i}^2$. `np.linalg.norm(M, 2)` is the spectral norm (the largest singular value).

# %% nbgrader={"grade": false, "grade_id": "jacobian_norms", "locked": false, "schema_version": 3, "solution": true, "task": false}
def jacobian_norms(hs, Wh):
    """hs (T, H), Wh (H, H) -> (T,): norms[k] = ||dh_(T-1) / dh_(T-1-k)||_2."""
    ### BEGIN SOLUTION
    T, H = hs.shape
    M, norms = np.eye(H), np.ones(T)
    for k in range(1, T):
        M = M @ ((1 - hs[T - k] ** 2)[:, None] * Wh.T)
        norms[k] = np.linalg.norm(M, 2)
    return norms
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_jacobian_norms", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("13.jacobian_norms", jacobian_norms)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Put your `RNNCell` in a loop over time to get the states of a random sequence,
# then call your `jacobian_norms` with `Wh` scaled to spectral radius 0.5, 1 and 3: you
# should see the lesson's vanishing and exploding curves. Then add a leaky unit to your
# `RNNCell`, $h_{\text{next}} = (1 - \alpha) h_{\text{prev}} + \alpha \tanh(\dots)$, and
# check its backward with `dlcourse.gradients.numerical_gradient`.
