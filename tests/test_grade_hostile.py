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


# --- chapter 07: answers are classes with forward/backward and state --------------------------
# The same corpus idea against 07_backprop: every hostile trick now lives inside a method that the
# check calls through the sandbox, several checks give partial credit (07.affine,
# 07.softmax_with_loss: points x share of passing lines), and the references are classes.
# Each case is one student folder; a case may combine tricks in different classes, since every
# check is scored on its own. Known grader weaknesses are listed in KNOWN07 and run as strict
# xfails with the *right* expectation: fixing the grader turns them into XPASS (a failure), and
# the entry must then be removed.

CH07 = "07_backprop"
SOURCE07 = ROOT / "solutions" / CH07 / f"{CH07}.ipynb"
EXERCISE07 = ROOT / "exercises" / CH07 / f"{CH07}.ipynb"
ESCAPE07 = Path("/tmp/dlcourse-hostile-escape-07.txt")
A, S, X, K = "07.affine", "07.sigmoid", "07.softmax_with_loss", "07.araki_step"
FULL07 = {A: 2.0, S: 1.0, X: 2.0, K: 3.0}
LOST = "the grader failed on this submission"  # grade_folder's stand-in when grade_submission raised


def _answers(path):
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(path, 4).cells
            if c.metadata.get("nbgrader", {}).get("solution")}


RIGHT07 = _answers(SOURCE07)  # the solution's answer cells, by grade_id


def _nb07(answers, drop=(), locked=None, extra=()):
    """The exercise notebook with ``answers`` (grade_id -> source) filled in, cells ``drop``ped,
    ``locked`` (grade_id -> source) cells edited and ``extra`` cells (new, no metadata) appended."""
    nb = nbformat.read(EXERCISE07, 4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
        if gid in (locked or {}):
            cell.source = locked[gid]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in extra]
    return nbformat.writes(nb)


def _right(**answers):
    return {**RIGHT07, **answers}


def _cls(name, init="self.params, self.grads = [], []", forward="raise NotImplementedError()",
         backward="raise NotImplementedError()", head="", sig=("x", "dout")):
    """Source of a layer class ``name`` with the given bodies (each a string of lines)."""
    def body(src):
        return "\n".join("        " + line for line in src.strip("\n").splitlines())
    init_args = "self, W, b" if name == "Affine" else "self"
    fwd_args = "self, x, t" if name == "SoftmaxWithLoss" else "self, x"
    bwd_args = "self, dout=1.0" if name == "SoftmaxWithLoss" else "self, dout"
    return (f"{head}class {name}:\n    def __init__({init_args}):\n{body(init)}\n"
            f"    def forward({fwd_args}):\n{body(forward)}\n    def backward({bwd_args}):\n{body(backward)}\n")


AFFINE_INIT = "self.params, self.grads = [W, b], [np.zeros_like(W), np.zeros_like(b)]"
AFFINE_FWD = "self.x = x\nreturn x @ self.params[0] + self.params[1]"
AFFINE_BWD = ("self.grads[0][...] = self.x.T @ dout\nself.grads[1][...] = dout.sum(axis=0)\n"
              "return dout @ self.params[0].T")
SOFTMAX_FWD = "self.y, self.t = softmax(x), t\nreturn cross_entropy_error(self.y, t)"
SOFTMAX_BWD = "N, C = self.y.shape\nreturn dout * (self.y - np.eye(C)[self.t]) / N"
SIGMOID_FWD = "self.out = sigmoid(x)\nreturn self.out"
SIGMOID_BWD = "return dout * self.out * (1.0 - self.out)"
LOOP = "while True:\n    pass"


