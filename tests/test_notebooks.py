"""The notebook pipeline: jupytext pairs in sync, exercises/ generated and fresh,
no solution leaks, saved outputs clean, lessons follow the chapter template."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import ROOT
from dlcourse.build import CELL_METADATA, KERNELSPEC, WIDGET_VIEW
from dlcourse.course import exercise_path
from dlcourse.grading.generate import generate_exercise
from notebook_utils import exercise_notebooks, lesson_notebooks, read, solution_notebooks

PAIRED = lesson_notebooks() + solution_notebooks()


def _cells(nb):
    return [(c.cell_type, c.source.strip(),
             {k: c.metadata.get(k) for k in CELL_METADATA if c.metadata.get(k)}) for c in nb.cells]


def test_there_are_chapters():
    assert len(lesson_notebooks()) >= 3 and len(solution_notebooks()) >= 3
    lessons = {p.stem for p in lesson_notebooks()}
    assert {p.stem for p in solution_notebooks()} <= lessons


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem + p.parent.name[:1])
def test_jupytext_pair_in_sync(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{script.relative_to(ROOT)} is missing: run `dlcourse build`"
    a, b = _cells(jupytext.read(path)), _cells(jupytext.read(script))
    assert a == b, f"{path.name} and its .py twin differ: run `dlcourse build` (or jupytext --sync)"


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.stem)
def test_exercises_are_fresh(path):
    target = exercise_path(ROOT, path)
    assert target.exists(), f"{target.relative_to(ROOT)} is missing: run `dlcourse generate`"
    expected = generate_exercise(read(path))
    actual = read(target)
    assert json.loads(nbformat.writes(actual)) == json.loads(nbformat.writes(expected)), \
        f"{target.relative_to(ROOT)} is stale: run `dlcourse generate`"


@pytest.mark.parametrize("path", exercise_notebooks(), ids=lambda p: p.stem)
def test_exercises_hold_no_solution(path):
    raw = path.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in raw and "HIDDEN TESTS" not in raw
    code = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")
    solution = read(ROOT / "solutions" / path.parent.name / path.name)
    for cell in solution.cells:
        for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S):
            for line in block.strip().splitlines():
                assert line.strip() not in code, f"solution line leaked: {line!r}"
    assert not list(path.parent.glob("*.py")), "no script twin may sit beside an exercise"


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem + p.parent.name[:1])
def test_saved_outputs_are_clean(path):
    nb = read(path)
    assert nb.metadata.get("kernelspec") == KERNELSPEC
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        assert "execution" not in cell.metadata, "timing metadata must be stripped"
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"unexecuted cell in {path.name}: {cell.source[:40]!r}"
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name} saved an error: {out.get('evalue')}"
            assert WIDGET_VIEW not in out.get("data", {})
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name} saved stderr: {out.text[:80]!r}"


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem + p.parent.name[:1])
def test_widget_cells_ignore_output(path):
    for cell in read(path).cells:
        if cell.cell_type == "code" and re.search(r"widgets\.\w+\(|interact", cell.source):
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), cell.source


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_lesson_template(path):
    nb = read(path)
    first, last = nb.cells[0].source, nb.cells[-1].source
    assert re.match(rf"# {path.stem[:2]} · ", first), "a lesson starts with '# NN · Title'"
    assert "By the end of this" in first and "Key terms" in first and "English | 日本語" in first
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", first), "key terms need their Japanese"
    if path.stem != "00_using_this_course":
        assert "Slides followed" in first
    assert "## Summary" in last and "exercises/" + path.stem in last


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem + p.parent.name[:1])
def test_code_cells_are_short(path):
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert len(cell.source.strip().splitlines()) <= 15, f"long cell in {path.name}: {cell.source[:60]!r}"


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.stem)
def test_solution_metadata_is_consistent(path):
    from dlcourse.grading import get_check

    ids = []
    for cell in read(path).cells:
        meta = cell.metadata.get("nbgrader")
        assert meta, f"every cell of {path.name} needs nbgrader metadata (locked or answer)"
        ids.append(meta["grade_id"])
        if meta.get("grade"):
            (name,) = re.findall(r'check\("([^"]+)"', cell.source)
            assert meta["points"] == get_check(name).points, f"{name}: points differ from the registry"
            assert meta["locked"]
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in cell.source
    assert len(ids) == len(set(ids)), "grade_ids must be unique"


@pytest.mark.parametrize("path", exercise_notebooks(), ids=lambda p: p.stem)
def test_exercise_runs_in_a_kernel_and_fails_politely(path, tmp_path):
    """What a learner sees on opening a fresh exercise and pressing Run All."""
    from nbclient import NotebookClient

    nb = read(path)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = ""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{path.name}: {out.get('ename')} {out.get('evalue')}"
            text += out.get("text", "")
    assert text.count("not implemented yet") == text.count(" points") > 0
    assert "PASS  " not in text and "Traceback" not in text


BIN = Path(sys.executable).parent   # the venv's bin: nbgrader runs `alembic` from PATH


@pytest.mark.skipif(not (BIN / "nbgrader").exists(), reason="nbgrader command not installed in this venv")
def test_real_nbgrader_generates_the_same_exercise(tmp_path):
    """Our generator and `nbgrader generate_assignment` agree (first chapter with exercises)."""
    chapter = solution_notebooks()[1].parent.name
    course = tmp_path / "course"
    (course / "solutions" / chapter).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for f in (ROOT / "solutions" / chapter).iterdir():
        shutil.copy(f, course / "solutions" / chapter)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", chapter, "--force"], cwd=course,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    released = course / "exercises" / chapter
    assert sorted(p.name for p in released.iterdir()) == [f"{chapter}.ipynb"], "only the notebook is released"
    theirs, ours = read(released / f"{chapter}.ipynb"), read(exercise_path(ROOT, ROOT / "solutions" / chapter / f"{chapter}.ipynb"))
    assert [(c.cell_type, c.source, c.metadata) for c in theirs.cells] == \
           [(c.cell_type, c.source, c.metadata) for c in ours.cells]
