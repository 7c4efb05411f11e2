"""The MNIST panel's left column: data source, network settings, training buttons, files."""

from __future__ import annotations

import re

from PyQt6.QtCore import QEvent, Qt, pyqtSignal
from PyQt6.QtGui import QPainter, QPalette
from PyQt6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QGroupBox, QLabel,
                             QLineEdit, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QToolButton,
                             QVBoxLayout, QWidget)

from explorer.panels.mnist.layer_diagram import LayerDiagram
from explorer.widgets.hints import hint
from explorer.widgets.image_grid import ImageGrid
from explorer.widgets.value_slider import ValueSlider

MAX_WEIGHTS = 5_000_000  # more than this is refused (memory, and far too slow to train live)
MAX_LAYER = 100_000
# weights x m: the work of one mini-batch. The worker can stop only between mini-batches, so one
# must stay short for closing the window to be prompt (2e9 is about 0.1 s on a recent core).
MAX_BATCH_WORK = 2_000_000_000
ACTIVATIONS = ("sigmoid", "relu", "tanh")
COSTS = (("quadratic", "quadratic (MSE)"), ("cross-entropy", "cross-entropy"))


def parse_hidden_sizes(text: str, n_in: int = 784, n_out: int = 10) -> list[int]:
    """The hidden layer sizes typed as "30" or "100, 30" (commas or spaces); ValueError says why not.

    An empty text means no hidden layer (784-10). Sizes must be whole numbers >= 1, and the whole
    network may hold at most MAX_WEIGHTS weights.
    """
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    sizes = []
    for part in parts:
        if not re.fullmatch(r"\d+", part):
            raise ValueError(f"'{part}' is not a whole number: type hidden layer sizes like 30 or 100, 30")
        size = int(part)
        if size < 1:
            raise ValueError("every hidden layer needs at least 1 neuron")
        if size > MAX_LAYER:
            raise ValueError(f"a layer of {size:,} neurons is far too large (at most {MAX_LAYER:,})")
        sizes.append(size)
    layers = [n_in, *sizes, n_out]
    weights = sum(a * b for a, b in zip(layers[:-1], layers[1:]))
    if weights > MAX_WEIGHTS:
        raise ValueError(f"{'-'.join(map(str, layers))} has {weights:,} weights; at most {MAX_WEIGHTS:,} "
                         "can be trained live here")
    return sizes


