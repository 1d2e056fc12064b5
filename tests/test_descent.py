"""Chapter 06: gradient descent, the chapter's functions, its experiments (the slides'
numbers), its plots, its demo, and the cross-entropy check's tolerance."""
import numpy as np
import pytest

from dlcourse.lessons import numerical_descent as D
from dlcourse import plots, widgets
from dlcourse.experiments import descent as E
from dlcourse.gradients import numerical_diff, numerical_gradient, rel_error
from dlcourse.grading import run_check


# --- dlcourse.lessons.numerical_descent -----------------------------------------------------------

def test_gradient_descent_on_the_bowl_matches_the_closed_form():
    # one step is x <- (1 - 2 lr) x
    start = np.array([-3.0, 4.0])
    for lr, n in ((0.1, 100), (0.01, 37), (0.3, 5)):
        x, path = D.gradient_descent(D.sum_of_squares, start, lr=lr, step_num=n)
        assert path.shape == (n + 1, 2)
        assert np.array_equal(path[0], start) and np.array_equal(path[-1], x)
        expected = (1 - 2 * lr) ** np.arange(n + 1)[:, None] * start
        assert rel_error(path, expected) < 1e-7


def test_gradient_descent_matches_a_loop_with_the_exact_gradient():
    rng = np.random.default_rng(6)
    for trial in range(3):
        Dm = 4
        M = rng.standard_normal((Dm, Dm))
        A = M @ M.T / Dm + 0.5 * np.eye(Dm)                # symmetric positive definite
        b = rng.standard_normal(Dm)
        x0 = rng.standard_normal(Dm)
        lr = 0.5 / np.linalg.eigvalsh(A).max()
        x = x0.copy()
        for _ in range(30):
            x = x - lr * (A @ x - b)
        got, _ = D.gradient_descent(lambda v: 0.5 * v @ A @ v - b @ v, x0, lr=lr, step_num=30)
        assert rel_error(got, x) < 1e-7, trial


def test_gradient_descent_leaves_init_x_alone_and_keeps_its_shape():
    init = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = init.copy()
    x, path = D.gradient_descent(lambda v: np.sum(v ** 2), init, lr=0.1, step_num=3)
    assert np.array_equal(init, before)
    assert x.shape == (2, 2) and path.shape == (4, 2, 2)
    x_int, _ = D.gradient_descent(D.sum_of_squares, [-3, 4], lr=0.1, step_num=1)   # ints are fine
    assert rel_error(x_int, [-2.4, 3.2]) < 1e-9


@pytest.mark.parametrize("kwargs, match", [
    ({"lr": 0.0}, "lr must be a positive number"),
    ({"lr": -0.1}, "lr must be a positive number"),
    ({"lr": float("nan")}, "lr must be a positive number"),
    ({"step_num": -1}, "step_num must be a whole number"),
    ({"step_num": 2.5}, "step_num must be a whole number"),
])
def test_gradient_descent_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        D.gradient_descent(D.sum_of_squares, np.zeros(2), **kwargs)


def test_zero_steps_returns_the_start():
    x, path = D.gradient_descent(D.sum_of_squares, np.array([1.0, 2.0]), step_num=0)
    assert np.array_equal(x, [1.0, 2.0]) and path.shape == (1, 2)


def test_chapter_functions_and_their_derivatives():
    xs = np.linspace(-5, 15, 9)
    for x in xs:
        assert numerical_diff(D.parabola, x) == pytest.approx(D.parabola_grad(x), abs=1e-9)
    p = np.random.default_rng(1).standard_normal(3)
    assert rel_error(numerical_gradient(D.sum_of_squares, p.copy()), D.sum_of_squares_grad(p)) < 1e-7
    grid = np.random.default_rng(2).standard_normal((4, 5, 2))
    assert D.sum_of_squares(grid).shape == (4, 5)
    # the forward difference is first order: its error on the parabola is exactly 0.01 h
    for h in (1e-1, 1e-2, 1e-3):
        assert D.forward_diff(D.parabola, 5.0, h) - 0.2 == pytest.approx(0.01 * h, rel=1e-6)


# --- experiments: the slides' numbers ----------------------------------------------

