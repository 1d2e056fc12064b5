"""Chapter-only maths: the few lines a single lesson develops, kept apart from the library.

The library (``layers``, ``models``, ``optim``, ``cnn``, ``rnn``, ...) holds what
many chapters reuse. Some chapters teach an idea in a form nothing later builds
on: Araki's per-sample backpropagation with bias rows, Neubig's ±1 network, the
TensorFlow Playground's tiny trainer. That code lives here, one module per idea,
so a reader can tell at a glance that it belongs to one lesson. Modules here may
use the library; the library never imports them. The lessons' experiments
(:mod:`dlcourse.experiments`) and their checks (:mod:`dlcourse.grading`) do.

======================  =======  =================================================
module                  chapter  what
======================  =======  =================================================
``text_classifiers``    03       unigram features, the perceptron, logistic regression, SGD on sentences
``three_layer_net``     04       the shape rule of products; the slides' 2-3-2-2 network as matrix products
``neubig``              05       Neubig's hand-set ±1 network that solves XOR
``playground``          05, 08   the TensorFlow Playground's network and trainer
``numerical_descent``   06, 09   forward differences, gradient descent, the bowls the optimisers race on
``araki``               07       Araki's backpropagation, exactly as derived (bias rows, ε terms)
``deep_stacks``         08       deep dense stacks and their per-layer gradient norms
``rnn_jacobians``       13       how far back a tanh RNN's gradient reaches
``theory_gaps``         17       knot features, pruning masks, random features, the minimum-norm fit
======================  =======  =================================================

Submodules load on first use (``lessons.araki``).
"""
from dlcourse._lazy import lazy_submodules

__all__, __getattr__, __dir__ = lazy_submodules(__name__, __path__)
