"""Chapter 11 experiments: autoencoders, layerwise pre-training, an RBM and a VAE on digits.

Seeds: 000 p.24-27 (layerwise training; autoencoders reproduce their input, no
labels needed), p.34 (DBN, RBM, contrastive divergence); 001 §7.3.2 (a)(b)(c)
(pre-training with autoencoders, then the whole network); 003 §9.3.1-9.3.2;
004 (autoencoder with encoder and decoder; VAE). Every run uses scikit-learn's
8x8 digits (``datasets.load_digits``: 1,437 training and 360 test images).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import autoencoders as A
from dlcourse import datasets, models, optim
from dlcourse.experiments._cache import cached

__all__ = [
    "BOTTLENECKS", "SHOWN", "Compression", "compress", "BottleneckSweep", "bottleneck_sweep",
    "Pretraining", "pretraining", "RBMRun", "rbm_cd1", "VAERun", "vae_digits",
]

BOTTLENECKS = (2, 4, 8, 16, 32)
"""The bottleneck sizes of the sweep and of the widget's slider."""
SHOWN = 8
"""How many test digits the reconstruction figures show (the first SHOWN of the test set)."""


@cached(1)
def _digits():
    return datasets.load_digits(seed=0)


# --- an autoencoder compresses digits -------------------------------------------------

@dataclass(frozen=True)
class Compression:
    """One trained 64 -> H -> 64 sigmoid autoencoder."""

    bottleneck: int
    epochs: int
    losses: list              # the training loss (0.5 * squared error per image) after each epoch
    train_mse: float          # mean squared error per pixel, training set
    test_mse: float           # ... test set
    originals: np.ndarray     # (SHOWN, 64) test digits
    recons: np.ndarray        # (SHOWN, 64) their reconstructions
    codes: np.ndarray         # (N_test, H) codes of the whole test set
    labels: np.ndarray        # (N_test,) their digits

    def __str__(self):
        return (f"autoencoder 64-{self.bottleneck}-64 (sigmoid), Adam, {self.epochs} epochs\n"
                f"  ratio 64/{self.bottleneck} = {64 / self.bottleneck:.1f}x compression\n"
                f"  training loss, epoch 1 -> {self.epochs}: {self.losses[0]:.4f} -> "
                f"{self.losses[-1]:.4f}\n"
                f"  mean squared error per pixel: train {self.train_mse:.4f}, "
                f"test {self.test_mse:.4f}")


def compress(bottleneck=2, epochs=20, seed=0):
    """Train a 64 -> bottleneck -> 64 autoencoder on the digits (cached: ~1 s the first time).

    Returns
    -------
    Compression
    """
    return _compress(int(bottleneck), int(epochs), int(seed))


@cached(16)
def _compress(bottleneck, epochs, seed):
    Xtr, _, Xte, tte = _digits()
    ae = models.Autoencoder(64, int(bottleneck), "sigmoid", rng=seed)
    losses = A.fit_autoencoder(ae, Xtr, epochs=epochs, batch_size=50, lr=0.01, rng=seed)
    recon_te = ae.predict(Xte)
    return Compression(int(bottleneck), epochs, losses,
                       float(np.mean((ae.predict(Xtr) - Xtr) ** 2)),
                       float(np.mean((recon_te - Xte) ** 2)),
                       Xte[:SHOWN].copy(), recon_te[:SHOWN].copy(), ae.encode(Xte), tte.copy())


@dataclass(frozen=True)
class BottleneckSweep:
    """Reconstruction error against the bottleneck size."""

    runs: list                # Compression, one per size

    def __str__(self):
        rows = [f"{'bottleneck':>10} {'compression':>11} {'train MSE':>10} {'test MSE':>9}"]
        rows += [f"{r.bottleneck:10d} {64 / r.bottleneck:10.1f}x {r.train_mse:10.4f} "
                 f"{r.test_mse:9.4f}" for r in self.runs]
        return "\n".join(rows)


def bottleneck_sweep(sizes=BOTTLENECKS, epochs=20, seed=0):
    """One autoencoder per bottleneck size (the cached ``compress`` runs)."""
    return BottleneckSweep([compress(h, epochs, seed) for h in sizes])


