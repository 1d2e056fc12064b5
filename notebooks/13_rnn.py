# %% [markdown]
# # 13 · Recurrent networks
#
# **By the end of this lesson you will be able to**
# - write the recurrent step $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ and unroll it into a
#   deep network whose layers share their weights;
# - compute the gradient of an unrolled network by back-propagation through time (BPTT) and
#   check it against a numerical gradient;
# - explain, with the product of Jacobians $\partial h_t / \partial h_{t-1}$, why the gradient
#   vanishes or explodes over many time steps, and how the recurrent weights' spectral
#   radius decides which;
# - train an echo state network, whose recurrent weights stay random and whose readout alone
#   is fitted, to forecast a chaotic time series;
# - show how leaky units and skip connections in time carry the gradient further back;
# - tell when a bidirectional RNN is needed, and evaluate expressions with a recursive
#   (tree-structured) network.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | recurrent neural network (RNN) | リカレントニューラルネット (RNN) |
# | unrolling the feedback loop along time | 帰還路を時間方向に展開 |
# | time series | 時系列 |
# | hidden state | 隠れ状態 (hidden state) |
# | back-propagation through time (BPTT) | 通時的誤差逆伝播 (BPTT) *(not in the seeds)* |
# | vanishing / exploding gradient | 勾配消失 / 勾配爆発 |
# | long-term dependency | 長期依存性 |
# | echo state network | エコーステートネットワーク |
# | leaky unit | リーキーユニット |
# | skip connection | スキップ接続 |
# | bidirectional RNN | 双方向 RNN |
# | recursive neural network | 再帰的ニューラルネット |
#
# **Slides followed:** seed 000 p.30 and p.32 (Neubig: the recurrent net applies the same NET
# at every time step; the recursive net applies it at every node of a tree), seed 001
# §7.3.3 (2/3) (the hidden layer's output joins the next input; the feedback loop unrolled
# along time), seed 003 §9.5 (recurrent networks; the bidirectional RNN), seed 004 (echo
# state networks, skip connections, leaky units, bidirectional RNNs; the gradient vanishes
# the further back in time it goes).

# %%
import numpy as np

from dlcourse import datasets, experiments, plots, recursive, rnn, widgets

ex = experiments.rnn

# %% [markdown]
# ## 1. A layer that feeds itself
#
# A recurrent network reads a sequence $x_0, x_1, \dots$ one element at a time — a sound,
# a sentence, a measurement every second — and keeps a **hidden state** $h_t$ that
# summarises what it has read so far. At every step the hidden layer's output from the
# previous step joins the new input (seed 001 §7.3.3, seed 003 §9.5):
#
# $$h_t = \tanh(x_t W_x + h_{t-1} W_h + b), \qquad h_{-1} = 0,$$
#
# with $x_t$ of size $D$, $h_t$ of size $H$, $W_x$ `(D, H)`, $W_h$ `(H, H)` and $b$ `(H,)`.
# The *same* three arrays are used at every step; Neubig draws this as the same box NET
# repeated along the sequence (seed 000 p.30). Four steps in numpy:

# %%
rng = np.random.default_rng(0)
Wx, Wh, b = rnn.init_recurrent("rnn", 2, 3, rng)     # D = 2 inputs, H = 3 hidden units
xs = rng.standard_normal((4, 2))                       # one sequence, T = 4
h = np.zeros(3)
for t, x in enumerate(xs):
    h = np.tanh(x @ Wx + h @ Wh + b)                   # the same weights at every step
    print(f"h_{t} = [" + ", ".join(f"{v:+.4f}" for v in h) + "]")
last = rnn.TimeRNN(Wx, Wh, b).forward(xs[None])[0, -1]   # the library's layer, batch of 1
print("TimeRNN, last state: [" + ", ".join(f"{v:+.4f}" for v in last) + "]")

