"""The ``dlcourse`` command.

::

    dlcourse build [--only TEXT] [--no-exercises]   execute lessons and solutions, regenerate exercises/
    dlcourse generate [--only TEXT]                 regenerate exercises/ only
    dlcourse grade SUBMISSIONS/ --out grades.csv [--format long|wide|canvas] [--json grades.json]
                   [--feedback DIR] [--jobs N | --scheduler ADDRESS] [--timeout S]
    dlcourse translate [--lang ja]                  update the translation catalogs from the English notebooks
    dlcourse checks                                 list every registered check and its points
"""
from __future__ import annotations

import argparse
import sys


def _build(args):
    from dlcourse.build import build

    build(args.root, only=args.only, exercises=not args.no_exercises, editions=not args.no_editions)
    return 0


def _translate(args):
    from dlcourse.course import course_root
    from dlcourse.translate import update_all

    root = course_root(args.root)
    todo = update_all(root, lang=args.lang)
    left = sum(todo.values())
    print(f"{len(todo)} catalogs in translations/{args.lang}/ up to date with the English notebooks; "
          + (f"{left} entries to translate (empty or fuzzy)" if left else "everything is translated"))
    return 0


def _generate(args):
    from dlcourse.course import course_root
    from dlcourse.grading.generate import generate_all

    root = course_root(args.root)
    for out in generate_all(root, only=args.only):
        print(f"generated {out.relative_to(root)}")
    return 0


def _grade(args):
    from dlcourse.grading.grade import grade_folder
    from dlcourse.grading.report import summary, write_feedback, write_gradebook, write_json

    def log(message):
        print(message, file=sys.stderr)

    if args.roster and args.format != "canvas":
        log("dlcourse grade: --roster is for --format canvas")
        return 2
    roster = None
    if args.roster:  # read it now: a wrong roster should not wait for the whole class to be graded
        from dlcourse.grading.report import read_roster

        try:
            roster = read_roster(args.roster)
        except (OSError, ValueError) as exc:
            log(f"dlcourse grade: {exc}")
            return 2
    try:
        grades = grade_folder(args.submissions, root=args.root, out=args.out, timeout=args.timeout,
                              jobs=args.jobs, memory_mb=args.memory_mb, progress=not args.quiet,
                              log=log, scheduler=args.scheduler)
    except KeyboardInterrupt:
        return 130
    except (ConnectionError, RuntimeError) as exc:  # no scheduler there, or its workers differ
        log(f"dlcourse grade: {exc}")
        return 2
    if not grades:
        log(f"no gradable notebooks under {args.submissions}")
        return 1
    wrote = [f"{args.out} ({args.format})"]
    try:
        write_gradebook(grades, args.out, format=args.format, roster=roster, log=log)
        if args.json:
            write_json(grades, args.json)
            wrote.append(args.json)
        if args.feedback:
            pages = write_feedback(grades, args.feedback)
            wrote.append(f"{len(pages)} feedback pages in {args.feedback}")
    except OSError as exc:  # a folder that cannot be written; the journal keeps the grades
        log(f"dlcourse grade: cannot write {exc.filename}: {exc.strerror}; "
            "run the same command again once it can (nothing is graded twice)")
        return 2
    print(summary(grades))
    print(f"wrote {', '.join(wrote)} for {len(grades)} notebooks")
    return 0


def _checks(args):
    from dlcourse.grading.core import get_check, registered_checks

    for name in registered_checks():
        reg = get_check(name)
        credit = " (partial credit)" if reg.partial else ""
        print(f"{name:<24} {reg.points:g} points{credit}  {reg.title}")
    return 0


def parser():
    p = argparse.ArgumentParser(prog="dlcourse", description="The dlcourse deep learning course.")
    p.add_argument("--root", default=None, help="course folder (default: found from the current folder)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute lessons and solutions, save outputs, regenerate exercises/")
    b.add_argument("--only", help="only notebooks whose file name contains this text")
    b.add_argument("--no-exercises", action="store_true", help="do not regenerate exercises/")
    b.add_argument("--no-editions", action="store_true", help="do not rebuild the Japanese edition (ja/)")
    b.set_defaults(func=_build)

    g = sub.add_parser("generate", help="regenerate exercises/ from solutions/")
    g.add_argument("--only", help="only chapters whose name contains this text")
    g.set_defaults(func=_generate)

    gr = sub.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    gr.add_argument("submissions", help="folder of submissions: STUDENT/NN_topic/NN_topic.ipynb")
    gr.add_argument("--out", default="grades.csv", help="CSV gradebook to write (default grades.csv)")
    gr.add_argument("--json", default=None, help="also write a JSON gradebook here")
    gr.add_argument("--timeout", type=float, default=30, help="seconds allowed per cell and per call (default 30)")
    gr.add_argument("--format", choices=["long", "wide", "canvas"], default="long",
                    help="gradebook layout of --out: long (a row per check, default), wide (a row per "
                         "student, a column per chapter) or canvas (Canvas's gradebook import)")
    gr.add_argument("--roster", default=None,
                    help="with --format canvas: Canvas's gradebook export, to match students to Canvas IDs")
    gr.add_argument("--feedback", default=None, metavar="DIR",
                    help="write one HTML feedback page per student and notebook under DIR")
    gr.add_argument("--jobs", type=int, default=1,
                    help="workers of the embedded Dask LocalCluster, or threads with --scheduler threads "
                         "(default 1)")
    gr.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="grade on a running Dask cluster (tcp://host:8786); 'threads' grades in this "
                         "process without Dask; default: a LocalCluster of --jobs workers")
    gr.add_argument("--memory-mb", type=int, default=4096, help="memory limit per submission (default 4096)")
    gr.add_argument("--quiet", action="store_true", help="no progress bar")
    gr.set_defaults(func=_grade)

    t = sub.add_parser("translate", help="bring translations/<lang>/*.po up to date with the English notebooks")
    t.add_argument("--lang", default="ja", choices=["ja"], help="the edition (default ja)")
    t.set_defaults(func=_translate)

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
