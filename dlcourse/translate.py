"""The Japanese edition: notebooks made from the English ones and a translation catalog.

One source of code. The English notebooks (``notebooks/``, ``solutions/``) are
the only ones anybody edits; a Japanese notebook is the English one with each
markdown cell replaced by its translation, so code cells are identical by
construction. The translations live in gettext catalogs, one per notebook::

    translations/ja/notebooks/02_activations.po
    translations/ja/solutions/02_activations.po

Each entry's ``msgid`` is an English markdown cell, its ``msgstr`` the Japanese
text; any PO editor (Poedit, Weblate, a text editor) works on them.
``dlcourse translate`` brings the catalogs up to date with the English
notebooks: a new or changed cell becomes an empty (or "fuzzy") entry to
translate, and the old text stays as an obsolete entry. ``dlcourse build``
writes the edition::

    ja/notebooks/02_activations.ipynb            executed, outputs saved
    ja/solutions/02_activations/02_activations.ipynb
    ja/exercises/02_activations/02_activations.ipynb   generated from the Japanese solution

``ja/.dlcourse-language`` marks the edition: a kernel started in it (JupyterLab
and nbval start kernels in the notebook's folder) speaks Japanese
(:func:`dlcourse.i18n.language`), so checks print Japanese PASS/FAIL lines and
hints and plots use a Japanese font. ``tests/test_translations.py`` fails when a
Japanese notebook's code differs from the English one or a markdown cell has
no translation.
"""
from __future__ import annotations

import copy
from pathlib import Path

from dlcourse.course import exercise_path, lesson_paths, solution_paths
from dlcourse.i18n import MARKER  # noqa: F401 (the file at the top of an edition: ja/.dlcourse-language)

__all__ = ["EDITIONS", "MARKER", "catalog_path", "edition_path", "read_catalog", "update_catalog",
           "update_all", "translate_notebook", "untranslated", "sources"]

EDITIONS = ("ja",)
"""Languages the course has an edition in, besides English."""



HEADER = ("# Japanese translation of the dlcourse notebook {name}.\n"
          "# msgid: an English markdown cell, msgstr: its translation. Update with `dlcourse translate`;\n"
          "# an entry marked fuzzy is an old translation of text that has changed since.")


def _fixed_date():
    import datetime

    return datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


FIXED_DATE = _fixed_date()


def sources(root):
    """Every English notebook an edition is made from: (kind, path), kind "notebooks" or "solutions"."""
    return [("notebooks", p) for p in lesson_paths(root)] + [("solutions", p) for p in solution_paths(root)]


def catalog_path(root, lang, kind, english):
    """``translations/<lang>/<kind>/<stem>.po`` for an English notebook."""
    return Path(root, "translations", lang, kind, Path(english).stem + ".po")


def edition_path(root, lang, kind, english):
    """Where the translated notebook goes: ``<lang>/notebooks/X.ipynb`` or ``<lang>/solutions/X/X.ipynb``."""
    english = Path(english)
    if kind == "notebooks":
        return Path(root, lang, "notebooks", english.name)
    return Path(root, lang, "solutions", english.parent.name, english.name)


def edition_exercise_path(root, lang, english_solution):
    """``<lang>/exercises/X/X.ipynb`` for ``solutions/X/X.ipynb``."""
    return exercise_path(Path(root, lang), english_solution)


def _markdown(nb):
    return [cell for cell in nb.cells if cell.cell_type == "markdown" and cell.source.strip()]


def read_catalog(path, lang="ja"):
    """The catalog at ``path`` (an empty one if there is none yet)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = Path(path)
    if not path.exists():
        return Catalog(locale=lang, project="dlcourse")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang)


def update_catalog(english_nb, path, lang="ja", name=""):
    """Bring one catalog up to date with its English notebook; returns the number of entries to translate.

    Kept translations stay; a changed cell gets the nearest old translation marked fuzzy
    (babel's matching), so a translator sees what to revise.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = Catalog(locale=lang, project="dlcourse")
    for cell in _markdown(english_nb):
        template.add(cell.source, auto_comments=[f"{name} {cell.get('id', '')}".strip()])
    catalog = read_catalog(path, lang)
    catalog.update(template, no_fuzzy_matching=False)
    # a fixed header: updating a catalog changes only the entries that changed
    catalog.header_comment = HEADER.format(name=name or Path(path).stem)
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    catalog.version, catalog.msgid_bugs_address = "1", ""
    catalog.last_translator = catalog.language_team = "dlcourse authors"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)
    return sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))


def update_all(root, lang="ja", log=print):
    """:func:`update_catalog` for every English notebook; returns {catalog path: entries to translate}."""
    import nbformat

    todo = {}
    for kind, english in sources(root):
        path = catalog_path(root, lang, kind, english)
        todo[path] = update_catalog(nbformat.read(english, as_version=4), path, lang, name=english.stem)
        if todo[path]:
            log(f"{path.relative_to(root)}: {todo[path]} to translate")
    return todo


def _lookup(catalog, text):
    message = catalog.get(text)
    if message is None or message.fuzzy or not message.string:
        return None
    return message.string


def untranslated(english_nb, catalog):
    """The English markdown cells that have no (non-fuzzy) translation."""
    return [cell.source for cell in _markdown(english_nb) if _lookup(catalog, cell.source) is None]


def translate_notebook(english_nb, catalog, lang="ja"):
    """The notebook with every markdown cell translated (untranslated ones stay English)."""
    nb = copy.deepcopy(english_nb)
    for cell in _markdown(nb):
        cell.source = _lookup(catalog, cell.source) or cell.source
    nb.metadata.setdefault("dlcourse", {})["language"] = lang
    return nb
