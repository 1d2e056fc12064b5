"""Chapter 07's demo: Araki's per-sample backprop on XOR (:func:`backprop_xor_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, float_slider, int_slider


@demo
def backprop_xor_demo(rho=3.0, hidden=4, epochs=300):
    """Chapter 07: Araki's per-sample backprop on XOR; learning rate, hidden units and epochs
    -> the loss curve and the trained net's outputs. The default is the run the lesson prints.

    A run takes tens of milliseconds, so the sliders update on release; runs are
    cached by the experiment, so returning to a setting is instant.
    """
    controls = {
        "rho": float_slider("learning rate ρ", rho, 0.1, 6.0, 0.1, fmt=".1f", continuous=False),
        "hidden": int_slider("hidden units", hidden, 1, 8, continuous=False),
        "epochs": int_slider("epochs", epochs, 50, 600, 50, continuous=False),
    }
    return Demo(controls, experiments.backprop.araki_xor, plots.araki_xor, figsize=(9, 3.4),
                describe=lambda run: run.summary())
