"""Look of the app: light / dark / high-contrast themes and the presentation scale.

One ``Style`` is handed to every panel whenever the theme or presentation mode changes;
``style_plot`` applies it to a pyqtgraph plot so axes, fonts and backgrounds follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PyQt6.QtGui import QColor, QFont, QPalette

THEMES = ("light", "dark", "high-contrast")

# Colours that read well on both light and dark backgrounds (Okabe-Ito, colour-blind safe).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


@dataclass(frozen=True)
class Style:
    theme: str = "light"
    presentation: bool = False
    base_point_size: float = 10.0

    @property
    def scale(self) -> float:
        """Factor for fonts and plot lines: about 2x in presentation mode for the back row."""
        return 2.0 if self.presentation else 1.0

    @property
    def dark(self) -> bool:
        return self.theme == "dark"

    @property
    def foreground(self) -> str:
        return "#e8e8e8" if self.dark else "#000000"

    @property
    def background(self) -> str:
        return {"dark": "#202124", "high-contrast": "#ffffff"}.get(self.theme, "#ffffff")

    @property
    def muted(self) -> str:
        """Colour for faint helper curves (grid, hidden neurons' outputs)."""
        return "#8a8a8a" if self.dark else "#a0a0a0"

    @property
    def good(self) -> str:
        return "#4cc38a" if self.dark else "#007a3d"

    @property
    def bad(self) -> str:
        return "#ff6b6b" if self.dark else "#c0001a"

    def color(self, i: int) -> str:
        """The i-th series colour; in dark mode black becomes white."""
        c = PALETTE[i % len(PALETTE)]
        return self.foreground if c == "#000000" else c

    def line_width(self, width: float = 2.0) -> float:
        base = width * self.scale
        return base * 1.5 if self.theme == "high-contrast" else base

    def pen(self, color=None, width: float = 2.0, style=None) -> "pg.QtGui.QPen":
        pen = pg.mkPen(color if color is not None else self.foreground, width=self.line_width(width))
        if style is not None:
            pen.setStyle(style)
        return pen

    def font(self, relative: float = 1.0, bold: bool = False) -> QFont:
        f = QFont()
        f.setPointSizeF(self.base_point_size * self.scale * relative)
        f.setBold(bold)
        return f

    def qpalette(self) -> QPalette:
        """Application palette for the theme (Fusion style honours it on every OS)."""
        p = QPalette()
        if self.dark:
            window, base, text, button = "#2b2b2b", "#1e1e1e", "#e8e8e8", "#3a3a3a"
            highlight = "#3d7fd9"
        elif self.theme == "high-contrast":
            window, base, text, button = "#ffffff", "#ffffff", "#000000", "#f0f0f0"
            highlight = "#0044cc"
        else:
            window, base, text, button = "#f3f3f3", "#ffffff", "#1a1a1a", "#e9e9e9"
            highlight = "#2f6fd1"
        role = QPalette.ColorRole
        for r, c in (
            (role.Window, window), (role.Base, base), (role.AlternateBase, button),
            (role.WindowText, text), (role.Text, text), (role.ButtonText, text),
            (role.Button, button), (role.ToolTipBase, base), (role.ToolTipText, text),
            (role.Highlight, highlight), (role.HighlightedText, "#ffffff"),
            (role.PlaceholderText, "#8a8a8a"),
        ):
            p.setColor(r, QColor(c))
        p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#8a8a8a"))
        p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#8a8a8a"))
        p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#8a8a8a"))
        return p


def style_plot(plot: "pg.PlotItem | pg.PlotWidget", style: Style) -> None:
    """Apply the style to one pyqtgraph plot: axis pens, tick fonts, labels, title."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    if isinstance(plot, pg.PlotWidget):
        plot.setBackground(style.background)
    tick_font = style.font(0.9)
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(style.pen(style.foreground, 1))
        axis.setTextPen(style.foreground)
        axis.setTickFont(tick_font)
        # Axis size follows its (new) tick labels, so none is dropped at 2x fonts.
        if name in ("left", "right"):
            axis.setWidth(None)
        else:
            axis.setHeight(None)
        if axis.label is not None:
            axis.label.setFont(style.font(1.0))
            axis.label.setDefaultTextColor(QColor(style.foreground))
    title = item.titleLabel
    if title is not None and title.text:
        title.setText(title.text, color=style.foreground, size=f"{style.base_point_size * style.scale * 1.1:.0f}pt")
    if item.legend is not None:
        size = f"{style.base_point_size * style.scale * 0.9:.0f}pt"
        item.legend.setLabelTextColor(style.foreground)
        item.legend.setLabelTextSize(size)
        # setLabelTextSize only affects labels added later: restyle the existing ones too.
        for _sample, label in item.legend.items:
            label.setText(label.text, color=style.foreground, size=size)
