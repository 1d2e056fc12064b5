"""What ``dlcourse grade`` writes (dlcourse.grading.report), checked on really graded submissions.

Proven here, against values worked out by hand from the notebooks and the checks
(never against the writers' own output):

* long CSV: a ``lines`` column; a half-right chapter-07 ``Affine`` earns a
  fraction of the points and its row says which lines passed and which failed;
* wide CSV: a row per student, a column per chapter, an empty cell for a chapter
  not submitted, total = the sum of the student's chapters;
* Canvas CSV: the exact import header, a "Points Possible" row with each
  chapter's maximum; without a roster the folder name is the SIS Login ID; with
  Canvas's own export as roster students match by SIS Login ID, then ID, then
  name, the export's other columns are dropped and an unmatched student is left
  out and reported; a roster without the identity columns is refused;
* feedback pages: one per student and notebook, the score, every check with
  PASS/FAIL; no reference solution code on a stub's page and no hidden-test
  text at all; a student's answer is HTML-escaped; odd student names cannot
  write outside the feedback folder;
* the CLI end to end (``--format wide --json --feedback``);
* (e2e, needs chromium and playwright) a feedback page renders in headless
  Chromium with the score shown and nothing hidden in it.
"""
import csv
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from conftest import ROOT
from dlcourse.grading.grade import Grade, grade_folder
from dlcourse.grading.report import write_canvas, write_csv, write_feedback, write_wide

CH01, CH07 = "01_perceptron", "07_backprop"
DANA = "20417"  # a student who named her folder after her Canvas ID
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CH01, CH07]
HIDDEN_MARKER = "HIDDEN-MARKER-7f3a"

# --- answers --------------------------------------------------------------------------------

XOR_WITH_SCRIPT = (
    "def xor(x1, x2):\n"
    "    # <script>alert(1)</script>\n"
    "    return AND(NAND(x1, x2), OR(x1, x2))\n"
)

# Right forward, dx and dW; db is the batch *mean* instead of the sum. The check
# runs two shapes (N, D, H) = (4, 5, 3) and (2, 3, 6), four lines each (forward,
# dx, dW, db): 6 of 8 lines pass, so partial credit is 2 points x 6/8 = 1.5.
AFFINE_BAD_DB = """\
class Affine:
    def __init__(self, W, b):
        self.params, self.grads = [W, b], [np.zeros_like(W), np.zeros_like(b)]
    def forward(self, x):
        self.x = x
        return x @ self.params[0] + self.params[1]
    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.mean(axis=0)
        return dout @ self.params[0].T
"""
AFFINE_LINES = "6/8 lines passed; failed: db = grads[1] (3,) vs numerical, db = grads[1] (6,) vs numerical"

SIGMOID = """\
class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out
    def backward(self, dout):
        return dout * self.out * (1 - self.out)
"""

# (student, chapter) -> total, worked out by hand:
#   alice: the solutions (full marks, 5 and 8); bob: chapter-01 stubs, no chapter 07;
#   carol: 01 with xor right (2 of 5), 07 with Affine 1.5 + Sigmoid 1; dana: 07 stubs, no 01.
TOTALS = {("alice", CH01): 5, ("alice", CH07): 8, ("bob", CH01): 0,
          ("carol", CH01): 2, ("carol", CH07): 2.5, (DANA, CH07): 0}


# --- helpers --------------------------------------------------------------------------------

def _source(chapter):
    return ROOT / "solutions" / chapter / f"{chapter}.ipynb"


def _exercise(chapter):
    return nbformat.read(ROOT / "exercises" / chapter / f"{chapter}.ipynb", 4)


def _solution(chapter):
    return nbformat.read(_source(chapter), 4)


def _answer(nb, **sources):
    """``nb`` with the answer cells named by grade_id replaced."""
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell.source = sources.pop(gid)
    assert not sources, f"no such answer cells: {sorted(sources)}"
    return nb


