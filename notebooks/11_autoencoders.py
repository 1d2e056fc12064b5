# %% [markdown]
# # 11 · Autoencoders and layerwise pre-training
#
# **By the end of this lesson you will be able to**
# - train an **autoencoder** that squeezes 64-pixel digits through a narrow hidden layer and
#   reproduces them, and say how the bottleneck size trades compression for error;
# - pre-train a deep sigmoid network **one layer at a time** with autoencoders, fine-tune it
#   with few labels, and compare it with random initialisation;
# - train a **restricted Boltzmann machine** with contrastive divergence (CD-1), the
#   building block of a deep belief net;
# - explain a **variational autoencoder**: the encoder outputs a mean and a variance, z is
#   sampled by reparameterisation, and a KL term shapes the latent space.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | autoencoder | オートエンコーダ (自己符号化器) |
# | encoder / decoder, latent variable z | エンコーダ / デコーダ, 潜在変数 z |
# | layerwise training | 層ごとの学習 |
# | pre-training / fine-tuning | 事前学習 / (全体の) 教師あり学習 |
# | dimensionality reduction, information compression | 次元削減, 情報圧縮 |
# | unsupervised learning | 教師なし学習 |
# | deep belief net, restricted Boltzmann machine | DBN, 制限付きボルツマンマシン |
# | contrastive divergence | コントラスティブ・ダイバージェンス |
# | variational autoencoder | VAE |
#
# **Slides followed:** seed 000 p.24-27 (layerwise training; an autoencoder reproduces its
# input, so no label y is needed) and p.34 (DBN, RBM, contrastive divergence); seed 001
# §7.3.2 (a)(b)(c) (pre-training with autoencoders, one layer up at a time); seed 003
# §9.3.1-9.3.2 (pre-training then fine-tuning; a few hidden units keep the information);
# seed 004 (autoencoder and VAE).

# %%
import numpy as np

from dlcourse import autoencoders, experiments, models, plots, widgets
from dlcourse.gradients import numerical_gradient, rel_error

aex = experiments.autoencoders

# %% [markdown]
# ## 1. A network that reproduces its input
#
# An autoencoder is trained to output its own input (seed 000 p.27). The input goes through
# an **encoder** to a code $z$, and a **decoder** turns $z$ back into an image (seed 004).
# If the code layer is narrower than the input, the network must compress: keep what
# matters in a few numbers (seed 003 §9.3.2). No labels are needed — this is unsupervised
# learning (教師なし学習).
#
# Our autoencoder is 64 → H → 64 on scikit-learn's 8×8 digits, pixels scaled to [0, 1]:
# sigmoid code units, a sigmoid output layer and the squared error
# $\frac{1}{2N}\sum (y - x)^2$ (the `MSELoss` layer). `models.Autoencoder` builds it
# from the `Affine`, `Sigmoid` and `MSELoss` layers of chapter 07, so it trains with the
# same `models.train` loop, Adam and minibatches of 50. First, check its backward pass:

# %%
rng = np.random.default_rng(0)
ae, x = models.Autoencoder(6, 3, rng=0), rng.random((4, 6))
ae.loss(x)
ae.backward()
for name, p, g in zip(["W_enc", "b_enc", "W_dec", "b_dec"], ae.params, ae.grads):
    num = numerical_gradient(lambda: ae.loss(x), p)
    print(f"{name:6s} rel. error {rel_error(g, num):.1e} (expect < 1e-7)")

# %% [markdown]
# Now one autoencoder per bottleneck size, 20 epochs each (about a second per size):

# %%
sweep = aex.bottleneck_sweep(sizes=(2, 4, 8, 16, 32))
print(sweep)

# %%
fig = plots.bottleneck_errors(sweep)

# %% [markdown]
# Two code units keep the rough shape only; 32 units (half the pixels) reproduce the digits
# closely. Train and test errors are nearly equal: an autoencoder that compresses this much
# has little room to overfit. Here are eight test digits through the 2-unit bottleneck:

# %%
res = aex.compress(bottleneck=2)
print(res)

# %%
fig = plots.ae_reconstructions(res)

# %% [markdown]
# ### Try it: the bottleneck
#
# - From which size on can you read every reconstructed digit?
# - Which digits survive a 2-unit code, and which ones get confused with each other?
#
# (Every size was trained above, so moving the slider only redraws.)

# %% tags=["nbval-ignore-output"]
widgets.bottleneck_demo()

# %% [markdown]
# ## 2. What the code has learned
#
# With two code units each test digit becomes a point in the plane. Nobody told the
# autoencoder which digit is which, yet several digits (0, 1, 2, 7) gather in regions of
# their own; others overlap, and many codes sit at the edges where the sigmoid code units
# saturate. The code is a learned dimensionality reduction (次元削減, seed 004); section 5
# shows a model whose code space is better organised.

# %%
fig = plots.latent_codes(res)

