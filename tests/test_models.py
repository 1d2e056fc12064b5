"""Tests for dlcourse.models: Sequential, MLP, train, train_steps, predict and accuracy."""
import os
import subprocess
import sys

import numpy as np
import pytest

import dlcourse
from dlcourse import models
from dlcourse.gradients import check_layer_gradients, numerical_gradient, rel_error
from dlcourse.layers import Affine, Dropout, LeakyReLU, ReLU, SoftmaxWithLoss, Tanh
from dlcourse.models import MLP, Sequential, accuracy, predict, train, train_steps
from dlcourse.optim import SGD, Adam

TOL = 1e-7


def xor_blobs(n_per_blob=25, seed=0):
    """Four tight clusters at (±1, ±1); class = 1 when the signs differ (XOR)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)
    x = np.concatenate([c + 0.2 * rng.standard_normal((n_per_blob, 2)) for c in centres])
    t = np.repeat([0, 0, 1, 1], n_per_blob)
    return x, t


class NoTrain:
    """A layer whose forward has no ``train`` argument (Sequential must not pass one)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        return 2 * x

    def backward(self, dout):
        return 2 * dout


# --- Sequential ---------------------------------------------------------------------------

def test_sequential_forward_is_the_composition_of_its_layers():
    rng = np.random.default_rng(0)
    a1 = Affine(rng.standard_normal((3, 4)), rng.standard_normal(4))
    a2 = Affine(rng.standard_normal((4, 2)), rng.standard_normal(2))
    x = rng.standard_normal((5, 3))
    expected = np.tanh(x @ a1.params[0] + a1.params[1]) @ a2.params[0] + a2.params[1]
    np.testing.assert_allclose(Sequential([a1, Tanh(), a2]).forward(x), expected, rtol=1e-12)


@pytest.mark.parametrize("N, sizes", [(4, (3, 5, 2)), (2, (6, 3, 3, 1)), (7, (2, 4, 4))])
def test_sequential_gradients(N, sizes):
    rng = np.random.default_rng(N)
    layers = []
    for D, H in zip(sizes[:-1], sizes[1:]):
        # tanh with weights of std 0.5 stays out of saturation, so no gradient entry is so
        # tiny that round-off in the numeric gradient dominates its relative error
        layers += [Affine(0.5 * rng.standard_normal((D, H)), rng.standard_normal(H)), Tanh()]
    net = Sequential(layers)
    errors = check_layer_gradients(net, rng.standard_normal((N, sizes[0])))
    assert len(errors) == 1 + len(net.params)
    assert max(errors.values()) < TOL, errors


def test_sequential_params_and_grads_are_the_layers_own_arrays_in_order():
    rng = np.random.default_rng(1)
    a1 = Affine(rng.standard_normal((3, 4)), np.zeros(4))
    a2 = Affine(rng.standard_normal((4, 2)), np.zeros(2))
    net = Sequential([a1, ReLU(), a2])
    assert [id(p) for p in net.params] == [id(p) for p in a1.params + a2.params]
    assert [id(g) for g in net.grads] == [id(g) for g in a1.grads + a2.grads]


def test_sequential_passes_train_only_to_layers_that_take_it():
    x = np.ones((50, 40))
    net = Sequential([NoTrain(), Dropout(0.5, rng=0), NoTrain()])
    np.testing.assert_array_equal(net.forward(x), 4 * x)          # default: test mode
    out = net.forward(x, train=True)
    np.testing.assert_array_equal(np.unique(out), [0.0, 8.0])     # 2 · 2 / (1 - 0.5) or dropped
    np.testing.assert_array_equal(net.backward(np.ones_like(x)), out)   # same mask backwards


# --- MLP --------------------------------------------------------------------------------------

