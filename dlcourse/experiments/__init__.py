"""The slide experiments, one function per experiment, one module per topic.

An experiment takes parameters and returns plain results (arrays, floats,
small result objects whose ``str`` is the fixed-precision report a lesson
prints). It never draws: :mod:`dlcourse.plots` does that, and
:mod:`dlcourse.widgets` wires both to sliders.

=================  ========  ==========================================
module             chapter   experiments
=================  ========  ==========================================
``intro``          00        fitting a line by hand (the slider demo)
``perceptron``     01        gate truth tables, XOR search, XOR = AND(NAND, OR)
``activations``    02        activation table, linear collapse, signal decay, softmax
=================  ========  ==========================================
"""
from dlcourse.experiments import activations, intro, perceptron  # noqa: F401

__all__ = ["intro", "perceptron", "activations"]
