"""Geometry of one perceptron's decision boundary ``w . x + b = 0`` (lecture slide "Perceptron").

n = 1: the threshold point ``x = -b / w`` on a line. n = 2: the decision line, clipped to a
view box, and the output-1 half-plane ``w . x + b > 0`` as a polygon. n = 3: the plane's section
of the unit cube and an axonometric projection to draw it. Pure NumPy; no Qt here.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "threshold_point",
    "clip_half_plane",
    "output_one_region",
    "decision_segment",
    "line_through",
    "project_onto_line",
    "handle_points",
    "cube_corners",
    "cube_edges",
    "cube_section",
    "axonometric",
]


def threshold_point(w: float, b: float) -> float | None:
    """n = 1: the input where ``w x + b = 0``, i.e. ``x = -b / w`` (output 1 on the side where w x + b > 0);
    None when w = 0 (the output is then constant)."""
    w, b = float(w), float(b)
    if w == 0:
        return None
    return -b / w


def _box_polygon(box) -> np.ndarray:
    xmin, xmax, ymin, ymax = box
    return np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]], dtype=float)


def clip_half_plane(polygon, weights, bias) -> np.ndarray:
    """The part of a convex polygon (``(k, d)`` vertices in order) where ``w . x + b >= 0``
    (one Sutherland-Hodgman step); an empty ``(0, d)`` array when nothing is left."""
    poly = np.asarray(polygon, dtype=float)
    w = np.asarray(weights, dtype=float)
    s = poly @ w + float(bias)
    out = []
    k = len(poly)
    for i in range(k):
        p, q = poly[i], poly[(i + 1) % k]
        sp, sq = s[i], s[(i + 1) % k]
        if sp >= 0:
            out.append(p)
        if (sp > 0 > sq) or (sp < 0 < sq):
            out.append(p + (sp / (sp - sq)) * (q - p))
    return np.array(out, dtype=float).reshape(-1, poly.shape[1])


def output_one_region(polygon, weights, bias) -> np.ndarray:
    """The part of a convex polygon where the perceptron outputs 1, ``w . x + b > 0`` (drawn as
    its closure). With w = 0 the output is the same everywhere: the whole polygon when b > 0,
    nothing when b <= 0 (the closed half-plane ``0 >= 0`` would wrongly be everything)."""
    poly = np.asarray(polygon, dtype=float)
    if not np.any(np.asarray(weights, dtype=float)):
        return poly.copy() if float(bias) > 0 else np.zeros((0, poly.shape[1]))
    return clip_half_plane(poly, weights, bias)


def decision_segment(weights, bias, box) -> np.ndarray | None:
    """n = 2: the part of the line ``w1 x1 + w2 x2 + b = 0`` inside ``box = (xmin, xmax, ymin, ymax)``,
    as a ``(2, 2)`` array of its end points, or None when the line misses the box (or w = 0)."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (2,):
        raise ValueError("decision_segment needs exactly two weights")
    if not np.any(w):
        return None
    poly = _box_polygon(box)
    s = poly @ w + float(bias)
    pts = []
    for i in range(4):
        p, q = poly[i], poly[(i + 1) % 4]
        sp, sq = s[i], s[(i + 1) % 4]
        if sp == 0:
            pts.append(p)
        if (sp > 0 > sq) or (sp < 0 < sq):
            pts.append(p + (sp / (sp - sq)) * (q - p))
    if len(pts) < 2:
        return None
    pts = np.array(pts)
    # the two points farthest apart (a corner can appear twice)
    d = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=2)
    i, j = np.unravel_index(np.argmax(d), d.shape)
    if d[i, j] == 0:
        return None
    return np.array([pts[i], pts[j]])


