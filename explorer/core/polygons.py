"""Vectorised kernels on many convex polygons stored flat (pure NumPy).

A set of ``m`` polygons is stored as one vertex array ``X`` ``(N, 2)`` (each polygon's vertices
contiguous and counter-clockwise) plus ``offsets`` ``(m + 1,)``: polygon ``i`` is
``X[offsets[i]:offsets[i + 1]]``. Every per-vertex array (edge tags, values) is aligned with ``X``;
the edge tagged at vertex ``j`` runs from vertex ``j`` to the next vertex of its polygon.

The one geometric operation of the region enumeration is ``cut``: split convex polygons by the
zero line of a function that is affine on each polygon, given its values at the vertices. No
Python loop runs over polygons.
"""

from __future__ import annotations

import numpy as np

__all__ = ["take", "next_index", "cut", "areas", "signs"]


def take(offsets: np.ndarray, polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertex indices of the polygons ``polys`` (in that order) and the offsets of the result."""
    counts = offsets[polys + 1] - offsets[polys]
    new_off = np.zeros(len(polys) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_off[1:])
    idx = np.arange(new_off[-1], dtype=np.int64) - np.repeat(new_off[:-1] - offsets[polys], counts)
    return idx, new_off


def next_index(offsets: np.ndarray) -> np.ndarray:
    """For each vertex, the index of the next vertex of its polygon (cyclically)."""
    n = int(offsets[-1])
    nxt = np.arange(1, n + 1, dtype=np.int64)
    nxt[offsets[1:] - 1] = offsets[:-1]
    return nxt


def signs(z: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """-1, 0, +1 per value; ``|z| <= tol`` snaps to 0 (the vertex lies on the line)."""
    return (z > tol).astype(np.int8) - (z < -tol).astype(np.int8)


def cut(X, offsets, tags, z, s, new_tag):
    """Split every polygon by the zero line of an affine function with vertex values ``z``.

    Every polygon must be crossed: it has vertices with ``s = +1`` and with ``s = -1`` (``s`` from
    ``signs``; vertices with ``s = 0`` lie on the line and go to both pieces, so no zero-area
    sliver is ever produced). ``new_tag`` ``(m,)`` tags the new edge along the line in each piece.
    Returns ``(pos, neg)``, each ``(X, offsets, tags)``: the piece where the function is ``>= 0``
    and the piece where it is ``<= 0``, both convex and counter-clockwise.
    """
    nxt = next_index(offsets)
    counts = np.diff(offsets)
    # A vertex snapped to 0 whose two neighbours lie strictly on the same side cannot be on the
    # line of a crossed convex polygon (rounding put it there): give it its neighbours' side.
    prv = np.empty_like(nxt)
    prv[nxt] = np.arange(len(nxt))
    sp = s[prv]
    s = np.where((s == 0) & (sp == s[nxt]), sp, s)
    sn = s[nxt]
    crossed = np.flatnonzero(s * sn < 0)          # edges whose ends lie strictly on opposite sides
    a, b = crossed, nxt[crossed]
    za, zb = z[a], z[b]
    t = za / (za - zb)                            # in (0, 1): |za|, |zb| > tol
    P = X[a] + t[:, None] * (X[b] - X[a])
    tag_v = np.repeat(new_tag, counts)
    sa = s[crossed]

    def piece(side: int):
        keep = s * side >= 0
        n_out = keep.astype(np.int64)
        n_out[crossed] += 1
        pos = np.cumsum(n_out) - n_out
        total = int(pos[-1] + n_out[-1])
        outX = np.empty((total, 2))
        outT = np.empty(total, dtype=tags.dtype)
        kv = np.flatnonzero(keep)
        # a kept vertex on the line whose next vertex is on the other side: the edge follows the line
        leaves = (s[kv] == 0) & (sn[kv] * side < 0)
        outX[pos[kv]] = X[kv]
        outT[pos[kv]] = np.where(leaves, tag_v[kv], tags[kv])
        px = pos[crossed] + keep[crossed]
        outX[px] = P
        outT[px] = np.where(sa * side > 0, tag_v[crossed], tags[crossed])  # leaving the side: along the line
        new_off = np.zeros(len(offsets), dtype=np.int64)
        np.cumsum(np.add.reduceat(n_out, offsets[:-1]), out=new_off[1:])
        return outX, new_off, outT

    return piece(+1), piece(-1)


def areas(X: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Shoelace areas (positive for counter-clockwise), relative to each polygon's first vertex."""
    if len(offsets) == 1:
        return np.zeros(0)
    counts = np.diff(offsets)
    Y = X - np.repeat(X[offsets[:-1]], counts, axis=0)
    Yn = Y[next_index(offsets)]
    cross = Y[:, 0] * Yn[:, 1] - Y[:, 1] * Yn[:, 0]
    return 0.5 * np.add.reduceat(cross, offsets[:-1])