def test_mlp_builds_affine_activation_dropout_blocks():
    mlp = MLP([4, 8, 6, 3], activation="tanh", dropout=0.25, rng=0)
    assert [type(layer) for layer in mlp.layers] == [Affine, Tanh, Dropout, Affine, Tanh, Dropout, Affine]
    assert [p.shape for p in mlp.params] == [(4, 8), (8,), (8, 6), (6,), (6, 3), (3,)]
    assert all(layer.p == 0.25 for layer in mlp.layers if isinstance(layer, Dropout))
    assert [type(layer) for layer in MLP([4, 3]).layers] == [Affine]     # softmax regression
    assert isinstance(MLP([2, 3, 2], activation="Leaky-ReLU").layers[1], LeakyReLU)
    assert isinstance(mlp.loss_layer, SoftmaxWithLoss)


@pytest.mark.parametrize("init, std", [("he", np.sqrt(2 / 300)), ("xavier", np.sqrt(1 / 300)), (0.01, 0.01)])
def test_mlp_initial_weights(init, std):
    mlp = MLP([300, 200, 10], init=init, rng=0)
    W1, b1 = mlp.params[:2]
    assert W1.std() == pytest.approx(std, rel=0.03)
    np.testing.assert_array_equal(b1, 0.0)


def test_mlp_is_reproducible_from_its_seed():
    a, b, c = MLP([3, 5, 2], rng=4), MLP([3, 5, 2], rng=np.random.default_rng(4)), MLP([3, 5, 2], rng=5)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert not np.array_equal(a.params[0], c.params[0])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("one_hot", [False, True])
def test_mlp_loss_gradients(activation, one_hot):
    rng = np.random.default_rng(2)
    mlp = MLP([3, 5, 4, 3], activation=activation, init="xavier", rng=3)
    x, labels = rng.standard_normal((6, 3)), rng.integers(0, 3, 6)
    t = np.eye(3)[labels] if one_hot else labels
    mlp.loss(x, t)
    dx = mlp.backward()
    loss = lambda: mlp.loss(x, t, train=False)
    assert rel_error(dx, numerical_gradient(loss, x)) < TOL
    for k, (p, g) in enumerate(zip(mlp.params, mlp.grads)):
        assert rel_error(g, numerical_gradient(loss, p)) < TOL, f"params[{k}]"


def test_mlp_loss_and_predict_match_the_layers_by_hand():
    rng = np.random.default_rng(3)
    mlp = MLP([2, 3, 2], activation="relu", rng=0)
    W1, b1, W2, b2 = mlp.params
    x, t = rng.standard_normal((4, 2)), np.array([0, 1, 1, 0])
    logits = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    np.testing.assert_allclose(mlp.predict(x), logits, rtol=1e-12)
    y = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert mlp.loss(x, t) == pytest.approx(-np.mean(np.log(y[np.arange(4), t])), rel=1e-12)


def test_mlp_dropout_is_on_in_loss_and_off_in_predict():
    x = np.random.default_rng(4).standard_normal((20, 5))
    mlp = MLP([5, 50, 3], dropout=0.5, rng=0)
    np.testing.assert_array_equal(mlp.predict(x), mlp.predict(x))
    t = np.zeros(20, dtype=int)
    assert mlp.loss(x, t, train=False) == mlp.loss(x, t, train=False)
    assert mlp.loss(x, t, train=True) != mlp.loss(x, t, train=True)


# --- predict and accuracy ----------------------------------------------------------------

def test_accuracy_counts_correct_rows():
    rng = np.random.default_rng(5)
    mlp = MLP([3, 4, 5], rng=1)
    x, t = rng.standard_normal((30, 3)), rng.integers(0, 5, 30)
    logits = mlp.predict(x)
    correct = sum(int(max(range(5), key=lambda c: logits[n, c]) == t[n]) for n in range(30))
    assert accuracy(mlp, x, t) == mlp.accuracy(x, t) == correct / 30
    assert accuracy(mlp, x, np.eye(5)[t]) == correct / 30
    assert accuracy(mlp, x, np.argmax(logits, axis=1)) == 1.0


