"""The Japanese edition stays in step with the English one.

* Every English lesson and solution has a Japanese notebook in ``ja/`` whose code cells
  (source, order, nbgrader metadata) are the English ones, and whose markdown cells are
  the catalog's translations; no markdown cell lacks a translation. A planted code edit
  is caught (the drift check can fail).
* Each translation keeps what must not change: code spans, math, link targets, headings.
* The Japanese exercises are generated from the Japanese solutions and hold no solution.
* Checks speak Japanese in the edition (its folder marker) or when asked (``lang="ja"``),
  with every sentence a learner can meet translated and its {placeholders} kept.
* Plots in the edition use a font with Japanese glyphs, shipped in a wheel.
"""
import json
import re
import subprocess
import sys
import warnings

import nbformat
import pytest

from check_strings import CATALOG, all_answers, harvest
from conftest import ROOT
from dlcourse.translate import catalog_path, edition_exercise_path, edition_path, read_catalog, sources, \
    untranslated

LANG = "ja"
SOURCES = sources(ROOT)
IDS = [f"{kind}/{path.stem}" for kind, path in SOURCES]


def drift(english, translated, catalog):
    """What differs between an English notebook and its translation, beyond translated markdown."""
    problems = []
    if len(english.cells) != len(translated.cells):
        return [f"{len(translated.cells)} cells, the English notebook has {len(english.cells)}"]
    for k, (en, ja) in enumerate(zip(english.cells, translated.cells)):
        if en.cell_type != ja.cell_type:
            problems.append(f"cell {k}: {ja.cell_type}, English {en.cell_type}")
        elif en.cell_type == "code":
            if en.source != ja.source:
                problems.append(f"cell {k}: code differs from the English notebook")
            if en.metadata.get("nbgrader") != ja.metadata.get("nbgrader"):
                problems.append(f"cell {k}: nbgrader metadata differs")
        elif en.cell_type == "markdown" and en.source.strip():
            message = catalog.get(en.source)
            if message is None or not message.string or message.fuzzy:
                problems.append(f"cell {k}: no translation")
            elif ja.source != message.string:
                problems.append(f"cell {k}: markdown is not the catalog's translation")
    return problems


@pytest.fixture(scope="module", params=SOURCES, ids=IDS)
def pair(request):
    kind, english = request.param
    catalog = read_catalog(catalog_path(ROOT, LANG, kind, english), LANG)
    path = edition_path(ROOT, LANG, kind, english)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `dlcourse build`"
    return nbformat.read(english, 4), nbformat.read(path, 4), catalog


def test_every_markdown_cell_is_translated(pair):
    english, _, catalog = pair
    missing = untranslated(english, catalog)
    assert not missing, f"{len(missing)} cells without a translation (run `dlcourse translate`), " \
                        f"the first: {missing[0][:80]!r}"


def test_the_japanese_notebook_has_the_english_code(pair):
    english, translated, catalog = pair
    assert drift(english, translated, catalog) == []
    assert translated.metadata.get("dlcourse", {}).get("language") == LANG


def test_a_planted_code_edit_is_caught():
    kind, english = SOURCES[1]
    en = nbformat.read(english, 4)
    catalog = read_catalog(catalog_path(ROOT, LANG, kind, english), LANG)
    ja = nbformat.read(edition_path(ROOT, LANG, kind, english), 4)
    code = next(c for c in ja.cells if c.cell_type == "code")
    code.source += "\nx = 1  # planted"
    assert any("code differs" in p for p in drift(en, ja, catalog))
    ja.cells.pop()
    assert drift(en, ja, catalog)[0].endswith(f"the English notebook has {len(en.cells)}")


# --- what a translation must keep ----------------------------------------------------------

