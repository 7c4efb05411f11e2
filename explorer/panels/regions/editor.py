"""The network editor: architecture, initialisation, seed, presets, and a table of every weight."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from explorer.core.regions import ReluNetwork
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

MAX_LAYERS, MAX_WIDTH = 6, 64
# combo text -> (ReluNetwork.random init, whether the bias scale is used)
INITS = {
    "He normal": ("he", True),
    "PyTorch default (uniform)": ("pytorch", False),
    "PyTorch weights, normal biases": ("pytorch", True),
}
INIT_NOTES = {
    "He normal": "weights N(0, 2/fan_in), biases N(0, s²) with s = the bias scale",
    "PyTorch default (uniform)": "nn.Linear's default: weights and biases U(−1/√fan_in, 1/√fan_in); "
                                 "the bias scale is not used",
    "PyTorch weights, normal biases": "weights U(−1/√fan_in, 1/√fan_in), biases N(0, s²) with s = the bias scale",
}
PRESETS = ["custom", "slide: 3 lines, 7 regions", "slide: 3 hidden layers (3-3-3)", "2-16-16-16", "2-32-32-32"]
SLIDE_PRESET = 2


def three_lines_network() -> ReluNetwork:
    """The slide "3 hyperplanes partition the 2D space into 7 regions": lines x1 = -0.3, x2 = -0.3, x1 + x2 = 0.2."""
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.3, 0.3, -0.2])
    return ReluNetwork([W], [b], np.ones((1, 3)), np.zeros(1))


class NetworkEditor(QWidget):
    """Edits one ``ReluNetwork``; emits ``network_changed`` after every change (``.network``)."""

    network_changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network: ReluNetwork | None = None
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
        hint(self.preset, "Load a network: the slide's 3 lines (7 regions), its 3-hidden-layer example, or bigger ones.")
        form.addRow("Preset", self.preset)
        self.layers = QSpinBox()
        self.layers.setRange(1, MAX_LAYERS)
        hint(self.layers, "Number of hidden ReLU layers (1 to 6).")
        form.addRow("Hidden layers", self.layers)
        self.outputs = QSpinBox()
        self.outputs.setRange(1, 4)
        hint(self.outputs, "Linear output units after the last hidden layer; view (c) shades the one you choose.")
        form.addRow("Output units", self.outputs)
        layout.addLayout(form)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.width_boxes: list[QSpinBox] = []
        for i in range(MAX_LAYERS):
            box = QSpinBox()
            box.setRange(1, MAX_WIDTH)
            box.setPrefix(f"n{i + 1}: ")
            hint(box, f"Units in hidden layer {i + 1} (1 to 64).")
            grid.addWidget(box, i // 3, i % 3)
            self.width_boxes.append(box)
        layout.addLayout(grid)

        form2 = QFormLayout()
        self.init = QComboBox()
        self.init.addItems(list(INITS))
        hint(self.init, "How random weights are drawn; the number of regions depends on it (and on the bias scale).")
        form2.addRow("Init", self.init)
        self.init_note = QLabel()
        self.init_note.setWordWrap(True)
        form2.addRow("", self.init_note)
        self.bias_scale = ValueSlider("", 0.0, 2.0, 0.1, step=0.01, decimals=2)
        self.bias_scale.setToolTip("Bias scale s: how far the random lines are pushed away from the origin.")
        form2.addRow("Bias scale", self.bias_scale)
        seed_row = QHBoxLayout()
        self.seed = QSpinBox()
        self.seed.setRange(0, 99_999)
        hint(self.seed, "Random seed of the weights.")
        self.rerandomise = QPushButton("Re-randomise")
        hint(self.rerandomise, "Draw new random weights (next seed).")
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.rerandomise)
        form2.addRow("Seed", seed_row)
        layout.addLayout(form2)

        layout.addWidget(QLabel("Weights (double-click a cell to edit):"))
        self.table_layer = QComboBox()
        hint(self.table_layer, "Which layer's weights the table shows: rows are units, columns inputs and bias.")
        layout.addWidget(self.table_layer)
        self.table = QTableWidget()
        self.table.setMinimumHeight(120)
        hint(self.table, "Edit any weight or bias: type a number and press Enter.")
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.layers.valueChanged.connect(self._architecture_changed)
        self.outputs.valueChanged.connect(self._architecture_changed)
        for box in self.width_boxes:
            box.valueChanged.connect(self._architecture_changed)
        self.init.currentIndexChanged.connect(self._architecture_changed)
        self.bias_scale.value_changed.connect(self._architecture_changed)
        self.seed.valueChanged.connect(self._architecture_changed)
        self.rerandomise.clicked.connect(lambda: self.seed.setValue((self.seed.value() + 1) % 100_000))
        self.table_layer.currentIndexChanged.connect(self._fill_table)
        self.table.itemChanged.connect(self._cell_edited)

        self.preset.setCurrentIndex(SLIDE_PRESET)

    # -- public -----------------------------------------------------------------------------
    def widths(self) -> list[int]:
        return [b.value() for b in self.width_boxes[: self.layers.value()]]

    def init_name(self) -> str:
        return INITS[self.init.currentText()][0]

    def bias_scale_value(self) -> float | None:
        """The bias scale passed to ``ReluNetwork.random`` (None: the initialiser's own biases)."""
        return self.bias_scale.value() if INITS[self.init.currentText()][1] else None

    def set_network(self, net: ReluNetwork, widths_from_net: bool = True) -> None:
        """Show ``net`` (e.g. a preset or a trained network) and emit ``network_changed``."""
        self.network = net
        if widths_from_net:
            self._set_controls(widths=[w.shape[0] for w in net.weights])
            self._syncing = True
            self.outputs.setValue(max(1, net.n_outputs))
            self._syncing = False
        self._refresh_table_layers()
        self.network_changed.emit()

    def set_first_layer_line(self, unit: int, w, b: float) -> None:
        """Move unit ``unit`` of layer 1 to the line ``w . x + b = 0`` (the drag handles call this)."""
        weights = [W.copy() for W in self.network.weights]
        biases = [v.copy() for v in self.network.biases]
        weights[0][unit] = np.asarray(w, dtype=float)
        biases[0][unit] = float(b)
        self._replace(weights, biases)

    # -- internals --------------------------------------------------------------------------
    def _set_controls(self, widths=None, seed=None) -> None:
        self._syncing = True
        if widths is not None:
            self.layers.setValue(len(widths))
            for box, w in zip(self.width_boxes, widths):
                box.setValue(int(w))
        if seed is not None:
            self.seed.setValue(seed)
        n = self.layers.value()
        for i, box in enumerate(self.width_boxes):
            box.setVisible(i < n)
        self.init_note.setText(INIT_NOTES[self.init.currentText()])
        self.bias_scale.setEnabled(INITS[self.init.currentText()][1])
        self._syncing = False

    def _preset_chosen(self, index: int) -> None:
        name = PRESETS[index]
        if name == "custom":
            return
        if name.startswith("slide: 3 lines"):
            self.set_network(three_lines_network())
            return
        widths = {"slide: 3 hidden layers (3-3-3)": (3, 3, 3), "2-16-16-16": (16, 16, 16),
                  "2-32-32-32": (32, 32, 32)}[name]
        self._syncing = True
        self.init.setCurrentIndex(0)
        self.bias_scale.setValue(0.3 if widths == (3, 3, 3) else 0.1)
        self._syncing = False
        self._set_controls(widths=widths, seed=2)
        self._randomise()

    def _architecture_changed(self, *_args) -> None:
        if self._syncing:
            return
        self._set_controls()
        self._syncing = True
        self.preset.setCurrentIndex(0)
        self._syncing = False
        self._randomise()

    def _randomise(self) -> None:
        self.network = ReluNetwork.random(self.widths(), seed=self.seed.value(), init=self.init_name(),
                                          bias_scale=self.bias_scale_value(), outputs=self.outputs.value())
        self._refresh_table_layers()
        self.network_changed.emit()

    def _replace(self, weights, biases) -> None:
        net = self.network
        self.network = ReluNetwork(weights, biases, net.output_weights, net.output_bias)
        self._fill_table()
        self.network_changed.emit()

    def _refresh_table_layers(self) -> None:
        keep = self.table_layer.currentIndex()
        self.table_layer.blockSignals(True)
        self.table_layer.clear()
        for i, W in enumerate(self.network.weights):
            self.table_layer.addItem(f"Layer {i + 1}: {W.shape[0]} units × {W.shape[1]} inputs")
        if self.network.n_outputs:
            self.table_layer.addItem(f"Output: {self.network.n_outputs} unit(s)")
        self.table_layer.setCurrentIndex(min(max(keep, 0), self.table_layer.count() - 1))
        self.table_layer.blockSignals(False)
        self._fill_table()

    def _layer_arrays(self, index: int):
        net = self.network
        if index < len(net.weights):
            return net.weights[index], net.biases[index]
        return np.atleast_2d(net.output_weights), np.asarray(net.output_bias).reshape(-1)

    def _fill_table(self, *_args) -> None:
        if self.network is None:
            return
        index = max(self.table_layer.currentIndex(), 0)
        W, b = self._layer_arrays(index)
        self.table.blockSignals(True)
        self.table.setRowCount(W.shape[0])
        self.table.setColumnCount(W.shape[1] + 1)
        inputs = ["x1", "x2"] if index == 0 else [f"h{j + 1}" for j in range(W.shape[1])]
        self.table.setHorizontalHeaderLabels([f"w·{name}" for name in inputs] + ["bias"])
        self.table.setVerticalHeaderLabels([f"unit {i + 1}" for i in range(W.shape[0])])
        for i in range(W.shape[0]):
            for j in range(W.shape[1] + 1):
                value = W[i, j] if j < W.shape[1] else b[i]
                item = QTableWidgetItem(f"{value:.4g}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        text = item.text().strip().replace(",", ".")
        try:
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            self.message.setText(f"'{text}' is not a finite number; the weight was not changed.")
            self._fill_table()
            return
        self.message.setText("")
        index = max(self.table_layer.currentIndex(), 0)
        net = self.network
        weights = [W.copy() for W in net.weights]
        biases = [v.copy() for v in net.biases]
        out_w = None if net.output_weights is None else net.output_weights.copy()
        out_b = None if net.output_bias is None else net.output_bias.copy()
        if index < len(weights):
            W, b = weights[index], biases[index]
        else:
            W, b = out_w, out_b
        row, col = item.row(), item.column()
        if col < W.shape[1]:
            W[row, col] = value
        else:
            b[row] = value
        self.network = ReluNetwork(weights, biases, out_w, out_b)
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(0)
        self.preset.blockSignals(False)
        self.network_changed.emit()
