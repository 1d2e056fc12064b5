# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 12 · Exercises: convolutional networks
#
# Four exercises, 7 points: the output-size formula, a convolution written with plain
# loops, the same convolution's data layout as one matrix (im2col), and the backward pass
# of max pooling. Images are batches of shape `(N, C, H, W)`; filters have shape
# `(FN, C, FH, FW)`. The lesson is `notebooks/12_cnn.ipynb`.
#
# "Convolution" here means what every deep learning library computes, a
# **cross-correlation**: the filter is laid on the image as it is, not flipped.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from dlcourse.grading import check


# %% [markdown] nbgrader={"grade": false, "grade_id": "conv_output_size_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 12.1 · The output size (1 point)
#
# A kernel of length `FH` slides along an input of length `H` padded with `pad` zeros on
# **each** side, moving `stride` cells at a time. Write `conv_output_size(H, FH, stride,
# pad)`, the number of positions it takes:
#
# $$OH = \left\lfloor \frac{H + 2\,\text{pad} - FH}{\text{stride}} \right\rfloor + 1$$
#
# - Return a Python `int` (use `//`, not `/`).
# - If the padded input is shorter than the kernel there is no position at all: raise a
#   `ValueError` with a message that says so.
#
# Examples: `conv_output_size(28, 3, 1, 1) == 28`, `conv_output_size(8, 3, 2, 0) == 3`.

# %% nbgrader={"grade": false, "grade_id": "conv_output_size", "locked": false, "schema_version": 3, "solution": true, "task": false}
def conv_output_size(H, FH, stride=1, pad=0):
    """Number of kernel positions along one axis: (H + 2 pad - FH) // stride + 1."""
    ### BEGIN SOLUTION
    if H + 2 * pad < FH:
        raise ValueError(f"the padded input ({H} + 2*{pad}) is smaller than the kernel ({FH})")
    return (H + 2 * pad - FH) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_conv_output_size", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("12.conv_output_size", conv_output_size)


# %% [markdown] nbgrader={"grade": false, "grade_id": "conv2d_naive_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 12.2 · A naive convolution (2 points)
#
# Write `conv2d_naive(x, W, b, stride, pad)` with Python loops over the output positions:
#
# $$\text{out}[n, f, o_h, o_w] = \sum_{c, i, j} x_{\text{pad}}[n, c,\; o_h S + i,\; o_w S + j]\;
# W[f, c, i, j] + b[f]$$
#
# - `x` `(N, C, H, W)`, `W` `(FN, C, FH, FW)`, `b` `(FN,)`; the result has shape
#   `(N, FN, OH, OW)`, with `OH`, `OW` from the formula of 12.1.
# - Pad only the two image axes: `np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))`.
# - Loop over `oh` and `ow` (and over `f` if you like); inside, take the window
#   `xp[:, :, oh*S:oh*S+FH, ow*S:ow*S+FW]` and multiply it with `W[f]`.
# - Don't flip the kernel, and don't modify `x`.

# %% nbgrader={"grade": false, "grade_id": "conv2d_naive", "locked": false, "schema_version": 3, "solution": true, "task": false}
def conv2d_naive(x, W, b, stride=1, pad=0):
    """Convolution by loops. x: (N, C, H, W), W: (FN, C, FH, FW), b: (FN,) -> (N, FN, OH, OW)."""
    ### BEGIN SOLUTION
    FN, _, FH, FW = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH, OW = (xp.shape[2] - FH) // stride + 1, (xp.shape[3] - FW) // stride + 1
    out = np.zeros((x.shape[0], FN, OH, OW))
    for oh in range(OH):
        for ow in range(OW):
            window = xp[:, :, oh * stride:oh * stride + FH, ow * stride:ow * stride + FW]
            for f in range(FN):
                out[:, f, oh, ow] = np.sum(window * W[f], axis=(1, 2, 3)) + b[f]
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_conv2d_naive", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("12.conv2d_naive", conv2d_naive)


