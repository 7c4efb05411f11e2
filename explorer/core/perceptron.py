"""The perceptron of the lecture (slides "Perceptron" to "OR gate using perceptrons?").

Formulas (Nielsen, chapter 1):

* threshold form: ``output = 1 if sum_j w_j x_j > threshold else 0``
* bias form:      ``output = 1 if w . x + b > 0 else 0``  with ``b = -threshold``
* learning rule:  ``w <- w + eta (t - y) x``,  ``b <- b + eta (t - y)``  (Rosenblatt)

Truth tables list the ``2**n`` input rows in binary order (row i = the binary digits of i,
x1 the most significant bit). ``find_weights`` decides *exactly* whether one perceptron can
compute a table: for n <= 4 by a complete search of small integer weights, for n > 4 by a
linear-programming feasibility check (needs SciPy) whose integer answer is verified.

Pure NumPy; no Qt here.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np

__all__ = [
    "Perceptron",
    "truth_table_inputs",
    "as_targets",
    "table_code",
    "find_weights",
    "is_linearly_separable",
    "count_separable",
    "learn_step",
    "learning_steps",
    "learn",
    "LearningResult",
    "MAX_INPUTS",
    "EXHAUSTIVE_MAX_INPUTS",
    "EXHAUSTIVE_WEIGHT_BOUND",
]

#: ``find_weights`` works for n = 1 .. MAX_INPUTS (beyond 4 through an LP, see its docstring).
MAX_INPUTS = 10
#: Up to this n, ``find_weights`` searches all integer weights in [-3, 3] (complete: every
#: threshold function of at most 4 variables has integer weights of magnitude <= 3).
EXHAUSTIVE_MAX_INPUTS = 4
EXHAUSTIVE_WEIGHT_BOUND = 3

# Weighted sums this close to 0 (relative to the size of the weights) count as exactly 0,
# so typed decimals behave as on paper: w = (0.1, 0.2), b = -0.3 gives w.x + b = 0 at x = (1, 1).
_SNAP = 1e-9


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"the number of inputs must be an integer, got {n!r}")
    n = int(n)
    if n < 1:
        raise ValueError(f"a perceptron needs at least 1 input, got n = {n}")
    return n


def truth_table_inputs(n: int) -> np.ndarray:
    """All ``2**n`` Boolean input rows, shape ``(2**n, n)``, dtype int.

    Row i holds the binary digits of i with x1 the most significant bit, so for n = 2 the
    rows are 00, 01, 10, 11.
    """
    n = _check_n(n)
    if n > 20:
        raise ValueError(f"a truth table of n = {n} inputs has 2**{n} rows: too many (at most 20 inputs)")
    i = np.arange(2**n)[:, None]
    shifts = np.arange(n - 1, -1, -1)[None, :]
    return ((i >> shifts) & 1).astype(int)


def as_targets(targets) -> tuple[np.ndarray, int]:
    """Validate a target column: length ``2**n`` (n >= 1), entries 0 or 1. Returns (int array, n)."""
    t = np.asarray(targets)
    if t.ndim != 1:
        raise ValueError(f"targets must be a 1-D column of 0/1 values, got shape {t.shape}")
    size = t.shape[0]
    if size < 2 or size & (size - 1):
        raise ValueError(f"targets must have 2**n entries (2, 4, 8, 16, ...), got {size}")
    if t.dtype == bool:
        t = t.astype(int)
    if not np.all((t == 0) | (t == 1)):
        raise ValueError("targets may only contain 0 and 1")
    return t.astype(int), size.bit_length() - 1


def table_code(targets) -> int:
    """The table as one integer: bit i is the target of row i."""
    t, _ = as_targets(targets)
    return _code(t)


def _code(t: np.ndarray) -> int:
    if t.size <= 62:
        return int((t.astype(np.int64) << np.arange(t.size, dtype=np.int64)).sum())
    return int(sum(int(v) << i for i, v in enumerate(t)))


class Perceptron:
    """A perceptron with real weights ``w`` and bias ``b``: output 1 iff ``w . x + b > 0``.

    The slide's threshold form is the same neuron with ``threshold = -b``:
    output 1 iff ``sum_j w_j x_j > threshold`` (see ``from_threshold`` / ``threshold``).
    Immutable: ``with_weights`` / ``with_bias`` return new perceptrons.
    """

    __slots__ = ("_w", "_b")

    def __init__(self, weights, bias=0.0):
        w = np.array(weights, dtype=float).reshape(-1) if np.ndim(weights) else np.array([float(weights)])
        if w.size < 1:
            raise ValueError("a perceptron needs at least one weight")
        try:
            b = float(bias)
        except (TypeError, ValueError):
            raise TypeError(f"the bias must be a number, got {bias!r}") from None
        if not np.all(np.isfinite(w)) or not math.isfinite(b):
            raise ValueError(f"weights and bias must be finite numbers, got w = {w.tolist()}, b = {b}")
        w.setflags(write=False)
        self._w = w
        self._b = b

    @classmethod
    def from_threshold(cls, weights, threshold) -> "Perceptron":
        """The slide's first form: output 1 iff ``sum_j w_j x_j > threshold`` (so ``b = -threshold``)."""
        return cls(weights, -float(threshold))

    @property
    def weights(self) -> np.ndarray:
        return self._w

    @property
    def bias(self) -> float:
        return self._b

    @property
    def threshold(self) -> float:
        """``threshold = -b`` (the slide "Simplification (Threshold -> Bias)")."""
        return -self._b if self._b != 0 else 0.0

    @property
    def n_inputs(self) -> int:
        return int(self._w.size)

    def with_weights(self, weights) -> "Perceptron":
        return Perceptron(weights, self._b)

    def with_bias(self, bias) -> "Perceptron":
        return Perceptron(self._w, bias)

    def _rows(self, x) -> tuple[np.ndarray, bool]:
        x = np.asarray(x, dtype=float)
        single = x.ndim == 1
        rows = x[None, :] if single else x
        if rows.ndim != 2 or rows.shape[1] != self.n_inputs:
            raise ValueError(
                f"this perceptron has {self.n_inputs} inputs; expected rows of length {self.n_inputs}, "
                f"got shape {x.shape}"
            )
        return rows, single

    def weighted_sum(self, x) -> np.ndarray | float:
        """``z = w . x + b`` for one row ``(n,)`` or rows ``(k, n)``; sums within 1e-9 (relative) of 0 are 0."""
        rows, single = self._rows(x)
        z = rows @ self._w + self._b
        scale = max(1.0, abs(self._b) + float(np.abs(self._w).sum()))
        z = np.where(np.abs(z) <= _SNAP * scale, 0.0, z)
        return float(z[0]) if single else z

    def __call__(self, x) -> np.ndarray | int:
        """Output 0/1: 1 iff ``w . x + b > 0``. One row gives an int, ``(k, n)`` rows an int array."""
        z = self.weighted_sum(x)
        if np.ndim(z) == 0:
            return int(z > 0)
        return (z > 0).astype(int)

    def truth_table(self) -> np.ndarray:
        """The outputs on ``truth_table_inputs(n)``, in that row order."""
        return self(truth_table_inputs(self.n_inputs))

    def __eq__(self, other) -> bool:
        return isinstance(other, Perceptron) and np.array_equal(self._w, other._w) and self._b == other._b

    def __hash__(self) -> int:
        return hash((tuple(self._w.tolist()), self._b))

    def __repr__(self) -> str:
        def fmt(v: float) -> str:
            return str(int(v)) if float(v).is_integer() else repr(float(v))

        return f"Perceptron(weights=[{', '.join(fmt(v) for v in self._w)}], bias={fmt(self._b)})"


