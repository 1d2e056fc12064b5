"""The learner's language, and the library's own sentences in it (check messages, hints).

The course has an English and a Japanese edition (:mod:`dlcourse.translate`).
Code cells are the same in both, so the language cannot come from the code: it
comes from where the kernel runs. JupyterLab and nbval start a kernel in the
notebook's folder, and the Japanese edition's top folder holds a marker file
(``ja/.dlcourse-language``)::

    language()                  # "ja" in ja/notebooks/, "en" elsewhere
    DLCOURSE_LANG=ja jupyter lab   # or set it for a whole session
    check("02.relu", relu, lang="ja")   # or ask for one call

:func:`tr` looks a sentence up in ``dlcourse/locale/<lang>/*.po`` (shipped inside
the package, so a grader or a Dask worker has it too); a sentence with no
translation stays English.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["LANGUAGES", "ENV", "MARKER", "language", "check_language", "tr", "tr_text", "catalog", "templates"]

LANGUAGES = ("en", "ja")
ENV = "DLCOURSE_LANG"
MARKER = ".dlcourse-language"


def check_language(lang):
    """``lang`` if the course speaks it; a ValueError naming the languages otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


def language(start=None):
    """The learner's language: ``$DLCOURSE_LANG``, else the marker of an edition at or above
    ``start`` (default: the current folder), else English."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return check_language(env)
    here = Path(start or Path.cwd())
    try:
        here = here.resolve()
    except OSError:
        return "en"
    for folder in [here, *here.parents]:
        marker = folder / MARKER
        if marker.is_file():
            return check_language(marker.read_text(encoding="utf-8").strip() or "en")
    return "en"


@functools.lru_cache(maxsize=None)
def catalog(lang):
    """English sentence -> its translation, from ``dlcourse/locale/<lang>/*.po`` ({} for English)."""
    if check_language(lang) == "en":
        return {}
    from babel.messages.pofile import read_po

    found = {}
    for path in sorted((Path(__file__).with_name("locale") / lang).glob("*.po")):  # checks.po, plots.po
        with open(path, "rb") as fh:
            found.update({m.id: m.string for m in read_po(fh, locale=lang) if m.id and m.string and not m.fuzzy})
    return found


@functools.lru_cache(maxsize=None)
def templates(lang):
    """The catalog's sentences with numbered blanks ("lr = {0}"), as (regex, translation) pairs:
    how a sentence made by an f-string is found and translated with its values kept."""
    import re

    out = []
    for msgid, msgstr in catalog(lang).items():
        if not re.search(r"\{\d+\}", msgid):
            continue
        parts = re.split(r"\{(\d+)\}", msgid)
        pattern = "".join(re.escape(p) if k % 2 == 0 else f"(?P<g{p}>.*?)" for k, p in enumerate(parts))
        literal = sum(len(p) for p in parts[::2])
        if literal < 2:  # "{0}" alone would match anything
            continue
        try:
            out.append((literal, re.compile(pattern + r"\Z", re.S), msgstr))
        except re.error:
            continue
    # the most specific first: "batch {0} (sharpness {1})" before "batch {0}"
    return [(pattern, msgstr) for _, pattern, msgstr in sorted(out, key=lambda t: -t[0])]


def tr_text(text, lang=None):
    """Like :func:`tr`, and also for text an f-string made: a catalog sentence with blanks
    ("lr = {0}") matches "lr = 0.1" and its translation gets the same values."""
    lang = lang or language()
    if lang == "en" or not text:
        return text
    whole = catalog(lang).get(text)
    if whole:
        return whole
    for pattern, translation in templates(lang):
        m = pattern.match(text)
        if m:
            values = {int(k[1:]): v for k, v in m.groupdict().items()}
            try:
                return translation.format(*[values[i] for i in range(len(values))])
            except (IndexError, KeyError, ValueError):
                continue
    return text


def tr(text, lang=None):
    """``text`` in ``lang`` (default :func:`language`); English when there is no translation."""
    lang = lang or language()
    if lang == "en" or not text:
        return text
    return catalog(lang).get(text, text)
