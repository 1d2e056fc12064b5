# %% [markdown]
# # 04 · The forward pass as matrix products
#
# **By the end of this lesson you will be able to**
# - predict the shape of a matrix product, and say when two matrices cannot be multiplied;
# - write one layer of a network as `x @ W + b` and compute it by hand;
# - run the slides' 3-layer network (2 → 3 → 2 → 2) on an input and get
#   y = [0.3168, 0.6963];
# - push a whole batch of inputs through the same code, and explain why that is both
#   correct and much faster than a loop.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | matrix product | 行列の積 |
# | rows, columns | 行, 列 |
# | shape (number of rows and columns) | 形状 (行数・列数) |
# | weight, bias | 重み, バイアス |
# | input layer, hidden (intermediate) layer, output layer | 入力層, 中間層, 出力層 |
# | activation function | 活性化関数 |
# | signal flow | 信号の流れ |
# | inference (forward pass) | 推論 (順伝播) |
#
# **Slides followed:** seed 002 p.38-39 (review of matrix products; one layer as
# x·W + b) and p.43-46 (the 3-layer network, layer by layer).

# %%
import numpy as np

from dlcourse import experiments, plots, widgets
from dlcourse.functions import sigmoid
from dlcourse.lessons import three_layer_net

mat = experiments.matrices

# %% [markdown]
# ## 1. The shape rule of a matrix product
#
# A matrix with $n$ rows and $k$ columns has **shape** $(n, k)$. The product $AB$ exists
# only when the number of **columns of A** equals the number of **rows of B**: the two
# *inner* dimensions must match. The result keeps the *outer* ones (seed 002 p.38):
#
# $$ (n, k) \times (k, m) \to (n, m), \qquad (2, 3) \times (3, 2) \to (2, 2). $$
#
# Each entry of the result is one row of $A$ times one column of $B$, summed. In numpy
# the product is the `@` operator:

# %%
A = np.array([[1, 2, 3], [4, 5, 6]])          # (2, 3)
B = np.array([[1, 2], [3, 4], [5, 6]])        # (3, 2)
print(A @ B, (A @ B).shape)
print("row 0 of A times column 1 of B:", 1 * 2 + 2 * 4 + 3 * 6)

# %% [markdown]
# Only the shapes decide whether a product exists and what shape it has, so we can
# reason about shapes without any numbers. `dlcourse.lessons.three_layer_net.matmul_shape`
# applies the rule (you write it yourself in the exercises); here it is on a few pairs,
# each confirmed by letting numpy try the product:

# %%
print(mat.shape_rules())

# %% [markdown]
# Note that $(3, 2) \times (2, 3)$ and $(2, 3) \times (3, 2)$ are both fine but give
# different shapes: the order of a matrix product matters.
#
# ## 2. One layer is `x @ W + b`
#
# A layer with 2 inputs and 3 units has 2 × 3 weights. Put them in a matrix $W$ of
# shape (2, 3): **row** $i$ holds the weights leaving input $i$, **column** $j$ the
# weights entering unit $j$. Then the weighted sums of all three units are one product,
# and the three biases are one vector $b$ (seed 002 p.39):
#
# $$ [1, 2] \begin{bmatrix} 1 & 3 & 5 \\ 2 & 4 & 6 \end{bmatrix} + [1, 1, 1] = [6, 12, 18] $$

# %%
print(mat.slide_product())

# %% [markdown]
# The shapes read $(2,) \times (2, 3) + (3,) \to (3,)$. The slides write the input as
# a row of shape (1, 2); numpy lets a 1-D array of shape (2,) play that row.
# Unit 0 gets $1 \cdot 1 + 2 \cdot 2 + 1 = 6$: input times weight, summed, plus bias,
# exactly the perceptron of chapter 01, done for every unit at once.
#
# ## 3. The 3-layer network
#
# The slides' network has 2 inputs, two hidden layers of 3 and 2 sigmoid units, and
# 2 outputs with the identity as output activation (seed 002 p.43-46). Each layer is a
# product, a bias and an activation:
#
# $$ a_1 = x W_1 + b_1,\; z_1 = \sigma(a_1); \quad a_2 = z_1 W_2 + b_2,\; z_2 = \sigma(a_2);
#    \quad y = z_2 W_3 + b_3 $$
#
# The shapes chain: $(2,) \to (3,) \to (2,) \to (2,)$, because each weight matrix has as
# many rows as the layer before it has units. Here are the slides' weights:

# %%
network = three_layer_net.slide_network()
for name, value in network.items():
    print(f"{name}: shape {str(value.shape):<7} {value.tolist()}")

# %% [markdown]
# Written out, the whole forward pass is six lines. `sigmoid` is the one from chapter 02
# (`dlcourse.functions.sigmoid`, imported at the top).

# %%
x = np.array([1.0, 0.5])
a1 = x @ network["W1"] + network["b1"]
z1 = sigmoid(a1)
a2 = z1 @ network["W2"] + network["b2"]
z2 = sigmoid(a2)
y = z2 @ network["W3"] + network["b3"]
print("y =", np.round(y, 4))

# %% [markdown]
# The same code, with every signal kept, is `dlcourse.lessons.three_layer_net.forward`; the report
# below shows each step with its shape. The slides' answer is **y = [0.3168, 0.6963]**.

# %%
res = mat.three_layer_forward(x1=1.0, x2=0.5)
print(res)

# %%
fig = plots.network_diagram(res)

# %% [markdown]
# Each edge is one weight (thicker = larger), each hidden unit shows its weighted
# input $a$ and its output $z = \sigma(a)$. The output units apply no activation:
# for regression the identity is the right output (chapter 02). For classification we
# would put a softmax here instead, as the slide on p.46 does.
#
# ### Try it: move the input
#
# The demo starts at the slides' input x = [1.0, 0.5].
#
# - Set x = [0, 0]. The hidden layer still outputs something; which numbers decide what?
# - Push x1 to 3 and then to −3. Why do the first layer's outputs stop changing much
#   near the ends? (Chapter 02: the sigmoid saturates.)
# - Can you make y1 larger than y2? Work out $y_2 - y_1$ from $W_3$ and $b_3$, remembering
#   that every $z$ lies between 0 and 1: why is it impossible with these weights?

# %% tags=["nbval-ignore-output"]
widgets.forward_explorer()

# %% [markdown]
# ## 4. A whole batch at once
#
# Nothing in `x @ W1 + b1` needs `x` to be a single row. Stack $N$ inputs as the rows of
# a matrix `X` of shape $(N, 2)$: then $(N, 2) \times (2, 3) \to (N, 3)$, and numpy adds
# the bias vector $b_1$ of shape (3,) to **every row** (broadcasting). Every later layer
# works the same way, and the output has shape $(N, 2)$: one row per input. The first
# row below is the slides' input again.

# %%
batch = mat.batch_forward(N=4, seed=0)
print(batch)

# %% [markdown]
# The batch and the row-by-row loop agree. The batch is not only shorter to write:
# one big product lets numpy's compiled code do the loop, which is far faster than a
# Python loop over rows. The measured times differ from machine to machine, so the
# report only states the verdict; `speed.batch_seconds` and `speed.loop_seconds` hold
# your machine's times (often a factor of a hundred or more apart).

# %% tags=["nbval-ignore-output"]
speed = mat.batch_speed(N=5000)
print(speed)

# %% [markdown]
# From now on every layer in this course takes a batch: `x` of shape $(N, D)$, weights
# $W$ of shape $(D, H)$, output $(N, H)$. `dlcourse.layers.Affine` is this `x @ W + b`
# with its backward pass (chapter 07).
#
# ## Summary
#
# - $(n, k) \times (k, m) \to (n, m)$: the inner dimensions must match; the result keeps
#   the outer ones. Order matters.
# - A layer is `x @ W + b` followed by an activation; $W$ has one row per input and one
#   column per unit.
# - The slides' 2 → 3 → 2 → 2 network maps x = [1.0, 0.5] to y = [0.3168, 0.6963]
#   (sigmoid hidden layers, identity output).
# - The same code runs a batch of shape $(N, D)$ in one go, with one output row per input,
#   and is much faster than looping over rows.
#
# **Exercises:** `exercises/04_matrices/04_matrices.ipynb`: write `matmul_shape`, the
# shape rule with its error, and `forward`, the 3-layer network for one input or a batch.
