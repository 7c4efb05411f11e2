"""A square canvas to draw a digit on with the mouse, with a soft round brush.

The ink lives in a NumPy array (``ink()``, values in [0, 1], white on black like MNIST) that
``explorer.core.digit_preprocess.preprocess_digit`` turns into the network's 784 inputs.
The canvas emits ``drawn`` while the user draws (at most every ``min_interval_ms``, plus once
when the stroke ends) and ``cleared`` after ``clear()``.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

RESOLUTION = 140  # ink array is RESOLUTION x RESOLUTION


def _brush(radius: float) -> np.ndarray:
    """A soft round stamp: full ink in the middle, fading out over the rim (anti-aliased)."""
    r = int(np.ceil(radius * 1.6))
    yy, xx = np.mgrid[-r: r + 1, -r: r + 1]
    d = np.sqrt(xx * xx + yy * yy) / radius
    return np.clip(1.6 - d, 0.0, 1.0) ** 1.5  # flat core, soft edge


class DigitCanvas(QWidget):
    drawn = pyqtSignal()
    cleared = pyqtSignal()

    def __init__(self, parent: QWidget | None = None, resolution: int = RESOLUTION,
                 brush_radius: float | None = None, min_interval_ms: float = 40.0) -> None:
        super().__init__(parent)
        self._n = int(resolution)
        self._ink = np.zeros((self._n, self._n), dtype=np.float32)
        self._stamp = _brush(brush_radius if brush_radius is not None else self._n / 22.0)
        self._last: tuple[float, float] | None = None
        self._min_interval = min_interval_ms / 1000.0
        self._last_emit = 0.0
        self._image: QImage | None = None
        self._dirty = True
        self._frame = QColor("#888888")
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # --- public ------------------------------------------------------------------------------
    def ink(self) -> np.ndarray:
        """A copy of the ink, shape (resolution, resolution), values in [0, 1]."""
        return self._ink.copy()

    def is_blank(self) -> bool:
        return not self._ink.any()

    def clear(self) -> None:
        self._ink[:] = 0.0
        self._dirty = True
        self.update()
        self.cleared.emit()

    def set_frame_color(self, color: str) -> None:
        self._frame = QColor(color)
        self.update()

    def stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a polyline given in canvas-array coordinates (column x, row y): for scripts and tests."""
        self._last = None
        for x, y in points:
            self._ink_to(x, y)
        self._last = None
        self._dirty = True
        self.update()
        self.drawn.emit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(200, 200)

    # (No heightForWidth: a square canvas as wide as a 1920-pixel screen's side column would
    # crowd out what sits below it; the drawing area is the largest square inside the widget.)

    # --- drawing -----------------------------------------------------------------------------
    def _square(self) -> QRectF:
        side = min(self.width(), self.height()) - 2
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_array(self, pos: QPointF) -> tuple[float, float]:
        sq = self._square()
        return ((pos.x() - sq.left()) / sq.width() * self._n, (pos.y() - sq.top()) / sq.height() * self._n)

    def _dab(self, x: float, y: float) -> None:
        s = self._stamp
        r = s.shape[0] // 2
        cx, cy = int(round(x)), int(round(y))
        top, left = cy - r, cx - r
        y0, x0 = max(top, 0), max(left, 0)
        y1, x1 = min(top + s.shape[0], self._n), min(left + s.shape[1], self._n)
        if y0 >= y1 or x0 >= x1:
            return
        patch = s[y0 - top: y1 - top, x0 - left: x1 - left]
        region = self._ink[y0:y1, x0:x1]
        np.maximum(region, patch, out=region)

    def _ink_to(self, x: float, y: float) -> None:
        if self._last is None:
            self._dab(x, y)
        else:
            lx, ly = self._last
            dist = float(np.hypot(x - lx, y - ly))
            steps = max(int(dist / max(self._stamp.shape[0] / 8.0, 0.5)), 1)
            for t in np.linspace(0.0, 1.0, steps + 1)[1:]:
                self._dab(lx + (x - lx) * t, ly + (y - ly) * t)
        self._last = (x, y)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._ink_to(*self._to_array(event.position()))
            self._changed()
        elif event.button() == Qt.MouseButton.RightButton:
            self.clear()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._ink_to(*self._to_array(event.position()))
            self._changed()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._changed(force=True)

    def _changed(self, force: bool = False) -> None:
        self._dirty = True
        self.update()
        now = time.perf_counter()
        if force or now - self._last_emit >= self._min_interval:
            self._last_emit = now
            self.drawn.emit()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        if self._dirty or self._image is None:
            grey = np.ascontiguousarray((self._ink * 255).astype(np.uint8))
            self._image = QImage(grey.data, self._n, self._n, self._n, QImage.Format.Format_Grayscale8).copy()
            self._dirty = False
        sq = self._square()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(sq, self._image)
        painter.setPen(QPen(self._frame, 1))
        painter.drawRect(sq)
        if self.is_blank():
            painter.setPen(QColor("#9a9a9a"))
            painter.drawText(sq.adjusted(6, 6, -6, -6),
                             int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), "draw a digit here")
        painter.end()
