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
import threading
import time

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
            # flex-start: a long report must not stretch the image to its height
            W.HBox([self.image, self.text], layout=W.Layout(align_items="flex-start")),
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

@_demo
def sgd_explorer(lr=0.1, epochs=10):
    """Chapter 03: learning rate (log scale) and number of epochs of SGD for logistic regression.

    The default equals ``experiments.linear.logistic_sgd(lr=0.1, epochs=10)``.
    """
    controls = {
        "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1, description="learning rate",
                               readout_format=".3g", continuous_update=False,
                               style={"description_width": "initial"}),
        "epochs": W.IntSlider(value=epochs, min=1, max=30, description="iterations (epochs)",
                              continuous_update=False, style={"description_width": "initial"}),
    }
    return Demo(controls, experiments.linear.logistic_sgd, plots.sgd_curves, figsize=(8, 3.2),
                describe=lambda run: run.summary())   # short: the wide figure leaves little room


# end of chapter 03

# --- chapter 04 -------------------------------------------------------------------

@_demo
def forward_explorer(x1=1.0, x2=0.5):
    """Chapter 04: move the input of the slides' 3-layer network; every signal follows.

    The default is the slides' input x = [1.0, 0.5], which gives y = [0.3168, 0.6963].
    """
    controls = {
        "x1": _slider("x1", x1, -3.0, 3.0, 0.1),
        "x2": _slider("x2", x2, -3.0, 3.0, 0.1),
    }
    return Demo(controls, experiments.matrices.three_layer_forward, plots.network_diagram, figsize=(8, 3.8),
                describe=lambda res: res.summary())   # the diagram shows every signal already


# end of chapter 04

# --- chapter 05 -------------------------------------------------------------------



def _choice_slider(description, options, value):
    """A slider over a fixed list of numbers (the Playground's menus), shown as they are."""
    return W.SelectionSlider(options=[(f"{o:g}", o) for o in options], value=value,
                             description=description, continuous_update=False,
                             style={"description_width": "initial"})


