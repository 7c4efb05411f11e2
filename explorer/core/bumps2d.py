"""Two inputs: steps in x or y, bumps, towers and a grid of towers approximating f(x, y) (pure NumPy).

The lecture's slide "Functions with multiple inputs" (Nielsen, chapter 4):

* a hidden neuron with weights ``(w, 0)`` steps in x at ``s = -b/w``; ``(0, w)`` steps in y;
* two such neurons with output weights ``h, -h`` make a bump in x; a bump in x plus a bump in y
  gives a weighted output of ``2h`` over the rectangle, ``h`` on the two crossing strips, 0 elsewhere;
* an output neuron ``sigma(gain * (bump_x + bump_y - threshold))`` with threshold 1.5 keeps only the
  rectangle: a *tower* of height 1 (the book's output bias ``b = -3h/2``);
* towers on an n x n grid, each weighted by the mean of f over its cell, approximate f(x, y).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.sigmoid import padded_edges, sigmoid

#: Default gain of the tower's threshold neuron (the book's large h).
TOWER_GAIN = 40.0
#: Threshold between "one bump" (1) and "both bumps" (2): the book's bias -3h/2 for height h.
TOWER_THRESHOLD = 1.5


def step_2d(x, y, w: float, b: float, axis: str = "x") -> np.ndarray:
    """One hidden neuron with weight w on one input only: ``sigma(w x + b)`` (or ``sigma(w y + b)``)."""
    if axis not in ("x", "y"):
        raise ValueError("axis must be 'x' or 'y'")
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return sigmoid(w * (x if axis == "x" else y) + b)


def bump(t, s1: float, s2: float, steepness: float) -> np.ndarray:
    """``sigma(k (t - s1)) - sigma(k (t - s2))``: 1 on [s1, s2], 0 outside (two hidden neurons)."""
    if s1 > s2:
        raise ValueError(f"s1 = {s1:g} must not exceed s2 = {s2:g}")
    t = np.asarray(t, dtype=float)
    return sigmoid(steepness * (t - s1)) - sigmoid(steepness * (t - s2))


def bump_sum(x, y, x_range, y_range, steepness: float, h: float = 1.0) -> np.ndarray:
    """The hidden layer's weighted output ``h * (bump in x + bump in y)`` (four hidden neurons)."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return h * (bump(x, *x_range, steepness) + bump(y, *y_range, steepness))


def tower(x, y, x_range, y_range, steepness: float, gain: float = TOWER_GAIN,
          threshold: float = TOWER_THRESHOLD) -> np.ndarray:
    """``sigma(gain * (bump_x + bump_y - threshold))``: with threshold 1.5, height 1 over the rectangle only."""
    return sigmoid(gain * (bump_sum(x, y, x_range, y_range, steepness) - threshold))