# ---------------------------------------------------------------------------------------------
# Exact separability


@functools.lru_cache(maxsize=None)
def _smallest_integer_perceptrons(n: int) -> dict[int, tuple[tuple[int, ...], int]]:
    """Every table computable by a perceptron with integer weights in [-3, 3]^n, mapped to its
    smallest such perceptron (least max |w|, then least sum |w|, then least |b|).

    With integer weights w . x is an integer in [sum of negative w, sum of positive w], so integer
    biases from -(sum of positive) to 1 - (sum of negative) give every distinct table; any real
    threshold is equivalent to one of them. Built once per n, vectorised (n = 4: 7^4 * 26 candidates).
    """
    k = EXHAUSTIVE_WEIGHT_BOUND
    grids = np.meshgrid(*([np.arange(-k, k + 1)] * n), indexing="ij")
    weights = np.stack([g.reshape(-1) for g in grids], axis=1)  # (7^n, n)
    biases = np.arange(-k * n, k * n + 2)  # covers every distinct table for every weight vector
    x = truth_table_inputs(n)
    sums = weights @ x.T  # (W, 2^n) integer
    out = (sums[:, None, :] + biases[None, :, None]) > 0  # (W, B, 2^n)
    codes = (out.astype(np.int64) << np.arange(2**n, dtype=np.int64)).sum(axis=2)  # (W, B)
    abs_w = np.abs(weights)
    w_idx, b_idx = np.meshgrid(np.arange(len(weights)), np.arange(len(biases)), indexing="ij")
    order = np.lexsort(
        (
            biases[b_idx].ravel() < 0,  # prefer b >= 0 on ties (stable, deterministic)
            np.abs(biases[b_idx]).ravel(),
            abs_w.sum(axis=1)[w_idx].ravel(),
            abs_w.max(axis=1)[w_idx].ravel(),
        )
    )
    flat_codes = codes.ravel()[order]
    uniq, first = np.unique(flat_codes, return_index=True)
    chosen = order[first]
    wi, bi = np.unravel_index(chosen, codes.shape)
    return {
        int(c): (tuple(int(v) for v in weights[w]), int(biases[b])) for c, w, b in zip(uniq, wi, bi)
    }


