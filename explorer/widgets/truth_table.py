"""A read-only truth table whose chosen columns toggle on click (or Space): the cells can never
hold anything the owner did not put there, so a 0/1 target column stays 0/1."""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor, QKeyEvent
from PyQt6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget


class TruthTable(QTableWidget):
    cell_toggled = pyqtSignal(int, int)  # (row, column) of a toggleable cell the user clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._toggle_columns: set[int] = set()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cellClicked.connect(self._clicked)

    def set_columns(self, headers: list[str], toggle_columns=()) -> None:
        """Column titles, and which columns toggle when clicked."""
        if [self.horizontalHeaderItem(c).text() if self.horizontalHeaderItem(c) else None
                for c in range(self.columnCount())] != headers:
            self.setRowCount(0)  # new columns: fresh items, no colours left from the old layout
            self.setColumnCount(len(headers))
            self.setHorizontalHeaderLabels(headers)
        self._toggle_columns = set(toggle_columns)

    def set_rows(self, rows: list[list[str]]) -> None:
        """Cell texts, row by row; items are reused, so selection and scrolling survive updates."""
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.setItem(r, c, item)
                if item.text() != text:
                    item.setText(text)

    def set_cell_colors(self, column: int, colors: list[str | None]) -> None:
        """Text colour per row in one column (None: the palette's text colour)."""
        for r, color in enumerate(colors):
            item = self.item(r, column)
            if item is not None:
                item.setForeground(QBrush(QColor(color)) if color else QBrush())

    def set_cell_background(self, column: int, colors: list[str | None]) -> None:
        for r, color in enumerate(colors):
            item = self.item(r, column)
            if item is not None:
                item.setBackground(QBrush(QColor(color)) if color else QBrush())

    def _clicked(self, row: int, column: int) -> None:
        if column in self._toggle_columns:
            self.cell_toggled.emit(row, column)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and self.currentColumn() in self._toggle_columns:
            self.cell_toggled.emit(self.currentRow(), self.currentColumn())
            return
        super().keyPressEvent(event)
