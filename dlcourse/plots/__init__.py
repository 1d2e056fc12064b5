"""Figures for the lessons. A plot function draws results it is given; it never trains.

Every function takes the result of an experiment (see :mod:`dlcourse.experiments`)
and an optional ``fig``. Without ``fig`` it makes a pyplot figure of a fixed size,
so a notebook shows it inline; with ``fig`` (a :class:`matplotlib.figure.Figure`,
as the widgets pass) it clears and redraws that figure, or, for a widget's figure
it drew before, only updates its artists (:func:`cached_artists`). Either way it
returns the figure.

One module per topic, named as in :mod:`dlcourse.experiments` (``plots/cnn.py``
draws what ``experiments/cnn.py`` computes), and :mod:`~dlcourse.plots.common`
for what several topics share (figures, layout, PNG rendering, cached artists,
colours). Every public name is importable from here (``plots.cnn_run``): the
table :data:`_MODULES` says which module holds it, and a module loads the first
time one of its names is used, so ``import dlcourse.plots`` stays cheap. A new
plot function goes in its topic's module, in that module's ``__all__`` and in
the table (``tests/test_plots_package.py`` fails until all three agree).
"""
import importlib

# module -> the public names it defines (each module's __all__)
_MODULES = {
    "common": ("COLORS", "PM1_COLORS", "figure_to_png", "blit_png", "cached_artists", "use_language_font",
               "translate_figure"),
    "intro": ("line_fit",),                                                           # chapter 00
    "perceptron": ("gate_panels", "xor_hidden_space", "perceptron_view"),            # 01
    "activations": ("activations", "signal_decay", "softmax_bars"),                  # 02
    "linear": ("probability_curves", "perceptron_run", "sgd_curves"),                # 03
    "matrices": ("network_diagram",),                                                # 04
    "hidden": ("neubig_spaces", "playground", "playground_png", "hidden_units", "units_sweep"),   # 05
    "descent": ("losses", "difference_errors", "tangent_lines", "gradient_field", "descent_path",
                "learning_rates"),                                                   # 06
    "backprop": ("araki_xor", "computational_graph", "digits_curves", "overfitting_curves",
                 "seed_minima"),                                                     # 07
    "deep": ("gradient_profiles", "playground_depth", "activation_histograms", "deep_run"),       # 08
    "optimizers": ("optimizer_paths", "optimizer_path", "mnist1d_curves", "batch_sizes",
                   "batch_size_run"),                                                # 09
    "regularization": ("weight_decay_curves", "dropout_expectation", "dropout_ensemble",
                       "regularization_curves"),                                     # 10
    "autoencoders": ("ae_reconstructions", "bottleneck_errors", "latent_codes", "pretraining_curves",
                     "rbm_panel", "vae_panel"),                                      # 11
    "cnn": ("photo_filters", "filter_editor", "conv_geometry", "photo_pooling", "batchnorm_maps",
            "cnn_run", "cnn_feature_maps", "transfer_bars", "mnist1d_cnn_curve"),    # 12
    "rnn": ("rnn_unrolled", "rnn_gradient_flow", "rnn_gradient_lag", "esn_forecast", "esn_sweep",
            "rnn_variant_flow", "bidirectional_accuracy", "tree_net"),               # 13
    "lstm": ("lag_race", "lag_sweep", "gate_heatmaps", "gate_bias_curves", "peephole_curves",
             "mnist1d_gru_curves"),                                                  # 14
    "seq2seq": ("seq2seq_runs", "sampling_view", "thought_vector_map"),              # 15
    "attention": ("attention_alignment", "alignment_examples", "date_training", "attention_by_length",
                  "attention_scaling", "attention_masks", "positional_encoding", "transformer_curves",
                  "transformer_attention"),                                          # 16
    "theory": ("approximation", "lottery", "flat_sharp", "double_descent", "random_labels"),     # 17
}

_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}
"""Public name -> the module of this package that defines it."""

__all__ = sorted(_EXPORTS)

# ``activations`` is both a module and the chapter 02 plot function. Importing the module
# here, once, lets the function win: otherwise the import system would bind the module
# over the function the first time anything imported ``dlcourse.plots.activations``.
# (The module needs only numpy and ``common``.)
from dlcourse.plots.activations import activations  # noqa: E402,F401
from dlcourse.plots.common import translate_figure, use_language_font  # noqa: E402

# The Japanese edition (dlcourse.i18n.language() == "ja"): a font with Japanese glyphs, and every
# plot function reached through this package returns its figure with its texts translated.
_LANG_FONT = use_language_font()


def _in_language(func):
    import functools

    @functools.wraps(func)
    def plot(*args, **kwargs):
        return translate_figure(func(*args, **kwargs))

    return plot


if _LANG_FONT:
    activations = _in_language(activations)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dlcourse.plots' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    if _LANG_FONT and callable(value) and not isinstance(value, type) and module != "common":
        value = _in_language(value)
    globals()[name] = value          # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
