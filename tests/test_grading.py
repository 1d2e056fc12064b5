"""check(...): fixed-format lines, PASS/FAIL and points, and no traceback ever."""
import json
import re

import numpy as np
import pytest

from dlcourse import functions as F
from dlcourse.grading import CheckFailed, check, get_check, register, registered_checks, run_check
from dlcourse.grading.core import _REGISTRY

LINE = re.compile(r"^  .{40} .{1,60} (PASS|FAIL)$")


def stub(*args, **kwargs):
    raise NotImplementedError()


def test_pass_output_format(capsys):
    check("02.sigmoid", lambda x: F.sigmoid(x))   # a learner's wrapper, not the reference itself
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "02.sigmoid: sigmoid(x) -> same shape"
    assert all(LINE.match(line) for line in out[1:-1]), out
    assert re.search(r"rel\. error \d\.\de[+-]\d\d \(expect < 1e-07\)\s+PASS", out[1])
    assert out[-1] == "PASS  2/2 points"


def test_stub_says_not_implemented(capsys):
    check("02.relu", stub)
    out = capsys.readouterr().out
    assert "not implemented yet" in out
    assert out.rstrip().endswith("FAIL  0/1 points")
    assert "Traceback" not in out


def test_exception_becomes_fail_line_with_message_and_hint(capsys):
    def broken(x):
        raise KeyError("oops")

    check("02.relu", broken)
    out = capsys.readouterr().out
    assert "raised KeyError: 'oops'" in out
    assert "Hint: relu(x) = max(0, x)" in out
    assert "Traceback" not in out and "FAIL  0/1 points" in out


def test_wrong_shape_names_both_shapes(capsys):
    check("02.softmax", lambda x: F.softmax(x).T)
    out = capsys.readouterr().out
    assert "expected shape (4, 6), got (6, 4)" in out


def test_unknown_check_lists_valid_names(capsys):
    check("02.sigmod", F.sigmoid)
    out = capsys.readouterr().out
    assert "unknown check '02.sigmod'" in out
    assert "02.leaky_relu, 02.relu, 02.sigmoid, 02.softmax" in out
    with pytest.raises(ValueError, match="valid names"):
        get_check("99.nothing")


def test_non_array_result_is_a_fail_not_a_crash():
    result = run_check("02.sigmoid", lambda x: "a string")
    assert result.status == "fail"
    assert "expected an array, got str" in result.format()


def test_error_escaping_the_check_body_is_reported(capsys):
    # 01.nand_params calls the learner's function outside a guarded comparison
    def boom():
        raise ZeroDivisionError("division by zero")

    check("01.nand_params", boom)
    out = capsys.readouterr().out
    assert "your code raised ZeroDivisionError: division by zero" in out
    assert "Traceback" not in out


def test_warnings_from_learner_code_do_not_leak(capsys, recwarn):
    check("02.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    assert "numpy warning: overflow" in capsys.readouterr().out


def test_autograde_mode_raises_on_fail(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(CheckFailed):
        check("02.relu", stub)
    check("02.relu", lambda x: F.relu(x))  # a pass does not raise


def test_results_file_for_the_grader(monkeypatch, tmp_path, capsys):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("DLCOURSE_RESULTS", str(path))
    check("02.relu", lambda x: F.relu(x))
    check("02.sigmoid", stub)
    recs = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["name"], r["status"], r["score"]) for r in recs] == [
        ("02.relu", "pass", 1), ("02.sigmoid", "not implemented", 0)]


def test_check_with_no_lines_fails():
    @register("99.empty_for_test", points=1)
    def _empty(obj, c):
        pass

    try:
        assert run_check("99.empty_for_test", None).status == "fail"
    finally:
        del _REGISTRY["99.empty_for_test"]


def test_registered_names_follow_the_convention():
    for name in registered_checks():
        assert re.fullmatch(r"\d\d\.[a-z0-9_]+", name), name
        assert get_check(name).hint, f"{name} needs a hint"


def test_an_answer_that_is_the_reference_fails(capsys):
    from dlcourse import gates, layers

    check("02.sigmoid", F.sigmoid)                       # imported, not written
    out = capsys.readouterr().out
    assert "this is dlcourse.functions.sigmoid" in out and "FAIL  0/2 points" in out

    class Mine(layers.Affine):                           # a subclass counts too
        pass

    assert run_check("07.affine", Mine).status == "fail"
    assert run_check("01.perceptron", gates.perceptron).status == "fail"


def test_every_forbidden_reference_resolves():
    """A check's ``forbid`` names are looked up by import path when grading; a stale path
    (a moved or renamed module) would silently stop catching the reference."""
    import importlib

    for name in registered_checks():
        for dotted in get_check(name).forbid:
            module_name, _, attr = dotted.rpartition(".")
            assert hasattr(importlib.import_module(module_name), attr), f"{name}: {dotted} does not exist"
