"""Grade a synthetic class at scale: throughput with 1 and 2 workers, peak memory per worker,
a cluster started separately, and an interrupted run resumed to the same gradebook.

    python benchmarks/grading.py [--n 1000] [--chapters 01_perceptron 07_backprop 14_lstm] [--skip-resume]

The class is spread evenly over the chapters and mixes correct, half right and
hostile notebooks (infinite loops, os._exit, syntax errors, monkeypatched checks
and numpy, huge prints, invalid JSON). It is graded with ``dlcourse grade``:

1. ``--jobs 1`` and ``--jobs 2`` (the embedded Dask LocalCluster): submissions per
   minute and their ratio;
2. ``--scheduler`` to a cluster started separately, the way a real one is
   (``dask scheduler`` and two ``dask worker --nthreads 1`` processes): throughput,
   and each worker's peak memory, read through the Dask client (each submission's
   sandbox is a separate process capped by ``--memory-mb``);
3. unless ``--skip-resume``: interrupted with SIGINT when half the journal is
   written, then resumed.

Every gradebook must be identical to the first one; the script exits 1 otherwise.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["01_perceptron", "07_backprop", "14_lstm"]

HOSTILE = [
    "while True:\n    pass\n",
    "import os\nos._exit(1)\n",
    "def broken(:\n    pass\n",
    "import dlcourse.grading.core as c\nc.check = lambda *a, **k: print('PASS')\n",
    "import numpy as np\nnp.array_equal = np.allclose = lambda *a, **k: True\n",
    "print('x' * 50_000_000)\n",
]


def _answers(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def make_class(folder, chapters, n):
    """Write ``n`` submissions spread over ``chapters`` under ``folder``; returns the kinds used."""
    sources = {ch: nbformat.read(ROOT / "solutions" / ch / f"{ch}.ipynb", 4) for ch in chapters}
    stubs = {ch: nbformat.writes(nbformat.read(ROOT / "exercises" / ch / f"{ch}.ipynb", 4)) for ch in chapters}
    kinds = []
    for k in range(n):
        chapter = chapters[k % len(chapters)]
        nb = nbformat.reads(stubs[chapter], 4)
        kind = ("correct", "partial", "hostile")[(k // len(chapters)) % 3]
        for j, (mine, theirs) in enumerate(zip(_answers(nb), _answers(sources[chapter]))):
            if kind == "correct" or (kind == "partial" and j % 2 == 0):
                mine.source = theirs.source
            elif kind == "hostile" and j == 0:
                mine.source = HOSTILE[k % len(HOSTILE)]
        path = Path(folder, f"student{k // len(chapters):04d}", chapter, f"{chapter}.ipynb")
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "hostile" and k % 7 == 0:
            path.write_text("{ not json")
        else:
            nbformat.write(nb, path)
        kinds.append(kind)
    return kinds


def grade(subs, out, *options, interrupt_at=None):
    """Run ``dlcourse grade``; returns (seconds, exit code, stdout, stderr)."""
    cmd = [sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(subs), "--out", str(out),
           "--timeout", "5", "--quiet", *options]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if interrupt_at is not None:
        journal = Path(str(out) + ".journal.jsonl")
        while proc.poll() is None:
            if journal.exists() and journal.read_text().count("\n") >= interrupt_at:
                os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
                break
            time.sleep(0.05)
    stdout, stderr = proc.communicate()
    return time.perf_counter() - t, proc.returncode, stdout, stderr


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_memory():
    """This worker process's peak resident memory, in MB. (Its sandboxes are capped by
    ``--memory-mb`` instead; their ru_maxrss would count the pages a fork shares with the worker.)"""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class SeparateCluster:
    """``dask scheduler`` and two ``dask worker`` processes, as on a real cluster (here on localhost)."""

    def __init__(self, workers=2):
        bindir = Path(sys.executable).parent
        dask = str(bindir / "dask") if (bindir / "dask").exists() else "dask"
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", port,
                                        "--no-dashboard"], **quiet)]
        self.procs += [subprocess.Popen([dask, "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                                         "--no-dashboard", "--name", f"w{k}"], **quiet) for k in range(workers)]
        from distributed import Client

        self.client = Client(self.address, timeout="60s")
        self.client.wait_for_workers(workers, timeout=120)

    def peak_memory(self):
        return self.client.run(_peak_memory)

    def close(self):
        self.client.close()
        for p in self.procs[::-1]:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=30)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1000, help="submissions in the class (default 1000)")
    p.add_argument("--chapters", nargs="+", default=CHAPTERS)
    p.add_argument("--skip-resume", action="store_true", help="skip the interrupted-and-resumed run")
    args = p.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp, "subs")
        kinds = make_class(subs, args.chapters, args.n)
        print(f"{args.n} submissions over {', '.join(args.chapters)}: {kinds.count('correct')} correct, "
              f"{kinds.count('partial')} half right, {kinds.count('hostile')} hostile\n")
        reference = None
        rates = {}
        runs = [("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])]
        for label, options in runs:
            out = Path(tmp, f"jobs{options[-1]}.csv")
            seconds, rc, stdout, stderr = grade(subs, out, *options)
            rates[label] = args.n / seconds * 60
            same = reference is None or out.read_text() == reference
            reference = reference or out.read_text()
            ok &= rc == 0 and same
            print(f"{label:<22} {seconds:7.1f} s  {rates[label]:6.0f} submissions/min  exit {rc}"
                  f"  gradebook identical: {same}")
            if rc:
                print(stderr[-2000:])
        print(f"{'':<22} 2 workers / 1 worker: {rates['--jobs 2'] / rates['--jobs 1']:.2f}x")

        cluster = SeparateCluster(workers=2)
        try:
            out = Path(tmp, "scheduler.csv")
            seconds, rc, _, stderr = grade(subs, out, "--scheduler", cluster.address)
            same = out.exists() and out.read_text() == reference
            ok &= rc == 0 and same
            print(f"{'--scheduler (2 workers)':<22} {seconds:7.1f} s  {args.n / seconds * 60:6.0f} submissions/min"
                  f"  exit {rc}  gradebook identical: {same}")
            if rc:
                print(stderr[-2000:])
            for worker, peak in sorted(cluster.peak_memory().items()):
                print(f"  peak memory of worker {worker}: {peak:.0f} MB")
        finally:
            cluster.close()

        if not args.skip_resume:
            out = Path(tmp, "resumed.csv")
            s1, rc1, _, _ = grade(subs, out, "--jobs", "2", interrupt_at=args.n // 2)
            done = Path(str(out) + ".journal.jsonl").read_text().count("\n")
            s2, rc2, _, _ = grade(subs, out, "--jobs", "2")
            same = out.exists() and out.read_text() == reference
            ok &= rc1 == 130 and rc2 == 0 and same
            print(f"\nCtrl-C after {s1:.1f} s with {done} graded (exit {rc1}); resumed in {s2:.1f} s (exit {rc2}); "
                  f"gradebook identical: {same}")
    print("\nall gradebooks identical" if ok else "\nMISMATCH or failure: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