def _memorized_sigmoid():
    """A Sigmoid that is wrong (tanh) on every input but the graded ones, whose answers it
    carries as literal numbers: they were recorded here by running the check on a spy."""
    from dlcourse.functions import sigmoid
    from dlcourse.grading.core import run_check

    fwd, bwd = {}, {}

    class Spy:
        def __init__(self):
            self.params, self.grads = [], []

        def forward(self, x):
            self.out = sigmoid(x)
            fwd[x.tobytes().hex()] = self.out.tolist()
            return self.out

        def backward(self, dout):
            dx = dout * self.out * (1.0 - self.out)
            bwd[dout.tobytes().hex()] = dx.tolist()
            return dx

    assert run_check(S, Spy).passed
    return f"_F = {fwd!r}\n_B = {bwd!r}\n" + _cls(
        "Sigmoid",
        forward="hit = _F.get(np.asarray(x, dtype=float).tobytes().hex())\n"
                "return np.array(hit) if hit is not None else np.tanh(x)",
        backward="hit = _B.get(np.asarray(dout, dtype=float).tobytes().hex())\n"
                 "return np.array(hit) if hit is not None else dout")


LIES = """
class Lies:                                   # every comparison says "equal"
    def __array__(self, *a, **k):
        raise ValueError("no array here")
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __float__(self):
        return 0.0
    def __len__(self):
        return 0
class Liar(np.ndarray):                       # a numpy array whose comparisons lie
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)
    def __ne__(self, other):
        return np.zeros(np.shape(other), dtype=bool)
    def __sub__(self, other):
        return np.zeros(np.shape(other))
    __rsub__ = __sub__
"""

GRADER_PATCHES = """
import dlcourse.grading as g, dlcourse.grading.core as core, dlcourse.gradients as grads
import dlcourse.grading.checks.ch07 as ch07
g.check = core.check = lambda *a, **k: print('PASS')
core.run_check = lambda name, obj, seed=0: None
core.Checker.close = lambda self, label, *a, **k: self.record(label, True, 'ok')
core.CheckResult.passed = property(lambda self: True)
ch07.numerical_gradient = grads.numerical_gradient = lambda f, a, h=1e-5: np.zeros_like(a)
grads.rel_error = lambda *a, **k: 0.0
ch07.L.Affine = ch07.L.Sigmoid = ch07.L.SoftmaxWithLoss = object
"""

NUMPY_PATCHES = """
np.allclose = np.array_equal = np.isclose = lambda *a, **k: True
np.sum = np.max = lambda *a, **k: 0.0
np.linalg.norm = lambda *a, **k: 0.0
np.testing.assert_allclose = lambda *a, **k: None
"""

