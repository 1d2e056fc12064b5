"""Checks for chapter 09 (optimisers): the learner's Momentum, AdaGrad and Adam classes.

Each check builds the learner's optimiser with given hyperparameters, runs
several ``update(params, grads)`` steps on seeded random parameters and
gradients, and compares the *change* of the parameters (after the first step
and after the last) with :mod:`dlcourse.optim`'s reference, run here on copies.
Comparing the change rather than the parameters makes a small mistake (eps in
the wrong place) visible at the 1e-7 tolerance.

``params`` and ``grads`` are handed over as one array each of shape (K, ...):
indexing or iterating over them gives the K parameter arrays, exactly as a
list would, and an in-place update of ``params[i]`` edits that array. Under
``dlcourse grade`` the learner's code runs in a sandbox that copies in-place
edits of array arguments back, but not of arrays inside a list; an array of
parameters works both in the notebook and in the sandbox.
"""
import numpy as np

from dlcourse import optim
from dlcourse.lessons.numerical_descent import BOWL_LRS, BOWL_START, bowl_grad
from dlcourse.grading.core import register

SHAPE = (2, 3, 4)
"""K = 2 parameters of shape (3, 4): state shared between positions is caught."""

STEPS = 6


def _reference(ref_cls, kwargs, P0, Gs):
    """The parameters after every step of the reference optimiser, (steps, K, ...)."""
    opt, P, out = ref_cls(**kwargs), P0.copy(), []
    for G in Gs:
        opt.update(list(P), list(G))             # row views: the reference edits P in place
        out.append(P.copy())
    return np.array(out)


def _learner(c, label, cls, kwargs, P0, Gs):
    """The learner's parameters after every step, or None (and a FAIL line) when it raises."""
    try:
        with np.errstate(all="ignore"):
            opt, P, out = cls(**kwargs), P0.copy(), []
            for G in Gs:
                params = P.copy()                # fresh arrays each step, as a sandbox would see them
                opt.update(params, G.copy())
                P = params
                out.append(P.copy())
        return np.array(out)
    except NotImplementedError:
        raise
    except Exception as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        c.record(label, False, f"raised {type(exc).__name__}" + (f": {msg}"[:60] if msg else ""))
        return None


def _compare(c, cls, ref_cls, kwargs, what, grad_scale=1.0, hints=("", "")):
    """Two lines: the change after step 1 and after the last step, against the reference."""
    P0 = c.rng.standard_normal(SHAPE)
    Gs = c.rng.standard_normal((STEPS,) + SHAPE) * grad_scale
    ref = _reference(ref_cls, kwargs, P0, Gs)
    mine = _learner(c, f"{what}: update runs", cls, kwargs, P0, Gs)
    if mine is None:
        return
    c.close(f"{what}: Δparams after step 1", mine[0] - P0, ref[0] - P0, hint=hints[0])
    c.close(f"{what}: Δparams after {STEPS} steps", mine[-1] - P0, ref[-1] - P0, hint=hints[1])


def _bowl(c, cls, ref_cls, name):
    """The lesson's path on x²/20 + y² from (−7, 2): the end point after 30 steps."""
    lr = BOWL_LRS[name]

    def run(opt_cls):
        opt, p = opt_cls(lr=lr), np.array([BOWL_START], dtype=float)      # (1, 2): one parameter (x, y)
        for _ in range(30):
            params = p.copy()
            opt.update(params, np.array([bowl_grad(*p[0])]))
            p = params
        return p[0]

    c.close(f"x²/20 + y², lr {lr:g}: end after 30 steps", lambda: run(cls), run(ref_cls),
            hint="the lesson prints this run's end point; compare yours with it")


_IN_PLACE = ("update the arrays in place: params[i] -= ... or p -= ... inside "
             "`for i, (p, g) in enumerate(zip(params, grads))`; p = p - ... only renames p")


# --- 09.momentum ----------------------------------------------------------------------

@register("09.momentum", points=2, forbid=("dlcourse.optim.Momentum",),
          title="Momentum(lr=0.01, momentum=0.9).update(params, grads): v ← momentum·v − lr·g; p ← p + v",
          hint="keep one velocity array per position i (zeros of p's shape on the first call), "
               "in self, so it survives from one update to the next; v = momentum * v - lr * g, then p += v")
def check_momentum(Momentum, c):
    _compare(c, Momentum, optim.Momentum, {}, "defaults",
             hints=("the first step is p - lr * g (v starts at 0); " + _IN_PLACE,
                    "the velocity must be kept between calls (in self), one per parameter"))
    _compare(c, Momentum, optim.Momentum, {"lr": 0.1, "momentum": 0.5}, "lr 0.1, μ 0.5",
             hints=("use the lr and momentum given to __init__", "v = momentum * v - lr * g with *this* momentum"))
    _bowl(c, Momentum, optim.Momentum, "momentum")


# --- 09.adagrad -----------------------------------------------------------------------

@register("09.adagrad", points=2, forbid=("dlcourse.optim.AdaGrad",),
          title="AdaGrad(lr=0.01, eps=1e-7).update(params, grads): h ← h + g²; p ← p − lr·g/(√h + eps)",
          hint="keep h (zeros at first) per position in self and add g * g to it at every step; "
               "then p -= lr * g / (np.sqrt(h) + eps): eps goes outside the square root")
def check_adagrad(AdaGrad, c):
    _compare(c, AdaGrad, optim.AdaGrad, {}, "defaults",
             hints=("the first step is lr * g / (|g| + eps): about lr per entry; " + _IN_PLACE,
                    "h must accumulate: h += g * g at every step, kept in self between calls"))
    _compare(c, AdaGrad, optim.AdaGrad, {"lr": 0.5, "eps": 1e-2}, "eps 1e-2, g ~ 1e-3", grad_scale=1e-3,
             hints=("with eps = 1e-2 and g about 1e-3, eps matters: divide by np.sqrt(h) + eps, "
                    "not np.sqrt(h + eps)", "use the lr and eps given to __init__"))
    _bowl(c, AdaGrad, optim.AdaGrad, "adagrad")


# --- 09.adam --------------------------------------------------------------------------

@register("09.adam", points=2, forbid=("dlcourse.optim.Adam",),
          title="Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8).update(params, grads)",
          hint="count the calls (t += 1 once per update); m = beta1 m + (1 - beta1) g, "
               "v = beta2 v + (1 - beta2) g²; m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t); "
               "p -= lr * m_hat / (np.sqrt(v_hat) + eps)")
def check_adam(Adam, c):
    _compare(c, Adam, optim.Adam, {}, "defaults",
             hints=("with bias correction the first step is lr * g / (|g| + eps), about lr per entry: "
                    "divide m by 1 - beta1**t and v by 1 - beta2**t; " + _IN_PLACE,
                    "beta1 goes with m (the mean of g), beta2 with v (the mean of g²); "
                    "t counts update calls, not parameters"))
    _compare(c, Adam, optim.Adam, {"lr": 0.01, "beta1": 0.5, "beta2": 0.8, "eps": 1e-2},
             "β .5/.8, eps 1e-2", grad_scale=1e-3,
             hints=("eps goes outside the square root, after the bias correction: "
                    "np.sqrt(v_hat) + eps (the textbook's lr_t shortcut moves eps; use the formula given)",
                    "use the lr, beta1, beta2 and eps given to __init__"))
    _bowl(c, Adam, optim.Adam, "adam")
