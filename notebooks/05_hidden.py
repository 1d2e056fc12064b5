# %% [markdown]
# # 05 · Hidden layers and non-linear boundaries
#
# **By the end of this lesson you will be able to**
# - explain why one perceptron cannot separate data like "I am not happy", and why a
#   hidden layer can;
# - follow Neubig's hand-set network as it maps XOR into a new space where one straight
#   line is enough;
# - name the layers of a multilayer perceptron and count its parameters;
# - train a small network on the TensorFlow Playground's data sets, read its decision
#   boundary, and see how more hidden units make more complex boundaries.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | neural network | ニューラルネット (ニューラルネットワーク) |
# | multilayer perceptron | 多層パーセプトロン |
# | input layer, hidden (intermediate) layer, output layer | 入力層, 隠れ層 (中間層), 出力層 |
# | unit, neuron | ユニット, ニューロン |
# | feature function φ(x) | 素性関数 |
# | not linearly separable | 線形分類不可能 (線形分離不可能) |
# | map into a new space | 新しい空間へ写像 |
# | feature engineering | 特徴量エンジニアリング |
# | feed-forward neural network | フィードフォワード型ニューラルネットワーク |
# | non-linear decision boundary | 非線形識別面 |
#
# **Slides followed:** seed 000 p.11-17 (Neubig: the limit of linear classifiers, the
# neural net as connected perceptrons, the hand-set non-linear classifier), seed 001 §7.1
# (5/7-7/7: feed-forward networks, non-linear boundaries as weighted sums, the Playground
# demo), seed 002 p.19-26 (the limit of one layer, feature engineering, the multilayer
# perceptron).

# %%
import numpy as np

from dlcourse import experiments, models, plots, widgets

hid = experiments.hidden

# %% [markdown]
# ## 1. What one perceptron cannot do
#
# A perceptron (chapters 01 and 03) computes $\text{sign}(w \cdot \phi(x) + b)$: it
# separates its inputs with one straight line. Neubig's example of where that fails is the
# sentence **"I am not happy"** (seed 000 p.12). One way to draw it: let
# $\phi_1 = +1$ for "happy" and $-1$ for "sad", and $\phi_2 = +1$ when the sentence has no
# "not" and $-1$ when it has one. Then
#
# | sentence | $\phi(x)$ | label |
# |---|---|---|
# | I am sad | (−1, 1) | X (negative) |
# | I am happy | (1, 1) | O (positive) |
# | I am not sad | (−1, −1) | O (positive) |
# | I am not happy | (1, −1) | X (negative) |
#
# These are exactly the slide's four points $\phi(x_1) .. \phi(x_4)$, and their labels form
# XOR in ±1 form: O where $\phi_1 = \phi_2$. The O's sit on one diagonal of the square and
# the X's on the other, so no line separates them (chapter 01 searched for one and found
# none). Seed 002 p.20 names the usual cure: *feature engineering*, mapping the inputs
# into a space where they become separable. A hidden layer does that mapping itself.
#
# ## 2. Neubig's hand-set network
#
# Connect three perceptrons (seed 000 p.13-17). Each outputs +1 if its weighted sum is
# positive and −1 otherwise. Two **hidden units** read the inputs:
#
# - $y_1 = \text{sign}(\phi_1 + \phi_2 - 1)$, that is $w = (1, 1)$, $b = -1$: +1 only for (1, 1);
# - $y_2 = \text{sign}(-\phi_1 - \phi_2 - 1)$, that is $w = (-1, -1)$, $b = -1$: +1 only for (−1, −1);
#
# and an **output unit** reads the hidden units: $\text{sign}(y_1 + y_2 + 1)$. In the
# layer layout of chapter 04, $y = \text{sign}(\phi\,W_1 + b_1)$ with the two units' weights
# as the columns of $W_1$.

# %%
net = hid.neubig_network()
print(net)

# %% [markdown]
# The table reproduces the slides: the hidden layer sends $x_1$ and $x_4$ (both X) to the
# same point $(-1, -1)$, $x_2$ to $(1, -1)$ and $x_3$ to $(-1, 1)$. In this **new space**
# one line, $y_1 + y_2 + 1 = 0$, has both O's on one side and the X's on the other
# (新しい空間で線形分類が可能, seed 000 p.16).

# %%
fig = plots.neubig_spaces(net)

# %% [markdown]
# On the left, each hidden unit's line cuts one corner off the square; the output unit
# then only asks "is the point in either corner?". This is chapter 01's
# XOR = AND(NAND, OR) again, in ±1 form and read as geometry.
#
# ## 3. Layers and parameters
#
# A network like this is a **multilayer perceptron**: an input layer (layer 0, it only
# holds $\phi$), one or more hidden layers, and an output layer (seed 002 p.24-26). When
# the hidden and output layers use smooth activations such as the sigmoid (chapter 02), it
# is what the slides call a **neural network**. Its parameters are one weight matrix and
# one bias vector per pair of neighbouring layers. For the 2-4-1 network of the next
# section, `dlcourse.models.MLP` shows them:

