"""NAND is universal: circuits made only of the slide's NAND perceptron (w = −2, −2; b = 3),
drawn as a small network, with the truth table computed by evaluating every gate's perceptron
and each gate's output shown for a chosen input row."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from explorer.core.nand import CIRCUITS, NAND, NandCircuit
from explorer.core.perceptron import truth_table_inputs
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.truth_table import TruthTable

SPLIT = 0.05  # NAND(x, x) reads x twice: its two wires are drawn side by side


def layout_nodes(circuit: NandCircuit) -> dict[str, tuple[float, float]]:
    """Drawing positions: x = layer (inputs 0), y spread evenly within the layer."""
    depth = circuit.depth()
    layers: dict[int, list[str]] = {}
    for name in list(circuit.inputs) + [g.name for g in circuit.gates]:
        layers.setdefault(depth[name], []).append(name)
    pos = {}
    for x, names in layers.items():
        k = len(names)
        for i, name in enumerate(names):
            pos[name] = (float(x), (k - 1) / 2 - i)
    return pos


class NandView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_ = Style()
        self.circuit = CIRCUITS["XOR"]
        self.row = 0

        self.circuit_combo = QComboBox()
        self.circuit_combo.addItems(list(CIRCUITS))
        self.circuit_combo.setCurrentText(self.circuit.name)
        hint(self.circuit_combo, "Which circuit of NAND perceptrons to show.")
        self.row_combo = QComboBox()
        hint(self.row_combo, "The input row whose signals the network shows (or click a row in the table).")
        form = QFormLayout()
        form.addRow("circuit", self.circuit_combo)
        form.addRow("input row", self.row_combo)
        for field in (self.circuit_combo, self.row_combo):
            hint(form.labelForField(field), field.toolTip())
        self.caption = QLabel(
            f"Every gate is the slide's NAND perceptron: w = ({', '.join(f'{int(v)}'.replace('-', '−') for v in NAND.weights)}), "
            f"b = {int(NAND.bias)}, so it outputs 1 unless both inputs are 1 (−2 − 2 + 3 = −1 ≤ 0)."
        )
        self.caption.setWordWrap(True)
        hint(self.caption, "Slide 'NAND gate using a perceptron': NAND is universal, so circuits of it compute anything.")
        self.values_label = QLabel()
        self.values_label.setWordWrap(True)
        hint(self.values_label, "Every signal's value for the chosen input row.")

        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        for name in ("left", "bottom"):
            self.plot.getPlotItem().hideAxis(name)
        hint(self.plot, "The circuit: squares are inputs, circles NAND perceptrons; filled means the signal is 1; "
                        "thick wires carry a 1.")
        item = self.plot.getPlotItem()
        self.idle_wires = pg.PlotDataItem(connect="pairs")
        self.live_wires = pg.PlotDataItem(connect="pairs")
        self.nodes = pg.ScatterPlotItem(size=34)
        self.nodes.setZValue(5)
        for it in (self.idle_wires, self.live_wires, self.nodes):
            item.addItem(it)
        self.node_labels: list[pg.TextItem] = []  # names, under the nodes
        self.value_labels: list[pg.TextItem] = []  # 0 / 1, inside the nodes

        self.table = TruthTable()
        hint(self.table, "The circuit's truth table, computed by evaluating each NAND perceptron; every gate's "
                         "output has a column, the circuit's outputs are in bold. Click a row to show it.")

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.caption)
        left.addWidget(self.values_label)
        left.addStretch(1)
        self.left_widget = QWidget()
        self.left_widget.setLayout(left)
        self.left_widget.setMaximumWidth(330)
        # network and table side by side; stacked in presentation mode
        self.views = QSplitter(Qt.Orientation.Horizontal)
        self.views.addWidget(self.plot)
        self.views.addWidget(self.table)
        self.views.setStretchFactor(0, 1)
        self.views.setStretchFactor(1, 0)
        self.views.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.left_widget)
        layout.addWidget(self.views, 1)

        self.circuit_combo.currentTextChanged.connect(self.set_circuit)
        self.row_combo.currentIndexChanged.connect(self.set_row)
        self.table.cellClicked.connect(lambda r, _c: self.row_combo.setCurrentIndex(r))
        self.set_circuit(self.circuit.name)

    # -- choosing -----------------------------------------------------------------------
    def set_circuit(self, name: str) -> None:
        self.circuit = CIRCUITS[name]
        c = self.circuit
        x = truth_table_inputs(c.n_inputs)
        self.row_combo.blockSignals(True)
        self.row_combo.clear()
        self.row_combo.addItems([", ".join(f"{n} = {v}" for n, v in zip(c.inputs, r)) for r in x])
        self.row = min(self.row, len(x) - 1)
        self.row_combo.setCurrentIndex(self.row)
        self.row_combo.blockSignals(False)
        gates = [g.name for g in c.gates]
        self.table.setRowCount(0)
        self.table.set_columns(list(c.inputs) + gates)
        values = [c.evaluate(r) for r in x]  # every gate's perceptron, row by row
        self.table.set_rows([[str(v[name]) for name in list(c.inputs) + gates] for v in values])
        bold = self.style_.font(1.0, bold=True)
        for col, name in enumerate(list(c.inputs) + gates):
            if name in c.outputs:
                for r in range(len(x)):
                    self.table.item(r, col).setFont(bold)
        self._build_labels()
        self._fit_table()
        self.set_row(self.row)

    def set_row(self, row: int) -> None:
        if row < 0:
            return
        self.row = row
        self.table.selectRow(row)
        self.redraw()

    def _fit_table(self) -> None:
        """The table gets the room its cells need, the network the rest."""
        t = self.table
        t.resizeColumnsToContents()
        t.resizeRowsToContents()
        horizontal = self.views.orientation() == Qt.Orientation.Horizontal
        total = sum(self.views.sizes()) or 800
        if horizontal:
            need = t.horizontalHeader().length() + 2 * t.frameWidth() + t.verticalScrollBar().sizeHint().width() + 6
        else:
            need = min(t.verticalHeader().length() + t.horizontalHeader().height() + 2 * t.frameWidth()
                       + t.horizontalScrollBar().sizeHint().height() + 8,
                       max(150, total // 2))
        self.views.setSizes([max(200, total - need), need])

    # -- drawing ------------------------------------------------------------------------
    def _build_labels(self) -> None:
        item = self.plot.getPlotItem()
        for label in self.node_labels + self.value_labels:
            item.removeItem(label)
        names = list(self.circuit.inputs) + [g.name for g in self.circuit.gates]
        self.node_labels = [pg.TextItem(anchor=(0.5, -0.9)) for _ in names]
        self.value_labels = [pg.TextItem(anchor=(0.5, 0.5)) for _ in names]
        for label in self.node_labels:
            label.setFont(self.style_.font(1.0))
            item.addItem(label)
        for label in self.value_labels:
            label.setFont(self.style_.font(1.0, bold=True))
            label.setZValue(10)
            item.addItem(label)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.nodes.setSize(34 * style.scale)
        presenting = style.presentation
        self.left_widget.setMaximumWidth(380 if presenting else 330)
        self.views.setOrientation(Qt.Orientation.Vertical if presenting else Qt.Orientation.Horizontal)
        self.set_circuit(self.circuit.name)  # rebuilds the labels in the new fonts
        self._fit_table()

    def redraw(self) -> None:
        c, style = self.circuit, self.style_
        values = c.evaluate(truth_table_inputs(c.n_inputs)[self.row])
        pos = layout_nodes(c)
        names = list(c.inputs) + [g.name for g in c.gates]
        xy = np.array([pos[n] for n in names])
        one = style.color(0)
        brushes = [pg.mkBrush(one) if values[n] else pg.mkBrush(style.background) for n in names]
        symbols = ["s" if n in c.inputs else "o" for n in names]
        pens = [style.pen(style.good if n in c.outputs else style.foreground, 3 if n in c.outputs else 1.5)
                for n in names]
        self.nodes.setData(pos=xy, brush=brushes, symbol=symbols, pen=pens)
        live, idle = [], []
        for g in c.gates:
            gx, gy = pos[g.name]
            twice = g.inputs[0] == g.inputs[1]
            for k, src in enumerate(g.inputs):
                sx, sy = pos[src]
                dy = (SPLIT if k == 0 else -SPLIT) if twice else 0.0
                # wires run centre to centre, under the opaque nodes
                (live if values[src] else idle).extend([(sx, sy + dy), (gx, gy + dy)])
        self.live_wires.setData(*self._xy(live))
        self.idle_wires.setData(*self._xy(idle))
        self.live_wires.setPen(style.pen(one, 3.5))
        self.idle_wires.setPen(style.pen(style.muted, 1.5))
        for label, value, name, (x, y) in zip(self.node_labels, self.value_labels, names, xy):
            label.setText(name)
            label.setColor(style.good if name in c.outputs else style.foreground)
            label.setPos(float(x), float(y))
            value.setText(str(values[name]))
            value.setColor("#ffffff" if values[name] else style.foreground)
            value.setPos(float(x), float(y))
        self.plot.setRange(xRange=(xy[:, 0].min() - 0.5, xy[:, 0].max() + 0.5),
                           yRange=(xy[:, 1].min() - 0.7, xy[:, 1].max() + 0.5), padding=0)
        outs = ", ".join(f"<b>{o} = {values[o]}</b>" for o in c.outputs)
        gates = "<br>".join(f"{g.name} = NAND({g.inputs[0]}, {g.inputs[1]}) = {values[g.name]}" for g in c.gates)
        self.values_label.setText(f"{outs}<br>{gates}")

    @staticmethod
    def _xy(points) -> tuple[np.ndarray, np.ndarray]:
        if not points:
            return np.zeros(0), np.zeros(0)
        a = np.asarray(points, dtype=float)
        return a[:, 0], a[:, 1]