def line_through(
    p, q, like_weights, decimals: int | None = 1, min_length: float = 0.0
) -> tuple[np.ndarray, float]:
    """Weights and bias of the line through the points p and q (n = 2, for dragging its handles).

    The new ``w`` is perpendicular to ``q - p``, points to the same side as ``like_weights`` (so the
    output-1 side does not flip while dragging) and keeps its length, but at least ``min_length``
    (scaling w and b by a positive factor leaves the outputs unchanged, and a longer w rounds to a
    finer direction); ``b = -w . p``. Rounded to ``decimals`` places (the editors' step).
    Raises ValueError when p and q coincide.
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    d = q - p
    length = float(np.hypot(*d))
    if length < 1e-9:
        raise ValueError("the two handles are at the same place: a line needs two distinct points")
    old = np.asarray(like_weights, dtype=float)
    size = max(float(np.hypot(*old)), float(min_length)) or 1.0
    normal = np.array([-d[1], d[0]]) / length
    if old.dot(normal) < 0:
        normal = -normal
    w = normal * size
    b = -float(w @ p)
    if decimals is not None:
        w = np.round(w, decimals) + 0.0
        b = round(b, decimals) + 0.0
    return w, b


def project_onto_line(points, weights, bias) -> np.ndarray:
    """The feet of the perpendiculars from ``points`` ``(k, 2)`` onto ``w . x + b = 0``:
    ``p - (w . p + b) / |w|^2 w`` (used to keep the drag handles on the line). w must not be 0."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    w = np.asarray(weights, dtype=float)
    norm2 = float(w @ w)
    if norm2 == 0:
        raise ValueError("w = 0 has no decision line")
    return p - np.outer((p @ w + float(bias)) / norm2, w)


def handle_points(segment, avoid=(), min_gap: float = 0.15,
                  fractions=((0.25, 0.75), (0.15, 0.85), (0.35, 0.65), (0.1, 0.6), (0.4, 0.9))) -> np.ndarray:
    """Two points on ``segment`` ``(2, 2)`` for the line's drag handles, ``(2, 2)``: the first pair of
    ``fractions`` along it whose points both keep ``min_gap`` from every point of ``avoid`` (the
    square's corners, which a handle drawn on top would hide); the first pair when none does."""
    seg = np.asarray(segment, dtype=float).reshape(2, 2)
    avoid = np.asarray(avoid, dtype=float).reshape(-1, 2)
    first = None
    for pair in fractions:
        pts = np.array([seg[0] + f * (seg[1] - seg[0]) for f in pair])
        if first is None:
            first = pts
        if not len(avoid) or np.linalg.norm(pts[:, None, :] - avoid[None, :, :], axis=2).min() >= min_gap:
            return pts
    return first


def cube_corners() -> np.ndarray:
    """The unit cube's 8 corners in truth-table row order, shape (8, 3)."""
    i = np.arange(8)[:, None]
    return ((i >> np.array([2, 1, 0])) & 1).astype(float)


def cube_edges() -> list[tuple[int, int]]:
    """The cube's 12 edges as index pairs into ``cube_corners()`` (corners differing in one bit)."""
    return [(a, a | bit) for a in range(8) for bit in (1, 2, 4) if not a & bit]


def cube_section(weights, bias) -> np.ndarray:
    """n = 3: the polygon where the plane ``w . x + b = 0`` cuts the unit cube, vertices in cyclic
    order, shape ``(k, 3)`` with k = 0 (plane misses the cube) or 3 .. 6."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (3,):
        raise ValueError("cube_section needs exactly three weights")
    if not np.any(w):
        return np.zeros((0, 3))
    c = cube_corners()
    s = c @ w + float(bias)
    pts = [c[i] for i in range(8) if s[i] == 0]
    for a, e in cube_edges():
        if (s[a] > 0 > s[e]) or (s[a] < 0 < s[e]):
            pts.append(c[a] + (s[a] / (s[a] - s[e])) * (c[e] - c[a]))
    if len(pts) < 3:
        return np.zeros((0, 3))
    pts = np.unique(np.round(np.array(pts), 12), axis=0)
    if len(pts) < 3:
        return np.zeros((0, 3))
    centre = pts.mean(axis=0)
    normal = w / np.linalg.norm(w)
    u = pts[0] - centre
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    angles = np.arctan2((pts - centre) @ v, (pts - centre) @ u)
    return pts[np.argsort(angles)]


_AZIMUTH = math.radians(35.0)
_ELEVATION = math.radians(25.0)


def axonometric(points) -> np.ndarray:
    """Parallel projection of 3-D points ``(k, 3)`` to the drawing plane ``(k, 2)``: x1 points down
    to the right, x2 down to the left, x3 straight up (azimuth 35 deg, elevation 25 deg).

    Not the true isometric view: that one looks along the cube's diagonal and hides corner 000
    behind 111, here all eight corners stay apart.
    """
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    right = np.array([math.cos(_AZIMUTH), -math.sin(_AZIMUTH), 0.0])
    up = np.array(
        [-math.sin(_ELEVATION) * math.sin(_AZIMUTH), -math.sin(_ELEVATION) * math.cos(_AZIMUTH), math.cos(_ELEVATION)]
    )
    return np.stack([p @ right, p @ up], axis=1)
