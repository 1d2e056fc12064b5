"""Chapter 05's demo: a TensorFlow Playground that trains in the background
(:func:`playground_demo`, built on :class:`PlaygroundDemo`)."""
from __future__ import annotations

import threading
import time

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import DPI, WIDE, Demo, choice_slider, demo, int_slider, report_html


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
        self.text.value = report_html(str(self.result) + note)

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
            self.text.value = report_html(f"training stopped: {type(exc).__name__}: {exc}")


@demo
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

    controls = {
        "dataset": W.Dropdown(options=list(datasets.PLAYGROUND_SETS), value=dataset, description="data"),
        "noise": int_slider("noise", noise, 0, 50, 5, continuous=False),
        "hidden_layers": int_slider("hidden layers", hidden_layers, 0, 6, continuous=False),
        "units": int_slider("units per layer", units, 1, 8, continuous=False),
        "activation": W.Dropdown(options=list(pg.ACTIVATIONS), value=activation, description="activation"),
        "learning_rate": choice_slider("learning rate", pg.LEARNING_RATES, learning_rate),
        "regularization": W.Dropdown(options=list(pg.REGULARIZATIONS), value=regularization,
                                     description="regularization", style=WIDE),
        "reg_rate": choice_slider("regularization rate", pg.REG_RATES, reg_rate),
        "batch_size": int_slider("batch size", batch_size, 1, 30, continuous=False),
        "epochs": choice_slider("epochs", experiments.hidden.EPOCH_CHOICES, epochs),
        "seed": int_slider("seed", seed, 0, 9, continuous=False),
    }
    return PlaygroundDemo(controls, figsize=(8.4, 3.6), background=background)
