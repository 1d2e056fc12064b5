"""Chapter 13 experiments: recurrent networks.

Seeds: 000 p.30 (a recurrent net applies the same NET at every time step,
useful for sequences such as speech) and p.32 (a recursive net applies it at
every node of a tree, useful for language); 001 §7.3.3 (2/3) and 003 §9.5
(the hidden layer's output is fed back with the next input; unrolling the
feedback loop along time; the bidirectional RNN uses the future as well as
the past); 004 (echo state networks: fixed random input and recurrent
weights, only the output weights trained, so no vanishing or exploding
gradients; skip connections over one or more time steps against long-term
dependencies; leaky units: a linear self-connection gives a moving average;
bidirectional RNNs).

Layers and models come from :mod:`dlcourse.rnn` (the leaky and skip variants,
the bidirectional tagger :class:`~dlcourse.rnn.SequenceTagger` among them), the
tree net and its classifier from :mod:`dlcourse.recursive`.
Every training loop runs with one BLAS thread (faster for these small
matrices on a 2-core machine).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import models, optim, recursive, rnn
from dlcourse.datasets import future_task, mackey_glass
from dlcourse.gradients import numerical_gradient, rel_error
from dlcourse.lessons.rnn_jacobians import jacobian_norms, random_rnn
from dlcourse.experiments._cache import cached

__all__ = [
    "Unrolled", "unrolled_bptt",
    "GradientFlow", "gradient_flow", "GradientLag", "gradient_lag",
    "EsnRun", "esn_run", "EsnSweep", "esn_sweep", "esn_view",
    "VariantFlow", "variant_flow", "BiSweep", "bidirectional_sweep",
    "BiView", "bidirectional_view", "TreeRun", "treenet_run",
]


def _one_thread():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


# --- 1. unrolling and BPTT ---------------------------------------------------------------

@dataclass(frozen=True)
class Unrolled:
    """A tiny tanh RNN unrolled over T steps, with BPTT done one cell at a time."""

    xs: np.ndarray           # (T, D) one sequence
    hs: np.ndarray           # (T, H) states from the step-by-step cells
    y: np.ndarray            # (H,) target of the last state
    loss: float
    dh_norms: np.ndarray     # (T,) ||dL/dh_t||, t = 0..T-1
    shares: np.ndarray       # (T,) ||h_{t-1}^T da_t||: what step t adds to dL/dWh
    layer_diff: float        # max |cells - TimeRNN| over the states
    errors: dict             # name -> rel. error of BPTT against the numerical gradient

    def __str__(self):
        T, H = self.hs.shape
        lines = [f"a tanh RNN with D = {self.xs.shape[1]}, H = {H}, unrolled over T = {T} steps; "
                 f"L = 0.5 ||h_{T - 1} - y||^2 = {self.loss:.4f}",
                 f"{'t':>3} {'h_t':>26} {'||dL/dh_t||':>13} {'||share of dL/dWh||':>20}"]
        for t in range(T):
            h = " ".join(f"{v:+.4f}" for v in self.hs[t])
            lines.append(f"{t:>3} {h:>26} {self.dh_norms[t]:13.4f} {self.shares[t]:20.4f}")
        lines.append(f"cells step by step vs TimeRNN: max |difference| {self.layer_diff:.1e}")
        lines.append("BPTT vs numerical gradient (float64): " +
                     ", ".join(f"{k} {v:.1e}" for k, v in self.errors.items()))
        return "\n".join(lines)


def unrolled_bptt(T=5, D=2, H=3, seed=1):
    """Run one :class:`dlcourse.rnn.RNNCell` per time step, then back-propagate through time.

    The loss reads only the last state, ``L = ½ ||h_{T-1} − y||²``. BPTT walks the
    cells backwards: cell t receives ``dL/dh_t`` and returns ``dL/dh_{t-1}``.
    The three weight arrays are shared by every cell, so their gradient is the
    sum of the T cells' gradients (the "shares").

    Returns
    -------
    Unrolled
    """
    rng = np.random.default_rng(seed)
    Wx, Wh, b = rnn.init_recurrent("rnn", D, H, rng)
    b += 0.1 * rng.standard_normal(H)
    xs, y = rng.standard_normal((T, D)), rng.uniform(-0.5, 0.5, H)
    cells, h, hs = [], np.zeros((1, H)), np.zeros((T, H))
    for t in range(T):                                       # one cell per step, all sharing Wx, Wh, b
        cells.append(rnn.RNNCell(Wx, Wh, b))
        h = cells[-1].forward(xs[None, t], h)
        hs[t] = h[0]
    dh, dh_norms, shares = hs[-1:] - y, np.zeros(T), np.zeros(T)
    total = [np.zeros_like(p) for p in (Wx, Wh, b)]
    for t in reversed(range(T)):
        dh_norms[t] = np.linalg.norm(dh)
        _, dh = cells[t].backward(dh)
        shares[t] = np.linalg.norm(cells[t].grads[1])
        for g, gc in zip(total, cells[t].grads):
            g += gc
    layer = rnn.TimeRNN(Wx, Wh, b)
    diff = float(np.max(np.abs(layer.forward(xs[None])[0] - hs)))

    def loss():
        return 0.5 * float(np.sum((layer.forward(xs[None])[0, -1] - y) ** 2))

    errors = {name: rel_error(g, numerical_gradient(loss, p))
              for name, g, p in zip(("dWx", "dWh", "db"), total, (Wx, Wh, b))}
    return Unrolled(xs, hs, y, loss(), dh_norms, shares, diff, errors)


# --- 2. the gradient over many time steps ----------------------------------------------------

def _flow(radius, T, H, D, n_seq, seed):
    """Geometric mean over n_seq random input sequences of jacobian_norms, (T,)."""
    rng = np.random.default_rng(seed)
    Wx, Wh, b = random_rnn(H, D, radius, rng)
    xs = rng.standard_normal((n_seq, T, D))
    hs = rnn.TimeRNN(Wx, Wh, b).forward(xs)
    logs = [np.log(np.maximum(jacobian_norms(h, Wh), 1e-300)) for h in hs]
    return np.exp(np.mean(logs, axis=0))


_SHOW_LAGS = (1, 5, 10, 20, 40)


@dataclass(frozen=True)
class GradientFlow:
    """||∂h_T/∂h_{T-k}|| against k for tanh RNNs with several recurrent spectral radii."""

    radii: tuple
    norms: np.ndarray        # (n_radii, T), k = 0..T-1
    H: int
    n_seq: int

    @property
    def per_step(self):
        """The average factor per step back over the whole sequence, per radius."""
        T = self.norms.shape[1]
        return np.exp(np.log(np.maximum(self.norms[:, -1], 1e-300)) / (T - 1))

    def __str__(self):
        T = self.norms.shape[1]
        lags = [k for k in _SHOW_LAGS if k < T]
        lines = [f"tanh RNN, H = {self.H}, inputs N(0, 1): ||dh_T/dh_(T-k)|| "
                 f"(geometric mean over {self.n_seq} sequences)",
                 f"{'radius':>7}" + "".join(f"{f'k={k}':>10}" for k in lags) + f"{'per step':>10}"]
        for r, row, f in zip(self.radii, self.norms, self.per_step):
            lines.append(f"{r:7.2f}" + "".join(f"{row[k]:10.1e}" for k in lags) + f"{f:10.3f}")
        return "\n".join(lines)


@cached(32)
def gradient_flow(radii=(0.5, 1.0, 2.0, 3.0), T=60, H=32, D=4, n_seq=4, seed=0):
    """How the gradient of the last state shrinks or grows with the number of steps back.

    For each spectral radius of ``Wh`` the same random inputs drive the RNN; the
    Jacobian products of :func:`jacobian_norms` give ``||∂h_T/∂h_{T-k}||``.
    Small radii make it vanish exponentially; large ones make it explode.

    Returns
    -------
    GradientFlow
    """
    radii = tuple(float(r) for r in radii)
    with _one_thread():
        norms = np.stack([_flow(r, T, H, D, n_seq, seed) for r in radii])
    return GradientFlow(radii, norms, H, n_seq)


@dataclass(frozen=True)
class GradientLag:
    """One radius of :func:`gradient_flow`, with one lag k singled out (the widget's view)."""

    radius: float
    lag: int
    norms: np.ndarray        # (T,)
    reference: GradientFlow  # the lesson's radii, drawn in grey

    def __str__(self):
        T = len(self.norms)
        f = np.exp(np.log(max(self.norms[-1], 1e-300)) / (T - 1))
        return (f"spectral radius {self.radius:.2f}, T = {T}\n"
                f"||dh_T/dh_(T-k)|| at k = {self.lag}: {self.norms[self.lag]:.2e}\n"
                f"at k = {T - 1}: {self.norms[-1]:.2e}\n"
                f"average factor per step back: {f:.3f}")


def gradient_lag(radius=1.0, lag=20, T=60):
    """The gradient norm against the lag for one spectral radius (cached; the demo's default).

    Returns
    -------
    GradientLag
    """
    if not 0 <= lag < T:
        raise ValueError(f"gradient_lag: expected 0 <= lag < T = {T}, got {lag}")
    res = gradient_flow((float(radius),), T=int(T))
    return GradientLag(float(radius), int(lag), res.norms[0], gradient_flow(T=int(T)))


# --- 3. echo state network ---------------------------------------------------------------

@cached(2)
def _mg_series(n):
    return mackey_glass(n)


def _valid_steps(pred, truth, scale, threshold=0.2):
    """Steps before |pred - truth| first exceeds threshold * scale (len(pred) if never)."""
    bad = np.abs(pred - truth) > threshold * scale
    return int(np.argmax(bad)) if bad.any() else len(pred)


@dataclass(frozen=True)
class EsnRun:
    """One echo state network trained on Mackey-Glass and run closed-loop."""

    radius: float
    leak: float
    seed: int
    n_train: int
    one_step_nrmse: float    # on the test stretch, fed the true series
    valid: int               # closed-loop steps within 0.2 std of the truth
    generated: np.ndarray    # (n_gen,) closed-loop output
    truth: np.ndarray        # (n_gen,) the series over the same stretch
    history: np.ndarray      # (n_show,) the series just before it

    def __str__(self):
        return (f"ESN: {self.n_train} training steps, spectral radius {self.radius:.2f}, leak {self.leak:.1f}, "
                f"reservoir seed {self.seed}\n"
                f"one step ahead on the test stretch: NRMSE {self.one_step_nrmse:.4f}\n"
                f"closed loop: {self.valid} of {len(self.generated)} steps within 0.2 std of the truth")


def esn_run(radius=1.25, leak=0.3, seed=0, n_reservoir=200, n_train=2000, n_gen=500, ridge=1e-8,
            input_scale=0.5, n_show=200):
    """Train an :class:`dlcourse.rnn.EchoStateNetwork` to predict Mackey-Glass one step ahead.

    The readout learns ``u_{t+1}`` from the reservoir state after ``u_t`` (ridge
    regression, the only training). Then the network runs closed-loop from the
    end of the training stretch: each prediction becomes the next input.

    Returns
    -------
    EsnRun
    """
    s = _mg_series(n_train + n_gen)
    with _one_thread():
        esn = rnn.EchoStateNetwork(1, n_reservoir, spectral_radius=radius, input_scale=input_scale,
                                   leak=leak, ridge=ridge, rng=seed)
        esn.fit(s[:n_train - 1, None], s[1:n_train, None], washout=100)
        start = esn.state.copy()                             # after reading u_0..u_{n_train-2}
        gen = esn.generate(n_gen, s[n_train - 1:n_train])[:, 0]
        one = esn.predict(s[n_train - 1:-1, None], state=start)[:, 0]
    truth, scale = s[n_train:], float(np.std(s))
    nrmse = float(np.sqrt(np.mean((one - truth) ** 2)) / scale)
    return EsnRun(float(radius), float(leak), int(seed), n_train, nrmse, _valid_steps(gen, truth, scale),
                  gen, truth.copy(), s[n_train - n_show:n_train].copy())


@dataclass(frozen=True)
class EsnSweep:
    """Closed-loop valid steps of ESNs over spectral radius x leak x reservoir seed."""

    radii: tuple
    leaks: tuple
    seeds: tuple
    runs: dict               # (radius, leak, seed) -> EsnRun

    def valid(self, leak):
        """(n_radii, n_seeds) valid steps for one leak."""
        return np.array([[self.runs[r, leak, s].valid for s in self.seeds] for r in self.radii])

    def __str__(self):
        n_gen = len(next(iter(self.runs.values())).generated)
        lines = [f"closed-loop steps within 0.2 std of Mackey-Glass (of {n_gen}), "
                 f"median over reservoirs {', '.join(map(str, self.seeds))}",
                 f"{'radius':>7}" + "".join(f"{f'leak {a:.1f}':>12}" for a in self.leaks)
                 + f"{'1-step NRMSE':>14}"]
        for i, r in enumerate(self.radii):
            med = [np.median(self.valid(a)[i]) for a in self.leaks]
            one = self.runs[r, self.leaks[-1], self.seeds[0]].one_step_nrmse
            lines.append(f"{r:7.2f}" + "".join(f"{m:12.0f}" for m in med) + f"{one:14.4f}")
        lines.append(f"(1-step NRMSE: leak {self.leaks[-1]:.1f}, reservoir {self.seeds[0]})")
        return "\n".join(lines)


@cached(2)
def esn_sweep(radii=(0.5, 0.8, 1.0, 1.25, 1.5), leaks=(1.0, 0.3), seeds=(0, 1, 2)):
    """:func:`esn_run` for every spectral radius, leak and reservoir seed (a few seconds, cached).

    Returns
    -------
    EsnSweep
    """
    runs = {(r, a, s): esn_run(r, a, s) for r in radii for a in leaks for s in seeds}
    return EsnSweep(tuple(radii), tuple(leaks), tuple(seeds), runs)


def esn_view(radius=1.25, leak=0.3, seed=0):
    """One run of the cached :func:`esn_sweep` (the demo's view)."""
    sweep = esn_sweep()
    key = (radius, leak, seed)
    if key not in sweep.runs:
        raise ValueError(f"esn_view: ({radius}, {leak}, {seed}) is not in the sweep; radii {sweep.radii}, "
                         f"leaks {sweep.leaks}, seeds {sweep.seeds}")
    return sweep.runs[key]


# --- 4. leaky units and skip connections ------------------------------------------------------

def _state_jacobian_norms(layer, xs):
    """||∂h_{T-1}/∂h_t||_2 for t = T-1..0 (i.e. k = 0..T-1) of a sequence layer, geometric mean over xs.

    Each sequence is copied H times; the copy n gets the gradient e_n at the last
    state, so after backward the layer's ``dhs`` holds row n of every Jacobian.
    """
    S, T, D = xs.shape
    H = layer.params[1].shape[0]
    hs = layer.forward(np.repeat(xs, H, axis=0))              # (S·H, T, H)
    dhs = np.zeros_like(hs)
    dhs[:, -1] = np.tile(np.eye(H), (S, 1))
    layer.backward(dhs)
    J = layer.dhs.reshape(S, H, T, H).transpose(0, 2, 1, 3)   # (S, T, H, H): J[s, t] = ∂h_{T-1}/∂h_t
    norms = np.linalg.norm(J, ord=2, axis=(2, 3))[:, ::-1]    # k = T-1-t
    return np.exp(np.mean(np.log(np.maximum(norms, 1e-300)), axis=0))


@dataclass(frozen=True)
class VariantFlow:
    """||∂h_T/∂h_{T-k}|| of a plain, a leaky and a skip RNN built on the same Wh."""

    alpha: float
    d: int
    radius: float
    names: list
    norms: np.ndarray        # (3, T)

    def __str__(self):
        T = self.norms.shape[1]
        lags = [k for k in _SHOW_LAGS if k < T]
        lines = [f"same Wh (spectral radius {self.radius:.2f}) and inputs; ||dh_T/dh_(T-k)||",
                 f"{'':<22}" + "".join(f"{f'k={k}':>10}" for k in lags)]
        for name, row in zip(self.names, self.norms):
            lines.append(f"{name:<22}" + "".join(f"{row[k]:10.1e}" for k in lags))
        return "\n".join(lines)


@cached(128)
def _variant_curve(kind, param, radius, T, H, D, n_seq, seed):
    """One curve of :func:`variant_flow` (cached on its own: a slider moves one curve)."""
    rng = np.random.default_rng(seed)
    Wx, Wh, b = random_rnn(H, D, radius, rng)
    _, Ws, _ = random_rnn(H, D, radius, rng)
    xs = rng.standard_normal((n_seq, T, D))
    if kind == "skip":
        layer = rnn.TimeSkipRNN(Wx, Wh / 2, Ws / 2, b, int(param))
    else:
        layer = rnn.TimeLeakyRNN(Wx, Wh, b, float(param))
    with _one_thread():
        return _state_jacobian_norms(layer, xs)


def variant_flow(alpha=0.1, d=5, radius=1.0, T=60, H=32, D=4, n_seq=2, seed=0):
    """Gradient flow of the plain RNN, leaky units (rate ``alpha``) and a skip of ``d`` steps.

    All three share Wx, Wh and the inputs; the skip RNN's extra ``Ws`` is another
    random matrix with the same spectral radius, and both Wh and Ws are halved in
    it, so the total recurrent input stays about the same size.

    Returns
    -------
    VariantFlow
    """
    args = (float(radius), int(T), int(H), int(D), int(n_seq), int(seed))
    norms = np.stack([_variant_curve("leaky", 1.0, *args), _variant_curve("leaky", float(alpha), *args),
                      _variant_curve("skip", int(d), *args)])
    names = ["plain tanh RNN", f"leaky, alpha = {alpha:.2f}", f"skip, d = {d}"]
    return VariantFlow(float(alpha), int(d), float(radius), names, norms)


# --- 5. bidirectional RNN -------------------------------------------------------------------

def _train_tagger(bidirectional, data, test, H, epochs, batch, lr, rng):
    model = rnn.SequenceTagger(4, H, 2, bidirectional, rng)
    xs, ts, _ = data
    models.train_steps(model, optim.Adam(lr), models.shuffled_batches((xs, ts), batch, rng),
                       epochs * -(-len(xs) // batch))
    scores = model.scores(test[0])
    probs = np.exp(scores[..., 1]) / np.exp(scores).sum(axis=-1)        # P(label 1), (n, T)
    known = test[1] >= 0
    return float(np.mean((probs[known] > 0.5) == test[1][known])), probs


@dataclass(frozen=True)
class BiSweep:
    """Test accuracy of a unidirectional and a bidirectional RNN tagger against the lag."""

    lags: tuple
    accuracy: np.ndarray     # (n_lags, 2): unidirectional, bidirectional
    examples: dict           # lag -> (symbols (T,), labels (T,), P uni (T,), P bi (T,)) of one test sequence
    T: int
    H: int

    def __str__(self):
        lines = [f"label each position: is the symbol `lag` steps ahead an X? (T = {self.T}, "
                 f"H = {self.H} units in all, chance 50%)",
                 f"{'lag':>4} {'unidirectional':>15} {'bidirectional':>14}"]
        for lag, (u, b) in zip(self.lags, self.accuracy):
            lines.append(f"{lag:>4} {100 * u:14.1f}% {100 * b:13.1f}%")
        return "\n".join(lines)


@cached(2)
def bidirectional_sweep(lags=tuple(range(9)), T=12, H=8, n_train=1000, n_test=500, epochs=10, batch=50,
                        lr=0.01, seed=0):
    """Train both taggers on :func:`future_task` for every lag (a few seconds, cached).

    A unidirectional RNN at position t has read only x_0..x_t, so for lag >= 1
    it can only guess; the bidirectional one also reads x_{T-1}..x_t backwards.

    Returns
    -------
    BiSweep
    """
    acc, examples = np.zeros((len(lags), 2)), {}
    with _one_thread():
        for i, lag in enumerate(lags):
            rng = np.random.default_rng([seed, lag])
            data, test = future_task(n_train, T, lag, rng), future_task(n_test, T, lag, rng)
            probs = []
            for j, bi in enumerate((False, True)):
                acc[i, j], p = _train_tagger(bi, data, test, H, epochs, batch, lr, rng)
                probs.append(p[0])
            examples[lag] = (test[2][0], test[1][0], probs[0], probs[1])
    return BiSweep(tuple(lags), acc, examples, T, H)


@dataclass(frozen=True)
class BiView:
    """One lag of a :class:`BiSweep` (the widget's view)."""

    lag: int
    sweep: BiSweep

    def __str__(self):
        i = self.sweep.lags.index(self.lag)
        u, b = self.sweep.accuracy[i]
        return (f"lag {self.lag}: unidirectional {100 * u:.1f}%, bidirectional {100 * b:.1f}% "
                f"(chance 50%)")


def bidirectional_view(lag=3):
    """The cached :func:`bidirectional_sweep` with one lag selected."""
    sweep = bidirectional_sweep()
    if lag not in sweep.lags:
        raise ValueError(f"bidirectional_view: lag must be one of {sweep.lags}, got {lag}")
    return BiView(int(lag), sweep)


# --- 6. a recursive net on expression trees ------------------------------------------------------

@dataclass(frozen=True)
class TreeRun:
    """A TreeNet trained on shallow boolean trees, tested on trees of every depth."""

    H: int
    train_depth: int
    depths: tuple
    accuracy: np.ndarray     # (n_depths,) root accuracy on fresh trees of exactly that depth
    majority: np.ndarray     # (n_depths,) accuracy of always answering the commoner value
    losses: np.ndarray       # (epochs,) mean training loss per epoch
    example: tuple           # a test tree
    example_probs: np.ndarray  # (M,) P(True) for every node of the example (TreeBatch order)

    def __str__(self):
        lines = [f"TreeNet, H = {self.H}, trained on trees of depth <= {self.train_depth}; "
                 f"training loss {self.losses[0]:.4f} -> {self.losses[-1]:.4f}",
                 f"{'depth':>5} {'TreeNet':>9} {'majority':>9}"]
        for d, a, m in zip(self.depths, self.accuracy, self.majority):
            lines.append(f"{d:>5} {100 * a:8.1f}% {100 * m:8.1f}%")
        lines.append(f"example: {recursive.to_string(self.example)} = "
                     f"{'T' if recursive.evaluate(self.example) else 'F'}; "
                     f"TreeNet says {'T' if self.example_probs[-1] > 0.5 else 'F'}")
        return "\n".join(lines)


@cached(2)
def treenet_run(H=16, n_train=2000, train_depth=3, depths=(1, 2, 3, 4, 5, 6), n_test=300, epochs=10,
                batch=50, lr=0.01, seed=0):
    """Train a :class:`dlcourse.recursive.TreeNet` to evaluate AND/OR/XOR trees.

    Every inner node of a training tree is labelled with its truth value, so the
    shared composition layer learns each operator on its own. The test trees are
    full trees of exactly each depth (no early leaves), up to twice the training depth.

    Returns
    -------
    TreeRun
    """
    rng = np.random.default_rng(seed)
    train = [recursive.random_tree(rng, train_depth) for _ in range(n_train)]
    tests = {d: recursive.encode_trees([recursive.random_tree(rng, d, p_leaf=0.0) for _ in range(n_test)])
             for d in depths}
    model, per_epoch = recursive.TreeClassifier(H, rng), -(-n_train // batch)
    batches = ((recursive.encode_trees([train[i] for i in idx]),)       # one TreeBatch per step
               for (idx,) in models.shuffled_batches((np.arange(n_train),), batch, rng))
    with _one_thread():
        history = models.train_steps(model, optim.Adam(lr), batches, epochs * per_epoch)
        losses = models.window_means(history["batch_loss"], range(per_epoch, epochs * per_epoch + 1, per_epoch))
        acc, maj = [], []
        for d in depths:
            B = tests[d]
            truth = B.value[B.roots]
            acc.append(np.mean((model.p_true(B)[B.roots] > 0.5) == truth))
            maj.append(max(truth.mean(), 1 - truth.mean()))
        example = recursive.random_tree(np.random.default_rng([seed, 4]), 4, p_leaf=0.2)
        probs = model.p_true(recursive.encode_trees([example]))
    return TreeRun(H, train_depth, tuple(depths), np.array(acc), np.array(maj), np.array(losses), example, probs)
