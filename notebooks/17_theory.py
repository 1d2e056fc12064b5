# %% [markdown]
# # 17 · Why deep learning works: theory and practice
#
# **By the end of this lesson you will be able to**
# - name the three places where deep learning does better than classical theory predicts,
#   and the hypothesis the slides give for each;
# - build a one-hidden-layer ReLU network that approximates a function, and read how its
#   error falls as the layer gets wider (the *approximation rate*);
# - find a lottery ticket: prune a trained network by weight magnitude, rewind the rest to
#   the initial weights, retrain, and compare with a random mask;
# - measure how sharp a minimum is, and see how the batch size changes it;
# - produce double descent with random features, and explain its peak at as many features
#   as samples;
# - watch an over-parameterised network drive its training loss to about 0, even on random
#   labels.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | gap between theory and practice | 現実と理論のギャップ |
# | approximate to any accuracy | 任意の精度で近似 |
# | approximation error rate | 近似誤差レート |
# | overfitting | 過学習 |
# | implicit regularisation | 暗黙的正則化 |
# | lottery ticket hypothesis | 宝くじ仮説 |
# | pruning | 枝刈り |
# | flatness of the loss | 損失平坦性 |
# | double descent | 二重降下 |
# | generalisation error | 汎化誤差 |
# | over-parameterisation | 過剰パラメータ化 |
# | local optimum | 局所最適解 |
# | stochastic gradient descent | 確率的最急勾配法 |
#
# **Slides followed:** seed 003, the four slides 深層学習における現実と理論のギャップ that
# follow §9.3.3, called *gap slides 1-4* below: the three questions (1), why depth helps
# (2: approximation rates), why big networks do not overfit (3: lottery tickets, flat
# minima, double descent), and why training does not stop in a poor local minimum
# (4: over-parameterisation, the behaviour of SGD).

# %%
import numpy as np

from dlcourse import experiments, plots, widgets
from dlcourse.lessons import theory_gaps

th = experiments.theory

# %% [markdown]
# ## 1. Three questions (gap slide 1)
#
# Everything in chapters 01-16 works, yet the textbook theory of machine learning
# predicts that much of it should not:
#
# 1. **Why does depth help?** A three-layer network (one hidden layer) with enough hidden
#    units can approximate any reasonable function to any accuracy. So why stack layers?
# 2. **Why don't big networks overfit?** Many parameters means a model with little bias,
#    and such models should overfit (過学習).
# 3. **Why does training find good parameters?** A loss surface as complicated as a deep
#    net's should trap gradient descent in local optima (局所最適解).
#
# Nobody has a complete answer. The slides list the current hypotheses, and this lesson
# runs a small experiment for each. The full-size versions are in `benchmarks/`.
#
# ## 2. One hidden layer can approximate any function (gap slide 2)
#
# Take hidden units $h_j(x) = \max(0,\, x - k_j)$, each a ReLU with weight 1 and bias
# $-k_j$, so that unit $j$ has its kink at $x = k_j$. The output
# $\hat f(x) = \sum_j v_j\, h_j(x) + c$ is a continuous, piecewise-linear function that
# can change slope at every kink. We spread the kinks evenly over $[-1, 1]$ and choose the
# output weights $v_j$ and the bias $c$ by least squares:

# %%
x = np.linspace(-1, 1, 2001)
y = th.TARGETS["smooth"](x)                     # sin(3x) + 0.4 cos(7x)
knots = -1 + 2 * np.arange(8) / 8               # 8 hidden units, a kink every 0.25
hidden = theory_gaps.knot_features(x, knots)         # (2001, 8): max(0, x - k_j)
v, c = theory_gaps.fit_output_layer(hidden, y)       # least-squares output layer
fit = hidden @ v + c
print(f"max error {np.max(np.abs(fit - y)):.4f}")

# %% [markdown]
# `theory_gaps.knot_features` and `theory_gaps.fit_output_layer` are the two steps;
# `experiments.theory.universal_approximation(width, target)` runs them and reports the
# errors. The same 8 units:

# %%
res = th.universal_approximation(width=8, target="smooth")
print(res)

# %% [markdown]
# How fast does the error shrink as the layer widens? The second target has a jump at
# $x = 0.3$, which no continuous function can follow exactly. The table gives the rms and
# the largest error of the fit for each width, and the slope of the rms error against
# the width on log-log axes (the *approximation error rate*, 近似誤差レート):

# %%
rates = th.approximation_rates()
print(rates)

# %%
fig = plots.approximation(res)

