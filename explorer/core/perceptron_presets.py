"""Named target columns for the perceptron's truth tables (lecture slides "Perceptron" to
"OR gate using perceptrons?"): the 2-input gates, the slide's three 3-input exercises
("Design the weights and thresholds for the following truth table"), majority and parity.

Row order is that of ``truth_table_inputs(n)``. Pure NumPy; no Qt here.
"""

from __future__ import annotations

import functools

import numpy as np

from explorer.core.perceptron import _check_n, truth_table_inputs

__all__ = ["presets", "preset_targets"]


def _table(n: int, rule) -> np.ndarray:
    x = truth_table_inputs(n)
    return np.array([int(bool(rule(row))) for row in x], dtype=int)


def presets(n: int) -> dict[str, np.ndarray]:
    """Named target columns for n inputs, in menu order.

    n = 2: AND, OR, NAND, NOR, XOR, XNOR. n = 3: the slide's three exercises ("all three are 1",
    "all three are 0", "exactly two are 1"), majority, parity. Every n also gets AND / OR /
    majority / parity where they are not listed already (n = 1: identity and NOT).
    """
    n = _check_n(n)
    table = functools.partial(_table, n)
    if n == 1:
        return {"identity (x1)": table(lambda r: r[0]), "NOT": table(lambda r: 1 - r[0])}
    if n == 2:
        return {
            "AND": table(lambda r: r[0] and r[1]),
            "OR": table(lambda r: r[0] or r[1]),
            "NAND": table(lambda r: not (r[0] and r[1])),
            "NOR": table(lambda r: not (r[0] or r[1])),
            "XOR": table(lambda r: r[0] != r[1]),
            "XNOR": table(lambda r: r[0] == r[1]),
        }
    out: dict[str, np.ndarray] = {}
    if n == 3:
        out["all three are 1"] = table(lambda r: r.sum() == 3)
        out["all three are 0"] = table(lambda r: r.sum() == 0)
        out["exactly two are 1"] = table(lambda r: r.sum() == 2)
    else:
        out["AND (all are 1)"] = table(lambda r: r.sum() == n)
        out["OR (any is 1)"] = table(lambda r: r.sum() > 0)
    out["majority"] = table(lambda r: 2 * r.sum() > n)
    out["parity (odd number of 1s)"] = table(lambda r: r.sum() % 2)
    return out


def preset_targets(name: str, n: int) -> np.ndarray:
    """The target column of preset ``name`` for n inputs (KeyError lists the valid names)."""
    table = presets(n)
    if name not in table:
        raise KeyError(f"no preset {name!r} for n = {n}; choose one of: {', '.join(table)}")
    return table[name].copy()
