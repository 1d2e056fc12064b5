"""Checks for chapter 10 (regularisation: dropout and the L2 gradient).

The learner's ``Dropout(p, rng)`` draws its own random mask, which the check
cannot see. It is checked by statistics on a large seeded input instead:
the fraction of zeros is p, every kept value is x/(1-p), the mean is
preserved, test mode is the identity, and ``backward`` sends ``dout``
through the same mask with the same scale (zero exactly where the forward
output was zero). The rng argument is an int seed (only numbers and arrays
cross into the grader's sandbox); the learner turns it into a generator with
``np.random.default_rng``.

The L2 gradient is compared with the numerical gradient of
loss + (λ/2)·Σ‖W‖² for a loss whose gradient is the given ``grads``.
"""
import numpy as np

from dlcourse.gradients import numerical_gradient
from dlcourse.grading.core import Built, register


@register("10.dropout", points=3, forbid=("dlcourse.layers.Dropout",),
          title="Dropout(p, rng): forward(x, train) -> out; backward(dout) -> dx (inverted dropout)",
          hint="train: mask = rng.random(x.shape) >= p (keep with probability 1 - p), "
               "out = x * mask / (1 - p); test: out = x; backward: dx = dout * mask / (1 - p) "
               "with the mask of the last training forward")
def check_dropout(Dropout, c):
    N, D = 400, 500                                            # 200,000 units: fractions to ~0.1%
    x = c.rng.uniform(1.0, 2.0, (N, D))                        # no zeros: a 0 output means dropped
    dout = c.rng.standard_normal((N, D))
    for p in (0.3, 0.7):                                        # p != 1 - p: a keep rate shows up
        keep = 1.0 - p
        mine, out = Built(), {}

        def forward(p=p, mine=mine, out=out):
            out["y"] = np.asarray(mine.make(Dropout, p, 1234).forward(x.copy(), True), dtype=float)
            return out["y"]

        ok = c.equal(f"p = {p}: train output shape", lambda: np.array(forward().shape), np.array([N, D]))
        if not ok or out.get("y") is None or out["y"].shape != (N, D):
            continue
        y = out["y"]
        dropped = y == 0
        c.record(f"p = {p}: fraction dropped ≈ p", abs(dropped.mean() - p) < 0.01,
                 f"{dropped.mean():.4f} (expect {p} ± 0.01)",
                 hint="p is the probability of *dropping* a unit: keep where rng.random(x.shape) >= p")
        kept = ~dropped
        ratio = y[kept] / x[kept] if kept.any() else np.array([np.nan])
        c.close(f"p = {p}: kept values = x / (1 - p)", ratio, np.full(ratio.shape, 1 / keep),
                hint="inverted dropout scales the kept units by 1/(1 - p) while training")
        c.record(f"p = {p}: mean preserved", abs(y.mean() / x.mean() - 1) < 0.02,
                 f"mean(out)/mean(x) = {y.mean() / x.mean():.4f} (expect 1 ± 0.02)",
                 hint="with the 1/(1 - p) scale the expected output equals x")
        expect_dx = np.where(kept, dout / keep, 0.0)
        c.close(f"p = {p}: backward = dout * mask / (1 - p)", lambda mine=mine: mine.backward(dout.copy()),
                expect_dx, hint="backward uses the same mask as the last forward (zero where the output "
                                "was zero) and the same 1/(1 - p) scale")
        c.close(f"p = {p}: test mode is the identity",
                lambda mine=mine: mine.forward(x.copy(), False), x,
                hint="inverted dropout does all its scaling in training: at test time out = x")
    def same_mask():
        xs = x[:20].copy()
        first = np.asarray(Dropout(0.5, 7).forward(xs, True), dtype=float) == 0
        second = np.asarray(Dropout(0.5, 7).forward(xs, True), dtype=float) == 0
        return float(np.array_equal(first, second))

    c.equal("same seed, same mask (rng used)", same_mask, 1.0,
            hint="draw the mask from np.random.default_rng(rng), never from the global np.random")


# --- 10.l2_grads --------------------------------------------------------------------------

@register("10.l2_grads", points=2,
          title="l2_grads(params, grads, lam) -> list of gradients of loss + (lam/2) Σ‖W‖²",
          hint="add lam * W to the gradient of every weight matrix (ndim >= 2); biases (ndim 1) "
               "keep their gradient unchanged: the derivative of (lam/2)‖W‖² is lam * W")
def check_l2_grads(l2_grads, c):
    shapes = [(4, 5), (5,), (5, 3), (3,)]                    # W1, b1, W2, b2
    params = [c.rng.standard_normal(s) for s in shapes]
    grads = [c.rng.standard_normal(s) for s in shapes]       # the gradient of the loss L(params)
    for lam in (0.1, 0.01):
        trial = [p.copy() for p in params]

        def objective(trial=trial, lam=lam):
            data = sum(float(np.sum(g * q)) for g, q in zip(grads, trial))    # dL/dq = g
            return data + 0.5 * lam * sum(float(np.sum(q ** 2)) for q in trial if q.ndim >= 2)

        expected = [numerical_gradient(lambda: objective(), q) for q in trial]   # f() form
        out = {}

        def result(k, lam=lam, out=out):
            if "r" not in out:
                r = l2_grads([p.copy() for p in params], [g.copy() for g in grads], lam)
                if not isinstance(r, (list, tuple)) or len(r) != len(shapes):
                    raise TypeError(f"expected a list of {len(shapes)} gradients, got "
                                    f"{type(r).__name__} of length {len(r) if hasattr(r, '__len__') else '?'}")
                out["r"] = list(r)
            return out["r"][k]

        for k, (name, s) in enumerate(zip(("dW1", "db1", "dW2", "db2"), shapes)):
            c.close(f"lam = {lam}: {name} {s} vs numerical", lambda k=k: result(k), expected[k],
                    hint=("a weight's gradient gains + lam * W (not 2 lam W, not minus)" if len(s) == 2
                          else "biases are not decayed: their gradient stays as it was"))
