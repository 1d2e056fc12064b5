"""Sequence to sequence: an LSTM encoder, an LSTM decoder, greedy and sampled generation.

The **encoder** reads the question ids ``xs`` (N, T) through an embedding and
an LSTM and keeps only its last hidden state ``h`` (N, H): the *thought
vector* (seed 004). The **decoder** starts its own LSTM from ``h`` and
predicts the answer one character at a time. In training it reads the true
answer shifted by one (teacher forcing): given ``ts`` (N, Ta) starting with the
start id, it reads ``ts[:, :-1]`` and is scored on ``ts[:, 1:]``. When
generating, it reads its own previous output instead, picked greedily
(argmax) or sampled from the softmax at a temperature.

The **peeky** decoder (Deep Learning from Scratch 2, ch. 7) hands ``h`` to
every decoder step, concatenated with the LSTM input and with the affine
layer's input, instead of only as the initial state.

Models follow the layer contract (``params``, ``grads``, ``loss``,
``backward``), so :mod:`dlcourse.optim` optimisers update them; :func:`fit`
is the training loop with gradient clipping (:func:`dlcourse.rnn.clip_grads`)
and exact-match accuracy.

Chapter 15 uses this module; chapter 16's attention model builds on
:class:`Encoder`. Seeds: 004 (Encoder RNN, thought vector, Decoder RNN,
sampling), 003 §9.5 (Encoder-Decoder, Sutskever et al. 2014).
"""
from __future__ import annotations

import numpy as np

from dlcourse import functions as F
from dlcourse import optim, rnn
from dlcourse.validation import check_range

__all__ = [
    "Encoder", "Decoder", "PeekyDecoder", "Seq2Seq", "PeekySeq2Seq",
    "embedding_layer", "output_layer", "sample_ids", "exact_match", "fit",
]


def embedding_layer(V, D, rng, dtype=np.float64):
    """The token embedding of every encoder and decoder here: a (V, D) table of 0.01·N(0, 1).

    Parameters
    ----------
    V, D : int
        Vocabulary and embedding sizes.
    rng : numpy.random.Generator
    dtype : numpy dtype

    Returns
    -------
    dlcourse.rnn.TimeEmbedding
        ids (N, T) -> vectors (N, T, D).
    """
    return rnn.TimeEmbedding((0.01 * rng.standard_normal((V, D))).astype(dtype))


def output_layer(H, V, rng, dtype=np.float64):
    """The decoders' scores over the vocabulary: ``TimeAffine`` (H, V), Xavier weights, zero biases.

    Parameters
    ----------
    H : int
        Size of what the layer reads at each step (2H for a peeky or attention decoder).
    V : int
        Vocabulary size.
    rng : numpy.random.Generator
    dtype : numpy dtype

    Returns
    -------
    dlcourse.rnn.TimeAffine
        (N, T, H) -> scores (N, T, V).
    """
    return rnn.TimeAffine(optim.scaled_normal((H, V), rng, dtype=dtype), np.zeros(V, dtype=dtype))


def sample_ids(scores, temperature=None, rng=None):
    """Pick one id per row of ``scores``: argmax, or a draw from softmax(scores / temperature).

    Parameters
    ----------
    scores : ndarray, shape (N, V)
        Unnormalised scores (logits) of the next token.
    temperature : float or None
        None or 0: greedy, the argmax. Otherwise sample from
        ``softmax(scores / temperature)``: below 1 sharper, above 1 flatter.
    rng : numpy.random.Generator or int or None
        Source of the uniform numbers when sampling.

    Returns
    -------
    ids : ndarray of int64, shape (N,)
    """
    scores = np.asarray(scores, dtype=np.float64)
    if not temperature:
        return scores.argmax(axis=1)
    check_range("sample_ids", "temperature", temperature, 0.0, np.inf)
    p = F.softmax(scores / temperature)                                  # (N, V)
    u = np.random.default_rng(rng).random((scores.shape[0], 1))          # (N, 1)
    ids = (np.cumsum(p, axis=1) < u).sum(axis=1)                         # inverse CDF
    return np.minimum(ids, scores.shape[1] - 1)


