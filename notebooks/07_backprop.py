# %% [markdown]
# # 07 · Backpropagation
#
# **By the end of this lesson you will be able to**
# - derive the weight update of a sigmoid network from the squared error with the chain
#   rule, and say what the error terms ε are;
# - run Araki's algorithm by hand and in code: per-sample updates, the data shuffled each
#   epoch, ε computed from the output layer backwards;
# - see the same computation as a **computational graph** of layers (Affine, Sigmoid, ReLU,
#   SoftmaxWithLoss), each with a forward and a backward pass;
# - check a backward pass against numerical gradients;
# - train an MLP on real handwritten digits, and recognise overfitting and bad local minima.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | backpropagation | 誤差逆伝播法 (Neubig: 逆伝搬) |
# | training signal (target) | 教師信号 |
# | squared error | 二乗誤差 |
# | learning coefficient (learning rate) ρ | 学習係数 |
# | chain rule | 合成関数の微分の公式 (連鎖律) |
# | error term ε (δ in Neubig) | 誤差項 ε (次の層のエラー δ) |
# | stochastic gradient descent, epoch | 確率的勾配降下法, エポック |
# | overfitting | 過学習 |
# | local minimum, global minimum, initial value | 極小値, 最小値, 初期値 |
# | computational graph, gradient check | 計算グラフ, 勾配確認 (not in the seeds; the usual terms) |
#
# **Slides followed:** seed 001 §7.2 whole (7.2.1 the name; 7.2.2-7.2.3 the derivation
# and the algorithm; 7.2.4 overfitting and the dependence on initial values), seed 000
# p.20-22 (hidden gradients are unknown; back propagation by the chain rule).

# %%
import numpy as np

from dlcourse import experiments, plots, widgets
from dlcourse.lessons import araki

bpx = experiments.backprop

# %% [markdown]
# ## 1. Why "back" propagation
#
# A network learns by gradient descent (chapter 06): move every weight a little against
# the gradient of the error, $w \leftarrow w - \rho\, \partial J / \partial w$. For the
# output layer that gradient is easy, because we know what the output *should* be: the
# training signal (教師信号). For a hidden unit nobody tells us what its output should
# have been — only the output layer's target is known (seed 000 p.21).
#
# The way out is the chain rule. The error measured at the output is sent **backwards**,
# layer by layer, through the same weights that carried the signal forwards, and each
# hidden unit receives its share of the blame. Hence the name: *error back-propagation*,
# 誤差逆伝播法 (seed 001 §7.2.1).
#
# ## 2. Araki's derivation
#
# Take one training sample $x_p$. Write $g_{ip}$ for the output of unit $i$,
# $w_{ij}$ for the weight from unit $i$ to unit $j$ one layer up, $f$ for the sigmoid, and
# $b_{lp}$ for the training signal of output unit $l$ (seed 001 §7.2.2):
#
# $$h_{jp} = \sum_i w_{ij}\, g_{ip}, \qquad g_{jp} = f(h_{jp}), \qquad
#   J_p = \frac12 \sum_l (g_{lp} - b_{lp})^2 .$$
#
# $w_{ij}$ reaches $J_p$ only through $h_{jp}$, so the chain rule splits the gradient in two:
#
# $$\frac{\partial J_p}{\partial w_{ij}} = \frac{\partial J_p}{\partial h_{jp}}
#   \cdot \frac{\partial h_{jp}}{\partial w_{ij}} = \varepsilon_{jp}\, g_{ip},
#   \qquad \varepsilon_{jp} \equiv \frac{\partial J_p}{\partial h_{jp}}
#   = \frac{\partial J_p}{\partial g_{jp}}\, f'(h_{jp}).$$
#
# The sigmoid's derivative is $f'(h_{jp}) = g_{jp}(1 - g_{jp})$. What remains is
# $\partial J_p / \partial g_{jp}$ (seed 001 §7.2.3):
#
# - **output unit:** $\partial J_p / \partial g_{jp} = g_{jp} - b_{jp}$;
# - **hidden unit:** $g_{jp}$ affects $J_p$ only through the units $k$ of the layer above,
#   so $\partial J_p / \partial g_{jp} = \sum_k \varepsilon_{kp}\, w_{jk}$.
#
# Together:
#
# $$\varepsilon_{jp} = \begin{cases} (g_{jp} - b_{jp})\, g_{jp}(1 - g_{jp}) & \text{output layer} \\
#   \big(\sum_k \varepsilon_{kp}\, w_{jk}\big)\, g_{jp}(1 - g_{jp}) & \text{hidden layer}\end{cases}
#   \qquad w_{ij} \leftarrow w_{ij} - \rho\, \varepsilon_{jp}\, g_{ip}.$$
#
# A hidden layer's ε needs the ε of the layer above: they are computed from the output
# layer downwards. Neubig writes the same recursion with δ for "the next layer's error"
# (seed 000 p.22).
#
# **The bias** is handled as in chapter 01's threshold units: a weight from an extra unit
# whose output is always 1. In `dlcourse.lessons.araki` row 0 of every weight matrix holds these
# weights, so `w[0]` of a 2-2-1 network has shape `(3, 2)`, and the update rule needs no
# special case — its $g_{ip}$ is simply 1.
#
# ## 3. One sample by hand
#
# A 2-2-1 network, the input $x = (1, 0)$ with training signal $b = 1$ (XOR's answer).
# `forward` returns every $h$ and $g$, `epsilons` the ε of each layer:

