"""Chapter 14 experiments: LSTM and GRU against a plain RNN.

Seeds: 004 (the RNN's gradient fades over long spans; the constant error
carousel, CEC, keeps it at 1; input, output and forget gates; peephole
connections; the GRU, its forward code, and its claim of fewer parameters at
the same accuracy), 003 §9.5 (the LSTM unit: gates let information through
selectively).

- A long-lag memory task (:func:`dlcourse.datasets.memory_task`): the first
  symbol of a sequence must be recalled after ``lag`` distractor symbols. A
  plain RNN, an LSTM and a GRU are trained on it for the same number of
  steps (:func:`lag_race`, :func:`lag_sweep`, the slider demo's grid :data:`LAGS`).
- What the gates do on one sequence (:func:`gate_activations`), how long the
  memory lasts at the start of training (:func:`cec_decay`,
  :func:`gate_bias_effect`), peepholes (:func:`peephole_comparison`),
  parameter counts (:func:`param_counts`).
- A bidirectional GRU on MNIST-1D (:func:`mnist1d_gru_run`, which trains
  :func:`dlcourse.rnn.mnist1d_gru`).

The models (:class:`dlcourse.rnn.SequenceClassifier`, the GRU) live in
:mod:`dlcourse.rnn`; training runs with one BLAS thread.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from dlcourse import functions as F
from dlcourse import optim, rnn
from dlcourse import models
from dlcourse.datasets import memory_task
from dlcourse.rnn import SequenceClassifier, mnist1d_gru
from dlcourse.experiments._cache import cached

__all__ = [
    "KINDS", "LAGS", "MEMORY", "train_memory",
    "LagRace", "lag_race", "LagSweep", "lag_sweep", "warm_lags",
    "GateTrace", "gate_activations", "CecDecay", "cec_decay", "GateBiasEffect", "gate_bias_effect",
    "PeepholeComparison", "peephole_comparison", "ParamCounts", "param_counts",
    "Mnist1dRun", "mnist1d_gru_run",
]

KINDS = ("rnn", "lstm", "gru")
"""The three recurrent layers compared, in the chapter's order."""

LAGS = (5, 10, 20, 40, 60)
"""The lags of the lesson's sweep and of the slider demo."""

MEMORY = {"n_symbols": 4, "n_distractors": 8, "hidden": 16, "batch": 32, "steps": 200,
          "lr": 0.01, "clip": 1.0, "gate_bias": 3.0, "n_test": 300, "eval_every": 25}
"""Settings of every memory-task run: 4 symbols to remember among 8 distractor symbols, H = 16,
Adam lr 0.01 on fresh batches of 32 for 200 steps, gradients clipped at norm 1, the LSTM's forget
gate and the GRU's update gate start with bias 3 (see :func:`cec_decay`); the test set has 300
sequences and is scored every 25 steps."""

_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU", "peephole": "LSTM + peephole"}




def _accuracy(scores, t):
    return float(np.mean(np.argmax(scores, axis=1) == t))


def _test_set(lag, seed, n_test):
    C, K = MEMORY["n_symbols"], MEMORY["n_distractors"]
    return memory_task(lag, n_test, np.random.default_rng([seed, lag, 7]), C, K)


@cached(None)
def train_memory(kind, lag, seed=0, gate_bias=MEMORY["gate_bias"], peephole=False, steps=MEMORY["steps"]):
    """Train one ``SequenceClassifier`` on the memory task (cached by its arguments).

    Every kind sees the same batches for the same ``seed`` and ``lag``.

    Returns
    -------
    model : SequenceClassifier
    checkpoints : ndarray of int, shape (K,)
        Training steps at which the test set was scored (0, 25, ..., steps).
    test_acc : ndarray, shape (K,)
    """
    m = MEMORY
    C, K, H = m["n_symbols"], m["n_distractors"], m["hidden"]
    model = SequenceClassifier(kind, C + K, H, C, rng=np.random.default_rng([seed, 1]),
                               gate_bias=gate_bias, peephole=peephole)
    batches = np.random.default_rng([seed, lag, 2])          # fresh sequences at every step
    x_test, t_test = _test_set(lag, seed, m["n_test"])
    history = models.train_steps(
        model, optim.Adam(m["lr"]), lambda step: memory_task(lag, m["batch"], batches, C, K), int(steps),
        clip=m["clip"], eval_every=m["eval_every"], eval_first=True,
        evaluate=lambda model: {"test_acc": _accuracy(model.predict(x_test), t_test)})
    return model, np.array(history["eval_step"]), np.array(history["test_acc"])


