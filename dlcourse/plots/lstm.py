"""Figures of chapter 14 (lesson ``notebooks/14_lstm``): the RNN/LSTM/GRU race at one lag (the lag
widget's figure), the lag sweep, gates over time, gate biases, peepholes, the GRU on MNIST-1D.

See :mod:`dlcourse.experiments.lstm` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure, cached_artists

__all__ = [
    "lag_race", "lag_sweep", "gate_heatmaps", "gate_bias_curves", "peephole_curves",
    "mnist1d_gru_curves",
]


_KIND_COLORS = {"rnn": "C3", "lstm": "C0", "gru": "C2", "peephole": "C4"}
_KIND_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU", "peephole": "LSTM + peephole"}


def lag_race(res, fig=None):
    """Test accuracy against training steps for the RNN, the LSTM and the GRU at one lag
    (:class:`experiments.lstm.LagRace`), and their final accuracies as bars.

    Redrawing into a figure this function drew before only updates the artists (the widget's speed)."""
    kinds = tuple(res.curves)
    fig, parts = cached_artists(fig, "lag_race", lambda fig: _lag_race_axes(fig, kinds), figsize=(9, 3.4),
                                key=kinds)
    for k, acc in res.curves.items():
        parts[k].set_data(res.checkpoints, acc)
        parts[f"bar_{k}"].set_height(acc[-1])
        parts[f"text_{k}"].set_text(f"{acc[-1]:.0%}")
        parts[f"text_{k}"].set_y(acc[-1] + 0.02)
    parts["ax_curves"].set_xlim(0, res.checkpoints[-1])
    parts["ax_curves"].set_title(f"recall after lag = {res.lag} distractors: test accuracy while training",
                                 y=1.01)
    return fig


def _lag_race_axes(fig, kinds):
    """The empty axes and artists of :func:`lag_race` for these model kinds, on the clean
    figure ``fig``. Few ticks and texts: text is most of a redraw's cost."""
    gs = fig.add_gridspec(1, 2, width_ratios=(2.6, 1))
    ax, ax_bar = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
    parts = {"ax_curves": ax}
    for j, k in enumerate(kinds):
        (parts[k],) = ax.plot([], [], "o-", ms=3, color=_KIND_COLORS[k], label=_KIND_NAMES[k])
        parts[f"bar_{k}"] = ax_bar.bar(j, 0.0, color=_KIND_COLORS[k], width=0.6)[0]
        parts[f"text_{k}"] = ax_bar.text(j, 0.0, "", ha="center", fontsize=9)
    for a in (ax, ax_bar):
        a.axhline(0.25, color="0.5", ls=":", lw=1)
        a.set_ylim(0, 1.08)
        a.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xticks([0, 50, 100, 150, 200])
    ax.set(xlabel="training step (batches of 32); dotted: chance", ylabel="test accuracy")
    ax.legend(loc="center right", fontsize=8, frameon=False)
    ax_bar.set_xticks(range(len(kinds)), [_KIND_NAMES[k] for k in kinds])
    ax_bar.tick_params(labelleft=False)
    ax_bar.set_title("final accuracy", y=1.01)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.12)
    return parts


