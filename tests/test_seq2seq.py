"""Tests for dlcourse.seq2seq and the chapter 15 experiments.

Gradient checks of the whole models in float64 compare every parameter's
gradient with ``numerical_gradient``. The error is measured relative to the
largest entry of each gradient array (``max |g - n| / max(|g|, |n|)``),
not entry by entry: a composed model has entries near 1e-7 whose central
differences carry round-off noise of ~1e-11 (loss ~2, eps 1e-16, h 1e-5),
which makes the entrywise error of those entries large although the
gradient is right. The same metric catches a wrong gradient path (tested
below with a deliberately broken peeky backward).
"""
import numpy as np
import pytest

from dlcourse import datasets, optim
from dlcourse import seq2seq as S
from dlcourse.experiments import seq2seq as ex
from dlcourse.gradients import numerical_gradient

TOL = 1e-7


def scaled_error(a, b):
    return float(np.max(np.abs(a - b)) / max(np.abs(a).max(), np.abs(b).max(), 1e-12))


def _model(peeky, seed=0, V=7, D=3, H=4):
    rng = np.random.default_rng(seed)
    model = S.Seq2Seq(V, D, H, rng=seed, peeky=peeky)
    for p in model.params:                      # O(1) weights: no vanishing entries
        p[...] = 0.7 * rng.standard_normal(p.shape)
    xs, ts = rng.integers(0, V, (3, 5)), rng.integers(0, V, (3, 4))
    return model, xs, ts


def _grad_errors(model, xs, ts):
    model.loss(xs, ts)
    model.backward()
    grads = [g.copy() for g in model.grads]
    return [scaled_error(g, numerical_gradient(lambda: model.loss(xs, ts), p))
            for p, g in zip(model.params, grads)]


@pytest.mark.parametrize("peeky", [False, True], ids=["seq2seq", "peeky"])
@pytest.mark.parametrize("seed", [0, 1])
def test_whole_model_gradients(peeky, seed):
    model, xs, ts = _model(peeky, seed)
    assert len(model.params) == 10 and model.peeky == peeky
    errors = _grad_errors(model, xs, ts)
    assert max(errors) < TOL, errors


def test_gradient_check_catches_a_missing_path(monkeypatch):
    """Drop the peeky decoder's share of dh through the concatenations: the check fails."""
    def backward_without_peeking(self, dscores):
        dcat = self.affine.backward(dscores)
        dx = self.lstm.backward(dcat[:, :, self.H:])
        self.embed.backward(dx[:, :, self.H:])
        return self.lstm.dh                     # forgot dcat[:, :, :H] and dx[:, :, :H]

    model, xs, ts = _model(True)
    monkeypatch.setattr(S.PeekyDecoder, "backward", backward_without_peeking)
    assert max(_grad_errors(model, xs, ts)) > 1e-3


def test_encoder_backward_with_all_hidden_states():
    """Encoder.backward(dh, dhs): gradients from every state (what attention sends)."""
    rng = np.random.default_rng(3)
    enc = S.Encoder(6, 3, 4, rng=0)
    for p in enc.params:
        p[...] = 0.7 * rng.standard_normal(p.shape)
    xs = rng.integers(0, 6, (2, 5))
    w, ws = rng.standard_normal((2, 4)), rng.standard_normal((2, 5, 4))

    def loss():
        h = enc.forward(xs)
        return float(np.sum(h * w) + np.sum(enc.hs * ws))

    loss()
    enc.backward(w, ws)
    grads = [g.copy() for g in enc.grads]
    assert max(scaled_error(g, numerical_gradient(loss, p)) for p, g in zip(enc.params, grads)) < TOL


@pytest.mark.parametrize("peeky", [False, True], ids=["seq2seq", "peeky"])
def test_greedy_generation_feeds_its_own_output_back(peeky):
    """The greedy ids are the argmax of a teacher-forced pass over [start, ids[:-1]]."""
    model, xs, _ = _model(peeky, 4)
    ids = model.generate(xs, start_id=1, length=6)
    assert ids.shape == (3, 6) and ids.dtype == np.int64
    path = np.concatenate([np.ones((3, 1), dtype=np.int64), ids[:, :-1]], axis=1)
    scores = model.decoder.forward(path, model.encoder.forward(xs))
    assert np.array_equal(scores.argmax(axis=2), ids)
    assert np.array_equal(model.generate(xs, 1, 6, temperature=0), ids)


