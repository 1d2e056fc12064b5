"""Chapter 00's demo: fit a line by hand (:func:`line_fit_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, float_slider


@demo
def line_fit_demo(slope=1.0, intercept=0.0):
    """Chapter 00: choose a line's slope and intercept; see the error change."""
    controls = {
        "slope": float_slider("slope", slope, -3.0, 5.0, 0.1),
        "intercept": float_slider("intercept", intercept, -3.0, 3.0, 0.1),
    }
    return Demo(controls, experiments.intro.line_fit, plots.line_fit, figsize=(6, 4))
