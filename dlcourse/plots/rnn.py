"""Figures of chapter 13 (lesson ``notebooks/13_rnn``): the unrolled RNN and BPTT, gradient
against the lag, the echo-state network on Mackey-Glass, leaky and skip RNNs, the bidirectional
tagger and the TreeNet. Four of them are widget figures that update in place.

See :mod:`dlcourse.experiments.rnn` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, _plain_log_ticks, _pm1_cmap, cached_artists

__all__ = [
    "rnn_unrolled", "rnn_gradient_flow", "rnn_gradient_lag", "esn_forecast", "esn_sweep",
    "rnn_variant_flow", "bidirectional_accuracy", "tree_net",
]


def _arrow(ax, a, b, color="k", lw=1.2, ls="-"):
    ax.annotate("", xy=b, xytext=a, arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, ls=ls,
                                                   shrinkA=0, shrinkB=0))


def _box(ax, x, y, text):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - 0.45, y - 0.3), 0.9, 0.6, boxstyle="round,pad=0.05",
                                fc="#f2f2f2", ec="k", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def rnn_unrolled(res, fig=None):
    """Left: the RNN with its feedback loop. Right: the same net unrolled over the T steps of
    :func:`dlcourse.experiments.rnn.unrolled_bptt`. Each state h_t is drawn as H squares
    (blue > 0, orange < 0); the dashed red arrows are the backward pass (BPTT), labelled with
    ||dL/dh_t||."""
    from matplotlib.patches import Rectangle

    T, H = res.hs.shape
    fig = _figure(fig, (1.5 + 1.45 * T, 3.0))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    cmap = _pm1_cmap()
    # (a) one box whose output comes back as its next input
    _box(ax, 0, 0, "RNN")
    _arrow(ax, (0, -1.1), (0, -0.35))
    ax.text(0, -1.2, "$x_t$", ha="center", va="top")
    _arrow(ax, (0, 0.35), (0, 1.0))
    ax.text(0, 1.05, "$h_t$", ha="center", va="bottom")
    ax.annotate("", xy=(-0.5, -0.1), xytext=(0, 0.65),
                arrowprops=dict(arrowstyle="-|>", connectionstyle="arc3,rad=1.2", lw=1.2))
    ax.text(0, 2.0, "(a) recurrent", ha="center", fontsize=10)
    ax.text(1.1, 0, "=", fontsize=18, ha="center", va="center")
    x0, gap = 2.4, 2.0                                     # (b) unrolled along time
    for t in range(T):
        x = x0 + gap * t
        _box(ax, x, 0, f"RNN\nt={t}")
        _arrow(ax, (x, -1.1), (x, -0.35))
        ax.text(x, -1.2, f"$x_{t}$", ha="center", va="top")
        _arrow(ax, (x, 0.35), (x, 0.95))
        for i, v in enumerate(res.hs[t]):                  # h_t as H coloured squares
            ax.add_patch(Rectangle((x - 0.15 * H + 0.3 * i, 1.0), 0.28, 0.28,
                                   fc=cmap(0.5 + v / 2), ec="0.3", lw=0.5))
        ax.text(x, 1.35, f"$h_{t}$", ha="center", va="bottom", fontsize=10)
        right = x0 + gap * (t + 1) - 0.5 if t < T - 1 else x + 1.3
        _arrow(ax, (x + 0.5, 0.12), (right, 0.12))
        _arrow(ax, (right, -0.15), (x + 0.5, -0.15), "C3", 1.0, "--")
        ax.text((x + 0.5 + right) / 2, -0.25, f"{res.dh_norms[t]:.3g}", color="C3", fontsize=8,
                ha="center", va="top")
    xl = x0 + gap * (T - 1) + 1.6
    ax.text(xl, 0, "L", fontsize=12, ha="center", va="center",
            bbox=dict(boxstyle="circle", fc="#fde0dd", ec="C3"))
    ax.text((x0 + xl) / 2, 2.0, f"(b) unrolled over T = {T} steps; red: BPTT, labelled ||dL/dh_t||",
            ha="center", fontsize=10)
    ax.set(xlim=(-0.9, xl + 0.5), ylim=(-1.7, 2.3))
    ax.set_aspect("equal")
    return fig


def rnn_gradient_flow(res, fig=None):
    """||dh_T/dh_(T-k)|| against k (log scale), one line per spectral radius of Wh."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    k = np.arange(res.norms.shape[1])
    for i, (r, row) in enumerate(zip(res.radii, res.norms)):
        ax.semilogy(k, row, color=f"C{i}", label=f"radius {r:g}")
    ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
    ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||",
           title=f"tanh RNN (H = {res.H}): gradient against the time lag")
    _plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
    return fig


