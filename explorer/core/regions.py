"""Exact linear regions of a 2-input ReLU network (pure NumPy).

Lecture, slides "Other activation functions" to "Linear regions on the original input space"
(after Montufar et al. 2014/2017 and Serra, Tjandraatmadja & Ramalingam 2018): a ReLU network is
piecewise linear; a *linear region* is the set of inputs sharing one activation pattern
``S = (S^1, ..., S^L)``, ``S^l = {i : z^l_i(x) > 0}``. On a region every pre-activation is affine,
``z^l_i(x) = a . x + c``, so the "bent hyperplane" ``z^l_i = 0`` of a deeper unit is a straight cut
inside each region of the layers before it.

``linear_regions(net, box)`` computes the regions exactly by splitting polygons, layer by layer and
unit by unit, along these cuts (never by sampling a grid). The splitting is vectorised across
polygons: for each layer the pre-activations' affine maps of every region are evaluated at all
region vertices at once, and each region is then cut, in turn, only by the units whose line
crosses it (all regions at once per step).

Exactness: a vertex with ``|z| <= 1e-10 * scale`` (``scale = |a_x| max|x| + |a_y| max|y| + |c|``
over the box) counts as lying on the line; it goes to both pieces and no new vertex is made near
it, so lines through a vertex or a box corner, duplicate or parallel units and concurrent lines
(zero biases) make no zero-area slivers. Regions are never dropped for being small: a region
of area 1e-8 of the box is kept. A unit whose pre-activation is identically 0 on a region is
inactive there.

Indices are 0-based: ``pattern[l][i]`` is unit ``i`` of hidden layer ``l`` (the slides' unit
``i + 1`` of layer ``l + 1``; ``format_pattern`` prints the slides' 1-based form).
"""

from __future__ import annotations

import numpy as np

from explorer.core import polygons as _poly
from explorer.core.relu_network import ReluNetwork

__all__ = ["ReluNetwork", "Region", "RegionSet", "RegionLimitExceeded", "linear_regions", "region_set",
           "count_regions", "format_pattern", "SNAP_EPS", "DEFAULT_MAX_REGIONS"]

SNAP_EPS = 1e-10
MAX_MAGNITUDE = 1e300     # |pre-activation| bound over the box: beyond it float64 arithmetic overflows
DEFAULT_MAX_REGIONS = 200_000
_CHUNK = 1 << 21          # values evaluated at once when testing which units cross which regions


class RegionLimitExceeded(RuntimeError):
    """Raised when the enumeration would produce more than ``max_regions`` regions."""

    def __init__(self, max_regions: int, layer: int):
        self.max_regions = max_regions
        self.layer = layer
        super().__init__(f"more than {max_regions:,} linear regions (while splitting by hidden layer {layer + 1}); "
                         f"use a smaller box, fewer units, or raise max_regions")

    def __reduce__(self):
        return type(self), (self.max_regions, self.layer)


def format_pattern(pattern) -> str:
    """The slides' notation, 1-based: ``S^1 = {1, 3, 4}, S^2 = {2, 4}``."""
    parts = []
    for l, bits in enumerate(pattern):
        units = ", ".join(str(i + 1) for i in np.flatnonzero(bits))
        parts.append(f"S^{l + 1} = {{{units}}}")
    return ", ".join(parts)