# %% [markdown] nbgrader={"grade": false, "grade_id": "im2col_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 12.3 · im2col (2 points)
#
# `im2col(x, FH, FW, stride, pad)` lays every window of the padded images out as **one
# row** of a matrix of shape `(N*OH*OW, C*FH*FW)`:
#
# - rows in the order `(n, oh, ow)`: row `(n*OH + oh)*OW + ow` is the window whose
#   top-left corner is at `(oh*stride, ow*stride)` of image `n`;
# - each row is the window flattened in `(C, FH, FW)` order, the order of
#   `W.reshape(FN, -1)`. Then `im2col(x, ...) @ W.reshape(FN, -1).T` is the whole
#   convolution, `(N*OH*OW, FN)`, in one matrix product.
#
# Hint (the textbook's way, one loop over the FH·FW offsets, none over positions): make
# `col` of shape `(N, C, FH, FW, OH, OW)`; for each offset `(i, j)` copy
# `xp[:, :, i:i + stride*OH:stride, j:j + stride*OW:stride]` into `col[:, :, i, j]`; then
# move the axes into row order with `col.transpose(0, 4, 5, 1, 2, 3).reshape(N*OH*OW, -1)`.

# %% nbgrader={"grade": false, "grade_id": "im2col", "locked": false, "schema_version": 3, "solution": true, "task": false}
def im2col(x, FH, FW, stride=1, pad=0):
    """Every FH x FW window as a row. x: (N, C, H, W) -> (N*OH*OW, C*FH*FW)."""
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    col = np.zeros((N, C, FH, FW, OH, OW))
    for i in range(FH):
        for j in range(FW):
            col[:, :, i, j] = xp[:, :, i:i + stride * OH:stride, j:j + stride * OW:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * OH * OW, -1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_im2col", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("12.im2col", im2col)


# %% [markdown] nbgrader={"grade": false, "grade_id": "maxpool_backward_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Exercise 12.4 · The backward pass of max pooling (2 points)
#
# Max pooling outputs the largest value of each `pool_h x pool_w` window (windows `stride`
# apart, no padding): `out[n, c, oh, ow] = max of x[n, c, oh*S:oh*S+pool_h, ow*S:ow*S+pool_w]`.
# Only that largest entry affects the output, with slope 1, so in the backward pass
# **each window's `dout` goes to the position of its max**, and nowhere else.
#
# Write `maxpool_backward(x, dout, pool_h, pool_w, stride)` returning `dx`, shape of `x`:
#
# - `dout` has the shape of the output `(N, C, OH, OW)`.
# - Start from `dx = np.zeros_like(x)`; for each `(oh, ow)`, find the max of the window for
#   every `(n, c)` (e.g. `np.argmax` of the window reshaped to `(N, C, pool_h*pool_w)`,
#   then `np.unravel_index`), and **add** `dout[:, :, oh, ow]` there.
# - Add, don't assign: when windows overlap (`stride < pool size`) one pixel can be the
#   max of several windows, and it receives the sum of their gradients.
#
# The check compares your `dx` with a numerical gradient.

# %% nbgrader={"grade": false, "grade_id": "maxpool_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def maxpool_backward(x, dout, pool_h, pool_w, stride):
    """Gradient of max pooling. x: (N, C, H, W), dout: (N, C, OH, OW) -> dx: (N, C, H, W)."""
    ### BEGIN SOLUTION
    (N, C), (OH, OW) = x.shape[:2], dout.shape[2:]
    dx = np.zeros_like(x, dtype=float)
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")      # (N, C) index grids
    for oh in range(OH):
        for ow in range(OW):
            window = x[:, :, oh * stride:oh * stride + pool_h, ow * stride:ow * stride + pool_w]
            i, j = np.unravel_index(np.argmax(window.reshape(N, C, -1), axis=2), (pool_h, pool_w))
            dx[n, c, oh * stride + i, ow * stride + j] += dout[:, :, oh, ow]
    return dx
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_maxpool_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("12.maxpool_backward", maxpool_backward)

# %% [markdown] nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Done? `dlcourse.cnn` holds the fast versions: `conv_output_size`, `im2col` (one strided
# view, no loop), `Conv2D` and `MaxPool2D`. Chapter 13 turns from images to sequences.
