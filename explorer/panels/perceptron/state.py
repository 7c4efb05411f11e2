"""The perceptron panel's model: one core ``Perceptron`` and a target column, with Qt signals.

Views never compute: they read ``perceptron``, ``targets`` and ``rows()`` (all from
``explorer.core.perceptron``) and call the setters; every change emits ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from explorer.core.perceptron import Perceptron, as_targets, truth_table_inputs
from explorer.core.perceptron_presets import presets

CUSTOM = "custom"
MIN_INPUTS, MAX_INPUTS = 1, 4


@dataclass(frozen=True)
class Rows:
    """The truth table as shown: inputs (2^n, n), weighted sums, outputs, targets, right (bool)."""

    inputs: np.ndarray
    sums: np.ndarray
    outputs: np.ndarray
    targets: np.ndarray
    right: np.ndarray

    @property
    def n_right(self) -> int:
        return int(self.right.sum())


class PerceptronState(QObject):
    changed = pyqtSignal()  # weights, bias, targets or n changed
    n_changed = pyqtSignal(int)
    form_changed = pyqtSignal(str)  # "threshold" or "bias"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._perceptron = Perceptron([1.0, 1.0], -0.5)
        self._preset = "AND"
        self._targets = presets(2)["AND"]
        self._form = "bias"

    # -- reading ------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return self._perceptron.n_inputs

    @property
    def perceptron(self) -> Perceptron:
        return self._perceptron

    @property
    def targets(self) -> np.ndarray:
        return self._targets.copy()

    @property
    def preset(self) -> str:
        return self._preset

    @property
    def form(self) -> str:
        return self._form

    def rows(self) -> Rows:
        x = truth_table_inputs(self.n)
        p = self._perceptron
        out = p(x)
        return Rows(x, p.weighted_sum(x), out, self._targets.copy(), out == self._targets)

    # -- writing ------------------------------------------------------------------------
    def set_perceptron(self, perceptron: Perceptron) -> None:
        if perceptron.n_inputs != self.n:
            raise ValueError(f"the panel has {self.n} inputs, the perceptron {perceptron.n_inputs}")
        if perceptron != self._perceptron:
            self._perceptron = perceptron
            self.changed.emit()

    def set_weight(self, j: int, value: float) -> None:
        w = self._perceptron.weights.copy()
        w[j] = value
        self.set_perceptron(self._perceptron.with_weights(w))

    def set_bias(self, value: float) -> None:
        self.set_perceptron(self._perceptron.with_bias(value))

    def set_threshold(self, value: float) -> None:
        """The threshold form's number: ``b = -threshold``."""
        self.set_bias(-float(value) + 0.0)

    def set_form(self, form: str) -> None:
        if form not in ("threshold", "bias"):
            raise ValueError(f"form must be 'threshold' or 'bias', got {form!r}")
        if form != self._form:
            self._form = form
            self.form_changed.emit(form)

    def set_targets(self, targets, preset: str = CUSTOM) -> None:
        t, n = as_targets(targets)  # only 0/1, length 2**n (ValueError otherwise)
        if n != self.n:
            raise ValueError(f"{len(t)} targets do not fit n = {self.n} inputs ({2**self.n} rows)")
        self._targets = t
        self._preset = preset
        self.changed.emit()

    def set_preset(self, name: str) -> None:
        self.set_targets(presets(self.n)[name], preset=name)

    def toggle_target(self, row: int) -> None:
        t = self._targets.copy()
        t[row] = 1 - t[row]
        self.set_targets(t, preset=CUSTOM)

    def set_n(self, n: int) -> None:
        """Change the number of inputs, keeping the weights it can (w_1 .. w_min(n, old n)) and the bias."""
        n = int(n)
        if not MIN_INPUTS <= n <= MAX_INPUTS:
            raise ValueError(f"the panel shows n = {MIN_INPUTS} .. {MAX_INPUTS} inputs, got {n}")
        if n == self.n:
            return
        old = self._perceptron.weights
        w = np.zeros(n)
        k = min(n, old.size)
        w[:k] = old[:k]
        self._perceptron = Perceptron(w, self._perceptron.bias)
        table = presets(n)
        self._preset = self._preset if self._preset in table else next(iter(table))
        self._targets = table[self._preset].copy()
        self.n_changed.emit(n)
        self.changed.emit()
