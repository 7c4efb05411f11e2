"""The first hidden layer's incoming weights, one 28x28 image per hidden neuron.

Each image shows what pixel pattern excites that neuron (red: positive weight, blue: negative),
scaled by its own largest |weight| so faint neurons are visible too.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.image_grid import ImageGrid

ROWS, COLS = 3, 10


class WeightsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = ImageGrid(ROWS, COLS, colormap="CET-D1A", levels=(-1.0, 1.0))
        hint(self.grid, "Incoming weights of the first hidden neurons as 28x28 images: red pixels excite the "
                        "neuron, blue ones inhibit it. They start as noise and grow strokes as it learns.")
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.caption)

    def apply_style(self, style: Style) -> None:
        self.grid.setBackground(style.background)

    def set_weights(self, w1: np.ndarray) -> None:
        """``w1``: the first layer's weight matrix, shape (hidden, 784)."""
        w1 = np.asarray(w1, dtype=np.float32)
        shown = w1[: ROWS * COLS]
        scale = np.maximum(np.abs(shown).max(axis=1, keepdims=True), 1e-12)
        self.grid.set_images(shown / scale, levels=(-1.0, 1.0))
        self.caption.setText(f"Incoming weights of {shown.shape[0]} of the {w1.shape[0]} neurons of the first "
                             "hidden layer (red +, blue −, each scaled to its own largest weight).")
