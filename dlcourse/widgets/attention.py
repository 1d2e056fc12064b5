"""Chapter 16's demos: where the date model's decoder looks (:func:`alignment_demo`) and the
one-block Transformer's attention heads (:func:`transformer_attention_demo`)."""
from __future__ import annotations

import functools

import ipywidgets as W

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, demo, int_slider


@demo
def alignment_demo(length=17, example=0, steps=None):
    """Chapter 16: pick a date question by its length and number; see where the decoder looked.

    The model is the lesson's dot-product attention model
    (``experiments.attention.train_dates()``, cached: trained once, a few seconds, if
    the lesson has not trained it yet). A slider move only looks up its weights and redraws.
    The default is the lesson's printed ``experiments.attention.alignment()``; ``steps``
    (training steps, the lesson's by default) lets a test use a short run.
    """
    ex = experiments.attention
    steps = ex.DATE_STEPS if steps is None else int(steps)
    lengths = ex.alignment_lengths(steps=steps)           # each has at least 10 test questions
    controls = {
        "length": int_slider("question length", length, int(lengths.min()), int(lengths.max())),
        "example": int_slider("example", example, 0, 9),
    }
    return Demo(controls, functools.partial(ex.alignment, steps=steps), plots.attention_alignment,
                figsize=(10, 3.6))


@demo
def transformer_attention_demo(example=0, head=0, task="sorting", steps=None):
    """Chapter 16: the trained one-block Transformer's attention, per test sequence and head.

    Both tasks are the lesson's printed runs (cached; trained on first use, about a second
    each). ``steps`` (the lesson's by default) lets a test use a short run.
    """
    ex = experiments.attention
    kw = {} if steps is None else {"steps": int(steps)}
    controls = {
        "example": int_slider("test sequence", example, 0, 49),
        "head": W.Dropdown(options=[("head 1", 0), ("head 2", 1)], value=head, description="head"),
        "task": W.Dropdown(options=["sorting", "reversal"], value=task, description="task"),
    }
    return Demo(controls, functools.partial(ex.transformer_attention, **kw), plots.transformer_attention,
                figsize=(4.6, 4.2))
