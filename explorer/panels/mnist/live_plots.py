"""The two growing curves: cost per mini-batch (raw and smoothed) and accuracy (subset and per epoch).

Both plots are built once; each frame only calls ``setData`` on existing curves. The raw cost
curve can hold hundreds of thousands of points, so it clips to the view and downsamples.
The x axis of both is in epochs (mini-batch k of an epoch of N is at k / N), so they line up.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QHBoxLayout, QWidget

from explorer.core.training_curves import envelope, smooth
from explorer.style import Style
from explorer.widgets.hints import hint

SMOOTH_WINDOW = 50  # mini-batches in the running mean
MAX_POINTS = 900  # points drawn of the raw cost curve, however many mini-batches


def _nice_above(x: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is >= x (at least 1)."""
    x = max(float(x), 1.0)
    magnitude = 10.0 ** np.floor(np.log10(x))
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * magnitude >= x - 1e-9:
            return step * magnitude
    return 10.0 * magnitude


class LivePlots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cost_plot = pg.PlotWidget()
        item = self.cost_plot.getPlotItem()
        item.setTitle("Cost per mini-batch")
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "cost C")
        item.addLegend(offset=(-10, 10))
        self.raw = item.plot([], [], name="each mini-batch")
        self.smoothed = item.plot([], [], name=f"mean of last {SMOOTH_WINDOW}")
        hint(self.cost_plot, "The cost of every mini-batch (noisy: each is only m images) and its running mean. "
                             "Right-click to export.")

        self.acc_plot = pg.PlotWidget()
        item = self.acc_plot.getPlotItem()
        item.setTitle("Accuracy")
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "fraction correct")
        item.setYRange(0.0, 1.0, padding=0.02)
        legend = item.addLegend()
        legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-10, -10))  # lower right: curves are high
        self.subset = item.plot([], [], name="test subset")
        self.test = item.plot([], [], name="test set", symbol="o", symbolSize=7)
        self.train = item.plot([], [], name="training set", symbol="s", symbolSize=6)
        hint(self.acc_plot, "Fraction of digits classified right: on a fixed 1,000-digit test subset every "
                            "few hundred mini-batches, and on the whole test and training sets after each epoch.")

        # Ranges are set by hand and change rarely (x: whole epochs; y: grows only when needed), so
        # the axes are not re-laid out and repainted on every frame (the costliest part of a frame).
        for plot in (self.cost_plot, self.acc_plot):
            plot.getPlotItem().enableAutoRange(x=False, y=False)
        self.acc_plot.setXLink(self.cost_plot)
        self._x_max = 0.0
        self._y_max = 0.0
        self._acc_key = None
        self._set_x(1.0)
        # (no grid: a grid makes the axes span the plot, so every curve update repaints their text)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.cost_plot, 3)
        row.addWidget(self.acc_plot, 2)
        self._row = row

    def apply_style(self, style: Style) -> None:
        self._row.setStretch(1, 3 if style.presentation else 2)  # room for the legend's bigger text
        size = f"{style.base_point_size * style.scale * 0.85:.0f}pt"
        for plot in (self.cost_plot, self.acc_plot):
            legend = plot.getPlotItem().legend
            legend.setLabelTextSize(size)
            for _, label in legend.items:  # existing labels keep their size unless re-set
                label.setText(label.text, size=size, color=style.foreground)
        for plot in (self.cost_plot, self.acc_plot):  # room at the right for the last epoch's tick label
            plot.getPlotItem().layout.setContentsMargins(2, 2, 10 * style.scale, 2)
            plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.raw.setPen(pg.mkPen(style.muted, width=max(1.0, style.scale * 0.8)))
        self.smoothed.setPen(style.pen(style.color(0), 2))
        self.subset.setPen(style.pen(style.color(2), 2))
        for curve, color, symbol in ((self.test, style.color(1), "o"), (self.train, style.color(3), "s")):
            curve.setPen(style.pen(color, 1.5, Qt.PenStyle.DashLine))
            curve.setSymbolBrush(color)
            curve.setSymbolPen(color)
            curve.setSymbolSize(7 * style.scale)

    def clear(self) -> None:
        for curve in (self.raw, self.smoothed, self.subset, self.test, self.train):
            curve.setData([], [])
        self._y_max = 0.0
        self._acc_key = None
        self._set_x(1.0)
        self.cost_plot.setYRange(0.0, 1.0, padding=0.02)

    def _set_x(self, x_max: float) -> None:
        if x_max != self._x_max:
            self._x_max = x_max
            self.cost_plot.setXRange(0.0, x_max, padding=0.02)

    def _grow(self, x_last: float, y_top: float) -> None:
        """Widen x in 1-2-5 steps (rarely: a range change repaints both plots' axes), raise y when
        the cost goes above the view."""
        if x_last > self._x_max or self._x_max == 0.0:
            self._set_x(_nice_above(x_last))
        if y_top > self._y_max or self._y_max == 0.0:
            self._y_max = max(y_top, 1e-6) * 1.05
            self.cost_plot.setYRange(0.0, self._y_max, padding=0.02)

    def update_from(self, snap) -> None:
        """Draw a training snapshot (see ``explorer.training.Snapshot``)."""
        self.update_cost(snap)
        self.update_accuracy(snap)

    def update_cost(self, snap) -> None:
        n = snap.costs.size
        per = max(snap.batches_per_epoch, 1)
        if n:
            costs = np.asarray(snap.costs)
            if not np.isfinite(costs).all():
                costs = np.where(np.isfinite(costs), costs, np.nan)
            # A few thousand points are drawn however long the run (min/max per bucket keeps the
            # spikes); pyqtgraph's own downsampling would redo this on the whole array each frame.
            x, y = envelope(costs, MAX_POINTS)
            self.raw.setData(x / per, y, connect="finite", skipFiniteCheck=True)
            xs, ys = envelope(smooth(np.nan_to_num(costs), SMOOTH_WINDOW), MAX_POINTS // 2)
            self.smoothed.setData(xs / per, ys, skipFiniteCheck=True)
            top = np.nanmax(y) if np.isfinite(y).any() else 1.0
            self._grow(n / per, float(top))
        else:
            self.raw.setData([], [])
            self.smoothed.setData([], [])

    def update_accuracy(self, snap) -> None:
        per = max(snap.batches_per_epoch, 1)
        # the accuracy curves change only every few hundred mini-batches: skip unchanged ones
        key = (len(snap.subset_points), len(snap.epoch_points), per)
        if key == self._acc_key:
            return
        self._acc_key = key
        if snap.subset_points:
            pts = np.asarray(snap.subset_points, dtype=np.float64)
            self.subset.setData(pts[:, 0] / per, pts[:, 1])
        else:
            self.subset.setData([], [])
        if snap.epoch_points:
            pts = np.asarray(snap.epoch_points, dtype=np.float64)
            self.test.setData(pts[:, 0], pts[:, 1])
            self.train.setData(pts[:, 0], pts[:, 2])
        else:
            self.test.setData([], [])
            self.train.setData([], [])
