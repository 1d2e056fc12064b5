"""Typical wrong answers for the checks of chapter 12 (merged by tests/mutants.py)."""
import numpy as np


# --- 12.conv_output_size -------------------------------------------------------------------

def _size_ok(H, FH, stride=1, pad=0):
    if H + 2 * pad < FH:
        raise ValueError("kernel larger than the padded input")
    return (H + 2 * pad - FH) // stride + 1


def _size_no_check(H, FH, stride=1, pad=0):
    return (H + 2 * pad - FH) // stride + 1


# --- 12.conv2d_naive -----------------------------------------------------------------------

def _conv(x, W, b, stride=1, pad=0, flip=False, bias=True, use_stride=True, pad_once=False,
          first_channel=False, swap_hw=False):
    if swap_hw:
        W = W.transpose(0, 1, 3, 2)
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    s = stride if use_stride else 1
    widths = ((0, 0), (0, 0), (pad, 0), (pad, 0)) if pad_once else ((0, 0), (0, 0), (pad, pad), (pad, pad))
    xp = np.pad(x, widths)
    OH, OW = (xp.shape[2] - FH) // s + 1, (xp.shape[3] - FW) // s + 1
    K = np.flip(W, axis=(2, 3)) if flip else W
    out = np.zeros((N, FN, OH, OW))
    for oh in range(OH):
        for ow in range(OW):
            win = xp[:, :, oh * s:oh * s + FH, ow * s:ow * s + FW]
            if first_channel:
                out[:, :, oh, ow] = np.tensordot(win[:, 0], K[:, 0], axes=([1, 2], [1, 2]))
            else:
                out[:, :, oh, ow] = np.tensordot(win, K, axes=([1, 2, 3], [1, 2, 3]))
    return out + (b[None, :, None, None] if bias else 0)


def _conv_in_place(x, W, b, stride=1, pad=0):
    out = _conv(x, W, b, stride, pad)
    x *= 0.0                                               # right answer, but x is wiped
    return out


# --- 12.im2col -----------------------------------------------------------------------------

def _col6(x, FH, FW, stride, pad, use_pad=True):
    N, C, H, W = x.shape
    p = pad if use_pad else 0
    OH, OW = (H + 2 * p - FH) // stride + 1, (W + 2 * p - FW) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    col = np.zeros((N, C, FH, FW, OH, OW))
    for i in range(FH):
        for j in range(FW):
            col[:, :, i, j] = xp[:, :, i:i + stride * OH:stride, j:j + stride * OW:stride]
    return col


def _im2col_channels_last(x, FH, FW, stride=1, pad=0):
    col = _col6(x, FH, FW, stride, pad)
    N, OH, OW = col.shape[0], col.shape[4], col.shape[5]
    return col.transpose(0, 4, 5, 2, 3, 1).reshape(N * OH * OW, -1)      # (FH, FW, C) columns


def _im2col_rows_ow_first(x, FH, FW, stride=1, pad=0):
    col = _col6(x, FH, FW, stride, pad)
    N, OH, OW = col.shape[0], col.shape[4], col.shape[5]
    return col.transpose(0, 5, 4, 1, 2, 3).reshape(N * OH * OW, -1)      # rows (n, ow, oh)


def _im2col_no_pad(x, FH, FW, stride=1, pad=0):
    col = _col6(x, FH, FW, stride, pad, use_pad=False)
    N, OH, OW = col.shape[0], col.shape[4], col.shape[5]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * OH * OW, -1)


def _im2col_transposed(x, FH, FW, stride=1, pad=0):
    col = _col6(x, FH, FW, stride, pad)
    N, OH, OW = col.shape[0], col.shape[4], col.shape[5]
    return col.transpose(1, 2, 3, 0, 4, 5).reshape(-1, N * OH * OW)      # (C*FH*FW, N*OH*OW)


def _im2col_no_transpose(x, FH, FW, stride=1, pad=0):
    col = _col6(x, FH, FW, stride, pad)
    N, OH, OW = col.shape[0], col.shape[4], col.shape[5]
    return col.reshape(N * OH * OW, -1)                                  # forgot to move the axes


# --- 12.maxpool_backward -------------------------------------------------------------------