def rnn_gradient_lag(res, fig=None):
    """One radius's ||dh_T/dh_(T-k)|| (blue) over the lesson's radii (grey), the lag k marked.

    Drawn once; later calls with the same figure only move the line, the marker and the title.
    """
    T = len(res.norms)
    k = np.arange(T)

    def build(fig):
        ax = fig.add_subplot()
        for r, row in zip(res.reference.radii, res.reference.norms):
            ax.semilogy(k, np.maximum(row, 1e-300), color="0.8", lw=1)
            ax.text(T - 1, min(max(row[-1], 2e-30), 3e9), f" {r:g}", color="0.55", fontsize=8, va="center")
        (line,) = ax.semilogy(k, np.ones(T), color="C0", lw=2)
        (dot,) = ax.plot([0], [1], "o", color="C3", ms=7)
        vline = ax.axvline(0, color="C3", lw=0.8, ls=":")
        ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||", xlim=(0, T + 3), ylim=(1e-30, 1e10))
        _plain_log_ticks(ax.yaxis, n=6)
        ax.grid(alpha=0.3)
        _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
        return dict(line=line, dot=dot, vline=vline)

    fig, parts = cached_artists(fig, "rnn_gradient_lag", build, figsize=(6.5, 3.6))
    parts["line"].set_data(k, np.maximum(res.norms, 1e-300))
    value = max(res.norms[res.lag], 1e-300)
    parts["dot"].set_data([res.lag], [value])
    parts["vline"].set_xdata([res.lag, res.lag])
    parts["line"].axes.set_title(f"spectral radius {res.radius:.2f} (grey: radii of the table): "
                                 f"k = {res.lag} gives {res.norms[res.lag]:.1e}", fontsize=10)
    return fig


def esn_forecast(run, fig=None):
    """The end of the training stretch (grey), then the truth (black) and the ESN's
    closed-loop output (red); the dotted line marks where it leaves the 0.2-std band.

    Drawn once; later calls with the same figure only move the lines and the title.
    """
    n_show, n_gen = len(run.history), len(run.generated)

    def build(fig):
        ax = fig.add_subplot()
        ax.plot(np.arange(-n_show, 0), run.history, color="0.6", lw=1, label="training data (end)")
        (truth,) = ax.plot(np.arange(n_gen), run.truth, color="k", lw=1, label="truth")
        (gen,) = ax.plot(np.arange(n_gen), run.generated, color="C3", lw=1.3, label="ESN, closed loop")
        vline = ax.axvline(0, color="C3", ls=":", lw=1)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.set(xlabel="time step (0 = end of training)", ylabel="x(t)", xlim=(-n_show, n_gen), ylim=(0.2, 1.6),
               yticks=[0.4, 0.8, 1.2], xticks=[-200, 0, 200, 400])
        ax.legend(fontsize=8, loc="upper left", ncol=3)
        _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.89)
        return dict(gen=gen, truth=truth, vline=vline)

    fig, parts = cached_artists(fig, "esn_forecast", build, figsize=(9, 3.3))
    parts["gen"].set_ydata(np.clip(run.generated, -1.0, 3.0))
    parts["vline"].set_xdata([run.valid, run.valid])
    parts["gen"].axes.set_title(f"Mackey-Glass, ESN radius {run.radius:.2f}, leak {run.leak:.1f}, "
                                f"reservoir {run.seed}: {run.valid} good closed-loop steps", fontsize=10)
    return fig


