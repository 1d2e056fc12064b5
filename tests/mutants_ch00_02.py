"""Typical wrong answers for the checks of chapters 00-02 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse.gates import AND, NAND, OR


def _relu_in_place(x):
    x[x < 0] = 0
    return x


def _naive_softmax(x):
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


MUTANTS = {
    "00.dot": [
        ("forgot to sum", lambda u, v: u * v),
        ("sum instead of product", lambda u, v: float(np.sum(u + v))),
        ("product of sums", lambda u, v: float(np.sum(u) * np.sum(v))),
        ("squared u", lambda u, v: float(np.sum(u * u))),
    ],
    "01.perceptron": [
        (">= instead of >", lambda x, w, b: (np.asarray(x) @ w + b >= 0).astype(int)),
        ("bias sign flipped", lambda x, w, b: (np.asarray(x) @ w - b > 0).astype(int)),
        ("no threshold", lambda x, w, b: np.asarray(x) @ w + b),
        ("summed over the batch", lambda x, w, b: int(np.sum(np.asarray(x) * w) + b > 0)),
        ("forgot the bias", lambda x, w, b: (np.asarray(x) @ w > 0).astype(int)),
    ],
    "01.nand_params": [
        ("AND's weights", lambda: (0.5, 0.5, -0.7)),
        ("OR's weights", lambda: (0.5, 0.5, -0.2)),
        ("bias too small", lambda: (-0.5, -0.5, 0.2)),
        ("only two numbers", lambda: (-0.5, 0.7)),
    ],
    "01.xor": [
        ("OR", lambda a, b: OR(a, b)),
        ("NAND", lambda a, b: NAND(a, b)),
        ("OR of NAND and AND", lambda a, b: OR(NAND(a, b), AND(a, b))),
        ("Python's or", lambda a, b: int(a or b)),
    ],
    "02.sigmoid": [
        ("naive formula overflows", lambda x: 1 / (1 + np.exp(-x))),
        ("sign flipped", lambda x: 1 / (1 + np.exp(np.clip(x, -500, 500)))),
        ("tanh instead", lambda x: np.tanh(x)),
        ("returns a scalar", lambda x: float(np.mean(1 / (1 + np.exp(-np.clip(x, -500, 500)))))),
    ],
    "02.relu": [
        ("modifies x in place", _relu_in_place),
        ("absolute value", lambda x: np.abs(x)),
        ("leaky", lambda x: np.where(x > 0, x, 0.01 * x)),
        ("max with 1", lambda x: np.maximum(x, 1.0)),
    ],
    "02.leaky_relu": [
        ("ignores alpha", lambda x, alpha=0.01: np.where(x > 0, x, 0.01 * x)),
        ("plain relu", lambda x, alpha=0.01: np.maximum(x, 0)),
        ("alpha on the positive side", lambda x, alpha=0.01: np.where(x > 0, alpha * x, x)),
        ("in place", lambda x, alpha=0.01: np.multiply(x, np.where(x > 0, 1.0, alpha), out=x)),
    ],
    "02.softmax": [
        ("no max shift: overflows", _naive_softmax),
        ("normalised over the whole batch",
         lambda x: np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)))),
        ("sum over axis 0",
         lambda x: np.exp(x - np.max(x, axis=0)) / np.sum(np.exp(x - np.max(x, axis=0)), axis=0)),
        ("divided by the max instead", lambda x: np.exp(x - np.max(x, -1, keepdims=True))),
    ],
}
