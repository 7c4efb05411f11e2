"""Expressiveness experiment: the same number of neurons as 1, 2, 3, 4 layers; regions against depth."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QTimer, pyqtSignal
from PyQt6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from explorer.core.region_bounds import depth_experiment_widths, iter_exact_plane_count, region_bounds
from explorer.core.regions import RegionLimitExceeded, ReluNetwork
from explorer.widgets.hints import hint

TOTALS = (12, 24, 36, 48)
MAX_DEPTH = 4
PLANE_MAX_REGIONS = 60_000


class DepthExperimentView(QWidget):
    """Runs one region enumeration per timer tick so the GUI stays responsive; ``stop()`` ends it."""

    finished = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results: dict[int, list[int]] = {}
        self._tasks: list[tuple[int, tuple[int, ...], int]] = []
        self._job = None
        self._scale = 1.0

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Neurons"))
        self.total = QComboBox()
        self.total.addItems([str(t) for t in TOTALS])
        self.total.setCurrentText("24")
        hint(self.total, "Total hidden neurons, split evenly: 24 = 1x24, 2x12, 3x8, 4x6.")
        controls.addWidget(self.total)
        self.seeds = QSpinBox()
        self.seeds.setRange(1, 20)
        self.seeds.setValue(5)
        self.seeds.setPrefix("seeds: ")
        hint(self.seeds, "Random networks per depth (He init, biases N(0, 0.1²)).")
        controls.addWidget(self.seeds)
        self.run = QPushButton("Run")
        hint(self.run, "Count the regions of every network in the whole plane; the plot fills in as it goes.")
        self.stop_button = QPushButton("Stop")
        hint(self.stop_button, "Stop the experiment; the networks counted so far stay on the plot.")
        self.stop_button.setEnabled(False)
        controls.addWidget(self.run)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        self.status = QLabel("Press Run.")
        self.status.setWordWrap(True)     # its own row: a long result must not widen the window

        self.plot = pg.PlotWidget()
        self.plot.setLogMode(x=False, y=True)
        self.plot.setLabel("bottom", "hidden layers × units (same total neurons)")
        self.plot.setLabel("left", "regions (log scale)")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.scatter = pg.PlotDataItem(name="one network (whole plane)", pen=None, symbol="o")
        self.mean_curve = pg.PlotDataItem(name="mean over seeds", symbol="o")
        self.serra = pg.PlotDataItem(name="upper bound (Serra '18)")
        self.montufar17 = pg.PlotDataItem(name="upper bound (Montúfar '17)")
        self.lower = pg.PlotDataItem(name="lower bound (Montúfar '14)")
        for item in (self.serra, self.montufar17, self.lower, self.scatter, self.mean_curve):
            self.plot.addItem(item)
        self.note = QLabel(
            "Random networks sit far below the upper bounds: the maximal counts need carefully built weights. "
            "The bounds grow with depth; what random networks actually reach grows much more slowly.")
        self.note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)

        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self.run.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.total.currentTextChanged.connect(lambda _t: self._draw_bounds())
        self.restyle(1.0, "#000000")

    def architectures(self) -> list[tuple[int, ...]]:
        total = int(self.total.currentText())
        return depth_experiment_widths(total, [d for d in range(1, MAX_DEPTH + 1) if total % d == 0])

    def start(self) -> None:
        self.stop()
        self.results = {len(w): [] for w in self.architectures()}
        self._tasks = [(len(w), w, seed) for w in self.architectures() for seed in range(self.seeds.value())]
        self._n_tasks = len(self._tasks)
        self._skipped = 0
        self._draw_bounds()
        self._draw_results()
        self.run.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._next_job()
        self._timer.start()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        was_running = self._timer.isActive()
        self._timer.stop()
        self._job = None
        self._tasks = []
        self.run.setEnabled(True)
        self.stop_button.setEnabled(False)
        if was_running:
            self.status.setText("Stopped. " + self.status.text())

    def _next_job(self) -> None:
        depth, widths, seed = self._tasks[0]
        net = ReluNetwork.random(widths, seed=seed, init="he", bias_scale=0.1, outputs=0)
        self._job = iter_exact_plane_count(net, max_regions=PLANE_MAX_REGIONS)

    def _tick(self) -> None:
        if self._job is None:
            self._timer.stop()
            return
        depth = self._tasks[0][0]
        try:
            charts, count = next(self._job)
        except RegionLimitExceeded:     # not plotted: a capped count would pose as a measurement
            charts, count = 5, None
        if charts < 5:
            return
        if count is None:
            self._skipped += 1
        else:
            self.results[depth].append(count)
        self._tasks.pop(0)
        finished = self._n_tasks - len(self._tasks)
        self.status.setText(f"{finished} of {self._n_tasks} networks counted.")
        self._draw_results()
        if self._tasks:
            self._next_job()
        else:
            self._timer.stop()
            self._job = None
            self.run.setEnabled(True)
            self.stop_button.setEnabled(False)
            means = ", ".join(f"{d} layer{'s' if d > 1 else ''}: {np.mean(c):.0f}" for d, c in self.results.items()
                              if c)
            skipped = (f" {self._skipped} network(s) past {PLANE_MAX_REGIONS:,} regions skipped."
                       if self._skipped else "")
            self.status.setText(f"Done. Mean regions - {means}.{skipped}")
            self.finished.emit()

    def _draw_bounds(self) -> None:
        archs = self.architectures()
        depths = [len(w) for w in archs]
        self.plot.getAxis("bottom").setTicks([[(len(w), f"{len(w)} × {w[0]}") for w in archs]])
        bounds = [region_bounds(w) for w in archs]
        self.serra.setData(depths, [float(b.serra_upper) for b in bounds])
        self.montufar17.setData(depths, [float(b.montufar2017_upper) for b in bounds])
        self.lower.setData(depths, [float(b.montufar2014_lower) for b in bounds])

    def _draw_results(self) -> None:
        xs, ys = [], []
        for d, counts in self.results.items():
            xs += [d + 0.04 * (k - len(counts) / 2) for k in range(len(counts))]
            ys += counts
        self.scatter.setData(xs, ys)
        done = [(d, np.mean(c)) for d, c in self.results.items() if c]
        self.mean_curve.setData([d for d, _ in done], [m for _, m in done])

    def restyle(self, scale: float, foreground: str) -> None:
        self._scale = scale
        self.plot.getAxis("left").setWidth(int(75 * scale))  # room for tick labels like 2·10⁵
        self.serra.setPen(pg.mkPen("#D55E00", width=5 * scale))  # under the dashed line when they coincide
        self.montufar17.setPen(pg.mkPen("#CC79A7", width=2 * scale, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.lower.setPen(pg.mkPen("#009E73", width=2 * scale))
        self.scatter.setSymbolBrush(pg.mkBrush(0, 114, 178, 140))
        self.scatter.setSymbolPen(pg.mkPen(None))
        self.scatter.setSymbolSize(8 * scale)
        self.mean_curve.setPen(pg.mkPen(foreground, width=2.5 * scale))
        self.mean_curve.setSymbolBrush(pg.mkBrush(foreground))
        self.mean_curve.setSymbolSize(9 * scale)
