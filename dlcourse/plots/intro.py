"""Figures of chapter 00 (lesson ``notebooks/00_using_this_course``): fitting a line by hand (the
slider demo).

See :mod:`dlcourse.experiments.intro` for the results they draw.
"""
from __future__ import annotations

import numpy as np

from dlcourse.plots.common import _fast_layout, _figure

__all__ = ["line_fit"]


def line_fit(result, fig=None):
    """Data points, the learner's line and the best line (chapter 00)."""
    fig = _figure(fig, (6, 4))
    ax = fig.add_subplot()
    xs = np.array([0.0, 1.0])
    ax.scatter(result.x, result.y, color="k", s=18, label="data")
    ax.plot(xs, result.slope * xs + result.intercept, color="C1", lw=2,
            label=f"your line (MSE {result.error:.3f})")
    ax.plot(xs, result.best_slope * xs + result.best_intercept, color="C2", ls="--",
            label=f"best line (MSE {result.best_error:.3f})")
    ax.set(xlabel="x", ylabel="y", title="Fit a line by hand", ylim=(-3, 3))
    ax.legend(loc="upper left")
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.12, top=0.92)
    return fig
