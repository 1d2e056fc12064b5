"""The check registry and the in-notebook ``check(name, obj)``.

A *check* is a function registered under a name like ``"01.perceptron"``.
It receives the learner's object and a :class:`Checker`, runs the learner's
code on seeded inputs and compares every quantity against the reference in
``dlcourse``. :func:`check` runs it and prints one fixed-format line per
quantity, then PASS/FAIL and points::

    01.perceptron: perceptron(x, w, b)
      AND truth table            4/4 rows right                  PASS
      batch (N, D) output        expected shape (7,), got (7, 1) FAIL
    FAIL  0/2 points
    Hint: ...

A learner's mistake never shows up as a traceback: a stub becomes "not
implemented yet", an exception becomes a FAIL line with its message, a
wrong shape names both shapes.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

from dlcourse.gradients import rel_error
from dlcourse.i18n import check_language, language, tr, tr_text

__all__ = [
    "register", "check", "run_check", "get_check", "registered_checks",
    "Checker", "CheckResult", "Line", "CheckFailed", "Built",
]

RESULTS_ENV = "DLCOURSE_RESULTS"
"""If set, :func:`check` appends each result as a JSON line to this file (used by ``dlcourse grade``)."""

LABEL_WIDTH = 40
MEASURE_WIDTH = 40


class CheckFailed(AssertionError):
    """Raised by :func:`check` under nbgrader's autograder so a failed check scores 0 there."""


class _Abort(Exception):
    """Stops a check early (the learner's object is unusable)."""


@dataclass
class Line:
    """One quantity of a check: what was compared, how far off it was, and the verdict."""

    label: str
    measure: str
    passed: bool
    hint: str = ""

    def format(self, lang="en"):
        verdict = "PASS" if self.passed else "FAIL"
        label = _clip(tr(self.label, lang), LABEL_WIDTH)
        return f"  {_pad(label, LABEL_WIDTH)} {_pad(translate_measure(self.measure, lang), MEASURE_WIDTH)} {verdict}"


@dataclass
class CheckResult:
    """The outcome of one check: its lines, the verdict and the points."""

    name: str
    title: str
    points: float
    lines: list = field(default_factory=list)
    status: str = "pass"  # "pass", "fail", "not implemented", "unknown check"
    message: str = ""
    hint: str = ""
    partial: bool = False  # registered with partial=True: a FAIL earns points per passing line

    @property
    def passed(self):
        return self.status == "pass"

    @property
    def score(self):
        """All the points on a PASS. On a FAIL, 0, or with partial credit the passing lines'
        share of the points (rounded to 0.01) when the check ran to its end (no message)."""
        if self.passed:
            return self.points
        if self.partial and self.status == "fail" and self.lines and not self.message:
            return round(self.points * sum(l.passed for l in self.lines) / len(self.lines), 2)
        return 0

    def hints(self):
        """The hints a FAIL prints: the check's own, then each failed line's, without repeats."""
        if self.passed:
            return []
        hints = [self.hint] + [l.hint for l in self.lines if not l.passed and l.hint]
        return list(dict.fromkeys(h for h in hints if h))  # unique, in order

    def format(self, lang="en"):
        """The lines ``check(...)`` prints; ``lang="ja"`` prints them in Japanese (PASS/FAIL stay)."""
        out = [f"{self.name}: {self.title}" if self.title else self.name]
        out += [line.format(lang) for line in self.lines]
        if self.message:
            out.append(f"  {translate_measure(self.message, lang)}")
        verdict = "PASS" if self.passed else "FAIL"
        points = tr("{score}/{points} points", lang).format(score=_fmt_points(self.score),
                                                           points=_fmt_points(self.points))
        out.append(f"{verdict}  {points}")
        out += [tr("Hint: {hint}", lang).format(hint=tr(h, lang)) for h in self.hints()]
        return "\n".join(out)

    def __str__(self):
        return self.format()

    def to_dict(self):
        return {
            "name": self.name, "status": self.status, "points": self.points,
            "score": self.score, "message": self.message,
            "failed": [f"{l.label}: {l.measure}" for l in self.lines if not l.passed],
            "lines": [[l.label, l.measure, l.passed] for l in self.lines],
        }


