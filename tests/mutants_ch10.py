"""Typical wrong answers for the checks of chapter 10 (merged by tests/mutants.py)."""
import numpy as np


class _Dropout:
    def __init__(self, p, rng=None):
        self.p, self.rng = p, np.random.default_rng(rng)
        self.params, self.grads = [], []

    def forward(self, x, train=True):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.p
        return x * self.mask / (1 - self.p)

    def backward(self, dout):
        return dout * self.mask / (1 - self.p)


class _DropoutNoScaling(_Dropout):
    def forward(self, x, train=True):
        return super().forward(x, train) * (1 - self.p) if train else x    # the slides' training rule

    def backward(self, dout):
        return dout * self.mask


class _DropoutScalesAtTestToo(_Dropout):
    def forward(self, x, train=True):
        return super().forward(x, train) if train else x * (1 - self.p)   # scaled twice


class _DropoutBackwardIgnoresMask(_Dropout):
    def backward(self, dout):
        return dout / (1 - self.p)


class _DropoutPIsKeepRate(_Dropout):
    def forward(self, x, train=True):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) < self.p                      # keeps with probability p
        return x * self.mask / self.p

    def backward(self, dout):
        return dout * self.mask / self.p


class _DropoutGlobalRng(_Dropout):
    def forward(self, x, train=True):
        if not train:
            return x
        self.mask = np.random.random(x.shape) >= self.p                    # ignores rng
        return x * self.mask / (1 - self.p)


class _DropoutBackwardNoScale(_Dropout):
    def backward(self, dout):
        return dout * self.mask


def _l2_biases_too(params, grads, lam):
    return [g + lam * p for p, g in zip(params, grads)]


def _l2_two_lambda(params, grads, lam):
    return [g + 2 * lam * p if p.ndim >= 2 else g for p, g in zip(params, grads)]


def _l2_sign_flipped(params, grads, lam):
    return [g - lam * p if p.ndim >= 2 else g for p, g in zip(params, grads)]


def _l2_only_weights(params, grads, lam):
    return [g + lam * p for p, g in zip(params, grads) if p.ndim >= 2]


def _l2_half_lambda(params, grads, lam):
    return [g + 0.5 * lam * p if p.ndim >= 2 else g for p, g in zip(params, grads)]


MUTANTS = {
    "10.dropout": [
        ("no 1/(1-p) scaling in training", _DropoutNoScaling),
        ("scales at test time too", _DropoutScalesAtTestToo),
        ("backward ignores the mask", _DropoutBackwardIgnoresMask),
        ("p read as the keep rate", _DropoutPIsKeepRate),
        ("global np.random instead of rng", _DropoutGlobalRng),
        ("backward forgets the scale", _DropoutBackwardNoScale),
    ],
    "10.l2_grads": [
        ("lam * W added to the biases too", _l2_biases_too),
        ("factor 2 lam", _l2_two_lambda),
        ("sign flipped", _l2_sign_flipped),
        ("biases dropped from the list", _l2_only_weights),
        ("factor lam / 2", _l2_half_lambda),
    ],
}
