"""Grade a synthetic class of 100 submissions: throughput, peak memory, and an
interrupted run resumed to the same gradebook.

    python benchmarks/grading.py [--n 100] [--jobs 2] [--chapter 01_perceptron]

The class mixes correct, partly correct and hostile notebooks (infinite loops,
os._exit, syntax errors, monkeypatched checks, calls to the reference, invalid
JSON). The script grades it twice with ``dlcourse grade``: once straight
through, once interrupted with SIGINT when half the journal is written and then
resumed; the two CSV gradebooks must be identical.
"""
from __future__ import annotations

import argparse
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = [
    "while True:\n    pass\n",
    "import os\nos._exit(1)\n",
    "def broken(:\n    pass\n",
    "import dlcourse.grading.core as c\nc.check = lambda *a, **k: print('PASS')\n",
    "import numpy as np\nnp.array_equal = np.allclose = lambda *a, **k: True\n",
    "print('x' * 50_000_000)\n",
]


def make_class(folder, chapter, n):
    """Write ``n`` submissions of ``chapter`` under ``folder``; returns the kinds used."""
    source = nbformat.read(ROOT / "solutions" / chapter / f"{chapter}.ipynb", 4)
    stub = nbformat.read(ROOT / "exercises" / chapter / f"{chapter}.ipynb", 4)
    answers = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")]
    kinds = []
    for k in range(n):
        nb = nbformat.from_dict(json.loads(nbformat.writes(stub)))
        kind = ("correct", "partial", "hostile")[k % 3]
        ans_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        for j, (mine, theirs) in enumerate(zip(ans_cells, answers)):
            if kind == "correct" or (kind == "partial" and j % 2 == 0):
                mine.source = theirs.source
            elif kind == "hostile" and j == 0:
                mine.source = HOSTILE[k % len(HOSTILE)]
        path = Path(folder, f"student{k:03d}", chapter, f"{chapter}.ipynb")
        path.parent.mkdir(parents=True)
        if kind == "hostile" and k % 7 == 0:
            path.write_text("{ not json")
        else:
            nbformat.write(nb, path)
        kinds.append(kind)
    return kinds


def grade(subs, out, jobs, interrupt_at=None):
    cmd = [sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(subs), "--out", str(out),
           "--jobs", str(jobs), "--timeout", "5", "--quiet"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if interrupt_at is not None:
        journal = Path(str(out) + ".journal.jsonl")
        while proc.poll() is None:
            if journal.exists() and len(journal.read_text().splitlines()) >= interrupt_at:
                proc.send_signal(signal.SIGINT)
                break
            time.sleep(0.05)
    stdout, stderr = proc.communicate()
    return time.perf_counter() - t, proc.returncode, stdout, stderr


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--chapter", default="01_perceptron")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp, "subs")
        kinds = make_class(subs, args.chapter, args.n)
        seconds, rc, stdout, _ = grade(subs, Path(tmp, "straight.csv"), args.jobs)
        peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(stdout.strip())
        print(f"\n{args.n} submissions ({kinds.count('correct')} correct, {kinds.count('partial')} partial, "
              f"{kinds.count('hostile')} hostile), --jobs {args.jobs}: {seconds:.1f} s, "
              f"{args.n / seconds * 60:.0f} submissions/min, exit code {rc}")
        print(f"peak memory of one process (grader or sandbox): {peak_child_mb:.0f} MB")

        out = Path(tmp, "resumed.csv")
        s1, rc1, _, err1 = grade(subs, out, args.jobs, interrupt_at=args.n // 2)
        done = len(Path(str(out) + ".journal.jsonl").read_text().splitlines())
        s2, rc2, _, _ = grade(subs, out, args.jobs)
        same = Path(tmp, "straight.csv").read_text() == out.read_text()
        print(f"interrupted after {s1:.1f} s with {done} graded (exit code {rc1}); resumed in {s2:.1f} s "
              f"(exit code {rc2}); gradebooks identical: {same}")
        return 0 if same and rc == rc2 == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
