"""dlcourse grade on Dask: the gradebook equals the serial run's, on an embedded LocalCluster and
on a cluster started separately; a worker killed mid-task and a Ctrl-C both resume to it."""
import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time

import distributed  # noqa: F401 (a dependency: grading runs on Dask)
import nbformat
import pytest

from conftest import ROOT
from dlcourse.grading.grade import _journal_path, grade_folder
from notebook_utils import set_answer

SLOW = "import time\ntime.sleep(3)\n"  # keeps a task running long enough to kill its worker




def _nb(folder, chapter):
    return nbformat.read(ROOT / folder / chapter / f"{chapter}.ipynb", 4)


@pytest.fixture(scope="module")
def subs(tmp_path_factory):
    """Eight students, chapters 01 and 07: right, stubbed, half right, slow, broken."""
    folder = tmp_path_factory.mktemp("subs")
    ch01, ch07 = "01_perceptron", "07_backprop"
    cases = {
        ("ann", ch01): _nb("solutions", ch01),
        ("ann", ch07): _nb("solutions", ch07),
        ("ben", ch01): _nb("exercises", ch01),
        ("cat", ch01): set_answer(_nb("exercises", ch01), "xor",
                               "def xor(x1, x2):\n    return AND(NAND(x1, x2), OR(x1, x2))\n"),
        ("dan", ch01): set_answer(_nb("solutions", ch01), "xor", SLOW + "from dlcourse.gates import XOR as xor\n"),
        ("eve", ch01): set_answer(_nb("solutions", ch01), "perceptron", SLOW + "import os\nos._exit(3)\n"),
        ("fay", ch01): set_answer(_nb("solutions", ch01), "nand_params",
                               SLOW + "def nand_params():\n    return (-0.5, -0.5, 0.7)\n"),
        ("gus", ch01): "{ not a notebook",
    }
    for (student, chapter), nb in cases.items():
        path = folder / student / chapter / f"{chapter}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb))
    return folder


def _book(grades):
    """What the gradebook files hold: scores, reasons, which lines passed, errors. (Not the
    measures' last digits: this pytest process computes with the BLAS it started with, while
    processes it starts get the pinned kernels of dlcourse.course.REPRODUCIBLE_ENV.)"""
    return [(g.student, g.assignment, g.scores, g.reasons, g.error,
             {name: [(label, ok) for label, _, ok in lines] for name, lines in g.lines.items()})
            for g in grades]


def _quiet(*_):
    pass


@pytest.fixture(scope="module")
def serial(subs, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "grades.csv"
    return grade_folder(subs, root=ROOT, out=out, timeout=20, jobs=1, scheduler="threads",
                        progress=False, log=_quiet)


def test_the_corpus_is_graded_as_intended(serial):
    g = {(x.student, x.assignment): x for x in serial}
    assert g["ann", "01_perceptron"].total == 5 and g["ann", "07_backprop"].total == g["ann", "07_backprop"].max_total
    assert g["ben", "01_perceptron"].total == 0 and g["cat", "01_perceptron"].total == 2
    assert "calls the reference" in g["dan", "01_perceptron"].reasons["01.xor"]
    assert g["fay", "01_perceptron"].scores["01.nand_params"] == 1  # slow but right
    assert g["gus", "01_perceptron"].error.startswith("unreadable")


def test_embedded_local_cluster_gives_the_serial_gradebook(subs, serial, tmp_path):
    grades = grade_folder(subs, root=ROOT, out=tmp_path / "g.csv", timeout=20, jobs=2, progress=False, log=_quiet)
    assert _book(grades) == _book(serial)


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as c, Client(c) as client:
        yield c, client


def test_a_worker_killed_mid_task_loses_no_grade(subs, serial, cluster, tmp_path):
    c, client = cluster
    out = tmp_path / "g.csv"
    result, killed = {}, []

    def grade():
        result["grades"] = grade_folder(subs, root=ROOT, out=out, timeout=20, scheduler=c.scheduler_address,
                                        progress=False, log=_quiet)

    runner = threading.Thread(target=grade)
    runner.start()
    deadline = time.time() + 120
    while not killed and time.time() < deadline and runner.is_alive():
        busy = {w: keys for w, keys in client.processing().items() if keys}
        journalled = len(_journal_path(out).read_text().splitlines()) if _journal_path(out).exists() else 0
        if busy and journalled >= 1:  # one grade is in, and a task is running on a worker
            worker = sorted(busy)[0]
            pid = client.run(os.getpid, workers=[worker])[worker]
            os.kill(pid, signal.SIGKILL)
            killed.append((worker, busy[worker]))
        time.sleep(0.05)
    runner.join(timeout=300)
    assert killed, "no task was running to kill"
    assert _book(result["grades"]) == _book(serial)
    journal = [json.loads(line) for line in _journal_path(out).read_text().splitlines()]
    assert len(journal) == len(serial), "every grade is journalled exactly once"
    assert len({(r["student"], r["assignment"]) for r in journal}) == len(serial)


def _cli(subs, out, *extra):
    return [sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(subs), "--out", str(out),
            "--timeout", "20", "--quiet", *extra]


def test_ctrl_c_resumes_to_the_same_gradebook(subs, serial, tmp_path):
    from dlcourse.grading.report import write_csv

    write_csv(serial, tmp_path / "serial.csv")
    out = tmp_path / "g.csv"
    # a terminal's Ctrl-C reaches the whole process group: the grader and its workers
    proc = subprocess.Popen(_cli(subs, out, "--jobs", "2"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.time() + 180
    while proc.poll() is None and time.time() < deadline:
        if _journal_path(out).exists() and _journal_path(out).read_text().count("\n") >= 2:
            os.killpg(proc.pid, signal.SIGINT)
            break
        time.sleep(0.05)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "run the same command to resume" in err
    partial = _journal_path(out).read_text().count("\n")
    assert 2 <= partial < len(serial)
    done = subprocess.run(_cli(subs, out, "--jobs", "2"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"resuming: {partial} already graded" in done.stderr
    assert list(csv.reader(open(out))) == list(csv.reader(open(tmp_path / "serial.csv")))


def test_an_unreachable_scheduler_is_a_clear_error(subs, tmp_path):
    proc = subprocess.run(_cli(subs, tmp_path / "g.csv", "--scheduler", "tcp://127.0.0.1:9"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no Dask scheduler answered at 'tcp://127.0.0.1:9'" in proc.stderr and "Traceback" not in proc.stderr
