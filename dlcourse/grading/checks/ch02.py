"""Checks for chapter 02 (activation functions)."""
import numpy as np

from dlcourse import functions as F
from dlcourse.grading.core import register

_EXTREMES = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])


def _untouched(c, label, func, x):
    """Pass when ``func(x)`` leaves ``x`` unchanged (backward passes rely on it)."""
    before = x.copy()
    try:
        func(x)
    except NotImplementedError:
        raise
    except Exception as exc:
        return c.record(label, False, f"raised {type(exc).__name__}")
    return c.record(label, np.array_equal(x, before),
                    "input unchanged" if np.array_equal(x, before) else "your function changed its input x",
                    "work on a copy: np.maximum(x, 0) returns a new array, x[x < 0] = 0 edits x")


@register("02.sigmoid", forbid=("dlcourse.functions.sigmoid",), points=2, title="sigmoid(x) -> same shape",
          hint="sigmoid(x) = 1 / (1 + exp(-x)); for large negative x, exp(-x) overflows: "
               "use exp(-|x|) and pick the formula by the sign of x")
def check_sigmoid(sigmoid, c):
    x = c.rng.standard_normal((4, 5)) * 3
    c.close("random x, shape (4, 5)", lambda: sigmoid(x), F.sigmoid(x))
    c.close("sigmoid(0) = 0.5", lambda: sigmoid(np.array([0.0])), [0.5])
    c.no_warnings("x = ±1000: finite, no overflow warning", lambda: sigmoid(_EXTREMES),
                  "np.exp(1000) overflows to inf; only ever call np.exp on -|x|")
    c.close("x = ±1000 values", lambda: sigmoid(_EXTREMES), F.sigmoid(_EXTREMES))


@register("02.relu", forbid=("dlcourse.functions.relu",), points=1, title="relu(x) -> same shape",
          hint="relu(x) = max(0, x) elementwise: np.maximum(x, 0)")
def check_relu(relu, c):
    x = c.rng.standard_normal((6, 3))
    c.close("random x, shape (6, 3)", lambda: relu(x), F.relu(x))
    c.close("relu([-2, 0, 3]) = [0, 0, 3]", lambda: relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    _untouched(c, "does not modify its input", relu, c.rng.standard_normal(8))


@register("02.leaky_relu", forbid=("dlcourse.functions.leaky_relu",), points=1, title="leaky_relu(x, alpha=0.01) -> same shape",
          hint="x where x > 0, alpha * x elsewhere: np.where(x > 0, x, alpha * x); "
               "use the alpha you are given")
def check_leaky_relu(leaky_relu, c):
    x = c.rng.standard_normal((5, 4)) * 2
    c.close("random x, default alpha = 0.01", lambda: leaky_relu(x), F.leaky_relu(x))
    c.close("alpha = 0.2", lambda: leaky_relu(x, alpha=0.2), F.leaky_relu(x, alpha=0.2))
    c.close("leaky_relu([-100, 5]) = [-1, 5]", lambda: leaky_relu(np.array([-100.0, 5.0])), [-1.0, 5.0])
    _untouched(c, "does not modify its input", leaky_relu, c.rng.standard_normal(8))


@register("02.softmax", forbid=("dlcourse.functions.softmax",), points=2, title="softmax(x), x of shape (C,) or (N, C)",
          hint="subtract the maximum of each row before np.exp (the result does not change, "
               "overflow goes away), then divide by the row's sum (axis=-1, keepdims=True)")
def check_softmax(softmax, c):
    c.close("softmax([0.3, 2.9, 1.0]) (the slide)", lambda: softmax(np.array([0.3, 2.9, 1.0])),
            F.softmax(np.array([0.3, 2.9, 1.0])))
    x = c.rng.standard_normal((4, 6)) * 2
    c.close("batch (4, 6): each row on its own", lambda: softmax(x), F.softmax(x))
    big = np.array([[1000.0, 1000.5, 999.0], [-1000.0, 0.0, 1000.0]])
    c.no_warnings("scores near ±1000: no overflow", lambda: softmax(big),
                  "np.exp(1000) is inf; subtract the row maximum first")
    c.close("scores near ±1000 values", lambda: softmax(big), F.softmax(big))