# %%
mlp = models.MLP([2, 4, 1], activation="sigmoid", rng=0)
for name, p in zip(["W1", "b1", "W2", "b2"], mlp.params):
    print(f"{name}: shape {p.shape}, size {p.size}")
print("total:", sum(p.size for p in mlp.params), "parameters")

# %% [markdown]
# ## 4. Learning the hidden layer: the Playground demo
#
# Hand-set weights work for four points. For real data the hidden units must be *learned*.
# Seed 001 §7.1 (7/7) demonstrates this in the TensorFlow Playground with **one hidden layer
# of 4 sigmoid units** on the **XOR** data set with **noise 0**. `dlcourse.lessons.playground`
# holds a small numpy copy of the Playground: 500 points labelled ±1 (half for training,
# half for testing), a `tanh` output unit whose sign is the prediction, the loss
# $\text{mean}\ \tfrac12 (y - t)^2$, and minibatch gradient descent with the Playground's
# learning rate 0.03 and batch size 10. *How* the gradients are computed is chapters 06-07;
# here we watch what training achieves.

# %%
res = hid.playground()
print(res)

# %% [markdown]
# The network has learned the four quadrants: blue (+1) where $x_1 x_2 > 0$, orange (−1)
# elsewhere. Points with a white rim were used for training, points with a black rim
# only for testing. On the right, the loss first drops to about 0.5 (the output learns to
# sit near 0, halfway between the labels), stays flat for some 50 epochs while the sigmoid
# units are still undecided, and then falls as they settle on their lines (next figure).

# %%
fig = plots.playground(res)

# %% [markdown]
# Where does the curved boundary come from? Seed 001 §7.1 (6/7) says it: each hidden unit
# draws one soft straight line (a sigmoid of a linear function of $x$), and the output unit
# adds these up with its weights. Below, each panel is one hidden unit's output over the
# plane (orange where it is near 0, blue where it is near 1), titled with the weight the
# output unit gives it; the last panel is the network's output, tanh of that weighted sum
# plus a bias.

# %%
fig = plots.hidden_units(res)

# %% [markdown]
# Sigmoid units learn XOR slowly, and how fast depends on where training starts. We used
# seed 1 above; here are the first four seeds (each seeds both the data and the initial
# weights), all after 300 epochs:

# %%
lines = []
for seed in range(4):
    r = hid.playground(seed=seed)
    lines.append(f"seed {seed}: test loss {r.test_loss[-1]:.4f}, "
                 f"training accuracy {100 * r.train_acc:.1f}%, test accuracy {100 * r.test_acc:.1f}%")
print("\n".join(lines))

# %% [markdown]
# Some starts are still far from the answer after 300 epochs. Try `tanh` instead in the
# widget below: it usually finds the quadrants much sooner.
#
# ## 5. More hidden units, more complex boundaries
#
# "Increase the number of hidden units and more complex non-linear boundaries become
# possible" (seed 001 §7.1, 7/7). On the Playground's **circle** data (one class inside a
# ring of the other) we train one hidden layer of 1, 2, 4 and 8 `tanh` units, 200 epochs each:

# %%
sweep = hid.units_sweep(units=(1, 2, 4, 8), dataset="circle", activation="tanh", epochs=200)
print(sweep)

# %%
fig = plots.units_sweep(sweep)

# %% [markdown]
# One unit draws one line and gets only the points on one side right. Two units make a
# wedge between two lines. With four units the lines close in around the centre and the
# network gets almost everything right; eight units make the boundary rounder.
#
# ### Try it: a Playground
#
# The demo starts at the slide's demo above (XOR, noise 0, 1 hidden layer of 4 sigmoid
# units, learning rate 0.03, batch 10, seed 1, 300 epochs). After each change it trains
# a fresh network in the background and redraws as it goes; the text under the figure
# reports the losses and accuracies.
#
# - Set the activation to `tanh`, then `relu`. How many epochs does XOR need now? And with
#   `linear`, whatever the number of layers and units: why is the boundary always a line?
# - On `circle`, what is the smallest number of units in one hidden layer that reaches
#   about 100% test accuracy? On `spiral`, how many layers and units does it take?
# - Add noise 30 and use 6 layers of 8 units: compare the training and the test loss.
#   Then try L2 regularisation at rate 0.003 or 0.01. What happens to the boundary?
# - What do learning rates 3 and 10 do? And batch size 1 against 30?

# %% tags=["nbval-ignore-output"]
widgets.playground_demo()

# %% [markdown]
# ## Summary
#
# - One perceptron draws one line, so XOR-like data ("I am not happy") defeat it.
# - A hidden layer maps the inputs into a new space; Neubig's two hand-set ±1 units map
#   XOR to three points that the output unit separates with one line.
# - A multilayer perceptron has an input layer, hidden layers and an output layer; a
#   layer of $n_{out}$ units fed by $n_{in}$ has $n_{in} n_{out} + n_{out}$ parameters
#   (17 for 2-4-1).
# - Trained hidden units each draw a soft line; the output's weighted sum of them is a
#   non-linear boundary, and more units allow more complex boundaries.
#
# **Exercises:** `exercises/05_hidden/05_hidden.ipynb`: choose the XOR network's weights
# yourself, and count the parameters of any fully connected network.
