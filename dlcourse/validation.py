"""Input checks shared by every layer, model and optimiser of the library.

A learner's mistake (a wrong shape, a label out of range, a negative
learning rate) should fail at once with a message that names the class or
function, what it expected and what it got, e.g.::

    SGD: expected a learning rate lr > 0, got -1
    TimeRNN.forward: expected xs of shape (N, T, 4), got (2, 4)

Every module of layers and models (``layers``, ``functions``, ``optim``,
``cnn``, ``rnn``, ``attention``, ``transformer``, ``seq2seq``,
``recursive``, chapters 02-17) checks its inputs with these helpers instead
of a private copy. Each takes ``where`` first: the name the message starts
with (``"Affine"``, ``"Conv2D.backward"``). Checks raise ``ValueError``
(``TypeError`` for a wrong kind of value); none of them changes a number
that passes it: a float array comes back as the same object.

This module imports numpy only, so anything in the package may use it.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "as_float", "format_shape", "check_shape", "check_dout", "check_labels", "pair",
    "check_int", "check_choice", "check_positive", "check_range", "check_mask",
]


def as_float(x):
    """``x`` as an ndarray that computes in floating point.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    ndarray
        Float arrays come back unchanged (float32 stays float32, and an
        ndarray is the same object, not a copy); integer or boolean input
        becomes float64.
    """
    x = np.asarray(x)
    # dtype.kind "f" is np.issubdtype(dtype, np.floating), at a fraction of its cost: every
    # layer calls this on every forward and backward, and the Playground takes thousands of
    # tiny steps per slider move
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def format_shape(shape):
    """A shape as the messages print it: ``(4, 3)``, ``(3,)``, ``(N, T, 5)``.

    Entries may be ints or names (strings such as ``"N"``).
    """
    parts = [str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def check_shape(where, name, arr, expected):
    """Raise ValueError unless ``arr`` has the shape ``expected``.

    Parameters
    ----------
    where : str
        Who checks, e.g. ``"BatchNorm.forward"``.
    name : str
        What is checked, e.g. ``"x"``.
    arr : ndarray
    expected : tuple of int or str
        The shape; a string entry (``"N"``, ``"T"``) allows any size on
        that axis and is printed as the letter.

    Raises
    ------
    ValueError
        ``"{where}: expected {name} of shape (N, 3), got (4, 2)"``.
    """
    shape = np.shape(arr)
    if shape == expected:                      # the common case, checked first (it is cheap)
        return
    ok = len(shape) == len(expected) and all(
        isinstance(e, str) or int(e) == n for e, n in zip(expected, shape))
    if not ok:
        raise ValueError(f"{where}: expected {name} of shape {format_shape(expected)}, got {shape}")


def check_dout(where, dout, shape):
    """The upstream gradient of a backward pass, as a float array of the forward output's shape.

    Parameters
    ----------
    where : str
        E.g. ``"Affine.backward"``.
    dout : array_like
    shape : tuple of int
        The shape of the forward output.

    Returns
    -------
    ndarray
        ``as_float(dout)``.
    """
    dout = as_float(dout)
    check_shape(where, "dout (the shape of the forward output)", dout, shape)
    return dout


def check_labels(where, t, C):
    """Class labels as int64, checked to be whole numbers in 0..C-1.

    Parameters
    ----------
    where : str
    t : ndarray, shape (N,)
        Integer labels, or floats that are whole numbers (1.0).
    C : int
        Number of classes.

    Returns
    -------
    ndarray of int64, shape (N,)
    """
    t = np.asarray(t)
    whole = np.issubdtype(t.dtype, np.integer) or (
        np.issubdtype(t.dtype, np.floating) and np.all(np.mod(t, 1) == 0))
    if not whole or (t.size and (t.min() < 0 or t.max() >= C)):
        got = f"values {t.min()}..{t.max()}" if t.size and whole else f"dtype {t.dtype}"
        raise ValueError(f"{where}: expected integer labels t in 0..{C - 1}, got {got}")
    return t.astype(np.int64)


def _is_whole(v, low):
    try:
        return not isinstance(v, bool) and int(v) == v and v >= low
    except (TypeError, ValueError):
        return False


def pair(where, name, value, low=0):
    """An int or a pair of ints -> ``(along H, along W)``, each a whole number >= ``low``.

    Used for the stride and the padding of convolution and pooling (chapter 12).

    Returns
    -------
    (int, int)

    Raises
    ------
    ValueError
        ``"{where}: expected {name} to be an int >= {low} or a pair of them, got {value!r}"``.
    """
    both = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(both) != 2 or not all(_is_whole(v, low) for v in both):
        raise ValueError(f"{where}: expected {name} to be an int >= {low} or a pair of them, got {value!r}")
    return int(both[0]), int(both[1])


def check_int(where, name, value, low=1):
    """``value`` as an int, checked to be a whole number >= ``low`` (a size, a window, a stride).

    Raises
    ------
    ValueError
        ``"{where}: expected {name} to be an int >= {low}, got {value!r}"``.
    """
    if isinstance(value, (tuple, list)) or not _is_whole(value, low):
        raise ValueError(f"{where}: expected {name} to be an int >= {low}, got {value!r}")
    return int(value)


def check_choice(where, name, value, choices):
    """Raise ValueError unless ``value`` is one of ``choices``; returns ``value``.

    Raises
    ------
    ValueError
        ``"{where}: unknown {name} 'x'; expected one of a, b, c"``.
    """
    if value not in choices:
        raise ValueError(f"{where}: unknown {name} {value!r}; expected one of "
                         f"{', '.join(map(str, choices))}")
    return value


def check_positive(where, name, value):
    """Raise ValueError unless ``value > 0`` (a learning rate, an epsilon).

    Raises
    ------
    ValueError
        ``"{where}: expected {name} > 0, got {value}"``.
    """
    if not value > 0:
        raise ValueError(f"{where}: expected {name} > 0, got {value}")


def check_range(where, name, value, low, high, high_inclusive=False):
    """Raise ValueError unless ``low <= value < high`` (``<= high`` with ``high_inclusive``).

    Raises
    ------
    ValueError
        ``"{where}: expected {name} in [low, high), got {value}"`` (``]`` when inclusive).
    """
    ok = low <= value <= high if high_inclusive else low <= value < high
    if not ok:
        bound = "]" if high_inclusive else ")"
        raise ValueError(f"{where}: expected {name} in [{low}, {high}{bound}, got {value}")


def check_mask(where, mask, shape):
    """A boolean attention mask that broadcasts to ``shape`` (the scores), or None.

    Parameters
    ----------
    where : str
    mask : array_like of bool, or None
        True where attention is allowed.
    shape : tuple of int
        The scores' shape (..., Tq, Tk).

    Returns
    -------
    bool ndarray or None

    Raises
    ------
    TypeError
        For a mask that is not boolean (a 0/1 float mask is ambiguous).
    ValueError
        For a mask that does not broadcast to ``shape``.
    """
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"{where}: expected a boolean mask (True = may attend), got dtype {mask.dtype}")
    try:
        np.broadcast_shapes(mask.shape, shape)
    except ValueError:
        raise ValueError(f"{where}: mask of shape {mask.shape} does not broadcast to the "
                         f"scores' shape {tuple(shape)} (…, Tq, Tk)") from None
    return mask
