"""The decision boundary ``w·x + b = 0`` over the inputs: n = 1 a threshold on a line, n = 2 the unit
square with the decision line (two draggable handles edit w and b) and the shaded output-1
half-plane, n = 3 the cube in an axonometric view with the plane's section, n = 4 table only."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF
from PyQt6.QtGui import QBrush, QColor, QFontMetricsF, QPolygonF
from PyQt6.QtWidgets import QGraphicsPolygonItem, QLabel, QVBoxLayout, QWidget

from explorer.core import perceptron_geometry as geo
from explorer.panels.perceptron.state import PerceptronState
from explorer.style import Style
from explorer.widgets.hints import hint

BOX2 = (-0.5, 1.5, -0.5, 1.5)
BOX1 = (-0.75, 1.75, -0.5, 0.5)
FAR = (-20.0, 21.0, -20.0, 21.0)  # shading and line reach past the view, whatever its aspect
CORNER_SIZE = 18  # corner markers, pixels at scale 1
HANDLE_GAP = 0.15  # a handle drawn closer than this to a corner would hide it


def _polygon(points) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in np.asarray(points).reshape(-1, 2)])


def _far_box() -> np.ndarray:
    return np.array([[FAR[0], FAR[2]], [FAR[1], FAR[2]], [FAR[1], FAR[3]], [FAR[0], FAR[3]]])


class GeometryView(QWidget):
    def __init__(self, state: PerceptronState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.style_ = Style()
        self._placing = False
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        hint(self.plot, "Corners coloured by target; shaded: where the perceptron outputs 1; a red ring marks a "
                        "wrong output. For n = 2 drag the two handles on the line to move it.")
        item = self.plot.getPlotItem()

        self.shade = QGraphicsPolygonItem()
        self.shade.setZValue(-10)
        item.addItem(self.shade)
        self.edges = pg.PlotDataItem(connect="pairs")
        self.boundary = pg.PlotDataItem()
        self.corners = pg.ScatterPlotItem(size=CORNER_SIZE)
        self.corners.setZValue(5)
        for it in (self.edges, self.boundary, self.corners):
            item.addItem(it)
        self.labels = [pg.TextItem(anchor=(0.5, 1.3)) for _ in range(8)]
        for label in self.labels:
            item.addItem(label)
        self.axis_labels = [pg.TextItem(f"x{j + 1}", anchor=(0.5, 0.5)) for j in range(3)]
        for label in self.axis_labels:
            item.addItem(label)
        self.message = pg.TextItem(anchor=(0.5, 0.5))
        item.addItem(self.message)
        self.handles = [pg.TargetItem(size=16, movable=True) for _ in range(2)]
        for h in self.handles:
            h.setZValue(10)
            item.addItem(h)
            h.sigPositionChanged.connect(self._handle_moved)
            h.sigPositionChangeFinished.connect(lambda _h: self.refresh())

        self.legend = QLabel()
        self.legend.setWordWrap(True)
        hint(self.legend, "How to read the picture.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        state.changed.connect(self.refresh)
        self.refresh()

    # -- style --------------------------------------------------------------------------
    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for t in self.labels + self.axis_labels + [self.message]:
            t.setFont(style.font(0.9))
        self.message.setFont(style.font(1.2, bold=True))
        fill = QColor(style.background)
        fill.setAlpha(210)
        self.message.fill = pg.mkBrush(fill)  # readable where it crosses the line
        self.corners.setSize(CORNER_SIZE * style.scale)
        # corner labels sit just above their marker at any scale (a fixed anchor overlapped it in presentation)
        text_box = QFontMetricsF(style.font(0.9)).height() + 8  # TextItem: the text plus 4 px margins
        lift = (CORNER_SIZE * style.scale / 2 + 1) / text_box
        for label in self.labels:
            label.setAnchor((0.5, 1.0 + lift))
        for h in self.handles:
            h.scale = 16 * style.scale  # TargetItem's on-screen size in pixels
            h.setSymbol("crosshair")
            h.setPen(style.pen(style.foreground, 2))
            h.setBrush(QColor(style.background))
        self.refresh()

    def _colors(self) -> tuple[str, str]:
        return self.style_.color(0), self.style_.color(4)  # target 1, target 0

    # -- drawing ------------------------------------------------------------------------
    def refresh(self) -> None:
        st = self.state
        style = self.style_
        one, zero = self._colors()
        def entry(mark: str, text: str) -> str:  # one legend entry never breaks across lines
            return f"{mark}&nbsp;{text.replace(' ', '&nbsp;')}"

        entries = [
            entry(f"<span style='color:{one}'>●</span>", "target 1"),
            entry(f"<span style='color:{zero}'>●</span>", "target 0"),
            entry(f"<span style='color:{style.bad}'>◯</span>", "output wrong"),
        ] + {2: [entry("shaded:", "output 1"), entry("◎", "drag the handles")],
             3: [entry("shaded:", "the plane w·x + b = 0")]}.get(st.n, [entry("shaded:", "output 1")])
        self.legend.setText(" &nbsp; ".join(entries))
        shade_color = QColor(one)
        shade_color.setAlpha(45)
        self.shade.setBrush(QBrush(shade_color))
        self.shade.setPen(pg.mkPen(None))
        self.boundary.setPen(style.pen(style.foreground, 2.5))
        self.edges.setPen(style.pen(style.muted, 1))
        for t in self.labels + self.axis_labels + [self.message]:
            t.setColor(style.foreground)
        for h in self.handles:
            h.setVisible(st.n == 2)
        self.message.setAnchor((0.5, 0.5))
        {1: self._draw_line_view, 2: self._draw_square, 3: self._draw_cube}.get(st.n, self._draw_table_only)()

    def _points(self, xy, rows) -> None:
        one, zero = self._colors()
        bad = self.style_.bad
        brushes = [pg.mkBrush(one if t else zero) for t in rows.targets]
        pens = [self.style_.pen(bad, 3) if not ok else self.style_.pen(self.style_.foreground, 1) for ok in rows.right]
        self.corners.setData(pos=np.asarray(xy, dtype=float), brush=brushes, pen=pens)

    def _set_labels(self, xy, texts) -> None:
        for k, label in enumerate(self.labels):
            if k < len(texts):
                label.setText(texts[k])
                label.setPos(float(xy[k][0]), float(xy[k][1]))
                label.setVisible(True)
            else:
                label.setVisible(False)

    def _set_range(self, box, square: bool = True) -> None:
        self.plot.setAspectLocked(square)
        self.plot.setRange(xRange=box[:2], yRange=box[2:], padding=0.06)  # room for the end tick labels

    def _draw_line_view(self) -> None:
        st = self.state
        rows = st.rows()
        w, b = float(st.perceptron.weights[0]), st.perceptron.bias
        self._axes(True)
        xy = np.array([[0.0, 0.0], [1.0, 0.0]])
        self._points(xy, rows)
        self._set_labels(xy, ["x1 = 0", "x1 = 1"])
        self.edges.setData([BOX1[0], BOX1[1]], [0, 0])
        self.shade.setPolygon(_polygon(geo.output_one_region(_far_box(), [w, 0.0], b)))
        s = geo.threshold_point(w, b)
        if s is None:
            self.boundary.setData([], [])
            self.message.setText("w1 = 0: the output is the same for every input")
        else:
            self.boundary.setData([s, s], [FAR[2], FAR[3]])
            self.message.setText(f"threshold x1 = −b/w1 = {s:.2f}".replace("-", "−") if abs(s) < 100 else "")
        self.message.setAnchor((0, 0))
        self.message.setPos(BOX1[0] + 0.05, BOX1[3] - 0.02)
        self.message.setVisible(True)
        self.plot.getPlotItem().showAxis("left", False)
        self._set_range(BOX1, square=False)

    def _draw_square(self) -> None:
        st = self.state
        rows = st.rows()
        w, b = st.perceptron.weights, st.perceptron.bias
        self._axes(True)
        xy = rows.inputs.astype(float)
        self._points(xy, rows)
        self._set_labels(xy, [f"({x1}, {x2})" for x1, x2 in rows.inputs])
        sq = np.array([[0, 0], [1, 0], [1, 0], [1, 1], [1, 1], [0, 1], [0, 1], [0, 0]], dtype=float)
        self.edges.setData(sq[:, 0], sq[:, 1])
        self.shade.setPolygon(_polygon(geo.output_one_region(_far_box(), w, b)))
        seg = geo.decision_segment(w, b, BOX2)
        if seg is None:
            self.boundary.setData([], [])
            self.message.setText("w = 0: no line, the output is constant" if not np.any(w)
                                 else "the line w·x + b = 0 is outside this view")
            self.message.setPos(0.5, 1.35)
            self.message.setVisible(True)
            self._place_handles(None)
        else:
            line = geo.decision_segment(w, b, FAR)
            self.boundary.setData(line[:, 0], line[:, 1])
            self.message.setVisible(False)
            self._place_handles(seg)
        self._set_range(BOX2)

    def _draw_cube(self) -> None:
        st = self.state
        rows = st.rows()
        w, b = st.perceptron.weights, st.perceptron.bias
        self._axes(False)
        corners = geo.cube_corners()
        xy = geo.axonometric(corners)
        self._points(xy, rows)
        self._set_labels(xy, ["".join(map(str, r)) for r in rows.inputs])
        edges = np.array([xy[i] for pair in geo.cube_edges() for i in pair])
        self.edges.setData(edges[:, 0], edges[:, 1])
        section = geo.cube_section(w, b)
        if len(section):
            poly = geo.axonometric(section)
            self.shade.setPolygon(_polygon(poly))
            closed = np.vstack([poly, poly[:1]])
            self.boundary.setData(closed[:, 0], closed[:, 1])
            self.message.setVisible(False)
        else:
            self.shade.setPolygon(QPolygonF())
            self.boundary.setData([], [])
            if not np.any(w):
                text = "w = 0: no plane, the output is constant"
            elif np.any(rows.sums == 0):  # corners on the plane (the core snaps their sums to 0)
                text = "the plane w·x + b = 0 only touches the cube (a corner or an edge)"
            else:
                text = "the plane w·x + b = 0 misses the cube"
            self.message.setText(text)
            self.message.setVisible(True)
        for j, tip in enumerate(geo.axonometric(np.eye(3) * 1.3)):
            self.axis_labels[j].setPos(float(tip[0]), float(tip[1]))
        lo, hi = xy.min(axis=0) - 0.35, xy.max(axis=0) + 0.35
        self.message.setPos(float(xy[:, 0].mean()), float(lo[1] + 0.1))  # below the cube, clear of the x3 label
        self._set_range((lo[0], hi[0], lo[1], hi[1]))

    def _draw_table_only(self) -> None:
        self._axes(False)
        self.corners.setData(pos=np.zeros((0, 2)))
        self._set_labels([], [])
        self.edges.setData([], [])
        self.boundary.setData([], [])
        self.shade.setPolygon(QPolygonF())
        self.message.setText("n = 4: four inputs need 4-D space,\nso this view shows nothing.\nUse the truth table.")
        self.message.setPos(0.5, 0.5)
        self.message.setVisible(True)
        self.legend.setText("")
        self._set_range((0, 1, 0, 1), square=False)

    def _axes(self, shown: bool) -> None:
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            item.showAxis(name, shown)
        for label in self.axis_labels:
            label.setVisible(self.state.n == 3)

    # -- handles (n = 2) ----------------------------------------------------------------
    def _place_handles(self, seg) -> None:
        """Keep the handles on the line: where they were, projected, unless the user drags one."""
        if any(h.moving for h in self.handles):
            return
        if seg is None:
            for h in self.handles:
                h.setVisible(False)
            return
        st = self.state
        current = np.array([[h.pos().x(), h.pos().y()] for h in self.handles])
        feet = geo.project_onto_line(current, st.perceptron.weights, st.perceptron.bias)
        corners = st.rows().inputs.astype(float)
        inside = np.all((feet[:, 0] >= BOX2[0]) & (feet[:, 0] <= BOX2[1])
                        & (feet[:, 1] >= BOX2[2]) & (feet[:, 1] <= BOX2[3]))
        on_corner = np.linalg.norm(feet[:, None, :] - corners[None, :, :], axis=2).min() < HANDLE_GAP
        if not inside or on_corner or np.linalg.norm(feet[0] - feet[1]) < 0.3:
            feet = geo.handle_points(seg, avoid=corners, min_gap=HANDLE_GAP)  # never on top of a corner
        self._placing = True
        try:
            for h, p in zip(self.handles, feet):
                h.setPos(float(p[0]), float(p[1]))
        finally:
            self._placing = False

    def _handle_moved(self, _handle=None) -> None:
        if self._placing or self.state.n != 2:
            return
        p, q = ([h.pos().x(), h.pos().y()] for h in self.handles)
        try:
            w, b = geo.line_through(p, q, like_weights=self.state.perceptron.weights, min_length=2.0)
        except ValueError:
            return  # both handles on one spot: keep the last line
        w = np.clip(w, -100, 100)
        b = float(np.clip(b, -100, 100))
        self.state.set_perceptron(self.state.perceptron.with_weights(w).with_bias(b))
