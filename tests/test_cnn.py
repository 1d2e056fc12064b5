"""Chapter 12 library: im2col/col2im, conv and pooling layers, BatchNorm2D, the CNN models.

Vectorised code is compared with naive loops; every backward is checked against
central differences in float64 (``check_layer_gradients``). Conv, average pooling
and reshapes are linear in each input, so central differences have no truncation
error there and a larger step (1e-4) keeps round-off small.
"""
import numpy as np
import pytest

from dlcourse import cnn, models, optim
from dlcourse.gradients import check_layer_gradients, numerical_gradient, rel_error

TOL = 1e-7

# (N, C, H, W, FN, FH, FW, stride, pad): square and non-square kernels, stride > 1,
# padding, pairs for stride/pad, a kernel as large as the padded input, and a
# stride that leaves the last rows unused.
CASES = [
    (2, 3, 5, 5, 4, 3, 3, 1, 0),
    (2, 2, 6, 7, 3, 3, 3, 1, 1),
    (3, 2, 7, 6, 2, 3, 2, 2, 1),
    (1, 3, 8, 5, 2, 2, 4, 3, 2),
    (2, 1, 4, 9, 3, 1, 4, (1, 2), (0, 2)),
    (2, 2, 3, 3, 2, 5, 5, 1, 1),
    (1, 2, 9, 9, 3, 3, 3, 2, 0),
]


def _case(case, seed=0):
    N, C, H, W, FN, FH, FW, stride, pad = case
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, C, H, W)), rng.standard_normal((FN, C, FH, FW)),
            rng.standard_normal(FN), stride, pad)


def assert_grads_ok(errors, tol=TOL):
    assert errors, "no gradient was checked"
    bad = {k: v for k, v in errors.items() if not v < tol}
    assert not bad, f"relative errors above {tol:g}: {bad}"


# --- im2col / col2im against the loops ----------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_im2col_matches_the_textbook_loop(case):
    x, W, _, stride, pad = _case(case)
    FH, FW = W.shape[2:]
    col = cnn.im2col(x, FH, FW, stride, pad)
    np.testing.assert_array_equal(col, cnn.im2col_loop(x, FH, FW, stride, pad))


@pytest.mark.parametrize("case", CASES)
def test_col2im_matches_the_loop_and_is_the_adjoint(case):
    x, W, _, stride, pad = _case(case, seed=1)
    FH, FW = W.shape[2:]
    shape = cnn.im2col(x, FH, FW, stride, pad).shape
    col = np.random.default_rng(2).standard_normal(shape)
    img = cnn.col2im(col, x.shape, FH, FW, stride, pad)
    np.testing.assert_allclose(img, cnn.col2im_loop(col, x.shape, FH, FW, stride, pad), atol=1e-12)
    # <im2col(x), col> == <x, col2im(col)>: col2im is the transpose of im2col
    lhs = np.sum(cnn.im2col(x, FH, FW, stride, pad) * col)
    assert lhs == pytest.approx(np.sum(x * img), rel=1e-12)


def test_im2col_rows_are_windows():
    x = np.arange(2 * 2 * 4 * 4, dtype=float).reshape(2, 2, 4, 4)
    col = cnn.im2col(x, 2, 3, stride=1, pad=0)                # OH = 3, OW = 2
    assert col.shape == (2 * 3 * 2, 2 * 2 * 3)
    row = 1 * 6 + 2 * 2 + 1                                   # n = 1, oh = 2, ow = 1
    np.testing.assert_array_equal(col[row], x[1, :, 2:4, 1:4].ravel())


