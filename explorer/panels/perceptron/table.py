"""The perceptron's truth table: inputs, w·x + b, output, target (click to toggle), right/wrong,
and "k of 2^n rows right"."""

from __future__ import annotations

from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.panels.perceptron.state import PerceptronState
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.truth_table import TruthTable

RIGHT, WRONG = "✓", "✗"


def _sum_text(z: float) -> str:
    return f"{z:.2f}".replace("-", "−")


class PerceptronTable(QWidget):
    def __init__(self, state: PerceptronState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.style_ = Style()
        self.table = TruthTable()
        hint(self.table, "Every input row: the weighted sum w·x + b, the output (1 iff the sum > 0), the target "
                         "(click a target to toggle 0/1) and whether the output is right.")
        self.score = QLabel()
        hint(self.score, "How many rows the perceptron gets right.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.score)
        self.table.cell_toggled.connect(lambda row, _col: state.toggle_target(row))
        state.changed.connect(self.refresh)
        self.refresh()

    def target_column(self) -> int:
        return self.state.n + 2

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.score.setFont(style.font(1.1, bold=True))
        self.refresh()

    def refresh(self) -> None:
        st = self.state
        rows = st.rows()
        n = st.n
        headers = [f"x{j + 1}" for j in range(n)] + ["w·x + b", "output", "target", ""]
        self.table.set_columns(headers, toggle_columns=[n + 2])
        self.table.set_rows([
            [str(v) for v in x] + [_sum_text(z), str(o), str(t), RIGHT if ok else WRONG]
            for x, z, o, t, ok in zip(rows.inputs, rows.sums, rows.outputs, rows.targets, rows.right)
        ])
        good, bad = self.style_.good, self.style_.bad
        self.table.set_cell_colors(n + 3, [good if ok else bad for ok in rows.right])
        self.table.set_cell_colors(n + 1, [None if ok else bad for ok in rows.right])
        total = len(rows.right)
        k = rows.n_right
        color = good if k == total else bad
        self.score.setText(f"<span style='color:{color}'>{k} of {total} rows right</span>")

    def highlight_row(self, row: int | None) -> None:
        """Select the row the learning rule just used."""
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
