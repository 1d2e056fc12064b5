"""Cached experiment results are read-only, so a notebook that edits one cannot change later
calls or a widget's default view (dlcourse.experiments._cache)."""
import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from dlcourse.experiments._cache import cached, freeze, is_frozen

EXPERIMENTS = sorted(p for p in (ROOT / "dlcourse" / "experiments").glob("*.py") if not p.name.startswith("_"))


@dataclasses.dataclass(frozen=True)
class _Result:
    curve: np.ndarray
    runs: list
    extra: dict


class _Model:
    def __init__(self):
        self.params = [np.zeros((2, 2)), np.zeros(2)]


def test_freeze_makes_every_part_read_only():
    res = freeze(_Result(np.arange(3.0), [np.ones(2), {"a": np.zeros(1)}], {"m": _Model()}))
    assert is_frozen(res)
    with pytest.raises(ValueError, match="read-only"):
        res.curve[0] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.curve = None
    assert res.runs == [res.runs[0], {"a": np.zeros(1)}] and repr(res.extra).startswith("{'m': ")
    for change in (lambda: res.extra.update(new=1), lambda: res.runs.append(1), lambda: res.runs.pop()):
        with pytest.raises(TypeError, match="read-only; copy it first"):
            change()
    assert list(res.runs) == res.runs and dict(res.extra) == res.extra     # copies are ordinary
    import copy
    import pickle

    assert copy.copy(res.runs) == res.runs and pickle.loads(pickle.dumps(res.extra))["m"] is not None
    with pytest.raises(ValueError, match="read-only"):
        res.extra["m"].params[0] += 1.0                 # a cached model cannot be trained further
    with pytest.raises(ValueError, match="read-only"):
        res.runs[1]["a"][0] = 1.0


def test_a_mutable_result_class_is_refused():
    @dataclasses.dataclass
    class Loose:
        x: np.ndarray

    with pytest.raises(TypeError, match="frozen=True"):
        freeze(Loose(np.zeros(2)))
    assert not is_frozen(Loose(np.zeros(2))) and not is_frozen([np.zeros(1)]) and not is_frozen(np.zeros(1))


def test_an_edit_cannot_reach_the_next_call():
    calls = []

    @cached(4)
    def experiment(n):
        calls.append(n)
        return _Result(np.arange(float(n)), [], {})

    first = experiment(3)
    with pytest.raises(ValueError):
        first.curve[:] = 0.0
    again = experiment(3)
    assert again is first and calls == [3] and again.curve.tolist() == [0.0, 1.0, 2.0]
    assert experiment.cache_info().hits == 1
    experiment.cache_clear()
    experiment(3)
    assert calls == [3, 3]


def _decorators(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            for d in node.decorator_list:
                yield node, ast.unparse(d)


def test_experiments_cache_through_cached_only():
    """functools.lru_cache would keep a mutable result; only the BLAS controller may use it."""
    for path in EXPERIMENTS:
        for node, dec in _decorators(path):
            if "lru_cache" in dec:
                assert node.name == "_blas", f"{path.name}: {node.name} uses {dec}; use @cached"


def test_every_result_class_is_frozen():
    for path in EXPERIMENTS:
        for node, dec in _decorators(path):
            if isinstance(node, ast.ClassDef) and dec.startswith("dataclass"):
                assert "frozen=True" in dec, f"{path.name}: {node.name} must be @dataclass(frozen=True)"


@pytest.mark.parametrize("call", [
    lambda: __import__("dlcourse.experiments.backprop", fromlist=["_"]).standardized_digits(0),
    lambda: __import__("dlcourse.experiments.backprop", fromlist=["_"])._araki_xor(2, 3.0, 20, 0, 0.5),
    lambda: __import__("dlcourse.experiments.deep", fromlist=["_"]).deep_run(depth=2, steps=2),
    lambda: __import__("dlcourse.experiments.rnn", fromlist=["_"]).gradient_flow(radii=(1.0,), T=8, H=4, n_seq=1),
    lambda: __import__("dlcourse.experiments.theory", fromlist=["_"]).approximation_rates(widths=(2, 4)),
    lambda: __import__("dlcourse.experiments.linear", fromlist=["_"])._corpus(0, 40),
], ids=["standardized_digits", "araki_xor", "deep_run", "gradient_flow", "approximation_rates", "corpus"])
def test_cached_experiments_return_frozen_results(call):
    res = call()
    assert is_frozen(res), res
    assert call() is res or str(call()) == str(res)