def esn_sweep(sweep, fig=None):
    """Closed-loop good steps against the spectral radius: one colour per leak, a dot per reservoir,
    the line through the medians."""
    fig = _figure(fig, (6, 3.5))
    ax = fig.add_subplot()
    r = np.array(sweep.radii)
    for i, leak in enumerate(sweep.leaks):
        v = sweep.valid(leak)
        for j in range(v.shape[1]):
            ax.plot(r + 0.01 * (i - 0.5), v[:, j], ".", color=f"C{i}", alpha=0.5)
        ax.plot(r, np.median(v, axis=1), "o-", color=f"C{i}", label=f"leak {leak:g}")
    ax.set(xlabel="spectral radius of the reservoir", ylabel="good closed-loop steps",
           title="ESN on Mackey-Glass: dots are reservoirs, lines their median")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.15, top=0.9)
    return fig


def rnn_variant_flow(res, fig=None):
    """||dh_T/dh_(T-k)|| against k for the plain, leaky and skip RNNs of :func:`variant_flow`.

    Drawn once; later calls with the same figure only move the lines and relabel them.
    """
    T = res.norms.shape[1]
    k = np.arange(T)

    def build(fig):
        ax = fig.add_subplot()
        lines = [ax.semilogy(k, np.ones(T), color=c, lw=1.8)[0] for c in ("0.4", "C2", "C4")]
        ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||", xlim=(0, T - 1), ylim=(1e-12, 10),
               title=f"same Wh (spectral radius {res.radius:g}): plain, leaky, skip")
        _plain_log_ticks(ax.yaxis, n=6)
        ax.grid(alpha=0.3)
        legend = ax.legend(lines, res.names, fontsize=8, loc="lower left")
        _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
        return dict(lines=lines, legend=legend)

    fig, parts = cached_artists(fig, "rnn_variant_flow", build, figsize=(6.5, 3.6))
    for line, row, name, text in zip(parts["lines"], res.norms, res.names, parts["legend"].get_texts()):
        line.set_ydata(np.maximum(row, 1e-300))
        text.set_text(name)
    return fig


def bidirectional_accuracy(view, fig=None):
    """Left: test accuracy against the lag, unidirectional and bidirectional, the selected lag
    marked. Right: one test sequence at that lag: the true label and both taggers' P(X ahead)."""
    from dlcourse.datasets import FUTURE_SYMBOLS

    sweep = view.sweep

    def build(fig):
        left = fig.add_axes((0.07, 0.15, 0.36, 0.72))
        lags, acc = np.array(sweep.lags), 100 * sweep.accuracy
        left.plot(lags, acc[:, 0], "o-", color="C1", label="unidirectional")
        left.plot(lags, acc[:, 1], "o-", color="C0", label="bidirectional")
        left.axhline(50, color="0.6", ls=":", lw=1)
        vline = left.axvline(0, color="C3", lw=1)
        left.set(xlabel="lag (how far ahead the X is)", ylabel="test accuracy (%)", ylim=(40, 102),
                 title=f"H = {sweep.H} units in all, T = {sweep.T}", yticks=[50, 75, 100],
                 xticks=list(sweep.lags)[::2])
        left.legend(fontsize=8, loc="lower left")
        left.grid(alpha=0.3)
        right = fig.add_axes((0.53, 0.22, 0.45, 0.56))
        im = right.imshow(np.zeros((3, sweep.T)), cmap=_pm1_cmap(), vmin=0, vmax=1, aspect="auto")
        right.set_yticks([0, 1, 2], ["label", "unidir.", "bidir."])
        right.set_xticks(np.arange(sweep.T))
        return dict(im=im, vline=vline, right=right)

    fig, parts = cached_artists(fig, "bidirectional_accuracy", build, figsize=(10, 3.4))
    sym, lab, p_uni, p_bi = sweep.examples[view.lag]
    rows = np.vstack([np.where(lab < 0, np.nan, lab), p_uni, p_bi])
    parts["im"].set_data(rows)
    parts["right"].set_xticklabels([FUTURE_SYMBOLS[s] for s in sym])
    parts["vline"].set_xdata([view.lag, view.lag])
    i = sweep.lags.index(view.lag)
    parts["right"].set_title(f"a test sequence, lag {view.lag}: P(X ahead), blue 1, orange 0\n"
                             f"accuracy: unidirectional {100 * sweep.accuracy[i, 0]:.0f}%, "
                             f"bidirectional {100 * sweep.accuracy[i, 1]:.0f}%", fontsize=10)
    return fig


