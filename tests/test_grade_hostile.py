"""A corpus of hostile and broken submissions: each gets the right grade and a reason,
nothing passes falsely, nothing escapes the sandbox, and the run never crashes."""
import json
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from dlcourse.grading.grade import grade_folder

CHAPTER = "01_perceptron"
SOURCE = ROOT / "solutions" / CHAPTER / f"{CHAPTER}.ipynb"
EXERCISE = ROOT / "exercises" / CHAPTER / f"{CHAPTER}.ipynb"
RIGHT_XOR = "def xor(x1, x2):\n    return AND(NAND(x1, x2), OR(x1, x2))\n"
WRONG_PERCEPTRON = "def perceptron(x, w, b):\n    return (x @ w - b > 0).astype(int)\n"
ESCAPE = Path("/tmp/dlcourse-hostile-escape.txt")


def _with(answers, drop=()):
    nb = nbformat.read(EXERCISE, 4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nbformat.writes(nb)


CASES = {
    # name: (file text, expected scores {check: points}, a phrase expected in the reasons)
    "loop_top_level": (_with({"xor": RIGHT_XOR, "nand_params": "while True:\n    pass\n"}),
                       {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "s limit"),
    "loop_in_call": (_with({"perceptron": "def perceptron(x, w, b):\n    while True:\n        pass\n",
                            "xor": RIGHT_XOR}), {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2},
                     "timed out or crashed"),
    "os_exit": (_with({"xor": RIGHT_XOR, "perceptron": "import os\nos._exit(1)\n"}),
                {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "died"),
    "segfault_in_call": (_with({"xor": "import ctypes\ndef xor(a, b):\n    return ctypes.string_at(0)\n"}),
                         {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "crashed"),
    "syntax_error": (_with({"xor": RIGHT_XOR, "perceptron": "def perceptron(x, w, b)\n    return 1\n"}),
                     {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "SyntaxError"),
    "locked_cells_deleted_and_edited": (
        _with({"xor": RIGHT_XOR, "check_perceptron": "print('PASS  2/2 points')",
               "intro": "# all points to me"}, drop=("setup", "check_xor")),
        {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "not implemented"),
    "check_monkeypatched": (_with({"perceptron": WRONG_PERCEPTRON + (
        "import dlcourse.grading as g, dlcourse.grading.core as core\n"
        "g.check = core.check = lambda *a, **k: print('PASS')\n"
        "core.run_check = lambda name, obj, seed=0: None\n")}),
        {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "fail:"),
    "numpy_monkeypatched": (_with({"perceptron": WRONG_PERCEPTRON + (
        "np.array_equal = np.allclose = lambda *a, **k: True\nnp.sum = lambda *a, **k: 0\n")}),
        {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "fail:"),
    "calls_the_reference": (_with({"perceptron": "from dlcourse.gates import perceptron as ref\n"
                                                 "def perceptron(x, w, b):\n    return ref(x, w, b)\n",
                                   "xor": "import dlcourse.gates\ndef xor(a, b):\n    return dlcourse.gates.XOR(a, b)\n"}),
                            {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "calls the reference"),
    "aliases_the_reference": (_with({"perceptron": "from dlcourse.gates import perceptron\n",
                                     "xor": "from dlcourse.gates import XOR as xor\n"}),
                              {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "calls the reference"),
    "huge_print": (_with({"xor": RIGHT_XOR + "print('x' * 100_000_000)\n"}),
                   {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "not implemented"),
    "reads_solutions_and_others": (_with({"xor": (
        f"src = open({str(SOURCE)!r}).read()\n" + RIGHT_XOR),
        "perceptron": "import glob\nstolen = [open(p).read() for p in glob.glob('SUBS/*/*/*.ipynb')]\n"}),
        {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "PermissionError"),
    "writes_outside": (_with({"xor": f"open({str(ESCAPE)!r}, 'w').write('escaped')\n" + RIGHT_XOR}),
                       {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "PermissionError"),
    "memory_bomb": (_with({"xor": RIGHT_XOR, "perceptron": "hog = bytearray(8 * 2**30)\n"}),
                    {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 2}, "MemoryError"),
    "not_json": ("{ this is not json", {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "unreadable"),
    "empty_file": ("", {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "unreadable"),
    "json_but_not_a_notebook": ("[1, 2, 3]", {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "unreadable"),
    "huge_saved_output": (None, {"01.perceptron": 0, "01.nand_params": 0, "01.xor": 0}, "MB limit"),
    "the_solution": (SOURCE.read_text(), {"01.perceptron": 2, "01.nand_params": 1, "01.xor": 2}, ""),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    ESCAPE.unlink(missing_ok=True)
    subs = tmp_path_factory.mktemp("subs")
    for student, (text, _, _) in CASES.items():
        path = subs / student / CHAPTER / f"{CHAPTER}.ipynb"
        path.parent.mkdir(parents=True)
        if text is None:  # 25 MB of saved outputs
            nb = nbformat.read(SOURCE, 4)
            nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x" * (25 * 2**20))]
            text = nbformat.writes(nb)
        path.write_text(text.replace("SUBS", str(subs)))
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    grades = grade_folder(subs, root=ROOT, out=out, timeout=5, jobs=2, memory_mb=2048,
                          progress=False, log=lambda *_: None)
    return {g.student: g for g in grades}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_case(case, graded):
    _, expected, phrase = CASES[case]
    g = graded[case]
    assert g.scores == {k: float(v) for k, v in expected.items()}, g.reasons
    for name, pts in expected.items():
        if pts == 0:
            assert g.reasons.get(name), f"{case}: {name} lost its points without a reason"
    assert phrase in " ".join(g.reasons.values()) + g.error, g.reasons


def test_nothing_escaped(graded):
    assert not ESCAPE.exists()
    assert json.loads(SOURCE.read_text())  # the source is untouched
