"""Tab "One neuron": sigma(w x + b), its step position s = -b/w, the perceptron's step, small changes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (QButtonGroup, QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                             QRadioButton, QVBoxLayout, QWidget)

from explorer.core import sigmoid as sg
from explorer.panels.sigmoid.common import InfoLabel, cache_axes, nice_number, restyle_legend, signed
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

RANGES = {"x from 0 to 1": (0.0, 1.0), "x from −1 to 2": (-1.0, 2.0), "x from −5 to 5": (-5.0, 5.0)}
BAND = 0.05          # half-width of the band around s left out of the gap measure
N_POINTS = 2001


class OneNeuronTab(QWidget):
    """One sigmoid neuron with one input; drag w, b, or the step line itself."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._syncing = False
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "output")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setYRange(-0.08, 1.08, padding=0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()         # the "A" auto-range button would throw away the fixed ranges
        hint(self.plot, "Blue: σ(w x + b); dashed: the perceptron's step at the same s; dotted: after the "
                        "nudge. Drag the vertical line s to move the step (w stays, b = −w·s).")
        item = self.plot.getPlotItem()
        item.addLegend(offset=(10, 10))
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        cache_axes(self.plot)
        self.band = pg.LinearRegionItem(movable=False)
        self.band.setZValue(-10)
        self.plot.addItem(self.band)
        self.step_curve = self.plot.plot(name="perceptron step")
        self.nudged_curve = self.plot.plot(name="after the nudge")
        self.curve = self.plot.plot(name="σ(w x + b)")
        self.s_line = pg.InfiniteLine(angle=90, movable=True, label="s", labelOpts={"position": 0.55})
        hint_text = "Drag the step point s = −b/w: w stays, b becomes −w·s."
        self.s_line.setToolTip(hint_text)
        self.plot.addItem(self.s_line)
        self.probe = pg.ScatterPlotItem(size=11)
        self._probe_brushes = self._brushes_for(Style())
        self.plot.addItem(self.probe)

        # -- controls -------------------------------------------------------------------
        self.w = ValueSlider("w", -100, 100, 10.0, decimals=2, fine_near_zero=True, hard_limits=(-1000, 1000))
        self.w.setToolTip("Weight w: the steepness. Fine near 0; type up to ±1000 or use the presets.")
        self.b = ValueSlider("b", -100, 100, -5.0, decimals=2, fine_near_zero=True, hard_limits=(-1000, 1000))
        self.b.setToolTip("Bias b: moves the step; the step sits at s = −b/w.")
        presets = QHBoxLayout()
        presets.addWidget(QLabel("w presets:"))
        self.preset_buttons = {}
        for value in (1.0, 10.0, 100.0, 1000.0):
            button = QPushButton(f"w = {value:g}")
            hint(button, f"Set w = {value:g}, keeping the step point s where it is.")
            button.clicked.connect(lambda _c=False, v=value: self.set_w_keep_s(v))
            presets.addWidget(button)
            self.preset_buttons[value] = button
        presets.addStretch(1)
        self.range_combo = QComboBox()
        self.range_combo.addItems(list(RANGES))
        hint(self.range_combo, "The range of x shown in the plot.")
        self.formula = InfoLabel(1)
        self.step_label = InfoLabel(2)
        self.gap_label = InfoLabel(2)
        hint(self.gap_label, f"Largest |σ(w x + b) − step| for x at least {BAND} away from s: "
                             "it goes to 0 as w grows - the sigmoid becomes the perceptron's step.")

        # small changes
        self.x0 = ValueSlider("at x", 0.0, 1.0, 0.5, step=0.01)
        self.x0.setToolTip("Where the output change is measured (the dots on the plot).")
        self.delta = ValueSlider("Δ", -0.5, 0.5, 0.05, step=0.01, decimals=3, fine_near_zero=True)
        self.delta.setToolTip("The small change added to w or b.")
        self.nudge_w = QRadioButton("nudge w")
        self.nudge_b = QRadioButton("nudge b")
        self.nudge_b.setChecked(True)
        hint(self.nudge_w, "Add Δ to the weight w: the output changes by about σ'(z)·x·Δ.")
        hint(self.nudge_b, "Add Δ to the bias b: the output changes by about σ'(z)·Δ.")
        group = QButtonGroup(self)
        group.addButton(self.nudge_w)
        group.addButton(self.nudge_b)
        self.apply_nudge = QPushButton("Apply the nudge")
        hint(self.apply_nudge, "Add Δ to w or b for real (the sliders move).")
        self.change_label = InfoLabel(4)
        hint(self.change_label, "Sigmoid: Δoutput ≈ σ'(z)·(x Δw + Δb), small and smooth. "
                                "Perceptron: 0, or a full flip between 0 and 1.")

        side = QVBoxLayout()
        side.addWidget(self.w)
        side.addLayout(presets)
        side.addWidget(self.b)
        side.addWidget(self.range_combo)
        side.addWidget(self.formula)
        side.addWidget(self.step_label)
        side.addWidget(self.gap_label)
        box = QGroupBox("Small changes in w or b")
        inner = QVBoxLayout(box)
        inner.addWidget(self.x0)
        inner.addWidget(self.delta)
        row = QHBoxLayout()
        row.addWidget(self.nudge_w)
        row.addWidget(self.nudge_b)
        row.addStretch(1)
        row.addWidget(self.apply_nudge)
        inner.addLayout(row)
        inner.addWidget(self.change_label)
        side.addWidget(box)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.plot, 3)
        panel = QWidget()
        panel.setLayout(side)
        layout.addWidget(panel, 2)

        for widget in (self.w, self.b, self.x0, self.delta):
            widget.value_changed.connect(self.refresh)
        self.nudge_w.toggled.connect(self.refresh)
        self.range_combo.currentTextChanged.connect(self._range_changed)
        self.s_line.sigPositionChanged.connect(self._line_dragged)
        self.apply_nudge.clicked.connect(self._apply_nudge)
        self._range_changed(self.range_combo.currentText())

    # -- state changes --------------------------------------------------------------------
    def set_w_keep_s(self, w: float) -> None:
        """Set w; if there is a step, keep it at the same s (b = -w s)."""
        s = sg.step_position(self.w.value(), self.b.value())
        self._syncing = True
        self.w.setValue(w)
        wanted = b = self.b.value()
        if s is not None:
            wanted = sg.bias_for_step(self.w.value(), s)
            b = float(np.clip(wanted, -1000, 1000))
            self.b.setValue(b)
        self._syncing = False
        self.refresh()
        self._note_b_limit(wanted, b)

    def _line_dragged(self) -> None:
        if self._syncing:
            return
        w = self.w.value()
        if w == 0:
            return
        wanted = sg.bias_for_step(w, self.s_line.value())
        b = float(np.clip(wanted, -1000, 1000))
        self.b.setValue(round(b, 2))
        if b != wanted:                 # the line snaps back to the last s that b can reach: say why
            self.refresh()              # (b may be unchanged, at its limit: put the line back anyway)
            self._note_b_limit(wanted, b)

    def _note_b_limit(self, wanted: float, b: float) -> None:
        """When b = -w s would leave b's limits (|b| <= 1000), say that s could not be kept."""
        w = self.w.value()
        if b != wanted and w != 0:
            self.step_label.setText(f"{self.step_label.text()}: b stops at {b:+g}, so at w = {w:g} "
                                    f"s cannot pass {sg.step_position(w, b):.4g}")

    def _apply_nudge(self) -> None:
        target = self.w if self.nudge_w.isChecked() else self.b
        target.setValue(round(target.value() + self.delta.value(), 4))

    def _range_changed(self, text: str) -> None:
        lo, hi = RANGES[text]
        self.x = np.linspace(lo, hi, N_POINTS)
        self.plot.setXRange(lo, hi, padding=0.02)
        self.x0.set_range(lo, hi)
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self._syncing:
            return
        w, b, x0, d = self.w.value(), self.b.value(), self.x0.value(), self.delta.value()
        dw, db = (d, 0.0) if self.nudge_w.isChecked() else (0.0, d)
        self.curve.setData(self.x, sg.neuron(self.x, w, b))
        self.step_curve.setData(self.x, sg.neuron(self.x, w, b, "step"))
        self.nudged_curve.setData(self.x, sg.neuron(self.x, w + dw, b + db))
        s = sg.step_position(w, b)
        self.formula.setText(f"σ(w x + b) = σ({nice_number(w)} x {signed(b)})")
        if s is None:
            self.s_line.hide()
            self.band.hide()
            self.step_label.setText("no step (w = 0): the output is the constant σ(b)")
            self.gap_label.setText("")
        else:
            self._syncing = True
            self.s_line.setValue(s)
            self._syncing = False
            self.s_line.show()
            self.band.setRegion((s - BAND, s + BAND))
            self.band.show()
            self.step_label.setText(f"step at s = −b/w = {s:.4g}")
            gap = sg.max_gap_to_step(w, b, BAND, (self.x[0], self.x[-1]))
            self.gap_label.setText(f"largest gap to the step outside s ± {BAND}: {gap:.3g}")
        c = sg.small_change(w, b, x0, dw, db)
        # brushes again: setData forgets per-point brushes (sigmoid dot blue, perceptron dot orange)
        self.probe.setData([x0, x0], [c.sigmoid_before, c.perceptron_before], brush=self._probe_brushes)
        flip = "no change" if c.perceptron_delta == 0 else "a full flip!"
        which = "w" if dw else "b"
        self.change_label.setText(
            f"{which} + {d:g} at x = {x0:g}:\n"
            f"sigmoid  {c.sigmoid_before:.4f} → {c.sigmoid_after:.4f}, Δ = {c.sigmoid_delta:+.4f}"
            f"  (σ'(z)·Δ ≈ {c.linear_estimate:+.4f})\n"
            f"perceptron  {c.perceptron_before:.0f} → {c.perceptron_after:.0f}, Δ = {c.perceptron_delta:+.0f}"
            f"  ({flip})")

    @staticmethod
    def _brushes_for(style: Style) -> list:
        return [pg.mkBrush(style.color(0)), pg.mkBrush(style.color(1))]

    def apply_style(self, style: Style) -> None:
        restyle_legend(self.plot, style)
        self.curve.setPen(style.pen(style.color(0), 3))
        self.step_curve.setPen(style.pen(style.color(1), 2, Qt.PenStyle.DashLine))
        self.nudged_curve.setPen(style.pen(style.muted, 1.5, Qt.PenStyle.DotLine))
        self.s_line.setPen(style.pen(style.color(2), 2))
        self.s_line.setHoverPen(style.pen(style.color(2), 4))
        self.s_line.label.setColor(style.foreground)
        self.s_line.label.setFont(style.font(1.0, bold=True))
        muted = pg.mkColor(style.muted)
        muted.setAlpha(45)
        self.band.setBrush(pg.mkBrush(muted))
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
        self._probe_brushes = self._brushes_for(style)
        self.probe.setBrush(self._probe_brushes)
        self.probe.setSize(11 * style.scale)
        self.formula.setFont(style.font(1.15, bold=True))
