"""Every registered panel opens, draws, restyles for presentation mode and shuts down cleanly."""

from __future__ import annotations

import pytest
from PyQt6.QtWidgets import QApplication, QLabel

from explorer.main_window import MainWindow
from explorer.panels import PANELS, panel_names

LECTURE_ORDER = ["perceptron", "sigmoid", "regions", "descent", "mnist"]


def test_panels_follow_the_lecture_order():
    names = panel_names()
    assert names, "no panel is registered"
    assert names == [n for n in LECTURE_ORDER if n in names]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("name", [name for name, _ in PANELS])
def test_panel_opens_draws_and_scales(name, qtbot, tmp_path):
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    panel = window.show_panel(name)
    assert panel.name == name and panel.title and panel.slides
    window.show()
    qtbot.waitUntil(panel.is_ready, timeout=30000)

    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1280, 800)
    # Something was drawn: a blank or single-colour picture has very few distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20, f"{name} panel looks empty"

    labels = [lab for lab in panel.findChildren(QLabel) if lab.isVisible() and lab.text()]
    assert labels, f"{name} panel shows no text"
    normal = {id(lab): lab.font().pointSizeF() for lab in labels}
    window.set_presentation(True, full_screen=False)
    qtbot.waitUntil(lambda: QApplication.font().pointSizeF() == 2 * window.style_.base_point_size)
    scaled = [lab for lab in labels if lab.font().pointSizeF() >= 1.8 * normal[id(lab)]]
    assert len(scaled) >= 0.8 * len(labels), f"{name}: fonts did not scale in presentation mode"
    window.set_presentation(False, full_screen=False)

    # File > Export works on every panel's figure, as PNG and as SVG
    png = window.export_current(str(tmp_path / f"{name}.png"))
    svg = window.export_current(str(tmp_path / f"{name}.svg"))
    assert png is not None and png.read_bytes()[:4] == b"\x89PNG"
    assert svg is not None and b"<svg" in svg.read_bytes()[:4000]

    window.close()  # calls panel.shutdown(); the thread guard checks nothing is left running
