"""The gradient-descent panel, driven through its widgets (pytest-qt, offscreen)."""

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtWidgets import QAbstractButton, QApplication, QComboBox

from explorer.core.descent import QuadraticBowl
from explorer.panels.descent import DescentPanel
from explorer.style import Style
from explorer.widgets.value_slider import ValueSlider


@pytest.fixture
def panel(qtbot):
    p = DescentPanel()
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.shutdown()


def choose(panel, name):
    combo = panel.controls.surface_combo
    combo.setCurrentIndex(combo.findData(name))


def test_identity_registration_and_hover_tips(panel):
    from explorer.panels import panel_class

    assert panel_class("descent") is DescentPanel
    assert (panel.name, panel.title) == ("descent", "Gradient descent")
    assert '"Stochastic gradient descent"' in panel.slides
    controls = panel.controls.findChildren(QAbstractButton) + panel.controls.findChildren(QComboBox)
    for s in panel.controls.findChildren(ValueSlider):
        controls += [s.slider, s.line_edit]
    assert len(controls) >= 12
    for w in controls + [panel.contour, panel.cost_plot, panel.angle_plot]:
        assert w.toolTip() and w.statusTip() == w.toolTip(), w


def test_click_on_the_plot_places_the_ball(panel, qtbot):
    choose(panel, "bowl")
    view = panel.contour
    target = view.mapFromScene(view.scene_point(1.0, -1.5))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(target.x(), target.y()))
    qtbot.waitUntil(lambda: panel.state.steps_taken == 0 and abs(panel.state.start[0] - 1.0) < 0.05)
    np.testing.assert_allclose(panel.state.current, (1.0, -1.5), atol=0.05)
    xs, ys = view.ball.getData()
    np.testing.assert_allclose((xs[0], ys[0]), panel.state.current)
    assert "0 steps" in panel.controls.position_label.text()
    view._mouse_moved(view.scene_point(0.5, 0.5))  # hovering reads C under the mouse
    assert view.hover_text.toPlainText().endswith(f"C = {1 * 0.25 + 10 * 0.25:.4g}")


def test_step_moves_along_minus_eta_gradient(panel):
    choose(panel, "bowl")
    panel.controls.eta_slider.setValue(0.02)
    panel.place_ball(1.0, 1.0)
    before = panel.controls.prediction_label.text()
    panel.controls.step_button.click()
    np.testing.assert_allclose(panel.state.current, [1.0 - 0.02 * 2.0, 1.0 - 0.02 * 20.0], rtol=0, atol=1e-15)
    xs, ys = panel.contour.path_curve.getData()
    assert len(xs) == 2 and (xs[1], ys[1]) == tuple(panel.state.current)
    # the readout now describes the next step from the new point
    assert panel.controls.prediction_label.text() != before
    pred = panel.state.prediction()
    g = QuadraticBowl().gradient(panel.state.current)
    np.testing.assert_allclose(pred.delta_v, -0.02 * g)
    assert f"{pred.predicted:.4g}" in panel.controls.prediction_label.text()
    panel.controls.reset_button.click()
    assert panel.state.steps_taken == 0 and tuple(panel.state.current) == (1.0, 1.0)


def test_run_and_pause(panel, qtbot):
    choose(panel, "rosenbrock")
    run = panel.controls.run_button
    run.click()
    assert panel.is_running() and run.text() == "Pause"
    qtbot.waitUntil(lambda: panel.state.steps_taken >= 5, timeout=5000)
    run.click()
    assert not panel.is_running() and run.text() == "Run"
    taken = panel.state.steps_taken
    QApplication.processEvents()  # whatever was queued: a paused panel does not step
    assert not panel.timer.isActive() and panel.state.steps_taken == taken
    assert len(panel.cost_plot.full.getData()[0]) == taken + 1


def test_large_eta_says_diverging_and_run_pauses_by_itself(panel, qtbot):
    choose(panel, "bowl")
    panel.controls.eta_slider.setValue(0.2)  # above 2/L = 0.1
    assert "up" in panel.controls.first_order_note.text()  # the first-order formula fails
    panel.controls.speed_slider.setValue(5)
    panel.controls.run_button.click()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=5000)
    text = panel.controls.diagnosis_label.text()
    assert "Diverging" in text and "2/L = 0.1" in text
    assert panel.state.cost(panel.state.current) > 1e3


