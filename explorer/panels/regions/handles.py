"""Two drag handles on a first-layer unit's line ``w . x + b = 0``: dragging them moves the line."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QObject, pyqtSignal

from explorer.core.region_geometry import line_handles, line_through


class LineHandles(QObject):
    """Emits ``line_moved(w, b)`` when a handle moves; ``place`` puts them on a line (never mid-drag)."""

    line_moved = pyqtSignal(object, float)
    refused = pyqtSignal(str)

    def __init__(self, plot: pg.PlotWidget):
        super().__init__(plot)
        # dark blue ring on a white disc: visible on every pastel region colour (the default is yellow)
        self.items = [pg.TargetItem(size=16, movable=True, pen=pg.mkPen("#0072B2", width=2.5),
                                    brush=pg.mkBrush(255, 255, 255, 200), hoverPen=pg.mkPen("#D55E00", width=3),
                                    hoverBrush=pg.mkBrush(255, 255, 255, 230)) for _ in range(2)]
        self._w = np.array([1.0, 0.0])
        for item in self.items:
            item.setToolTip("Drag to move this layer-1 unit's line.")
            item.setZValue(20)
            plot.addItem(item)
            item.sigPositionChanged.connect(self._moved)
        self.set_visible(False)

    @property
    def dragging(self) -> bool:
        """True while the mouse drags a handle (then ``place`` leaves them under the mouse)."""
        return any(item.moving for item in self.items)

    def set_visible(self, visible: bool) -> None:
        for item in self.items:
            item.setVisible(visible)

    def place(self, w, b, box) -> None:
        """Put the handles at 1/4 and 3/4 of the line's chord through ``box`` (hidden if it misses)."""
        self._w = np.asarray(w, dtype=float).copy()
        if self.dragging:
            return
        points = line_handles(w, b, box)
        self.set_visible(points is not None)
        if points is None:
            return
        for item, p in zip(self.items, points):
            item.blockSignals(True)
            item.setPos(float(p[0]), float(p[1]))
            item.blockSignals(False)

    def positions(self) -> tuple[np.ndarray, np.ndarray]:
        p, q = (np.array([item.pos().x(), item.pos().y()]) for item in self.items)
        return p, q

    def _moved(self, *_args) -> None:
        try:
            w, b = line_through(*self.positions(), self._w)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return
        self._w = w
        self.line_moved.emit(w, b)
