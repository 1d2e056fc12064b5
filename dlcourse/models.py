"""Models built from layers, and the one training loop every chapter uses.

``Sequential`` chains layers (it lives in :mod:`dlcourse.layers`, beside the
``Residual`` block built on it, and is importable from here); ``MLP`` is the multi-layer perceptron of
chapters 07-10 (Affine + activation (+ Dropout) blocks, then an Affine that
outputs logits, trained with softmax cross-entropy); ``Autoencoder`` is
chapter 11's D -> H -> D network; ``logistic``, ``residual_mlp`` and
``plain_mlp`` build the MNIST-1D paper's small models (chapter 17); ``train``
runs minibatch training with a progress bar and returns the learning curves.

A model that ``train`` can train has::

    model.params, model.grads        lists of arrays (the layer contract)
    model.loss(x, t, train=True)     the mean loss of a batch (a float)
    model.backward()                 gradients of that loss into model.grads
    model.predict(x)                 outputs (logits), for accuracy

Importing this module pulls in numpy only; ``train`` imports tqdm and
threadpoolctl when it runs.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np

from dlcourse import layers as L
from dlcourse import optim
from dlcourse.layers import Sequential

__all__ = ["Sequential", "Classifier", "MLP", "Autoencoder", "n_params", "logistic", "residual_mlp",
           "plain_mlp", "train", "predict", "accuracy"]


def _initial_weights(init, fan_in, fan_out, rng):
    """(fan_in, fan_out) weights from an initialiser name, or normal with std ``init`` for a number."""
    if isinstance(init, str):
        key = init.strip().lower()
        if key not in optim.INITIALIZERS:
            raise ValueError(f"MLP: unknown init {init!r}; expected one of "
                             f"{', '.join(optim.INITIALIZERS)} or a number (the std)")
        return optim.INITIALIZERS[key](fan_in, fan_out, rng)
    if isinstance(init, bool) or not (isinstance(init, numbers.Real) and init > 0):
        raise ValueError(f"MLP: expected init to be one of {', '.join(optim.INITIALIZERS)} "
                         f"or a positive number (the std), got {init!r}")
    return rng.standard_normal((fan_in, fan_out)) * float(init)


class Classifier:
    """Layers that map inputs to logits, trained with softmax cross-entropy.

    This is the model interface ``train`` expects (``params``, ``grads``,
    ``loss``, ``backward``, ``predict``); ``MLP``, the CNNs of chapter 12 and
    the MNIST-1D models of chapter 17 are all Classifiers.

    Parameters
    ----------
    net : list of layers, or an object with ``forward``, ``backward``, ``params``, ``grads``
        Maps inputs (N, ...) to logits (N, C). A list is wrapped in ``Sequential``.
    name : str
        Shown by ``repr``.
    chunk : int or None
        In test mode, inputs with more rows than this run ``chunk`` rows at a
        time (a convolution over a whole test set would otherwise build one
        huge im2col matrix). None: always in one go.
    """

    def __init__(self, net, name="", chunk=None):
        self.net = Sequential(list(net)) if isinstance(net, (list, tuple)) else net
        self.loss_layer = L.SoftmaxWithLoss()
        self.name, self.chunk = name, chunk
        self._takes_train = "train" in inspect.signature(self.net.forward).parameters

    @property
    def layers(self):
        """The network's layers, input first (the loss layer is not included)."""
        return self.net.layers

    @property
    def params(self):
        """The network's parameter arrays, updated in place by an optimiser."""
        return self.net.params

    @property
    def grads(self):
        """Gradients of the last ``loss`` after ``backward``, same order as ``params``."""
        return self.net.grads

    def _forward(self, x, train):
        return self.net.forward(x, train=train) if self._takes_train else self.net.forward(x)

    def predict(self, x, train=False):
        """x: (N, ...) -> logits (N, C). Dropout and batch statistics only if ``train=True``."""
        if train or not self.chunk or len(x) <= self.chunk:
            return self._forward(x, train)
        return np.concatenate([self._forward(x[k:k + self.chunk], False)
                               for k in range(0, len(x), self.chunk)])

    def loss(self, x, t, train=True):
        """Mean cross-entropy of the batch (a float).

        Parameters
        ----------
        x : ndarray, shape (N, ...)
        t : ndarray, int labels (N,) or one-hot (N, C)
        train : bool
            Training mode (the default: ``loss`` is called while training).
        """
        return float(self.loss_layer.forward(self.predict(x, train=train), t))

    def backward(self, dout=1.0):
        """Backpropagate the last ``loss`` through the network; fills ``grads`` and returns dx."""
        return self.net.backward(self.loss_layer.backward(dout))

    def accuracy(self, x, t):
        """Fraction of rows of x whose largest logit is the true class (t labels or one-hot)."""
        return accuracy(self, x, t)

    def __repr__(self):
        return f"Classifier({self.name or type(self.net).__name__}, {n_params(self)} parameters)"