def test_predict_works_for_sequential_and_mlp():
    rng = np.random.default_rng(6)
    net = Sequential([Affine(rng.standard_normal((2, 3)), np.zeros(3)), Dropout(0.9, rng=0)])
    x = rng.standard_normal((4, 2))
    np.testing.assert_allclose(predict(net, x), x @ net.params[0])   # test mode: no dropout
    mlp = MLP([2, 3], rng=0)
    np.testing.assert_array_equal(predict(mlp, x), mlp.predict(x))


# --- train ------------------------------------------------------------------------------

def test_mlp_learns_xor_blobs():
    x, t = xor_blobs(seed=0)
    x_test, t_test = xor_blobs(n_per_blob=10, seed=1)
    mlp = MLP([2, 16, 2], activation="tanh", init="xavier", rng=0)
    hist = train(mlp, Adam(lr=0.05), x, t, x_test, t_test, epochs=30, batch_size=20, rng=1, progress=False)
    assert all(len(hist[k]) == 30 for k in ("train_loss", "train_acc", "test_loss", "test_acc"))
    assert len(hist["batch_loss"]) == 30 * 5
    assert hist["train_loss"][-1] < 0.1 * hist["train_loss"][0]
    assert hist["train_acc"][-1] == 1.0 and hist["test_acc"][-1] == 1.0
    assert hist["train_loss"][-1] == pytest.approx(mlp.loss(x, t, train=False))
    assert hist["test_acc"][-1] == accuracy(mlp, x_test, t_test)


def test_softmax_regression_cannot_learn_xor():
    """The negative control: without a hidden layer XOR stays out of reach (chapter 01)."""
    x, t = xor_blobs(seed=0)
    hist = train(MLP([2, 2], rng=0), Adam(lr=0.05), x, t, epochs=30, batch_size=20, rng=1, progress=False)
    assert hist["train_acc"][-1] <= 0.75
    assert hist["test_loss"] == [] and hist["test_acc"] == []


def test_train_is_reproducible_and_accepts_an_optimizer_name():
    x, t = xor_blobs(seed=2)
    runs = [train(MLP([2, 8, 2], dropout=0.2, rng=0), name, x, t, epochs=3, batch_size=10,
                  rng=5, progress=False) for name in ("sgd", "SGD")]
    assert runs[0]["batch_loss"] == runs[1]["batch_loss"]
    other = train(MLP([2, 8, 2], dropout=0.2, rng=0), SGD(), x, t, epochs=3, batch_size=10,
                  rng=6, progress=False)
    assert other["batch_loss"] != runs[0]["batch_loss"]     # the shuffling seed matters


def test_weight_decay_shrinks_the_weights():
    x, t = xor_blobs(seed=3)
    W_norms = []
    for wd in (0.0, 0.1):
        mlp = MLP([2, 16, 2], rng=0)
        # lr 0.1, decay 0.1: without data a weight would shrink by (1 - 0.01) per step
        train(mlp, SGD(lr=0.1), x, t, epochs=20, batch_size=10, rng=0, progress=False, weight_decay=wd)
        W_norms.append(sum(np.sum(p ** 2) for p in mlp.params if p.ndim == 2))
    assert W_norms[1] < 0.5 * W_norms[0]


def test_weight_decay_adds_lambda_w_to_the_weight_gradients_only():
    """One SGD step with lr 1 and the same batch: the difference is exactly lambda·W on weights."""
    x, t = xor_blobs(n_per_blob=2, seed=4)
    start = MLP([2, 3, 2], rng=0)
    for b in start.params[1::2]:
        b[...] = np.linspace(-1, 1, b.size)      # non-zero biases, so decaying them would show
    after = []
    for wd in (0.0, 0.5):
        mlp = MLP([2, 3, 2], rng=0)
        for p, p0 in zip(mlp.params, start.params):
            p[...] = p0
        train(mlp, SGD(lr=1.0), x, t, epochs=1, batch_size=len(x), progress=False, weight_decay=wd)
        after.append(mlp.params)
    for p0, plain, decayed in zip(start.params, *after):
        expected = plain - 0.5 * p0 if p0.ndim == 2 else plain
        np.testing.assert_allclose(decayed, expected, rtol=1e-12, atol=1e-15)


