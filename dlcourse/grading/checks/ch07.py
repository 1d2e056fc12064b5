"""Checks for chapter 07 (backpropagation).

The layer exercises are classes that follow the layer contract (DESIGN.md):
the check builds one, runs ``forward`` and ``backward`` on seeded random
shapes and compares every gradient with ``numerical_gradient`` of the
*reference* layer's forward pass, in float64, at the cs231n tolerance 1e-7.
Araki's update is compared with ``dlcourse.lessons.araki.araki_step`` and with
the numerical gradient of J_p.
"""
import numpy as np

from dlcourse.lessons import araki as bp
from dlcourse import functions as F
from dlcourse import layers as L
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import Built, register

SHAPES = ((4, 5, 3), (2, 3, 6))
"""(N, D, H) of the random trials: D != H, so a missing transpose cannot go unnoticed."""


def _numeric(f, *arrays, h=1e-5):
    """numerical_gradient of the scalar f() with respect to each array, in float64."""
    return [numerical_gradient(f, a, h=h) for a in arrays]


# --- 07.Affine --------------------------------------------------------------------

@register("07.affine", points=2, partial=True, forbid=("dlcourse.layers.Affine", "dlcourse.layers.Linear"),
          title="Affine(W, b): forward(x) (N, D) -> (N, H); backward(dout) -> dx; grads = [dW, db]",
          hint="forward keeps x and returns x @ W + b; backward: dx = dout @ W.T (N, D), "
               "dW = x.T @ dout (D, H), db = dout.sum(axis=0) (H,); store dW and db in self.grads")
def check_affine(Affine, c):
    for N, D, H in SHAPES:
        x, dout = c.rng.standard_normal((N, D)), c.rng.standard_normal((N, H))
        W, b = c.rng.standard_normal((D, H)), c.rng.standard_normal(H)
        ref = L.Affine(W.copy(), b.copy())
        mine = Built()
        c.close(f"forward, x ({N}, {D}), W ({D}, {H})",
                lambda: mine.make(Affine, W.copy(), b.copy()).forward(x.copy()), ref.forward(x),
                hint="forward returns x @ W + b, shape (N, H)")
        # The layer is linear in x, W and b, so a larger step has no truncation error
        # and less round-off: entries of dW near 0 stay far below the 1e-7 tolerance.
        dx, dW, db = _numeric(lambda: np.sum(ref.forward(x) * dout), x, *ref.params, h=1e-3)
        c.close(f"dx ({N}, {D}) vs numerical gradient", lambda: mine.backward(dout.copy()), dx,
                hint="dx = dout @ W.T: (N, H) @ (H, D) gives the input's shape (N, D)")
        c.close(f"dW = grads[0] ({D}, {H}) vs numerical", lambda: mine.grads[0], dW,
                hint="dW = x.T @ dout: (D, N) @ (N, H); every sample of the batch adds its share")
        c.close(f"db = grads[1] ({H},) vs numerical", lambda: mine.grads[1], db,
                hint="db = dout.sum(axis=0): the bias is added to every row, so its gradient is "
                     "the sum over the batch, shape (H,)")


# --- 07.Sigmoid ---------------------------------------------------------------------

@register("07.sigmoid", points=1, forbid=("dlcourse.layers.Sigmoid",),
          title="Sigmoid(): forward(x) -> out; backward(dout) -> dx, same shape",
          hint="keep the output out = sigmoid(x) in forward; backward returns dout * out * (1 - out)")
def check_sigmoid(Sigmoid, c):
    for shape in ((4, 5), (3, 2, 2)):
        x, dout = c.rng.standard_normal(shape), c.rng.standard_normal(shape)
        mine = Built()
        c.close(f"forward, x {shape}", lambda: mine.make(Sigmoid).forward(x.copy()), F.sigmoid(x))
        (dx,) = _numeric(lambda: np.sum(F.sigmoid(x) * dout), x)
        c.close(f"dx {shape} vs numerical gradient", lambda: mine.backward(dout.copy()), dx,
                hint="the derivative is f'(x) = out (1 - out) with out the forward *output*, not the "
                     "input x; and multiply by dout (the chain rule)")


# --- 07.SoftmaxWithLoss --------------------------------------------------------------

