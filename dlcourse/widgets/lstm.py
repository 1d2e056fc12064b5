"""Chapter 14's demo: RNN, LSTM and GRU racing on the long-lag memory task (:func:`lag_race_demo`)."""
from __future__ import annotations

from dlcourse import experiments, plots
from dlcourse.widgets.core import Demo, choice_slider, demo


@demo
def lag_race_demo(lag=40, warm=True):
    """Chapter 14: the lag slider -> RNN, LSTM and GRU test accuracy while training on the memory task.

    The slider moves over ``experiments.lstm.LAGS``. A lag is trained the first time
    it is visited (1-5 s for the three models) and cached after that (the lesson's
    sweep has already trained them all); the slider updates on release. With
    ``warm`` a background thread trains the lags not yet cached. The default is
    the lesson's printed ``lag_race(40)``.
    """
    R = experiments.lstm
    controls = {"lag": choice_slider("lag (distractor steps)", R.LAGS, lag, fmt=None)}
    return Demo(controls, R.lag_race, plots.lag_race, figsize=(9, 3.4), warm=R.warm_lags if warm else None)