def test_train_limits_blas_threads(monkeypatch):
    import threadpoolctl

    calls = []
    real = threadpoolctl.threadpool_limits

    def recording(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", recording)
    x, t = xor_blobs(n_per_blob=3)
    train(MLP([2, 3, 2], rng=0), "sgd", x, t, epochs=1, progress=False)
    assert calls == [((), {"limits": 1})]


def test_progress_bar_can_be_switched_off(capsys):
    x, t = xor_blobs(n_per_blob=3)
    train(MLP([2, 3, 2], rng=0), "sgd", x, t, epochs=2, progress=True)
    assert "steps" in capsys.readouterr().err
    train(MLP([2, 3, 2], rng=0), "sgd", x, t, epochs=2, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_importing_models_stays_light():
    root = os.path.dirname(os.path.dirname(os.path.abspath(dlcourse.__file__)))
    code = ("import sys, dlcourse.models; "
            "print(sorted(m for m in ('tqdm', 'threadpoolctl', 'ipywidgets', 'matplotlib', 'IPython') "
            "if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=root)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


# --- learner errors --------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(sizes=[3, 4], activation="swish"),
     r"unknown activation 'swish' for a layer; expected one of sigmoid, tanh, relu, leaky_relu"),
    (dict(sizes=[3, 4, 2], activation="step"), r"expected one of sigmoid, tanh, relu, leaky_relu"),
    (dict(sizes=[3, 4], init="glorot"), r"unknown init 'glorot'; expected one of xavier, he or a number"),
    (dict(sizes=[3, 4], init=-1.0), r"expected init to be one of xavier, he or a positive number"),
    (dict(sizes=[3]), r"expected sizes \[D, H1, \.\.\., C\] with at least two positive entries, got \[3\]"),
    (dict(sizes=[3, 0, 2]), r"got \[3, 0, 2\]"),
    (dict(sizes=[3, 4, 2], dropout=1.0), r"expected a drop probability 0 <= dropout < 1, got 1.0"),
])
def test_mlp_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)


def test_train_bad_arguments_raise():
    x, t = xor_blobs(n_per_blob=3)
    mlp = MLP([2, 3, 2], rng=0)
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamax'; expected one of sgd, momentum"):
        train(mlp, "adamax", x, t, progress=False)
    with pytest.raises(ValueError, match=r"expected t_train with 12 rows \(one per row of x_train\), got 11"):
        train(mlp, "sgd", x, t[:11], progress=False)
    with pytest.raises(ValueError, match=r"give both x_test and t_test, or neither"):
        train(mlp, "sgd", x, t, x_test=x, progress=False)
    with pytest.raises(ValueError, match=r"got epochs=2, batch_size=0"):
        train(mlp, "sgd", x, t, epochs=2, batch_size=0, progress=False)
    with pytest.raises(ValueError, match=r"Affine.forward: expected x of shape \(N, 2\).*got \(12, 3\)"):
        train(mlp, "sgd", np.ones((12, 3)), t, progress=False)


def test_accuracy_bad_targets_raise():
    mlp = MLP([2, 3], rng=0)
    with pytest.raises(ValueError, match=r"expected t of shape \(4,\) \(labels\) or \(4, 3\) \(one-hot\), got \(4, 2\)"):
        accuracy(mlp, np.ones((4, 2)), np.ones((4, 2)))


def test_sequential_check_on_module_exports():
    assert set(models.__all__) == {"Sequential", "Classifier", "MLP", "Autoencoder", "n_params", "logistic",
                                   "residual_mlp", "plain_mlp", "train", "predict", "accuracy",
                                   "train_steps", "shuffled_batches", "ordered_batches", "window_means",
                                   "HISTORY_KEYS"}
    assert all(hasattr(models, name) for name in models.__all__)