def _windows(x, dout, ph, pw, S):
    OH, OW = dout.shape[2:]
    for oh in range(OH):
        for ow in range(OW):
            yield oh, ow, (slice(None), slice(None), slice(oh * S, oh * S + ph), slice(ow * S, ow * S + pw))


def _pool_back(x, dout, ph, pw, S, pick=np.argmax, assign=False, ones=False):
    N, C = x.shape[:2]
    dx = np.zeros_like(x, dtype=float)
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for oh, ow, sl in _windows(x, dout, ph, pw, S):
        k = pick(x[sl].reshape(N, C, -1), axis=2)
        i, j = np.unravel_index(k, (ph, pw))
        g = 1.0 if ones else dout[:, :, oh, ow]
        if assign:
            dx[n, c, oh * S + i, ow * S + j] = g
        else:
            dx[n, c, oh * S + i, ow * S + j] += g
    return dx


def _pool_back_even(x, dout, ph, pw, S):
    dx = np.zeros_like(x, dtype=float)
    for oh, ow, sl in _windows(x, dout, ph, pw, S):
        dx[sl] += dout[:, :, oh, ow][:, :, None, None] / (ph * pw)       # average pooling's rule
    return dx


def _pool_back_first(x, dout, ph, pw, S):
    dx = np.zeros_like(x, dtype=float)
    for oh, ow, sl in _windows(x, dout, ph, pw, S):
        dx[:, :, oh * S, ow * S] += dout[:, :, oh, ow]                   # always the top-left cell
    return dx


def _pool_back_all_max_mask(x, dout, ph, pw, S):
    dx = np.zeros_like(x, dtype=float)
    for oh, ow, sl in _windows(x, dout, ph, pw, S):
        win = x[sl]
        mask = win == win.max(axis=(2, 3), keepdims=True)
        dx[sl] = mask * dout[:, :, oh, ow][:, :, None, None]            # = instead of +=
    return dx


MUTANTS = {
    "12.conv_output_size": [
        ("forgot the + 1", lambda H, FH, stride=1, pad=0: _size_ok(H, FH, stride, pad) - 1),
        ("padding on one side only", lambda H, FH, stride=1, pad=0: (H + pad - FH) // stride + 1),
        ("true division", lambda H, FH, stride=1, pad=0: (H + 2 * pad - FH) / stride + 1),
        ("ceil instead of floor", lambda H, FH, stride=1, pad=0: -(-(H + 2 * pad - FH) // stride) + 1),
        ("no ValueError for a too-large kernel", _size_no_check),
        ("ignores the stride", lambda H, FH, stride=1, pad=0: _size_ok(H, FH, 1, pad)),
    ],
    "12.conv2d_naive": [
        ("flipped kernel (true convolution)", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, flip=True)),
        ("forgot the bias", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, bias=False)),
        ("ignores the stride", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, use_stride=False)),
        ("pads one side only", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, pad_once=True)),
        ("only the first channel", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, first_channel=True)),
        ("kernel axes swapped", lambda x, W, b, stride=1, pad=0: _conv(x, W, b, stride, pad, swap_hw=True)),
        ("writes into x", _conv_in_place),
    ],
    "12.im2col": [
        ("columns in (FH, FW, C) order", _im2col_channels_last),
        ("rows in (n, ow, oh) order", _im2col_rows_ow_first),
        ("padding forgotten", _im2col_no_pad),
        ("transposed: (C*FH*FW, N*OH*OW)", _im2col_transposed),
        ("reshape without transposing the axes", _im2col_no_transpose),
    ],
    "12.maxpool_backward": [
        ("spreads dout evenly (average pooling)", _pool_back_even),
        ("always the window's first cell", _pool_back_first),
        ("= instead of += (overlaps lose gradient)", lambda x, d, ph, pw, S: _pool_back(x, d, ph, pw, S, assign=True)),
        ("argmin instead of argmax", lambda x, d, ph, pw, S: _pool_back(x, d, ph, pw, S, pick=np.argmin)),
        ("puts 1, ignores dout", lambda x, d, ph, pw, S: _pool_back(x, d, ph, pw, S, ones=True)),
        ("mask assigned, not added", _pool_back_all_max_mask),
    ],
}
