# %% [markdown]
# # 10 · Overfitting, regularisation, dropout
#
# **By the end of this lesson you will be able to**
# - recognise overfitting in learning curves: training accuracy at 100%, test accuracy far below;
# - narrow the gap with **weight decay** (an L2 penalty on the weights) and say what it adds
#   to the gradient;
# - explain dropout, and the two ways of handling it at test time (the slides' scaling by
#   the keep rate, and inverted dropout), and show that they agree;
# - see dropout as an ensemble of many thinned networks that share their weights.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | overfitting | 過学習 |
# | generalisation | 汎用性 |
# | regularisation | 正則化 |
# | weight decay (L2 penalty) | 荷重減衰 (L2 正則化; not in the seeds, the usual term) |
# | dropout | ドロップアウト |
# | training time / recognition (test) time | 学習時 / 認識時 |
# | ensemble learning | アンサンブル学習 |
#
# **Slides followed:** seed 000 p.28 (dropout disables part of the net at every update; a
# kind of ensemble learning), seed 001 §7.2.4 (overfitting) and §7.3.2 (dropout: drop a
# fixed fraction of units while training; at recognition time multiply the learned weights
# by 0.5), seed 003 §9.3.3 (dropout acts like a regulariser).

# %%
import numpy as np

from dlcourse import experiments, layers, plots, widgets

reg = experiments.regularization

# %% [markdown]
# ## 1. Overfitting
#
# A network with many weights can fit its training data perfectly and still make many
# mistakes on new data (seed 001 §7.2.4). Chapter 07 saw it on the digits. Here the data
# set is **MNIST-1D**: digits drawn as one-dimensional signals of length 40, shifted,
# scaled and noisy, a task on which plain MLPs overfit badly. We train an MLP with two
# hidden layers of 128 units (22,000 weights) on 1,000 sequences and test on 1,000 others.
# The second row adds weight decay with λ = 0.01 (section 2):

# %%
wd = reg.overfitting(lambdas=(0.0, 0.01))
print(wd)

# %%
fig = plots.weight_decay_curves(wd)

# %% [markdown]
# Without weight decay (blue) the training accuracy reaches 100% and the training loss
# falls towards 0, but only 41% of the test sequences are right, and the test loss
# *rises* after the first epochs: the network memorises the 1,000 training sequences.
#
# ## 2. Weight decay
#
# Large weights make sharp, wiggly functions that can pass through every training point.
# Weight decay discourages them: train on
#
# $$L_\lambda = L + \frac{\lambda}{2} \sum_{W} \lVert W \rVert^2 ,$$
#
# summed over the weight matrices (not the biases). Its gradient is the old one plus
# $\lambda W$, so every step also shrinks each weight a little towards 0:
# $W \leftarrow W - \eta(\partial L / \partial W + \lambda W)$.
# `models.train(..., weight_decay=λ)` does exactly this. With λ = 0.01 (orange) the training
# accuracy stops at 92.5%, the test accuracy rises from 41% to 49%, the gap shrinks from
# 59 to 44 points and the test loss no longer climbs. The penalty trades a worse fit of the
# training data for a better fit of new data; too large a λ (try 0.1) and the net can no
# longer fit either.
#
# ## 3. Dropout
#
# Dropout (ドロップアウト) switches off a random fraction p of the units at every training
# update (seed 000 p.28, seed 001 §7.3.2). A unit can no longer rely on one particular
# partner: in the slide's picture, an ordinary net may learn lopsided weights 0.9 and 0.1,
# while under dropout each input must reach the answer on its own, and both weights grow to
# 1.0, which generalises better.
#
# At test (recognition) time every unit is used, so a unit receives more input than it ever
# did in training. The slides fix this by multiplying by the keep rate, 0.5 for p = 0.5.
# There are two equivalent ways to write it:
#
# | rule | training | test |
# |---|---|---|
# | the slides' (`mode="scale_at_test"`) | $x \cdot m$ | $(1-p)\,x$ |
# | inverted (`mode="inverted"`, the library's default) | $x \cdot m / (1-p)$ | $x$ |
#
# with $m$ a random 0/1 mask that keeps each unit with probability $1-p$. In both rules the
# test output is the **expected** training output, because $E[m] = 1 - p$. Check it:
# average many training passes of `layers.Dropout` on a fixed input and compare with the
# test output.

