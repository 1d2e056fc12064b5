# %% [markdown]
# # 14 · LSTM and GRU
#
# **By the end of this lesson you will be able to**
# - explain why a plain RNN forgets over long lags, and how the LSTM's memory cell (the
#   constant error carousel, CEC) lets a gradient cross many steps;
# - write the LSTM's gates (forget f, candidate g, input i, output o) and the GRU's
#   (update z, reset r, candidate) as formulas, and say what each one decides;
# - compare an RNN, an LSTM and a GRU on a task that needs a long memory, and read their
#   gates on one sequence;
# - say what peephole connections add, and why a GRU has exactly 3/4 of an LSTM's parameters;
# - train a bidirectional GRU on a real sequence data set (MNIST-1D).
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | long short-term memory (LSTM) | LSTM |
# | vanishing gradient / exploding gradient | 勾配消失 / 勾配爆発 |
# | long-term dependency | 長期依存性 |
# | constant error carousel (CEC) | CEC |
# | gate | ゲート |
# | input gate / output gate / forget gate | 入力ゲート / 出力ゲート / 忘却ゲート |
# | peephole connection | 覗き穴結合 (peep hole) |
# | gated recurrent unit (GRU) | GRU |
# | update gate / reset gate | 更新ゲート / リセットゲート (the seed calls them z and r) |
# | element-wise product ⊗ | 全要素に対する掛け算 |
# | bidirectional RNN | 双方向 RNN |
#
# **Slides followed:** seed 004, sections "LSTM" (the RNN's problem: the gradient vanishes
# as we go back in time), "CEC", "入力ゲートと出力ゲート", "忘却ゲート", "覗き穴結合
# (peep hole)" and "GRU" with its forward code (the backward is left out: it is exercise
# 14.3); seed 003 §9.5, the LSTM slide (a unit built from gates; ⊗ is an element-wise
# product, σ a layer with sigmoid activation) and the bidirectional RNN slide.

# %%
import numpy as np

from dlcourse import datasets, experiments, plots, rnn, widgets

lstm = experiments.lstm


# %% [markdown]
# ## 1. Why a plain RNN forgets
#
# Chapter 13 unrolled an RNN, $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$, and sent gradients
# back through time. Every step back multiplies the gradient by the same recurrent matrix
# and by a tanh slope of at most 1:
#
# $$\frac{\partial L}{\partial h_{t-1}} = \Big(\frac{\partial L}{\partial h_t} \odot (1 - h_t^2)\Big) W_h^\top .$$
#
# After 40 steps that is 40 such factors: the gradient shrinks towards 0 (勾配消失) or,
# with large weights, grows without bound (勾配爆発). Seed 004 puts it plainly: the further
# back in time, the more the gradient vanishes, so long sequences are hard to learn.
#
# Seed 004's way out is a change of structure, not of training: the **constant error
# carousel (CEC)**. If a unit passes its value on with a factor of exactly 1,
# $c_t = c_{t-1} + (\text{new input})$, then $\partial c_t / \partial c_{t-1} = 1$ and
# the gradient neither vanishes nor explodes. A bare CEC has its own problem, though: it
# adds every input with the same weight, whenever it arrives, and keeps everything
# forever. The LSTM adds **gates** to control what goes in, what comes out, and what is
# forgotten.
#
# ## 2. The LSTM cell
#
# A gate is a sigmoid layer whose output, between 0 and 1, multiplies a signal element by
# element (the ⊗ of seed 003's LSTM slide): 0 blocks, 1 lets through. With
# $a = x W_x + h_{prev} W_h + b$ split into four blocks in the order **f, g, i, o**
# (the order of `dlcourse.rnn`):
#
# | block | formula | role (seed 004) |
# |---|---|---|
# | forget gate | $f = \sigma(a_f)$ | how much of the old memory to keep (忘却ゲート) |
# | candidate | $g = \tanh(a_g)$ | what could be written |
# | input gate | $i = \sigma(a_i)$ | how much of it to write (入力ゲート) |
# | output gate | $o = \sigma(a_o)$ | how much of the memory to show (出力ゲート) |
#
# $$c_{next} = f \odot c_{prev} + g \odot i, \qquad h_{next} = o \odot \tanh(c_{next}).$$
#
# The memory cell $c$ is the CEC, now with a learnable leak $f$. One step of
# `rnn.LSTMCell`, with a memory of $c_{prev} = (1, -1)$:

# %%
def show(v):
    return "[" + ", ".join(f"{a:+.4f}" for a in np.ravel(v)) + "]"


rng = np.random.default_rng(0)
Wx, Wh, b = rnn.init_recurrent("lstm", D=3, H=2, rng=rng)     # forget-gate bias starts at 1
cell = rnn.LSTMCell(Wx, Wh, b)
x, h_prev, c_prev = rng.standard_normal((1, 3)), np.zeros((1, 2)), np.array([[1.0, -1.0]])
h_next, c_next = cell.forward(x, h_prev, c_prev)
for name, gate in cell.gates.items():
    print(f"{name} = {show(gate)}")
print(f"c_next = f * c_prev + g * i = {show(c_next)}")
print(f"h_next = o * tanh(c_next)   = {show(h_next)}")

# %% [markdown]
# Backwards, the memory cell hands its gradient to the previous step through the forget
# gate alone: $\partial L / \partial c_{prev} = \partial L / \partial c_{next} \odot f$.
# No weight matrix and no squashing function sit on that path. Send a gradient of 1 into
# $c_{next}$ and nothing into $h_{next}$:

# %%
dx, dh_prev, dc_prev = cell.backward(np.zeros((1, 2)), np.ones((1, 2)))
print(f"dc_prev = {show(dc_prev)}")
print(f"f       = {show(cell.gates['f'])}")

# %% [markdown]
# ## 3. How long does the memory last?
#
# If the forget gate sits at $f = \sigma(b_f)$, a memory and its gradient are both scaled
# by $f^{\,lag}$ after $lag$ steps. The CEC of seed 004 is $f = 1$; a trained LSTM learns
# how close to 1 each unit needs to be. What matters at the start of training is where
# $f$ begins:

# %%
print(lstm.cec_decay())

# %% [markdown]
# `rnn.init_recurrent` starts the forget-gate bias at 1, so $f = 0.73$ and after 40 steps
# only $3.6 \times 10^{-6}$ of a gradient is left. For the long lags below we start the
# LSTM's forget gate, and the GRU's update gate (section 7), at bias 3 ($f = 0.95$, so
# 14% is left after 40 steps). Section 5 shows what happens without it.
#
# ## 4. A long-lag memory task
#
# A sequence (`datasets.memory_task`) starts with one of 4 symbols (ids 0-3), followed by
# `lag` distractors drawn from 8 others (ids 4-11), one-hot encoded. After the last step the
# network must say which symbol came first: chance is 25%. Three sequences with lag 8:

# %%
xs, t = datasets.memory_task(lag=8, n=3, rng=0)
print(f"xs: {xs.shape} (N, T, D) one-hot; t: {t.shape}")
for ids, label in zip(xs.argmax(axis=2), t):
    print(f"input ids {' '.join(f'{i:2d}' for i in ids)}  ->  answer {label}")

# %% [markdown]
# Each model reads the sequence with 16 hidden units, and an affine layer reads out its
# last hidden state (`rnn.SequenceClassifier`). All three see the same 200 batches of 32
# fresh sequences (Adam, learning rate 0.01, gradients clipped at norm 1), and a fixed set
# of 300 test sequences is scored every 25 steps. First, lag 40:

# %%
race = lstm.lag_race(lag=40)
print(race)

# %%
fig = plots.lag_race(race)

# %% [markdown]
# The LSTM gets every test sequence right after 50 steps and the GRU after 75; the RNN
# stays at chance. It is not that the RNN *cannot* hold a symbol for 40 steps: its
# gradient never tells it that the first input matters, because that signal has to cross
# 40 tanh steps. Now every lag of the sweep (each run is cached; the slider below reuses
# them):

