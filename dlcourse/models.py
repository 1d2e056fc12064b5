"""Models built from layers, and the training loops every chapter uses.

``Sequential`` chains layers (it lives in :mod:`dlcourse.layers`, beside the
``Residual`` block built on it, and is importable from here); ``Classifier``
puts a softmax cross-entropy loss on any layer stack; ``MLP`` is the
multi-layer perceptron of chapters 07-10 (Affine + activation (+ Dropout)
blocks, then an Affine that outputs logits); ``Autoencoder`` is chapter 11's
D -> H -> D network; ``logistic``, ``residual_mlp`` and ``plain_mlp`` build the
MNIST-1D paper's small models (chapter 17).

Training (chapters 07-17) is one family of two loops that share one step:

* ``train(model, optimizer, x_train, t_train, x_test, t_test, epochs, ...)``:
  epochs of shuffled minibatches of one labelled data set, with the train and
  test loss and accuracy after every epoch (chapters 07-11, 17);
* ``train_steps(model, optimizer, batches, steps, clip=None, eval_every=None,
  evaluate=None, ...)``: a number of steps over any stream of minibatches
  (``shuffled_batches``, ``ordered_batches``, a generator, or a callable that
  makes fresh data every step), with optional gradient clipping, weight decay,
  a learning-rate schedule, evaluations every ``eval_every`` steps and early
  stopping (chapters 11-17: autoencoders, CNNs, RNNs, seq2seq, attention,
  MNIST-1D).

Both run with one BLAS thread (threadpoolctl) and can show a ``tqdm.auto``
progress bar. A ``train_steps`` history holds ``"batch_loss"`` (every step),
``"grad_norm"`` (every step, when clipping), ``"eval_step"`` and one list per
value ``evaluate`` names; ``train`` returns ``"train_loss"``, ``"train_acc"``,
``"test_loss"``, ``"test_acc"`` (per epoch) and ``"batch_loss"``.

A model that ``train_steps`` can train has::

    model.params, model.grads     lists of arrays (the layer contract), same order
    model.loss(*batch)            the mean loss of a minibatch (a number), training mode
    model.backward()              gradients of that loss into model.grads

``train`` calls ``model.loss(x, t, train=True)`` in the steps,
``model.loss(x, t, train=False)`` to evaluate, and ``model.predict(x)`` (logits)
for the accuracy. Every model of the course follows this: ``MLP``,
``cnn.SimpleCNN``, ``seq2seq.Seq2Seq``, ``attention.AttentionSeq2Seq`` and
``TransformerEncoder``, the recurrent classifiers of chapters 13-14,
``Autoencoder`` and ``autoencoders.VAE`` (``loss(x)``).

Importing this module pulls in numpy only; the loops import tqdm and
threadpoolctl when they run.
"""
from __future__ import annotations

import inspect
import itertools
import numbers

import numpy as np

from dlcourse import layers as L
from dlcourse import optim
from dlcourse.layers import Sequential

__all__ = [
    "Sequential", "Classifier", "MLP", "Autoencoder", "n_params", "logistic", "residual_mlp", "plain_mlp",
    "predict", "accuracy",
    "train", "train_steps", "shuffled_batches", "ordered_batches", "window_means", "HISTORY_KEYS",
]


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


# --- the training loops ------------------------------------------------------------------
#
# ``train`` (epochs over one labelled data set) and ``train_steps`` (a number of steps
# over any stream of minibatches) share one loop, ``_run``, and one step, ``_step``.

HISTORY_KEYS = ("batch_loss", "grad_norm", "eval_step")
"""The keys every ``train_steps`` history has; ``evaluate``'s names are added beside them."""


def shuffled_batches(arrays, batch_size, rng):
    """Minibatches of the rows of ``arrays``, reshuffled every epoch, without end.

    Parameters
    ----------
    arrays : tuple of ndarray, each with N rows, or a callable returning one
        The data, e.g. ``(x, t)``. A callable is called at the start of every
        epoch, before the shuffle (data augmentation: fresh random shifts of
        the images each epoch).
    batch_size : int
        B, rows per batch; the last batch of an epoch has ``N - B·(⌈N/B⌉ - 1)``.
    rng : numpy.random.Generator or int or None
        Draws one ``permutation(N)`` at the start of every epoch.

    Returns
    -------
    iterator of tuples of ndarray
        ``(x[idx], t[idx], ...)``, the arguments of ``model.loss``.

    Notes
    -----
    Nothing is drawn ahead: epoch k's permutation is drawn when its first
    batch is asked for, so a loop that stops after k epochs leaves ``rng``
    exactly where a hand-written ``for epoch: order = rng.permutation(N)``
    loop would.
    """
    B = _batch_size("shuffled_batches", batch_size)
    rng = np.random.default_rng(rng)

    def stream():
        while True:
            data = tuple(arrays() if callable(arrays) else arrays)
            order = rng.permutation(len(data[0]))
            for start in range(0, len(order), B):
                idx = order[start:start + B]
                yield tuple(a[idx] for a in data)

    return stream()


