# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 08 · Exercises: deep networks and vanishing gradients
#
# Three exercises, 7 points: the Xavier and He initialisers, and a function that
# measures the gradient of every layer of a deep network. The lesson is
# `notebooks/08_deep.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse import functions
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "xavier_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 8.1 · Xavier initialisation (2 points)
#
# A layer computes `x @ W + b` with `W` of shape `(fan_in, fan_out)`. Xavier's initial
# weights are **normal** with mean 0 and standard deviation $\sqrt{1/\text{fan\_in}}$, so
# that a unit's weighted sum has about the same spread as each of its inputs.
#
# Write `xavier(fan_in, fan_out, rng)` returning such a matrix. Draw from the
# `np.random.Generator` you are given (`rng.standard_normal(shape)`), never from
# `np.random` directly, so the same seed gives the same weights.
#
# The check draws a (2000, 300) matrix and measures its mean, its std (within 2% of
# $\sqrt{1/2000} = 0.0224$) and its shape.

# %% nbgrader={"grade": false, "grade_id": "xavier", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xavier(fan_in, fan_out, rng):
    """Normal weights with std sqrt(1/fan_in). Returns shape (fan_in, fan_out)."""
    ### BEGIN SOLUTION
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_in)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_xavier", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("08.xavier", xavier)


# %% [markdown] nbgrader={"grade": false, "grade_id": "he_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 8.2 · He initialisation (2 points)
#
# ReLU sets about half of its inputs to 0, which halves the variance of the signal at every
# layer. He's initial weights make up for it with twice Xavier's variance: normal, mean 0,
# standard deviation $\sqrt{2/\text{fan\_in}}$.
#
# Write `he(fan_in, fan_out, rng)`, shape `(fan_in, fan_out)`.

# %% nbgrader={"grade": false, "grade_id": "he", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he(fan_in, fan_out, rng):
    """Normal weights with std sqrt(2/fan_in). Returns shape (fan_in, fan_out)."""
    ### BEGIN SOLUTION
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_he", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("08.he", he)


# %% [markdown] nbgrader={"grade": false, "grade_id": "norms_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 8.3 · The gradient of every layer (3 points)
#
# `params` is a list of layers `[(W1, b1), ..., (WL, bL)]`, `W` of shape
# `(fan_in, fan_out)`. The network is the lesson's:
#
# - hidden layers 1 .. L-1: `z = h @ W + b`, `h = act(z)` (`h` starts as the batch `x`,
#   shape `(N, D)`);
# - layer L: `scores = h @ W + b`, shape `(N, C)`;
# - loss: softmax cross-entropy, the **mean** over the batch, labels `t` of shape `(N,)`.
#
# Write `gradient_norms(params, x, t, activation)` returning the list of the L numbers
# $\lVert \partial L / \partial W_l \rVert$ (`np.linalg.norm` of each `dW`), **input layer
# first**. `activation` is `"sigmoid"`, `"tanh"` or `"relu"`;
# `functions.get_activation(name)` gives you `(act, act_grad)`, both taking `z`.
#
# Hints: in the forward pass keep every layer's input `h` and pre-activation `z`. Then go
# backwards from `dscores = (functions.softmax(scores) - onehot(t)) / N`: for a hidden
# layer `dz = dh * act_grad(z)`; for every layer `dW = h.T @ dz` and `dh = dz @ W.T`.

# %% nbgrader={"grade": false, "grade_id": "gradient_norms", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gradient_norms(params, x, t, activation):
    """||dL/dW|| of every layer, input layer first: a list of len(params) floats."""
    ### BEGIN SOLUTION
    act, act_grad = functions.get_activation(activation)
    hs, zs = [x], []
    for W, b in params[:-1]:
        zs.append(hs[-1] @ W + b)
        hs.append(act(zs[-1]))
    dz = (functions.softmax(hs[-1] @ params[-1][0] + params[-1][1]) - np.eye(len(params[-1][1]))[t]) / len(x)
    norms = []
    for k in range(len(params) - 1, -1, -1):
        norms.append(np.linalg.norm(hs[k].T @ dz))
        dz = (dz @ params[k][0].T) * act_grad(zs[k - 1]) if k > 0 else None
    return norms[::-1]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_gradient_norms", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("08.gradient_norms", gradient_norms)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Try your `gradient_norms` on a 10-layer sigmoid stack built with your `xavier`,
# then a ReLU stack built with your `he`: the first shrinks by orders of magnitude toward
# the input, the second does not.