# --- layerwise pre-training then fine-tuning -----------------------------------------

@dataclass(frozen=True)
class Pretraining:
    """A deep sigmoid net fine-tuned from pre-trained weights and from random weights."""

    sizes: list
    n_labelled: int
    ae_losses: list           # each layer's autoencoder loss after pre-training
    pretrained: dict          # models.train history of the pre-trained net
    random: dict              # ... of the randomly initialised net
    every: int

    def __str__(self):
        arch = "-".join(map(str, self.sizes))
        epochs = len(self.random["test_acc"])
        ae = ", ".join(f"{v:.4f}" for v in self.ae_losses)
        rows = [f"{arch} sigmoid net, {self.n_labelled} labelled images (SGD lr 0.5, batch 20)",
                f"pre-training: {len(self.ae_losses)} autoencoders on all 1437 unlabelled "
                f"images, final losses {ae}",
                f"{'epoch':>6} {'pre-trained':>12} {'random init':>12}   (test accuracy)"]
        for e in range(self.every, epochs + 1, self.every):
            rows.append(f"{e:6d} {self.pretrained['test_acc'][e - 1]:11.1%} "
                        f"{self.random['test_acc'][e - 1]:12.1%}")
        return "\n".join(rows)


def pretraining(per_class=10, epochs=100, lr=0.5, sizes=(64, 32, 32, 32, 10), seed=0, every=10):
    """Greedy layerwise pre-training (autoencoders) vs random initialisation, few labels.

    Both nets share the output layer's initial weights and the batch order; only
    the hidden layers' starting point differs.

    Returns
    -------
    Pretraining
    """
    Xtr, ttr, Xte, tte = _digits()
    idx = np.sort(datasets.stratified_subset(ttr, per_class, np.random.default_rng(seed), shuffle=False))
    encoders, ae_losses = A.pretrain_stack(Xtr, list(sizes[:-1]), epochs=15, rng=seed)
    pre = A.mlp_from_encoders(encoders, sizes[-1], rng=seed + 1)
    rnd = models.MLP(list(sizes), "sigmoid", init="xavier", rng=seed + 1)
    runs = [models.train(net, optim.SGD(lr=lr), Xtr[idx], ttr[idx], Xte, tte, epochs=epochs,
                         batch_size=20, rng=seed + 2, progress=False) for net in (pre, rnd)]
    return Pretraining(list(sizes), len(idx), ae_losses, runs[0], runs[1], every)


# --- a restricted Boltzmann machine with CD-1 ----------------------------------------

@dataclass(frozen=True)
class RBMRun:
    """An RBM trained with CD-1 on binarised digits."""

    hidden: int
    lr: float
    errors: list              # reconstruction error per epoch (mean squared, per pixel, test set)
    filters: np.ndarray       # (hidden, 64): the weights into each hidden unit
    originals: np.ndarray     # (SHOWN, 64) binarised test digits
    recons: np.ndarray        # (SHOWN, 64) p(v | p(h | v))
    samples: np.ndarray       # (SHOWN, 64) p(v | h) after Gibbs sampling from noise
    gibbs_steps: int

    def __str__(self):
        rows = [f"RBM 64 visible x {self.hidden} hidden (Bernoulli), CD-1, lr {self.lr:g}, "
                f"batch 20, pixels binarised at 0.5",
                f"{'epoch':>6} {'reconstruction error':>21}"]
        rows += [f"{e:6d} {err:21.4f}" for e, err in enumerate(self.errors)]
        return "\n".join(rows)


class _CD1:
    """An RBM seen through the model interface of ``models.train_steps``.

    ``loss(v0)`` draws the two uniform samples of a CD-1 step from the RBM's
    generator, as ``RBM.step`` does, and keeps minus the CD-1 estimate
    (``autoencoders.cd1_update``) as the gradient, so ``optim.SGD(lr)`` adds
    lr times the estimate: exactly ``RBM.step``'s update. CD-1 follows no
    loss's gradient; the number ``loss`` returns is the batch's mean squared
    reconstruction error before the step, for the record.
    """

    def __init__(self, rbm):
        self.rbm, self.grads = rbm, []

    @property
    def params(self):
        return [self.rbm.W, self.rbm.a, self.rbm.b]

    def loss(self, v0):
        rbm = self.rbm
        N, D = v0.shape
        u_h = rbm.rng.random((N, rbm.b.size))
        u_v = rbm.rng.random((N, D))
        self._delta = A.cd1_update(v0, rbm.W, rbm.a, rbm.b, u_h, u_v)
        return float(np.mean((rbm.reconstruct(v0) - v0) ** 2))

    def backward(self):
        self.grads = [-d for d in self._delta]       # SGD: p - lr·(-d) = p + lr·d