# %% [markdown]
# `dlcourse.rnn.RNNCell` holds one step (with its backward pass) and `dlcourse.rnn.TimeRNN`
# the loop over a batch of sequences `(N, T, D) -> (N, T, H)`; from now on we use those.
#
# ## 2. Unrolling, and back-propagation through time
#
# Write the loop out and the feedback disappears: **unrolled** along time (帰還路を時間方向に
# 展開, seed 001 §7.3.3), a recurrent network over $T$ steps is a feed-forward network with
# $T$ layers, one per step, that all share $W_x$, $W_h$ and $b$. So we can train it with the
# backpropagation of chapter 07, run on the unrolled graph: **back-propagation through time**
# (BPTT). Going back one step, each cell receives $\partial L / \partial h_t$ and passes on
#
# $$\frac{\partial L}{\partial h_{t-1}} = \Big(\frac{\partial L}{\partial h_t} \odot (1 - h_t^2)\Big) W_h^\top,$$
#
# and because the weights are shared, their gradient is the **sum** of what every step
# contributes, e.g. $\partial L / \partial W_h = \sum_t h_{t-1}^\top\, da_t$ with
# $da_t = \partial L / \partial h_t \odot (1 - h_t^2)$.
#
# We unroll a small RNN over 5 steps, take the loss $L = \tfrac12 \lVert h_4 - y \rVert^2$
# on the last state only, and run BPTT with one `RNNCell` per step:

# %%
unrolled = ex.unrolled_bptt(T=5, D=2, H=3, seed=1)
print(unrolled)

# %%
fig = plots.rnn_unrolled(unrolled)

# %% [markdown]
# Read the red numbers from right to left: the gradient reaching the states shrinks from
# 0.84 at $h_4$ to 0.0062 at $h_0$, about a factor 3 per step. So the early steps add little
# to $\partial L / \partial W_h$ (the last column; step 0 adds nothing at all, since
# $h_{-1} = 0$). The sum of the five shares matches the numerical gradient to about
# $10^{-9}$: BPTT is just backpropagation. The next section asks why the gradient shrinks.
#
# ## 3. The gradient over many steps: vanishing and exploding
#
# Follow the chain rule back $k$ steps. With row vectors, $h_t$ depends on $h_{t-1}$
# through the Jacobian
#
# $$J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(1 - h_t^2)\, W_h^\top,
# \qquad
# \frac{\partial h_T}{\partial h_{T-k}} = J_T\, J_{T-1} \cdots J_{T-k+1}.$$
#
# A product of $k$ matrices behaves roughly like a number raised to the power $k$. tanh's
# slope $1 - h^2$ is at most 1, so when $W_h$ is small every factor shrinks the gradient
# and it **vanishes** exponentially (seed 004: the further back in time, the more the
# gradient disappears). When $W_h$ is large and the units are not saturated, each factor
# stretches it and it **explodes** (勾配爆発). The size of $W_h$ that matters is its
# **spectral radius** $\rho$, the largest $|\lambda|$ of its eigenvalues. We build tanh
# RNNs with $H = 32$ and $\rho = 0.5, 1, 2, 3$, feed them the same random inputs for 60
# steps, and print the spectral norm $\lVert \partial h_T / \partial h_{T-k} \rVert_2$:

# %%
flow = ex.gradient_flow(radii=(0.5, 1.0, 2.0, 3.0))
print(flow)

# %%
fig = plots.rnn_gradient_flow(flow)

# %% [markdown]
# With $\rho = 0.5$ the gradient from 40 steps back is $10^{-20}$ of the gradient at the
# end; even $\rho = 1$ loses a factor of about 0.6 per step, because the inputs push the
# units into tanh's flat region. With $\rho = 3$ it grows by about 1.2 per step, to 1300 at
# 40 steps. Neither extreme trains: a vanished gradient cannot tell the weights about an
# input 40 steps back (the **long-term dependency** problem, 長期依存性), and an exploded
# one throws them far away (chapter 14 clips it). Only near $\rho = 2$ does the gradient
# stay about the same size for this input scale, and that narrow balance is fragile.
#
# ### Try it: spectral radius and lag
#
# The demo starts at $\rho = 1$ with the lag $k = 20$ marked: the gradient reaching 20 steps
# back has been multiplied down to about $10^{-4}$.

