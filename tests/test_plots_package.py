"""The plots package: its re-export table, its lazy import, the cached-artist helper, and
the plots that widgets redraw in place (same axes, and the same picture as a fresh drawing)."""
import importlib
import inspect
import pathlib
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dlcourse import plots  # noqa: E402
from dlcourse.plots import common  # noqa: E402

PACKAGE = pathlib.Path(plots.__file__).parent


# --- the table ---------------------------------------------------------------------

def test_all_equals_the_table_and_every_name_resolves():
    assert plots.__all__ == sorted(plots._EXPORTS)
    assert len(plots._EXPORTS) == sum(len(names) for names in plots._MODULES.values()), "a name in two modules"
    for name, module in plots._EXPORTS.items():
        mod = importlib.import_module(f"dlcourse.plots.{module}")
        assert getattr(plots, name) is getattr(mod, name), name
    assert set(plots.__all__) <= set(dir(plots))


def test_every_module_is_in_the_table_and_its_public_functions_are_exported():
    files = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert files == set(plots._MODULES), "a module of dlcourse/plots/ is missing from plots._MODULES"
    for module, names in plots._MODULES.items():
        mod = importlib.import_module(f"dlcourse.plots.{module}")
        assert sorted(mod.__all__) == sorted(names), f"{module}.__all__ differs from plots._MODULES[{module!r}]"
        public = {n for n, f in vars(mod).items()
                  if inspect.isfunction(f) and f.__module__ == mod.__name__ and not n.startswith("_")}
        assert public <= set(mod.__all__), f"{module}: public functions not exported: {public - set(mod.__all__)}"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_plot'"):
        plots.no_such_plot


def test_modules_stay_small():
    for path in PACKAGE.glob("*.py"):
        n = len(path.read_text().splitlines())
        assert n <= 600, f"{path.name} has {n} lines (keep plots modules under ~600)"


def test_import_is_lazy_and_the_activations_function_wins_over_its_module():
    code = ("import sys, dlcourse.plots as p\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('dlcourse.plots.'))\n"
            "assert loaded == ['dlcourse.plots.activations', 'dlcourse.plots.common'], loaded\n"
            "assert 'matplotlib' not in sys.modules\n"
            "import dlcourse.plots.activations\n"
            "assert callable(p.activations) and p.activations.__name__ == 'activations'\n"
            "p.cnn_run\n"
            "assert 'dlcourse.plots.cnn' in sys.modules and 'dlcourse.plots.rnn' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- cached_artists ------------------------------------------------------------------

def _builder(calls):
    def build(fig):
        calls.append(fig)
        ax = fig.add_subplot()
        (line,) = ax.plot([], [])
        return {"ax": ax, "line": line}
    return build


def test_cached_artists_builds_once_per_figure():
    calls = []
    fig = Figure()
    fig.add_subplot()                                     # something from an earlier plot
    same, parts = common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3))
    assert same is fig and calls == [fig] and fig.axes == [parts["ax"]], "a build starts from a clean figure"
    again = common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3))
    assert again == (fig, parts) and len(calls) == 1
    other = Figure()
    _, other_parts = common.cached_artists(other, "demo", _builder(calls), figsize=(4, 3))
    assert len(calls) == 2 and other_parts["ax"] is not parts["ax"], "each figure has its own parts"


def test_cached_artists_rebuilds_when_the_key_changes_or_the_figure_was_cleared():
    calls = []
    fig = Figure()
    _, first = common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3), key=3)
    _, second = common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3), key=4)
    assert len(calls) == 2 and second["ax"] is not first["ax"] and fig.axes == [second["ax"]]
    assert common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3), key=4)[1] is second
    fig.clear()
    fig.add_subplot()                                     # another plot drew here meanwhile
    _, third = common.cached_artists(fig, "demo", _builder(calls), figsize=(4, 3), key=4)
    assert len(calls) == 3 and third["ax"] in fig.axes and len(fig.axes) == 1


def test_cached_artists_without_a_figure():
    import matplotlib.pyplot as plt

    fig, parts = common.cached_artists(None, "demo", _builder([]), figsize=(4, 3))
    assert tuple(fig.get_size_inches()) == (4, 3) and parts["ax"].figure is fig
    plt.close(fig)
    with pytest.raises(ValueError, match="expected a figure or a figsize"):
        common.cached_artists(None, "demo", _builder([]))


def test_cached_artists_without_figsize_adds_to_the_figure():
    fig = Figure()
    ax = fig.add_subplot()
    _, value = common.cached_artists(fig, "extra", lambda f: len(f.axes))
    assert value == 1 and fig.axes == [ax], "without figsize the figure is not cleared"
    assert common.cached_artists(fig, "extra", lambda f: 99)[1] == 1


