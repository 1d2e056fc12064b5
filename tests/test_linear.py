"""Chapter 03: features, the perceptron, logistic regression and SGD (dlcourse.lessons.text_classifiers and its experiments)."""
import numpy as np
import pytest

from dlcourse.lessons import text_classifiers as L
from dlcourse import widgets
from dlcourse.datasets import sentiment_corpus
from dlcourse.experiments import linear as E
from dlcourse.gradients import numerical_gradient, rel_error


def _data(seed, N=9, V=6):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(N, V)).astype(float)
    return X, rng.standard_normal(V), rng.choice([-1, 1], size=N)


def test_unigram_features_match_the_slide():
    assert L.unigram_features("I am happy") == {"UNI:I": 1, "UNI:am": 1, "UNI:happy": 1}
    assert L.unigram_features(" the\tcat saw  the dog ")["UNI:the"] == 2
    assert L.unigram_features("") == {}
    ex = E.unigram_example()
    assert ex.vectors.tolist() == [[1, 0, 1, 0, 0, 1], [1, 0, 1, 1, 0, 0]]    # seed 000 p.4


def test_dict_and_array_predictions_agree():
    corpus = sentiment_corpus(seed=1, n=40)
    rng = np.random.default_rng(0)
    w = rng.standard_normal(len(corpus.vocab))
    w_dict = {"UNI:" + word: w[j] for word, j in corpus.vocab.items()}
    for s, x in zip(corpus.train.sentences, corpus.train.X):
        phi = L.unigram_features(s)
        assert L.dot(w_dict, phi) == pytest.approx(float(x @ w))
        assert L.predict_one(w_dict, phi) == L.predict(w, x)
    assert L.predict_one({}, {"UNI:x": 1}) == 1            # a score of 0 counts as +1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_log_likelihood_grad_matches_numerical_gradient(seed):
    X, w, t = _data(seed)
    num = numerical_gradient(lambda: L.log_likelihood(w, X, t), w)
    assert rel_error(L.log_likelihood_grad(w, X, t), num) < 1e-7


def test_log_likelihood_grad_against_a_naive_loop():
    X, w, t = _data(5)
    naive = sum(t[n] * X[n] * (1 - 1 / (1 + np.exp(-t[n] * (X[n] @ w)))) for n in range(len(X)))
    assert rel_error(L.log_likelihood_grad(w, X, t), naive) < 1e-12
    # the (t + 1)/2 - P(y=1|x) form of the same gradient
    assert rel_error(L.log_likelihood_grad(w, X, t), X.T @ ((t + 1) / 2 - L.prob_positive(w, X))) < 1e-12


@pytest.mark.parametrize("y", [1, -1])
def test_prob_grad_is_the_slide_formula(y):
    X, w, _ = _data(3)
    x = X[0]
    num = numerical_gradient(lambda: float(L.prob_of_label(w, x[None], np.array([y]))[0]), w)
    s = x @ w
    slide = y * x * np.exp(s) / (1 + np.exp(s)) ** 2
    assert rel_error(L.prob_grad(w, x, y), num) < 1e-7 and rel_error(L.prob_grad(w, x, y), slide) < 1e-12


def test_no_overflow_for_huge_scores():
    X, _, t = _data(0)
    w = np.full(X.shape[1], 400.0)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        assert np.isfinite(L.log_likelihood(w, X, t))
        assert np.all(np.isfinite(L.log_likelihood_grad(w, X, t)))
        L.sgd(X, t, 1.0, 2, np.random.default_rng(0), w=w)


def test_sgd_epochs_compose_and_need_a_generator():
    X, _, t = _data(4)
    w5 = L.sgd(X, t, 0.3, 5, np.random.default_rng(9))
    rng, w = np.random.default_rng(9), None
    for _ in range(5):
        w = L.sgd(X, t, 0.3, 1, rng, w=w)
    np.testing.assert_allclose(w, w5, rtol=1e-12)
    with pytest.raises(TypeError, match="rng"):
        L.sgd(X, t, 0.3, 1, 0)
    with pytest.raises(ValueError, match="objective"):
        L.sgd(X, t, 0.3, 1, np.random.default_rng(0), objective="mse")


def test_sgd_step_against_a_naive_loop():
    X, _, t = _data(6)
    w = np.zeros(X.shape[1])
    for n in np.random.default_rng(2).permutation(len(X)):
        p_true = 1 / (1 + np.exp(-t[n] * (X[n] @ w)))
        w = w + 0.5 * t[n] * X[n] * (1 - p_true)
    np.testing.assert_allclose(L.sgd(X, t, 0.5, 1, np.random.default_rng(2)), w, rtol=1e-12)


def test_perceptron_separates_the_corpus():
    run = E.perceptron_on_corpus()
    assert run.mistakes[-1] == 0 and run.train_accuracy == 1.0
    assert run.probes["I am not happy"] == +1          # the linear model's blind spot (seed 000 p.12)


def test_probability_curve_peaks_at_a_quarter():
    s, v = E.probability_curves().peak
    assert f"{s:.4f}" == "0.0000" and f"{v:.4f}" == "0.2500"
    assert "peaks at w.phi = 0.0000 with 0.2500" in str(E.probability_curves())


def test_logistic_sgd_climbs_and_learns():
    run = E.logistic_sgd(lr=0.1, epochs=10)
    assert np.all(np.diff(run.log_likelihood) > 0)
    assert f"{run.log_likelihood[0]:.4f}" == f"{320 * np.log(0.5):.4f}"
    assert run.train_accuracy[-1] == 1.0 and run.test_accuracy[-1] >= 0.95
    slide = E.logistic_sgd(lr=0.1, epochs=10, objective="prob")
    assert slide.log_likelihood[-1] < run.log_likelihood[-1]


def test_gradient_check_experiment_is_tight():
    assert all(err < 1e-7 for err in E.gradient_check().errors.values())


def test_sgd_explorer_default_equals_the_printed_experiment():
    demo = widgets.sgd_explorer()
    assert str(demo.result) == str(E.logistic_sgd(lr=0.1, epochs=10, seed=0))
    before = demo.image.value, demo.text.value
    demo.set(lr=1.0)
    assert demo.image.value != before[0] and demo.text.value != before[1]
    assert demo.set(epochs=3).result.log_likelihood.shape == (4,)