def ordered_batches(arrays, batch_size):
    """Minibatches taken in order, without shuffling, wrapping around without end.

    Step s (from 0) uses rows ``[(s·B) mod N, (s·B) mod N + B)`` (fewer at the
    end of the data when B does not divide N): the MNIST-1D paper's protocol.

    Parameters
    ----------
    arrays : tuple of ndarray, each with N rows
    batch_size : int

    Returns
    -------
    iterator of tuples of ndarray
    """
    B = _batch_size("ordered_batches", batch_size)
    arrays = tuple(arrays)
    N = len(arrays[0])

    def stream():
        for s in itertools.count():
            start = (s * B) % N
            yield tuple(a[start:start + B] for a in arrays)

    return stream()


def _batch_size(where, batch_size):
    if not _whole(batch_size) or batch_size < 1:
        raise ValueError(f"{where}: expected batch_size >= 1 (an integer), got {batch_size!r}")
    return int(batch_size)


def window_means(values, ends):
    """Means of ``values`` over consecutive windows ending at ``ends``.

    Parameters
    ----------
    values : list of float, e.g. a history's ``"batch_loss"`` (one per step)
    ends : increasing ints > 0, e.g. its ``"eval_step"``

    Returns
    -------
    list of float
        ``mean(values[e_{k-1}:e_k])`` for each ``e_k`` (with e_0 = 0): the mean
        training loss since the previous evaluation, or over each epoch.
    """
    ends = [int(e) for e in ends]
    return [float(np.mean(values[a:b])) for a, b in zip([0] + ends[:-1], ends)]


def _step(model, optimizer, batch, weight_decay=0.0, clip=None, loss_kwargs=None):
    """One training step on one minibatch: loss, backward, weight decay, clipping, update.

    Returns the loss (a float) and the global gradient norm before clipping
    (None without ``clip``). Weight decay adds λ·W to the gradient of every
    parameter with two or more axes, in place; the clip then scales all
    gradients together (``rnn.clip_grads``).
    """
    loss = model.loss(*batch, **(loss_kwargs or {}))
    model.backward()
    grads = model.grads
    if weight_decay:
        for p, g in zip(model.params, grads):
            if p.ndim >= 2:
                g += weight_decay * p
    norm = None
    if clip is not None:
        from dlcourse.rnn import clip_grads

        norm = clip_grads(grads, clip)
    optimizer.update(model.params, grads)
    return float(loss), norm


def _run(model, optimizer, next_batch, steps, clip=None, eval_every=None, evaluate=None,
         eval_first=False, callback=None, schedule=None, weight_decay=0.0, progress=False,
         threads=1, desc="steps", loss_kwargs=None):
    """The loop of ``train`` and ``train_steps`` (arguments already checked); returns the history."""
    import contextlib

    from threadpoolctl import threadpool_limits
    from tqdm.auto import tqdm

    history = {key: [] for key in HISTORY_KEYS}
    checkpoints = evaluate is not None or callback is not None

    def checkpoint(step):
        """Evaluate after ``step`` steps; True when ``callback`` asks to stop."""
        history["eval_step"].append(step)
        if evaluate is not None:
            values = evaluate(model)
            if not isinstance(values, dict):
                raise TypeError(f"train_steps: expected evaluate(model) to return a dict of named "
                                f"values, got {type(values).__name__}")
            for key, value in values.items():
                if key in HISTORY_KEYS:
                    raise ValueError(f"train_steps: evaluate returned the name {key!r}, which the "
                                     f"history uses for itself ({', '.join(HISTORY_KEYS)})")
                history.setdefault(key, []).append(value)
            if progress and values:
                bar.set_postfix({k: f"{v:.4g}" for k, v in values.items()
                                 if isinstance(v, numbers.Real)}, refresh=False)
        return callback is not None and bool(callback(step, history))

    limit = contextlib.nullcontext() if threads is None else threadpool_limits(limits=threads)
    with limit, tqdm(total=steps, disable=not progress, desc=desc) as bar:
        if checkpoints and eval_first and checkpoint(0):
            return history
        for step in range(steps):
            batch = next_batch(step)
            if schedule is not None:
                optimizer.lr = schedule(step)
            loss, norm = _step(model, optimizer, batch, weight_decay, clip, loss_kwargs)
            history["batch_loss"].append(loss)
            if norm is not None:
                history["grad_norm"].append(norm)
            bar.update(1)
            done = step + 1
            if checkpoints and ((eval_every and done % eval_every == 0) or done == steps):
                if checkpoint(done):
                    break
    return history


