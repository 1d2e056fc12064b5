"""Autoencoders, greedy layerwise pre-training, RBMs and a small VAE (chapter 11).

* ``tied_autoencoder_loss``: loss and hand-written gradients of a one-hidden-layer
  sigmoid autoencoder with tied weights (the exercise's reference).
* ``fit_autoencoder``: trains a :class:`dlcourse.models.Autoencoder` (D -> H -> D
  built from ``dlcourse.layers``; it lives with the other models).
* ``pretrain_stack`` / ``mlp_from_encoders``: greedy layerwise pre-training of a deep
  sigmoid net with autoencoders, then the weights copied into an ``MLP``.
* ``cd1_update`` and ``RBM``: a Bernoulli restricted Boltzmann machine trained with
  contrastive divergence (CD-1); the random numbers are passed in, so a step is
  deterministic and checkable.
* ``VAE``: 64 -> H -> (mu, log sigma²) -> z = mu + sigma * eps -> H -> 64, with a
  Bernoulli (cross-entropy) reconstruction term and the Gaussian KL term; backward
  by hand.

Seeds: 000 p.24-27 (layerwise training; an autoencoder learns to reproduce its
input, so no labels are needed) and p.34 (DBN, RBM, contrastive divergence);
001 §7.3.2 (a)(b)(c) (pre-training with autoencoders, one layer at a time, then the
whole network); 003 §9.3.1-9.3.2 (pre-training then fine-tuning; a narrow hidden
layer compresses); 004 (autoencoder: encoder to a latent z, decoder back; VAE).
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F
from dlcourse import layers as L
from dlcourse import models, optim
from dlcourse.models import Autoencoder

__all__ = [
    "tied_autoencoder_loss", "fit_autoencoder", "pretrain_stack",
    "mlp_from_encoders", "cd1_update", "RBM", "VAE",
]


# --- the tied-weights autoencoder (the exercise's reference) ------------------------

def tied_autoencoder_loss(x, W, b, c):
    """Reconstruction loss and gradients of a sigmoid autoencoder with tied weights.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs in [0, 1]; they are also the targets.
    W : ndarray, shape (D, H)
        Encoder weights; the decoder uses ``W.T`` (tied weights).
    b : ndarray, shape (H,)
        Hidden biases.
    c : ndarray, shape (D,)
        Output biases.

    Returns
    -------
    loss : float
        ``0.5 * sum((y - x)**2) / N``, the ``MSELoss`` of the layers module.
    dW : ndarray, shape (D, H)
    db : ndarray, shape (H,)
    dc : ndarray, shape (D,)

    Notes
    -----
    ``h = sigmoid(x W + b)``, ``y = sigmoid(h W.T + c)``. Backward::

        dy = (y - x) / N
        da = dy * y (1 - y)              # through the output sigmoid, (N, D)
        dh = da @ W                      # (N, H)
        dz = dh * h (1 - h)              # through the hidden sigmoid
        dW = x.T @ dz + da.T @ h         # encoder share + decoder share (tied)
    """
    N, D = x.shape
    h = F.sigmoid(x @ W + b)                     # (N, H)
    y = F.sigmoid(h @ W.T + c)                   # (N, D)
    loss = 0.5 * float(np.sum((y - x) ** 2)) / N
    da = (y - x) / N * y * (1.0 - y)             # (N, D)
    dz = (da @ W) * h * (1.0 - h)                # (N, H)
    dW = x.T @ dz + da.T @ h                     # (D, H)
    return loss, dW, dz.sum(axis=0), da.sum(axis=0)


def fit_autoencoder(ae, x, epochs=30, batch_size=50, lr=0.01, rng=0):
    """Train an autoencoder (or any model whose ``loss(x)`` reconstructs x) with Adam.

    Parameters
    ----------
    ae : Autoencoder
    x : ndarray, shape (N, D)
    epochs, batch_size : int
    lr : float
        Adam's learning rate.
    rng : int or Generator
        Shuffles the batches.

    Returns
    -------
    list of float
        The loss on the whole of x after each epoch.
    """
    history = models.train(ae, optim.Adam(lr=lr), x, x, epochs=epochs,
                           batch_size=batch_size, rng=rng, progress=False)
    return history["train_loss"]


# --- greedy layerwise pre-training ---------------------------------------------------

def pretrain_stack(x, sizes, epochs=20, batch_size=50, lr=0.01, rng=0):
    """Greedy layerwise pre-training with sigmoid autoencoders.

    Parameters
    ----------
    x : ndarray, shape (N, sizes[0])
        Unlabelled training inputs.
    sizes : sequence of int
        ``[D, H1, ..., Hk]``: the hidden layers to pre-train.
    epochs, batch_size, lr, rng
        Passed to ``fit_autoencoder`` for each layer.

    Returns
    -------
    encoders : list of (W (H_{k-1}, H_k), b (H_k,))
        The trained encoder of each layer, input side first.
    losses : list of float
        Each autoencoder's final reconstruction loss.

    Notes
    -----
    Seed 001 §7.3.2 (b)(c): layer 1 learns to reproduce the input; its hidden
    values then become the input that layer 2 learns to reproduce, and so on.
    """
    rng = np.random.default_rng(rng)
    encoders, losses, h = [], [], np.asarray(x, dtype=float)
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        ae = Autoencoder(fan_in, fan_out, "sigmoid", rng=rng)
        losses.append(fit_autoencoder(ae, h, epochs, batch_size, lr, rng)[-1])
        W, b = ae.encoder.params
        encoders.append((W.copy(), b.copy()))
        h = ae.encode(h)                                 # the next layer's input
    return encoders, losses


def mlp_from_encoders(encoders, n_classes, rng=0):
    """A sigmoid ``MLP`` whose hidden layers start from pre-trained encoders.

    Parameters
    ----------
    encoders : list of (W (H_{k-1}, H_k), b (H_k,))
    n_classes : int
        Size of the new output layer (Xavier initialised).

    Returns
    -------
    models.MLP
        sizes ``[D, H1, ..., Hk, n_classes]``, activation "sigmoid".
    """
    sizes = [encoders[0][0].shape[0], *[W.shape[1] for W, _ in encoders], n_classes]
    net = models.MLP(sizes, activation="sigmoid", init="xavier", rng=rng)
    affines = [layer for layer in net.layers if isinstance(layer, L.Affine)]
    for layer, (W, b) in zip(affines, encoders):
        layer.params[0][...] = W
        layer.params[1][...] = b
    return net


# --- the restricted Boltzmann machine ------------------------------------------------

def cd1_update(v0, W, a, b, u_h, u_v):
    """One contrastive-divergence (CD-1) step of a Bernoulli RBM: the parameter changes.

    Parameters
    ----------
    v0 : ndarray, shape (N, D)
        A batch of binary visible vectors (the data).
    W : ndarray, shape (D, H)
    a : ndarray, shape (D,)
        Visible biases.
    b : ndarray, shape (H,)
        Hidden biases.
    u_h : ndarray, shape (N, H)
        Uniform random numbers in [0, 1) to sample h0: ``h0 = (u_h < p(h|v0))``.
    u_v : ndarray, shape (N, D)
        Uniform random numbers to sample v1: ``v1 = (u_v < p(v|h0))``.

    Returns
    -------
    dW : ndarray, shape (D, H)
    da : ndarray, shape (D,)
    db : ndarray, shape (H,)
        The CD-1 estimate of the log-likelihood gradient, averaged over the batch
        (add ``lr *`` these to the parameters).

    Notes
    -----
    ``p(h=1|v) = sigmoid(v W + b)``, ``p(v=1|h) = sigmoid(h W.T + a)``. With
    ``ph0 = p(h|v0)`` and ``ph1 = p(h|v1)`` (probabilities, not samples, in both
    statistics)::

        dW = (v0.T ph0 - v1.T ph1) / N,   da = mean(v0 - v1),   db = mean(ph0 - ph1)
    """
    N, D = v0.shape
    ph0 = F.sigmoid(v0 @ W + b)                  # (N, H)
    h0 = (u_h < ph0).astype(float)               # one Gibbs step: sample h, then v
    v1 = (u_v < F.sigmoid(h0 @ W.T + a)).astype(float)   # (N, D)
    ph1 = F.sigmoid(v1 @ W + b)
    dW = (v0.T @ ph0 - v1.T @ ph1) / N
    return dW, (v0 - v1).mean(axis=0), (ph0 - ph1).mean(axis=0)


class RBM:
    """A Bernoulli-Bernoulli restricted Boltzmann machine (the building block of a DBN).

    Parameters
    ----------
    D, H : int
        Visible and hidden sizes.
    rng : Generator or int or None
        Draws the initial weights (normal, std 0.01) and every sample.
    """

    def __init__(self, D, H, rng=None):
        self.rng = np.random.default_rng(rng)
        self.W = 0.01 * self.rng.standard_normal((D, H))
        self.a, self.b = np.zeros(D), np.zeros(H)

    def hidden_probs(self, v):
        """v: (N, D) -> p(h = 1 | v), (N, H)."""
        return F.sigmoid(v @ self.W + self.b)

    def visible_probs(self, h):
        """h: (N, H) -> p(v = 1 | h), (N, D)."""
        return F.sigmoid(h @ self.W.T + self.a)

    def reconstruct(self, v):
        """Mean-field reconstruction p(v | p(h | v)), (N, D)."""
        return self.visible_probs(self.hidden_probs(v))

    def step(self, v0, lr=0.1):
        """One CD-1 update of W, a, b on the batch v0 (N, D), with fresh random numbers."""
        N, D = v0.shape
        u_h = self.rng.random((N, self.b.size))
        u_v = self.rng.random((N, D))
        dW, da, db = cd1_update(v0, self.W, self.a, self.b, u_h, u_v)
        self.W += lr * dW
        self.a += lr * da
        self.b += lr * db

    def gibbs(self, v, steps):
        """Run ``steps`` rounds of block Gibbs sampling from v (N, D); returns p(v|h) of the last."""
        for _ in range(steps):
            h = (self.rng.random((v.shape[0], self.b.size)) < self.hidden_probs(v)).astype(float)
            pv = self.visible_probs(h)
            v = (self.rng.random(pv.shape) < pv).astype(float)
        return pv


# --- the variational autoencoder -----------------------------------------------------

class VAE:
    """D -> H -> (mu, log sigma²) of size Z -> z -> H -> D, with Bernoulli outputs.

    Parameters
    ----------
    D, H, Z : int
        Input, hidden and latent sizes.
    rng : Generator or int or None
        Initial weights (Xavier) and the noise eps of ``sample_eps``.

    Notes
    -----
    Forward (seed 004: the encoder gives a mean and a variance; z is sampled
    with the reparameterisation trick so gradients flow through mu and sigma)::

        h = tanh(x W1 + b1)                        (N, H)
        mu = h Wm + bm,  logvar = h Wv + bv        (N, Z)
        z = mu + exp(logvar / 2) * eps             eps ~ N(0, 1), given
        g = tanh(z W3 + b3),  s = g W4 + b4        (N, H), (N, D) logits
        recon = sum BCE(sigmoid(s), x) / N
        kl = -0.5 * sum(1 + logvar - mu² - exp(logvar)) / N
        loss = recon + kl                          (the negative ELBO)

    ``backward`` fills ``grads`` for the last ``loss`` by hand: the BCE with a
    sigmoid gives ds = (sigmoid(s) - x) / N; dz flows to mu as is and to logvar
    as dz * eps * sigma / 2; the KL adds (mu, (exp(logvar) - 1) / 2) / N.
    """

    def __init__(self, D=64, H=64, Z=2, rng=None):
        self.rng = np.random.default_rng(rng)
        aff = lambda i, o: L.Affine(optim.xavier(i, o, self.rng), np.zeros(o))  # noqa: E731
        self.enc = models.Sequential([aff(D, H), L.Tanh()])
        self.mu_layer, self.logvar_layer = aff(H, Z), aff(H, Z)
        self.dec = models.Sequential([aff(Z, H), L.Tanh(), aff(H, D)])
        self.D, self.H, self.Z = D, H, Z
        self.terms = (np.nan, np.nan)

    @property
    def params(self):
        """Encoder, mu head, logvar head, decoder parameters, in that order."""
        return (self.enc.params + self.mu_layer.params + self.logvar_layer.params
                + self.dec.params)

    @property
    def grads(self):
        return self.enc.grads + self.mu_layer.grads + self.logvar_layer.grads + self.dec.grads

    def sample_eps(self, N):
        """Standard normal noise (N, Z) from the VAE's own generator."""
        return self.rng.standard_normal((N, self.Z))

    def encode(self, x):
        """x: (N, D) -> (mu, logvar), each (N, Z)."""
        h = self.enc.forward(x)
        return self.mu_layer.forward(h), self.logvar_layer.forward(h)

    def decode(self, z):
        """z: (N, Z) -> Bernoulli means sigmoid(logits), (N, D)."""
        return F.sigmoid(self.dec.forward(z))

    def loss(self, x, eps=None, train=True):
        """Negative ELBO per sample for x (N, D); eps (N, Z) defaults to fresh noise.

        Keeps ``terms = (recon, kl)`` (both per sample) for printing.
        """
        N, D = x.shape
        eps = self.sample_eps(N) if eps is None else eps
        mu, logvar = self.encode(x)
        sigma = np.exp(0.5 * logvar)
        s = self.dec.forward(mu + sigma * eps)           # (N, D) logits
        # BCE from logits, overflow-safe: log(1 + e^s) - x s
        recon = float(np.sum(np.logaddexp(0.0, s) - x * s)) / N
        kl = -0.5 * float(np.sum(1.0 + logvar - mu ** 2 - sigma ** 2)) / N
        self._cache = (x, eps, mu, logvar, sigma, s)
        self.terms = (recon, kl)
        return recon + kl

    def backward(self, dout=1.0):
        """Gradients of the last ``loss`` into ``grads``; returns dx (N, D)."""
        x, eps, mu, logvar, sigma, s = self._cache
        N = x.shape[0]
        dz = self.dec.backward(dout * (F.sigmoid(s) - x) / N)      # (N, Z)
        dmu = dz + dout * mu / N
        dlogvar = dz * eps * sigma * 0.5 + dout * 0.5 * (sigma ** 2 - 1.0) / N
        dh = self.mu_layer.backward(dmu) + self.logvar_layer.backward(dlogvar)
        return self.enc.backward(dh)

    def predict(self, x, train=False):
        """Reconstruction through the mean code: decode(mu(x)), (N, D)."""
        return self.decode(self.encode(x)[0])