class Region:
    """One linear region: a convex polygon with its activation pattern and affine maps.

    - ``vertices`` ``(k, 2)`` float64, convex, counter-clockwise.
    - ``pattern``: tuple of bool arrays, one per computed hidden layer (True = ``z > 0`` inside).
    - ``affine = (A, c)``, ``A`` ``(m, 2)``, ``c`` ``(m,)``: ``value = A @ x + c`` on the region. Rows
      ``0 .. n_l - 1`` are the pre-activations ``z`` of the last computed hidden layer; the rows after
      them (only when every hidden layer was computed) are the network's outputs.
    - ``hidden_affine``, ``output_affine``: those two blocks (``output_affine`` is None without outputs).
    - ``edge_tags`` ``(k, 2)`` int: row j = ``(layer, unit)`` whose bent hyperplane contains the edge
      from vertex j to vertex j + 1; ``(-1, -1)`` for the box boundary.
    - ``area``.
    """

    __slots__ = ("vertices", "pattern", "affine", "edge_tags", "area", "n_hidden")

    def __init__(self, vertices, pattern, affine, edge_tags, area, n_hidden):
        self.vertices = vertices
        self.pattern = pattern
        self.affine = affine
        self.edge_tags = edge_tags
        self.area = area
        self.n_hidden = n_hidden

    @property
    def hidden_affine(self):
        A, c = self.affine
        return A[:self.n_hidden], c[:self.n_hidden]

    @property
    def output_affine(self):
        A, c = self.affine
        if A.shape[0] == self.n_hidden:
            return None
        return A[self.n_hidden:], c[self.n_hidden:]

    def interior_point(self) -> np.ndarray:
        """The mean of the vertices: inside (convex polygon of positive area)."""
        return self.vertices.mean(axis=0)

    def __repr__(self) -> str:
        return f"Region({format_pattern(self.pattern)}, area={self.area:.3g}, {len(self.vertices)} vertices)"


class RegionSet:
    """All regions in flat arrays (for drawing thousands of regions fast).

    ``vertices`` ``(N, 2)`` and ``offsets`` ``(P + 1,)``: region i is ``vertices[offsets[i]:offsets[i+1]]``;
    ``edge_layer``, ``edge_unit`` ``(N,)``: the edge from each vertex to the next (-1 for the box);
    ``patterns`` ``(P, n_0 + ... + n_{l})`` bool, the layers' units concatenated (``layer_slices``
    gives each layer's columns); ``A`` ``(P, m, 2)``, ``c`` ``(P, m)`` the affine maps (as
    ``Region.affine``); ``areas`` ``(P,)``. ``regions()`` (or iterating) gives ``Region`` objects.
    """

    def __init__(self, box, widths, vertices, offsets, edge_layer, edge_unit, patterns, A, c, areas, n_hidden):
        self.box = box
        self.widths = widths
        self.vertices = vertices
        self.offsets = offsets
        self.edge_tags = np.stack([edge_layer, edge_unit], axis=1).astype(np.int32)
        self.edge_layer = self.edge_tags[:, 0]
        self.edge_unit = self.edge_tags[:, 1]
        self.patterns = patterns
        self.A = A
        self.c = c
        self.areas = areas
        self.n_hidden = n_hidden
        starts = np.cumsum((0,) + tuple(widths))
        self.layer_slices = tuple(slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:]))

    @property
    def n_layers(self) -> int:
        return len(self.widths)

    def __repr__(self) -> str:
        return (f"RegionSet({len(self)} regions of the first {self.n_layers} hidden layer(s) "
                f"{'-'.join(map(str, self.widths))} in box {self.box})")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def pattern(self, i: int) -> tuple[np.ndarray, ...]:
        return tuple(self.patterns[i, s] for s in self.layer_slices)

    def __getitem__(self, i: int) -> Region:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"region index {i} out of range for {n} regions")
        i %= n
        a, b = self.offsets[i], self.offsets[i + 1]
        return Region(self.vertices[a:b], self.pattern(i), (self.A[i], self.c[i]), self.edge_tags[a:b],
                      float(self.areas[i]), self.n_hidden)

    def __iter__(self):
        return iter(self.regions())

    def regions(self) -> list[Region]:
        """All regions as ``Region`` objects (their arrays are views into this set's arrays)."""
        V, T, A, c, nh = self.vertices, self.edge_tags, self.A, self.c, self.n_hidden
        layer_patterns = [np.ascontiguousarray(self.patterns[:, s]) for s in self.layer_slices]
        rows = zip(*layer_patterns) if len(layer_patterns) > 1 else ((p,) for p in layer_patterns[0])
        off = self.offsets.tolist()
        return [Region(V[a:b], pat, (Ai, ci), T[a:b], area, nh)
                for a, b, pat, Ai, ci, area in zip(off[:-1], off[1:], rows, A, c, self.areas.tolist())]

    def region_of_vertex(self) -> np.ndarray:
        """``(N,)``: the region each vertex belongs to."""
        return np.repeat(np.arange(len(self)), np.diff(self.offsets))

    def vertex_values(self, row: int) -> np.ndarray:
        """``(N,)``: row ``row`` of each region's affine map at its own vertices (e.g. an output
        unit, ``row = n_hidden + k``), for shading the piecewise linear surface."""
        vr = self.region_of_vertex()
        return np.einsum("ij,ij->i", self.A[vr, row], self.vertices) + self.c[vr, row]

    def triangles(self) -> tuple[np.ndarray, np.ndarray]:
        """A fan triangulation for drawing: ``(T, 3)`` indices into ``vertices`` and ``(T,)`` the
        region of each triangle (each k-gon gives k - 2 triangles from its first vertex)."""
        counts = np.diff(self.offsets)
        region = np.repeat(np.arange(len(self)), counts - 2)
        first = self.offsets[:-1][region]
        k = np.arange(len(region)) - np.repeat(np.cumsum(counts - 2) - (counts - 2), counts - 2) + 1
        return np.stack([first, first + k, first + k + 1], axis=1), region

    def edge_segments(self, layer: int | None = None, unit: int | None = None) -> np.ndarray:
        """``(k, 2, 2)`` segments of the edges made by ``(layer, unit)`` (its bent hyperplane), by any
        unit of ``layer`` if ``unit`` is None, by any unit if both are None (box edges excluded).
        An edge between two regions appears once from each side."""
        mask = self.edge_layer >= 0
        if layer is not None:
            mask &= self.edge_layer == layer
        if unit is not None:
            mask &= self.edge_unit == unit
        i = np.flatnonzero(mask)
        return np.stack([self.vertices[i], self.vertices[_poly.next_index(self.offsets)[i]]], axis=1)

    def pattern_hashes(self) -> np.ndarray:
        """A uint64 per region from its pattern alone (FNV-1a over the packed bits): a stable colour key."""
        packed = np.packbits(self.patterns, axis=1)
        h = np.full(len(self), 0xCBF29CE484222325, dtype=np.uint64)
        prime = np.uint64(0x100000001B3)
        for col in packed.T:
            h = (h ^ col.astype(np.uint64)) * prime
        return h

    def locate(self, point) -> int:
        """Index of the region containing ``point`` ``(2,)`` (the first one if it lies on an edge),
        or -1 outside the box: every edge of the region has the point on its left."""
        p = np.asarray(point, dtype=np.float64).reshape(2)
        if len(self) == 0:
            return -1
        V = self.vertices
        Vn = V[_poly.next_index(self.offsets)]
        e = Vn - V
        cross = e[:, 0] * (p[1] - V[:, 1]) - e[:, 1] * (p[0] - V[:, 0])
        scale = 1e-12 * (np.abs(e).sum(axis=1) * (np.abs(p).sum() + np.abs(V).sum(axis=1)) + 1e-300)
        inside = np.logical_and.reduceat(cross >= -scale, self.offsets[:-1])
        hits = np.flatnonzero(inside)
        return int(hits[0]) if len(hits) else -1


