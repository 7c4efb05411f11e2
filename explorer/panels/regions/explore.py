"""The main view: the regions of the edited network, layer by layer, or with its output shaded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QButtonGroup, QCheckBox, QFrame, QHBoxLayout, QLabel, QListWidget, QPushButton, QRadioButton, QScrollArea,
    QSlider, QSpinBox, QVBoxLayout, QWidget,
)

from explorer.core.region_geometry import edge_segments
from explorer.core.regions import RegionLimitExceeded, region_set
from explorer.panels.regions.background import LatestWorker
from explorer.panels.regions.counts import CountsBox
from explorer.panels.regions.drawing import (
    RegionFill, palette, pattern_color_indices, segments_curve, view_caption,
)
from explorer.panels.regions.drawing import region_text as format_region
from explorer.panels.regions.handles import LineHandles
from explorer.panels.regions.shading import OutputShading
from explorer.widgets.hints import hint

VIEWS = ("regions", "layers", "output")
MAX_REGIONS = 40_000  # interactive cap: past it the view asks to zoom in (about 2 s of work)


class ExploreView(QWidget):
    """Plot + view controls + region info + counts for the network of ``editor``."""

    redrawn = pyqtSignal()

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.rs = None              # RegionSet on screen
        self.box = (-1.0, 1.0, -1.0, 1.0)
        self.view = "regions"
        self.selected = -1
        self._clicked_point = None
        self._hover_pos = None
        self._dark = False
        self._scale = 1.0
        self._ready = False

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True)
        self.plot.setLabel("bottom", "x₁")
        self.plot.setLabel("left", "x₂")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()          # "Reset view" is the way back; autorange has nothing to fit
        for side in ("bottom", "left"):  # zoomed in, ticks read -0.45, not "-450" over "x₁ (x0.001)"
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        hint(self.plot, "Drag to pan, wheel to zoom: the regions are recomputed for the visible box. "
                        "Hover or click a region to see its activation pattern.")
        self.vb = self.plot.getViewBox()
        self.vb.disableAutoRange()
        self.fill = RegionFill()
        self.edges = pg.PlotCurveItem()
        self.layer_edges = pg.PlotCurveItem()
        self.highlight = pg.PlotCurveItem()
        self.outline = pg.PlotCurveItem()
        self.shading = OutputShading(self.plot)
        for item in (self.fill, self.edges, self.layer_edges, self.highlight,
                     self.outline):
            self.plot.addItem(item)
        self.line_handles = LineHandles(self.plot)
        self.handles = self.line_handles.items
        self.line_handles.line_moved.connect(self._line_dragged)
        self.line_handles.refused.connect(self.message.setText)

        # view controls
        self.view_buttons = {name: QRadioButton(text) for name, text in
                             zip(VIEWS, ("(a) Regions", "(b) Layers", "(c) Output"))}
        group = QButtonGroup(self)
        top = QHBoxLayout()
        for name, button in self.view_buttons.items():
            group.addButton(button)
            top.addWidget(button)
            button.toggled.connect(lambda on, n=name: on and self.set_view(n))
        self.view_buttons["regions"].blockSignals(True)
        self.view_buttons["regions"].setChecked(True)
        self.view_buttons["regions"].blockSignals(False)
        hint(self.view_buttons["regions"], "Every linear region filled; neighbours always get different colours.")
        hint(self.view_buttons["layers"], "Layer 1's lines, then each further layer's bent hyperplanes.")
        hint(self.view_buttons["output"], "The network's output shaded with contours: straight inside each region.")
        self.layer_label = QLabel("show layers 1..1")
        self.layer_slider = QSlider(Qt.Orientation.Horizontal)
        self.layer_slider.setRange(1, 1)
        hint(self.layer_slider, "Show layers 1..l: regions of the layers before l, layer l's bent hyperplanes in bold.")
        top.addStretch(1)
        # the layer slider on a row of its own: beside the buttons it was squeezed to a stub in
        # presentation mode
        view_row = QHBoxLayout()
        view_row.addWidget(self.layer_label)
        view_row.addWidget(self.layer_slider, 1)
        self.output_unit = QSpinBox()
        self.output_unit.setPrefix("output ")
        self.output_unit.setRange(1, 1)
        hint(self.output_unit, "Which output unit view (c) shades.")
        top.addWidget(self.output_unit)      # short: it fits beside the buttons
        self.reset_view = QPushButton("Reset view")
        hint(self.reset_view, "Back to the box [-1, 1] x [-1, 1].")

        drag_row = QHBoxLayout()
        self.editor_toggle = QPushButton("Network editor")
        self.editor_toggle.setCheckable(True)
        self.editor_toggle.setChecked(True)
        hint(self.editor_toggle, "Show or hide the network editor on the left (hidden by default in presentation mode).")
        drag_row.addWidget(self.editor_toggle)
        self.drag_check = QCheckBox("Drag the line of layer-1 unit")
        hint(self.drag_check, "Show two handles on one first-layer unit's line; drag them to move the line.")
        self.drag_unit = QSpinBox()
        hint(self.drag_unit, "Which unit of layer 1 gets the two drag handles.")
        self.drag_unit.setRange(1, 1)
        drag_row.addWidget(self.drag_check)
        drag_row.addWidget(self.drag_unit)
        drag_row.addStretch(1)
        drag_row.addWidget(self.reset_view)

        self.units = QListWidget()
        self.units.setMouseTracking(True)
        self.units.setWordWrap(True)
        hint(self.units, "Hover or click a unit of the shown layer to highlight its bent hyperplane. "
                         "'always active' / 'never active': in the whole view box, so it bends nowhere here.")
        self.info = QLabel("Hover or click a region.")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = CountsBox()

        left = QVBoxLayout()
        left.addLayout(top)
        left.addLayout(view_row)
        left.addWidget(self.plot, 1)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        left.addWidget(self.caption)
        left.addLayout(drag_row)
        right_widget = QWidget()
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.counts)
        right.addWidget(self.info)
        right.addWidget(self.message)
        self.units_label = QLabel("Units of layer 1:")
        self.units_label.setWordWrap(True)
        right.addWidget(self.units_label)
        right.addWidget(self.units, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        right_scroll = QScrollArea()
        right_scroll.setWidget(right_widget)
        right_scroll.setWidgetResizable(True)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        row.addLayout(left, 5)
        row.addWidget(right_scroll, 2)
        self._row = row

        # a change (drag, edit, zoom) asks for an enumeration at most every 40 ms; it runs off the
        # GUI thread, and only the newest request waits while one runs
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(40)
        self._debounce.timeout.connect(self._request)
        self.worker = LatestWorker(self)
        self.worker.finished.connect(self._computed)

        editor.network_changed.connect(self._network_changed)
        self.layer_slider.valueChanged.connect(self._layer_changed)
        self.output_unit.valueChanged.connect(self._output_changed)
        self.reset_view.clicked.connect(lambda: self.vb.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0))
        self.vb.sigRangeChanged.connect(lambda *_a: self._changed())
        self.units.itemEntered.connect(lambda item: self.highlight_unit(self.units.row(item)))
        self.units.currentRowChanged.connect(self.highlight_unit)
        self.drag_check.toggled.connect(lambda _on: self._place_handles())
        self.drag_unit.valueChanged.connect(lambda _v: self._place_handles())
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._mouse_clicked)

        self.vb.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
        self._show_controls()
        self._network_changed()

    # -- public -----------------------------------------------------------------------------
    @property
    def net(self):
        return self.editor.network

    def is_ready(self) -> bool:
        """Drawn for the current view box, and the whole-plane count has finished."""
        return (self._ready and not self._debounce.isActive() and not self.worker.is_busy()
                and not self.counts.is_counting() and self.box == self._wanted()[0])

    def set_view(self, name: str) -> None:
        if name not in VIEWS:
            raise ValueError(f"unknown view {name!r}; choose one of {VIEWS}")
        self.view = name
        if not self.view_buttons[name].isChecked():
            self.view_buttons[name].setChecked(True)
        self._show_controls()
        self.recompute()

    def _show_controls(self) -> None:
        layers = self.view == "layers"
        for w in (self.layer_label, self.layer_slider):
            w.setVisible(layers)
        self.output_unit.setVisible(self.view == "output")

    def shown_layers(self) -> int:
        return self.layer_slider.value() if self.view == "layers" else self.net.n_layers

    def set_style(self, dark: bool, scale: float) -> None:
        """Theme and presentation scale (line widths scale with it); redraws."""
        self._dark, self._scale = dark, scale
        self._row.setStretch(0, 5 if scale < 1.5 else 3)   # bigger text needs a wider right column
        self.recompute()

    def recompute(self) -> None:
        """Enumerate the regions in the visible box (exactly, now) and redraw every item."""
        self._debounce.stop()
        self.worker.cancel()
        box, layers = self._wanted()
        try:
            result = region_set(self.net, box, layers=layers, max_regions=MAX_REGIONS)
        except (RegionLimitExceeded, ValueError) as exc:   # too many regions; weights too large
            result = exc
        self._computed((box, layers, self.net), result)

    def shutdown(self) -> None:
        self._debounce.stop()
        self.worker.shutdown()

    def _wanted(self):
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return (float(x0), float(x1), float(y0), float(y1)), self.shown_layers()

    def _changed(self) -> None:
        """Throttle: one enumeration request per timer period while changes keep coming."""
        if not self._debounce.isActive():
            self._debounce.start()

    def _request(self) -> None:
        box, layers = self._wanted()
        net = self.net.copy()
        self.worker.submit(lambda: region_set(net, box, layers=layers, max_regions=MAX_REGIONS), (box, layers, net))

    def _computed(self, request, result) -> None:
        """Show an enumeration's result (a RegionSet, or the exception it raised) for ``request =
        (box, layers, network)``; during a drag that network may be a step behind the editor's."""
        self.box, layers, net = request
        self.rs = None
        why = "too many to enumerate"
        if isinstance(result, RegionLimitExceeded):
            self.message.setText(f"{result}. Zoom in or use fewer units.")
        elif isinstance(result, Exception):
            self.message.setText(f"The regions could not be computed: {result}.")
            why = "weights too large" if "too large" in str(result) else "could not be computed"
        else:
            self.rs = result
            self.message.setText("")
        self.selected = -1
        self._draw()
        if self._clicked_point is not None:   # keep printing the clicked point's region as weights change
            self.select_at(*self._clicked_point)
        elif self._hover_pos is not None:
            self._mouse_moved(self._hover_pos)
        self.counts.show_counts(net, None if self.rs is None else len(self.rs), self.box,
                                layers if layers < net.n_layers else None, why)
        self._ready = True
        self.redrawn.emit()

    def highlight_unit(self, row: int) -> None:
        """Draw the bent hyperplane of unit ``row`` of the shown layer (the union of its edges)."""
        if self.rs is None or row < 0:
            self.highlight.setData([], [])
            return
        segs, layer, unit = edge_segments(self.rs)
        mask = (layer == self.rs.n_layers - 1) & (unit == row)
        segments_curve(self.highlight, segs[mask])

    def region_text(self, index: int) -> str:
        """Pattern (slide notation), area and affine map of region ``index``."""
        return format_region(self.rs[index], self.output_unit.value() - 1)

    def select_at(self, x: float, y: float) -> int:
        """Select (outline + print) the region containing ``(x, y)``; returns its index or -1."""
        self._clicked_point = (float(x), float(y))
        if self.rs is None:
            return -1
        index = self.rs.locate((x, y))
        self.selected = index
        if index < 0:
            self.outline.setData([], [])
            return -1
        v = self.rs[index].vertices
        closed = np.vstack([v, v[:1]])
        self.outline.setData(closed[:, 0], closed[:, 1])
        self.info.setText("Clicked region:\n" + self.region_text(index))
        return index

    # -- internals --------------------------------------------------------------------------
    def _network_changed(self) -> None:
        net = self.net
        keep = self.layer_slider.value()
        self.layer_slider.blockSignals(True)
        self.layer_slider.setRange(1, net.n_layers)
        self.layer_slider.setValue(min(max(keep, 1), net.n_layers))
        self.layer_slider.blockSignals(False)
        self.layer_label.setText(f"show layers 1..{self.layer_slider.value()}")
        self.output_unit.setRange(1, max(1, net.n_outputs))
        self.drag_unit.setRange(1, net.widths[0])
        self._changed()
        self._place_handles()

    def _layer_changed(self, value: int) -> None:
        self.layer_label.setText(f"show layers 1..{value}")
        self._changed()                   # off the GUI thread: sliding through the layers stays live

    def _output_changed(self, _value: int) -> None:
        """Another output unit: same regions, new shading and texts (no enumeration)."""
        if self.rs is None:
            self.recompute()
            return
        self._draw()
        if self._clicked_point is not None:
            self.select_at(*self._clicked_point)

    def _colors(self, rs, prefix_layers: int):
        """Colour per region from its pattern in the first ``prefix_layers`` layers."""
        cols = rs.layer_slices[prefix_layers - 1].stop if prefix_layers > 0 else 0
        return pattern_color_indices(rs.patterns[:, :cols], rs.widths)

    def _draw(self) -> None:
        rs = self.rs
        fg = self.palette().windowText().color()
        muted = pg.mkColor(fg)
        muted.setAlpha(110)
        show_output = self.view == "output" and self.net.n_outputs > 0
        if rs is None:
            self.fill.clear()
            for item in (self.edges, self.layer_edges, self.highlight, self.outline):
                item.setData([], [])
            self._draw_output(show_output)   # the shading needs no enumeration
            return
        layers = rs.n_layers
        prefix = layers - 1 if (self.view == "layers" and layers > 1) else layers
        self.fill.setVisible(not show_output)
        if not show_output:
            self.fill.set_polygons(rs.vertices, rs.offsets, self._colors(rs, prefix), palette(self._dark))
        segs, layer, unit = edge_segments(rs)
        scale = self.style_scale()
        if self.view == "layers":
            segments_curve(self.edges, segs[(layer >= 0) & (layer < layers - 1)])
            segments_curve(self.layer_edges, segs[layer == layers - 1])
            self.edges.setPen(pg.mkPen(muted, width=1 * scale))
            self.layer_edges.setPen(pg.mkPen(fg, width=2.5 * scale))
        else:
            segments_curve(self.edges, segs[layer >= 0])
            segments_curve(self.layer_edges, [])
            self.edges.setPen(pg.mkPen(muted if show_output else fg, width=0.8 * scale))
        self.highlight.setPen(pg.mkPen("#D55E00", width=4 * scale))
        self.outline.setPen(pg.mkPen("#0072B2", width=3 * scale))
        self.outline.setData([], [])
        self.highlight.setData([], [])
        self._draw_output(show_output)
        self._fill_units(layers)
        self.highlight_unit(self.units.currentRow())   # a clicked unit stays highlighted as weights change
        self.caption.setText(view_caption(rs, self.view, self.output_unit.value()))
        self._place_handles()

    def _draw_output(self, show: bool) -> None:
        if show:
            if not self.shading.show(self.net, self.box, self.output_unit.value() - 1,
                                     self.palette().windowText().color(), self.style_scale()):
                self.message.setText("The output is too large to shade here (it overflows float64).")
        else:
            self.shading.set_visible(False)

    def _fill_units(self, layers: int) -> None:
        rs = self.rs
        n = rs.widths[layers - 1]
        self.units_label.setText(f"Units of layer {layers}: hover (or click) one to highlight its bent hyperplane")
        bits = rs.patterns[:, rs.layer_slices[layers - 1]]
        always_on, always_off = bits.all(axis=0), ~bits.any(axis=0)   # such a unit makes no edge in the box
        texts = [f"layer {layers}, unit {i + 1}" + (" (always active)" if always_on[i] else
                                                    " (never active)" if always_off[i] else "")
                 for i in range(n)]
        if self.units.count() != n:
            self.units.blockSignals(True)
            self.units.clear()
            self.units.addItems(texts)
            self.units.blockSignals(False)
        else:
            for i in range(n):
                self.units.item(i).setText(texts[i])

    def style_scale(self) -> float:
        return self._scale

    def _place_handles(self) -> None:
        show = self.drag_check.isChecked() and self.view != "output"
        if not show:
            self.line_handles.set_visible(False)
            return
        unit = self.drag_unit.value() - 1
        self.line_handles.place(self.net.weights[0][unit], self.net.biases[0][unit], self.box)

    def _line_dragged(self, w, b: float) -> None:
        self.message.setText("")
        self.editor.set_first_layer_line(self.drag_unit.value() - 1, w, b)

    def _point(self, scene_pos):
        if not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        return p.x(), p.y()

    def _mouse_moved(self, scene_pos) -> None:
        self._hover_pos = scene_pos           # re-read after a redraw (zoom, weights): no stale numbers
        pt = self._point(scene_pos)
        if pt is None or self.rs is None or self.selected >= 0:
            return
        index = self.rs.locate(pt)
        if index >= 0:
            self.info.setText("Region under the mouse (click to keep it):\n" + self.region_text(index))

    def _mouse_clicked(self, event) -> None:
        pt = self._point(event.scenePos())
        if pt is None:
            return
        if self.selected >= 0 and self.rs is not None and self.rs.locate(pt) == self.selected:
            self.selected = -1  # click the kept region again to release it
            self._clicked_point = None
            self.outline.setData([], [])
            return
        self.select_at(*pt)
