"""Chapter 09: the optimiser experiments, their plots, the widget and the checks' edge cases."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from dlcourse import optim, plots, widgets  # noqa: E402
from dlcourse.experiments import optimizers as ex  # noqa: E402
from dlcourse.lessons import numerical_descent as D  # noqa: E402
from dlcourse.grading import run_check  # noqa: E402


def test_bowl_gradient_matches_numerical():
    from dlcourse.gradients import numerical_gradient

    p = np.array([-7.0, 2.0])
    num = numerical_gradient(lambda q: D.bowl(q[0], q[1]), p.copy())
    np.testing.assert_allclose(D.bowl_grad(*p), num, rtol=1e-7)


def test_sgd_path_is_closed_form():
    """On x²/20 + y² one SGD step multiplies x by 1 - lr/10 and y by 1 - 2 lr."""
    run = ex.optimizer_path("sgd", lr=0.95, steps=30)
    np.testing.assert_allclose(run.end, [-7 * 0.905 ** 30, 2 * (-0.9) ** 30], rtol=1e-12)


def test_path_table_numbers():
    text = str(ex.compare_paths())
    for row in ("SGD         0.95   -0.3504    0.0848    0.0133",
                "AdaGrad     1.50   -0.1202    0.0000    0.0007",
                "Adam        0.30    0.1360    0.3182    0.1022"):
        assert row in text
    assert "-0.0000" not in text


def test_momentum_by_hand_equals_library():
    p, v = np.array([-7.0, 2.0]), np.zeros(2)
    for _ in range(30):
        v = 0.9 * v - 0.1 * np.array(D.bowl_grad(*p))
        p = p + v
    np.testing.assert_allclose(ex.optimizer_path("momentum", 0.1).end, p, rtol=1e-12)


def test_diverging_path_prints_and_draws_quietly():
    run = ex.optimizer_path("sgd", lr=10.0, steps=100)
    assert "e+" in str(run)                      # huge numbers in scientific notation
    with np.errstate(all="raise"):
        fig = plots.optimizer_path(run)
    assert fig.axes


def test_unknown_optimizer_is_a_clear_error():
    with pytest.raises(ValueError, match="expected one of sgd, momentum"):
        ex.optimizer_path("nesterov2")


def test_widget_default_equals_lesson_and_every_control_redraws():
    demo = widgets.optimizer_path_demo()
    assert str(demo.result) == str(ex.optimizer_path("adam", lr=0.3, steps=30))
    for values in ({"lr": 0.03}, {"name": "sgd"}, {"steps": 80}):
        before = demo.image.value, str(demo.result)
        demo.set(**values)
        assert demo.image.value != before[0] and str(demo.result) != before[1], values


def test_batch_size_report_is_deterministic_and_counts_updates():
    res = ex.batch_sizes(sizes=(100, 1000), epochs=1)
    assert [res.updates(b) for b in (100, 1000)] == [40, 4]
    assert str(res) == str(ex.batch_sizes(sizes=(100, 1000), epochs=1))
    assert "s / epoch" in res.timing() and "s / epoch" not in str(res)
    assert plots.batch_sizes(res).axes


def test_mnist1d_curves_small_run():
    res = ex.mnist1d_curves(names=("sgd", "adam"), epochs=1)
    assert set(res.histories) == {"sgd", "adam"} and res.lrs == {"sgd": 0.01, "adam": 0.001}
    assert "Adam" in str(res)
    assert plots.mnist1d_curves(res).axes


def test_checks_reject_the_library_classes():
    for name, cls in (("09.momentum", optim.Momentum), ("09.adagrad", optim.AdaGrad), ("09.adam", optim.Adam)):
        result = run_check(name, cls)
        assert result.status == "fail" and "this is dlcourse.optim." in result.format()


def test_textbook_adam_fails_only_through_eps():
    from mutants_ch09 import TEXTBOOK_ADAM

    result = run_check("09.adam", TEXTBOOK_ADAM)
    assert result.status == "fail"
    assert "lr_t shortcut" in result.format()


def test_batch_size_demo_default_equals_lesson_and_controls_redraw():
    demo = widgets.batch_size_demo(warm=False)
    assert str(demo.result) == str(ex.batch_size_run(batch_size=100, lr=0.01))
    # one point of the demo is the same run as that row of the lesson's batch-size table
    table = ex.batch_sizes(sizes=(1, 10, 100, 1000), epochs=2)
    assert demo.result.histories[100]["test_acc"] == table.histories[100]["test_acc"]
    before = demo.image.value
    demo.set(batch_size=1000)
    assert demo.image.value != before and "1000" in demo.text.value
    before = demo.image.value
    demo.set(lr=0.1)
    assert demo.image.value != before and "lr = 0.1" in demo.text.value


def test_running_mean_against_a_loop():
    from dlcourse.plots.optimizers import _running_mean

    loss = np.random.default_rng(0).random(100)
    steps, smooth = _running_mean(loss)
    w = 100 // 40
    expected = [loss[max(0, n - w):n].mean() for n in range(1, 101)]
    assert np.allclose(smooth, expected, rtol=0, atol=1e-12) and steps[0] == 1 and steps[-1] == 100
