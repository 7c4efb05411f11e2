"""Tab "Many bumps": N bumps (2N hidden neurons) fitted to a target f, heights draggable on the plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import (QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                             QWidget)

from explorer.core import sigmoid as sg
from explorer.core.formula import PRESETS_1D
from explorer.panels.sigmoid.common import (ActivationChooser, HeightHandles, InfoLabel, StickyRange,
                                            TargetEditor, cache_axes, restyle_legend)
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

N_POINTS = 2000
INTERVAL = (0.0, 1.0)
ERROR_COUNTS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100)


class ManyBumpsTab(QWidget):
    """Universal approximation in one input: bumps side by side, fitted to f or dragged by hand."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._style = Style()
        self.x = np.linspace(*INTERVAL, N_POINTS)
        self.heights = np.zeros(1)
        self.manual = False          # heights changed by hand since the last fit
        self.error_values: np.ndarray | None = None     # the error-vs-N curve, once computed
        self.error_curve_tried = False                  # True once computed or found impossible
        self._marker: tuple[float, float] | None = None
        self._fx_version = 0                            # bumped whenever f on the grid changes
        self._target_key: tuple | None = None           # what the target curves show now
        self._drawn_target = np.zeros(N_POINTS)
        self._challenge_color = ""

        self.plot = pg.PlotWidget()
        self._y_range = StickyRange(self.plot)
        self.plot.setLabel("bottom", "x")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setXRange(*INTERVAL, padding=0.02)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getPlotItem().addLegend(offset=(10, 10))
        self.faint_target = self.plot.plot()
        self.faint_output = self.plot.plot()
        self.target_curve = self.plot.plot(name="target f")
        self.curve = self.plot.plot(name="network output")
        self.handles = HeightHandles(self._handle_dragged, size=9, hoverable=True)
        self.handles.setZValue(10)
        self.plot.addItem(self.handles)
        hint(self.plot, "Drag the dots at the bump tops to set each bump's height by hand.")
        for curve in (self.curve, self.faint_output, self.faint_target, self.target_curve):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            curve.setSkipFiniteCheck(True)
        cache_axes(self.plot, self.target_curve, self.faint_target)

        self.error_plot = pg.PlotWidget()
        self.error_plot.setLabel("bottom", "N bumps")
        self.error_plot.setLabel("left", "mean |error|")
        self.error_plot.setLogMode(x=True, y=True)
        for name in ("left", "bottom"):
            self.error_plot.getAxis(name).enableAutoSIPrefix(False)
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.error_plot.getAxis("bottom").setTicks([[(np.log10(v), f"{v:g}") for v in (1, 3, 10, 30, 100)], []])
        self.error_plot.getAxis("left").setTicks([[(e, f"{10.0 ** e:g}") for e in range(-5, 1)], []])
        self.error_plot.setMouseEnabled(x=False, y=False)
        self.error_plot.hideButtons()
        self.error_plot.disableAutoRange()      # ranges set when the curve is computed (no per-step autorange)
        self.error_plot.setXRange(np.log10(0.8), np.log10(130), padding=0)
        self._error_y = (-3.0, 0.0)             # log10 of the error axis range
        self.error_plot.setTitle("error against N")
        self.error_curve = self.error_plot.plot(symbol="o", symbolSize=5)
        self.error_marker = pg.ScatterPlotItem(size=12)
        self.error_plot.addItem(self.error_marker)
        cache_axes(self.error_plot, self.error_curve)
        hint(self.error_plot, "Mean absolute error of the fitted network for each number of bumps: "
                              "more bumps, smaller error.")

        # -- controls -------------------------------------------------------------------
        self.n = ValueSlider("N bumps", 1, 100, 20, step=1, decimals=0)
        self.n.setToolTip("Number of bumps; each needs two hidden neurons.")
        self.steepness = ValueSlider("w", 10, 10000, 5000, step=10, decimals=0)
        self.steepness.setToolTip("Weight of every hidden neuron: how sharp each step is.")
        self.activation = ActivationChooser()
        self.target = TargetEditor(PRESETS_1D, ("x",), "book", sample_points=(self.x,))
        self.fit_button = QPushButton("Fit heights to f")
        hint(self.fit_button, "Set every height to the mean of f over its bump (after dragging by hand).")
        self.sigmoid_output = QCheckBox("sigmoid output neuron (bumps draw σ⁻¹∘f)")
        hint(self.sigmoid_output, "As in the book: the output neuron is a sigmoid too, so the hidden "
                                  "layer's weighted output must approximate σ⁻¹(f).")
        self.challenge_button = QPushButton("Book's challenge: 5 flat bumps")
        hint(self.challenge_button, "Start from 5 bumps of height 0 with a sigmoid output; drag the bump "
                                    "tops until the average deviation is below 0.40.")
        self.neurons_label = InfoLabel(1)
        self.error_label = InfoLabel(1)
        self.challenge_label = InfoLabel(2)
        self.note = InfoLabel(2)

        side = QVBoxLayout()
        side.addWidget(self.n)
        side.addWidget(self.steepness)
        row = QHBoxLayout()
        row.addWidget(QLabel("hidden activation"))
        row.addWidget(self.activation, 1)
        side.addLayout(row)
        side.addWidget(self.target)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fit_button)
        buttons.addWidget(self.challenge_button)
        side.addLayout(buttons)
        side.addWidget(self.sigmoid_output)
        side.addWidget(self.neurons_label)
        side.addWidget(self.error_label)
        side.addWidget(self.challenge_label)
        side.addWidget(self.note)
        side.addWidget(self.error_plot, 1)
        layout = QGridLayout(self)
        layout.addWidget(self.plot, 0, 0)
        panel = QWidget()
        panel.setLayout(side)
        layout.addWidget(panel, 0, 1)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)

        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(150)
        self._error_timer.timeout.connect(self.update_error_curve)

        self.n.value_changed.connect(self.refit)
        self.steepness.value_changed.connect(self._units_changed)
        self.activation.activation_changed.connect(self._units_changed)
        self.sigmoid_output.toggled.connect(self._settings_changed)
        self.target.target_changed.connect(self._settings_changed)
        self.fit_button.clicked.connect(self.refit)
        self.challenge_button.clicked.connect(self.start_challenge)
        self._settings_changed()

    # -- model ------------------------------------------------------------------------------
    @property
    def output_activation(self) -> str:
        return "sigmoid" if self.sigmoid_output.isChecked() else "linear"

    def network(self) -> sg.OneHiddenLayer:
        return sg.network_from_heights(self.heights, self.steepness.value(), INTERVAL,
                                       self.activation.activation(), self.output_activation)

    def _settings_changed(self, *_args) -> None:
        self._set_fx(self.target.target(self.x))
        self.refit()
        self._error_timer.start()

    def _units_changed(self, *_args) -> None:
        """Steepness or hidden activation: heights set by hand stay (they are the output weights),
        so the challenge cannot be passed by moving w; fitted heights are refitted."""
        if self.manual:
            self.redraw()
            self._error_timer.start()
        else:
            self._settings_changed()

    def refit(self, *_args) -> None:
        """Heights = the mean of f (or sigma^-1 f) over each bump."""
        f, n, k = self.target.target, int(self.n.value()), self.steepness.value()
        self.note.setText(self._grey_note())
        try:
            try:
                self.heights = sg.fit_heights(f, n, k, INTERVAL, output_activation=self.output_activation)
            except ValueError as exc:
                if self.output_activation != "sigmoid" or "between 0 and 1" not in str(exc):
                    raise
                self.heights = sg.fit_heights(f, n, k, INTERVAL, output_activation=self.output_activation,
                                              strict=False)
                self.note.setText(f"{exc}: f was clipped to [0.001, 0.999].")
        except ValueError as exc:       # f not finite at a point the fit samples: flat bumps, said so
            self.heights = np.zeros(n)
            self.note.setText(f"cannot fit the heights: {exc}; drag the bump tops instead.")
        self.manual = False
        self.redraw()

    def _grey_note(self) -> str:
        return "grey: the network's output σ(weighted output) and f itself" \
            if self.output_activation == "sigmoid" else ""

    def start_challenge(self) -> None:
        """The book's challenge: 5 bumps, sigmoid output, heights 0 - the user drags them."""
        for widget in (self.n, self.sigmoid_output, self.target):
            widget.blockSignals(True)
        self.n.setValue(sg.CHALLENGE_BUMPS)
        self.sigmoid_output.setChecked(True)
        self.target.field.setText(PRESETS_1D["book"])
        self.target.apply_text()
        for widget in (self.n, self.sigmoid_output, self.target):
            widget.blockSignals(False)
        self._set_fx(self.target.target(self.x))
        self.heights = np.zeros(sg.CHALLENGE_BUMPS)
        self.manual = True
        self.note.setText(self._grey_note())
        self.redraw()
        self._error_timer.start()

    def _handle_dragged(self, i: int, y: float) -> None:
        self.set_height(i, y)

    def set_height(self, i: int, y: float) -> None:
        """One bump's height, set by hand (dragging its top)."""
        self.heights = self.heights.copy()
        self.heights[i] = float(np.clip(y, -20.0, 20.0))
        self.manual = True
        self.redraw()

    def _set_fx(self, values: np.ndarray) -> None:
        self.fx = values
        self._fx_version += 1

    # -- drawing ----------------------------------------------------------------------------
    def _target_curves(self) -> np.ndarray:
        """Give the target curves new data only when f or the output neuron changed; unchanged they
        stay cached pixmaps while heights are dragged. Returns what the bumps must draw."""
        key = (self._fx_version, self.output_activation)
        if key != self._target_key:
            self._target_key = key
            if self.output_activation == "sigmoid":
                self._drawn_target = sg.inverse_sigmoid(self.fx)
                self.faint_target.setData(self.x, self.fx)
            else:
                self._drawn_target = self.fx
            self.target_curve.setData(self.x, self._drawn_target)
        return self._drawn_target

    def redraw(self) -> None:
        net = self.network()
        centres = sg.bump_centres(self.heights.size, INTERVAL)
        n = self.heights.size
        if self.output_activation == "sigmoid":
            drawn_target = self._target_curves()
            weighted = net.weighted_sum_sorted(self.x)
            output = sg.sigmoid(weighted)
            self.curve.setData(self.x, weighted)
            self.faint_output.setData(self.x, output)
            self.faint_output.show()
            self.faint_target.show()
            self._rename("weighted output (the bumps)", "σ⁻¹∘f: what the bumps must draw")
            deviation = sg.average_deviation(net, self.target.target, INTERVAL)
            passed = sg.challenge_passed(deviation)
            goal = f"below {sg.CHALLENGE_DEVIATION:.2f} with {sg.CHALLENGE_BUMPS} bumps"
            if passed and n == sg.CHALLENGE_BUMPS:
                text = f"average deviation {deviation:.3f}: challenge passed ✓ ({goal})"
                color = self._style.good
            else:
                text = f"average deviation {deviation:.3f} (the book's challenge: {goal})"
                color = self._style.foreground
            self.challenge_label.setText(text)
            if color != self._challenge_color:          # a style sheet costs a re-polish: only on change
                self._challenge_color = color
                self.challenge_label.setStyleSheet(f"color: {color};")
            self.challenge_label.show()
            self.deviation = deviation
        else:
            drawn_target = self._target_curves()
            output = net.evaluate_sorted(self.x)
            self.curve.setData(self.x, output)
            self.faint_output.hide()
            self.faint_target.hide()
            self._rename("network output", "target f")
            self.challenge_label.hide()
        self.handles.setData(centres, self.heights)
        self.handles.setSize(max(5.0, min(12.0, 240.0 / n)) * self._style.scale)
        mean, worst = sg.abs_errors(output, self.fx)
        self.errors = (mean, worst)
        self.error_label.setText(f"|network − f|: mean {mean:.4f}, max {worst:.4f}"
                                 + ("  (heights set by hand)" if self.manual else ""))
        units = sg.units_per_bump(self.activation.activation())
        self.neurons_label.setText(f"{n} bump{'s' if n > 1 else ''} → {net.n_hidden} hidden neurons "
                                   f"({units} per bump)")
        self._move_marker(n, mean)
        lo = min(float(drawn_target.min()), float(self.heights.min()), 0.0)
        hi = max(float(drawn_target.max()), float(self.heights.max()), 1.0 if self.output_activation == "linear"
                 else 0.0)
        self._y_range.fit(lo, hi)

    def _move_marker(self, n: int, mean: float) -> None:
        """Mark (N, error) on the error plot; skip moves too small to see (saves a repaint per step)."""
        pos = (np.log10(n), np.log10(max(mean, 1e-12)))
        if self._marker is None or pos[0] != self._marker[0] or abs(pos[1] - self._marker[1]) > 0.01:
            self._marker = pos
            self.error_marker.setData([pos[0]], [pos[1]])
            lo, hi = self._error_y
            if not lo <= pos[1] <= hi:
                self._set_error_range(min(lo, pos[1] - 0.2), max(hi, pos[1] + 0.2))

    def _set_error_range(self, lo: float, hi: float) -> None:
        self._error_y = (lo, hi)
        self.error_plot.setYRange(lo, hi, padding=0)

    def _rename(self, output: str, target: str) -> None:
        legend = self.plot.getPlotItem().legend
        for sample, label in legend.items:
            if sample.item is self.curve and label.text != output:
                label.setText(output, **self._legend_opts())
            elif sample.item is self.target_curve and label.text != target:
                label.setText(target, **self._legend_opts())

    def _legend_opts(self) -> dict:
        return {"size": f"{self._style.base_point_size * self._style.scale * 0.9:.0f}pt",
                "color": self._style.foreground}

    def update_error_curve(self) -> None:
        """Mean error of the fitted network against N (debounced: it refits 13 networks).

        Fitted as the tab fits: with a sigmoid output, an f leaving (0, 1) is clipped, not refused.
        """
        self.error_curve_tried = True
        try:
            errors = sg.error_curve(self.target.target, ERROR_COUNTS, self.steepness.value(), INTERVAL,
                                    activation=self.activation.activation(),
                                    output_activation=self.output_activation, strict=False)
        except ValueError:
            self.error_values = None
            self.error_curve.setData([], [])
            return
        self.error_values = errors
        logs = np.log10(np.maximum(errors, 1e-12))
        marker = self._marker[1] if self._marker is not None else logs[0]
        self._set_error_range(min(logs.min(), marker) - 0.2, max(logs.max(), marker) + 0.2)
        self.error_curve.setData(np.array(ERROR_COUNTS, dtype=float), np.maximum(errors, 1e-12))

    def apply_style(self, style: Style) -> None:
        restyle_legend(self.plot, style)
        self._style = style
        self.curve.setPen(style.pen(style.color(0), 2.5))
        self.target_curve.setPen(style.pen(style.color(1), 2, Qt.PenStyle.DashLine))
        self.faint_target.setPen(style.pen(style.muted, 1, Qt.PenStyle.DashLine))
        self.faint_output.setPen(style.pen(style.muted, 1.5))
        self.handles.setBrush(pg.mkBrush(style.color(4)))
        self.handles.setPen(style.pen(style.foreground, 1))
        self.error_curve.setPen(style.pen(style.color(2), 2))
        self.error_curve.setSymbolBrush(pg.mkBrush(style.color(2)))
        self.error_marker.setBrush(pg.mkBrush(style.color(1)))
        self.error_marker.setSize(12 * style.scale)
        self.target.set_bad_color(style.bad)
        self.redraw()
