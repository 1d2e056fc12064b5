"""Figures of chapter 12 (lesson ``notebooks/12_cnn``): photo filters and the kernel editor (its
widget's figure), convolution geometry (its widget's figure), pooling, batch norm on feature
maps, the CNN on MNIST, learned filters and maps, transfer learning, the 1-D CNN on MNIST-1D.

See :mod:`dlcourse.experiments.cnn` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _image, _mosaic, cached_artists

__all__ = [
    "photo_filters", "filter_editor", "conv_geometry", "photo_pooling", "batchnorm_maps", "cnn_run",
    "cnn_feature_maps", "transfer_bars", "mnist1d_cnn_curve",
]


def _panel(ax, img, title, cmap="gray", vmin=None, vmax=None):
    """An image panel of this chapter: no ticks, a small title; returns the image artist."""
    return _image(ax, img, title, cmap, vmin, vmax, fontsize=9)


def _signed_limit(img, q=99.5):
    """Colour limit for a signed response: a high percentile of |img|, so that the many
    moderate edges show and a few extreme pixels saturate."""
    return max(1e-9, float(np.percentile(np.abs(img), q)))


def photo_filters(res, fig=None):
    """The photo, the photo with noise, the noisy photo after the 1/9 mean filter, and the
    vertical edge filter's response on the clean photo (red +, blue −)."""
    fig = _figure(fig, (11, 3.6))
    lim = _signed_limit(res.edges)
    panels = [(res.clean, "photograph (grayscale)", "gray", 0, 1),
              (res.noisy, f"+ noise (std {res.noise:g}): RMS {res.rms_noisy:.3f}", "gray", 0, 1),
              (res.smoothed, f"1/9 mean filter: RMS {res.rms_smoothed:.3f}", "gray", 0, 1),
              (res.edges, "vertical edge filter [-1, 0, 1]", "RdBu_r", -lim, lim)]
    for k, (img, title, cmap, lo, hi) in enumerate(panels):
        _panel(fig.add_subplot(1, 4, k + 1), img, title, cmap, lo, hi)
    _fast_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
    return fig


def _kernel_axes(ax, kernel):
    """A 3x3 kernel as coloured cells with its numbers; returns (image, texts)."""
    lim = max(1.0, float(np.max(np.abs(kernel))))
    im = ax.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
    texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=10) for j in range(3)]
             for i in range(3)]
    ax.set(xticks=[], yticks=[])
    ax.set_title("kernel (3x3)", fontsize=10)
    return im, texts


def filter_editor(res, fig=None):
    """A 3x3 kernel, the photo, and the photo filtered by it (:class:`FilteredPhoto`).

    Redrawing into a figure this function drew before only updates the images,
    colour limits and texts (the widget's fast path).
    """

    def build(fig):
        k_im, texts = _kernel_axes(fig.add_axes([0.01, 0.25, 0.2, 0.55]), res.kernel)
        _panel(fig.add_axes([0.23, 0.02, 0.37, 0.88]), res.image, "photograph", "gray", 0, 1)
        out = _panel(fig.add_axes([0.62, 0.02, 0.37, 0.88]), res.out, "", "RdBu_r")
        return {"kernel": k_im, "texts": texts, "out": out}

    fig, parts = cached_artists(fig, "filter_editor", build, figsize=(9.6, 3.6))
    parts["kernel"].set_data(res.kernel)
    lim = max(1.0, float(np.max(np.abs(res.kernel))))
    parts["kernel"].set_clim(-lim, lim)
    for i in range(3):
        for j in range(3):
            v = res.kernel[i, j]
            parts["texts"][i][j].set_text(f"{v:.2f}")
            parts["texts"][i][j].set_color("white" if abs(v) > 0.6 * lim else "black")
    out_lim = _signed_limit(res.out)
    if np.all(res.kernel >= 0):    # a smoothing filter: show it as a photo
        parts["out"].set_cmap("gray")
        parts["out"].set_clim(0, max(out_lim, 1e-9))
    else:                          # signed response: red +, blue −, white 0
        parts["out"].set_cmap("RdBu_r")
        parts["out"].set_clim(-out_lim, out_lim)
    parts["out"].set_data(res.out)
    parts["out"].axes.set_title(f"filtered (sum of weights {res.kernel.sum():.2f}; "
                                f"range {res.out.min():.2f}..{res.out.max():.2f})", fontsize=9)
    return fig


def _grid(ax, lo, hi):
    """Cell borders of the square grid of cells lo..hi-1 (two line collections: cheap to draw)."""
    edges = np.arange(lo, hi + 1) - 0.5
    ax.vlines(edges, lo - 0.5, hi - 0.5, color="0.6", lw=0.5)
    ax.hlines(edges, lo - 0.5, hi - 0.5, color="0.6", lw=0.5)


