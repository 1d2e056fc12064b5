# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 09 · Exercises: Momentum, AdaGrad, Adam
#
# Three exercises, 6 points. Each is an optimiser class with the course's interface:
#
# ```python
# opt = Momentum(lr=0.1)
# opt.update(params, grads)     # params[i] is updated in place from grads[i]
# ```
#
# `params` and `grads` hold K arrays each, in the same order (a model's `model.params` and
# `model.grads`). Index them, `params[i]`, or loop with `zip(params, grads)`: the check
# hands them over as one array of shape `(K, ...)`, and this works the same. Keep the
# optimiser's memory (velocities, sums of squares) **per position `i`**, in `self`, so it
# survives from one `update` call to the next; and change each `params[i]` **in place**
# (`p -= ...`, `p += ...`), never by `p = p - ...`, which only makes a new array.
#
# The lesson is `notebooks/09_optimizers.ipynb`; every check also runs your optimiser on
# $f(x, y) = x^2/20 + y^2$ from $(-7, 2)$ for 30 steps and compares the end point with the
# lesson's.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "Momentum_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 9.1 · Momentum (2 points)
#
# Write `Momentum(lr=0.01, momentum=0.9)`. For every position `i`, with a velocity `v`
# that starts as zeros of `params[i]`'s shape:
#
# $$v \leftarrow \text{momentum}\cdot v - \text{lr}\cdot g, \qquad p \leftarrow p + v .$$
#
# Hints: a dict `self.v = {}` filled on first use (`if i not in self.v: self.v[i] =
# np.zeros_like(p)`) keeps one velocity per position. The first step is plain SGD,
# $p - \text{lr}\, g$, because $v$ starts at 0.

# %% nbgrader={"grade": false, "grade_id": "Momentum", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        ### BEGIN SOLUTION
        self.lr, self.momentum, self.v = lr, momentum, {}
        ### END SOLUTION
    def update(self, params, grads):                   # params[i], grads[i]: the same shape
        ### BEGIN SOLUTION
        for i, (p, g) in enumerate(zip(params, grads)):
            if i not in self.v:
                self.v[i] = np.zeros_like(p)
            self.v[i] = self.momentum * self.v[i] - self.lr * g
            p += self.v[i]
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_Momentum", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("09.momentum", Momentum)


# %% [markdown] nbgrader={"grade": false, "grade_id": "AdaGrad_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 9.2 · AdaGrad (2 points)
#
# Write `AdaGrad(lr=0.01, eps=1e-7)`. For every position `i`, with `h` starting as zeros:
#
# $$h \leftarrow h + g \odot g, \qquad p \leftarrow p - \text{lr}\,\frac{g}{\sqrt{h} + \text{eps}} .$$
#
# Hints: `h` only grows, so each entry's steps shrink; it must be **accumulated** and kept
# between calls. `eps` is added **outside** the square root (`np.sqrt(h) + eps`): the check
# uses a large `eps = 1e-2` with tiny gradients, where the two places give different steps.

# %% nbgrader={"grade": false, "grade_id": "AdaGrad", "locked": false, "schema_version": 3, "solution": true, "task": false}
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        ### BEGIN SOLUTION
        self.lr, self.eps, self.h = lr, eps, {}
        ### END SOLUTION
    def update(self, params, grads):
        ### BEGIN SOLUTION
        for i, (p, g) in enumerate(zip(params, grads)):
            if i not in self.h:
                self.h[i] = np.zeros_like(p)
            self.h[i] += g * g
            p -= self.lr * g / (np.sqrt(self.h[i]) + self.eps)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_AdaGrad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("09.adagrad", AdaGrad)


# %% [markdown] nbgrader={"grade": false, "grade_id": "Adam_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 9.3 · Adam (2 points)
#
# Write `Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)` as in Kingma & Ba (2015),
# Algorithm 1. Count the `update` calls in `self.t` (1 at the first call: once per call,
# not once per parameter). For every position `i`, with `m` and `v` starting as zeros:
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g \odot g,$$
#
# $$\hat m = \frac{m}{1 - \beta_1^{\,t}}, \qquad \hat v = \frac{v}{1 - \beta_2^{\,t}}, \qquad
# p \leftarrow p - \text{lr}\,\frac{\hat m}{\sqrt{\hat v} + \text{eps}} .$$
#
# Hints: without the bias correction the first steps are far too small (m and v start at
# 0); with it, the first step is almost exactly `lr` per entry. `beta1` belongs to `m`,
# `beta2` to `v`. Some books fold the correction into the learning rate,
# `lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)`; that moves `eps`, and the check (which
# uses a large `eps`) wants the formula above.

# %% nbgrader={"grade": false, "grade_id": "Adam", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        ### BEGIN SOLUTION
        self.lr, self.beta1, self.beta2, self.eps, self.t, self.mv = lr, beta1, beta2, eps, 0, {}
        ### END SOLUTION
    def update(self, params, grads):
        ### BEGIN SOLUTION
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        for i, (p, g) in enumerate(zip(params, grads)):
            m, v = self.mv.get(i, (0.0, 0.0))             # zeros until the first step
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
            self.mv[i] = (m, v)
            p -= self.lr * (m / (1 - b1 ** self.t)) / (np.sqrt(v / (1 - b2 ** self.t)) + self.eps)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_Adam", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("09.adam", Adam)
