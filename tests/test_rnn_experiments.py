"""Chapter 13: the Jacobian norms, the slide experiments' key numbers, the plots and the widgets.
(The leaky and skip RNNs are tested with the other layers in tests/test_rnn.py.)"""
import matplotlib
import numpy as np
import pytest

from dlcourse import plots, rnn, widgets
from dlcourse.experiments import rnn as E
from dlcourse.gradients import numerical_gradient
from dlcourse.lessons import rnn_jacobians

matplotlib.use("Agg")


def test_jacobian_norms_against_numerical_jacobians():
    """The Jacobian chain equals the derivative of h_(T-1) with respect to h_(T-1-k),
    computed by nudging h_(T-1-k) and re-running the remaining steps."""
    rng = np.random.default_rng(2)
    T, D, H = 6, 2, 3
    Wx, Wh, b = rnn_jacobians.random_rnn(H, D, 1.3, rng)
    xs = rng.standard_normal((T, D))
    hs = rnn.TimeRNN(Wx, Wh, b).forward(xs[None])[0]
    norms = rnn_jacobians.jacobian_norms(hs, Wh)
    assert norms[0] == 1.0
    for k in range(1, T):
        start = hs[T - 1 - k].copy()

        def run(h0, k=k):
            h = h0
            for t in range(T - k, T):
                h = np.tanh(xs[t] @ Wx + h @ Wh + b)
            return h

        J = np.stack([numerical_gradient(lambda: run(start)[i], start) for i in range(H)])   # (H, H)
        assert abs(np.linalg.norm(J, 2) - norms[k]) < 1e-7 * max(1.0, norms[k])


def test_state_jacobians_by_backward_equal_the_chain():
    rng = np.random.default_rng(3)
    H, D, T = 5, 2, 8
    Wx, Wh, b = rnn_jacobians.random_rnn(H, D, 1.1, rng)
    xs = rng.standard_normal((1, T, D))
    by_backward = E._state_jacobian_norms(rnn.TimeLeakyRNN(Wx, Wh, b, 1.0), xs)
    hs = rnn.TimeRNN(Wx, Wh, b).forward(xs)[0]
    np.testing.assert_allclose(by_backward, rnn_jacobians.jacobian_norms(hs, Wh), rtol=1e-10)


def test_unrolled_bptt_matches_numerical_and_the_layer():
    res = E.unrolled_bptt()
    assert res.layer_diff < 1e-12
    assert all(err < 1e-7 for err in res.errors.values())
    assert res.shares[0] == 0.0                           # h_(-1) = 0 adds nothing to dWh
    assert res.dh_norms[-1] > 50 * res.dh_norms[0]         # the gradient fades going back


def test_gradient_flow_vanishes_and_explodes():
    flow = E.gradient_flow()
    assert flow.radii == (0.5, 1.0, 2.0, 3.0)
    assert flow.norms[0, 40] < 1e-15 and flow.norms[1, 40] < 1e-6
    assert flow.norms[3, 40] > 100
    assert np.all(np.diff(flow.per_step) > 0)
    assert "per step" in str(flow)
    lag = E.gradient_lag(1.0, 20)
    assert lag.norms[20] == pytest.approx(flow.norms[1, 20])
    with pytest.raises(ValueError, match="0 <= lag < T"):
        E.gradient_lag(1.0, 60)


def test_variant_flow_orders_the_variants():
    v = E.variant_flow()
    plain, leaky, skip = v.norms[:, 40]
    assert leaky > skip > plain
    assert leaky > 0.9 ** 40
    same = E.variant_flow(alpha=1.0)
    np.testing.assert_allclose(same.norms[0], same.norms[1])


def test_esn_on_mackey_glass():
    run = E.esn_run()                                      # the lesson's reservoir
    assert run.one_step_nrmse < 0.005 and run.valid > 300
    assert run.generated.shape == run.truth.shape == (500,)
    short = E.esn_run(radius=0.5, leak=1.0)
    assert short.valid < run.valid


def test_bidirectional_beats_unidirectional_on_the_future():
    bi = E.bidirectional_sweep(lags=(0, 2), n_train=400, n_test=200, epochs=6)
    (u0, b0), (u2, b2) = bi.accuracy
    assert u0 > 0.95 and b0 > 0.95
    assert abs(u2 - 0.5) < 0.08 and b2 > 0.9


def test_treenet_learns_the_operators():
    run = E.treenet_run(n_train=1000, epochs=6, depths=(1, 2, 4), n_test=100)
    assert run.accuracy[0] > 0.95 and run.accuracy[1] > 0.9
    assert run.losses[-1] < run.losses[0]
    assert len(run.example_probs) == len(E.recursive.encode_trees([run.example]))


def test_plots_draw_and_redraw():
    from matplotlib.figure import Figure

    cases = [(plots.rnn_unrolled, E.unrolled_bptt()), (plots.rnn_gradient_flow, E.gradient_flow()),
             (plots.rnn_gradient_lag, E.gradient_lag()), (plots.rnn_variant_flow, E.variant_flow()),
             (plots.esn_forecast, E.esn_run())]
    for draw, res in cases:
        fig = Figure()
        assert draw(res, fig=fig) is fig
        assert draw(res, fig=fig) is fig and fig.axes


@pytest.mark.parametrize("make, default", [
    (widgets.rnn_gradient_lag_demo, lambda: E.gradient_lag(1.0, 20)),
    (widgets.rnn_variants_demo, lambda: E.variant_flow(0.1, 5)),
    (widgets.esn_demo, lambda: E.esn_view(1.25, 0.3, 0)),
    (widgets.bidirectional_demo, lambda: E.bidirectional_view(3)),
])
def test_demo_defaults_equal_the_lesson(make, default):
    demo = make()
    assert str(demo.result) == str(default())
    before = demo.image.value
    name, control = next(iter(demo.controls.items()))
    options = getattr(control, "options", None)
    demo.set(**{name: options[0] if options and options[0] != control.value
                else (control.max if control.value != control.max else control.min)})
    assert demo.image.value != before
