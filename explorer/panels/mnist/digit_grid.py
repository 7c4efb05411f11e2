"""A grid of test digits with the network's answers; wrong answers framed in red."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import pyqtSignal
from PyQt6.QtGui import QFont, QFontMetrics
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.image_grid import ImageGrid

ROWS, COLS = 4, 10


class DigitGridView(QWidget):
    digit_chosen = pyqtSignal(int)  # position in the grid (= index into the shown test digits)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = ImageGrid(ROWS, COLS, captions=True, frames=True)
        hint(self.grid, "Test digits the network has never trained on, with its answers (wrong ones framed "
                        "in red). Click a digit to see its ten output activations.")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.summary)
        self.grid.scene().sigMouseClicked.connect(self._clicked)
        self._good, self._bad, self._muted = "#007a3d", "#c0001a", "#8a8a8a"
        self._labels = np.zeros(0, dtype=int)
        self._predictions: np.ndarray | None = None
        self._font = QFont()
        self.compact = False  # tiles too narrow for "8≠2": wrong answers show "8" (the red frame says wrong)
        self.grid.view.sigResized.connect(self._fit_captions)

    @property
    def count(self) -> int:
        return ROWS * COLS

    def apply_style(self, style: Style) -> None:
        self._good, self._bad, self._muted = style.good, style.bad, style.muted
        self.grid.setBackground(style.background)
        self._font = style.font(0.9, bold=True)
        self.grid.set_caption_font(self._font)
        self.grid.set_caption_height(int(13 * style.scale))
        self._fit_captions(force=True)

    def _fit_captions(self, *_, force: bool = False) -> None:
        """Choose the caption form that fits a tile's width on screen, and redraw the captions if it changed."""
        pixel = self.grid.view.viewPixelSize()[0]  # image pixels per screen pixel (the view keeps the aspect)
        tile = 28 / pixel if pixel > 0 else 0.0
        compact = QFontMetrics(self._font).horizontalAdvance("8≠8") > 1.15 * tile
        if compact != self.compact or force:
            self.compact = compact
            predictions, self._predictions = self._predictions, None
            self.set_predictions(predictions)

    def set_digits(self, images: np.ndarray, labels: np.ndarray) -> None:
        self._labels = np.asarray(labels[: self.count], dtype=int)
        self.grid.set_images(images[: self.count])
        self.set_predictions(None)

    def set_predictions(self, predictions: np.ndarray | None) -> None:
        """``predictions`` aligned with the digits given to ``set_digits`` (None: no answers yet)."""
        n = self._labels.size
        if predictions is None:
            self._predictions = None
            self.grid.set_captions([str(d) for d in self._labels], [self._muted] * n)
            self.grid.set_marked([])
            self.summary.setText("Grey captions: the true labels. The network's answers appear once it trains.")
            return
        predictions = np.asarray(predictions[:n], dtype=int)
        if self._predictions is not None and np.array_equal(predictions, self._predictions):
            return  # nothing changed: no text items to update
        self._predictions = predictions
        wrong = predictions != self._labels
        texts = [f"{p}" if not w or self.compact else f"{p}≠{t}" for p, t, w in zip(predictions, self._labels, wrong)]
        self.grid.set_captions(texts, [self._bad if w else self._good for w in wrong])
        self.grid.set_marked(list(wrong), self._bad)
        how = "red frame: wrong" if self.compact else "≠ the true label"
        self.summary.setText(f"{int(wrong.sum())} of {n} shown wrong (caption: the network's answer; {how}).")

    def _clicked(self, event) -> None:
        index = self.grid.tile_at(event.scenePos())
        if index is not None and index < self._labels.size:
            self.digit_chosen.emit(index)
