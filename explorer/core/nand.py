"""NAND is universal for computation (lecture slides "NAND gate using a perceptron" to
"OR gate using perceptrons?", Nielsen chapter 1).

Every gate here is the slide's NAND perceptron ``w = (-2, -2), b = 3``: output 1 iff
``-2 x1 - 2 x2 + 3 > 0``. A circuit wires gates from its inputs and from earlier gates; evaluating
it runs each gate's perceptron, so the truth tables shown are computed, not looked up.

Pure NumPy; no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.perceptron import Perceptron, truth_table_inputs

__all__ = ["NAND", "Gate", "NandCircuit", "evaluate_circuit", "CIRCUITS", "circuit"]

#: The slide's NAND perceptron: w = (-2, -2), b = 3.
NAND = Perceptron([-2, -2], 3)


@dataclass(frozen=True)
class Gate:
    """One NAND perceptron named ``name`` reading the two signals ``inputs`` (circuit inputs or
    earlier gates; NOT x is NAND(x, x))."""

    name: str
    inputs: tuple[str, str]


@dataclass(frozen=True)
class NandCircuit:
    """A feed-forward circuit of NAND perceptrons.

    ``inputs``: names of the circuit's input bits (x1 first). ``gates``: in evaluation order, each
    reading only inputs and earlier gates. ``outputs``: the gates whose values are the circuit's
    outputs, e.g. ("sum", "carry") for the half adder.
    """

    name: str
    inputs: tuple[str, ...]
    gates: tuple[Gate, ...]
    outputs: tuple[str, ...]

    def __post_init__(self):
        known = set(self.inputs)
        if len(known) != len(self.inputs):
            raise ValueError(f"circuit {self.name!r}: input names must be distinct")
        for gate in self.gates:
            if len(gate.inputs) != 2:
                raise ValueError(f"gate {gate.name!r} must read exactly two signals")
            for src in gate.inputs:
                if src not in known:
                    raise ValueError(
                        f"gate {gate.name!r} reads {src!r}, which is neither an input nor an earlier gate"
                    )
            if gate.name in known:
                raise ValueError(f"circuit {self.name!r}: the name {gate.name!r} is used twice")
            known.add(gate.name)
        gate_names = {g.name for g in self.gates}
        for out in self.outputs:
            if out not in gate_names:
                raise ValueError(f"circuit {self.name!r}: output {out!r} is not a gate")

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    def evaluate(self, row) -> dict[str, int]:
        """Every signal's value (inputs and each gate's output) for one input row of 0/1."""
        return evaluate_circuit(self, row)

    def truth_table(self) -> tuple[np.ndarray, np.ndarray]:
        """``(inputs, outputs)``: all ``2**n`` input rows and the output bits, shape ``(2**n, len(outputs))``,
        computed by evaluating the gates' perceptrons row by row."""
        x = truth_table_inputs(self.n_inputs)
        out = np.array([[self.evaluate(row)[o] for o in self.outputs] for row in x], dtype=int)
        return x, out

    def depth(self) -> dict[str, int]:
        """Layer of each signal for drawing: inputs 0, a gate one more than its deepest input."""
        layer = {name: 0 for name in self.inputs}
        for gate in self.gates:
            layer[gate.name] = 1 + max(layer[s] for s in gate.inputs)
        return layer


def evaluate_circuit(circuit: NandCircuit, row) -> dict[str, int]:
    """Evaluate ``circuit`` on one input row: each gate's output is ``NAND([a, b])``, the slide's
    perceptron ``-2 a - 2 b + 3 > 0``. Returns every signal by name (inputs too), in order."""
    bits = np.asarray(row).reshape(-1)
    if bits.size != circuit.n_inputs:
        raise ValueError(f"circuit {circuit.name!r} has {circuit.n_inputs} inputs, got a row of {bits.size}")
    if not np.all((bits == 0) | (bits == 1)):
        raise ValueError("circuit inputs must be 0 or 1")
    values = {name: int(v) for name, v in zip(circuit.inputs, bits)}
    for gate in circuit.gates:
        values[gate.name] = int(NAND([values[s] for s in gate.inputs]))
    return values


def _circuits() -> dict[str, NandCircuit]:
    g = Gate
    return {
        "NOT": NandCircuit("NOT", ("x1",), (g("not", ("x1", "x1")),), ("not",)),
        "AND": NandCircuit(
            "AND", ("x1", "x2"), (g("nand", ("x1", "x2")), g("and", ("nand", "nand"))), ("and",)
        ),
        "OR": NandCircuit(
            "OR",
            ("x1", "x2"),
            (g("not x1", ("x1", "x1")), g("not x2", ("x2", "x2")), g("or", ("not x1", "not x2"))),
            ("or",),
        ),
        "XOR": NandCircuit(
            "XOR",
            ("x1", "x2"),
            (
                g("g1", ("x1", "x2")),
                g("g2", ("x1", "g1")),
                g("g3", ("x2", "g1")),
                g("xor", ("g2", "g3")),
            ),
            ("xor",),
        ),
        # Nielsen ch. 1: the XOR network gives the sum bit; the carry x1 AND x2 is NAND(g1, g1)
        # (his bottom perceptron with weight -4 from g1).
        "half adder": NandCircuit(
            "half adder",
            ("x1", "x2"),
            (
                g("g1", ("x1", "x2")),
                g("g2", ("x1", "g1")),
                g("g3", ("x2", "g1")),
                g("sum", ("g2", "g3")),
                g("carry", ("g1", "g1")),
            ),
            ("sum", "carry"),
        ),
    }


#: The lecture's circuits built only of NAND perceptrons, in menu order.
CIRCUITS: dict[str, NandCircuit] = _circuits()


def circuit(name: str) -> NandCircuit:
    """The circuit called ``name`` (KeyError lists the valid names)."""
    if name not in CIRCUITS:
        raise KeyError(f"no circuit {name!r}; choose one of: {', '.join(CIRCUITS)}")
    return CIRCUITS[name]
