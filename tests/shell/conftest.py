"""A tiny panel registered only for the shell's tests, so they do not depend on any real panel."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PyQt6.QtWidgets import QLabel, QVBoxLayout

from explorer.panels.base import Panel
from explorer.widgets.hints import hint


class DemoPanel(Panel):
    name = "demo"
    title = "Demo"
    slides = 'Slide "Demo"'

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = hint(QLabel("w = 1.0"), "A label that explains itself.")
        self.plot = pg.PlotWidget(title="A plot")
        self.curve = self.plot.plot([0, 1, 2], [0, 1, 4])
        layout.addWidget(self.label)
        layout.addWidget(self.plot)
        self.shut_down = False

    def figure(self):
        return self.plot

    def shutdown(self):
        self.shut_down = True


class OtherPanel(DemoPanel):
    name = "other"
    title = "Other"
    slides = 'Slide "Other"'


@pytest.fixture
def demo_panels(monkeypatch):
    import explorer.panels as panels

    monkeypatch.setattr(panels, "PANELS", [("demo", f"{__name__}:DemoPanel"), ("other", f"{__name__}:OtherPanel")])
    monkeypatch.setattr("explorer.main_window.PANELS", panels.PANELS)
    return panels.PANELS


@pytest.fixture
def window(qtbot, demo_panels):
    from explorer.main_window import MainWindow

    w = MainWindow(restore=True)
    qtbot.addWidget(w)
    return w
