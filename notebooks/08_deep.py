# %% [markdown]
# # 08 · Deep networks and vanishing gradients
#
# **By the end of this lesson you will be able to**
# - measure the gradient $\lVert \partial L / \partial W \rVert$ of every layer of a deep
#   network, and see it shrink by orders of magnitude toward the input of a sigmoid net;
# - explain the vanishing gradient from the chain rule: one factor $h'(z) \le 0.25$ per
#   sigmoid layer;
# - recognise the opposite failure, exploding gradients, when the weights are too large;
# - choose the initial weight scale (Xavier for sigmoid/tanh, He for ReLU) by looking at
#   each layer's activations;
# - explain how ReLU and residual (skip) connections keep the gradient flowing.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | deep network, multi-layer network | 深層ネット, 多階層ニューラルネットワーク |
# | vanishing gradient | 勾配消失 (消える勾配) |
# | exploding gradient | 爆発的に増える勾配 |
# | error term δ | 誤差項 (δ) |
# | initial weights | 重みの初期値 |
# | layerwise training, pre-training | 層ごとの学習, 事前学習 |
# | rectified linear unit (ReLU) | ReLU (rectified linear unit) |
# | residual (skip) connection | 残差接続 (スキップ接続) *(not in the seeds)* |
#
# **Slides followed:** seed 000 p.19 and p.23-26 (Neubig: deep networks; backpropagation
# in a deep net, the vanishing δ; exploding gradients; layerwise training), seed 001
# §7.3.1-7.3.2 (the vanishing gradient, the Playground demo, ReLU as the fix), seed 002
# p.32 (signal squashing, chapter 02), seed 003 §9.3.1 (remedies for deep nets).

# %%
import numpy as np

from dlcourse import experiments, plots, widgets
from dlcourse.lessons import deep_stacks

dp = experiments.deep

# %% [markdown]
# ## 1. The gradient vanishes toward the input
#
# Why go deep? Each layer can build on the previous one, so a deep net represents
# gradually more complex functions (seed 000 p.19). Training it is the problem. Chapter 07
# computed the gradient of a layer from the layer above: for a hidden layer with
# pre-activation $z = h_{\text{prev}} W + b$ and output $h = \text{act}(z)$,
#
# $$\frac{\partial L}{\partial z} = \frac{\partial L}{\partial h} \odot \text{act}'(z),
# \qquad \frac{\partial L}{\partial h_{\text{prev}}} = \frac{\partial L}{\partial z}\, W^\top,
# \qquad \frac{\partial L}{\partial W} = h_{\text{prev}}^\top \frac{\partial L}{\partial z}.$$
#
# Going down one sigmoid layer multiplies the error by $\sigma'(z) \le 0.25$ (chapter 02)
# and by $W^\top$. With weights of the usual size the product is well below 1, so after
# ten layers little is left. Neubig's slide shows error terms δ of about 0.1 at the
# output and about $10^{-6}$ at the input (seed 000 p.23); seed 001 §7.3.1 draws the
# same picture: the updates shrink as they approach the input layer.
#
# We measure it. `dlcourse.lessons.deep_stacks` holds a stack of dense layers with a softmax
# cross-entropy loss and its backward pass (gradient-checked in `tests/test_deep.py`).
# Ten hidden layers of 30 units read a batch of 100 8×8 digits (64 pixels, 10 classes);
# we print $\lVert \partial L / \partial W \rVert$ of each of the 11 weight matrices,
# before any training. Sigmoid units get Xavier weights (std $\sqrt{1/n}$, section 4),
# ReLU units He weights (std $\sqrt{2/n}$).

# %%
prof = dp.gradient_profiles((("sigmoid", "xavier", False), ("relu", "he", False)))
print(prof)

# %% [markdown]
# The sigmoid net reproduces the slide: about 0.6 at the output layer and $2.5 \times
# 10^{-7}$ at the first layer, a factor of about two million. Gradient descent moves every
# weight by the learning rate times its gradient, so the first layers barely move: the
# layers next to the input, which should extract the features, hardly learn. In the ReLU
# net every layer gets a gradient of the same size (about 0.5): ReLU's slope is 1 for a
# positive input, so going down a layer does not shrink the error (seed 001 §7.3.2).

