"""Chapter 14: the printed experiments and the lag demo. (The memory task is tested in
tests/test_sequence_data.py; the models, SequenceClassifier and the bidirectional GRU, in
tests/test_rnn.py.)"""
import numpy as np
import pytest

from dlcourse import rnn
from dlcourse.experiments import lstm as E




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
