"""A recursive (tree-structured) neural net, and the boolean expression trees it learns to evaluate.

Chapter 13 (seed 000 p.32: a recursive net applies the same NET at every
node of a tree, which suits tree-shaped data such as language). A tree is a
nested tuple: a leaf is ``True`` or ``False``, an inner node is
``(op, left, right)`` with op one of :data:`OPS`. For example::

    ("xor", ("and", True, False), True)      # (T and F) xor T  ->  True

:func:`encode_trees` flattens a list of trees into one :class:`TreeBatch`
of node arrays, and :class:`TreeNet` computes one vector per node with a
single shared composition layer::

    h(leaf) = E[value],   h(node) = tanh([h(left), h(right), onehot(op)] @ W + b)

All nodes of the same height (over every tree of the batch) are computed by
one matrix product, so a batch of trees costs as many products as its
tallest tree has levels. :class:`TreeClassifier` puts a classifier on every
node and learns the truth value of each subtree.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse import layers as L
from dlcourse import optim
from dlcourse.validation import as_float, check_shape

__all__ = ["OPS", "random_tree", "evaluate", "depth", "to_string", "TreeBatch", "encode_trees", "TreeNet",
           "TreeClassifier"]

OPS = ("and", "or", "xor")
"""The binary operators of the expression trees, in the order of the one-hot code."""

_APPLY = {"and": lambda a, b: a and b, "or": lambda a, b: a or b, "xor": lambda a, b: a != b}


def random_tree(rng, depth, p_leaf=0.25):
    """A random boolean expression tree no deeper than ``depth``.

    Parameters
    ----------
    rng : numpy.random.Generator
    depth : int
        Maximum number of operator levels (0 gives a single leaf).
    p_leaf : float
        Probability that a node above the last level is a leaf anyway (the root
        never is, unless depth == 0), so trees come in many shapes.
    """
    if depth == 0:
        return bool(rng.integers(2))
    op = OPS[int(rng.integers(len(OPS)))]
    kids = [random_tree(rng, depth - 1, p_leaf) if rng.random() >= p_leaf else bool(rng.integers(2))
            for _ in range(2)]
    return (op, kids[0], kids[1])


def evaluate(tree):
    """The truth value of a tree."""
    if isinstance(tree, (bool, np.bool_)):
        return bool(tree)
    op, left, right = tree
    return _APPLY[op](evaluate(left), evaluate(right))


def depth(tree):
    """Number of operator levels: 0 for a leaf."""
    if isinstance(tree, (bool, np.bool_)):
        return 0
    return 1 + max(depth(tree[1]), depth(tree[2]))


def to_string(tree):
    """Infix text, e.g. ``"((T and F) xor T)"``."""
    if isinstance(tree, (bool, np.bool_)):
        return "T" if tree else "F"
    op, left, right = tree
    return f"({to_string(left)} {op} {to_string(right)})"


@dataclass
class TreeBatch:
    """Every node of a list of trees, as flat arrays (M nodes in all, parents after children).

    Attributes
    ----------
    token : ndarray of int, (M,)
        A leaf's value (0 = F, 1 = T); an inner node's operator index in :data:`OPS`.
    left, right : ndarray of int, (M,)
        Indices of the children; -1 for leaves.
    height : ndarray of int, (M,)
        0 for leaves, 1 + the taller child's height for inner nodes.
    value : ndarray of int, (M,)
        The truth value of the subtree under each node (the labels).
    tree : ndarray of int, (M,)
        Which tree of the list each node belongs to.
    roots : ndarray of int, (n_trees,)
        Index of each tree's root node.
    """

    token: np.ndarray
    left: np.ndarray
    right: np.ndarray
    height: np.ndarray
    value: np.ndarray
    tree: np.ndarray
    roots: np.ndarray

    def __len__(self):
        return len(self.token)

    @property
    def inner(self):
        """Boolean mask (M,) of the operator nodes."""
        return self.height > 0


def encode_trees(trees):
    """Flatten a list of trees into a :class:`TreeBatch` (children are listed before parents)."""
    cols = {k: [] for k in ("token", "left", "right", "height", "value", "tree")}

    def visit(node, k):
        if isinstance(node, (bool, np.bool_)):
            row = (int(node), -1, -1, 0, int(node), k)
        else:
            op, a, b = node
            i, j = visit(a, k), visit(b, k)
            row = (OPS.index(op), i, j, 1 + max(cols["height"][i], cols["height"][j]),
                   int(_APPLY[op](bool(cols["value"][i]), bool(cols["value"][j]))), k)
        for key, v in zip(cols, row):
            cols[key].append(v)
        return len(cols["token"]) - 1

    roots = [visit(t, k) for k, t in enumerate(trees)]
    arrays = {k: np.asarray(v, dtype=np.int64) for k, v in cols.items()}
    return TreeBatch(roots=np.asarray(roots, dtype=np.int64), **arrays)


class TreeNet:
    """One shared composition layer applied bottom-up at every node of a batch of trees.

    Parameters
    ----------
    E : ndarray, shape (2, H)
        The vectors of the leaves F (row 0) and T (row 1).
    W : ndarray, shape (2H + n_ops, H)
        The composition weights; rows 0..H-1 read the left child, H..2H-1 the
        right child, the last n_ops rows the operator's one-hot code.
    b : ndarray, shape (H,)

    Notes
    -----
    ``h(node) = tanh(u @ W + b)`` with ``u = [h(left), h(right), onehot(op)]``
    (shape (2H + n_ops,)). The backward pass runs from the tallest level down:
    ``da = dh (1 - h²)``, ``dW += u^T da``, and ``da @ W^T`` is split between
    the two children (one path per node, because each node has one parent).
    A leaf's gradient lands on its row of E.
    """

    def __init__(self, E, W, b):
        E, W, b = as_float(E), as_float(W), as_float(b)
        if E.ndim != 2 or W.ndim != 2:
            raise ValueError(f"TreeNet: expected E (2, H), W (2H + n_ops, H), b (H,); "
                             f"got E {E.shape}, W {W.shape}, b {b.shape}")
        H = E.shape[1]
        n_ops = W.shape[0] - 2 * H
        if E.shape != (2, H) or W.shape[1] != H or n_ops < 1 or b.shape != (H,):
            raise ValueError(f"TreeNet: expected E (2, H), W (2H + n_ops, H), b (H,); "
                             f"got E {E.shape}, W {W.shape}, b {b.shape}")
        self.n_ops = n_ops
        self.params = [E, W, b]
        self.grads = [np.zeros_like(E), np.zeros_like(W), np.zeros_like(b)]

    def forward(self, batch):
        """batch (a TreeBatch of M nodes) -> hs (M, H), one vector per node."""
        E, W, b = self.params
        M, H = len(batch), E.shape[1]
        if batch.token[batch.inner].max(initial=0) >= self.n_ops:
            raise ValueError(f"TreeNet.forward: operator index beyond the {self.n_ops} the weights allow")
        hs = np.zeros((M, H), dtype=E.dtype)
        leaf = ~batch.inner
        hs[leaf] = E[batch.token[leaf]]
        self.levels = []                                      # (nodes, u) per level, for backward
        for level in range(1, int(batch.height.max(initial=0)) + 1):
            idx = np.flatnonzero(batch.height == level)
            ops = np.eye(self.n_ops, dtype=E.dtype)[batch.token[idx]]
            u = np.concatenate([hs[batch.left[idx]], hs[batch.right[idx]], ops], axis=1)   # (m, 2H + n_ops)
            hs[idx] = np.tanh(u @ W + b)
            self.levels.append((idx, u))
        self.batch, self.hs = batch, hs
        return hs

    def backward(self, dhs):
        """dhs (M, H): gradient of the loss w.r.t. every node's vector. Fills grads = [dE, dW, db]."""
        E, W, b = self.params
        H = E.shape[1]
        batch, dE, dW, db = self.batch, *self.grads
        dhs = as_float(dhs)
        check_shape("TreeNet.backward", "dhs", dhs, self.hs.shape)
        total = dhs.copy()                                    # grows as parents pass gradient down
        dW[...] = 0
        db[...] = 0
        for idx, u in reversed(self.levels):
            da = total[idx] * (1 - self.hs[idx] ** 2)        # (m, H)
            dW += u.T @ da
            db += da.sum(axis=0)
            du = da @ W.T                                     # (m, 2H + n_ops)
            total[batch.left[idx]] += du[:, :H]              # each child has exactly one parent
            total[batch.right[idx]] += du[:, H:2 * H]
        dE[...] = 0
        leaf = ~batch.inner
        np.add.at(dE, batch.token[leaf], total[leaf])
        self.dhs = total
        return None