# %%
sweep = lstm.lag_sweep()
print(sweep)

# %%
fig = plots.lag_sweep(sweep)

# %% [markdown]
# The RNN manages lag 5, is at 74% for lag 10, and has nothing left from lag 20 on. The
# LSTM and GRU recall the symbol perfectly up to lag 60, with four times and three times
# the RNN's parameters.
#
# ### Try it: the lag
#
# The demo starts at lag 40, as above. Each lag trains the three models once (a few
# seconds the first time; the sweep above has already cached them).
#
# - At which lag does the RNN's curve leave 100%? Is it slower to learn before it fails?
# - Which of the LSTM and the GRU learns faster as the lag grows?

# %% tags=["nbval-ignore-output"]
widgets.lag_race_demo()

# %% [markdown]
# ## 5. The keep gate's starting bias
#
# The same lag 40, with the biases the library starts from: the LSTM's forget gate at
# $b_f = 1$ ($f = 0.73$) and the GRU's update gate at $b_z = 0$ ($z = 0.5$: half of the
# old state is replaced at every step):

# %%
bias = lstm.gate_bias_effect(lag=40)
print(bias)

# %%
fig = plots.gate_bias_curves(bias)

# %% [markdown]
# With $b_f = 1$ the LSTM sits at chance for 100 steps and then finds the memory: its
# forget gate is learnable, and a gradient of size $10^{-6}$ is enough to push $f$ up,
# after which the path opens. With $z = 0.5$ the GRU's path back is $0.5^{40} \approx
# 10^{-12}$ and it never starts. Where a gate starts decides whether a long memory can be
# learned at all.
#
# ## 6. The gates at work
#
# What do the trained gates do on one test sequence of lag 40? The heatmaps show each
# gate of the 16 units (rows) at every step (columns). The last panel follows the LSTM unit
# whose memory cell best tells the four symbols apart, averaged over the test sequences
# of each symbol:

# %%
trace = lstm.gate_activations(lag=40)
print(trace)

# %%
fig = plots.gate_heatmaps(trace)

# %% [markdown]
# - The **forget gates** stay near 0.95 at every step and in every unit: the memory
#   leaks slowly, as the bias of 3 set it up, and training kept it there.
# - The **input** and **output gates** differ from unit to unit and change with the
#   distractors: some units hardly write, some hardly show their memory.
# - The memory unit's $c_t$ starts within ±0.5 for every symbol and then drifts apart,
#   one direction per group of symbols, while the spread within a symbol stays small.
#   The readout needs several such units to name all four symbols.
# - The GRU's **update gate** $z$ (the share of the old state kept) is 0.85 on average
#   and close to 1 in many units: it has learned to keep.
#
# ## 7. Peephole connections
#
# In the LSTM above the gates see $x$ and $h_{prev}$ but never the memory cell itself;
# when the output gate is shut, $h$ reveals nothing of $c$. Seed 004's answer is the
# **peephole** (覗き穴結合): let the cell's value reach the gates through weights of
# its own. With diagonal peephole weights $p_f, p_i, p_o$ (one per unit, $3H$ in all;
# `peephole=` in `rnn.LSTMCell` and `rnn.TimeLSTM`):
#
# $$f = \sigma(a_f + p_f \odot c_{prev}),\quad i = \sigma(a_i + p_i \odot c_{prev}),\quad
#   o = \sigma(a_o + p_o \odot c_{next}).$$
#
# Starting at $P = 0$ gives exactly the plain LSTM, so we can compare both from the same
# start and the same batches, with three seeds:

# %%
peep = lstm.peephole_comparison(lag=40, seeds=(0, 1, 2))
print(peep)

# %%
fig = plots.peephole_curves(peep)