def test_classifier_chunks_test_mode_exactly_like_one_pass():
    """``chunk`` splits large test-mode inputs; the logits must not change."""
    from dlcourse.models import Classifier

    rng = np.random.default_rng(0)
    mlp = MLP([4, 8, 3], rng=0)
    x, t = rng.standard_normal((25, 4)), rng.integers(0, 3, 25)
    chunked = Classifier(mlp.layers, chunk=7)
    assert np.allclose(chunked.predict(x), mlp.predict(x), rtol=0, atol=1e-12)
    assert chunked.loss(x, t, train=False) == pytest.approx(mlp.loss(x, t, train=False), abs=1e-12)
    assert "Sequential, 67 parameters" in repr(chunked)


# --- the MNIST-1D paper's models ------------------------------------------------------------

@pytest.mark.parametrize("make, count", [(models.logistic, 410), (models.residual_mlp, 15210)])
def test_paper_models_have_the_paper_sizes(make, count):
    model = make(rng=0)
    assert models.n_params(model) == count
    assert model.predict(np.zeros((5, 40))).shape == (5, 10)


def test_residual_mlp_gradients_match_numerical_ones():
    model = models.residual_mlp(rng=0, D=6, H=5, C=3)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 6)), rng.integers(0, 3, 4)
    model.loss(x, t)
    model.backward()
    for k, (p, g) in enumerate(zip(model.params, [g.copy() for g in model.grads])):
        num = numerical_gradient(lambda: model.loss(x, t), p)
        assert rel_error(g, num) < 1e-7, k


def test_plain_mlp_layers_sizes_and_gradients():
    model = models.plain_mlp([6, 5, 4, 3], rng=0)
    assert [type(layer).__name__ for layer in model.layers] == ["Affine", "ReLU", "Affine", "ReLU", "Affine"]
    assert models.n_params(model) == 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3
    assert "mlp 6-5-4-3" in repr(model)
    rng = np.random.default_rng(2)
    x, t = rng.standard_normal((4, 6)), rng.integers(0, 3, 4)
    model.loss(x, t)
    model.backward()
    for p, g in zip(model.params, [g.copy() for g in model.grads]):
        assert rel_error(g, numerical_gradient(lambda: model.loss(x, t), p)) < 1e-7


# --- train_steps: the step-based loop, against hand-written loops ------------------------

def _clip_by_hand(grads, max_norm):
    """The global-norm clip written out (the arithmetic of rnn.clip_grads)."""
    total = float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads)))
    if total > max_norm:
        for g in grads:
            g *= max_norm / (total + 1e-6)
    return total


def _naive_steps(model, opt, x, t, steps, batch_size, seed, clip=None, weight_decay=0.0, lr=None):
    """The loop every chapter used to write: shuffle each epoch, loss, backward, (decay, clip), update."""
    rng = np.random.default_rng(seed)
    losses, norms, step = [], [], 0
    while step < steps:
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            if step == steps:
                break
            if lr is not None:
                opt.lr = lr(step)
            idx = order[start:start + batch_size]
            losses.append(model.loss(x[idx], t[idx]))
            model.backward()
            if weight_decay:
                for p, g in zip(model.params, model.grads):
                    if p.ndim >= 2:
                        g += weight_decay * p
            if clip is not None:
                norms.append(_clip_by_hand(model.grads, clip))
            opt.update(model.params, model.grads)
            step += 1
    return losses, norms