def conv_geometry(res, fig=None):
    """Input grid (padding shaded) with the receptive fields of the first and last output
    units, and the output grid with those two units (:class:`ConvGeometry`)."""
    from matplotlib.patches import Rectangle

    fig = _figure(fig, (9, 4.2))
    ax_in, ax_out = fig.add_axes([0.04, 0.06, 0.5, 0.8]), fig.add_axes([0.6, 0.06, 0.36, 0.8])
    n, p = res.size, res.pad
    lo = min(-p, res.first[0]) if res.valid else -p
    hi = max(n - 1 + p, res.last[1]) if res.valid else n - 1 + p
    for ax, size in ((ax_in, None), (ax_out, None)):
        ax.set_aspect("equal")
        ax.set(xticks=[], yticks=[])
    ax_in.add_patch(Rectangle((-p - 0.5, -p - 0.5), n + 2 * p, n + 2 * p, fc="0.85", ec="none"))
    ax_in.add_patch(Rectangle((-0.5, -0.5), n, n, fc="white", ec="k", lw=1.2))
    _grid(ax_in, -p, n + p)
    ax_in.set(xlim=(lo - 0.7, hi + 0.7), ylim=(hi + 0.7, lo - 0.7))
    ax_in.set_title(f"input {n}x{n}" + (f" + padding {p} (grey)" if p else ""), fontsize=10)
    fig.suptitle(f"kernel {res.kernel}x{res.kernel}, stride {res.stride}, padding {p}, "
                 f"{res.layers} layer(s): OH = (H + 2P - FH) // S + 1", fontsize=10)
    if not res.valid:
        ax_out.axis("off")
        ax_out.text(0.5, 0.5, "no output:\nthe kernel is larger\nthan the padded input",
                    ha="center", va="center", fontsize=11, color="C3", transform=ax_out.transAxes)
        return fig
    m = res.sizes[-1]
    for (a, b), color in ((res.first, "C0"), (res.last, "C3")):
        ax_in.add_patch(Rectangle((a - 0.5, a - 0.5), b - a + 1, b - a + 1, fc=color, alpha=0.25,
                                  ec=color, lw=2))
    ax_in.set_xlabel(f"receptive fields of the first (blue) and last (red) output unit: "
                     f"{res.receptive}x{res.receptive}", fontsize=9)
    if res.layers == 1:   # where each window of the layer starts: every S-th cell
        starts = np.arange(res.sizes[1]) * res.stride - p
        gx, gy = np.meshgrid(starts, starts)
        ax_in.plot(gx.ravel(), gy.ravel(), "k.", ms=4)
    ax_out.add_patch(Rectangle((-0.5, -0.5), m, m, fc="white", ec="k", lw=1.2))
    _grid(ax_out, 0, m)
    for (i, color) in ((0, "C0"), (m - 1, "C3")):
        ax_out.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fc=color, alpha=0.5, ec=color, lw=2))
    ax_out.set(xlim=(-0.7, max(m, 3) - 0.3), ylim=(max(m, 3) - 0.3, -0.7))
    chain = " -> ".join(f"{s}x{s}" for s in res.sizes)
    ax_out.set_title(f"output {m}x{m}  ({chain})", fontsize=10)
    if res.layers == 1:
        ax_out.set_xlabel("black dots (left): the top-left corner of each window", fontsize=9)
    return fig


def photo_pooling(res, fig=None, size=4):
    """The |vertical edge| map of the photo and its max and average pooling (size x size)."""
    fig = _figure(fig, (10, 3.6))
    mx, av = res.pooled[("max", size)], res.pooled[("average", size)]
    vmax = float(res.edges.max())
    panels = [(res.edges, f"|vertical edges| {res.edges.shape[0]}x{res.edges.shape[1]}"),
              (mx, f"max pool {size}x{size}: {mx.shape[0]}x{mx.shape[1]}"),
              (av, f"average pool {size}x{size}: {av.shape[0]}x{av.shape[1]}")]
    for k, (img, title) in enumerate(panels):
        _panel(fig.add_subplot(1, 3, k + 1), img, title, "magma", 0, vmax * 0.6)
    _fast_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
    return fig


def batchnorm_maps(res, fig=None, digit=0):
    """One digit's four feature maps: raw, normalised per channel, normalised per position."""
    C = res.maps.shape[1]
    fig = _figure(fig, (8, 6.4))
    rows = [(res.maps, "raw"), (res.per_channel, "per channel"), (res.per_position, "per position")]
    for r, (maps, name) in enumerate(rows):
        for c in range(C):
            ax = fig.add_subplot(3, C, r * C + c + 1)
            img = maps[digit, c]
            lim = max(1e-9, float(np.max(np.abs(img))))
            _panel(ax, img, res.filter_names[c] if r == 0 else "", "RdBu_r", -lim, lim)
            if c == 0:
                ax.set_ylabel(name, fontsize=10)
    fig.suptitle("one digit's feature maps (colour scale per map: red +, blue -)", fontsize=10)
    _fast_layout(fig, left=0.05, right=0.99, bottom=0.02, top=0.9, wspace=0.05, hspace=0.15)
    return fig


