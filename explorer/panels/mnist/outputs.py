"""Ten output activations as bars: for a chosen test digit (against the slide's one-hot target)
and for a digit the user draws (updating as they draw, during training too)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.core.training_curves import one_hot
from explorer.style import Style
from explorer.widgets.digit_canvas import DigitCanvas
from explorer.widgets.hints import hint

DIGITS = np.arange(10)


class OutputBars(pg.PlotWidget):
    """Bars of the ten output activations a_0..a_9, optionally with the one-hot target outlined."""

    def __init__(self, title: str, with_target: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setTitle(title)
        item.setYRange(0.0, 1.05, padding=0)
        item.setXRange(-0.6, 9.6, padding=0)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.getAxis("bottom").setTicks([[(i, str(i)) for i in range(10)]])
        item.getAxis("left").setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")]])
        self.target = pg.BarGraphItem(x=DIGITS, height=np.zeros(10), width=0.8, brush=None)
        self.bars = pg.BarGraphItem(x=DIGITS, height=np.zeros(10), width=0.5)
        if with_target:
            item.addItem(self.target)
        item.addItem(self.bars)
        self._activations = np.zeros(10)
        self._colors = ("#0072B2", "#D55E00", "#8a8a8a")

    def apply_style(self, style: Style) -> None:
        self._colors = (style.color(0), style.color(1), style.muted)
        self.target.setOpts(pen=style.pen(style.foreground, 1.2, Qt.PenStyle.DashLine), brush=None)
        self.set_activations(self._activations)

    def set_activations(self, activations: np.ndarray | None, target: int | None = None) -> None:
        a = np.zeros(10) if activations is None else np.asarray(activations, dtype=float).ravel()[:10]
        self._activations = a
        best = int(np.argmax(a)) if activations is not None and a.any() else -1
        brushes = [self._colors[1] if i == best else self._colors[0] for i in range(10)]
        self.bars.setOpts(height=np.clip(a, 0.0, 1.05), brushes=brushes, pens=brushes)
        if target is not None:
            self.target.setOpts(height=one_hot(target))


def _vector(values: np.ndarray, decimals: int) -> str:
    return "[" + " ".join(f"{v:.{decimals}f}" if decimals else f"{int(v)}" for v in values) + "]"


def _digit_image(widget: pg.GraphicsLayoutWidget, padding: float) -> pg.ImageItem:
    """A 28x28 picture, upright and square, in ``widget``; the returned item takes the pixels."""
    view = widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    image = pg.ImageItem(axisOrder="row-major")
    view.addItem(image)
    view.setRange(xRange=(0, 28), yRange=(0, 28), padding=padding)
    return image


class DigitOutputsView(QWidget):
    """One test digit, the network's ten outputs a, and the desired output y(x) from the slide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setFixedWidth(130)
        self.image = _digit_image(self.picture, padding=0.02)
        self.bars = OutputBars("Outputs a vs. target y(x)", with_target=True)
        hint(self.bars, "Filled bars: the network's ten outputs for this digit; dashed outlines: the desired "
                        "output y(x), 1 for the true digit and 0 elsewhere. The cost measures the gap.")
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.picture)
        top.addWidget(self.bars, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top, 1)
        layout.addWidget(self.text)

    def apply_style(self, style: Style) -> None:
        self.picture.setBackground(style.background)
        self.bars.apply_style(style)

    def set_digit(self, image: np.ndarray, label: int, activations: np.ndarray | None) -> None:
        self.image.setImage(np.asarray(image, dtype=np.float32).reshape(28, 28), levels=(0, 1), autoLevels=False)
        self.bars.set_activations(activations, target=label)
        target = _vector(one_hot(label), 0)
        if activations is None:
            self.text.setText(f"Digit {label}: desired output y(x) = {target}")
        else:
            answer = int(np.argmax(activations))
            self.text.setText(f"Digit {label}: y(x) = {target}\nnetwork a = {_vector(activations, 2)} "
                              f"→ answer {answer}" + ("" if answer == label else "  (wrong)"))


class DrawView(QWidget):
    """Draw a digit; the network's ten outputs update as you draw."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = DigitCanvas()
        hint(self.canvas, "Draw a digit with the mouse (right-click clears). It is scaled to a 20x20 box and "
                          "centred by its centre of mass in 28x28, as MNIST digits were.")
        self.clear = QPushButton("Clear")
        hint(self.clear, "Wipe the drawing.")
        self.preview = pg.GraphicsLayoutWidget()
        self.preview.setFixedSize(64, 64)
        hint(self.preview, "What the network sees: your drawing as 28x28 MNIST-style input.")
        self.preview_image = _digit_image(self.preview, padding=0)
        self.bars = OutputBars("Outputs a", with_target=False)
        hint(self.bars, "The network's ten output activations for your drawing; the highest (orange) is its "
                        "answer. They follow as you draw, during training too.")
        # The heading doubles as the answer ("Draw a digit" / "The network says: 2"), and Clear and
        # the 28x28 preview sit beside the canvas: the view fits 1280x800 in presentation mode.
        self.answer = QLabel("Draw a digit")
        beside = QVBoxLayout()
        beside.addWidget(self.clear)
        beside.addWidget(self.preview)
        beside.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.canvas, 1)
        row.addLayout(beside)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.bars.setMinimumHeight(150)
        layout.addWidget(self.answer)
        layout.addLayout(row, 1)
        layout.addWidget(self.bars, 1)
        self.clear.clicked.connect(self.canvas.clear)

    def apply_style(self, style: Style) -> None:
        self.preview.setBackground(style.background)
        self.canvas.set_frame_color(style.muted)
        self.bars.apply_style(style)

    def show_result(self, inputs: np.ndarray | None, activations: np.ndarray | None) -> None:
        if inputs is None:
            self.preview_image.setImage(np.zeros((28, 28), dtype=np.float32), levels=(0, 1), autoLevels=False)
        else:
            self.preview_image.setImage(inputs.reshape(28, 28), levels=(0, 1), autoLevels=False)
        self.bars.set_activations(activations)
        if activations is None:
            self.answer.setText("Draw a digit")
        else:
            self.answer.setText(f"The network says: {int(np.argmax(activations))}")