@pytest.mark.parametrize("make_opt", [lambda: SGD(lr=0.3), lambda: Adam(lr=0.05)], ids=["sgd", "adam"])
@pytest.mark.parametrize("clip", [None, 0.5])
@pytest.mark.parametrize("with_eval", [False, True])
def test_train_steps_equals_a_hand_written_loop_bit_for_bit(make_opt, clip, with_eval):
    x, t = xor_blobs(n_per_blob=6, seed=7)                    # N = 24, B = 5: a short last batch
    steps = 13                                                 # stops inside the third epoch
    ref = MLP([2, 8, 2], dropout=0.3, rng=1)                   # dropout: the masks must match too
    losses, norms = _naive_steps(ref, make_opt(), x, t, steps, 5, seed=3, clip=clip)
    model = MLP([2, 8, 2], dropout=0.3, rng=1)
    kw = dict(eval_every=4, eval_first=True, evaluate=lambda m: {"acc": m.accuracy(x, t)}) if with_eval else {}
    hist = train_steps(model, make_opt(), models.shuffled_batches((x, t), 5, 3), steps, clip=clip, **kw)
    for p, q in zip(model.params, ref.params):
        np.testing.assert_array_equal(p, q)
    assert hist["batch_loss"] == losses and hist["grad_norm"] == norms
    if with_eval:
        assert hist["eval_step"] == [0, 4, 8, 12, 13] and hist["acc"][-1] == accuracy(ref, x, t)
    else:
        assert hist["eval_step"] == [] and set(hist) == set(models.HISTORY_KEYS)


def test_train_steps_weight_decay_and_schedule_match_the_hand_written_loop():
    x, t = xor_blobs(n_per_blob=5, seed=8)
    lr = lambda step: 0.2 if step < 6 else 0.05               # noqa: E731
    ref = MLP([2, 6, 2], rng=2)
    losses, _ = _naive_steps(ref, SGD(lr=0.2), x, t, 10, 4, seed=4, weight_decay=0.01, lr=lr)
    model, opt = MLP([2, 6, 2], rng=2), SGD(lr=0.2)
    hist = train_steps(model, opt, models.shuffled_batches((x, t), 4, 4), 10, weight_decay=0.01, schedule=lr)
    for p, q in zip(model.params, ref.params):
        np.testing.assert_array_equal(p, q)
    assert hist["batch_loss"] == losses and opt.lr == 0.05


def test_train_is_the_hand_written_epoch_loop():
    """``train`` (now built on the shared loop) against the epoch loop it used to be, bit for bit."""
    x, t = xor_blobs(n_per_blob=7, seed=9)
    x_test, t_test = xor_blobs(n_per_blob=3, seed=10)
    ref, opt = MLP([2, 8, 2], dropout=0.2, rng=0), Adam(lr=0.02)
    rng = np.random.default_rng(11)
    expect = {k: [] for k in ("train_loss", "train_acc", "test_loss", "test_acc", "batch_loss")}
    for _ in range(3):
        order = rng.permutation(len(x))
        for start in range(0, len(x), 6):
            idx = order[start:start + 6]
            expect["batch_loss"].append(ref.loss(x[idx], t[idx], train=True))
            ref.backward()
            for p, g in zip(ref.params, ref.grads):
                if p.ndim >= 2:
                    g += 0.01 * p
            opt.update(ref.params, ref.grads)
        for split, (xs, ts) in (("train", (x, t)), ("test", (x_test, t_test))):
            expect[f"{split}_loss"].append(float(ref.loss(xs, ts, train=False)))
            expect[f"{split}_acc"].append(accuracy(ref, xs, ts))
    model = MLP([2, 8, 2], dropout=0.2, rng=0)
    hist = train(model, Adam(lr=0.02), x, t, x_test, t_test, epochs=3, batch_size=6, rng=11,
                 progress=False, weight_decay=0.01)
    assert hist == expect and list(hist) == list(expect)
    for p, q in zip(model.params, ref.params):
        np.testing.assert_array_equal(p, q)