CASES07 = {
    # name: (file text, expected scores {check: points}, phrases {check: expected in its reason})
    "loops_in_methods": (_nb07(_right(
        Affine=_cls("Affine", AFFINE_INIT, LOOP, AFFINE_BWD),
        SoftmaxWithLoss=_cls("SoftmaxWithLoss", forward=SOFTMAX_FWD, backward=LOOP))),
        {A: 0, S: 1, X: 0, K: 3}, {A: "timed out or crashed", X: "timed out or crashed"}),
    "crashes_in_methods": (_nb07(_right(
        Affine=_cls("Affine", AFFINE_INIT, AFFINE_FWD, "import os\nos._exit(1)"),
        Sigmoid=_cls("Sigmoid", forward="import ctypes\nreturn ctypes.string_at(0)",
                     backward=SIGMOID_BWD))),
        {A: 0, S: 0, X: 2, K: 3}, {A: "crashed", S: "crashed"}),
    "syntax_error_in_one_class": (_nb07(_right(
        Sigmoid="class Sigmoid:\n    def forward(self, x)\n        return x\n")),
        {A: 2, S: 0, X: 2, K: 3}, {S: "SyntaxError"}),
    "locked_cells_deleted_and_edited": (_nb07(
        _right(SoftmaxWithLoss=_answers(EXERCISE07)["SoftmaxWithLoss"]),
        drop=("setup", "check_Affine", "Sigmoid"),
        locked={"check_SoftmaxWithLoss": "print('PASS  2/2 points')", "intro": "# all points to me",
                "check_araki_step": "check = lambda *a, **k: print('PASS')"},
        extra=[RIGHT07["SoftmaxWithLoss"]]),  # a right answer in a new cell the grader never runs
        {A: 2, S: 0, X: 0, K: 3}, {S: "NotImplementedError", X: "not implemented"}),
    "grader_monkeypatched": (_nb07({
        "Affine": GRADER_PATCHES + _cls(
            "Affine", AFFINE_INIT, "return np.zeros((x.shape[0], self.params[0].shape[1]))",
            "return np.zeros((dout.shape[0], self.params[0].shape[0]))"),
        "Sigmoid": _cls("Sigmoid", forward="return x", backward="return dout"),
        "SoftmaxWithLoss": _cls("SoftmaxWithLoss", forward="self.shape = x.shape\nreturn 0.0",
                                backward="return np.zeros(self.shape)"),
        "araki_step": "def araki_step(w1, w2, x, b, rho):\n    return w1, w2\n"}),
        {A: 0, S: 0, X: 0, K: 0}, {A: "fail:", S: "fail:", X: "fail:", K: "fail:"}),
    "numpy_monkeypatched": (_nb07({
        # right code, but the patched np.sum makes db 0: forward, dx and dW pass, db fails
        "Affine": NUMPY_PATCHES + _cls("Affine", AFFINE_INIT, AFFINE_FWD,
                                       AFFINE_BWD.replace("dout.sum(axis=0)", "np.sum(dout, axis=0)")),
        "Sigmoid": _cls("Sigmoid", forward="self.out = 1 / (1 + np.exp(x))\nreturn self.out",
                        backward=SIGMOID_BWD),
        "SoftmaxWithLoss": _cls("SoftmaxWithLoss", forward="self.x = x\nreturn np.sum(x)",
                                backward="return np.zeros_like(self.x)"),
        "araki_step": "def araki_step(w1, w2, x, b, rho):\n    return w1, w2\n"}),
        {A: 1.5, S: 0, X: 0, K: 0}, {A: "db = grads[1]", S: "fail:", X: "fail:", K: "fail:"}),
    "calls_the_reference": (_nb07({
        "Affine": "from dlcourse.layers import Affine\n",
        "Sigmoid": _cls("Sigmoid", "self.params, self.grads = [], []\nself.r = _Ref()",
                        "return self.r.forward(x)", "return self.r.backward(dout)",
                        head="from dlcourse.layers import Sigmoid as _Ref\n"),
        # forward through the reference (right), backward wrong: no partial credit either
        "SoftmaxWithLoss": _cls("SoftmaxWithLoss", "self.r = dlcourse.layers.SoftmaxWithLoss()",
                                "return self.r.forward(x, t)", "return 0 * self.r.backward(dout)",
                                head="import dlcourse.layers\n"),
        "araki_step": "import dlcourse.lessons.araki as ref\n"
                      "def araki_step(w1, w2, x, b, rho):\n    w = [w1.copy(), w2.copy()]\n"
                      "    ref.araki_step(w, x, b, rho)\n    return w[0], w[1]\n"}),
        {A: 0, S: 0, X: 0, K: 0}, {c: "calls the reference" for c in FULL07}),
    "subclasses_the_reference": (_nb07(_right(
        Affine="import dlcourse.layers\nclass Affine(dlcourse.layers.Affine):\n    pass\n",
        Sigmoid="import dlcourse.layers\nfrom dlcourse.functions import sigmoid as _s\n"
                "class Sigmoid(dlcourse.layers.ACTIVATION_LAYERS[_s]):\n"
                "    def backward(self, dout):\n        return dout\n",
        # unwrap the grader's tripwire (a subclass) to reach the original class
        SoftmaxWithLoss="import dlcourse.layers\n_Ref = dlcourse.layers.SoftmaxWithLoss.__bases__[0]\n"
                        "class SoftmaxWithLoss(_Ref):\n    def backward(self, dout=1.0):\n"
                        "        return 2 * super().backward(dout)\n")),
        {A: 0, S: 0, X: 0, K: 3}, {A: "calls the reference", S: "calls the reference",
                                   X: "calls the reference"}),
    "evades_the_reference_check": (_nb07({
        "Affine": "from dlcourse.layers import Linear as Affine  # Affine's parent: the same maths\n",
        "Sigmoid": _cls("Sigmoid", "self.params, self.grads = [], []\n"
                                   "self.r = dlcourse.layers.ACTIVATION_LAYERS[sigmoid]()",
                        "return self.r.forward(x)", "return self.r.backward(dout)",
                        head="import dlcourse.layers\n"),
        "SoftmaxWithLoss": "import dlcourse.layers\nexec(compile('''\n" + _cls(
            "SoftmaxWithLoss", "self.r = dlcourse.layers.SoftmaxWithLoss()",
            "return self.r.forward(x, t)", "return self.r.backward(dout)") + "''', 'mylayers.py', 'exec'))\n",
        "araki_step": "from dlcourse.lessons.araki import _step\n"
                      "def araki_step(w1, w2, x, b, rho):\n    w = [w1.copy(), w2.copy()]\n"
                      "    _step(w, x, b, rho)\n    return w[0], w[1]\n"}),
        {A: 0, S: 0, X: 0, K: 0}, {c: "calls the reference" for c in FULL07}),
    "forges_the_reference_report": (_nb07({
        "Affine": "import builtins\nbuiltins.sorted = lambda *a, **k: []  # the sandbox reports hits with sorted()\n"
                  "from dlcourse.layers import Affine\n",
        "Sigmoid": "from dlcourse.layers import Sigmoid\n"}),
        {A: 0, S: 0, X: 0, K: 0}, {A: "calls the reference", S: "calls the reference",
                                   X: "not implemented", K: "not implemented"}),
    "unfriendly_return_values": (_nb07({
        "Affine": LIES + _cls(
            "Affine", "self.params = [W, b]\nself.grads = [Lies(), Lies()]",
            "self.x = x\nreturn (row for row in x @ self.params[0] + self.params[1])  # right rows, a generator",
            "db = np.array([float(v) for v in dout.sum(axis=0)], dtype=object)  # right values, object dtype\n"
            "self.grads = [Lies(), db]\nreturn Lies()"),
        # forward right; dx right in its real part, with an imaginary part of 7
        "Sigmoid": _cls("Sigmoid", forward=SIGMOID_FWD,
                        backward="return dout * self.out * (1.0 - self.out) + 7j"),
        # forward right (2 of the 5 lines); backward an int too large for a float
        "SoftmaxWithLoss": _cls("SoftmaxWithLoss", forward=SOFTMAX_FWD, backward="return 10 ** 400"),
        # the weights unchanged, as numpy arrays whose comparisons lie
        "araki_step": "def araki_step(w1, w2, x, b, rho):\n    return w1.view(Liar), w2.view(Liar)\n"}),
        {A: 0, S: 0, X: 0.8, K: 0}, {A: "expected an array", S: "dx", X: "dx", K: "w1_new"}),
    "mutates_the_inputs": (_nb07(_right(
        # forward zeroes x after keeping it: dW comes out 0 (forward, dx, db still right)
        Affine=_cls("Affine", AFFINE_INIT, "out = x @ self.params[0] + self.params[1]\nself.x = x\n"
                                           "x[...] = 0\nself.params[0][...] = 0\nreturn out",
                    "W = self.params[0]\nself.grads[0][...] = self.x.T @ dout\n"
                    "self.grads[1][...] = dout.sum(axis=0)\ndx = dout @ W.T\ndout[...] = 0\nreturn dx"),
        # in place, but right: full marks
        Sigmoid=_cls("Sigmoid", forward="np.negative(x, out=x)\nnp.exp(x, out=x)\nx += 1\n"
                                        "np.reciprocal(x, out=x)\nself.out = x\nreturn x",
                     backward="dout *= self.out * (1.0 - self.out)\nreturn dout"),
        # forward zeroes the labels and uses them: everything after is wrong
        SoftmaxWithLoss=_cls("SoftmaxWithLoss", forward="t[...] = 0\n" + SOFTMAX_FWD, backward=SOFTMAX_BWD),
        araki_step="def araki_step(w1, w2, x, b, rho):\n"
                   "    g0 = np.concatenate(([1.0], x)); g1 = sigmoid(g0 @ w1)\n"
                   "    g1_1 = np.concatenate(([1.0], g1)); g2 = sigmoid(g1_1 @ w2)\n"
                   "    eps2 = (g2 - b) * g2 * (1 - g2); eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)\n"
                   "    w1 -= rho * np.outer(g0, eps1); w2 -= rho * np.outer(g1_1, eps2)\n"
                   "    x[...] = 0; b[...] = 0\n    return w1, w2\n")),
        {A: 1.0, S: 1, X: 0, K: 3}, {A: "dW = grads[0]", X: "forward loss"}),
    "memory_bomb_and_huge_print": (_nb07(_right(
        Affine=_cls("Affine", AFFINE_INIT, "hog = bytearray(8 * 2**30)\n" + AFFINE_FWD, AFFINE_BWD),
        Sigmoid=_cls("Sigmoid", forward="print('x' * 100_000_000)\n" + SIGMOID_FWD, backward=SIGMOID_BWD),
        # forward right, backward runs out of memory (at once: calloc, no zero-filling that a busy
        # machine would push past the time limit): the forward lines earn 2/5 of the points
        SoftmaxWithLoss=_cls("SoftmaxWithLoss", forward=SOFTMAX_FWD,
                             backward="self.hog = [bytearray(2**30) for _ in range(100)]\n" + SOFTMAX_BWD),
        araki_step="def araki_step(w1, w2, x, b, rho):\n    hog = np.ones((10**6, 10**6))\n    return w1, w2\n")),
        {A: 0, S: 1, X: 0.8, K: 0}, {A: "MemoryError", X: "MemoryError", K: "MemoryError"}),
    "reads_and_writes_outside": (_nb07(_right(
        Affine=f"src = open({str(SOURCE07)!r}).read()\n" + RIGHT07["Affine"],
        Sigmoid=_cls("Sigmoid", forward=f"open({str(ESCAPE07)!r}, 'w').write('escaped')\n" + SIGMOID_FWD,
                     backward=SIGMOID_BWD),
        SoftmaxWithLoss=_cls("SoftmaxWithLoss", forward=SOFTMAX_FWD, backward=(
            "import glob\nstolen = [open(p).read() for p in glob.glob('@SUBS@/*/*/*.ipynb')]\n" + SOFTMAX_BWD)),
        araki_step="import subprocess\ndef araki_step(w1, w2, x, b, rho):\n"
                   f"    subprocess.run(['cat', {str(SOURCE07)!r}])\n    return w1, w2\n")),
        {A: 0, S: 0, X: 0.8, K: 0}, {c: "PermissionError" for c in FULL07}),
    "partially_right": (_nb07({
        # forward right, backward wrong (W instead of W.T: a shape error, grads never filled)
        "Affine": _cls("Affine", AFFINE_INIT, AFFINE_FWD, "return dout @ self.params[0]"),
        # the derivative of the input instead of the output: forward passes, but all or nothing
        "Sigmoid": _cls("Sigmoid", forward="self.x = x\nreturn sigmoid(x)",
                        backward="return dout * self.x * (1.0 - self.x)"),
        # forgot the / N: the two forward lines pass
        "SoftmaxWithLoss": _cls("SoftmaxWithLoss", forward=SOFTMAX_FWD,
                                backward="N, C = self.y.shape\nreturn dout * (self.y - np.eye(C)[self.t])"),
        # eps1 with the *updated* w2: w2_new right, w1_new wrong; all or nothing
        "araki_step": "def araki_step(w1, w2, x, b, rho):\n"
                      "    g0 = np.concatenate(([1.0], x)); g1 = sigmoid(g0 @ w1)\n"
                      "    g1_1 = np.concatenate(([1.0], g1)); g2 = sigmoid(g1_1 @ w2)\n"
                      "    eps2 = (g2 - b) * g2 * (1 - g2); w2 = w2 - rho * np.outer(g1_1, eps2)\n"
                      "    eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)\n"
                      "    return w1 - rho * np.outer(g0, eps1), w2\n"}),
        {A: 0.5, S: 0, X: 0.8, K: 0}, {A: "dx", S: "dx", X: "dx", K: "w1_new"}),
    "memorizes_the_graded_inputs": (_nb07({"Sigmoid": _memorized_sigmoid()}),
                                    {A: 0, S: 0, X: 0, K: 0},
                                    {A: "not implemented", X: "not implemented", K: "not implemented"}),
    "unencodable_answer": (_nb07(_right(Sigmoid="Sigmoid = []\nSigmoid.append(Sigmoid)  # contains itself\n")),
                           {A: 2, S: 0, X: 2, K: 3}, {}),
    "exception_with_broken_str": (_nb07(_right(
        araki_step="class Boom(Exception):\n    def __str__(self):\n        raise ValueError('no message')\n"
                   "raise Boom()\n")),
        {A: 2, S: 1, X: 2, K: 0}, {K: "Boom"}),
    "the_exercise_untouched": (EXERCISE07.read_text(), {A: 0, S: 0, X: 0, K: 0},
                               {c: "not implemented" for c in FULL07}),
    "the_solution": (SOURCE07.read_text(), dict(FULL07), {}),
}

