"""Chapter 17's demos: universal approximation by one hidden layer (:func:`approximation_demo`),
lottery tickets (:func:`lottery_demo`) and double descent (:func:`double_descent_demo`).

Their figures are rendered by :func:`dlcourse.plots.blit_png`: the axes and their text are
drawn once, and each update redraws only the curves and titles that move.
"""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo, int_slider


@demo
def approximation_demo(width=8, target="smooth"):
    """Chapter 17: hidden width and target function -> one hidden layer's least-squares fit
    and where it sits on the error-vs-width curve. The default is the lesson's printed
    ``universal_approximation(8, "smooth")``; a fit takes a millisecond."""
    ex = experiments.theory
    controls = {
        "width": int_slider("hidden units", width, 1, 64),
        "target": W.Dropdown(options=list(ex.TARGETS), value=target, description="target"),
    }
    return Demo(controls, ex.universal_approximation, plots.approximation, figsize=(9, 3.4),
                render=plots.blit_png)


@demo
def lottery_demo(fraction=0.9):
    """Chapter 17: share of hidden weights pruned -> ticket, random mask and no retraining.

    The grid (``experiments.theory.PRUNE_FRACTIONS``) is trained once and cached (the lesson
    has already done it), so a slider move only redraws. The default is the lesson's
    printed ``lottery_at(0.9)``."""
    ex = experiments.theory
    controls = {"fraction": choice_slider("pruned", ex.PRUNE_FRACTIONS, fraction, fmt=".0%")}
    return Demo(controls, ex.lottery_at, plots.lottery, figsize=(10, 3.4), render=plots.blit_png)


@demo
def double_descent_demo(width=200):
    """Chapter 17: number of random features P -> where the minimum-norm fit sits on the
    double-descent curve, and the singular values behind it. The sweep is computed once
    and cached; the default is the lesson's printed ``random_features_at(200)``."""
    ex = experiments.theory
    controls = {"width": choice_slider("features P", ex.RF_WIDTHS, width, fmt=None, continuous=True)}
    return Demo(controls, ex.random_features_at, plots.double_descent, figsize=(10, 3.4),
                render=plots.blit_png)
