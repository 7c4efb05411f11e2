"""The perceptron panel's picture (n = 1 line, n = 2 square with draggable handles, n = 3 cube,
n = 4 table only), driven through its widgets (pytest-qt, offscreen)."""

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt6.QtCore import QEvent, QPointF, Qt
from PyQt6.QtGui import QMouseEvent
from PyQt6.QtWidgets import QApplication

from explorer.panels.perceptron import PerceptronPanel


@pytest.fixture
def panel(qtbot):
    p = PerceptronPanel()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.shutdown()


def column(p, name) -> int:
    t = p.table.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    return headers.index(name)


def test_dragging_a_handle_moves_the_line(panel):
    geo = panel.geometry
    h0, h1 = geo.handles
    assert h0.isVisible()
    h0.setPos(0.0, 0.2)
    w, b = panel.state.perceptron.weights, panel.state.perceptron.bias
    # the new line passes (up to the editors' 0.1 step) through both handles
    for h in (h0, h1):
        assert abs(w @ [h.pos().x(), h.pos().y()] + b) < 0.2 * (np.abs(w).sum() + 1)
    assert panel.editor.weight_sliders[0].value() == w[0]
    assert np.dot(w, [1, 1]) > 0  # the output-1 side did not flip


@pytest.fixture
def no_mouse_rate_limit():
    """pyqtgraph drops mouse moves closer than 1/rate s apart; synthetic drags come all at once."""
    old = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOptions(mouseRateLimit=-1)
    yield
    pg.setConfigOptions(mouseRateLimit=old)


def test_mouse_drag_of_a_handle_edits_w_and_b(panel, no_mouse_rate_limit):
    plot = panel.geometry.plot
    viewport = plot.viewport()
    handle = panel.geometry.handles[0]

    def to_widget(x, y):
        return QPointF(plot.mapFromScene(plot.plotItem.vb.mapViewToScene(QPointF(x, y))))

    def send(kind, pos, buttons, button):
        event = QMouseEvent(kind, pos, viewport.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    start, end = to_widget(handle.pos().x(), handle.pos().y()), to_widget(0.0, 0.2)
    before = panel.state.perceptron
    send(QEvent.Type.MouseMove, start, none, none)
    send(QEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, 11):
        send(QEvent.Type.MouseMove, start + (end - start) * (i / 10), left, none)
    send(QEvent.Type.MouseButtonRelease, end, none, left)
    after = panel.state.perceptron
    assert after != before
    assert abs(after.weights @ [0.0, 0.2] + after.bias) < 0.15  # the line now passes the drop point
    assert panel.editor.bias_slider.value() == after.bias
    assert panel.table.table.item(0, column(panel, "w·x + b")).text() == f"{after.bias:.2f}".replace("-", "−")


def test_geometry_views_for_every_n(panel):
    panel.editor.n_spin.setValue(1)
    assert "threshold" in panel.geometry.message.toPlainText()
    panel.editor.n_spin.setValue(3)
    panel.state.set_perceptron(panel.state.perceptron.with_weights([1, 1, 1]).with_bias(-1.5))
    assert len(panel.geometry.boundary.getData()[0]) == 7  # hexagon, closed
    assert not panel.geometry.shade.polygon().isEmpty()
    panel.editor.n_spin.setValue(4)
    assert "table" in panel.geometry.message.toPlainText()
    assert panel.geometry.message.isVisible()
    assert panel.table.table.rowCount() == 16


def test_nothing_shaded_when_every_output_is_zero(panel):
    geo = panel.geometry
    panel.state.set_perceptron(panel.state.perceptron.with_weights([0, 0]).with_bias(0))
    assert panel.state.rows().outputs.tolist() == [0, 0, 0, 0]
    assert geo.shade.polygon().isEmpty()  # w.x + b = 0 everywhere: output 0, not 1
    assert "constant" in geo.message.toPlainText()
    panel.editor.bias_slider.setValue(0.5)  # now output 1 everywhere
    assert not geo.shade.polygon().isEmpty()
    panel.editor.n_spin.setValue(1)
    panel.editor.bias_slider.setValue(0.0)
    assert geo.shade.polygon().isEmpty()


def test_handles_never_hide_a_corner(panel, qtbot):
    # find_weights' AND answer x1 + x2 - 1 > 0 runs through the corners (0, 1) and (1, 0). Coming from
    # the line x1 = x2, both handles would project to one point, so they are placed afresh along it
    panel.state.set_perceptron(panel.state.perceptron.with_weights([1, -1]).with_bias(0))
    qtbot.mouseClick(panel.learning.find_button, Qt.MouseButton.LeftButton)
    assert panel.state.perceptron == panel.state.perceptron.with_weights([1, 1]).with_bias(-1)
    handles = np.array([[h.pos().x(), h.pos().y()] for h in panel.geometry.handles])
    corners = panel.state.rows().inputs
    assert np.linalg.norm(handles[:, None] - corners[None], axis=2).min() >= 0.15
    np.testing.assert_allclose(handles @ [1, 1] - 1, 0, atol=1e-9)  # still on the line


def test_cube_view_says_when_the_plane_only_touches(panel):
    panel.editor.n_spin.setValue(3)
    geo = panel.geometry
    panel.state.set_perceptron(panel.state.perceptron.with_weights([1, 1, 0]).with_bias(-2))  # the edge 110-111
    assert geo.message.isVisible() and "only touches" in geo.message.toPlainText()
    panel.editor.bias_slider.setValue(-5)
    assert "misses" in geo.message.toPlainText()
    panel.state.set_perceptron(panel.state.perceptron.with_weights([0, 0, 0]))
    assert "constant" in geo.message.toPlainText()