# --- Conv2D -------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_conv2d_forward_matches_the_naive_loop(case):
    x, W, b, stride, pad = _case(case)
    out = cnn.Conv2D(W, b, stride, pad).forward(x)
    np.testing.assert_allclose(out, cnn.conv2d_naive(x, W, b, stride, pad), rtol=1e-12, atol=1e-12)
    H, Wd = x.shape[2:]
    sh, sw = stride if isinstance(stride, tuple) else (stride, stride)
    ph, pw = pad if isinstance(pad, tuple) else (pad, pad)
    assert out.shape == (x.shape[0], W.shape[0], (H + 2 * ph - W.shape[2]) // sh + 1,
                         (Wd + 2 * pw - W.shape[3]) // sw + 1)


@pytest.mark.parametrize("case", CASES)
def test_conv2d_gradients(case):
    x, W, b, stride, pad = _case(case, seed=3)
    errors = check_layer_gradients(cnn.Conv2D(W, b, stride, pad), x, h=1e-4)
    assert set(errors) == {"dx0", "param0", "param1"}
    assert_grads_ok(errors)


def test_conv2d_backward_matches_the_textbook_im2col():
    x, W, b, stride, pad = _case(CASES[2], seed=4)
    layer = cnn.Conv2D(W, b, stride, pad)
    out = layer.forward(x)
    dout = np.random.default_rng(5).standard_normal(out.shape)
    dx = layer.backward(dout)
    FN, C, FH, FW = W.shape
    col = cnn.im2col_loop(x, FH, FW, stride, pad)                               # (N·OH·OW, C·FH·FW)
    dout2 = dout.transpose(0, 2, 3, 1).reshape(-1, FN)                          # (N·OH·OW, FN)
    np.testing.assert_allclose(layer.grads[0], (dout2.T @ col).reshape(W.shape), atol=1e-12)
    np.testing.assert_allclose(dx, cnn.col2im_loop(dout2 @ W.reshape(FN, -1), x.shape, FH, FW,
                                                   stride, pad), atol=1e-12)


def test_conv2d_keeps_float32():
    x, W, b, stride, pad = _case(CASES[1])
    layer = cnn.Conv2D(W.astype(np.float32), b.astype(np.float32), stride, pad)
    out = layer.forward(x.astype(np.float32))
    assert out.dtype == np.float32
    assert layer.backward(np.ones_like(out)).dtype == np.float32


def test_layers_leave_their_inputs_alone():
    x, W, b, stride, pad = _case(CASES[2])
    for layer in (cnn.Conv2D(W, b, stride, pad), cnn.MaxPool2D(2, 2, stride=1),
                  cnn.AvgPool2D(3, 2), cnn.BatchNorm2D(np.ones(2), np.zeros(2)), cnn.Flatten()):
        x0 = x.copy()
        out = layer.forward(x)
        dout = np.ones_like(out)
        layer.backward(dout)
        np.testing.assert_array_equal(x, x0)
        np.testing.assert_array_equal(dout, np.ones_like(out))


# --- odd cases raise clear errors ------------------------------------------------------------

def test_input_smaller_than_the_kernel_is_a_clear_error():
    W, b = np.ones((2, 1, 5, 5)), np.zeros(2)
    with pytest.raises(ValueError, match=r"3x3 .*smaller than the kernel 5x5"):
        cnn.Conv2D(W, b).forward(np.ones((1, 1, 3, 3)))
    cnn.Conv2D(W, b, pad=1).forward(np.ones((1, 1, 3, 3)))        # padded to 5x5: fits
    with pytest.raises(ValueError, match="smaller than the kernel"):
        cnn.im2col(np.ones((1, 1, 2, 6)), 3, 3)
    with pytest.raises(ValueError, match="smaller than the kernel"):
        cnn.MaxPool2D(3, 3).forward(np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"input \(4 \+ 2·pad 0 = 4\) is smaller than the kernel \(5\)"):
        cnn.Conv1D(np.ones((2, 1, 5)), np.zeros(2)).forward(np.ones((3, 1, 4)))
    with pytest.raises(ValueError, match="smaller than the kernel"):
        cnn.conv_output_size(2, 5)


def test_wrong_channels_and_shapes_name_expected_and_got():
    layer = cnn.Conv2D(np.ones((4, 3, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"expected x of shape \(N, 3, H, W\).*got \(2, 1, 8, 8\)"):
        layer.forward(np.ones((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"expected x of shape \(N, 3, H, W\).*got \(3, 8, 8\)"):
        layer.forward(np.ones((3, 8, 8)))
    with pytest.raises(ValueError, match=r"expected b of shape \(4,\), got \(3,\)"):
        cnn.Conv2D(np.ones((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"expected x of shape \(N, 2, L\)"):
        cnn.Conv1D(np.ones((4, 2, 3)), np.zeros(4)).forward(np.ones((5, 3, 10)))
    with pytest.raises(ValueError, match="stride"):
        cnn.Conv2D(np.ones((1, 1, 2, 2)), np.zeros(1), stride=0)
    out = layer.forward(np.ones((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"expected dout .* of shape \(2, 4, 6, 6\), got \(2, 4, 6\)"):
        layer.backward(out[:, :, 0])


@pytest.mark.parametrize("call, message", [
    (lambda: cnn.Conv2D(np.ones((1, 1, 2, 2)), np.zeros(1), stride=0),
     r"^Conv2D: expected stride to be an int >= 1 or a pair of them, got 0$"),
    (lambda: cnn.Conv2D(np.ones((1, 1, 2, 2)), np.zeros(1), pad=-1),
     r"^Conv2D: expected pad to be an int >= 0 or a pair of them, got -1$"),
    (lambda: cnn.MaxPool2D(2, 2, stride=(1, 0)),
     r"^MaxPool2D: expected stride to be an int >= 1 or a pair of them, got \(1, 0\)$"),
    (lambda: cnn.AvgPool2D(2, 0), r"^AvgPool2D: expected pool_w to be an int >= 1, got 0$"),
    (lambda: cnn.im2col(np.ones((1, 1, 4, 4)), 2, 2, pad=1.5),
     r"^im2col: expected pad to be an int >= 0 or a pair of them, got 1.5$"),
    (lambda: cnn.Conv1D(np.ones((2, 1, 3)), np.zeros(2), stride=(1, 1)),
     r"^Conv1D: expected stride to be an int >= 1, got \(1, 1\)$"),
    (lambda: cnn.conv_weights(2, 1, 3, 3, init="lecun"),
     r"^conv_weights: unknown init 'lecun'; expected one of he, xavier$"),
    (lambda: cnn.mnist1d_cnn(init="lecun"), r"^mnist1d_cnn: unknown init 'lecun'; expected one of torch, he$"),
])
def test_bad_hyperparameters_name_the_layer(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_reshape_checks_dout():
    layer = cnn.Flatten()
    layer.forward(np.ones((2, 3, 4, 4)))
    with pytest.raises(ValueError, match=r"Flatten.backward: expected dout .* of shape \(2, 48\), got \(2, 47\)"):
        layer.backward(np.ones((2, 47)))


@pytest.mark.parametrize("size, kernel, stride, pad, expected",
                         [(28, 3, 1, 1, 28), (28, 5, 1, 0, 24), (7, 3, 2, 0, 3), (8, 3, 2, 0, 3),
                          (4, 2, 2, 0, 2), (5, 5, 1, 0, 1), (40, 5, 2, 1, 19), (3, 5, 1, 1, 1)])
def test_output_size_formula(size, kernel, stride, pad, expected):
    assert cnn.conv_output_size(size, kernel, stride, pad) == expected


# --- Conv1D ---------------------------------------------------------------------------------

def _conv1d_naive(x, W, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad)))
    FN, C, K = W.shape
    OL = (x.shape[2] + 2 * pad - K) // stride + 1
    out = np.zeros((x.shape[0], FN, OL))
    for n in range(x.shape[0]):
        for f in range(FN):
            for l in range(OL):
                out[n, f, l] = np.sum(xp[n, :, l * stride:l * stride + K] * W[f]) + b[f]
    return out


@pytest.mark.parametrize("N, C, L, FN, K, stride, pad", [(3, 1, 40, 4, 5, 2, 1), (2, 3, 10, 2, 3, 2, 1),
                                                         (2, 2, 7, 3, 3, 1, 0), (1, 2, 4, 2, 4, 3, 2)])
def test_conv1d_forward_and_gradients(N, C, L, FN, K, stride, pad):
    rng = np.random.default_rng(N + C + L)
    x, W, b = rng.standard_normal((N, C, L)), rng.standard_normal((FN, C, K)), rng.standard_normal(FN)
    layer = cnn.Conv1D(W, b, stride, pad)
    np.testing.assert_allclose(layer.forward(x), _conv1d_naive(x, W, b, stride, pad), atol=1e-12)
    assert [p.shape for p in layer.params] == [(FN, C, K), (FN,)]
    assert [g.shape for g in layer.grads] == [(FN, C, K), (FN,)]
    assert_grads_ok(check_layer_gradients(layer, x, h=1e-4))


def test_conv1d_params_are_the_arrays_the_layer_uses():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((2, 1, 3))
    layer = cnn.Conv1D(W.copy(), np.zeros(2))
    x = rng.standard_normal((1, 1, 6))
    layer.params[0] += 1.0                                       # what an optimiser does
    np.testing.assert_allclose(layer.forward(x), _conv1d_naive(x, W + 1, np.zeros(2), 1, 0), atol=1e-12)
    layer.backward(np.ones((1, 2, 4)))
    np.testing.assert_allclose(layer.grads[0], np.broadcast_to(
        [x[0, 0, k:k + 4].sum() for k in range(3)], (2, 1, 3)), atol=1e-12)


# --- pooling ---------------------------------------------------------------------------------

def _pool_naive(x, ph, pw, stride, pad, reduce, fill):
    sh, sw = (stride, stride) if not isinstance(stride, tuple) else stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    OH, OW = (xp.shape[2] - ph) // sh + 1, (xp.shape[3] - pw) // sw + 1
    out = np.zeros((*x.shape[:2], OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = reduce(xp[:, :, i * sh:i * sh + ph, j * sw:j * sw + pw], axis=(2, 3))
    return out


POOLS = [(2, 2, None, 0), (3, 3, 1, 1), (2, 3, (1, 2), 0), (3, 2, 2, 1), (2, 2, 1, 0)]


@pytest.mark.parametrize("ph, pw, stride, pad", POOLS)
def test_max_pool_matches_the_loop_and_its_gradient(ph, pw, stride, pad):
    rng = np.random.default_rng(ph * 10 + pw)
    x = rng.permutation(2 * 3 * 6 * 7).reshape(2, 3, 6, 7) / 10.0     # distinct values: no ties
    layer = cnn.MaxPool2D(ph, pw, stride=stride, pad=pad)
    s = (ph, pw) if stride is None else stride
    np.testing.assert_array_equal(layer.forward(x), _pool_naive(x, ph, pw, s, pad, np.max, -np.inf))
    assert_grads_ok(check_layer_gradients(layer, x, h=1e-5))


@pytest.mark.parametrize("ph, pw, stride, pad", POOLS)
def test_avg_pool_matches_the_loop_and_its_gradient(ph, pw, stride, pad):
    x = np.random.default_rng(ph + pw).standard_normal((2, 2, 6, 7))
    layer = cnn.AvgPool2D(ph, pw, stride=stride, pad=pad)
    s = (ph, pw) if stride is None else stride
    np.testing.assert_allclose(layer.forward(x), _pool_naive(x, ph, pw, s, pad, np.mean, 0.0), atol=1e-12)
    assert_grads_ok(check_layer_gradients(layer, x, h=1e-4))


def test_max_pool_backward_routes_to_the_max_and_sums_overlaps():
    x = np.array([[[[1.0, 9.0, 2.0], [3.0, 4.0, 5.0], [0.0, 6.0, 7.0]]]])
    layer = cnn.MaxPool2D(2, 2, stride=1)                        # 2x2 output, windows overlap
    np.testing.assert_array_equal(layer.forward(x)[0, 0], [[9.0, 9.0], [6.0, 7.0]])
    dx = layer.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    np.testing.assert_array_equal(dx[0, 0], [[0, 3, 0], [0, 0, 0], [0, 3, 4]])


def test_pool_stride_defaults_to_the_window():
    layer = cnn.MaxPool2D(2, 3)
    assert layer.stride == (2, 3)
    assert layer.forward(np.zeros((1, 1, 6, 6))).shape == (1, 1, 3, 2)


# --- BatchNorm2D ------------------------------------------------------------------------------

def test_batchnorm2d_normalises_per_channel():
    rng = np.random.default_rng(7)
    C = 3
    x = rng.standard_normal((8, C, 5, 4)) * np.array([1.0, 4.0, 0.5])[:, None, None] + \
        np.array([2.0, -3.0, 10.0])[:, None, None]
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])
    bn = cnn.BatchNorm2D(gamma, beta)
    out = bn.forward(x, train=True)
    assert [p.shape for p in bn.params] == [(C,), (C,)]                # one gamma, beta per channel
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), gamma, rtol=1e-4)
    # per channel, not per (c, h, w): one position across the batch is not normalised
    assert np.ptp(out[:, 1].mean(axis=0)) > 0.1
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=(0, 2, 3)), rtol=1e-12)
    test_out = bn.forward(x, train=False)
    expected = (x - bn.running_mean[:, None, None]) / np.sqrt(bn.running_var[:, None, None] + bn.eps)
    np.testing.assert_allclose(test_out, gamma[:, None, None] * expected + beta[:, None, None])


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("shape", [(4, 3, 3, 2), (5, 2, 6)])
def test_batchnorm2d_gradients(train, shape):
    rng = np.random.default_rng(len(shape) + train)
    C = shape[1]
    bn = cnn.BatchNorm2D(rng.uniform(0.5, 2.0, C), rng.standard_normal(C))
    for _ in range(2):
        bn.forward(2 * rng.standard_normal(shape) + 1, train=True)

    class Fixed:
        params, grads = bn.params, bn.grads
        forward = staticmethod(lambda x: bn.forward(x, train=train))
        backward = staticmethod(bn.backward)

    running = bn.running_mean.copy(), bn.running_var.copy()
    errors = check_layer_gradients(Fixed(), 2 * rng.standard_normal(shape) + 0.5)
    assert_grads_ok(errors)
    if not train:
        np.testing.assert_array_equal(bn.running_mean, running[0])


# --- models ------------------------------------------------------------------------------------

def _model_gradients_ok(model, x, t, tol=1e-6, every=1):
    """A whole network against central differences. The loss passes through ReLU and
    max kinks and many layers, so the round-off on its tiniest gradient entries is
    larger than a single layer's: 1e-6 (a wrong gradient is off by > 1e-2)."""
    model.loss(x, t)
    dx = model.backward()
    assert dx.shape == x.shape
    analytic = [g.copy() for g in model.grads]
    for p, g in zip(model.params[::every], analytic[::every]):
        assert rel_error(g, numerical_gradient(lambda: model.loss(x, t), p)) < tol


def test_mnist1d_cnn_matches_the_paper_architecture():
    model = cnn.mnist1d_cnn(rng=0)
    convs = [l for l in model.layers if isinstance(l, cnn.Conv1D)]
    assert [l.params[0].shape for l in convs] == [(25, 1, 5), (25, 25, 3), (25, 25, 3)]
    assert [(l.stride, l.pad) for l in convs] == [(2, 1)] * 3
    assert sum(p.size for p in model.params) == 5210
    x = np.random.default_rng(0).standard_normal((7, 40))
    assert model.predict(x).shape == (7, 10)
    assert [m.shape for m in model.feature_maps(x, 7)[1::2]] == [(7, 25, 19), (7, 25, 10), (7, 25, 5)]


def test_mnist1d_cnn_gradients_and_training():
    rng = np.random.default_rng(1)
    small = cnn.mnist1d_cnn(rng=0, channels=3)
    x, t = rng.standard_normal((4, 40)), rng.integers(0, 10, 4)
    _model_gradients_ok(small, x, t)
    model = cnn.mnist1d_cnn(rng=0, init="he")
    x, t = rng.standard_normal((60, 40)), rng.integers(0, 10, 60)
    hist = models.train(model, optim.Adam(lr=1e-2), x, t, epochs=15, batch_size=20, rng=0, progress=False)
    assert hist["train_acc"][-1] > 0.8                               # it can fit 60 random samples
    with pytest.raises(ValueError, match="init"):
        cnn.mnist1d_cnn(init="zeros")


def test_simple_cnn_shapes_gradients_and_chunked_evaluation():
    rng = np.random.default_rng(2)
    model = cnn.SimpleCNN((1, 8, 8), conv=((2, 3), (3, 3)), hidden=(5,), batchnorm=False, rng=0)
    x, t = rng.random((3, 1, 8, 8)), rng.integers(0, 10, 3)
    assert model.predict(x).shape == (3, 10)
    _model_gradients_ok(model, x, t)
    model.chunk = 2
    xs, ts = rng.random((5, 1, 8, 8)), rng.integers(0, 10, 5)
    full = cnn.Classifier(model.layers, chunk=100)
    np.testing.assert_allclose(model.predict(xs), full.predict(xs), atol=1e-12)
    assert model.loss(xs, ts, train=False) == pytest.approx(full.loss(xs, ts, train=False), rel=1e-12)


def test_simple_cnn_with_batchnorm_trains():
    rng = np.random.default_rng(3)
    model = cnn.SimpleCNN((1, 8, 8), conv=((4, 3),), batchnorm=True, classes=2, rng=0)
    assert any(isinstance(l, cnn.BatchNorm2D) for l in model.layers)
    x = rng.random((40, 1, 8, 8))
    t = (x[:, 0, :, :4].sum(axis=(1, 2)) > x[:, 0, :, 4:].sum(axis=(1, 2))).astype(int)  # left vs right
    hist = models.train(model, optim.Adam(lr=1e-2), x, t, epochs=20, batch_size=10, rng=0, progress=False)
    assert hist["train_acc"][-1] >= 0.9


# --- filters -----------------------------------------------------------------------------------

def test_filter2d_is_a_one_channel_convolution():
    rng = np.random.default_rng(4)
    img, k = rng.random((9, 11)), rng.standard_normal((3, 3))
    out = cnn.filter2d(img, k)
    assert out.shape == img.shape
    ref = cnn.conv2d_naive(img[None, None], k[None, None], np.zeros(1), pad=1)[0, 0]
    np.testing.assert_allclose(out, ref, atol=1e-12)
    np.testing.assert_allclose(cnn.filter2d(img, cnn.FILTERS["identity"]), img)
    flat = cnn.filter2d(np.full((5, 5), 2.0), cnn.FILTERS["mean"], pad=0)
    np.testing.assert_allclose(flat, 2.0)
    ramp = np.tile(np.arange(6.0), (4, 1))                              # brightness grows to the right
    np.testing.assert_allclose(cnn.filter2d(ramp, cnn.FILTERS["vertical edge"], pad=0), 6.0)
