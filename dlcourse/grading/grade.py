"""Grade a folder of submitted exercise notebooks: ``dlcourse grade SUBMISSIONS/``.

How one submission is graded:

1. The file is read as JSON (at most :data:`MAX_NOTEBOOK_BYTES`); an unreadable
   file scores 0 with a reason.
2. Only the answer cells (nbgrader ``solution: true``) are taken from the
   submission, matched by ``grade_id``. Every other cell comes from the source
   in ``solutions/``, so edited or deleted locked cells change nothing.
3. The source's set-up cells and the answers run in a :class:`~dlcourse.grading.sandbox.Sandbox`:
   a separate process with a time limit per cell and per call, a memory
   limit, no access to other submissions or to ``solutions/``, no writes
   outside its own scratch folder, no processes and no network.
4. The checks run here, in the grader, on references computed here; they
   reach the learner's functions through the sandbox. Nothing the submission
   printed or stored counts, and monkeypatching ``check`` or numpy inside it
   has no effect on the verdict.
5. Policy: an answer may use numpy and every building block the exercise hands
   out, but not the reference it is asked to write (each check's ``forbid``
   list); calling that reference scores 0 with the reason.
6. Hidden tests (``### BEGIN HIDDEN TESTS`` in a check cell of the source) run
   in the sandbox after the answers; if they raise, that check scores 0.

Grades are appended to a journal (``<out>.journal.jsonl``) as soon as each
submission is done, so an interrupted run (Ctrl-C, a crash) resumes where it
stopped; a submission whose file changed since it was graded is graded again.

Layouts found: ``SUBMISSIONS/<student>/<NN_topic>/<NN_topic>.ipynb`` (nbgrader's
``submitted`` layout) and ``SUBMISSIONS/<student>/<NN_topic>.ipynb``.
"""
from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dlcourse.grading.report import summary, write_csv, write_json  # noqa: F401 (the gradebook's writers)

__all__ = [
    "Grade", "find_submissions", "answer_cells", "read_submission", "source_plan",
    "grade_notebook", "grade_submission", "grade_folder", "grading_seed", "GRADING_SEEDS",
    "write_csv", "write_json", "summary",
]

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
"""Larger submissions (usually megabytes of saved output) are refused with a reason."""

_CHECK_CALL = re.compile(r"""check\(\s*["']([0-9]{2}\.[A-Za-z0-9_]+)["']\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)""")


@dataclass
class Grade:
    """Points for one student's notebook of one chapter."""

    student: str
    assignment: str
    scores: dict = field(default_factory=dict)    # check name -> points earned
    possible: dict = field(default_factory=dict)  # check name -> points possible
    reasons: dict = field(default_factory=dict)   # check name -> why points were lost
    error: str = ""
    digest: str = ""                              # sha256 of the submission file
    lines: dict = field(default_factory=dict)     # check name -> [[label, measure, passed], ...]
    hints: dict = field(default_factory=dict)     # check name -> hints shown under a FAIL
    answers: dict = field(default_factory=dict)   # grade_id -> the submitted answer's source
    lang: str = "en"                              # the edition the student worked in (feedback's language)

    @property
    def total(self):
        return sum(self.scores.values())

    @property
    def max_total(self):
        return sum(self.possible.values())