def _fmt_points(p):
    return f"{p:g}"


def _pad(text, width):
    """``text`` padded to ``width`` columns; CJK characters take two (so Japanese lines align)."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


# The measures the Checker writes, as (pattern, English template): translate_measure looks the
# template up in the language's catalog and fills in the numbers, which stay as they were.
_MEASURES = [(re.compile(pattern), template) for pattern, template in [
    (r"rel\. error (\S+) \(expect < (\S+)\)", "rel. error {0} (expect < {1})"),
    (r"expected shape (.+), got (.+)", "expected shape {0}, got {1}"),
    (r"expected an array, got (\S+)", "expected an array, got {0}"),
    (r"got nan or inf", "got nan or inf"),
    (r"as expected", "as expected"),
    (r"(\d+)/(\d+) entries right", "{0}/{1} entries right"),
    (r"(\d+)/(\d+) rows right", "{0}/{1} rows right"),
    (r"expected (.+), nothing was raised", "expected {0}, nothing was raised"),
    (r"raises (.+)", "raises {0}"),
    (r"numpy warning: (.*)", "numpy warning: {0}"),
    (r"finite, no warnings", "finite, no warnings"),
    (r"result is not finite", "result is not finite"),
    (r"this is (.+)", "this is {0}"),
    (r"your code raised (\w+): (.*)", "your code raised {0}: {1}"),
    (r"your code raised (\w+)", "your code raised {0}"),
    (r"raised (\w+): (.*)", "raised {0}: {1}"),
    (r"raised (\w+)", "raised {0}"),
    (r"expected (.+), got (.+)", "expected {0}, got {1}"),
]]


def translate_measure(text, lang="en"):
    """A measure or message in ``lang``: a whole-sentence translation if the catalog has one,
    else the first matching template's, else the English text."""
    if lang == "en":
        return text
    whole = tr(text, lang)
    if whole != text:
        return whole
    for pattern, template in _MEASURES:
        m = pattern.fullmatch(text)
        if m:
            return tr(template, lang).format(*m.groups())
    return tr_text(text, lang)  # a check's own measure, as a template with its numbers as blanks


@dataclass
class _Registered:
    name: str
    func: object
    points: float
    title: str
    hint: str
    forbid: tuple = ()
    partial: bool = False


_REGISTRY: dict[str, _Registered] = {}


def register(name, points, title="", hint="", forbid=(), partial=False):
    """Decorator: register ``func(obj, checker)`` as the check called ``name``.

    Parameters
    ----------
    name : str
        ``"NN.short_name"``, NN being the chapter number.
    points : float
        Points awarded when every line passes.
    title : str
        Shown on the first output line (usually the expected signature).
    hint : str
        Printed under a FAIL.
    forbid : tuple of str
        Dotted names of the references the answer must not call
        (``"dlcourse.functions.sigmoid"``); ``dlcourse grade`` scores an answer
        that calls one 0. Building blocks the exercise hands out stay allowed.
    partial : bool
        Partial credit: a FAIL still earns ``points`` times the share of lines
        that passed (see :attr:`CheckResult.score`). Default: all or nothing.
        Use it where the lines are separate quantities (forward, dx, dW, db),
        so a learner who has three of four right is told so in the gradebook.
    """
    def deco(func):
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = _Registered(name, func, points, title, hint, tuple(forbid), bool(partial))
        return func

    return deco


def _load_all():
    # Importing the package registers every chapter's checks.
    import dlcourse.grading.checks  # noqa: F401


