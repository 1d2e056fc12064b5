"""Chapter 03's demo: SGD for logistic regression (:func:`sgd_explorer`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, int_slider, log_slider


@demo
def sgd_explorer(lr=0.1, epochs=10):
    """Chapter 03: learning rate (log scale) and number of epochs of SGD for logistic regression.

    The default equals ``experiments.linear.logistic_sgd(lr=0.1, epochs=10)``.
    """
    controls = {
        "lr": log_slider("learning rate", lr, -3, 1, 0.1, fmt=".3g", continuous=False),
        "epochs": int_slider("iterations (epochs)", epochs, 1, 30, continuous=False),
    }
    return Demo(controls, experiments.linear.logistic_sgd, plots.sgd_curves, figsize=(8, 3.2),
                describe=lambda run: run.summary())   # short: the wide figure leaves little room