def find_submissions(folder):
    """Yield (student, assignment, path) for every notebook under ``folder``."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(folder)
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        yield student, path.stem, path


def _source_plan(source_nb):
    """Split a source notebook into set-up cells, answer cells and checks.

    Returns
    -------
    cells : list of (grade_id, kind, source)
        kind is "setup" or "answer", in notebook order.
    checks : list of (check name, object name, points, hidden test source or "")
    """
    cells, checks = [], []
    for k, cell in enumerate(source_nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id", f"cell-{k}")
        if meta.get("solution"):
            cells.append((gid, "answer", cell.source))
        elif meta.get("grade"):
            m = _CHECK_CALL.search(cell.source)
            if m:
                hidden = "\n".join(re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                              cell.source, re.S))
                checks.append((m.group(1), m.group(2), float(meta.get("points", 0)), hidden))
        else:
            cells.append((gid, "setup", cell.source))
    return cells, checks


def answer_cells(submission):
    """grade_id -> source of every answer cell in a submitted notebook (a parsed JSON dict)."""
    answers = {}
    for cell in submission.get("cells", []) if isinstance(submission, dict) else []:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell.get("metadata"), dict) else {}
        if isinstance(meta, dict) and meta.get("solution") and isinstance(meta.get("grade_id"), str):
            src = cell.get("source", "")
            answers[meta["grade_id"]] = "".join(src) if isinstance(src, list) else str(src)
    return answers


def read_submission(path):
    """The bytes of a submitted file, or ``None`` and why it cannot be graded (too big, unreadable).

    The size is looked at before anything is read, so a huge file costs nothing."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return None, f"file is {size / 2**20:.0f} MB, over the {MAX_NOTEBOOK_BYTES // 2**20} MB limit"
        return Path(path).read_bytes(), ""
    except OSError as exc:
        return None, type(exc).__name__


def _parse_submission(data):
    nb = json.loads(data.decode("utf-8"))
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook")
    return nb


def source_plan(source_path):
    """What grading needs of a source notebook in ``solutions/``, as plain data.

    Returns
    -------
    (assignment, cells, checks)
        See :func:`_source_plan`. Small and picklable: a Dask worker grades from it
        and never needs the instructor's files.
    """
    import nbformat

    cells, checks = _source_plan(nbformat.read(source_path, as_version=4))
    return Path(source_path).stem, cells, checks


def grade_notebook(source_path, submission_path, student="", timeout=30, memory_mb=4096, deny=()):
    """Grade one submission against its source notebook; never raises.

    Parameters
    ----------
    timeout : float
        Seconds allowed per cell and per call into the learner's code.
    memory_mb : int
        Memory limit of the sandbox.
    deny : list of paths
        Folders the submission may not read (other submissions, solutions/).

    Returns
    -------
    Grade
    """
    data, why = read_submission(submission_path)
    return grade_submission(source_plan(source_path), data, why, student=student, timeout=timeout,
                            memory_mb=memory_mb, deny=deny)


def grade_submission(plan, data, unreadable="", student="", timeout=30, memory_mb=4096, deny=()):
    """Grade a submission's bytes against a :func:`source_plan`; never raises.

    This is the unit of work ``dlcourse grade`` hands to a thread or a Dask
    worker. ``data`` is ``None`` when the file could not be read (``unreadable``
    says why).
    """
    from dlcourse.grading.core import get_check, run_check
    from dlcourse.grading.sandbox import Sandbox, SandboxError

    assignment, cells, checks = plan
    cells = list(cells)
    grade = Grade(student, assignment,
                  scores={name: 0.0 for name, *_ in checks},
                  possible={name: pts for name, _, pts, _ in checks})
    submission = None
    if data is not None:
        grade.digest = hashlib.sha256(data).hexdigest()
        try:
            submission = _parse_submission(data)
        except (UnicodeDecodeError, ValueError) as exc:
            unreadable = type(exc).__name__
    if submission is None:
        grade.error = f"unreadable notebook: {unreadable or 'OSError'}"
        grade.reasons = {name: grade.error for name in grade.scores}
        return grade

    answers = answer_cells(submission)
    grade.lang = _edition(submission)
    grade.answers = {gid: answers[gid] for gid, kind, _ in cells if kind == "answer" and gid in answers}
    plan = [(gid, answers.get(gid, "raise NotImplementedError()") if kind == "answer" else src)
            for gid, kind, src in cells]
    forbid = sorted({ref for name, *_ in checks for ref in _forbid(get_check, name)})
    # what the answers name outright, found here: the sandbox's own report is a second line of defence
    static = {name: referenced_names(grade.answers.values(), _forbid(get_check, name)) for name, *_ in checks}
    seed = grading_seed(data)

    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as tmp:
        box = Sandbox(tmp, deny=deny, call_timeout=timeout, memory_mb=memory_mb, forbid=forbid)
        try:
            errors = _start(box, plan)
            for name, obj_name, points, hidden in checks:
                if not box.alive:
                    errors = _start(box, plan)
                grade.reasons.pop(name, None)
                try:
                    box.reset_hits()
                    obj = box.lookup(obj_name)
                    if obj is None:
                        failing = [f"{g}: {e}" for g, e in errors.items() if e]
                        grade.reasons[name] = f"{obj_name} is not defined" + (f" ({failing[0]})" if failing else "")
                        continue
                    result = run_check(name, obj, seed=seed)
                    hits = box.forbidden_hits() if box.alive else []
                except SandboxError as exc:
                    grade.reasons[name] = _died_reason(exc, timeout)
                    continue
                except Exception as exc:  # the child could not hand the answer over (say, it cannot be encoded)
                    grade.reasons[name] = f"the grader could not use your {obj_name} ({_brief_error(exc)})"
                    continue
                hits = sorted(set(hits) | static.get(name, set()))
                grade.lines[name] = [[l.label, l.measure, l.passed] for l in result.lines]
                grade.hints[name] = result.hints()
                if not box.alive:  # the learner's code took the sandbox down mid-check
                    grade.reasons[name] = "your code timed out or crashed the grader's sandbox " \
                                          f"(limit {timeout:g} s per call)"
                elif hits:
                    grade.reasons[name] = f"calls the reference {', '.join(hits)}; write it yourself"
                elif not result.passed:
                    detail = result.message or "; ".join(f"{l.label}: {l.measure}" for l in result.lines
                                                          if not l.passed)
                    grade.reasons[name] = f"{result.status}: {detail}"[:300]
                    grade.scores[name] = float(result.score)  # 0 unless the check gives partial credit
                elif hidden.strip() and _hidden_fails(box, name, hidden):
                    grade.reasons[name] = "a hidden test failed"
                else:
                    grade.scores[name] = points
        except SandboxError as exc:
            grade.error = _died_reason(exc, timeout)
            for name in grade.scores:
                if grade.scores[name] == 0 and name not in grade.reasons:
                    grade.reasons[name] = grade.error
        finally:
            box.close()
    return grade


GRADING_SEEDS = (
    1829338325, 384259586, 56731232, 171429434, 762179172, 1784690068, 211455623, 640600315,
    1106284139, 1408935050, 727594203, 596784021, 486046539, 1833516013, 196710715, 581507469,
    1783054265, 1000337185, 2127514461, 784219799, 1025534801, 1277464730, 1424382979, 2071751630,
    2008422701, 1878240860, 2055112882, 443874592, 1706772431, 685781302, 876960788, 673924021,
)
"""The seeds ``dlcourse grade`` draws check inputs from: none of them is the notebook's own
``check(...)`` seed (0), and for each one every check passes its solution and fails its stub and
all its typical wrong answers (``tests/test_checks_proven.py`` proves it). They were picked
from random seeds for exactly that: some checks still judge one seed's data differently
(a wrong answer that only fails on large inputs, say), so the grader uses only proven seeds."""


def grading_seed(data):
    """The seed of a submission's check inputs: one of :data:`GRADING_SEEDS`, by a hash of the file.

    Answers cannot be memorised for the inputs a learner sees (seed 0); the file's own hash
    picks among the proven seeds, so identical files, a rerun or another worker give the
    same grade.
    """
    digest = hashlib.sha256(b"dlcourse-grade:" + data).digest()
    return GRADING_SEEDS[int.from_bytes(digest[:4], "big") % len(GRADING_SEEDS)]


def referenced_names(sources, forbid):
    """The forbidden dotted names that ``sources`` import or spell out (``dlcourse.layers.Affine``,
    ``from dlcourse.layers import Affine``, ``import dlcourse.layers as L; L.Affine``)."""
    import ast

    forbid, found = set(forbid), set()
    for src in sources:
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        alias = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:  # "import a.b" binds a; "import a.b as x" binds x to a.b
                    top = a.name.split(".")[0]
                    alias[a.asname or top] = a.name if a.asname else top
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    dotted = f"{node.module}.{a.name}"
                    alias[a.asname or a.name] = dotted
                    if dotted in forbid:
                        found.add(dotted)
        for node in ast.walk(tree):
            parts = []
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name) and parts:
                dotted = ".".join([alias.get(node.id, node.id), *reversed(parts)])
                found |= {f for f in forbid if dotted == f or dotted.startswith(f + ".")}
    return found


