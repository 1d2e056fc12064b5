"""The MNIST-1D protocol loop. (The data and the label noise are tested in
tests/test_datasets.py, the models in tests/test_models.py, the residual block in
tests/test_layers.py.)"""
import numpy as np

from dlcourse import datasets, models
from dlcourse.experiments import mnist1d as M


class _Spy:
    """Records which samples each training step saw (by their first feature)."""

    def __init__(self):
        self.model = models.logistic(rng=0, D=3, C=2)
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
    run = M.train_protocol(models.logistic(rng=0), data, steps=200, eval_every=100)
    assert run.final > 0.2                               # chance is 0.1; the paper's logistic: 0.32
