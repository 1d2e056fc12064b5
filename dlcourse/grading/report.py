"""What ``dlcourse grade`` writes: gradebooks for the instructor and the LMS, feedback for students.

Gradebooks (``--format``):

* ``long`` (default): one row per student, notebook and check, with the
  points, the reason points were lost and which lines of the check passed.
* ``wide``: one row per student, one column per chapter (its total), and the
  course total; a spreadsheet or most LMSs import it as it is.
* ``canvas``: Canvas's gradebook import (Student, ID, SIS User ID, SIS Login
  ID, Section, then one column per chapter, a "Points Possible" row first).
  With ``--roster`` (Canvas's own gradebook export) students are matched by
  SIS Login ID, then ID, then name; without it the submission folder's name
  is used as the SIS Login ID.
* ``--json``: every grade with its lines and totals.

Feedback (``--feedback DIR``): ``DIR/<student>/<chapter>.html``, one page per
student and notebook, like nbgrader's feedback folder: the student's own
answers, every line of every check with PASS/FAIL, the points and the hints.
It holds nothing the student did not write or could not see in their own
``check(...)`` output: no reference code, no hidden-test text.
"""
from __future__ import annotations

import csv
import html
import json
from dataclasses import asdict
from pathlib import Path

__all__ = ["FORMATS", "write_gradebook", "write_csv", "write_wide", "write_canvas", "write_json",
           "write_feedback", "feedback_html", "summary", "passed_lines", "read_roster"]

FORMATS = ("long", "wide", "canvas")


def write_gradebook(grades, out, format="long", roster=None, log=print):
    """Write the gradebook ``out`` in one of :data:`FORMATS`."""
    if format == "long":
        return write_csv(grades, out)
    if format == "wide":
        return write_wide(grades, out)
    if format == "canvas":
        return write_canvas(grades, out, roster=roster, log=log)
    raise ValueError(f"unknown gradebook format {format!r}; expected one of {', '.join(FORMATS)}")


def _pts(p):
    return f"{p:g}"


def passed_lines(grade, name):
    """``"3/4 lines passed; failed: dx (4, 5) vs numerical gradient"`` for one check, "" if it never ran."""
    lines = grade.lines.get(name) or []
    if not lines:
        return ""
    failed = [label for label, _, ok in lines if not ok]
    text = f"{len(lines) - len(failed)}/{len(lines)} lines passed"
    return text + (f"; failed: {', '.join(failed)}" if failed else "")


def write_csv(grades, out):
    """The long gradebook: one row per student, notebook and check."""
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "assignment", "check", "score", "max_score", "reason", "lines"])
        for g in grades:
            for name in g.possible:
                w.writerow([g.student, g.assignment, name, _pts(g.scores[name]), _pts(g.possible[name]),
                            g.reasons.get(name, ""), passed_lines(g, name)])


def _table(grades):
    """(students, chapters, {(student, chapter): Grade}, {chapter: points possible})"""
    by = {(g.student, g.assignment): g for g in grades}
    chapters = sorted({g.assignment for g in grades})
    possible = {}
    for g in grades:
        possible[g.assignment] = max(possible.get(g.assignment, 0), g.max_total)
    return sorted({g.student for g in grades}), chapters, by, possible


def write_wide(grades, out):
    """One row per student, one column per chapter (its total; empty when not submitted), then the total."""
    students, chapters, by, possible = _table(grades)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", *chapters, "total", "max_total"])
        for s in students:
            cells = [_pts(by[s, c].total) if (s, c) in by else "" for c in chapters]
            total = sum(by[s, c].total for c in chapters if (s, c) in by)
            w.writerow([s, *cells, _pts(total), _pts(sum(possible.values()))])


CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def read_roster(roster):
    """Canvas's gradebook export -> list of dicts of its identity columns (other columns dropped)."""
    with open(roster, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    missing = [c for c in ("Student", "ID", "SIS Login ID") if rows and c not in rows[0]]
    if not rows or missing:
        raise ValueError(f"{roster}: expected Canvas's gradebook export with the columns "
                         f"{', '.join(CANVAS_ID_COLUMNS)}" + (f" (missing {', '.join(missing)})" if missing else ""))
    # Canvas puts a "Points Possible" row (and sometimes a muted row) under the header
    return [{c: r.get(c, "") or "" for c in CANVAS_ID_COLUMNS} for r in rows
            if r.get("Student", "").strip() not in ("Points Possible", "") and r.get("ID", "").strip()]


def _match(student, roster):
    for key in ("SIS Login ID", "ID", "Student"):
        for row in roster:
            if row[key].strip().lower() == student.lower():
                return row
    return None


def write_canvas(grades, out, roster=None, log=print):
    """Canvas's gradebook import: identity columns, one column per chapter, a Points Possible row.

    ``roster`` is Canvas's gradebook export (a path) or what :func:`read_roster` returned.

    Students missing from ``roster`` are listed on ``log`` and left out (Canvas would refuse the file)."""
    students, chapters, by, possible = _table(grades)
    rows = []
    people = (roster if isinstance(roster, list) else read_roster(roster)) if roster else None
    unmatched, used = [], {}
    for s in students:
        if people is None:
            ident = {"Student": s, "ID": "", "SIS User ID": "", "SIS Login ID": s, "Section": ""}
        else:
            ident = _match(s, people)
            if ident is None:
                unmatched.append(s)
                continue
            if id(ident) in used:
                log(f"{s} and {used[id(ident)]} both match the roster's {ident['Student']!r}; "
                    "Canvas keeps the last row")
            used[id(ident)] = s
        rows.append([ident[c] for c in CANVAS_ID_COLUMNS] + [_pts(by[s, c].total) if (s, c) in by else ""
                                                             for c in chapters])
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CANVAS_ID_COLUMNS + chapters)
        w.writerow(["Points Possible", "", "", "", ""] + [_pts(possible[c]) for c in chapters])
        w.writerows(rows)
    if unmatched:
        log(f"not in the roster, left out of {out}: {', '.join(unmatched)}")
    return unmatched


def write_json(grades, out):
    """The gradebook as JSON: one object per notebook, with its lines and totals (answers left out)."""
    data = []
    for g in grades:
        d = asdict(g)
        d.pop("answers", None)
        data.append(dict(d, total=g.total, max_total=g.max_total))
    Path(out).write_text(json.dumps(data, indent=2), encoding="utf-8")


def summary(grades):
    """A short table: per check, how many earned full points and the mean score."""
    checks = {}
    for g in grades:
        for name, pts in g.possible.items():
            row = checks.setdefault(name, [0, 0, 0.0, pts])
            row[0] += 1
            row[1] += g.scores[name] == pts
            row[2] += g.scores[name]
    lines = [f"{'check':<24} {'full marks':>10} {'mean':>6} {'of':>4}"]
    for name, (n, full, total, pts) in sorted(checks.items()):
        lines.append(f"{name:<24} {full:>5}/{n:<4} {total / n:6.2f} {pts:4g}")
    totals = [g.total for g in grades]
    if totals:
        lines.append(f"{len(grades)} notebooks, mean total {sum(totals) / len(totals):.2f}")
    return "\n".join(lines)