def _edition(submission):
    """The language of the edition a submission came from (its notebook metadata), else English."""
    from dlcourse.i18n import LANGUAGES

    meta = submission.get("metadata")
    lang = meta.get("dlcourse", {}).get("language") if isinstance(meta, dict) and \
        isinstance(meta.get("dlcourse"), dict) else None
    return lang if lang in LANGUAGES else "en"


def _hidden_fails(box, name, hidden):
    try:
        return bool(box.run([(f"hidden:{name}", hidden)]).get(f"hidden:{name}"))
    except SandboxError:
        raise
    except Exception:
        return True


def _brief_error(exc):
    try:
        text = str(exc).strip().splitlines()[0][:120]
    except Exception:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _forbid(get_check, name):
    try:
        return get_check(name).forbid
    except ValueError:
        return ()


def _start(box, plan):
    """(Re)start the sandbox and run the notebook's cells one by one; returns {grade_id: error}.

    A cell that hangs or kills the process is replaced in ``plan`` by one that
    raises, so later restarts (one per check at most) do not wait for it again.
    """
    from dlcourse.grading.sandbox import SandboxError

    for _ in range(len(plan) + 1):  # each pass removes one bad cell, or finishes
        box.close()
        box.start()
        errors = {}
        for k, (gid, src) in enumerate(plan):
            try:
                errors.update(box.run([(gid, src)]))
            except SandboxError as exc:
                plan[k] = (gid, f"raise RuntimeError({_died_reason(exc, box.call_timeout)!r})")
                break
            except Exception as exc:  # the child answered with an error instead of a report
                errors[gid] = _brief_error(exc)
        else:
            return errors
    return errors


