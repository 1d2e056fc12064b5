"""The slide experiments, one function per experiment, one module per topic.

An experiment takes parameters and returns plain results (arrays, floats,
small result objects whose ``str`` is the fixed-precision report a lesson
prints). It never draws: :mod:`dlcourse.plots` does that, and
:mod:`dlcourse.widgets` wires both to sliders.

Modules load on first use (``experiments.perceptron``), so importing this
package is cheap:

=================  ========  ==========================================
module             chapter   experiments
=================  ========  ==========================================
``intro``          00        fitting a line by hand (the slider demo)
``perceptron``     01        gate truth tables, XOR search, XOR = AND(NAND, OR)
``activations``    02        activation table, linear collapse, signal decay, softmax
``linear``         03        unigram features, perceptron, logistic regression, SGD
``matrices``       04        shapes of matrix products, the 3-layer forward pass
``hidden``         05        Neubig's XOR network, the Playground
``descent``        06        losses, numerical differentiation, gradient descent
``backprop``       07        Araki's backprop, layers, gradient check, digits MLP
``deep``           08        gradient profiles, Playground depth, activation histograms, residual
``optimizers``     09        paths on x²/20 + y², MNIST-1D curves, batch size
``regularization`` 10        overfitting and weight decay, dropout's two test rules, ensembles
``autoencoders``   11        bottleneck sweep, layerwise pre-training, RBM (CD-1), VAE
``cnn``            12        photo filters, pooling, im2col, CNN on MNIST, filters, transfer learning, Conv1D
``rnn``            13        unrolled BPTT, gradient vs lag, ESN on Mackey-Glass, leaky/skip flow, bidirectional, TreeNet
``lstm``           14        long-lag memory task, gates over time, peephole, parameter counts, GRU on MNIST-1D
``seq2seq``        15        addition: baseline, reversed input, peeky; greedy vs sampled decoding
``attention``      16        date conversion with attention, heatmaps, length sweep, self-attention, Transformer
``theory``         17        universal approximation, double descent, lottery tickets, flat vs sharp minima
``mnist1d``        12-17     the MNIST-1D paper's protocol and models (benchmarks/mnist1d_table.py)
=================  ========  ==========================================
"""
from dlcourse._lazy import lazy_submodules

__all__, __getattr__, __dir__ = lazy_submodules(__name__, __path__)
