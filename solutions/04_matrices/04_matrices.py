# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 04 · Exercises: the forward pass as matrix products
#
# Two exercises, 5 points. Run the first cell, write your code in place of
# `raise NotImplementedError()`, then run the check cell under it.
# The lesson is `notebooks/04_matrices.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.functions import sigmoid
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "matmul_shape_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 4.1 · The shape of a matrix product (2 points)
#
# Write `matmul_shape(a_shape, b_shape)` **without multiplying anything**. Each argument
# is the shape of a matrix, a tuple of two ints `(rows, columns)`.
#
# - If A has shape `(n, k)` and B has shape `(k, m)`, return the shape of `A @ B`, a
#   tuple `(n, m)`.
# - If A's number of columns differs from B's number of rows, raise a `ValueError`
#   whose message says which numbers differ.
#
# For example `matmul_shape((2, 3), (3, 2))` is `(2, 2)`, and
# `matmul_shape((3, 2), (3, 2))` raises `ValueError`.
#
# Hint: `n, k = a_shape` unpacks a shape. `raise ValueError(f"...")` raises the error;
# an `assert` would raise `AssertionError` instead, which is not what callers expect.

# %% nbgrader={"grade": false, "grade_id": "matmul_shape", "locked": false, "schema_version": 3, "solution": true, "task": false}
def matmul_shape(a_shape, b_shape):
    """Shape of A @ B from the shapes (n, k) and (k, m): returns (n, m); ValueError if the k's differ."""
    ### BEGIN SOLUTION
    n, k = a_shape
    k2, m = b_shape
    if k != k2:
        raise ValueError(f"inner dimensions differ: A has {k} columns, B has {k2} rows")
    return (n, m)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_matmul_shape", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("04.matmul_shape", matmul_shape)


# %% [markdown] nbgrader={"grade": false, "grade_id": "forward_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 4.2 · The forward pass of a 3-layer network (3 points)
#
# Write `forward(network, x)`. `network` is a dict holding `W1, b1, W2, b2, W3, b3`;
# the hidden layers use the sigmoid and the output uses the identity:
#
# $$ a_1 = x W_1 + b_1,\; z_1 = \sigma(a_1); \quad a_2 = z_1 W_2 + b_2,\; z_2 = \sigma(a_2);
#    \quad y = z_2 W_3 + b_3 $$
#
# - `x` is one input of shape `(D,)` **or** a batch of shape `(N, D)`, one input per row;
#   return `y` of shape `(C,)` or `(N, C)` to match.
# - The sizes come from the weights: `W1` has shape `(D, H1)`, `W2` `(H1, H2)`,
#   `W3` `(H2, C)`. Do not assume the slides' 2 → 3 → 2 → 2.
# - `sigmoid` is imported in the first cell.
#
# The cell below the answer runs your function on the slides' network; it should print
# `[0.3168 0.6963]`.
#
# Hint: keep `x` on the left of every product (`x @ W`), and the same code works for one
# row and for many.

# %% nbgrader={"grade": false, "grade_id": "forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def forward(network, x):
    """3-layer forward pass (sigmoid, sigmoid, identity). x: (D,) or (N, D); returns (C,) or (N, C)."""
    ### BEGIN SOLUTION
    z1 = sigmoid(x @ network["W1"] + network["b1"])     # (N, H1)
    z2 = sigmoid(z1 @ network["W2"] + network["b2"])    # (N, H2)
    return z2 @ network["W3"] + network["b3"]           # (N, C)
    ### END SOLUTION


# %% nbgrader={"grade": false, "grade_id": "try_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
slide_network = {
    "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
    "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
    "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
}
try:
    print(np.round(forward(slide_network, np.array([1.0, 0.5])), 4))
except NotImplementedError:
    print("forward still raises NotImplementedError: write it first")
except Exception as exc:
    print(f"forward raised {type(exc).__name__}: {exc}")

# %% nbgrader={"grade": true, "grade_id": "check_forward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("04.forward", forward)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Chapter 05 builds hidden layers by hand (Neubig's XOR network) and then lets
# networks like this one learn the Playground's data sets.
