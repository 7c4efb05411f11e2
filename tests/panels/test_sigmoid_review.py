"""pytest-qt tests of the sigmoid panel, part 2: ordering while dragging, limits, bad targets, heat maps.

Each test here failed before the fix it names (review of issue 3).
"""

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt6.QtCore import QPointF

from explorer.style import Style
from test_sigmoid_panel import mouse_drag, panel  # noqa: F401 (panel is a fixture)

def test_dragging_s1_line_past_s2_stops_there_and_says_so(panel, qtbot):
    """Swapping under the mouse handed the drag to s2 and collapsed the bump to zero width."""
    panel.show()
    panel.tabs.setCurrentWidget(panel.bump)
    qtbot.waitExposed(panel)
    tab = panel.bump
    tab.s1.setValue(0.4)
    tab.s2.setValue(0.6)
    mouse_drag(tab.plot, (0.4, 0.3), (0.85, 0.3), steps=12)
    assert (tab.s1.value(), tab.s2.value()) == (pytest.approx(0.6), pytest.approx(0.6))
    assert tab.lines[0].value() == pytest.approx(0.6) and tab.lines[1].value() == pytest.approx(0.6)
    assert "s1 stops at s2" in tab.swap_note.text()
    for v in (0.55, 0.3):                      # the s2 line dragged below s1 stops at s1 too
        tab.lines[1].setValue(v)
    assert tab.s2.value() == pytest.approx(0.6) and "s2 stops at s1" in tab.swap_note.text()


def test_dragging_a_slider_handle_past_its_partner_stops(panel):
    tab = panel.bump
    tab.s1.setValue(0.4)
    tab.s2.setValue(0.6)
    tab.s1.slider.setSliderDown(True)          # the user holds the s1 handle
    for v in (0.5, 0.65, 0.7, 0.8):
        tab.s1.setValue(v)
    tab.s1.slider.setSliderDown(False)
    assert (tab.s1.value(), tab.s2.value()) == (0.6, 0.6) and "s1 stops at s2" in tab.swap_note.text()
    two = panel.two_inputs
    two.mode.setCurrentIndex(1)
    two.y2.slider.setSliderDown(True)
    two.y2.setValue(0.1)                       # y to dragged below y from = 0.4
    two.y2.slider.setSliderDown(False)
    assert (two.y1.value(), two.y2.value()) == (0.4, 0.4) and "y to stops at y from" in two.swap_note.text()


def test_probe_dots_keep_their_colours_after_a_redraw(panel):
    tab = panel.one_neuron
    panel.apply_style(Style())
    tab.w.setValue(33.0)                        # refresh: setData used to reset the per-point brushes
    brushes = [tab.probe.points()[i].brush().color().name() for i in range(2)]
    assert brushes == [pg.mkColor(Style().color(0)).name(), pg.mkColor(Style().color(1)).name()]


@pytest.mark.parametrize("bad, why", [
    ("1/(x - 1/1999)", "not finite at x = 0.00050025"),   # finite on the parser's 401 points, not on the plot's
    ("x*1e300", "too large"),
])
def test_formula_bad_only_on_the_plotted_points_keeps_target(panel, bad, why):
    tab = panel.many_bumps
    before = tab.fx.copy()
    tab.target.field.setText(bad)
    tab.target.field.returnPressed.emit()
    assert why in tab.target.message.text() and tab.target.is_invalid()
    assert np.array_equal(tab.fx, before) and np.isfinite(tab.errors[0])


def test_two_inputs_formula_singular_on_the_heat_map_grid_keeps_target(panel):
    tab = panel.two_inputs
    tab.mode.setCurrentIndex(2)
    before = tab.right.image.image.copy()
    tab.target.field.setText("1/(x - 0.01)")          # x = 0.01 is a column of the 101-point maps
    tab.target.field.returnPressed.emit()
    assert "not finite at x = 0.01" in tab.target.message.text()
    assert np.array_equal(tab.right.image.image, before) and np.isfinite(tab.errors[0])


def test_formula_line_writes_large_weights_in_full(panel):
    tab = panel.one_neuron
    tab.w.setValue(10.0)
    tab.b.setValue(-8.0)
    tab.preset_buttons[1000.0].click()                     # keeps s = 0.8: b = -800
    assert "σ(1000 x − 800)" in tab.formula.text() and "e+" not in tab.formula.text()
    panel.bump.steepness.setValue(400)
    assert "0.8·σ(400 x − 160)" in panel.bump.formula.text()


