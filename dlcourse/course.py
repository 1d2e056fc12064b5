"""Where the course's files are: the course folder, its lessons, solutions and exercises.

Pure path logic (no Jupyter imports), so that everything that needs to find a
notebook can: ``dlcourse build`` (which executes them), exercise generation and
class grading (:mod:`dlcourse.grading`), the benchmarks and the tests. It sits
below all of them, so none of them has to import another to find a file.

Layout (DESIGN.md)::

    notebooks/NN_topic.ipynb              the lessons (paired with NN_topic.py)
    solutions/NN_topic/NN_topic.ipynb     the exercises' single source
    exercises/NN_topic/NN_topic.ipynb     generated from the solutions
"""
from __future__ import annotations

import platform
from pathlib import Path

from dlcourse.i18n import MARKER

__all__ = ["course_root", "lesson_paths", "solution_paths", "exercise_path", "REPRODUCIBLE_ENV",
           "reproducible_env"]

REPRODUCIBLE_ENV = {
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR",
}
"""Environment for notebook kernels on x86-64, so saved outputs repeat on any such machine.

OpenBLAS and numpy pick their vector code by CPU: an AVX-512 machine and an AVX2
one round matrix products and ``exp`` differently in the last bits, and a
training run amplifies those bits into other printed accuracies. Pinning both
to their AVX2 code (OpenBLAS's Haswell kernels, numpy without its AVX-512 loops)
makes every x86-64 machine with AVX2 compute the same numbers. ``make test``,
``make lab``, ``dlcourse build`` and nbval (the root ``conftest.py``) start
their kernels with it; the Makefile repeats the values (tests/test_package.py
checks that they agree). numpy 2.4 names its AVX-512 group ``X86_V4`` (older
releases, the single ``AVX512*`` features), so both spellings are listed."""


def reproducible_env(machine=None):
    """The variables of :data:`REPRODUCIBLE_ENV` for this machine: all of them on x86-64, none elsewhere.

    Other architectures (an arm64 laptop) have one set of vector code only, and
    OpenBLAS would warn about a core type it does not know.
    """
    machine = (machine or platform.machine()).lower()
    return dict(REPRODUCIBLE_ENV) if machine in ("x86_64", "amd64") else {}


def course_root(start=None):
    """The folder holding ``notebooks/`` and ``solutions/``: ``start`` or one of its parents.

    Parameters
    ----------
    start : path, optional
        Where to look from (default: the current folder).

    Raises
    ------
    FileNotFoundError
        When neither ``start`` nor any parent holds both folders.
    """
    here = Path(start or Path.cwd()).resolve()
    for d in [here, *here.parents]:
        # an edition (ja/) has notebooks/ and solutions/ too, but the course is above it
        if (d / "notebooks").is_dir() and (d / "solutions").is_dir() and not (d / MARKER).exists():
            return d
    raise FileNotFoundError(
        f"no course found at or above {here}: expected a folder with notebooks/ and solutions/"
    )


def _notebooks(folder, pattern):
    """``.ipynb`` paths in ``folder`` matching ``pattern``, including scripts not yet converted."""
    found = {p.with_suffix(".ipynb") for p in Path(folder).glob(pattern + ".ipynb")}
    found |= {p.with_suffix(".ipynb") for p in Path(folder).glob(pattern + ".py")}
    return sorted(found)


def lesson_paths(root):
    """The lesson notebooks, chapter order: ``notebooks/NN_topic.ipynb``."""
    return _notebooks(Path(root, "notebooks"), "[0-9][0-9]_*")


def solution_paths(root):
    """The solution notebooks, chapter order: ``solutions/NN_topic/NN_topic.ipynb``."""
    return [p for p in _notebooks(Path(root, "solutions"), "[0-9][0-9]_*/[0-9][0-9]_*")
            if p.stem == p.parent.name]


def exercise_path(root, solution_path):
    """``solutions/NN_topic/NN_topic.ipynb`` -> ``exercises/NN_topic/NN_topic.ipynb``."""
    solution_path = Path(solution_path)
    return Path(root, "exercises", solution_path.parent.name, solution_path.name)
