"""Gradient descent panel: a ball rolling down C(v1, v2) by v -> v' = v - eta grad C, the first-order
prediction of each step, learning-rate pitfalls in words, and SGD beside full-batch descent."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QSplitter, QWidget

from explorer.panels.base import Panel
from explorer.panels.descent.charts import AnglePlot, CostPlot, FirstOrderPlot, FitPlot
from explorer.panels.descent.contour import ContourView
from explorer.panels.descent.controls import DescentControls
from explorer.panels.descent.state import SURFACE_NAMES, DescentState
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

TICK_MS = 33
ANGLE_EVERY = 5  # while running, redo the angle-vs-m curve every this many ticks
TINY_FULL_GRADIENT = 10.0  # mini-batch gradients over 10x longer than the full one on average


def _g(x: float) -> str:
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0 into 0


def _vec(v) -> str:
    return f"({_g(v[0])}, {_g(v[1])})"


def _nice_ceiling(x: float) -> float:
    """The next 'round' number above x (1, 2, 2.5, 5 times a power of ten)."""
    p = 10.0 ** np.floor(np.log10(x))
    for f in (1.0, 2.0, 2.5, 5.0, 10.0):
        if f * p >= x:
            return float(f * p)
    return float(10 * p)


class DescentPanel(Panel):
    name = "descent"
    title = "Gradient descent"
    slides = 'Slides "Gradient Descent", "Cost function from the network", "Stochastic gradient descent"'

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = DescentState(self)
        self.controls = DescentControls()
        self.contour = ContourView()
        hint(self.contour, "The cost seen from above (darker = higher C, lines = equal C, star = minimum). "
                           "Click anywhere to put the ball there.")
        self.cost_plot = CostPlot()
        hint(self.cost_plot, "C − C_min against step on a log scale, full-batch descent and SGD.")
        self.angle_plot = AnglePlot()
        hint(self.angle_plot, "Mean angle between a mini-batch gradient and the full gradient at the ball, "
                              "for every mini-batch size m: it shrinks to 0 at m = n.")
        self.fit_plot = FitPlot()
        hint(self.fit_plot, "The data set (dots) and the neuron's output σ(w x + b) at the full-batch ball and "
                            "at the SGD ball: C(w, b) is the mean squared gap between them.")
        self.first_order_plot = FirstOrderPlot()
        hint(self.first_order_plot, "At the ball, for every η: the slide's prediction ΔC ≈ ∇C·Δv = −η|∇C|² "
                                    "(dashed, a straight line) and the actual ΔC (solid). They agree for small η "
                                    "and part as η grows; the vertical line is the current η.")
        self._eta_top = 1.0
        self._ready = False
        self._ticks = 0
        self._diagnosis = None
        self._build_layout()

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

        c = self.controls
        c.surface_combo.currentIndexChanged.connect(self._surface_chosen)
        c.conditioning_slider.value_changed.connect(self.state.set_conditioning)
        c.eta_slider.value_changed.connect(self.state.set_learning_rate)
        c.use_good_eta_button.clicked.connect(self._use_good_eta)
        c.step_button.clicked.connect(self.step)
        c.run_button.toggled.connect(self._run_toggled)
        c.reset_button.clicked.connect(self._reset)
        c.sgd_check.toggled.connect(self.state.set_sgd_enabled)
        c.batch_slider.value_changed.connect(lambda m: self.state.set_batch_size(int(round(m))))
        self.contour.clicked.connect(self.place_ball)
        self.contour.hovered.connect(self._hovered)
        self.state.surface_changed.connect(self._sync_surface)
        self.state.learning_rate_changed.connect(self._sync_eta)
        self.state.batch_size_changed.connect(self._update_angle_curve)
        self.state.moved.connect(self._refresh)

        self._sync_surface()
        self._refresh()
        self._update_angle_curve()
        self.apply_style(self.style_)
        self._ready = True

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll = scroll
        right = QWidget()
        self._grid = QGridLayout(right)
        self._grid.setContentsMargins(0, 0, 0, 0)
        for i, w in enumerate((self.contour, self.cost_plot, self.first_order_plot, self.angle_plot, self.fit_plot)):
            self._grid.addWidget(w, i, 0)  # parent them all now; _arrange places them
        self._presentation = False
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 900])
        self.splitter = split
        lay = QHBoxLayout(self)
        lay.addWidget(split)

    def _arrange(self, presentation: bool) -> None:
        """Place the surface and the charts. Normally the charts sit beside the surface (on the
        data cost the cost plot moves under it to make room); in presentation mode (2x fonts)
        they sit in one row under it, and the data cost leaves out the Delta C vs eta plot."""
        self._presentation = presentation
        data = self.state.has_examples
        if presentation:
            charts = [self.cost_plot, self.angle_plot, self.fit_plot] if data else [self.cost_plot, self.first_order_plot]
        else:
            charts = [self.first_order_plot, self.angle_plot, self.fit_plot] if data else [self.cost_plot, self.first_order_plot]
        g = self._grid
        movable = (self.contour, self.cost_plot, self.first_order_plot, self.angle_plot, self.fit_plot)
        for w in movable:
            g.removeWidget(w)
        for i in range(4):
            g.setRowStretch(i, 0)
            g.setColumnStretch(i, 0)
        k = len(charts)
        if presentation:
            g.addWidget(self.contour, 0, 0, 1, k)
            for i, w in enumerate(charts):
                g.addWidget(w, 1, i)
                g.setColumnStretch(i, 1)
            g.setRowStretch(0, 3)
            g.setRowStretch(1, 2)
        else:
            under = data  # the cost plot under the surface, three charts beside it
            g.addWidget(self.contour, 0, 0, k - 1 if under else k, 1)
            if under:
                g.addWidget(self.cost_plot, k - 1, 0)
            for i, w in enumerate(charts):
                g.addWidget(w, i, 1)
                g.setRowStretch(i, 1)
            g.setColumnStretch(0, 3)
            g.setColumnStretch(1, 2)
        shown = set(charts) | ({self.cost_plot} if data and not presentation else set())
        for w in movable[1:]:
            w.setVisible(w in shown)

    # -- actions (also what the tests call) ----------------------------------------------
    def place_ball(self, v1: float, v2: float) -> None:
        self.pause()
        self.state.place(v1, v2)
        self._update_angle_curve()

    def step(self) -> None:
        self.state.step(1)
        self._update_angle_curve()

    def run(self) -> None:
        self.controls.run_button.setChecked(True)

    def pause(self) -> None:
        self.controls.run_button.setChecked(False)

    def is_running(self) -> bool:
        return self.timer.isActive()

    def set_surface(self, name: str) -> None:
        self.controls.surface_combo.setCurrentIndex(SURFACE_NAMES.index(name))

    def _surface_chosen(self, index: int) -> None:
        self.pause()
        self.state.set_surface(SURFACE_NAMES[index])
        self._update_angle_curve()

    def _reset(self) -> None:
        self.pause()
        self.state.reset()
        self._update_angle_curve()

    def _use_good_eta(self) -> None:
        good = self.state.good_eta()
        if good is not None:
            self.controls.eta_slider.setValue(good[0])

    def _hovered(self, v1: float, v2: float) -> None:
        names = self.state.surface.axis_labels
        self.contour.hover_text.setText(f"{names[0]} = {_g(v1)}, {names[1]} = {_g(v2)}:  "
                                        f"C = {_g(self.state.cost((v1, v2)))}")

    def _run_toggled(self, on: bool) -> None:
        self.controls.run_button.setText("Pause" if on else "Run")
        if on:
            self._ticks = 0
            self.timer.start()
        else:
            self.timer.stop()
            self._update_angle_curve()

    def _tick(self) -> None:
        self._ticks += 1
        self.state.step(int(self.controls.speed_slider.value()))
        if self._ticks % ANGLE_EVERY == 0:
            self._update_angle_curve()
        s = self.state
        d = self._diagnosis
        x0, x1, y0, y1 = s.surface.box
        cx, cy = s.current
        w, h = x1 - x0, y1 - y0
        outside = not (x0 - 2 * w <= cx <= x1 + 2 * w and y0 - 2 * h <= cy <= y1 + 2 * h)  # far off the view
        path = s.path.array
        resting = len(path) > 1 and float(np.linalg.norm(path[-1] - path[-2])) < 1e-12 and not s.sgd_active
        if s.stopped or s.at_limit or resting or (d is not None and d.kind == "diverging" and outside):
            self.pause()

    # -- syncing widgets from the state ------------------------------------------------------
    def _sync_surface(self) -> None:
        s, c = self.state, self.controls
        c.surface_combo.blockSignals(True)
        c.surface_combo.setCurrentIndex(SURFACE_NAMES.index(s.surface.name))
        c.surface_combo.blockSignals(False)
        c.formula_label.setText(s.surface.formula)
        c.conditioning_slider.setVisible(s.surface.name == "bowl")
        self.contour.set_surface(s.surface)
        good = s.good_eta()
        top = _nice_ceiling(2.5 * good[1]) if good else 1.0
        c.eta_slider.set_range(0.0, top)
        self._eta_top = top
        c.sgd_box.setEnabled(s.has_examples)
        self._arrange(self._presentation)
        if s.has_examples:
            c.batch_slider.set_range(1, s.n_examples)
        self._sync_eta(s.learning_rate)
        self._show_good_eta()

    def _sync_eta(self, eta: float) -> None:
        self.controls.eta_slider.setValue(eta)

    def _show_good_eta(self) -> None:
        s = self.state
        good = s.good_eta()
        c = self.controls
        c.use_good_eta_button.setEnabled(good is not None)
        if good is None:
            c.good_eta_label.setText("Curvature unknown here: no good-η hint.")
            return
        where = "everywhere" if s.surface.lipschitz is not None else "at the minimum"
        L = 1.0 / good[0]
        c.good_eta_label.setText(f"Curvature L = {_g(L)} ({where}): good η ≈ 1/L = {_g(good[0])}; "
                                 f"diverges above 2/L = {_g(good[1])}.")

    def _refresh(self) -> None:
        s, c = self.state, self.controls
        full = s.path.array
        sgd = s.sgd_path.array if s.sgd_active else None
        self.contour.set_paths(full, sgd)
        self.cost_plot.set_data(s.cost_gaps(full), None if sgd is None else s.cost_gaps(sgd))
        fit = s.fit_curves()
        if fit is not None:
            self.fit_plot.set_data(*fit)
        v = s.current
        label = s.surface.axis_labels
        c.position_label.setText(f"Ball at ({label[0]}, {label[1]}) = {_vec(v)}, C = {_g(s.cost(v))}, "
                                 f"after {s.steps_taken} steps.")
        pred = s.prediction()
        self.contour.set_arrows(pred.point, pred.gradient, pred.delta_v)
        c.step_label.setText(f"∇C = {_vec(pred.gradient)}<br>Δv = −η∇C = {_vec(pred.delta_v)}")
        c.prediction_label.setText(f"predicted ΔC ≈ ∇C·Δv = <b>{_g(pred.predicted)}</b><br>"
                                   f"actual ΔC = <b>{_g(pred.actual)}</b>")
        self._show_first_order(pred)
        self.first_order_plot.set_data(*s.first_order(self._eta_top), s.learning_rate)
        self._diagnosis = d = s.diagnosis()
        style = self.style_
        color = {"converging": style.good, "crawling": style.color(4), "undecided": style.foreground}.get(d.kind, style.bad)
        head, sep, rest = d.message.partition(":")
        text = f"<b>{head}:</b>{rest}" if sep and d.kind != "undecided" else d.message
        c.diagnosis_label.setText(f'<span style="color:{color}">{text}</span>')
        self._show_good_eta()
        self._update_angle_readout()

    def _show_first_order(self, pred) -> None:
        c, style = self.controls, self.style_
        if not np.all(np.isfinite(pred.gradient)) or not np.isfinite(pred.actual):
            text, color = "The numbers have overflowed: the formula cannot be checked here.", style.bad
        elif pred.predicted == 0.0:
            text, color = "∇C = 0 here (or η = 0): no step, nothing to predict.", style.muted
        elif pred.below_resolution:
            text = ("∇C·Δv is below the rounding of C here (the ball is at the minimum): the actual ΔC "
                    "is rounding noise, nothing left to check.")
            color = style.muted
        elif pred.cost_went_up:
            text = (f"C goes <b>up</b> by {_g(pred.actual)} although ∇C·Δv predicts a fall: η is far too big "
                    "for the first-order formula.")
            color = style.bad
        elif pred.relative_error > 0.25:
            text = (f"The first-order formula is off by {pred.relative_error:.0%}: Δv is too long for "
                    "ΔC ≈ ∇C·Δv; C falls less than predicted.")
            color = style.color(4)
        else:
            text = f"First-order formula holds (off by {pred.relative_error:.1%}): Δv is small enough."
            color = style.good
        c.first_order_note.setText(f'<span style="color:{color}">{text}</span>')

    def _update_angle_readout(self) -> None:
        s, c = self.state, self.controls
        stats = s.minibatch_stats()
        if stats is None:
            c.angle_label.setText("SGD needs a cost that is an average over examples: choose the data cost.")
            return
        if not np.isfinite(stats.mean_angle):
            c.angle_label.setText("The full gradient is 0 at the ball: the angle is undefined.")
            return
        head = (f"At the ball, m = {stats.batch_size} of n = {s.n_examples}: mini-batch gradient is off the full "
                f"gradient by <b>{stats.mean_angle:.1f}°</b> on average")
        if stats.mean_abs_length_difference > TINY_FULL_GRADIENT:  # e.g. 4e8 %: say it in words
            text = (f"{head} and <b>many times</b> as long: the full gradient is almost 0 here (the examples' "
                    "pulls cancel), while each mini-batch still pulls its own way.")
        else:
            text = (f"{head}, its length by <b>{stats.mean_abs_length_difference:.0%}</b>."
                    + (" Near the minimum the full gradient is tiny, so single examples disagree with it most."
                       if stats.mean_angle > 45 else ""))
        c.angle_label.setText(text)
        self.angle_plot.set_marker(stats.batch_size, stats.mean_angle)

    def _update_angle_curve(self, *_args) -> None:
        curve = self.state.angle_curve()
        if curve is not None:
            self.angle_plot.set_curve(*curve)
            self._update_angle_readout()

    # -- Panel hooks ---------------------------------------------------------------------------
    def apply_style(self, style: Style) -> None:
        for view in (self.contour, self.cost_plot, self.first_order_plot, self.angle_plot, self.fit_plot):
            view.apply_style(style)  # first: titles and labels, which the base then styles
        super().apply_style(style)
        self.controls.diagnosis_label.setFont(style.font(1.05))
        self.controls.formula_label.setFont(style.font(1.1))
        self._arrange(style.presentation)
        for slider in self.controls.findChildren(ValueSlider):  # room for "20.0000" in 2x fonts
            slider.line_edit.setMaximumWidth(int(90 * style.scale))
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setMinimumWidth(self.controls.minimumSizeHint().width() + bar + 4)
        self.splitter.setSizes([self.scroll.minimumWidth(), 900])
        if self._ready:
            self._refresh()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Switching to another panel pauses a run: no hidden timer keeps stepping and eating CPU."""
        self.pause()
        super().hideEvent(event)

    def is_ready(self) -> bool:
        return self._ready

    def shutdown(self) -> None:
        self.timer.stop()
