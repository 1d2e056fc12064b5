"""Sequence tasks, all generated and seeded: one-hot symbol sequences and character-level seq2seq.

==========================  =======  ==================================================
function                    chapter  what
==========================  =======  ==================================================
:func:`future_task`         13       label each step: is the symbol ``lag`` ahead an X?
:func:`memory_task`         14       recall the first symbol after ``lag`` distractors
:func:`addition`            15       "16+75" -> "91", padded, with a start token
:func:`dates`               15, 16   dates in 14 human formats -> ISO YYYY-MM-DD
:func:`reversal`            16       digit sequences and their reversal
:func:`sorting`             16       digit sequences and their sorted order
==========================  =======  ==================================================

The first two return one-hot arrays (N, T, D) for the recurrent nets of
chapters 13-14. The character-level tasks return a :class:`SequenceTask`
that owns its :class:`Vocabulary` (characters <-> ids); nothing here keeps a
module-global vocabulary. Every generator draws from the ``rng`` or ``seed``
it is given.
"""
from __future__ import annotations

import datetime as _datetime
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FUTURE_SYMBOLS", "future_task", "memory_task",
    "Vocabulary", "SequenceTask", "addition", "dates", "DATE_FORMATS", "reversal", "sorting",
]


# ---------------------------------------------------------------------------
# One-hot symbol sequences for recurrent nets (chapters 13-14)
# ---------------------------------------------------------------------------

FUTURE_SYMBOLS = ("A", "B", "C", "X")
"""The symbols of :func:`future_task`: ``FUTURE_SYMBOLS[k]`` is the name of symbol id k."""


def future_task(n, T, lag, rng):
    """Sequences of the symbols A, B, C, X labelled by whether the symbol ``lag`` steps ahead is X.

    A unidirectional RNN at step t has read only x_0..x_t, so for lag >= 1
    it can only guess; a bidirectional one also reads the future (chapter 13).

    Parameters
    ----------
    n : int
        Number of sequences N.
    T : int
        Length of every sequence.
    lag : int
        How far ahead the label looks, 0 <= lag < T.
    rng : numpy.random.Generator

    Returns
    -------
    xs : ndarray of float64, shape (N, T, 4)
        One-hot symbols.
    ts : ndarray of int, shape (N, T)
        Labels 0/1, or -1 (ignored) where the future lies beyond the sequence
        (the last ``lag`` steps).
    symbols : ndarray of int, shape (N, T)
        Indices into :data:`FUTURE_SYMBOLS`.

    Raises
    ------
    ValueError
        If ``lag`` is outside 0 .. T-1.

    Notes
    -----
    X has probability 1/2 and A, B, C share the rest, so guessing gives 50%.
    Two draws, in this order: N x T uniforms decide X or not, then N x T
    integers pick A, B or C (used where the symbol is not X).
    """
    if not 0 <= lag < T:
        raise ValueError(f"future_task: expected 0 <= lag < T = {T}, got {lag}")
    sym = np.where(rng.random((n, T)) < 0.5, 3, rng.integers(0, 3, (n, T)))
    ts = np.full((n, T), -1)
    ts[:, :T - lag] = sym[:, lag:] == 3
    return np.eye(4)[sym], ts, sym


