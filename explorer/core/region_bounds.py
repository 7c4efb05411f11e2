"""How many linear regions can a ReLU network have? Bounds and counts (pure Python / NumPy).

Lecture, slide "The number of regions in one layer using ReLUs" and the slides after it: a ReLU
network with ``n0`` inputs and hidden widths ``n_1, ..., n_L`` is piecewise linear; each linear region is
the set of inputs sharing one activation pattern ``S = (S^1, ..., S^L)``.  This module gives the
classical counting formulas for those regions, in exact integer arithmetic (``math.comb``):

- ``line_arrangement_count(n, n0)`` - ``sum_{j=0}^{n0} C(n, j)``: the most regions ``n`` hyperplanes
  (one layer of ``n`` units) can cut ``R^{n0}`` into (Zaslavsky); 3 lines in the plane give 7.
- ``serra_upper_bound(widths, n0)`` - Serra, Tjandraatmadja & Ramalingam (2018), Theorem 1:
  ``sum_{(j_1..j_L) in J} prod_l C(n_l, j_l)`` with
  ``J = {0 <= j_l <= min(n0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l)}``.
- ``montufar2017_upper_bound(widths, n0)`` - Montufar (2017): ``prod_l sum_{j=0}^{d_l} C(n_l, j)``
  with ``d_l = min(n0, n_1, ..., n_l)``.
- ``montufar2014_lower_bound(widths, n0)`` - Montufar, Pascanu, Cho & Bengio (2014):
  ``(prod_{l<L} floor(n_l / n0)^{n0}) * sum_{j=0}^{n0} C(n_L, j)``.

Worked numbers (tests check them): 2-3-3 gives 7, 40, 49, 7; 2-4-4 gives 11, 121, 121, 44;
2-6-6 gives 22, 484, 484, 198; 2-16-16-16 has Serra bound 2,571,353.

``exact_plane_count(net)`` counts the regions of a concrete network in the whole plane exactly
(five projective charts, see its docstring); ``regions_in_plane(net)`` is the older estimate by a
growing box (a lower bound); ``depth_experiment_widths`` builds the
"same neurons, different depth" architectures of the expressiveness experiment.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb

import numpy as np

__all__ = [
    "line_arrangement_count",
    "serra_upper_bound",
    "montufar2017_upper_bound",
    "montufar2014_lower_bound",
    "RegionBounds",
    "region_bounds",
    "PlaneCount",
    "regions_in_plane",
    "iter_plane_count",
    "first_layer_radius",
    "exact_plane_count",
    "iter_exact_plane_count",
    "depth_experiment_widths",
]


def _check_widths(widths, n0: int) -> tuple[int, ...]:
    ws = tuple(int(w) for w in widths)
    if len(ws) == 0:
        raise ValueError("widths must list at least one hidden layer")
    if any(w < 1 for w in ws):
        raise ValueError(f"every hidden layer needs at least one unit, got widths {list(ws)}")
    if int(n0) < 1:
        raise ValueError(f"the input dimension n0 must be at least 1, got {n0}")
    return ws


def line_arrangement_count(n: int, n0: int = 2) -> int:
    """``sum_{j=0}^{n0} C(n, j)``: regions of ``n`` hyperplanes in general position in ``R^{n0}``.

    The slide "3 hyperplanes partition the 2D space into 7 regions": 1 + 3 + 3 = 7.
    """
    n, n0 = int(n), int(n0)
    if n < 0 or n0 < 0:
        raise ValueError(f"n and n0 must be non-negative, got n={n}, n0={n0}")
    return sum(comb(n, j) for j in range(0, n0 + 1))


def serra_upper_bound(widths, n0: int = 2) -> int:
    """Serra et al. (2018): ``sum over J of prod_l C(n_l, j_l)``.

    ``J = {(j_1, ..., j_L): 0 <= j_l <= min(n0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l)}``.
    Summed exactly by dynamic programming over the layers: the state is the running minimum
    ``min(n0, n_1 - j_1, ..., n_{l-1} - j_{l-1})`` (the dimension still available).
    """
    ws = _check_widths(widths, n0)

    @lru_cache(maxsize=None)
    def tail(layer: int, cap: int) -> int:
        if layer == len(ws):
            return 1
        n = ws[layer]
        return sum(comb(n, j) * tail(layer + 1, min(cap, n - j)) for j in range(0, min(cap, n) + 1))

    return tail(0, int(n0))


def montufar2017_upper_bound(widths, n0: int = 2) -> int:
    """Montufar (2017): ``prod_l sum_{j=0}^{d_l} C(n_l, j)``, ``d_l = min(n0, n_1, ..., n_l)``."""
    ws = _check_widths(widths, n0)
    result, d = 1, int(n0)
    for n in ws:
        d = min(d, n)
        result *= sum(comb(n, j) for j in range(0, d + 1))
    return result


def montufar2014_lower_bound(widths, n0: int = 2) -> int:
    """Montufar et al. (2014): ``(prod_{l<L} floor(n_l/n0)^{n0}) * sum_{j=0}^{n0} C(n_L, j)``.

    The construction needs ``n_l >= n0`` in the hidden layers before the last; when some
    ``floor(n_l / n0)`` is 0 the formula says 0, and we return 1 instead (every network has at
    least one region).
    """
    ws = _check_widths(widths, n0)
    n0 = int(n0)
    factor = 1
    for n in ws[:-1]:
        factor *= (n // n0) ** n0
    return max(1, factor * line_arrangement_count(ws[-1], n0))


@dataclass(frozen=True)
class RegionBounds:
    """All counting formulas for one architecture (``n0`` inputs, hidden ``widths``)."""

    widths: tuple[int, ...]
    n0: int
    first_layer: int  # line-arrangement count of layer 1 alone
    serra_upper: int
    montufar2017_upper: int
    montufar2014_lower: int


def region_bounds(widths, n0: int = 2) -> RegionBounds:
    """The four numbers shown beside a network's region count."""
    ws = _check_widths(widths, n0)
    return RegionBounds(
        widths=ws,
        n0=int(n0),
        first_layer=line_arrangement_count(ws[0], n0),
        serra_upper=serra_upper_bound(ws, n0),
        montufar2017_upper=montufar2017_upper_bound(ws, n0),
        montufar2014_lower=montufar2014_lower_bound(ws, n0),
    )