def test_small_eta_crawls_and_good_eta_button(panel):
    choose(panel, "bowl")
    panel.controls.eta_slider.setValue(0.0005)
    for _ in range(6):
        panel.step()
    assert "Crawling" in panel.controls.diagnosis_label.text()
    panel.controls.use_good_eta_button.click()
    assert panel.controls.eta_slider.value() == pytest.approx(0.05)
    panel.controls.conditioning_slider.setValue(50.0)  # L = 100
    panel.controls.use_good_eta_button.click()
    assert panel.state.learning_rate == pytest.approx(0.01)
    assert "L = 100" in panel.controls.good_eta_label.text()


def test_surface_chooser_redraws_and_marks_minimum(panel):
    choose(panel, "saddle")
    assert panel.state.surface.name == "saddle"
    xs, ys = panel.contour.minima.getData()
    assert sorted(zip(xs, ys)) == [(0.0, -1.0), (0.0, 1.0)]
    assert len(panel.contour.saddle.getData()[0]) == 1
    assert not panel.controls.sgd_box.isEnabled() and panel.angle_plot.isHidden()
    choose(panel, "rosenbrock")
    xs, ys = panel.contour.minima.getData()
    assert (xs[0], ys[0]) == (1.0, 1.0)
    assert panel.contour.image.image.shape[0] > 100
    assert panel.controls.conditioning_slider.isHidden()


def test_sgd_path_beside_full_path_on_data_cost(panel):
    choose(panel, "data")
    assert panel.controls.sgd_box.isEnabled() and not panel.angle_plot.isHidden()
    panel.controls.batch_slider.setValue(2)
    for _ in range(8):
        panel.step()
    full = np.column_stack(panel.contour.path_curve.getData())
    sgd = np.column_stack(panel.contour.sgd_curve.getData())
    assert full.shape == sgd.shape == (9, 2)
    assert np.abs(full - sgd).max() > 1e-3  # two examples per step: a noisy path
    assert len(panel.cost_plot.sgd.getData()[0]) == 9
    panel.controls.sgd_check.setChecked(False)
    xs, _ = panel.contour.sgd_curve.getData()
    assert xs is None or len(xs) == 0


def test_m_slider_changes_angle_readout(panel):
    choose(panel, "data")
    panel.controls.batch_slider.setValue(1)
    one = panel.controls.angle_label.text()
    panel.controls.batch_slider.setValue(24)
    assert panel.controls.angle_label.text() != one
    assert "0.0°" in panel.controls.angle_label.text()
    angle_one = float(one.split("<b>")[1].split("°")[0])
    assert angle_one > 5.0
    ms, angles = panel.angle_plot.curve.getData()
    assert list(ms) == list(range(1, 25)) and angles[0] > 5.0 > 1e-6 > angles[-1]
    assert panel.angle_plot.marker.getData()[0][0] == 24


def test_styles_and_shutdown(panel, qtbot):
    panel.apply_style(Style(theme="dark", presentation=True))
    assert panel.contour.isVisible()
    panel.apply_style(Style())
    panel.run()
    assert panel.is_running()
    panel.shutdown()
    assert not panel.timer.isActive()


def test_fit_plot_follows_the_balls_on_data_cost(panel):
    choose(panel, "data")
    assert not panel.fit_plot.isHidden() and panel.fit_plot.parent() is not None
    before = panel.fit_plot.full.getData()[1].copy()
    panel.step()
    grid, after = panel.fit_plot.full.getData()
    w, b = panel.state.current
    np.testing.assert_allclose(after, 1 / (1 + np.exp(-(w * grid + b))), rtol=1e-9)
    assert np.abs(after - before).max() > 1e-4
    choose(panel, "bowl")
    assert panel.fit_plot.isHidden() and panel.fit_plot.parent() is not None  # never a stray window


def test_bad_typed_eta_is_refused_and_kept(panel, qtbot):
    choose(panel, "bowl")
    field = panel.controls.eta_slider.line_edit
    field.setText("fast")
    field.editingFinished.emit()
    assert panel.controls.eta_slider.is_invalid()
    assert panel.state.learning_rate == pytest.approx(0.05)
    panel.step()  # still steps with the kept eta
    np.testing.assert_allclose(panel.state.current, np.array([-2.5, 2.0]) * np.array([0.9, 0.0]), atol=1e-12)


def test_first_order_plot_shows_where_the_formula_fails(panel):
    choose(panel, "bowl")
    panel.place_ball(1.0, 0.5)
    panel.controls.eta_slider.setValue(0.12)
    etas, predicted = panel.first_order_plot.predicted.getData()
    _, actual = panel.first_order_plot.actual.getData()
    assert etas[0] == 0.0 and etas[-1] == pytest.approx(0.25)  # the eta slider's range
    g = np.array([2.0, 10.0])
    np.testing.assert_allclose(predicted, -etas * (g @ g))
    small = etas < 0.005
    np.testing.assert_allclose(actual[small], predicted[small], rtol=0.1)  # agree for small eta
    assert actual[-1] > 0 > predicted[-1]  # part for big eta: C rises
    assert panel.first_order_plot.eta_line.value() == pytest.approx(0.12)


