"""Chapter 12's demos: a 3x3 filter editor on a photograph (:func:`filter_editor_demo`, built on
:class:`FilterEditorDemo`) and the geometry of stacked convolutions (:func:`conv_geometry_demo`)."""
from __future__ import annotations

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, int_slider


class FilterEditorDemo(Demo):
    """A :class:`Demo` whose ``preset`` menu fills in the nine kernel sliders at once.

    While a preset writes the sliders their own redraws are held back, so one
    preset change gives one update, not nine.
    """

    def __init__(self, controls, compute, draw, figsize):
        self._holding = False
        super().__init__(controls, compute, draw, figsize)
        self.controls["preset"].observe(self._apply_preset, names="value")

    def _apply_preset(self, change):
        from dlcourse import cnn

        kernel = cnn.FILTERS.get(change["new"])
        if kernel is None:
            return
        self._holding = True
        try:
            for i in range(3):
                for j in range(3):
                    self.controls[f"k{i}{j}"].value = float(kernel[i][j])
        finally:
            self._holding = False
        self.update()

    def _on_change(self, change):
        if not self._holding and change["owner"] is not self.controls["preset"]:
            self.update()


@demo
def filter_editor_demo(preset="vertical edge"):
    """Chapter 12: edit a 3x3 kernel (or pick a classic one); the filtered photograph follows.

    The default is the vertical edge filter [-1, 0, 1] that the lesson prints
    (``experiments.cnn.filter_photo()``). A new kernel costs one 300x256 filtering and
    an in-place update of the images (a few tens of ms).
    """
    from dlcourse import cnn

    kernel = cnn.FILTERS[preset]
    controls = {"preset": W.Dropdown(options=list(cnn.FILTERS), value=preset, description="preset")}
    for i in range(3):
        for j in range(3):
            controls[f"k{i}{j}"] = W.FloatSlider(
                value=float(kernel[i][j]), min=-5.0, max=5.0, step=0.1, description=f"w[{i},{j}]",
                readout_format=".2f", continuous_update=False, layout=W.Layout(width="260px"))

    def compute(preset, **weights):
        k = tuple(tuple(weights[f"k{i}{j}"] for j in range(3)) for i in range(3))
        return experiments.cnn.filter_photo(k)

    return FilterEditorDemo(controls, compute, plots.filter_editor, figsize=(9.6, 3.6))


@demo
def conv_geometry_demo(size=7, kernel=3, stride=2, pad=1, layers=1):
    """Chapter 12: input size, kernel, stride, padding and depth -> output shape and the
    receptive field of the first and last output units.

    The default is the lesson's printed ``experiments.cnn.conv_geometry(7, 3, 2, 1, 1)``.
    """
    controls = {
        "size": int_slider("input size H = W", size, 3, 12),
        "kernel": int_slider("kernel FH = FW", kernel, 1, 7),
        "stride": int_slider("stride S", stride, 1, 4),
        "pad": int_slider("padding P", pad, 0, 3),
        "layers": int_slider("layers", layers, 1, 3),
    }
    return Demo(controls, experiments.cnn.conv_geometry, plots.conv_geometry, figsize=(9, 4.2))
