"""Chapter 08's demo: gradients through a deep stack (:func:`deep_gradients_demo`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import WIDE, Demo, demo, int_slider


@demo
def deep_gradients_demo(depth=10, activation="sigmoid", init="xavier"):
    """Chapter 08: depth, activation and weight scale -> ||dL/dW|| per layer and a short loss curve.

    The default is the run the lesson prints (``experiments.deep.deep_run()``).
    A new setting trains 30 cheap Adam steps (tens of ms); runs are cached.
    """
    from dlcourse.lessons import deep_stacks

    controls = {
        "depth": int_slider("hidden layers", depth, 1, 10, continuous=False),
        "activation": W.ToggleButtons(value=activation, options=["sigmoid", "tanh", "relu"],
                                      description="activation", style=WIDE),
        "init": W.Dropdown(value=init, options=list(deep_stacks.INITS), description="weight std", style=WIDE),
    }
    return Demo(controls, experiments.deep.deep_run, plots.deep_run, figsize=(9, 3.4))
