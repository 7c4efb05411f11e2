"""The confusion matrix as a heat map: row = the true digit, column = the network's answer."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QVBoxLayout, QWidget

from explorer.core.training_curves import confusion_matrix
from explorer.style import Style
from explorer.widgets.hints import hint


class ConfusionView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setTitle("Confusion, 1,000 test digits")  # (the tab says "matrix"; fits 1280x800 presentation)
        item.setLabel("left", "true digit")
        item.setLabel("bottom", "network's answer")
        item.invertY(True)
        item.setAspectLocked(True)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        ticks = [[(i + 0.5, str(i)) for i in range(10)]]
        item.getAxis("left").setTicks(ticks)
        item.getAxis("bottom").setTicks(ticks)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("CET-L17"))
        item.addItem(self.image)
        item.setRange(xRange=(0, 10), yRange=(0, 10), padding=0.02)
        self.texts: list[list[pg.TextItem]] = []  # the counts, created when first shown
        self._font = None
        hint(self.plot, "How often each true digit (row) got each answer (column): the diagonal is right, "
                        "bright cells off the diagonal are the network's typical confusions.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self.matrix = np.zeros((10, 10), dtype=int)
        self._fg, self._bg = "#000000", "#ffffff"
        self.set_matrix(self.matrix)

    def apply_style(self, style: Style) -> None:
        self._fg = style.foreground
        self._font = style.font(0.8)
        for row in self.texts:
            for text in row:
                text.setFont(self._font)
        self.set_matrix(self.matrix)

    def _make_texts(self) -> None:
        item = self.plot.getPlotItem()
        for t in range(10):
            row = []
            for p in range(10):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.setPos(p + 0.5, t + 0.5)
                if self._font is not None:
                    text.setFont(self._font)
                item.addItem(text)
                row.append(text)
            self.texts.append(row)

    def set_counts(self, labels: np.ndarray, predictions: np.ndarray) -> None:
        self.set_matrix(confusion_matrix(labels, predictions, 10))

    def set_matrix(self, matrix: np.ndarray) -> None:
        self.matrix = np.asarray(matrix, dtype=int)
        # each row as fractions of that digit's count, so rare digits are as visible as common ones
        totals = np.maximum(self.matrix.sum(axis=1, keepdims=True), 1)
        self.image.setImage(self.matrix / totals, levels=(0.0, 1.0), autoLevels=False)
        if not self.texts:
            if not self.matrix.any():
                return
            self._make_texts()
        for t in range(10):
            for p in range(10):
                n = int(self.matrix[t, p])
                text = self.texts[t][p]
                text.setText(str(n) if n else "")
                # the colour map runs from pale (few) to dark (many): light text on dark cells
                text.setColor("#ffffff" if self.matrix[t, p] / totals[t, 0] > 0.5 else "#000000")
