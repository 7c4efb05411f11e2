"""pytest-qt tests of the sigmoid panel: every tab driven through its own widgets."""

import numpy as np
import pytest
from PyQt6.QtCore import QEvent, QPointF, Qt
from PyQt6.QtGui import QMouseEvent
from PyQt6.QtWidgets import QApplication

from explorer.core import sigmoid as sg
from explorer.panels.sigmoid import SigmoidPanel
from explorer.style import Style


@pytest.fixture
def panel(qtbot):
    p = SigmoidPanel()
    qtbot.addWidget(p)
    p.resize(1280, 800)
    yield p
    p.shutdown()


def curve_y(curve):
    return np.asarray(curve.getData()[1])


def type_into(slider, text):
    slider.line_edit.setText(text)
    slider.line_edit.editingFinished.emit()


def mouse_drag(plot, start, end, steps=6):
    """Drag with real mouse events on a pyqtgraph plot, from and to points in data coordinates."""
    vb = plot.getPlotItem().vb
    viewport = plot.viewport()

    def widget_point(x, y):
        return QPointF(plot.mapFromScene(vb.mapViewToScene(QPointF(x, y))))

    def send(kind, point, button, buttons):
        event = QMouseEvent(kind, point, QPointF(viewport.mapToGlobal(point)), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    a, b = widget_point(*start), widget_point(*end)
    left = Qt.MouseButton.LeftButton
    send(QEvent.Type.MouseButtonPress, a, left, left)
    for k in range(1, steps + 1):
        send(QEvent.Type.MouseMove, a + (b - a) * (k / steps), Qt.MouseButton.NoButton, left)
    send(QEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton)


# ------------------------------------------------------------------ panel

def test_panel_contract(panel, qtbot):
    assert (panel.name, panel.title) == ("sigmoid", "Sigmoid neuron")
    assert "Sigmoid neuron" in panel.slides and "Functions with multiple inputs" in panel.slides
    assert "Other activation functions" in panel.slides
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == \
        ["One neuron", "Bump", "Many bumps", "Two inputs"]
    panel.apply_style(Style(theme="dark", presentation=True))
    assert panel.one_neuron.curve.opts["pen"].widthF() == pytest.approx(6.0)
    qtbot.waitUntil(panel.is_ready, timeout=3000)      # once the error-vs-N curve is drawn
    panel.tabs.setCurrentIndex(2)
    assert panel.figure() is panel.many_bumps


def test_registered_in_panel_list():
    from explorer.panels import panel_class, panel_names

    if "sigmoid" not in panel_names():
        pytest.skip("not registered yet")
    assert panel_class("sigmoid") is SigmoidPanel


# ------------------------------------------------------------------ one neuron

def test_one_neuron_curve_follows_w_and_b(panel):
    tab = panel.one_neuron
    tab.w.setValue(20.0)
    tab.b.setValue(-6.0)
    x = tab.curve.getData()[0]
    assert np.allclose(curve_y(tab.curve), sg.sigmoid(20 * x - 6))
    assert np.array_equal(curve_y(tab.step_curve), (20 * x - 6 > 0).astype(float))
    assert tab.s_line.value() == pytest.approx(0.3)
    assert "0.3" in tab.step_label.text()
    assert "σ(20 x − 6)" in tab.formula.text()


def test_dragging_the_step_line_sets_b(panel):
    tab = panel.one_neuron
    tab.w.setValue(50.0)
    tab.s_line.setValue(0.7)           # what a drag does
    assert tab.w.value() == 50.0
    assert tab.b.value() == pytest.approx(-35.0)
    assert sg.step_position(tab.w.value(), tab.b.value()) == pytest.approx(0.7)


def test_dragging_the_step_line_with_the_mouse(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    tab = panel.one_neuron
    tab.w.setValue(20.0)
    tab.b.setValue(-6.0)                 # s = 0.3
    mouse_drag(tab.plot, (0.3, 0.8), (0.6, 0.8))
    assert tab.w.value() == 20.0
    assert sg.step_position(tab.w.value(), tab.b.value()) == pytest.approx(0.6, abs=0.02)


def test_w_zero_says_no_step(panel):
    tab = panel.one_neuron
    tab.w.setValue(0.0)
    assert "no step (w = 0)" in tab.step_label.text()
    assert not tab.s_line.isVisible() and tab.gap_label.text() == ""
    tab.w.setValue(5.0)
    assert "step at s = −b/w = 1" in tab.step_label.text() and tab.s_line.value() == pytest.approx(1.0)


def test_w_typed_to_1000_and_preset_keep_s_and_gap_shrinks(panel):
    tab = panel.one_neuron
    tab.w.setValue(10.0)
    tab.b.setValue(-4.0)                   # s = 0.4
    gaps = []
    for w in (1.0, 10.0, 100.0, 1000.0):
        tab.preset_buttons[w].click()
        assert tab.w.value() == w
        assert sg.step_position(tab.w.value(), tab.b.value()) == pytest.approx(0.4)
        gaps.append(float(tab.gap_label.text().rsplit(":", 1)[1]))
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-10
    type_into(tab.w, "-750")               # beyond the slider's -100..100, inside the hard limits
    assert tab.w.value() == -750.0 and not tab.w.is_invalid()
    type_into(tab.w, "5000")
    assert tab.w.is_invalid() and tab.w.value() == -750.0


def test_small_change_sigmoid_small_perceptron_flips(panel):
    tab = panel.one_neuron
    tab.w.setValue(10.0)
    tab.b.setValue(-5.0)
    tab.x0.setValue(0.5)
    tab.nudge_b.setChecked(True)
    tab.delta.setValue(0.05)
    text = tab.change_label.text()
    assert "0 → 1" in text and "full flip" in text
    assert "Δ = +0.0125" in text
    tab.x0.setValue(0.9)
    assert "no change" in tab.change_label.text()
    before = tab.b.value()
    tab.apply_nudge.click()
    assert tab.b.value() == pytest.approx(before + 0.05)


# ------------------------------------------------------------------ bump

def test_bump_tab_draws_bump_and_hidden_outputs(panel):
    tab = panel.bump
    tab.s1.setValue(0.2)
    tab.s2.setValue(0.5)
    tab.h.setValue(0.7)
    x, y = tab.curve.getData()
    assert y[np.argmin(abs(x - 0.35))] == pytest.approx(0.7, abs=1e-3)
    assert abs(y[np.argmin(abs(x - 0.8))]) < 1e-3
    assert len(tab.hidden_curves) == 2
    assert curve_y(tab.hidden_curves[1]).min() == pytest.approx(-0.7, abs=1e-3)


def test_bump_s1_past_s2_is_swapped_visibly(panel):
    tab = panel.bump
    tab.s1.setValue(0.3)
    tab.s2.setValue(0.5)
    tab.s1.setValue(0.8)
    assert (tab.s1.value(), tab.s2.value()) == (0.5, 0.8)
    assert "swapped" in tab.swap_note.text()
    assert tab.lines[0].value() == pytest.approx(0.5)
    tab.lines[1].setValue(0.9)            # dragging the s2 line
    assert tab.s2.value() == pytest.approx(0.9) and tab.swap_note.text() == ""


def test_two_bumps_like_the_slide(panel):
    tab = panel.bump
    assert tab.s3.isHidden() and tab.lines[2].isVisible() is False and len(tab.hidden_curves) == 2
    tab.second.setChecked(True)
    assert not tab.s3.isHidden() and tab.lines[2].isVisible()
    tab.s1.setValue(0.4)
    tab.s2.setValue(0.6)
    tab.h.setValue(0.6)
    tab.h2.setValue(-0.3)
    x, y = tab.curve.getData()
    at = lambda v: y[np.argmin(abs(x - v))]  # noqa: E731
    assert (at(0.5), at(0.8), at(0.65), at(0.95)) == pytest.approx((0.6, -0.3, 0.0, 0.0), abs=1e-3)
    assert len(tab.hidden_curves) == 4 and "4 hidden neurons" in tab.count.text()
    tab.s3.setValue(0.95)                       # past s4 = 0.9: swapped, said so
    assert (tab.s3.value(), tab.s4.value()) == (0.9, 0.95) and "s3 must not pass s4" in tab.swap_note.text()
    tab.lines[3].setValue(0.99)                  # dragging the s4 line
    assert tab.s4.value() == pytest.approx(0.99)
    tab.second.setChecked(False)
    assert len(tab.hidden_curves) == 2


def test_bump_other_activations(panel):
    tab = panel.bump
    tab.activation.set_activation("relu")
    assert len(tab.hidden_curves) == 4 and "two ramps" in tab.formula.text()
    x, y = tab.curve.getData()
    assert y[np.argmin(abs(x - 0.5))] == pytest.approx(tab.h.value(), abs=1e-6)
    tab.activation.set_activation("step")
    assert len(tab.hidden_curves) == 2 and set(np.round(curve_y(tab.curve), 9)) <= {0.0, tab.h.value()}


# ------------------------------------------------------------------ many bumps

def test_many_bumps_fit_counts_and_error(panel, qtbot):
    tab = panel.many_bumps
    tab.n.setValue(100)
    assert "200 hidden neurons" in tab.neurons_label.text()
    assert tab.errors[0] < 0.01
    assert len(tab.handles.data) == 100
    tab.n.setValue(5)
    assert tab.errors[0] > 0.05
    qtbot.waitUntil(lambda: tab.error_values is not None, timeout=3000)
    assert len(tab.error_curve.getData()[0]) == len(tab.error_values)
    errs = tab.error_values
    assert errs[-1] < 0.01 and errs[0] > 10 * errs[-1]


class FakeDrag:
    def __init__(self, down, pos, start=False, finish=False):
        self._down, self._pos, self._start, self._finish = down, pos, start, finish
        self.accepted = False

    def button(self):
        return Qt.MouseButton.LeftButton

    def isStart(self):  # noqa: N802
        return self._start

    def isFinish(self):  # noqa: N802
        return self._finish

    def buttonDownPos(self):  # noqa: N802
        return self._down

    def pos(self):
        return self._pos

    def accept(self):
        self.accepted = True

    def ignore(self):
        self.accepted = False


def test_dragging_a_bump_top_changes_only_that_height(panel):
    tab = panel.many_bumps
    tab.n.setValue(4)
    before = tab.heights.copy()
    centre = QPointF(0.375, float(before[1]))
    tab.handles.mouseDragEvent(FakeDrag(centre, centre, start=True))
    tab.handles.mouseDragEvent(FakeDrag(centre, QPointF(0.375, 0.9), finish=True))
    assert tab.heights[1] == pytest.approx(0.9)
    assert np.array_equal(np.delete(tab.heights, 1), np.delete(before, 1))
    x, y = tab.curve.getData()
    assert y[np.argmin(abs(x - 0.375))] == pytest.approx(0.9, abs=1e-3)
    assert "by hand" in tab.error_label.text()
    miss = FakeDrag(QPointF(0.375, 5.0), QPointF(0.375, 5.0), start=True)
    tab.handles.mouseDragEvent(miss)
    assert not miss.accepted
    tab.fit_button.click()
    assert np.allclose(tab.heights, before)


def test_dragging_a_bump_top_with_the_mouse(panel, qtbot):
    panel.show()
    panel.tabs.setCurrentWidget(panel.many_bumps)
    qtbot.waitExposed(panel)
    tab = panel.many_bumps
    tab.n.setValue(4)
    before = tab.heights.copy()
    mouse_drag(tab.plot, (0.625, before[2]), (0.625, 0.05))
    assert tab.heights[2] == pytest.approx(0.05, abs=0.02)
    assert np.array_equal(np.delete(tab.heights, 2), np.delete(before, 2))


def test_typed_formula_and_bad_formula_keeps_target(panel):
    tab = panel.many_bumps
    editor = tab.target
    editor.field.setText("0.5 + 0.3*sin(4*x)")
    editor.field.returnPressed.emit()
    assert editor.combo.currentText() == "typed formula" and editor.message.text() == ""
    x = tab.x
    assert np.allclose(tab.fx, 0.5 + 0.3 * np.sin(4 * x))
    good = tab.fx.copy()
    for bad, why in (("sin(x", "cannot read"), ("1/(x-0.5)", "not finite"), ("os.system('ls')", "unknown")):
        editor.field.setText(bad)
        editor.field.returnPressed.emit()
        assert why in editor.message.text() and "Keeping f = 0.5 + 0.3*sin(4*x)" in editor.message.text()
        assert editor.is_invalid()
        assert np.array_equal(tab.fx, good)
    editor.combo.setCurrentText("|x - 0.5|")
    assert not editor.is_invalid() and np.allclose(tab.fx, abs(x - 0.5))


def test_presets_are_all_fitted(panel):
    tab = panel.many_bumps
    tab.n.setValue(50)
    for name in ("book", "sin", "|x - 0.5|", "step", "Gaussian"):
        tab.target.combo.setCurrentText(name)
        assert tab.errors[0] < 0.02, name


def test_activation_chooser_changes_hidden_count(panel):
    tab = panel.many_bumps
    tab.n.setValue(10)
    tab.activation.set_activation("relu")
    assert "40 hidden neurons" in tab.neurons_label.text()
    assert tab.errors[0] < 0.06
    tab.activation.set_activation("tanh")
    assert "20 hidden neurons" in tab.neurons_label.text()


def test_sigmoid_output_challenge_checks_itself(panel):
    tab = panel.many_bumps
    tab.challenge_button.click()
    assert tab.n.value() == 5 and tab.sigmoid_output.isChecked()
    assert np.all(tab.heights == 0)
    assert "passed" not in tab.challenge_label.text() and tab.deviation > 0.4
    fitted = sg.fit_heights(tab.target.target, 5, tab.steepness.value(), output_activation="sigmoid")
    for i, h in enumerate(fitted):
        tab.set_height(i, h)
    assert tab.deviation < 0.40 and "challenge passed" in tab.challenge_label.text()
    tab.target.field.setText("2*x")          # leaves (0, 1): clipped, said so
    tab.target.field.returnPressed.emit()
    assert "between 0 and 1" in tab.note.text()


# ------------------------------------------------------------------ two inputs

def test_two_inputs_step_and_tower(panel):
    tab = panel.two_inputs
    tab.s.setValue(0.3)
    img = tab.left.image.image
    assert img.shape == (101, 101)
    assert img[80, 50] > 0.99 and img[10, 50] < 0.01            # step in x: depends on x only
    assert np.allclose(tab.right.image.image, img.T)
    tab.mode.setCurrentIndex(1)
    tab.threshold.setValue(1.5)
    tower = tab.right.image.image
    assert tower[45, 60] > 0.99 and tower[45, 10] < 0.01 and tower[90, 60] < 0.01
    assert tab.left.image.image.max() == pytest.approx(2.0, abs=1e-3)
    tab.threshold.setValue(0.5)                                   # low threshold: the cross shows
    assert tab.right.image.image[45, 10] > 0.99
    tab.x1.setValue(0.9)                                          # past "x to": swapped
    assert (tab.x1.value(), tab.x2.value()) == (0.6, 0.9) and "swapped" in tab.swap_note.text()


def test_two_inputs_grid_of_towers(panel):
    tab = panel.two_inputs
    tab.mode.setCurrentIndex(2)
    tab.n.setValue(4)
    coarse = tab.errors[0]
    tab.n.setValue(12)
    assert tab.errors[0] < coarse
    assert "48 step neurons, 144 tower neurons" in tab.info.text()
    assert tab.left.image.image.shape == tab.right.image.image.shape == (101, 101)
    tab.target.field.setText("log(x)")
    tab.target.field.returnPressed.emit()
    assert "not finite" in tab.target.message.text()
