"""Typical wrong answers for the checks of chapter 07 (merged by tests/mutants.py).

The layer mutants subclass a correct layer and break one thing, as a learner would.
"""
import numpy as np

from dlcourse import functions as F
from dlcourse import layers as L


# --- Affine ---------------------------------------------------------------------------

class _Affine:
    def __init__(self, W, b):
        self.params, self.grads = [W, b], [np.zeros_like(W), np.zeros_like(b)]

    def forward(self, x):
        self.x = x
        return x @ self.params[0] + self.params[1]

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ self.params[0].T


class _AffineNoTranspose(_Affine):
    def backward(self, dout):
        super().backward(dout)
        return dout @ self.params[0]                      # (N, H) @ (D, H): missing .T


class _AffineTransposedDW(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads[0] = dout.T @ self.x                   # (H, D) instead of (D, H)
        return dx


class _AffineDbNotSummed(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads[1] = dout                              # (N, H): not summed over the batch
        return dx


class _AffineDbMean(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads[1][...] = np.mean(dout, axis=0)        # mean instead of sum
        return dx


class _AffineSignFlipped(_Affine):
    def backward(self, dout):
        return -super().backward(dout)


class _AffineNoBias(_Affine):
    def forward(self, x):
        self.x = x
        return x @ self.params[0]                         # forgot + b


# --- Sigmoid ---------------------------------------------------------------------------

class _Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.x, self.out = x, F.sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class _SigmoidUsesX(_Sigmoid):
    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)             # the input, not the output


class _SigmoidSignFlipped(_Sigmoid):
    def backward(self, dout):
        return -super().backward(dout)


class _SigmoidForgotDout(_Sigmoid):
    def backward(self, dout):
        return self.out * (1.0 - self.out)


class _SigmoidHalfDerivative(_Sigmoid):
    def backward(self, dout):
        return dout * self.out                            # forgot (1 - out)


# --- SoftmaxWithLoss -----------------------------------------------------------------------

class _SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = F.softmax(x), t
        return F.cross_entropy_error(self.y, t)

    def _one_hot(self):
        return np.eye(self.y.shape[1])[self.t]

    def backward(self, dout=1.0):
        return dout * (self.y - self._one_hot()) / len(self.t)


class _SoftmaxNoDivide(_SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.y - self._one_hot())          # forgot / N


class _SoftmaxSignFlipped(_SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self._one_hot() - self.y) / len(self.t)


class _SoftmaxScoresNotProbs(_SoftmaxWithLoss):
    def forward(self, x, t):
        self.x = x
        return super().forward(x, t)

    def backward(self, dout=1.0):
        return dout * (self.x - self._one_hot()) / len(self.t)   # x instead of softmax(x)


class _SoftmaxSummedLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        return super().forward(x, t) * len(t)             # sum over the batch, not mean


class _SoftmaxIgnoresDout(_SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return (self.y - self._one_hot()) / len(self.t)


# --- Araki's step ---------------------------------------------------------------------------

def _forward(w1, w2, x):
    g0 = np.concatenate(([1.0], x))
    g1 = F.sigmoid(g0 @ w1)
    g1_1 = np.concatenate(([1.0], g1))
    return g0, g1, g1_1, F.sigmoid(g1_1 @ w2)


def _araki_no_fprime(w1, w2, x, b, rho):
    g0, g1, g1_1, g2 = _forward(w1, w2, x)
    eps2 = g2 - b                                         # forgot f' = g (1 - g)
    eps1 = w2[1:] @ eps2
    return w1 - rho * np.outer(g0, eps1), w2 - rho * np.outer(g1_1, eps2)


def _araki_wrong_order(w1, w2, x, b, rho):
    g0, g1, g1_1, g2 = _forward(w1, w2, x)
    eps2 = (g2 - b) * g2 * (1 - g2)
    w2 = w2 - rho * np.outer(g1_1, eps2)                  # updated before eps1 is computed
    eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)
    return w1 - rho * np.outer(g0, eps1), w2


def _araki_plus(w1, w2, x, b, rho):
    g0, g1, g1_1, g2 = _forward(w1, w2, x)
    eps2 = (g2 - b) * g2 * (1 - g2)
    eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)
    return w1 + rho * np.outer(g0, eps1), w2 + rho * np.outer(g1_1, eps2)   # ascent


def _araki_bias_row_in_sum(w1, w2, x, b, rho):
    g0, g1, g1_1, g2 = _forward(w1, w2, x)
    eps2 = (g2 - b) * g2 * (1 - g2)
    eps1 = (w2[:-1] @ eps2) * g1 * (1 - g1)               # drops the last row, keeps the bias row
    return w1 - rho * np.outer(g0, eps1), w2 - rho * np.outer(g1_1, eps2)


def _araki_bias_not_updated(w1, w2, x, b, rho):
    g0, g1, g1_1, g2 = _forward(w1, w2, x)
    eps2 = (g2 - b) * g2 * (1 - g2)
    eps1 = (w2[1:] @ eps2) * g1 * (1 - g1)
    w1_new, w2_new = w1 - rho * np.outer(g0, eps1), w2 - rho * np.outer(g1_1, eps2)
    w1_new[0], w2_new[0] = w1[0], w2[0]
    return w1_new, w2_new


class _BorrowedSigmoid(L.Sigmoid):
    """Borrows the library's layer instead of writing one."""


MUTANTS = {
    "07.affine": [
        ("missing transpose in dx", _AffineNoTranspose),
        ("dW transposed", _AffineTransposedDW),
        ("db not summed over the batch", _AffineDbNotSummed),
        ("db is a mean", _AffineDbMean),
        ("dx sign flipped", _AffineSignFlipped),
        ("forgot the bias", _AffineNoBias),
        ("the library's Affine", L.Affine),
    ],
    "07.sigmoid": [
        ("backward uses x instead of the output", _SigmoidUsesX),
        ("sign flipped", _SigmoidSignFlipped),
        ("forgot dout", _SigmoidForgotDout),
        ("forgot (1 - out)", _SigmoidHalfDerivative),
        ("a subclass of the library's Sigmoid", _BorrowedSigmoid),
    ],
    "07.softmax_with_loss": [
        ("forgot to divide by N", _SoftmaxNoDivide),
        ("sign flipped", _SoftmaxSignFlipped),
        ("scores instead of probabilities", _SoftmaxScoresNotProbs),
        ("loss summed over the batch", _SoftmaxSummedLoss),
        ("ignores dout", _SoftmaxIgnoresDout),
        ("the library's SoftmaxWithLoss", L.SoftmaxWithLoss),
    ],
    "07.araki_step": [
        ("forgot f'", _araki_no_fprime),
        ("wrong layer order: w2 updated before eps1", _araki_wrong_order),
        ("+ instead of -", _araki_plus),
        ("bias row in the backward sum", _araki_bias_row_in_sum),
        ("bias not updated", _araki_bias_not_updated),
    ],
}

