"""Execute the course notebooks and save them with deterministic outputs.

``dlcourse build`` runs every lesson (``notebooks/*.ipynb``) and every
solution (``solutions/*/*.ipynb``) top to bottom in a fresh kernel, saves the
outputs without timing or widget-state metadata, rewrites the paired
``py:percent`` script, and regenerates ``exercises/`` from the solutions
(:mod:`dlcourse.grading.generate`). Where the notebooks are is
:mod:`dlcourse.course`'s business.

Each notebook is paired with a script by jupytext (``jupytext.toml`` in
``notebooks/`` and ``solutions/``). The newer of the two files is taken as
the source, as jupytext itself does, so either may be edited.
"""
from __future__ import annotations

import copy
from pathlib import Path

from dlcourse.course import course_root, lesson_paths, reproducible_env, solution_paths

__all__ = ["read_paired", "execute", "clean", "write_paired", "build"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PY_FORMAT = "py:percent"
CELL_METADATA = ("tags", "nbgrader")
"""The only cell metadata kept in lessons and solutions."""


def read_paired(ipynb):
    """Read a paired notebook from the newer of ``X.ipynb`` and ``X.py`` (build re-executes it anyway).

    Returns
    -------
    nbformat.NotebookNode
    """
    import jupytext
    import nbformat

    ipynb = Path(ipynb)
    py = ipynb.with_suffix(".py")
    if py.exists() and (not ipynb.exists() or py.stat().st_mtime > ipynb.stat().st_mtime):
        nb = jupytext.read(py, fmt=PY_FORMAT)
    else:
        nb = nbformat.read(ipynb, as_version=4)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def execute(nb, cwd, timeout=600):
    """Run a notebook top to bottom in a fresh ``python3`` kernel; returns the executed copy.

    The kernel starts with the inline plotting backend and
    :func:`dlcourse.course.reproducible_env`, so the outputs it saves repeat on
    other machines.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises, unless it is tagged ``raises-exception``.
    """
    import os

    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    kernel_env = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", **reproducible_env()}
    backup = {name: os.environ.get(name) for name in kernel_env}
    os.environ.update(kernel_env)                 # the kernel inherits this process's environment
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        for name, value in backup.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return nb


def clean(nb):
    """Drop what differs between two runs or two machines.

    Timings, widget state, widget views (they cannot show without the live
    kernel that made them, so a saved lesson shows its widget once the cell
    runs), the Python version, jupytext's bookkeeping, and random cell ids
    (replaced by ``cell-0``, ``cell-1``, ...).
    """
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for k, cell in enumerate(nb.cells):
        cell.id = f"cell-{k}"
        cell.metadata = {key: cell.metadata[key] for key in CELL_METADATA if key in cell.metadata}
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.get("output_type") in ("display_data", "execute_result") and WIDGET_VIEW in out.get("data", {}):
                continue
            kept.append(out)
        cell.outputs = kept
    return nb


def write_paired(nb, ipynb):
    """Write ``X.ipynb`` and, where the folder pairs notebooks, its ``X.py`` twin."""
    import jupytext

    ipynb = Path(ipynb)
    jupytext.write(nb, ipynb, fmt="ipynb")
    if _paired(ipynb):
        script = copy.deepcopy(nb)
        script.metadata = {"jupytext": {"notebook_metadata_filter": "-all",
                                        "cell_metadata_filter": ",".join(CELL_METADATA) + ",-all"}}
        jupytext.write(script, ipynb.with_suffix(".py"), fmt=PY_FORMAT)


def _paired(ipynb):
    return any((d / "jupytext.toml").exists() for d in (ipynb.parent, ipynb.parent.parent))


def build(root=None, only=None, exercises=True, editions=True, log=print):
    """Execute lessons and solutions, save them, regenerate ``exercises/`` and the editions.

    Parameters
    ----------
    root : path, optional
        The course root (default: found from the current folder).
    only : str, optional
        Build only notebooks whose name contains this text.
    exercises : bool
        Regenerate ``exercises/`` afterwards.
    editions : bool
        Regenerate the Japanese edition (``ja/``) from the English notebooks and
        ``translations/ja/`` (:func:`build_edition`).

    Returns
    -------
    list of Path
        The notebooks executed.
    """
    import time

    root = course_root(root)
    paths = lesson_paths(root) + solution_paths(root)
    if only:
        paths = [p for p in paths if only in p.name]
    for path in paths:
        t0 = time.perf_counter()
        nb = clean(execute(read_paired(path), cwd=path.parent))
        write_paired(nb, path)
        log(f"executed {path.relative_to(root)} in {time.perf_counter() - t0:.1f} s")
    if exercises:
        from dlcourse.grading.generate import generate_all

        for out in generate_all(root, only=only):
            log(f"generated {out.relative_to(root)}")
    if editions:
        from dlcourse.translate import EDITIONS

        for lang in EDITIONS:
            paths += build_edition(root, lang, only=only, log=log)
    return paths


def build_edition(root, lang="ja", only=None, log=print):
    """Write one language's edition: every English lesson and solution with its markdown translated,
    executed in the edition's folder (so checks and plots speak ``lang``), and its exercises.

    Code cells are copied from the English notebooks, never translated. A cell with no
    translation stays English and is listed; ``tests/test_translations.py`` fails on it.
    """
    import time

    import nbformat

    from dlcourse.grading.generate import generate_exercise
    from dlcourse.i18n import MARKER
    from dlcourse.translate import catalog_path, edition_exercise_path, edition_path, read_catalog, \
        sources, translate_notebook, untranslated

    root = course_root(root)
    marker = Path(root, lang, MARKER)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(lang + "\n", encoding="utf-8")
    written = []
    for kind, english in sources(root):
        if only and only not in english.name:
            continue
        t0 = time.perf_counter()
        catalog = read_catalog(catalog_path(root, lang, kind, english), lang)
        source = nbformat.read(english, as_version=4)
        missing = untranslated(source, catalog)
        out = edition_path(root, lang, kind, english)
        out.parent.mkdir(parents=True, exist_ok=True)
        nb = clean(execute(translate_notebook(source, catalog, lang), cwd=out.parent))
        nb.metadata["dlcourse"] = {"language": lang}
        nbformat.write(nb, out)
        written.append(out)
        log(f"executed {out.relative_to(root)} in {time.perf_counter() - t0:.1f} s"
            + (f" ({len(missing)} cells untranslated)" if missing else ""))
        if kind == "solutions":
            exercise = edition_exercise_path(root, lang, english)
            exercise.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(generate_exercise(nb), exercise)
            log(f"generated {exercise.relative_to(root)}")
    return written
