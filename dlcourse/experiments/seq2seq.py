"""Chapter 15 experiments: sequence to sequence on character-level addition.

Seeds: 004 (系列変換モデル: the encoder RNN turns the tokens into a final
state, the *thought vector*; the decoder RNN starts from it and generates one
token at a time, each sampled from the output probabilities and fed back in;
HRED and VHRED), 003 §9.5 (Encoder-Decoder, Sutskever, Vinyals & Le 2014).

The lesson trains three models on two-digit addition ("12+34" -> "46"), one
after the other: the baseline, the same with the question read backwards
(the reversed-input trick of Sutskever et al.), and a peeky decoder on
reversed input. Runs are cached, so the sampling demo reuses the lesson's
trained model. ``benchmarks/seq2seq_table.py`` runs the textbook's full-size
version (three digits, 50,000 problems, 25 epochs).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from dlcourse import datasets, optim
from dlcourse import functions as F
from dlcourse import seq2seq as S
from dlcourse.experiments._cache import cached

__all__ = [
    "VARIANTS", "LESSON", "LENGTHS", "AdditionPeek", "addition_peek", "AdditionRun",
    "train_addition", "Comparison", "compare", "Sampling", "sampling",
    "ThoughtVectors", "thought_vectors",
]

VARIANTS = {
    "baseline": (False, False),           # name -> (reverse the question, peeky decoder)
    "reversed": (True, False),
    "peeky": (True, True),
}
"""The three models of the lesson; "peeky" is peeky + reversed, as in the textbook."""
LABELS = {"baseline": "baseline", "reversed": "reversed input", "peeky": "peeky + reversed"}

LESSON = dict(n=5000, max_digits=2, H=128, D=16, batch_size=32, lr=0.005, epochs=6, seed=0)
"""The lesson's short runs: two-digit addition, 4,500 training and 500 test problems."""
LENGTHS = (3, 4, 5)
"""Question lengths of two-digit addition: "1+2", "12+3" or "1+23", "12+34"."""


@cached(4)
def _addition(n, max_digits, seed):
    return datasets.addition(n=n, seed=seed, max_digits=max_digits)


def _config(overrides):
    unknown = set(overrides) - set(LESSON)
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)[0]!r}; expected some of {', '.join(LESSON)}")
    return {**LESSON, **overrides}


# --- the data --------------------------------------------------------------------------

@dataclass(frozen=True)
class AdditionPeek:
    """A few addition problems as strings and as the id arrays a model reads."""

    data: datasets.SequenceTask = field(repr=False)
    shown: int

    def __str__(self):
        d, v = self.data, self.data.vocab
        lines = [f"{len(d.x_train)} training and {len(d.x_test)} test problems; "
                 f"vocabulary of V = {len(v)} characters: {''.join(v.chars)!r} "
                 f"(pad ' ' = {v.pad}, start '_' = {v.start})",
                 f"{'question':<10}{'ids':<22}{'reversed':<10}{'answer':<9}"
                 f"{'decoder reads':<15}{'decoder predicts'}"]
        for k in range(self.shown):
            x, t = d.x_train[k], d.t_train[k]
            lines.append(f"{v.decode(x)!r:<10}{str(x.tolist()):<22}{v.decode(x[::-1])!r:<10}"
                         f"{v.decode(t)!r:<9}{v.decode(t[:-1])!r:<15}{v.decode(t[1:])!r}")
        return "\n".join(lines)


def addition_peek(shown=4, n=LESSON["n"], max_digits=LESSON["max_digits"], seed=LESSON["seed"]):
    """The lesson's addition data and its first ``shown`` training problems.

    Returns
    -------
    AdditionPeek
    """
    return AdditionPeek(_addition(int(n), int(max_digits), int(seed)), int(shown))


# --- training the three models ------------------------------------------------------------

@dataclass(frozen=True)
class AdditionRun:
    """One trained encoder-decoder on addition and how well it answers."""

    variant: str
    config: dict
    history: dict                 # "loss" and "test_acc" per epoch
    accuracy: float               # exact match on the test set (greedy decoding)
    char_forced: float            # characters right with teacher forcing (true previous chars)
    char_free: float              # characters right when generating (its own previous chars)
    by_length: dict               # question length -> (exact match, number of test questions)
    examples: list                # (question, true answer, greedy answer) for a few test problems
    model: S.Seq2Seq = field(repr=False)
    data: datasets.SequenceTask = field(repr=False)

    @property
    def reverse(self):
        return VARIANTS[self.variant][0]

    def questions(self, x):
        """The ids the model reads for questions ``x`` (N, Tq): reversed or not."""
        return x[:, ::-1] if self.reverse else x

    def __str__(self):
        c = self.config
        epochs = range(1, len(self.history["loss"]) + 1)
        lines = [f"{LABELS[self.variant]}: H = {c['H']}, D = {c['D']}, Adam lr {c['lr']:g}, "
                 f"batch {c['batch_size']}, clip 5, {c['epochs']} epochs",
                 "epoch            " + "".join(f"{e:>8}" for e in epochs),
                 "training loss    " + "".join(f"{v:8.4f}" for v in self.history["loss"]),
                 "test exact match " + "".join(f"{v:8.1%}" for v in self.history["test_acc"]),
                 f"characters right: {self.char_forced:.1%} with teacher forcing, "
                 f"{self.char_free:.1%} when generating"]
        lines += [f"  {q:>6} = {t:<4} model: {g:<4} {'right' if g == t else 'WRONG'}"
                  for q, t, g in self.examples]
        return "\n".join(lines)


