"""Chapter 16 experiments: attention in seq2seq (dates), self-attention, a small Transformer.

Seeds: 003 §9.5 (Encoder-Decoder + Attention: a weighted sum of all the
encoder's hidden states, Bahdanau et al. 2015; Transformer: self-attention +
feed-forward), 001 §7.3.3 (3/3) (the Transformer encoder and decoder, position
information, "+" residual boxes), 004 (attention learns which input and output
words belong together; GNMT).

The date models train on ``datasets.dates(n=20000, seed=0)`` (18,000 training
and 2,000 test questions) in float32 with Adam, and are cached, so the lesson's
printed runs and the widgets share one training.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlcourse import attention as A
from dlcourse import datasets, optim
from dlcourse import transformer as TR
from dlcourse.experiments._cache import cached

__all__ = [
    "toy_alignment", "ToyAlignment", "date_examples", "DateExamples", "train_dates", "DateRun",
    "accuracy_by_length", "LengthAccuracy", "alignment", "Alignment", "alignment_lengths", "LENGTH_BINS",
    "scaling", "Scaling", "masked_weights", "MaskedWeights", "positional_codes", "PositionalCodes",
    "train_transformer", "TransformerRun", "transformer_attention", "TransformerAttention",
]

DATE_STEPS = 800
"""Training steps (minibatches of 64) of the lesson's date models: about 6 s each on 2 cores."""
LENGTH_BINS = ((6, 8), (9, 10), (11, 12), (13, 15), (16, 17), (18, 21), (22, 29))
"""Question-length bins (characters) of the accuracy-against-length comparison."""


def _pct(x):
    return f"{100 * x:.1f}%"


# --- the idea: a weighted sum of the encoder's states -----------------------------------------

@dataclass(frozen=True)
class ToyAlignment:
    """AttentionWeight and WeightSum on three hand-made encoder states and one decoder state."""

    hs: np.ndarray          # (T, H) encoder states
    h: np.ndarray           # (H,) decoder state (the query)
    scores: np.ndarray      # (T,) hs · h
    weights: np.ndarray     # (T,) softmax of the scores
    context: np.ndarray     # (H,) sum_t weights[t] hs[t]

    def __str__(self):
        vec = lambda v: "[" + ", ".join(f"{x:+.2f}" for x in v) + "]"   # noqa: E731
        lines = [f"decoder state h = {vec(self.h)}"]
        for t, row in enumerate(self.hs):
            lines.append(f"  hs[{t}] = {vec(row)}   score hs·h = {self.scores[t]:+.4f}   "
                         f"weight = {self.weights[t]:.4f}")
        lines.append(f"context c = sum_t weight[t] hs[t] = {vec(self.context)}")
        return "\n".join(lines)


def toy_alignment():
    """The decoder state points the same way as hs[1], so the weight of step 1 wins.

    Returns
    -------
    ToyAlignment
    """
    hs = np.array([[1.0, 0.0, 0.5], [0.0, 2.0, 0.0], [-1.0, 0.5, 0.0]])
    h = np.array([0.2, 1.5, 0.1])
    a = A.AttentionWeight().forward(hs[None], h[None])[0]
    c = A.WeightSum().forward(hs[None], a[None])[0]
    return ToyAlignment(hs, h, hs @ h, a, c)


# --- the date task ----------------------------------------------------------------------------

@cached(1)
def _dates():
    return datasets.dates(n=20000, seed=0)


@dataclass(frozen=True)
class DateExamples:
    """One question of each format, and the sizes of the data set."""

    formats: list           # format names
    questions: list         # one question per format
    answers: list
    n_train: int
    n_test: int
    vocab_size: int
    question_width: int
    answer_width: int

    def __str__(self):
        lines = [f"{self.n_train} training and {self.n_test} test questions; vocabulary of "
                 f"{self.vocab_size} characters; questions padded to {self.question_width}, "
                 f"answers '_' + 10 characters"]
        lines += [f"  {f:<24} {q:<30} -> {a}" for f, q, a in zip(self.formats, self.questions, self.answers)]
        return "\n".join(lines)


def date_examples():
    """The first training question of each of the date formats.

    Returns
    -------
    DateExamples
    """
    d = _dates()
    first = {}
    for k, q, a in zip(d.kinds_train.tolist(), d.questions_train, d.answers_train):
        first.setdefault(k, (q, a))
    kinds = sorted(first)
    return DateExamples([d.kind_names[k] for k in kinds], [first[k][0] for k in kinds],
                        [first[k][1] for k in kinds], len(d.x_train), len(d.x_test), len(d.vocab),
                        d.x_train.shape[1], d.t_train.shape[1])


