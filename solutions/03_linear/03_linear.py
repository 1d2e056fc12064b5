# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 03 · Exercises: linear classifiers, logistic regression and SGD
#
# Three exercises, 6 points. Run the first cell, write your code in place of
# `raise NotImplementedError()`, then run the check cell under it.
# The lesson is `notebooks/03_linear.ipynb`.
#
# Conventions, as in the lesson: labels are $+1$ and $-1$; `X` has shape `(N, V)`, one
# sentence's word counts per row; `w` has shape `(V,)`; there is no separate bias.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.datasets import sentiment_corpus
from dlcourse.functions import sigmoid
from dlcourse.gradients import numerical_gradient, rel_error
from dlcourse.grading import check
from dlcourse.lessons.text_classifiers import log_likelihood


# %% [markdown] nbgrader={"grade": false, "grade_id": "unigram_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 3.1 · Unigram features (1 point)
#
# Write `unigram_features(sentence)`. It returns a **dict** whose keys are `"UNI:"`
# followed by a word and whose values count how often that word occurs:
#
# ```
# unigram_features("I am happy")          -> {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}
# unigram_features("the cat saw the dog") -> {"UNI:the": 2, "UNI:cat": 1, "UNI:saw": 1, "UNI:dog": 1}
# ```
#
# - Words are separated by whitespace: any run of spaces or tabs; leading and trailing
#   whitespace is ignored, so `""` gives `{}`.
# - Keep each word exactly as written (`"I"` stays `"I"`, `"Happy"` and `"happy"` differ).
#
# Hint: `sentence.split()` with no argument splits on any whitespace;
# `d.get(key, 0)` reads a count that may not exist yet.

# %% nbgrader={"grade": false, "grade_id": "unigram_features", "locked": false, "schema_version": 3, "solution": true, "task": false}
def unigram_features(sentence):
    """Unigram features of a sentence: dict "UNI:" + word -> count."""
    ### BEGIN SOLUTION
    phi = {}
    for word in sentence.split():
        key = "UNI:" + word
        phi[key] = phi.get(key, 0) + 1
    return phi
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_unigram_features", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("03.unigram_features", unigram_features)


# %% [markdown] nbgrader={"grade": false, "grade_id": "grad_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 3.2 · The gradient of the log-likelihood (2 points)
#
# Logistic regression maximises the log-likelihood of the training labels,
#
# $$ L(w) = \sum_{n=1}^{N} \log P(t_n \mid x_n; w), \qquad P(t \mid x; w) = \sigma(t\; w \cdot x), $$
#
# with labels $t_n \in \{+1, -1\}$ (`log_likelihood(w, X, t)` in the first cell computes it).
# Write `log_likelihood_grad(w, X, t)`, its gradient with respect to `w`, shape `(V,)`:
#
# $$ \frac{\partial L}{\partial w} = \sum_{n=1}^{N} t_n\, x_n\, \sigma(-t_n\; w \cdot x_n). $$
#
# - `w`: `(V,)`; `X`: `(N, V)`; `t`: `(N,)` of $\pm 1$. A **sum** over the examples, not a mean.
# - No Python loop is needed: `X @ w` gives all $N$ scores, and `X.T @ v` computes
#   $\sum_n v_n x_n$ for a vector `v` of shape `(N,)`.
# - Use the `sigmoid` imported in the first cell: scores can be large, and
#   `np.exp(1000)` overflows.
#
# The cell below the answer compares your gradient with `numerical_gradient` on a small
# example; the relative error should be below 1e-7.

# %% nbgrader={"grade": false, "grade_id": "log_likelihood_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def log_likelihood_grad(w, X, t):
    """dL/dw for L(w) = sum_n log sigmoid(t_n * w . x_n). w: (V,), X: (N, V), t: (N,) of +-1; returns (V,)."""
    ### BEGIN SOLUTION
    return X.T @ (t * sigmoid(-t * (X @ w)))
    ### END SOLUTION


# %% nbgrader={"grade": false, "grade_id": "try_grad", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(0)
X_small = rng.integers(0, 3, size=(5, 4)).astype(float)
t_small = np.array([1, -1, -1, 1, 1])
w_small = rng.standard_normal(4)
numeric = numerical_gradient(lambda: log_likelihood(w_small, X_small, t_small), w_small)
try:
    print(f"rel. error {rel_error(log_likelihood_grad(w_small, X_small, t_small), numeric):.1e}")
except NotImplementedError:
    print("log_likelihood_grad still raises NotImplementedError: write it first")
except Exception as exc:
    print(f"log_likelihood_grad raised {type(exc).__name__}: {exc}")

# %% nbgrader={"grade": true, "grade_id": "check_log_likelihood_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("03.log_likelihood_grad", log_likelihood_grad)


# %% [markdown] nbgrader={"grade": false, "grade_id": "sgd_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 3.3 · The SGD loop (3 points)
#
# Write `sgd(X, t, lr, epochs, rng)`, which trains logistic regression by stochastic
# gradient ascent on $L(w)$ and returns `w`, shape `(V,)`:
#
# ```
# w = 0 (a float array of shape (V,))
# repeat `epochs` times:
#     for n in rng.permutation(N):          # a NEW random order at the start of every epoch
#         w += lr * t[n] * sigmoid(-t[n] * (X[n] @ w)) * X[n]
# return w
# ```
#
# The step is one example's gradient from Exercise 3.2, computed with the **current**
# `w`. Use the generator `rng` you are given, and only for `rng.permutation(N)`, once per
# epoch: the check gives your function and the reference generators with the same
# seed, and expects the same `w` to 1e-7.
#
# The cell below the answer trains on the course's sentiment corpus; with `lr = 0.1`
# and 10 epochs the training accuracy should reach 100%.

# %% nbgrader={"grade": false, "grade_id": "sgd", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sgd(X, t, lr, epochs, rng):
    """Logistic regression by SGD from w = 0. X: (N, V), t: (N,) of +-1; returns w: (V,)."""
    ### BEGIN SOLUTION
    N, V = X.shape
    w = np.zeros(V)
    for _ in range(epochs):
        for n in rng.permutation(N):
            w += lr * t[n] * sigmoid(-t[n] * (X[n] @ w)) * X[n]
    return w
    ### END SOLUTION


# %% nbgrader={"grade": false, "grade_id": "try_sgd", "locked": true, "schema_version": 3, "solution": false, "task": false}
X_train, t_train, X_test, t_test = sentiment_corpus(seed=0).arrays()
try:
    w_trained = sgd(X_train, t_train, 0.1, 10, np.random.default_rng(0))
    for name, X_, t_ in (("train", X_train, t_train), ("test", X_test, t_test)):
        print(f"{name} accuracy {np.mean(np.where(X_ @ w_trained >= 0, 1, -1) == t_):.1%}")
except NotImplementedError:
    print("sgd still raises NotImplementedError: write it first")
except Exception as exc:
    print(f"sgd raised {type(exc).__name__}: {exc}")

# %% nbgrader={"grade": true, "grade_id": "check_sgd", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("03.sgd", sgd)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? Chapter 04 writes a whole network's forward pass as matrix products, and chapter
# 05 adds the hidden layer that a linear model lacks.
