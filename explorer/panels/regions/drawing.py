"""Drawing pieces for the regions panel: one graphics item for thousands of filled polygons,
colours that stay with a pattern, and the slide-style text for a pattern and an affine map."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QBrush, QColor, QPainter, QPainterPath

from explorer.core.polygons import take

N_COLORS = 13  # prime: a pattern's colour index is sum(active unit weights) mod 13
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def unit_color_weights(widths, n_colors: int = N_COLORS) -> np.ndarray:
    """A fixed weight in 1..n_colors-1 for every (layer, unit), from an integer hash of (layer, unit)."""
    out = []
    for layer, width in enumerate(widths):
        for unit in range(width):
            h = ((layer + 1) * 73_856_093 ^ (unit + 1) * 19_349_663) * 2_654_435_761 % (1 << 32)
            out.append(1 + (h >> 7) % (n_colors - 1))
    return np.asarray(out, dtype=np.int64)


def pattern_color_indices(bits, widths=None, n_colors: int = N_COLORS) -> np.ndarray:
    """Colour index per pattern: ``sum of the active units' weights mod n_colors``.

    ``bits`` is a bool matrix, one row per region and one column per unit (layers concatenated,
    as ``RegionSet.patterns``), or a list of patterns (tuples of per-layer bool arrays).
    Depends on the pattern only (so a region keeps its colour while weights change), and two
    neighbours, whose patterns differ in exactly one unit, always differ in colour: their sums
    differ by one weight in 1..n-1, which is never 0 mod a prime n.
    """
    if not isinstance(bits, np.ndarray):
        bits = [np.concatenate([np.asarray(p, dtype=bool).ravel() for p in pat]) for pat in bits]
        bits = np.array(bits, dtype=bool).reshape(len(bits), -1)
    if bits.shape[0] == 0 or bits.shape[1] == 0:
        return np.zeros(bits.shape[0], dtype=np.int64)
    w = unit_color_weights(widths if widths is not None else [bits.shape[1]], n_colors)[: bits.shape[1]]
    return (bits.astype(np.int64) @ w) % n_colors


# 13 pastel colours (ColorBrewer Set3 / Paired), distinct enough side by side.
_PASTELS = ["#a6cee3", "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6", "#ffff99", "#8dd3c7", "#bebada",
            "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5"]


def palette(dark: bool, n_colors: int = N_COLORS, alpha: int = 255) -> list[QColor]:
    """``n_colors`` fill colours: pastels on a light background, the same hues darkened on a dark one."""
    out = []
    for k in range(n_colors):
        c = QColor(_PASTELS[k % len(_PASTELS)])
        if dark:
            c = c.darker(210)
        c.setAlpha(alpha)
        out.append(c)
    return out


def polygons_path(vertices, offsets, which=None) -> QPainterPath:
    """One QPainterPath holding polygons ``which`` of a flat set (``vertices``, ``offsets``), vectorised.

    Each polygon is one open sub-path; ``fillPath`` closes it. No Python loop over polygons.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    which = np.arange(len(offsets) - 1) if which is None else np.asarray(which, dtype=np.int64)
    if len(which) == 0:
        return QPainterPath()
    idx, new_off = take(offsets, which)
    xy = np.asarray(vertices, dtype=float)[idx]
    connect = np.ones(len(xy), dtype=bool)
    connect[new_off[1:] - 1] = False
    return pg.arrayToQPath(xy[:, 0], xy[:, 1], connect=connect)


class RegionFill(pg.GraphicsObject):
    """All regions as ONE graphics item: one QPainterPath per colour, filled in ``paint``."""

    def __init__(self):
        super().__init__()
        self._paths: list[tuple[QPainterPath, QBrush]] = []
        self._rect = QRectF()

    def set_polygons(self, vertices, offsets, color_indices, colors: list[QColor]) -> None:
        """Polygon i (``vertices[offsets[i]:offsets[i+1]]``) is filled with ``colors[color_indices[i]]``."""
        self.prepareGeometryChange()
        color_indices = np.asarray(color_indices, dtype=int)
        self._paths = []
        rect = QRectF()
        for k, color in enumerate(colors):
            members = np.flatnonzero(color_indices == k)
            if len(members):
                path = polygons_path(vertices, offsets, members)
                self._paths.append((path, QBrush(color)))
                rect = rect.united(path.boundingRect())
        self._rect = rect
        self.update()

    def clear(self) -> None:
        self.set_polygons(np.zeros((0, 2)), [0], [], [])

    def path_count(self) -> int:
        return len(self._paths)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._rect

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setPen(pg.mkPen(None))
        for path, brush in self._paths:
            painter.fillPath(path, brush)