def memory_task(lag, n, rng=None, n_symbols=4, n_distractors=8):
    """Sequences whose first symbol must be recalled after ``lag`` distractors.

    Parameters
    ----------
    lag : int
        Number of distractor steps after the symbol (>= 1); the sequence has
        ``T = lag + 1`` steps.
    n : int
        Number of sequences N.
    rng : numpy.random.Generator or int, optional
    n_symbols : int
        C, the symbols to remember (the classes): ids ``0 .. C-1``.
    n_distractors : int
        Distractor ids ``C .. C + n_distractors - 1``, drawn uniformly at every later step.

    Returns
    -------
    xs : ndarray of float64, shape (N, T, D)
        One-hot inputs, ``D = n_symbols + n_distractors``.
    t : ndarray of int, shape (N,)
        The first symbol of each sequence, the label to output after the last step.

    Raises
    ------
    ValueError
        If ``lag`` is not a whole number >= 1.

    Notes
    -----
    Two draws, in this order: the (N, T) distractor ids, then the N labels,
    which overwrite step 0. Chance accuracy is 1 / C.
    """
    if int(lag) != lag or lag < 1:
        raise ValueError(f"memory_task: expected a whole lag >= 1, got {lag!r}")
    rng = np.random.default_rng(rng)
    C, D, T = int(n_symbols), int(n_symbols) + int(n_distractors), int(lag) + 1
    ids = rng.integers(C, D, size=(n, T))          # (N, T) distractors everywhere ...
    t = rng.integers(0, C, size=n)
    ids[:, 0] = t                                  # ... except the symbol at t = 0
    return np.eye(D)[ids], t


# ---------------------------------------------------------------------------
# Character-level sequence-to-sequence tasks (chapters 15-16): addition
# ("16+75" -> "91"), date normalisation ("27 SEP 1994" -> "1994-09-27"),
# digit reversal and digit sorting. Each data set owns its Vocabulary.
# ---------------------------------------------------------------------------


class Vocabulary:
    """Characters <-> integer ids for one character-level data set.

    Parameters
    ----------
    chars : iterable of str
        The ordinary characters (one character each). Duplicates are dropped.
    pad : str
        Padding character; it gets id 0. A space by default, so decoded
        strings read naturally (the pad may also occur inside a string, as
        the space in "27 SEP 1994" does).
    start : str
        Start-of-answer character fed to a decoder first; it gets id 1.

    Attributes
    ----------
    chars : tuple of str
        ``chars[i]`` is the character with id ``i``.
    pad, start : int
        Ids of the padding and start characters.
    """

    def __init__(self, chars, pad=" ", start="_"):
        if len(pad) != 1 or len(start) != 1 or pad == start:
            raise ValueError(f"Vocabulary: pad and start must be two different single "
                             f"characters, got {pad!r} and {start!r}")
        rest = sorted(set(chars) - {pad, start})
        if any(len(ch) != 1 for ch in rest):
            raise ValueError("Vocabulary: every entry of chars must be one character")
        self.chars = (pad, start, *rest)
        self.ids = {ch: i for i, ch in enumerate(self.chars)}
        self.pad, self.start = 0, 1

    def encode(self, text):
        """Ids of the characters of ``text``.

        Parameters
        ----------
        text : str, length T

        Returns
        -------
        ids : ndarray of int64, shape (T,)

        Raises
        ------
        ValueError
            If a character is not in the vocabulary.
        """
        try:
            return np.array([self.ids[ch] for ch in text], dtype=np.int64)
        except KeyError as err:
            raise ValueError(f"Vocabulary.encode: character {err.args[0]!r} is not in the "
                             f"vocabulary {''.join(self.chars)!r}") from None

    def decode(self, ids):
        """The string whose character ids are ``ids``.

        Parameters
        ----------
        ids : sequence of int, shape (T,)

        Returns
        -------
        str of length T (padding and start characters included, as written)
        """
        return "".join(self.chars[int(i)] for i in np.asarray(ids).ravel())

    def encode_batch(self, texts, width):
        """Encode strings right-padded with the pad id to one width.

        Parameters
        ----------
        texts : list of str, length N, each at most ``width`` characters
        width : int

        Returns
        -------
        ids : ndarray of int64, shape (N, width)
        """
        out = np.full((len(texts), width), self.pad, dtype=np.int64)
        for n, text in enumerate(texts):
            if len(text) > width:
                raise ValueError(f"Vocabulary.encode_batch: {text!r} is longer than "
                                 f"width {width}")
            out[n, :len(text)] = self.encode(text)
        return out

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        return f"Vocabulary({len(self)} ids: {''.join(self.chars)!r})"