class MLP(Classifier):
    """Multi-layer perceptron classifier with a softmax cross-entropy loss.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, H1, ..., Hk, C]``: input size, hidden sizes, number of classes.
        At least two entries (``[D, C]`` is softmax regression).
    activation : str
        Hidden activation: ``"relu"``, ``"sigmoid"``, ``"tanh"`` or
        ``"leaky_relu"``.
    dropout : float
        Drop probability after each hidden activation; 0 means no Dropout
        layers (inverted dropout, see ``layers.Dropout``).
    init : str or float
        ``"he"`` or ``"xavier"``, or a number used as the std of normal
        weights (the textbook's 0.01, chapter 08). Biases start at 0.
    rng : numpy.random.Generator or int or None
        Draws the initial weights and the dropout masks.

    Attributes
    ----------
    net : Sequential
        The layers from the input to the logits.
    loss_layer : SoftmaxWithLoss

    Notes
    -----
    ``sizes = [D, H, C]`` builds ``Affine(D, H) -> activation -> Affine(H, C)``;
    the network's output (N, C) are logits; softmax lives in the loss.
    """

    def __init__(self, sizes, activation="relu", dropout=0.0, init="he", rng=None):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"MLP: expected sizes [D, H1, ..., C] with at least two positive "
                             f"entries, got {sizes}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"MLP: expected a drop probability 0 <= dropout < 1, got {dropout}")
        L.get_activation_layer(activation)  # fail early on an unknown name
        self.rng = np.random.default_rng(rng)
        layers = []
        for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = _initial_weights(init, fan_in, fan_out, self.rng)
            layers.append(L.Affine(W, np.zeros(fan_out)))
            if k < len(sizes) - 2:  # every Affine but the last is followed by an activation
                layers.append(L.get_activation_layer(activation))
                if dropout > 0:
                    layers.append(L.Dropout(dropout, rng=self.rng))
        super().__init__(Sequential(layers))
        self.sizes, self.activation, self.dropout, self.init = sizes, activation, dropout, init

    def __repr__(self):
        return (f"MLP(sizes={self.sizes}, activation={self.activation!r}, "
                f"dropout={self.dropout}, init={self.init!r})")


class Autoencoder:
    """D -> H -> D autoencoder: Affine + activation, then Affine + Sigmoid, squared error.

    Parameters
    ----------
    D : int
        Input (and output) size.
    H : int
        Bottleneck size (the code).
    activation : str
        Hidden activation, a name for ``layers.get_activation_layer`` ("sigmoid").
    rng : numpy.random.Generator or int or None
        Draws the Xavier initial weights.

    Notes
    -----
    ``loss(x, t=None)`` is ``MSELoss``: ``0.5 * sum((y - t)**2) / N`` with
    ``t = x`` by default, so ``models.train(ae, opt, x, x, ...)`` trains it (its
    "accuracy" column means nothing for an autoencoder). ``predict`` returns
    the reconstruction, ``encode`` the code, ``decode`` the image of a code.
    """

    def __init__(self, D, H, activation="sigmoid", rng=None):
        rng = np.random.default_rng(rng)
        self.encoder = Sequential([L.Affine(optim.xavier(D, H, rng), np.zeros(H)),
                                   L.get_activation_layer(activation)])
        self.decoder = Sequential([L.Affine(optim.xavier(H, D, rng), np.zeros(D)),
                                   L.Sigmoid()])
        self.loss_layer = L.MSELoss()
        self.D, self.H, self.activation = D, H, activation

    @property
    def params(self):
        """[W_enc (D, H), b_enc (H,), W_dec (H, D), b_dec (D,)]."""
        return self.encoder.params + self.decoder.params

    @property
    def grads(self):
        """Gradients of the last ``loss`` after ``backward``, same order as ``params``."""
        return self.encoder.grads + self.decoder.grads

    def encode(self, x):
        """x: (N, D) -> code (N, H)."""
        return self.encoder.forward(x)

    def decode(self, z):
        """code z: (N, H) -> reconstruction (N, D) in (0, 1)."""
        return self.decoder.forward(z)

    def predict(self, x, train=False):
        """x: (N, D) -> reconstruction (N, D)."""
        return self.decode(self.encode(x))

    def loss(self, x, t=None, train=True):
        """0.5 * sum((reconstruction - t)**2) / N, with t = x unless given (N, D)."""
        return float(self.loss_layer.forward(self.predict(x), x if t is None else t))

    def backward(self, dout=1.0):
        """Backpropagate the last ``loss``; fills ``grads``; returns dx (N, D)."""
        return self.encoder.backward(self.decoder.backward(self.loss_layer.backward(dout)))


