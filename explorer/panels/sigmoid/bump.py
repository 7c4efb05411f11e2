"""Tab "Bump": two hidden neurons with steps at s1 < s2 and output weights h, -h make a bump.

A second bump (the slide "Approximating two bumps": 0.4 to 0.6 and 0.7 to 0.9) can be switched on.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.core import sigmoid as sg
from explorer.panels.sigmoid.common import (ActivationChooser, InfoLabel, StickyRange, cache_axes, keep_ordered,
                                            nice_number, restyle_legend)
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

N_POINTS = 2001


class BumpTab(QWidget):
    """One bump of height h on [s1, s2] (and optionally a second, h2 on [s3, s4]), with each hidden
    neuron's weighted output drawn faintly."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._syncing = False
        self.x = np.linspace(0.0, 1.0, N_POINTS)
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "weighted output")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getPlotItem().addLegend(offset=(10, -10))     # bottom left: clear of the s labels
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        cache_axes(self.plot)
        self._y_range = StickyRange(self.plot, pad=0.12)
        self.hidden_curves: list[pg.PlotDataItem] = []
        self.curve = self.plot.plot(name="output (their sum)")
        self.lines = []
        for name in ("s1", "s2", "s3", "s4"):
            line = pg.InfiniteLine(angle=90, movable=True, label=name, labelOpts={"position": 0.92})
            line.setToolTip(f"Drag {name}, the step point of one hidden neuron.")
            self.plot.addItem(line)
            self.lines.append(line)

        self.s1 = ValueSlider("s1", 0.0, 1.0, 0.4, step=0.01)
        self.s1.setToolTip("Where the first hidden neuron steps up (output weight +h).")
        self.s2 = ValueSlider("s2", 0.0, 1.0, 0.6, step=0.01)
        self.s2.setToolTip("Where the second hidden neuron steps (output weight −h). s1 ≤ s2.")
        self.h = ValueSlider("h", -1.5, 1.5, 0.8, step=0.01)
        self.h.setToolTip("Height of the bump: the output weights are +h and −h.")
        self.second = QCheckBox("second bump (slide 'Approximating two bumps')")
        hint(self.second, "Two more hidden neurons make a second bump, h2 on [s3, s4]: the slide's bumps "
                          "from 0.4 to 0.6 and from 0.7 to 0.9.")
        self.s3 = ValueSlider("s3", 0.0, 1.0, 0.7, step=0.01)
        self.s3.setToolTip("Where the second bump starts (output weight +h2).")
        self.s4 = ValueSlider("s4", 0.0, 1.0, 0.9, step=0.01)
        self.s4.setToolTip("Where the second bump ends (output weight −h2). s3 ≤ s4.")
        self.h2 = ValueSlider("h2", -1.5, 1.5, 0.5, step=0.01)
        self.h2.setToolTip("Height of the second bump.")
        self.steepness = ValueSlider("w", 1, 1000, 400, step=1, decimals=0, hard_limits=(1, 10000))
        self.steepness.setToolTip("Weight of both hidden neurons (steepness of each step).")
        self.activation = ActivationChooser()
        self.swap_note = InfoLabel(2)
        self.formula = InfoLabel(5)
        self.count = InfoLabel(2)

        side = QVBoxLayout()
        for widget in (self.s1, self.s2, self.h, self.steepness):
            side.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(QLabel("hidden activation"))
        row.addWidget(self.activation, 1)
        side.addLayout(row)
        side.addWidget(self.second)
        for widget in (self.s3, self.s4, self.h2):
            side.addWidget(widget)
            widget.setVisible(False)
        side.addWidget(self.swap_note)
        side.addWidget(self.formula)
        side.addWidget(self.count)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.plot, 3)
        panel = QWidget()
        panel.setLayout(side)
        layout.addWidget(panel, 2)
        hint(self.plot, "Faint curves: each hidden neuron's weighted output; bold: their sum, the bump.")

        self.pairs = ((self.s1, self.s2, "s1", "s2"), (self.s3, self.s4, "s3", "s4"))
        for slider in (self.s1, self.s2, self.s3, self.s4):
            slider.value_changed.connect(lambda _v, s=slider: self._edges_changed(s))
        self.h.value_changed.connect(self.refresh)
        self.h2.value_changed.connect(self.refresh)
        self.second.toggled.connect(self._second_toggled)
        self.steepness.value_changed.connect(self.refresh)
        self.activation.activation_changed.connect(self.refresh)
        for line, slider in zip(self.lines, (self.s1, self.s2, self.s3, self.s4)):
            line.sigPositionChanged.connect(lambda ln, s=slider: self._line_dragged(ln, s))
        self._style = Style()
        self._second_toggled(False)

    def _line_dragged(self, line, slider) -> None:
        """A dragged step line sets its slider; it stops at its partner (s1 <= s2), never swaps under the mouse."""
        if self._syncing:
            return
        value = round(float(np.clip(line.value(), 0.0, 1.0)), 3)
        note = ""
        for lo, hi, lo_name, hi_name in self.pairs:
            if slider is lo and value > hi.value():
                value, note = hi.value(), f"{lo_name} stops at {hi_name} = {hi.value():g} ({lo_name} ≤ {hi_name})."
            elif slider is hi and value < lo.value():
                value, note = lo.value(), f"{hi_name} stops at {lo_name} = {lo.value():g} ({lo_name} ≤ {hi_name})."
        slider.setValue(value)
        self._syncing = True
        line.setValue(slider.value())       # back on the slider's value when it stopped
        self._syncing = False
        if note:
            self.swap_note.setText(note)

    def _second_toggled(self, on: bool) -> None:
        for widget in (self.s3, self.s4, self.h2, self.lines[2], self.lines[3]):
            widget.setVisible(on)
        self.refresh()

    def _edges_changed(self, changed=None) -> None:
        """Keep s1 <= s2 (and s3 <= s4): a typed crossing swaps the two values, a dragged handle
        stops at the other; either way the note says so."""
        if self._syncing:
            return
        self._syncing = True
        notes = [keep_ordered(lo, hi, lo_name, hi_name, changed) for lo, hi, lo_name, hi_name in self.pairs]
        self._syncing = False
        self.swap_note.setText(" ".join(n for n in notes if n))
        self.refresh()

    def edges(self) -> list[tuple[float, float]]:
        pairs = [(self.s1.value(), self.s2.value())]
        if self.second.isChecked():
            pairs.append((self.s3.value(), self.s4.value()))
        return pairs

    def heights(self) -> list[float]:
        return [self.h.value(), self.h2.value()][:len(self.edges())]

    def network(self) -> sg.OneHiddenLayer:
        return sg.bumps_network(self.edges(), self.heights(), self.steepness.value(), self.activation.activation())

    def refresh(self, *_args) -> None:
        if self._syncing:
            return
        net = self.network()
        parts = net.weighted_hidden(self.x)
        self._ensure_hidden_curves(net.n_hidden)
        for j, curve in enumerate(self.hidden_curves):
            curve.setData(self.x, parts[:, j])
        self.curve.setData(self.x, parts.sum(axis=1) + net.output_bias)
        self._syncing = True
        for line, s in zip(self.lines, (self.s1.value(), self.s2.value(), self.s3.value(), self.s4.value())):
            line.setValue(s)
        self._syncing = False
        w = self.steepness.value()
        act = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "step": "step"}[net.activation]
        if net.activation == "relu":
            self.formula.setText("ReLU: each step is the difference of two ramps, "
                                 "relu(w/4 (x − s) + ½) − relu(w/4 (x − s) − ½), so a bump needs 4 hidden "
                                 "neurons.")
        else:
            terms = [f"{nice_number(v)}·{act}({nice_number(a)} x {'+' if c >= 0 else '−'} {nice_number(abs(c))})"
                     for v, a, c in zip(net.output_weights, net.hidden_weights, net.hidden_biases)]
            self.formula.setText("output = " + " + ".join(terms).replace("+ −", "− ")
                                 + (f" + {nice_number(net.output_bias)}" if net.output_bias else ""))
        bumps = "; ".join(f"height {hb:g} on [{a:g}, {b:g}]" for hb, (a, b) in zip(self.heights(), self.edges()))
        self.count.setText(f"{net.n_hidden} hidden neurons; {bumps}; steepness w = {w:g}")
        # all weighted outputs, not the ReLU ramps (they run out of view)
        top = max(max(abs(v) for v in self.heights()), 0.1)
        self._y_range.fit(-top, top)

    def _ensure_hidden_curves(self, n: int) -> None:
        while len(self.hidden_curves) < n:
            curve = pg.PlotDataItem(name=None if self.hidden_curves else "hidden neurons, weighted")
            curve.setZValue(-5)
            self.plot.addItem(curve)
            self.hidden_curves.append(curve)
            self._style_hidden(curve)
        for j, curve in enumerate(self.hidden_curves):
            curve.setVisible(j < n)
        del_curves = self.hidden_curves[n:]
        for curve in del_curves:
            self.plot.removeItem(curve)
        self.hidden_curves = self.hidden_curves[:n]

    def _style_hidden(self, curve) -> None:
        curve.setPen(self._style.pen(self._style.muted, 1.5, Qt.PenStyle.DashLine))

    def apply_style(self, style: Style) -> None:
        restyle_legend(self.plot, style)
        self._style = style
        self.curve.setPen(style.pen(style.color(0), 3))
        for curve in self.hidden_curves:
            self._style_hidden(curve)
        for i, line in enumerate(self.lines):
            color = style.color(2 + i % 2)
            line.setPen(style.pen(color, 2, None if i < 2 else Qt.PenStyle.DashLine))
            line.setHoverPen(style.pen(color, 4))
            line.label.setColor(style.foreground)
            line.label.setFont(style.font(1.0, bold=True))
