"""Plane geometry the regions panel needs around the exact enumeration (pure NumPy).

- ``edge_segments(rs)``: every edge of a ``RegionSet`` (``explorer.core.regions.region_set``) as a segment with the ``(layer, unit)`` whose
  (bent) hyperplane made it; a unit's bent hyperplane ``{x : z^l_i(x) = 0}`` is the union of its
  edges (slides "Linear regions in the case of multiple layers").
- ``level_segments(rs, ...)``: on each region the output is affine, ``f(x) = a . x + c``, so
  the set ``f(x) = level`` inside a convex region is one segment (or nothing); together they
  form the exact decision boundary ``f = 0`` of a trained classifier.
- ``line_through(p, q, previous_w)``: the first-layer unit whose line ``w . x + b = 0`` passes
  through the two drag handles ``p`` and ``q``, keeping ``|w|`` and the active side.
- ``line_handles(w, b, box)``: two points on the line inside the box to drag it by.
- ``output_grid(net, box, shape, output)``: the output sampled on a pixel grid (for shading only;
  counting never samples).
"""

from __future__ import annotations

import numpy as np

from explorer.core.polygons import next_index

__all__ = ["edge_segments", "level_segments", "line_through", "line_handles", "output_grid"]


def edge_segments(rs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(segments (N, 2, 2), layer (N,), unit (N,))``: every edge of a ``RegionSet`` (box edges: -1).

    Edges between two regions appear twice, once from each side.
    """
    if len(rs) == 0:
        return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ends = rs.vertices[next_index(rs.offsets)]
    return np.stack([rs.vertices, ends], axis=1), np.asarray(rs.edge_layer), np.asarray(rs.edge_unit)


def _clip_line_to_polygon(a, c, vertices) -> np.ndarray | None:
    """The segment of ``{x : a . x + c = 0}`` inside the convex polygon, or None."""
    z = vertices @ a + c
    nxt = np.roll(np.arange(len(vertices)), -1)
    pts = []
    for i, j in zip(range(len(vertices)), nxt):
        zi, zj = z[i], z[j]
        if (zi > 0 > zj) or (zi < 0 < zj):
            t = zi / (zi - zj)
            pts.append(vertices[i] + t * (vertices[j] - vertices[i]))
        elif zi == 0:
            pts.append(vertices[i])
    if len(pts) < 2:
        return None
    pts = np.asarray(pts)
    d = np.array([-a[1], a[0]])
    proj = pts @ d
    lo, hi = pts[np.argmin(proj)], pts[np.argmax(proj)]
    if np.allclose(lo, hi, rtol=0, atol=1e-15):
        return None
    return np.stack([lo, hi])


def level_segments(rs, output: int = 0, level: float = 0.0) -> np.ndarray:
    """Segments ``(m, 2, 2)`` of ``{x : f_output(x) = level}`` over all regions of a ``RegionSet``.

    On region p the output is affine, ``f(x) = A[p, n_hidden + output] . x + c[p, n_hidden + output]``,
    so inside the convex polygon the level set is one segment: the vertices' values change sign on
    exactly two edges, and the crossing points are where the linear interpolation hits ``level``.
    Vectorised over all regions; raises ``ValueError`` if the set has no output rows.
    """
    row = rs.n_hidden + int(output)
    if rs.A.shape[1] <= row:
        raise ValueError("these regions carry no output map (the network has no output layer, or not all "
                         "hidden layers were computed)")
    if len(rs) == 0:
        return np.zeros((0, 2, 2))
    counts = np.diff(rs.offsets)
    pid = np.repeat(np.arange(len(rs)), counts)
    X = rs.vertices
    z = np.einsum("ij,ij->i", rs.A[pid, row], X) + rs.c[pid, row] - level
    nxt = next_index(rs.offsets)
    above = z >= 0
    crossing = np.flatnonzero(above != above[nxt])          # already grouped by region, in order
    if len(crossing) == 0:
        return np.zeros((0, 2, 2))
    a, b = crossing, nxt[crossing]
    t = z[a] / (z[a] - z[b])
    points = X[a] + t[:, None] * (X[b] - X[a])
    owner = pid[a]
    # sign changes around a cycle come in pairs; pair them up within each region
    first = np.r_[True, owner[1:] != owner[:-1]]
    rank = np.arange(len(owner)) - np.maximum.accumulate(np.where(first, np.arange(len(owner)), 0))
    starts = np.flatnonzero(rank % 2 == 0)
    starts = starts[(starts + 1 < len(owner))]
    starts = starts[owner[starts] == owner[np.minimum(starts + 1, len(owner) - 1)]]
    return np.stack([points[starts], points[starts + 1]], axis=1)


def line_through(p, q, previous_w) -> tuple[np.ndarray, float]:
    """``(w, b)`` with ``w . p + b = w . q + b = 0``, ``|w| = |previous_w|``, and ``w`` on the side of ``previous_w``.

    Raises ``ValueError`` when ``p`` and ``q`` coincide (no unique line).
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    d = q - p
    length = np.hypot(*d)
    if length == 0 or not np.isfinite(length):
        raise ValueError("the two handles are at the same point; a line needs two distinct points")
    previous_w = np.asarray(previous_w, dtype=float)
    scale = np.hypot(*previous_w) or 1.0
    w = np.array([-d[1], d[0]]) / length * scale
    if w @ previous_w < 0:
        w = -w
    return w, float(-(w @ p))


def line_handles(w, b, box) -> np.ndarray | None:
    """Two points ``(2, 2)`` on ``w . x + b = 0`` inside ``box``, at 1/4 and 3/4 of its chord; None if it misses."""
    w = np.asarray(w, dtype=float)
    xmin, xmax, ymin, ymax = box
    if not np.any(w):
        return None
    corners = np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]])
    seg = _clip_line_to_polygon(w, float(b), corners)
    if seg is None:
        return None
    return np.stack([seg[0] + 0.25 * (seg[1] - seg[0]), seg[0] + 0.75 * (seg[1] - seg[0])])


def output_grid(net, box, shape=(200, 200), output: int = 0) -> np.ndarray:
    # (sampling is only for shading; the count and the boundaries are exact)
    """``f_output`` on a ``shape = (nx, ny)`` grid over ``box``; ``[i, j]`` is x index i, y index j."""
    xmin, xmax, ymin, ymax = box
    nx, ny = shape
    xs = np.linspace(xmin, xmax, nx)
    ys = np.linspace(ymin, ymax, ny)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    values = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))
    return values[:, output].reshape(nx, ny)
