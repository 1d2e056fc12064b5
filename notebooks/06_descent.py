# %% [markdown]
# # 06 · Losses, numerical differentiation, gradient descent
#
# **By the end of this lesson you will be able to**
# - measure how wrong a network's output is with the squared error and the cross-entropy
#   error, and say why learning needs a loss rather than the accuracy;
# - estimate a derivative numerically, and explain why the central difference beats the
#   forward one and why a tiny step $h$ fails;
# - compute partial derivatives and the gradient of a function of several variables, and
#   read a gradient field;
# - minimise a function by gradient descent, and recognise a learning rate that is too
#   large (divergence) or too small (no progress).
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | loss function | 損失関数 |
# | sum of squared errors | 2乗和誤差 |
# | cross-entropy error | 交差エントロピー誤差 |
# | numerical differentiation | 数値微分 |
# | forward / central difference | 前方差分 / 中心差分 |
# | rounding error | 丸め誤差 |
# | partial derivative | 偏微分 |
# | gradient | 勾配 |
# | gradient method, gradient descent | 勾配法, 勾配降下法 |
# | learning rate (learning coefficient ρ) | 学習率 (学習係数 ρ) |
# | hyperparameter | ハイパーパラメータ |
#
# **Slides followed:** seed 002 p.53 (the plan of this part: losses — squared error and
# cross-entropy —, numerical and partial derivatives, learning by the gradient method),
# seed 001 §7.2.2 (the squared error $J = \frac12 \sum_i (g_i - b_i)^2$ and the update
# $w \leftarrow w - \rho\, \partial J / \partial w$). The numerical examples are those of
# the slides' source book, *Deep Learning from Scratch*, ch. 4.

# %%
import numpy as np

from dlcourse import experiments, functions, gradients, plots, widgets
from dlcourse.lessons import numerical_descent

ex = experiments.descent

# %% [markdown]
# ## 1. A loss says how wrong the output is
#
# Learning means adjusting the weights until the network's outputs match the teacher's
# answers. To do that automatically we need one number that says *how wrong* the outputs
# are: the **loss** (損失関数). Seed 001 §7.2.2 uses the **squared error** of one sample,
# comparing each output $g_i$ with the teacher signal $b_i$ (1 for the true class, 0
# elsewhere: a *one-hot* vector):
#
# $$J = \frac12 \sum_i (g_i - b_i)^2 .$$
#
# For classification with a softmax output, the **cross-entropy error** is more common.
# Only the true class $t$ counts:
#
# $$E = -\sum_i b_i \log g_i = -\log g_t .$$
#
# Here is a 10-class softmax output whose largest probability, 0.6, is on class 2, the
# true class. Both losses in a line each:

# %%
y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
t = np.zeros(10)
t[2] = 1.0                                  # one-hot: the true class is 2
print(f"squared error  {0.5 * np.sum((y - t) ** 2):.4f}")
print(f"cross-entropy  {-np.log(y[2]):.4f}")

# %% [markdown]
# `dlcourse.functions` holds both (`mean_squared_error`, which despite its historic name is
# the sum ½Σ(y − t)², and `cross_entropy_error`). The experiment compares this right
# prediction with a wrong one that puts the 0.6 on class 7 instead:

# %%
losses = ex.loss_examples()
print(losses)

# %%
fig = plots.losses(losses)

# %% [markdown]
# Both losses grow when the prediction is wrong: squared error 0.0975 → 0.5975,
# cross-entropy 0.5108 → 2.3026. The cross-entropy depends only on the probability of the
# true class: it is 0 when that probability is 1 and grows without bound as it falls to 0
# (right panel).
#
# **A batch.** With $N$ samples we average: $E = -\frac1N \sum_n \log y_{n, t_n}$, so the
# loss does not depend on the batch size. Labels can be given as class numbers instead of
# one-hot rows:

# %%
batch = np.stack(list(losses.predictions.values()))        # (2, 10): both predictions
print(f"mean cross-entropy of the batch: {functions.cross_entropy_error(batch, np.array([2, 2])):.4f}")

# %% [markdown]
# **log(0).** If the true class gets probability exactly 0, $-\log 0 = \infty$ and
# learning breaks. The textbook adds a tiny $10^{-7}$ inside the log; `dlcourse` instead
# clips the probability at $10^{-12}$, so its value is exact for every probability above
# that. For ordinary probabilities the two differ by about $10^{-7}$.

# %%
zero = np.array([0.0, 0.3, 0.7])            # the true class 0 gets probability 0
with np.errstate(divide="ignore"):
    print(f"-log(0)            = {-np.log(zero[0])}")