def batch_work_refusal(sizes: list[int], batch_size: int) -> str:
    """A sentence refusing a mini-batch too heavy to train live, or "" when it is fine."""
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    if weights * batch_size <= MAX_BATCH_WORK:
        return ""
    largest = max(1, MAX_BATCH_WORK // weights)
    return (f"{'-'.join(map(str, sizes))} with m = {batch_size:,} is too heavy to train live (seconds per "
            f"mini-batch, and Pause or Stop would wait for each): use m ≤ {largest:,} or a smaller network.")


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setVisible(False)
    label.setObjectName("error")
    return label


class DataControls(QGroupBox):
    source_chosen = pyqtSignal(str)  # "sample", "full" or "folder"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("MNIST data", parent)
        self.source = QComboBox()
        self.source.addItem("Bundled sample", "sample")
        self.source.addItem("Full MNIST (download)…", "full")
        self.source.addItem("Folder of IDX files…", "folder")
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(8)
        hint(self.source, "Which digits to train and test on: the bundled sample works offline; "
                          "full MNIST is downloaded once (about 11 MB) and cached.")
        self.source.activated.connect(lambda i: self.source_chosen.emit(self.source.itemData(i)))
        self.counts = QLabel("")
        self.counts.setWordWrap(True)
        self.error = _error_label()
        self.strip = ImageGrid(1, 10, captions=True)
        self.strip.setFixedHeight(62)
        hint(self.strip, "The first training digit of each class, with its label: what the network learns from.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.strip)
        layout.addWidget(self.counts)
        layout.addWidget(self.error)

    def select(self, key: str) -> None:
        self.source.setCurrentIndex(max(self.source.findData(key), 0))

    def set_full_downloaded(self, downloaded: bool) -> None:
        """Once the full set is in the cache, its item no longer promises a download."""
        self.source.setItemText(self.source.findData("full"),
                                "Full MNIST (60,000 + 10,000)" if downloaded else "Full MNIST (download)…")


class NetworkControls(QGroupBox):
    changed = pyqtSignal()  # architecture, activation, cost, seed or m changed (needs a Reset)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Network and SGD", parent)
        self.hidden = QLineEdit("30")
        hint(self.hidden, "Hidden layer sizes, e.g. 30 (the lecture's 784-30-10) or 100, 30 for two hidden layers.")
        self.hidden_error = _error_label()
        self.activation = QComboBox()
        self.activation.addItems(ACTIVATIONS)
        hint(self.activation, "The neurons' activation function (the lecture uses sigmoid).")
        self.cost = QComboBox()
        for key, text in COSTS:
            self.cost.addItem(text, key)
        for combo in (self.activation, self.cost):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        hint(self.cost, "Cost C = 1/2n sum ||y(x) - a||^2 (quadratic), or cross-entropy with softmax outputs.")
        self.eta = ValueSlider("η", 0.001, 10.0, 3.0, step=0.01, decimals=3, fine_near_zero=True,
                               hard_limits=(1e-6, 1e6))
        hint(self.eta, "Learning rate eta: the step size of gradient descent. Can be changed while training; "
                       "it applies from the next mini-batch.")
        self.batch = QSpinBox()
        self.batch.setRange(1, 10_000)
        self.batch.setValue(10)
        hint(self.batch, "Mini-batch size m: how many training images each SGD step averages its gradient over.")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(10)
        hint(self.epochs, "Epochs: how many passes over the whole training set.")
        self.seed = QSpinBox()
        self.seed.setRange(0, 99_999)
        self.seed.setValue(0)
        hint(self.seed, "Random seed of the initial weights and of the shuffling: the same seed, the same run.")
        self.diagram = LayerDiagram()
        hint(self.diagram, "The layers: 784 input pixels, the hidden neurons, 10 outputs (one per digit).")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Hidden", self.hidden)
        form.addRow(self.hidden_error)
        form.addRow("Activation", self.activation)
        form.addRow("Cost", self.cost)
        form.addRow("Mini-batch m", self.batch)
        form.addRow("Epochs", self.epochs)
        form.addRow("Seed", self.seed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        # (self.eta is placed by the panel above the training buttons: it is the one setting changed live)
        layout.addWidget(self.diagram)
        self.hidden.textEdited.connect(self._check_hidden)
        self.hidden.editingFinished.connect(self.changed)
        for combo in (self.activation, self.cost):
            combo.currentIndexChanged.connect(self.changed)
        for spin in (self.batch, self.seed):
            spin.valueChanged.connect(self.changed)

    def _check_hidden(self) -> None:
        try:
            sizes = parse_hidden_sizes(self.hidden.text())
        except ValueError as exc:
            self.hidden_error.setText(str(exc))
            self.hidden_error.setVisible(True)
            self.hidden.setProperty("invalid", True)
            self.hidden.setStyleSheet("border: 2px solid #c0001a;")
            return
        self.hidden_error.setVisible(False)
        self.hidden.setStyleSheet("")
        self.diagram.set_sizes([784, *sizes, 10])

    def hidden_sizes(self) -> list[int]:
        """The parsed hidden sizes; ValueError (shown beside the field) when they are refused."""
        self._check_hidden()
        return parse_hidden_sizes(self.hidden.text())

    def set_architecture(self, sizes: list[int], activation: str, cost: str) -> None:
        """Show a loaded model's settings (signals blocked: no Reset)."""
        for w in (self.hidden, self.activation, self.cost):
            w.blockSignals(True)
        self.hidden.setText(", ".join(str(s) for s in sizes[1:-1]))
        self.activation.setCurrentText(activation)
        self.cost.setCurrentIndex(max(self.cost.findData(cost), 0))
        for w in (self.hidden, self.activation, self.cost):
            w.blockSignals(False)
        self._check_hidden()


class StatusLine(QWidget):
    """A few lines of text that change many times a second without re-laying out the panel.

    (A word-wrapped QLabel asks its whole column to lay out again on every setText.)
    """

    def __init__(self, text: str = "", lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit()

    def _fit(self) -> None:
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self._lines + 4)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FontChange:
            self._fit()
        super().changeEvent(event)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - like QLabel
        if text != self._text:
            self._text = text
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.rect().adjusted(2, 2, -2, -2),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap),
                         self._text)
        painter.end()


class TrainingControls(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.start = QPushButton("Start")
        hint(self.start, "Train the network by stochastic gradient descent (Space starts / pauses).")
        self.pause = QPushButton("Pause")
        hint(self.pause, "Pause after the current mini-batch; press again to resume (Space).")
        self.stop = QPushButton("Stop")
        hint(self.stop, "Stop training; Start continues from the current weights.")
        self.step = QPushButton("Step")
        hint(self.step, "Train exactly one mini-batch, then pause.")
        self.reset = QPushButton("Reset")
        hint(self.reset, "Back to the same initial weights (same seed), clearing the curves.")
        grid = QGridLayout()
        grid.addWidget(self.start, 0, 0)
        grid.addWidget(self.pause, 0, 1)
        grid.addWidget(self.stop, 0, 2)
        grid.addWidget(self.step, 1, 0)
        grid.addWidget(self.reset, 1, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("epoch %v")
        hint(self.progress, "Progress through the current epoch.")
        self.status = StatusLine("Ready.", lines=4)
        self.message = _error_label()
        self.style_ = None  # the panel's Style (set by its apply_style): message colours
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.message)

    def add_live_control(self, widget: QWidget) -> None:
        """Put a setting that may change during a run (eta) above the buttons."""
        self._layout.insertWidget(0, widget)

    def show_message(self, text: str, error: bool = True) -> None:
        """Show ``text`` under the buttons: in the style's "bad" colour when ``error``, else the plain one."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("error", error)
        if self.style_ is not None:
            self.message.setStyleSheet(f"color: {self.style_.bad if error else self.style_.foreground};")


class FileControls(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Model and curves", parent)
        self.save = QPushButton("Save…")
        hint(self.save, "Save the model: weights and biases with the architecture (.npz).")
        self.load = QPushButton("Load…")
        hint(self.load, "Load a model saved before (.npz); its architecture replaces the one above.")
        self.csv = QPushButton("CSV…")
        hint(self.csv, "Export the cost per mini-batch and the accuracies as a CSV file.")
        self.plot = QToolButton()
        self.plot.setText("Plot…")
        self.plot.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        hint(self.plot, "Export one of the plots as a PNG or SVG image.")
        self.plot.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        for column, button in enumerate((self.save, self.load, self.csv, self.plot)):
            grid.addWidget(button, 0, column)
        self.message = _error_label()
        grid.addWidget(self.message, 1, 0, 1, 4)

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("error", error)
