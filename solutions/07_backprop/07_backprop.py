# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 07 · Exercises: backpropagation
#
# Four exercises, 8 points. Three layers of the computational graph (their backward
# passes are the point), then one step of Araki's algorithm written with the ε terms of
# the slides. Every gradient you compute is compared with a numerical gradient in
# float64, at a tolerance of 1e-7. The lesson is `notebooks/07_backprop.ipynb`.
#
# The layers follow the course's **layer contract**: `params` is a list of the layer's
# arrays, `grads` a list of arrays of the same shapes, `forward(...)` keeps what
# `backward` needs, and `backward(dout)` fills `grads` and returns the gradient of the
# forward input. `dout` is the gradient of the loss with respect to the layer's output.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.functions import cross_entropy_error, sigmoid, softmax
from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "Affine_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 7.1 · The Affine layer (2 points)
#
# `Affine(W, b)` computes `out = x @ W + b` for a batch `x` of shape `(N, D)`, with `W` of
# shape `(D, H)` and `b` of shape `(H,)`. Write `forward` and `backward`:
#
# - `forward(x)` keeps `x` (backward needs it) and returns `out`, shape `(N, H)`;
# - `backward(dout)`, with `dout` of shape `(N, H)`, returns `dx = dout @ W.T` of shape
#   `(N, D)` and stores `dW = x.T @ dout` `(D, H)` and `db` `(H,)` **in** `self.grads`.
#
# Hints: let the shapes guide you — each gradient has the shape of the thing it is the
# gradient of. The bias is added to every row of the batch, so `db` sums `dout` over the
# batch (`axis=0`). Write into the existing arrays with `self.grads[0][...] = ...`, so an
# optimiser holding `self.grads` sees the new values.

# %% nbgrader={"grade": false, "grade_id": "Affine", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Affine:
    def __init__(self, W, b):                         # W: (D, H), b: (H,)
        self.params, self.grads = [W, b], [np.zeros_like(W), np.zeros_like(b)]
    def forward(self, x):                             # x: (N, D) -> out: (N, H)
        ### BEGIN SOLUTION
        self.x = x
        return x @ self.params[0] + self.params[1]
        ### END SOLUTION
    def backward(self, dout):                         # dout: (N, H) -> dx: (N, D); fills grads
        ### BEGIN SOLUTION
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ self.params[0].T
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_Affine", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("07.affine", Affine)


# %% [markdown] nbgrader={"grade": false, "grade_id": "Sigmoid_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 7.2 · The Sigmoid layer (1 point)
#
# `Sigmoid()` has no parameters. `forward(x)` returns `out = sigmoid(x)` (any shape; the
# overflow-safe `sigmoid` is imported above). `backward(dout)` returns
# `dx = dout * f'(x)`, where the sigmoid's derivative is
# $f'(x) = f(x)\,(1 - f(x))$ — the slides' $g_{jp}(1 - g_{jp})$.
#
# Hint: the derivative needs the forward **output**, not the input: keep `out` in
# `forward`. And do not forget `dout`: it is the chain rule's link to the layers above.

# %% nbgrader={"grade": false, "grade_id": "Sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Sigmoid:
    def __init__(self):                               # no parameters
        self.params, self.grads = [], []
    def forward(self, x):                             # x: any shape -> out: same shape
        ### BEGIN SOLUTION
        self.out = sigmoid(x)
        return self.out
        ### END SOLUTION
    def backward(self, dout):                         # dout: shape of out -> dx: same shape
        ### BEGIN SOLUTION
        return dout * self.out * (1.0 - self.out)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_Sigmoid", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("07.sigmoid", Sigmoid)


# %% [markdown] nbgrader={"grade": false, "grade_id": "SoftmaxWithLoss_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 7.3 · Softmax with cross-entropy loss (2 points)
#
# `SoftmaxWithLoss()` is the last node of a classifier. `forward(x, t)` takes scores `x`
# of shape `(N, C)` and integer labels `t` of shape `(N,)`, and returns the **mean**
# cross-entropy of `y = softmax(x)` (`softmax` and `cross_entropy_error` are imported
# above). `backward(dout=1.0)` returns the gradient with respect to `x`:
#
# $$dx = \text{dout} \cdot \frac{y - t_{\text{one-hot}}}{N}$$
#
# Hints: `np.eye(C)[t]` turns labels into one-hot rows of shape `(N, C)`. The division
# by `N` comes from the mean in the loss; forgetting it makes the gradient `N` times too
# large.