print(f"-log(0 + 1e-7)     = {-np.log(zero[0] + 1e-7):.4f}   (the textbook)")
print(f"dlcourse (clipped) = {functions.cross_entropy_error(zero, np.array(0)):.4f}")
print(f"y = 0.6: {-np.log(0.6 + 1e-7):.8f} vs {functions.cross_entropy_error(y, np.array(2)):.8f}")

# %% [markdown]
# **Why not learn with the accuracy?** The accuracy counts right answers. Nudge a weight a
# little and usually no answer flips, so the accuracy does not move at all: its derivative
# is 0 almost everywhere, like the step function of chapter 02, and it cannot tell us which
# way to change the weight. A loss built from probabilities changes a little for every
# little change of a weight, and that change is what the rest of this lesson measures.
#
# ## 2. Numerical differentiation
#
# The derivative of $f$ at $x$ is the slope of $f$ there:
# $f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}$. A computer cannot take the limit,
# but it can pick a small $h$. That is **numerical differentiation** (数値微分). Two
# things go wrong. First, a too small $h$ simply disappears:

# %%
print("np.float32(1e-50)   =", np.float32(1e-50))
print("1.0 + 1e-50 == 1.0 :", 1.0 + 1e-50 == 1.0)
print("forward difference of the parabola at 5 with h = 1e-50:", numerical_descent.forward_diff(numerical_descent.parabola, 5.0, h=1e-50))

# %% [markdown]
# A float64 keeps about 16 significant digits, so $x + h$ rounds back to $x$ once $h$ is
# below about $10^{-16} |x|$, and every difference is 0: a **rounding error** (丸め誤差).
# Long before that, the subtraction $f(x+h) - f(x)$ of two nearly equal numbers loses
# most of its digits.
#
# Second, with any $h > 0$ the **forward difference** $\frac{f(x+h) - f(x)}{h}$ is the
# slope between $x$ and $x + h$, not at $x$: its error is about $\frac h2 f''(x)$. The
# **central difference** $\frac{f(x+h) - f(x-h)}{2h}$ looks symmetrically on both sides;
# the $f''$ terms cancel and the error is about $\frac{h^2}{6} f'''(x)$. For $f(x) = x^3$
# at $x = 1$ ($f'(1) = 3$) the errors are exactly $3h + h^2$ and $h^2$:

# %%
errors = ex.difference_errors()
print(errors)

# %%
fig = plots.difference_errors(errors)

# %% [markdown]
# Reading the plot from the right: shrinking $h$ tenfold cuts the forward error tenfold
# (slope 1) and the central error a hundredfold (slope 2). Below $h \approx 10^{-8}$
# (forward) or a few times $10^{-6}$ (central) rounding takes over and the errors grow
# again, and at $h = 10^{-50}$ both estimates are 0. `dlcourse.gradients` uses central
# differences with $h = 10^{-4}$ (`numerical_diff`) or $10^{-5}$ (`numerical_gradient`):
# a little more truncation error than the best $h$ here, in exchange for a safe margin
# from rounding on functions with larger values.
#
# The textbook's example is the parabola $f(x) = 0.01x^2 + 0.1x$, with
# $f'(x) = 0.02x + 0.1$, i.e. 0.2 at $x = 5$ and 0.3 at $x = 10$. For a parabola the central
# difference is exact but for rounding; the forward one is off by $0.01h$:

# %%
deriv = ex.derivative_table()
print(deriv)

# %%
fig = plots.tangent_lines(deriv)

# %% [markdown]
# ## 3. Partial derivatives and the gradient
#
# Now a function of two variables, $f(x_0, x_1) = x_0^2 + x_1^2$: a round bowl with its
# minimum 0 at the origin. Its **partial derivative** (偏微分) $\partial f / \partial x_0$ is
# the ordinary derivative in $x_0$ with $x_1$ held fixed. At $(3, 4)$, fix $x_1 = 4$ and
# differentiate in $x_0$, then the other way round:

# %%
d0 = gradients.numerical_diff(lambda x0: x0 ** 2 + 4.0 ** 2, 3.0)
d1 = gradients.numerical_diff(lambda x1: 3.0 ** 2 + x1 ** 2, 4.0)
print(f"df/dx0 at (3, 4) = {d0:.4f}   (exact 2 x0 = 6)")
print(f"df/dx1 at (3, 4) = {d1:.4f}   (exact 2 x1 = 8)")

# %% [markdown]
# The vector of all the partial derivatives is the **gradient** (勾配),
# $\nabla f = (\partial f/\partial x_0, \partial f/\partial x_1)$. For an array `x` of any
# shape, `dlcourse.gradients.numerical_gradient(f, x)` nudges one entry at a time by $\pm h$
# (central differences), computes $f$ twice, and puts the entry back. Exercise 6.1 asks
# you to write it.

# %%
print(ex.gradient_table())