# %%
expect = reg.dropout_expectation(p=0.5, shape=(20, 50), samples=(10, 100, 1000, 10000))
print(expect)

# %%
fig = plots.dropout_expectation(expect)

# %% [markdown]
# The worst of the 1,000 entries approaches the test output like $1/\sqrt{n}$, the usual
# rate for an average of $n$ random samples. Both rules draw the same masks from the same
# seed and differ only by the constant factor $1/(1-p)$, at every single pass.
#
# That constant is absorbed by the next layer. Take a network trained with inverted dropout
# and rewrite it for the slides' rule by dividing the weights after the dropout layer by
# $1-p$: it computes the very same logits, in training mode (same masks) and in test mode.
# We also train a network with each rule from the same start:

# %%
equiv = reg.dropout_equivalence(p=0.5, hidden=256, epochs=20)
print(equiv)

# %% [markdown]
# The rewritten network is the same function, bit for bit. Trained from scratch the two
# rules reach the same test accuracy here (the training paths differ slightly, because
# plain SGD sees the weights at a different scale). Inverted dropout is preferred in
# practice because the test-time network needs no change at all.
#
# ## 4. Dropout as an ensemble
#
# Every training pass uses a different **thinned** network: the full net with a random
# half of its hidden units removed. With 256 hidden units there are $2^{256}$ of them, all
# sharing one set of weights. Averaging the predictions of many models is ensemble learning
# (アンサンブル学習, seed 000 p.28), and the test-mode pass is a cheap approximation of
# averaging them all (seed 003 §9.3.3). Let us average the softmax outputs of up to 1,000
# random thinned networks on the 359 test digits:

# %%
ens = reg.dropout_ensemble(p=0.5, hidden=256, epochs=20, counts=(1, 10, 100, 1000))
print(ens)

# %%
fig = plots.dropout_ensemble(ens)

# %% [markdown]
# A single thinned network is clearly worse than the whole net. Averaging more of them
# climbs towards the accuracy of the single test-mode pass, and by 1,000 the average
# predicts exactly what the test-mode pass predicts on every test digit. One deterministic
# pass gives the ensemble's answer at the cost of one model.
#
# ## 5. Dropout, weight decay and data together
#
# A small grid: a 64-64-10 network on 100, 300 or 1,000 training digits, every run seeing
# 4,000 training samples. The default is the plain, unregularised net on 100 digits:

# %%
grid = reg.regularization_grid(dropout=0.0, weight_decay=0.0, n_train=100)
print(grid)

# %% [markdown]
# ### Try it: dropout rate, weight decay, training-set size
#
# Each grid point is trained the first time you visit it (a fraction of a second) and
# remembered after that; the rest of the grid trains in the background.
#
# - Which slider shrinks the gap between train and test the most: dropout, weight decay or
#   more data?
# - With λ = 0.1, what happens to the *training* accuracy? Is that overfitting or underfitting?
# - Does dropout 0.5 help the small training set on this small net? (Compare the test loss,
#   not only the accuracy.)

# %% tags=["nbval-ignore-output"]
widgets.dropout_demo()

# %% [markdown]
# On the digits more data is by far the strongest remedy (the gap falls from 12 to about 4
# points from 100 to 1,000 digits); on this small net dropout and a small λ change the test
# accuracy by a point or less, and a large λ lowers both accuracies. Regularisation helps
# most where the network is much larger than the data can support, as on MNIST-1D above.
#
# ## Summary
#
# - Overfitting: training accuracy 100%, test far below, the test loss rising while the
#   training loss falls.
# - Weight decay adds $\frac{\lambda}{2}\sum\lVert W\rVert^2$ to the loss, i.e. $\lambda W$
#   to each weight's gradient (biases excluded); on MNIST-1D, λ = 0.01 lifted the test
#   accuracy from 41% to 49%.
# - Dropout switches units off with probability p while training. At test time either
#   scale by the keep rate $1-p$ (the slides) or, equivalently, scale by $1/(1-p)$ during
#   training (inverted dropout); the next layer's weights absorb the difference.
# - The test-mode pass approximates the average of the exponentially many thinned networks
#   that dropout trains.
#
# **Exercises:** `exercises/10_regularization/10_regularization.ipynb`: an inverted Dropout
# layer with its backward pass, and the gradient of the L2 penalty.
