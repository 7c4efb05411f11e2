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

from explorer.core.training_curves import smooth
from explorer.style import Style
from explorer.widgets.hints import hint

SMOOTH_WINDOW = 50  # mini-batches in the running mean


class LivePlots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cost_plot = pg.PlotWidget()
        item = self.cost_plot.getPlotItem()
        item.setTitle("Cost per mini-batch")
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "cost C")
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
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
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setYRange(0.0, 1.0, padding=0.02)
        legend = item.addLegend()
        legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-10, -10))  # lower right: curves are high
        self.subset = item.plot([], [], name="1,000 test digits")
        self.test = item.plot([], [], name="test set, per epoch", symbol="o", symbolSize=7)
        self.train = item.plot([], [], name="training set, per epoch", symbol="s", symbolSize=6)
        hint(self.acc_plot, "Fraction of digits classified right: on a fixed 1,000-digit test subset every "
                            "few hundred mini-batches, and on the whole test and training sets after each epoch.")

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.cost_plot, 3)
        row.addWidget(self.acc_plot, 2)

    def apply_style(self, style: Style) -> None:
        size = f"{style.base_point_size * style.scale * 0.85:.0f}pt"
        for plot in (self.cost_plot, self.acc_plot):
            legend = plot.getPlotItem().legend
            legend.setLabelTextSize(size)
            for _, label in legend.items:  # existing labels keep their size unless re-set
                label.setText(label.text, size=size, color=style.foreground)
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

    def update_from(self, snap) -> None:
        """Draw a training snapshot (see ``explorer.training.Snapshot``)."""
        n = snap.costs.size
        per = max(snap.batches_per_epoch, 1)
        if n:
            x = np.arange(1, n + 1, dtype=np.float64) / per
            costs = np.asarray(snap.costs)
            finite = np.isfinite(costs)
            self.raw.setData(x[finite], costs[finite])
            self.smoothed.setData(x[finite], smooth(costs[finite], SMOOTH_WINDOW))
        else:
            self.raw.setData([], [])
            self.smoothed.setData([], [])
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