def test_train_steps_evaluation_points_and_early_stop():
    x, t = xor_blobs(n_per_blob=3)
    seen = []

    def callback(step, history):
        seen.append((step, len(history["batch_loss"])))
        return step >= 6

    hist = train_steps(MLP([2, 3, 2], rng=0), "sgd", models.shuffled_batches((x, t), 4, 0), 20,
                       eval_every=3, callback=callback)
    assert seen == [(3, 3), (6, 6)] and hist["eval_step"] == [3, 6] and len(hist["batch_loss"]) == 6
    hist = train_steps(MLP([2, 3, 2], rng=0), "sgd", models.shuffled_batches((x, t), 4, 0), 7,
                       evaluate=lambda m: {"loss": m.loss(x, t, train=False)})
    assert hist["eval_step"] == [7] and len(hist["loss"]) == 1      # no eval_every: after the last step
    stopped = train_steps(MLP([2, 3, 2], rng=0), "sgd", models.shuffled_batches((x, t), 4, 0), 5,
                          eval_first=True, callback=lambda step, h: True)
    assert stopped["eval_step"] == [0] and stopped["batch_loss"] == []


def test_train_steps_calls_a_batch_function_with_the_step_number():
    x, t = xor_blobs(n_per_blob=2)
    asked = []

    def batches(step):
        asked.append(step)
        return x, t

    hist = train_steps(MLP([2, 3, 2], rng=0), SGD(), batches, 4)
    assert asked == [0, 1, 2, 3] and len(hist["batch_loss"]) == 4


def test_shuffled_batches_draw_one_permutation_per_epoch_when_it_starts():
    x = np.arange(10)[:, None]
    calls = []

    def data():
        calls.append(len(calls))
        return x, x[:, 0]

    stream = models.shuffled_batches(data, 4, np.random.default_rng(5))
    first = [next(stream) for _ in range(3)]                  # one epoch: 4 + 4 + 2 rows
    assert calls == [0] and [len(b[0]) for b in first] == [4, 4, 2]
    rng = np.random.default_rng(5)
    order = rng.permutation(10)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in first]), order)
    next(stream)                                               # the second epoch starts now
    assert calls == [0, 1]
    with pytest.raises(ValueError, match=r"shuffled_batches: expected batch_size >= 1 \(an integer\), got 0"):
        models.shuffled_batches((x,), 0, 0)


