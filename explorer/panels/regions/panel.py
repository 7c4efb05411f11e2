"""The ReLU linear-regions panel: edit a network, see its exact regions, count them, train it."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from explorer.panels.base import Panel
from explorer.panels.regions.depth import DepthExperimentView
from explorer.panels.regions.editor import NetworkEditor
from explorer.panels.regions.explore import ExploreView
from explorer.panels.regions.train import TrainView
from explorer.style import Style

TABS = ("explore", "depth", "train")


class RegionsPanel(Panel):
    name = "regions"
    title = "ReLU regions"
    slides = 'Slides "Other activation functions" to "Linear regions on the original input space"'

    def __init__(self, parent=None):
        super().__init__(parent)
        self.editor = NetworkEditor()
        self.explore = ExploreView(self.editor)
        self.depth = DepthExperimentView()
        self.train = TrainView()

        scroll = QScrollArea()
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(250)
        self.editor_pane = scroll
        self.explore.editor_toggle.toggled.connect(scroll.setVisible)
        explore_page = QSplitter(Qt.Orientation.Horizontal)
        explore_page.addWidget(scroll)
        explore_page.addWidget(self.explore)
        explore_page.setStretchFactor(0, 0)
        explore_page.setStretchFactor(1, 1)
        explore_page.setSizes([310, 970])

        self.tabs = QTabWidget()
        self.tabs.addTab(explore_page, "Regions of a network")
        self.tabs.addTab(self.depth, "Depth experiment")
        self.tabs.addTab(self.train, "Train it")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)

    def show_tab(self, name: str) -> None:
        """Switch to ``explore``, ``depth`` or ``train``."""
        self.tabs.setCurrentIndex(TABS.index(name))

    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        dark = style.dark
        self.explore.editor_toggle.setChecked(not style.presentation)  # room for the big plot and text
        self.explore.set_style(dark, style.scale)
        self.depth.restyle(style.scale, style.foreground)
        self.train.restyle(style.scale, dark, style.foreground)
        for label in (self.explore.counts.box_count, self.explore.counts.plane_count):
            label.setFont(style.font(1.1, bold=True))

    def figure(self) -> QWidget:
        return self.tabs.currentWidget()

    def is_ready(self) -> bool:
        return self.explore.is_ready()

    def shutdown(self) -> None:
        self.explore.counts.shutdown()
        self.explore.shutdown()
        self.depth.stop()
        self.train.shutdown()