@dataclass
class TowerNetwork:
    """A grid of towers: ``net(x, y) = sum_ij heights[i, j] * tower_ij(x, y)``.

    As a network: 2n step neurons in x and 2n in y (first hidden layer, two per
    bump), n x n threshold neurons (second hidden layer, one per tower), a linear output whose
    weights are the heights. ``heights[i, j]`` belongs to the cell ``[x_edges[i], x_edges[i+1]] x
    [y_edges[j], y_edges[j+1]]``.
    """

    x_edges: np.ndarray
    y_edges: np.ndarray
    heights: np.ndarray
    steepness: float
    gain: float = TOWER_GAIN
    threshold: float = TOWER_THRESHOLD

    @property
    def hidden_sizes(self) -> tuple[int, int]:
        """Neurons in the two hidden layers: (steps, towers)."""
        nx, ny = self.heights.shape
        return 2 * nx + 2 * ny, nx * ny

    def _bumps(self, t, edges) -> np.ndarray:
        t = np.asarray(t, dtype=float).ravel()
        k = self.steepness
        return sigmoid(k * (t[None, :] - edges[:-1, None])) - sigmoid(k * (t[None, :] - edges[1:, None]))

    def grid(self, xs, ys, eps: float = 1e-12) -> np.ndarray:
        """Output on the grid ``xs x ys`` as an array of shape ``(len(xs), len(ys))`` (index [ix, iy]).

        Fast: where tower column i's x-bump is below ``eps`` it counts as 0, so there its towers
        depend on y alone and are computed once per column; only x inside the bump (plus its
        transition) is evaluated in full. Differs from ``__call__`` by at most about
        ``gain * eps * sum |heights|``.
        """
        bx = self._bumps(xs, self.x_edges)          # (nx, Rx)
        by = self._bumps(ys, self.y_edges)          # (ny, Ry)
        out = np.zeros((bx.shape[1], by.shape[1]))
        outside = sigmoid(self.gain * (by - self.threshold))            # (ny, Ry): towers with bump_x = 0
        for i in range(bx.shape[0]):
            inside = bx[i] > eps
            out[~inside] += self.heights[i] @ outside
            if np.any(inside):
                z = self.gain * (bx[i, inside][None, :, None] + by[:, None, :] - self.threshold)  # (ny, k, Ry)
                out[inside] += np.tensordot(self.heights[i], sigmoid(z), axes=1)
        return out

    def __call__(self, x, y) -> np.ndarray:
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        bx = self._bumps(x, self.x_edges)           # (nx, P)
        by = self._bumps(y, self.y_edges)           # (ny, P)
        z = self.gain * (bx[:, None, :] + by[None, :, :] - self.threshold)
        return np.einsum("ij,ijp->p", self.heights, sigmoid(z)).reshape(x.shape)


def cell_means(f: Callable, x_edges, y_edges, samples: int = 8) -> np.ndarray:
    """Mean of f over each cell (midpoint rule with ``samples x samples`` points), shape (nx, ny)."""
    x_edges = np.asarray(x_edges, dtype=float)
    y_edges = np.asarray(y_edges, dtype=float)
    t = (np.arange(samples) + 0.5) / samples
    xs = (x_edges[:-1, None] + np.diff(x_edges)[:, None] * t).ravel()
    ys = (y_edges[:-1, None] + np.diff(y_edges)[:, None] * t).ravel()
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(gx, gy), dtype=float), gx.shape)
    if not np.all(np.isfinite(values)):
        raise ValueError("the target is not finite everywhere on the square")
    nx, ny = x_edges.size - 1, y_edges.size - 1
    return values.reshape(nx, samples, ny, samples).mean(axis=(1, 3))


def approximate_2d(f: Callable, n: int, steepness: float, interval=(0.0, 1.0), *,
                   gain: float = TOWER_GAIN, threshold: float = TOWER_THRESHOLD) -> TowerNetwork:
    """An n x n grid of towers on ``interval^2`` whose heights are the means of f(x, y) over each cell.

    The outer steps sit ``10 / steepness`` outside the square (see ``padded_edges``).
    """
    n_int = int(n)
    if n_int != n or n_int < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    lo, hi = float(interval[0]), float(interval[1])
    if not lo < hi:
        raise ValueError("interval must have start < end")
    if not (np.isfinite(steepness) and steepness > 0):
        raise ValueError("steepness must be a positive number")
    edges = np.linspace(lo, hi, n_int + 1)
    steps = padded_edges(edges, steepness)
    return TowerNetwork(steps, steps.copy(), cell_means(f, edges, edges), float(steepness), gain, threshold)


def error_2d(net: TowerNetwork, f: Callable, interval=(0.0, 1.0), resolution: int = 81):
    """``(mean, max)`` absolute error of the tower network against f on a resolution^2 grid."""
    t = np.linspace(interval[0], interval[1], resolution)
    gx, gy = np.meshgrid(t, t, indexing="ij")
    with np.errstate(all="ignore"):
        target = np.broadcast_to(np.asarray(f(gx, gy), dtype=float), gx.shape)
    err = np.abs(net.grid(t, t) - target)
    return float(err.mean()), float(err.max())