# %%
fig = plots.gradient_profiles(prof)

# %% [markdown]
# ## 2. The Playground demo: 6 sigmoid layers fail
#
# Seed 001 §7.3.1 simulates the vanishing gradient in the TensorFlow Playground:
# **6 hidden layers of 4 sigmoid units, Gaussian data, noise 30**. The two Gaussian blobs
# are easy to separate (one straight line does it), yet the deep sigmoid net does not
# learn them. We train chapter 05's numpy Playground (`experiments.hidden.playground`,
# learning rate 0.03, batch 10) for 100 epochs with sigmoid and with ReLU units. The last
# columns are $\lVert \partial E / \partial W \rVert$ of each layer of the fresh network.

# %%
pg = dp.playground_depth(activations=("sigmoid", "relu"), epochs=100, seed=1)
print(pg)

# %% [markdown]
# The sigmoid net stays at chance (about 50%) with its loss stuck at 0.5, the loss of
# predicting 0 everywhere: its first layer's gradient is about $10^{-6}$, five orders of
# magnitude below the output's. With ReLU the same net separates the blobs (the few
# errors left are the noisy points that lie on the other side).

# %%
fig = plots.playground_depth(pg)

# %% [markdown]
# Before ReLU, deep nets were made trainable by **layerwise training**: train the layers
# one at a time from the input side, each as an autoencoder that reconstructs its input
# (seed 000 p.24-26, seed 001 §7.3.2; chapter 11). With ReLU and better initial weights
# this pre-training became unnecessary (seed 001 §7.3.2, seed 003 §9.3.1).
#
# ## 3. Exploding gradients
#
# "Gradients that grow explosively, too" (爆発的に増える勾配も, seed 000 p.23). If each
# layer multiplies the error by *more* than 1, it grows toward the input instead. Large
# weights do it: here the weights of a 10-layer tanh net have std 3 instead of Xavier's
# $\sqrt{1/30} \approx 0.18$.

# %%
boom = dp.gradient_profiles((("tanh", "xavier", False), ("tanh", "3.0", False)))
print(boom)

# %% [markdown]
# With Xavier weights, tanh (whose slope is 1 at 0) keeps the gradient about constant.
# With std 3 the gradient of the first layer is almost 6,000 times the output layer's: one
# gradient-descent step with a learning rate that suits the last layer throws the first
# layers' weights far away. (Many tanh units are saturated here, slope near 0, yet
# $W^\top$ is so large that the product still exceeds 1.)

# %%
fig = plots.gradient_profiles(boom)

# %% [markdown]
# ## 4. How large should the initial weights be?
#
# The scale of the weights decides what the activations look like, and the activations
# decide both the signal that goes up and the slopes $\text{act}'(z)$ the gradient meets on
# the way down. We pass 1000 random inputs through 5 layers of 100 units with zero biases
# and look at each layer's activations, for several weight scales:
#
# - std **1**: a unit sums 100 inputs, so $z$ has std about 10 and sigmoids sit at 0 or 1,
#   where their slope is 0;
# - std **0.01**: $z \approx 0$, every sigmoid outputs about 0.5, all units alike;
# - **Xavier**, std $\sqrt{1/n}$ for $n$ inputs: $z$ has about the spread of one input;
# - **He**, std $\sqrt{2/n}$: ReLU zeroes half its inputs, the factor 2 makes up for it.

# %%
hists = dp.activation_histograms()
print(hists)

# %% [markdown]
# The printed std is the spread of all activations in a layer. With std 1 it stays large,
# but the histograms below show why that is bad: the values pile up at 0 and 1. With
# std 0.01 the spread is about 0.01, every unit says "0.5". Xavier keeps sigmoids in
# between. For ReLU, Xavier weights let the spread shrink layer by layer (0.58 to 0.13),
# and He's weights keep it (about 0.75 in every layer).
# (The jagged sigmoid histograms from layer 3 on have a cause too: sigmoid outputs are
# centred on 0.5, not 0, so each unit of the next layer gets its own fixed offset and the
# histogram becomes a set of narrow peaks, one per unit. tanh, centred on 0, avoids it.)

# %%
fig = plots.activation_histograms(hists)