def train_addition(variant="baseline", **settings):
    """Train one of the three models on addition (cached by its settings).

    Parameters
    ----------
    variant : {"baseline", "reversed", "peeky"}
        "reversed" reads the question backwards; "peeky" also hands the
        thought vector to every decoder step.
    **settings
        Any of :data:`LESSON` (n, max_digits, H, D, batch_size, lr, epochs, seed).

    Returns
    -------
    AdditionRun
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    c = _config(settings)
    return _train(variant, *(c[k] for k in LESSON))


@cached(16)
def _train(variant, n, max_digits, H, D, batch_size, lr, epochs, seed):
    config = dict(zip(LESSON, (n, max_digits, H, D, batch_size, lr, epochs, seed)))
    reverse, peeky = VARIANTS[variant]
    data = _addition(n, max_digits, seed)
    flip = (lambda x: x[:, ::-1]) if reverse else (lambda x: x)
    model = S.Seq2Seq(len(data.vocab), D, H, rng=seed, dtype=np.float32, peeky=peeky)
    history = S.fit(model, flip(data.x_train), data.t_train, flip(data.x_test), data.t_test,
                    epochs=epochs, batch_size=batch_size, optimizer=optim.Adam(lr), max_grad=5.0,
                    rng=seed)
    xs, ts = flip(data.x_test), data.t_test
    accuracy, ids = S.exact_match(model, xs, ts, return_ids=True)
    scores = model.forward(xs, ts)                                        # teacher forcing
    char_forced = float(np.mean(scores.argmax(axis=2) == ts[:, 1:]))
    char_free = float(np.mean(ids == ts[:, 1:]))
    right = np.all(ids == ts[:, 1:], axis=1)
    lengths = data.lengths("test")
    by_length = {L: (float(right[lengths == L].mean()), int(np.sum(lengths == L)))
                 for L in np.unique(lengths).tolist()}
    v = data.vocab
    examples = [(data.questions_test[k], data.answers_test[k], v.decode(ids[k]).strip())
                for k in range(6)]
    return AdditionRun(variant, config, history, accuracy, char_forced, char_free, by_length,
                       examples, model, data)


@dataclass(frozen=True)
class Comparison:
    """The three models side by side."""

    runs: dict                    # variant -> AdditionRun

    def __str__(self):
        lengths = sorted({L for r in self.runs.values() for L in r.by_length})
        counts = next(iter(self.runs.values())).by_length
        head = "".join(f"{f'len {L} ({counts[L][1]})':>13}" for L in lengths)
        lines = [f"{'model':<18}{'exact match':>12}{head}"]
        for name, r in self.runs.items():
            lines.append(f"{LABELS[name]:<18}{r.accuracy:12.1%}"
                         + "".join(f"{r.by_length[L][0]:13.1%}" for L in lengths))
        return "\n".join(lines)


def compare(**settings):
    """The three trained models (cached) and their accuracy by question length.

    Returns
    -------
    Comparison
    """
    return Comparison({name: train_addition(name, **settings) for name in VARIANTS})


# --- greedy decoding against sampling ------------------------------------------------------

@dataclass(frozen=True)
class Sampling:
    """Answers sampled at one temperature for a few test questions of one length."""

    temperature: float
    length: int
    questions: list               # strings, n_questions
    truths: list
    greedy: list
    samples: list                 # samples[k] = list of n_samples answer strings
    probs: np.ndarray             # (V,) next-character probabilities at this temperature ...
    probs_t1: np.ndarray          # (V,) ... and at temperature 1 (the model's own)
    where: tuple                  # ... at (question, answer position) where the model is least sure
    chars: tuple                  # the V characters
    sample_right: float           # fraction of all samples that are right
    greedy_right: float           # fraction of the questions the greedy answer gets right

    def __str__(self):
        kind = "greedy (argmax)" if not self.temperature else f"temperature {self.temperature:.2f}"
        n = len(self.samples[0])
        lines = [f"{kind}, questions of length {self.length}: greedy right "
                 f"{self.greedy_right:.0%}, samples right {self.sample_right:.1%} "
                 f"({n} samples per question)",
                 f"  {'question':<9}{'truth':<7}{'greedy':<8}samples (how often)"]
        for q, t, g, s in zip(self.questions, self.truths, self.greedy, self.samples):
            common = ", ".join(f"{a}×{k}" for a, k in Counter(s).most_common(3))
            lines.append(f"  {q:<9}{t:<7}{g:<8}{common}")
        k, j = self.where
        top = np.argsort(-self.probs)[:3]
        lines.append(f"least sure step: {self.questions[k]} = {self.greedy[k][:j]}?  next "
                     "character " + ", ".join(f"{self.chars[i]!r} {self.probs[i]:.2f}" for i in top))
        return "\n".join(lines)


def sampling(temperature=1.0, length=5, n_questions=6, n_samples=20, seed=0, variant="peeky",
             **settings):
    """Greedy answers and sampled answers of a trained lesson model.

    Parameters
    ----------
    temperature : float
        0 for greedy decoding; otherwise answers are sampled from
        softmax(scores / temperature) one character at a time, each fed back.
    length : int
        Use test questions with this many characters (3, 4 or 5).
    n_questions, n_samples : int
    seed : int
        Seed of the sampling generator.
    variant : str
        Which lesson model (default: the peeky + reversed one).
    **settings
        Training settings of that model (default :data:`LESSON`).

    Returns
    -------
    Sampling
    """
    run = train_addition(variant, **settings)
    data, v = run.data, run.data.vocab
    x, t, idx = data.by_length(length, length)
    x, t, idx = x[:n_questions], t[:n_questions], idx[:n_questions]
    if len(idx) == 0:
        raise ValueError(f"no test question has length {length}; try one of {LENGTHS}")
    xs, Ta, model = run.questions(x), t.shape[1] - 1, run.model
    with threadpool_limits(limits=1):                    # tiny matrices: one thread is faster
        h = model.encoder.forward(xs)                                    # (n_q, H)
        greedy = model.decoder.generate(h, v.start, Ta)
        drawn = model.decoder.generate(np.repeat(h, n_samples, axis=0), v.start, Ta,
                                       temperature=temperature, rng=np.random.default_rng(seed))
        # scores at every step along the greedy answer: (n_q, Ta, V)
        path = np.concatenate([t[:, :1], greedy[:, :-1]], axis=1)
        scores = model.decoder.forward(path, h).astype(np.float64)
    right = np.all(drawn == np.repeat(t[:, 1:], n_samples, axis=0), axis=1)
    p1 = F.softmax(scores)                                               # at temperature 1
    entropy = -np.sum(p1 * np.log(np.maximum(p1, 1e-12)), axis=2)        # (n_q, Ta)
    q, step = np.unravel_index(int(np.argmax(entropy)), entropy.shape)   # the least sure step
    s = scores[q, step]
    probs = F.softmax(s / temperature) if temperature else np.eye(len(v))[s.argmax()]
    text = [v.decode(r).strip() for r in drawn]
    return Sampling(float(temperature), int(length), [data.questions_test[k] for k in idx],
                    [data.answers_test[k] for k in idx], [v.decode(g).strip() for g in greedy],
                    [text[k * n_samples:(k + 1) * n_samples] for k in range(len(idx))],
                    probs, p1[q, step], (int(q), int(step)), v.chars, float(right.mean()),
                    float(np.mean(np.all(greedy == t[:, 1:], axis=1))))


# --- the thought vector ---------------------------------------------------------------------

@dataclass(frozen=True)
class ThoughtVectors:
    """Encoder final states of the test questions, projected on their two principal axes."""

    variant: str
    H: int
    points: np.ndarray            # (N_test, 2) coordinates on the first two principal axes
    sums: np.ndarray              # (N_test,) the true sum of each question
    explained: np.ndarray         # (2,) share of the variance on each axis
    corr: float                   # correlation of the first axis with the sum

    def __str__(self):
        return (f"thought vectors of {len(self.sums)} test questions ({LABELS[self.variant]}), "
                f"H = {self.H} numbers each\n"
                f"  first two principal axes hold {self.explained[0]:.1%} and "
                f"{self.explained[1]:.1%} of their variance\n"
                f"  |correlation| of the first axis with the true sum: {abs(self.corr):.2f}")


def thought_vectors(variant="peeky", **settings):
    """Principal-component view of the thought vectors h of a lesson model.

    ``settings`` as :func:`train_addition` (default :data:`LESSON`).

    Returns
    -------
    ThoughtVectors
    """
    run = train_addition(variant, **settings)
    h = run.model.encoder.forward(run.questions(run.data.x_test)).astype(np.float64)  # (N, H)
    h = h - h.mean(axis=0)
    _, s, Vt = np.linalg.svd(h, full_matrices=False)
    Vt = Vt * np.sign(Vt[:, :1])                                          # a fixed sign per axis
    points = h @ Vt[:2].T                                                 # (N, 2)
    sums = np.array([int(a) for a in run.data.answers_test], dtype=np.int64)
    corr = float(np.corrcoef(points[:, 0], sums)[0, 1])
    return ThoughtVectors(variant, h.shape[1], points, sums, s[:2] ** 2 / np.sum(s ** 2), corr)