@dataclass(frozen=True, eq=False)
class SequenceTask:
    """A character-level sequence-to-sequence data set, split into train and test.

    Made by :func:`addition`, :func:`dates`, :func:`reversal` and
    :func:`sorting`.

    Attributes
    ----------
    name : str
    vocab : Vocabulary
    x_train : ndarray of int64, shape (N_train, Tq)
        Question ids, right-padded with ``vocab.pad``.
    t_train : ndarray of int64, shape (N_train, Ta)
        Answer ids. For addition and dates (and reversal / sorting with
        ``start_token=True``) column 0 is ``vocab.start`` and the answer
        follows, right-padded: a decoder reads ``t[:, :-1]`` and learns to
        predict ``t[:, 1:]``.
    x_test, t_test : the same for the test part.
    questions_train, answers_train, questions_test, answers_test : list of str
        The raw strings, without padding or start character.
    kinds_train, kinds_test : ndarray of int64 (N_train,), (N_test,)
        For dates, the index into ``kind_names`` of the format each question
        is written in; zeros for the other tasks.
    kind_names : tuple of str
    """

    name: str
    vocab: Vocabulary
    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    questions_train: list
    answers_train: list
    questions_test: list
    answers_test: list
    kinds_train: np.ndarray
    kinds_test: np.ndarray
    kind_names: tuple = ("",)

    def arrays(self):
        """``(x_train, t_train, x_test, t_test)``."""
        return self.x_train, self.t_train, self.x_test, self.t_test

    def lengths(self, split="test"):
        """Length of each raw question of a split ("train" or "test").

        Returns
        -------
        ndarray of int64, shape (N_split,)
        """
        return np.array([len(q) for q in self._part(split)[2]], dtype=np.int64)

    def by_length(self, lo, hi, split="test"):
        """The questions of a split whose raw length L has lo <= L <= hi.

        Returns
        -------
        x : ndarray (M, Tq), t : ndarray (M, Ta), index : ndarray of int64 (M,)
            ``index`` points into the split's rows.
        """
        x, t, _ = self._part(split)
        index = np.flatnonzero((self.lengths(split) >= lo) & (self.lengths(split) <= hi))
        return x[index], t[index], index

    def _part(self, split):
        if split == "train":
            return self.x_train, self.t_train, self.questions_train
        if split == "test":
            return self.x_test, self.t_test, self.questions_test
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")

    def __repr__(self):
        return (f"SequenceTask({self.name!r}: {len(self.x_train)} train, {len(self.x_test)} "
                f"test; questions {self.x_train.shape[1]} ids, answers {self.t_train.shape[1]} "
                f"ids; V = {len(self.vocab)})")


def _make_task(name, vocab, questions, answers, kinds, kind_names, q_width, a_width,
               start_token, test_ratio):
    """Encode and split (the first ``N - round(N * test_ratio)`` rows train)."""
    if not 0 <= test_ratio < 1:
        raise ValueError(f"{name}: test_ratio must be in [0, 1), got {test_ratio!r}")
    prefix = vocab.chars[vocab.start] if start_token else ""
    x = vocab.encode_batch(questions, q_width)                         # (N, Tq)
    t = vocab.encode_batch([prefix + a for a in answers], a_width)     # (N, Ta)
    kinds = np.asarray(kinds, dtype=np.int64)
    n_train = len(questions) - int(round(len(questions) * test_ratio))
    tr, te = slice(0, n_train), slice(n_train, None)
    return SequenceTask(name, vocab, x[tr], t[tr], x[te], t[te],
                        list(questions[tr]), list(answers[tr]),
                        list(questions[te]), list(answers[te]),
                        kinds[tr], kinds[te], tuple(kind_names))


