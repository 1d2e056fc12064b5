# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 11 · Exercises: autoencoders and the RBM
#
# Two exercises, 6 points. First the loss and the hand-written gradients of a small
# autoencoder whose decoder reuses the encoder's weights (tied weights); the gradients are
# compared with numerical gradients in float64 at a tolerance of 1e-7. Then one step of
# contrastive divergence (CD-1) for a restricted Boltzmann machine, with the random numbers
# passed in so that the answer is deterministic. The lesson is
# `notebooks/11_autoencoders.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.functions import sigmoid
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "autoencoder_loss_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 11.1 · Autoencoder loss and gradients (3 points)
#
# An autoencoder learns to reproduce its input, so the input `x` (shape `(N, D)`, values in
# [0, 1]) is also the target. With **tied weights** the decoder uses the transpose of the
# encoder's weight matrix `W` `(D, H)`:
#
# $$h = \sigma(xW + b), \qquad y = \sigma(hW^\top + c), \qquad
# \text{loss} = \frac{1}{2N}\sum_{n,k} (y_{nk} - x_{nk})^2 .$$
#
# Write `autoencoder_loss(x, W, b, c)` returning the tuple `(loss, dW, db, dc)`, with
# `dW` `(D, H)`, `db` `(H,)` and `dc` `(D,)` the gradients of the loss.
#
# Hints: go backwards one step at a time. `da = (y - x) / N * y * (1 - y)` is the gradient
# at the output sigmoid's input `(N, D)`; then `dh = da @ W` and `dz = dh * h * (1 - h)`.
# `W` is used **twice** (in the encoder as `W`, in the decoder as `W.T`), so `dW` is the sum
# of two shares, each of shape `(D, H)`.

# %% nbgrader={"grade": false, "grade_id": "autoencoder_loss", "locked": false, "schema_version": 3, "solution": true, "task": false}
def autoencoder_loss(x, W, b, c):
    """x: (N, D), W: (D, H), b: (H,), c: (D,) -> (loss, dW (D, H), db (H,), dc (D,))."""
    ### BEGIN SOLUTION
    N = x.shape[0]
    h = sigmoid(x @ W + b)                          # (N, H) the code
    y = sigmoid(h @ W.T + c)                        # (N, D) the reconstruction
    loss = 0.5 * np.sum((y - x) ** 2) / N
    da = (y - x) / N * y * (1 - y)                  # through the output sigmoid
    dz = (da @ W) * h * (1 - h)                     # through the hidden sigmoid
    dW = x.T @ dz + da.T @ h                        # encoder share + decoder share
    return loss, dW, dz.sum(axis=0), da.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_autoencoder_loss", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("11.autoencoder_loss", autoencoder_loss)


# %% [markdown] nbgrader={"grade": false, "grade_id": "cd1_update_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 11.2 · One CD-1 step of an RBM (3 points)
#
# A restricted Boltzmann machine has binary visible units `v` `(D,)` and hidden units `h`
# `(H,)`, weights `W` `(D, H)`, visible biases `a` `(D,)` and hidden biases `b` `(H,)`:
# $p(h_j = 1 \mid v) = \sigma(vW + b)_j$ and $p(v_i = 1 \mid h) = \sigma(hW^\top + a)_i$.
#
# Contrastive divergence with one Gibbs step (CD-1), for a batch `v0` `(N, D)`:
#
# 1. `ph0 = σ(v0 W + b)`; sample `h0 = (u_h < ph0)` as 0/1 floats;
# 2. sample `v1 = (u_v < σ(h0 Wᵀ + a))`;
# 3. `ph1 = σ(v1 W + b)` (probabilities — no sampling here);
# 4. return `dW = (v0ᵀ ph0 − v1ᵀ ph1) / N`, `da` = the batch mean of `v0 − v1`, and
#    `db` = the batch mean of `ph0 − ph1`.
#
# `u_h` `(N, H)` and `u_v` `(N, D)` are given uniform random numbers, so your answer is
# deterministic. Training then adds `lr *` these changes to `W`, `a`, `b`.
#
# Hint: both statistics use hidden *probabilities*; "data minus reconstruction" gives the
# sign.

# %% nbgrader={"grade": false, "grade_id": "cd1_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cd1_update(v0, W, a, b, u_h, u_v):
    """v0: (N, D), W: (D, H), a: (D,), b: (H,), u_h: (N, H), u_v: (N, D) -> (dW, da, db)."""
    ### BEGIN SOLUTION
    N = v0.shape[0]
    ph0 = sigmoid(v0 @ W + b)                       # (N, H) positive phase
    h0 = (u_h < ph0).astype(float)
    v1 = (u_v < sigmoid(h0 @ W.T + a)).astype(float)  # (N, D) one Gibbs step
    ph1 = sigmoid(v1 @ W + b)                       # negative phase
    dW = (v0.T @ ph0 - v1.T @ ph1) / N
    return dW, np.mean(v0 - v1, axis=0), np.mean(ph0 - ph1, axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_cd1_update", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("11.cd1_update", cd1_update)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Train a tied autoencoder on the digits with your gradients (plain gradient descent
# on `W`, `b`, `c`), or train an RBM with your `cd1_update` on binarised digits
# (`(X > 0.5).astype(float)` from `dlcourse.datasets.load_digits()`), and compare its
# filters with the ones in the lesson.