# %% [markdown]
# `dlcourse.optim.xavier` and `dlcourse.optim.he` draw these weights (the exercises ask
# you to write them); `models.MLP(..., init="he")` uses them.
#
# ## 5. Residual (skip) connections
#
# A different fix changes the architecture. A **residual** layer adds its input to its
# output, $h_{l+1} = h_l + \text{act}(h_l W + b)$. Then
# $\partial L / \partial h_l = \partial L / \partial h_{l+1} + (\ldots)\,W^\top$: the first
# term passes the error down unchanged, whatever the sigmoid's slope. (This idea from
# He et al., 2016, is not in the seeds; it is how very deep networks are trained today.)
# In a few lines, the forward and backward of one residual sigmoid layer:

# %%
rng = np.random.default_rng(0)
h, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)) / np.sqrt(3), np.zeros(3)
s = 1 / (1 + np.exp(-(h @ W + b)))          # act(z), z = h @ W + b
h_next = h + s                              # the skip: add the input
dh_next = np.ones_like(h_next)              # some gradient arriving from above
dz = dh_next * s * (1 - s)                  # through the sigmoid
dh = dh_next + dz @ W.T                     # the skip passes dh_next down unchanged
print("dh = dh_next + dz @ W.T (dh_next is all ones):")
print(np.round(dh, 4))

# %% [markdown]
# `dlcourse.lessons.deep_stacks.loss_and_grads(..., residual=True)` does this for every square hidden
# layer. The same 10 × 30 sigmoid stack as in section 1, with and without skips:

# %%
skip = dp.gradient_profiles((("sigmoid", "xavier", False), ("sigmoid", "xavier", True)))
print(skip)

# %% [markdown]
# With skips the first layer's gradient is about 0.8 instead of $2.5 \times 10^{-7}$. The
# output layer's gradient is larger too, because the sum of ten layers makes the last
# hidden activations large; the point is that no layer is starved.

# %%
fig = plots.gradient_profiles(skip)

# %% [markdown]
# ## 6. Depth, activation and weight scale together
#
# The demo below builds a stack of 1 to 10 hidden layers of 30 units on the digits batch,
# prints $\lVert \partial L / \partial W \rVert$ per layer, and then trains it for 30
# full-batch steps of Adam (learning rate 0.01, chapter 09) to show whether the loss moves.
# Its default is section 1's sigmoid net:

# %%
run = dp.deep_run(depth=10, activation="sigmoid", init="xavier")
print(run)

# %% [markdown]
# The loss falls from 2.45 only to 2.25, the loss of predicting the class frequencies: the
# net has learned nothing about the images. (Adam scales each step by the gradient's own
# size, and even so the squashed signal of a 10-layer sigmoid stack carries too little
# information.)
#
# ### Try it: depth, activation, weight scale
#
# - With sigmoid and Xavier weights, at which depth does the ratio output/input pass
#   $10^3$? Does the loss still fall with 3 hidden layers?
# - Switch to ReLU with He weights, then ReLU with std 1. What happens to the gradient
#   norms and to the loss?
# - With sigmoid, compare std 0.01 and std 1: which gradient is smaller at the input, and
#   why (section 4)?

# %% tags=["nbval-ignore-output"]
widgets.deep_gradients_demo()

# %% [markdown]
# ## Summary
#
# - In a deep sigmoid network the gradient shrinks by a factor of roughly 4 or more per
#   layer on the way to the input (σ' ≤ 0.25): 0.6 at the output, $2.5 \times 10^{-7}$ at
#   the input of a 10 × 30 stack. The first layers hardly learn (勾配消失).
# - The slide's Playground net (6 × 4 sigmoid units, Gaussian data, noise 30) stays at 50%;
#   with ReLU it learns.
# - Too-large weights make gradients explode toward the input instead.
# - Initial weights: Xavier (std $\sqrt{1/n}$) for sigmoid and tanh, He
#   ($\sqrt{2/n}$) for ReLU keep each layer's activations spread out.
# - ReLU (slope 1) and residual connections ($h + f(h)$) let the gradient through; before
#   them, deep nets were pre-trained layer by layer.
#
# **Exercises:** `exercises/08_deep/08_deep.ipynb`: write the Xavier and He initialisers,
# and a function returning every layer's gradient norm by backpropagation.