# %% [markdown]
# Three runs cannot tell a small effect from luck: with seeds 0 and 1 both cells learn
# at the same pace; with seed 2 the plain LSTM gets stuck at 49% and the peephole one
# gets out at step 150. Peepholes were designed for tasks where *when* matters, such as
# counting steps precisely; this task needs only *what*. They cost 3H parameters, almost
# nothing.
#
# ## 8. The GRU
#
# Seed 004: the LSTM has many parameters and a heavy computation; the GRU cuts the
# parameters a lot and reaches the same accuracy or better. It has no separate memory
# cell and two gates, with the columns of $W_x$, $W_h$, $b$ in the order z, r, candidate:
#
# $$z = \sigma(x W_{xz} + h W_{hz} + b_z),\qquad r = \sigma(x W_{xr} + h W_{hr} + b_r)$$
# $$\tilde h = \tanh\big(x W_{xh} + (r \odot h) W_{hh} + b_h\big),\qquad
#   h_{next} = z \odot h + (1 - z) \odot \tilde h .$$
#
# The **reset gate** $r$ decides how much of the old state the candidate may use ($r$
# acts before the product with $W_{hh}$, as in seed 004's code); the **update gate** $z$
# mixes old state and candidate. With $z = 1$ the state is copied unchanged: the GRU's
# CEC. `rnn.GRUCell` follows seed 004's forward exactly. A GRU has three blocks of
# weights where the LSTM has four:

# %%
print(lstm.param_counts())

# %% [markdown]
# Each block has $DH + H^2 + H$ parameters, so a GRU has exactly 3/4 of an LSTM's and 3
# times an RNN's, whatever the sizes; peepholes add $3H$.
#
# ## 9. A bidirectional GRU on MNIST-1D
#
# MNIST-1D (chapters 09-10) turns the ten digits into signals of length 40: shifted,
# scaled, sheared and noisy. Its paper reports 91% test accuracy for a **bidirectional**
# GRU (seed 003 §9.5, seed 004: one GRU reads left to right, another right to left, so
# every position sees the whole signal) with only 6 hidden units per direction. Ours
# (`rnn.mnist1d_gru`) reads each value as one time step, $(N, 40) \to (N, 40, 1)$, and
# its readout sees both directions' final states and every unit's maximum over time
# (shift-invariant: a feature counts wherever it appears). The paper's protocol is Adam
# with learning rate 0.01 on batches of 100 taken in order, for 6000 steps; here, the first
# 500 steps:

# %%
run = lstm.mnist1d_gru_run(steps=500)
print(run)

# %%
fig = plots.mnist1d_gru_curves(run)

# %% [markdown]
# 538 parameters reach 73% in 500 steps, and the test accuracy is still climbing. The
# full protocol takes a few minutes and lives in `benchmarks/mnist1d_table.py` (next to
# the MLP and CNN of the same table); in our runs it ended at 93-94% test accuracy for
# three initial seeds, above the paper's 91%. With only the final states in the readout,
# or with all 40 states flattened, it ended near 88-89%.
#
# ## Summary
#
# - A plain RNN's gradient is multiplied by $W_h^\top$ and a tanh slope at every step
#   back, so it fades: on the memory task the RNN fails from lag 20 on.
# - The LSTM's memory cell $c_{next} = f \odot c_{prev} + g \odot i$ passes its gradient
#   back through the forget gate alone: the CEC, with gates for writing (i), showing (o)
#   and forgetting (f). It recalls a symbol across 60 distractors.
# - Where the keep gate starts matters: $\sigma(b)^{lag}$ is what survives at first.
# - Peepholes let the gates see $c$ ($3H$ more parameters); on this task they change little.
# - The GRU (z, r, candidate; $h_{next} = z \odot h + (1 - z) \odot \tilde h$) has 3/4 of
#   the LSTM's parameters and did as well here; a bidirectional GRU with 6 units per
#   direction classifies MNIST-1D.
#
# **Exercises:** `exercises/14_lstm/14_lstm.ipynb`: the LSTM cell's forward and backward,
# the GRU backward that seed 004 leaves out, and parameter counts.
