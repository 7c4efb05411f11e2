"""The counting box: regions in the view box, in the whole plane, and the bounds beside them."""

from __future__ import annotations

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QFormLayout, QGroupBox, QLabel

from explorer.core.region_bounds import exact_plane_count, region_bounds
from explorer.core.regions import RegionLimitExceeded
from explorer.panels.regions.background import LatestWorker
from explorer.widgets.hints import hint

PLANE_MAX_REGIONS = 40_000


def _fmt(n: int) -> str:
    return f"{n:,}" if n < 10**12 else f"{n:.3e}"


def _network_key(net, layers):
    """The parameters that decide the whole-plane count (it does not depend on the view)."""
    L = net.n_layers if layers is None else layers
    return (L,) + tuple(a.tobytes() + bytes(str(a.shape), "ascii")
                        for a in list(net.weights[:L]) + list(net.biases[:L]))


class CountsBox(QGroupBox):
    """Shows the counts; the whole-plane count runs one chart per timer tick (GUI stays live) and
    only when the network changes: it is a property of the network, not of the view box."""

    plane_counted = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__("Counting regions", parent)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.box_count = QLabel("–")
        self.plane_count = QLabel("–")
        self.plane_count.setWordWrap(True)
        self.first_layer = QLabel("–")
        self.lower = QLabel("–")
        self.serra = QLabel("–")
        self.montufar17 = QLabel("–")
        self.architecture = QLabel("")
        rows = [
            ("In the view box", self.box_count, "Exact number of linear regions inside the visible box."),
            ("In the whole plane", self.plane_count,
             "Exact, and the same whatever the view: the plane is covered by the box [-1, 1]² and four "
             "projective charts reaching to infinity (see exact_plane_count)."),
            ("Layer 1 alone", self.first_layer, "sum_{j=0}^{2} C(n_1, j): most regions n_1 lines can make."),
            ("Montúfar '14 lower bound", self.lower,
             "(prod_{l<L} floor(n_l/2)^2) * sum_{j=0}^{2} C(n_L, j): some network of these widths reaches it."),
            ("Serra '18 upper bound", self.serra, "sum over J of prod_l C(n_l, j_l); no network can exceed it."),
            ("Montúfar '17 upper bound", self.montufar17, "prod_l sum_{j=0}^{min(2, n_1..n_l)} C(n_l, j)."),
        ]
        form.addRow(self.architecture)
        for text, label, tip in rows:
            name = QLabel(text)
            name.setWordWrap(True)
            hint(name, tip)
            hint(label, tip)
            form.addRow(name, label)
        self.worker = LatestWorker(self)      # counted off the GUI thread (2-64-64-64: ~0.5 s)
        self.worker.finished.connect(self._plane_counted)
        self._key = None            # network whose plane count is shown or running
        self.last_plane = None      # the finished exact count (int), None while counting

    def show_counts(self, net, box_count: int | None, box, layers: int | None = None,
                    why_none: str = "too many to enumerate") -> None:
        """Update for ``net`` (optionally only its first ``layers`` layers) whose view box holds ``box_count``
        regions (None: not enumerable, ``why_none`` says why)."""
        widths = list(net.widths)[: layers or None]
        bounds = region_bounds(widths)
        self.architecture.setText("Widths 2-" + "-".join(str(w) for w in widths)
                                  + (f" (layers 1..{layers} shown)" if layers and layers < net.n_layers else ""))
        self.box_count.setText(why_none if box_count is None else _fmt(box_count))
        self.first_layer.setText(_fmt(bounds.first_layer))
        self.lower.setText(_fmt(bounds.montufar2014_lower))
        self.serra.setText(_fmt(bounds.serra_upper))
        self.montufar17.setText(_fmt(bounds.montufar2017_upper))
        key = _network_key(net, layers)
        if key == self._key:        # same network, only the view moved: the plane count stands
            return
        self._key = key
        if box_count is None:  # the view box alone is past the cap: the plane holds at least as many
            self.worker.cancel()
            self.last_plane = None
            self.plane_count.setText(why_none)
            return
        self.start_plane_count(net, layers)

    def start_plane_count(self, net, layers=None) -> None:
        self.last_plane = None
        self._key = _network_key(net, layers)
        net = net.copy()
        self.worker.submit(lambda: exact_plane_count(net, layers, max_regions=PLANE_MAX_REGIONS), self._key)
        self.plane_count.setText("counting…")

    def is_counting(self) -> bool:
        return self.worker.is_busy()

    def stop(self) -> None:
        """Drop a running count (the next ``show_counts`` starts again)."""
        self.worker.cancel()
        if self.last_plane is None:
            self._key = None

    def shutdown(self) -> None:
        self.stop()
        self.worker.shutdown()

    def _plane_counted(self, key, result) -> None:
        if key != self._key:    # a network the editor has already left (mid-drag): not this one's count
            return
        if isinstance(result, RegionLimitExceeded):
            self.plane_count.setText(f"more than {PLANE_MAX_REGIONS:,} (stopped)")
        elif isinstance(result, Exception):
            self.plane_count.setText(f"could not be counted: {result}")
        else:
            self.last_plane = int(result)
            self.plane_count.setText(f"{_fmt(self.last_plane)}  (exact)")
            self.plane_counted.emit(self.last_plane)