def _check_model(where, model):
    missing = [name for name in ("params", "grads", "loss", "backward") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"{where}: expected a model with params, grads, loss and backward, "
                        f"got {type(model).__name__} (missing: {', '.join(missing)})")


def _check_optimizer(where, optimizer):
    if isinstance(optimizer, str):
        return optim.get_optimizer(optimizer)
    if not callable(getattr(optimizer, "update", None)):
        raise TypeError(f"{where}: expected an optimiser with update(params, grads) or a name "
                        f"({', '.join(optim.OPTIMIZERS)}), got {type(optimizer).__name__}")
    return optimizer


def _whole(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _batch_source(batches, steps):
    """``next_batch(step)`` from a callable ``batches(step)`` or an iterable of batches."""
    if callable(batches) and not hasattr(batches, "__next__"):
        get = batches
    else:
        try:
            it = iter(batches)
        except TypeError:
            raise TypeError(f"train_steps: expected batches to be an iterable of batches or a "
                            f"callable batches(step), got {type(batches).__name__}") from None

        def get(step):
            try:
                return next(it)
            except StopIteration:
                raise ValueError(f"train_steps: batches ran out after {step} of {steps} steps") from None

    def next_batch(step):
        batch = get(step)
        if not isinstance(batch, (tuple, list)):
            raise TypeError(f"train_steps: expected each batch to be a tuple of arguments for "
                            f"model.loss, e.g. (x, t) or (x,), got {type(batch).__name__}")
        return batch

    return next_batch


def train_steps(model, optimizer, batches, steps, clip=None, eval_every=None, evaluate=None,
                eval_first=False, callback=None, schedule=None, weight_decay=0.0, progress=False,
                threads=1, desc="steps"):
    """Train for a number of steps on a stream of minibatches; returns the history.

    Every step calls ``model.loss(*batch)`` on the next minibatch, then
    ``model.backward()``, adds weight decay, clips the gradients and lets the
    optimiser update ``model.params`` in place.

    Parameters
    ----------
    model : any model with ``params``, ``grads``, ``loss(*batch)``, ``backward()``
        (see the module docstring).
    optimizer : optimiser object, or a name for ``optim.get_optimizer`` (its defaults)
    batches : iterable of tuples, or callable ``batches(step) -> tuple``
        The minibatches, each a tuple of the arguments of ``model.loss``:
        ``(x, t)``, ``(x,)`` for an autoencoder, ``(tree_batch,)``. An
        iterable is read once per step (``shuffled_batches``,
        ``ordered_batches`` or any generator; it must hold ``steps`` batches);
        a callable is called with the step number 0, 1, ... (fresh data per
        step, e.g. a task generator).
    steps : int
        Number of updates (unless ``callback`` stops earlier).
    clip : float or None
        Largest global gradient norm: when the norm of all gradients together
        exceeds it, every gradient is scaled by the same factor
        (``rnn.clip_grads``). None: no clipping.
    eval_every : int or None
        Evaluate after every ``eval_every`` steps, and after the last step.
        None: only after the last step. Without ``evaluate`` and ``callback``
        there is nothing to do at an evaluation, and none is recorded.
    evaluate : callable or None
        ``evaluate(model) -> dict`` of named values (floats, arrays); each
        name gets a list in the history, one entry per evaluation.
    eval_first : bool
        Also evaluate before the first step (recorded as step 0).
    callback : callable or None
        ``callback(step, history)`` at every evaluation, after ``evaluate``;
        a true return value ends training there.
    schedule : callable or None
        ``schedule(step) -> learning rate`` for step ``step`` (0-based), set
        as ``optimizer.lr`` before the step.
    weight_decay : float
        L2 strength λ: adds λ·W to the gradient of every parameter with two
        or more axes (the weights; not biases), before clipping.
    progress : bool
        Show a ``tqdm.auto`` bar over the steps (off by default), with the
        latest evaluated numbers.
    threads : int or None
        BLAS threads during training (threadpoolctl); None leaves them alone.
    desc : str
        The progress bar's label.

    Returns
    -------
    dict of lists
        ``"batch_loss"``: the loss of every step (before its update);
        ``"grad_norm"``: the global gradient norm of every step before
        clipping (empty without ``clip``); ``"eval_step"``: the number of
        steps done at each evaluation (0 = before training); and one list per
        name that ``evaluate`` returns, aligned with ``"eval_step"``.

    Notes
    -----
    The order inside one step is fixed: next batch, ``schedule``, loss,
    backward, weight decay (``g += λ·W``), clip, update, then an evaluation
    when one is due. Nothing random is drawn by the loop itself, so a model
    trained here and one trained by the same hand-written loop end with the
    same parameters, bit for bit (tests/test_models.py checks it).
    """
    where = "train_steps"
    _check_model(where, model)
    optimizer = _check_optimizer(where, optimizer)
    if not _whole(steps) or steps < 0:
        raise ValueError(f"{where}: expected steps >= 0 (an integer), got {steps!r}")
    if clip is not None and not (isinstance(clip, numbers.Real) and clip > 0):
        raise ValueError(f"{where}: expected clip > 0 (the largest gradient norm) or None, got {clip!r}")
    if eval_every is not None and (not _whole(eval_every) or eval_every < 1):
        raise ValueError(f"{where}: expected eval_every >= 1 (an integer) or None, got {eval_every!r}")
    for name, f in (("evaluate", evaluate), ("callback", callback), ("schedule", schedule)):
        if f is not None and not callable(f):
            raise TypeError(f"{where}: expected {name} to be callable or None, got {type(f).__name__}")
    if not (isinstance(weight_decay, numbers.Real) and weight_decay >= 0):
        raise ValueError(f"{where}: expected weight_decay >= 0, got {weight_decay!r}")
    if threads is not None and (not _whole(threads) or threads < 1):
        raise ValueError(f"{where}: expected threads >= 1 (an integer) or None, got {threads!r}")
    return _run(model, optimizer, _batch_source(batches, int(steps)), int(steps), clip, eval_every,
                evaluate, eval_first, callback, schedule, weight_decay, progress, threads, desc)


def train(model, optimizer, x_train, t_train, x_test=None, t_test=None, epochs=10,
          batch_size=100, rng=None, progress=True, weight_decay=0.0):
    """Minibatch training for a number of epochs; returns the learning curves.

    Parameters
    ----------
    model : MLP or any model with ``params``, ``grads``, ``loss(x, t, train=...)``,
        ``backward()`` and ``predict(x)``
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
        Show a ``tqdm`` progress bar over the steps.
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
    ``train`` is ``train_steps`` over ``shuffled_batches((x_train, t_train),
    batch_size, rng)`` for ``epochs · ⌈N / batch_size⌉`` steps, evaluated at
    the end of every epoch, with ``model.loss(x, t, train=True)`` in the
    steps. The loop runs with one BLAS thread: for the small matrices of this
    course that is several times faster on a 2-core machine.
    """
    where = "train"
    _check_model(where, model)
    optimizer = _check_optimizer(where, optimizer)
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
    if N < 1:
        raise ValueError("train: expected at least one training sample, got 0")
    per_epoch = -(-N // int(batch_size))

    def evaluate(model):
        values = {"train_loss": float(model.loss(x_train, t_train, train=False)),
                  "train_acc": accuracy(model, x_train, t_train)}
        if x_test is not None:
            values["test_loss"] = float(model.loss(x_test, t_test, train=False))
            values["test_acc"] = accuracy(model, x_test, t_test)
        return values

    batches = shuffled_batches((x_train, t_train), int(batch_size), rng)
    history = _run(model, optimizer, lambda step: next(batches), int(epochs) * per_epoch,
                   eval_every=per_epoch, evaluate=evaluate, weight_decay=weight_decay,
                   progress=progress, desc="steps", loss_kwargs={"train": True})
    return {key: history.get(key, []) for key in
            ("train_loss", "train_acc", "test_loss", "test_acc", "batch_loss")}
