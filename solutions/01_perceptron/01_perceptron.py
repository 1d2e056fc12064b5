# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 01 · Exercises: perceptrons and logic gates
#
# Three exercises, 5 points. Run the first cell, write your code in place of
# `raise NotImplementedError()`, then run the check cell under it.
# The lesson is `notebooks/01_perceptron.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.gates import AND, NAND, OR
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "perceptron_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 1.1 · The perceptron (2 points)
#
# Write `perceptron(x, w, b)`. It outputs 1 where $x \cdot w + b > 0$ (strictly greater)
# and 0 elsewhere.
#
# - `x` is one input of shape `(D,)` **or** a batch of inputs of shape `(N, D)`;
# - `w` has shape `(D,)`, `b` is a number;
# - return a single 0/1 for one input, an integer array of shape `(N,)` for a batch.
#
# Hint: `x @ w` works for both shapes of `x`; a comparison like `a > 0` gives booleans,
# and `.astype(int)` turns them into 0/1.

# %% nbgrader={"grade": false, "grade_id": "perceptron", "locked": false, "schema_version": 3, "solution": true, "task": false}
def perceptron(x, w, b):
    """1 where x @ w + b > 0, else 0. x: (D,) or (N, D); w: (D,); returns 0/1 or (N,)."""
    ### BEGIN SOLUTION
    return (np.asarray(x) @ np.asarray(w) + b > 0).astype(int)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_perceptron", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("01.perceptron", perceptron)


# %% [markdown] nbgrader={"grade": false, "grade_id": "nand_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 1.2 · Weights for NAND (1 point)
#
# NAND ("not AND") outputs 0 only when both inputs are 1. Find weights and a bias of
# your own that make one perceptron compute NAND, and return them as `(w1, w2, b)`.
# Any values that give the right truth table pass; try not to copy the slides'.

# %% nbgrader={"grade": false, "grade_id": "nand_params", "locked": false, "schema_version": 3, "solution": true, "task": false}
def nand_params():
    """Return (w1, w2, b) such that the perceptron computes NAND."""
    ### BEGIN SOLUTION
    return -1.0, -1.0, 1.5
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_nand_params", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("01.nand_params", nand_params)


# %% [markdown] nbgrader={"grade": false, "grade_id": "xor_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 1.3 · XOR from gates (2 points)
#
# One perceptron cannot compute XOR, but two layers can. Using only the gates `AND`,
# `OR` and `NAND` (imported above; each takes two inputs), write `xor(x1, x2)`.
# It should also work when `x1` and `x2` are arrays, which it will if you only call
# the gates.

# %% nbgrader={"grade": false, "grade_id": "xor", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xor(x1, x2):
    """XOR of two 0/1 inputs (or arrays of them), built from AND, OR and NAND."""
    ### BEGIN SOLUTION
    s1 = NAND(x1, x2)
    s2 = OR(x1, x2)
    return AND(s1, s2)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_xor", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("01.xor", xor)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Continue with `notebooks/02_activations.ipynb`.