# --- the MNIST-1D paper's small models (chapter 17, benchmarks/mnist1d_table.py) ----------

def n_params(model):
    """Number of trainable numbers in ``model.params``."""
    return int(sum(np.size(p) for p in model.params))


def logistic(rng=None, D=40, C=10):
    """Logistic (softmax) regression: one Affine D -> C, PyTorch's default initialisation.

    Parameters
    ----------
    rng : numpy.random.Generator or int or None
    D, C : int
        Input size and number of classes (40 and 10 for MNIST-1D).

    Returns
    -------
    Classifier
        Maps x (N, D) to logits (N, C); ``D·C + C`` parameters (410 for MNIST-1D).
    """
    rng = np.random.default_rng(rng)
    return Classifier(Sequential([L.Affine(*optim.uniform_init(D, C, rng))]), "logistic")


def residual_mlp(rng=None, D=40, H=100, C=10):
    """The MNIST-1D paper's MLP: ``h1 = relu(x W1 + b1)``, ``h2 = h1 + relu(h1 W2 + b2)``, logits ``h2 W3 + b3``.

    Parameters
    ----------
    rng : numpy.random.Generator or int or None
    D, H, C : int
        Input size, hidden width, number of classes.

    Returns
    -------
    Classifier
        Maps x (N, D) to logits (N, C); 40·100 + 100 + 100·100 + 100 + 100·10 + 10
        = 15,210 parameters for the defaults. The middle layer is a
        :class:`dlcourse.layers.Residual` block; every layer starts from
        :func:`dlcourse.optim.uniform_init`.
    """
    rng = np.random.default_rng(rng)
    net = Sequential([
        L.Affine(*optim.uniform_init(D, H, rng)), L.ReLU(),
        L.Residual([L.Affine(*optim.uniform_init(H, H, rng)), L.ReLU()]),
        L.Affine(*optim.uniform_init(H, C, rng)),
    ])
    return Classifier(net, "mlp")


def plain_mlp(sizes, rng=None):
    """An MLP with ReLU hidden layers and PyTorch's default initialisation.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, H1, ..., C]``, e.g. ``[40, h, h, 10]`` for the double-descent sweep.
    rng : numpy.random.Generator or int or None

    Returns
    -------
    Classifier
        Maps x (N, D) to logits (N, C). Unlike :class:`MLP` (He or Xavier
        weights, zero biases) every weight and bias starts from
        :func:`dlcourse.optim.uniform_init`, as in the MNIST-1D paper.
    """
    rng = np.random.default_rng(rng)
    layers = []
    for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(L.Affine(*optim.uniform_init(int(fan_in), int(fan_out), rng)))
        if k < len(sizes) - 2:
            layers.append(L.ReLU())
    return Classifier(Sequential(layers), "mlp " + "-".join(str(int(s)) for s in sizes))


def predict(model, x):
    """The model's outputs for x in test mode: ``model.predict(x)``, or ``model.forward(x)``."""
    if hasattr(model, "predict"):
        return model.predict(x)
    return model.forward(x, train=False)


