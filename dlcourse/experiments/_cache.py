"""Cached experiment results that nobody can change: ``@cached(maxsize)``.

Many experiments are cached (``functools.lru_cache``) because the lesson, the
widget beside it and its warm-up thread all ask for the same trained models.
A cached result is shared: if one cell edited an array of it, every later call,
and the widget's default view, would show the edit. So a cached function's
result is frozen before it is stored:

* arrays become read-only (``writeable=False``); an in-place edit raises
  ``ValueError: assignment destination is read-only``;
* lists and dicts become :class:`FrozenList` and :class:`FrozenDict`: they print,
  compare and read as the originals, but every method that would change them
  raises ``TypeError``;
* a dataclass result must be declared ``@dataclass(frozen=True)`` (assigning
  a field raises ``FrozenInstanceError``), and its fields are frozen in turn;
* a trained model (anything with ``params``) keeps working for predictions,
  but its parameter arrays are read-only, so training it further fails at
  once instead of changing the cached model under everyone else's feet.

A learner who wants to change a result copies it first (``np.array(a)``,
``dataclasses.replace``). ``tests/test_experiments.py`` calls every cached
experiment and checks that nothing of its result can be written.
"""
from __future__ import annotations

import dataclasses
import functools

import numpy as np

__all__ = ["cached", "freeze", "is_frozen", "FrozenList", "FrozenDict"]


def _refuse(self, *args, **kwargs):
    raise TypeError(f"this {type(self).__bases__[0].__name__} belongs to a cached experiment result and "
                    f"is read-only; copy it first (list(...), dict(...))")


class FrozenList(list):
    """A list that cannot change (it prints and compares as a list)."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __hash__(self):
        return hash(tuple(self))

    def __reduce__(self):                       # copy and pickle without calling append
        return type(self), (list(self),)


class FrozenDict(dict):
    """A dict that cannot change (it prints and compares as a dict)."""

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):
        return type(self), (dict(self),)

_SCALARS = (type(None), bool, int, float, complex, str, bytes, np.generic, range, slice, type)


def freeze(value):
    """``value`` made read-only, recursively (see the module docstring); returns it (or its frozen copy)."""
    if isinstance(value, _SCALARS) or callable(value) and not hasattr(value, "params"):
        return value
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
        return value
    if isinstance(value, tuple):
        frozen = tuple(freeze(v) for v in value)
        return type(value)(*frozen) if hasattr(value, "_fields") else frozen   # a namedtuple stays one
    if isinstance(value, list):
        return value if isinstance(value, FrozenList) else FrozenList(freeze(v) for v in value)
    if isinstance(value, dict):
        return value if isinstance(value, FrozenDict) else FrozenDict((k, freeze(v)) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:
            raise TypeError(f"cached: {type(value).__name__} is returned by a cached experiment, so it "
                            f"must be a @dataclass(frozen=True)")
        for f in dataclasses.fields(value):
            object.__setattr__(value, f.name, freeze(getattr(value, f.name)))
        return value
    if hasattr(value, "params"):                  # a trained model: predictions only from now on
        for p in value.params:
            p.setflags(write=False)
        return value
    if hasattr(value, "__dict__"):                # a data object (a TreeBatch, a data set): its fields
        for name, v in vars(value).items():
            if isinstance(v, (np.ndarray, list, tuple, dict)):
                setattr(value, name, freeze(v))
        return value
    raise TypeError(f"cached: cannot make a {type(value).__name__} read-only")


def is_frozen(value):
    """True when nothing reachable from ``value`` can be written (the test's check)."""
    if isinstance(value, _SCALARS) or callable(value) and not hasattr(value, "params"):
        return True
    if isinstance(value, np.ndarray):
        return not value.flags.writeable
    if isinstance(value, (tuple, FrozenList)):
        return all(is_frozen(v) for v in value)
    if isinstance(value, FrozenDict):
        return all(is_frozen(v) for v in value.values())
    if isinstance(value, (list, dict)):
        return False
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value.__dataclass_params__.frozen and all(
            is_frozen(getattr(value, f.name)) for f in dataclasses.fields(value))
    if hasattr(value, "params"):
        return all(not p.flags.writeable for p in value.params)
    if hasattr(value, "__dict__"):
        return all(is_frozen(v) for v in vars(value).values()
                   if isinstance(v, (np.ndarray, list, tuple, dict)))
    return False


def cached(maxsize=128):
    """``functools.lru_cache(maxsize)`` whose results are :func:`freeze`-d before they are kept.

    The wrapper keeps ``lru_cache``'s ``cache_info`` and ``cache_clear``.
    """
    def decorate(func):
        @functools.lru_cache(maxsize=maxsize)
        @functools.wraps(func)
        def frozen(*args, **kwargs):
            return freeze(func(*args, **kwargs))
        return frozen
    return decorate