def test_ordered_batches_wrap_around_and_window_means():
    x = np.arange(10)
    stream = models.ordered_batches((x,), 4)
    assert [next(stream)[0].tolist() for _ in range(4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [2, 3, 4, 5]]
    assert models.window_means([1.0, 2.0, 3.0, 5.0, 7.0], [2, 5]) == [1.5, 5.0]


def test_train_steps_progress_bar_is_off_by_default(capsys):
    x, t = xor_blobs(n_per_blob=3)
    train_steps(MLP([2, 3, 2], rng=0), "sgd", models.shuffled_batches((x, t), 4, 0), 3)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    train_steps(MLP([2, 3, 2], rng=0), "sgd", models.shuffled_batches((x, t), 4, 0), 3, progress=True,
                evaluate=lambda m: {"acc": m.accuracy(x, t)})
    err = capsys.readouterr().err
    assert "steps" in err and "acc=" in err


def test_train_steps_limits_blas_threads(monkeypatch):
    import threadpoolctl

    calls = []
    real = threadpoolctl.threadpool_limits

    def recording(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", recording)
    x, t = xor_blobs(n_per_blob=2)
    train_steps(MLP([2, 3, 2], rng=0), "sgd", lambda step: (x, t), 2)
    train_steps(MLP([2, 3, 2], rng=0), "sgd", lambda step: (x, t), 2, threads=2)
    train_steps(MLP([2, 3, 2], rng=0), "sgd", lambda step: (x, t), 2, threads=None)
    assert calls == [{"limits": 1}, {"limits": 2}]


def _course_models():
    """One small instance of each kind of model the course trains with train_steps, and a batch."""
    from dlcourse import attention, autoencoders, seq2seq, transformer
    from dlcourse.rnn import SequenceClassifier

    rng = np.random.default_rng(0)
    ids, answers = rng.integers(1, 6, (8, 5)), rng.integers(1, 6, (8, 4))
    yield "Seq2Seq float32", lambda: seq2seq.Seq2Seq(6, 4, 5, rng=0, dtype=np.float32), (ids, answers)
    yield "AttentionSeq2Seq", lambda: attention.AttentionSeq2Seq(6, 4, 5, rng=0), (ids, answers)
    yield "TransformerEncoder", lambda: transformer.TransformerEncoder(6, 6, 8, 2, 8, rng=0), (ids, ids[:, ::-1])
    yield ("SequenceClassifier", lambda: SequenceClassifier("lstm", 3, 4, 2, rng=0),
           (rng.standard_normal((8, 5, 3)), rng.integers(0, 2, 8)))
    x = rng.random((8, 6))
    yield "Autoencoder", lambda: models.Autoencoder(6, 3, rng=0), (x,)
    yield "VAE", lambda: autoencoders.VAE(6, 4, 2, rng=0), (x,)       # loss(x) draws its own noise


@pytest.mark.parametrize("name, make, batch", list(_course_models()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_course_model_trains_under_train_steps(name, make, batch):
    """The model protocol: params, grads, loss(*batch), backward(); 3 clipped Adam steps as by hand."""
    ref, opt = make(), Adam(lr=0.01)
    losses = []
    for _ in range(3):
        losses.append(float(ref.loss(*batch)))
        ref.backward()
        _clip_by_hand(ref.grads, 0.1)
        opt.update(ref.params, ref.grads)
    model = make()
    hist = train_steps(model, Adam(lr=0.01), lambda step: batch, 3, clip=0.1)
    assert hist["batch_loss"] == losses, name
    for p, q in zip(model.params, ref.params):
        np.testing.assert_array_equal(p, q)
        assert p.dtype == q.dtype


def test_train_steps_bad_arguments_raise():
    x, t = xor_blobs(n_per_blob=2)
    mlp = MLP([2, 3, 2], rng=0)
    ok = lambda step: (x, t)                                   # noqa: E731
    cases = [
        (dict(steps=-1), ValueError, r"train_steps: expected steps >= 0 \(an integer\), got -1"),
        (dict(steps=2.5), ValueError, r"expected steps >= 0 \(an integer\), got 2.5"),
        (dict(clip=0.0), ValueError, r"train_steps: expected clip > 0 \(the largest gradient norm\) or None, got 0.0"),
        (dict(eval_every=0), ValueError, r"train_steps: expected eval_every >= 1 \(an integer\) or None, got 0"),
        (dict(evaluate=3), TypeError, r"train_steps: expected evaluate to be callable or None, got int"),
        (dict(weight_decay=-0.1), ValueError, r"train_steps: expected weight_decay >= 0, got -0.1"),
        (dict(threads=0), ValueError, r"train_steps: expected threads >= 1 \(an integer\) or None, got 0"),
        (dict(batches=5), TypeError, r"train_steps: expected batches to be an iterable of batches or a callable"),
        (dict(batches=[(x, t)], steps=3), ValueError, r"train_steps: batches ran out after 1 of 3 steps"),
        (dict(batches=lambda step: x), TypeError,
         r"train_steps: expected each batch to be a tuple of arguments for model.loss, e\.g\. \(x, t\) or \(x,\), got ndarray"),
        (dict(evaluate=lambda m: 0.5), TypeError,
         r"train_steps: expected evaluate\(model\) to return a dict of named values, got float"),
        (dict(evaluate=lambda m: {"batch_loss": 1.0}), ValueError,
         r"train_steps: evaluate returned the name 'batch_loss', which the history uses for itself"),
        (dict(optimizer="adamax"), ValueError, r"unknown optimizer 'adamax'"),
        (dict(optimizer=object()), TypeError, r"train_steps: expected an optimiser with update\(params, grads\) or a name"),
        (dict(model=Sequential([])), TypeError,
         r"train_steps: expected a model with params, grads, loss and backward, got Sequential \(missing: loss\)"),
    ]
    for kwargs, error, message in cases:
        args = dict(model=mlp, optimizer="sgd", batches=ok, steps=2) | kwargs
        with pytest.raises(error, match=message):
            train_steps(args.pop("model"), args.pop("optimizer"), args.pop("batches"), args.pop("steps"), **args)
