"""Every sentence a learner can see from check(...): harvested by running each check on its
solution, its stub and its typical wrong answers (tests/mutants.py).

``python tests/check_strings.py`` adds the ones missing from ``dlcourse/locale/ja/checks.po`` as empty
entries to translate (``tests/test_translations.py`` fails while any is empty)."""
import re
from pathlib import Path

from dlcourse.grading import get_check, registered_checks, run_check
from dlcourse.grading.core import _MEASURES

FIXED = ["{score}/{points} points", "Hint: {hint}"] + [template for _, template in _MEASURES]
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?%?")


def template(measure):
    """A measure with its numbers as blanks: "std 0.0316 (-0.1%)" -> "std {0} ({1})".
    Measures carry the learner's numbers, so the catalog holds them as templates."""
    k = iter(range(100))
    return NUMBER.sub(lambda m: "{%d}" % next(k), measure.replace("{", "{{").replace("}", "}}"))


def harvest(objects):
    """``objects``: check name -> list of answers. Returns the sentences, in a stable order."""
    found = dict.fromkeys(FIXED)
    for name in registered_checks():
        reg = get_check(name)
        found.update(dict.fromkeys(s for s in (reg.hint,) if s))
        for obj in objects.get(name, []):
            result = run_check(name, obj)
            for line in result.lines:
                found[line.label] = None
                if not any(p.fullmatch(line.measure) for p, _ in _MEASURES):
                    found[template(line.measure)] = None
                if line.hint:
                    found[line.hint] = None
            if result.message and not any(p.fullmatch(result.message) for p, _ in _MEASURES):
                found[template(result.message)] = None
    return [s for s in found if s and s.strip()]


def all_answers():
    from mutants import MUTANTS
    from notebook_utils import check_calls, exec_notebook, exercise_notebooks, read, solution_notebooks

    objects = {}
    for paths in (solution_notebooks(), exercise_notebooks()):
        for path in paths:
            nb = read(path)
            ns, _ = exec_notebook(nb)
            for name, var in check_calls(nb):
                objects.setdefault(name, []).append(ns.get(var))
    for name, wrongs in MUTANTS.items():
        objects.setdefault(name, []).extend(w for _, w in wrongs)
    return objects


CATALOG = Path(__file__).resolve().parents[1] / "dlcourse" / "locale" / "ja" / "checks.po"


def update(strings, path=CATALOG):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if path.exists():
        with open(path, "rb") as fh:
            cat = read_po(fh, locale="ja")
    else:
        cat = Catalog(locale="ja", project="dlcourse")
    template = Catalog(locale="ja", project="dlcourse")
    for s in strings:
        template.add(s)
    cat.update(template, no_fuzzy_matching=False)
    cat.header_comment = (f"# Japanese for the sentences dlcourse shows a learner ({path.stem}).\n"
                          "# {0}, {1}, {hint} ... are blanks filled in at run time: keep each one.")
    import datetime
    cat.creation_date = cat.revision_date = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    cat.fuzzy = False
    cat.version, cat.msgid_bugs_address = "1", ""
    cat.last_translator = cat.language_team = "dlcourse authors"
    with open(path, "wb") as fh:
        write_po(fh, cat, width=0, sort_output=False, include_previous=True)
    return sum(1 for m in cat if m.id and (not m.string or m.fuzzy))


if __name__ == "__main__":
    print(f"{update(harvest(all_answers()))} entries to translate in {CATALOG}")