def _check_box(box) -> tuple[float, float, float, float]:
    try:
        xmin, xmax, ymin, ymax = (float(v) for v in box)
    except (TypeError, ValueError):
        raise ValueError(f"box must be (xmin, xmax, ymin, ymax), got {box!r}") from None
    if not all(np.isfinite(v) for v in (xmin, xmax, ymin, ymax)):
        raise ValueError(f"box must be finite, got {box!r}")
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(f"box must have xmin < xmax and ymin < ymax, got {box!r}")
    return xmin, xmax, ymin, ymax


def _check_magnitude(pre, rx: float, ry: float, what: str) -> None:
    """Raise a clear ValueError when an affine map's values over the box could overflow float64."""
    if pre.size == 0:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        scale = float(np.max(np.abs(pre))) * (rx + ry + 1.0)
    if not np.isfinite(scale) or scale > MAX_MAGNITUDE:
        raise ValueError(f"the {what} are too large for float64 arithmetic in this box (about {scale:.1e}); "
                         "use smaller weights or a smaller box")


def _split_layer(X, off, tags, pre, rx, ry, unit_offset, layer, max_regions):
    """Split every polygon by the zero lines of one layer's pre-activations.

    ``pre`` ``(P, 3, n)``: on polygon p, ``z_u(x, y) = pre[p, 0, u] x + pre[p, 1, u] y + pre[p, 2, u]``.
    Returns the pieces ``(X, offsets, tags, parent, bits)``: ``parent`` the polygon each piece came
    from, ``bits`` ``(P', n)`` the layer's pattern on each piece.
    """
    P, n = pre.shape[0], pre.shape[2]
    cnt = off[1:] - off[:-1]
    tol = SNAP_EPS * (np.abs(pre[:, 0, :]) * rx + np.abs(pre[:, 1, :]) * ry + np.abs(pre[:, 2, :]))  # (P, n)
    # every unit at every vertex of every polygon: one batched (K, 3) @ (3, n) product per polygon,
    # vertex lists padded by repeating their last vertex
    Xh = np.ones((len(X), 3))
    Xh[:, :2] = X
    has_pos = np.empty((P, n), dtype=bool)
    has_neg = np.empty((P, n), dtype=bool)
    by_count = np.argsort(cnt, kind="stable")           # equal vertex counts together: little padding
    sorted_cnt = cnt[by_count]
    a = 0
    while a < P:
        K = int(sorted_cnt[a])
        b = min(int(np.searchsorted(sorted_cnt, K, side="right")), a + max(1, _CHUNK // (K * n)))
        rows = by_count[a:b]
        slot = off[rows, None] + np.arange(K)
        Z = np.matmul(Xh[slot], pre[rows])                             # (b - a, K, n)
        t = tol[rows, None, :]
        has_pos[rows] = (Z > t).any(axis=1)
        has_neg[rows] = (Z < -t).any(axis=1)
        a = b
    crossing = has_pos & has_neg
    ncross = crossing.sum(axis=1)

    out = []  # chunks of finished polygons: (X, counts, tags, parent, bits)
    fin = np.flatnonzero(ncross == 0)
    idx, _ = _poly.take(off, fin)
    out.append((X[idx], cnt[fin], tags[idx], fin, has_pos[fin]))
    n_done = len(fin)
    sel = np.flatnonzero(ncross)
    if len(sel):
        sel = sel[np.argsort(ncross[sel], kind="stable")]           # fewest crossing units first
        nc = ncross[sel]
        U = np.argsort(~crossing[sel], axis=1, kind="stable")[:, :int(nc[-1])]  # crossing units first
        idx, a_off = _poly.take(off, sel)
        a_X, a_tag = X[idx], tags[idx]
        a_row = np.arange(len(sel))                                  # row into sel, nc, U
        a_bits = has_pos[sel]
        for k in range(int(nc[-1])):
            # cut each polygon by the k-th unit crossing its parent (all polygons at once)
            u = U[a_row, k]
            par = sel[a_row]
            vp = np.repeat(np.arange(len(a_row)), a_off[1:] - a_off[:-1])
            a_X, cnt, a_tag, src, positive = _poly.split(
                a_X, a_off, a_tag, vp, pre[par, :, u], tol[par, u], (unit_offset + u).astype(a_tag.dtype))
            a_row = a_row[src]
            a_bits = a_bits[src]
            a_bits[np.arange(len(src)), u[src]] = positive
            a_off = np.zeros(len(cnt) + 1, dtype=np.intp)
            np.cumsum(cnt, out=a_off[1:])
            # pieces stay ordered by row, so those whose parent has no crossing unit left come first
            d = int(np.searchsorted(a_row, np.searchsorted(nc, k + 2)))
            if d:
                e = a_off[d]
                out.append((a_X[:e], cnt[:d], a_tag[:e], sel[a_row[:d]], a_bits[:d]))
                n_done += d
                a_X, a_tag, cnt, a_row, a_bits = a_X[e:], a_tag[e:], cnt[d:], a_row[d:], a_bits[d:]
                a_off = a_off[d:] - e
            if n_done + len(a_row) > max_regions:
                raise RegionLimitExceeded(max_regions, layer)
    if n_done > max_regions:
        raise RegionLimitExceeded(max_regions, layer)
    X = np.concatenate([o[0] for o in out])
    cnt = np.concatenate([o[1] for o in out])
    tags = np.concatenate([o[2] for o in out])
    parent = np.concatenate([o[3] for o in out])
    bits = np.concatenate([o[4] for o in out])
    off = np.zeros(len(cnt) + 1, dtype=np.intp)
    np.cumsum(cnt, out=off[1:])
    return X, off, tags, parent, bits


def region_set(net: ReluNetwork, box=(-1.0, 1.0, -1.0, 1.0), layers: int | None = None,
               max_regions: int = DEFAULT_MAX_REGIONS) -> RegionSet:
    """The linear regions of ``net``'s first ``layers`` hidden layers (all by default) inside
    ``box = (xmin, xmax, ymin, ymax)``, as one flat ``RegionSet``. Raises ``RegionLimitExceeded``
    past ``max_regions`` regions, ``ValueError`` for a bad box or layer count."""
    xmin, xmax, ymin, ymax = _check_box(box)
    net.validate()
    L = net.n_layers if layers is None else int(layers)
    if not 1 <= L <= net.n_layers:
        raise ValueError(f"layers must be between 1 and {net.n_layers}, got {layers}")
    rx, ry = max(abs(xmin), abs(xmax)), max(abs(ymin), abs(ymax))
    X = np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]], dtype=np.float64)
    off = np.array([0, 4], dtype=np.int64)
    tags = np.full(4, -1, dtype=np.int32)
    patterns = np.zeros((1, 0), dtype=bool)
    W, b = net.weights[0], net.biases[0]
    pre = np.concatenate([W.T, b[None, :]], axis=0)[None]          # (1, 3, n_0): rows x, y, 1
    unit_offset = 0
    for l in range(L):
        _check_magnitude(pre, rx, ry, f"pre-activations of hidden layer {l + 1}")
        X, off, tags, parent, bits = _split_layer(X, off, tags, pre, rx, ry, unit_offset, l, max_regions)
        patterns = np.concatenate([patterns[parent], bits], axis=1)
        pre = pre[parent]                                            # z^l on each new region
        unit_offset += pre.shape[2]
        if l + 1 < L:
            pre = _next_affine(pre, bits, net.weights[l + 1], net.biases[l + 1])
    n_hidden = pre.shape[2]
    affine = pre
    if L == net.n_layers and net.output_weights is not None:
        out = _next_affine(pre, bits, net.output_weights, net.output_bias)
        _check_magnitude(out, rx, ry, "network's outputs")
        affine = np.concatenate([pre, out], axis=2)
    affine = affine.transpose(0, 2, 1)                               # (P, m, 3)
    layer_of = np.repeat(np.arange(L), net.widths[:L]).astype(np.int32)
    unit_of = np.concatenate([np.arange(n) for n in net.widths[:L]]).astype(np.int32)
    box_edge = tags < 0
    edge_layer = np.where(box_edge, -1, layer_of[np.maximum(tags, 0)])
    edge_unit = np.where(box_edge, -1, unit_of[np.maximum(tags, 0)])
    return RegionSet((xmin, xmax, ymin, ymax), tuple(net.widths[:L]), X, off, edge_layer, edge_unit,
                     patterns, affine[:, :, :2], affine[:, :, 2],
                     _poly.areas(X, off), n_hidden)


