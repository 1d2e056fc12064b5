# %% [markdown]
# # 02 · Activation functions
#
# **By the end of this lesson you will be able to**
# - write the step, sigmoid, tanh, ReLU and leaky ReLU functions and their derivatives;
# - explain why a hidden layer needs a *non-linear* activation;
# - see why stacked sigmoids squash a signal while leaky ReLU keeps it;
# - choose an output activation (identity, sigmoid, softmax) for a task, and compute
#   softmax without overflow.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | activation function | 活性化関数 |
# | step function | ステップ関数 |
# | sigmoid function | シグモイド関数 |
# | hyperbolic tangent (tanh) | 双曲線正接関数 (tanh) |
# | rectified linear unit (ReLU), leaky ReLU | ReLU 関数, Leaky ReLU 関数 |
# | hidden (intermediate) layer, output layer | 中間層 (隠れ層), 出力層 |
# | identity function, softmax function | 恒等関数, ソフトマックス関数 |
# | vanishing gradient | 勾配消失 |
#
# **Slides followed:** seed 002 p.29-35 and p.66-68 (the activations, their roles, output
# activations, softmax), seed 000 p.7 and p.18 (the sigmoid as a soft step; the
# sigmoid's gradient), seed 001 §7.1 and §7.3.2 (sigmoid units; ReLU).

# %%
import numpy as np

from dlcourse import experiments, functions, plots, widgets

act = experiments.activations

# %% [markdown]
# ## 1. From the step to smooth activations
#
# The perceptron of chapter 01 applies a **step function** $h$ to the weighted sum
# $a = w \cdot x + b$. Other choices of $h$ give other neurons. The slides compare five
# for hidden layers:
#
# | name | $h(a)$ | range |
# |---|---|---|
# | step | 1 if $a > 0$ else 0 | {0, 1} |
# | sigmoid | $1 / (1 + e^{-a})$ | (0, 1), centred on 0.5 |
# | tanh | $(e^a - e^{-a}) / (e^a + e^{-a})$ | (−1, 1), centred on 0 |
# | ReLU | $\max(0, a)$ | [0, ∞) |
# | leaky ReLU | $a$ if $a > 0$ else $0.01\,a$ | (−∞, ∞) |
#
# The sigmoid is a *softened step* (seed 000 p.7): it has a slope everywhere, so we can
# learn its weights by following gradients (chapter 06), and its output reads as a
# probability. Each function below is printed at a few points, with its derivative
# $h'(a)$ underneath.

# %%
table = act.activation_table()
print(table)

# %%
fig = plots.activations(table)

# %% [markdown]
# The slides list four wishes for a hidden-layer activation (seed 002 p.29):
#
# 1. **non-linear**, or stacking layers is pointless (section 2);
# 2. **little attenuation** of the signal as it passes through many layers (section 3);
# 3. **no region with slope 0**, or learning stalls there: the step is flat everywhere,
#    ReLU is flat for $a < 0$, and the vanishing gradient of chapter 08 comes from
#    slopes near 0;
# 4. **a constant slope**, which makes learning fast (ReLU and leaky ReLU for $a > 0$).
#
# Leaky ReLU ticks all four boxes, which is why the slides call it the end of this line of
# evolution. The sigmoid's slope is never 0, but it is never large either:

# %%
x_star, peak = act.sigmoid_derivative_max()
print(f"the sigmoid's derivative peaks at a = {x_star:.4f}, where h'(a) = {peak:.4f}")
print(f"after 10 sigmoid layers a gradient shrinks by at least 0.25**10 = {0.25 ** 10:.2e}")

# %% [markdown]
# The derivative is $h'(a) = h(a)\,(1 - h(a))$, largest when $h(a) = 0.5$, i.e. at
# $a = 0$: $0.5 \times 0.5 = 0.25$. Chapter 08 shows what this does to deep networks.
#
# ## 2. A linear activation makes depth useless
#
# Suppose we used $h(a) = c\,a$. Then $h(h(h(a))) = c^3 a$: three layers do what one
# layer does (seed 002 p.30). The same holds with weight matrices in between, because a
# product of matrices is again one matrix.