class PlaygroundDemo(Demo):
    """A :class:`Demo` that trains in the background, like the TensorFlow Playground.

    After a control change it starts a fresh network (or, when only
    ``epochs`` grew, keeps training the current one), trains what fits in
    about ``SYNC_WORK`` layer-steps (a few tens of milliseconds), draws, and
    trains the remaining epochs in a background thread that redraws at most
    every ``REDRAW_EVERY`` seconds. The final view always equals
    ``experiments.hidden.playground(**demo.values)``; :meth:`wait` blocks
    until it is reached. With ``background=False`` every update trains all
    the epochs at once.
    """

    SYNC_WORK = 1000       # layer-steps trained before the first drawing (~15-30 ms)
    CHUNK_WORK = 1000      # layer-steps between checks for a new control change
    REDRAW_EVERY = 0.3     # seconds between drawings while training in the background

    def __init__(self, controls, figsize, background=True):
        self.background = bool(background)
        self._run, self._thread, self._stop = None, None, threading.Event()
        super().__init__(controls, experiments.hidden.playground, plots.playground, figsize)
        self.box = W.VBox([self.box.children[0], self.image, self.text])

    def update(self):
        """Start (or continue) training for the current values; draw the first view."""
        self._halt()
        values = self.values
        target = int(values.pop("epochs"))
        run = self._run
        if run is None or run.settings != values or run.epoch > target:
            run = self._run = experiments.hidden.PlaygroundRun(**values)
        first = min(target, run.epoch + run.epochs_for(self.SYNC_WORK)) if self.background else target
        run.train(first - run.epoch)
        self._show(run, target)
        if run.epoch < target and not run.diverged:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._train_on, args=(run, target, self._stop),
                                            daemon=True)
            self._thread.start()

    def wait(self, timeout=None):
        """Block until background training has reached the target epochs; return the demo."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self

    def _halt(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _show(self, run, target):
        self.result = run.result()
        self.image.value = plots.playground_png(self.result, self.figure, dpi=DPI)
        busy = run.epoch < target and not run.diverged
        note = f"\n(training in the background: epoch {run.epoch} of {target})" if busy else ""
        self.text.value = f"<pre>{html.escape(str(self.result) + note)}</pre>"

    def _train_on(self, run, target, stop):
        last = time.perf_counter()
        try:
            while run.epoch < target and not run.diverged and not stop.is_set():
                run.train(min(run.epochs_for(self.CHUNK_WORK), target - run.epoch))
                done = run.epoch >= target or run.diverged
                if not stop.is_set() and (done or time.perf_counter() - last > self.REDRAW_EVERY):
                    self._show(run, target)
                    last = time.perf_counter()
        except Exception as exc:  # show it in the widget: a thread's traceback would go nowhere
            self.text.value = f"<pre>training stopped: {html.escape(f'{type(exc).__name__}: {exc}')}</pre>"


@_demo
def playground_demo(dataset="xor", noise=0, hidden_layers=1, units=4, activation="sigmoid",
                    learning_rate=0.03, regularization="none", reg_rate=0.001, batch_size=10,
                    epochs=300, seed=1, background=True):
    """Chapter 05: a TensorFlow Playground. Data, network and training settings; the boundary follows.

    The default is the slide's demo (seed 001 §7.1 7/7): XOR, noise 0, one hidden
    layer of 4 sigmoid units, learning rate 0.03, batch size 10, no
    regularisation, trained for 300 epochs, i.e. the lesson's
    ``experiments.hidden.playground(seed=1)``.
    """
    from dlcourse import datasets
    from dlcourse import playground as pg

    def slider(description, value, lo, hi, step=1):
        return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                           continuous_update=False, style={"description_width": "initial"})

    controls = {
        "dataset": W.Dropdown(options=list(datasets.PLAYGROUND_SETS), value=dataset, description="data"),
        "noise": slider("noise", noise, 0, 50, 5),
        "hidden_layers": slider("hidden layers", hidden_layers, 0, 6),
        "units": slider("units per layer", units, 1, 8),
        "activation": W.Dropdown(options=list(pg.ACTIVATIONS), value=activation, description="activation"),
        "learning_rate": _choice_slider("learning rate", pg.LEARNING_RATES, learning_rate),
        "regularization": W.Dropdown(options=list(pg.REGULARIZATIONS), value=regularization,
                                     description="regularization", style={"description_width": "initial"}),
        "reg_rate": _choice_slider("regularization rate", pg.REG_RATES, reg_rate),
        "batch_size": slider("batch size", batch_size, 1, 30),
        "epochs": _choice_slider("epochs", experiments.hidden.EPOCH_CHOICES, epochs),
        "seed": slider("seed", seed, 0, 9),
    }
    return PlaygroundDemo(controls, figsize=(8.4, 3.6), background=background)


# end of chapter 05

# --- chapter 06 -------------------------------------------------------------------

@_demo
def descent_demo(lr=0.1, step_num=100):
    """Chapter 06: gradient descent on x0² + x1² from (−3, 4); the learning rate on a log scale.

    The default is the lesson's converging run (lr 0.1, 100 steps).
    """
    controls = {
        "lr": W.FloatLogSlider(value=lr, base=10, min=-10, max=1, step=0.1, description="learning rate",
                               readout_format=".1e", continuous_update=False,
                               style={"description_width": "initial"}),
        "step_num": W.IntSlider(value=step_num, min=0, max=200, description="steps",
                                continuous_update=False),
    }
    return Demo(controls, experiments.descent.descent_path, plots.descent_path, figsize=(9.5, 4))


# end of chapter 06

# --- chapter 07 -------------------------------------------------------------------

@_demo
def backprop_xor_demo(rho=3.0, hidden=4, epochs=300):
    """Chapter 07: Araki's per-sample backprop on XOR; learning rate, hidden units and epochs
    -> the loss curve and the trained net's outputs. The default is the run the lesson prints.

    A run takes tens of milliseconds, so the sliders update on release; runs are
    cached by the experiment, so returning to a setting is instant.
    """
    controls = {
        "rho": _slider("learning rate ρ", rho, 0.1, 6.0, 0.1, fmt=".1f", continuous=False),
        "hidden": W.IntSlider(value=hidden, min=1, max=8, description="hidden units",
                              continuous_update=False, style={"description_width": "initial"}),
        "epochs": W.IntSlider(value=epochs, min=50, max=600, step=50, description="epochs",
                              continuous_update=False, style={"description_width": "initial"}),
    }
    return Demo(controls, experiments.backprop.araki_xor, plots.araki_xor, figsize=(9, 3.4),
                describe=lambda run: run.summary())


# end of chapter 07


# --- chapter 08 -------------------------------------------------------------------

@_demo
def deep_gradients_demo(depth=10, activation="sigmoid", init="xavier"):
    """Chapter 08: depth, activation and weight scale -> ||dL/dW|| per layer and a short loss curve.

    The default is the run the lesson prints (``experiments.deep.deep_run()``).
    A new setting trains 30 cheap Adam steps (tens of ms); runs are cached.
    """
    from dlcourse import deep

    style = {"description_width": "initial"}
    controls = {
        "depth": W.IntSlider(value=depth, min=1, max=10, description="hidden layers",
                             continuous_update=False, style=style),
        "activation": W.ToggleButtons(value=activation, options=["sigmoid", "tanh", "relu"],
                                      description="activation", style=style),
        "init": W.Dropdown(value=init, options=list(deep.INITS), description="weight std", style=style),
    }
    return Demo(controls, experiments.deep.deep_run, plots.deep_run, figsize=(9, 3.4))


# end of chapter 08


# --- chapter 09 -------------------------------------------------------------------

@_demo
def optimizer_path_demo(lr=0.3, name="adam", steps=30):
    """Chapter 09: one optimiser on f(x, y) = x²/20 + y² from (−7, 2); learning rate (log
    scale), optimiser and number of steps -> its path and f after each step.

    The default is the Adam run the lesson prints (lr 0.3, 30 steps). A run is a few
    hundred microseconds; the figure is built once and only its lines move.
    """
    ex = experiments.optimizers
    controls = {
        "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.05, description="learning rate",
                               readout_format=".3g", style={"description_width": "initial"}),
        "name": W.Dropdown(options=[(ex.LABELS[n], n) for n in ex.NAMES], value=name,
                           description="optimizer"),
        "steps": W.IntSlider(value=steps, min=1, max=100, description="steps"),
    }
    return Demo(controls, ex.optimizer_path, plots.optimizer_path, figsize=(10, 3.8))


# end of chapter 09


# --- chapter 10 -------------------------------------------------------------------

@_demo
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

    def choice(description, options, value):
        return W.SelectionSlider(options=[(f"{o:g}", o) for o in options], value=value,
                                 description=description, continuous_update=False,
                                 style={"description_width": "initial"})

    controls = {
        "dropout": choice("dropout rate p", R.DROPOUT_RATES, dropout),
        "weight_decay": choice("weight decay λ", R.WEIGHT_DECAYS, weight_decay),
        "n_train": choice("training digits", R.TRAIN_SIZES, n_train),
    }
    demo = Demo(controls, R.regularization_grid, plots.regularization_curves, figsize=(9, 3.4))
    if warm:   # train the rest of the grid in the background, so later moves are cache hits
        demo.warming = threading.Thread(target=R.warm_grid, daemon=True)
        demo.warming.start()
    return demo


# end of chapter 10


# --- chapter 11 -------------------------------------------------------------------

@_demo
def bottleneck_demo(bottleneck=2):
    """Chapter 11: choose the autoencoder's bottleneck size; see its reconstructions.

    Trains every size once up front (cached; already done by the lesson's sweep), so a
    slider move only redraws.
    """
    experiments.autoencoders.bottleneck_sweep()
    controls = {
        "bottleneck": W.SelectionSlider(options=list(experiments.autoencoders.BOTTLENECKS),
                                        value=bottleneck, description="bottleneck H",
                                        continuous_update=False,
                                        style={"description_width": "initial"}),
    }
    return Demo(controls, experiments.autoencoders.compress, plots.ae_reconstructions,
                figsize=(8, 2.6))


# end of chapter 11


# --- chapter 12 -------------------------------------------------------------------

# end of chapter 12


# --- chapter 13 -------------------------------------------------------------------

# end of chapter 13


# --- chapter 14 -------------------------------------------------------------------

# end of chapter 14


# --- chapter 15 -------------------------------------------------------------------

# end of chapter 15


# --- chapter 16 -------------------------------------------------------------------

# end of chapter 16


# --- chapter 17 -------------------------------------------------------------------

# end of chapter 17


__all__ = ["Demo", "DEMOS", *DEMOS]