def _params(model):
    return int(sum(p.size for p in model.rnn.params))


def _first_reach(checkpoints, acc, level=0.95):
    hit = np.nonzero(acc >= level)[0]
    return int(checkpoints[hit[0]]) if len(hit) else None


@dataclass(frozen=True)
class LagRace:
    """RNN, LSTM and GRU trained on the memory task with one lag."""

    lag: int
    checkpoints: np.ndarray     # (K,) training steps
    curves: dict                # kind -> (K,) test accuracy
    n_params: dict              # kind -> parameters of the recurrent layer

    @property
    def final(self):
        """kind -> test accuracy after the last step."""
        return {k: float(a[-1]) for k, a in self.curves.items()}

    def __str__(self):
        m = MEMORY
        rows = [f"memory task: recall 1 of {m['n_symbols']} symbols after lag = {self.lag} distractors "
                f"(chance {1 / m['n_symbols']:.0%})",
                f"H = {m['hidden']}, Adam lr {m['lr']:g}, {self.checkpoints[-1]} steps of {m['batch']} "
                f"fresh sequences, {m['n_test']} test sequences",
                f"{'model':<6}  {'parameters':>10}  {'test accuracy':>13}  {'reaches 95% at step':>19}"]
        for k, acc in self.curves.items():
            step = _first_reach(self.checkpoints, acc)
            rows.append(f"{_NAMES[k]:<6}  {self.n_params[k]:10d}  {acc[-1]:13.1%}  "
                        f"{'never' if step is None else step:>19}")
        return "\n".join(rows)


def lag_race(lag=40, seed=0):
    """Train an RNN, an LSTM and a GRU on the memory task with ``lag`` (cached per lag).

    A run of all three takes about 1 s at lag 10 and 4-5 s at lag 60.

    Returns
    -------
    LagRace
    """
    runs = {k: train_memory(k, int(lag), seed) for k in KINDS}
    checkpoints = runs["rnn"][1]
    return LagRace(int(lag), checkpoints, {k: r[2] for k, r in runs.items()},
                   {k: _params(r[0]) for k, r in runs.items()})


@dataclass(frozen=True)
class LagSweep:
    """Final test accuracy of each kind at each lag."""

    lags: list
    accuracy: dict              # kind -> (len(lags),)

    def __str__(self):
        rows = [f"test accuracy after {MEMORY['steps']} training steps (chance {1 / MEMORY['n_symbols']:.0%})",
                f"{'lag':>4}  " + "  ".join(f"{_NAMES[k]:>6}" for k in self.accuracy)]
        for j, lag in enumerate(self.lags):
            rows.append(f"{lag:4d}  " + "  ".join(f"{self.accuracy[k][j]:6.1%}" for k in self.accuracy))
        return "\n".join(rows)


def lag_sweep(lags=LAGS, seed=0):
    """:func:`lag_race` at every lag (each one cached, shared with the slider demo).

    Returns
    -------
    LagSweep
    """
    races = [lag_race(lag, seed) for lag in lags]
    return LagSweep([int(l) for l in lags], {k: np.array([r.final[k] for r in races]) for k in KINDS})


_WARM_LOCK = threading.Lock()


def warm_lags(lags=LAGS, seed=0, stop=None):
    """Train every lag of the slider grid not yet cached (the demo runs this in a thread).

    ``stop`` (a ``threading.Event``) ends the loop early. Returns the number of lags done.
    """
    done = 0
    with _WARM_LOCK:
        for lag in lags:
            if stop is not None and stop.is_set():
                break
            lag_race(lag, seed)
            done += 1
    return done


# --- what the gates do ---------------------------------------------------------------------