# %%
lag = ex.gradient_lag(radius=1.0, lag=20)
print(lag)

# %% [markdown]
# - Which spectral radius keeps $\lVert \partial h_T / \partial h_{T-20} \rVert$ closest to 1?
# - Move $\rho$ slowly from 1.5 to 3. Where does the curve turn from falling to rising?
# - Set $\rho = 0.1$: how many steps back does the gradient fall below $10^{-25}$?

# %% tags=["nbval-ignore-output"]
widgets.rnn_gradient_lag_demo()

# %% [markdown]
# ## 4. Echo state networks: do not train the recurrence at all
#
# If gradients through time are the trouble, one way out is to need none. An **echo state
# network** (エコーステートネットワーク, seed 004) splits the weights in three: the input
# weights and the recurrent weights are drawn at random and **stay fixed**; only the output
# weights are learnt. Because nothing is back-propagated through time, the gradient cannot
# vanish or explode. The random recurrent layer, the *reservoir*, turns the input's history
# into a large state vector; the readout is a linear map of that state, fitted in closed
# form by ridge regression (chapter 10's weight decay, solved exactly):
#
# $$W_{\text{out}} = (X^\top X + \lambda I)^{-1} X^\top Y,$$
#
# where the rows of $X$ are the reservoir states and those of $Y$ the targets. The
# reservoir's spectral radius sets how long the input echoes in it: below 1 the echoes die
# out, so its state depends on the recent past only.
#
# Our series is **Mackey-Glass**, a delay equation whose solution is chaotic:
# $\dot x(t) = 0.2\, x(t - 17) / (1 + x(t-17)^{10}) - 0.1\, x(t)$, sampled once per time unit
# (`datasets.mackey_glass`). An ESN of 200 units (`dlcourse.rnn.EchoStateNetwork`) reads the first
# 2000 samples and its readout learns to predict the next sample. Then it runs **closed
# loop**: each prediction is fed back as the next input, and we count the steps until it
# strays more than 0.2 standard deviations from the truth.

# %%
esn = ex.esn_view(radius=1.25, leak=0.3, seed=0)
print(esn)

# %%
fig = plots.esn_forecast(esn)

# %% [markdown]
# One step ahead, fed the true series, the error is 0.12% of the series' standard deviation.
# Closed loop, the network generates the series on its own for 427 steps — some eight of
# its irregular cycles — before it drifts away. The drift is unavoidable: in a chaotic
# system tiny errors grow exponentially. The reservoir's units here are **leaky**, with
# rate 0.3: $x_t = 0.7\, x_{t-1} + 0.3 \tanh(\dots)$ (section 5 explains leaky units).
# How much do the spectral radius and the leak matter? Five radii, two leaks, three random
# reservoirs each (30 networks, a few seconds):

# %%
sweep = ex.esn_sweep()
print(sweep)

# %%
fig = plots.esn_sweep(sweep)

# %% [markdown]
# Without leak (leak 1) the median reservoir lasts at most 53 steps. With leaky units the
# state is a moving average that changes slowly and remembers its input longer, and radii
# from 1 to 1.5 reach hundreds of steps. The dots show how much one random reservoir differs
# from the next (two leak-1 reservoirs do well too): the chaos amplifies every small
# difference.
#
# ### Try it: the reservoir
#
# - At radius 0.5 the one-step error is still small. Why does the closed loop fail so fast?
# - Compare the three reservoirs at radius 1.25, leak 0.3. Which parts of the series go
#   wrong first?
# - Set leak 1 and radius 1.5: what does the free-running network produce?

# %% tags=["nbval-ignore-output"]
widgets.esn_demo()