def registered_checks():
    """Names of every registered check, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def get_check(name):
    """The registration record of a check; unknown names raise ValueError listing the valid ones."""
    _load_all()
    if name not in _REGISTRY:
        chapter = str(name).split(".")[0]
        same = [n for n in sorted(_REGISTRY) if n.startswith(chapter + ".")]
        valid = same or sorted(_REGISTRY)
        raise ValueError(f"unknown check {name!r}; valid names: {', '.join(valid)}")
    return _REGISTRY[name]


class Checker:
    """What a check function uses to run the learner's code and compare results.

    Every method records one :class:`Line`. ``actual`` may be a value or a
    zero-argument callable; a callable is run here, so an exception in the
    learner's code becomes a FAIL line for that quantity (and the other
    quantities still run).
    """

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.lines = []

    # -- running learner code ------------------------------------------------
    def _evaluate(self, label, actual, hint):
        if not callable(actual) or isinstance(actual, np.ndarray):
            return True, actual
        try:
            with _quiet_numpy():
                return True, actual()
        except NotImplementedError:
            raise
        except Exception as exc:  # the learner's code raised: report, don't crash
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            measure = f"raised {type(exc).__name__}" + (f": {msg}" if msg else "")
            self.lines.append(Line(label, _clip(measure), False, hint))
            return False, None

    def run(self, label, func, hint=""):
        """Call the learner's ``func()`` quietly; returns ``(True, value)``, or ``(False, None)``
        after recording a FAIL line when it raised. Use it when the value feeds later lines."""
        return self._evaluate(label, func, hint)

    def record(self, label, passed, measure, hint=""):
        """Record a line whose verdict the check computed itself."""
        self.lines.append(Line(label, _clip(measure), bool(passed), hint))
        return bool(passed)

    # -- comparisons -----------------------------------------------------------
    def close(self, label, actual, expected, tol=1e-7, hint=""):
        """Numbers/arrays: pass when shapes match and ``rel_error < tol``."""
        ok, actual = self._evaluate(label, actual, hint)
        if not ok:
            return False
        expected = np.asarray(expected, dtype=np.float64)
        arr = _as_float_array(actual)
        if arr is None:
            return self.record(label, False, f"expected an array, got {type(actual).__name__}", hint)
        if arr.shape != expected.shape:
            return self.record(label, False, f"expected shape {_shape(expected)}, got {_shape(arr)}", hint)
        if not np.all(np.isfinite(arr)) and np.all(np.isfinite(expected)):
            return self.record(label, False, "got nan or inf", hint)
        err = rel_error(arr, expected)
        return self.record(label, err < tol, f"rel. error {err:.1e} (expect < {tol:.0e})", hint)

    def equal(self, label, actual, expected, hint=""):
        """Exact equality (labels, truth tables, shapes, counts)."""
        ok, actual = self._evaluate(label, actual, hint)
        if not ok:
            return False
        expected = np.asarray(expected)
        arr = _as_float_array(actual)
        if arr is None:
            return self.record(label, False, f"expected {_brief(expected)}, got {type(actual).__name__}", hint)
        if arr.shape != expected.shape:
            return self.record(label, False, f"expected shape {_shape(expected)}, got {_shape(arr)}", hint)
        wrong = int(np.sum(arr != expected))
        if expected.size <= 1:
            measure = "as expected" if wrong == 0 else f"expected {_brief(expected)}, got {_brief(arr)}"
        else:
            measure = f"{expected.size - wrong}/{expected.size} entries right"
        return self.record(label, wrong == 0, measure, hint)

    def raises(self, label, func, exc_types=(ValueError,), hint=""):
        """Pass when calling ``func()`` raises one of ``exc_types``."""
        names = "/".join(e.__name__ for e in exc_types)
        try:
            func()
        except NotImplementedError:
            raise
        except exc_types:
            return self.record(label, True, f"raises {names}", hint)
        except Exception as exc:
            return self.record(label, False, f"expected {names}, got {type(exc).__name__}", hint)
        return self.record(label, False, f"expected {names}, nothing was raised", hint)

    def no_warnings(self, label, func, hint=""):
        """Pass when ``func()`` runs without numpy floating-point warnings and returns finite values."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                try:
                    out = func()
                except NotImplementedError:
                    raise
                except (FloatingPointError, RuntimeWarning) as exc:
                    return self.record(label, False, f"numpy warning: {str(exc)[:40]}", hint)
                except Exception as exc:
                    return self.record(label, False, f"raised {type(exc).__name__}: {exc}", hint)
        arr = _as_float_array(out)
        if arr is None or not np.all(np.isfinite(arr)):
            return self.record(label, False, "result is not finite", hint)
        return self.record(label, True, "finite, no warnings", hint)