def test_step_line_dragged_beyond_what_b_can_reach_says_so(panel):
    tab = panel.one_neuron
    tab.range_combo.setCurrentText("x from −5 to 5")
    tab.w.setValue(1000.0)
    tab.b.setValue(-500.0)                                 # s = 0.5
    tab.s_line.setValue(3.0)                               # would need b = -3000: b stops at -1000
    assert tab.b.value() == -1000.0 and tab.s_line.value() == pytest.approx(1.0)
    assert "s cannot pass 1" in tab.step_label.text()
    tab.s_line.setValue(3.5)                               # b already at its limit: the line still snaps back
    assert tab.s_line.value() == pytest.approx(1.0) and tab.step_label.text().count("cannot pass") == 1
    tab.s_line.setValue(0.25)
    assert tab.b.value() == -250.0 and "cannot pass" not in tab.step_label.text()


def test_heat_map_pixels_sit_on_their_sample_points(panel):
    tab = panel.two_inputs
    tab.s.setValue(0.3)
    img = tab.left.image
    assert img.image[30, 50] == pytest.approx(0.5)              # the sample at x = 0.3 is on the step
    centre = img.mapToParent(QPointF(30.5, 50.5))              # ... and is drawn at x = 0.3, y = 0.5
    assert (centre.x(), centre.y()) == (pytest.approx(0.3), pytest.approx(0.5))


def test_hand_set_heights_survive_a_steepness_or_activation_change(panel):
    """Moving w used to refit every height: the challenge then 'passed' by itself."""
    tab = panel.many_bumps
    tab.challenge_button.click()
    tab.set_height(4, 1.0)
    hand = tab.heights.copy()
    tab.steepness.setValue(200)
    tab.activation.set_activation("tanh")
    assert np.array_equal(tab.heights, hand) and tab.manual
    assert "passed" not in tab.challenge_label.text()
    tab.fit_button.click()                                 # fitting is still one click away
    assert not tab.manual and "challenge passed" in tab.challenge_label.text()


def test_error_curve_with_sigmoid_output_and_f_outside_0_1(panel, qtbot):
    """The error-vs-N plot went blank (and is_ready stayed False) for such an f; the tab clips it."""
    tab = panel.many_bumps
    tab.sigmoid_output.setChecked(True)
    tab.target.field.setText("2*x")
    tab.target.field.returnPressed.emit()
    assert "clipped" in tab.note.text()
    with qtbot.waitSignal(tab._error_timer.timeout, timeout=3000):    # the debounced refit of 13 networks
        pass
    assert tab.error_curve_tried and tab.error_values is not None and len(tab.error_curve.getData()[0]) == len(tab.error_values)
    assert panel.is_ready()


def test_w_preset_that_cannot_keep_s_says_so(panel):
    tab = panel.one_neuron
    tab.range_combo.setCurrentText("x from −5 to 5")
    tab.w.setValue(10.0)
    tab.b.setValue(-30.0)                                  # s = 3
    tab.preset_buttons[1000.0].click()                     # would need b = -3000
    assert tab.w.value() == 1000.0 and tab.b.value() == -1000.0
    assert "s cannot pass 1" in tab.step_label.text()
    tab.preset_buttons[100.0].click()                      # s = 1 is kept: no note
    assert tab.b.value() == -100.0 and "cannot pass" not in tab.step_label.text()


def test_target_curves_are_not_redrawn_while_heights_are_dragged(panel):
    """Re-setting unchanged target data threw away their cached pixmaps on every drag step."""
    tab = panel.many_bumps
    tab.sigmoid_output.setChecked(True)
    target, faint = tab.target_curve.getData()[1], tab.faint_target.getData()[1]
    tab.set_height(2, 0.5)
    tab.steepness.setValue(3000)
    assert tab.target_curve.getData()[1] is target and tab.faint_target.getData()[1] is faint
    tab.target.combo.setCurrentText("sin")                 # a new f: new target data
    assert np.allclose(tab.target_curve.getData()[1], np.log(tab.fx / (1 - tab.fx)))
    tab.sigmoid_output.setChecked(False)                   # the linear output draws f itself
    assert np.array_equal(tab.target_curve.getData()[1], tab.fx)


def test_choosing_the_current_preset_again_clears_a_refused_formula(panel):
    editor = panel.many_bumps.target
    editor.field.setText("sin(x")
    editor.field.returnPressed.emit()
    assert editor.is_invalid() and editor.combo.currentText() == "book"
    editor.combo.activated.emit(editor.combo.currentIndex())      # the user picks "book" again
    assert not editor.is_invalid() and editor.field.text() == editor.target.text