# %% [markdown]
# ## 5. Leaky units and skip connections in time
#
# Seed 004 lists two changes to the recurrence itself against long-term dependencies.
#
# A **leaky unit** (リーキーユニット) adds a linear self-connection, so the state becomes a
# moving average of the new activations:
#
# $$h_t = (1 - \alpha)\, h_{t-1} + \alpha \tanh(x_t W_x + h_{t-1} W_h + b),
# \qquad
# \frac{\partial h_t}{\partial h_{t-1}} = (1 - \alpha) I + \alpha \operatorname{diag}(1 - g_t^2)\, W_h^\top,$$
#
# with $g_t$ the tanh. The first term lets the gradient through with a factor $1 - \alpha$
# per step, whatever $W_h$ and the saturation do; $\alpha = 1$ is the plain RNN.
#
# A **skip connection** (スキップ接続) in time connects $h_{t-d}$ directly to $h_t$:
# $h_t = \tanh(x_t W_x + h_{t-1} W_h + h_{t-d} W_s + b)$. A signal now travels $k$ steps
# through about $k/d$ tanh layers instead of $k$.
#
# Both live in `dlcourse.rnn` (`TimeLeakyRNN`, `TimeSkipRNN`, gradient-checked in
# `tests/test_rnn.py`). The leaky unit's backward is two lines more than the plain
# one; here is one step of it, for one state:

# %%
rng = np.random.default_rng(1)
Wh1, alpha = rng.standard_normal((3, 3)) / np.sqrt(3), 0.1
h_prev, a = rng.standard_normal(3), rng.standard_normal(3)   # previous state, pre-activation
g = np.tanh(a + h_prev @ Wh1)
h_new = (1 - alpha) * h_prev + alpha * g                     # the leaky update
dh_new = np.ones(3)                                          # gradient arriving from above
dh_prev = (1 - alpha) * dh_new + (alpha * dh_new * (1 - g ** 2)) @ Wh1.T
print("dh_prev = [" + ", ".join(f"{v:.4f}" for v in dh_prev) + "]  (the shortcut alone: 0.9 each)")

# %% [markdown]
# Now the gradient over 60 steps, for the same $W_h$ (spectral radius 1), the same inputs,
# and each variant (the skip network splits its recurrent input between $W_h$ and $W_s$,
# both halved, so the state has about the same size):

# %%
variants = ex.variant_flow(alpha=0.1, d=5)
print(variants)

# %%
fig = plots.rnn_variant_flow(variants)

# %% [markdown]
# At 40 steps back the plain RNN keeps $4.5 \times 10^{-8}$ of the gradient, the skip
# connections $6.3 \times 10^{-4}$ and the leaky units 0.21, even more than the shortcut's
# $0.9^{40} = 0.015$, because the $W_h$ term adds to it instead of replacing it. The skip curve has teeth: lags that are multiples of $d = 5$ are
# reached through fewer tanh factors. The price of the leaky unit is that the state can only
# change slowly: a fast-changing signal needs a larger $\alpha$. (Chapter 14's LSTM learns
# such a leak, per unit and per step, with its gates.)
#
# ### Try it: leak rate and skip length
#
# - Set $\alpha = 1$. Which curve does the leaky one become?
# - Which skip length $d$ keeps the most gradient at $k = 40$? Why do very long skips help
#   less?

# %% tags=["nbval-ignore-output"]
widgets.rnn_variants_demo()

# %% [markdown]
# ## 6. Bidirectional RNNs: when the future matters
#
# At position $t$ a recurrent network has read $x_0, \dots, x_t$ only. Some tasks need what
# comes *after*: whether a word is a noun may depend on the next word. A **bidirectional
# RNN** (双方向 RNN, seed 003 §9.5, seed 004) runs a second RNN from the end of the
# sequence backwards and concatenates the two states at every position, so the output at
# $t$ sees both the past and the future (`dlcourse.rnn.Bidirectional`).
#
# A task that needs the future: sequences of 12 symbols from A, B, C and X (X half the
# time); label each position 1 if the symbol `lag` steps **ahead** is an X. Here is one
# sequence with its labels for lag 2 (`-1`: no symbol that far ahead, not scored):

# %%
demo_xs, demo_ts, demo_sym = datasets.future_task(1, 12, 2, np.random.default_rng(5))
print("symbols:", " ".join(f"{datasets.FUTURE_SYMBOLS[s]:>2}" for s in demo_sym[0]))
print("labels: ", " ".join(f"{t:>2}" for t in demo_ts[0]))

