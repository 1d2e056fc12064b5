"""Widgets: moving a slider from Python reruns the experiment and redraws the figure;
each demo's default view equals the experiment its lesson prints. The package: every
demo importable from ``dlcourse.widgets`` without loading the others, ``widgets.DEMOS``
equal to what the topic modules mark, ``Demo(warm=...)`` and ``Demo(render=...)``."""
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


# --- the package: lazy re-exports, the DEMOS table, Demo(warm=...), Demo(render=...) ---------------

def _topic_modules():
    import importlib
    import pkgutil

    return {m.name: importlib.import_module(f"dlcourse.widgets.{m.name}")
            for m in pkgutil.iter_modules(widgets.__path__) if m.name != "core"}


def test_the_demos_table_equals_what_the_modules_mark():
    """widgets.DEMOS is a static table; every topic module's @demo functions must be in it, in order."""
    import inspect

    from dlcourse import experiments
    from dlcourse.widgets import core

    modules = _topic_modules()
    assert set(modules) == set(widgets._TOPICS), "a topic module is missing from the table, or the reverse"
    assert set(modules) <= set(experiments.__all__), "a widgets module must be named after its experiments module"
    marked = {topic: tuple(name for name, f in core.REGISTERED.items() if f.__module__ == module.__name__)
              for topic, module in modules.items()}
    assert marked == {t: widgets._TOPICS[t] for t in modules}
    for topic, module in modules.items():   # a public function left unmarked would be in no table
        public = [name for name, f in inspect.getmembers(module, inspect.isfunction)
                  if f.__module__ == module.__name__ and not name.startswith("_")]
        assert sorted(public) == sorted(widgets._TOPICS[topic]), topic
    assert list(widgets.DEMOS) == [n for names in widgets._TOPICS.values() for n in names]
    assert all(widgets.DEMOS[n] is core.REGISTERED[n] for n in widgets.DEMOS)
    assert len(widgets.DEMOS) == len(core.REGISTERED) == 26


def test_demos_are_listed_in_chapter_order():
    import re

    chapters = [int(re.match(r"Chapter (\d\d):", widgets.DEMOS[n].__doc__).group(1)) for n in widgets.DEMOS]
    assert chapters == sorted(chapters) and chapters[0] == 0 and chapters[-1] == 17


def test_every_public_name_is_importable_from_the_package():
    from dlcourse.widgets import DEMOS, DPI, Demo, FilterEditorDemo, PlaygroundDemo  # noqa: F401

    assert DPI == 100 and issubclass(PlaygroundDemo, Demo) and issubclass(FilterEditorDemo, Demo)
    for name in widgets.__all__:
        assert getattr(widgets, name) is not None, name
        assert name in dir(widgets)
    assert set(widgets.DEMOS) <= set(widgets.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        widgets.nope
    with pytest.raises(KeyError):
        widgets.DEMOS["nope"]


def test_importing_the_package_loads_no_topic_module_and_no_ipywidgets():
    import subprocess
    import sys

    code = ("import sys; from dlcourse import widgets; names = list(widgets.DEMOS); "
            "print(sorted(m for m in sys.modules if m.startswith(('dlcourse.', 'ipywidgets', 'matplotlib'))"
            " and m != 'dlcourse._lazy')); "
            "widgets.line_fit_demo; print(sorted(m for m in sys.modules if m.startswith('dlcourse.widgets.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    first, second = out.splitlines()
    assert first == "['dlcourse.widgets']"
    assert second == "['dlcourse.widgets.core', 'dlcourse.widgets.intro']"


def _toy_demo(calls=None, **kwargs):
    """A one-slider Demo whose experiment records its calls in ``calls``."""
    import ipywidgets as W

    calls = [] if calls is None else calls

    def compute(x):
        calls.append(("compute", x))
        return x

    def draw(result, fig=None):
        fig.clear()
        fig.add_subplot().set_title(f"x = {result}")
        return fig

    demo = widgets.Demo({"x": W.IntSlider(value=1, min=0, max=5)}, compute, draw, figsize=(2, 2), **kwargs)
    return demo, calls


def test_warm_runs_in_a_daemon_thread_after_the_first_view():
    import threading

    started, calls = threading.Event(), []
    demo, _ = _toy_demo(calls, warm=lambda: (calls.append(("warm", threading.current_thread())), started.set()))
    assert started.wait(10) and demo.warming is not None
    demo.warming.join(10)
    assert calls[0] == ("compute", 1), "the first view comes before the warm-up"
    assert calls[1] == ("warm", demo.warming) and demo.warming.daemon
    assert not demo.warming.is_alive()
    assert _toy_demo()[0].warming is None


@pytest.mark.parametrize("make, module, warm, kwargs", [
    ("batch_size_demo", "optimizers", "warm_batch_grid", {}),
    ("dropout_demo", "regularization", "warm_grid", {}),
    ("lag_race_demo", "lstm", "warm_lags", {"lag": 5}),
])
def test_grid_demos_warm_their_grid_unless_told_not_to(monkeypatch, make, module, warm, kwargs):
    import importlib
    import threading

    ran = []
    experiment = importlib.import_module(f"dlcourse.experiments.{module}")
    monkeypatch.setattr(experiment, warm, lambda: ran.append(threading.current_thread()))
    demo = widgets.DEMOS[make](**kwargs)
    demo.warming.join(60)
    assert ran == [demo.warming]
    assert widgets.DEMOS[make](warm=False, **kwargs).warming is None
    assert ran == [demo.warming]


def test_render_is_the_demo_renderer():
    from dlcourse import plots

    rendered = []

    def render(fig, dpi):
        rendered.append(dpi)
        return plots.figure_to_png(fig, dpi=dpi)

    demo, _ = _toy_demo(render=render)
    demo.set(x=3)
    assert rendered == [widgets.DPI, widgets.DPI]
    plain, _ = _toy_demo()
    plain.set(x=3)
    assert demo.image.value == plain.image.value
    assert demo.text.value == plain.text.value == "<pre>3</pre>"
    assert widgets.lottery_demo.__module__ == "dlcourse.widgets.theory"


def test_choice_slider_labels():
    from dlcourse.widgets.core import choice_slider

    assert choice_slider("lr", [0.001, 0.03, 1.0], 0.03).options == (("0.001", 0.001), ("0.03", 0.03), ("1", 1.0))
    assert choice_slider("p", [0.5, 0.9], 0.9, fmt=".0%").options == (("50%", 0.5), ("90%", 0.9))
    s = choice_slider("H", [2, 4], 4, fmt=None)
    assert s.options == (2, 4) and s.value == 4 and not s.continuous_update
    assert choice_slider("H", [2, 4], 4, fmt=None, continuous=True).continuous_update
