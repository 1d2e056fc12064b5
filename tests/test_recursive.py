"""Chapter 13: the recursive (tree-structured) net and its expression trees.

TreeNet's level-by-level batch forward is compared with a naive recursion over
each tree, and its backward with numerical gradients in float64."""
import numpy as np
import pytest

from dlcourse import recursive as R
from dlcourse.gradients import numerical_gradient, rel_error


def _net(rng, H):
    n_in = 2 * H + len(R.OPS)
    return R.TreeNet(rng.standard_normal((2, H)), rng.standard_normal((n_in, H)) * 0.6, rng.standard_normal(H) * 0.3)


def _naive(net, tree):
    """h(tree) by plain recursion, one node at a time."""
    E, W, b = net.params
    if isinstance(tree, bool):
        return E[int(tree)]
    op, left, right = tree
    u = np.concatenate([_naive(net, left), _naive(net, right), np.eye(len(R.OPS))[R.OPS.index(op)]])
    return np.tanh(u @ W + b)


def test_tree_helpers():
    tree = ("xor", ("and", True, False), True)
    assert R.evaluate(tree) is True
    assert R.depth(tree) == 2 and R.depth(False) == 0
    assert R.to_string(tree) == "((T and F) xor T)"
    rng = np.random.default_rng(0)
    for d in range(5):
        full = R.random_tree(rng, d, p_leaf=0.0)
        assert R.depth(full) == d
        assert R.depth(R.random_tree(rng, d)) <= d


def test_encode_trees_lists_children_first_with_every_value():
    rng = np.random.default_rng(1)
    trees = [R.random_tree(rng, 3) for _ in range(20)] + [True, ("or", False, False)]
    B = R.encode_trees(trees)
    inner = np.flatnonzero(B.inner)
    assert np.all(B.left[inner] < inner) and np.all(B.right[inner] < inner)
    assert np.all(B.height[inner] == 1 + np.maximum(B.height[B.left[inner]], B.height[B.right[inner]]))
    assert np.all(B.left[~B.inner] == -1)
    assert [bool(v) for v in B.value[B.roots]] == [R.evaluate(t) for t in trees]
    ops = {"and": np.logical_and, "or": np.logical_or, "xor": np.logical_xor}
    for i in inner:                                 # every inner node's value is its operator on its children
        assert B.value[i] == ops[R.OPS[B.token[i]]](B.value[B.left[i]], B.value[B.right[i]])


def test_batched_forward_equals_naive_recursion():
    rng = np.random.default_rng(2)
    net = _net(rng, 5)
    trees = [R.random_tree(rng, 4) for _ in range(12)]
    B = R.encode_trees(trees)
    hs = net.forward(B)
    for k, t in enumerate(trees):
        np.testing.assert_allclose(hs[B.roots[k]], _naive(net, t), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("H, depth, seed", [(3, 3, 0), (4, 4, 1), (2, 1, 2)])
def test_backward_matches_numerical_gradient(H, depth, seed):
    rng = np.random.default_rng(seed)
    net = _net(rng, H)
    B = R.encode_trees([R.random_tree(rng, depth) for _ in range(4)] + [False])
    dhs = rng.standard_normal((len(B), H))
    net.forward(B)
    assert net.backward(dhs) is None
    grads = [g.copy() for g in net.grads]
    f = lambda: float(np.sum(net.forward(B) * dhs))    # noqa: E731
    for p, g in zip(net.params, grads):
        assert rel_error(g, numerical_gradient(f, p)) < 1e-7


def test_backward_does_not_modify_dout_and_grads_do_not_pile_up():
    rng = np.random.default_rng(3)
    net = _net(rng, 3)
    B = R.encode_trees([R.random_tree(rng, 3) for _ in range(3)])
    dhs = rng.standard_normal((len(B), 3))
    before = dhs.copy()
    net.forward(B)
    net.backward(dhs)
    first = [g.copy() for g in net.grads]
    net.backward(dhs)
    np.testing.assert_array_equal(dhs, before)
    for a, b in zip(first, net.grads):
        np.testing.assert_allclose(a, b)


def test_shape_errors_are_clear():
    rng = np.random.default_rng(4)
    with pytest.raises(ValueError, match="TreeNet: expected E"):
        R.TreeNet(rng.standard_normal((3, 4)), rng.standard_normal((11, 4)), np.zeros(4))
    net = _net(rng, 2)
    B = R.encode_trees([("and", True, True)])
    net.forward(B)
    with pytest.raises(ValueError, match="expected dhs of shape"):
        net.backward(np.zeros((2, 2)))


# --- the classifier on top (chapter 13's experiment) ---------------------------------------------

def test_tree_classifier_gradients_and_probabilities():
    rng = np.random.default_rng(4)
    model = R.TreeClassifier(4, rng=0)
    batch = R.encode_trees([R.random_tree(rng, 3) for _ in range(6)])
    loss = model.loss(batch)
    model.backward()
    for p, g in zip(model.params, [g.copy() for g in model.grads]):
        assert rel_error(g, numerical_gradient(lambda: model.loss(batch), p)) < 1e-7
    assert loss == pytest.approx(model.loss(batch))
    p_true = model.p_true(batch)
    assert p_true.shape == (len(batch),) and np.all((p_true > 0) & (p_true < 1))
    scores = model.head.forward(model.net.forward(batch))                  # P(True) = softmax(scores)[:, 1]
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(p_true, e[:, 1] / e.sum(axis=1), rtol=1e-12)
    assert len(model.params) == 5 and model.params[1].shape == (2 * 4 + len(R.OPS), 4)
