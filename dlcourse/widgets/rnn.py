"""Chapter 13's demos: gradient flow through a tanh RNN by spectral radius and lag
(:func:`rnn_gradient_lag_demo`), an echo state network's forecast (:func:`esn_demo`), leaky
and skip units (:func:`rnn_variants_demo`) and uni- vs bidirectional RNNs
(:func:`bidirectional_demo`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import WIDE, Demo, choice_slider, demo, float_slider, int_slider


@demo
def rnn_gradient_lag_demo(radius=1.0, lag=20):
    """Chapter 13: the spectral radius of Wh and a lag k -> ||dh_T/dh_(T-k)|| of a tanh RNN.

    The default is the run the lesson prints (``experiments.rnn.gradient_lag()``). A new
    radius costs tens of ms (cached); moving the lag only moves the marker.
    """
    controls = {
        "radius": float_slider("spectral radius of Wh", radius, 0.1, 4.0, 0.05, continuous=False),
        "lag": int_slider("lag k", lag, 0, 59),
    }
    return Demo(controls, experiments.rnn.gradient_lag, plots.rnn_gradient_lag, figsize=(6.5, 3.6))


@demo
def esn_demo(radius=1.25, leak=0.3, seed=0):
    """Chapter 13: an echo state network's spectral radius, leak and reservoir -> its closed-loop
    forecast of Mackey-Glass.

    Every setting comes from ``experiments.rnn.esn_sweep()`` (trained once, cached), so a move
    only redraws. The default is the run the lesson prints (``experiments.rnn.esn_view()``).
    """
    sweep = experiments.rnn.esn_sweep()
    controls = {
        "radius": choice_slider("spectral radius", sweep.radii, radius, fmt=None, continuous=True),
        "leak": W.ToggleButtons(options=list(sweep.leaks), value=leak, description="leak", style=WIDE),
        "seed": W.ToggleButtons(options=list(sweep.seeds), value=seed, description="reservoir", style=WIDE),
    }
    return Demo(controls, experiments.rnn.esn_view, plots.esn_forecast, figsize=(9, 3.3))


@demo
def rnn_variants_demo(alpha=0.1, d=5):
    """Chapter 13: the leak rate of leaky units and the length of a skip connection ->
    ||dh_T/dh_(T-k)|| of the plain, leaky and skip RNNs (``experiments.rnn.variant_flow()``)."""
    controls = {
        "alpha": float_slider("leak rate alpha", alpha, 0.02, 1.0, 0.02, continuous=False),
        "d": int_slider("skip length d", d, 2, 20, continuous=False),
    }
    return Demo(controls, experiments.rnn.variant_flow, plots.rnn_variant_flow, figsize=(6.5, 3.6))


@demo
def bidirectional_demo(lag=3):
    """Chapter 13: the lag of the "is the symbol `lag` steps ahead an X?" task -> accuracy of a
    unidirectional and a bidirectional RNN, and their answers on one test sequence.

    Every lag is trained once in ``experiments.rnn.bidirectional_sweep()`` (cached); the default
    is the view the lesson prints (``experiments.rnn.bidirectional_view()``).
    """
    sweep = experiments.rnn.bidirectional_sweep()
    controls = {"lag": int_slider("lag", lag, min(sweep.lags), max(sweep.lags))}
    return Demo(controls, experiments.rnn.bidirectional_view, plots.bidirectional_accuracy, figsize=(10, 3.4))