# %%
w = araki.init_weights([2, 2, 1], rng=0)          # w[0]: (3, 2), w[1]: (3, 1); row 0 = bias
x, b = np.array([1.0, 0.0]), np.array([1.0])
h, g = araki.forward(w, x)
eps = araki.epsilons(w, g, b)


def show(a):
    return "[" + ", ".join(f"{v:+.4f}" for v in a) + "]"


for k, name in enumerate(["hidden", "output"]):
    print(f"{name:6}: h = {show(h[k])}  g = {show(g[k + 1])}  eps = {show(eps[k])}")

# %% [markdown]
# Check the output ε by hand: $(g - b)\,g(1 - g)$ with the printed $g$. It is negative
# because the output is below its target, so the update $-\rho\,\varepsilon\, g_i$ *raises*
# the weights that feed it. One step with $\rho = 3$ lowers this sample's error:

# %%
J_before = araki.araki_step(w, x, b, rho=3.0)       # forward, eps, update; returns J_p before
_, g_after = araki.forward(w, x)
print(f"J_p before the step: {J_before:.4f}")
print(f"J_p after the step:  {0.5 * np.sum((g_after[-1] - b) ** 2):.4f}")

# %% [markdown]
# `dlcourse.lessons.araki` holds the slides' formulas line by line (`forward`, `epsilons`,
# `update`, `araki_step`), with the slides' names. `araki.train` is the algorithm of
# seed 001 §7.2.3 (4/4): small initial weights, then for every epoch
#
# ```python
# for p in rng.permutation(N):        # 2.1 shuffle the data
#     h, g = forward(w, X[p])         # 2.2.1 outputs of every layer
#     eps = epsilons(w, g, B[p])      # 2.2.2 ε, from the output layer down
#     update(w, g, eps, rho)          # 2.2.3 w_ij <- w_ij - rho eps_jp g_ip
# ```
#
# ## 4. Learning XOR
#
# The slides' Playground demo learns XOR with one hidden layer of 4 sigmoid units
# (seed 001 §7.1). We train exactly that network with Araki's algorithm, $\rho = 3$, and
# print $J = \sum_p J_p$ over the four samples every 25 epochs:

# %%
run = bpx.araki_xor(hidden=4, rho=3.0, epochs=300, seed=0)
print(run)

# %%
fig = plots.araki_xor(run)

# %% [markdown]
# For about 100 epochs nothing seems to happen: every output sits near 0.5 and $J$ stays
# near $4 \times \frac12 \times 0.5^2 = 0.5$. Then the hidden units pick different
# features, and $J$ falls. The curve is noisy because the weights move after every single
# sample, not after the whole set. On the right, the trained network cuts the input
# square into XOR's regions with curved boundaries, which no single perceptron can do
# (chapter 01).
#
# ### Try it: learning rate, hidden units, epochs
#
# The demo starts from the run above (seed 0). A setting is trained when you release the
# slider.
#
# - Lower ρ to 0.5. How many epochs would XOR now need? And what happens at ρ = 6?
# - With a single hidden unit, can the network ever get all four outputs right? Why not?
# - With 2 hidden units the network is just big enough. Is training faster or slower than
#   with 8?

