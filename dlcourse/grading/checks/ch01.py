"""Checks for chapter 01 (perceptrons and logic gates)."""
import numpy as np

from dlcourse import gates
from dlcourse.grading.core import register


@register("01.perceptron", forbid=("dlcourse.gates.perceptron",), points=2, title="perceptron(x, w, b) -> 0/1",
          hint="compute x @ w + b and output 1 where it is > 0 (strictly), else 0; "
               "x may be one input of shape (D,) or a batch of shape (N, D)")
def check_perceptron(perceptron, c):
    for name in ("AND", "OR", "NAND"):
        w, b = gates.GATE_PARAMS[name]
        c.equal(f"{name} truth table, batch (4, 2)",
                lambda: perceptron(gates.INPUTS, np.array(w), b),
                gates.truth_table(getattr(gates, name)))
    c.equal("one input x = (1, 1), AND -> 1", lambda: int(perceptron(np.array([1.0, 1.0]), np.array([0.5, 0.5]), -0.7)), 1)
    c.equal("exactly on the line (sum = 0) -> 0", lambda: int(perceptron(np.array([1.0, 1.0]), np.array([0.5, 0.5]), -1.0)), 0)
    x = c.rng.standard_normal((7, 3))
    w, b = c.rng.standard_normal(3), 0.3
    c.equal("random batch (7, 3)", lambda: perceptron(x, w, b), gates.perceptron(x, w, b))


@register("01.nand_params", points=1, title="nand_params() -> (w1, w2, b)",
          hint="NAND is 0 only for (1, 1): the weights must be negative and the bias "
               "positive, with w1 + w2 + b <= 0 but b > 0 and w1 + b > 0, w2 + b > 0")
def check_nand_params(nand_params, c):
    params = nand_params()
    try:
        w1, w2, b = (float(p) for p in params)
    except (TypeError, ValueError):
        c.record("returns three numbers (w1, w2, b)", False, f"got {params!r}"[:60])
        return
    c.record("returns three numbers (w1, w2, b)", True, "ok")
    c.equal("NAND truth table", gates.perceptron(gates.INPUTS, (w1, w2), b),
            gates.truth_table(gates.NAND))


@register("01.xor", forbid=("dlcourse.gates.XOR",), points=2, title="xor(x1, x2) -> 0/1 from AND, NAND, OR",
          hint="XOR(x1, x2) = AND(NAND(x1, x2), OR(x1, x2)): the hidden layer "
               "is NAND and OR, the output is AND")
def check_xor(xor, c):
    for (a, b_), want in zip(gates.INPUTS, gates.truth_table(gates.XOR)):
        c.equal(f"xor({a}, {b_})", lambda: int(xor(int(a), int(b_))), int(want))
    c.equal("arrays of inputs", lambda: xor(gates.INPUTS[:, 0], gates.INPUTS[:, 1]),
            gates.truth_table(gates.XOR))