def test_sampling_follows_the_tempered_softmax():
    scores = np.array([[2.0, 1.0, 0.0, -1.0]])
    many = np.repeat(scores, 20000, axis=0)
    for T in (0.5, 1.0, 3.0):
        p = np.exp(scores[0] / T) / np.exp(scores[0] / T).sum()
        freq = np.bincount(S.sample_ids(many, T, rng=0), minlength=4) / len(many)
        assert np.max(np.abs(freq - p)) < 0.015, (T, freq, p)
    assert np.array_equal(S.sample_ids(many[:50], 1.0, rng=5), S.sample_ids(many[:50], 1.0, rng=5))
    assert S.sample_ids(scores, None).tolist() == [0] and S.sample_ids(scores, 0).tolist() == [0]
    with pytest.raises(ValueError):
        S.sample_ids(scores, -1.0)


def test_sampled_generation_is_seeded_and_varies():
    model, xs, _ = _model(True, 5)
    xs = np.repeat(xs, 10, axis=0)
    a = model.generate(xs, 1, 5, temperature=2.0, rng=1)
    assert np.array_equal(a, model.generate(xs, 1, 5, temperature=2.0, rng=1))
    assert len({tuple(r) for r in a[:10]}) > 1, "samples of one question should differ"


def test_float32_and_shape_errors():
    model = S.PeekySeq2Seq(7, 3, 4, rng=0, dtype=np.float32)
    xs, ts = np.zeros((2, 5), dtype=int), np.ones((2, 4), dtype=int)
    assert np.isfinite(model.loss(xs, ts))
    model.backward()
    assert all(p.dtype == np.float32 and g.dtype == np.float32
               for p, g in zip(model.params, model.grads))
    with pytest.raises(ValueError, match="Ta >= 2"):
        model.loss(xs, ts[:, :1])
    with pytest.raises(ValueError):
        model.loss(xs, ts[:1])


def test_fit_learns_to_reverse_and_clips():
    data = datasets.reversal(n=600, length=3, n_symbols=3, seed=0, start_token=True)
    model = S.Seq2Seq(len(data.vocab), 8, 24, rng=0)
    hist = S.fit(model, *data.arrays(), epochs=12, batch_size=20, optimizer=optim.Adam(0.02),
                 max_grad=1.0, rng=0)
    assert hist["loss"][-1] < 0.5 * hist["loss"][0]
    assert hist["test_acc"][-1] > 0.6 and len(hist["grad_norm"]) == 12
    assert S.exact_match(model, data.x_test, data.t_test) == hist["test_acc"][-1]


def test_exact_match_counts_whole_answers():
    class Echo:
        def generate(self, xs, start_id, length):
            return xs[:, :length]

    ts = np.array([[1, 5, 6], [1, 5, 6]])
    xs = np.array([[5, 6], [5, 7]])
    assert S.exact_match(Echo(), xs, ts) == 0.5
    acc, ids = S.exact_match(Echo(), xs, ts, return_ids=True)
    assert ids.tolist() == [[5, 6], [5, 7]]


SMALL = dict(n=600, H=16, D=8, epochs=2, batch_size=50, lr=0.01)


def test_experiments_with_small_settings():
    peek = ex.addition_peek(shown=3)
    assert "V = 13" in str(peek) and str(peek).count("\n") == 4
    run = ex.train_addition("peeky", **SMALL)
    assert run is ex.train_addition("peeky", **SMALL), "runs are cached"
    text = str(run)
    assert "peeky + reversed" in text and "test exact match" in text and len(run.examples) == 6
    assert len(run.history["loss"]) == 2 and 0 <= run.accuracy <= 1
    assert sum(n for _, n in run.by_length.values()) == 60
    comp = ex.compare(**SMALL)
    assert list(comp.runs) == list(ex.VARIANTS) and "reversed input" in str(comp)
    greedy = ex.sampling(0.0, length=4, **SMALL)
    assert all(set(s) == {g} for s, g in zip(greedy.samples, greedy.greedy))
    assert greedy.probs.max() == 1.0 and "greedy (argmax)" in str(greedy)
    hot = ex.sampling(3.0, length=5, **SMALL)
    assert abs(hot.probs.sum() - 1) < 1e-9 and hot.probs.max() < greedy.probs.max()
    tv = ex.thought_vectors(**SMALL)
    assert tv.points.shape == (60, 2) and tv.H == 16 and "principal axes" in str(tv)
    with pytest.raises(ValueError):
        ex.train_addition("attention")
    with pytest.raises(ValueError):
        ex.train_addition("baseline", hidden=3)


def test_sampling_demo_defaults_equal_the_lesson_call():
    """The widget's default view is ``sampling()`` with its defaults (checked without training)."""
    import inspect

    from dlcourse import widgets

    demo = inspect.signature(widgets.sampling_demo).parameters
    lesson = inspect.signature(ex.sampling).parameters
    assert {k: demo[k].default for k in demo} == {k: lesson[k].default for k in demo}
    assert demo["length"].default in ex.LENGTHS