@dataclass(frozen=True)
class DateRun:
    """A trained date model and what it does on the 2,000 test questions."""

    score: str                       # "dot", "additive" or "none"
    steps: int
    hidden: int
    batch_size: int
    losses: np.ndarray               # (steps,) training loss of every step
    exact: np.ndarray                # (N_test,) bool: the whole answer is right
    char_acc: np.ndarray             # (N_test,) fraction of the 10 answer characters right
    predictions: list                # (N_test,) predicted answers (str)
    weights: np.ndarray | None       # (N_test, 10, Tq) alignment, None without attention
    questions: list = field(repr=False)
    answers: list = field(repr=False)
    model: object = field(repr=False, default=None)

    @property
    def accuracy(self):
        return float(self.exact.mean())

    @property
    def lengths(self):
        return np.array([len(q) for q in self.questions])

    def __str__(self):
        name = {"none": "no attention (chapter 15's peeky decoder, reversed questions)",
                "dot": "dot-product attention", "additive": "additive attention"}[self.score]
        loss = lambda s: float(np.mean(self.losses[s]))           # noqa: E731
        lines = [f"{name}: H = {self.hidden}, {self.steps} steps of {self.batch_size} questions",
                 f"  training loss: first 50 steps {loss(slice(0, 50)):.4f}, "
                 f"last 50 steps {loss(slice(-50, None)):.4f}",
                 f"  test exact match {_pct(self.accuracy)}, characters right "
                 f"{_pct(float(self.char_acc.mean()))} (of {len(self.exact)} questions)"]
        for i in range(4):
            mark = "right" if self.exact[i] else "WRONG"
            lines.append(f"    {self.questions[i]:<30} -> {self.predictions[i]}  {mark}")
        return "\n".join(lines)


def train_dates(score="dot", steps=DATE_STEPS, hidden=64, wordvec=16, batch_size=64, lr=5e-3, seed=0):
    """Train an attention (or plain) encoder-decoder on the dates and test it (cached).

    Parameters
    ----------
    score : {"dot", "additive", "none"}
        The attention score; "none" is the best model of chapter 15 without
        attention: reversed questions and a peeky decoder.
    steps : int
        Adam updates on minibatches of questions of similar length.
    hidden, wordvec : int
        LSTM size H and embedding size D.
    batch_size : int
    lr : float
        Adam's learning rate.
    seed : int
        Initial weights and batch order.

    Returns
    -------
    DateRun
    """
    return _train_dates(score, int(steps), int(hidden), int(wordvec), int(batch_size), float(lr), int(seed))


@cached(8)
def _train_dates(score, steps, hidden, wordvec, batch_size, lr, seed):
    d = _dates()
    baseline = {"peeky": True, "reverse": True} if score == "none" else {}     # chapter 15's best
    model = A.AttentionSeq2Seq(len(d.vocab), wordvec, hidden, score=score, rng=seed, dtype=np.float32,
                               **baseline)
    hist = A.fit(model, d.x_train, d.t_train, epochs=10 ** 6, batch_size=batch_size,
                 optimizer=optim.Adam(lr=lr), rng=seed, max_steps=steps)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        ids = model.generate(d.x_test, d.vocab.start, d.t_test.shape[1] - 1)    # (N, 10)
    right = ids == d.t_test[:, 1:]
    return DateRun(score, steps, hidden, batch_size, np.array(hist["loss"]), right.all(axis=1),
                   right.mean(axis=1), [d.vocab.decode(row) for row in ids], model.last_weights,
                   list(d.questions_test), list(d.answers_test), model)


# --- accuracy against question length, with and without attention --------------------------------

@dataclass(frozen=True)
class LengthAccuracy:
    """Exact match and character accuracy in bins of question length, one row per model."""

    bins: tuple                       # ((lo, hi), ...) in characters
    counts: np.ndarray                # (B,) test questions per bin
    exact: dict                       # score -> (B,) exact match per bin
    chars: dict                       # score -> (B,) characters right per bin
    steps: int

    def __str__(self):
        head = "".join(f"{f'{lo}-{hi}':>8}" for lo, hi in self.bins)
        lines = [f"after {self.steps} training steps each; test questions by length (characters)",
                 f"{'length':<28}{head}", f"{'questions':<28}" + "".join(f"{n:>8d}" for n in self.counts)]
        for score in self.exact:
            label = "no attention" if score == "none" else f"{score} attention"
            lines.append(f"{label + ', exact match':<28}" + "".join(f"{_pct(v):>8}" for v in self.exact[score]))
            lines.append(f"{label + ', characters':<28}" + "".join(f"{_pct(v):>8}" for v in self.chars[score]))
        return "\n".join(lines)


