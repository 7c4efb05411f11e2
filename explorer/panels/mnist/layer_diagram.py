"""A small picture of the network's layers: a column of neurons per layer, its size written under it."""

from __future__ import annotations

from PyQt6.QtCore import QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QPainter, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

MAX_DRAWN = 7  # neurons drawn per layer; larger layers show a gap with a dots


class LayerDiagram(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizes: list[int] = [784, 30, 10]
        self._colors = ("#0072B2", "#009E73", "#D55E00")
        self._line = QColor("#9a9a9a")
        self._text = QColor("#000000")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(70)

    def set_sizes(self, sizes: list[int]) -> None:
        self._sizes = list(sizes)
        self.update()

    def sizes(self) -> list[int]:
        return list(self._sizes)

    def set_colors(self, text: str, line: str) -> None:
        self._text, self._line = QColor(text), QColor(line)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, 84)

    def _positions(self, rect: QRectF) -> list[list[QPointF]]:
        n_layers = len(self._sizes)
        out = []
        for li, size in enumerate(self._sizes):
            x = rect.left() + rect.width() * (li + 0.5) / n_layers
            shown = min(size, MAX_DRAWN)
            ys = [rect.top() + rect.height() * (k + 0.5) / shown for k in range(shown)]
            out.append([QPointF(x, y) for y in ys])
        return out

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        text_h = painter.fontMetrics().height()
        rect = QRectF(4, 4, self.width() - 8, self.height() - 8 - text_h)
        layers = self._positions(rect)
        radius = max(min(rect.height() / (2.6 * MAX_DRAWN), 8.0), 2.5)
        painter.setPen(QPen(self._line, 0.6))
        for a, b in zip(layers[:-1], layers[1:]):
            for p in a:
                for q in b:
                    painter.drawLine(p, q)
        for li, (points, size) in enumerate(zip(layers, self._sizes)):
            if li == 0:
                color = self._colors[0]
            elif li == len(layers) - 1:
                color = self._colors[2]
            else:
                color = self._colors[1]
            painter.setPen(QPen(QColor(color), 1.2))
            painter.setBrush(QColor(color))
            for k, p in enumerate(points):
                if size > MAX_DRAWN and k == len(points) // 2:
                    painter.setPen(QPen(self._text, 1))
                    painter.drawText(QRectF(p.x() - 10, p.y() - radius, 20, 2 * radius),
                                     Qt.AlignmentFlag.AlignCenter, "⋮")
                    painter.setPen(QPen(QColor(color), 1.2))
                    continue
                painter.drawEllipse(p, radius, radius)
            painter.setPen(QPen(self._text, 1))
            x = points[0].x()
            painter.drawText(QRectF(x - 40, rect.bottom() + 2, 80, text_h), Qt.AlignmentFlag.AlignCenter, str(size))
        painter.end()
