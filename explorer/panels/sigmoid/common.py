"""Pieces the sigmoid panel's tabs share: the target chooser, the activation chooser, drag handles."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QSize, Qt, pyqtSignal
from PyQt6.QtWidgets import QComboBox, QGraphicsItem, QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from explorer.core.formula import FormulaError, check_values, parse_formula
from explorer.core.sigmoid import ACTIVATIONS
from explorer.widgets.hints import hint

TYPED = "typed formula"

ACTIVATION_LABELS = {
    "sigmoid": "sigmoid σ(z)",
    "tanh": "tanh(z)",
    "relu": "ReLU max(0, z)",
    "step": "step (perceptron)",
}


class InfoLabel(QWidget):
    """A word-wrapped label with room for a fixed number of lines, for text that changes per frame.

    A plain QLabel asks the whole window to lay out again on every ``setText`` (about 4 ms
    here); inside this box, which sizes itself by its line count, the new text only repaints
    the label.
    """

    def __init__(self, lines: int = 1, text: str = "", parent=None):
        super().__init__(parent)
        self._lines = lines
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text != self.label.text():
            self.label.setText(text)

    def setTextFormat(self, fmt) -> None:  # noqa: N802
        self.label.setTextFormat(fmt)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(120, self.fontMetrics().lineSpacing() * self._lines + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.label.setGeometry(self.rect())
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.label.setFont(self.font())
            self.updateGeometry()
        super().changeEvent(event)


class TargetEditor(QWidget):
    """Preset combo + formula field. A bad formula keeps the previous target and says why.

    ``target`` is the current parsed :class:`Formula`; ``target_changed`` fires with it.
    ``sample_points`` (one array per variable) are the points the tab evaluates f on: a formula
    must be finite there and at most ``max_abs`` in size, or it is refused like a syntax error.
    """

    target_changed = pyqtSignal(object)

    def __init__(self, presets: dict[str, str], variables=("x",), initial: str | None = None,
                 sample_points=None, max_abs: float = 1e6, parent=None):
        super().__init__(parent)
        self._presets = dict(presets)
        self._variables = tuple(variables)
        self._sample_points = tuple(sample_points) if sample_points is not None else None
        self._max_abs = max_abs
        self.combo = QComboBox()
        self.combo.addItems(list(self._presets) + [TYPED])
        hint(self.combo, "The function the network should draw: a preset, or type your own formula.")
        self.field = QLineEdit()
        names = " and ".join(self._variables)
        self._field_hint = (f"A formula in {names}: numbers, + - * / ** (or ^), pi, e and functions such as "
                            "sin cos exp log sqrt abs tanh step sigmoid min max. Press Enter to use it.")
        hint(self.field, self._field_hint)
        self.field.setPlaceholderText("e.g. 0.5 + 0.4*sin(2*pi*x)")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("formulaMessage")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Target"), 0, 0)
        grid.addWidget(self.combo, 0, 1)
        grid.addWidget(QLabel("f ="), 1, 0)
        grid.addWidget(self.field, 1, 1)
        grid.addWidget(self.message, 2, 0, 1, 2)
        self._bad_color = "#c0001a"
        first = initial if initial in self._presets else next(iter(self._presets))
        self.target = parse_formula(self._presets[first], self._variables)
        self.combo.setCurrentText(first)
        self.field.setText(self.target.text)
        self.field.setCursorPosition(0)         # show the start of a long formula
        self.combo.currentTextChanged.connect(self._preset_chosen)
        self.combo.activated.connect(self._preset_chosen_again)
        self.field.returnPressed.connect(self.apply_text)

    def set_bad_color(self, color: str) -> None:
        self._bad_color = color

    def is_invalid(self) -> bool:
        return bool(self.message.text())

    def _preset_chosen(self, name: str) -> None:
        if name == TYPED:
            self.field.setFocus()
            self.field.selectAll()
            return
        self.field.setText(self._presets[name])
        self.field.setCursorPosition(0)
        self.apply_text()

    def _preset_chosen_again(self, index: int) -> None:
        """Choosing the current preset again (no text change) restores it after a refused formula."""
        name = self.combo.itemText(index)
        if name in self._presets and (self.is_invalid() or self.field.text() != self._presets[name]):
            self._preset_chosen(name)

    def apply_text(self) -> bool:
        """Parse the field; on success switch target, else keep the old one and say what is wrong."""
        text = self.field.text()
        try:
            formula = parse_formula(text, self._variables)
            if self._sample_points is not None:
                check_values(formula, *self._sample_points, max_abs=self._max_abs)
        except FormulaError as exc:
            self.message.setText(f"{exc}. Keeping f = {self.target.text}")
            self.message.setStyleSheet(f"color: {self._bad_color};")
            self.field.setStyleSheet(f"QLineEdit {{ border: 2px solid {self._bad_color}; }}")
            hint(self.field, str(exc))
            return False
        self.message.setText("")
        self.field.setStyleSheet("")
        hint(self.field, self._field_hint)
        self.target = formula
        matching = [n for n, t in self._presets.items() if t == text.strip()]
        self.combo.blockSignals(True)
        self.combo.setCurrentText(matching[0] if matching else TYPED)
        self.combo.blockSignals(False)
        self.target_changed.emit(formula)
        return True


def keep_ordered(lo, hi, lo_name: str, hi_name: str, changed=None) -> str:
    """Keep two ValueSliders in order, ``lo <= hi``; returns a sentence saying what was done ('' if nothing).

    A typed (or programmatic) value that crosses the other is swapped with it, visibly. While a
    slider handle is being dragged (``changed.slider.isSliderDown()``) it stops at the other
    value instead: swapping under the mouse would hand the drag to the other end.
    The caller blocks its own refresh while this moves the sliders.
    """
    a, b = lo.value(), hi.value()
    if a <= b:
        return ""
    if changed is not None and changed.slider.isSliderDown():
        other, other_name = (hi, hi_name) if changed is lo else (lo, lo_name)
        name = lo_name if changed is lo else hi_name
        changed.setValue(other.value())
        return f"{name} stops at {other_name} = {other.value():g} ({lo_name} ≤ {hi_name})."
    lo.setValue(b)
    hi.setValue(a)
    return f"{lo_name} must not pass {hi_name}: swapped them ({lo_name} = {b:g}, {hi_name} = {a:g})."


class ActivationChooser(QComboBox):
    """Hidden-neuron activation: sigmoid, tanh, ReLU or the step itself."""

    activation_changed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        for key in ACTIVATIONS:
            self.addItem(ACTIVATION_LABELS[key], key)
        hint(self, "Activation of the hidden neurons (slide 'Other activation functions'): the same "
                   "steps-and-bumps construction works; a ReLU step is the difference of two ramps.")
        self.currentIndexChanged.connect(lambda _i: self.activation_changed.emit(self.activation()))

    def activation(self) -> str:
        return self.currentData()

    def set_activation(self, key: str) -> None:
        self.setCurrentIndex(self.findData(key))


class HeightHandles(pg.ScatterPlotItem):
    """Points at the bump tops that can be dragged up and down; emits ``height_dragged(i, y)``."""

    def __init__(self, on_drag, **kwargs):
        super().__init__(**kwargs)
        self._on_drag = on_drag
        self._dragged: int | None = None

    def mouseDragEvent(self, ev):  # noqa: N802 (Qt API)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            hits = self.pointsAt(ev.buttonDownPos())
            if len(hits) == 0:
                ev.ignore()
                return
            self._dragged = int(hits[0].index())
        if self._dragged is None:
            ev.ignore()
            return
        ev.accept()
        self._on_drag(self._dragged, float(ev.pos().y()))
        if ev.isFinish():
            self._dragged = None


class StickyRange:
    """Set a plot's y range only when the data leave it or fill much less of it.

    A steady range keeps the cached axes valid while a slider is dragged (an axis repaint
    costs several ms).
    """

    def __init__(self, plot: pg.PlotWidget, pad: float = 0.08, shrink: float = 0.7):
        self.plot, self.pad, self.shrink = plot, pad, shrink
        self.range = (np.inf, -np.inf)

    def fit(self, lo: float, hi: float) -> None:
        pad = self.pad * max(hi - lo, 1e-3)
        cur_lo, cur_hi = self.range
        if lo < cur_lo or hi > cur_hi or (hi - lo + 2 * pad) < self.shrink * (cur_hi - cur_lo):
            self.range = (lo - pad, hi + pad)
            self.plot.setYRange(*self.range, padding=0)


def cache_axes(plot: pg.PlotWidget, *items) -> None:
    """Cache the axes (with their grid) and rarely-changing items as pixmaps.

    A redraw then repaints only the moving curves and blits the rest: a big part of staying
    inside one frame while a slider is dragged. Qt drops the cache whenever the item changes.
    """
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).setCacheMode(mode)
    for item in items:
        item.setCacheMode(mode)


def restyle_legend(plot: pg.PlotWidget, style) -> None:
    """Re-render legend labels at the style's size (pyqtgraph only applies a new size to new labels)."""
    legend = plot.getPlotItem().legend
    if legend is None:
        return
    size = f"{style.base_point_size * style.scale * 0.9:.0f}pt"
    for _sample, label in legend.items:
        label.setText(label.text, size=size, color=style.foreground)


def nice_number(v: float) -> str:
    """Format a coefficient for the formula line: 3 significant digits, whole numbers from 100 to
    99999 in full (w = 1000 reads "1000", not "1e+03"), minus as a real minus."""
    a = abs(v)
    text = f"{v:.0f}" if 100 <= a < 1e5 else f"{v:.3g}"
    return text.replace("-", "−")


def signed(v: float) -> str:
    return f"+ {nice_number(v)}" if v >= 0 else f"− {nice_number(-v)}"


def finite_range(*arrays, pad: float = 0.08) -> tuple[float, float]:
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    span = max(hi - lo, 1e-3)
    return lo - pad * span, hi + pad * span
