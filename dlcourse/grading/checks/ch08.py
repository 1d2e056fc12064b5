"""Checks for chapter 08 (deep networks and vanishing gradients)."""
import numpy as np

from dlcourse.lessons import deep_stacks
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import register


def _check_init(init, c, gain, name):
    """Shape, seeding and the mean/std of a big draw; ``gain`` is 1 (Xavier) or 2 (He)."""
    rng = np.random.default_rng
    c.equal("shape of (fan_in=4, fan_out=3)", lambda: np.shape(init(4, 3, rng(0))), (4, 3),
            "the weight matrix of x @ W maps fan_in inputs to fan_out units: shape (fan_in, fan_out)")
    ok, a = c.run("same seed, same weights", lambda: np.asarray(init(30, 20, rng(7)), dtype=float))
    if ok:
        _, b = c.run("same seed, same weights", lambda: np.asarray(init(30, 20, rng(7)), dtype=float))
        same = b is not None and np.shape(a) == np.shape(b) and np.array_equal(a, b)
        c.record("same seed, same weights", same, "identical" if same else "the draws differ",
                 "draw from the rng you are given (rng.standard_normal), not from np.random")
    fan_in, fan_out = 2000, 300
    target = np.sqrt(gain / fan_in)
    ok, W = c.run(f"a ({fan_in}, {fan_out}) draw", lambda: np.asarray(init(fan_in, fan_out, rng(1)), dtype=float))
    if not ok:
        return
    if W.shape != (fan_in, fan_out):
        c.record(f"a ({fan_in}, {fan_out}) draw", False, f"expected shape {(fan_in, fan_out)}, got {W.shape}")
        return
    m, s = float(W.mean()), float(W.std())
    c.record("mean ≈ 0 (within 1% of the target std)", abs(m) < 0.01 * target, f"mean {m:+.2e}")
    c.record(f"std ≈ √({gain}/fan_in) = {target:.4f} (within 2%)", abs(s / target - 1) < 0.02,
             f"std {s:.4f} ({100 * (s / target - 1):+.1f}%)",
             f"{name}: std √({gain} / fan_in); rng.standard_normal((fan_in, fan_out)) * np.sqrt({gain} / fan_in)")
    kurt = float(np.mean((W - m) ** 4) / s ** 4) if s > 0 else 0.0
    c.record("normal, not uniform (kurtosis ≈ 3)", abs(kurt - 3) < 0.1, f"kurtosis {kurt:.2f}",
             "draw from a normal distribution (a uniform one has kurtosis 1.8)")


@register("08.xavier", forbid=("dlcourse.optim.xavier",), points=2,
          title="xavier(fan_in, fan_out, rng) -> (fan_in, fan_out)",
          hint="normal weights with std √(1/fan_in): rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)")
def check_xavier(xavier, c):
    _check_init(xavier, c, 1, "Xavier")


@register("08.he", forbid=("dlcourse.optim.he",), points=2,
          title="he(fan_in, fan_out, rng) -> (fan_in, fan_out)",
          hint="normal weights with std √(2/fan_in): ReLU zeroes half its inputs, the 2 makes up for it")
def check_he(he, c):
    _check_init(he, c, 2, "He")


def _stack(rng, sizes, bias=0.1):
    return [(rng.standard_normal((a, b)) / np.sqrt(a), bias * rng.standard_normal(b))
            for a, b in zip(sizes[:-1], sizes[1:])]


def _numerical_norms(params, x, t, activation):
    """||dL/dW|| per layer from central differences of the reference loss (float64)."""
    f = lambda _: deep_stacks.loss_and_grads(params, x, t, activation)[0]     # noqa: E731
    return np.array([np.linalg.norm(numerical_gradient(f, W)) for W, _ in params])


@register("08.gradient_norms",
          forbid=("dlcourse.lessons.deep_stacks.gradient_norms", "dlcourse.lessons.deep_stacks.loss_and_grads",
                  "dlcourse.experiments.deep.gradient_profiles"),
          points=3, title="gradient_norms(params, x, t, activation) -> L norms, input layer first",
          hint="forward: keep every layer's input h and pre-activation z; backward from "
               "dscores = (softmax - onehot) / N: dz = dh * act'(z), dW = h.T @ dz, dh = dz @ W.T; "
               "return [||dW1||, ..., ||dWL||] with np.linalg.norm, input layer first")
def check_gradient_norms(gradient_norms, c):
    rng = c.rng
    x = rng.standard_normal((6, 5))
    t = rng.integers(0, 3, 6)
    tiny = _stack(rng, [5, 4, 4, 3])
    c.close("sigmoid 5-4-4-3 vs numerical gradients", lambda: gradient_norms(tiny, x, t, "sigmoid"),
            _numerical_norms(tiny, x, t, "sigmoid"), tol=1e-7)
    for act in ("sigmoid", "tanh", "relu"):
        params = _stack(rng, [5, 8, 8, 8, 8, 3])
        c.close(f"{act}, 4 hidden layers of 8", lambda: gradient_norms(params, x, t, act),
                deep_stacks.gradient_norms(params, x, t, act))
    xd = rng.random((20, 64))
    td = rng.integers(0, 10, 20)
    deep_params = deep_stacks.init_stack([64] + [30] * 8 + [10], "xavier", rng=3)
    c.close("sigmoid, 8 x 30 (vanishing)", lambda: gradient_norms(deep_params, xd, td, "sigmoid"),
            deep_stacks.gradient_norms(deep_params, xd, td, "sigmoid"))
    one = _stack(rng, [5, 3])
    c.close("one affine layer (no hidden layer)", lambda: gradient_norms(one, x, t, "sigmoid"),
            deep_stacks.gradient_norms(one, x, t, "sigmoid"))
