# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 10 · Exercises: dropout and weight decay
#
# Two exercises, 5 points: a Dropout layer (inverted dropout, with its backward pass) and
# the gradient of the L2 penalty. The lesson is `notebooks/10_regularization.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "Dropout_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 10.1 · Inverted dropout (3 points)
#
# `Dropout(p, rng)` switches each unit off with probability `p` while training.
# `rng` is a seed (an int) or `None`; the given constructor turns it into the generator
# `self.rng`. Draw every mask from `self.rng` (never from the global `np.random`).
#
# - `forward(x, train=True)`, `x` of any shape: in training draw a boolean mask of the
#   shape of `x` that is `True` (keep) with probability `1 - p`, and return
#   `x * mask / (1 - p)`, so the expected output equals `x`. With `train=False` return
#   `x` unchanged (inverted dropout does all its scaling while training).
# - `backward(dout)`: the gradient goes through the same mask with the same scale:
#   `dx = dout * mask / (1 - p)`, zero exactly where the forward output was zero.
#
# Hint: `self.rng.random(x.shape) >= p` is `True` with probability `1 - p`. The check
# cannot see your mask, so it measures it: the fraction of zeros, the kept values, the
# mean, and the backward pass, on a large seeded input.

# %% nbgrader={"grade": false, "grade_id": "Dropout", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Dropout:
    def __init__(self, p, rng=None):                  # p: drop probability, 0 <= p < 1
        self.p, self.rng = p, np.random.default_rng(rng)
        self.params, self.grads = [], []
    def forward(self, x, train=True):                 # x: any shape -> out: same shape
        ### BEGIN SOLUTION
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.p    # True = kept, probability 1 - p
        return x * self.mask / (1.0 - self.p)
        ### END SOLUTION
    def backward(self, dout):                         # dout: shape of out -> dx: same shape
        ### BEGIN SOLUTION
        return dout * self.mask / (1.0 - self.p)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_Dropout", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("10.dropout", Dropout)


# %% [markdown] nbgrader={"grade": false, "grade_id": "l2_grads_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 10.2 · The gradient of weight decay (2 points)
#
# Weight decay trains on $L + \frac{\lambda}{2} \sum_W \lVert W \rVert^2$, where the sum
# runs over the **weight matrices only**, not the biases. Write `l2_grads(params, grads, lam)`:
# `params` is a list of arrays `[W1, b1, W2, b2, ...]` (weights have 2 axes, biases 1),
# `grads` the gradients of $L$ in the same order and shapes. Return a **new list** of the
# same length with the gradients of the penalised loss.
#
# Hint: the derivative of $\frac{\lambda}{2}\lVert W \rVert^2 = \frac{\lambda}{2}\sum_{ij} W_{ij}^2$
# with respect to $W_{ij}$ is $\lambda W_{ij}$. Tell weights from biases by `p.ndim`.

# %% nbgrader={"grade": false, "grade_id": "l2_grads", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l2_grads(params, grads, lam):
    """params, grads: lists of arrays (same shapes); lam: float -> list of gradients."""
    ### BEGIN SOLUTION
    return [g + lam * p if p.ndim >= 2 else g for p, g in zip(params, grads)]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_l2_grads", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("10.l2_grads", l2_grads)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Put your `Dropout` between the layers of a small network and check its backward
# pass with `dlcourse.gradients.numerical_gradient`: a numerical gradient only works if
# the mask stays fixed, so reseed the generator before every forward pass.