def segments_curve(curve: pg.PlotCurveItem, segments) -> None:
    """Show ``segments`` (an ``(m, 2, 2)`` array of start/end points) on a ``connect='pairs'`` curve."""
    seg = np.asarray(segments, dtype=float).reshape(-1, 2)
    if len(seg) == 0:
        curve.setData([], [])
    else:
        curve.setData(seg[:, 0], seg[:, 1], connect="pairs")


def pattern_text(pattern, rich: bool = False) -> str:
    """The slide's notation, 1-based: ``S¹ = {1, 3, 4}   S² = {2, 4}`` (``∅`` for an empty set)."""
    parts = []
    for layer, active in enumerate(pattern, start=1):
        units = [str(i + 1) for i in np.flatnonzero(np.asarray(active, dtype=bool))]
        members = "{" + ", ".join(units) + "}" if units else "∅"
        if rich:
            parts.append(f"S<sup>{layer}</sup> = {members}")
        else:
            parts.append(f"S{str(layer).translate(_SUPERSCRIPT)} = {members}")
    return ("&nbsp;&nbsp; " if rich else "   ").join(parts)


def affine_text(A, c, name: str = "f") -> str:
    """``f(x) = 0.53 x₁ − 1.20 x₂ + 0.07`` for one output row ``A`` (length 2) and offset ``c``."""
    A = np.asarray(A, dtype=float).reshape(-1)
    terms = []
    for j, a in enumerate(A, start=1):
        sign = "−" if a < 0 else "+"
        terms.append((sign, f"{abs(a):.3g} x{str(j).translate(_SUBSCRIPT)}"))
    c = float(np.asarray(c).reshape(-1)[0])
    terms.append(("−" if c < 0 else "+", f"{abs(c):.3g}"))
    first_sign, first = terms[0]
    text = ("−" if first_sign == "−" else "") + first
    for sign, term in terms[1:]:
        text += f" {sign} {term}"
    return f"{name}(x) = {text}"


def region_text(region, output: int = 0) -> str:
    """Pattern (slide notation), area and affine map of a ``Region`` (output unit ``output``, 0-based;
    the last hidden layer's first pre-activations when the network has no output layer)."""
    clipped = bool((region.edge_tags[:, 0] < 0).any())      # an edge on the box: only its part inside
    lines = [pattern_text(region.pattern),
             f"area = {region.area:.4g}" + (" (its part inside the view box)" if clipped else "")]
    out = region.output_affine
    if out is not None:
        lines.append(affine_text(out[0][output], out[1][output:output + 1], name="y"))
    else:
        A, c = region.hidden_affine
        lines.append(f"layer {len(region.pattern)} pre-activations here: z = A x + c")
        for i in range(min(len(c), 4)):
            lines.append(affine_text(A[i], c[i:i + 1], name=f"z{i + 1}"))
    return "\n".join(lines)


def view_caption(rs, view: str, output_unit: int = 1) -> str:
    """One sentence saying what the view shows, with the numbers of the slide."""
    n = len(rs)
    if view == "output":
        return (f"Output unit {output_unit}: affine inside each of the {n} regions, so its "
                "contours are straight there and bend only where they cross a region's edge.")
    if view == "layers":
        l = rs.n_layers
        if l == 1:
            return f"Layer 1: {rs.widths[0]} hyperplanes (lines) partition the box into {n} regions."
        before = len(np.unique(rs.patterns[:, : rs.layer_slices[l - 2].stop], axis=0))
        return (f"Layer {l}'s {rs.widths[l - 1]} bent hyperplanes (bold) split the {before} regions of "
                f"layers 1..{l - 1} (colours) into {n} regions.")
    return (f"{n} linear regions in the box, one colour per activation pattern S = (S¹, ..., Sᴸ); "
            "neighbours always differ in colour.")