def accuracy_by_length(scores=("dot", "none"), steps=DATE_STEPS, bins=LENGTH_BINS):
    """Test accuracy of the date models per bin of question length.

    Returns
    -------
    LengthAccuracy
    """
    runs = {s: train_dates(s, steps) for s in scores}
    lengths = next(iter(runs.values())).lengths
    which = [(lengths >= lo) & (lengths <= hi) for lo, hi in bins]
    return LengthAccuracy(tuple(bins), np.array([w.sum() for w in which]),
                          {s: np.array([r.exact[w].mean() for w in which]) for s, r in runs.items()},
                          {s: np.array([r.char_acc[w].mean() for w in which]) for s, r in runs.items()},
                          int(steps))


# --- one alignment (the heatmap) --------------------------------------------------------------------

@dataclass(frozen=True)
class Alignment:
    """Where the decoder looked while writing each character of one answer."""

    question: str
    answer: str
    predicted: str
    weights: np.ndarray        # (10, len(question)) rows: output characters, columns: input characters
    length: int
    example: int               # which question of this length (0, 1, ...)
    count: int                 # how many test questions have this length
    index: int                 # row in the test set
    accuracy: float            # exact match of the model on questions of this length
    all_lengths: np.ndarray = field(repr=False, default=None)   # (L,) every question length of the test set
    length_acc: np.ndarray = field(repr=False, default=None)    # (L,) exact match at each of them

    def __str__(self):
        looked = [self.question[int(j)] for j in self.weights.argmax(axis=1)]
        verdict = "right" if self.predicted == self.answer else "wrong, should be " + self.answer
        head = (f"question {self.question!r} ({self.length} characters, example {self.example + 1} "
                f"of {self.count}); exact match at this length {_pct(self.accuracy)}")
        answer = f"  answer ({verdict}):".ljust(36) + " ".join(self.predicted)
        where = "  largest weight on the character:".ljust(36) + " ".join(c if c != " " else "␣" for c in looked)
        return "\n".join([head, answer, where])


ALIGNMENT_MIN_COUNT = 10
"""Lengths with fewer test questions than this are left out of :func:`alignment`."""


def alignment_lengths(score="dot", steps=DATE_STEPS):
    """The question lengths :func:`alignment` offers: those of at least ALIGNMENT_MIN_COUNT test questions."""
    counts = np.bincount(train_dates(score, steps).lengths)
    return np.flatnonzero(counts >= ALIGNMENT_MIN_COUNT)


def alignment(length=17, example=0, score="dot", steps=DATE_STEPS):
    """The attention weights of the trained date model on one test question.

    Parameters
    ----------
    length : int
        Question length in characters; the test questions of that length are
        the candidates (the nearest length in :func:`alignment_lengths`, if
        that one has too few).
    example : int
        Which of them (taken modulo their number).

    Returns
    -------
    Alignment
    """
    run = train_dates(score, steps)
    lengths = run.lengths
    available = alignment_lengths(score, steps)
    length = int(available[np.argmin(np.abs(available - int(length)))])
    rows = np.flatnonzero(lengths == length)
    k = int(example) % len(rows)
    i = int(rows[k])
    return Alignment(run.questions[i], run.answers[i], run.predictions[i],
                     run.weights[i][:, :length].astype(np.float64), length, k, len(rows), i,
                     float(run.exact[rows].mean()), available,
                     np.array([run.exact[lengths == n].mean() for n in available]))


# --- scaled dot-product attention -----------------------------------------------------------------

