"""Chapter 15's demo: sampling temperature -> the addition model's sampled answers
(:func:`sampling_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo, float_slider


@demo
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
        "temperature": float_slider("temperature", temperature, 0.0, 3.0, 0.1, fmt=".1f", continuous=False),
        "length": choice_slider("question length", S.LENGTHS, length, fmt=None),
    }
    return Demo(controls, S.sampling, plots.sampling_view, figsize=(9, 3.4))