class Encoder:
    """Embedding -> LSTM; the last hidden state summarises the input sequence.

    Parameters
    ----------
    V : int
        Vocabulary size.
    D : int
        Embedding size ("word vector" size).
    H : int
        Hidden size of the LSTM.
    rng : numpy.random.Generator or int or None
        Initial weights: embedding 0.01·N(0, 1), LSTM from
        :func:`dlcourse.rnn.init_recurrent`.
    dtype : numpy dtype
        float64 (default, for gradient checks) or float32 (faster training).

    Attributes
    ----------
    hs : ndarray (N, T, H)
        Every hidden state of the last forward (an attention decoder reads them).
    """

    def __init__(self, V, D, H, rng=None, dtype=np.float64):
        rng = np.random.default_rng(rng)
        self.embed = embedding_layer(V, D, rng, dtype)
        self.lstm = rnn.TimeLSTM(*rnn.init_recurrent("lstm", D, H, rng, dtype))
        self.params = self.embed.params + self.lstm.params
        self.grads = self.embed.grads + self.lstm.grads
        self.hs = None

    def forward(self, xs):
        """Encode ids ``xs`` (N, T) into the thought vector ``h`` (N, H).

        Notes
        -----
        ``h = hs[:, -1]``, the LSTM's state after the last input (seed 004:
        the final state is the thought vector).
        """
        self.hs = self.lstm.forward(self.embed.forward(xs))              # (N, T, H)
        return self.hs[:, -1]

    def backward(self, dh, dhs=None):
        """Back-propagate ``dh`` (N, H), the gradient of the thought vector.

        ``dhs`` (N, T, H), optional: gradients of every hidden state (from an
        attention layer). Fills ``grads``; returns None (ids have no gradient).
        """
        if dhs is None:
            dhs = np.zeros_like(self.hs)
        dout = self.lstm.backward(dhs, dh=dh)                            # (N, T, D)
        self.embed.backward(dout)
        return None


class Decoder:
    """Embedding -> LSTM started from the encoder's h -> affine scores over the vocabulary.

    Parameters
    ----------
    V, D, H : int
        Vocabulary, embedding and hidden sizes (H equal to the encoder's).
    rng, dtype : as :class:`Encoder`.
    """

    def __init__(self, V, D, H, rng=None, dtype=np.float64):
        rng = np.random.default_rng(rng)
        self.embed = embedding_layer(V, D, rng, dtype)
        self.lstm = rnn.TimeLSTM(*rnn.init_recurrent("lstm", self._lstm_input(D, H), H, rng, dtype))
        self.affine = output_layer(self._affine_input(H), V, rng, dtype)
        self.params = self.embed.params + self.lstm.params + self.affine.params
        self.grads = self.embed.grads + self.lstm.grads + self.affine.grads

    @staticmethod
    def _lstm_input(D, H):
        return D

    @staticmethod
    def _affine_input(H):
        return H

    def forward(self, xs, h):
        """Scores of the next id at every step, reading ``xs`` (N, T) from state ``h`` (N, H).

        Returns
        -------
        scores : ndarray (N, T, V)
        """
        return self._scores(xs, h, (h, None))

    def _scores(self, xs, h, state):
        """Scores (N, T, V) for ids ``xs`` (N, T), the LSTM starting from ``state`` = (h, c)."""
        self.lstm.set_state(*state)
        hs = self.lstm.forward(self.embed.forward(xs))                   # (N, T, H)
        return self.affine.forward(hs)

    def backward(self, dscores):
        """``dscores`` (N, T, V) -> ``dh`` (N, H), the gradient of the initial state."""
        dout = self.lstm.backward(self.affine.backward(dscores))        # (N, T, D)
        self.embed.backward(dout)
        return self.lstm.dh

    def generate(self, h, start_id, length, temperature=None, rng=None):
        """Generate ``length`` ids from state ``h`` (N, H), feeding each output back in.

        Parameters
        ----------
        h : ndarray (N, H)
        start_id : int or ndarray of int (N,)
            The first input (the start character).
        length : int
            Number of ids to generate.
        temperature : float or None
            None or 0 for greedy decoding, else sampling (see :func:`sample_ids`).
        rng : numpy.random.Generator or int or None

        Returns
        -------
        ids : ndarray of int64 (N, length)
        """
        N = h.shape[0]
        rng = np.random.default_rng(rng)
        x = np.broadcast_to(np.asarray(start_id, dtype=np.int64), (N,)).reshape(N, 1)
        state, out = (h, None), np.empty((N, int(length)), dtype=np.int64)
        for t in range(int(length)):
            scores = self._scores(x, h, state)[:, 0]                      # (N, V)
            state = (self.lstm.h, self.lstm.c)
            x = sample_ids(scores, temperature, rng).reshape(N, 1)
            out[:, t] = x[:, 0]
        return out