def rbm_cd1(hidden=32, epochs=10, lr=0.1, gibbs_steps=200, seed=0):
    """Train an RBM with CD-1; error before training (epoch 0) and after each epoch.

    Returns
    -------
    RBMRun
    """
    Xtr, _, Xte, _ = _digits()
    Vtr, Vte = (Xtr > 0.5).astype(float), (Xte > 0.5).astype(float)
    rbm = A.RBM(64, hidden, rng=seed)
    per_epoch = -(-len(Vtr) // 20)
    history = models.train_steps(
        _CD1(rbm), optim.SGD(lr), models.shuffled_batches((Vtr,), 20, rbm.rng), int(epochs) * per_epoch,
        eval_every=per_epoch, eval_first=True,
        evaluate=lambda m: {"error": float(np.mean((rbm.reconstruct(Vte) - Vte) ** 2))})
    noise = (rbm.rng.random((SHOWN, 64)) < 0.5).astype(float)
    return RBMRun(hidden, lr, history["error"], rbm.W.T.copy(), Vte[:SHOWN], rbm.reconstruct(Vte[:SHOWN]),
                  rbm.gibbs(noise, gibbs_steps), gibbs_steps)


# --- a small variational autoencoder -------------------------------------------------

@dataclass(frozen=True)
class VAERun:
    """A VAE with a 2-D latent space trained on the digits."""

    hidden: int
    epochs: int
    recon: list               # reconstruction term per epoch (test set, per image)
    kl: list                  # KL term per epoch
    mu: np.ndarray            # (N_test, 2) means of the test codes
    labels: np.ndarray        # (N_test,)
    grid: np.ndarray          # (G, G, 64) decoded images over the latent grid
    grid_values: np.ndarray   # (G,) the latent coordinates of the grid

    def __str__(self):
        rows = [f"VAE 64-{self.hidden}-(mu, log var: 2)-{self.hidden}-64, Adam, batch 50; "
                f"test set, per image",
                f"{'epoch':>6} {'reconstruction':>15} {'KL':>8} {'-ELBO':>9}"]
        for e in sorted({0, *range(5, self.epochs + 1, 5), self.epochs}):
            rows.append(f"{e:6d} {self.recon[e]:15.4f} {self.kl[e]:8.4f} "
                        f"{self.recon[e] + self.kl[e]:9.4f}")
        return "\n".join(rows)


def vae_digits(hidden=64, epochs=30, lr=0.003, grid=9, seed=0):
    """Train ``autoencoders.VAE`` (latent size 2) and decode a grid over z in [-2, 2]².

    The test-set terms use a fixed noise draw, so they are comparable across epochs.

    Returns
    -------
    VAERun
    """
    Xtr, _, Xte, tte = _digits()
    vae = A.VAE(64, hidden, 2, rng=seed)
    opt, eps_te = optim.Adam(lr=lr), np.random.default_rng(seed + 1).standard_normal((len(Xte), 2))

    def evaluate(vae):
        vae.loss(Xte, eps_te)
        return {"recon": vae.terms[0], "kl": vae.terms[1]}

    per_epoch = -(-len(Xtr) // 50)
    history = models.train_steps(vae, opt, models.shuffled_batches((Xtr,), 50, vae.rng), int(epochs) * per_epoch,
                                 eval_every=per_epoch, eval_first=True, evaluate=evaluate)
    recon, kl = history["recon"], history["kl"]
    values = np.linspace(-2.0, 2.0, grid)
    zz = np.array([[x, y] for y in values[::-1] for x in values])             # rows: z2 falls
    return VAERun(hidden, epochs, recon, kl, vae.encode(Xte)[0], tte.copy(),
                  vae.decode(zz).reshape(grid, grid, 64), values)