# %% tags=["nbval-ignore-output"]
widgets.backprop_xor_demo()

# %% [markdown]
# ## 5. The same step, built from layers
#
# Araki's formulas can be cut into reusable pieces. The 2-4-1 network is
# `Affine → Sigmoid → Affine → Sigmoid`, followed by the loss `MSELoss`, where
# `Affine(W, b)` computes `x @ W + b` with `W = w[1:]` and `b = w[0]` (the bias row). Each
# piece has a `forward` and a `backward`; `backward` takes the gradient of the loss with
# respect to the piece's output (`dout`) and returns the one with respect to its input:
#
# | piece | forward | backward | in Araki's terms |
# |---|---|---|---|
# | `MSELoss` (a batch of 1) | $\frac12\sum_l (y_l - b_l)^2 = J_p$ | $y - b$ | $g_{lp} - b_{lp}$ |
# | `Sigmoid` | $g = f(h)$ | `dout * g * (1 - g)` | × $f'(h_{jp})$: gives $\varepsilon_{jp}$ |
# | `Affine` | $h = g_{\text{below}} W + b$ | `dW = x.T @ dout`, `dx = dout @ W.T` | $\varepsilon_{jp} g_{ip}$ and $\sum_k \varepsilon_{kp} w_{jk}$ |
#
# Start both from the same weights, feed the same samples in the same order, and compare
# the weights after 1, 4 and 40 per-sample steps (`optim.SGD(lr=ρ)` applies the update):

# %%
agree = bpx.layers_agree(hidden=4, rho=3.0, seed=0, steps=(1, 4, 40))
print(agree)

# %% [markdown]
# Identical, up to the last bits of floating point. Araki's ε is just the gradient arriving
# at a sigmoid's input, `dout` × $f'$; his $\sum_k \varepsilon_{kp} w_{jk}$ is an Affine
# layer's `dx`. The layer classes of `dlcourse.layers` are the same derivation, organised
# so that any stack of them can be differentiated.
#
# ## 6. The computational graph view
#
# A network is a chain of nodes. Going **forward**, each node computes its output from its
# input and keeps what it will need later. Going **backward**, each node multiplies the
# incoming gradient by its own *local* derivative and passes the product on — the chain
# rule, one node at a time. No node needs to know what the rest of the graph looks like.
#
# | node | forward | backward (`dout` in, `dx` out) |
# |---|---|---|
# | `Affine(W, b)` | `out = x @ W + b` | `dx = dout @ W.T`, `dW = x.T @ dout`, `db = dout.sum(axis=0)` |
# | `Sigmoid` | `out = 1 / (1 + exp(-x))` | `dx = dout * out * (1 - out)` |
# | `ReLU` | `out = max(0, x)` | `dx = dout` where `x > 0`, else 0 |
# | `SoftmaxWithLoss` | `y = softmax(x)`, `loss = mean cross-entropy` | `dx = (y - t) / N` |
#
# Softmax and cross-entropy form one node because together their gradient is the simple
# $y - t$ (divided by $N$ for the batch mean). A gradient always has the shape of the thing
# it is the gradient of, which is the best guide to where a transpose goes.
#
# How do we know a backward pass is right? Compare it with the **numerical gradient** of
# chapter 06: nudge one weight by $\pm h$, rerun the forward pass, difference the losses.
# It is slow (two forward passes per weight) but hard to get wrong. Here is a small network
# that uses every node above, in float64:

# %%
gc = bpx.gradient_check(sizes=(4, 5, 5, 3), N=6, seed=0)
print(gc)

# %%
fig = plots.computational_graph(gc)

# %% [markdown]
# Relative errors below 1e-7 mean the backward pass is right; above 1e-2 it is wrong
# (the cs231n rule of thumb). The numerical gradient needed $2 \times 73$ forward passes
# for these 73 weights; backpropagation got all of them from **one** forward and one
# backward pass. That is why networks with millions of weights are trained by
# backpropagation, and checked with numerical gradients on small cases.
#
# ## 7. An MLP on real handwritten digits
#
# Now a real task: scikit-learn's 1,797 handwritten digits of 8 × 8 pixels. `models.MLP`
# stacks `Affine → ReLU → Affine` with `SoftmaxWithLoss`, and `models.train` runs
# minibatch SGD: the same backward passes, averaged over 32 samples per step. Each pixel is
# first *standardised* with the training set's mean and spread, so every input has the
# same scale and no weight has to learn much faster than the others. A test set of 359
# images is small (one image is 0.3%), so we train the same recipe on five different
# stratified train/test splits:

