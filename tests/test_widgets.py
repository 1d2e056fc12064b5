"""Widgets: moving a slider from Python reruns the experiment and redraws the figure;
each demo's default view equals the experiment its lesson prints."""
import pytest

from dlcourse import widgets
from dlcourse.experiments import activations, intro, perceptron


def _snapshot(demo):
    return str(demo.result), demo.image.value, demo.text.value


@pytest.mark.parametrize("make, default, moves", [
    (widgets.line_fit_demo, lambda: intro.line_fit(1.0, 0.0), [{"slope": 2.0}, {"intercept": -1.0}]),
    (widgets.perceptron_explorer, lambda: perceptron.perceptron_view(0.5, 0.5, -0.7),
     [{"b": -0.2}, {"w1": -0.5, "w2": -0.5, "b": 0.7}]),
    (widgets.signal_explorer, lambda: activations.signal_through_layers("sigmoid", 4),
     [{"activation": "leaky_relu"}, {"depth": 7}]),
])
def test_slider_moves_change_result_and_figure(make, default, moves):
    demo = make()
    assert str(demo.result) == str(default()), "the default view must equal the printed experiment"
    assert demo.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    for values in moves:
        before = _snapshot(demo)
        demo.set(**values)
        after = _snapshot(demo)
        assert after[0] != before[0], f"{values}: the result did not change"
        assert after[1] != before[1], f"{values}: the figure did not change"
        assert after[2] != before[2], f"{values}: the printed report did not change"


def test_slider_drives_the_perceptron_to_named_gates():
    demo = widgets.perceptron_explorer()
    assert demo.result.matches == "AND"
    assert demo.set(b=-0.2).result.matches == "OR"
    assert demo.set(w1=-0.5, w2=-0.5, b=0.7).result.matches == "NAND"
    assert "computes NAND" in demo.text.value


def test_unknown_control_is_a_clear_error():
    with pytest.raises(ValueError, match="this demo has w1, w2, b"):
        widgets.perceptron_explorer().set(w3=1.0)


def test_widget_box_displays():
    import ipywidgets as W

    demo = widgets.signal_explorer()
    assert isinstance(demo.box, W.VBox)
    assert list(demo.controls) == ["activation", "depth"]


def _another_value(control):
    import ipywidgets as W

    if isinstance(control, (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.SelectionSlider)):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next(v for v in values if v != control.value)
    if isinstance(control, W.Checkbox):
        return not control.value
    lo, hi = control.min, control.max
    if isinstance(control, W.FloatLogSlider):  # min and max are exponents
        lo, hi = control.base ** lo, control.base ** hi
        return hi if control.value < (lo * hi) ** 0.5 else lo
    target = hi if control.value - lo < (hi - lo) / 2 else lo
    return type(control.value)(target)


@pytest.mark.parametrize("name", sorted(widgets.DEMOS))
def test_every_control_of_every_demo_redraws(name):
    demo = widgets.DEMOS[name]()
    for control_name, control in demo.controls.items():
        before = demo.image.value
        demo.set(**{control_name: _another_value(control)})
        assert demo.image.value != before, f"{name}: moving {control_name} did not change the figure"
