"""PerceptronPanel: a perceptron against a truth table (editors, table, geometry, find / learn)
and, in a second tab, the NAND circuits that compute what one perceptron cannot."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QHBoxLayout, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from explorer.panels.base import Panel
from explorer.panels.perceptron.editor import PerceptronEditor
from explorer.panels.perceptron.geometry import GeometryView
from explorer.panels.perceptron.learning import LearningControls
from explorer.panels.perceptron.nand_view import NandView
from explorer.panels.perceptron.state import PerceptronState
from explorer.panels.perceptron.table import PerceptronTable
from explorer.style import Style
from explorer.widgets.hints import hint


def _scrolling(widget: QWidget) -> QScrollArea:
    """A column that scrolls vertically when presentation-size fonts make it taller than the window."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll


class PerceptronPanel(Panel):
    name = "perceptron"
    title = "Perceptron"
    slides = 'Slides "Perceptron" to "OR gate using perceptrons?"'

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = PerceptronState(self)
        self.editor = PerceptronEditor(self.state)
        self.learning = LearningControls(self.state)
        self.table = PerceptronTable(self.state)
        self.geometry = GeometryView(self.state)
        self.nand = NandView()

        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.editor)
        column.addWidget(self.learning)
        column.addStretch(1)
        self.controls_scroll = _scrolling(controls)

        # table and geometry side by side; stacked in presentation mode, where fonts are 2x
        self.views = QSplitter(Qt.Orientation.Horizontal)
        self.views.addWidget(self.table)
        self.views.addWidget(self.geometry)
        self.views.setChildrenCollapsible(False)
        self.views.setStretchFactor(0, 0)  # the table keeps the width its columns need
        self.views.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.controls_scroll)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        perceptron_tab = QWidget()
        row = QHBoxLayout(perceptron_tab)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(splitter)

        self.tabs = QTabWidget()
        self.tabs.addTab(perceptron_tab, "One perceptron")
        self.tabs.addTab(self.nand, "NAND circuits")
        hint(self.tabs.tabBar(), "One perceptron against a truth table, or circuits built only of NAND perceptrons.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.learning.row_used.connect(self.table.highlight_row)
        self._fitted_columns = 0
        self.state.changed.connect(self._table_changed)  # after the table's own refresh (connected first)
        self.learning.nand_requested.connect(self.show_nand)
        self.apply_style(self.style_)  # readable on its own too (the main window restyles it again)

    def show_nand(self) -> None:
        """Switch to the NAND circuits tab (showing XOR, the classic non-separable table)."""
        self.nand.circuit_combo.setCurrentText("XOR")
        self.tabs.setCurrentWidget(self.nand)

    def _fit_columns(self) -> None:
        presenting = self.style_.presentation
        self.controls_scroll.setMinimumWidth(470 if presenting else 330)
        self.views.setOrientation(Qt.Orientation.Vertical if presenting else Qt.Orientation.Horizontal)
        self.table.setMinimumSize(200, 120)
        self.geometry.setMinimumSize(200, 200)
        self.splitter.setSizes([470 if presenting else 340, 700])
        self.views.setSizes([300, 500])
        self._fit_table()

    def _table_changed(self) -> None:
        if self.table.table.columnCount() != self._fitted_columns:
            self._fit_table()

    def _fit_table(self) -> None:
        """Give the table the room its rows and columns need (n = 4 has more), the geometry the rest."""
        t = self.table.table
        self._fitted_columns = t.columnCount()
        t.resizeColumnsToContents()
        t.resizeRowsToContents()
        horizontal = self.views.orientation() == Qt.Orientation.Horizontal
        total = sum(self.views.sizes()) or (self.views.width() if horizontal else self.views.height())
        if horizontal:
            need = t.horizontalHeader().length() + 2 * t.frameWidth() + t.verticalScrollBar().sizeHint().width() + 6
            self.table.setMinimumWidth(need)  # a narrow window squeezes the picture, never the table's columns
        else:  # stacked (presentation): rows, header and the score line, at most half the height
            need = (t.verticalHeader().length() + t.horizontalHeader().height() + 2 * t.frameWidth()
                    + self.table.score.sizeHint().height() + 12)
            # at most half the height, unless n = 4, where the picture has nothing to show but a sentence
            room = max(200, total // 2) if self.state.n < 4 else total - self.geometry.minimumHeight()
            need = min(need, room)
            self.table.setMinimumWidth(200)
        self.views.setSizes([need, max(200, total - need)])

    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        self.table.apply_style(style)
        self.geometry.apply_style(style)
        self.nand.apply_style(style)
        self._fit_columns()

    def hideEvent(self, event) -> None:  # noqa: N802
        """Switching to another panel pauses the learning animation (Play resumes it)."""
        self.learning.stop()
        super().hideEvent(event)

    def figure(self) -> QWidget:
        return self.tabs.currentWidget()

    def shutdown(self) -> None:
        self.learning.shutdown()
