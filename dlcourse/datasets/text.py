"""The sentiment corpus of chapter 03: template sentences labelled +1 (positive) or -1 (negative).

=============================  =======  ==========================================
function                       chapter  what
=============================  =======  ==========================================
:func:`sentiment_corpus`       03       "I am happy" +1 / "I am sad" -1 sentences
:class:`SentimentCorpus`       03       the corpus, its vocabulary, train/test parts
=============================  =======  ==========================================

Seed 000 p.2-10 (Neubig): unigram features and a linear classifier. The
vocabulary belongs to each corpus object, built from its training sentences.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SentimentSplit", "SentimentCorpus", "sentiment_corpus"]


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

