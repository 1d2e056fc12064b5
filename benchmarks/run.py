"""Speed targets of the course, measured (not asserted: tests never time things).

    python benchmarks/run.py [--only import,widgets,notebooks]

* import: ``import dlcourse`` in a fresh interpreter (target <= 0.3 s).
* widgets: every demo in ``dlcourse.widgets``, from a control's value change
  to the new image (target: median <= 100 ms, p95 <= 300 ms).
* notebooks: every lesson and solution executed in a fresh kernel, slowest
  first (target: all of them <= 6 min together, no cell > 15 s).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_import(repeats=5):
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", "import time; t = time.perf_counter(); import dlcourse; "
             "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    print(f"import dlcourse: median {statistics.median(times) * 1e3:.1f} ms over {repeats} runs (target <= 300 ms)")


def _moves(demo):
    """A list of control settings that walk each control through a few values."""
    import ipywidgets as W

    moves = []
    for name, c in demo.controls.items():
        if isinstance(c, (W.Dropdown, W.SelectionSlider, W.ToggleButtons, W.RadioButtons)):
            values = [o if not isinstance(o, tuple) else o[1] for o in c.options]
        elif isinstance(c, W.Checkbox):
            values = [not c.value, c.value]
        else:
            values = [c.min + (c.max - c.min) * k / 6 for k in range(7)]
            if isinstance(c, W.FloatLogSlider):  # min and max are exponents of c.base
                values = [c.base ** v for v in values]
            if isinstance(c, W.IntSlider):
                values = [int(round(v)) for v in values]
        moves += [(name, v) for v in values]
    return moves


def bench_widgets(rounds=3):
    import matplotlib

    matplotlib.use("Agg")
    from dlcourse import widgets

    # widgets.DEMOS lists every demo in chapter order; looking one up imports its topic module.
    print(f"{'widget':<26} {'median ms':>10} {'p95 ms':>8} {'n':>4}  warm-up")
    for name, make in widgets.DEMOS.items():
        demo = make()
        # A demo over a trained grid warms its cache in a background thread; in its lesson
        # the cells above it have trained that grid already. Time the slider moves in that
        # state, and report how long the warm-up took from cold separately.
        warm_up = ""
        if demo.warming is not None:   # the thread of Demo(warm=...), None without a warm-up
            t = time.perf_counter()
            demo.warming.join()
            warm_up = f"{time.perf_counter() - t:.1f} s from cold"
        times = []
        for _ in range(rounds):
            for control, value in _moves(demo):
                t = time.perf_counter()
                demo.set(**{control: value})
                times.append(time.perf_counter() - t)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{name:<26} {statistics.median(times) * 1e3:10.1f} {p95 * 1e3:8.1f} {len(times):4d}  {warm_up}")


def bench_notebooks():
    from dlcourse.build import execute, read_paired
    from dlcourse.course import lesson_paths, solution_paths

    rows = []
    for path in lesson_paths(ROOT) + solution_paths(ROOT):
        t = time.perf_counter()
        execute(read_paired(path), cwd=path.parent)
        rows.append((time.perf_counter() - t, path.relative_to(ROOT)))
    rows.sort(reverse=True)
    for seconds, path in rows:
        print(f"{seconds:7.1f} s  {path}")
    print(f"{sum(s for s, _ in rows):7.1f} s  total ({len(rows)} notebooks; target <= 360 s)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default="import,widgets,notebooks")
    parts = p.parse_args(argv).only.split(",")
    if "import" in parts:
        bench_import()
    if "widgets" in parts:
        bench_widgets()
    if "notebooks" in parts:
        bench_notebooks()


if __name__ == "__main__":
    main()
