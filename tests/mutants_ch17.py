"""Typical wrong answers for the checks of chapter 17 (merged by tests/mutants.py)."""
import numpy as np


def _mask_from_order(W, order, k):
    keep = np.ones(W.size, dtype=bool)
    keep[order[:k]] = False
    return keep.reshape(W.shape)


def _by_value(W, fraction):
    W = np.asarray(W)
    return _mask_from_order(W, np.argsort(W, axis=None), int(round(fraction * W.size)))


def _keeps_smallest(W, fraction):
    W = np.asarray(W)
    order = np.argsort(-np.abs(W), axis=None)        # largest first: prunes the big weights
    return _mask_from_order(W, order, int(round(fraction * W.size)))


def _floor_count(W, fraction):
    W = np.asarray(W)
    if not 0 <= fraction <= 1:
        raise ValueError("fraction")
    return _mask_from_order(W, np.argsort(np.abs(W), axis=None), int(fraction * W.size))


def _per_row(W, fraction):
    W = np.asarray(W, dtype=float)
    if not 0 <= fraction <= 1:
        raise ValueError("fraction")
    k = int(round(fraction * W.shape[-1]))
    order = np.argsort(np.abs(W), axis=-1)
    keep = np.ones(W.shape, dtype=bool)
    np.put_along_axis(keep, order[..., :k], False, axis=-1)
    return keep


def _pruned_weights(W, fraction):
    W = np.asarray(W)
    if not 0 <= fraction <= 1:
        raise ValueError("fraction")
    order = np.argsort(np.abs(W), axis=None)
    return W * _mask_from_order(W, order, int(round(fraction * W.size)))


def _zeroes_in_place(W, fraction):
    if not 0 <= fraction <= 1:
        raise ValueError("fraction")
    order = np.argsort(np.abs(W), axis=None)
    k = int(round(fraction * W.size))
    W.ravel()[order[:k]] = 0.0                         # writes into the caller's W
    return W != 0


def _no_range_check(W, fraction):
    W = np.asarray(W)
    order = np.argsort(np.abs(W), axis=None)
    return _mask_from_order(W, order, min(W.size, int(round(fraction * W.size))))


def _normal_equations(Phi, Y):
    with np.errstate(all="ignore"):
        return np.linalg.inv(Phi.T @ Phi) @ Phi.T @ Y


def _row_space_formula(Phi, Y):
    with np.errstate(all="ignore"):
        return Phi.T @ np.linalg.inv(Phi @ Phi.T) @ Y


def _ridge(Phi, Y, lam=0.1):
    P = Phi.shape[1]
    return np.linalg.solve(Phi.T @ Phi + lam * np.eye(P), Phi.T @ Y)


MUTANTS = {
    "17.magnitude_prune_mask": [
        ("ranks by value, not magnitude", _by_value),
        ("prunes the largest weights", _keeps_smallest),
        ("int() instead of round(): one too few", _floor_count),
        ("prunes within each row", _per_row),
        ("returns the pruned weights", _pruned_weights),
        ("zeroes W in place", _zeroes_in_place),
        ("no check of the fraction", _no_range_check),
    ],
    "17.relu_features": [
        ("forgot the bias", lambda X, W, b: np.maximum(X @ W, 0.0)),
        ("forgot the ReLU", lambda X, W, b: X @ W + b),
        ("bias after the ReLU", lambda X, W, b: np.maximum(X @ W, 0.0) + b),
        ("transposed result", lambda X, W, b: np.maximum(X @ W + b, 0.0).T),
        ("abs instead of ReLU", lambda X, W, b: np.abs(X @ W + b)),
    ],
    "17.min_norm_fit": [
        ("normal equations only", _normal_equations),
        ("the P >= N formula only", _row_space_formula),
        ("ridge with lambda = 0.1", _ridge),
        ("Phi^T Y, no solve", lambda Phi, Y: Phi.T @ Y),
        ("np.linalg.solve(Phi, Y)", lambda Phi, Y: np.linalg.solve(Phi, Y)),
    ],
}