def lag_sweep(res, fig=None):
    """Final test accuracy against the lag, one line per model (:class:`experiments.lstm.LagSweep`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {"rnn": dict(marker="o", lw=2), "lstm": dict(marker="s", ms=10, mfc="none", lw=4, alpha=0.6),
              "gru": dict(marker="^", lw=1.5)}            # LSTM drawn wide: it often lies under the GRU
    for k, acc in res.accuracy.items():
        ax.plot(res.lags, acc, color=_KIND_COLORS[k], label=_KIND_NAMES[k], **styles[k])
    ax.axhline(0.25, color="0.5", ls=":", lw=1, label="chance")
    ax.set(xlabel="lag (distractor steps between the symbol and the answer)", ylabel="test accuracy",
           ylim=(0, 1.05), xticks=res.lags, title="who remembers the first symbol?")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def gate_heatmaps(trace, fig=None):
    """Gates over time on one sequence (:class:`experiments.lstm.GateTrace`): LSTM f, i, o and
    GRU z, r as heatmaps (one row per hidden unit, one column per step), and the memory
    unit's cell c_t averaged per symbol over the test set."""
    fig = _figure(fig, (11, 5.4))
    panels = [("LSTM forget gate f", trace.lstm["f"]), ("LSTM input gate i", trace.lstm["i"]),
              ("LSTM output gate o", trace.lstm["o"]), ("GRU update gate z (keep)", trace.gru["z"]),
              ("GRU reset gate r", trace.gru["r"])]
    for k, (title, values) in enumerate(panels):
        ax = fig.add_subplot(2, 3, k + 1)
        im = ax.imshow(values.T, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("time step t (t = 0: the symbol)", fontsize=8)
        ax.set_ylabel("hidden unit", fontsize=8)
        fig.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    ax = fig.add_subplot(2, 3, 6)
    t = np.arange(trace.class_cells.shape[1])
    for k, row in enumerate(trace.class_cells):
        ax.plot(t, row, color=f"C{k}", label=f"symbol {k}")
        ax.fill_between(t, row - trace.class_spread, row + trace.class_spread, color=f"C{k}", alpha=0.2)
    ax.set_title(f"LSTM unit {trace.memory_unit}: c_t per symbol (test set)", fontsize=10)
    ax.set_xlabel("time step t", fontsize=8)
    ax.set_ylabel("c_t, mean ± std per symbol", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(f"lag {trace.lag}, one test sequence: symbol {trace.label} at t = 0 "
                 f"(LSTM says {trace.predicted['lstm']}, GRU says {trace.predicted['gru']})", fontsize=11)
    fig.tight_layout()
    return fig


def _accuracy_curves(ax, checkpoints, curves, styles):
    for key, acc in curves.items():
        label, color, ls = styles[key]
        ax.plot(checkpoints, acc, ls, ms=3, color=color, label=label)
    ax.axhline(0.25, color="0.5", ls=":", lw=1)
    ax.set(xlabel="training step", ylabel="test accuracy", ylim=(0, 1.05))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")


def gate_bias_curves(res, fig=None):
    """Test accuracy while training with each starting gate bias (:class:`experiments.lstm.GateBiasEffect`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {(k, b): (f"{_KIND_NAMES[k]}, {'b_f' if k == 'lstm' else 'b_z'} = {b:g}", _KIND_COLORS[k],
                       "o-" if b == max(bs) else "x--")
              for k, bs in res.biases.items() for b in bs}
    _accuracy_curves(ax, res.checkpoints, res.curves, styles)
    ax.set_title(f"lag {res.lag}: the starting bias of the keep gate")
    fig.tight_layout()
    return fig


def peephole_curves(res, fig=None):
    """Test accuracy while training, LSTM with and without peepholes, one line style per seed
    (:class:`experiments.lstm.PeepholeComparison`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    marks = ["o-", "s--", "^:"]
    styles = {(k, seed): (f"{_KIND_NAMES[k]}, seed {seed}", _KIND_COLORS[k], marks[j % 3])
              for k in ("lstm", "peephole") for j, seed in enumerate(res.seeds)}
    _accuracy_curves(ax, res.checkpoints, res.curves, styles)
    ax.legend(fontsize=7, loc="lower right", ncol=2)
    ax.set_title(f"lag {res.lag}: LSTM with and without peepholes")
    fig.tight_layout()
    return fig


def mnist1d_gru_curves(run, fig=None, paper=0.91):
    """Train and test accuracy of the bidirectional GRU on MNIST-1D (:class:`experiments.lstm.Mnist1dRun`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    ax.plot(run.steps, run.train_acc, "o--", ms=3, color="C2", label="train")
    ax.plot(run.steps, run.test_acc, "o-", ms=3, color="C1", label="test")
    ax.axhline(paper, color="k", ls=":", lw=1, label=f"paper, 6000 steps ({paper:.0%})")
    ax.axhline(0.1, color="0.5", ls=":", lw=1)
    ax.set(xlabel="training step (batch of 100)", ylabel="accuracy", ylim=(0, 1.02),
           title=f"bidirectional GRU, H = {run.hidden}, on MNIST-1D")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