@register("07.softmax_with_loss", points=2, partial=True, forbid=("dlcourse.layers.SoftmaxWithLoss",),
          title="SoftmaxWithLoss(): forward(x, t) -> mean loss; backward(dout=1.0) -> dx (N, C)",
          hint="forward: y = softmax(x), loss = cross_entropy_error(y, t) (mean over the batch); "
               "backward: dx = dout * (y - one_hot(t)) / N")
def check_softmax_with_loss(SoftmaxWithLoss, c):
    for N, C in ((5, 4), (3, 7)):
        x, t = c.rng.standard_normal((N, C)), c.rng.integers(0, C, size=N)
        ref = L.SoftmaxWithLoss()
        mine = Built()
        c.close(f"forward loss, x ({N}, {C}), labels t ({N},)",
                lambda: mine.make(SoftmaxWithLoss).forward(x.copy(), t.copy()), ref.forward(x, t),
                hint="the loss is the *mean* over the batch of -log y[n, t[n]]")
        (dx,) = _numeric(lambda: float(ref.forward(x, t)), x)
        c.close(f"dx ({N}, {C}) vs numerical gradient", lambda: mine.backward(), dx,
                hint="dx = (y - t_one_hot) / N, with y the softmax of the scores: the loss is a mean, "
                     "so each sample's gradient is divided by N")
    c.close("backward(dout=0.5) scales dx by 0.5", lambda: mine.backward(0.5), 0.5 * dx,
            hint="multiply by dout: the loss may be scaled by a later node")


# --- 07.araki_step ---------------------------------------------------------------------

@register("07.araki_step", points=3,
          forbid=("dlcourse.lessons.araki.araki_step", "dlcourse.lessons.araki.epsilons",
                  "dlcourse.lessons.araki.update", "dlcourse.lessons.araki.train",
                  "dlcourse.lessons.araki._step"),
          title="araki_step(w1, w2, x, b, rho) -> (w1_new, w2_new)",
          hint="forward: g1 = f([1, x] @ w1), g2 = f([1, g1] @ w2); then eps2 = (g2 - b) g2 (1 - g2) "
               "and eps1 = (w2[1:] @ eps2) g1 (1 - g1), both with the weights *before* the update; "
               "finally w1 - rho * outer([1, x], eps1) and w2 - rho * outer([1, g1], eps2)")
def check_araki_step(araki_step, c):
    for D, H, C in ((2, 3, 1), (3, 4, 2)):
        w1, w2 = bp.init_weights([D, H, C], rng=c.rng, scale=1.0)
        x, b = c.rng.uniform(0, 1, D), c.rng.integers(0, 2, C).astype(float)
        rho = 0.7
        w_ref = [w1.copy(), w2.copy()]
        bp.araki_step(w_ref, x, b, rho)
        out = {}

        def new(k, w1=w1, w2=w2, x=x, b=b, out=out):
            if "w" not in out:
                res = araki_step(w1.copy(), w2.copy(), x.copy(), b.copy(), rho)
                if not isinstance(res, (tuple, list)) or len(res) != 2:
                    raise TypeError(f"expected a pair (w1_new, w2_new), got {type(res).__name__}")
                out["w"] = [np.asarray(r, dtype=float) for r in res]
            return out["w"][k]

        def J(w_1, w_2, x=x, b=b):
            return 0.5 * float(np.sum((bp.predict([w_1, w_2], x[None, :])[0] - b) ** 2))

        a, bb = w1.copy(), w2.copy()
        dJ1, dJ2 = _numeric(lambda: J(a, bb), a, bb)
        c.close(f"w2_new ({H + 1}, {C}), net {D}-{H}-{C}", lambda: new(1), w_ref[1],
                hint="output layer: eps2 = (g2 - b) * g2 * (1 - g2); w2 -= rho * outer([1, g1], eps2)")
        c.close(f"w1_new ({D + 1}, {H}), net {D}-{H}-{C}", lambda: new(0), w_ref[0],
                hint="hidden layer: eps1 = (w2[1:] @ eps2) * g1 * (1 - g1), with the old w2 (compute every "
                     "eps before changing any weight); w1 -= rho * outer([1, x], eps1)")
        c.close("(w1 - w1_new) / rho = numerical dJ_p/dw1", lambda: (w1 - new(0)) / rho, dJ1,
                hint="the update must be w - rho * dJ_p/dw: a minus sign, gradient *descent*")
        c.close("(w2 - w2_new) / rho = numerical dJ_p/dw2", lambda: (w2 - new(1)) / rho, dJ2)