KNOWN07 = {}
# (case, check) -> a grader weakness that makes the right expectation fail today, run as a strict
# xfail. The first corpus found twelve (seed 0 memorised, Linear and araki._step not forbidden,
# class tripwires that could not be subclassed, a forgeable report, unencodable answers and
# unprintable exceptions crashing the grader, complex and huge-integer answers): all fixed.


@pytest.fixture(scope="module")
def graded07(tmp_path_factory):
    ESCAPE07.unlink(missing_ok=True)
    subs = tmp_path_factory.mktemp("subs07")
    for student, (text, _, _) in CASES07.items():
        path = subs / student / CH07 / f"{CH07}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(text.replace("@SUBS@", str(subs)))
    out = tmp_path_factory.mktemp("out07") / "grades.csv"
    grades = grade_folder(subs, root=ROOT, out=out, timeout=5, jobs=2, memory_mb=2048,
                          progress=False, log=lambda *_: None)
    return {g.student: g for g in grades}


def _params07():
    for case in sorted(CASES07):
        for check in FULL07:
            why = KNOWN07.get((case, check))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            yield pytest.param(case, check, marks=marks, id=f"{case}-{check}")


@pytest.mark.parametrize("case, check", list(_params07()))
def test_hostile_case_07(case, check, graded07):
    _, expected, phrases = CASES07[case]
    g = graded07[case]
    assert LOST not in g.error, g.error
    assert g.possible[check] == FULL07[check]
    assert g.scores[check] == float(expected[check]), g.reasons
    if expected[check] < FULL07[check]:
        assert g.reasons.get(check), f"{case}: {check} lost points without a reason"
        assert phrases.get(check, "") in g.reasons[check], g.reasons
    else:
        assert check not in g.reasons, g.reasons