def _put(folder, student, chapter, nb):
    path = Path(folder, student, chapter, f"{chapter}.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _check_points(chapter):
    """{check name: points} read from the source notebook's graded cells."""
    points = {}
    for cell in _solution(chapter).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            points[re.search(r'check\("([^"]+)"', cell.source).group(1)] = meta["points"]
    return points


def _reference_lines(chapter):
    """Lines of the reference answers a stub does not have (the code a student must write)."""
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in _exercise(chapter).cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    found = []
    for cell in _solution(chapter).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            stub_lines = {l.strip() for l in stubs[meta["grade_id"]].splitlines()}
            found += [l.strip() for l in cell.source.splitlines()
                      if l.strip() and "### " not in l and l.strip() not in stub_lines]
    return found


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _grade(student, chapter=CH01):
    return Grade(student, chapter, scores={"01.xor": 2.0}, possible={"01.xor": 2.0},
                 lines={"01.xor": [["truth table", "4/4 entries right", True]]})


class _Page(HTMLParser):
    """A feedback page as a reader sees it: the tags, all text, and the text of each element with an id."""

    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.tags, self._chunks, self._by_id, self._open = [], [], {}, []
        self.feed(source)
        self.close()
        self.text = " ".join(" ".join(self._chunks).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            ident = dict(attrs).get("id")
            if ident is not None:
                self._by_id[ident] = []
            self._open.append((tag, ident))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._open and self._open[-1][0] == "style":
            return
        self._chunks.append(data)
        for _, ident in self._open:
            if ident is not None:
                self._by_id[ident].append(data)

    def by_id(self, ident):
        return " ".join(" ".join(self._by_id[ident]).split())

    def verdict(self, check):
        """'PASS 2 / 2' or 'FAIL 1.5 / 2': the check's verdict and points."""
        m = re.search(r"\b(?:PASS|FAIL) \S+ / \S+(?= points)", self.by_id(f"check-{check}"))
        return m.group(0) if m else None


def _read_page(folder, student, chapter):
    source = Path(folder, student, f"{chapter}.html").read_text(encoding="utf-8")
    return source, _Page(source)


# --- the graded corpus -------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Four students, chapters 01 and 07, graded for real (threads, no Dask)."""
    subs = tmp_path_factory.mktemp("submissions")
    _put(subs, "alice", CH01, _solution(CH01))
    _put(subs, "alice", CH07, _solution(CH07))
    _put(subs, "bob", CH01, _exercise(CH01))
    _put(subs, "carol", CH01, _answer(_exercise(CH01), xor=XOR_WITH_SCRIPT))
    _put(subs, "carol", CH07, _answer(_exercise(CH07), Affine=AFFINE_BAD_DB, Sigmoid=SIGMOID))
    _put(subs, DANA, CH07, _exercise(CH07))
    out = tmp_path_factory.mktemp("out")
    grades = grade_folder(subs, root=ROOT, out=out / "grades.csv", timeout=30, jobs=2, progress=False,
                          log=lambda *_: None, scheduler="threads")
    feedback = out / "feedback"
    write_feedback(grades, feedback)
    return SimpleNamespace(grades=grades, by={(g.student, g.assignment): g for g in grades},
                           out=out, feedback=feedback)


def test_the_corpus_is_graded_as_worked_out(corpus):
    assert {k: g.total for k, g in corpus.by.items()} == TOTALS
    assert {ch: sum(_check_points(ch).values()) for ch in (CH01, CH07)} == {CH01: 5, CH07: 8}


# --- 1. long CSV --------------------------------------------------------------------------

def test_long_csv_shows_lines_and_partial_credit(corpus):
    write_csv(corpus.grades, corpus.out / "long.csv")
    header, *rows = _rows(corpus.out / "long.csv")
    assert header == ["student", "assignment", "check", "score", "max_score", "reason", "lines"]
    by = {(r[0], r[2]): dict(zip(header, r)) for r in rows}
    # a row per student, notebook and check
    assert len(rows) == sum(len(_check_points(ch)) for _, ch in TOTALS)

    affine = by["carol", "07.affine"]
    assert (affine["score"], affine["max_score"]) == ("1.5", "2")
    assert 0 < float(affine["score"]) < float(affine["max_score"])
    assert affine["lines"] == AFFINE_LINES
    assert affine["reason"].startswith("fail:") and "db = grads[1]" in affine["reason"]

    full = by["alice", "07.affine"]
    assert (full["score"], full["reason"], full["lines"]) == ("2", "", "8/8 lines passed")
    assert by["carol", "07.sigmoid"]["lines"] == "4/4 lines passed"  # 2 shapes x (forward, dx)
    stub = by["bob", "01.perceptron"]  # a stub raises before any line runs
    assert (stub["score"], stub["lines"]) == ("0", "") and stub["reason"].startswith("not implemented")


# --- 2. wide CSV ---------------------------------------------------------------------------

def test_wide_csv_has_a_row_per_student_and_a_column_per_chapter(corpus):
    write_wide(corpus.grades, corpus.out / "wide.csv")
    header, *rows = _rows(corpus.out / "wide.csv")
    assert header == ["student", CH01, CH07, "total", "max_total"]
    assert rows == [
        [DANA, "", "0", "0", "13"],     # no chapter 01: empty cell, not 0
        ["alice", "5", "8", "13", "13"],
        ["bob", "0", "", "0", "13"],
        ["carol", "2", "2.5", "4.5", "13"],
    ]
    for _, *cells, total, _ in rows:
        assert float(total) == sum(float(c) for c in cells if c)


# --- 3. Canvas -------------------------------------------------------------------------------

ROSTER = [  # Canvas's gradebook export: identity columns, then every assignment and the totals
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (4411)", "Current Score", "Final Score"],
    ["    Points Possible", "", "", "", "", "10", "(read only)", "(read only)"],
    ["Smith, Alice", "1001", "A1001", "alice", "Section 1", "9", "90", "90"],    # by SIS Login ID
    ["Chen, Carol", "1003", "C1003", "carol", "Section 2", "7", "70", "70"],     # by SIS Login ID
    ["Walker, Dana", DANA, "D20417", "dwalker", "Section 2", "8", "80", "80"],   # by ID
    ["Park, Eve", "1005", "E1005", "epark", "Section 1", "", "", ""],           # no submission
]                                                                               # bob: not in it


def _write_roster(path, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:  # Canvas writes a BOM
        csv.writer(fh).writerows(rows)
    return path


def test_canvas_without_roster_uses_the_folder_name_as_login(corpus):
    write_canvas(corpus.grades, corpus.out / "canvas.csv", log=lambda *_: None)
    header, points, *rows = _rows(corpus.out / "canvas.csv")
    assert header == CANVAS_HEADER
    assert points == ["Points Possible", "", "", "", "", "5", "8"]
    assert rows == [
        [DANA, "", "", DANA, "", "", "0"],
        ["alice", "", "", "alice", "", "5", "8"],
        ["bob", "", "", "bob", "", "0", ""],
        ["carol", "", "", "carol", "", "2", "2.5"],
    ]


def test_canvas_with_roster_matches_drops_columns_and_reports_the_unmatched(corpus, tmp_path):
    roster = _write_roster(tmp_path / "export.csv", ROSTER)
    said = []
    unmatched = write_canvas(corpus.grades, tmp_path / "import.csv", roster=roster, log=said.append)
    header, points, *rows = _rows(tmp_path / "import.csv")
    assert header == CANVAS_HEADER  # Quiz 1, Current Score, Final Score dropped
    assert points == ["Points Possible", "", "", "", "", "5", "8"]
    assert sorted(rows) == sorted([
        ["Smith, Alice", "1001", "A1001", "alice", "Section 1", "5", "8"],
        ["Chen, Carol", "1003", "C1003", "carol", "Section 2", "2", "2.5"],
        ["Walker, Dana", DANA, "D20417", "dwalker", "Section 2", "", "0"],
    ])
    assert unmatched == ["bob"]
    assert len(said) == 1 and "bob" in said[0]


def test_canvas_matches_login_before_id_before_name(tmp_path):
    roster = _write_roster(tmp_path / "export.csv", [
        ROSTER[0][:5],
        ["Lee, Kim", "7", "", "klee", "A"],
        ["Sam Ortiz", "8", "", "7", "A"],  # logs in as "7": folder "7" is Sam, not the student whose ID is 7
    ])
    grades = [_grade("7"), _grade("Lee, Kim")]
    assert write_canvas(grades, tmp_path / "import.csv", roster=roster, log=lambda *_: None) == []
    _, _, *rows = _rows(tmp_path / "import.csv")
    assert sorted(rows) == [["Lee, Kim", "7", "", "klee", "A", "2"], ["Sam Ortiz", "8", "", "7", "A", "2"]]


def test_canvas_roster_without_the_optional_columns(tmp_path):
    """Only Student, ID and SIS Login ID are needed; SIS User ID and Section are written empty."""
    roster = _write_roster(tmp_path / "export.csv", [["Student", "ID", "SIS Login ID", "Quiz 1 (4411)"],
                                                    ["Lee, Kim", "7", "klee", "9"]])
    write_canvas([_grade("klee")], tmp_path / "import.csv", roster=roster, log=lambda *_: None)
    assert _rows(tmp_path / "import.csv")[2:] == [["Lee, Kim", "7", "", "klee", "", "2"]]


@pytest.mark.parametrize("rows", [
    [["Name", "Email", "Score"], ["Alice", "alice@example.org", "9"]],  # not a Canvas export
    [["Student", "SIS User ID", "Section"], ["Smith, Alice", "A1001", "S1"]],  # no ID, no SIS Login ID
    [ROSTER[0]],  # the header and nobody
])
def test_canvas_refuses_a_roster_without_the_identity_columns(corpus, tmp_path, rows):
    roster = _write_roster(tmp_path / "export.csv", rows)
    with pytest.raises(ValueError, match="Student, ID, SIS User ID, SIS Login ID, Section"):
        write_canvas(corpus.grades, tmp_path / "import.csv", roster=roster, log=lambda *_: None)


# --- 4. feedback pages --------------------------------------------------------------------

def test_a_feedback_page_per_student_and_notebook(corpus):
    pages = {p.relative_to(corpus.feedback).as_posix() for p in corpus.feedback.rglob("*") if p.is_file()}
    assert pages == {f"{s}/{ch}.html" for s, ch in TOTALS}


@pytest.mark.parametrize("student,chapter,verdicts", [
    ("alice", CH07, {"07.affine": "PASS 2 / 2", "07.sigmoid": "PASS 1 / 1",
                     "07.softmax_with_loss": "PASS 2 / 2", "07.araki_step": "PASS 3 / 3"}),
    ("carol", CH07, {"07.affine": "FAIL 1.5 / 2", "07.sigmoid": "PASS 1 / 1",
                     "07.softmax_with_loss": "FAIL 0 / 2", "07.araki_step": "FAIL 0 / 3"}),
    ("carol", CH01, {"01.perceptron": "FAIL 0 / 2", "01.nand_params": "FAIL 0 / 1", "01.xor": "PASS 2 / 2"}),
    ("bob", CH01, {"01.perceptron": "FAIL 0 / 2", "01.nand_params": "FAIL 0 / 1", "01.xor": "FAIL 0 / 2"}),
])
def test_feedback_shows_the_score_and_every_check(corpus, student, chapter, verdicts):
    _, page = _read_page(corpus.feedback, student, chapter)
    total = TOTALS[student, chapter]
    assert page.by_id("score") == f"Score: {total:g} / {sum(_check_points(chapter).values()):g} points"
    assert set(verdicts) == set(_check_points(chapter))  # every check of the notebook is listed
    assert {name: page.verdict(name) for name in verdicts} == verdicts


def test_feedback_lists_each_line_of_a_partial_check(corpus):
    _, page = _read_page(corpus.feedback, "carol", CH07)
    text = page.by_id("check-07.affine")
    assert text.count("PASS") == 6 and text.count("FAIL") == 1 + 2  # the verdict, then the 2 db lines
    assert "db = grads[1] (3,) vs numerical" in text and "Why: fail:" in text
    assert "db = dout.sum(axis=0)" in text  # the failed lines' hint


@pytest.mark.parametrize("chapter,student", [(CH01, "bob"), (CH07, DANA)])
def test_a_stub_page_holds_no_reference_code(corpus, chapter, student):
    reference = _reference_lines(chapter)
    assert len(reference) >= 3, reference
    stub, _ = _read_page(corpus.feedback, student, chapter)
    solved, _ = _read_page(corpus.feedback, "alice", chapter)
    # the search finds the reference where it is (alice handed in the solutions) ...
    assert all(line in html.unescape(solved) for line in reference)
    # ... and not on the page of a student who wrote none of it
    assert [line for line in reference if line in html.unescape(stub)] == []
    assert "BEGIN SOLUTION" not in stub and "BEGIN HIDDEN TESTS" not in stub


def test_a_student_answer_is_escaped(corpus):
    source, page = _read_page(corpus.feedback, "carol", CH01)
    assert "<script>" not in source and "script" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "# <script>alert(1)</script>" in page.text  # shown as the text the student wrote


@pytest.mark.parametrize("name", ["../evil", "..", "/etc/passwd", "a/../../b", "..\\..\\win", "<b>x</b>",
                                  "Zoë Ångström"])
def test_odd_student_names_stay_inside_the_feedback_folder(tmp_path, name):
    folder = tmp_path / "feedback"
    folder.mkdir()
    (path,) = write_feedback([_grade(name)], folder)
    path = Path(path).resolve()
    assert path.parent.parent == folder.resolve() and path.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]  # nothing written anywhere else
    _, page = _read_page(path.parent.parent, path.parent.name, CH01)
    assert f"feedback for {name}" in page.text  # the page still names the student as they are


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    """A course whose chapter-01 checks carry hidden tests (one passes, one fails), and one graded student."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    nb = _solution(CH01)
    extra = {"check_xor": f'assert xor(1, 1) == 0, "{HIDDEN_MARKER} xor"',
             "check_perceptron": f'assert False, "{HIDDEN_MARKER} always fails"'}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in extra:
            cell.source += f"\n### BEGIN HIDDEN TESTS\n{extra[gid]}\n### END HIDDEN TESTS\n"
    (root / "solutions" / CH01).mkdir(parents=True)
    nbformat.write(nb, root / "solutions" / CH01 / f"{CH01}.ipynb")
    subs = tmp_path_factory.mktemp("hidden-submissions")
    _put(subs, "hana", CH01, _solution(CH01))
    out = tmp_path_factory.mktemp("hidden-out")
    (grade,) = grade_folder(subs, root=root, out=out / "grades.csv", progress=False, log=lambda *_: None,
                            scheduler="threads")
    write_feedback([grade], out / "feedback")
    return SimpleNamespace(grade=grade, page=out / "feedback" / "hana" / f"{CH01}.html")


def test_feedback_holds_no_hidden_test_text(hidden):
    # the hidden tests did run: perceptron's fails, so 2 + 1 of 5 points
    assert hidden.grade.scores == {"01.perceptron": 0, "01.nand_params": 1, "01.xor": 2}
    source = hidden.page.read_text(encoding="utf-8")
    assert "Score: 3 / 5 points" in source
    for secret in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", HIDDEN_MARKER, "always fails"):
        assert secret not in source


# --- 5. the CLI ------------------------------------------------------------------------------

def test_cli_grade_wide_json_feedback(tmp_path):
    subs = tmp_path / "subs"
    _put(subs, "zoe", CH01, _solution(CH01))
    _put(subs, "yan", CH01, _answer(_exercise(CH01), xor=XOR_WITH_SCRIPT))
    out, js, fb = tmp_path / "wide.csv", tmp_path / "grades.json", tmp_path / "feedback"
    proc = subprocess.run([sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(subs),
                           "--out", str(out), "--format", "wide", "--json", str(js), "--feedback", str(fb),
                           "--scheduler", "threads", "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "2 feedback pages" in proc.stdout
    assert _rows(out) == [["student", CH01, "total", "max_total"], ["yan", "2", "2", "5"], ["zoe", "5", "5", "5"]]
    data = json.loads(js.read_text())
    assert {d["student"]: (d["total"], d["max_total"]) for d in data} == {"yan": (2, 5), "zoe": (5, 5)}
    assert all("answers" not in d and set(d["lines"]) == set(_check_points(CH01)) for d in data)
    assert sorted(p.relative_to(fb).as_posix() for p in fb.rglob("*.html")) == \
        [f"yan/{CH01}.html", f"zoe/{CH01}.html"]
    assert "Score: 5 / 5 points" in (fb / "zoe" / f"{CH01}.html").read_text(encoding="utf-8")


def test_students_whose_names_clean_alike_get_pages_of_their_own(tmp_path):
    names = ["jane doe", "jane_doe", "...", "....", "a/b", "a_b"]
    paths = write_feedback([_grade(n) for n in names], tmp_path)
    assert len({Path(p).resolve() for p in paths}) == len(names)
    for name, path in zip(names, paths):
        assert f"feedback for {html.escape(name)}" in Path(path).read_text(encoding="utf-8")


def test_cli_refuses_a_wrong_roster_before_grading(tmp_path):
    (tmp_path / "r.csv").write_text("name,email\nann,a@x\n")
    proc = subprocess.run([sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(tmp_path / "none"),
                           "--format", "canvas", "--roster", str(tmp_path / "r.csv")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "SIS Login ID" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_refuses_a_roster_without_canvas_format(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "dlcourse", "--root", str(ROOT), "grade", str(tmp_path),
                           "--roster", str(tmp_path / "r.csv")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--roster is for --format canvas" in proc.stderr


# --- 6. e2e: a feedback page in a real browser -------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)")
def test_feedback_page_renders_in_chromium(hidden):
    pytest.importorskip("playwright", reason="the playwright package is not installed")
    from playwright.sync_api import sync_playwright

    shot = ROOT / "build" / "e2e" / "feedback.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            elsewhere = []  # the page needs nothing but itself

            def only_the_page(route):
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    elsewhere.append(route.request.url)
                    route.abort()

            ctx.route("**/*", only_the_page)
            page = ctx.new_page()
            page.goto(hidden.page.resolve().as_uri())
            assert page.inner_text("#score").strip() == "Score: 3 / 5 points"
            assert "PASS" in page.inner_text("[id='check-01.xor']")
            assert "FAIL" in page.inner_text("[id='check-01.perceptron']")
            assert "BEGIN HIDDEN TESTS" not in page.content() and HIDDEN_MARKER not in page.content()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert not elsewhere, elsewhere
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
