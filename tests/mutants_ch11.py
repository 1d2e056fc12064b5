"""Typical wrong answers for the checks of chapter 11 (merged by tests/mutants.py)."""
import numpy as np

from dlcourse.functions import sigmoid


def _ae_parts(x, W, b, c):
    N = x.shape[0]
    h = sigmoid(x @ W + b)
    y = sigmoid(h @ W.T + c)
    return N, h, y


def _ae_no_output_derivative(x, W, b, c):
    N, h, y = _ae_parts(x, W, b, c)
    da = (y - x) / N                                     # forgot y (1 - y)
    dz = (da @ W) * h * (1 - h)
    return 0.5 * np.sum((y - x) ** 2) / N, x.T @ dz + da.T @ h, dz.sum(0), da.sum(0)


def _ae_not_averaged(x, W, b, c):
    N, h, y = _ae_parts(x, W, b, c)
    da = (y - x) * y * (1 - y)                           # summed over the batch, not averaged
    dz = (da @ W) * h * (1 - h)
    return 0.5 * np.sum((y - x) ** 2), x.T @ dz + da.T @ h, dz.sum(0), da.sum(0)


def _ae_no_half(x, W, b, c):
    N, h, y = _ae_parts(x, W, b, c)
    da = (y - x) / N * y * (1 - y)
    dz = (da @ W) * h * (1 - h)
    return np.sum((y - x) ** 2) / N, x.T @ dz + da.T @ h, dz.sum(0), da.sum(0)   # loss without 0.5


def _ae_decoder_share_not_transposed(x, W, b, c):
    N, h, y = _ae_parts(x, W, b, c)
    da = (y - x) / N * y * (1 - y)
    dz = (da @ W) * h * (1 - h)
    return 0.5 * np.sum((y - x) ** 2) / N, x.T @ dz + h.T @ da, dz.sum(0), da.sum(0)  # (H, D)


def _ae_encoder_share_only(x, W, b, c):
    N, h, y = _ae_parts(x, W, b, c)
    da = (y - x) / N * y * (1 - y)
    dz = (da @ W) * h * (1 - h)
    return 0.5 * np.sum((y - x) ** 2) / N, x.T @ dz, dz.sum(0), da.sum(0)


def _cd1(v0, W, a, b, u_h, u_v, sample_h1=False, sign=1.0, mean=True, sampled_h0=False):
    N = v0.shape[0]
    ph0 = sigmoid(v0 @ W + b)
    h0 = (u_h < ph0).astype(float)
    v1 = (u_v < sigmoid(h0 @ W.T + a)).astype(float)
    ph1 = sigmoid(v1 @ W + b)
    if sample_h1:
        ph1 = (u_h < ph1).astype(float)                   # samples in the negative phase
    pos = h0 if sampled_h0 else ph0
    k = N if mean else 1
    return (sign * (v0.T @ pos - v1.T @ ph1) / k, sign * (v0 - v1).sum(0) / k,
            sign * (pos - ph1).sum(0) / k)


MUTANTS = {
    "11.autoencoder_loss": [
        ("forgot the output sigmoid's derivative", _ae_no_output_derivative),
        ("loss and gradients not averaged over the batch", _ae_not_averaged),
        ("loss without the 0.5", _ae_no_half),
        ("tied weights: decoder share not transposed", _ae_decoder_share_not_transposed),
        ("tied weights: only the encoder's share of dW", _ae_encoder_share_only),
        ("returns only the loss", lambda x, W, b, c: _ae_not_averaged(x, W, b, c)[0]),
    ],
    "11.cd1_update": [
        ("sampled h1 in the negative statistics", lambda *a: _cd1(*a, sample_h1=True)),
        ("sign flipped", lambda *a: _cd1(*a, sign=-1.0)),
        ("summed over the batch, not averaged", lambda *a: _cd1(*a, mean=False)),
        ("sampled h0 in the positive statistics", lambda *a: _cd1(*a, sampled_h0=True)),
    ],
}
