"""Editors of the perceptron: number of inputs, threshold / bias form, one slider per weight and
the bias (or threshold), both formulas with the current numbers, and the target presets."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.perceptron_presets import presets
from explorer.panels.perceptron.state import CUSTOM, MAX_INPUTS, MIN_INPUTS, PerceptronState
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

RANGE = (-10.0, 10.0)
HARD_LIMITS = (-100.0, 100.0)  # learning may step past the sliders' ends; typing up to +-100 is accepted


def number_text(v: float) -> str:
    """A number as on the slide: no trailing zeros, a true minus sign (−1.5, not -1.5)."""
    text = f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v)}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def _terms(weights) -> str:
    """``w1·x1 + w2·x2 ...`` as HTML with the signs written once."""
    parts = []
    for j, w in enumerate(weights, start=1):
        term = f"{number_text(abs(w))}·x<sub>{j}</sub>"
        if not parts:
            parts.append(("−" if w < 0 else "") + term)
        else:
            parts.append((" −&nbsp;" if w < 0 else " +&nbsp;") + term)  # a sign stays with its term
    return "".join(parts)


def formulas(weights, bias: float) -> tuple[str, str]:
    """The slide's two forms with the current numbers (HTML): threshold form, bias form."""
    terms = _terms(weights)
    threshold = -bias + 0.0
    b = (" −&nbsp;" if bias < 0 else " +&nbsp;") + number_text(abs(bias))
    return (  # lines break between terms, never inside one or before "> ..."
        f"output = 1 iff {terms}&nbsp;&gt;&nbsp;{number_text(threshold)}",
        f"output = 1 iff {terms}{b}&nbsp;&gt;&nbsp;0",
    )


class PerceptronEditor(QWidget):
    def __init__(self, state: PerceptronState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._syncing = False

        top = QFormLayout()
        self.n_spin = QSpinBox()
        self.n_spin.setRange(MIN_INPUTS, MAX_INPUTS)
        self.n_spin.setValue(state.n)
        hint(self.n_spin, "Number of Boolean inputs x1 .. xn (1 to 4); the table has 2^n rows.")
        top.addRow("inputs n", self.n_spin)

        self.preset_combo = QComboBox()
        hint(self.preset_combo, "Fill the target column with a named truth table (toggle single targets in the table).")
        top.addRow("targets", self.preset_combo)

        form_row = QHBoxLayout()
        self.threshold_radio = QRadioButton("threshold")
        self.bias_radio = QRadioButton("bias")
        hint(self.threshold_radio, "Slide 'Perceptron': output 1 iff sum_j w_j x_j > threshold.")
        hint(self.bias_radio, "Slide 'Simplification': output 1 iff w·x + b > 0, with b = −threshold.")
        self.form_group = QButtonGroup(self)
        self.form_group.addButton(self.threshold_radio)
        self.form_group.addButton(self.bias_radio)
        form_row.addWidget(self.threshold_radio)
        form_row.addWidget(self.bias_radio)
        form_row.addStretch(1)
        top.addRow("form", form_row)
        hint(top.labelForField(self.n_spin), self.n_spin.toolTip())
        hint(top.labelForField(self.preset_combo), self.preset_combo.toolTip())
        hint(top.labelForField(form_row), "The slide's two forms of one perceptron: compare the weighted sum with a "
                                          "threshold, or add the bias b = −threshold and compare with 0.")

        box = QGroupBox("weights and bias")
        sliders = QVBoxLayout(box)
        self.weight_sliders: list[ValueSlider] = []
        for j in range(MAX_INPUTS):
            s = ValueSlider(f"w{j + 1}", *RANGE, 0.0, step=0.1, decimals=2, hard_limits=HARD_LIMITS)
            s.setToolTip(f"Weight w{j + 1}: how much input x{j + 1} counts.")
            s.value_changed.connect(lambda v, j=j: self._weight_edited(j, v))
            sliders.addWidget(s)
            self.weight_sliders.append(s)
        self.bias_slider = ValueSlider("b", *RANGE, 0.0, step=0.1, decimals=2, hard_limits=HARD_LIMITS)
        self.bias_slider.value_changed.connect(self._bias_edited)
        sliders.addWidget(self.bias_slider)

        self.threshold_formula = QLabel()
        self.bias_formula = QLabel()
        for label in (self.threshold_formula, self.bias_formula):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
        hint(self.threshold_formula, "Threshold form with the current numbers.")
        hint(self.bias_formula, "Bias form with the current numbers (b = −threshold).")
        sliders.addWidget(self.threshold_formula)
        sliders.addWidget(self.bias_formula)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addStretch(1)

        self.n_spin.valueChanged.connect(self._n_edited)
        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        self.threshold_radio.toggled.connect(lambda on: on and state.set_form("threshold"))
        self.bias_radio.toggled.connect(lambda on: on and state.set_form("bias"))
        state.changed.connect(self.sync)
        state.n_changed.connect(lambda _n: self._fill_presets())
        state.form_changed.connect(lambda _f: self.sync())
        self._fill_presets()
        self.sync()

    # -- widget -> state ----------------------------------------------------------------
    def _weight_edited(self, j: int, value: float) -> None:
        if not self._syncing:
            self.state.set_weight(j, value)

    def _bias_edited(self, value: float) -> None:
        if self._syncing:
            return
        if self.state.form == "threshold":
            self.state.set_threshold(value)
        else:
            self.state.set_bias(value)

    def _n_edited(self, n: int) -> None:
        if not self._syncing:
            self.state.set_n(n)

    def _preset_chosen(self, index: int) -> None:
        name = self.preset_combo.itemText(index)
        if self._syncing or index < 0:
            return
        if name == CUSTOM:  # keep the column as it is, now as the user's own table
            self.state.set_targets(self.state.targets, preset=CUSTOM)
        else:
            self.state.set_preset(name)

    # -- state -> widgets ---------------------------------------------------------------
    def _fill_presets(self) -> None:
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        self.preset_combo.addItems(list(presets(self.state.n)) + [CUSTOM])
        self.preset_combo.blockSignals(False)

    def sync(self) -> None:
        """Show the state's numbers (signals from our own widgets are ignored meanwhile)."""
        self._syncing = True
        try:
            st = self.state
            p = st.perceptron
            self.n_spin.setValue(st.n)
            for j, s in enumerate(self.weight_sliders):
                s.setVisible(j < st.n)
                if j < st.n:
                    s.setValue(float(p.weights[j]))
            threshold_form = st.form == "threshold"
            self.threshold_radio.setChecked(threshold_form)
            self.bias_radio.setChecked(not threshold_form)
            if threshold_form:
                self.bias_slider.set_label("θ")
                self.bias_slider.setToolTip("Threshold θ: the output is 1 when the weighted sum exceeds it (θ = −b).")
                self.bias_slider.setValue(p.threshold)
            else:
                self.bias_slider.set_label("b")
                self.bias_slider.setToolTip("Bias b = −threshold: how easy it is to output 1.")
                self.bias_slider.setValue(p.bias)
            t_text, b_text = formulas(p.weights, p.bias)
            strong, weak = "<b>{}</b>", "<span style='color:#808080'>{}</span>"
            self.threshold_formula.setText((strong if threshold_form else weak).format("threshold: " + t_text))
            self.bias_formula.setText((weak if threshold_form else strong).format("bias: " + b_text))
            index = self.preset_combo.findText(st.preset)
            self.preset_combo.setCurrentIndex(index)
        finally:
            self._syncing = False