@contextlib.contextmanager
def _quiet_numpy():
    """Silence numpy's floating-point warnings from learner code: the check reports them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with np.errstate(all="ignore"):
            yield


class Built:
    """Holds a learner's object built inside a check, so later lines can use it.

    ``mine = Built(); c.run("forward", lambda: mine.make(Cls, W, b).forward(x))``, then
    ``mine.backward(dout)`` in the next line; if building failed, that line reports it.
    """

    def __init__(self):
        self.obj = None

    def make(self, cls, *args):
        self.obj = cls(*args)
        return self.obj

    def __getattr__(self, name):
        if name == "obj":
            raise AttributeError(name)
        if self.obj is None:
            raise RuntimeError("the object could not be built, or an earlier call failed")
        return getattr(self.obj, name)


def _as_float_array(x):
    """``x`` as a float64 array, or None when it is not real numbers (complex values, objects,
    integers too large for a float): such an answer fails its line instead of being converted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            if np.iscomplexobj(x):
                return None
            arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError, OverflowError, np.exceptions.ComplexWarning):
        return None
    return arr


def _shape(a):
    return "()" if a.shape == () else str(tuple(a.shape))


def _brief(a):
    a = np.asarray(a)
    if a.size <= 6:
        return np.array2string(a, precision=4, separator=", ") if a.ndim else f"{a.item():g}" if np.issubdtype(a.dtype, np.number) else str(a.item())
    return f"array of shape {_shape(a)}"


def _clip(text, width=MEASURE_WIDTH + 20):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_check(name, obj, seed=0):
    """Run a registered check and return its :class:`CheckResult` (prints nothing)."""
    try:
        reg = get_check(name)
    except ValueError as exc:
        return CheckResult(str(name), "", 0, status="unknown check", message=str(exc))
    borrowed = borrowed_reference(obj, reg.forbid)
    # an answer that is the reference earns nothing, partial credit included
    result = CheckResult(name, reg.title, reg.points, hint=reg.hint, partial=reg.partial and not borrowed)
    checker = Checker(seed=seed)
    if borrowed:
        checker.record("your own code, not the reference", False, f"this is {borrowed}",
                       f"write it yourself: {borrowed} is the reference your answer is checked against")
    try:
        reg.func(obj, checker)
    except NotImplementedError:
        result.lines = checker.lines
        result.status = "not implemented"
        result.message = "not implemented yet: replace `raise NotImplementedError()` with your code"
        result.hint = ""
        return result
    except _Abort as exc:
        result.message = str(exc)
    except Exception as exc:  # an error the per-line guards did not catch
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        result.message = _clip(f"your code raised {type(exc).__name__}" + (f": {msg}" if msg else ""), 100)
    result.lines = checker.lines
    failed = bool(result.message) or not result.lines or not all(l.passed for l in result.lines)
    result.status = "fail" if failed else "pass"
    return result


def borrowed_reference(obj, forbid):
    """The dotted name of the forbidden reference ``obj`` is (or subclasses), else ""."""
    import importlib

    for dotted in forbid:
        module_name, _, attr = dotted.rpartition(".")
        try:
            ref = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):
            continue
        if obj is ref or (isinstance(obj, type) and isinstance(ref, type) and issubclass(obj, ref)):
            return dotted
    return ""


def check(name, obj, seed=0, lang=None):
    """Check a learner's answer and print the verdict.

    Parameters
    ----------
    name : str
        The exercise's check name, e.g. ``"01.perceptron"``.
    obj : object
        The learner's function, class or value.
    lang : {"en", "ja"}, optional
        The language of the printed lines; default :func:`dlcourse.i18n.language`
        (Japanese in the Japanese edition's folders).

    Returns
    -------
    None
        The verdict is printed; use :func:`run_check` to get it as an object.
    """
    lang = check_language(lang) if lang else language()
    result = run_check(name, obj, seed=seed)
    print(result.format(lang))
    sys.stdout.flush()
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result.to_dict()) + "\n")
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and not result.passed:
        # nbgrader scores a test cell by whether it raised.
        raise CheckFailed(f"{name}: {result.status}")
    return None
