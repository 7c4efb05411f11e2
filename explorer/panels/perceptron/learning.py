""""Find weights" (exact, from the core) and "Learn" (the perceptron learning rule, one update per
click or animated by a QTimer, stopping when every row is right or at a cap with the verdict)."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.perceptron import LearningResult, find_weights, learn_step
from explorer.panels.perceptron.editor import number_text
from explorer.panels.perceptron.state import PerceptronState
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

NOT_SEPARABLE = (
    "No single perceptron computes this table: it is not linearly separable. "
    "<a href='nand'>See the NAND circuits</a>: a few perceptrons wired together can."
)


class _Answer(QLabel):
    """A wrapped answer line that takes no room while it has nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


class LearningControls(QWidget):
    row_used = pyqtSignal(object)  # the row index the last update used (None: no update)
    nand_requested = pyqtSignal()  # the user followed the link to the NAND circuits
    learning_finished = pyqtSignal(str)  # the verdict

    def __init__(self, state: PerceptronState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.updates = 0
        self._cursor = 0

        find_box = QGroupBox()
        fl = QVBoxLayout(find_box)
        self.find_button = QPushButton("Find weights")
        hint(self.find_button, "Search exactly for small integer weights and bias that get every row right, "
                               "or prove that none exist.")
        self.find_message = _Answer()
        self.find_message.setOpenExternalLinks(False)
        hint(self.find_message, "The answer of Find weights: the weights found, or why none exist.")
        fl.addWidget(self.find_button)
        fl.addWidget(self.find_message)

        learn_box = QGroupBox("learn")
        grid = QGridLayout(learn_box)
        keep = str.maketrans(" ", "\u00a0")  # each formula stays on one line when the label wraps
        self.rule = QLabel("Perceptron rule on a wrong row: " + "w ← w + η (t − y) x,".translate(keep)
                           + "  " + "b ← b + η (t − y)".translate(keep))
        self.rule.setWordWrap(True)
        hint(self.rule, "t: the row's target, y: the perceptron's output, x: the row's inputs.")
        self.step_button = QPushButton("Step")
        hint(self.step_button, "One update of the perceptron learning rule on the next wrong row.")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        hint(self.play_button, "Apply the learning rule repeatedly at the chosen speed until every row is right "
                               "or the cap is reached.")
        self.speed = ValueSlider("speed", 1, 20, 4, step=1, decimals=0)
        self.speed.setToolTip("Updates per second while playing.")
        self.rate = ValueSlider("η", 0.1, 2.0, 1.0, step=0.1, decimals=1)
        self.rate.setToolTip("Learning rate η: how far one update moves w and b.")
        self.cap = QSpinBox()
        self.cap.setRange(10, 10000)
        self.cap.setValue(200)
        self.cap.setPrefix("cap ")
        hint(self.cap, "Stop after this many updates (the learning rule never ends on a table that is not "
                       "linearly separable).")
        self.count_label = QLabel()
        hint(self.count_label, "Updates made since the last reset.")
        self.verdict = _Answer()
        hint(self.verdict, "Why learning stopped: every row right, or the cap (with the exact separability verdict).")
        grid.addWidget(self.rule, 0, 0, 1, 3)
        grid.addWidget(self.step_button, 1, 0)
        grid.addWidget(self.play_button, 1, 1)
        grid.addWidget(self.cap, 1, 2)
        grid.addWidget(self.speed, 2, 0, 1, 3)
        grid.addWidget(self.rate, 3, 0, 1, 3)
        grid.addWidget(self.count_label, 4, 0, 1, 3)
        grid.addWidget(self.verdict, 5, 0, 1, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(find_box)
        layout.addWidget(learn_box)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.step)
        self.find_button.clicked.connect(self.find)
        self.find_message.linkActivated.connect(lambda _link: self.nand_requested.emit())
        self.verdict.linkActivated.connect(lambda _link: self.nand_requested.emit())
        self.step_button.clicked.connect(self.step)
        self.play_button.toggled.connect(self.play)
        self.speed.value_changed.connect(lambda _v: self._set_interval())
        state.n_changed.connect(lambda _n: self.reset())
        state.changed.connect(self._state_changed)
        self._set_interval()
        self._show_count()

    # -- find weights -------------------------------------------------------------------
    def find(self) -> None:
        self.stop()
        found = find_weights(self.state.targets)
        if found is None:
            self.find_message.setText(NOT_SEPARABLE)
            return
        self._set_own(found)
        self.updates = 0
        self._show_count()
        w = ", ".join(number_text(v) for v in found.weights)
        self.find_message.setText(
            f"Found: w = ({w}), b = {number_text(found.bias)}, i.e. threshold {number_text(found.threshold)}; "
            "the smallest integers that get every row right."
        )

    # -- learning -----------------------------------------------------------------------
    def step(self) -> None:
        """One update; stops (and says why) when every row is right or the cap is reached."""
        new, row = learn_step(self.state.perceptron, self.state.targets, self.rate.value(), self._cursor)
        if row is None:  # every row right: that is the verdict, whatever the count
            self._finish(converged=True)
            return
        if self.updates >= self.cap.value():
            self._finish(converged=False)
            return
        self._cursor = (row + 1) % len(self.state.targets)
        self.updates += 1
        self._set_own(new)
        self.row_used.emit(row)
        self._show_count()
        if np.array_equal(new.truth_table(), self.state.targets):
            self._finish(converged=True)
        elif self.updates >= self.cap.value():
            self._finish(converged=False)

    def play(self, on: bool) -> None:
        if on:
            self.verdict.clear()
            self.timer.start()
            self.play_button.setText("Pause")
        else:
            self.timer.stop()
            self.play_button.setText("Play")

    def stop(self) -> None:
        self.play_button.setChecked(False)
        self.timer.stop()

    def reset(self) -> None:
        self.stop()
        self.updates = 0
        self._cursor = 0
        self.verdict.clear()
        self.find_message.clear()
        self._show_count()

    def _finish(self, converged: bool) -> None:
        self.stop()
        separable = converged or find_weights(self.state.targets) is not None
        result = LearningResult(self.state.perceptron, self.updates, converged, separable)
        text = result.verdict
        if not separable:
            text = text + ". <a href='nand'>See the NAND circuits.</a>"
        self.verdict.setText(text)
        self.learning_finished.emit(result.verdict)

    _own_change = False

    def _set_own(self, perceptron) -> None:
        self._own_change = True
        try:
            self.state.set_perceptron(perceptron)
        finally:
            self._own_change = False

    def _state_changed(self) -> None:
        """An edit by hand (not by the learning rule) starts a new count and clears old answers."""
        if not self._own_change:
            self.updates = 0
            self._show_count()
            self.verdict.clear()
            self.find_message.clear()

    def _set_interval(self) -> None:
        self.timer.setInterval(int(1000 / max(1.0, self.speed.value())))

    def _show_count(self) -> None:
        self.count_label.setText(f"updates: {self.updates}")

    def shutdown(self) -> None:
        self.stop()
