"""The perceptron panel, driven through its widgets (pytest-qt, offscreen); its picture is tested in
test_perceptron_geometry_view.py."""

import numpy as np
import pytest
from PyQt6.QtCore import QPointF, Qt
from PyQt6.QtWidgets import QAbstractItemView

from explorer.panels.perceptron import PerceptronPanel
from explorer.style import Style


@pytest.fixture
def panel(qtbot):
    p = PerceptronPanel()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.shutdown()


def cell(p, row, col) -> str:
    return p.table.table.item(row, col).text()


def column(p, name) -> int:
    t = p.table.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    return headers.index(name)


def click_cell(qtbot, table, row, col):
    rect = table.visualItemRect(table.item(row, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_into(qtbot, line_edit, text):
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def test_defaults(panel):
    assert panel.name == "perceptron" and panel.title == "Perceptron"
    assert panel.state.n == 2
    assert panel.table.table.rowCount() == 4
    assert panel.editor.preset_combo.currentText() == "AND"
    assert "2 of 4 rows right" in panel.table.score.text()


def test_edit_weight_updates_table_and_line(panel, qtbot):
    sum_col = column(panel, "w·x + b")
    before_line = panel.geometry.boundary.getData()
    assert cell(panel, 2, sum_col) == "0.50"  # row (1, 0): 1*1 + 1*0 - 0.5
    panel.editor.weight_sliders[0].setValue(-1.0)
    assert panel.state.perceptron.weights.tolist() == [-1.0, 1.0]
    assert cell(panel, 2, sum_col) == "−1.50"
    assert cell(panel, 2, column(panel, "output")) == "0"
    after_line = panel.geometry.boundary.getData()
    assert not np.allclose(np.r_[before_line[0], before_line[1]], np.r_[after_line[0], after_line[1]])
    x, y = after_line
    # every drawn point of the line satisfies w.x + b = 0 for the new weights
    np.testing.assert_allclose(-1.0 * x + 1.0 * y - 0.5, 0, atol=1e-9)
    # typing a value works too
    type_into(qtbot, panel.editor.bias_slider.line_edit, "-1.5")
    assert panel.state.perceptron.bias == -1.5
    assert "1.5" in panel.editor.bias_formula.text()


def test_find_weights_on_and_sets_integer_weights(panel, qtbot):
    qtbot.mouseClick(panel.learning.find_button, Qt.MouseButton.LeftButton)
    assert panel.state.perceptron.weights.tolist() == [1.0, 1.0]
    assert panel.state.perceptron.bias == -1.0
    assert "4 of 4 rows right" in panel.table.score.text()
    assert panel.editor.weight_sliders[0].value() == 1.0
    assert "Found" in panel.learning.find_message.text()


def test_xor_find_weights_says_not_separable_and_points_to_nand(panel, qtbot):
    panel.editor.preset_combo.setCurrentText("XOR")
    assert panel.state.targets.tolist() == [0, 1, 1, 0]
    before = panel.state.perceptron
    assert panel.learning.find_message.isHidden()  # no room taken before there is an answer
    qtbot.mouseClick(panel.learning.find_button, Qt.MouseButton.LeftButton)
    assert panel.learning.find_message.isVisible()
    text = panel.learning.find_message.text()
    assert "not linearly separable" in text and "NAND" in text
    assert panel.state.perceptron == before  # nothing changed
    panel.learning.find_message.linkActivated.emit("nand")
    assert panel.tabs.currentWidget() is panel.nand
    assert panel.nand.circuit.name == "XOR"


def test_learn_converges_on_and_animated(panel, qtbot):
    panel.state.set_perceptron(panel.state.perceptron.with_weights([0, 0]).with_bias(0))
    panel.learning.speed.setValue(20)
    with qtbot.waitSignal(panel.learning.learning_finished, timeout=10000) as blocker:
        qtbot.mouseClick(panel.learning.play_button, Qt.MouseButton.LeftButton)
    assert "all rows right" in blocker.args[0]
    assert np.array_equal(panel.state.perceptron.truth_table(), [0, 0, 0, 1])
    assert "4 of 4 rows right" in panel.table.score.text()
    assert not panel.learning.timer.isActive()
    assert panel.learning.updates > 0
    assert f"updates: {panel.learning.updates}" == panel.learning.count_label.text()


def test_a_run_that_converged_at_the_cap_stays_converged(panel, qtbot):
    panel.state.set_perceptron(panel.state.perceptron.with_weights([0, 0]).with_bias(0))
    panel.learning.cap.setValue(10)  # AND from w = 0, b = 0 takes exactly 10 updates
    for _ in range(10):
        panel.learning.step_button.click()
    assert panel.learning.updates == 10 and "all rows right" in panel.learning.verdict.text()
    panel.learning.step_button.click()  # at the cap, but every row is right: no "not yet right"
    assert "all rows right after 10 updates" in panel.learning.verdict.text()
    assert "4 of 4 rows right" in panel.table.score.text()


def test_learn_step_by_step_and_xor_cap_verdict(panel, qtbot):
    panel.editor.preset_combo.setCurrentText("XOR")
    panel.learning.cap.setValue(10)
    rows_used = []
    panel.learning.row_used.connect(rows_used.append)
    for _ in range(10):
        qtbot.mouseClick(panel.learning.step_button, Qt.MouseButton.LeftButton)
    assert panel.learning.updates == 10 and len(rows_used) == 10
    assert "not linearly separable" in panel.learning.verdict.text()
    # one more click does not update past the cap
    qtbot.mouseClick(panel.learning.step_button, Qt.MouseButton.LeftButton)
    assert panel.learning.updates == 10


def test_target_column_toggles_only_zero_one(panel, qtbot):
    table = panel.table.table
    tcol = column(panel, "target")
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not table.item(0, tcol).flags() & Qt.ItemFlag.ItemIsEditable
    click_cell(qtbot, table, 0, tcol)
    assert cell(panel, 0, tcol) == "1" and panel.state.targets[0] == 1
    assert panel.editor.preset_combo.currentText() == "custom"
    click_cell(qtbot, table, 0, tcol)
    assert cell(panel, 0, tcol) == "0"
    # clicking another column does not toggle
    click_cell(qtbot, table, 0, column(panel, "output"))
    assert cell(panel, 0, tcol) == "0"
    # Space toggles the current target cell
    table.setCurrentCell(1, tcol)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert cell(panel, 1, tcol) == "1"
    assert set(panel.state.targets.tolist()) <= {0, 1}
    with pytest.raises(ValueError, match="0 and 1"):
        panel.state.set_targets([0, 2, 1, 0])


def test_bad_text_in_weight_field_is_refused(panel, qtbot):
    w1 = panel.editor.weight_sliders[0]
    sums_before = [cell(panel, r, column(panel, "w·x + b")) for r in range(4)]
    for text in ("abc", "1e999", "500", "", "nan", "-inf", "1/2"):
        type_into(qtbot, w1.line_edit, text)
        assert w1.is_invalid(), text
        assert w1.value() == 1.0
        assert panel.state.perceptron.weights[0] == 1.0
    assert [cell(panel, r, column(panel, "w·x + b")) for r in range(4)] == sums_before
    assert "allowed" in w1.line_edit.toolTip() or "number" in w1.line_edit.toolTip()
    type_into(qtbot, w1.line_edit, "2.5")
    assert not w1.is_invalid() and panel.state.perceptron.weights[0] == 2.5


def test_choosing_custom_keeps_the_column_as_the_users_own(panel):
    ed = panel.editor
    ed.preset_combo.setCurrentText("OR")
    ed.preset_combo.setCurrentText("custom")
    assert panel.state.preset == "custom" and panel.state.targets.tolist() == [0, 1, 1, 1]
    panel.state.set_perceptron(panel.state.perceptron.with_bias(0.3))  # any later sync keeps "custom"
    assert ed.preset_combo.currentText() == "custom"


def test_every_control_and_label_explains_itself(panel):
    from PyQt6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QSlider

    for tab in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(tab)
        kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QSlider, QLabel)
        silent = [
            f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
            for w in panel.tabs.currentWidget().findChildren(kinds)
            if w.isVisible() and not w.toolTip() and not isinstance(w.parent(), QAbstractSpinBox)
        ]
        assert not silent, silent


def test_switching_n_keeps_the_weights_it_can(panel):
    ed = panel.editor
    ed.weight_sliders[0].setValue(1.5)
    ed.weight_sliders[1].setValue(-2.0)
    ed.bias_slider.setValue(0.7)
    ed.n_spin.setValue(3)
    assert panel.state.perceptron.weights.tolist() == [1.5, -2.0, 0.0]
    assert panel.state.perceptron.bias == 0.7
    assert panel.table.table.rowCount() == 8 and panel.table.table.columnCount() == 3 + 4
    assert not ed.weight_sliders[2].isHidden() and ed.weight_sliders[3].isHidden()
    assert "exactly two are 1" in [ed.preset_combo.itemText(i) for i in range(ed.preset_combo.count())]
    # no right/wrong colours left over in the wrong columns from the n = 2 layout
    table = panel.table.table
    for r in range(8):
        assert table.item(r, column(panel, "target")).foreground().style() == Qt.BrushStyle.NoBrush
    assert table.item(0, column(panel, "")).foreground().style() != Qt.BrushStyle.NoBrush
    ed.n_spin.setValue(1)
    assert panel.state.perceptron.weights.tolist() == [1.5]
    assert ed.weight_sliders[1].isHidden()
    ed.n_spin.setValue(2)
    assert panel.state.perceptron.weights.tolist() == [1.5, 0.0]
    assert ed.weight_sliders[0].value() == 1.5 and ed.weight_sliders[1].value() == 0.0


def test_threshold_form_switch(panel, qtbot):
    ed = panel.editor
    ed.bias_slider.setValue(-1.5)
    ed.threshold_radio.click()
    assert panel.state.form == "threshold"
    assert ed.bias_slider.label.text() == "θ" and ed.bias_slider.value() == 1.5
    ed.bias_slider.setValue(0.5)  # threshold 0.5 -> b = -0.5
    assert panel.state.perceptron.bias == -0.5
    assert "&gt;&nbsp;0.5" in ed.threshold_formula.text() and "−&nbsp;0.5&nbsp;&gt;&nbsp;0" in ed.bias_formula.text()
    assert "<b>" in ed.threshold_formula.text() and "<b>" not in ed.bias_formula.text()
    ed.bias_radio.click()
    assert ed.bias_slider.label.text() == "b" and ed.bias_slider.value() == -0.5


def test_nand_tab_half_adder(panel):
    nv = panel.nand
    panel.tabs.setCurrentWidget(nv)
    nv.circuit_combo.setCurrentText("half adder")
    assert nv.table.rowCount() == 4
    headers = [nv.table.horizontalHeaderItem(c).text() for c in range(nv.table.columnCount())]
    assert headers == ["x1", "x2", "g1", "g2", "g3", "sum", "carry"]
    sums = [nv.table.item(r, 5).text() for r in range(4)]
    carries = [nv.table.item(r, 6).text() for r in range(4)]
    assert sums == ["0", "1", "1", "0"] and carries == ["0", "0", "0", "1"]
    nv.row_combo.setCurrentIndex(3)
    assert "sum = 0" in nv.values_label.text() and "carry = 1" in nv.values_label.text()
    assert nv.node_labels[-1].toPlainText() == "carry" and nv.value_labels[-1].toPlainText() == "1"
    assert nv.value_labels[-2].toPlainText() == "0"  # sum
    nv.circuit_combo.setCurrentText("NOT")
    assert nv.table.rowCount() == 2


def test_formulas_use_true_minus_signs(panel, qtbot):
    ed = panel.editor
    ed.bias_slider.setValue(1.5)
    ed.threshold_radio.click()
    assert "&gt;&nbsp;−1.5" in ed.threshold_formula.text() and "-" not in ed.threshold_formula.text()
    panel.editor.preset_combo.setCurrentText("NAND")
    qtbot.mouseClick(panel.learning.find_button, Qt.MouseButton.LeftButton)
    text = panel.learning.find_message.text()
    assert "w = (−1, −1), b = 2" in text and "threshold −2" in text


def test_switching_panels_pauses_learning(panel):
    panel.editor.preset_combo.setCurrentText("XOR")
    panel.learning.play_button.click()
    assert panel.learning.timer.isActive()
    panel.hide()  # what the main window's stack does when another panel is chosen
    assert not panel.learning.timer.isActive()
    assert panel.learning.play_button.text() == "Play" and not panel.learning.play_button.isChecked()


def test_a_narrow_window_squeezes_the_picture_not_the_table(panel, qtbot):
    panel.editor.n_spin.setValue(4)  # the widest table
    panel.resize(700, 600)  # below what everything needs: the panel keeps its minimum width
    table = panel.table.table
    qtbot.waitUntil(lambda: panel.geometry.width() < 400)  # the layout has followed the resize
    assert table.viewport().width() >= table.horizontalHeader().length()  # every column shown whole
    assert not table.horizontalScrollBar().isVisible()
    assert panel.geometry.width() >= 200


def test_presentation_mode_scales_the_fonts(qtbot):
    from explorer.main_window import MainWindow

    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    panel = window.show_panel("perceptron")
    window.show()
    qtbot.waitExposed(window)

    def sizes():
        geo = panel.geometry
        return {
            "table": panel.table.table.font().pointSizeF(),
            "score": panel.table.score.font().pointSizeF(),
            "formula": panel.editor.bias_formula.font().pointSizeF(),
            "corner label": geo.labels[0].textItem.font().pointSizeF(),
            "ticks": geo.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF(),
            "nand label": panel.nand.node_labels[0].textItem.font().pointSizeF(),
            "nand table": panel.nand.table.font().pointSizeF(),
        }

    normal = sizes()
    normal_corner = panel.geometry.corners.opts["size"]
    normal_line = panel.geometry.boundary.opts["pen"].widthF()
    window.set_presentation(True, full_screen=False)
    qtbot.waitUntil(lambda: panel.table.table.font().pointSizeF() == 2 * normal["table"])
    big = sizes()
    for key, size in normal.items():
        assert big[key] == pytest.approx(2 * size), key
    assert panel.geometry.corners.opts["size"] == 2 * normal_corner
    # the corner labels grew with the markers and still sit above them, not on them
    vb = panel.geometry.plot.getPlotItem().vb
    for k, (x, y) in enumerate(panel.state.rows().inputs):
        top_of_marker = vb.mapViewToScene(QPointF(float(x), float(y))).y() - panel.geometry.corners.opts["size"] / 2
        assert panel.geometry.labels[k].sceneBoundingRect().bottom() <= top_of_marker + 0.5
    assert panel.geometry.boundary.opts["pen"].widthF() == pytest.approx(2 * normal_line)
    # stacked in presentation: with n = 4 the picture only says "use the table", so the table gets the room
    panel.editor.n_spin.setValue(4)
    assert panel.views.orientation() == Qt.Orientation.Vertical
    assert panel.table.height() > 1.5 * panel.geometry.height()
    panel.editor.n_spin.setValue(2)
    assert panel.table.height() < panel.geometry.height()
    window.set_presentation(False, full_screen=False)
    assert sizes() == normal
    window.close()


def test_presentation_style_and_shutdown(panel, qtbot):
    panel.apply_style(Style(presentation=True))
    assert panel.views.orientation() == Qt.Orientation.Vertical
    assert panel.nand.views.orientation() == Qt.Orientation.Vertical
    assert panel.geometry.handles[0].scale == 32
    panel.apply_style(Style())
    assert panel.views.orientation() == Qt.Orientation.Horizontal
    panel.learning.play_button.click()
    assert panel.learning.timer.isActive()
    panel.shutdown()
    assert not panel.learning.timer.isActive()