# %% [markdown]
# At every point the gradient points in the direction in which $f$ **increases** fastest,
# and its length is how fast. So $-\nabla f$ points downhill. Drawn on a grid:

# %%
field = ex.gradient_field()
print(field)

# %%
fig = plots.gradient_field(field)

# %% [markdown]
# On this round bowl every arrow $-\nabla f$ points straight at the minimum, and the
# arrows shrink as they approach it (the gradient $2x$ vanishes there). On other surfaces
# $-\nabla f$ points to the steepest way *down from here*, which need not be the way to
# the minimum: a descent then zig-zags (chapter 09 shows it).
#
# ## 4. Gradient descent
#
# Seed 001 §7.2.2: to minimise the error $J$, move the weights against its gradient by a
# fixed amount, again and again:
#
# $$w \leftarrow w - \rho\, \frac{\partial J}{\partial w} \qquad (\rho: \text{learning
# coefficient; usually called the learning rate } \eta).$$
#
# `dlcourse.lessons.numerical_descent.gradient_descent(f, init_x, lr, step_num)` repeats
# $x \leftarrow x - \eta \nabla f(x)$ with the numerical gradient and returns the final
# point and the whole path. On $x_0^2 + x_1^2$ from $(-3, 4)$ with $\eta = 0.1$:

# %%
run = ex.descent_path(lr=0.1, step_num=100)
print(run)

# %%
fig = plots.descent_path(run)

# %% [markdown]
# Here $\nabla f = 2x$, so each step multiplies $x$ by $1 - 2\eta = 0.8$: after 100 steps
# $x = 0.8^{100} \cdot (-3, 4) \approx (-6.1 \cdot 10^{-10}, 8.1 \cdot 10^{-10})$, a straight
# line on the log plot of $f$. The end point is essentially the minimum $(0, 0)$.
#
# ### The learning rate is a hyperparameter
#
# $\eta$ is not learned: we choose it, like the number of steps. Such settings are
# **hyperparameters** (ハイパーパラメータ). Too large or too small, and descent fails:

# %%
rates = ex.learning_rates(lrs=(0.1, 10.0, 1e-10), step_num=100)
print(rates)

# %%
fig = plots.learning_rates(rates)

# %% [markdown]
# - **lr = 10 diverges.** Each step multiplies $x$ by $1 - 20 = -19$: it jumps across the
#   bowl to the other side, further up each time (57, −1083, 20577, ...). With exact
#   gradients it would reach about $4 \cdot 10^{128}$ after 100 steps. Ours stops near $10^{12}$
#   after 9 steps, which is again rounding: once $|x| \gtrsim 10^{11}$, $x \pm h$ rounds to
#   $x$ and the numerical gradient is 0. Either way the result is useless.
# - **lr = 1e-10 barely moves.** Each step shrinks $x$ by a factor $1 - 2 \cdot 10^{-10}$;
#   after 100 steps it is still $(-3.0000, 4.0000)$ at four decimals.
# - **lr = 0.1** converges. On this bowl any $0 < \eta < 1$ converges (the factor
#   $|1 - 2\eta|$ is below 1), fastest at $\eta = 0.5$, which lands on the minimum in one
#   step; real losses are not this simple, and chapter 09 looks for better update rules.
#
# ### Try it: learning rate and number of steps
#
# The demo starts where we just were: lr 0.1, 100 steps. The learning-rate slider moves on a
# log scale, from $10^{-10}$ to 10.
#
# - Which learning rate reaches the minimum in the fewest steps? What does the path look
#   like between 0.5 and 1?
# - Find the largest learning rate that still converges. What happens just above it?
# - With lr = 0.001, how many steps would you need to get close to the minimum?

# %% tags=["nbval-ignore-output"]
widgets.descent_demo()

# %% [markdown]
# ## Summary
#
# - A **loss** turns "how wrong" into one number: squared error $\frac12\sum(y - t)^2$,
#   or cross-entropy $-\log y_t$ averaged over a batch (0.0975 and 0.5108 for the
#   example, 0.5975 and 2.3026 when the peak sits on the wrong class). Clip before the log.
# - The **central difference** $\frac{f(x+h) - f(x-h)}{2h}$ has error $O(h^2)$, the
#   forward one $O(h)$; too small an $h$ drowns in rounding error ($1 + 10^{-50} = 1$).
# - The **gradient** collects the partial derivatives; $-\nabla f$ points downhill.
# - **Gradient descent** repeats $x \leftarrow x - \eta \nabla f(x)$. The learning rate is
#   a hyperparameter: 0.1 converges on $x_0^2 + x_1^2$, 10 diverges, $10^{-10}$ stays put.
#
# **Exercises:** `exercises/06_descent/06_descent.ipynb`: a numerical gradient for arrays
# of any shape, the cross-entropy error of a batch, and gradient descent.