# %% [markdown]
# For the smooth target the error falls like $\text{width}^{-2}$: a straight piece of
# length $\delta = 2/\text{width}$ misses a curve by about $\delta^2 |f''| / 8$, so twice
# the units give a quarter of the error. This is the universal approximation property:
# any accuracy, given enough units.
#
# For the jump the rms error falls only like $\text{width}^{-1/2}$, and the largest error
# stays near 0.5, half the jump: a continuous fit must climb from one side to the other
# over the stretch between two kinks, and with evenly spread kinks that stretch is
# $2/\text{width}$ wide.
#
# This is the slides' answer to question 1. Counting parameters, depth cannot beat one
# hidden layer on a smooth function: both have the same rate. It wins on functions
# with jumps or with uneven smoothness. There a deep network can put a layer that
# computes a step between layers that compute smooth functions, or give each layer
# strips of different widths. Two units placed at the jump instead of on the even grid
# show what that buys:

# %%
jump = th.TARGETS["jump"](x)
even = theory_gaps.knot_features(x, -1 + 2 * np.arange(32) / 32)    # 32 evenly spread units
step = theory_gaps.knot_features(x, [0.2995, 0.3005])               # 2 units at the jump: a steep ramp
for name, hidden in (("32 even units", even), ("32 even + 2 at the jump", np.hstack([even, step]))):
    v, c = theory_gaps.fit_output_layer(hidden, jump)
    print(f"{name:>24}: rms error {np.sqrt(np.mean((hidden @ v + c - jump) ** 2)):.4f}")

# %% [markdown]
# Two well-placed units cut the error to a sixth (0.0598 to 0.0108). A trained network can
# move its kinks to where they are needed, and a deep one can build a sharp step once and
# reuse it. That lets it extract more complex features, and split
# the work between extracting features and classifying (the slide's conclusion).
#
# ### Try it: width and target
#
# - How many units does the smooth target need before the fit is indistinguishable from
#   it by eye? Where on the right-hand curve is that?
# - Switch to the jump. Which part of the error does widening fix, and which part stays?
# - With the jump target, compare 40 and 41 units. Why does the error depend on where
#   the kinks fall relative to $x = 0.3$?

# %% tags=["nbval-ignore-output"]
widgets.approximation_demo()

# %% [markdown]
# ## 3. Why don't big networks overfit? (gap slide 3)
#
# The slides give three hypotheses. The first two say that training does some
# regularisation by itself, without a penalty term: *implicit regularisation*
# (暗黙的正則化).
#
# ### 3.1 Lottery tickets (宝くじ仮説)
#
# Frankle and Carbin (2019) proposed that a large, randomly initialised network contains
# a small subnetwork that, trained on its own from **the same initial weights**, does as
# well as the whole: a winning lottery ticket. Training the big network is then a way of
# buying many tickets and finding the winner. The evidence on the slide is that a trained
# network can be **pruned** (枝刈り) heavily without losing much. The recipe:
#
# 1. train the network from its initial weights $\theta_0$;
# 2. in each weight matrix, remove the fraction $f$ of weights with the smallest
#    magnitude $|w|$: a 0/1 mask $m$;
# 3. **rewind**: set the kept weights back to their values in $\theta_0$ and train again
#    with the mask, so the pruned weights stay 0;
# 4. as a control, do step 3 with a random mask of the same size.
#
# Magnitude pruning on a small matrix, half the weights:

# %%
W = np.array([[0.5, -2.0, 0.1],
              [-0.05, 1.2, -0.7]])
print(theory_gaps.magnitude_prune_mask(W, 0.5))       # False = pruned: 0.1, -0.05, 0.5

# %% [markdown]
# The experiment uses an MLP 64-100-100-10 on the 8×8 digits (Adam, 20 epochs). It prunes
# the two hidden weight matrices (16,400 weights); the small output layer stays whole.
# Training the grid takes a few seconds:

# %%
lt = th.lottery_tickets()
print(lt)

# %% [markdown]
# Three things to read in the table:
#
# - **Pruning without retraining** keeps the accuracy at 50% pruned (95.0% against 95.8%
#   dense), as the slide says. Beyond that it collapses (67.7% at 90%): the small weights
#   are not useless, they are just small.
# - **The ticket** (magnitude mask, rewound to $\theta_0$, retrained) stays within a point of the
#   dense network with 10% of the hidden weights (95.0%), and still reaches 85.0% with 2%.
# - **A random mask** of the same size, from the same $\theta_0$, trails behind the ticket
#   (75.5% at 2%, 50.7% at 1%): *which* weights survive matters, not only how many. Each
#   entry is a single run, so other seeds move the numbers by a few points, but at 2% kept
#   the ticket led in all four seeds we tried.
#
# The widget's view at 90% shows the training curves of both sparse networks:

