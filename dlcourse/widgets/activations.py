"""Chapter 02's demo: a signal through a stack of one activation (:func:`signal_explorer`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo


@demo
def signal_explorer(activation="sigmoid", depth=4):
    """Chapter 02: push a signal through ``depth`` layers of one activation; see its spread."""
    controls = {
        "activation": W.Dropdown(options=list(experiments.activations.HIDDEN_ACTIVATIONS), value=activation,
                                 description="activation"),
        "depth": W.IntSlider(value=depth, min=1, max=8, description="depth"),
    }
    return Demo(controls, experiments.activations.signal_through_layers, plots.signal_decay, figsize=(9, 3.2))
