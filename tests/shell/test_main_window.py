"""The app shell: panel list, menus, presentation mode, themes, settings, export."""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from explorer.main_window import MainWindow, app_settings


def test_panel_list_switches_panels(window, qtbot):
    assert window.panel_list.count() == 2
    assert window.current_panel().name == "demo"
    with qtbot.waitSignal(window.panel_changed) as blocker:
        window.panel_list.setCurrentRow(1)
    assert blocker.args == ["other"]
    assert window.current_panel().name == "other"
    assert window.windowTitle() == "NN Explorer: Other"


def test_view_menu_panel_shortcuts(window):
    window._panel_actions["other"].trigger()
    assert window.current_panel().name == "other"
    assert window._panel_actions["demo"].shortcut().toString() == "Ctrl+1"


def test_presentation_mode_scales_fonts_and_lines(window, qtbot):
    panel = window.current_panel()
    normal_app = QApplication.font().pointSizeF()
    normal_tick = panel.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF()
    normal_label = panel.label.font().pointSizeF()
    window.presentation_action.trigger()  # F11
    assert window.style_.presentation and window.style_.scale == 2.0
    assert QApplication.font().pointSizeF() == 2 * normal_app
    qtbot.waitUntil(lambda: panel.label.font().pointSizeF() == 2 * normal_label)
    tick = panel.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF()
    assert tick == 2 * normal_tick
    assert window.isFullScreen()
    assert not window.panel_list.isVisible()  # the room goes to the panel; Ctrl+L brings it back
    window.list_action.trigger()
    assert window.panel_list.isVisible()
    assert window.panel_list.width() >= window.panel_list.sizeHintForColumn(0)
    window.presentation_action.trigger()
    assert QApplication.font().pointSizeF() == normal_app
    assert not window.isFullScreen()


def test_high_contrast_in_presentation(window):
    window.contrast_action.setChecked(True)
    window.set_presentation(True, full_screen=False)
    assert window.style_.theme == "high-contrast"
    window.set_presentation(False, full_screen=False)
    assert window.style_.theme == "light"


def test_theme_switch_restyles_plots_and_persists(window, qtbot, demo_panels):
    window._theme_actions["dark"].trigger()
    plot = window.current_panel().plot
    assert plot.backgroundBrush().color().name() == window.style_.background
    assert window.style_.dark
    window.panel_list.setCurrentRow(1)
    window.close()
    again = MainWindow(restore=True)
    qtbot.addWidget(again)
    assert again.style_.theme == "dark"
    assert again.current_panel().name == "other"
    assert app_settings().value("panel") == "other"
    again.set_theme("light")
    again.close()


def test_close_shuts_panels_down(window):
    panel = window.current_panel()
    window.close()
    assert panel.shut_down


def test_export_png_and_svg(window, tmp_path):
    png = window.export_current(str(tmp_path / "figure.png"))
    svg = window.export_current(str(tmp_path / "figure.svg"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.png", "figure.svg"]  # no temp files left


def test_export_to_bad_place_says_so_and_leaves_nothing(window, tmp_path, monkeypatch):
    assert window.export_current(str(tmp_path / "missing-folder" / "f.png")) is None
    assert "not saved" in window.last_message.text()
    window.last_message.accept()
    assert window.export_current(str(tmp_path / "f.jpg")) is None
    assert "png or .svg" in window.last_message.text()
    window.last_message.accept()
    assert list(tmp_path.iterdir()) == []


def test_every_menu_action_has_a_status_tip(window):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert action.statusTip(), action.text()


def test_status_bar_shows_hover_hint(window, qtbot):
    from PyQt6.QtGui import QStatusTipEvent

    label = window.current_panel().label
    QApplication.sendEvent(label, QStatusTipEvent(label.statusTip()))
    assert window.statusBar().currentMessage() == "A label that explains itself."


def test_help_slides_lists_every_panel(window):
    text = window.slides_text()
    assert 'Slide "Demo"' in text and "--panel other" in text


def test_plot_lines_hold_their_pens_in_place(window):
    # Plots are updated in place: switching panels back and forth keeps the same items.
    panel = window.current_panel()
    curve = panel.curve
    window.panel_list.setCurrentRow(1)
    window.panel_list.setCurrentRow(0)
    assert window.current_panel() is panel and panel.curve is curve
    assert isinstance(panel.plot, pg.PlotWidget)
    assert window.stack.count() == 2
    assert Qt.WindowState.WindowFullScreen not in window.windowState()


def test_help_dialogs_open_without_blocking(window):
    window.show_slides()
    assert "Demo" in window.last_message.text()
    window.last_message.accept()
    window.show_about()
    assert "NN Explorer" in window.last_message.text() and "Nielsen" in window.last_message.text()
    window.last_message.accept()


def test_presentation_scales_radio_buttons_and_slider_handles(window):
    from PyQt6.QtWidgets import QStyle

    metric = QStyle.PixelMetric.PM_ExclusiveIndicatorWidth
    normal = QApplication.style().pixelMetric(metric)
    handle = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength)
    window.set_presentation(True, full_screen=False)
    assert QApplication.style().pixelMetric(metric) == 2 * normal
    assert QApplication.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength) == 2 * handle
    window.set_presentation(False, full_screen=False)
    assert QApplication.style().pixelMetric(metric) == normal