# %%
view = th.lottery_at(0.9)
print(view)

# %%
fig = plots.lottery(view)

# %% [markdown]
# ### Try it: pruning fraction
#
# The grid is already trained, so the slider only redraws.
#
# - From which fraction on does the ticket fall clearly below the dense network?
# - Compare the training curves at 98%: which mask learns faster in the first epochs?
# - The ticket's mask was chosen with knowledge of the *trained* weights. Why might that
#   knowledge still help when training restarts from $\theta_0$?

# %% tags=["nbval-ignore-output"]
widgets.lottery_demo()

# %% [markdown]
# ### 3.2 Flat minima (損失平坦性)
#
# The second hypothesis: if the loss stays low in a wide region around the trained
# parameters, a small change between the training and the test data, which shifts the
# loss surface slightly, cannot raise the loss much, so the network does not overfit.
# Keskar et al. (2017) found that small batches end in flatter minima than large ones.
# The gradient of a small batch is noisy, and the noise shakes the parameters out of
# narrow valleys. (Gap slide 4 says the same of SGD: the parameters it visits concentrate
# where the loss is small.)
#
# We train the same MLP 40-100-100-10 from the same initial weights with SGD (learning
# rate 0.1) on 1,000 MNIST-1D sequences, at three batch sizes, each until its training
# loss is below 0.05. *Sharpness* is the mean rise of the training loss after a random
# step $\theta + \epsilon d$, where each unit's part of $d$ is scaled to that unit's
# incoming weights (`theory_gaps.random_direction`; without that scaling, a ReLU network whose
# weights are rescaled layer by layer computes the same function but looks sharper or
# flatter). Then we look along the line $(1 - \alpha)\,\theta_{10} + \alpha\,\theta_{100}$
# through the batch-10 and batch-100 solutions:

# %%
fs = th.flat_vs_sharp()
print(fs)

# %%
fig = plots.flat_sharp(fs)

# %% [markdown]
# The larger the batch, the sharper the minimum: 0.0051, 0.0100, 0.0128. The test accuracy
# goes the other way, from 40.1% to 37.6%, and the test loss rises. On the line (right),
# the training loss rises slowly beyond the batch-10 solution (0.084 at $\alpha = -0.5$)
# and steeply beyond the batch-100 one (0.44 at $\alpha = 1.5$). This is Keskar's picture
# in small.
#
# It is a hypothesis, not a law. The differences here are a few points. Dinh et al. (2017)
# showed that sharpness can be changed without changing the function, and MNIST-1D with
# 1,000 sequences is hard for an MLP: every run fits its training set (loss below 0.05)
# and gets only about 40% of the test set right.
#
# ### 3.3 Double descent (二重降下)
#
# The third hypothesis: as the number of parameters grows, the generalisation error
# (汎化誤差) first falls, then rises (the classical overfitting), but once there are
# more parameters than training samples it **falls again**. The MNIST-1D paper shows it
# with an MLP 40-h-h-10 trained on 4,000 sequences with 15% of the labels redrawn at
# random. The test error peaks at about 54% near h = 47, roughly where the network first
# fits every training label, then falls to 45.5% at h = 300. `benchmarks/double_descent.py`
# reruns that sweep with this course's numpy code (SGD with momentum, 500 epochs per
# width, about ten minutes on 2 cores; `docs/results.md` has the full table):
#
# | width h | 2 | 12 | 36 | 47 | 61 | 104 | 177 | 300 |
# |---|---|---|---|---|---|---|---|---|
# | training error (noisy labels) | 68.5% | 44.0% | 18.6% | 5.9% | 0.0% | 0.0% | 0.0% | 0.0% |
# | test error | 68.6% | **46.5%** | **54.8%** | 54.2% | 52.7% | 49.2% | 47.4% | **45.3%** |
#
# The test error is lowest at h = 12 (the classical sweet spot), climbs to 54.8% as the
# training error heads for 0, and falls again once the network interpolates, to 45.3% at
# h = 300: the paper's curve.
#
# A model we can solve in closed form shows the same curve in a fraction of a second:
# **random features**. The hidden layer $\Phi = \max(0, XW + b)$ has $P$ units whose
# weights $W$ are drawn once and never trained (`theory_gaps.relu_features`). Only the output
# weights $\beta$ are fitted, by least squares. When $P \ge N$ there are infinitely many
# exact fits, and we take the one with the smallest norm:
# $\beta = \Phi^{+} Y$ (`theory_gaps.min_norm_fit`). The data: 200 digits with 15% of the labels
# redrawn, one-hot targets, and the largest output as the prediction.

