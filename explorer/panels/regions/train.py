"""Train a ReLU network on a 2-D data set; its regions and decision boundary are redrawn live."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from explorer.core.region_geometry import edge_segments, level_segments
from explorer.core.regions import RegionLimitExceeded, region_set
from explorer.core.relu_training import make_trainer
from explorer.core.toy_data import DATASETS, ToyDataSet
from explorer.panels.regions.background import LatestWorker
from explorer.panels.regions.drawing import RegionFill, palette, pattern_color_indices, segments_curve
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

BOX = (-1.2, 1.2, -1.2, 1.2)
CLASS_COLORS = ("#0072B2", "#D55E00")


class TrainView(QWidget):
    """Training: while *Train* is on, a timer hands one job at a time to a worker thread (a few
    mini-batch steps, then one exact enumeration) and draws each result; *Step* does the same
    synchronously. The GUI touches the trainer only while no job runs."""

    stepped = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = ToyDataSet("circles", n=200)
        self.trainer = None
        self.rs = None
        self.history_steps: list[int] = []
        self.history_regions: list[int] = []
        self._dark = False
        self._scale = 1.0

        form = QFormLayout()
        self.dataset = QComboBox()
        self.dataset.addItems(list(DATASETS))
        hint(self.dataset, "The data to learn. Click the plot to add points of the chosen class.")
        form.addRow("Data set", self.dataset)
        self.add_class = QComboBox()
        self.add_class.addItems(["class 0 (blue)", "class 1 (orange)"])
        hint(self.add_class, "Class of the points a click adds (shift-click adds the other class).")
        form.addRow("Click adds", self.add_class)
        arch = QHBoxLayout()
        self.layers = QSpinBox()
        self.layers.setRange(1, 4)
        self.layers.setValue(2)
        self.layers.setSuffix(" layers")
        self.width = QSpinBox()
        self.width.setRange(1, 32)
        self.width.setValue(8)
        self.width.setSuffix(" units")
        hint(self.layers, "Hidden ReLU layers of the network to train.")
        hint(self.width, "Units per hidden layer.")
        arch.addWidget(self.layers)
        arch.addWidget(self.width)
        form.addRow("Network", arch)
        self.seed = QSpinBox()
        self.seed.setRange(0, 9999)
        hint(self.seed, "Seed of the initial weights.")
        form.addRow("Seed", self.seed)
        self.learning_rate = ValueSlider("", 0.001, 1.0, 0.1, step=0.001, decimals=3)
        self.learning_rate.setToolTip("Learning rate eta of SGD.")
        form.addRow("Learning rate", self.learning_rate)
        self.batch = QSpinBox()
        self.batch.setRange(1, 256)
        self.batch.setValue(16)
        hint(self.batch, "Mini-batch size.")
        form.addRow("Mini-batch", self.batch)
        self.steps_per_tick = QSpinBox()
        self.steps_per_tick.setRange(1, 200)
        self.steps_per_tick.setValue(5)
        hint(self.steps_per_tick, "SGD steps between two redraws.")
        form.addRow("Steps per redraw", self.steps_per_tick)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Train")
        self.start_button.setCheckable(True)
        hint(self.start_button, "Start / pause SGD; the regions and decision boundary follow live.")
        self.step_button = QPushButton("Step")
        hint(self.step_button, "Run one redraw's worth of SGD steps.")
        self.reset_button = QPushButton("Reset network")
        self.reset_data = QPushButton("Reset data")
        hint(self.reset_button, "New random weights (same layers, units and seed); the region-count plot restarts.")
        hint(self.reset_data, "Back to the chosen data set's 200 points (removes the points you clicked).")
        for b in (self.start_button, self.step_button, self.reset_button, self.reset_data):
            buttons.addWidget(b)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setRange(xRange=BOX[:2], yRange=BOX[2:], padding=0)
        hint(self.plot, "Click to add a point (shift-click: the other class).")
        self.fill = RegionFill()
        self.edges = pg.PlotCurveItem()
        self.boundary = pg.PlotCurveItem()
        self.points = pg.ScatterPlotItem()
        for item in (self.fill, self.edges, self.boundary, self.points):
            self.plot.addItem(item)
        self.count_plot = pg.PlotWidget()
        self.count_plot.setLabel("bottom", "SGD steps")
        self.count_plot.setLabel("left", "regions")
        self.count_plot.setMaximumHeight(220)
        self.count_plot.getAxis("bottom").enableAutoSIPrefix(False)   # no "(x0.001)" before training starts
        self.count_plot.setLimits(xMin=0)
        self.plot.hideButtons()
        self.count_curve = self.count_plot.plot([], [])
        self.count_curve.setClipToView(True)

        controls = QVBoxLayout()
        controls.addLayout(form)
        controls.addLayout(buttons)
        controls.addWidget(self.status)
        controls.addWidget(self.count_plot, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.plot, 3)
        row.addLayout(controls, 2)

        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)
        self.worker = LatestWorker(self)
        self.worker.finished.connect(self._trained)
        self.start_button.toggled.connect(self._start_toggled)
        self.step_button.clicked.connect(self.step)
        self.reset_button.clicked.connect(self.reset_network)
        self.reset_data.clicked.connect(lambda: self.set_dataset(self.dataset.currentText()))
        self.dataset.currentTextChanged.connect(self.set_dataset)
        for box in (self.layers, self.width, self.seed):
            box.valueChanged.connect(lambda _v: self.reset_network())
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.trainer = make_trainer(self.widths(), seed=self.seed.value())
        self.restyle(1.0, False, "#000000")

    # -- public -----------------------------------------------------------------------------
    def widths(self) -> list[int]:
        return [self.width.value()] * self.layers.value()

    def network(self):
        return self.trainer.relu_network()

    def reset_network(self) -> None:
        self.trainer = make_trainer(self.widths(), seed=self.seed.value())
        self.history_steps, self.history_regions = [], []
        self.redraw()

    def set_dataset(self, name: str) -> None:
        self.data = ToyDataSet(name, n=200)
        self.redraw()

    def add_point(self, x: float, y: float, label: int) -> None:
        self.data.add_point(x, y, label)
        self._draw_points()
        if not self.worker.is_busy():     # else the running job's result reports (it owns the trainer)
            self._report()

    def is_training(self) -> bool:
        return self._timer.isActive()

    def is_busy(self) -> bool:
        """A training job is running in the worker thread."""
        return self.worker.is_busy()

    def shutdown(self) -> None:
        self.stop()
        self.worker.shutdown()

    def stop(self) -> None:
        self._timer.stop()
        if self.start_button.isChecked():
            self.start_button.blockSignals(True)
            self.start_button.setChecked(False)
            self.start_button.blockSignals(False)
        self.start_button.setText("Train")

    def step(self) -> None:
        """A few SGD steps, then redraw the exact regions and decision boundary (now)."""
        if self.worker.is_busy():         # a background job owns the trainer: wait for its picture
            return
        if len(self.data) == 0:
            self.status.setText("No training points: click the plot to add some.")
            self.stop()
            return
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                self.trainer.train_steps(self.data.X, self.data.y, self.steps_per_tick.value(), self.batch.value(),
                                         self.learning_rate.value())
        except ArithmeticError as exc:   # the engine's TrainingDiverged: it kept its last finite weights
            self.stop()
            self.redraw()
            self.status.setText(f"Stopped: {exc} Lower the learning rate, or press Reset network.")
            return
        if not all(np.isfinite(a).all() for a in list(self.trainer.weights) + list(self.trainer.biases)):
            self.stop()
            self.status.setText("The weights diverged (overflow to inf/nan): lower the learning rate and "
                                "press Reset network.")
            return
        self.redraw()
        self.stepped.emit()

    def redraw(self) -> None:
        if self.worker.is_busy():         # the running job's result will be drawn
            return
        try:
            net = self.network()
        except ValueError as exc:    # diverged weights (inf/nan): nothing to draw until a reset
            self.status.setText(f"{exc}: lower the learning rate and press Reset network.")
            return
        try:
            rs = region_set(net, BOX, max_regions=50_000)
        except RegionLimitExceeded as exc:
            rs = exc
        self._show(rs)

    def _tick(self) -> None:
        """While training: start the next job unless one is running (the timer just polls)."""
        if self.worker.is_busy():
            return
        if len(self.data) == 0:
            self.status.setText("No training points: click the plot to add some.")
            self.stop()
            return
        trainer, X, y = self.trainer, self.data.X.copy(), self.data.y.copy()
        steps, batch, lr = self.steps_per_tick.value(), self.batch.value(), self.learning_rate.value()

        def job():
            with np.errstate(over="ignore", invalid="ignore"):
                trainer.train_steps(X, y, steps, batch, lr)
            net = trainer.relu_network()              # ValueError if a weight is inf/nan
            try:
                return region_set(net, BOX, max_regions=50_000)
            except RegionLimitExceeded as exc:
                return exc

        self.worker.submit(job, trainer)

    def _trained(self, trainer, result) -> None:
        if trainer is not self.trainer:               # reset meanwhile: draw the new network instead
            self.redraw()
            return
        if isinstance(result, ArithmeticError):       # the engine's TrainingDiverged (weights kept finite)
            self.stop()
            self.redraw()
            self.status.setText(f"Stopped: {result} Lower the learning rate, or press Reset network.")
            return
        if isinstance(result, ValueError):            # inf/nan weights
            self.stop()
            self.status.setText("The weights diverged (overflow to inf/nan): lower the learning rate and "
                                "press Reset network.")
            return
        if isinstance(result, Exception):
            self.stop()
            self.status.setText(f"Training stopped: {result}")
            return
        self._show(result)
        self.stepped.emit()

    def _show(self, rs) -> None:
        """Draw a RegionSet of the current network (or say why there is none)."""
        self.rs = None
        if isinstance(rs, RegionLimitExceeded):
            self.status.setText(str(rs))
        else:
            self.rs = rs
        if self.rs is not None:
            rs = self.rs
            colors = palette(self._dark, alpha=120)
            self.fill.set_polygons(rs.vertices, rs.offsets, pattern_color_indices(rs.patterns, rs.widths), colors)
            segs, layer, _unit = edge_segments(rs)
            segments_curve(self.edges, segs[layer >= 0])
            segments_curve(self.boundary, level_segments(rs, 0, 0.0))
            if self.history_steps and self.history_steps[-1] == self.trainer.steps:
                self.history_regions[-1] = len(rs)
            else:
                self.history_steps.append(self.trainer.steps)
                self.history_regions.append(len(rs))
            self.count_curve.setData(self.history_steps, self.history_regions)
        self._draw_points()
        self._report()

    def restyle(self, scale: float, dark: bool, foreground: str) -> None:
        self._scale, self._dark = scale, dark
        muted = pg.mkColor(foreground)
        muted.setAlpha(90)
        self.edges.setPen(pg.mkPen(muted, width=0.8 * scale))
        self.boundary.setPen(pg.mkPen(foreground, width=3 * scale))
        self.count_curve.setPen(pg.mkPen("#0072B2", width=2 * scale))
        self.redraw()

    # -- internals --------------------------------------------------------------------------
    def _draw_points(self) -> None:
        brushes = [pg.mkBrush(CLASS_COLORS[int(c)]) for c in self.data.y]
        self.points.setData(self.data.X[:, 0], self.data.X[:, 1], brush=brushes, size=7 * self._scale,
                            pen=pg.mkPen("w", width=0.5))

    def _report(self) -> None:
        if self.rs is None:
            return
        acc = self.trainer.accuracy(self.data.X, self.data.y)
        cost = self.trainer.cost(self.data.X, self.data.y)
        self.status.setText(f"{self.trainer.steps} SGD steps · cost {cost:.4f} · accuracy {100 * acc:.1f}% · "
                            f"{len(self.rs)} regions in the box · {len(self.data)} points. "
                            "The thick line is the decision boundary (output margin = 0).")

    def _start_toggled(self, on: bool) -> None:
        if on:
            self.start_button.setText("Pause")
            self._timer.start()
        else:
            self.stop()

    def _clicked(self, event) -> None:
        if not self.plot.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.plot.getViewBox().mapSceneToView(event.scenePos())
        x, y = p.x(), p.y()
        if not (BOX[0] <= x <= BOX[1] and BOX[2] <= y <= BOX[3]):
            return
        label = self.add_class.currentIndex()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            label = 1 - label
        self.add_point(x, y, label)