class PeekyDecoder(Decoder):
    """A decoder that sees the thought vector ``h`` at every step ("peeky").

    The LSTM reads ``[h, embed(x_t)]`` (H + D) and the affine layer reads
    ``[h, h_t]`` (2H), besides the LSTM starting from ``h``.
    """

    @staticmethod
    def _lstm_input(D, H):
        return H + D

    @staticmethod
    def _affine_input(H):
        return 2 * H

    def _scores(self, xs, h, state):
        N, T = xs.shape
        H = self.H = h.shape[1]
        hr = np.broadcast_to(h[:, None, :], (N, T, H))                   # (N, T, H) h at every step
        self.lstm.set_state(*state)
        hs = self.lstm.forward(np.concatenate([hr, self.embed.forward(xs)], axis=2))  # (N, T, H)
        return self.affine.forward(np.concatenate([hr, hs], axis=2))    # (N, T, V)

    def backward(self, dscores):
        """``dscores`` (N, T, V) -> ``dh`` (N, H): the initial state's gradient plus every step's peek."""
        H = self.H
        dcat = self.affine.backward(dscores)                             # (N, T, 2H)
        dx = self.lstm.backward(dcat[:, :, H:])                          # (N, T, H + D)
        self.embed.backward(dx[:, :, H:])
        # h reached the output three ways: the LSTM's initial state, and every
        # step of both concatenations
        return self.lstm.dh + dcat[:, :, :H].sum(axis=1) + dx[:, :, :H].sum(axis=1)


class Seq2Seq:
    """Encoder + decoder, trained with teacher forcing.

    Parameters
    ----------
    V : int
        Vocabulary size (questions and answers share one vocabulary).
    D : int
        Embedding size (16 in the textbook's addition experiment).
    H : int
        Hidden size (128 in the textbook).
    rng : numpy.random.Generator or int or None
    dtype : numpy dtype
        float64 (default) or float32.
    peeky : bool
        Use a :class:`PeekyDecoder`.

    Notes
    -----
    ``loss(xs, ts)`` encodes ``xs`` (N, Tq), decodes ``ts[:, :-1]`` from the
    thought vector and returns the mean softmax cross-entropy against
    ``ts[:, 1:]`` over all N·(Ta − 1) positions. ``backward()`` fills
    ``grads``: the decoder's ``dh`` flows into the encoder's last state.
    """

    decoder_class = Decoder

    def __init__(self, V, D, H, rng=None, dtype=np.float64, peeky=False):
        rng = np.random.default_rng(rng)
        self.encoder = Encoder(V, D, H, rng, dtype)
        self.decoder = (PeekyDecoder if peeky else self.decoder_class)(V, D, H, rng, dtype)
        self.softmax = rnn.TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads

    @property
    def peeky(self):
        return isinstance(self.decoder, PeekyDecoder)

    def forward(self, xs, ts):
        """Scores (N, Ta − 1, V) of the teacher-forced decoder."""
        xs, ts = np.asarray(xs), np.asarray(ts)
        if xs.ndim != 2 or ts.ndim != 2 or ts.shape[0] != xs.shape[0] or ts.shape[1] < 2:
            raise ValueError(f"Seq2Seq: expected xs (N, Tq) and ts (N, Ta) with Ta >= 2, "
                             f"got {xs.shape} and {ts.shape}")
        return self.decoder.forward(ts[:, :-1], self.encoder.forward(xs))

    def loss(self, xs, ts, train=True):
        """Mean cross-entropy of predicting ``ts[:, 1:]`` from ``xs`` (N, Tq) and ``ts[:, :-1]``.

        ``train`` is accepted for the ``models.train`` interface and ignored.
        """
        return self.softmax.forward(self.forward(xs, ts), np.asarray(ts)[:, 1:])

    def backward(self, dout=1.0):
        """Back-propagate the last loss; fills ``grads``."""
        dh = self.decoder.backward(self.softmax.backward(dout))
        self.encoder.backward(dh)

    def generate(self, xs, start_id, length, temperature=None, rng=None):
        """Answer ids (N, length) for questions ``xs`` (N, Tq), greedy or sampled.

        See :meth:`Decoder.generate` for the arguments.
        """
        h = self.encoder.forward(np.asarray(xs))
        return self.decoder.generate(h, start_id, length, temperature, rng)