@dataclass(frozen=True)
class PlaneCount:
    """Result of ``regions_in_plane``: the count, the box it was reached in, and the history."""

    count: int  # the largest count seen (the true plane count is at least this)
    box: tuple[float, float, float, float]
    history: tuple[tuple[float, int], ...]  # (half-width, count) for every box tried
    converged: bool  # True when the count settled (see the stopping rule)
    reason: str = "settled"  # "settled", "growing" (not done yet), "max_doublings" or "precision"


def iter_plane_count(net, box=(-1.0, 1.0, -1.0, 1.0), patience: int = 3, max_doublings: int = 12,
                     max_regions: int = 200_000):
    """``regions_in_plane`` one box at a time: yields a ``PlaneCount`` after each enumeration.

    The last one yielded is the answer (``converged`` tells whether the count settled). A GUI
    can advance this generator from a timer, one enumeration per tick, and drop it to cancel.
    """
    from explorer.core.regions import count_regions  # local import: regions imports nothing from here

    xmin, xmax, ymin, ymax = (float(v) for v in box)
    if not (xmax > xmin and ymax > ymin):
        raise ValueError(f"box must have xmin < xmax and ymin < ymax, got {box}")
    if int(patience) < 1:
        raise ValueError(f"patience must be at least 1, got {patience}")
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half = max(max(xmax - xmin, ymax - ymin) / 2, first_layer_radius(net, (cx, cy)))
    history: list[tuple[float, int]] = []
    stable = 0
    for step in range(int(max_doublings) + 1):
        square = (cx - half, cx + half, cy - half, cy + half)
        count = count_regions(net, square, max_regions=max_regions)
        best = max([count] + [c for _, c in history])
        if history and count < best:
            # The true count never decreases as the box grows: a drop means the box is so large that
            # floating point merges tiny regions near the centre. Stop with the best count seen.
            history.append((half, count))
            yield PlaneCount(best, square, tuple(history), False, "precision")
            return
        stable = stable + 1 if history and count == history[-1][1] else 0
        history.append((half, count))
        done = stable >= patience
        reason = "settled" if done else ("max_doublings" if step == int(max_doublings) else "growing")
        yield PlaneCount(count, square, tuple(history), done, reason)
        if done:
            return
        half *= 2.0