def _check_n(name, n, limit=None):
    if int(n) != n or n < 1:
        raise ValueError(f"{name}: n must be a positive integer, got {n!r}")
    if limit is not None and n > limit:
        raise ValueError(f"{name}: n must be at most {limit} (distinct questions), got {n}")
    return int(n)


def addition(n=50000, seed=0, max_digits=3, test_ratio=0.1):
    """Addition problems as character sequences: "16+75" -> "91".

    Parameters
    ----------
    n : int
        Number of distinct problems N (no question occurs twice, so no test
        question is seen in training).
    seed : int
        Seed of ``np.random.default_rng(seed)``.
    max_digits : int
        Most digits of each operand.
    test_ratio : float
        Fraction of the problems held out for testing (the last rows).

    Returns
    -------
    SequenceTask
        Questions ``"a+b"`` right-padded with spaces to Tq = 2 * max_digits + 1
        characters; answers ``"_" + str(a + b)`` right-padded to
        Ta = max_digits + 2 (for max_digits = 3: "16+75  " and "_91  ").
        The vocabulary is pad " ", start "_", "+" and the ten digits (V = 13).

    Notes
    -----
    Each operand first draws its number of digits uniformly from
    1..max_digits, then a value with that many digits, so short operands are
    as common as long ones (as in the textbook's 50,000-line addition file:
    45,000 train / 5,000 test). The padding is part of the answer: a model
    must also predict the spaces after the sum.
    """
    if int(max_digits) != max_digits or max_digits < 1:
        raise ValueError(f"addition: max_digits must be a positive integer, got {max_digits!r}")
    max_digits = int(max_digits)
    n = _check_n("addition", n, (10 ** max_digits) ** 2 // 2)
    rng = np.random.default_rng(seed)

    def operands(k):
        digits = rng.integers(1, max_digits + 1, size=k)              # (k,)
        low = np.where(digits == 1, 0, 10 ** (digits - 1))
        return low + (rng.random(k) * (10 ** digits - low)).astype(np.int64)

    keys, seen = [], set()
    while len(keys) < n:
        a, b = operands(2 * n), operands(2 * n)
        for key in (a * 10 ** max_digits + b).tolist():
            if key not in seen:
                seen.add(key)
                keys.append(key)
                if len(keys) == n:
                    break
    # shuffle: the rarer short problems run out first, so the order of discovery is biased
    a, b = np.divmod(np.array(keys, dtype=np.int64)[rng.permutation(n)], 10 ** max_digits)
    questions = np.array([f"{p}+{q}" for p, q in zip(a.tolist(), b.tolist())], dtype=object)
    answers = np.array([str(s) for s in (a + b).tolist()], dtype=object)
    vocab = Vocabulary("0123456789+")
    return _make_task("addition", vocab, questions, answers, np.zeros(n), ("a+b",),
                      2 * max_digits + 1, max_digits + 2, True, test_ratio)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(day):
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


# name -> writer(date, month name, weekday name); month and weekday names arrive
# already in the case picked for the question (full or abbreviated as the format needs).
_DATE_WRITERS = {
    "month d, yyyy": lambda d, m, w: f"{m} {d.day}, {d.year}",                 # September 27, 1994
    "d mon yyyy": lambda d, m, w: f"{d.day} {m[:3]} {d.year}",                  # 27 SEP 1994
    "weekday, month d, yyyy": lambda d, m, w: f"{w}, {m} {d.day}, {d.year}",   # Tuesday, March 5, 2019
    "wkd, d mon yyyy": lambda d, m, w: f"{w[:3]}, {d.day} {m[:3]} {d.year}",   # tue, 5 mar 2019
    "mon. d, yyyy": lambda d, m, w: f"{m[:3]}. {d.day}, {d.year}",             # Sep. 27, 1994
    "month dth, yyyy": lambda d, m, w: f"{m} {_ordinal(d.day)}, {d.year}",     # march 5th, 2019
    "d month yyyy": lambda d, m, w: f"{d.day} {m} {d.year}",                   # 27 september 1994
    "dd-mon-yy": lambda d, m, w: f"{d.day:02d}-{m[:3]}-{d.year % 100:02d}",    # 27-Sep-94
    "m/d/yy": lambda d, m, w: f"{d.month}/{d.day}/{d.year % 100:02d}",         # 2/10/93 (US)
    "mm/dd/yyyy": lambda d, m, w: f"{d.month:02d}/{d.day:02d}/{d.year}",       # 09/27/1994 (US)
    "dd.mm.yyyy": lambda d, m, w: f"{d.day:02d}.{d.month:02d}.{d.year}",       # 27.09.1994 (Europe)
    "d.m.yy": lambda d, m, w: f"{d.day}.{d.month}.{d.year % 100:02d}",         # 27.9.94 (Europe)
    "dd-mm-yyyy": lambda d, m, w: f"{d.day:02d}-{d.month:02d}-{d.year}",       # 27-09-1994 (Europe)
    "yyyy/mm/dd": lambda d, m, w: f"{d.year}/{d.month:02d}/{d.day:02d}",       # 1994/09/27
}
DATE_FORMATS = tuple(_DATE_WRITERS)
"""Names of the formats :func:`dates` writes questions in (``kind_names``)."""
_DATE_CASES = (str.lower, str.title, str.upper)
_DATE_FIRST = _datetime.date(1950, 1, 1)     # two-digit years: 50-99 -> 19yy, 00-49 -> 20yy
_DATE_DAYS = (_datetime.date(2049, 12, 31) - _DATE_FIRST).days + 1
_DATE_WIDTH = 32                             # longest: "Wednesday, September 27, 1994" (29)


def _write_date(day, kind, case):
    """One question string: the date ``day`` in format ``kind`` and letter case ``case``."""
    month = _DATE_CASES[case](_MONTHS[day.month - 1])
    weekday = _DATE_CASES[case](_WEEKDAYS[day.weekday()])
    return _DATE_WRITERS[DATE_FORMATS[kind]](day, month, weekday)


def dates(n=50000, seed=0, test_ratio=0.1, min_len=None, max_len=None):
    """Dates written in many human formats, each mapped to ISO 8601 (YYYY-MM-DD).

    Parameters
    ----------
    n : int
        Number of distinct questions N.
    seed : int
        Seed of ``np.random.default_rng(seed)``.
    test_ratio : float
        Fraction held out for testing (the last rows).
    min_len, max_len : int or None
        Keep only questions of at least / at most this many characters
        (for accuracy-against-length experiments); None for no limit.

    Returns
    -------
    SequenceTask
        Questions such as "september 27, 1994", "Tuesday, March 5, 2019",
        "2/10/93", "27 SEP 1994" right-padded to Tq = 32 characters; answers
        "_1994-09-27" (Ta = 11). ``kinds_train`` / ``kinds_test`` index
        :data:`DATE_FORMATS`; ``lengths()`` and ``by_length()`` select by
        question length.

    Notes
    -----
    Dates are uniform over 1950-01-01 .. 2049-12-31 so that a two-digit year
    has one reading: 50-99 are 19yy and 00-49 are 20yy. Numeric forms are
    unambiguous by their separator: "/" with the year last is US
    month/day/year, "." and "-" with the year last are European
    day.month.year. Month and weekday names come in lower, Title or UPPER
    case, in full or abbreviated to three letters; weekday names are
    computed by ``datetime`` so they are right for the date.
    """
    limit = None if (min_len or max_len) else _DATE_DAYS * len(DATE_FORMATS)
    n = _check_n("dates", n, limit)
    lo = 0 if min_len is None else int(min_len)
    hi = _DATE_WIDTH if max_len is None else int(max_len)
    rng = np.random.default_rng(seed)
    questions, answers, kinds, seen = [], [], [], set()
    for _ in range(1000):
        offsets = rng.integers(0, _DATE_DAYS, size=2 * n).tolist()
        formats = rng.integers(0, len(DATE_FORMATS), size=2 * n).tolist()
        cases = rng.integers(0, len(_DATE_CASES), size=2 * n).tolist()
        for off, kind, case in zip(offsets, formats, cases):
            day = _DATE_FIRST + _datetime.timedelta(days=off)
            q = _write_date(day, kind, case)
            if lo <= len(q) <= hi and q not in seen:
                seen.add(q)
                questions.append(q)
                answers.append(day.isoformat())
                kinds.append(kind)
                if len(questions) == n:
                    break
        if len(questions) == n:
            break
    else:
        raise ValueError(f"dates: could not find {n} distinct questions with "
                         f"{lo} <= length <= {hi}")
    order = rng.permutation(n).tolist()      # as in addition: discovery order is biased
    questions, answers, kinds = ([seq[k] for k in order] for seq in (questions, answers, kinds))
    chars = "".join(_MONTHS + _WEEKDAYS)
    vocab = Vocabulary(set(chars.lower() + chars.upper() + "0123456789,./- "))
    return _make_task("dates", vocab, np.array(questions, dtype=object),
                      np.array(answers, dtype=object), kinds, DATE_FORMATS,
                      _DATE_WIDTH, 11, True, test_ratio)


def _digit_task(name, transform, n, length, seed, n_symbols, start_token, test_ratio):
    """Random digit strings of one length, with the target made by ``transform``."""
    n = _check_n(name, n)
    if int(length) != length or length < 1:
        raise ValueError(f"{name}: length must be a positive integer, got {length!r}")
    if not 2 <= n_symbols <= 10:
        raise ValueError(f"{name}: n_symbols must be in 2..10, got {n_symbols!r}")
    rng = np.random.default_rng(seed)
    digits = rng.integers(0, n_symbols, size=(n, int(length)))        # (N, T)
    questions = np.array(["".join(map(str, row)) for row in digits.tolist()], dtype=object)
    answers = np.array([transform(q) for q in questions], dtype=object)
    vocab = Vocabulary("0123456789"[:n_symbols])
    return _make_task(name, vocab, questions, answers, np.zeros(n), ("digits",),
                      int(length), int(length) + bool(start_token), start_token, test_ratio)


def reversal(n=10000, length=8, seed=0, n_symbols=10, start_token=False, test_ratio=0.1):
    """Digit strings and their reversal: "30912" -> "21903".

    Parameters
    ----------
    n : int
        Number of sequences N (drawn independently; repeats are possible
        when ``n_symbols ** length`` is small).
    length : int
        Length T of every sequence.
    seed : int
        Seed of ``np.random.default_rng(seed)``.
    n_symbols : int
        Digits 0 .. n_symbols - 1 are used (2..10).
    start_token : bool
        False (default): targets are aligned with the inputs, shape (N, T),
        for an encoder-only model that predicts position t from the whole
        input. True: targets start with ``vocab.start``, shape (N, T + 1),
        for an encoder-decoder with teacher forcing.
    test_ratio : float

    Returns
    -------
    SequenceTask
        x of shape (N, T), t of shape (N, T) or (N, T + 1); vocabulary pad,
        start, then the digits (digit k has id k + 2).
    """
    return _digit_task("reversal", lambda q: q[::-1], n, length, seed, n_symbols,
                       start_token, test_ratio)


def sorting(n=10000, length=8, seed=0, n_symbols=10, start_token=False, test_ratio=0.1):
    """Digit strings and the same digits sorted ascending: "30912" -> "01239".

    Parameters and return value as :func:`reversal`.
    """
    return _digit_task("sorting", lambda q: "".join(sorted(q)), n, length, seed, n_symbols,
                       start_token, test_ratio)
