"""Checks for chapter 11 (autoencoders and RBMs).

``11.autoencoder_loss``: the loss of a tied-weights sigmoid autoencoder is
compared with ``autoencoders.tied_autoencoder_loss``, and its gradients with
``numerical_gradient`` of that reference loss, in float64 at the cs231n
tolerance 1e-7. ``11.cd1_update``: the CD-1 step is deterministic once the
uniform random numbers are given, so it is compared with the reference
``autoencoders.cd1_update`` on the same numbers.
"""
import numpy as np

from dlcourse import autoencoders as A
from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import register

SHAPES = ((4, 6, 3), (3, 5, 7))
"""(N, D, H) of the random trials: D != H, so a missing transpose changes a shape."""


class _Answer:
    """Calls the learner's function once and hands out the parts of its tuple."""

    def __init__(self, func, args, n):
        self.func, self.args, self.n, self.out = func, args, n, None

    def __call__(self, k):
        if self.out is None:
            res = self.func(*[np.array(a, copy=True) for a in self.args])
            if not isinstance(res, (tuple, list)) or len(res) != self.n:
                raise TypeError(f"expected a tuple of {self.n} values, got "
                                f"{type(res).__name__}" + (f" of length {len(res)}"
                                                           if isinstance(res, (tuple, list)) else ""))
            self.out = [np.asarray(r, dtype=float) for r in res]
        return self.out[k]


@register("11.autoencoder_loss", points=3, partial=True,
          forbid=("dlcourse.autoencoders.tied_autoencoder_loss",),
          title="autoencoder_loss(x, W, b, c) -> (loss, dW (D, H), db (H,), dc (D,))",
          hint="h = sigmoid(x @ W + b), y = sigmoid(h @ W.T + c), loss = 0.5 * sum((y - x)**2) / N; "
               "da = (y - x) / N * y * (1 - y), dz = (da @ W) * h * (1 - h); the tied W gets both "
               "shares: dW = x.T @ dz + da.T @ h")
def check_autoencoder_loss(autoencoder_loss, c):
    for N, D, H in SHAPES:
        x = c.rng.random((N, D))
        W, b, bc = 0.8 * c.rng.standard_normal((D, H)), c.rng.standard_normal(H), c.rng.standard_normal(D)
        mine = _Answer(autoencoder_loss, (x, W, b, bc), 4)
        loss = A.tied_autoencoder_loss(x, W, b, bc)[0]
        c.close(f"loss, x ({N}, {D}), W ({D}, {H})", lambda: mine(0), loss,
                hint="the loss is 0.5 * sum of squared errors divided by the batch size N")
        f = lambda: A.tied_autoencoder_loss(x, W, b, bc)[0]  # noqa: E731
        dW, db, dc = (numerical_gradient(f, p) for p in (W, b, bc))
        c.close(f"dW ({D}, {H}) vs numerical gradient", lambda: mine(1), dW,
                hint="W is used twice (encoder W, decoder W.T): dW = x.T @ dz + (da.T @ h), "
                     "the decoder's share transposed to (D, H)")
        c.close(f"db ({H},) vs numerical gradient", lambda: mine(2), db,
                hint="db = dz.sum(axis=0) with dz = (da @ W) * h * (1 - h)")
        c.close(f"dc ({D},) vs numerical gradient", lambda: mine(3), dc,
                hint="dc = da.sum(axis=0) with da = (y - x) / N * y * (1 - y): do not forget "
                     "the output sigmoid's derivative")


@register("11.cd1_update", points=3, forbid=("dlcourse.autoencoders.cd1_update",),
          title="cd1_update(v0, W, a, b, u_h, u_v) -> (dW (D, H), da (D,), db (H,))",
          hint="ph0 = sigmoid(v0 @ W + b); h0 = (u_h < ph0); v1 = (u_v < sigmoid(h0 @ W.T + a)); "
               "ph1 = sigmoid(v1 @ W + b); dW = (v0.T @ ph0 - v1.T @ ph1) / N, "
               "da = mean(v0 - v1, axis=0), db = mean(ph0 - ph1, axis=0)")
def check_cd1_update(cd1_update, c):
    for N, D, H in SHAPES:
        v0 = (c.rng.random((N, D)) < 0.5).astype(float)
        W, a, b = c.rng.standard_normal((D, H)), 0.5 * c.rng.standard_normal(D), 0.5 * c.rng.standard_normal(H)
        u_h, u_v = c.rng.random((N, H)), c.rng.random((N, D))
        mine = _Answer(cd1_update, (v0, W, a, b, u_h, u_v), 3)
        dW, da, db = A.cd1_update(v0, W, a, b, u_h, u_v)
        c.close(f"dW ({D}, {H}), batch N = {N}", lambda: mine(0), dW,
                hint="positive minus negative statistics, both with hidden *probabilities* "
                     "(ph0, ph1), divided by N: dW = (v0.T @ ph0 - v1.T @ ph1) / N")
        c.close(f"da ({D},)", lambda: mine(1), da,
                hint="da = mean over the batch of v0 - v1 (data minus reconstruction sample)")
        c.close(f"db ({H},)", lambda: mine(2), db,
                hint="db = mean over the batch of ph0 - ph1; sample h0 with u_h and v1 with u_v")
