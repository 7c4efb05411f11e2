"""The MNIST panel in the classroom: presentation mode at 1280x800 and 1920x1080 keeps the training
buttons, eta, the live status and the drawn digit's bars on screen, and captions never overlap."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPoint, QRect
from PyQt6.QtWidgets import QApplication

from explorer.main_window import MainWindow


def _visible_in(widget, panel) -> bool:
    """The widget's whole rectangle lies inside the panel (not scrolled away, not cut by the window)."""
    top_left = widget.mapTo(panel, QPoint(0, 0))
    return QRect(0, 0, panel.width(), panel.height()).contains(QRect(top_left, widget.size())) and widget.isVisible()


@pytest.mark.parametrize("presentation, size", [(False, (1280, 800)), (True, (1280, 800)), (True, (1920, 1080))])
def test_live_controls_stay_on_screen(qtbot, presentation, size):
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    window.resize(*size)
    if presentation:
        window.set_presentation(True, full_screen=False)
        window.resize(*size)
    panel = window.show_panel("mnist")
    qtbot.waitUntil(lambda: panel.height() > 0.85 * size[1] - 80)
    tc = panel.train_controls
    for widget in (tc.start, tc.pause, tc.stop, tc.step, tc.reset, tc.progress, tc.status,
                   panel.net_controls.eta.slider, panel.net_controls.eta.line_edit, panel.draw.canvas,
                   panel.draw.clear, panel.draw.bars, panel.draw.answer):
        assert _visible_in(widget, panel), (widget, widget.geometry())
    # digit captions: "8≠2" only where a tile is wide enough for it
    assert panel.digits.compact == (presentation and size == (1280, 800))
    # no plot's content (title, axes: 2x fonts in presentation) is wider or taller than its widget
    plots = {0: [panel.plots.cost_plot, panel.plots.acc_plot, panel.draw.bars], 1: [panel.confusion.plot],
             3: [panel.outputs.bars]}
    for tab, widgets in plots.items():
        panel.tabs.setCurrentIndex(tab)
        qtbot.waitUntil(lambda: all(w.isVisible() for w in widgets))
        for w in widgets:
            QApplication.processEvents()
            item = w.getPlotItem().sceneBoundingRect()
            assert item.right() <= w.viewport().width() + 1 and item.bottom() <= w.viewport().height() + 1, \
                (w.getPlotItem().titleLabel.text, item, w.viewport().size())
    window.close()


def test_space_starts_and_pauses_whatever_has_the_focus(qtbot):
    """A just-clicked button (Reset) or the panel list would take Space for itself; text fields keep it."""
    from PyQt6.QtCore import Qt

    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    panel = window.show_panel("mnist")
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    panel.net_controls.epochs.setValue(500)
    reset = panel.train_controls.reset
    reset.setFocus()
    qtbot.keyClick(reset, Qt.Key.Key_Space)
    assert panel.trainer.is_running() and not panel.trainer.is_paused()
    window.panel_list.setFocus()
    qtbot.keyClick(window.panel_list, Qt.Key.Key_Space)
    assert panel.trainer.is_paused()
    panel.stop()
    qtbot.waitUntil(lambda: not panel.trainer.is_running(), timeout=5000)
    hidden = panel.net_controls.hidden
    hidden.setFocus()
    hidden.setText("100")
    qtbot.keyClick(hidden, Qt.Key.Key_Space)
    qtbot.keyClick(hidden, Qt.Key.Key_3)
    assert hidden.text() == "100 3" and not panel.trainer.is_running()
    window.close()
