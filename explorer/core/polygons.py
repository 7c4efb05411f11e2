"""Vectorised kernels on many convex polygons stored flat (pure NumPy).

A set of ``m`` polygons is stored as one vertex array ``X`` ``(N, 2)`` (each polygon's vertices
contiguous and counter-clockwise) plus ``offsets`` ``(m + 1,)``: polygon ``i`` is
``X[offsets[i]:offsets[i + 1]]``. Every per-vertex array (edge tags, values) is aligned with ``X``;
the edge tagged at vertex ``j`` runs from vertex ``j`` to the next vertex of its polygon.

The one geometric operation of the region enumeration is ``split``: split convex polygons by the
zero line of a function that is affine on each polygon, given its values at the vertices. No
Python loop runs over polygons.
"""

from __future__ import annotations

import numpy as np

__all__ = ["take", "next_index", "split", "areas"]


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


def split(X, offsets, tags, vp, coef, tol, new_tag):
    """Split every polygon ``p`` by the line ``coef[p] . (x, y, 1) = 0`` (all polygons at once).

    ``vp`` ``(N,)`` is the polygon of each vertex, ``coef`` ``(m, 3)``, ``tol`` ``(m,)`` the snap
    tolerance (``|value| <= tol``: the vertex lies on the line; it goes to both pieces, so no
    zero-area sliver is ever made), ``new_tag`` ``(m,)`` the tag of the new edges along the line.
    A polygon the line crosses gives two pieces, its part where the value is ``>= 0`` then its part
    where it is ``<= 0``; any other polygon is kept whole, as a ``>= 0`` piece if the value is ``> 0``
    somewhere in it, else as a ``<= 0`` piece (a value identically 0 counts as ``<= 0``). Pieces stay
    in the order of their polygons, convex and counter-clockwise.

    Returns ``(X, counts, tags, source, positive)``: the pieces' vertices, vertex counts and edge
    tags, the polygon each piece came from, and whether it is the ``>= 0`` piece.
    """
    m = len(offsets) - 1
    N = len(X)
    starts, ends = offsets[:-1], offsets[1:] - 1
    cv = coef[vp]
    z = cv[:, 0] * X[:, 0] + cv[:, 1] * X[:, 1] + cv[:, 2]
    tv = tol[vp]
    pos = z > tv
    neg = z < -tv
    ppos = np.logical_or.reduceat(pos, starts)
    pneg = np.logical_or.reduceat(neg, starts)
    s = pos.view(np.int8) - neg.view(np.int8)
    nxt = np.arange(1, N + 1)
    nxt[ends] = starts
    sn = s[nxt]
    on_line = None
    if not (pos | neg).all():
        on_line = s == 0
        # A vertex snapped to 0 whose two neighbours lie strictly on the same side cannot be on the
        # line of a crossed convex polygon (rounding put it there): it takes its neighbours' side.
        prv = np.arange(-1, N - 1)
        prv[starts] = ends
        sp = s[prv]
        fix = on_line & (sp == sn) & (sp != 0)
        if fix.any():
            s = np.where(fix, sp, s)
            sn = s[nxt]
            on_line = s == 0
    cm = s * sn < 0                                   # edges with ends strictly on opposite sides
    ci = cm.nonzero()[0]
    b = nxt[ci]
    za, zb = z[ci], z[b]
    t = za / (za - zb)                                # in (0, 1): |za|, |zb| > tol
    Xc = X[ci]
    pts = Xc + t[:, None] * (X[b] - Xc)
    kp = (s >= 0) & ppos[vp]
    kn = (s <= 0) & (pneg | ~ppos)[vp]
    ep = kp.astype(np.intp) + cm
    en = kn.astype(np.intp) + cm
    cp = np.cumsum(ep)
    cn = np.cumsum(en)
    size_p = cp[ends] - cp[starts] + ep[starts]
    size_n = cn[ends] - cn[starts] + en[starts]
    # piece order: (>= 0 piece of polygon 0, <= 0 piece of polygon 0, >= 0 piece of polygon 1, ...)
    at_p = cp - ep + (cn[starts] - en[starts])[vp]    # earlier polygons' <= 0 pieces come first
    at_n = cn - en + cp[ends][vp]
    total = int(cp[-1] + cn[-1])
    outX = np.empty((total, 2))
    outT = np.empty(total, dtype=tags.dtype)
    gc = new_tag[vp[ci]]
    sc, tc = s[ci], tags[ci]
    for keep, at, side in ((kp, at_p, 1), (kn, at_n, -1)):
        i = keep.nonzero()[0]
        j = at[i]
        outX[j] = X[i]
        outT[j] = tags[i]
        if on_line is not None:
            # a kept vertex on the line whose next vertex is on the other side: the edge follows the line
            leave = (on_line[i] & (sn[i] * side < 0)).nonzero()[0]
            outT[j[leave]] = new_tag[vp[i[leave]]]
        j = at[ci] + keep[ci]
        outX[j] = pts
        outT[j] = np.where(sc * side > 0, gc, tc)    # leaving this side: along the line
    sizes = np.empty(2 * m, dtype=np.intp)
    sizes[0::2] = size_p
    sizes[1::2] = size_n
    nonempty = sizes.nonzero()[0]
    return outX, sizes[nonempty], outT, nonempty >> 1, (nonempty & 1) == 0


def areas(X: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Shoelace areas (positive for counter-clockwise), relative to each polygon's first vertex."""
    if len(offsets) == 1:
        return np.zeros(0)
    counts = np.diff(offsets)
    Y = X - np.repeat(X[offsets[:-1]], counts, axis=0)
    Yn = Y[next_index(offsets)]
    cross = Y[:, 0] * Yn[:, 1] - Y[:, 1] * Yn[:, 0]
    return 0.5 * np.add.reduceat(cross, offsets[:-1])
