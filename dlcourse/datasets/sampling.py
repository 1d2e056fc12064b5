"""Drawing from labelled data: stratified splits, a few examples per class, noisy labels.

==========================  =======  ==================================================
function                    chapter  what
==========================  =======  ==================================================
:func:`stratified_split`    07+      train/test indices, the same share of each class
:func:`stratified_subset`   07-17    ``per_class`` examples of every class (few-shot)
:func:`label_noise`         17       labels with a fraction redrawn at random
==========================  =======  ==================================================

Every function takes the generator to draw from (``rng``) and leaves the
global ``np.random`` state alone. The draws are made in the order each
docstring states (class by class in increasing label order for the two
stratified functions), so a seed always picks the same samples.
"""
from __future__ import annotations

import numpy as np

__all__ = ["stratified_split", "stratified_subset", "label_noise"]


def stratified_split(t, test_ratio, rng):
    """Indices of a stratified train/test split, each part shuffled.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
        Class labels.
    test_ratio : float
        Fraction of each class that goes to the test set (rounded per class),
        in (0, 1).
    rng : numpy.random.Generator

    Returns
    -------
    train_idx : ndarray of int, shape (N_train,)
    test_idx : ndarray of int, shape (N_test,)
        ``N_test = sum_c round(n_c * test_ratio)`` over the classes c, which
        have n_c members each; together the two cover ``0 .. N-1`` once.

    Raises
    ------
    ValueError
        If ``test_ratio`` is outside (0, 1).

    Notes
    -----
    For every class in increasing label order, its members are permuted and
    the first ``round(n_c * test_ratio)`` go to the test set. Then each part
    is permuted, so neither is sorted by class.
    """
    if not 0 < test_ratio < 1:
        raise ValueError(f"stratified_split: test_ratio must be in (0, 1), got {test_ratio!r}")
    train_idx, test_idx = [], []
    for c in np.unique(t):
        members = rng.permutation(np.flatnonzero(t == c))
        n_test = int(round(len(members) * test_ratio))
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    train_idx, test_idx = np.concatenate(train_idx), np.concatenate(test_idx)
    return rng.permutation(train_idx), rng.permutation(test_idx)


def stratified_subset(t, per_class, rng, classes=None, shuffle=True):
    """Indices of ``per_class`` samples of every class, drawn without replacement.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
        Class labels.
    per_class : int
        How many samples of each class to pick.
    rng : numpy.random.Generator
    classes : iterable of int, optional
        The classes to pick from, in this order; by default every class in
        ``t``, in increasing order.
    shuffle : bool
        True: the indices are permuted at the end (one more draw from
        ``rng``), so the classes are mixed. False: class by class, in the
        order of ``classes``.

    Returns
    -------
    idx : ndarray of int, shape (K * per_class,)
        K is the number of classes; ``t[idx]`` holds each class
        ``per_class`` times and no index repeats.

    Raises
    ------
    ValueError
        If a class has fewer than ``per_class`` samples.
    """
    classes = np.unique(t) if classes is None else classes
    idx = []
    for c in classes:
        members = np.flatnonzero(t == c)
        if len(members) < per_class:
            raise ValueError(f"stratified_subset: class {c} has {len(members)} samples, "
                             f"fewer than per_class = {per_class}")
        idx.append(rng.choice(members, size=per_class, replace=False))
    idx = np.concatenate(idx)
    return rng.permutation(idx) if shuffle else idx


def label_noise(t, fraction, num_classes=10, rng=None):
    """Labels with a ``fraction`` of them replaced by a uniformly random class.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
    fraction : float
        Share of the samples whose label is redrawn, 0 <= fraction <= 1. A
        redrawn label can land on the true class, so about
        ``fraction · (1 - 1/num_classes)`` of the labels end up wrong.
    num_classes : int
        The new labels are drawn from ``0 .. num_classes - 1``.
    rng : numpy.random.Generator or int or None

    Returns
    -------
    ndarray of int64, shape (N,)
        A new array; ``t`` is not modified.

    Raises
    ------
    ValueError
        If ``fraction`` is outside [0, 1].

    Notes
    -----
    Two draws, in this order: N uniform numbers pick the samples to redraw
    (those below ``fraction``), then one class for each picked sample. The
    MNIST-1D paper's double-descent experiment uses 15% noise.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"label_noise: expected 0 <= fraction <= 1, got {fraction}")
    rng = np.random.default_rng(rng)
    t = np.array(t, dtype=np.int64)
    redraw = rng.random(t.shape[0]) < fraction
    t[redraw] = rng.integers(0, num_classes, int(redraw.sum()))
    return t
