"""Helpers for tests that read the course's notebooks without a kernel."""
import contextlib
import io

import nbformat

from conftest import ROOT


def read(path):
    return nbformat.read(path, as_version=4)


def exec_notebook(nb):
    """Run a notebook's code cells in one fresh namespace, in this process.

    Returns (namespace, printed text). Cells that raise stop nothing: the
    exception is recorded in the namespace under ``_errors``.
    """
    ns, out, errors = {"__name__": "__notebook__"}, io.StringIO(), []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(cell.source, "<cell>", "exec"), ns)
            except Exception as exc:  # recorded for the test to inspect
                errors.append(exc)
    ns["_errors"] = errors
    return ns, out.getvalue()


def check_calls(nb):
    """(check name, object name) of every check(...) call in a notebook, in order."""
    import re

    calls = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            calls += re.findall(r"""check\(\s*["']([^"']+)["']\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)""",
                                cell.source)
    return calls


def solution_notebooks():
    return sorted(ROOT.glob("solutions/[0-9][0-9]_*/[0-9][0-9]_*.ipynb"))


def exercise_notebooks():
    return sorted(ROOT.glob("exercises/[0-9][0-9]_*/[0-9][0-9]_*.ipynb"))


def lesson_notebooks():
    return sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))


def set_answer(nb, grade_id, source):
    """Put ``source`` into the cell whose nbgrader grade_id is ``grade_id``; returns ``nb``."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise KeyError(grade_id)
