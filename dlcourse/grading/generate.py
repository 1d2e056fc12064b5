"""Generate the learner notebooks in ``exercises/`` from ``solutions/``.

This runs nbgrader's own preprocessors, the ones ``nbgrader
generate_assignment`` applies, without its database:

1. ``ClearSolutions``: the code between ``### BEGIN SOLUTION`` and
   ``### END SOLUTION`` becomes ``# YOUR CODE HERE`` / ``raise NotImplementedError()``;
2. ``ClearHiddenTests``: ``### BEGIN HIDDEN TESTS`` blocks disappear;
3. ``LockCells``: instructions and check cells become read-only;
4. ``ClearOutput``: no outputs (so no solution output leaks either);
5. ``ComputeChecksums``: nbgrader can tell later whether a locked cell was edited.

``tests/test_exercises.py`` fails when a file in ``exercises/`` differs from
what this module generates, and checks that the real ``nbgrader
generate_assignment`` agrees with it.
"""
from __future__ import annotations

import copy

from dlcourse.course import exercise_path, solution_paths

__all__ = ["generate_exercise", "generate_all", "PREPROCESSORS"]

PREPROCESSORS = ("ClearSolutions", "ClearHiddenTests", "LockCells", "ClearOutput", "ComputeChecksums")


def generate_exercise(source_nb):
    """The learner version of a solution notebook (a new notebook; the input is untouched)."""
    import nbgrader.preprocessors as pp

    nb = copy.deepcopy(source_nb)
    resources = {}
    for name in PREPROCESSORS:
        nb, resources = getattr(pp, name)().preprocess(nb, resources)
    nb.metadata.pop("widgets", None)
    return nb


def generate_all(root, only=None):
    """Regenerate every exercise notebook; returns the paths written."""
    import nbformat

    written = []
    for src in solution_paths(root):
        if only and only not in src.name:
            continue
        out = exercise_path(root, src)
        out.parent.mkdir(parents=True, exist_ok=True)
        nb = generate_exercise(nbformat.read(src, as_version=4))
        nbformat.write(nb, out)
        written.append(out)
    return written
