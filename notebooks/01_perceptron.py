# %% [markdown]
# # 01 · Perceptrons and logic gates
#
# **By the end of this lesson you will be able to**
# - compute a perceptron's output from its weights and bias, by hand and in numpy;
# - choose weights that make a perceptron act as AND, OR or NAND;
# - explain, with a picture, why one perceptron can never compute XOR;
# - build XOR from two layers of perceptrons.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | perceptron | パーセプトロン |
# | weight, bias | 重み, バイアス |
# | threshold (θ = −b) | 閾値 |
# | threshold logic unit | 閾値論理ユニット |
# | logic gate (AND, OR, NAND, XOR) | 論理回路 (ゲート) |
# | linearly separable | 線形分離可能 |
# | decision boundary | 識別面 (決定境界) |
# | multilayer perceptron | 多層パーセプトロン |
#
# **Slides followed:** seed 002 p.16-20 and p.62-65 (gates and their code), seed 000
# p.3-6 (the perceptron as a linear classifier), seed 001 §7.1 (threshold logic units).

# %%
import numpy as np

from dlcourse import experiments, gates, plots, widgets


# %% [markdown]
# ## 1. One perceptron
#
# A perceptron takes inputs $x_1, x_2$, multiplies each by a **weight**, adds a **bias**
# $b$ and fires when the sum is positive:
#
# $$ y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & \text{otherwise} \end{cases} $$
#
# The slides often write a **threshold** θ instead: fire when $w_1x_1 + w_2x_2 > θ$.
# That is the same rule with $b = -θ$. The weights say how much each input matters; the
# bias says how easily the unit fires at all.
#
# In numpy the weighted sum is a dot product, so a perceptron is one line:

# %%
def perceptron(x, w, b):
    return int(np.dot(x, w) + b > 0)


print(perceptron(np.array([1, 1]), np.array([0.5, 0.5]), -0.7))   # 0.5 + 0.5 - 0.7 = 0.3 > 0
print(perceptron(np.array([1, 0]), np.array([0.5, 0.5]), -0.7))   # 0.5 - 0.7 = -0.2

# %% [markdown]
# `dlcourse.gates.perceptron` holds the same rule, extended to a whole batch of inputs
# at once (an array of shape `(N, D)`); we use it from now on.
#
# ## 2. Logic gates from one perceptron
#
# With the right weights a single perceptron reproduces the logic gates. The slides use
# these values: AND (0.5, 0.5, −0.7), OR (0.5, 0.5, −0.2), NAND (−0.5, −0.5, 0.7).
# NAND is AND with every sign flipped, so its outputs are flipped too.

# %%
tables = experiments.perceptron.gate_truth_tables(("AND", "OR", "NAND"))
print(tables)

# %% [markdown]
# Geometrically, $w_1 x_1 + w_2 x_2 + b = 0$ is a straight line in the $(x_1, x_2)$ plane,
# the **decision boundary**. The perceptron outputs 1 on one side (shaded blue) and 0 on
# the other (shaded red). Each gate is one way of drawing a line between the four corners.

# %%
fig = plots.gate_panels(tables)

# %% [markdown]
# ### Try it: one perceptron, three sliders
#
# The demo starts at the slides' AND gate. It prints the weighted sum for each input,
# the output, and which gate (if any) the perceptron computes.
#
# - Turn AND into OR by moving **one** slider. Which one, and why does that work?
# - Make NAND. What has to happen to the signs of the weights and of the bias?
# - Now try for XOR (output 1 for exactly one active input). Keep trying for a minute.

# %% tags=["nbval-ignore-output"]
widgets.perceptron_explorer()

# %% [markdown]
# ## 3. XOR is not linearly separable
#
# XOR wants (0, 1) and (1, 0) on one side of the line and (0, 0) and (1, 1) on the other.
# Those pairs sit on the two diagonals of the square, crossing each other, so no single
# straight line can split them. Instead of trusting the picture, let the computer try:
# every combination of 21 values for each of $w_1$, $w_2$ and $b$.

# %%
search = experiments.perceptron.search_single_perceptron()
print(search)

# %% [markdown]
# Hundreds of weight settings give AND, OR or NAND; **none** gives XOR, and the best ones
# still get one of the four rows wrong. A finer grid would not help: the argument above
# holds for every real number. Problems like XOR are called *not linearly separable*
# (線形分離不可能), and they are the single perceptron's limit (seed 002 p.19-20).

# %%
tables_xor = experiments.perceptron.gate_truth_tables(("AND", "OR", "NAND", "XOR"))
fig = plots.gate_panels(tables_xor)

# %% [markdown]
# ## 4. Two layers: XOR = AND(NAND, OR)
#
# The way out is to stack perceptrons. A first layer computes $s_1 = \text{NAND}(x_1, x_2)$
# and $s_2 = \text{OR}(x_1, x_2)$; a second layer computes $y = \text{AND}(s_1, s_2)$.

# %%
two_layers = experiments.perceptron.xor_two_layers()
print(two_layers)

# %% [markdown]
# Why does this work? The hidden layer **moves the points**. In the new coordinates
# $(s_1, s_2)$ the two inputs that should give 1 land on the same corner (1, 1), and AND's
# line separates that corner from the rest. This idea, letting hidden layers map the data
# into a space where it becomes linearly separable, is the heart of neural networks; we
# meet it again in chapter 05 with Neubig's hand-built network.

# %%
fig = plots.xor_hidden_space(two_layers)

# %% [markdown]
# `dlcourse.gates` has `AND`, `OR`, `NAND` and `XOR` ready-made, and they accept arrays:

# %%
print(gates.XOR(np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])))

# %% [markdown]
# ## Summary
#
# - A perceptron outputs 1 when $w \cdot x + b > 0$: a straight line (a plane, in more
#   dimensions) splits its inputs into two classes.
# - AND, OR and NAND are each one perceptron; only the weights and bias differ.
# - XOR is not linearly separable: no single perceptron computes it.
# - Two layers can: the hidden layer re-maps the inputs so that one line suffices.
#   Networks of such layers are *multilayer perceptrons*; with smooth activations
#   (chapter 02) they become the neural networks of the rest of the course.
#
# **Exercises:** `exercises/01_perceptron/01_perceptron.ipynb`: write the perceptron,
# find NAND's weights yourself, and build XOR from gates.