class TreeClassifier:
    """A :class:`TreeNet`, then an affine map to {F, T} at every node; softmax loss over the inner nodes.

    Parameters
    ----------
    H : int
        Size of every node's vector.
    rng : numpy.random.Generator or int, optional
        Initial weights: leaves E 0.5·N(0, 1), composition W with std
        1/√(2H + n_ops) and b = 0, then an (H, 2) readout with std 1/√H.

    Notes
    -----
    ``loss(batch)`` labels every operator node of a :class:`TreeBatch` of M
    nodes with the truth value of its subtree (``batch.value``), so the
    shared composition layer learns each operator on its own: the scores
    ``hs[inner] @ W_out + b_out`` (m, 2) go through
    :class:`dlcourse.layers.SoftmaxWithLoss`. ``p_true(batch)`` (M,) is
    P(True) at every node, the root's answer included. Chapter 13 trains it
    on shallow trees and tests it on deeper ones.
    """

    def __init__(self, H, rng=None):
        rng = np.random.default_rng(rng)
        n_in = 2 * H + len(OPS)
        self.net = TreeNet(rng.standard_normal((2, H)) * 0.5, optim.scaled_normal((n_in, H), rng), np.zeros(H))
        self.head = L.Affine(optim.scaled_normal((H, 2), rng), np.zeros(2))
        self.loss_layer = L.SoftmaxWithLoss()
        self.params = self.net.params + self.head.params
        self.grads = self.net.grads + self.head.grads
        self.hs = self.inner = None

    def loss(self, batch):
        """Mean cross-entropy of the inner nodes' truth values (a numpy float)."""
        self.hs = self.net.forward(batch)                                     # (M, H)
        self.inner = np.flatnonzero(batch.inner)
        return self.loss_layer.forward(self.head.forward(self.hs[self.inner]), batch.value[self.inner])

    def backward(self, dout=1.0):
        """Gradients of the last loss into ``grads``."""
        dhs = np.zeros_like(self.hs)
        dhs[self.inner] = self.head.backward(self.loss_layer.backward(dout))
        self.net.backward(dhs)

    def p_true(self, batch):
        """P(True) at every node of ``batch``, shape (M,)."""
        s = self.head.forward(self.net.forward(batch))                        # (M, 2)
        return 1.0 / (1.0 + np.exp(s[:, 0] - s[:, 1]))