def first_layer_radius(net, center=(0.0, 0.0), margin: float = 1.5) -> float:
    """Half-width of a square around ``center`` that holds, with a ``margin`` factor, every crossing
    of two first-layer lines ``w_i . x + b_i = 0`` and the point of each line nearest the centre.

    In such a square every line of layer 1 passes through and every vertex of their arrangement
    lies inside, so its regions there are exactly the arrangement's regions in the whole plane.
    """
    W = np.asarray(net.weights[0], dtype=float)
    b = np.asarray(net.biases[0], dtype=float) + W @ np.asarray(center, dtype=float)  # shift centre to 0
    norms = np.hypot(W[:, 0], W[:, 1])
    ok = norms > 0
    radius = float(np.max(np.abs(b[ok]) / norms[ok])) if ok.any() else 0.0
    i, j = np.triu_indices(len(b), k=1)
    det = W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]
    scale = norms[i] * norms[j]
    cross = np.abs(det) > 1e-12 * np.where(scale > 0, scale, 1.0)
    if cross.any():
        i, j, det = i[cross], j[cross], det[cross]
        x = (-b[i] * W[j, 1] + b[j] * W[i, 1]) / det       # Cramer's rule for W[[i, j]] x = -b[[i, j]]
        y = (-W[i, 0] * b[j] + W[j, 0] * b[i]) / det
        radius = max(radius, float(np.max(np.maximum(np.abs(x), np.abs(y)))))
    return margin * radius


def regions_in_plane(net, box=(-1.0, 1.0, -1.0, 1.0), patience: int = 3, max_doublings: int = 12,
                     max_regions: int = 200_000) -> PlaneCount:
    """Regions of ``net`` in the whole plane, by growing a square box until the count settles.

    Every linear region is convex (fixed pattern = intersection of half-planes), so the number of
    distinct patterns in a box is the number of plane regions meeting the box, and it can only
    grow with the box. Stopping rule: start from the square around ``box``'s centre whose half-
    width is the larger of ``box``'s half-sides and ``first_layer_radius`` (1.5x the farthest
    crossing of two first-layer lines, or of a line's nearest point); double the half-width; stop
    as soon as the count has not changed for ``patience`` consecutive doublings (default 3, i.e.
    over an 8x growth), or after ``max_doublings`` doublings (``converged=False``). For one layer
    the first square already holds every vertex, so the count is exact; deeper bent hyperplanes
    can, in principle, cross farther out than an 8x growth reveals, so for deep nets it is a
    careful lower bound of the plane count. Floating point limits the growth: if a larger box ever
    shows fewer regions (tiny regions near the centre merged), the search stops there with
    ``reason="precision"`` and the largest count seen. Raises the enumeration's
    ``RegionLimitExceeded`` past ``max_regions``.
    """
    result = None
    for result in iter_plane_count(net, box, patience, max_doublings, max_regions):
        pass
    return result


