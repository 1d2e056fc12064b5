# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 05 · Exercises: hidden layers
#
# Two exercises, 4 points. Run the first cell, write your code in place of
# `raise NotImplementedError()`, then run the check cell under it.
# The lesson is `notebooks/05_hidden.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.experiments.hidden import neubig_network
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "xor_weights_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 5.1 · Weights for the XOR network (2 points)
#
# Neubig's four inputs, in ±1 form, are
# $\phi(x_1) = (-1, 1)$, $\phi(x_2) = (1, 1)$, $\phi(x_3) = (-1, -1)$, $\phi(x_4) = (1, -1)$
# with labels X, O, O, X, that is $-1, +1, +1, -1$. Every unit outputs
# $\text{sign}(a) = +1$ if $a > 0$, else $-1$.
#
# Write `xor_weights()` returning `(W1, b1, w2, b2)` for a network with one hidden layer
# that gets all four right:
#
# - `W1`, shape `(2, H)`: the hidden layer computes $y = \text{sign}(\phi\,W_1 + b_1)$, so
#   **column** $j$ of `W1` holds hidden unit $j$'s two weights;
# - `b1`, shape `(H,)`: the hidden biases;
# - `w2`, shape `(H,)`, and the number `b2`: the output is $\text{sign}(y \cdot w_2 + b_2)$.
#
# Any weights that work pass; try your own rather than copying the lesson's. `H = 2` is
# enough. To see what your network does, `print(neubig_network(*xor_weights()))`.
#
# Hint: let one hidden unit fire only for $(1, 1)$ and another only for $(-1, -1)$.
# Which inputs make both of them output $-1$?

# %% nbgrader={"grade": false, "grade_id": "xor_weights", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xor_weights():
    """Return (W1 (2, H), b1 (H,), w2 (H,), b2) of a ±1 network that computes Neubig's XOR."""
    ### BEGIN SOLUTION
    W1 = np.array([[2.0, -2.0],      # unit 1 fires only for (1, 1): 2 phi1 + 2 phi2 - 3 > 0
                   [2.0, -2.0]])     # unit 2 fires only for (-1, -1)
    b1 = np.array([-3.0, -3.0])
    w2 = np.array([1.0, 1.0])        # the output fires if either unit does
    b2 = 0.5
    return W1, b1, w2, b2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_xor_weights", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("05.xor_weights", xor_weights)


# %% [markdown] nbgrader={"grade": false, "grade_id": "count_params_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 5.2 · Counting parameters (2 points)
#
# A fully connected network is described by its layer sizes, input first:
# `[2, 4, 1]` is the Playground demo (2 inputs, 4 hidden units, 1 output). Between each
# pair of neighbouring layers of sizes $n_{in}$ and $n_{out}$ there is a weight matrix of
# shape $(n_{in}, n_{out})$ and a bias vector of $n_{out}$ numbers.
#
# Write `count_params(sizes)` returning the total number of weights and biases as an `int`.
# For `[2, 4, 1]` that is $2 \cdot 4 + 4 + 4 \cdot 1 + 1 = 17$. The check compares your
# count with the parameters of `dlcourse.models.MLP(sizes)` for several size lists; count
# them yourself (an answer that builds an `MLP` to count for it scores 0 when graded).

# %% nbgrader={"grade": false, "grade_id": "count_params", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_params(sizes):
    """Number of weights and biases of a fully connected net with layer sizes [D, H1, ..., C]."""
    ### BEGIN SOLUTION
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_count_params", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("05.count_params", count_params)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Continue with `notebooks/06_descent.ipynb`.
