"""Chapter 11's demo: an autoencoder's bottleneck size -> its reconstructions
(:func:`bottleneck_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo


@demo
def bottleneck_demo(bottleneck=2):
    """Chapter 11: choose the autoencoder's bottleneck size; see its reconstructions.

    Trains every size once up front (cached; already done by the lesson's sweep), so a
    slider move only redraws.
    """
    experiments.autoencoders.bottleneck_sweep()
    controls = {
        "bottleneck": choice_slider("bottleneck H", experiments.autoencoders.BOTTLENECKS, bottleneck,
                                    fmt=None),
    }
    return Demo(controls, experiments.autoencoders.compress, plots.ae_reconstructions,
                figsize=(8, 2.6))
