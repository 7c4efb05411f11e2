"""A grid of small images (digits, weight patterns) drawn as ONE image, with optional captions.

All tiles are packed into a single mosaic array and shown by one ``pg.ImageItem``, so updating
forty digits or thirty weight images is one ``setImage`` call, not forty items to repaint.
Captions are ``pg.TextItem``s created once; a tile can be framed (e.g. a wrong answer).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF
from PyQt6.QtWidgets import QGraphicsRectItem, QWidget


def mosaic(tiles: np.ndarray, rows: int, cols: int, pad: int = 2, fill: float = 0.0) -> np.ndarray:
    """Pack ``tiles`` (k, h, w) row by row into one (rows*(h+pad)+pad, cols*(w+pad)+pad) array."""
    tiles = np.asarray(tiles)
    k, h, w = tiles.shape
    if k > rows * cols:
        raise ValueError(f"{k} tiles do not fit a {rows} x {cols} grid")
    cell_h, cell_w = h + pad, w + pad
    out = np.full((rows * cell_h + pad, cols * cell_w + pad), fill, dtype=np.float32)
    full = np.full((rows * cols, h, w), fill, dtype=np.float32)
    full[:k] = tiles
    blocks = full.reshape(rows, cols, h, w).transpose(0, 2, 1, 3)  # (rows, h, cols, w)
    view = out[pad:, pad:].reshape(rows, cell_h, cols, cell_w)
    view[:, :h, :, :w] = blocks
    return out


class ImageGrid(pg.GraphicsLayoutWidget):
    """``rows`` x ``cols`` tiles of ``shape`` pixels; ``set_images`` / ``set_captions`` update in place."""

    def __init__(self, rows: int, cols: int, shape: tuple[int, int] = (28, 28), pad: int = 2,
                 captions: bool = False, colormap: str | None = None, levels: tuple[float, float] = (0.0, 1.0),
                 frames: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows, self.cols, self.shape, self.pad = rows, cols, shape, pad
        self.levels = levels
        self.caption_height = 12 if captions else 0
        self.view = self.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.view.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        if colormap:
            self.image.setColorMap(pg.colormap.get(colormap))
        self.view.addItem(self.image)
        self._fill = levels[0] if colormap is None else 0.5 * (levels[0] + levels[1])
        self.captions: list[pg.TextItem] = []
        self.frames: list[QGraphicsRectItem] = []
        h, w = shape
        for i in range(rows * cols):
            if frames:
                frame = QGraphicsRectItem()
                frame.setVisible(False)
                self.view.addItem(frame)
                self.frames.append(frame)
            if captions:
                text = pg.TextItem("", anchor=(0.5, 0.0))
                self.view.addItem(text)
                self.captions.append(text)
        self._tiles = np.zeros((0, h, w), dtype=np.float32)
        self._layout()

    def set_caption_height(self, height: int) -> None:
        """Room under each tile for its caption, in image pixels (more for bigger fonts)."""
        if self.captions and height != self.caption_height:
            self.caption_height = int(height)
            self._layout()

    def _layout(self) -> None:
        h, w = self.shape
        for i in range(self.rows * self.cols):
            x, y = self._tile_origin(*divmod(i, self.cols))
            if self.frames:
                self.frames[i].setRect(QRectF(x - 1, y - 1, w + 2, h + 2))
            if self.captions:
                self.captions[i].setPos(x + w / 2, y + h)
        self.set_images(self._tiles)
        total_h = self.rows * (h + self.pad + self.caption_height) + self.pad
        total_w = self.cols * (w + self.pad) + self.pad
        self.view.setRange(QRectF(0, 0, total_w, total_h), padding=0.01)

    def _tile_origin(self, r: int, c: int) -> tuple[float, float]:
        h, w = self.shape
        return self.pad + c * (w + self.pad), self.pad + r * (h + self.pad + self.caption_height)

    def set_images(self, tiles: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        """Show ``tiles`` (k, h, w) or (k, h*w); missing tiles are blank."""
        h, w = self.shape
        tiles = np.asarray(tiles, dtype=np.float32).reshape(-1, h, w)[: self.rows * self.cols]
        self._tiles = tiles
        pad = self.pad
        if self.caption_height:
            # leave a caption strip under every row of tiles
            tall = np.full((tiles.shape[0], h + self.caption_height, w), self._fill, dtype=np.float32)
            tall[:, :h] = tiles
            tiles = tall
        image = mosaic(tiles, self.rows, self.cols, pad=pad, fill=self._fill)
        self.image.setImage(image, levels=levels or self.levels, autoLevels=False)

    def set_captions(self, texts: list[str], colors: list[str] | None = None) -> None:
        for i, item in enumerate(self.captions):
            text = texts[i] if i < len(texts) else ""
            color = colors[i] if colors is not None and i < len(colors) else None
            if item.toPlainText() == text and getattr(item, "_grid_color", None) == color:
                continue  # unchanged: skip the relayout and repaint of this caption
            item.setText(text)
            if color:
                item.setColor(color)
            item._grid_color = color

    def set_marked(self, marked: list[bool], color: str = "#c0001a") -> None:
        pen = pg.mkPen(color, width=2)
        for i, frame in enumerate(self.frames):
            on = bool(marked[i]) if i < len(marked) else False
            frame.setVisible(on)
            if on:
                frame.setPen(pen)

    def set_caption_font(self, font) -> None:
        for item in self.captions:
            item.setFont(font)

    def tile_at(self, scene_pos) -> int | None:
        """Index of the tile under a scene position, or None."""
        p = self.view.mapSceneToView(scene_pos)
        h, w = self.shape
        c = int((p.x() - self.pad) // (w + self.pad))
        r = int((p.y() - self.pad) // (h + self.pad + self.caption_height))
        if 0 <= r < self.rows and 0 <= c < self.cols:
            return r * self.cols + c
        return None
