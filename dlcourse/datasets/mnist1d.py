"""MNIST-1D (Greydanus & Kobak), built locally by the ``mnist1d`` package's generator.

===============================  =======  ===============================================
function                         chapter  what
===============================  =======  ===============================================
:func:`load_mnist1d`             09-17    sequences of 40 values, 10 digits, any seed
:func:`mnist1d_paper_data`       17       the published set (seed 42), cached; benchmarks
===============================  =======  ===============================================

Never downloads: ``mnist1d.data.make_dataset`` generates the set in a
second or two. ``make_dataset`` reseeds the global ``np.random`` and
``random`` generators, so :func:`load_mnist1d` saves their states and
restores them afterwards. The package is imported inside the function.
"""
from __future__ import annotations

import functools
import random

import numpy as np

__all__ = ["load_mnist1d", "MNIST1D_PAPER_SEED", "mnist1d_paper_data"]

MNIST1D_PAPER_SEED = 42
"""The seed of ``mnist1d.data.get_dataset_args()``: the data set the MNIST-1D paper publishes."""


def load_mnist1d(seed=0, num_samples=5000, train_split=0.8):
    """MNIST-1D, built locally by the ``mnist1d`` package's generator.

    Parameters
    ----------
    seed : int
        Seed handed to ``mnist1d`` (its own default, for the published data
        set, is :data:`MNIST1D_PAPER_SEED` = 42; see :func:`mnist1d_paper_data`).
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



@functools.lru_cache(maxsize=4)
def mnist1d_paper_data(num_samples=5000, train_split=0.8, seed=MNIST1D_PAPER_SEED):
    """MNIST-1D with the paper's generator settings (read-only arrays, cached).

    Parameters
    ----------
    num_samples, train_split, seed
        As :func:`load_mnist1d`; the seed defaults to :data:`MNIST1D_PAPER_SEED`.

    Returns
    -------
    x : ndarray of float64, shape (N_train, 40)
    t : ndarray of int64, shape (N_train,)
    x_test : ndarray of float64, shape (N_test, 40)
    t_test : ndarray of int64, shape (N_test,)
        4,000 / 1,000 sequences by default, as in the paper. The arrays are
        read-only: every call with the same arguments returns the same ones.
    """
    arrays = load_mnist1d(seed=seed, num_samples=num_samples, train_split=train_split)
    for a in arrays:
        a.setflags(write=False)
    return arrays