def accuracy(model, x, t):
    """Fraction of correct predictions.

    Parameters
    ----------
    model : MLP, Sequential or any model with ``predict``
    x : ndarray, shape (N, D)
    t : ndarray, int labels (N,) or one-hot (N, C)

    Returns
    -------
    float
        ``mean(argmax(predict(model, x), axis=1) == labels)``.
    """
    y = predict(model, x)
    N, C = y.shape
    t = np.asarray(t)
    if t.shape == (N, C):
        t = np.argmax(t, axis=1)      # one-hot -> labels (N,)
    elif t.shape != (N,):
        raise ValueError(f"accuracy: expected t of shape ({N},) (labels) or ({N}, {C}) (one-hot), "
                         f"got {t.shape}")
    return float(np.mean(np.argmax(y, axis=1) == t))


def train(model, optimizer, x_train, t_train, x_test=None, t_test=None, epochs=10,
          batch_size=100, rng=None, progress=True, weight_decay=0.0):
    """Minibatch training; returns the learning curves.

    Parameters
    ----------
    model : MLP or any model with ``params``, ``grads``, ``loss``, ``backward``
    optimizer : optimiser object, or a name for ``optim.get_optimizer`` (its defaults)
    x_train : ndarray, shape (N, D)
    t_train : ndarray, labels (N,) or one-hot (N, C)
    x_test, t_test : ndarray, optional
        Evaluated after every epoch when given.
    epochs : int
        Passes over the training set.
    batch_size : int
        Samples per step; the last batch of an epoch may be smaller.
    rng : numpy.random.Generator or int or None
        Shuffles the training set at the start of each epoch.
    progress : bool
        Show a ``tqdm`` progress bar over the epochs.
    weight_decay : float
        L2 strength λ: adds λ·W to the gradient of every parameter with two
        or more axes (the weights; not biases or BatchNorm's gamma, beta).

    Returns
    -------
    dict of lists
        ``"train_loss"``, ``"train_acc"``, ``"test_loss"``, ``"test_acc"``:
        one float per epoch, measured after the epoch in test mode (no
        dropout) on the whole set; the test lists stay empty without a test
        set. ``"batch_loss"``: the loss of every training step. Losses are
        the data loss without the weight-decay term, so train and test are
        comparable.

    Notes
    -----
    The loop runs with one BLAS thread: for the small matrices of this
    course that is several times faster on a 2-core machine.
    """
    from threadpoolctl import threadpool_limits
    from tqdm.auto import tqdm

    if isinstance(optimizer, str):
        optimizer = optim.get_optimizer(optimizer)
    x_train, t_train = np.asarray(x_train), np.asarray(t_train)
    N = x_train.shape[0]
    if t_train.shape[0] != N:
        raise ValueError(f"train: expected t_train with {N} rows (one per row of x_train), "
                         f"got {t_train.shape[0]}")
    if (x_test is None) != (t_test is None):
        raise ValueError("train: give both x_test and t_test, or neither")
    if int(epochs) != epochs or epochs < 0 or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"train: expected epochs >= 0 and batch_size >= 1 (integers), "
                         f"got epochs={epochs}, batch_size={batch_size}")
    rng = np.random.default_rng(rng)
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": [], "batch_loss": []}

    with threadpool_limits(limits=1), tqdm(range(int(epochs)), disable=not progress,
                                           desc="epochs") as bar:
        for _ in bar:
            order = rng.permutation(N)
            for start in range(0, N, int(batch_size)):
                idx = order[start:start + int(batch_size)]
                history["batch_loss"].append(model.loss(x_train[idx], t_train[idx], train=True))
                model.backward()
                grads = model.grads
                if weight_decay:
                    for p, g in zip(model.params, grads):
                        if p.ndim >= 2:
                            g += weight_decay * p
                optimizer.update(model.params, grads)
            _evaluate(model, x_train, t_train, history, "train")
            if x_test is not None:
                _evaluate(model, x_test, t_test, history, "test")
            bar.set_postfix(loss=f"{history['train_loss'][-1]:.4f}",
                            acc=f"{history['train_acc'][-1]:.3f}")
    return history


def _evaluate(model, x, t, history, split):
    """Append the loss and accuracy of (x, t), in test mode, to the history."""
    history[f"{split}_loss"].append(float(model.loss(x, t, train=False)))
    history[f"{split}_acc"].append(accuracy(model, x, t))
