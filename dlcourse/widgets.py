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
    from dlcourse.lessons import playground as pg

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
    from dlcourse.lessons import deep_stacks

    style = {"description_width": "initial"}
    controls = {
        "depth": W.IntSlider(value=depth, min=1, max=10, description="hidden layers",
                             continuous_update=False, style=style),
        "activation": W.ToggleButtons(value=activation, options=["sigmoid", "tanh", "relu"],
                                      description="activation", style=style),
        "init": W.Dropdown(value=init, options=list(deep_stacks.INITS), description="weight std", style=style),
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


@_demo
def batch_size_demo(batch_size=100, lr=0.01, warm=True):
    """Chapter 09: minibatch size and learning rate -> SGD's loss over the same 8,000 samples.

    The sliders move over ``experiments.optimizers.BATCH_CHOICES`` and ``LR_CHOICES``;
    a grid point is trained the first time it is visited (up to a few seconds for
    batch 1) and cached after that, and the sliders update on release. With ``warm`` a
    background thread trains the rest of the grid right after the first view. The
    default is the run the lesson prints (batch 100, lr 0.01).
    """
    ex = experiments.optimizers

    def choice(description, options, value):
        return W.SelectionSlider(options=[(f"{o:g}", o) for o in options], value=value,
                                 description=description, continuous_update=False,
                                 style={"description_width": "initial"})

    controls = {"batch_size": choice("batch size", ex.BATCH_CHOICES, batch_size),
                "lr": choice("learning rate", ex.LR_CHOICES, lr)}
    demo = Demo(controls, ex.batch_size_run, plots.batch_size_run, figsize=(6, 3.4))
    if warm:   # train the rest of the grid in the background, so later moves are cache hits
        demo.warming = threading.Thread(target=ex.warm_batch_grid, daemon=True)
        demo.warming.start()
    return demo


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


@_demo
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


@_demo
def conv_geometry_demo(size=7, kernel=3, stride=2, pad=1, layers=1):
    """Chapter 12: input size, kernel, stride, padding and depth -> output shape and the
    receptive field of the first and last output units.

    The default is the lesson's printed ``experiments.cnn.conv_geometry(7, 3, 2, 1, 1)``.
    """
    def slider(description, value, lo, hi):
        return W.IntSlider(value=value, min=lo, max=hi, description=description,
                           style={"description_width": "initial"})

    controls = {
        "size": slider("input size H = W", size, 3, 12),
        "kernel": slider("kernel FH = FW", kernel, 1, 7),
        "stride": slider("stride S", stride, 1, 4),
        "pad": slider("padding P", pad, 0, 3),
        "layers": slider("layers", layers, 1, 3),
    }
    return Demo(controls, experiments.cnn.conv_geometry, plots.conv_geometry, figsize=(9, 4.2))


# end of chapter 12


# --- chapter 13 -------------------------------------------------------------------

@_demo
def rnn_gradient_lag_demo(radius=1.0, lag=20):
    """Chapter 13: the spectral radius of Wh and a lag k -> ||dh_T/dh_(T-k)|| of a tanh RNN.

    The default is the run the lesson prints (``experiments.rnn.gradient_lag()``). A new
    radius costs tens of ms (cached); moving the lag only moves the marker.
    """
    style = {"description_width": "initial"}
    controls = {
        "radius": W.FloatSlider(value=radius, min=0.1, max=4.0, step=0.05, description="spectral radius of Wh",
                                readout_format=".2f", continuous_update=False, style=style),
        "lag": W.IntSlider(value=lag, min=0, max=59, description="lag k", style=style),
    }
    return Demo(controls, experiments.rnn.gradient_lag, plots.rnn_gradient_lag, figsize=(6.5, 3.6))


@_demo
def esn_demo(radius=1.25, leak=0.3, seed=0):
    """Chapter 13: an echo state network's spectral radius, leak and reservoir -> its closed-loop
    forecast of Mackey-Glass.

    Every setting comes from ``experiments.rnn.esn_sweep()`` (trained once, cached), so a move
    only redraws. The default is the run the lesson prints (``experiments.rnn.esn_view()``).
    """
    sweep = experiments.rnn.esn_sweep()
    style = {"description_width": "initial"}
    controls = {
        "radius": W.SelectionSlider(options=list(sweep.radii), value=radius, description="spectral radius",
                                    style=style),
        "leak": W.ToggleButtons(options=list(sweep.leaks), value=leak, description="leak", style=style),
        "seed": W.ToggleButtons(options=list(sweep.seeds), value=seed, description="reservoir", style=style),
    }
    return Demo(controls, experiments.rnn.esn_view, plots.esn_forecast, figsize=(9, 3.3))


@_demo
def rnn_variants_demo(alpha=0.1, d=5):
    """Chapter 13: the leak rate of leaky units and the length of a skip connection ->
    ||dh_T/dh_(T-k)|| of the plain, leaky and skip RNNs (``experiments.rnn.variant_flow()``)."""
    style = {"description_width": "initial"}
    controls = {
        "alpha": W.FloatSlider(value=alpha, min=0.02, max=1.0, step=0.02, description="leak rate alpha",
                               readout_format=".2f", continuous_update=False, style=style),
        "d": W.IntSlider(value=d, min=2, max=20, description="skip length d", continuous_update=False,
                         style=style),
    }
    return Demo(controls, experiments.rnn.variant_flow, plots.rnn_variant_flow, figsize=(6.5, 3.6))


@_demo
def bidirectional_demo(lag=3):
    """Chapter 13: the lag of the "is the symbol `lag` steps ahead an X?" task -> accuracy of a
    unidirectional and a bidirectional RNN, and their answers on one test sequence.

    Every lag is trained once in ``experiments.rnn.bidirectional_sweep()`` (cached); the default
    is the view the lesson prints (``experiments.rnn.bidirectional_view()``).
    """
    sweep = experiments.rnn.bidirectional_sweep()
    controls = {"lag": W.IntSlider(value=lag, min=min(sweep.lags), max=max(sweep.lags), description="lag",
                                   style={"description_width": "initial"})}
    return Demo(controls, experiments.rnn.bidirectional_view, plots.bidirectional_accuracy, figsize=(10, 3.4))


# end of chapter 13


# --- chapter 14 -------------------------------------------------------------------

@_demo
def lag_race_demo(lag=40, warm=True):
    """Chapter 14: the lag slider -> RNN, LSTM and GRU test accuracy while training on the memory task.

    The slider moves over ``experiments.lstm.LAGS``. A lag is trained the first time
    it is visited (1-5 s for the three models) and cached after that (the lesson's
    sweep has already trained them all); the slider updates on release. With
    ``warm`` a background thread trains the lags not yet cached. The default is
    the lesson's printed ``lag_race(40)``.
    """
    R = experiments.lstm
    controls = {
        "lag": W.SelectionSlider(options=list(R.LAGS), value=lag, description="lag (distractor steps)",
                                 continuous_update=False, style={"description_width": "initial"}),
    }
    demo = Demo(controls, R.lag_race, plots.lag_race, figsize=(9, 3.4))
    if warm:   # train the other lags in the background, so later moves are cache hits
        demo.warming = threading.Thread(target=R.warm_lags, daemon=True)
        demo.warming.start()
    return demo


# end of chapter 14


# --- chapter 15 -------------------------------------------------------------------

@_demo
def sampling_demo(temperature=1.0, length=5):
    """Chapter 15: sampling temperature and question length -> sampled answers of the
    lesson's peeky + reversed addition model.

    The model is trained once (cached; the lesson has trained it already), so a slider
    move only decodes 126 short answers and redraws. Temperature 0 is greedy decoding.
    The default is the lesson's printed ``sampling()``.
    """
    S = experiments.seq2seq
    S.train_addition("peeky")
    controls = {
        "temperature": _slider("temperature", temperature, 0.0, 3.0, 0.1, fmt=".1f",
                               continuous=False),
        "length": W.SelectionSlider(options=list(S.LENGTHS), value=length,
                                    description="question length", continuous_update=False,
                                    style={"description_width": "initial"}),
    }
    return Demo(controls, S.sampling, plots.sampling_view, figsize=(9, 3.4))


# end of chapter 15


# --- chapter 16 -------------------------------------------------------------------

@_demo
def alignment_demo(length=17, example=0, steps=None):
    """Chapter 16: pick a date question by its length and number; see where the decoder looked.

    The model is the lesson's dot-product attention model
    (``experiments.attention.train_dates()``, cached: trained once, a few seconds, if
    the lesson has not trained it yet). A slider move only looks up its weights and redraws.
    The default is the lesson's printed ``experiments.attention.alignment()``; ``steps``
    (training steps, the lesson's by default) lets a test use a short run.
    """
    import functools

    ex = experiments.attention
    steps = ex.DATE_STEPS if steps is None else int(steps)
    lengths = ex.alignment_lengths(steps=steps)           # each has at least 10 test questions
    style = {"description_width": "initial"}
    controls = {
        "length": W.IntSlider(value=length, min=int(lengths.min()), max=int(lengths.max()),
                              description="question length", style=style),
        "example": W.IntSlider(value=example, min=0, max=9, description="example", style=style),
    }
    return Demo(controls, functools.partial(ex.alignment, steps=steps), plots.attention_alignment,
                figsize=(10, 3.6))


@_demo
def transformer_attention_demo(example=0, head=0, task="sorting", steps=None):
    """Chapter 16: the trained one-block Transformer's attention, per test sequence and head.

    Both tasks are the lesson's printed runs (cached; trained on first use, about a second
    each). ``steps`` (the lesson's by default) lets a test use a short run.
    """
    import functools

    ex = experiments.attention
    kw = {} if steps is None else {"steps": int(steps)}
    style = {"description_width": "initial"}
    controls = {
        "example": W.IntSlider(value=example, min=0, max=49, description="test sequence", style=style),
        "head": W.Dropdown(options=[("head 1", 0), ("head 2", 1)], value=head, description="head"),
        "task": W.Dropdown(options=["sorting", "reversal"], value=task, description="task"),
    }
    return Demo(controls, functools.partial(ex.transformer_attention, **kw), plots.transformer_attention,
                figsize=(4.6, 4.2))


# end of chapter 16


# --- chapter 17 -------------------------------------------------------------------

class _BlitDemo(Demo):
    """A :class:`Demo` whose figure is rendered by :func:`plots.blit_png`: the axes and their
    text are drawn once, and each update redraws only the curves and titles that move."""

    def update(self):
        self.result = self._compute(**self.values)
        self._draw(self.result, fig=self.figure)
        self.image.value = plots.blit_png(self.figure, dpi=DPI)
        self.text.value = f"<pre>{html.escape(self._describe(self.result))}</pre>"


@_demo
def approximation_demo(width=8, target="smooth"):
    """Chapter 17: hidden width and target function -> one hidden layer's least-squares fit
    and where it sits on the error-vs-width curve. The default is the lesson's printed
    ``universal_approximation(8, "smooth")``; a fit takes a millisecond."""
    ex = experiments.theory
    controls = {
        "width": W.IntSlider(value=width, min=1, max=64, description="hidden units",
                             style={"description_width": "initial"}),
        "target": W.Dropdown(options=list(ex.TARGETS), value=target, description="target"),
    }
    return _BlitDemo(controls, ex.universal_approximation, plots.approximation, figsize=(9, 3.4))


@_demo
def lottery_demo(fraction=0.9):
    """Chapter 17: share of hidden weights pruned -> ticket, random mask and no retraining.

    The grid (``experiments.theory.PRUNE_FRACTIONS``) is trained once and cached (the lesson
    has already done it), so a slider move only redraws. The default is the lesson's
    printed ``lottery_at(0.9)``."""
    ex = experiments.theory
    controls = {
        "fraction": W.SelectionSlider(options=[(f"{f:.0%}", f) for f in ex.PRUNE_FRACTIONS], value=fraction,
                                      description="pruned", continuous_update=False,
                                      style={"description_width": "initial"}),
    }
    return _BlitDemo(controls, ex.lottery_at, plots.lottery, figsize=(10, 3.4))


@_demo
def double_descent_demo(width=200):
    """Chapter 17: number of random features P -> where the minimum-norm fit sits on the
    double-descent curve, and the singular values behind it. The sweep is computed once
    and cached; the default is the lesson's printed ``random_features_at(200)``."""
    ex = experiments.theory
    controls = {
        "width": W.SelectionSlider(options=list(ex.RF_WIDTHS), value=width, description="features P",
                                   style={"description_width": "initial"}),
    }
    return _BlitDemo(controls, ex.random_features_at, plots.double_descent, figsize=(10, 3.4))


# end of chapter 17


__all__ = ["Demo", "DEMOS", *DEMOS]
