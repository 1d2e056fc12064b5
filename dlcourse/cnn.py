"""Convolutional networks: im2col, convolution and pooling layers, a small CNN (chapter 12).

The layers follow the contract of DESIGN.md (``params``, ``grads``,
``forward``, ``backward``), on images of shape (N, C, H, W):

* :class:`Conv2D` ``(W, b, stride=1, pad=0)``, ``W`` of shape (FN, C, FH, FW),
  and :class:`Conv1D` for sequences (N, C, L), as MNIST-1D needs;
* :class:`MaxPool2D` and :class:`AvgPool2D` ``(pool_h, pool_w, stride=None, pad=0)``;
* :class:`Flatten` and :class:`Reshape` (bookkeeping between conv and dense layers);
* :class:`BatchNorm2D`: batch normalisation with one mean and variance per
  *channel*, over N, H and W. (The textbook normalises every one of the
  C·H·W positions on its own, which is not what a conv net needs.)

:func:`im2col` turns every window a filter sees into one row of a matrix, so a
convolution becomes one matrix product; :func:`col2im` adds such rows back
into an image (the backward pass). Both are vectorised: ``im2col`` is one
strided view and one copy; ``col2im`` loops over the FH·FW offsets inside a
window, each step adding all N·C·OH·OW values at once.
:func:`im2col_loop`, :func:`col2im_loop` (the textbook version) and
:func:`conv2d_naive` (a loop over output positions) are the slow references
the tests and the benchmark compare against.

Output size along one axis (H, kernel FH, padding P, stride S)::

    OH = (H + 2 P - FH) // S + 1

Models: :class:`SimpleCNN` (conv -> ReLU -> pool blocks, then dense layers)
and :func:`mnist1d_cnn` (the 1-D CNN of the MNIST-1D paper). Both are
:class:`Classifier` objects that ``dlcourse.models.train`` can train.
:data:`FILTERS` and :func:`filter2d` apply classic 3x3 filters to a picture.

Seeds: 003 §9.4 (convolution as an image filter: the 1/9 mean filter and the
vertical edge filter [-1, 0, 1]; pooling; batch normalisation; transfer
learning), 001 §7.3.3 (1/3) (conv and pooling repeated, then dense layers),
000 p.31 (a CNN looks at neighbouring inputs).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcourse import layers as L
from dlcourse import models
from dlcourse import optim
from dlcourse.validation import as_float, check_choice, check_dout, check_int, check_shape, pair

__all__ = [
    "conv_output_size", "im2col", "col2im", "im2col_loop", "col2im_loop", "conv2d_naive",
    "Conv2D", "Conv1D", "MaxPool2D", "AvgPool2D", "Flatten", "Reshape", "BatchNorm2D",
    "Classifier", "SimpleCNN", "mnist1d_cnn", "conv_weights", "FILTERS", "filter2d",
]


# --- shapes ------------------------------------------------------------------------------

def conv_output_size(size, kernel, stride=1, pad=0, where="conv_output_size"):
    """Number of positions a kernel takes along one axis.

    Parameters
    ----------
    size : int
        Input length along the axis (H or W).
    kernel : int
        Kernel length along the axis (FH or FW).
    stride : int
        Step between positions, >= 1.
    pad : int
        Zeros added at each end, >= 0.

    Returns
    -------
    int
        ``(size + 2 pad - kernel) // stride + 1``.

    Raises
    ------
    ValueError
        If the padded input is smaller than the kernel (no position fits),
        or the stride is < 1.
    """
    if int(stride) != stride or stride < 1:
        raise ValueError(f"{where}: expected a stride >= 1, got {stride!r}")
    if size + 2 * pad < kernel:
        raise ValueError(f"{where}: the input ({size} + 2·pad {pad} = {size + 2 * pad}) is "
                         f"smaller than the kernel ({kernel}); expected an input of at least "
                         f"{kernel - 2 * pad}")
    return (size + 2 * pad - kernel) // stride + 1


def _out_hw(x_shape, FH, FW, stride, pad, where):
    """(OH, OW) for an input (N, C, H, W) and a kernel FH x FW."""
    if len(x_shape) != 4:
        raise ValueError(f"{where}: expected x of shape (N, C, H, W), got {tuple(x_shape)}")
    (sh, sw), (ph, pw) = stride, pad
    if sh < 1 or sw < 1:
        raise ValueError(f"{where}: expected a stride >= 1, got {(sh, sw)}")
    H, W = x_shape[2:]
    if H + 2 * ph < FH or W + 2 * pw < FW:
        raise ValueError(f"{where}: input of height x width {H}x{W} (padded "
                         f"{H + 2 * ph}x{W + 2 * pw}) is smaller than the kernel {FH}x{FW}")
    return (H + 2 * ph - FH) // sh + 1, (W + 2 * pw - FW) // sw + 1


def _padded(x, pad, fill=0.0):
    ph, pw = pad
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)


def _windows(x, FH, FW, stride, pad, fill=0.0):
    """Strided view (N, C, OH, OW, FH, FW) of every window of the padded x (no copy yet)."""
    sh, sw = stride
    v = sliding_window_view(_padded(x, pad, fill), (FH, FW), axis=(2, 3))  # (N, C, H', W', FH, FW)
    return v[:, :, ::sh, ::sw]


def _fold(patch, shape, FH, FW, stride, OH, OW, dtype):
    """Sum windows back into an image: the adjoint of :func:`_windows`.

    ``patch(i, j)`` gives the values at offset (i, j) of every window, shape
    (..., OH, OW); they are added at rows i, i + sh, ... and columns
    j, j + sw, ... of ``zeros(shape)``. One step per offset, each vectorised
    over all windows; windows that overlap (stride < kernel) add up.
    """
    sh, sw = stride
    out = np.zeros(shape, dtype=dtype)
    for i in range(FH):
        for j in range(FW):
            out[..., i:i + sh * OH:sh, j:j + sw * OW:sw] += patch(i, j)
    return out


# --- im2col and col2im ---------------------------------------------------------------------

def im2col(x, FH, FW, stride=1, pad=0):
    """Every FH x FW window of a batch of images as one row of a matrix.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    FH, FW : int
        Window (kernel) height and width.
    stride : int or (int, int)
    pad : int or (int, int)
        Zeros added on each side of H and W.

    Returns
    -------
    col : ndarray, shape (N·OH·OW, C·FH·FW)
        Row ``(n·OH + oh)·OW + ow`` holds the window whose top-left corner is
        at (oh·S, ow·S) of the padded image n, flattened in (C, FH, FW) order.
        A filter bank W (FN, C, FH, FW) then convolves with one product:
        ``col @ W.reshape(FN, -1).T`` is (N·OH·OW, FN).

    Notes
    -----
    One strided view (``sliding_window_view``) and one copy; no Python loop.
    The result is the transpose of a C-contiguous (C·FH·FW, N·OH·OW) array:
    that memory order makes the copy fast (long contiguous runs along OW)
    and lets :class:`Conv2D` do each pass as one large matrix product.
    """
    x = as_float(x)
    stride, pad = pair("im2col", "stride", stride, low=1), pair("im2col", "pad", pad)
    _out_hw(x.shape, FH, FW, stride, pad, "im2col")          # clear errors for bad shapes
    return _im2col_t(x, FH, FW, stride, pad).T


def _im2col_t(x, FH, FW, stride, pad):
    """im2col transposed and C-contiguous: (C·FH·FW, N·OH·OW)."""
    N, C = x.shape[:2]
    v = _windows(x, FH, FW, stride, pad)                                   # (N, C, OH, OW, FH, FW)
    col_t = np.ascontiguousarray(v.transpose(1, 4, 5, 0, 2, 3))            # (C, FH, FW, N, OH, OW)
    return col_t.reshape(C * FH * FW, -1)


def col2im(col, x_shape, FH, FW, stride=1, pad=0):
    """Add the rows of an im2col matrix back into images: the adjoint of :func:`im2col`.

    Parameters
    ----------
    col : ndarray, shape (N·OH·OW, C·FH·FW)
        One row per window, as :func:`im2col` lays them out (e.g. the
        gradient of the loss with respect to im2col's output).
    x_shape : tuple (N, C, H, W)
        Shape of the images (without padding).
    FH, FW, stride, pad
        As given to :func:`im2col`.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        Each pixel receives the sum of the entries of every window that
        covers it (overlapping windows add up); what lands in the padding is
        dropped.

    Notes
    -----
    ``sum(im2col(x) * col) == sum(x * col2im(col))`` for every x and col.
    Loops over the FH·FW offsets inside a window, each step vectorised
    over all N·C·OH·OW values.
    """
    col = as_float(col)
    stride, pad = pair("col2im", "stride", stride, low=1), pair("col2im", "pad", pad)
    N, C, H, W = x_shape
    OH, OW = _out_hw(x_shape, FH, FW, stride, pad, "col2im")
    check_shape("col2im", "col", col, (N * OH * OW, C * FH * FW))
    return _col2im_t(col.T, x_shape, FH, FW, stride, pad, OH, OW)


def _col2im_t(col_t, x_shape, FH, FW, stride, pad, OH, OW):
    """col2im of a transposed column matrix (C·FH·FW, N·OH·OW) -> (N, C, H, W)."""
    N, C, H, W = x_shape
    (ph, pw) = pad
    p = col_t.reshape(C, FH, FW, N, OH, OW)
    dxp = _fold(lambda i, j: p[:, i, j], (C, N, H + 2 * ph, W + 2 * pw), FH, FW, stride, OH, OW,
                col_t.dtype)                                               # (C, N, H', W')
    return dxp[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3)           # (N, C, H, W) view


def im2col_loop(x, FH, FW, stride=1, pad=0):
    """The textbook im2col: the same matrix as :func:`im2col`, one filter offset at a time.

    Loops over the FH·FW offsets (i, j), copying the (N, C, OH, OW) pixels
    that offset sees, then transposes into rows. Kept as the reference for
    tests and as the baseline of ``benchmarks/conv_vs_torch.py``.
    """
    x = as_float(x)
    (sh, sw), pad = pair("im2col_loop", "stride", stride, low=1), pair("im2col_loop", "pad", pad)
    N, C = x.shape[:2]
    OH, OW = _out_hw(x.shape, FH, FW, (sh, sw), pad, "im2col_loop")
    xp = _padded(x, pad)
    col = np.zeros((N, C, FH, FW, OH, OW), dtype=x.dtype)
    for i in range(FH):
        for j in range(FW):
            col[:, :, i, j] = xp[:, :, i:i + sh * OH:sh, j:j + sw * OW:sw]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * OH * OW, -1)      # (N·OH·OW, C·FH·FW)


def col2im_loop(col, x_shape, FH, FW, stride=1, pad=0):
    """The textbook col2im (reference for :func:`col2im`): rows back to (N, C, H, W)."""
    (sh, sw), (ph, pw) = pair("col2im_loop", "stride", stride, low=1), pair("col2im_loop", "pad", pad)
    N, C, H, W = x_shape
    OH, OW = _out_hw(x_shape, FH, FW, (sh, sw), (ph, pw), "col2im_loop")
    col = np.asarray(col).reshape(N, OH, OW, C, FH, FW).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=col.dtype)
    for i in range(FH):
        for j in range(FW):
            img[:, :, i:i + sh * OH:sh, j:j + sw * OW:sw] += col[:, :, i, j]
    return img[:, :, ph:ph + H, pw:pw + W]


def conv2d_naive(x, W, b, stride=1, pad=0):
    """Convolution by a loop over output positions (the reference for :class:`Conv2D`).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    W : ndarray, shape (FN, C, FH, FW)
    b : ndarray, shape (FN,)

    Returns
    -------
    ndarray, shape (N, FN, OH, OW)
        ``out[n, f, oh, ow] = sum_{c,i,j} xpad[n, c, oh·S + i, ow·S + j] · W[f, c, i, j] + b[f]``
        (a cross-correlation, as in every deep learning library).
    """
    x, W, b = as_float(x), as_float(W), as_float(b)
    (sh, sw), pad = pair("conv2d_naive", "stride", stride, low=1), pair("conv2d_naive", "pad", pad)
    FN, C, FH, FW = W.shape
    OH, OW = _out_hw(x.shape, FH, FW, (sh, sw), pad, "conv2d_naive")
    xp = _padded(x, pad)
    out = np.zeros((x.shape[0], FN, OH, OW), dtype=np.result_type(x, W))
    for oh in range(OH):
        for ow in range(OW):
            window = xp[:, :, oh * sh:oh * sh + FH, ow * sw:ow * sw + FW]      # (N, C, FH, FW)
            out[:, :, oh, ow] = np.tensordot(window, W, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


# --- convolution layers ---------------------------------------------------------------------

class Conv2D:
    """2-D convolution (cross-correlation) of a batch of images with a bank of filters.

    Parameters
    ----------
    W : ndarray, shape (FN, C, FH, FW)
        FN filters, each C x FH x FW.
    b : ndarray, shape (FN,)
        One bias per filter.
    stride : int or (int, int)
    pad : int or (int, int)
        Zeros added on each side of H and W.

    Notes
    -----
    ``out[n, f] = sum_c xpad[n, c] ⋆ W[f, c] + b[f]``, shape (N, FN, OH, OW)
    with ``OH = (H + 2 pad - FH) // stride + 1`` (same for OW).

    With ``col = im2col(x)`` (N·OH·OW rows) and ``W2 = W.reshape(FN, -1)``,
    the forward pass is one matrix product ``col @ W2.T``; backward::

        dW2  = dout2.T @ col       (FN, C·FH·FW)
        db   = sum of dout over N, OH, OW
        dcol = dout2 @ W2          then dx = col2im(dcol)

    where dout2 is dout laid out as (N·OH·OW, FN). Internally every product
    runs on the transposed layout (C·FH·FW, N·OH·OW), so each pass is one
    large matrix product and no large transposed copy is needed.
    Seed 003 §9.4 (a convolution is an image filter), 001 §7.3.3.
    """

    def __init__(self, W, b, stride=1, pad=0):
        W, b = as_float(W), as_float(b)
        if W.ndim != 4:
            raise ValueError(f"Conv2D: expected W of shape (FN, C, FH, FW), got {W.shape}")
        check_shape("Conv2D", "b", b, (W.shape[0],))
        self.stride = pair("Conv2D", "stride", stride, low=1)
        self.pad = pair("Conv2D", "pad", pad)
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x_shape = None
        self.col_t = None        # (C·FH·FW, N·OH·OW): im2col of the last input, transposed

    def _check_input(self, x):
        FN, C, FH, FW = self.params[0].shape
        if x.ndim != 4 or x.shape[1] != C:
            raise ValueError(f"Conv2D.forward: expected x of shape (N, {C}, H, W) for W of "
                             f"shape {self.params[0].shape}, got {x.shape}")
        return _out_hw(x.shape, FH, FW, self.stride, self.pad, "Conv2D.forward")

    def forward(self, x):
        """x: (N, C, H, W) -> out: (N, FN, OH, OW)."""
        x = as_float(x)
        OH, OW = self._check_input(x)
        W, b = self.params
        FN, C, FH, FW = W.shape
        N = x.shape[0]
        self.x_shape = x.shape
        self.col_t = _im2col_t(x, FH, FW, self.stride, self.pad)             # (C·FH·FW, N·OH·OW)
        out_t = W.reshape(FN, -1) @ self.col_t                                # (FN, N·OH·OW)
        out_t += b[:, None]
        # (FN, N·OH·OW) -> (N, FN, OH, OW), copied into the usual memory order so that the
        # elementwise layers after it (ReLU, pooling) run on contiguous arrays
        return np.ascontiguousarray(out_t.reshape(FN, N, OH, OW).transpose(1, 0, 2, 3))

    def backward(self, dout):
        """dout: (N, FN, OH, OW) -> dx: (N, C, H, W); dW, db go into ``grads``."""
        W, _ = self.params
        FN, C, FH, FW = W.shape
        N = self.x_shape[0]
        OH, OW = _out_hw(self.x_shape, FH, FW, self.stride, self.pad, "Conv2D.backward")
        dout = check_dout("Conv2D.backward", dout, (N, FN, OH, OW))
        dout_t = np.ascontiguousarray(dout.transpose(1, 0, 2, 3)).reshape(FN, -1)  # (FN, N·OH·OW)
        # dW = dout_t @ col_t.T, computed as (col_t @ dout_t.T).T: the same product, but
        # OpenBLAS splits this (C·FH·FW, FN) output far better over threads (the other
        # form ran up to 10x slower with 2 threads on a busy 2-core machine)
        self.grads[0][...] = (self.col_t @ dout_t.T).T.reshape(W.shape)
        self.grads[1][...] = dout_t.sum(axis=1)
        dcol_t = W.reshape(FN, -1).T @ dout_t                                 # (C·FH·FW, N·OH·OW)
        return _col2im_t(dcol_t, self.x_shape, FH, FW, self.stride, self.pad, OH, OW)


class Conv1D:
    """1-D convolution of a batch of sequences: Conv2D on images of height 1.

    Parameters
    ----------
    W : ndarray, shape (FN, C, K)
        FN filters of C channels and length K.
    b : ndarray, shape (FN,)
    stride : int
    pad : int
        Zeros added at each end of the sequence.

    Notes
    -----
    ``out[n, f, l] = sum_{c,k} xpad[n, c, l·S + k] · W[f, c, k] + b[f]``, shape
    (N, FN, OL) with ``OL = (L + 2 pad - K) // stride + 1``. The layer views x
    as (N, C, 1, L) and W as (FN, C, 1, K) and runs :class:`Conv2D`; ``params``
    and ``grads`` are the 3-axis views of the same arrays. Used by the
    MNIST-1D CNN (:func:`mnist1d_cnn`).
    """

    def __init__(self, W, b, stride=1, pad=0):
        W = np.ascontiguousarray(as_float(W))
        if W.ndim != 3:
            raise ValueError(f"Conv1D: expected W of shape (FN, C, K), got {W.shape}")
        self.stride, self.pad = check_int("Conv1D", "stride", stride, 1), check_int("Conv1D", "pad", pad, 0)
        self.conv = Conv2D(W[:, :, None, :], b, stride=(1, self.stride), pad=(0, self.pad))
        W4, b = self.conv.params
        self.params = [W4[:, :, 0, :], b]                    # views: updates reach the Conv2D
        self.grads = [self.conv.grads[0][:, :, 0, :], self.conv.grads[1]]

    def forward(self, x):
        """x: (N, C, L) -> out: (N, FN, OL)."""
        x = as_float(x)
        FN, C, K = self.params[0].shape
        if x.ndim != 3 or x.shape[1] != C:
            raise ValueError(f"Conv1D.forward: expected x of shape (N, {C}, L) for W of shape "
                             f"{self.params[0].shape}, got {x.shape}")
        conv_output_size(x.shape[2], K, self.stride, self.pad, where="Conv1D.forward")
        return self.conv.forward(x[:, :, None, :])[:, :, 0, :]

    def backward(self, dout):
        """dout: (N, FN, OL) -> dx: (N, C, L); dW, db go into ``grads``."""
        dout = as_float(dout)
        if dout.ndim != 3:
            raise ValueError(f"Conv1D.backward: expected dout of shape (N, FN, OL), got {dout.shape}")
        return self.conv.backward(dout[:, :, None, :])[:, :, 0, :]


# --- pooling ---------------------------------------------------------------------------------

class _Pool:
    """Shared bookkeeping of the pooling layers: checks, shapes, and the window offsets.

    Both layers work one window offset (i, j) at a time: ``xp[:, :, i::S, j::S]``
    (cut to OH x OW) holds the (i, j) cell of every window, so a loop over the
    pool_h·pool_w offsets is vectorised over all windows, and no
    (N, C, OH, OW, pool_h·pool_w) copy is made.
    """

    name = "Pool"
    fill = 0.0

    def __init__(self, pool_h, pool_w, stride=None, pad=0):
        self.pool_h, self.pool_w = check_int(self.name, "pool_h", pool_h), check_int(self.name, "pool_w", pool_w)
        self.stride = pair(self.name, "stride", (self.pool_h, self.pool_w) if stride is None else stride, low=1)
        self.pad = pair(self.name, "pad", pad)
        if 2 * self.pad[0] > self.pool_h or 2 * self.pad[1] > self.pool_w:
            raise ValueError(f"{self.name}: expected pad at most half the window "
                             f"({self.pool_h}x{self.pool_w}), got {pad!r}")
        self.params, self.grads = [], []
        self.x_shape = None
        self.xp = None            # the padded input of the last forward

    def _start(self, x):
        """Check x (N, C, H, W), keep it padded; returns (OH, OW)."""
        x = as_float(x)
        if x.ndim != 4:
            raise ValueError(f"{self.name}.forward: expected x of shape (N, C, H, W), got {x.shape}")
        OH, OW = _out_hw(x.shape, self.pool_h, self.pool_w, self.stride, self.pad,
                         f"{self.name}.forward")
        self.x_shape, self.xp = x.shape, _padded(x, self.pad, self.fill)
        return OH, OW

    def _cells(self, OH, OW):
        """(i, j, view): cell (i, j) of every window, each view of shape (N, C, OH, OW)."""
        sh, sw = self.stride
        for i in range(self.pool_h):
            for j in range(self.pool_w):
                yield i, j, self.xp[:, :, i:i + sh * OH:sh, j:j + sw * OW:sw]

    def _out_shape(self):
        N, C = self.x_shape[:2]
        return (N, C, *_out_hw(self.x_shape, self.pool_h, self.pool_w, self.stride, self.pad,
                               f"{self.name}.backward"))

    def _unpad(self, dxp):
        N, C, H, W = self.x_shape
        ph, pw = self.pad
        return dxp[:, :, ph:ph + H, pw:pw + W]


class MaxPool2D(_Pool):
    """Max pooling: the largest value of each pool_h x pool_w window, channel by channel.

    Parameters
    ----------
    pool_h, pool_w : int
        Window size.
    stride : int or (int, int), optional
        Defaults to the window size (windows side by side, no overlap).
    pad : int or (int, int)
        Padding on each side; padded cells hold -inf, so they are never the max.

    Notes
    -----
    Forward: ``out[n, c, oh, ow] = max of x over the window``, shape
    (N, C, OH, OW). Backward: each window's ``dout`` goes to the position of
    its max (the first one, in row order, on ties), everything else gets 0;
    where windows overlap, a pixel that is the max of several collects the sum.
    Seed 003 §9.4: pooling blurs where a feature was found.
    """

    name = "MaxPool2D"
    fill = -np.inf

    def forward(self, x):
        """x: (N, C, H, W) -> out: (N, C, OH, OW)."""
        OH, OW = self._start(x)
        out = None
        for _, _, cell in self._cells(OH, OW):
            out = cell.copy() if out is None else np.maximum(out, cell, out=out)
        self.out = out
        return out.copy()

    def backward(self, dout):
        """dout: (N, C, OH, OW) -> dx: (N, C, H, W)."""
        dout = check_dout("MaxPool2D.backward", dout, self._out_shape())
        OH, OW = dout.shape[2:]
        sh, sw = self.stride
        dxp = np.zeros(self.xp.shape, dtype=dout.dtype)
        taken = np.zeros(dout.shape, dtype=bool)           # window's max already routed
        for i, j, cell in self._cells(OH, OW):
            hit = (cell == self.out) & ~taken                 # the first cell holding the max
            dxp[:, :, i:i + sh * OH:sh, j:j + sw * OW:sw] += np.where(hit, dout, 0.0)
            taken |= hit
        return self._unpad(dxp)


class AvgPool2D(_Pool):
    """Average pooling: the mean of each pool_h x pool_w window, channel by channel.

    Parameters are those of :class:`MaxPool2D`; padded cells count as zeros
    in the mean.

    Notes
    -----
    Forward: ``out = mean of x over the window``. Backward: each window
    spreads ``dout / (pool_h · pool_w)`` evenly over its cells.
    """

    name = "AvgPool2D"

    def forward(self, x):
        """x: (N, C, H, W) -> out: (N, C, OH, OW)."""
        OH, OW = self._start(x)
        out = None
        for _, _, cell in self._cells(OH, OW):
            out = cell.copy() if out is None else np.add(out, cell, out=out)
        return out / (self.pool_h * self.pool_w)

    def backward(self, dout):
        """dout: (N, C, OH, OW) -> dx: (N, C, H, W)."""
        dout = check_dout("AvgPool2D.backward", dout, self._out_shape())
        share = dout / (self.pool_h * self.pool_w)
        dxp = _fold(lambda i, j: share, self.xp.shape, self.pool_h, self.pool_w, self.stride,
                    *dout.shape[2:], dout.dtype)
        return self._unpad(dxp)


# --- bookkeeping layers ----------------------------------------------------------------------

class Reshape:
    """Reshape each sample: (N, ...) -> (N, *shape); backward reshapes back.

    Parameters
    ----------
    shape : tuple of int
        The per-sample shape, e.g. (1, 40) to turn MNIST-1D rows into
        one-channel sequences. One entry may be -1.
    """

    def __init__(self, shape):
        self.shape = tuple(int(s) for s in shape)
        self.params, self.grads = [], []
        self.x_shape = self.out_shape = None

    def forward(self, x):
        """x: (N, ...) -> (N, *shape)."""
        x = as_float(x)
        self.x_shape = x.shape
        try:
            out = x.reshape(x.shape[0], *self.shape)
        except ValueError:
            raise ValueError(f"{type(self).__name__}.forward: cannot reshape x of shape {x.shape} "
                             f"into (N, {', '.join(map(str, self.shape))})") from None
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        """dout: (N, *shape) -> dx: the forward input's shape."""
        return check_dout(f"{type(self).__name__}.backward", dout, self.out_shape).reshape(self.x_shape)


class Flatten(Reshape):
    """(N, C, H, W) -> (N, C·H·W): between the conv part and the dense part of a CNN."""

    def __init__(self):
        super().__init__((-1,))


class BatchNorm2D:
    """Batch normalisation for conv activations: one mean and variance per channel.

    Parameters
    ----------
    gamma, beta : ndarray, shape (C,)
        Per-channel scale and shift.
    momentum, eps : float
        As in :class:`dlcourse.layers.BatchNorm`.

    Notes
    -----
    For x of shape (N, C, H, W) (or (N, C, L)) each channel c is normalised
    with the mean and variance of its N·H·W values::

        xn[:, c] = (x[:, c] - mean_c) / sqrt(var_c + eps),   out = gamma_c xn + beta_c

    A filter looks for the same pattern everywhere in the image, so all
    positions of a channel share one statistic (and one gamma, beta). The
    textbook instead treats each of the C·H·W positions as its own feature,
    with C·H·W means, gammas and betas. Implemented by moving the channel
    axis last, (N·H·W, C), and reusing ``layers.BatchNorm``.
    Ioffe & Szegedy (2015); seed 003 §9.4.
    """

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        self.bn = L.BatchNorm(gamma, beta, momentum=momentum, eps=eps)
        self.params, self.grads = self.bn.params, self.bn.grads
        self.x_shape = None

    @property
    def running_mean(self):
        """(C,) running mean per channel."""
        return self.bn.running_mean

    @property
    def running_var(self):
        """(C,) running variance per channel."""
        return self.bn.running_var

    @property
    def eps(self):
        return self.bn.eps

    def forward(self, x, train=True):
        """x: (N, C, ...) -> out: same shape, normalised per channel."""
        x = as_float(x)
        C = self.params[0].shape[0]
        if x.ndim < 3 or x.shape[1] != C:
            raise ValueError(f"BatchNorm2D.forward: expected x of shape (N, {C}, H, W), got {x.shape}")
        self.x_shape = x.shape
        x2 = np.moveaxis(x, 1, -1).reshape(-1, C)                      # (N·H·W, C)
        out2 = self.bn.forward(x2, train=train)
        return np.moveaxis(out2.reshape(x.shape[0], *x.shape[2:], C), -1, 1)

    def backward(self, dout):
        """dout: (N, C, ...) -> dx: same shape; dgamma, dbeta (C,) go into ``grads``."""
        dout = check_dout("BatchNorm2D.backward", dout, self.x_shape)
        C = self.x_shape[1]
        dx2 = self.bn.backward(np.moveaxis(dout, 1, -1).reshape(-1, C))
        return np.moveaxis(dx2.reshape(self.x_shape[0], *self.x_shape[2:], C), -1, 1)


# --- models ------------------------------------------------------------------------------------

def conv_weights(FN, C, *kernel, rng=None, init="he"):
    """Initial filters (FN, C, *kernel): He (std √(2/fan_in)) or Xavier (√(1/fan_in)).

    fan_in = C · prod(kernel), the number of inputs one output sums over.
    """
    rng = np.random.default_rng(rng)
    fan_in = C * int(np.prod(kernel))
    gain = {"he": 2.0, "xavier": 1.0}[check_choice("conv_weights", "init", init, ("he", "xavier"))]
    return rng.standard_normal((FN, C, *kernel)) * np.sqrt(gain / fan_in)


class Classifier(models.Classifier):
    """A stack of layers ending in logits, trained with softmax cross-entropy.

    ``dlcourse.models.Classifier`` with test-mode chunking on by default, and
    access to the feature maps.

    Parameters
    ----------
    layers : list of layer objects
        From the input to the logits (N, classes).
    chunk : int
        In test mode (``predict``, ``loss(train=False)``) inputs larger than
        this are run ``chunk`` samples at a time, so evaluating a whole data
        set never builds a huge im2col matrix.
    """

    def __init__(self, layers, chunk=500):
        super().__init__(list(layers), chunk=int(chunk))

    def feature_maps(self, x, upto):
        """Outputs of the first ``upto`` layers for x (test mode): a list of arrays."""
        return list(self.net.outputs(x, train=False, upto=upto))


class SimpleCNN(Classifier):
    """A small CNN: [conv -> (batch norm) -> ReLU -> max-pool] blocks, then dense layers.

    Parameters
    ----------
    input_shape : (C, H, W)
        Shape of one image, e.g. (1, 28, 28).
    conv : sequence of (filters, kernel)
        One block per entry: ``filters`` kernels of ``kernel x kernel``,
        padded to keep the size ("same"), then ReLU and a 2x2 max-pool.
    hidden : sequence of int
        Sizes of the dense ReLU layers after flattening (may be empty).
    classes : int
        Number of outputs (logits).
    batchnorm : bool
        Put a per-channel :class:`BatchNorm2D` after each convolution.
    pool : int
        Pooling window and stride.
    rng : numpy.random.Generator or int or None
        Draws the He-initialised weights; biases start at 0.

    Notes
    -----
    The default ``conv=((16, 3), (32, 3))``, ``hidden=()`` on 28x28 digits is
    conv 16@3x3 -> ReLU -> pool (16x14x14) -> conv 32@3x3 -> ReLU -> pool
    (32x7x7) -> Affine(1568, 10). Seed 001 §7.3.3: convolution and pooling
    repeated, then dense layers; seed 003 §9.4.
    """

    def __init__(self, input_shape=(1, 28, 28), conv=((16, 3), (32, 3)), hidden=(), classes=10,
                 batchnorm=False, pool=2, rng=None):
        rng = np.random.default_rng(rng)
        C, H, W = (int(s) for s in input_shape)
        layers = []
        for FN, k in conv:
            layers.append(Conv2D(conv_weights(FN, C, k, k, rng=rng), np.zeros(FN), pad=k // 2))
            H, W = conv_output_size(H, k, 1, k // 2), conv_output_size(W, k, 1, k // 2)
            if batchnorm:
                layers.append(BatchNorm2D(np.ones(FN), np.zeros(FN)))
            layers += [L.ReLU(), MaxPool2D(pool, pool)]
            C, H, W = FN, conv_output_size(H, pool, pool), conv_output_size(W, pool, pool)
        layers.append(Flatten())
        D = C * H * W
        for h in hidden:
            layers += [L.Affine(optim.he(D, h, rng), np.zeros(h)), L.ReLU()]
            D = h
        layers.append(L.Affine(optim.he(D, classes, rng), np.zeros(classes)))
        super().__init__(layers)
        self.input_shape, self.conv, self.hidden = tuple(input_shape), tuple(conv), tuple(hidden)

    def __repr__(self):
        return f"SimpleCNN(input_shape={self.input_shape}, conv={self.conv}, hidden={self.hidden})"


def mnist1d_cnn(rng=None, channels=25, init="torch"):
    """The 1-D CNN of the MNIST-1D paper's baseline table, for inputs (N, 40).

    Parameters
    ----------
    rng : numpy.random.Generator or int or None
    channels : int
        Channels of each of the three conv layers (25 in the paper).
    init : {"torch", "he"}
        ``"torch"``: PyTorch's default for Conv1d and Linear, weights and
        biases uniform in ±1/√fan_in, as in the paper's runs; ``"he"``:
        normal weights with std √(2/fan_in), zero biases.

    Returns
    -------
    Classifier
        Reshape (N, 40) -> (N, 1, 40); Conv1D(1 -> ch, K 5, stride 2, pad 1)
        -> ReLU [19 steps]; Conv1D(ch -> ch, K 3, stride 2, pad 1) -> ReLU [10];
        Conv1D(ch -> ch, K 3, stride 2, pad 1) -> ReLU [5]; Flatten
        (5·ch = 125); Affine(125, 10). 5,210 parameters with 25 channels.

    Notes
    -----
    Greydanus (2020), "Scaling down deep learning" (MNIST-1D): about 94%
    test accuracy with Adam (lr 1e-2), batches of 100, 6,000 steps.
    """
    check_choice("mnist1d_cnn", "init", init, ("torch", "he"))
    rng = np.random.default_rng(rng)

    def weights(*shape):
        fan_in = int(np.prod(shape[1:])) if len(shape) == 3 else shape[0]
        if init == "torch":
            bound = 1.0 / np.sqrt(fan_in)
            n_out = shape[0] if len(shape) == 3 else shape[1]
            return rng.uniform(-bound, bound, shape), rng.uniform(-bound, bound, n_out)
        n_out = shape[0] if len(shape) == 3 else shape[1]
        return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in), np.zeros(n_out)       # "he"

    ch = int(channels)
    layers = [Reshape((1, 40)),
              Conv1D(*weights(ch, 1, 5), stride=2, pad=1), L.ReLU(),       # (N, ch, 19)
              Conv1D(*weights(ch, ch, 3), stride=2, pad=1), L.ReLU(),      # (N, ch, 10)
              Conv1D(*weights(ch, ch, 3), stride=2, pad=1), L.ReLU(),      # (N, ch, 5)
              Flatten(),                                                    # (N, 5·ch)
              L.Affine(*weights(5 * ch, 10))]
    return Classifier(layers)


# --- classic filters on a picture ----------------------------------------------------------------

FILTERS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "mean": [[1 / 9] * 3] * 3,
    "vertical edge": [[-1, 0, 1]] * 3,
    "horizontal edge": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
"""Classic 3x3 filters by name. "mean" (every weight 1/9) smooths away noise, and
"vertical edge" ([-1, 0, 1] in every row) responds to vertical lines: seed 003 §9.4."""


def filter2d(image, kernel, pad=None):
    """Slide one kernel over a grayscale picture (cross-correlation, as a conv layer does).

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : array_like, shape (FH, FW)
    pad : int, optional
        Zeros around the picture; default FH // 2, which keeps the size for
        odd kernels.

    Returns
    -------
    ndarray, shape (OH, OW)
        ``out[i, j] = sum_{a,b} image_pad[i + a, j + b] · kernel[a, b]``.
    """
    image, kernel = as_float(image), as_float(kernel)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"filter2d: expected image (H, W) and kernel (FH, FW), got "
                         f"{image.shape} and {kernel.shape}")
    FH, FW = kernel.shape
    pad = FH // 2 if pad is None else pad
    v = _windows(image[None, None], FH, FW, (1, 1), pair("filter2d", "pad", pad))[0, 0]   # (OH, OW, FH, FW)
    return np.einsum("hwij,ij->hw", v, kernel)
