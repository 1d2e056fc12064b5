# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 02 · Exercises: activation functions
#
# Four exercises, 6 points. Every function takes a numpy array of any shape and works
# elementwise (softmax: along the last axis). Use numpy operations, no Python loops.
# The lesson is `notebooks/02_activations.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "sigmoid_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 2.1 · An overflow-safe sigmoid (2 points)
#
# $\sigma(x) = 1 / (1 + e^{-x})$. Written like that, `np.exp(-x)` overflows for
# $x = -1000$ and numpy warns. Write `sigmoid(x)` so that it never calls `np.exp` on a
# large positive number.
#
# Hint: for $x < 0$, multiply top and bottom by $e^{x}$: $\sigma(x) = e^{x} / (1 + e^{x})$.
# With `e = np.exp(-np.abs(x))` both cases are safe, and `np.where(x >= 0, ..., ...)`
# picks the right one.

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid(x):
    """Elementwise 1 / (1 + exp(-x)) without overflow. x: any shape; returns the same shape."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_sigmoid", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("02.sigmoid", sigmoid)


# %% [markdown] nbgrader={"grade": false, "grade_id": "relu_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 2.2 · ReLU (1 point)
#
# $\text{ReLU}(x) = \max(0, x)$, elementwise. Return a **new** array: do not change `x`
# itself (later chapters keep `x` for the backward pass).

# %% nbgrader={"grade": false, "grade_id": "relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu(x):
    """Elementwise max(0, x). x: any shape; returns a new array of the same shape."""
    ### BEGIN SOLUTION
    return np.maximum(x, 0.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_relu", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("02.relu", relu)


# %% [markdown] nbgrader={"grade": false, "grade_id": "leaky_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 2.3 · Leaky ReLU (1 point)
#
# Leaky ReLU keeps a small slope `alpha` for negative inputs: $x$ where $x > 0$,
# $\alpha x$ elsewhere. Use the `alpha` argument (default 0.01).

# %% nbgrader={"grade": false, "grade_id": "leaky_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leaky_relu(x, alpha=0.01):
    """Elementwise x if x > 0 else alpha * x. x: any shape; returns the same shape."""
    ### BEGIN SOLUTION
    return np.where(x > 0, x, alpha * x)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_leaky_relu", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("02.leaky_relu", leaky_relu)


# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 2.4 · Softmax (2 points)
#
# $\text{softmax}(x)_k = e^{x_k} / \sum_j e^{x_j}$. Write `softmax(x)` for one score vector
# of shape `(C,)` **and** for a batch of shape `(N, C)`, where each row is one sample.
#
# - Subtract each row's maximum before `np.exp` so that scores like 1000 do not overflow.
# - `axis=-1` and `keepdims=True` make the same code work for both shapes.
#
# The slide's example: `softmax(np.array([0.3, 2.9, 1.0]))` ≈ `[0.0607, 0.8171, 0.1222]`.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax(x):
    """Softmax along the last axis. x: (C,) or (N, C); returns the same shape, rows summing to 1."""
    ### BEGIN SOLUTION
    z = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_softmax", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("02.softmax", softmax)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Chapter 03 uses the sigmoid for logistic regression.
