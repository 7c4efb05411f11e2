"""Tab "Two inputs": steps in x or y, bump in x + bump in y, the threshold that makes a tower, towers for f(x, y)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QComboBox, QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from explorer.core import bumps2d
from explorer.core.formula import PRESETS_2D
from explorer.core.sigmoid import abs_errors, bias_for_step
from explorer.panels.sigmoid.common import InfoLabel, TargetEditor, keep_ordered
from explorer.style import Style
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

RESOLUTION = 101
MODES = ("Step in x or y", "Bump in x + bump in y → tower", "Grid of towers ≈ f(x, y)")


class HeatMap(pg.PlotWidget):
    """One heat map over [0, 1]^2 with a colour bar, updated in place with ``show_image``."""

    def __init__(self, title: str):
        super().__init__()
        self._style = Style()
        self._title = ""
        self.set_title(title)
        self.setLabel("bottom", "x")
        self.setLabel("left", "y")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setRect(0.0, 0.0, 1.0, 1.0)
        self.addItem(self.image)
        self.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.0)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get("viridis"), interactive=False,
                                   width=12)
        self.bar.setImageItem(self.image, insert_in=self.getPlotItem())

    def show_image(self, values: np.ndarray, levels: tuple[float, float]) -> None:
        """values[ix, iy] on the grid; the colour scale spans ``levels``."""
        lo, hi = levels
        if hi - lo < 1e-9:
            hi = lo + 1e-9
        self.image.setImage(values, levels=(lo, hi))
        # values are samples at i / (n - 1): centre each pixel on its sample point
        hx, hy = 0.5 / (values.shape[0] - 1), 0.5 / (values.shape[1] - 1)
        self.image.setRect(-hx, -hy, 1.0 + 2 * hx, 1.0 + 2 * hy)
        self.bar.setLevels((lo, hi))

    def set_title(self, text: str) -> None:
        if self._title != text:
            self._title = text
            self._restyle_title()

    def apply_style(self, style: Style) -> None:
        self._style = style
        self._restyle_title()

    def _restyle_title(self) -> None:
        size = f"{self._style.base_point_size * self._style.scale:.0f}pt"
        self.setTitle(self._title, color=self._style.foreground, size=size)


class TwoInputsTab(QWidget):
    """Two inputs: the constructions of the slide "Functions with multiple inputs" as heat maps."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.t = np.linspace(0.0, 1.0, RESOLUTION)
        self.gx, self.gy = np.meshgrid(self.t, self.t, indexing="ij")
        self.left = HeatMap("")
        self.right = HeatMap("")
        for heat in (self.left, self.right):
            hint(heat, "Values over the unit square of inputs (x, y) as colours (scale in the colour bar); "
                       "the title says which neuron or function is shown.")
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        hint(self.mode, "Which construction to show.")
        self.steepness = ValueSlider("w", 1, 1000, 200, step=1, decimals=0, hard_limits=(1, 5000))
        self.steepness.setToolTip("Weight of every first-layer neuron (steepness of each step).")

        # page 1: steps
        self.s = ValueSlider("s", 0.0, 1.0, 0.5, step=0.01)
        self.s.setToolTip("Step point s = −b/w, the same for the step in x and the step in y.")
        # page 2: bumps and tower
        self.x1 = ValueSlider("x from", 0.0, 1.0, 0.3, step=0.01)
        self.x2 = ValueSlider("x to", 0.0, 1.0, 0.6, step=0.01)
        self.y1 = ValueSlider("y from", 0.0, 1.0, 0.4, step=0.01)
        self.y2 = ValueSlider("y to", 0.0, 1.0, 0.8, step=0.01)
        for widget, axis, end in ((self.x1, "x", "starts"), (self.x2, "x", "ends"), (self.y1, "y", "starts"),
                                  (self.y2, "y", "ends")):
            widget.setToolTip(f"Where the bump in {axis} {end}: the step point of one hidden neuron "
                              f"with weight w on {axis} only.")
        self.threshold = ValueSlider("threshold", 0.0, 2.5, bumps2d.TOWER_THRESHOLD, step=0.05)
        self.threshold.setToolTip("The output neuron fires where bump_x + bump_y exceeds this: 1.5 keeps "
                                  "only the rectangle where both bumps are up (the book's bias −3h/2).")
        self.gain = ValueSlider("gain h", 1, 100, bumps2d.TOWER_GAIN, step=1, decimals=0)
        self.gain.setToolTip("Weight h of the output neuron: how sharp the threshold is.")
        self.swap_note = InfoLabel(2)
        # page 3: grid of towers
        self.n = ValueSlider("towers per side", 1, 20, 8, step=1, decimals=0)
        self.n.setToolTip("n × n towers; the first hidden layer has 4n neurons, the second n².")
        self.target = TargetEditor(PRESETS_2D, ("x", "y"), "wave", sample_points=(self.gx, self.gy))
        self.info = InfoLabel(6)

        self.pages = QStackedWidget()
        for widgets in ([self.s], [self.x1, self.x2, self.y1, self.y2, self.threshold, self.gain, self.swap_note],
                        [self.n, self.target]):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            for w in widgets:
                box.addWidget(w)
            box.addStretch(1)
            self.pages.addWidget(page)
        side = QVBoxLayout()
        side.addWidget(self.mode)
        side.addWidget(self.steepness)
        side.addWidget(self.pages)
        side.addWidget(self.info)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        maps = QHBoxLayout()
        maps.addWidget(self.left)
        maps.addWidget(self.right)
        layout = QHBoxLayout(self)
        layout.addLayout(maps, 3)
        layout.addWidget(panel, 1)

        self.mode.currentIndexChanged.connect(self._mode_changed)
        for w in (self.steepness, self.s, self.threshold, self.gain, self.n):
            w.value_changed.connect(self.refresh)
        for w in (self.x1, self.x2, self.y1, self.y2):
            w.value_changed.connect(lambda _v, s=w: self._ranges_changed(s))
        self.target.target_changed.connect(self.refresh)
        self._syncing = False
        self.errors = (0.0, 0.0)
        self._mode_changed(0)

    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        for i in range(self.pages.count()):      # the stack takes the height of the current page only
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.adjustSize()
        if index == 2 and self.steepness.value() < 500:
            self.steepness.blockSignals(True)
            self.steepness.setValue(1000)       # sharp towers: the grid needs steep steps
            self.steepness.blockSignals(False)
        self.refresh()

    def _ranges_changed(self, changed=None) -> None:
        """Keep each 'from' below its 'to': a typed crossing swaps the two, a dragged handle stops, visibly."""
        if self._syncing:
            return
        self._syncing = True
        notes = [keep_ordered(lo, hi, f"{name} from", f"{name} to", changed)
                 for lo, hi, name in ((self.x1, self.x2, "x"), (self.y1, self.y2, "y"))]
        self._syncing = False
        self.swap_note.setText(" ".join(n for n in notes if n))
        self.refresh()

    def refresh(self, *_args) -> None:
        k = self.steepness.value()
        mode = self.mode.currentIndex()
        if mode == 0:
            s = self.s.value()
            self.left.set_title("step in x: σ(w x + b)")
            self.right.set_title("step in y: σ(w y + b)")
            b = bias_for_step(k, s)
            self.left.show_image(bumps2d.step_2d(self.gx, self.gy, k, b, "x"), (0.0, 1.0))
            self.right.show_image(bumps2d.step_2d(self.gx, self.gy, k, b, "y"), (0.0, 1.0))
            self.info.setText(f"One hidden neuron with weights (w, 0) steps in x at s = −b/w = {s:g}; "
                              "weights (0, w) step in y.")
        elif mode == 1:
            xr, yr = (self.x1.value(), self.x2.value()), (self.y1.value(), self.y2.value())
            total = bumps2d.bump_sum(self.gx, self.gy, xr, yr, k)
            tower = bumps2d.tower(self.gx, self.gy, xr, yr, k, self.gain.value(), self.threshold.value())
            self.left.set_title("hidden layer: bump in x + bump in y")
            self.right.set_title(f"output: σ(h (sum − {self.threshold.value():g}))")
            self.left.show_image(total, (0.0, 2.0))
            self.right.show_image(tower, (0.0, 1.0))
            self.info.setText("Four hidden neurons: the sum is 2 on the rectangle, 1 on the crossing "
                              "strips. A threshold between 1 and 2 keeps only the rectangle: a tower.")
        else:
            f = self.target.target
            target = f(self.gx, self.gy)
            try:
                net = bumps2d.approximate_2d(f, int(self.n.value()), k)
            except ValueError as exc:      # f not finite at a point the cell means sample
                self.right.show_image(target, (float(target.min()), float(target.max())))
                self.left.set_title("network: cannot build the towers")
                self.info.setText(f"Cannot build the towers: {exc}. Change f or the number of towers.")
                return
            out = net.grid(self.t, self.t)
            lo = float(min(target.min(), out.min()))
            hi = float(max(target.max(), out.max()))
            self.left.set_title("network: grid of towers")
            self.right.set_title("target f(x, y)")
            self.left.show_image(out, (lo, hi))
            self.right.show_image(target, (lo, hi))
            self.errors = abs_errors(out, target)
            first, second = net.hidden_sizes
            self.info.setText(f"|network − f|: mean {self.errors[0]:.4f}, max {self.errors[1]:.3f} "
                              f"(the max is on the seams between towers)\n"
                              f"hidden layers: {first} step neurons, {second} tower neurons")

    def apply_style(self, style: Style) -> None:
        self.target.set_bad_color(style.bad)
        for heat in (self.left, self.right):
            heat.apply_style(style)