# %% nbgrader={"grade": false, "grade_id": "SoftmaxWithLoss", "locked": false, "schema_version": 3, "solution": true, "task": false}
class SoftmaxWithLoss:
    def __init__(self):                               # no parameters
        self.params, self.grads = [], []
    def forward(self, x, t):                          # x: (N, C), t: labels (N,) -> mean loss
        ### BEGIN SOLUTION
        self.y, self.t = softmax(x), t
        return cross_entropy_error(self.y, t)
        ### END SOLUTION
    def backward(self, dout=1.0):                     # dout: a number -> dx: (N, C)
        ### BEGIN SOLUTION
        N, C = self.y.shape
        return dout * (self.y - np.eye(C)[self.t]) / N
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_SoftmaxWithLoss", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("07.softmax_with_loss", SoftmaxWithLoss)


# %% [markdown] nbgrader={"grade": false, "grade_id": "araki_step_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 7.4 · One step of Araki's algorithm (3 points)
#
# A network with one hidden layer of sigmoid units and sigmoid outputs, trained on the
# squared error $J_p = \frac12 \sum_l (g_{lp} - b_{lp})^2$ of one sample. As in the lesson,
# the **bias is a weight from a unit whose output is always 1**, stored in row 0:
# `w1` has shape `(D + 1, H)` and `w2` shape `(H + 1, C)`. Write
# `araki_step(w1, w2, x, b, rho)` for one sample `x` `(D,)` with training signal `b` `(C,)`:
#
# 1. forward: $g_1 = f([1, x]\,w_1)$ (shape `(H,)`), $g_2 = f([1, g_1]\,w_2)$ (shape `(C,)`);
# 2. the ε terms, output layer first:
#    $\varepsilon_2 = (g_2 - b)\,g_2(1 - g_2)$ and
#    $\varepsilon_{1,j} = \big(\sum_k \varepsilon_{2,k}\, w_{2,jk}\big)\, g_{1,j}(1 - g_{1,j})$,
#    where the sum skips row 0 of `w2` (nothing feeds the constant unit);
# 3. the update $w_{ij} \leftarrow w_{ij} - \rho\,\varepsilon_j\, g_i$ for both layers,
#    with $g_i$ the layer's input **including the constant 1**.
#
# Return the pair `(w1_new, w2_new)`. Hints: `np.concatenate(([1.0], x))` prepends the
# constant unit and `np.outer(g, eps)` builds the whole $\rho$-less update at once.
# Compute **both** ε before changing any weight: $\varepsilon_1$ needs the old `w2`.

# %% nbgrader={"grade": false, "grade_id": "araki_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def araki_step(w1, w2, x, b, rho):
    """One per-sample update. w1 (D+1, H), w2 (H+1, C), x (D,), b (C,) -> (w1_new, w2_new)."""
    ### BEGIN SOLUTION
    g0 = np.concatenate(([1.0], x))                 # the input, with the constant unit
    g1 = sigmoid(g0 @ w1)                           # hidden outputs (H,)
    g1_1 = np.concatenate(([1.0], g1))
    g2 = sigmoid(g1_1 @ w2)                         # outputs (C,)
    eps2 = (g2 - b) * g2 * (1 - g2)                 # output layer
    eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)          # hidden layer, with the old w2
    return w1 - rho * np.outer(g0, eps1), w2 - rho * np.outer(g1_1, eps2)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_araki_step", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("07.araki_step", araki_step)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Train XOR with your `araki_step`: start from small random weights, and for a few
# hundred epochs shuffle the four samples and call it once per sample. Then stack your
# `Affine`, `Sigmoid` and `SoftmaxWithLoss` into a small classifier and check its
# gradients with `dlcourse.gradients.numerical_gradient`, as the lesson does.
