"""A labelled number editor: a slider for dragging and a text field for typing.

Typing is parsed on Enter / focus-out. Text that is not a number, or a number outside the
allowed range, is refused: the field is marked red, a hint says what is allowed, and the
previous value is kept. The slider's ticks are an integer view of the value, optionally
cubic ("fine near zero") so small values get most of the travel.
"""

from __future__ import annotations

import math

from PyQt6.QtCore import QEvent, Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QSlider, QWidget

from explorer.widgets.hints import hint

_TICKS = 1000  # slider resolution on each side of zero (fine_near_zero) or over the range


class ValueSlider(QWidget):
    value_changed = pyqtSignal(float)

    def __init__(
        self,
        label: str,
        minimum: float,
        maximum: float,
        value: float,
        step: float = 0.1,
        decimals: int = 2,
        fine_near_zero: bool = False,
        hard_limits: tuple[float, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not minimum < maximum:
            raise ValueError(f"ValueSlider {label!r}: minimum {minimum} must be below maximum {maximum}")
        self._min, self._max = float(minimum), float(maximum)
        self._step = float(step)
        self._decimals = int(decimals)
        self._fine = bool(fine_near_zero)
        self._hard = (float(hard_limits[0]), float(hard_limits[1])) if hard_limits else None
        self._value = float(value)
        self._invalid = False
        self._tip = ""

        self.label = QLabel(label)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setMinimumWidth(80)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.line_edit = QLineEdit()
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.line_edit)

        self._configure_slider()
        self._fit_field()
        self._show(self._value)
        self.slider.valueChanged.connect(self._slider_moved)
        self.line_edit.editingFinished.connect(self._text_entered)
        self.line_edit.installEventFilter(self)  # Up / Down / wheel step the value, like a spin box
        self.line_edit.textEdited.connect(self._clear_mark)
        self._set_tip()

    # -- public API ---------------------------------------------------------------------
    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt naming, so tests read like Qt)
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{self.label.text()} must be a finite number, not {value}")
        lo, hi = self._limits()
        value = min(max(value, lo), hi)
        changed = value != self._value
        self._value = value
        self._clear_mark()
        self._show(value)
        if changed:
            self.value_changed.emit(value)

    def set_range(self, minimum: float, maximum: float) -> None:
        self._min, self._max = float(minimum), float(maximum)
        self._configure_slider()
        self._fit_field()
        self._set_tip()
        if not self._in_limits(self._value):
            self.setValue(min(max(self._value, self._min), self._max))
        else:
            self._show(self._value)

    def is_invalid(self) -> bool:
        return self._invalid

    def set_label(self, text: str) -> None:
        self.label.setText(text)

    def setToolTip(self, text: str) -> None:  # noqa: N802
        """The tooltip text explains the value; the allowed range is appended."""
        self._tip = text
        self._set_tip()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """Up / Down arrows (Page Up / Down: ten steps) and the mouse wheel step the value."""
        if watched is self.line_edit:
            steps = 0
            if event.type() == QEvent.Type.KeyPress:
                steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1,
                         Qt.Key.Key_PageUp: 10, Qt.Key.Key_PageDown: -10}.get(event.key(), 0)
            elif event.type() == QEvent.Type.Wheel:
                steps = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if steps:
                self.setValue(round(self._value + steps * self._step, self._decimals))
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Presentation mode doubles the font: the number field grows with it so no digit is cut.
        if event.type() == QEvent.Type.FontChange:
            self._fit_field()
        super().changeEvent(event)

    # -- internals ----------------------------------------------------------------------
    def _fit_field(self) -> None:
        lo, hi = self._limits()
        widest = max((f"{v:.{self._decimals}f}" for v in (lo, hi)), key=len)
        width = self.line_edit.fontMetrics().horizontalAdvance(widest + "0") + 16
        self.line_edit.setFixedWidth(max(width, self.line_edit.fontMetrics().horizontalAdvance("0000") + 16))

    def _limits(self) -> tuple[float, float]:
        return self._hard if self._hard else (self._min, self._max)

    def _in_limits(self, v: float) -> bool:
        lo, hi = self._limits()
        return lo <= v <= hi

    def _set_tip(self) -> None:
        lo, hi = self._limits()
        allowed = f"Type a number from {lo:g} to {hi:g}, or drag the slider."
        text = f"{self._tip} {allowed}".strip()
        for w in (self.label, self.slider, self.line_edit):
            hint(w, text)

    def _configure_slider(self) -> None:
        self.slider.blockSignals(True)
        if self._fine:
            self.slider.setRange(-_TICKS, _TICKS)
        else:
            n = max(1, round((self._max - self._min) / self._step)) if self._step > 0 else _TICKS
            self.slider.setRange(0, n)
        self.slider.setPageStep(max(1, self.slider.maximum() // 20))
        self.slider.blockSignals(False)

    def _to_ticks(self, v: float) -> int:
        v = min(max(v, self._min), self._max)
        if self._fine:
            span = max(abs(self._min), abs(self._max))
            t = math.copysign(abs(v / span) ** (1 / 3), v)
            return round(t * _TICKS)
        return round((v - self._min) / self._step)

    def _from_ticks(self, ticks: int) -> float:
        if self._fine:
            span = max(abs(self._min), abs(self._max))
            v = span * (ticks / _TICKS) ** 3
            v = min(max(v, self._min), self._max)
            return round(v, self._decimals)
        return round(min(self._max, self._min + ticks * self._step), self._decimals)

    def _show(self, v: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_ticks(v))
        self.slider.blockSignals(False)
        self.line_edit.setText(f"{v:.{self._decimals}f}")

    def _slider_moved(self, ticks: int) -> None:
        v = self._from_ticks(ticks)
        if v != self._value:
            self._value = v
            self._clear_mark()
            self.line_edit.setText(f"{v:.{self._decimals}f}")
            self.value_changed.emit(v)

    def _text_entered(self) -> None:
        text = self.line_edit.text().strip().replace(",", ".")
        try:
            v = float(text)
        except ValueError:
            self._refuse(f"'{text}' is not a number.")
            return
        if not math.isfinite(v):
            self._refuse(f"'{text}' is not a finite number.")
            return
        if not self._in_limits(v):
            lo, hi = self._limits()
            self._refuse(f"{v:g} is outside the allowed range {lo:g} to {hi:g}.")
            return
        self.setValue(v)

    def _refuse(self, why: str) -> None:
        """Keep the old value, mark the field and say what is wrong (tooltip + status tip)."""
        self._invalid = True
        self.line_edit.setStyleSheet("QLineEdit { border: 2px solid #c0001a; background: #ffe8ea; color: #000; }")
        lo, hi = self._limits()
        msg = f"{why} Enter a number from {lo:g} to {hi:g}; keeping {self._value:g}."
        hint(self.line_edit, msg)
        self.line_edit.setToolTip(msg)
        # Restore the shown value on the next edit focus? No: leave the wrong text visible and
        # marked, so the user sees what was refused; the model keeps the old value.

    def _clear_mark(self, *_args) -> None:
        if self._invalid:
            self._invalid = False
            self.line_edit.setStyleSheet("")
            self._set_tip()