# %%
collapse = act.linear_collapse(c=2.0, depth=3)
print(collapse)

# %% [markdown]
# So a non-linear $h$ is what lets each extra layer add something new. With $c = 1$ the
# "activation" is just no activation at all.
#
# ## 3. What stacked activations do to a signal
#
# Seed 002 p.32 pushes a signal through the same activation layer after layer. We take
# 1001 inputs evenly spread over [−5, 5] and apply $h$ four times. The *spread*
# (max − min) tells how different the outputs for different inputs still are.

# %%
sig = act.signal_through_layers("sigmoid", depth=4)
print(sig)

# %%
leaky = act.signal_through_layers("leaky_relu", depth=4)
print(leaky)

# %% [markdown]
# After four sigmoids every input gives nearly the same output (spread about 0.01): the
# signal is *squashed* (潰れる), and whatever the first layers computed hardly reaches
# the output. Leaky ReLU passes positive inputs through unchanged, so the spread stays
# near 5.

# %%
fig = plots.signal_decay(sig)

# %% [markdown]
# ### Try it: activation and depth
#
# The demo starts where we just were: sigmoid, four layers.
#
# - How many sigmoid layers does it take for the spread to fall below 0.001?
# - tanh is centred on 0 rather than 0.5. Does it squash more slowly than the sigmoid?
# - ReLU keeps the positive half intact. What does it do to the negative inputs, and
#   why might that be a problem for learning? (Hint: wish 3.)

# %% tags=["nbval-ignore-output"]
widgets.signal_explorer()

# %% [markdown]
# ## 4. Output activations
#
# The output layer's activation depends on the task (seed 002 p.33):
#
# | task | output activation | output |
# |---|---|---|
# | regression | identity $h(a) = a$ | any real number |
# | two-class classification | sigmoid | probability of class 1 |
# | multi-class classification | softmax | one probability per class, summing to 1 |
#
# **Softmax** turns $C$ scores into probabilities: $y_k = e^{a_k} / \sum_j e^{a_j}$. Every
# output is in (0, 1), they sum to 1, and the order of the scores is kept. The slides'
# example has three classes, "human", "cat" and "dog" (seed 002 p.35):

# %%
scores, probs = act.softmax_example((0.3, 2.9, 1.0))
print("softmax([0.3, 2.9, 1.0]) =", "[" + ", ".join(f"{p:.4f}" for p in probs) + "]")
print(f"sum = {probs.sum():.4f}")

# %%
fig = plots.softmax_bars(scores, probs)

# %% [markdown]
# ### Softmax without overflow
#
# $e^{1000}$ is too large for a float64, so the formula as written breaks on large
# scores. Subtracting the largest score first changes nothing mathematically (the factor
# $e^{-\max a}$ cancels between top and bottom) but keeps every exponent ≤ 0.

# %%
big = np.array([1010.0, 1000.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big) / np.sum(np.exp(big))
print("naive  :", naive)
print("shifted:", "[" + ", ".join(f"{p:.4f}" for p in functions.softmax(big)) + "]")

# %% [markdown]
# `dlcourse.functions` holds every activation of this lesson with its derivative
# (`sigmoid`, `sigmoid_grad`, `relu`, `relu_grad`, ...), the overflow-safe `softmax`, and
# `get_activation(name)`, which the later chapters use to pick one by name.
#
# ## Summary
#
# - An activation $h$ turns a neuron's weighted sum into its output; the step function
#   gives the perceptron, smooth functions give trainable networks.
# - It must be non-linear: linear layers collapse into one.
# - Stacked sigmoids squash the signal (and their slope is at most 0.25); ReLU-like
#   activations do not.
# - Output layers use identity (regression), sigmoid (two classes) or softmax (many
#   classes); compute softmax after subtracting the maximum score.
#
# **Exercises:** `exercises/02_activations/02_activations.ipynb`: sigmoid (overflow-safe),
# ReLU, leaky ReLU and softmax.
