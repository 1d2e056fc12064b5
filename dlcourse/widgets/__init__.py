"""Every interactive demo of the course, one function per demo, one module per topic.

A demo is a :class:`Demo` (in :mod:`dlcourse.widgets.core`): sliders that call a
tested experiment from :mod:`dlcourse.experiments`, a plot from
:mod:`dlcourse.plots` rendered to a PNG image, and the experiment's printed
report beside it. The callbacks hold no maths. A notebook shows a demo with one
call, e.g. ``widgets.perceptron_explorer()``.

Tests (and curious learners) can drive a demo from Python::

    demo = perceptron_explorer()
    demo.set(b=-0.2)          # moves the slider, reruns experiment and plot
    demo.result, demo.image.value, demo.text.value

The topic modules mirror :mod:`dlcourse.experiments` and load on first use
(``widgets.perceptron_explorer`` imports ``widgets/perceptron.py``), so importing
this package is cheap and pulls in neither ipywidgets nor matplotlib:

==================  ========  ==================================================================
module              chapter   demos
==================  ========  ==================================================================
``intro``           00        line_fit_demo
``perceptron``      01        perceptron_explorer
``activations``     02        signal_explorer
``linear``          03        sgd_explorer
``matrices``        04        forward_explorer
``hidden``          05        playground_demo (PlaygroundDemo)
``descent``         06        descent_demo
``backprop``        07        backprop_xor_demo
``deep``            08        deep_gradients_demo
``optimizers``      09        optimizer_path_demo, batch_size_demo
``regularization``  10        dropout_demo
``autoencoders``    11        bottleneck_demo
``cnn``             12        filter_editor_demo (FilterEditorDemo), conv_geometry_demo
``rnn``             13        rnn_gradient_lag_demo, esn_demo, rnn_variants_demo, bidirectional_demo
``lstm``            14        lag_race_demo
``seq2seq``         15        sampling_demo
``attention``       16        alignment_demo, transformer_attention_demo
``theory``          17        approximation_demo, lottery_demo, double_descent_demo
``core``            all       Demo, DPI, the ``@demo`` mark and the shared controls
==================  ========  ==================================================================

A new demo goes into its topic's module, marked ``@demo``, and gets a line in
:data:`_TOPICS` below (a test fails if the two disagree).
"""
from collections.abc import Mapping
from importlib import import_module

_TOPICS = {   # topic module -> its demos, in chapter order (DEMOS keeps this order)
    "intro": ("line_fit_demo",),                                                # 00
    "perceptron": ("perceptron_explorer",),                                     # 01
    "activations": ("signal_explorer",),                                        # 02
    "linear": ("sgd_explorer",),                                                # 03
    "matrices": ("forward_explorer",),                                          # 04
    "hidden": ("playground_demo",),                                             # 05
    "descent": ("descent_demo",),                                               # 06
    "backprop": ("backprop_xor_demo",),                                         # 07
    "deep": ("deep_gradients_demo",),                                           # 08
    "optimizers": ("optimizer_path_demo", "batch_size_demo"),                   # 09
    "regularization": ("dropout_demo",),                                        # 10
    "autoencoders": ("bottleneck_demo",),                                       # 11
    "cnn": ("filter_editor_demo", "conv_geometry_demo"),                        # 12
    "rnn": ("rnn_gradient_lag_demo", "esn_demo", "rnn_variants_demo", "bidirectional_demo"),  # 13
    "lstm": ("lag_race_demo",),                                                 # 14
    "seq2seq": ("sampling_demo",),                                              # 15
    "attention": ("alignment_demo", "transformer_attention_demo"),              # 16
    "theory": ("approximation_demo", "lottery_demo", "double_descent_demo"),    # 17
}

_DEMO_MODULES = {name: topic for topic, names in _TOPICS.items() for name in names}

_NAMES = {   # every public name -> the module that defines it
    "Demo": "core", "DPI": "core", "PlaygroundDemo": "hidden", "FilterEditorDemo": "cnn",
    **_DEMO_MODULES,
}


class _Demos(Mapping):
    """Every demo function by name, in chapter order (the benchmark and the widget tests walk
    through them). The names come from the table above; looking one up imports its module."""

    def __getitem__(self, name):
        if name not in _DEMO_MODULES:
            raise KeyError(name)
        return getattr(import_module(f"{__name__}.{_DEMO_MODULES[name]}"), name)

    def __iter__(self):
        return iter(_DEMO_MODULES)

    def __len__(self):
        return len(_DEMO_MODULES)

    def __repr__(self):
        return f"<widgets.DEMOS: {', '.join(_DEMO_MODULES)}>"


DEMOS = _Demos()
"""Every demo function by name, in chapter order."""

__all__ = ["Demo", "DEMOS", "DPI", "PlaygroundDemo", "FilterEditorDemo", *_DEMO_MODULES]


def __getattr__(name):
    if name in _NAMES:
        value = getattr(import_module(f"{__name__}.{_NAMES[name]}"), name)
        globals()[name] = value   # later lookups skip this function
        return value
    raise AttributeError(f"module 'dlcourse.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(__all__) | set(_TOPICS) | {"core"})