def test_no_false_pass_07(graded07):
    """No wrong answer gets a check's full points (beyond the weaknesses listed in KNOWN07)."""
    false = {(case, c) for case, (_, expected, _) in CASES07.items() for c in FULL07
             if expected[c] < FULL07[c] and graded07[case].scores[c] >= FULL07[c]}
    assert false <= set(KNOWN07), sorted(false - set(KNOWN07))


def test_no_grader_crash_07(graded07):
    """Every submission has a Grade with every check, and grade_submission never raised
    (beyond the crashes listed in KNOWN07)."""
    assert set(graded07) == set(CASES07)
    for g in graded07.values():
        assert set(g.scores) == set(g.possible) == set(FULL07)
    crashed = {case for case, g in graded07.items() if LOST in g.error}
    assert crashed <= {case for case, _ in KNOWN07}, sorted(crashed)


def test_partial_credit_is_fractional_07(graded07):
    assert 0 < graded07["partially_right"].scores[A] < FULL07[A]
    assert 0 < graded07["partially_right"].scores[X] < FULL07[X]
    assert graded07["the_solution"].total == sum(FULL07.values())


def test_nothing_escaped_07(graded07):
    assert not ESCAPE07.exists()
    assert json.loads(SOURCE07.read_text())  # the source is untouched