# %%
digits = bpx.digits_mlp(hidden=256, lr=0.1, epochs=30, batch_size=32)
print(digits)

# %%
fig = plots.digits_curves(digits)

# %% [markdown]
# About 98-99% of digits the network has never seen are recognised, at least 97% on every
# split, with nothing but the backward passes of this lesson and plain SGD. The splits
# still differ by more than a point: split 0 happens to put harder images in its test
# set. Always ask how much a test accuracy would move with another split.
#
# ## 8. Overfitting
#
# A network can draw decision boundaries of any shape, so it can push its error on the
# training data towards 0. Such a boundary is often specialised to the training data and
# makes many mistakes on new data: **overfitting**, 過学習 (seed 001 §7.2.4). To provoke it,
# train a large network (two hidden layers of 256 units, 85,000 weights) on only 100
# training digits, 10 of each class:

# %%
over = bpx.overfitting(per_class=10, sizes=(64, 256, 256, 10), epochs=200)
print(over)

# %%
fig = plots.overfitting_curves(over)

# %% [markdown]
# The training accuracy reaches 100% within about 20 epochs and the training loss keeps
# falling towards 0, while the test accuracy stalls near 88%, ten points below the network
# trained on all 1,438 images. The test loss is lowest early and then creeps up: from there
# on, the network learns the 100 images rather than digits. Chapter 10 fights this with
# weight decay, dropout and more data.
#
# ## 9. Different initial weights, different minima
#
# The squared error of a network is a complicated function of its weights, with several
# minima; the smallest (最小値) is only one of the local minima (極小値). Where gradient
# descent stops depends on where it starts, and from some starting points training fails
# (seed 001 §7.2.4). The smallest XOR network, 2-2-1, shows it: ten initial weights, the
# same ρ and the same 1,000 epochs.

# %%
minima = bpx.seed_minima(seeds=range(10), hidden=2, rho=3.0, epochs=1000)
print(minima)

# %%
fig = plots.seed_minima(minima)

# %% [markdown]
# Seven runs solve XOR. Three get stuck at $J \approx 0.34$: they output about 0.7 for
# (0, 1), (1, 0) **and** (1, 1), an OR-like answer, and more epochs do not help (at 4,000
# epochs $J$ is still 0.33-0.34): every small step from there increases the error. Even the
# runs that succeed end in different weights.
#
# Remedies: restart from other initial weights, or give the network more hidden units than
# it strictly needs. With 4 hidden units, all ten seeds succeed:

# %%
wider = bpx.seed_minima(seeds=range(10), hidden=4, rho=3.0, epochs=1000)
print(f"2-4-1 net: {int(wider.solved.sum())} of {len(wider.runs)} initial weights solve XOR, "
      f"largest final J = {wider.final_losses.max():.4f}")

# %% [markdown]
# ## Summary
#
# - Backpropagation is the chain rule applied to the error: $\partial J_p / \partial w_{ij}
#   = \varepsilon_{jp} g_{ip}$, with $\varepsilon = (g - b) g (1 - g)$ at the output and
#   $(\sum_k \varepsilon_k w_{jk}) g (1 - g)$ in hidden layers, computed from the output down.
# - Araki's algorithm: small initial weights; each epoch, shuffle, then forward, ε and
#   update for one sample at a time. The bias is a weight from a constant-1 unit.
# - Layers with forward and backward passes (Affine, Sigmoid, ReLU, SoftmaxWithLoss) are the
#   same computation cut into reusable nodes of a computational graph; a numerical gradient
#   check confirms a backward pass to better than 1e-7.
# - An MLP trained this way recognises about 98% of unseen digits; a large net on few data
#   overfits; a small net can get stuck in a local minimum that depends on its initial
#   weights.
#
# **Exercises:** `exercises/07_backprop/07_backprop.ipynb`: the backward passes of Affine,
# Sigmoid and SoftmaxWithLoss, and one step of Araki's algorithm with its ε terms.
