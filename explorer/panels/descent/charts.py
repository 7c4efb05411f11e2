"""Two small plots under the surface: C - C_min against step (full batch and SGD, log scale),
and the mean angle between mini-batch and full gradient against the mini-batch size m."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt

from explorer.style import Style

FLOOR, CEIL = 1e-16, 1e300  # log axis: exact zeros and overflowing costs are pinned here
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(exponent: int) -> str:
    """The tick label of 10**exponent: 10ⁿ (10⁻³, 10⁻¹, 10¹, 10²), and 1 for n = 0."""
    if exponent == 0:
        return "1"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def set_title(plot: pg.PlotWidget, title: str | None) -> None:
    """Show ``title``, or hide it (None) without its text keeping the plot as wide as the text:
    a hidden pyqtgraph title still sets the plot's minimum width, and the plot got cut off on
    the right in presentation mode."""
    plot.setTitle(title)
    if title is None:
        plot.getPlotItem().titleLabel.setText("")


def edge_room(plot: pg.PlotWidget, style: Style) -> None:
    """Margins for the tick labels at the top and right ends of the axes, which pyqtgraph lets
    overflow the widget (clipped "10", "80" in presentation mode, where the titles are hidden)."""
    plot.getPlotItem().setContentsMargins(2, 9 * style.scale, 12 * style.scale, 2)


class DecadeAxis(pg.AxisItem):
    """A log axis labelled at whole decades only; the 2·10ⁿ .. 9·10ⁿ ticks stay as unlabelled
    marks (pyqtgraph would label every one of them on a tall plot: 9·10¹, 8·10¹, ...)."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        levels = super().logTickValues(minVal, maxVal, size, stdTicks)
        major = [(sp, list(vals)) for sp, vals in levels if sp is not None]  # whole decades already
        taken = {round(v) for _sp, vals in major for v in vals}
        pool = [v for sp, vals in levels if sp is None for v in vals]
        decades = sorted({round(v) for v in pool if _whole(v)} - taken)
        if not taken and not decades:  # a range inside one decade: no power of ten to label
            decades = sorted({round(v) for v in (np.floor(minVal), np.ceil(maxVal))})
        minor = [v for v in pool if not _whole(v)]
        return major + ([(1.0, [float(d) for d in decades])] if decades else []) + ([(None, minor)] if minor else [])

    def logTickStrings(self, values, scale, spacing):
        if spacing is None:  # the minor level: marks without numbers
            return ["" for _ in values]
        return [decade_label(int(round(v))) if _whole(v) else "" for v in values]


def _whole(v: float) -> bool:
    return abs(v - round(v)) < 1e-9


class CostPlot(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent, axisItems={"left": DecadeAxis("left")})
        self.setTitle("Cost vs step")
        self.setLabel("bottom", "step")
        self.setLabel("left", "C − C_min")
        self.setLogMode(x=False, y=True)
        self.getAxis("left").enableAutoSIPrefix(False)
        self.setMenuEnabled(False)
        self.legend = self.addLegend(offset=(-5, 5))
        self.full = self.plot(name="full")
        self.sgd = self.plot(name="SGD")
        self.now = self.plot(pen=None, symbol="o")  # the latest cost of each path, seen from step 0
        self.now_sgd = self.plot(pen=None, symbol="o")
        for c in (self.full, self.sgd):
            c.setClipToView(True)
            c.setDownsampling(auto=True, method="peak")

    def set_data(self, full: np.ndarray, sgd: np.ndarray | None) -> None:
        full = self._clean(full)
        self.full.setData(np.arange(len(full)), full)
        if sgd is None:
            self.sgd.setData([], [])
            self.now_sgd.setData([], [])
            both = full
        else:
            sgd = self._clean(sgd)
            self.sgd.setData(np.arange(len(sgd)), sgd)
            both = np.concatenate([full, sgd])
            self.now_sgd.setData([len(sgd) - 1], [sgd[-1]])
        self.now.setData([len(full) - 1], [full[-1]])
        self.setXRange(0, max(len(full) - 1, 10), padding=0.02)
        lo, hi = np.floor(np.log10(both.min())), np.ceil(np.log10(both.max()))  # whole decades
        if hi - lo < 3:  # a span of 3+ decades keeps the log axis to labels at powers of ten
            lo = hi - 3
        self.setYRange(lo, hi, padding=0.02)  # log mode: the range is in log10 units

    @staticmethod
    def _clean(values: np.ndarray) -> np.ndarray:
        v = np.nan_to_num(np.asarray(values, dtype=float), nan=CEIL, posinf=CEIL)
        return np.clip(v, FLOOR, CEIL)

    def apply_style(self, style: Style) -> None:
        set_title(self, None if style.presentation else "Cost vs step")  # 2x fonts: the axes say it
        edge_room(self, style)
        self.getAxis("left").setWidth(int(62 * style.scale))  # room for log ticks like 0.001
        size = f"{style.base_point_size * style.scale * 0.9:.0f}pt"
        self.legend.setVisible(not style.presentation)  # too narrow at 2x; colours match the paths
        for _sample, label in self.legend.items:
            label.setText(label.text, size=size, color=style.foreground)
        self.full.setPen(style.pen(style.color(7), 2.0))
        self.sgd.setPen(style.pen(style.color(3), 1.5))
        for item, color in ((self.now, style.color(1)), (self.now_sgd, style.color(3))):
            item.setSymbolBrush(pg.mkBrush(color))
            item.setSymbolPen(pg.mkPen(style.foreground, width=style.line_width(0.8)))
            item.setSymbolSize(9 * style.scale)


