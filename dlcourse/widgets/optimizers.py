"""Chapter 09's demos: one optimiser's path on x²/20 + y² (:func:`optimizer_path_demo`) and
SGD's loss by batch size and learning rate on MNIST-1D (:func:`batch_size_demo`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo, log_slider


@demo
def optimizer_path_demo(lr=0.3, name="adam", steps=30):
    """Chapter 09: one optimiser on f(x, y) = x²/20 + y² from (−7, 2); learning rate (log
    scale), optimiser and number of steps -> its path and f after each step.

    The default is the Adam run the lesson prints (lr 0.3, 30 steps). A run is a few
    hundred microseconds; the figure is built once and only its lines move.
    """
    ex = experiments.optimizers
    controls = {
        "lr": log_slider("learning rate", lr, -3, 1, 0.05, fmt=".3g"),
        "name": W.Dropdown(options=[(ex.LABELS[n], n) for n in ex.NAMES], value=name,
                           description="optimizer"),
        "steps": W.IntSlider(value=steps, min=1, max=100, description="steps"),
    }
    return Demo(controls, ex.optimizer_path, plots.optimizer_path, figsize=(10, 3.8))


@demo
def batch_size_demo(batch_size=100, lr=0.01, warm=True):
    """Chapter 09: minibatch size and learning rate -> SGD's loss over the same 8,000 samples.

    The sliders move over ``experiments.optimizers.BATCH_CHOICES`` and ``LR_CHOICES``;
    a grid point is trained the first time it is visited (up to a few seconds for
    batch 1) and cached after that, and the sliders update on release. With ``warm`` a
    background thread trains the rest of the grid right after the first view. The
    default is the run the lesson prints (batch 100, lr 0.01).
    """
    ex = experiments.optimizers
    controls = {"batch_size": choice_slider("batch size", ex.BATCH_CHOICES, batch_size),
                "lr": choice_slider("learning rate", ex.LR_CHOICES, lr)}
    return Demo(controls, ex.batch_size_run, plots.batch_size_run, figsize=(6, 3.4),
                warm=ex.warm_batch_grid if warm else None)