def test_losses_of_the_slide_example():
    res = E.loss_examples()
    se, ce = list(res.squared_error.values()), list(res.cross_entropy.values())
    assert [f"{v:.4f}" for v in se] == ["0.0975", "0.5975"]
    assert [f"{v:.4f}" for v in ce] == ["0.5108", "2.3026"]
    assert ce[0] == pytest.approx(-np.log(0.6)) and ce[1] == pytest.approx(-np.log(0.1))
    assert "peak on class 7 (wrong)" in str(res)
    with pytest.raises(ValueError, match="two different classes"):
        E.loss_examples(t=2, wrong_class=2)


def test_central_difference_is_second_order_forward_first_order():
    res = E.difference_errors()
    big = res.hs >= 1e-3                               # where truncation dominates rounding
    assert rel_error(res.central_error[big], res.hs[big] ** 2) < 1e-6     # x³: exactly h²
    assert rel_error(res.forward_error[big], 3 * res.hs[big] + res.hs[big] ** 2) < 1e-6
    tiny = res.hs == 1e-50
    assert res.forward[tiny] == 0 and res.central[tiny] == 0       # x + h rounds to x
    # rounding: at h = 1e-12 both are far worse than at their best step
    k = np.flatnonzero(res.hs == 1e-12)[0]
    assert res.central_error[k] > 1e3 * res.central_error.min()
    assert "1e-50" in str(res)


def test_derivative_of_the_parabola_at_5_and_10():
    res = E.derivative_table()
    assert [f"{v:.4f}" for v in res.central] == ["0.2000", "0.3000"]
    assert np.all(np.abs(res.central - res.analytic) < 1e-10)
    assert np.allclose(res.forward - res.analytic, 1e-6, rtol=1e-4)


def test_gradients_of_the_bowl():
    res = E.gradient_table()
    assert np.allclose(res.numerical, [[6, 8], [0, 4], [6, 0]], atol=1e-8)
    assert "(6.0000, 8.0000)" in str(res)
    field = E.gradient_field()
    assert field.G.shape == field.X0.shape + (2,) == (18, 18, 2)
    assert field.max_angle_to_minimum < 1e-4


def test_learning_rates_converge_diverge_stall():
    res = E.learning_rates()
    good, big, tiny = res.runs
    assert [r.verdict for r in res.runs] == ["converges", "diverges", "barely moves"]
    assert rel_error(good.end, 0.8 ** 100 * np.array([-3.0, 4.0])) < 1e-6
    assert np.max(np.abs(big.end)) > 1e11
    assert np.allclose(tiny.end, [-3.0, 4.0], atol=1e-6)
    text = str(res)
    assert "-6.1111e-10" in text and "8.1481e-10" in text and "-3.0000" in text


@pytest.mark.parametrize("lr, verdict", [(1.0, "no progress"), (1e-3, "still on its way"), (0.5, "converges")])
def test_descent_verdicts(lr, verdict):
    assert E.descent_path(lr, 100).verdict == verdict
    assert E.descent_path(lr, 0).verdict == "no steps"


# --- plots and the demo ----------------------------------------------------------------

def test_plots_draw_every_result():
    figs = [
        plots.losses(E.loss_examples()),
        plots.difference_errors(E.difference_errors()),
        plots.tangent_lines(E.derivative_table()),
        plots.gradient_field(E.gradient_field()),
        plots.descent_path(E.descent_path()),
        plots.learning_rates(E.learning_rates()),
    ]
    assert all(f.axes for f in figs)


def test_descent_demo_default_is_the_printed_run_and_sliders_redraw():
    import ipywidgets as W

    demo = widgets.descent_demo()
    assert str(demo.result) == str(E.descent_path(lr=0.1, step_num=100))
    lr = demo.controls["lr"]
    assert isinstance(lr, W.FloatLogSlider) and (lr.base, lr.min, lr.max) == (10, -10, 1)
    for values in ({"lr": 10.0}, {"lr": 1e-10}, {"step_num": 20}):
        before = (str(demo.result), demo.image.value, demo.text.value)
        demo.set(**values)
        after = (str(demo.result), demo.image.value, demo.text.value)
        assert all(a != b for a, b in zip(after, before)), values
    assert "barely moves" in demo.text.value


# --- the cross-entropy check's tolerance --------------------------------------------------

def test_textbook_cross_entropy_with_1e7_passes_the_check():
    """log(y + 1e-7) is not a mistake: the check's tolerance (1e-5) lets it pass."""
    from mutants_ch06 import TEXTBOOK_CROSS_ENTROPY

    result = run_check("06.cross_entropy_error", TEXTBOOK_CROSS_ENTROPY)
    assert result.passed, result.format()
