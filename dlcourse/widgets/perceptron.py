"""Chapter 01's demo: one perceptron's weights and bias (:func:`perceptron_explorer`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, float_slider


@demo
def perceptron_explorer(w1=0.5, w2=0.5, b=-0.7):
    """Chapter 01: weights and bias of one perceptron; the decision line and truth table follow.

    The default is the slides' AND gate.
    """
    controls = {
        "w1": float_slider("w1", w1, -1.0, 1.0, 0.1),
        "w2": float_slider("w2", w2, -1.0, 1.0, 0.1),
        "b": float_slider("b", b, -1.5, 1.5, 0.1),
    }
    return Demo(controls, experiments.perceptron.perceptron_view, plots.perceptron_view, figsize=(4, 4))
