"""Checks for chapter 12 (convolutional networks).

Each exercise is a function of arrays and numbers, so the check passes seeded
arrays in and compares what comes back with ``dlcourse.cnn``: the output size
with the formula, the naive convolution with ``Conv2D.forward``, im2col with
``cnn.im2col`` (same row and column order), and the max-pool backward pass with
``numerical_gradient`` of the reference ``MaxPool2D`` forward in float64. The
inputs of the max-pool check are distinct values at least 0.01 apart, far more
than the step 1e-6, so no difference straddles a kink of max and the numerical
gradient is exact up to round-off (tolerance 1e-7).
"""
import numbers

import numpy as np

from dlcourse import cnn
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import register


def _s(shape):
    """A compact shape for a check line: (2,3,6,6)."""
    return "(" + ",".join(str(n) for n in shape) + ")"


def _conv_ref(x, W, b, stride, pad):
    return cnn.Conv2D(W.copy(), b.copy(), stride=stride, pad=pad).forward(x.copy())


def _untouched(c, label, func, *arrays):
    """Pass when ``func(*copies)`` leaves its array arguments unchanged."""
    copies = [a.copy() for a in arrays]
    ok, _ = c.run(label, lambda: func(*copies))
    if ok:
        same = all(np.array_equal(a, b) for a, b in zip(arrays, copies))
        c.record(label, same, "inputs unchanged" if same else "your function changed an input array",
                 "work on new arrays (np.zeros, np.pad make them); never write into x or dout")


# --- 12.conv_output_size ------------------------------------------------------------------------

SIZES = [(28, 3, 1, 1, 28), (28, 5, 1, 0, 24), (7, 3, 2, 0, 3), (8, 3, 2, 0, 3), (5, 2, 2, 1, 3),
         (40, 5, 2, 1, 19), (4, 4, 1, 0, 1), (3, 5, 1, 1, 1)]


@register("12.conv_output_size", points=1, forbid=("dlcourse.cnn.conv_output_size",),
          title="conv_output_size(H, FH, stride=1, pad=0) -> int",
          hint="OH = (H + 2*pad - FH) // stride + 1: pad on both sides, integer division (the last "
               "partial step is dropped), + 1 for the first position; raise ValueError when "
               "H + 2*pad < FH")
def check_conv_output_size(conv_output_size, c):
    for H, FH, S, P, expected in SIZES:
        c.equal(f"H={H}, FH={FH}, stride={S}, pad={P} -> {expected}",
                lambda: conv_output_size(H, FH, stride=S, pad=P), expected)
    ok, value = c.run("returns an int", lambda: conv_output_size(8, 3, stride=2, pad=0))
    if ok:
        is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        c.record("returns an int", is_int, f"got {type(value).__name__}",
                 "use // (floor division): / gives a float such as 3.5")
    c.raises("H=2, FH=3, pad=0: ValueError (kernel too big)",
             lambda: conv_output_size(2, 3, stride=1, pad=0),
             hint="check H + 2*pad >= FH first and raise ValueError with a message otherwise")
    c.raises("H=1, FH=5, pad=1: ValueError", lambda: conv_output_size(1, 5, stride=1, pad=1))


# --- 12.conv2d_naive --------------------------------------------------------------------------

CONV_CASES = [  # (N, C, H, W, FN, FH, FW, stride, pad)
    (2, 1, 5, 5, 1, 3, 3, 1, 0),
    (2, 3, 6, 6, 4, 3, 3, 1, 1),
    (1, 2, 7, 8, 3, 3, 3, 2, 1),
    (2, 2, 6, 5, 2, 2, 3, 1, 0),
]


@register("12.conv2d_naive", points=2, forbid=("dlcourse.cnn.conv2d_naive", "dlcourse.cnn.Conv2D"),
          title="conv2d_naive(x, W, b, stride=1, pad=0): (N, C, H, W) -> (N, FN, OH, OW)",
          hint="pad x with np.pad on H and W only; for every output position (oh, ow) take the window "
               "xp[:, :, oh*stride:oh*stride+FH, ow*stride:ow*stride+FW] and, for every filter f, "
               "sum window * W[f] over (C, FH, FW), then add b[f]. No kernel flip")
