"""The cost surface seen from above: a shaded image of C with contour lines, the minimum marked,
the ball, its path (and the SGD path), the gradient arrow and the step Delta v = -eta grad C.

Created once; ``set_surface`` / ``set_paths`` / ``set_arrows`` update the items in place.
Clicking inside the plot emits ``clicked(v1, v2)``.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, QRectF, Qt, pyqtSignal

from explorer.core.contours import contour_lines
from explorer.core.surfaces import Surface
from explorer.panels.descent.charts import edge_room
from explorer.style import Style

N_LEVELS = 12
GRID = 220
MARGIN = 0.4
DOT_LIMIT = 150


def _arrow_angle(dx: float, dy: float) -> float:
    """ArrowItem angle (0 points left, screen y runs down) for a view-space direction."""
    return 180.0 - math.degrees(math.atan2(dy, dx))


class ContourView(pg.PlotWidget):
    clicked = pyqtSignal(float, float)  # (v1, v2) in the surface's coordinates
    hovered = pyqtSignal(float, float)  # the mouse moved over (v1, v2)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setAspectLocked(True)
        self.showGrid(x=False, y=False)
        self.style_ = Style()

        self.image = pg.ImageItem()
        self.addItem(self.image)
        self.contours = pg.PlotDataItem(connect="pairs")  # every level's segments in one item
        self.addItem(self.contours)
        self.minima = pg.ScatterPlotItem(symbol="star", size=18)
        self.saddle = pg.ScatterPlotItem(symbol="x", size=14)
        self.path_curve = pg.PlotDataItem(name="full-batch path")
        self.sgd_curve = pg.PlotDataItem(name="SGD path")
        self.sgd_ball = pg.ScatterPlotItem(size=12, symbol="o")
        self.ball = pg.ScatterPlotItem(size=16, symbol="o")
        self.grad_line = pg.PlotDataItem()
        self.grad_head = pg.ArrowItem(headLen=14, tailLen=0)
        self.step_line = pg.PlotDataItem()
        self.step_head = pg.ArrowItem(headLen=12, tailLen=0)
        self.grad_text = pg.TextItem("∇C", anchor=(0, 1))
        self.step_text = pg.TextItem("Δv", anchor=(1, 1))
        self.min_text = pg.TextItem("min", anchor=(0, 0))
        self.saddle_text = pg.TextItem("saddle", anchor=(0, 0))
        for item in (self.minima, self.saddle, self.path_curve, self.sgd_curve, self.grad_line, self.grad_head,
                     self.step_line, self.step_head, self.sgd_ball, self.ball, self.grad_text, self.step_text,
                     self.min_text, self.saddle_text):
            self.addItem(item)
        for item in (self.path_curve, self.sgd_curve):
            item.setClipToView(True)
        self.scene().sigMouseClicked.connect(self.handle_click)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.hover_text = pg.TextItem("", anchor=(0, 0))  # fixed in the view's top-left corner
        self.hover_text.setParentItem(self.getPlotItem().getViewBox())
        self.hover_text.setPos(4, 2)
        self._dots = True
        self._box = (-1.0, 1.0, -1.0, 1.0)

    # -- input --------------------------------------------------------------------------
    def handle_click(self, event) -> None:
        """A left click inside the plot area places the ball there (emits ``clicked``)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.getPlotItem().getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        event.accept()
        self.clicked.emit(float(p.x()), float(p.y()))

    def _mouse_moved(self, pos) -> None:
        vb = self.getPlotItem().getViewBox()
        if vb.sceneBoundingRect().contains(pos):
            p = vb.mapSceneToView(pos)
            self.hovered.emit(float(p.x()), float(p.y()))

    def scene_point(self, v1: float, v2: float) -> QPointF:
        """Scene coordinates of the surface point (v1, v2) (for tests and hover tips)."""
        return self.getPlotItem().getViewBox().mapViewToScene(QPointF(v1, v2))

    # -- drawing ------------------------------------------------------------------------
    def set_surface(self, surface: Surface) -> None:
        xs, ys, z = surface.cost_grid(GRID, margin=MARGIN)  # wider than the view: no blank bands
        gap = np.maximum(z - surface.min_cost, 0.0)
        shade = np.log10(gap + 1e-3 * max(np.nanmax(gap), 1e-12))  # log shading: valleys stay visible
        lo, hi = np.nanpercentile(shade, 0.5), np.nanpercentile(shade, 99.5)
        x0, x1, y0, y1 = surface.box
        self._box = surface.box
        self.image.setImage(shade, levels=(lo, hi), autoLevels=False)
        self.image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
        cx, cy = contour_lines(xs, ys, shade, np.linspace(lo, hi, N_LEVELS + 2)[1:-1])
        self.contours.setData(cx, cy, connect="pairs")
        mins = np.array(surface.minima)
        self.minima.setData(mins[:, 0], mins[:, 1])
        self.min_text.setPos(float(mins[0, 0]), float(mins[0, 1]))
        sp = getattr(surface, "saddle_point", None)
        self.saddle.setData([] if sp is None else [sp[0]], [] if sp is None else [sp[1]])
        self.saddle_text.setVisible(sp is not None)
        if sp is not None:
            self.saddle_text.setPos(float(sp[0]), float(sp[1]))
        self.setLabel("bottom", surface.axis_labels[0])
        self.setLabel("left", surface.axis_labels[1])
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)
        self._apply_colormap()

    def set_paths(self, full: np.ndarray, sgd: np.ndarray | None) -> None:
        dots = len(full) <= DOT_LIMIT  # a dot per step while they can be told apart
        if dots != self._dots:
            self._dots = dots
            self.path_curve.setSymbol("o" if dots else None)
        self.path_curve.setData(full[:, 0], full[:, 1])
        self.ball.setData([full[-1, 0]], [full[-1, 1]])
        if sgd is None:
            self.sgd_curve.setData([], [])
            self.sgd_ball.setData([], [])
        else:
            self.sgd_curve.setData(sgd[:, 0], sgd[:, 1])
            self.sgd_ball.setData([sgd[-1, 0]], [sgd[-1, 1]])

    def set_arrows(self, point: np.ndarray, gradient: np.ndarray, delta_v: np.ndarray) -> None:
        """grad C drawn in its direction at a fixed length (it can be huge); Delta v at true size."""
        x0, x1, _, _ = self._box
        p = np.asarray(point, dtype=float)
        visible = bool(np.all(np.isfinite(p)) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(delta_v)))
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run has huge gradients
            norm = float(np.linalg.norm(gradient)) if visible else 0.0
        visible = bool(visible and np.isfinite(norm))
        for item in (self.grad_line, self.grad_head, self.grad_text, self.step_line, self.step_head, self.step_text):
            item.setVisible(visible and norm > 0)
        if not visible or norm == 0:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            tip = p + gradient / norm * 0.18 * (x1 - x0)
            end = p + delta_v
        self.grad_line.setData([p[0], tip[0]], [p[1], tip[1]])
        self.grad_head.setPos(float(tip[0]), float(tip[1]))
        self.grad_head.setStyle(angle=_arrow_angle(*gradient))
        self.grad_text.setPos(float(tip[0]), float(tip[1]))
        self.step_line.setData([p[0], end[0]], [p[1], end[1]])
        self.step_head.setPos(float(end[0]), float(end[1]))
        self.step_head.setStyle(angle=_arrow_angle(*delta_v))
        self.step_text.setPos(float(end[0]), float(end[1]))

    # -- style --------------------------------------------------------------------------
    def apply_style(self, style: Style) -> None:
        self.style_ = style
        edge_room(self, style)
        s = style
        self.contours.setPen(pg.mkPen(s.foreground, width=s.line_width(0.6)))
        self.contours.setOpacity(0.45)
        self.minima.setBrush(pg.mkBrush(s.good))
        self.minima.setPen(pg.mkPen(s.foreground, width=s.line_width(0.8)))
        self.minima.setSize(18 * s.scale)
        self.saddle.setPen(pg.mkPen(s.bad, width=s.line_width(1.5)))
        self.saddle.setSize(14 * s.scale)
        self.path_curve.setPen(s.pen(s.color(7), 2.0))
        self.path_curve.setSymbol("o" if self._dots else None)
        self.path_curve.setSymbolSize(4 * s.scale)
        self.path_curve.setSymbolBrush(pg.mkBrush(s.color(7)))
        self.path_curve.setSymbolPen(None)
        self.sgd_curve.setPen(s.pen(s.color(3), 1.5))
        self.ball.setBrush(pg.mkBrush(s.color(1)))
        self.ball.setPen(pg.mkPen(s.foreground, width=s.line_width(1)))
        self.ball.setSize(16 * s.scale)
        self.sgd_ball.setBrush(pg.mkBrush(s.color(3)))
        self.sgd_ball.setPen(pg.mkPen(s.foreground, width=s.line_width(0.8)))
        self.sgd_ball.setSize(12 * s.scale)
        grad_c, step_c = (s.color(5) if s.dark else s.color(0)), s.color(2)
        self.grad_line.setPen(s.pen(grad_c, 2.5))
        self.grad_head.setStyle(brush=pg.mkBrush(grad_c), pen=pg.mkPen(grad_c), headLen=14 * s.scale)
        self.step_line.setPen(s.pen(step_c, 2.5, Qt.PenStyle.DashLine))
        self.step_head.setStyle(brush=pg.mkBrush(step_c), pen=pg.mkPen(step_c), headLen=12 * s.scale)
        for text, color in ((self.grad_text, grad_c), (self.step_text, step_c), (self.min_text, s.foreground),
                            (self.hover_text, s.foreground),
                            (self.saddle_text, s.bad)):
            text.setColor(color)
            text.setFont(s.font(1.1, bold=True))
        self._apply_colormap()

    def _apply_colormap(self) -> None:
        dark = self.style_.dark
        stops = ["#0d1b2a", "#16324a", "#24506b", "#3d6e86"] if dark else ["#fdfdf4", "#d9ecf2", "#93c2dc", "#4a84b8"]
        cmap = pg.ColorMap(np.linspace(0.0, 1.0, len(stops)), stops)
        self.image.setColorMap(cmap)
