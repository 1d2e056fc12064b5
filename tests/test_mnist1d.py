"""The MNIST-1D protocol pieces: the residual block, the models and the loop."""
import numpy as np
import pytest

from dlcourse import datasets
from dlcourse import layers as L
from dlcourse.experiments import mnist1d as M
from dlcourse.gradients import check_layer_gradients, numerical_gradient, rel_error


def test_residual_block_gradients():
    rng = np.random.default_rng(0)
    block = M.Residual([L.Affine(rng.standard_normal((4, 4)), rng.standard_normal(4)), L.Tanh()])
    x = rng.standard_normal((3, 4))
    errors = check_layer_gradients(block, x)
    assert max(errors.values()) < 1e-7, errors
    np.testing.assert_allclose(block.forward(x), x + np.tanh(x @ block.params[0] + block.params[1]))


def test_residual_block_needs_a_shape_preserving_inner_block():
    block = M.Residual([L.Affine(np.ones((4, 3)), np.zeros(3))])
    with pytest.raises(ValueError, match="keep the shape"):
        block.forward(np.ones((2, 4)))


@pytest.mark.parametrize("make, count", [(M.logistic, 410), (M.residual_mlp, 15210)])
def test_paper_models_have_the_paper_sizes(make, count):
    model = make(rng=0)
    assert M.n_params(model) == count
    assert model.predict(np.zeros((5, 40))).shape == (5, 10)


def test_residual_mlp_gradients_match_numerical_ones():
    model = M.residual_mlp(rng=0, D=6, H=5, C=3)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 6)), rng.integers(0, 3, 4)
    model.loss(x, t)
    model.backward()
    for k, (p, g) in enumerate(zip(model.params, [g.copy() for g in model.grads])):
        num = numerical_gradient(lambda: model.loss(x, t), p)
        assert rel_error(g, num) < 1e-7, k


def test_uniform_init_is_bounded_by_one_over_root_fan_in():
    W, b = M.uniform_init(100, 7, np.random.default_rng(0))
    assert W.shape == (100, 7) and b.shape == (7,)
    assert np.abs(W).max() <= 0.1 and np.abs(b).max() <= 0.1 and np.abs(W).max() > 0.09


class _Spy:
    """Records which samples each training step saw (by their first feature)."""

    def __init__(self):
        self.model = M.logistic(rng=0, D=3, C=2)
        self.seen = []

    params = property(lambda self: self.model.params)
    grads = property(lambda self: self.model.grads)

    def loss(self, x, t, train=True):
        self.seen.append(x[:, 0].astype(int).tolist())
        return self.model.loss(x, t)

    def backward(self):
        return self.model.backward()

    def predict(self, x, train=False):
        return self.model.predict(x)


def test_protocol_takes_batches_in_order_and_scores_every_eval_every_steps():
    N = 10
    x = np.zeros((N, 3))
    x[:, 0] = np.arange(N)                               # feature 0 = the sample's index
    t = np.arange(N) % 2
    spy = _Spy()
    run = M.train_protocol(spy, (x, t, x, t), steps=7, batch_size=4, lr=0.1, eval_every=3, name="spy")
    assert spy.seen[:4] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [2, 3, 4, 5]]   # (s·B) mod N, in order
    assert run.eval_steps.tolist() == [3, 6, 7] and run.test_acc.shape == (3,)
    assert run.best == max(run.test_acc) and run.final == run.test_acc[-1]
    assert run.name == "spy" and "params" in str(run)


def test_protocol_learns_mnist1d_a_little():
    data = datasets.mnist1d_paper_data(num_samples=2000, train_split=0.5)
    assert data[0].shape == (1000, 40) and not data[0].flags.writeable
    run = M.train_protocol(M.logistic(rng=0), data, steps=200, eval_every=100)
    assert run.final > 0.2                               # chance is 0.1; the paper's logistic: 0.32