# %% [markdown]
# ## 3. Greedy layerwise pre-training
#
# Chapter 08 showed why a deep sigmoid network is hard to train: the gradients shrink layer
# by layer towards the input. Before ReLU fixed this, deep networks were **pre-trained**
# (seed 001 §7.3.2, seed 000 p.24-26, seed 003 §9.3.1):
#
# 1. train an autoencoder input → hidden 1 → input; keep its encoder as layer 1;
# 2. feed the data through layer 1 and train the next autoencoder to reproduce *those*
#    values; keep its encoder as layer 2; and so on, one layer up at a time;
# 3. put an output layer on top and train the whole network with labels (fine-tuning).
#
# Pre-training needs no labels, so it can use every image, while fine-tuning uses only a
# few labelled ones. A 64-32-32-32-10 sigmoid net, 10 labelled digits per class, plain SGD:

# %%
pre = aex.pretraining(per_class=10, epochs=100, lr=0.5)
print(pre)

# %%
fig = plots.pretraining_curves(pre)

# %% [markdown]
# The pre-trained network starts fine-tuning from features that already describe digits
# and reaches 86% test accuracy after 10 epochs, about 89% after 30. From random weights,
# the same net and optimiser with the same 100 labels stay below 30% after 100 epochs: the
# gradients reaching the first layers are tiny (chapter 08). With ReLU, good initialisation and Adam this gap mostly
# closes, which is why pre-training is rarely used today (seed 003 §9.3.1) — but the idea
# of learning features from unlabelled data lives on.

# %% [markdown]
# ## 4. A restricted Boltzmann machine (RBM)
#
# The deep belief nets of seed 000 p.34 were pre-trained with RBMs instead of
# autoencoders. An RBM has binary visible units $v$ and hidden units $h$, connected by
# weights $W$ (no connections within a layer):
# $p(h_j{=}1 \mid v) = \sigma(vW + b)_j$ and $p(v_i{=}1 \mid h) = \sigma(hW^\top + a)_i$.
# **Contrastive divergence** (CD-1) makes the data more probable: from a batch $v_0$,
# sample $h_0$, then a reconstruction $v_1$, and move
# $\Delta W = \tfrac{1}{N}(v_0^\top p(h\mid v_0) - v_1^\top p(h \mid v_1))$ —
# data statistics minus reconstruction statistics. `autoencoders.cd1_update` is one step;
# here are 10 epochs on digits binarised at 0.5:

# %%
rbm = aex.rbm_cd1(hidden=32, epochs=10, lr=0.1)
print(rbm)

# %%
fig = plots.rbm_panel(rbm)

# %% [markdown]
# Each filter (the weights into one hidden unit) is a stroke-like blob of the digit
# images. The right panel shows data, its reconstruction, and what the RBM *generates*:
# 200 rounds of Gibbs sampling (h from v, v from h) starting from random noise end in
# digit-like images — the RBM is a generative model.

# %% [markdown]
# ## 5. A variational autoencoder (VAE)
#
# A plain autoencoder's code space has holes: decode a point between the clusters and you
# may get nonsense. A VAE (seed 004) makes the code probabilistic. The encoder outputs a
# mean $\mu$ and a log-variance $\log\sigma^2$; the code is sampled as
# $z = \mu + \sigma \odot \varepsilon$ with $\varepsilon \sim N(0, 1)$ — the
# **reparameterisation trick**, which lets gradients flow into $\mu$ and $\sigma$.
# The loss (the negative ELBO) adds a KL term that pulls every $q(z\mid x)$ towards
# $N(0, 1)$: $\text{KL} = -\tfrac12 \sum (1 + \log\sigma^2 - \mu^2 - \sigma^2)$.
# `autoencoders.VAE` has its backward written by hand; check it:

# %%
vae, x = autoencoders.VAE(5, 4, 2, rng=0), rng.random((3, 5))
eps = rng.standard_normal((3, 2))
vae.loss(x, eps)
vae.backward()
errors = [rel_error(g, numerical_gradient(lambda: vae.loss(x, eps), p))
          for p, g in zip(vae.params, [g.copy() for g in vae.grads])]
print(f"largest rel. error over {len(errors)} parameter arrays: {max(errors):.1e} (expect < 1e-7)")

# %%
vr = aex.vae_digits(hidden=64, epochs=30, lr=0.003)
print(vr)

# %%
fig = plots.vae_panel(vr)

# %% [markdown]
# The KL term keeps the codes near the origin, so the square $[-2, 2]^2$ is filled, and
# decoding a grid over it morphs smoothly from one digit to the next: the decoder has become
# a generator of digit images.

# %% [markdown]
# ## Summary
#
# - An autoencoder learns to reproduce its input through a narrow code: no labels needed;
#   the bottleneck size trades compression for reconstruction error (0.058 per pixel with
#   2 units, 0.010 with 32, on test digits).
# - Greedy layerwise pre-training trains one autoencoder per layer, input side first, then
#   fine-tunes the whole net with labels; on a deep sigmoid net with 100 labels and SGD it
#   reached 89% test accuracy where random initialisation stayed below 30%.
# - An RBM trained with CD-1 (data minus reconstruction statistics) learns stroke filters
#   and generates digits by Gibbs sampling; stacked, RBMs make a deep belief net.
# - A VAE encodes a mean and a variance, samples $z = \mu + \sigma\varepsilon$, and adds a
#   KL term; its latent space can be decoded anywhere.
#
# **Exercises:** `exercises/11_autoencoders/11_autoencoders.ipynb`: the loss and gradients of
# a tied-weights autoencoder, and one CD-1 update of an RBM.