def _next_affine(pre, bits, W, b):
    """Affine maps of ``W ReLU(z) + b`` on each region, from those of ``z`` ``(P, 3, n)`` and the
    pattern: on a region ``ReLU(z)`` is ``z`` for active units and 0 for the others."""
    post = pre * bits[:, None, :]
    P, _, n = post.shape
    with np.errstate(over="ignore", invalid="ignore"):   # overflow is reported by _check_magnitude
        nxt = (post.reshape(3 * P, n) @ W.T).reshape(P, 3, W.shape[0])
        nxt[:, 2, :] += b
    return nxt


def linear_regions(net: ReluNetwork, box=(-1.0, 1.0, -1.0, 1.0), layers: int | None = None,
                   max_regions: int = DEFAULT_MAX_REGIONS) -> list[Region]:
    """Every linear region of ``net`` (its first ``layers`` hidden layers) in ``box`` as a ``Region``."""
    return region_set(net, box, layers, max_regions).regions()


def count_regions(net: ReluNetwork, box=(-1.0, 1.0, -1.0, 1.0), layers: int | None = None,
                  max_regions: int = DEFAULT_MAX_REGIONS) -> int:
    """The number of linear regions in ``box`` (no ``Region`` objects built)."""
    return len(region_set(net, box, layers, max_regions))
