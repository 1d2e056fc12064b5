"""dlcourse grade: answers are graded by the source's checks in a fresh kernel;
broken submissions get 0 with a reason and the run goes on."""
import csv
import json
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT
from dlcourse.grading.grade import grade_folder, write_csv, write_json
from notebook_utils import set_answer

CHAPTER = "01_perceptron"
SOURCE = ROOT / "solutions" / CHAPTER / f"{CHAPTER}.ipynb"
EXERCISE = ROOT / "exercises" / CHAPTER / f"{CHAPTER}.ipynb"




def _put(folder, student, nb_or_text):
    path = folder / student / CHAPTER / f"{CHAPTER}.ipynb"
    path.parent.mkdir(parents=True)
    if isinstance(nb_or_text, str):
        path.write_text(nb_or_text)
    else:
        nbformat.write(nb_or_text, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    _put(subs, "alice", nbformat.read(SOURCE, 4))                      # the solution: full marks
    _put(subs, "bob", nbformat.read(EXERCISE, 4))                      # untouched stubs
    carol = nbformat.read(EXERCISE, 4)                                 # one right, one wrong, tampering
    set_answer(carol, "xor", "def xor(x1, x2):\n    return AND(NAND(x1, x2), OR(x1, x2))\n")
    set_answer(carol, "perceptron", "def perceptron(x, w, b):\n    return (x @ w - b > 0).astype(int)\n")
    set_answer(carol, "check_perceptron", 'print("PASS  2/2 points")')  # edits a locked check cell
    _put(subs, "carol", carol)
    dave = nbformat.read(EXERCISE, 4)                                  # hangs
    set_answer(dave, "nand_params", "def nand_params():\n    return (-1, -1, 1.5)\nwhile True:\n    pass\n")
    _put(subs, "dave", dave)
    _put(subs, "erin", "{ this is not json")
    _put(subs, "frank", "")
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    grades = grade_folder(subs, root=ROOT, out=out, timeout=10, jobs=2, progress=False, log=lambda *_: None)
    return {g.student: g for g in grades}


def test_solution_gets_full_marks(graded):
    g = graded["alice"]
    assert g.total == g.max_total == 5 and not g.reasons


def test_stubs_get_zero_with_reason(graded):
    g = graded["bob"]
    assert g.total == 0
    assert all(r.startswith("not implemented") for r in g.reasons.values())


def test_partial_credit_and_tampered_check_cells_are_ignored(graded):
    g = graded["carol"]
    assert g.scores == {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}
    assert g.reasons["01.perceptron"].startswith("fail:")


def test_infinite_loop_times_out_and_scores_zero(graded):
    g = graded["dave"]
    assert g.total == 0 and "10 s limit" in g.reasons["01.nand_params"], g.reasons


def test_unreadable_notebooks_score_zero_without_crashing(graded):
    for student in ("erin", "frank"):
        g = graded[student]
        assert g.total == 0 and g.error.startswith("unreadable notebook"), student


def test_gradebook_files(graded, tmp_path):
    grades = list(graded.values())
    write_csv(grades, tmp_path / "g.csv")
    rows = list(csv.DictReader(open(tmp_path / "g.csv")))
    assert len(rows) == 6 * 3
    alice = {r["check"]: r["score"] for r in rows if r["student"] == "alice"}
    assert alice == {"01.perceptron": "2", "01.nand_params": "1", "01.xor": "2"}
    write_json(grades, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert {d["student"]: d["total"] for d in data}["carol"] == 2


def test_cli_grade_and_checks(tmp_path):
    subs = tmp_path / "subs"
    _put(subs, "zoe", nbformat.read(SOURCE, 4))
    out = tmp_path / "grades.csv"
    proc = subprocess.run([sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(subs),
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "1 notebooks, mean total 5.00" in proc.stdout and out.exists()
    assert "zoe,01_perceptron,01.xor,2,2," in out.read_text()
    proc = subprocess.run([sys.executable, "-m", "dlcourse", "checks"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert "01.perceptron" in proc.stdout and "2 points" in proc.stdout


def test_interrupted_run_resumes_to_the_same_gradebook(tmp_path, monkeypatch):
    import dlcourse.grading.grade as G

    subs = tmp_path / "subs"
    for k in range(5):
        nb = nbformat.read(SOURCE if k % 2 == 0 else EXERCISE, 4)
        _put(subs, f"s{k}", nb)
    full = G.grade_folder(subs, root=ROOT, out=tmp_path / "full.csv", progress=False, log=lambda *_: None,
                          scheduler="threads")

    real, calls = G.grade_submission, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the class
        return real(*args, **kwargs)

    monkeypatch.setattr(G, "grade_submission", flaky)
    out = tmp_path / "resumed.csv"
    with pytest.raises(KeyboardInterrupt):
        G.grade_folder(subs, root=ROOT, out=out, progress=False, log=lambda *_: None, scheduler="threads")
    journal = G._journal_path(out).read_text().splitlines()
    assert len(journal) <= 2  # the third raised; the grades that came back before it are kept
    monkeypatch.setattr(G, "grade_submission", real)
    calls.clear()
    resumed = G.grade_folder(subs, root=ROOT, out=out, progress=False, log=lambda *_: None,
                             scheduler="threads")
    assert [(g.student, g.scores, g.reasons) for g in resumed] == [(g.student, g.scores, g.reasons) for g in full]
    assert len(G._journal_path(out).read_text().splitlines()) == 5, "finished grades are not graded again"