# --- plots that widgets redraw in place ------------------------------------------------

def _cases():
    from dlcourse.experiments import backprop, cnn, deep, descent, hidden, linear, optimizers, rnn, theory

    return {
        "sgd_curves": (linear.logistic_sgd, dict(lr=0.1, epochs=10), dict(lr=1.0, epochs=4)),
        "descent_path": (descent.descent_path, dict(lr=0.1, step_num=100), dict(lr=1.05, step_num=30)),
        "araki_xor": (backprop.araki_xor, dict(hidden=4, rho=3.0, epochs=100), dict(hidden=2, rho=1.0, epochs=50)),
        "deep_run": (deep.deep_run, dict(depth=2, steps=5), dict(depth=3, activation="relu", steps=5)),
        "optimizer_path": (optimizers.optimizer_path, dict(name="adam", lr=0.3), dict(name="sgd", lr=0.9, steps=10)),
        "rnn_gradient_lag": (rnn.gradient_lag, dict(radius=1.0, lag=20), dict(radius=1.5, lag=5)),
        "rnn_variant_flow": (rnn.variant_flow, dict(alpha=0.1, d=5), dict(alpha=0.5, d=9)),
        "playground": (hidden.playground, dict(epochs=3), dict(epochs=40, units=2)),
        "approximation": (theory.universal_approximation, dict(width=8), dict(width=3, target="jump")),
        "double_descent": (theory.random_features_at, dict(width=200), dict(width=theory.RF_WIDTHS[0])),
        "filter_editor": (cnn.filter_photo, dict(), dict(kernel=np.full((3, 3), 1 / 9))),
    }


def _png(name, fig):
    """What the widget shows: the two blit-rendered plots through blit_png, the rest in full."""
    blit = name in ("playground", "approximation", "double_descent")
    return (common.blit_png if blit else common.figure_to_png)(fig)


@pytest.mark.parametrize("name", ["sgd_curves", "descent_path", "araki_xor", "deep_run", "optimizer_path",
                                  "rnn_gradient_lag", "rnn_variant_flow", "playground", "approximation",
                                  "double_descent", "filter_editor"])
def test_a_redraw_keeps_the_axes_and_draws_what_a_fresh_figure_draws(name):
    experiment, a, b = _cases()[name]
    draw = getattr(plots, name)
    fig = Figure(figsize=(8, 3.4), dpi=100)
    draw(experiment(**a), fig=fig)
    axes = list(fig.axes)
    first = _png(name, fig)
    draw(experiment(**b), fig=fig)
    assert all(x is y for x, y in zip(fig.axes, axes)) and len(fig.axes) == len(axes), "the axes were rebuilt"
    assert _png(name, fig) != first, "the second result did not change the picture"
    draw(experiment(**a), fig=fig)
    fresh = Figure(figsize=(8, 3.4), dpi=100)
    draw(experiment(**a), fig=fresh)
    assert _png(name, fig) == _png(name, fresh), "updating in place drew something else than a fresh figure"


def test_playground_png_is_blit_png_of_the_playground():
    from dlcourse.experiments import hidden

    res = hidden.playground(epochs=5)
    fig, other = Figure(figsize=(8.4, 3.6)), Figure(figsize=(8.4, 3.6))
    png = plots.playground_png(res, fig)
    plots.playground(res, fig=other)
    assert png == common.blit_png(other) and png[:8] == b"\x89PNG\r\n\x1a\n"


def test_playground_png_shows_the_title_in_the_frame_that_redraws_the_background():
    import io

    from PIL import Image

    from dlcourse.experiments import hidden

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))

    fast, full = Figure(figsize=(8.4, 3.6)), Figure(figsize=(8.4, 3.6))
    for epochs in (3, 60):                                # 60: new loss-axes limits, a new background
        res = hidden.playground(epochs=epochs)
        a = pixels(plots.playground_png(res, fast))
        b = pixels(common.figure_to_png(plots.playground(res, fig=full)))
        assert np.array_equal(a, b), f"epochs={epochs}: the blitted frame differs from a full drawing"


def test_blit_png_falls_back_to_a_full_render_after_another_plot_drew():
    from dlcourse.experiments import theory

    fig = Figure(figsize=(9, 3.4), dpi=100)
    plots.approximation(theory.universal_approximation(8), fig=fig)
    common.blit_png(fig)
    fig.clear()
    fig.add_subplot().plot([0, 1], [1, 0])               # a plot that marks nothing as changing
    assert common.blit_png(fig) == common.figure_to_png(fig)