class AnglePlot(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle("Angle vs m")
        self.setLabel("bottom", "mini-batch size m")
        self.setLabel("left", "mean angle (°)")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.curve = self.plot()
        self.marker = pg.ScatterPlotItem(size=12)
        self.addItem(self.marker)

    def set_curve(self, ms: np.ndarray, angles: np.ndarray) -> None:
        self.curve.setData(ms, angles)
        self.setXRange(1, float(ms[-1]), padding=0.03)
        finite = angles[np.isfinite(angles)]
        self.setYRange(0, max(float(finite.max()) if finite.size else 90.0, 5.0), padding=0.05)

    def set_marker(self, m: int, angle: float) -> None:
        self.marker.setData([m], [angle] if np.isfinite(angle) else [0.0])

    def apply_style(self, style: Style) -> None:
        set_title(self, None if style.presentation else "Angle vs m")
        edge_room(self, style)
        self.setLabel("bottom", "m" if style.presentation else "mini-batch size m")
        self.curve.setPen(style.pen(style.color(3), 2.0))
        self.curve.setSymbol("o")
        self.curve.setSymbolSize(5 * style.scale)
        self.curve.setSymbolBrush(pg.mkBrush(style.color(3)))
        self.marker.setBrush(pg.mkBrush(style.color(1)))
        self.marker.setPen(pg.mkPen(style.foreground, width=style.line_width(1)))
        self.marker.setSize(12 * style.scale)


class FitPlot(pg.PlotWidget):
    """The data the cost is built from, and the neuron's output at the two balls."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle("The fit")
        self.setLabel("bottom", "x")
        self.setLabel("left", "y, σ(w x + b)")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.setYRange(-0.05, 1.05, padding=0)
        self.points = pg.ScatterPlotItem(size=7)
        self.addItem(self.points)
        self.full = self.plot()
        self.sgd = self.plot()

    def set_data(self, x, y, grid, full, sgd) -> None:
        self.points.setData(x, y)
        self.full.setData(grid, full)
        if sgd is None:
            self.sgd.setData([], [])
        else:
            self.sgd.setData(grid, sgd)

    def apply_style(self, style: Style) -> None:
        set_title(self, None if style.presentation else "The fit")
        edge_room(self, style)
        self.setLabel("left", "σ(wx + b)" if style.presentation else "y, σ(w x + b)")
        self.points.setBrush(pg.mkBrush(style.muted))
        self.points.setPen(pg.mkPen(style.foreground, width=style.line_width(0.5)))
        self.points.setSize(7 * style.scale)
        self.full.setPen(style.pen(style.color(7), 2.0))
        self.sgd.setPen(style.pen(style.color(3), 1.5))


class FirstOrderPlot(pg.PlotWidget):
    """Delta C against eta at the ball: the slide's straight line grad C . Delta v beside the
    true change; they part as eta grows, and past about 2/L the true C goes up."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle("ΔC vs η at the ball")
        self.setLabel("bottom", "η")
        self.setLabel("left", "ΔC")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.legend = self.addLegend(offset=(5, -5))  # bottom left: the curves start at the top left
        for axis in ("left", "bottom"):
            self.getAxis(axis).enableAutoSIPrefix(False)
        self._exponent = 0  # the left axis counts in units of 10**_exponent
        self.predicted = self.plot(name="∇C·Δv")
        self.actual = self.plot(name="actual")
        self.zero = pg.InfiniteLine(pos=0.0, angle=0)
        self.eta_line = pg.InfiniteLine(pos=0.0, angle=90)
        self.addItem(self.zero)
        self.addItem(self.eta_line)

    def set_data(self, etas: np.ndarray, predicted: np.ndarray, actual: np.ndarray, eta: float) -> None:
        finite = np.isfinite(actual)
        self.predicted.setData(etas, predicted)
        self.actual.setData(etas[finite], actual[finite])
        self.eta_line.setValue(eta)
        low = float(np.nanmin(predicted)) if predicted.size else 0.0
        if not np.isfinite(low) or low >= 0:  # grad C = 0: nothing to predict
            low = -1.0
        self.setXRange(float(etas[0]), float(etas[-1]), padding=0.02)
        self.setYRange(1.15 * low, 0.6 * abs(low), padding=0.0)  # a rise of C stays in view
        self._scale_ticks(abs(low))

    def _scale_ticks(self, size: float) -> None:
        """Very large or small ΔC: ticks in units of 10ⁿ, said in the axis title (labels like
        -2.5e+15 do not fit the axis and pyqtgraph would drop them, leaving the axis bare)."""
        exponent = int(np.floor(np.log10(size))) if size >= 1e4 or size < 1e-2 else 0
        if exponent != self._exponent:
            self._exponent = exponent
            self.getAxis("left").setScale(10.0 ** -exponent)
            self.setLabel("left", "ΔC" if exponent == 0 else f"ΔC (×{decade_label(exponent)})")

    def apply_style(self, style: Style) -> None:
        set_title(self, None if style.presentation else "ΔC vs η at the ball")
        edge_room(self, style)
        self.predicted.setPen(style.pen(style.color(0), 2.0, Qt.PenStyle.DashLine))
        self.actual.setPen(style.pen(style.color(7), 2.0))
        self.zero.setPen(pg.mkPen(style.muted, width=style.line_width(1)))
        self.eta_line.setPen(pg.mkPen(style.color(1), width=style.line_width(1.5)))
        self.legend.setVisible(not style.presentation)
        size = f"{style.base_point_size * style.scale * 0.9:.0f}pt"
        for _sample, label in self.legend.items:
            label.setText(label.text, size=size, color=style.foreground)
