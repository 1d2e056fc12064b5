"""Grade a folder of submitted exercise notebooks: ``dlcourse grade SUBMISSIONS/``.

How one submission is graded:

1. The submission is read as JSON; an unreadable file scores 0 with a reason.
2. A fresh notebook is assembled from the *source* in ``solutions/``: every
   cell comes from the source except the answer cells (nbgrader
   ``solution: true``), which are taken from the submission by ``grade_id``.
   Edited or deleted check cells therefore change nothing, and hidden tests
   run from the source.
3. It runs in its own kernel, in a scratch folder, with a time limit per cell.
   Errors in one cell do not stop the others.
4. Every ``check(...)`` appends its verdict to a results file the grader
   reads afterwards; a check that never reported (a crash, a timeout) scores 0
   with that reason.

Layouts found: ``SUBMISSIONS/<student>/<NN_topic>/<NN_topic>.ipynb`` (nbgrader's
``submitted`` layout) and ``SUBMISSIONS/<student>/<NN_topic>.ipynb``.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Grade", "find_submissions", "assemble", "grade_notebook", "grade_folder"]


@dataclass
class Grade:
    """Points for one student's notebook of one chapter."""

    student: str
    assignment: str
    scores: dict = field(default_factory=dict)    # check name -> points earned
    possible: dict = field(default_factory=dict)  # check name -> points possible
    reasons: dict = field(default_factory=dict)   # check name -> why points were lost
    error: str = ""

    @property
    def total(self):
        return sum(self.scores.values())

    @property
    def max_total(self):
        return sum(self.possible.values())


def _checks_in(nb):
    """(grade_id, check name, points) of every check cell in a source notebook, in order."""
    import re

    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            m = re.search(r"""check\(\s*["']([0-9]{2}\.[A-Za-z0-9_]+)["']""", cell.source)
            if m:
                found.append((meta.get("grade_id"), m.group(1), float(meta.get("points", 0))))
    return found


def find_submissions(folder):
    """Yield (student, assignment, path) for every notebook under ``folder``."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(folder)
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        yield student, path.stem, path


def assemble(source_nb, submission_nb):
    """The source notebook with the submission's answers in its answer cells."""
    import copy

    answers = {}
    for cell in submission_nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            answers[meta["grade_id"]] = cell.get("source", "")
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            src = answers.get(meta.get("grade_id"), "raise NotImplementedError()")
            cell.source = "".join(src) if isinstance(src, list) else src
        if cell.cell_type == "code":
            cell.outputs = []
    return nb


def grade_notebook(source_path, submission_path, student="", timeout=60):
    """Grade one submission against its source notebook; never raises.

    Returns
    -------
    Grade
    """
    import nbformat

    source = nbformat.read(source_path, as_version=4)
    checks = _checks_in(source)
    grade = Grade(student, Path(source_path).stem,
                  scores={name: 0.0 for _, name, _ in checks},
                  possible={name: pts for _, name, pts in checks})
    try:
        submission = json.loads(Path(submission_path).read_text(encoding="utf-8"))
        if not isinstance(submission, dict):
            raise ValueError("not a notebook")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        grade.error = f"unreadable notebook: {type(exc).__name__}"
        grade.reasons = {name: grade.error for name in grade.scores}
        return grade

    nb = assemble(source, submission)
    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as tmp:
        results = Path(tmp, "results.jsonl")
        grade.error = _run(nb, tmp, results, timeout)
        reported = {}
        if results.exists():
            for line in results.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                reported.setdefault(rec.get("name"), rec)  # first report of a check counts
    for name in grade.scores:
        rec = reported.get(name)
        if rec is None:
            grade.reasons[name] = grade.error or "check did not run"
        elif rec.get("status") == "pass":
            grade.scores[name] = grade.possible[name]
        else:
            detail = rec.get("message") or "; ".join(rec.get("failed", []))
            grade.reasons[name] = f"{rec.get('status')}: {detail}"[:300]
    return grade


def _run(nb, cwd, results, timeout):
    """Execute ``nb``; returns "" or the reason it did not finish."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from dlcourse.grading.core import RESULTS_ENV

    env = dict(os.environ, **{RESULTS_ENV: str(results), "MPLBACKEND": "Agg"})
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            store_widget_state=False, resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=env)
    except CellTimeoutError:
        return f"a cell ran longer than the {timeout} s limit"
    except DeadKernelError:
        return "the kernel died"
    except Exception as exc:  # anything else nbclient raises: still a grade, not a crash
        return f"execution failed: {type(exc).__name__}"
    return ""


def grade_folder(submissions, root=None, timeout=60, log=print):
    """Grade every submission under ``submissions``.

    Returns
    -------
    list of Grade
    """
    from dlcourse.build import course_root

    root = course_root(root)
    grades = []
    for student, assignment, path in find_submissions(submissions):
        source = Path(root, "solutions", assignment, f"{assignment}.ipynb")
        if not source.exists():
            log(f"skipped {path}: no chapter called {assignment!r} in solutions/")
            continue
        g = grade_notebook(source, path, student=student, timeout=timeout)
        log(f"{student:<20} {assignment:<28} {g.total:g}/{g.max_total:g}"
            + (f"  ({g.error})" if g.error else ""))
        grades.append(g)
    return grades


def write_csv(grades, out):
    """One row per student, notebook and check: points, possible points and the reason."""
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "assignment", "check", "score", "max_score", "reason"])
        for g in grades:
            for name in g.possible:
                w.writerow([g.student, g.assignment, name, f"{g.scores[name]:g}",
                            f"{g.possible[name]:g}", g.reasons.get(name, "")])


def write_json(grades, out):
    data = [{"student": g.student, "assignment": g.assignment, "total": g.total,
             "max_total": g.max_total, "scores": g.scores, "possible": g.possible,
             "reasons": g.reasons, "error": g.error} for g in grades]
    Path(out).write_text(json.dumps(data, indent=2), encoding="utf-8")
