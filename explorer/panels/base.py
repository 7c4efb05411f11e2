"""What every panel is: a QWidget with a name, a title, the slides it covers, and a style hook."""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtWidgets import QWidget

from explorer.style import Style, style_plot


class Panel(QWidget):
    """Base class of the topic panels.

    Subclasses set ``name`` (command-line name), ``title`` (panel list) and ``slides``
    (Help > Slides), build their widgets in ``__init__`` and bind them to core objects.
    """

    name: str = ""
    title: str = ""
    slides: str = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_: Style = Style()

    def apply_style(self, style: Style) -> None:
        """Restyle for a theme or presentation change; subclasses re-set their own pens after this."""
        self.style_ = style
        for plot in self.findChildren(pg.PlotWidget):
            style_plot(plot, style)
        for layout_widget in self.findChildren(pg.GraphicsLayoutWidget):
            layout_widget.setBackground(style.background)
            for item in layout_widget.ci.items:
                if isinstance(item, pg.PlotItem):
                    style_plot(item, style)

    def figure(self) -> QWidget:
        """The widget File > Export saves (default: the whole panel)."""
        return self

    def is_ready(self) -> bool:
        """True once the panel has drawn what it shows (screenshots wait for this)."""
        return True

    def shutdown(self) -> None:
        """Stop timers and workers; wait (bounded) for threads. Called when the window closes."""