def check_conv2d_naive(conv2d_naive, c):
    for N, C, H, W_, FN, FH, FW, S, P in CONV_CASES:
        x = c.rng.standard_normal((N, C, H, W_))
        W, b = c.rng.standard_normal((FN, C, FH, FW)), c.rng.standard_normal(FN)
        c.close(f"x {_s(x.shape)} W {_s(W.shape)} S={S} P={P}",
                lambda: conv2d_naive(x.copy(), W.copy(), b.copy(), stride=S, pad=P),
                _conv_ref(x, W, b, S, P))
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 2] = 1.0                                     # one bright pixel
    W = np.arange(9.0).reshape(1, 1, 3, 3)
    c.close("a single pixel picks out W (not flipped)",
            lambda: conv2d_naive(x.copy(), W.copy(), np.zeros(1)), _conv_ref(x, W, np.zeros(1), 1, 0),
            hint="deep learning 'convolution' is a cross-correlation: out = sum window * W, with W "
                 "as it is (np.flip would make it a mathematical convolution)")
    _untouched(c, "does not modify x", lambda x_: conv2d_naive(x_, W, np.zeros(1), stride=1, pad=1), x)


# --- 12.im2col --------------------------------------------------------------------------------

IM2COL_CASES = [  # (N, C, H, W, FH, FW, stride, pad)
    (1, 1, 4, 4, 3, 3, 1, 0),
    (2, 3, 5, 5, 3, 3, 1, 0),
    (2, 2, 6, 7, 3, 2, 2, 1),
    (3, 2, 5, 4, 2, 2, 1, 1),
]


@register("12.im2col", points=2, forbid=("dlcourse.cnn.im2col", "dlcourse.cnn.im2col_loop"),
          title="im2col(x, FH, FW, stride=1, pad=0): (N, C, H, W) -> (N*OH*OW, C*FH*FW)",
          hint="one row per window, rows in the order (n, oh, ow), each row the window flattened in "
               "(C, FH, FW) order; e.g. fill col6 of shape (N, C, FH, FW, OH, OW) one offset (i, j) "
               "at a time, then col6.transpose(0, 4, 5, 1, 2, 3).reshape(N*OH*OW, -1)")
def check_im2col(im2col, c):
    for N, C, H, W, FH, FW, S, P in IM2COL_CASES:
        x = c.rng.standard_normal((N, C, H, W))
        c.close(f"x {_s(x.shape)}, {FH}x{FW}, stride {S}, pad {P}",
                lambda: im2col(x.copy(), FH, FW, stride=S, pad=P), cnn.im2col(x, FH, FW, S, P))
    x = c.rng.standard_normal((2, 3, 6, 6))
    W, b = c.rng.standard_normal((4, 3, 3, 3)), np.zeros(4)
    ref = _conv_ref(x, W, b, 1, 1).transpose(0, 2, 3, 1).reshape(-1, 4)       # (N·OH·OW, FN)
    c.close("col @ W.reshape(FN, -1).T is the convolution",
            lambda: np.asarray(im2col(x.copy(), 3, 3, stride=1, pad=1)) @ W.reshape(4, -1).T, ref,
            hint="with the right row and column order, one matrix product convolves: check that the "
                 "columns follow W.reshape(FN, -1), i.e. (C, FH, FW)")


# --- 12.maxpool_backward -------------------------------------------------------------------------

POOL_CASES = [  # (N, C, H, W, pool_h, pool_w, stride)
    (2, 3, 4, 6, 2, 2, 2),
    (1, 2, 5, 5, 3, 3, 1),
    (2, 2, 6, 6, 2, 3, 2),
    (1, 1, 5, 6, 2, 2, 1),
]


def _distinct(rng, shape):
    """Values 0.01 apart in random order: no ties, no kink within the numerical step."""
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) - n / 2) / 100.0


@register("12.maxpool_backward", points=2, forbid=("dlcourse.cnn.MaxPool2D",),
          title="maxpool_backward(x, dout, pool_h, pool_w, stride) -> dx (N, C, H, W)",
          hint="dx starts as zeros like x; for each window (oh, ow) find where its max is and add "
               "dout[:, :, oh, ow] there (+=, not =: overlapping windows can share a max); every "
               "other pixel gets 0")
def check_maxpool_backward(maxpool_backward, c):
    for N, C, H, W, ph, pw, S in POOL_CASES:
        x = _distinct(c.rng, (N, C, H, W))
        ref = cnn.MaxPool2D(ph, pw, stride=S)
        dout = c.rng.standard_normal(ref.forward(x).shape)
        dx = numerical_gradient(lambda: float(np.sum(ref.forward(x) * dout)), x, h=1e-6)
        overlap = ", overlap" if S < max(ph, pw) else ""
        c.close(f"x {_s(x.shape)}, {ph}x{pw}, stride {S}{overlap}: numeric",
                lambda: maxpool_backward(x.copy(), dout.copy(), ph, pw, S), dx)
    x = _distinct(c.rng, (1, 2, 4, 4))
    _untouched(c, "does not modify x or dout",
               lambda x_, d_: maxpool_backward(x_, d_, 2, 2, 2), x, c.rng.standard_normal((1, 2, 2, 2)))