@dataclass(frozen=True)
class Scaling:
    """Why divide by √d: the spread of q·k grows like √d and saturates the softmax."""

    dims: tuple
    score_std: np.ndarray          # (len(dims),) std of q·k for random unit-variance q, k
    max_weight_raw: np.ndarray     # mean largest softmax weight without scaling
    max_weight_scaled: np.ndarray  # ... with the 1/√d scaling
    T: int

    def __str__(self):
        lines = [f"random q, k with unit-variance entries, {self.T} keys per query",
                 f"{'d':>6}{'std of q·k':>12}{'√d':>8}{'max weight, q·k':>18}{'max weight, q·k/√d':>21}"]
        for d, s, raw, sc in zip(self.dims, self.score_std, self.max_weight_raw, self.max_weight_scaled):
            lines.append(f"{d:>6}{s:>12.2f}{np.sqrt(d):>8.2f}{raw:>18.4f}{sc:>21.4f}")
        return "\n".join(lines)


def scaling(dims=(4, 16, 64, 256), T=10, n=2000, seed=0):
    """Softmax weights of random queries and keys, with and without the 1/√d scaling.

    Returns
    -------
    Scaling
    """
    rng = np.random.default_rng(seed)
    std, raw, scaled = [], [], []
    for d in dims:
        q, k = rng.standard_normal((n, 1, d)), rng.standard_normal((n, T, d))
        s = (q @ k.transpose(0, 2, 1))[:, 0]                                  # (n, T)
        std.append(s.std())
        raw.append(A.masked_softmax(s).max(axis=1).mean())
        scaled.append(A.masked_softmax(s / np.sqrt(d)).max(axis=1).mean())
    return Scaling(tuple(dims), np.array(std), np.array(raw), np.array(scaled), T)


@dataclass(frozen=True)
class MaskedWeights:
    """Attention weights of one random sequence under no mask, a causal mask and a padding mask."""

    weights: dict                   # name -> (T, T)
    masks: dict                     # name -> (T, T) bool
    length: int                     # real length for the padding mask

    def __str__(self):
        lines = []
        for name, W in self.weights.items():
            lines.append(f"{name}:")
            lines += ["  " + " ".join(f"{w:.4f}" for w in row) + f"   sum {row.sum():.4f}" for row in W]
        return "\n".join(lines)


def masked_weights(T=5, d=4, length=3, seed=0):
    """Self-attention weights of T random vectors: unmasked, causal, and with padding after ``length``.

    The padding mask also hides the padded *queries* here (a fully masked
    row): their weights are all 0, not NaN.

    Returns
    -------
    MaskedWeights
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, d))
    pad = np.arange(T) < length
    masks = {"no mask": np.ones((T, T), bool), "causal mask": A.causal_mask(T),
             f"padding mask (length {length})": pad[:, None] & pad[None, :]}
    weights = {name: A.scaled_dot_product_attention(x, x, x, m)[1] for name, m in masks.items()}
    return MaskedWeights(weights, masks, length)


@dataclass(frozen=True)
class PositionalCodes:
    """The sinusoidal codes and how similar two positions' codes are."""

    pe: np.ndarray            # (T, d)
    similarity: np.ndarray    # (T, T) PE PEᵀ
    shift_error: float        # error of one linear map taking PE[pos] to PE[pos + k] for all pos
    k: int

    def __str__(self):
        T, d = self.pe.shape
        s = self.similarity
        return (f"positional encoding for T = {T} positions, d = {d}\n"
                f"  PE[0, :4] = {np.array2string(self.pe[0, :4], precision=4)}, "
                f"PE[1, :4] = {np.array2string(self.pe[1, :4], precision=4)}\n"
                f"  PE[i]·PE[i+3] for i = 0, 10, 20: {s[0, 3]:.4f} {s[10, 13]:.4f} {s[20, 23]:.4f} "
                f"(depends on the distance only)\n"
                f"  one matrix M maps PE[pos] to PE[pos + {self.k}] for every pos: "
                f"max error {self.shift_error:.1e}")


def positional_codes(T=50, d=32, k=3):
    """Sinusoidal positional encoding, the similarity of positions, and the shift as a linear map.

    Returns
    -------
    PositionalCodes
    """
    pe = TR.positional_encoding(T, d)
    M, *_ = np.linalg.lstsq(pe[:-k], pe[k:], rcond=None)
    return PositionalCodes(pe, pe @ pe.T, float(np.abs(pe[:-k] @ M - pe[k:]).max()), int(k))


# --- a small Transformer encoder on a toy task --------------------------------------------------------

@cached(2)
def _digits_task(task, length):
    return getattr(datasets, task)(n=10000, length=length, seed=0)


