"""Chapter 01 experiments: logic gates from perceptrons, and why XOR needs two layers.

Seeds: 002 p.16-20 (gates, the limit of one layer), 002 p.62-65 (gate code),
000 p.3-6 (the perceptron), 001 §7.1 (threshold units).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from dlcourse import gates

__all__ = [
    "TruthTables", "gate_truth_tables", "GateSearch", "search_single_perceptron",
    "PerceptronView", "perceptron_view", "xor_two_layers",
]


def _table_str(header, rows):
    widths = [max(len(h), 2) for h in header]
    line = lambda cells: "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header)] + [line([str(c) for c in r]) for r in rows])


@dataclass(frozen=True)
class TruthTables:
    """Outputs of several gates on the four inputs (x1, x2)."""

    inputs: np.ndarray   # (4, 2)
    outputs: dict        # gate name -> (4,) array of 0/1
    params: dict         # gate name -> ((w1, w2), b), or None for XOR

    def __str__(self):
        header = ["x1", "x2"] + list(self.outputs)
        rows = [list(x) + [int(self.outputs[g][k]) for g in self.outputs]
                for k, x in enumerate(self.inputs)]
        weights = [
            f"{g}: w = ({p[0][0]:+.1f}, {p[0][1]:+.1f}), b = {p[1]:+.1f}"
            for g, p in self.params.items() if p is not None
        ]
        return _table_str(header, rows) + ("\n\n" + "\n".join(weights) if weights else "")


def gate_truth_tables(names=("AND", "OR", "NAND")):
    """Truth tables of the slide gates (and XOR, if asked for).

    Parameters
    ----------
    names : sequence of str
        Any of ``"AND"``, ``"OR"``, ``"NAND"``, ``"XOR"``.

    Returns
    -------
    TruthTables
    """
    valid = ("AND", "OR", "NAND", "XOR")
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise ValueError(f"unknown gate {unknown[0]!r}; expected one of {', '.join(valid)}")
    outputs = {n: gates.truth_table(getattr(gates, n)) for n in names}
    params = {n: gates.GATE_PARAMS.get(n) for n in names}
    return TruthTables(gates.INPUTS.copy(), outputs, params)


@dataclass(frozen=True)
class GateSearch:
    """How many weight triples on a grid reproduce each gate with one perceptron."""

    grid: np.ndarray
    n_tried: int
    n_found: dict         # gate -> how many (w1, w2, b) give the exact truth table
    best_correct: dict    # gate -> most rows any triple gets right (out of 4)

    def __str__(self):
        lines = [f"tried {self.n_tried} weight triples (w1, w2, b), each from "
                 f"{len(self.grid)} values in [{self.grid[0]:.1f}, {self.grid[-1]:.1f}]"]
        for g in self.n_found:
            lines.append(f"{g:>4}: {self.n_found[g]:5d} triples reproduce it, "
                         f"best gets {self.best_correct[g]}/4 rows right")
        return "\n".join(lines)


def search_single_perceptron(grid=None, names=("AND", "OR", "NAND", "XOR")):
    """Try every (w1, w2, b) on a grid and count which gates a single perceptron can be.

    AND, OR and NAND are found many times; XOR never is: no straight line puts
    (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other.

    Parameters
    ----------
    grid : ndarray, optional
        Values tried for each of w1, w2 and b; default 21 values in [-1, 1].

    Returns
    -------
    GateSearch
    """
    grid = np.linspace(-1.0, 1.0, 21) if grid is None else np.asarray(grid, dtype=float)
    triples = np.array(list(itertools.product(grid, grid, grid)))        # (K, 3)
    # outputs of every triple on the four inputs, vectorised: (K, 4)
    outs = (triples[:, None, :2] @ gates.INPUTS.T[None]).squeeze(1) + triples[:, 2:3] > 0
    n_found, best = {}, {}
    for g in names:
        target = gates.truth_table(getattr(gates, g)).astype(bool)   # (4,)
        correct = np.sum(outs == target, axis=1)                    # (K,)
        n_found[g] = int(np.sum(correct == 4))
        best[g] = int(correct.max())
    return GateSearch(grid, len(triples), n_found, best)


@dataclass(frozen=True)
class PerceptronView:
    """One perceptron (w1, w2, b) on the four binary inputs."""

    w: tuple
    b: float
    outputs: np.ndarray   # (4,)
    matches: str          # name of the gate it computes, or "" if none

    def __str__(self):
        rows = [[int(x1), int(x2), f"{self.w[0] * x1 + self.w[1] * x2 + self.b:+.2f}", int(y)]
                for (x1, x2), y in zip(gates.INPUTS, self.outputs)]
        table = _table_str(["x1", "x2", "w·x + b", "y"], rows)
        what = f"this perceptron computes {self.matches}" if self.matches else \
            "this perceptron computes none of AND, OR, NAND, XOR"
        return (f"w = ({self.w[0]:+.2f}, {self.w[1]:+.2f}), b = {self.b:+.2f}\n"
                f"{table}\n{what}")


def perceptron_view(w1=0.5, w2=0.5, b=-0.7):
    """Evaluate a perceptron on the four inputs and name the gate it computes.

    Returns
    -------
    PerceptronView
    """
    outputs = gates.perceptron(gates.INPUTS, (w1, w2), b)
    matches = ""
    for g in ("AND", "OR", "NAND", "XOR"):
        if np.array_equal(outputs, gates.truth_table(getattr(gates, g))):
            matches = g
    extra = {(0, 0, 0, 0): "constant 0", (1, 1, 1, 1): "constant 1"}
    matches = matches or extra.get(tuple(int(o) for o in outputs), "")
    return PerceptronView((float(w1), float(w2)), float(b), outputs, matches)


def xor_two_layers():
    """XOR = AND(s1, s2) with s1 = NAND(x1, x2) and s2 = OR(x1, x2).

    Returns
    -------
    TruthTables
        Columns s1 (NAND), s2 (OR) and y (XOR): the hidden layer maps the four
        inputs to (1, 0), (1, 1), (1, 1), (0, 1), where one line (AND) separates them.
    """
    x1, x2 = gates.INPUTS[:, 0], gates.INPUTS[:, 1]
    s1, s2 = gates.NAND(x1, x2), gates.OR(x1, x2)
    outputs = {"s1=NAND": s1, "s2=OR": s2, "y=AND(s1,s2)": gates.AND(s1, s2)}
    return TruthTables(gates.INPUTS.copy(), outputs, {k: None for k in outputs})
