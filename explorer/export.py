"""Save a panel's figure as PNG or SVG, atomically (temporary file, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PyQt6.QtCore import QRectF, QSize
from PyQt6.QtGui import QPainter
from PyQt6.QtSvg import QSvgGenerator
from PyQt6.QtWidgets import QWidget

FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG vector drawing (*.svg)"}


def export_figure(widget: QWidget, path: str | os.PathLike) -> Path:
    """Write ``widget`` to ``path``; the suffix (.png or .svg) chooses the format.

    PNG is what is on screen (``grab``). SVG paints the widget into a QSvgGenerator, which
    keeps plot lines and text as vectors. (pyqtgraph's own SVGExporter fails on the path
    format of Qt >= 6.9, so it is not used.)
    Raises ValueError for an unknown suffix and OSError when the file cannot be written;
    an existing file is replaced only once the new one is complete.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot export to '{target.name}': use a name ending in .png or .svg")
    fd, tmp_name = tempfile.mkstemp(suffix=suffix, prefix=".export-", dir=target.parent)
    os.close(fd)
    try:
        if suffix == ".png":
            if not widget.grab().save(tmp_name, "PNG"):
                raise OSError(f"could not write the picture to {target}")
        else:
            _write_svg(widget, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def _write_svg(widget: QWidget, filename: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(filename)
    size = widget.size()
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(widget.windowTitle() or "NN Explorer figure")
    painter = QPainter(generator)
    try:
        widget.render(painter)
    finally:
        painter.end()
