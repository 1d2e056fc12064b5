"""Chapter 06's demo: gradient descent on a bowl (:func:`descent_demo`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, log_slider


@demo
def descent_demo(lr=0.1, step_num=100):
    """Chapter 06: gradient descent on x0² + x1² from (−3, 4); the learning rate on a log scale.

    The default is the lesson's converging run (lr 0.1, 100 steps).
    """
    controls = {
        "lr": log_slider("learning rate", lr, -10, 1, 0.1, fmt=".1e", continuous=False),
        "step_num": W.IntSlider(value=step_num, min=0, max=200, description="steps",
                                continuous_update=False),
    }
    return Demo(controls, experiments.descent.descent_path, plots.descent_path, figsize=(9.5, 4))