def test_cost_axis_labels_decades_only_even_when_tall(qtbot):
    """pyqtgraph labels every minor log tick on a tall plot (9·10¹, 8·10¹, ...); ours only 10ⁿ."""
    from explorer.panels.descent.charts import CostPlot, decade_label

    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.apply_style(Style())
    plot.resize(420, 900)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_data(np.geomspace(50.0, 0.2, 30), np.geomspace(40.0, 0.3, 30))
    axis = plot.getAxis("left")
    lo, hi = plot.getViewBox().viewRange()[1]
    levels = axis.tickValues(lo, hi, 900)
    labels = [t for spacing, values in levels for t in axis.tickStrings(values, 1.0, spacing) if t]
    assert labels and all(t in {decade_label(n) for n in range(-3, 4)} for t in labels), labels
    assert {"1", "10¹", "10⁻¹"} <= set(labels)
    marks = [v for spacing, values in levels if spacing is None for v in values]
    assert len(marks) > 10  # the 2..9 x 10ⁿ marks are still drawn, without numbers
    assert decade_label(-16) == "10⁻¹⁶" and decade_label(0) == "1"


def test_switching_to_another_panel_pauses_the_run(qtbot):
    from PyQt6.QtWidgets import QStackedWidget, QWidget

    stack = QStackedWidget()  # what the main window does with its panels
    qtbot.addWidget(stack)
    panel = DescentPanel()
    other = QWidget()
    stack.addWidget(panel)
    stack.addWidget(other)
    stack.show()
    panel.run()
    qtbot.waitUntil(lambda: panel.state.steps_taken >= 2, timeout=5000)
    stack.setCurrentWidget(other)
    assert not panel.is_running() and panel.controls.run_button.text() == "Run"
    taken = panel.state.steps_taken
    QApplication.processEvents()
    assert panel.state.steps_taken == taken
    panel.shutdown()


def test_at_the_minimum_the_readouts_speak_in_words(panel):
    choose(panel, "data")
    w, b = panel.state.surface.minima[0]
    panel.place_ball(w, b)
    pred = panel.state.prediction()
    assert pred.predicted != 0.0 and pred.below_resolution
    assert "rounding" in panel.controls.first_order_note.text()
    text = panel.controls.angle_label.text()
    assert "many times" in text and "%" not in text  # not "its length by 433360115%"
    panel.place_ball(0.0, 0.0)  # away from the minimum: the percentage again
    assert "%" in panel.controls.angle_label.text() and "rounding" not in panel.controls.first_order_note.text()


def test_first_order_axis_counts_in_powers_of_ten_for_huge_changes(panel):
    """Far out on the Rosenbrock valley ΔC ~ 1e15: labels like -2.5e+15 did not fit and the axis was bare."""
    choose(panel, "rosenbrock")
    panel.controls.eta_slider.setValue(0.04)
    panel.place_ball(182.5, 22.86)
    plot = panel.first_order_plot
    axis = plot.getAxis("left")
    assert "×10¹⁵" in axis.labelText
    lo, hi = plot.getViewBox().viewRange()[1]
    labels = [t for spacing, values in axis.tickValues(lo, hi, 300) for t in axis.tickStrings(values, axis.scale, spacing)]
    assert "-1" in labels and max(len(t) for t in labels) <= 5, labels
    choose(panel, "bowl")  # ordinary sizes: plain numbers again
    assert axis.labelText == "ΔC" and axis.scale == 1.0


@pytest.mark.parametrize("surface", ["bowl", "data"])
def test_presentation_charts_fit_their_widgets(panel, qtbot, surface):
    """A hidden pyqtgraph title kept its text's width: the charts were cut off on the right."""
    choose(panel, surface)
    panel.apply_style(Style(presentation=True))
    charts = [panel.cost_plot, panel.first_order_plot, panel.angle_plot, panel.fit_plot]
    shown = [c for c in charts if not c.isHidden()]
    qtbot.waitUntil(lambda: all(c.width() > 0 for c in shown))
    for chart in shown:
        QApplication.processEvents()
        assert chart.getPlotItem().titleLabel.text == ""
        assert chart.getPlotItem().geometry().width() <= chart.width() + 0.5, type(chart).__name__
    panel.apply_style(Style())
    assert panel.cost_plot.getPlotItem().titleLabel.text == "Cost vs step"