def _tree_layout(batch):
    """x (in-order position) and y (-depth from the root) of every node of a one-tree batch."""
    n = len(batch)
    x, y, counter = np.zeros(n), np.zeros(n), [0]

    def visit(i, level):
        if batch.left[i] >= 0:
            visit(batch.left[i], level + 1)
        x[i], y[i] = counter[0], -level
        counter[0] += 1
        if batch.right[i] >= 0:
            visit(batch.right[i], level + 1)

    visit(batch.roots[0], 0)
    return x, y


def tree_net(res, fig=None):
    """Left: the example test tree, each node coloured by the TreeNet's P(True) (blue T, orange F),
    wrong nodes ringed in black. Right: root accuracy against tree depth, and the majority baseline."""
    from dlcourse import recursive

    fig = _figure(fig, (11, 3.8))
    ax = fig.add_axes((0.01, 0.03, 0.6, 0.85))
    batch = recursive.encode_trees([res.example])
    x, y = _tree_layout(batch)
    for i in np.flatnonzero(batch.inner):
        for j in (batch.left[i], batch.right[i]):
            ax.plot([x[i], x[j]], [y[i], y[j]], color="0.6", lw=1, zorder=1)
    cmap = _pm1_cmap()
    for i in range(len(batch)):                            # leaves show their value; inner nodes the prediction
        p = res.example_probs[i] if batch.inner[i] else float(batch.token[i])
        wrong = batch.inner[i] and (p > 0.5) != bool(batch.value[i])
        text = recursive.OPS[batch.token[i]] if batch.inner[i] else "TF"[1 - batch.token[i]]
        ax.text(x[i], y[i], text, ha="center", va="center", fontsize=8, zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", fc=cmap(0.15 + 0.7 * p) if not batch.inner[i] else cmap(p),
                          ec="k" if wrong else "0.5", lw=2.0 if wrong else 0.6))
    ax.set(xlim=(x.min() - 0.7, x.max() + 0.7), ylim=(y.min() - 0.5, 0.5))
    ax.set_axis_off()
    ax.set_title(f"a test tree of depth {recursive.depth(res.example)}: operators coloured by the net's "
                 f"P(True), blue T, orange F\n(a black ring would mark a wrong node)", fontsize=10)
    right = fig.add_axes((0.68, 0.15, 0.3, 0.72))
    d = np.array(res.depths)
    right.axvspan(d.min() - 0.5, res.train_depth + 0.5, color="0.92")
    right.bar(d, 100 * res.accuracy, color="C0", width=0.6, label="TreeNet")
    right.plot(d, 100 * res.majority, "_", color="k", ms=18, mew=2, label="majority")
    right.set(xlabel="tree depth (shaded: trained on)", ylabel="root accuracy (%)", ylim=(0, 105),
              title="accuracy on fresh trees", xticks=d)
    right.legend(fontsize=8, loc="lower left")
    return fig