@dataclass(frozen=True)
class GateTrace:
    """Gate activations of the trained LSTM and GRU on one test sequence, and the memory they keep."""

    lag: int
    symbols: np.ndarray         # (T,) input ids of the example: the symbol at t = 0, then distractors
    label: int
    predicted: dict             # "lstm"/"gru" -> predicted class of the example
    lstm: dict                  # "f", "g", "i", "o", "c" -> (T, H), the example
    gru: dict                   # "z", "r", "candidate" -> (T, H), the example
    memory_unit: int            # the LSTM unit whose final c best separates the symbols
    class_cells: np.ndarray     # (C, T): that unit's c_t averaged over the test sequences of each symbol
    class_spread: np.ndarray    # (T,): its standard deviation within a symbol, averaged over symbols

    def __str__(self):
        f, i, o = (self.lstm[k] for k in ("f", "i", "o"))
        z, r = self.gru["z"], self.gru["r"]
        u, T = self.memory_unit, len(self.symbols)
        cols = sorted({0, 1, T // 4, T // 2, T - 1})
        rows = [f"one test sequence, lag {self.lag}: symbol {self.label} at t = 0, then distractors "
                f"{' '.join(map(str, self.symbols[1:6]))} ...; "
                f"predicted: LSTM {self.predicted['lstm']}, GRU {self.predicted['gru']}",
                f"{'gate, mean over the 16 units':<30}  {'t = 0':>6}  {'t >= 1':>6}"]
        for name, g in (("LSTM forget f", f), ("LSTM input i", i), ("LSTM output o", o),
                        ("GRU update z (keep)", z), ("GRU reset r", r)):
            rows.append(f"{name:<30}  {g[0].mean():6.3f}  {g[1:].mean():6.3f}")
        rows += [f"LSTM unit {u}: its forget gates on this sequence multiply to "
                 f"{np.prod(f[1:, u]):.3f} over the {self.lag} distractor steps",
                 f"its memory c_t, mean over the test sequences of each symbol:",
                 f"{'symbol':>18}" + "".join(f"{f't = {t}':>9}" for t in cols)]
        for k, row in enumerate(self.class_cells):
            rows.append(f"{k:>18}" + "".join(f"{row[t]:9.3f}" for t in cols))
        rows.append(f"{'spread in a symbol':>18}" + "".join(f"{self.class_spread[t]:9.3f}" for t in cols))
        return "\n".join(rows)


def _lstm_cells(gates):
    """Memory cells c (..., T, H) from gates (..., T, H): c_t = f_t c_{t-1} + g_t i_t, c_{-1} = 0."""
    f, g, i = gates["f"], gates["g"], gates["i"]
    c = np.zeros_like(f)
    prev = np.zeros(f[..., 0, :].shape)
    for t in range(f.shape[-2]):
        prev = c[..., t, :] = f[..., t, :] * prev + g[..., t, :] * i[..., t, :]
    return c


def gate_activations(lag=40, example=0, seed=0):
    """Gates of the LSTM and GRU of :func:`lag_race` on test sequence ``example``, and the LSTM's memory.

    The memory unit is the LSTM unit whose final cell value best separates
    the four symbols over the whole test set (largest ratio of the spread
    between the symbols' means to the spread within a symbol).

    Returns
    -------
    GateTrace
    """
    x_test, t_test = _test_set(lag, seed, MEMORY["n_test"])
    lstm, gru = (train_memory(kind, int(lag), seed)[0] for kind in ("lstm", "gru"))
    lstm.predict(x_test)
    cells = _lstm_cells(lstm.rnn.gates)                                # (N, T, H)
    C = MEMORY["n_symbols"]
    means = np.array([cells[t_test == k].mean(axis=0) for k in range(C)])          # (C, T, H)
    within = np.mean([cells[t_test == k].std(axis=0) for k in range(C)], axis=0)   # (T, H)
    unit = int(np.argmax(means[:, -1].std(axis=0) / (within[-1] + 1e-12)))
    xs = x_test[example:example + 1]                                   # (1, T, D)
    pred = {}
    for kind, model in (("lstm", lstm), ("gru", gru)):
        pred[kind] = int(np.argmax(model.predict(xs)))
    one_lstm = {k: v[0] for k, v in lstm.rnn.gates.items()}           # name -> (T, H)
    one_lstm["c"] = _lstm_cells(one_lstm)
    one_gru = {k: v[0] for k, v in gru.rnn.gates.items()}
    return GateTrace(int(lag), np.argmax(xs[0], axis=1), int(t_test[example]), pred, one_lstm, one_gru,
                     unit, means[:, :, unit], within[:, unit])


# --- the constant error carousel and the gate's starting bias -----------------------------------

@dataclass(frozen=True)
class CecDecay:
    """σ(b)^lag: the share of a memory (and of its gradient) left after ``lag`` steps of forget gate σ(b)."""

    biases: list
    lags: list
    table: np.ndarray           # (len(biases), len(lags))

    def __str__(self):
        rows = [f"{'bias b':>6}  {'f = σ(b)':>8}  " + "  ".join(f"{f'lag {l}':>9}" for l in self.lags)]
        for k, b in enumerate(self.biases):
            rows.append(f"{b:6g}  {F.sigmoid(b):8.4f}  " + "  ".join(f"{v:9.2e}" for v in self.table[k]))
        return "\n".join(rows)


def cec_decay(biases=(0.0, 1.0, 3.0, 5.0), lags=(10, 20, 40, 60)):
    """How much of c (and of dc) survives ``lag`` steps when the forget gate sits at σ(b).

    With input and output gates aside, ``c_t = f ⊙ c_{t-1}`` and ``dc_{t-1} = f ⊙ dc_t``:
    after ``lag`` steps both are scaled by ``f^lag``. The CEC of seed 004 is ``f = 1``.

    Returns
    -------
    CecDecay
    """
    f = F.sigmoid(np.asarray(biases, dtype=float))[:, None]            # (B, 1)
    return CecDecay([float(b) for b in biases], [int(l) for l in lags],
                    f ** np.asarray(lags, dtype=float)[None, :])


@dataclass(frozen=True)
class GateBiasEffect:
    """The LSTM and GRU trained with the library's starting gate biases and with a larger one."""

    lag: int
    biases: dict                # kind -> (default bias, raised bias)
    checkpoints: np.ndarray
    curves: dict                # (kind, bias) -> (K,) test accuracy

    def __str__(self):
        rows = [f"memory task, lag {self.lag}: starting bias of the gate that keeps the old state",
                f"{'model':<6}  {'gate':<12}  {'bias':>4}  {'kept per step':>13}  {'test accuracy':>13}"]
        for (kind, b), acc in self.curves.items():
            gate = "forget f" if kind == "lstm" else "update z"
            rows.append(f"{_NAMES[kind]:<6}  {gate:<12}  {b:4g}  {F.sigmoid(b):13.3f}  {acc[-1]:13.1%}")
        return "\n".join(rows)


def gate_bias_effect(lag=40, seed=0):
    """Train the LSTM (forget bias 1 vs 3) and the GRU (update bias 0 vs 3) at ``lag``.

    Returns
    -------
    GateBiasEffect
    """
    biases = {"lstm": (1.0, MEMORY["gate_bias"]), "gru": (0.0, MEMORY["gate_bias"])}
    curves = {}
    for kind, bs in biases.items():
        for b in bs:
            _, checkpoints, acc = train_memory(kind, int(lag), seed, gate_bias=b)
            curves[(kind, b)] = acc
    return GateBiasEffect(int(lag), biases, checkpoints, curves)


# --- peepholes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeepholeComparison:
    """LSTMs with and without peephole connections on the memory task, from several seeds."""

    lag: int
    seeds: list
    zero_peephole_diff: float   # max |h| difference between a plain LSTM and one with P = 0
    n_params: dict              # "lstm"/"peephole" -> parameters of the recurrent layer
    checkpoints: np.ndarray
    curves: dict                # ("lstm" or "peephole", seed) -> (K,) test accuracy

    def __str__(self):
        rows = [f"peepholes P (3, H): f and i also see c_(t-1), o sees c_t; {self.n_params['peephole']} "
                f"parameters instead of {self.n_params['lstm']}",
                f"with P = 0 the cell is the plain LSTM: max |h difference| {self.zero_peephole_diff:.1e}",
                f"memory task, lag {self.lag}: test accuracy after {self.checkpoints[-1]} steps "
                f"(step where it first reached 95%)",
                f"{'seed':>4}  {'LSTM':>15}  {'LSTM + peephole':>15}"]
        for seed in self.seeds:
            cells = []
            for kind in ("lstm", "peephole"):
                acc = self.curves[(kind, seed)]
                step = _first_reach(self.checkpoints, acc)
                cells.append(f"{acc[-1]:6.1%} ({'never' if step is None else step:>5})")
            rows.append(f"{seed:4d}  {cells[0]:>15}  {cells[1]:>15}")
        return "\n".join(rows)


def peephole_comparison(lag=40, seeds=(0, 1, 2)):
    """Train LSTMs with peepholes (starting at P = 0) and without, from the same starts and batches.

    Seed 0's plain LSTM is the one of :func:`lag_race`. Peepholes start at 0,
    so both cells compute the same function at step 0; they part as P learns.

    Returns
    -------
    PeepholeComparison
    """
    rng = np.random.default_rng(0)
    D, H, N, T = 5, 4, 3, 6
    Wx, Wh, b = rnn.init_recurrent("lstm", D, H, rng)
    xs = rng.standard_normal((N, T, D))
    plain = rnn.TimeLSTM(Wx, Wh, b).forward(xs)
    peep = rnn.TimeLSTM(Wx, Wh, b, peephole=np.zeros((3, H))).forward(xs)
    runs = {(kind, int(seed)): train_memory("lstm", int(lag), int(seed), peephole=(kind == "peephole"))
            for seed in seeds for kind in ("lstm", "peephole")}
    first = next(iter(runs.values()))
    n_params = {kind: _params(runs[(kind, int(seeds[0]))][0]) for kind in ("lstm", "peephole")}
    return PeepholeComparison(int(lag), [int(s) for s in seeds], float(np.max(np.abs(plain - peep))),
                              n_params, first[1], {k: r[2] for k, r in runs.items()})


# --- parameter counts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ParamCounts:
    """Parameters of one recurrent layer for a few (D, H)."""

    sizes: list                 # [(D, H), ...]
    counts: dict                # kind -> (len(sizes),) int

    def __str__(self):
        kinds = list(self.counts)
        rows = [f"{'D':>5} {'H':>5}  " + "  ".join(f"{_NAMES[k]:>15}" for k in kinds) + f"  {'GRU / LSTM':>10}"]
        for j, (D, H) in enumerate(self.sizes):
            rows.append(f"{D:5d} {H:5d}  " + "  ".join(f"{self.counts[k][j]:15,d}" for k in kinds)
                        + f"  {self.counts['gru'][j] / self.counts['lstm'][j]:10.4f}")
        return "\n".join(rows)


def param_counts(sizes=((1, 6), (12, 16), (128, 128), (256, 512))):
    """Count the entries of Wx, Wh, b (and P) of each layer, built by ``rnn.init_recurrent``.

    RNN: ``DH + H² + H``; LSTM four times that (f, g, i, o); GRU three times
    (z, r, candidate), so exactly 3/4 of the LSTM; peepholes add ``3H``.

    Returns
    -------
    ParamCounts
    """
    counts = {k: [] for k in ("rnn", "lstm", "peephole", "gru")}
    for D, H in sizes:
        for kind in ("rnn", "lstm", "gru"):
            n = sum(p.size for p in rnn.init_recurrent(kind, D, H, rng=0))
            counts[kind].append(n)
        counts["peephole"].append(counts["lstm"][-1] + 3 * H)
    return ParamCounts([(int(D), int(H)) for D, H in sizes], {k: np.array(v) for k, v in counts.items()})


# --- a bidirectional GRU on MNIST-1D --------------------------------------------------------------

@dataclass(frozen=True)
class Mnist1dRun:
    """A bidirectional GRU trained on MNIST-1D with the paper's protocol, shortened."""

    hidden: int
    n_params: int
    steps: np.ndarray           # (K,) checkpoints
    train_acc: np.ndarray       # (K,)
    test_acc: np.ndarray        # (K,)
    n_train: int
    n_test: int
    lr: float
    batch: int

    def __str__(self):
        rows = [f"bidirectional GRU, H = {self.hidden} per direction ({self.n_params} parameters), "
                f"MNIST-1D {self.n_train} train / {self.n_test} test",
                f"Adam lr {self.lr:g}, batches of {self.batch} taken in order, {self.steps[-1]} steps",
                f"{'step':>6}  {'train acc':>9}  {'test acc':>8}"]
        for s, a, b in zip(self.steps, self.train_acc, self.test_acc):
            rows.append(f"{s:6d}  {a:9.1%}  {b:8.1%}")
        return "\n".join(rows)


@cached(2)
def _mnist1d(seed):
    from dlcourse import datasets

    return datasets.load_mnist1d(seed=seed)


def mnist1d_gru_run(steps=500, eval_every=100, lr=1e-2, batch=100, hidden=6, data_seed=42, seed=0):
    """Train :func:`mnist1d_gru` with the MNIST-1D protocol for ``steps`` steps (the paper: 6000).

    The protocol: Adam lr 1e-2, batches of 100 taken in order (step k uses
    rows ``100k mod 4000`` onwards), no shuffling. ``data_seed=42`` builds the
    published data set (4,000 train / 1,000 test).

    Returns
    -------
    Mnist1dRun
    """
    x, t, x_test, t_test = _mnist1d(int(data_seed))
    model = mnist1d_gru(rng=seed, hidden=hidden)

    def accuracies(model):
        return {"train_acc": _accuracy(model.predict(x), t), "test_acc": _accuracy(model.predict(x_test), t_test)}

    history = models.train_steps(model, optim.Adam(lr), models.ordered_batches((x, t), batch), int(steps),
                                 eval_every=eval_every, eval_first=True, evaluate=accuracies)
    return Mnist1dRun(int(hidden), int(sum(p.size for p in model.params)), np.array(history["eval_step"]),
                      np.array(history["train_acc"]), np.array(history["test_acc"]), len(x), len(x_test),
                      float(lr), int(batch))