@dataclass(frozen=True)
class TransformerRun:
    """A trained TransformerEncoder on reversal or sorting, and its test results."""

    task: str
    positional: bool
    steps: int
    d_model: int
    n_heads: int
    n_layers: int
    n_params: int
    losses: np.ndarray          # (steps,)
    token_acc: float            # digits in the right place, test
    exact: float                # whole sequences right, test
    inputs: list                # a few test inputs (str)
    outputs: list               # the model's outputs for them
    weights: list = field(repr=False)       # per block, (N_test, h, T, T)
    x_test: np.ndarray = field(repr=False, default=None)
    predictions: np.ndarray = field(repr=False, default=None)

    def __str__(self):
        pe = "with" if self.positional else "WITHOUT"
        loss = lambda s: float(np.mean(self.losses[s]))           # noqa: E731
        lines = [f"Transformer encoder on {self.task}, {pe} positional encoding: D = {self.d_model}, "
                 f"{self.n_heads} heads, {self.n_layers} block(s), {self.n_params} parameters",
                 f"  {self.steps} steps: loss {loss(slice(0, 20)):.4f} (first 20) -> "
                 f"{loss(slice(-20, None)):.4f} (last 20)",
                 f"  test: digits right {_pct(self.token_acc)}, whole sequences right {_pct(self.exact)}"]
        lines += [f"    {i} -> {o}" for i, o in zip(self.inputs, self.outputs)]
        return "\n".join(lines)


def train_transformer(task="sorting", positional=True, steps=1000, length=8, d_model=32, n_heads=2,
                      d_ff=64, n_layers=1, batch_size=64, lr=3e-3, seed=0):
    """Train a :class:`~dlcourse.transformer.TransformerEncoder` to reverse or sort 8 digits (cached).

    Returns
    -------
    TransformerRun
    """
    return _train_transformer(task, bool(positional), int(steps), int(length), int(d_model), int(n_heads),
                              int(d_ff), int(n_layers), int(batch_size), float(lr), int(seed))


@cached(8)
def _train_transformer(task, positional, steps, length, d_model, n_heads, d_ff, n_layers,
                       batch_size, lr, seed):
    from threadpoolctl import threadpool_limits

    data = _digits_task(task, length)
    V = len(data.vocab)
    model = TR.TransformerEncoder(V, V, d_model, n_heads, d_ff, n_layers, max_len=length, rng=seed,
                                  dtype=np.float32, positional=positional)
    hist = A.fit(model, data.x_train, data.t_train, epochs=10 ** 6, batch_size=batch_size,
                 optimizer=optim.Adam(lr=lr), rng=seed, by_length=False, max_steps=steps)
    with threadpool_limits(limits=1):
        pred = model.predict(data.x_test)
    right = pred == data.t_test
    shown = 4
    return TransformerRun(task, positional, steps, d_model, n_heads, n_layers,
                          int(sum(p.size for p in model.params)), np.array(hist["loss"]),
                          float(right.mean()), float(right.all(axis=1).mean()),
                          [data.vocab.decode(x) for x in data.x_test[:shown]],
                          [data.vocab.decode(p) for p in pred[:shown]],
                          [w.astype(np.float64) for w in model.attention_weights],
                          data.x_test, pred)


@dataclass(frozen=True)
class TransformerAttention:
    """One head's attention map for one test sequence of the trained Transformer."""

    task: str
    example: int
    head: int
    layer: int
    inputs: str
    outputs: str
    weights: np.ndarray       # (T, T): rows = output positions (queries), columns = input positions

    def __str__(self):
        top = self.weights.argmax(axis=1)
        rows = [("output position", range(len(self.outputs))), ("output digit", self.outputs),
                ("largest weight on input position", top), ("... which holds the digit", [self.inputs[j] for j in top])]
        return (f"{self.task}: {self.inputs} -> {self.outputs}; block {self.layer + 1}, head {self.head + 1}\n"
                + "\n".join(f"  {name:<34}" + " ".join(str(v) for v in values) for name, values in rows))


def transformer_attention(example=0, head=0, layer=0, task="sorting", **train_kw):
    """The attention weights of one head of the trained Transformer on one test sequence.

    Returns
    -------
    TransformerAttention
    """
    run = train_transformer(task, **train_kw)
    data = _digits_task(task, run.x_test.shape[1])
    e = int(example) % len(run.x_test)
    return TransformerAttention(task, e, int(head), int(layer), data.vocab.decode(run.x_test[e]),
                                data.vocab.decode(run.predictions[e]), run.weights[int(layer)][e, int(head)])