# --- feedback pages ---------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; margin-bottom: .3rem; }
.score { font-size: 1.3rem; font-weight: bold; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; } td { padding: .2rem .5rem; border-bottom: 1px solid #eee; }
.PASS { color: #1a7f37; font-weight: bold; } .FAIL { color: #cf222e; font-weight: bold; }
.check { border-left: 4px solid #ccc; padding-left: .8rem; margin: 1rem 0; }
.check.pass { border-color: #1a7f37; } .check.fail { border-color: #cf222e; }
.hint { background: #fff8c5; padding: .3rem .5rem; border-radius: 4px; }
"""


_PAGE_JA = {
    "feedback for {student}": "{student} さんへのフィードバック",
    "Score: {score} / {points} points": "得点: {score} / {points} 点",
    "Checks": "チェック", "Your answers": "あなたの解答", "Why: {reason}": "理由: {reason}",
    "{score} / {points} points": "{score} / {points} 点",
    "No answer cells were found in the submission.": "提出されたノートブックに解答セルが見つかりませんでした。",
}


def _page_text(text, lang):
    return _PAGE_JA.get(text, text) if lang == "ja" else text


def feedback_html(grade, titles=None):
    """One student's feedback page for one notebook (a complete HTML document).

    A submission from the Japanese edition (``grade.lang == "ja"``) gets its page in
    Japanese: headings, check lines and hints (the reasons stay as the grader wrote them)."""
    from dlcourse.grading.core import translate_measure
    from dlcourse.i18n import tr

    e = html.escape
    lang = getattr(grade, "lang", "en") or "en"
    t = lambda text, **kw: _page_text(text, lang).format(**kw)  # noqa: E731
    titles = titles or {}
    parts = [f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'>"
             f"<title>{e(grade.assignment)}: {e(grade.student)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{e(grade.assignment)}: {e(t('feedback for {student}', student=grade.student))}</h1>",
             f"<p class='score' id='score'>"
             f"{e(t('Score: {score} / {points} points', score=_pts(grade.total), points=_pts(grade.max_total)))}</p>"]
    if grade.error:
        parts.append(f"<p class='FAIL'>{e(grade.error)}</p>")
    parts.append(f"<h2>{e(t('Checks'))}</h2>")
    for name, possible in grade.possible.items():
        got = grade.scores.get(name, 0)
        ok = got == possible and name not in grade.reasons
        parts.append(f"<div class='check {'pass' if ok else 'fail'}' id='check-{e(name)}'>"
                     f"<h3>{e(name)}{': ' + e(titles[name]) if titles.get(name) else ''}</h3>"
                     f"<p><span class='{'PASS' if ok else 'FAIL'}'>{'PASS' if ok else 'FAIL'}</span> "
                     f"{e(t('{score} / {points} points', score=_pts(got), points=_pts(possible)))}</p>")
        lines = grade.lines.get(name) or []
        if lines:
            parts.append("<table>" + "".join(
                f"<tr><td>{e(tr(label, lang))}</td><td>{e(translate_measure(measure, lang))}</td>"
                f"<td class='{'PASS' if passed else 'FAIL'}'>{'PASS' if passed else 'FAIL'}</td></tr>"
                for label, measure, passed in lines) + "</table>")
        if name in grade.reasons:
            parts.append(f"<p>{e(t('Why: {reason}', reason=grade.reasons[name]))}</p>")
        parts += [f"<p class='hint'>{e(tr('Hint: {hint}', lang).format(hint=tr(h, lang)))}</p>"
                  for h in grade.hints.get(name, [])]
        parts.append("</div>")
    parts.append(f"<h2>{e(t('Your answers'))}</h2>")
    if not grade.answers:
        parts.append(f"<p>{e(t('No answer cells were found in the submission.'))}</p>")
    for gid, source in grade.answers.items():
        parts.append(f"<h3>{e(gid)}</h3><pre><code>{e(source)}</code></pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_feedback(grades, folder):
    """``folder/<student>/<chapter>.html`` for every grade; returns the paths written."""
    from dlcourse.grading.core import get_check

    def title(name):
        try:
            return get_check(name).title
        except ValueError:
            return ""

    written = []
    for g in grades:
        path = Path(folder, _safe(g.student), f"{_safe(g.assignment)}.html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_html(g, {n: title(n) for n in g.possible}), encoding="utf-8")
        written.append(path)
    return written


def _safe(name):
    """A student or chapter name as one path component (folder names came from the submissions).

    A name that had to be changed gets a short hash of the original, so two students whose
    names clean to the same text ("jane doe", "jane_doe") never share a page."""
    import hashlib

    name = str(name)
    cleaned = "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name).strip(".")
    if cleaned == name and cleaned:
        return cleaned
    return f"{cleaned or '_'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
