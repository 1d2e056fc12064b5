"""What every demo is built from: :class:`Demo`, the ``@demo`` mark and the shared controls.

A demo is a :class:`Demo`: controls that call a tested experiment from
:mod:`dlcourse.experiments`, a plot from :mod:`dlcourse.plots` rendered to a
PNG image, and the experiment's printed report beside it. The callbacks hold
no maths. The demos themselves live in one module per topic beside this one
(``widgets/perceptron.py`` for chapter 01, ...); every chapter's demos use this
module. Its helpers build the controls the chapters share, so two demos with
the same kind of slider build it the same way.
"""
from __future__ import annotations

import html
import threading

import ipywidgets as W
from matplotlib.figure import Figure

from dlcourse import plots

DPI = 100
"""Pixels per inch of every demo's figure (and of its PNG)."""

WIDE = {"description_width": "initial"}
"""Control style that shows a long description in full."""

REGISTERED = {}
"""Every function marked ``@demo`` by a topic module that has been imported, by name.
``widgets.DEMOS`` is the complete, static list; a test checks that the two agree."""


def demo(func):
    """Mark a function as a demo (the function is returned unchanged).

    The mark records the function in :data:`REGISTERED`; list it in
    ``dlcourse/widgets/__init__.py`` too, which is what ``widgets.DEMOS`` reads.
    """
    REGISTERED[func.__name__] = func
    return func


def report_html(text):
    """The HTML of a text report: preformatted, so fixed-width columns stay aligned."""
    return f"<pre>{html.escape(text)}</pre>"


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
    render : callable, optional
        ``render(fig, dpi=DPI) -> bytes``, the PNG of the drawn figure; default
        :func:`dlcourse.plots.figure_to_png`. :func:`dlcourse.plots.blit_png`
        redraws only the artists that move.
    warm : callable, optional
        Called without arguments in a daemon thread started right after the
        first view, e.g. to train the rest of a cached grid so that later moves
        are cache hits. The thread is :attr:`warming` (``None`` without ``warm``).
    """

    def __init__(self, controls, compute, draw, figsize, describe=str, render=None, warm=None):
        self.controls = dict(controls)
        self._compute, self._draw, self._describe = compute, draw, describe
        self._render = plots.figure_to_png if render is None else render
        self.figure = Figure(figsize=figsize, dpi=DPI)
        self.image = W.Image(format="png", layout=W.Layout(width=f"{int(figsize[0] * DPI)}px"))
        self.text = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
        self.result = None
        self.warming = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.box = W.VBox([
            W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
            # flex-start: a long report must not stretch the image to its height
            W.HBox([self.image, self.text], layout=W.Layout(align_items="flex-start")),
        ])
        self.update()
        if warm is not None:
            self.warming = threading.Thread(target=warm, daemon=True)
            self.warming.start()

    @property
    def values(self):
        """The current value of every control, by argument name."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self):
        """Rerun the experiment with the current values and redraw."""
        self.result = self._compute(**self.values)
        self._draw(self.result, fig=self.figure)
        self.image.value = self._render(self.figure, dpi=DPI)
        self.text.value = report_html(self._describe(self.result))

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


# --- shared controls ----------------------------------------------------------------

def float_slider(description, value, lo, hi, step, fmt=".2f", continuous=True):
    """A slider over the numbers ``lo..hi`` in steps of ``step``, read out as ``fmt``."""
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt, continuous_update=continuous, style=WIDE)


def log_slider(description, value, lo, hi, step, fmt, continuous=True):
    """A slider over ``10**lo .. 10**hi`` whose exponent moves in steps of ``step``."""
    return W.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=step, description=description,
                            readout_format=fmt, continuous_update=continuous, style=WIDE)


def int_slider(description, value, lo, hi, step=1, continuous=True):
    """A slider over the integers ``lo..hi`` in steps of ``step``."""
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       continuous_update=continuous, style=WIDE)


def choice_slider(description, options, value, fmt="g", continuous=False):
    """A slider over a fixed list of values (a grid the experiment has cached, a Playground menu).

    ``fmt`` formats each value's label (``"g"``: as it is, ``".0%"``: as a percentage);
    with ``fmt=None`` the options are passed to the slider unchanged.
    """
    options = list(options) if fmt is None else [(format(o, fmt), o) for o in options]
    return W.SelectionSlider(options=options, value=value, description=description,
                             continuous_update=continuous, style=WIDE)
