"""Figures of chapter 08 (lesson ``notebooks/08_deep``): gradient norms per layer, Playground
boundaries of a deep net, activation histograms, and one deep run (the deep-gradients widget's
figure).

See :mod:`dlcourse.experiments.deep` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _plain_log_ticks, _playground_row, cached_artists

__all__ = ["gradient_profiles", "playground_depth", "activation_histograms", "deep_run"]


def gradient_profiles(res, fig=None):
    """||dL/dW|| per layer (input layer 1 on the left, output on the right), log scale,
    one line per stack of :func:`dlcourse.experiments.deep.gradient_profiles`."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    layers = np.arange(1, res.norms.shape[1] + 1)
    for k, (name, norms) in enumerate(zip(res.names, res.norms)):
        ax.plot(layers, norms, "o-", color=f"C{k}", label=name)
    ax.set(yscale="log", xlabel="layer (1 = next to the input)", ylabel="||dL/dW|| at initialisation",
           title=f"{res.norms.shape[1] - 1} hidden layers of {res.sizes[1]} units: gradient per layer")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def playground_depth(res, fig=None):
    """One Playground boundary per activation of the deep net, with its test accuracy."""

    def describe(k, r):
        act = r.settings["activation"]
        title = f"{act}: train {100 * r.train_acc:.1f}%, test {100 * r.test_acc:.1f}%"
        return dict(title=title, xticks=[-6, 0, 6], yticks=[-6, 0, 6], xlabel="x1", ylabel="x2" if k == 0 else None)

    return _playground_row(res.results, fig, (3.2, 3.4), describe)


def activation_histograms(res, fig=None):
    """Histograms of every layer's activations (columns) for each activation/init (rows)."""
    n_cases, depth = len(res.cases), res.acts[0].shape[0]
    fig = _figure(fig, (2.0 * depth, 1.6 * n_cases))
    for i, ((act, init), layers) in enumerate(zip(res.cases, res.acts)):
        rng = (0.0, 1.0) if act == "sigmoid" else (-1.0, 1.0) if act == "tanh" else (0.0, 3.0)
        for j, a in enumerate(layers):
            ax = fig.add_subplot(n_cases, depth, i * depth + j + 1)
            vals = a[a > 0] if act == "relu" else a.ravel()     # ReLU's many zeros would hide the rest
            ax.hist(vals, bins=30, range=rng, color=f"C{i}")
            ax.set_yticks([])
            ax.tick_params(labelsize=7)
            if i == 0:
                ax.set_title(f"layer {j + 1}", fontsize=9)
            if j == 0:
                ax.set_ylabel(f"{act}\n{init}", fontsize=9)
    fig.suptitle("activations per layer (counts; for ReLU only the positive values, "
                 "about half: the rest are 0)", fontsize=10)
    fig.tight_layout()
    return fig


def deep_run(run, fig=None):
    """Left: ||dL/dW|| per layer at initialisation (log scale). Right: the loss over the Adam steps.

    Called again with a ``fig`` it drew before (the widget), it only updates
    its lines, limits and titles.
    """
    from matplotlib.ticker import MaxNLocator

    fig, h = cached_artists(fig, "deep_run", _deep_run_axes, figsize=(9, 3.4))
    layers = np.arange(1, len(run.norms) + 1)
    h["norms"].set_data(layers, run.norms)
    finite = run.norms[np.isfinite(run.norms) & (run.norms > 0)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (1e-3, 1.0)
    lo = min(lo / 5, hi * 5e-4)                    # at least 4 decades: flat lines look flat
    h["left"].set(xlim=(0.5, max(2, len(layers)) + 0.5), ylim=(lo, hi * 5))
    h["left"].xaxis.set_major_locator(MaxNLocator(6, integer=True))
    _plain_log_ticks(h["left"].yaxis, n=6)
    h["left"].set_title(f"{run.depth} x 30 {run.activation}, init {run.init}: "
                        f"output/input {run.norms[-1] / run.norms[0]:.0e}", y=1.01, fontsize=10)
    steps = np.arange(len(run.losses))
    h["loss"].set_data(steps, run.losses)
    top = float(np.nanmax(run.losses)) if np.isfinite(run.losses).any() else 3.0
    h["right"].set(xlim=(0, steps[-1]), ylim=(0, max(2.5, min(top, 30.0)) * 1.05))
    h["right"].set_title(f"loss {run.losses[0]:.2f} -> {run.losses[-1]:.2f} "
                         f"(dotted: ln 10, a uniform guess)", y=1.01, fontsize=10)
    return fig


def _deep_run_axes(fig):
    """The axes and (empty) lines of :func:`deep_run` on the clean figure ``fig``."""
    from matplotlib.ticker import MaxNLocator

    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    (norms,) = left.plot([], [], "o-", color="C0")
    left.set(yscale="log", xlabel="layer (1 = next to the input)", ylabel="||dL/dW||")
    left.grid(alpha=0.3)
    (loss,) = right.plot([], [], color="C3")
    right.axhline(np.log(10), color="0.6", ls=":", lw=1)      # loss of a uniform guess
    right.set(xlabel="Adam step", ylabel="cross-entropy loss")
    right.yaxis.set_major_locator(MaxNLocator(4))
    right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.1, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    return dict(left=left, right=right, norms=norms, loss=loss)