def cnn_run(run, fig=None, show=12):
    """Test accuracy and training loss per epoch, and the first misclassified test digits."""
    fig = _figure(fig, (11, 3.6))
    ax = fig.add_axes([0.06, 0.15, 0.3, 0.72])
    epochs = np.arange(1, len(run.test_acc) + 1)
    ax.plot(epochs, run.test_acc, "o-", color="C0", label="test accuracy")
    ax.set(xlabel="epoch", ylabel="test accuracy", ylim=(min(0.9, min(run.test_acc)), 1.0),
           xticks=epochs, title=f"final test accuracy {run.accuracy:.1%}")
    ax.axhline(0.97, color="0.5", ls=":", lw=1)
    ax.text(1, 0.971, "97%", color="0.4", fontsize=8, va="bottom")
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(epochs, run.train_loss, "s--", color="C1", ms=4, label="training loss")
    ax2.set_ylabel("training loss", color="C1")
    wrong = np.flatnonzero(run.predictions != run.labels)[:show]
    cols = 6
    for k, i in enumerate(wrong):
        a = fig.add_axes([0.42 + (k % cols) * 0.095, 0.5 - (k // cols) * 0.42, 0.085, 0.33])
        _panel(a, run.x_test[i, 0], f"{run.labels[i]} -> {run.predictions[i]}", "gray_r", 0, 1)
    fig.text(0.42, 0.93, "misclassified test digits (true -> predicted)", fontsize=10)
    return fig


def cnn_feature_maps(res, fig=None):
    """The test digit, the 16 first-layer filters, their 16 feature maps, and the 32 maps
    after the second pooling (:class:`FeatureMaps`)."""
    fig = _figure(fig, (12, 3.6))
    _panel(fig.add_axes([0.0, 0.2, 0.14, 0.6]), res.image, f"digit {res.label}", "gray_r", 0, 1)
    lim = float(np.max(np.abs(res.filters)))
    n = len(res.filters)
    cols = int(np.ceil(np.sqrt(n)))
    _panel(fig.add_axes([0.16, 0.05, 0.2, 0.8]), _mosaic(res.filters, cols, cols, side=3),
                f"{n} learned 3x3 filters", "RdBu_r", -lim, lim)
    _panel(fig.add_axes([0.38, 0.05, 0.25, 0.8]), _mosaic(res.maps1, cols, cols, side=28),
                f"their maps after ReLU ({res.maps1.shape[1]}x{res.maps1.shape[2]})", "magma", 0,
                float(res.maps1.max()))
    m = len(res.maps2)
    _panel(fig.add_axes([0.65, 0.05, 0.34, 0.8]), _mosaic(res.maps2, m // 8, 8, side=7),
                f"{m} maps after the 2nd pooling (7x7)", "magma", 0, float(res.maps2.max()))
    return fig


def transfer_bars(res, fig=None):
    """Test accuracy on digits 5-9 for each draw of the few labelled images: transfer,
    scratch and frozen random conv layers side by side."""
    fig = _figure(fig, (7.2, 3.6))
    ax = fig.add_subplot()
    k = np.arange(res.draws)
    bars = [(res.transfer, "C2", "transfer (conv learned on 0-4, frozen)"),
            (res.scratch, "C7", "from scratch"),
            (res.random_features, "C9", "random conv (frozen)")]
    for b, (accs, color, label) in enumerate(bars):
        x = k + (b - 1) * 0.27
        ax.bar(x, accs, 0.27, color=color, label=f"{label}: mean {np.mean(accs):.1%}")
        for xi, v in zip(x, accs):
            ax.text(xi, v + 0.01, f"{100 * v:.0f}", ha="center", fontsize=7)
    ax.set(xticks=k, xticklabels=[f"draw {i + 1}" for i in k], ylim=(0, 1.38), yticks=np.linspace(0, 1, 6),
           ylabel="test accuracy on 5-9", title=f"{res.per_class} labelled images per digit 5-9")
    ax.legend(fontsize=8, loc="upper center", ncol=1, frameon=False)
    _fast_layout(fig, left=0.1, right=0.98, bottom=0.1, top=0.9)
    return fig


def mnist1d_cnn_curve(res, fig=None):
    """Test accuracy of the 1-D CNN against training steps, with the paper's table as lines."""
    from dlcourse.experiments.cnn import PAPER_MNIST1D

    fig = _figure(fig, (6.4, 3.6))
    ax = fig.add_subplot()
    ax.plot(res.steps, res.test_acc, "o-", color="C0", ms=4, label="1-D CNN (this run)")
    for (name, acc), color in zip(PAPER_MNIST1D.items(), ("C7", "C1", "C3", "C2")):
        ax.axhline(acc, color=color, ls="--", lw=1, label=f"paper: {name} {acc:.0%}")
    ax.set(xlabel="training step (batch of 100)", ylabel="test accuracy", ylim=(0, 1),
           title="MNIST-1D: a 1-D CNN")
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.14, top=0.9)
    return fig
