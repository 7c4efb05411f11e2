"""ValueSlider: drag, type, refuse bad text, grow with the font."""

from __future__ import annotations

from PyQt6.QtGui import QFont

from explorer.widgets.value_slider import ValueSlider


def make(qtbot, **kwargs):
    w = ValueSlider("w", -10.0, 10.0, 1.0, **kwargs)
    qtbot.addWidget(w)
    return w


def test_typing_a_number_sets_and_emits(qtbot):
    w = make(qtbot)
    with qtbot.waitSignal(w.value_changed) as blocker:
        w.line_edit.setText("2.5")
        w.line_edit.editingFinished.emit()
    assert blocker.args == [2.5] and w.value() == 2.5
    assert w.slider.value() == round((2.5 + 10) / 0.1)


def test_bad_text_is_refused_marked_and_explained(qtbot):
    w = make(qtbot)
    with qtbot.assertNotEmitted(w.value_changed):
        w.line_edit.setText("abc")
        w.line_edit.editingFinished.emit()
    assert w.value() == 1.0 and w.is_invalid()
    assert "not a number" in w.line_edit.toolTip() and "-10 to 10" in w.line_edit.toolTip()
    assert "solid" in w.line_edit.styleSheet()
    w.line_edit.setText("11")
    w.line_edit.editingFinished.emit()
    assert w.value() == 1.0 and "outside the allowed range" in w.line_edit.toolTip()
    w.setValue(3.0)
    assert not w.is_invalid() and w.line_edit.styleSheet() == ""


def test_hard_limits_accept_typed_values_beyond_the_slider(qtbot):
    w = make(qtbot, fine_near_zero=True, hard_limits=(-1000, 1000))
    w.line_edit.setText("1000")
    w.line_edit.editingFinished.emit()
    assert w.value() == 1000.0 and w.slider.value() == w.slider.maximum()


def test_fine_near_zero_gives_small_values_most_travel(qtbot):
    w = make(qtbot, fine_near_zero=True)
    w.slider.setValue(w.slider.maximum() // 2)  # half way along the positive side
    assert 0 < w.value() < 2.0  # cubic: 10 * 0.5^3 = 1.25


def test_number_field_grows_with_the_font(qtbot):
    w = make(qtbot, decimals=4)
    normal = w.line_edit.width()
    big = QFont(w.font())
    big.setPointSizeF(big.pointSizeF() * 2)
    w.setFont(big)
    assert w.line_edit.width() > 1.6 * normal
    assert w.line_edit.width() >= w.line_edit.fontMetrics().horizontalAdvance("-10.0000")


def test_arrow_keys_step_like_a_spin_box(qtbot):
    from PyQt6.QtCore import Qt

    w = make(qtbot)
    qtbot.keyClick(w.line_edit, Qt.Key.Key_Up)
    assert w.value() == 1.1
    qtbot.keyClick(w.line_edit, Qt.Key.Key_PageDown)
    assert w.value() == 0.1
    for _ in range(3):
        qtbot.keyClick(w.line_edit, Qt.Key.Key_Down)
    assert w.value() == -0.2
