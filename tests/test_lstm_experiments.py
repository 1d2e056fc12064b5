"""Chapter 14: the models of dlcourse.experiments.lstm (gradients checked
numerically in float64), the printed experiments and the lag demo."""
import numpy as np
import pytest

from dlcourse import datasets, models, optim, rnn
from dlcourse.experiments import lstm as E
from dlcourse.gradients import numerical_gradient, rel_error


def _check_model_gradients(model, x, t, tol=1e-5):
    # tol 1e-5, not 1e-7: entries of a whole model's gradient can be ~1e-6 (one-hot inputs,
    # saturated gates), where the central difference's round-off is relatively large; the
    # cells themselves are checked at 1e-7 in tests/test_rnn.py
    model.loss(x, t)
    model.backward()
    for p, g in zip(model.params, model.grads):
        num = numerical_gradient(lambda: model.loss(x, t), p)
        assert rel_error(g, num) < tol, (p.shape, rel_error(g, num))


@pytest.mark.parametrize("kind, peephole", [("rnn", False), ("lstm", False), ("lstm", True), ("gru", False)])
def test_sequence_classifier_gradients(kind, peephole):
    model = E.SequenceClassifier(kind, D=5, H=3, C=4, rng=1, gate_bias=2.0, peephole=peephole)
    if peephole:
        model.params[3][...] = np.random.default_rng(2).standard_normal((3, 3)) * 0.5
    xs, t = datasets.memory_task(lag=4, n=3, rng=3, n_symbols=4, n_distractors=1)
    _check_model_gradients(model, xs, t)
    assert len(model.params) == (4 if peephole else 3) + 2


def test_sequence_classifier_gate_bias_sets_the_keep_gate():
    assert np.all(E.SequenceClassifier("lstm", 3, 4, 2, rng=0, gate_bias=3.0).params[2][:4] == 3.0)
    assert np.all(E.SequenceClassifier("gru", 3, 4, 2, rng=0, gate_bias=3.0).params[2][:4] == 3.0)
    assert np.all(E.SequenceClassifier("lstm", 3, 4, 2, rng=0).params[2][:4] == 1.0)   # init_recurrent's
    with pytest.raises(ValueError, match="peephole"):
        E.SequenceClassifier("gru", 3, 4, 2, peephole=True)


@pytest.mark.parametrize("readout", E.BiGRUClassifier.READOUTS)
def test_bigru_gradients(readout):
    model = E.BiGRUClassifier(hidden=2, T=5, C=3, readout=readout, rng=0)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 5)), rng.integers(0, 3, 4)
    _check_model_gradients(model, x, t)


def test_mnist1d_gru_builder_follows_the_train_interface():
    model = E.mnist1d_gru(rng=0)
    assert model.hidden == 6 and model.readout == "last+max"
    assert sum(p.size for p in model.params) == 2 * 3 * (1 * 6 + 6 * 6 + 6) + (24 * 10 + 10)
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((30, 40)), rng.integers(0, 10, 30)
    assert model.predict(x).shape == (30, 10)
    h = models.train(model, optim.Adam(1e-2), x, t, epochs=2, batch_size=10, rng=0, progress=False)
    assert len(h["batch_loss"]) == 6 and np.all(np.isfinite(h["batch_loss"]))
    same = E.mnist1d_gru(rng=0)
    assert all(np.array_equal(a, b) for a, b in zip(same.params, E.mnist1d_gru(rng=0).params))


def test_param_counts_gru_is_three_quarters_of_lstm():
    res = E.param_counts()
    for j, (D, H) in enumerate(res.sizes):
        assert res.counts["rnn"][j] == D * H + H * H + H
        assert res.counts["lstm"][j] == 4 * res.counts["rnn"][j]
        assert res.counts["gru"][j] * 4 == res.counts["lstm"][j] * 3
        assert res.counts["peephole"][j] == res.counts["lstm"][j] + 3 * H
    assert "0.7500" in str(res)


def test_cec_decay_is_sigmoid_of_bias_to_the_lag():
    res = E.cec_decay(biases=(0.0, 3.0), lags=(10, 40))
    assert res.table[0, 0] == pytest.approx(0.5 ** 10)
    assert res.table[1, 1] == pytest.approx((1 / (1 + np.exp(-3.0))) ** 40)


def test_lag_race_short_lag_and_the_demo_default():
    res = E.lag_race(lag=5)
    assert set(res.final) == {"rnn", "lstm", "gru"}
    assert res.final["lstm"] == 1.0 and res.final["gru"] == 1.0
    assert res.checkpoints[0] == 0 and res.checkpoints[-1] == E.MEMORY["steps"]
    assert res.n_params == {"rnn": 464, "lstm": 1856, "gru": 1392}
    assert str(res) == str(E.lag_race(lag=5))                            # cached, deterministic
    from dlcourse import widgets

    demo = widgets.lag_race_demo(lag=5, warm=False)
    assert str(demo.result) == str(res)
    assert demo.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_zero_peephole_is_the_plain_lstm():
    rng = np.random.default_rng(0)
    Wx, Wh, b = rnn.init_recurrent("lstm", 3, 4, rng)
    xs = rng.standard_normal((2, 5, 3))
    plain = rnn.TimeLSTM(Wx, Wh, b).forward(xs)
    assert np.array_equal(plain, rnn.TimeLSTM(Wx, Wh, b, peephole=np.zeros((3, 4))).forward(xs))
