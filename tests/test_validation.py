"""dlcourse.validation: every check passes good input through unchanged and fails bad input
with a message naming who checked, what was expected and what was given."""
import numpy as np
import pytest

from dlcourse import validation as V


def test_as_float_keeps_floats_and_converts_the_rest():
    x64, x32 = np.ones(3), np.ones(3, np.float32)
    assert V.as_float(x64) is x64 and V.as_float(x32) is x32        # no copy, same dtype
    assert V.as_float([1, 2]).dtype == np.float64
    assert V.as_float(np.array([True, False])).dtype == np.float64
    np.testing.assert_array_equal(V.as_float(np.arange(3)), [0.0, 1.0, 2.0])


@pytest.mark.parametrize("shape, text", [((4, 3), "(4, 3)"), ((3,), "(3,)"), (("N", "T", 5), "(N, T, 5)"),
                                         ((), "()")])
def test_format_shape(shape, text):
    assert V.format_shape(shape) == text


def test_check_shape_with_sizes_and_letters():
    V.check_shape("Layer", "x", np.zeros((4, 3)), (4, 3))
    V.check_shape("Layer", "x", np.zeros((7, 2, 3)), ("N", "T", 3))
    V.check_shape("Layer", "x", np.float64(1.0), ())
    with pytest.raises(ValueError, match=r"^Layer.forward: expected x of shape \(N, 3\), got \(4, 2\)$"):
        V.check_shape("Layer.forward", "x", np.zeros((4, 2)), ("N", 3))
    with pytest.raises(ValueError, match=r"expected xs of shape \(N, T, 3\), got \(4, 3\)"):
        V.check_shape("TimeRNN.forward", "xs", np.zeros((4, 3)), ("N", "T", 3))
    with pytest.raises(ValueError, match=r"expected b of shape \(2,\), got \(3,\)"):
        V.check_shape("Affine", "b", np.zeros(3), (2,))


def test_check_dout():
    d = np.ones((2, 3), np.float32)
    assert V.check_dout("Affine.backward", d, (2, 3)) is d
    assert V.check_dout("MSELoss.backward", 1.0, ()).dtype == np.float64
    with pytest.raises(ValueError, match=r"Affine.backward: expected dout \(the shape of the forward output\) "
                                         r"of shape \(2, 4\), got \(2, 3\)"):
        V.check_dout("Affine.backward", d, (2, 4))


def test_check_labels():
    np.testing.assert_array_equal(V.check_labels("loss", np.array([0, 2, 1]), 3), [0, 2, 1])
    assert V.check_labels("loss", np.array([1.0, 0.0]), 2).dtype == np.int64
    assert V.check_labels("loss", np.array([], int), 3).shape == (0,)
    with pytest.raises(ValueError, match=r"^loss: expected integer labels t in 0\.\.2, got values 0\.\.3$"):
        V.check_labels("loss", np.array([0, 3]), 3)
    with pytest.raises(ValueError, match=r"got values -1\.\.1"):
        V.check_labels("loss", np.array([-1, 1]), 3)
    with pytest.raises(ValueError, match=r"expected integer labels t in 0\.\.2, got dtype float64"):
        V.check_labels("loss", np.array([0.5]), 3)


def test_pair():
    assert V.pair("Conv2D", "stride", 2) == (2, 2)
    assert V.pair("Conv2D", "pad", (0, 1)) == (0, 1)
    assert V.pair("Conv2D", "pad", np.int64(3)) == (3, 3)
    assert V.pair("Conv2D", "pad", 2.0) == (2, 2) and isinstance(V.pair("Conv2D", "pad", 2.0)[0], int)
    for bad in (-1, 1.5, (1, 2, 3), "2", True):
        with pytest.raises(ValueError, match=r"^Conv2D: expected pad to be an int >= 0 or a pair of them, got "):
            V.pair("Conv2D", "pad", bad)
    with pytest.raises(ValueError, match=r"MaxPool2D: expected stride to be an int >= 1 or a pair of them, got 0"):
        V.pair("MaxPool2D", "stride", 0, low=1)


def test_check_int():
    assert V.check_int("Conv1D", "stride", 2) == 2 and V.check_int("Conv1D", "pad", 0, low=0) == 0
    for bad in (0, 1.5, (1,), None):
        with pytest.raises(ValueError, match=r"^Conv1D: expected stride to be an int >= 1, got "):
            V.check_int("Conv1D", "stride", bad)


def test_check_choice():
    assert V.check_choice("Dropout", "mode", "inverted", ("inverted", "scale_at_test")) == "inverted"
    with pytest.raises(ValueError, match=r"^Dropout: unknown mode 'slides'; expected one of inverted, scale_at_test$"):
        V.check_choice("Dropout", "mode", "slides", ("inverted", "scale_at_test"))


def test_check_positive_and_range():
    V.check_positive("SGD", "a learning rate lr", 0.1)
    with pytest.raises(ValueError, match=r"^SGD: expected a learning rate lr > 0, got -1$"):
        V.check_positive("SGD", "a learning rate lr", -1)
    with pytest.raises(ValueError, match=r"got nan"):
        V.check_positive("Adam", "eps", float("nan"))
    V.check_range("Momentum", "momentum", 0.0, 0.0, 1.0)
    V.check_range("BatchNorm", "momentum", 1.0, 0.0, 1.0, high_inclusive=True)
    with pytest.raises(ValueError, match=r"^Momentum: expected momentum in \[0.0, 1.0\), got 1.0$"):
        V.check_range("Momentum", "momentum", 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"^BatchNorm: expected momentum in \[0.0, 1.0\], got -0.5$"):
        V.check_range("BatchNorm", "momentum", -0.5, 0.0, 1.0, high_inclusive=True)


def test_check_mask():
    assert V.check_mask("attention", None, (2, 3)) is None
    m = np.ones((1, 3), bool)
    assert V.check_mask("attention", m, (2, 3)) is m
    with pytest.raises(TypeError, match=r"attention: expected a boolean mask \(True = may attend\), got dtype float64"):
        V.check_mask("attention", np.ones((2, 3)), (2, 3))
    with pytest.raises(ValueError, match=r"attention: mask of shape \(2,\) does not broadcast to the scores' shape"):
        V.check_mask("attention", np.ones(2, bool), (2, 3))


def test_the_library_uses_no_private_copies():
    """No layer module keeps its own float conversion or reaches into another module's helpers."""
    import inspect

    from dlcourse import attention, cnn, functions, layers, optim, recursive, rnn, seq2seq, transformer

    for module in (attention, cnn, functions, layers, optim, recursive, rnn, seq2seq, transformer):
        source = inspect.getsource(module)
        for private in ("def _float(", "def _as_float(", "def _pair(", "def _check_rate(", "def _labels(",
                        "def _check_mask(", "L._", "layers._"):
            assert private not in source, (module.__name__, private)
