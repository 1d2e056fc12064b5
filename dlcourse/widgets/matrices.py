"""Chapter 04's demo: the slides' 3-layer forward pass (:func:`forward_explorer`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, float_slider


@demo
def forward_explorer(x1=1.0, x2=0.5):
    """Chapter 04: move the input of the slides' 3-layer network; every signal follows.

    The default is the slides' input x = [1.0, 0.5], which gives y = [0.3168, 0.6963].
    """
    controls = {
        "x1": float_slider("x1", x1, -3.0, 3.0, 0.1),
        "x2": float_slider("x2", x2, -3.0, 3.0, 0.1),
    }
    return Demo(controls, experiments.matrices.three_layer_forward, plots.network_diagram, figsize=(8, 3.8),
                describe=lambda res: res.summary())   # the diagram shows every signal already