# %% [markdown]
# For every lag from 0 to 8 we train a unidirectional RNN with 8 hidden units and a
# bidirectional one with 4 units in each direction (the same 8 in all), each followed by an
# affine layer at every position, 10 epochs of Adam on 1000 sequences, and test them on 500
# new ones (a few seconds):

# %%
bi = ex.bidirectional_sweep()
print(bi)

# %%
bi_view = ex.bidirectional_view(lag=3)
print(bi_view)
fig = plots.bidirectional_accuracy(bi_view)

# %% [markdown]
# At lag 0 the answer is the current symbol and both are perfect. From lag 1 on the
# unidirectional RNN is at chance: the symbol it needs has not arrived yet, and no training
# can change that. The bidirectional one is perfect up to lag 3; beyond, its backward half
# must remember a symbol for `lag` steps in 4 units, and its accuracy falls to about 68% at
# lags 7 and 8.
#
# ### Try it: lag and accuracy
#
# - At which lag does the bidirectional network start to make mistakes? In the test
#   sequence on the right, where do they sit?
# - Why are the unidirectional network's probabilities all near 0.5 (white)?

# %% tags=["nbval-ignore-output"]
widgets.bidirectional_demo()

# %% [markdown]
# ## 7. Recursive networks: the same net over a tree
#
# Recurrence follows a chain; a **recursive** network (再帰的ニューラルネット, seed 000
# p.32) applies the same NET at every node of a tree, combining the children's vectors into
# the parent's. That suits data that are trees, such as the parse of a sentence. Our trees
# are boolean expressions with AND, OR and XOR, e.g.

# %%
tree = ("xor", ("and", True, False), ("or", False, True))
print(recursive.to_string(tree), "=", recursive.evaluate(tree), " depth", recursive.depth(tree))
batch = recursive.encode_trees([tree])                  # the nodes, children before parents
print("node heights:", batch.height, " values:", batch.value)

# %% [markdown]
# `dlcourse.recursive.TreeNet` gives every leaf a learnt vector ($E_F$ or $E_T$) and every
# operator node one shared composition layer,
#
# $$h_{\text{node}} = \tanh\big([h_{\text{left}},\ h_{\text{right}},\ \text{onehot}(\text{op})]\, W + b\big),$$
#
# computed bottom-up (all nodes of one height in the batch at once); an affine layer reads
# each node's truth value from its vector. Its backward pass runs top-down, splitting each
# node's gradient between its two children (gradient-checked in `tests/test_recursive.py`).
# We train it with $H = 16$ on 2000 random trees of depth at most 3, labelling every operator
# node, and test the root's value on fresh trees of depths 1 to 6:

# %%
trees = ex.treenet_run()
print(trees)

# %%
fig = plots.tree_net(trees)

# %% [markdown]
# The net has learnt the three operators well enough to apply them to trees twice as deep
# as any it saw: 92.7% at depth 6, against 50% for guessing. The same composition layer
# works at every node, so what it learnt on small trees carries over to larger ones; the
# errors that remain come from small inaccuracies compounding over many levels.
#
# ## Summary
#
# - A recurrent network applies the same step $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ at
#   every time step; unrolled, it is a deep network with shared weights, trained by
#   back-propagation through time (the shared weights' gradient is a sum over the steps).
# - BPTT multiplies the gradient by $\operatorname{diag}(1 - h_t^2) W_h^\top$ once per step
#   back: it vanishes exponentially for a small spectral radius of $W_h$ and explodes for a
#   large one, so long-term dependencies are hard to learn.
# - An echo state network keeps random input and recurrent weights and fits only the readout
#   (ridge regression): no gradient through time at all. With leaky units it forecasts
#   Mackey-Glass hundreds of steps closed-loop.
# - Leaky units (a linear self-connection) and skip connections in time give the gradient
#   shorter paths into the past.
# - A bidirectional RNN also reads the sequence backwards, for tasks that need the future; a
#   recursive net applies one layer over a tree.
#
# **Exercises:** `exercises/13_rnn/13_rnn.ipynb`: an RNN cell with its backward pass, BPTT
# over a whole sequence, and the Jacobian norms of section 3.
