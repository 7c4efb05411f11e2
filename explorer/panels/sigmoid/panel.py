"""SigmoidPanel: four tabs - one neuron, one bump, many bumps, two inputs."""

from __future__ import annotations

from PyQt6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from explorer.panels.base import Panel
from explorer.panels.sigmoid.bump import BumpTab
from explorer.panels.sigmoid.many_bumps import ManyBumpsTab
from explorer.panels.sigmoid.one_neuron import OneNeuronTab
from explorer.panels.sigmoid.two_inputs import TwoInputsTab
from explorer.style import Style
from explorer.widgets.hints import hint


class SigmoidPanel(Panel):
    """Sigmoid neurons become steps, steps become bumps, and bumps approximate any function."""

    name = "sigmoid"
    title = "Sigmoid neuron"
    slides = 'Slides "Sigmoid neuron" to "Functions with multiple inputs" and "Other activation functions"'

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.one_neuron = OneNeuronTab()
        self.bump = BumpTab()
        self.many_bumps = ManyBumpsTab()
        self.two_inputs = TwoInputsTab()
        self.tabs = QTabWidget()
        for tab, label, tip in (
            (self.one_neuron, "One neuron", "σ(w x + b): the step point s = −b/w, the perceptron's step, "
                                            "small changes."),
            (self.bump, "Bump", "Two hidden neurons with output weights h and −h make a bump."),
            (self.many_bumps, "Many bumps", "N bumps approximate any function f: universal approximation."),
            (self.two_inputs, "Two inputs", "Steps, bumps and towers in two inputs; towers approximate f(x, y)."),
        ):
            index = self.tabs.addTab(tab, label)
            self.tabs.setTabToolTip(index, tip)
        hint(self.tabs, "From one sigmoid neuron to universal approximation.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self.apply_style(Style())

    def tab_widgets(self):
        return (self.one_neuron, self.bump, self.many_bumps, self.two_inputs)

    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        for tab in self.tab_widgets():
            tab.apply_style(style)

    def figure(self) -> QWidget:
        return self.tabs.currentWidget()

    def is_ready(self) -> bool:
        """Ready once the (debounced) error-against-N curve has been computed (or found impossible)."""
        return self.many_bumps.error_curve_tried

    def shutdown(self) -> None:
        self.many_bumps._error_timer.stop()