def _kept(text):
    """What a translation must keep, read by markdown-it (CommonMark, tables, $math$):
    code spans, code blocks, math (words in \\text{} may change), link targets, heading
    levels and table rows. Sets: a translation may say a symbol twice, never drop one."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin).enable("table")

    def walk(tokens):
        for t in tokens:
            yield t
            yield from walk(t.children or [])

    found = {"code spans": set(), "code blocks": set(), "math": set(), "link targets": set(),
             "headings": [], "table rows": 0}
    for t in walk(md.parse(text)):
        if t.type == "code_inline":
            found["code spans"].add(t.content)
        elif t.type in ("fence", "code_block"):
            found["code blocks"].add(t.content)
        elif t.type.startswith("math"):
            bare = re.sub(r"\\(?:text|mathrm|textrm)\{[^}]*\}", "", t.content)
            found["math"].add(re.sub(r"\s+", "", bare))
        elif t.type == "link_open":
            found["link targets"].add(t.attrs.get("href"))
        elif t.type == "heading_open":
            found["headings"].append(t.tag)
        elif t.type == "tr_open":
            found["table rows"] += 1
    return found


@pytest.mark.parametrize("kind,english", SOURCES, ids=IDS)
def test_translations_keep_code_math_links_and_headings(kind, english):
    catalog = read_catalog(catalog_path(ROOT, LANG, kind, english), LANG)
    for m in catalog:
        if not m.id or not m.string:
            continue
        where = f"{english.stem}: {m.id[:50]!r}"
        en, ja = _kept(m.id), _kept(m.string)
        for what in en:
            assert en[what] == ja[what], f"{where}: {what} changed: {en[what]} -> {ja[what]}"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", m.string) or not re.search(r"[A-Za-z]{4,}", m.id), \
            f"{where}: the translation holds no Japanese"


# --- exercises --------------------------------------------------------------------------------

@pytest.mark.parametrize("english", [p for k, p in SOURCES if k == "solutions"], ids=lambda p: p.stem)
def test_japanese_exercises_hold_no_solutions(english):
    ja = nbformat.read(edition_exercise_path(ROOT, LANG, english), 4)
    en = nbformat.read(ROOT / "exercises" / english.parent.name / english.name, 4)
    assert [c.source for c in ja.cells if c.cell_type == "code"] == \
           [c.source for c in en.cells if c.cell_type == "code"], "code differs from the English exercise"
    text = json.dumps(ja)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert all(not c.get("outputs") for c in ja.cells if c.cell_type == "code")


# --- checks in Japanese -------------------------------------------------------------------------

def test_checks_speak_japanese_in_the_edition():
    code = ("from dlcourse.grading import check\n"
            "check('02.relu', lambda x: x)\n"
            "check('02.relu', lambda x: x, lang='en')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / LANG / "exercises", capture_output=True,
                         text=True, timeout=120).stdout
    ja, en = out.split("02.relu: ")[1:]
    assert "ヒント: " in ja and "点" in ja and "FAIL" in ja, ja
    assert "Hint: " in en and "points" in en
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120).stdout
    assert "ヒント" not in out.split("02.relu: ")[1], "the English course must stay English"


@pytest.fixture(scope="module")
def ja_catalog():
    from babel.messages.pofile import read_po

    with open(CATALOG, "rb") as fh:
        return {m.id: m for m in read_po(fh, locale=LANG) if m.id}


def test_every_sentence_of_the_checks_is_translated(ja_catalog):
    strings = harvest(all_answers())
    missing = [s for s in strings if s not in ja_catalog or not ja_catalog[s].string or ja_catalog[s].fuzzy]
    assert not missing, f"{len(missing)} check sentences untranslated (python tests/check_strings.py), " \
                        f"e.g. {missing[:3]}"


def test_translated_check_sentences_keep_their_placeholders(ja_catalog):
    field = re.compile(r"\{[^{}]*\}")
    for msgid, m in ja_catalog.items():
        if m.string:
            assert sorted(field.findall(msgid)) == sorted(field.findall(m.string)), msgid


def test_an_unknown_language_is_a_clear_error():
    from dlcourse.grading import check

    with pytest.raises(ValueError, match="expected one of en, ja"):
        check("02.relu", abs, lang="fr")


# --- plots ---------------------------------------------------------------------------------------

def test_japanese_plots_have_the_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dlcourse.plots.common import use_language_font

    before = dict(matplotlib.rcParams)
    try:
        assert use_language_font("en") is None
        assert "IPAexGothic" in use_language_font("ja")
        fig, ax = plt.subplots()
        ax.set_title("活性化関数と勾配消失")
        ax.set_xlabel("エポック")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
            fig.canvas.draw()
        plt.close(fig)
    finally:
        matplotlib.rcParams.update(before)


def test_a_japanese_submission_gets_japanese_feedback(tmp_path):
    """Graded as any other (same grade_ids), but its feedback page speaks Japanese."""
    from dlcourse.grading.grade import grade_folder
    from dlcourse.grading.report import feedback_html

    chapter = "02_activations"
    nb = nbformat.read(ROOT / LANG / "exercises" / chapter / f"{chapter}.ipynb", 4)
    path = tmp_path / "subs" / "hanako" / chapter / f"{chapter}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    (grade,) = grade_folder(tmp_path / "subs", root=ROOT, out=tmp_path / "g.csv", scheduler="threads",
                            progress=False, log=lambda *_: None)
    assert grade.lang == LANG and grade.total == 0 and grade.max_total > 0
    page = feedback_html(grade)
    assert "得点: 0 / " in page and "あなたの解答" in page and "lang='ja'" in page
