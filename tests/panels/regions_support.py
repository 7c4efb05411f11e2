"""Fixtures and helpers shared by the regions panel's test files."""

import pytest
from explorer.panels.regions import RegionsPanel


@pytest.fixture
def panel(qtbot):
    p = RegionsPanel()
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    qtbot.waitUntil(p.is_ready, timeout=5000)
    yield p
    p.shutdown()


def settle(qtbot, panel):
    """Wait for the debounced recompute (if one is pending) and the whole-plane count."""
    qtbot.waitUntil(panel.explore.is_ready, timeout=10000)


def count_label(panel) -> int:
    return int(panel.explore.counts.box_count.text().replace(",", ""))


def _click_view_point(qtbot, plot, x, y, modifier=None):
    from PyQt6.QtCore import QPointF, Qt

    scene_pt = plot.getViewBox().mapViewToScene(QPointF(x, y))
    pos = plot.mapFromScene(scene_pt)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     modifier or Qt.KeyboardModifier.NoModifier, pos)
