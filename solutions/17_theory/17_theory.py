# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 17 · Exercises: pruning masks and random features
#
# Three exercises, 5 points: the magnitude-pruning mask behind lottery tickets, a layer of
# random ReLU features, and the minimum-norm least-squares fit that shows double descent.
# The lesson is `notebooks/17_theory.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "magnitude_prune_mask_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 17.1 · A magnitude-pruning mask (2 points)
#
# Lottery tickets start from a mask that removes the weights whose **magnitude** $|w|$ is
# smallest. Write `magnitude_prune_mask(W, fraction)`:
#
# - `W` is an array of any shape; rank **all** its entries together by $|w|$.
# - Prune $k$ = `round(fraction * W.size)` entries, the $k$ smallest in magnitude.
# - Return a boolean array of the shape of `W`: `False` where a weight is pruned, `True`
#   where it is kept. Do not change `W`.
# - Raise `ValueError` unless `0 <= fraction <= 1`.
#
# Hint: `np.argsort(np.abs(W), axis=None)` gives the flat positions of the entries from the
# smallest $|w|$ up; `mask.reshape(W.shape)` restores the shape. Why `round`: `0.29 * 100`
# is `28.999999999999996` in floating point.

# %% nbgrader={"grade": false, "grade_id": "magnitude_prune_mask", "locked": false, "schema_version": 3, "solution": true, "task": false}
def magnitude_prune_mask(W, fraction):
    """Boolean mask of W's shape, False for the round(fraction * W.size) smallest |W|."""
    ### BEGIN SOLUTION
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"expected 0 <= fraction <= 1, got {fraction}")
    W = np.asarray(W)
    k = int(round(fraction * W.size))
    order = np.argsort(np.abs(W), axis=None)       # flat positions, smallest |w| first
    keep = np.ones(W.size, dtype=bool)
    keep[order[:k]] = False
    return keep.reshape(W.shape)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_magnitude_prune_mask", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("17.magnitude_prune_mask", magnitude_prune_mask)


# %% [markdown] nbgrader={"grade": false, "grade_id": "relu_features_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 17.2 · Random ReLU features (1 point)
#
# A random-features model is a one-hidden-layer network whose hidden weights are drawn once
# and never trained. Write `relu_features(X, W, b)` that returns the hidden layer
# $\Phi = \max(0, XW + b)$ for `X` of shape `(N, D)`, `W` of shape `(D, P)` and `b` of shape
# `(P,)`. The result has shape `(N, P)`: one row of $P$ features per sample.

# %% nbgrader={"grade": false, "grade_id": "relu_features", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu_features(X, W, b):
    """max(0, X @ W + b): X (N, D), W (D, P), b (P,) -> (N, P)."""
    ### BEGIN SOLUTION
    return np.maximum(X @ W + b, 0.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_relu_features", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("17.relu_features", relu_features)


# %% [markdown] nbgrader={"grade": false, "grade_id": "min_norm_fit_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 17.3 · The minimum-norm fit (2 points)
#
# Only the output weights $\beta$ are fitted: $\Phi \beta \approx Y$ with $\Phi$ of shape
# `(N, P)` and $Y$ of shape `(N,)` or `(N, C)`. Write `min_norm_fit(Phi, Y)` for both
# regimes (assume $\Phi$ has full rank):
#
# - **P < N** (fewer features than samples): no exact fit exists; take least squares,
#   $\beta = (\Phi^\top \Phi)^{-1} \Phi^\top Y$.
# - **P ≥ N**: infinitely many $\beta$ fit the samples exactly; take the one of smallest
#   norm, $\beta = \Phi^\top (\Phi \Phi^\top)^{-1} Y$ (it lies in the span of the rows of
#   $\Phi$, so no part of it is wasted on directions the data never sees).
#
# Use `np.linalg.solve(A, B)` to compute $A^{-1} B$, and not `np.linalg.pinv` or
# `np.linalg.lstsq`, which would do the exercise for you. The result has shape `(P,)` or
# `(P, C)`.

# %% nbgrader={"grade": false, "grade_id": "min_norm_fit", "locked": false, "schema_version": 3, "solution": true, "task": false}
def min_norm_fit(Phi, Y):
    """Least-squares weights of smallest norm: Phi (N, P), Y (N,) or (N, C) -> (P,) or (P, C)."""
    ### BEGIN SOLUTION
    N, P = Phi.shape
    if P < N:
        return np.linalg.solve(Phi.T @ Phi, Phi.T @ Y)      # (P, P) system
    return Phi.T @ np.linalg.solve(Phi @ Phi.T, Y)          # (N, N) system
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_min_norm_fit", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("17.min_norm_fit", min_norm_fit)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Put the last two together: `min_norm_fit(relu_features(X, W, b), Y)` for a growing
# number of features P is the double-descent curve of the lesson (`dlcourse.lessons.theory_gaps` holds
# the reference versions, `relu_features` and `min_norm_fit`).
