# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 00 · Exercises: warm-up
#
# This is how every exercise notebook works:
#
# 1. Run the first cell (the imports).
# 2. Under each exercise, replace `raise NotImplementedError()` with your code.
# 3. Run your cell, then the **check cell** under it. It prints one line per quantity it
#    tested, then PASS or FAIL with your points, and a hint if something is off.
#
# Grey cells are locked: they belong to the course. If you break something, use
# **Kernel → Restart Kernel and Run All Cells**.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "dot_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 0.1 · A dot product (1 point)
#
# The dot product of two vectors of the same length is the sum of their elementwise
# products: $u \cdot v = \sum_i u_i v_i$. Every neuron in this course computes one.
#
# Write `dot(u, v)` for two 1-D numpy arrays of equal length `D`. It returns a single
# number. Use `*` and `np.sum` (not `np.dot` or `@`: the point is to see what they do).
#
# Example: `dot(np.array([1, 2, 3]), np.array([4, 5, 6]))` is `1·4 + 2·5 + 3·6 = 32`.

# %% nbgrader={"grade": false, "grade_id": "dot", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dot(u, v):
    """Dot product of u, shape (D,), and v, shape (D,): a float."""
    ### BEGIN SOLUTION
    return float(np.sum(u * v))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_dot", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("00.dot", dot)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# That's all for the warm-up. Continue with the lesson `notebooks/01_perceptron.ipynb`.