def _find_weights_lp(t: np.ndarray, n: int) -> Perceptron | None:
    """Exact decision for n > 4: the table is computable iff the LP
    ``(2 t_i - 1)(w . x_i + b) >= 1`` is feasible (a strict separation of finitely many points can
    be scaled to margin 1). The LP answer is scaled by s = 1 .. n + 1 and rounded; at s = n + 1 the
    rounding error (at most (n + 1) / 2) is below the margin, so an integer perceptron always verifies.
    """
    from scipy.optimize import linprog  # imported here: ~0.2 s, and only n > 4 needs it
    x = truth_table_inputs(n).astype(float)
    sign = 2.0 * t - 1.0
    a_ub = -sign[:, None] * np.hstack([x, np.ones((x.shape[0], 1))])
    res = linprog(
        np.zeros(n + 1), A_ub=a_ub, b_ub=-np.ones(x.shape[0]), bounds=[(None, None)] * (n + 1), method="highs"
    )
    if res.status == 2:  # infeasible: no perceptron computes the table
        return None
    if res.status != 0:
        raise RuntimeError(f"the separability LP failed: {res.message}")
    for s in range(1, n + 2):
        v = np.rint(res.x * s).astype(int)
        g = math.gcd(*(abs(int(c)) for c in v)) or 1
        p = Perceptron(v[:n] // g, int(v[n]) // g)
        if np.array_equal(p.truth_table(), t):
            return p
    raise RuntimeError("internal error: the rounded LP solution did not verify")  # pragma: no cover


def find_weights(targets) -> Perceptron | None:
    """A perceptron with small integer weights and bias that reproduces ``targets`` exactly, or
    ``None`` when no perceptron can (the table is not linearly separable, e.g. XOR).

    ``targets``: length ``2**n`` column of 0/1 in the row order of ``truth_table_inputs(n)``.
    Exact for every n from 1 to ``MAX_INPUTS``: n <= 4 searches all integer weights in [-3, 3]
    (complete, and the answer has the least max |w|); 4 < n <= 10 solves a feasibility LP with
    SciPy and verifies its rounded integer answer (raises ValueError when SciPy is missing).
    """
    t, n = as_targets(targets)
    if n <= EXHAUSTIVE_MAX_INPUTS:
        found = _smallest_integer_perceptrons(n).get(_code(t))
        return None if found is None else Perceptron(found[0], found[1])
    if n > MAX_INPUTS:
        raise ValueError(f"find_weights handles n = 1 .. {MAX_INPUTS} inputs, got n = {n}")
    return _find_weights_lp(t, n)


def is_linearly_separable(targets) -> bool:
    """True iff one perceptron computes the table (see ``find_weights``)."""
    return find_weights(targets) is not None


def count_separable(n: int) -> int:
    """How many of the 2**(2**n) tables of n <= 4 inputs one perceptron computes (4, 14, 104, 1882)."""
    n = _check_n(n)
    if n > EXHAUSTIVE_MAX_INPUTS:
        raise ValueError(f"count_separable is exhaustive and handles n <= {EXHAUSTIVE_MAX_INPUTS}")
    return len(_smallest_integer_perceptrons(n))


# ---------------------------------------------------------------------------------------------
# The perceptron learning rule


def learn_step(
    perceptron: Perceptron, targets, learning_rate: float = 1.0, start: int = 0
) -> tuple[Perceptron, int | None]:
    """One update of the perceptron learning rule: ``w <- w + eta (t - y) x``, ``b <- b + eta (t - y)``.

    Scans the rows cyclically from ``start`` for the first wrong one and updates on it. Returns
    ``(updated perceptron, row index)``, or ``(perceptron, None)`` when every row is already right.
    """
    t, n = as_targets(targets)
    if n != perceptron.n_inputs:
        raise ValueError(f"{2**n} targets are for n = {n} inputs, the perceptron has {perceptron.n_inputs}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a positive number, got {learning_rate}")
    x = truth_table_inputs(n)
    wrong = np.flatnonzero(perceptron(x) != t)
    if wrong.size == 0:
        return perceptron, None
    rows = len(t)
    row = int(min(wrong, key=lambda i: (i - start) % rows))
    delta = learning_rate * (t[row] - perceptron(x[row]))
    return Perceptron(perceptron.weights + delta * x[row], perceptron.bias + delta), row


def learning_steps(
    perceptron: Perceptron, targets, learning_rate: float = 1.0
) -> Iterator[tuple[Perceptron, int]]:
    """Yield ``(perceptron, row)`` after each update, sweeping the rows in order; stops when all are right.

    Never ends by itself on a non-separable table: callers cap it (``learn`` does).
    """
    start = 0
    while True:
        perceptron, row = learn_step(perceptron, targets, learning_rate, start)
        if row is None:
            return
        yield perceptron, row
        start = (row + 1) % len(np.asarray(targets))


@dataclass(frozen=True)
class LearningResult:
    """What ``learn`` ended with. ``converged``: every row right. ``separable``: exact verdict of
    ``find_weights`` (so a capped run on XOR says *not separable*, not merely *not yet*)."""

    perceptron: Perceptron
    updates: int
    converged: bool
    separable: bool

    @property
    def verdict(self) -> str:
        if self.converged:
            return f"all rows right after {self.updates} updates"
        if not self.separable:
            return (
                f"stopped after {self.updates} updates: no single perceptron computes this table, "
                "it is not linearly separable"
            )
        return f"stopped after {self.updates} updates: not yet right (the table is separable, so more updates converge)"


def learn(perceptron: Perceptron, targets, learning_rate: float = 1.0, max_updates: int = 1000) -> LearningResult:
    """Run the learning rule until every row is right or ``max_updates`` updates were made.

    By the perceptron convergence theorem it stops on every linearly separable table.
    """
    updates = 0
    for perceptron, _row in learning_steps(perceptron, targets, learning_rate):
        updates += 1
        if updates >= max_updates:
            break
    t, _ = as_targets(targets)
    converged = bool(np.array_equal(perceptron.truth_table(), t))
    separable = converged or is_linearly_separable(t)
    return LearningResult(perceptron, updates, converged, separable)
