# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 06 · Exercises: numerical gradient, cross-entropy, gradient descent
#
# Three exercises, 6 points. Together they are everything a network needs to learn
# without backpropagation: a loss, its gradient by central differences, and the descent
# that follows the gradient downhill. The lesson is `notebooks/06_descent.ipynb`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse import gradients
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "numerical_gradient_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 6.1 · The numerical gradient (2 points)
#
# Write `numerical_gradient(f, x, h=1e-4)`: `f(x)` returns a float, `x` is a float array
# of **any shape**. Return an array `grad` of the same shape with the central difference
#
# $$\text{grad}[i] = \frac{f(x + h\,e_i) - f(x - h\,e_i)}{2h}$$
#
# for every index $i$ of `x` ($e_i$ is 1 at index $i$, 0 elsewhere).
#
# - Nudge one entry at a time *in place*: keep `old = x[i]`, set `x[i] = old + h`, call
#   `f(x)`, set `x[i] = old - h`, call `f(x)`, and **put `x[i] = old` back**. The caller's
#   `x` must be unchanged when you return.
# - `for i in np.ndindex(x.shape):` visits every index of a 1-D, 2-D or 3-D array
#   (`range(len(x))` only works for 1-D).
# - Divide by `2 * h`, not `h`; and keep `h` near `1e-4`: with `h = 1e-50`, `x + h == x`.
#
# The check compares your gradients with exact ones: `(6, 8)` for $x_0^2 + x_1^2$ at
# `(3, 4)`, `cos(x)` for $\sum \sin x$, and a matrix example (tolerance 1e-7).

# %% nbgrader={"grade": false, "grade_id": "numerical_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def numerical_gradient(f, x, h=1e-4):
    """Central-difference gradient of f at x. x: float array of any shape; returns the same shape."""
    ### BEGIN SOLUTION
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_numerical_gradient", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("06.numerical_gradient", numerical_gradient)


# %% [markdown] nbgrader={"grade": false, "grade_id": "cross_entropy_error_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 6.2 · Cross-entropy error (2 points)
#
# Write `cross_entropy_error(y, t)`, the mean over the batch of $-\log$ of the probability
# each sample gives its true class:
#
# $$E = -\frac{1}{N} \sum_{n} \log y_{n, t_n}$$
#
# - `y` has shape `(N, C)` (a batch of softmax outputs) or `(C,)` (one sample).
# - `t` is either integer labels of shape `(N,)` or one-hot rows shaped like `y`. One-hot
#   rows become labels with `t.argmax(axis=1)`; one sample becomes a batch of one with
#   `reshape(1, -1)`.
# - `y[np.arange(N), t]` picks each row's true-class probability.
# - A probability of exactly 0 must not give `log(0) = -inf`: clip it first,
#   `np.clip(p, 1e-12, None)`. The textbook's trick `np.log(p + 1e-7)` is also fine: the
#   check compares with tolerance 1e-5, and `+ 1e-7` changes the loss by about 1e-7.
#
# The lesson's numbers: for `y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0]` and true
# class 2, $E = -\log 0.6 = 0.5108$.

# %% nbgrader={"grade": false, "grade_id": "cross_entropy_error", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cross_entropy_error(y, t):
    """Mean cross-entropy. y: (N, C) or (C,); t: labels (N,) or one-hot like y. Returns a float."""
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=float)
    t = np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    N = y.shape[0]
    p = np.clip(y[np.arange(N), t], 1e-12, None)
    return float(-np.sum(np.log(p)) / N)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_cross_entropy_error", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("06.cross_entropy_error", cross_entropy_error)


# %% [markdown] nbgrader={"grade": false, "grade_id": "gradient_descent_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 6.3 · Gradient descent (2 points)
#
# Write `gradient_descent(f, init_x, lr=0.01, step_num=100)`: start at `init_x` and repeat
# `step_num` times the update
#
# $$x \leftarrow x - \eta\, \nabla f(x) \qquad (\eta = \texttt{lr})$$
#
# then return the final `x` (same shape as `init_x`).
#
# - For $\nabla f(x)$ call `gradients.numerical_gradient(f, x)` (the library's; your own
#   from 6.1 works too once it passes).
# - Do not change the caller's `init_x`: start from `x = init_x.copy()`. (With `x = init_x`,
#   the update `x -= ...` would edit the caller's array.)
# - Minus, not plus: the gradient points uphill.
#
# On $x_0^2 + x_1^2$ each step multiplies $x$ by $1 - 2\eta$, so the check knows the exact
# answer; it also runs a 3-D quadratic against a descent with the exact gradient.

# %% nbgrader={"grade": false, "grade_id": "gradient_descent", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Repeat x <- x - lr * grad f(x) step_num times from init_x. Returns x, shaped like init_x."""
    ### BEGIN SOLUTION
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x = x - lr * gradients.numerical_gradient(f, x)
    return x
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_gradient_descent", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("06.gradient_descent", gradient_descent)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Try your `gradient_descent` with `lr=10` and `lr=1e-10` on $x_0^2 + x_1^2$ from
# `(-3, 4)`, and compare with the lesson. Chapter 07 replaces the numerical gradient by
# backpropagation, which gives the same gradient thousands of times faster.
