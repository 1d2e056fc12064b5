"""Chapter 10's demo: dropout, weight decay and training-set size -> learning curves
(:func:`dropout_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo


@demo
def dropout_demo(dropout=0.0, weight_decay=0.0, n_train=100, warm=True):
    """Chapter 10: dropout rate, weight decay and training-set size -> train/test learning curves.

    The sliders move over a small grid (``experiments.regularization.DROPOUT_RATES``,
    ``WEIGHT_DECAYS``, ``TRAIN_SIZES``). A grid point is trained the first time it is
    visited (a small net, a fraction of a second) and cached after that; the sliders
    update on release. With ``warm`` a background thread trains the other 35 grid
    points (a few seconds) right after the first view. The default is the lesson's
    printed ``regularization_grid()``.
    """
    R = experiments.regularization
    controls = {
        "dropout": choice_slider("dropout rate p", R.DROPOUT_RATES, dropout),
        "weight_decay": choice_slider("weight decay λ", R.WEIGHT_DECAYS, weight_decay),
        "n_train": choice_slider("training digits", R.TRAIN_SIZES, n_train),
    }
    return Demo(controls, R.regularization_grid, plots.regularization_curves, figsize=(9, 3.4),
                warm=R.warm_grid if warm else None)
