"""Figures of chapter 11 (lesson ``notebooks/11_autoencoders``): autoencoder reconstructions (the
bottleneck widget's figure), bottleneck errors, 2-D codes, pre-training curves, the RBM and the
VAE.

See :mod:`dlcourse.experiments.autoencoders` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _image, _mosaic, cached_artists

__all__ = [
    "ae_reconstructions", "bottleneck_errors", "latent_codes", "pretraining_curves", "rbm_panel",
    "vae_panel",
]


def ae_reconstructions(res, fig=None):
    """Test digits (top row) and their reconstructions (bottom row) by one autoencoder.

    Redrawing into a figure this function drew before only updates the image and the
    title (the widget's fast path).
    """
    picture = _mosaic(np.vstack([res.originals, res.recons]), 2, len(res.originals))
    title = (f"bottleneck {res.bottleneck}: top originals, bottom reconstructions "
             f"(test MSE {res.test_mse:.4f})")

    def build(fig):
        im = _image(fig.add_subplot(), picture, "")
        _fast_layout(fig, left=0.02, right=0.98, bottom=0.03, top=0.88)
        return im

    fig, im = cached_artists(fig, "ae_reconstructions", build, figsize=(8, 2.6))
    im.set_data(picture)
    im.axes.set_title(title, fontsize=10)
    return fig


def bottleneck_errors(sweep, fig=None):
    """Train and test reconstruction error against the bottleneck size (log2 axis)."""
    fig = _figure(fig, (5.5, 3.4))
    ax = fig.add_subplot()
    hs = [r.bottleneck for r in sweep.runs]
    ax.plot(hs, [r.train_mse for r in sweep.runs], "o--", color="C0", label="train")
    ax.plot(hs, [r.test_mse for r in sweep.runs], "o-", color="C1", label="test")
    ax.set_xscale("log", base=2)
    ax.set_xticks(hs, [str(h) for h in hs])
    ax.minorticks_off()
    ax.set(xlabel="bottleneck size H (64-H-64)", ylabel="MSE per pixel", ylim=(0, None),
           title="A wider bottleneck keeps more of the image")
    ax.legend()
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.15, right=0.96, bottom=0.15, top=0.9)
    return fig


def _codes_scatter(ax, codes, labels, title, xlabel, ylabel):
    for d in range(10):
        pts = codes[labels == d]
        ax.scatter(pts[:, 0], pts[:, 1], s=8, color=f"C{d}", alpha=0.6)
        cx, cy = np.median(pts, axis=0)
        ax.text(cx, cy, str(d), fontsize=13, weight="bold", ha="center", va="center",
                color=f"C{d}", bbox=dict(boxstyle="round,pad=0.15", fc="white", alpha=0.8))
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)


def latent_codes(res, fig=None):
    """The 2-D codes of the test digits, coloured by digit (labels at each digit's median)."""
    fig = _figure(fig, (5.2, 4.6))
    ax = fig.add_subplot()
    _codes_scatter(ax, res.codes, res.labels, "64-2-64 autoencoder: codes of the test digits",
                   "code unit 1", "code unit 2")
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.11, top=0.93)
    return fig


def pretraining_curves(res, fig=None):
    """Test accuracy per epoch of fine-tuning, pre-trained vs random initialisation."""
    fig = _figure(fig, (6, 3.6))
    ax = fig.add_subplot()
    epochs = np.arange(1, len(res.random["test_acc"]) + 1)
    ax.plot(epochs, res.pretrained["test_acc"], color="C2", label="pre-trained (autoencoders)")
    ax.plot(epochs, res.random["test_acc"], color="C3", label="random (Xavier) initialisation")
    ax.plot(epochs, res.pretrained["train_acc"], color="C2", ls="--", lw=0.8, label="train")
    ax.plot(epochs, res.random["train_acc"], color="C3", ls="--", lw=0.8)
    ax.set(xlabel="epoch of fine-tuning", ylabel="accuracy", ylim=(0, 1.02),
           title=f"{'-'.join(map(str, res.sizes))} sigmoid net, {res.n_labelled} labels")
    ax.legend(fontsize=8, loc="center right")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.96, bottom=0.14, top=0.9)
    return fig


def rbm_panel(res, fig=None):
    """RBM: reconstruction error per epoch, the learned filters, and Gibbs samples."""
    fig = _figure(fig, (11, 3.4))
    ax_err = fig.add_axes([0.06, 0.15, 0.22, 0.7])
    ax_err.plot(np.arange(len(res.errors)), res.errors, "o-", ms=3)
    ax_err.set(xlabel="epoch", ylabel="MSE per pixel (test)", title="CD-1 reconstruction error")
    ax_err.grid(alpha=0.3)
    F = res.filters
    lim = float(np.max(np.abs(F)))
    cols = 8
    _image(fig.add_axes([0.33, 0.05, 0.36, 0.8]), _mosaic(F, -(-len(F) // cols), cols),
                 f"{len(F)} filters W[:, j] (red +, blue -)", cmap="RdBu_r", vmin=-lim, vmax=lim)
    half = len(res.samples) // 2
    pics = np.vstack([res.originals[:half], res.recons[:half], res.samples])
    _image(fig.add_axes([0.72, 0.05, 0.26, 0.8]), _mosaic(pics, 4, half),
                 f"data, reconstruction,\n{res.gibbs_steps} Gibbs steps from noise (2 rows)")
    return fig


def vae_panel(res, fig=None):
    """VAE: the test digits' latent means, and images decoded over a grid of z."""
    from matplotlib.patches import Rectangle

    fig = _figure(fig, (10, 4.6))
    ax = fig.add_axes([0.06, 0.1, 0.4, 0.8])
    _codes_scatter(ax, res.mu, res.labels, "VAE: mean code mu(x) of the test digits",
                   "$z_1$", "$z_2$")
    lo, hi = res.grid_values[0], res.grid_values[-1]
    ax.add_patch(Rectangle((lo, lo), hi - lo, hi - lo, fill=False, ls="--", color="k"))
    G = len(res.grid_values)
    ax2 = fig.add_axes([0.52, 0.05, 0.46, 0.85])
    _image(ax2, _mosaic(res.grid.reshape(G * G, 64), G, G),
                 f"decoded sigmoid(s) over z in [{lo:g}, {hi:g}]² (dashed box)")
    return fig