def _died_reason(exc, timeout):
    from dlcourse.grading.sandbox import SandboxTimeout

    if isinstance(exc, SandboxTimeout):
        return f"a cell or call ran longer than the {timeout:g} s limit"
    return f"the submission's process died ({exc}); it may have crashed, called os._exit or run out of memory"


# --- a class ---------------------------------------------------------------------------

def _journal_path(out):
    return Path(str(out) + ".journal.jsonl")


def _load_journal(path):
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
                done[(rec["student"], rec["assignment"], rec["digest"])] = Grade(**rec)
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash: that submission is graded again
    return done


def grade_folder(submissions, root=None, out="grades.csv", timeout=30, jobs=1, memory_mb=4096,
                 progress=True, log=print, scheduler=None):
    """Grade every submission under ``submissions``, resuming from ``out``'s journal.

    Parameters
    ----------
    jobs : int
        Workers of the embedded Dask LocalCluster (or threads, with ``scheduler="threads"``).
    scheduler : str, optional
        A Dask scheduler's address (``tcp://host:8786``) to grade on an existing
        cluster; ``"threads"`` to grade in threads of this process without Dask;
        None (default) starts a LocalCluster of ``jobs`` workers. See
        :mod:`dlcourse.grading.cluster`.

    Returns
    -------
    list of Grade
        One per notebook found, in a stable order (student, assignment).
    """
    from dlcourse.course import course_root
    from dlcourse.grading.cluster import open_runner

    root = course_root(root)
    deny = [str(Path(submissions).resolve()), str(root / "solutions")]
    journal = _journal_path(out)
    done = _load_journal(journal)
    todo, grades, plans = [], {}, {}
    for student, assignment, path in find_submissions(submissions):
        source = root / "solutions" / assignment / f"{assignment}.ipynb"
        if not source.exists():
            log(f"skipped {path}: no chapter called {assignment!r} in solutions/")
            continue
        digest = _digest(path)
        if (student, assignment, digest) in done:
            grades[(student, assignment)] = done[(student, assignment, digest)]
        else:
            todo.append((student, assignment, path, digest))
            if assignment not in plans:
                plans[assignment] = source_plan(source)
    if done and grades:
        log(f"resuming: {len(grades)} already graded, {len(todo)} to go")
    if not todo:
        return [grades[k] for k in sorted(grades)]

    def tasks():  # read each file only when its task is sent, so memory stays flat
        for student, assignment, path, digest in todo:
            data, why = read_submission(path)
            yield (student, assignment, digest), (plans[assignment], data, why, student, timeout, memory_mb, deny)

    bar = _progress(len(todo), progress)
    with open_runner(scheduler, jobs, log) as runner:
        try:
            for (student, assignment, digest), g, error in runner.run(grade_submission, tasks()):
                if error is not None:  # not journalled: the next run tries this submission again
                    g = _lost(plans[assignment], student, digest, error)
                    log(f"could not grade {student}/{assignment}: {error!r}")
                else:
                    g.digest = g.digest or digest  # (an oversized file was never read)
                    _append(journal, g)
                grades[(student, assignment)] = g
                bar.update(1)
        except KeyboardInterrupt:
            bar.close()
            log("interrupted: stopping the grading")
            runner.interrupt()
            log(f"grades so far are saved in {journal}; run the same command to resume")
            raise
    bar.close()
    return [grades[k] for k in sorted(grades)]


def _append(journal, grade):
    import os

    with open(journal, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(grade)) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _lost(plan, student, digest, error):
    """The grade of a submission whose task failed for good: 0, with the reason, not journalled."""
    assignment, _, checks = plan
    why = f"the grader failed on this submission ({type(error).__name__}); run the command again"
    return Grade(student, assignment, scores={name: 0.0 for name, *_ in checks},
                 possible={name: pts for name, _, pts, _ in checks},
                 reasons={name: why for name, *_ in checks}, error=why, digest=digest)


def _digest(path):
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


def _progress(total, enabled):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="grading", unit="notebook", disable=not enabled)
