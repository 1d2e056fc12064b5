"""The ``dlcourse`` command.

::

    dlcourse build [--only TEXT] [--no-exercises]   execute lessons and solutions, regenerate exercises/
    dlcourse generate [--only TEXT]                 regenerate exercises/ only
    dlcourse grade SUBMISSIONS/ --out grades.csv [--json grades.json] [--timeout S] [--jobs N]
    dlcourse checks                                 list every registered check and its points
"""
from __future__ import annotations

import argparse
import sys


def _build(args):
    from dlcourse.build import build

    build(args.root, only=args.only, exercises=not args.no_exercises)
    return 0


def _generate(args):
    from dlcourse.course import course_root
    from dlcourse.grading.generate import generate_all

    root = course_root(args.root)
    for out in generate_all(root, only=args.only):
        print(f"generated {out.relative_to(root)}")
    return 0


def _grade(args):
    from dlcourse.grading.grade import grade_folder, summary, write_csv, write_json

    try:
        grades = grade_folder(args.submissions, root=args.root, out=args.out, timeout=args.timeout,
                              jobs=args.jobs, memory_mb=args.memory_mb, progress=not args.quiet,
                              log=lambda m: print(m, file=sys.stderr))
    except KeyboardInterrupt:
        return 130
    if not grades:
        print(f"no gradable notebooks under {args.submissions}", file=sys.stderr)
        return 1
    write_csv(grades, args.out)
    if args.json:
        write_json(grades, args.json)
    print(summary(grades))
    print(f"wrote {args.out}" + (f" and {args.json}" if args.json else "") + f" ({len(grades)} notebooks)")
    return 0


def _checks(args):
    from dlcourse.grading.core import get_check, registered_checks

    for name in registered_checks():
        reg = get_check(name)
        print(f"{name:<24} {reg.points:g} points  {reg.title}")
    return 0


def parser():
    p = argparse.ArgumentParser(prog="dlcourse", description="The dlcourse deep learning course.")
    p.add_argument("--root", default=None, help="course folder (default: found from the current folder)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute lessons and solutions, save outputs, regenerate exercises/")
    b.add_argument("--only", help="only notebooks whose file name contains this text")
    b.add_argument("--no-exercises", action="store_true", help="do not regenerate exercises/")
    b.set_defaults(func=_build)

    g = sub.add_parser("generate", help="regenerate exercises/ from solutions/")
    g.add_argument("--only", help="only chapters whose name contains this text")
    g.set_defaults(func=_generate)

    gr = sub.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    gr.add_argument("submissions", help="folder of submissions: STUDENT/NN_topic/NN_topic.ipynb")
    gr.add_argument("--out", default="grades.csv", help="CSV gradebook to write (default grades.csv)")
    gr.add_argument("--json", default=None, help="also write a JSON gradebook here")
    gr.add_argument("--timeout", type=float, default=30, help="seconds allowed per cell and per call (default 30)")
    gr.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel (default 1)")
    gr.add_argument("--memory-mb", type=int, default=4096, help="memory limit per submission (default 4096)")
    gr.add_argument("--quiet", action="store_true", help="no progress bar")
    gr.set_defaults(func=_grade)

    c = sub.add_parser("checks", help="list the registered checks")
    c.set_defaults(func=_checks)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"dlcourse: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
