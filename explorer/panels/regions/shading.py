"""View (c): the network's output as a shaded image with contour lines, created once, updated in place."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.core.region_geometry import output_grid

N_CONTOURS = 12
GRID = (240, 240)


class OutputShading:
    """An ImageItem (viridis) and ``N_CONTOURS`` IsocurveItems at evenly spaced levels."""

    def __init__(self, plot: pg.PlotWidget):
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.contours = [pg.IsocurveItem() for _ in range(N_CONTOURS)]
        plot.addItem(self.image)
        for c in self.contours:
            c.setParentItem(self.image)
        self.set_visible(False)

    def set_visible(self, visible: bool) -> None:
        self.image.setVisible(visible)
        for c in self.contours:
            c.setVisible(visible)

    def show(self, net, box, output: int, foreground, scale: float) -> bool:
        """Shade output unit ``output`` (0-based) of ``net`` over ``box``; False (nothing shown) if
        the output overflows float64 there."""
        x0, x1, y0, y1 = box
        with np.errstate(over="ignore", invalid="ignore"):
            grid = output_grid(net, box, GRID, output)
            finite = bool(np.isfinite(grid).all())
        self.set_visible(finite)
        if not finite:
            return False
        lo, hi = float(grid.min()), float(grid.max())
        if hi <= lo:
            hi = lo + 1e-9
        self.image.setImage(grid, levels=(lo, hi))
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        for k, c in enumerate(self.contours):
            c.setData(grid)
            c.setLevel(lo + (k + 0.5) * (hi - lo) / N_CONTOURS)
            # light lines on the dark (low) half of viridis, dark lines on the bright half
            c.setPen(pg.mkPen("w" if k < N_CONTOURS // 2 else foreground, width=1.2 * scale))
        return True