class PeekySeq2Seq(Seq2Seq):
    """:class:`Seq2Seq` with a :class:`PeekyDecoder`."""

    def __init__(self, V, D, H, rng=None, dtype=np.float64):
        super().__init__(V, D, H, rng, dtype, peeky=True)


def exact_match(model, xs, ts, batch_size=1000, return_ids=False):
    """Fraction of questions whose whole greedy answer is right.

    Parameters
    ----------
    model : Seq2Seq (or anything with ``generate``)
    xs : ndarray of int (N, Tq)
    ts : ndarray of int (N, Ta)
        ``ts[:, 0]`` is the start id; the answer is ``ts[:, 1:]``.
    return_ids : bool
        Also return the generated ids (N, Ta − 1).

    Returns
    -------
    float in [0, 1] (and ids when asked)
    """
    xs, ts = np.asarray(xs), np.asarray(ts)
    ids = np.concatenate([model.generate(xs[k:k + batch_size], ts[k:k + batch_size, 0],
                                         ts.shape[1] - 1)
                          for k in range(0, len(xs), batch_size)]) if len(xs) else ts[:, 1:]
    acc = float(np.mean(np.all(ids == ts[:, 1:], axis=1))) if len(xs) else 0.0
    return (acc, ids) if return_ids else acc


def fit(model, x_train, t_train, x_test=None, t_test=None, epochs=1, batch_size=128,
        optimizer=None, max_grad=5.0, rng=0, progress=False, callback=None):
    """Train a sequence model with minibatches and gradient clipping.

    Parameters
    ----------
    model : Seq2Seq or any model with params, grads, loss(xs, ts), backward()
    x_train : ndarray of int (N, Tq)
    t_train : ndarray of int (N, Ta)
    x_test, t_test : optional, evaluated (exact match) after every epoch
    epochs, batch_size : int
    optimizer : optimiser object; default ``optim.Adam(lr=1e-3)``
    max_grad : float or None
        Global gradient-norm clip (:func:`dlcourse.rnn.clip_grads`); None for none.
    rng : numpy.random.Generator or int
        Shuffles the training set every epoch.
    progress : bool
        Show a ``tqdm`` bar over the steps.
    callback : callable or None
        ``callback(epoch, history)`` after each epoch.

    Returns
    -------
    dict of lists
        ``"loss"`` (mean training loss of each epoch), ``"test_acc"`` (exact
        match after each epoch, when a test set is given), ``"grad_norm"``
        (mean norm before clipping, per epoch).

    Notes
    -----
    The loop is :func:`dlcourse.models.train_steps` over
    ``models.shuffled_batches((x_train, t_train), batch_size, rng)``,
    evaluated at the end of every epoch; this function sums its per-step
    history up per epoch.
    """
    from dlcourse import models, optim

    optimizer = optim.Adam(lr=1e-3) if optimizer is None else optimizer
    x_train, t_train = np.asarray(x_train), np.asarray(t_train)
    per_epoch = -(-len(x_train) // int(batch_size))
    history = {"loss": [], "test_acc": [], "grad_norm": []}

    def end_of_epoch(step, steps_history):
        epoch = len(history["loss"])
        window = slice(epoch * per_epoch, step)
        norms = steps_history["grad_norm"][window]
        history["loss"].append(float(np.mean(steps_history["batch_loss"][window])))
        history["grad_norm"].append(float(np.mean(norms)) if norms else float("nan"))
        if x_test is not None:
            history["test_acc"].append(steps_history["test_acc"][-1])
        if callback is not None:
            callback(epoch, history)

    def test_accuracy(model):
        return {"test_acc": exact_match(model, x_test, t_test)}

    models.train_steps(model, optimizer, models.shuffled_batches((x_train, t_train), batch_size, rng),
                       int(epochs) * per_epoch, clip=max_grad, eval_every=per_epoch,
                       evaluate=None if x_test is None else test_accuracy, callback=end_of_epoch,
                       progress=progress)
    return history
