"""Every interactive demo of the course, one function per demo.

A demo is a :class:`Demo`: sliders that call a tested experiment from
:mod:`dlcourse.experiments`, a plot from :mod:`dlcourse.plots` rendered to a
PNG image, and the experiment's printed report beside it. The callbacks hold
no maths. A notebook shows a demo with one call, e.g. ``perceptron_explorer()``.

Tests (and curious learners) can drive a demo from Python::

    demo = perceptron_explorer()
    demo.set(b=-0.2)          # moves the slider, reruns experiment and plot
    demo.result, demo.image.value, demo.text.value
"""
from __future__ import annotations

import html

import ipywidgets as W
from matplotlib.figure import Figure

from dlcourse import experiments, plots

DPI = 100

DEMOS = {}
"""Every demo function by name (the benchmark and the widget tests walk through them)."""


def _demo(func):
    """Register a demo function in :data:`DEMOS`."""
    DEMOS[func.__name__] = func
    return func


class Demo:
    """Sliders wired to an experiment, a plot and a text report.

    Parameters
    ----------
    controls : dict[str, ipywidgets.ValueWidget]
        Keyword name of the experiment argument -> its control.
    compute : callable
        ``compute(**values) -> result`` (an experiment).
    draw : callable
        ``draw(result, fig=fig)`` (a plot function).
    figsize : (float, float)
        Size of the figure in inches (100 px per inch).
    describe : callable, optional
        ``describe(result) -> str``; default ``str(result)``.
    """

    def __init__(self, controls, compute, draw, figsize, describe=str):
        self.controls = dict(controls)
        self._compute, self._draw, self._describe = compute, draw, describe
        self.figure = Figure(figsize=figsize, dpi=DPI)
        self.image = W.Image(format="png", layout=W.Layout(width=f"{int(figsize[0] * DPI)}px"))
        self.text = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
        self.result = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.box = W.VBox([
            W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.image, self.text]),
        ])
        self.update()

    @property
    def values(self):
        """The current value of every control, by argument name."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self):
        """Rerun the experiment with the current values and redraw."""
        self.result = self._compute(**self.values)
        self._draw(self.result, fig=self.figure)
        self.image.value = plots.figure_to_png(self.figure, dpi=DPI)
        self.text.value = f"<pre>{html.escape(self._describe(self.result))}</pre>"

    def set(self, **values):
        """Set controls by name (as moving the sliders would) and return the demo."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control {sorted(unknown)[0]!r}; "
                             f"this demo has {', '.join(self.controls)}")
        for name, value in values.items():
            self.controls[name].value = value
        return self

    def _on_change(self, change):
        self.update()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)


def _slider(description, value, lo, hi, step, fmt=".2f", continuous=True):
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt, continuous_update=continuous,
                         style={"description_width": "initial"})


# --- chapter 00 -------------------------------------------------------------------

@_demo
def line_fit_demo(slope=1.0, intercept=0.0):
    """Chapter 00: choose a line's slope and intercept; see the error change."""
    controls = {
        "slope": _slider("slope", slope, -3.0, 5.0, 0.1),
        "intercept": _slider("intercept", intercept, -3.0, 3.0, 0.1),
    }
    return Demo(controls, experiments.intro.line_fit, plots.line_fit, figsize=(6, 4))


# --- chapter 01 -------------------------------------------------------------------

@_demo
def perceptron_explorer(w1=0.5, w2=0.5, b=-0.7):
    """Chapter 01: weights and bias of one perceptron; the decision line and truth table follow.

    The default is the slides' AND gate.
    """
    controls = {
        "w1": _slider("w1", w1, -1.0, 1.0, 0.1),
        "w2": _slider("w2", w2, -1.0, 1.0, 0.1),
        "b": _slider("b", b, -1.5, 1.5, 0.1),
    }
    return Demo(controls, experiments.perceptron.perceptron_view, plots.perceptron_view, figsize=(4, 4))


# --- chapter 02 -------------------------------------------------------------------

@_demo
def signal_explorer(activation="sigmoid", depth=4):
    """Chapter 02: push a signal through ``depth`` layers of one activation; see its spread."""
    controls = {
        "activation": W.Dropdown(options=list(experiments.activations.HIDDEN_ACTIVATIONS), value=activation,
                                 description="activation"),
        "depth": W.IntSlider(value=depth, min=1, max=8, description="depth"),
    }
    return Demo(controls, experiments.activations.signal_through_layers, plots.signal_decay, figsize=(9, 3.2))


# --- chapter 03 -------------------------------------------------------------------

# end of chapter 03

# --- chapter 04 -------------------------------------------------------------------

# end of chapter 04

# --- chapter 05 -------------------------------------------------------------------

# end of chapter 05

# --- chapter 06 -------------------------------------------------------------------

# end of chapter 06

# --- chapter 07 -------------------------------------------------------------------

# end of chapter 07


__all__ = ["Demo", "DEMOS", *DEMOS]
