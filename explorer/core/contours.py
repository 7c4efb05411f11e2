"""Contour lines of a gridded function by marching squares, vectorised in NumPy.

Used to draw the level sets C(v1, v2) = const of a cost surface; every cell of the grid is
handled at once (pyqtgraph's own isocurve loops over cells in Python and takes seconds).
"""

from __future__ import annotations

import numpy as np


def contour_segments(xs, ys, z, level: float) -> np.ndarray:
    """Line segments of the level set ``z = level``: an array of shape (k, 2, 2).

    ``z[i, j]`` is the value at ``(xs[i], ys[j])``. Inside each grid cell the crossing points
    on the cell's edges are found by linear interpolation and joined; a cell whose four
    edges are all crossed (a saddle cell) is resolved by the value at its centre (the mean of
    its corners). Cells touching NaN values give no segment. Segment ``s`` runs from
    ``s[0] = (x, y)`` to ``s[1]``.
    """
    xs, ys, z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(z, float)
    if z.shape != (xs.size, ys.size):
        raise ValueError(f"z must have shape (len(xs), len(ys)) = {(xs.size, ys.size)}, got {z.shape}")
    level = float(level)
    a, b, c, d = z[:-1, :-1], z[1:, :-1], z[1:, 1:], z[:-1, 1:]  # corners counter-clockwise
    x0, x1 = np.broadcast_to(xs[:-1, None], a.shape), np.broadcast_to(xs[1:, None], a.shape)
    y0, y1 = np.broadcast_to(ys[None, :-1], a.shape), np.broadcast_to(ys[None, 1:], a.shape)
    hi = [v >= level for v in (a, b, c, d)]
    with np.errstate(divide="ignore", invalid="ignore"):
        t0, t1 = (level - a) / (b - a), (level - b) / (c - b)
        t2, t3 = (level - d) / (c - d), (level - a) / (d - a)
        points = np.stack([
            np.stack([x0 + t0 * (x1 - x0), y0], axis=-1),  # edge 0: a-b (bottom)
            np.stack([x1, y0 + t1 * (y1 - y0)], axis=-1),  # edge 1: b-c (right)
            np.stack([x0 + t2 * (x1 - x0), y1], axis=-1),  # edge 2: d-c (top)
            np.stack([x0, y0 + t3 * (y1 - y0)], axis=-1),  # edge 3: a-d (left)
        ])  # (4, nx-1, ny-1, 2)
    crossed = np.stack([hi[0] != hi[1], hi[1] != hi[2], hi[3] != hi[2], hi[0] != hi[3]])
    finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c) & np.isfinite(d)
    count = crossed.sum(axis=0) * finite

    out = []
    two = count == 2
    if two.any():
        first = np.argmax(crossed, axis=0)[two]
        last = 3 - np.argmax(crossed[::-1], axis=0)[two]
        p = points[:, two]  # (4, k, 2)
        k = np.arange(p.shape[1])
        out.append(np.stack([p[first, k], p[last, k]], axis=1))
    four = count == 4
    if four.any():
        p = points[:, four]
        centre_hi = ((a + b + c + d) / 4.0 >= level)[four]
        keep_a = hi[0][four] == centre_hi  # a is joined to the centre: cut off b and d
        pairs = [((0, 1), (2, 3)), ((0, 3), (1, 2))]
        for mask, (e, f) in ((keep_a, pairs[0]), (~keep_a, pairs[1])):
            if mask.any():
                out.append(np.stack([p[e[0], mask], p[e[1], mask]], axis=1))
                out.append(np.stack([p[f[0], mask], p[f[1], mask]], axis=1))
    if not out:
        return np.empty((0, 2, 2))
    segs = np.concatenate(out)
    return segs[np.all(np.isfinite(segs), axis=(1, 2))]


def contour_lines(xs, ys, z, levels) -> tuple[np.ndarray, np.ndarray]:
    """All levels' segments as flat x, y arrays of endpoint pairs (draw with connect='pairs')."""
    segs = [contour_segments(xs, ys, z, lv) for lv in levels]
    segs = np.concatenate(segs) if segs else np.empty((0, 2, 2))
    return segs[:, :, 0].ravel(), segs[:, :, 1].ravel()
