"""Chapter 16: the experiments (on short runs where possible), plots and the two demos."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, plots, widgets  # noqa: E402
from dlcourse.experiments import attention as E  # noqa: E402


def test_toy_alignment_prefers_the_matching_state():
    res = E.toy_alignment()
    assert res.weights.sum() == pytest.approx(1.0) and np.argmax(res.weights) == 1
    assert np.allclose(res.context, res.weights @ res.hs)
    assert "weight = 0.8694" in str(res)


def test_date_examples_show_every_format():
    res = E.date_examples()
    assert res.formats == list(datasets.DATE_FORMATS)
    assert (res.n_train, res.n_test) == (18000, 2000)
    assert all(len(a) == 10 and a[4] == a[7] == "-" for a in res.answers)


def test_short_date_run_reports_consistently():
    run = E.train_dates("dot", steps=20)
    assert run.losses.shape == (20,) and run.weights.shape == (2000, 10, 32)
    assert np.allclose(run.weights.sum(axis=2), 1.0, atol=1e-5)
    assert run.accuracy == pytest.approx(np.mean([p == a for p, a in zip(run.predictions, run.answers)]))
    assert "20 steps of 64 questions" in str(run)
    plain = E.train_dates("none", steps=20)
    assert plain.weights is None and "no attention" in str(plain)
    by_length = E.accuracy_by_length(steps=20)
    assert by_length.counts.sum() == 2000 and set(by_length.exact) == {"dot", "none"}
    fig = plots.attention_by_length(by_length)
    assert len(fig.axes) == 2
    assert len(plots.date_training([run, plain]).axes[0].lines) == 2


def test_alignment_picks_questions_by_length():
    res = E.alignment(length=9, example=1, steps=20)
    assert res.length == 9 == len(res.question) and res.weights.shape == (10, 9)
    assert np.allclose(res.weights.sum(axis=1), 1.0, atol=1e-5)
    again = E.alignment(length=9, example=1 + res.count, steps=20)
    assert again.question == res.question                 # the example number wraps around
    top = E.alignment_lengths(steps=20).max()
    assert E.alignment(length=99, steps=20).length == top      # the nearest length offered
    assert E.alignment(length=99, steps=20).count >= E.ALIGNMENT_MIN_COUNT
    fig = plots.attention_alignment(res)
    plots.attention_alignment(again, fig=fig)             # redraws in place
    assert len(fig.axes) == 2


def test_scaling_keeps_the_softmax_from_saturating():
    res = E.scaling()
    assert np.allclose(res.score_std, np.sqrt(res.dims), rtol=0.05)
    assert np.all(np.diff(res.max_weight_raw) > 0) and np.ptp(res.max_weight_scaled) < 0.05


def test_masked_weights_and_positional_codes():
    res = E.masked_weights()
    causal = res.weights["causal mask"]
    assert np.all(np.triu(causal, 1) == 0) and np.allclose(causal.sum(axis=1), 1.0)
    padded = res.weights["padding mask (length 3)"]
    assert np.all(padded[3:] == 0) and np.all(padded[:, 3:] == 0)
    codes = E.positional_codes()
    assert codes.shift_error < 1e-10
    assert codes.similarity[0, 3] == pytest.approx(codes.similarity[20, 23])
    assert "depends on the distance only" in str(codes)


def test_short_transformer_run():
    run = E.train_transformer("reversal", steps=30)
    assert run.losses.shape == (30,) and len(run.weights) == 1 and run.weights[0].shape == (1000, 2, 8, 8)
    assert 0 <= run.exact <= run.token_acc <= 1 and "reversal" in str(run)
    view = E.transformer_attention(example=1003, head=1, task="reversal", steps=30)
    assert view.example == 3 and view.weights.shape == (8, 8)
    assert len(plots.transformer_curves([run]).axes[0].lines) == 1


def _snapshot(demo):
    return str(demo.result), demo.image.value, demo.text.value


# Short runs (``steps``) keep this fast; tests/test_widgets.py opens the demos with the
# lesson's runs, and the lesson's nbval run checks their printed defaults.
@pytest.mark.parametrize("make, default, moves", [
    (lambda: widgets.alignment_demo(steps=20), lambda: E.alignment(steps=20), [{"length": 8}, {"example": 3}]),
    (lambda: widgets.transformer_attention_demo(steps=30), lambda: E.transformer_attention(steps=30),
     [{"example": 5}, {"head": 1}, {"task": "reversal"}]),
])
def test_demos_start_at_the_experiment_and_redraw(make, default, moves):
    demo = make()
    assert str(demo.result) == str(default()), "the default view must equal the printed experiment"
    for values in moves:
        before = _snapshot(demo)
        demo.set(**values)
        after = _snapshot(demo)
        assert all(a != b for a, b in zip(after, before)), values
