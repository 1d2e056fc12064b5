# %% [markdown]
# # 09 · Optimisers
#
# **By the end of this lesson you will be able to**
# - say what plain SGD does badly on a long, narrow valley, and how Momentum, AdaGrad,
#   RMSProp and Adam each change the update to do better;
# - read an optimiser's path on the contour plot of $f(x, y) = x^2/20 + y^2$ and match it
#   to its update rule;
# - compare optimisers fairly on a real data set (same network, same initial weights, same
#   batches), and say what the minibatch size changes.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | optimiser | 最適化器 (最適化手法) |
# | stochastic gradient descent (SGD) | 確率的勾配降下法 |
# | learning rate | 学習率 |
# | momentum, velocity | モーメンタム, 速度 |
# | adaptive learning rate (AdaGrad, RMSProp, Adam) | 適応的学習率 |
# | minibatch, batch size | ミニバッチ, バッチサイズ |
# | hyperparameter | ハイパーパラメータ |
#
# **Slides followed:** seed 003 §9.3.1 (training deep networks: besides the activation
# function, better optimisers — Adam, AdaGrad, RMSProp — are one of the remedies), seed 002
# p.12 (the plan of the last session: SGD, Adam, overfitting, hyperparameters), seed 000
# p.9 (SGD: move each weight a learning rate's worth along the gradient) and p.34
# (minibatch updates). The test function $x^2/20 + y^2$, the start $(-7, 2)$ and the
# learning rates of section 2 are those of the slides' source book, *Deep Learning from
# Scratch*, ch. 6.

# %%
import numpy as np

from dlcourse import datasets, experiments, optim, plots, widgets
from dlcourse.lessons.numerical_descent import bowl, bowl_grad

ex = experiments.optimizers

# %% [markdown]
# ## 1. Where plain SGD struggles
#
# Every network of the course so far learned by **SGD**: $p \leftarrow p - \eta\, g$, one
# step of size $\eta$ (the learning rate) against the gradient $g$. Its weak spot shows on
# a function that is much steeper in one direction than in another:
#
# $$f(x, y) = \frac{x^2}{20} + y^2, \qquad \nabla f = \left(\frac{x}{10},\ 2y\right).$$
#
# The minimum is at $(0, 0)$, but from $(-7, 2)$ the gradient points mostly along $y$:

# %%
x, y = -7.0, 2.0
gx, gy = bowl_grad(x, y)
print(f"f(-7, 2) = {bowl(x, y):.4f}, gradient ({gx:.4f}, {gy:.4f})")
print(f"the way to the minimum is (7, -2); -gradient is ({-gx:.4f}, {-gy:.4f})")

# %% [markdown]
# The $y$ slope is 20 times the $x$ slope at the same distance. A learning rate large
# enough to make progress along $x$ overshoots along $y$, and one small enough for $y$
# crawls along $x$. Deep networks' losses have many such directions at once.
#
# ## 2. Five optimisers on the same valley
#
# `dlcourse.optim` holds the five update rules (every one updates a list of arrays in
# place, `opt.update(params, grads)`). With $g$ the gradient and $\eta$ the learning rate:
#
# | optimiser | update | idea |
# |---|---|---|
# | SGD | $p \leftarrow p - \eta g$ | follow the slope |
# | Momentum | $v \leftarrow 0.9 v - \eta g,\ p \leftarrow p + v$ | a heavy ball: steps along a constant slope build up, oscillations cancel |
# | AdaGrad | $h \leftarrow h + g^2,\ p \leftarrow p - \eta g / (\sqrt h + \epsilon)$ | each coordinate's step shrinks with its own history of large gradients |
# | RMSProp | $h \leftarrow 0.99 h + 0.01 g^2$, same step | AdaGrad that forgets old gradients |
# | Adam | Momentum's $m$ and RMSProp's $v$, both bias-corrected | both ideas together |
#
# Dividing by $\sqrt h$ puts both coordinates on the same scale: after that, the steep $y$
# and the flat $x$ take steps of similar size. Thirty steps of each, from $(-7, 2)$:

# %%
paths = ex.compare_paths()
print(paths)

# %%
fig = plots.optimizer_paths(paths)

# %% [markdown]
# - **SGD** (lr 0.95) zig-zags: each step overshoots in $y$ (the factor $1 - 2\cdot0.95 =
#   -0.9$ flips the sign) while $x$ shrinks only by $1 - 0.095$ per step.
# - **Momentum** (lr 0.1) rolls like a ball: it overshoots the minimum along $x$ and swings
#   back, but the $y$ oscillations die out quickly.
# - **AdaGrad** (lr 1.5) moves straight down: the large first $y$ gradients make $h_y$ large,
#   so $y$ settles in a few steps and the rest is a steady walk along $x$.
# - **RMSProp** (lr 0.1) takes equal-sized steps in both coordinates at first (about 10
#   times lr, because $h$ starts at 0), then slows down as it nears the valley floor.
# - **Adam** (lr 0.3) curves like Momentum, but with steps that do not depend on the size of
#   the gradient.
#
# Which one "wins" here depends on the learning rates, which were picked to show each
# optimiser's character; section 4 compares them on real data.
#
# ### Try it: one optimiser, any learning rate
#
# - Put SGD at lr 1.0 and 1.05: why does it stop converging at exactly 1.0 (look at the
#   factor $1 - 2\eta$ along $y$)?
# - Give Momentum lr 0.3, then 0.01. Which of the two looks more like SGD?
# - Make Adam's lr 10 times smaller (0.03). How many steps does it need now? (Its step is
#   about lr per coordinate, whatever the gradient.)
#
# The default view is the Adam run of the table above:

# %%
print(ex.optimizer_path("adam", lr=0.3, steps=30))

# %% tags=["nbval-ignore-output"]
widgets.optimizer_path_demo()

# %% [markdown]
# ## 3. The same update as a few lines of code
#
# Momentum keeps one velocity per parameter array, so it needs memory between calls. Here
# it is by hand for the valley (`dlcourse.optim.Momentum` holds the same code, for a whole
# list of parameters):

# %%
p, v = np.array([-7.0, 2.0]), np.zeros(2)            # the point (x, y) and its velocity
for _ in range(30):
    g = np.array(bowl_grad(*p))
    v = 0.9 * v - 0.1 * g
    p = p + v
print(f"by hand:        end ({p[0]:.4f}, {p[1]:.4f})")
print(f"optim.Momentum: end ({paths.runs[1].end[0]:.4f}, {paths.runs[1].end[1]:.4f})")

# %% [markdown]
# ## 4. On a real data set: MNIST-1D
#
# MNIST-1D turns the ten digits into 40-value one-dimensional signals (4,000 for training,
# 1,000 for testing), generated by the `mnist1d` package. It is small enough to train in
# seconds, yet hard: its authors report 32% test accuracy for a linear classifier and 68%
# for an MLP.

# %%
x_train, t_train, x_test, t_test = datasets.load_mnist1d(seed=0)
print(f"train {x_train.shape}, test {x_test.shape}, classes {np.unique(t_train).tolist()}")

# %% [markdown]
# The same MLP 40-100-100-10 (ReLU, He initial weights), the same initial weights and the
# same minibatches of 100 for every optimiser, each with its **default** learning rate
# (SGD, Momentum, AdaGrad, RMSProp 0.01; Adam 0.001), for 10 epochs:

# %%
curves = ex.mnist1d_curves()
print(curves)

# %%
fig = plots.mnist1d_curves(curves)

# %% [markdown]
# With the same learning rate, plain SGD is by far the slowest; Momentum, AdaGrad and Adam
# learn much faster, and RMSProp (whose first steps are ten times its learning rate)
# fastest of all on the training loss. Its training loss falls far below its test loss,
# though: it has begun to overfit (chapter 10). Adam with a tenth of the others' learning
# rate keeps up with Momentum: that is why it is the usual first choice. These rankings
# change with the learning rates; an optimiser is only as good as its tuned learning rate.
#
# ## 5. The minibatch size
#
# SGD estimates the gradient from a **minibatch** of samples. A small batch gives many
# cheap, noisy steps per epoch; a large batch gives few, accurate, expensive ones. SGD
# (lr 0.01) for 2 epochs with each batch size — the same 8,000 samples seen:

# %%
sizes = ex.batch_sizes(sizes=(1, 10, 100, 1000), epochs=2)
print(sizes)

# %% [markdown]
# Per sample seen, small batches win by far: a batch of 1 makes 8,000 updates, a batch of
# 1,000 only 8. But the time per epoch tells the other half (these numbers change from run
# to run):

# %% tags=["nbval-ignore-output"]
print(sizes.timing())

# %%
fig = plots.batch_sizes(sizes)

# %% [markdown]
# A batch of 1 costs many times more per epoch than a batch of 100, because each update
# is a separate round of small matrix products (and a GPU would widen the gap); a batch of
# 1,000 costs no less per epoch than one of 100 but makes ten times fewer steps. Per update
# (right), larger batches step better, since their gradients are less noisy. Batches of
# tens to hundreds are the usual compromise.
#
# The batch size and the learning rate work together. One run of the grid the demo below
# moves over, batch 100 at lr 0.01:

# %%
print(ex.batch_size_run(batch_size=100, lr=0.01))

# %% [markdown]
# ### Try it: batch size and learning rate
#
# Each view is 2 epochs of SGD (8,000 samples seen) with one batch size and one learning rate.
#
# - Compare batch 10 at learning rate 0.1 with batch 1 at 0.01. What do the two curves have
#   in common, and why might that be?
# - With batch 1, which learning rate is too large? What happens to the curve?
# - Which setting gives the best test accuracy after the same 8,000 samples?

# %% tags=["nbval-ignore-output"]
widgets.batch_size_demo()

# %% [markdown]
# ## Summary
#
# - Plain SGD zig-zags across steep directions and crawls along flat ones.
# - **Momentum** accumulates a velocity; **AdaGrad** and **RMSProp** divide each
#   coordinate's step by the root of its (recent) squared gradients; **Adam** does both,
#   with bias correction so that its first steps are about lr in size.
# - On MNIST-1D, with default learning rates, all four beat SGD by a wide margin.
# - Small minibatches make more updates per epoch but cost more time per sample; per update,
#   large batches are better. A larger batch tolerates a larger learning rate.
#
# **Exercises:** exercises/09_optimizers/09_optimizers.ipynb — write Momentum, AdaGrad and
# Adam as classes with `update(params, grads)`.