def depth_experiment_widths(total: int = 24, depths=(1, 2, 3, 4)) -> list[tuple[int, ...]]:
    """Architectures with ``total`` hidden neurons spread evenly over each depth: 24 -> 1x24, 2x12, 3x8, 4x6."""
    out = []
    for d in depths:
        d = int(d)
        if d < 1 or total % d:
            raise ValueError(f"{total} neurons cannot be split evenly into {d} layers")
        out.append((total // d,) * d)
    return out


# --- the whole plane, exactly: five projective charts ---------------------------------------------

def _chart_network(net, face: str, sign: float, radius: float):
    """The network seen on one side face of the cube ``max(|u1|, |u2|, u3) = 1``, ``u3 > 0``.

    A point ``x`` of the plane is the ray ``(u1, u2, u3) = t (x / radius, 1)``, ``t > 0``. Multiplying
    every pre-activation by ``u3 > 0`` keeps its sign, and the homogenised network
    ``Z^0 = radius W^0 (u1, u2) + b^0 u3``, ``Z^{l+1} = W^{l+1} ReLU(Z^l) + b^{l+1} u3`` is linear in the
    pre-activations, so on the face ``u1 = sign`` (coordinates ``(s, t) = (u2, u3)`` in ``[-1, 1] x [0, 1]``,
    the part ``|x1| >= radius, |x2| <= |x1|`` of the plane) it is a ReLU network in ``(s, t)`` that
    carries ``t`` along as one extra, always active unit per layer (``ReLU(t) = t`` for ``t >= 0``).
    Returns ``(ReluNetwork, keep)``: ``keep`` the pattern columns of the real units."""
    from explorer.core.regions import ReluNetwork

    W0, b0 = net.weights[0], net.biases[0]
    fixed, free = (0, 1) if face == "x1" else (1, 0)
    L = net.n_layers
    ws = [np.column_stack([radius * W0[:, free], b0])]
    bs = [sign * radius * W0[:, fixed]]
    for l in range(1, L):
        ws.append(np.column_stack([net.weights[l], net.biases[l]]))
        bs.append(np.zeros(net.widths[l]))
    keep = []
    start = 0
    for l in range(L):
        keep.extend(range(start, start + net.widths[l]))
        start += net.widths[l]
        if l + 1 < L:                      # the unit carrying t into the next layer
            carry = np.zeros((1, ws[l].shape[1]))
            carry[0, -1] = 1.0
            ws[l] = np.vstack([ws[l], carry])
            bs[l] = np.append(bs[l], 0.0)
            start += 1
    return ReluNetwork(ws, bs), np.array(keep)


def iter_exact_plane_count(net, layers: int | None = None, radius: float = 1.0,
                           max_regions: int = 200_000):
    """``exact_plane_count`` one chart at a time: yields ``(charts_done, distinct_patterns_so_far)``
    after each of the five enumerations; the last value is the answer. A GUI advances it from a
    timer and drops it to cancel."""
    from explorer.core.regions import ReluNetwork, region_set

    radius = float(radius)
    if not (np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius must be a finite number > 0, got {radius}")
    L = net.n_layers if layers is None else int(layers)
    if not 1 <= L <= net.n_layers:
        raise ValueError(f"layers must be between 1 and {net.n_layers}, got {layers}")
    net = ReluNetwork(net.weights[:L], net.biases[:L])
    seen = set()
    rs = region_set(net, (-radius, radius, -radius, radius), max_regions=max_regions)
    seen.update(map(bytes, np.packbits(rs.patterns, axis=1)))
    yield 1, len(seen)
    done = 1
    for face in ("x1", "x2"):
        for sign in (1.0, -1.0):
            chart, keep = _chart_network(net, face, sign, radius)
            rs = region_set(chart, (-1.0, 1.0, 0.0, 1.0), max_regions=max_regions)
            seen.update(map(bytes, np.packbits(rs.patterns[:, keep], axis=1)))
            done += 1
            if len(seen) > max_regions:
                from explorer.core.regions import RegionLimitExceeded

                raise RegionLimitExceeded(max_regions, L - 1)
            yield done, len(seen)


def exact_plane_count(net, layers: int | None = None, radius: float = 1.0, max_regions: int = 200_000) -> int:
    """The number of linear regions of ``net`` (its first ``layers`` hidden layers) in the whole plane.

    Exact, with no growing box: the plane is covered by five charts of the projective plane, the
    square ``[-radius, radius]^2`` and the four faces ``u1 = +-1``, ``u2 = +-1`` of the cube
    ``max(|u1|, |u2|, u3) = 1`` (point ``x`` = ray ``(x / radius, 1)``). Pre-activations multiplied by
    ``u3 > 0`` keep their signs and are piecewise linear in each face's coordinates, so each face
    is a bounded box for the ordinary enumeration, and a crossing at distance ``d`` appears there
    at ``u3 = radius / d`` instead of being missed. Every region is convex, so its part in each
    (convex) chart is one piece, and a pattern names one region: the count is the number of
    distinct patterns over the five charts. Independent of any view; far crossings are resolved
    down to the enumeration's relative tolerance (1e-10). Raises ``RegionLimitExceeded`` past
    ``max_regions``.
    """
    result = 0
    for _done, result in iter_exact_plane_count(net, layers, radius, max_regions):
        pass
    return result
