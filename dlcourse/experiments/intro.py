"""Chapter 00: a first slider experiment, fitting a straight line by hand.

Nothing here is deep learning yet; it shows the pattern every chapter uses:
an experiment function returns numbers, a plot draws them, and a widget
reruns both when a slider moves.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse.datasets import make_line_data

__all__ = ["LineFit", "line_fit"]


@dataclass(frozen=True)
class LineFit:
    """A line ``y = slope * x + intercept`` scored against the data."""

    x: np.ndarray
    y: np.ndarray
    slope: float
    intercept: float
    error: float
    best_slope: float
    best_intercept: float
    best_error: float

    def __str__(self):
        return (
            f"your line:  slope {self.slope:+.2f}, intercept {self.intercept:+.2f}, "
            f"mean squared error {self.error:.4f}\n"
            f"best line:  slope {self.best_slope:+.2f}, intercept {self.best_intercept:+.2f}, "
            f"mean squared error {self.best_error:.4f}"
        )


def line_fit(slope=0.0, intercept=0.0, n=20, seed=0):
    """Score a hand-chosen line on noisy data and compare it with the least-squares line.

    Parameters
    ----------
    slope, intercept : float
        The line the learner picks with the sliders.
    n : int
        Number of points.
    seed : int
        Seed of the data.

    Returns
    -------
    LineFit
    """
    x, y = make_line_data(n=n, seed=seed)
    mse = lambda a, c: float(np.mean((a * x + c - y) ** 2))  # noqa: E731
    best_slope, best_intercept = np.polyfit(x, y, 1)
    return LineFit(x, y, float(slope), float(intercept), mse(slope, intercept),
                   float(best_slope), float(best_intercept), mse(best_slope, best_intercept))
