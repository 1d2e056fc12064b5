"""Every registered check is proven twice: it passes on the solution in solutions/,
and it fails on the generated stub in exercises/ and on at least three typical
wrong answers (tests/mutants.py)."""
import pytest

from dlcourse.grading import get_check, registered_checks, run_check
from mutants import MUTANTS
from notebook_utils import check_calls, exec_notebook, exercise_notebooks, read, solution_notebooks


def _objects(paths):
    """check name -> the object the notebook passes to check(...)."""
    found = {}
    for path in paths:
        nb = read(path)
        ns, _ = exec_notebook(nb)
        for name, var in check_calls(nb):
            found[name] = ns.get(var)
    return found


@pytest.fixture(scope="module")
def solutions():
    return _objects(solution_notebooks())


@pytest.fixture(scope="module")
def stubs():
    return _objects(exercise_notebooks())


def test_every_check_is_used_by_a_solution(solutions):
    assert sorted(solutions) == registered_checks()


@pytest.mark.parametrize("name", registered_checks())
def test_solution_passes(name, solutions):
    result = run_check(name, solutions[name])
    assert result.passed, result.format()


@pytest.mark.parametrize("name", registered_checks())
def test_stub_is_not_implemented(name, stubs):
    result = run_check(name, stubs[name])
    assert result.status == "not implemented", result.format()
    assert result.score == 0


@pytest.mark.parametrize("name", registered_checks())
def test_mutants_fail(name):
    mutants = MUTANTS.get(name, [])
    assert len(mutants) >= 3, f"{name}: write at least 3 typical wrong answers in tests/mutants.py"
    for what, wrong in mutants:
        result = run_check(name, wrong)
        assert result.status == "fail", f"{name} passed a wrong answer ({what}):\n{result.format()}"
        assert "Hint:" in result.format(), f"{name}: a FAIL must carry a hint"


def test_kill_rate_of_all_checks_is_100_percent(stubs, capsys):
    """Every check in the course against its stub and all its mutants, at once."""
    killed, total, survivors = 0, 0, []
    for name in registered_checks():
        candidates = [("generated stub", stubs.get(name))] + list(MUTANTS.get(name, []))
        for what, wrong in candidates:
            total += 1
            if run_check(name, wrong).status in ("fail", "not implemented"):
                killed += 1
            else:
                survivors.append(f"{name}: {what}")
    with capsys.disabled():
        print(f"\nkill rate: {killed}/{total} wrong answers caught ({100 * killed / total:.1f}%) "
              f"across {len(registered_checks())} checks")
    assert not survivors, survivors


PARTIAL = [name for name in registered_checks() if get_check(name).partial]


def test_some_checks_give_partial_credit():
    assert {"07.affine", "14.lstm_backward"} <= set(PARTIAL)


@pytest.mark.parametrize("name", registered_checks())
def test_a_wrong_answer_never_earns_full_points(name):
    """All-or-nothing checks give a wrong answer 0; partial-credit ones less than the points,
    and for at least one typical mistake a share strictly between 0 and the points."""
    reg = get_check(name)
    scores = [run_check(name, wrong).score for _, wrong in MUTANTS.get(name, [])]
    if not reg.partial:
        assert scores == [0] * len(scores)
        return
    assert all(0 <= s < reg.points for s in scores), scores
    assert any(0 < s < reg.points for s in scores), f"{name}: no mistake earns partial credit: {scores}"


@pytest.mark.parametrize("name", PARTIAL)
def test_partial_credit_is_the_share_of_passing_lines(name):
    _, wrong = MUTANTS[name][0]
    result = run_check(name, wrong)
    passed = sum(line.passed for line in result.lines)
    assert result.score == round(result.points * passed / len(result.lines), 2)
    assert f"FAIL  {result.score:g}/{result.points:g} points" in result.format()


@pytest.mark.parametrize("name", PARTIAL)
def test_the_reference_earns_no_partial_credit(name):
    """Handing in the forbidden reference itself passes every quantity but one: it still scores 0."""
    import importlib

    forbid = get_check(name).forbid
    if not forbid:
        pytest.skip("no reference is forbidden")
    module, _, attr = forbid[0].rpartition(".")
    result = run_check(name, getattr(importlib.import_module(module), attr))
    assert result.status == "fail" and result.score == 0, result.format()


from dlcourse.grading.grade import GRADING_SEEDS  # noqa: E402


@pytest.mark.parametrize("name", registered_checks())
def test_every_grading_seed_is_proven(name, solutions):
    """dlcourse grade draws each submission's inputs with one of GRADING_SEEDS (picked by the
    file's hash): with each of them the solution passes and every typical wrong answer fails."""
    assert 0 not in GRADING_SEEDS and len(set(GRADING_SEEDS)) == len(GRADING_SEEDS) >= 32
    for seed in GRADING_SEEDS:
        result = run_check(name, solutions[name], seed=seed)
        assert result.passed, f"seed {seed}:\n{result.format()}"
        for what, wrong in MUTANTS.get(name, []):
            assert run_check(name, wrong, seed=seed).status == "fail", f"{name} passed {what} with seed {seed}"


def test_grading_seeds_come_from_the_file():
    from dlcourse.grading.grade import grading_seed

    seeds = {grading_seed(bytes([k])) for k in range(200)}
    assert seeds <= set(GRADING_SEEDS) and len(seeds) > len(GRADING_SEEDS) // 2
    assert grading_seed(b"same file") == grading_seed(b"same file")