# %%
rf = th.random_features_sweep()
print(rf)

# %% [markdown]
# The test error falls to 20.1% at 80 features, climbs to 88.9% (no better than guessing)
# at exactly $P = N = 200$, then falls again to 13.4% at 2,000 features, **below** the
# first minimum. The training error reaches 0 from $P = 140$ on: beyond that the model
# interpolates the training set, noisy labels included.
#
# Why the peak? Write $\Phi = U \operatorname{diag}(\sigma) V^\top$. Then
# $\beta = \sum_i \frac{u_i^\top Y}{\sigma_i} v_i$. When $\Phi$ is square its smallest
# singular value is close to 0, so its $1/\sigma$ is huge and the noise in $Y$ is
# amplified into enormous weights. With more features than samples, $\Phi$ has room to
# spare, its smallest $\sigma$ grows, and the minimum-norm fit is the smoothest of all the
# exact fits:

# %%
dd = th.random_features_at(200)
print(dd)

# %%
fig = plots.double_descent(dd)

# %% [markdown]
# ### Try it: number of features
#
# - Move from P = 100 to P = 200. What happens to the smallest singular value, and to
#   $\lVert\beta\rVert$?
# - At P = 2,000 every training label is fitted exactly, the wrong ones too. Why is the
#   test error still lower than at P = 80?
# - Exercise 17.3 asks for the minimum-norm fit. Which formula would fail at P = 2,000:
#   $(\Phi^\top\Phi)^{-1}\Phi^\top Y$ or $\Phi^\top(\Phi\Phi^\top)^{-1}Y$?

# %% tags=["nbval-ignore-output"]
widgets.double_descent_demo()

# %% [markdown]
# ## 4. Why doesn't training stop in a poor local minimum? (gap slide 4)
#
# The slide's answer is **over-parameterisation** (過剰パラメータ化). Once a layer has
# enough parameters, gradient descent reaches parameters where the training loss is
# almost 0. A loss cannot be negative, so every point near 0 is as good as the global
# optimum, and there are many such points. Zhang et al. (2017) pushed this to the
# extreme: large networks fit even **random labels**.
#
# A narrow MLP (H = 8, 490 parameters) and a wide one (H = 128, 23,050 parameters), each
# trained on 500 MNIST-1D sequences, once with their true labels and once with labels
# drawn at random:

# %%
rl = th.random_labels()
print(rl)

# %%
fig = plots.random_labels(rl)

# %% [markdown]
# The wide network drives the training loss towards 0 on both (0.013 and 0.019 after 40
# epochs, 100% training accuracy): it memorises 500 random labels almost as easily as
# the true ones. Its test accuracy on random labels is 8.7%, chance level, as it must be.
# The narrow network, with fewer parameters than samples, gets stuck far above 0 on
# both.
#
# Two lessons follow. The optimisation problem becomes *easier* as the network grows,
# which answers question 3. And a network that can memorise noise has the capacity to
# overfit anything, so the classical capacity bounds cannot explain why it generalises
# on real labels. The explanation has to come from how the data and the training
# procedure interact: the implicit regularisation of section 3.
#
# ## Summary
#
# - One hidden layer can approximate any continuous function; its error falls like
#   width$^{-2}$ on a smooth function, but only like width$^{-1/2}$ on a function with a
#   jump. Depth helps on such non-smooth functions (gap slide 2).
# - Lottery tickets: pruning 90% of the hidden weights by magnitude, rewinding to the
#   initial weights and retraining kept the dense accuracy; a random mask of the same size
#   did worse.
# - Flat minima: larger batches ended in sharper minima and slightly worse test accuracy.
# - Double descent: with random features and minimum-norm weights the test error peaks at
#   $P = N$, where $\Phi$ is nearly singular, and falls again beyond it.
# - Over-parameterised networks reach about 0 training loss, even on random labels, so
#   training rarely stalls, and generalisation must come from implicit regularisation.
#
# **Exercises:** `exercises/17_theory/17_theory.ipynb`: a magnitude-pruning mask, random
# ReLU features, and the minimum-norm least-squares fit.
