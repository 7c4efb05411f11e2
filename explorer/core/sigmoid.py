"""Sigmoid neurons, steps, bumps and universal approximation in one input (pure NumPy).

The lecture's slides "Sigmoid neuron" to "Approximating multiple bumps" and "Other activation
functions", after chapter 4 of Nielsen's *Neural Networks and Deep Learning*:

* the sigmoid ``sigma(z) = 1 / (1 + e^-z)`` and its derivative ``sigma'(z) = sigma(z) (1 - sigma(z))``;
* a neuron ``sigma(w x + b)`` tends to the perceptron's step at ``s = -b/w`` as ``w`` grows;
* two hidden neurons with steps at ``s1 < s2`` and output weights ``h, -h`` make a bump of height h;
* N bumps side by side approximate any continuous f on an interval (``approximate_1d``).

This module is the public face: it re-exports the activations (:mod:`explorer.core.sigmoid_activations`)
and ``OneHiddenLayer`` (:mod:`explorer.core.hidden_layer`). Two-input towers live in
:mod:`explorer.core.bumps2d`, the safe formula parser in :mod:`explorer.core.formula`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.hidden_layer import OneHiddenLayer, step_units, units_per_bump
from explorer.core.sigmoid_activations import (ACTIVATIONS, OUTPUT_ACTIVATIONS, activation_function, identity,
                                               inverse_sigmoid, relu, sigmoid, sigmoid_prime, step, tanh)

__all__ = [
    # activations (explorer.core.sigmoid_activations)
    "ACTIVATIONS", "OUTPUT_ACTIVATIONS", "activation_function", "identity", "inverse_sigmoid", "relu",
    "sigmoid", "sigmoid_prime", "step", "tanh",
    # one neuron
    "neuron", "step_position", "bias_for_step", "max_gap_to_step", "SmallChange", "small_change",
    # networks and bumps (OneHiddenLayer from explorer.core.hidden_layer)
    "OneHiddenLayer", "step_units", "units_per_bump", "bumps_network", "bump", "bump_edges", "bump_centres",
    "padded_edges", "bump_heights", "network_heights",
    # universal approximation
    "approximate_1d", "fit_heights", "network_from_heights", "approximation_error", "abs_errors",
    "error_curve", "average_deviation", "challenge_passed", "BOOK_STEEPNESS", "CHALLENGE_DEVIATION",
    "CHALLENGE_BUMPS",
]

#: Default steepness (hidden weight) of the book's "very large weight" steps.
BOOK_STEEPNESS = 5000.0

#: The book's challenge: average deviation below this with 5 bumps and a sigmoid output neuron.
CHALLENGE_DEVIATION = 0.40
CHALLENGE_BUMPS = 5


# --------------------------------------------------------------------------------------------
# one neuron: step position, gap to the step, small changes
# --------------------------------------------------------------------------------------------

def neuron(x, w: float, b: float, activation: str = "sigmoid") -> np.ndarray:
    """One neuron with one input: ``sigma(w x + b)`` (or another activation)."""
    return activation_function(activation, ACTIVATIONS)(w * np.asarray(x, dtype=float) + b)


def step_position(w: float, b: float) -> float | None:
    """Where the neuron steps: ``s = -b/w``; ``None`` when ``w = 0`` (no step at all)."""
    if w == 0:
        return None
    return -b / w


def bias_for_step(w: float, s: float) -> float:
    """The bias that puts the step at s for weight w: ``b = -w s``."""
    return -w * s


def max_gap_to_step(w: float, b: float, band: float = 0.05, interval=(0.0, 1.0)) -> float:
    """Largest ``|sigma(w x + b) - step(w x + b)|`` for x in the interval with ``|x - s| >= band``.

    With ``z = w (x - s)`` the gap is ``sigma(-|z|)``, falling with the distance from s, so it is
    largest at the allowed points nearest s: ``sigma(-|w| band)`` when those lie inside the
    interval. It goes to 0 as |w| grows - the sigmoid becomes the step. Returns 0.0 when no
    point of the interval is outside the band; for ``w = 0`` the constant gap ``|sigma(b) - step(b)|``.
    """
    lo, hi = float(interval[0]), float(interval[1])
    if band < 0:
        raise ValueError("band must be >= 0")
    if w == 0:
        return float(abs(sigmoid(b) - step(b)))
    s = -b / w
    candidates = [x for x in (lo, hi, s - band, s + band) if lo <= x <= hi and abs(x - s) >= band * (1 - 1e-12)]
    if not candidates:
        return 0.0
    d = min(abs(x - s) for x in candidates)
    return float(sigmoid(-abs(w) * d))


@dataclass(frozen=True)
class SmallChange:
    """Output change at one x after nudging w and b (slide "Small changes in parameters ...")."""

    sigmoid_before: float
    sigmoid_after: float
    linear_estimate: float      # sigma'(z) (x dw + db): the first-order change
    perceptron_before: float
    perceptron_after: float

    @property
    def sigmoid_delta(self) -> float:
        return self.sigmoid_after - self.sigmoid_before

    @property
    def perceptron_delta(self) -> float:
        """0, or +-1 when the nudge flips the perceptron."""
        return self.perceptron_after - self.perceptron_before


def small_change(w: float, b: float, x: float, dw: float = 0.0, db: float = 0.0) -> SmallChange:
    """Compare ``Delta output ~ sigma'(z) (x Delta w + Delta b)`` with the perceptron's 0-or-flip."""
    z0 = w * x + b
    z1 = (w + dw) * x + (b + db)
    return SmallChange(
        sigmoid_before=float(sigmoid(z0)),
        sigmoid_after=float(sigmoid(z1)),
        linear_estimate=float(sigmoid_prime(z0) * (x * dw + db)),
        perceptron_before=float(step(z0)),
        perceptron_after=float(step(z1)),
    )


# --------------------------------------------------------------------------------------------
# bumps
# --------------------------------------------------------------------------------------------

def bumps_network(edges, heights, steepness: float, activation: str = "sigmoid",
                  output_activation: str = "linear", output_bias: float = 0.0) -> OneHiddenLayer:
    """Bumps of the given heights on ``[edges[i], edges[i+1]]``: bump i = step at edges[i] minus step at edges[i+1].

    Hidden units come in bump order: for bump i, the units of its up-step (output weight +h_i)
    then those of its down-step (-h_i). Bumps need not be adjacent: ``edges`` may also be an
    ``(n, 2)`` array of ``(s1, s2)`` pairs.
    """
    heights = np.atleast_1d(np.asarray(heights, dtype=float))
    edges = np.asarray(edges, dtype=float)
    if edges.ndim == 2:
        if edges.shape != (heights.size, 2):
            raise ValueError("pairs of edges must have shape (n_bumps, 2)")
        starts, ends = edges[:, 0], edges[:, 1]
    else:
        if edges.shape != (heights.size + 1,):
            raise ValueError(f"{heights.size} bumps need {heights.size + 1} edges, got {edges.size}")
        starts, ends = edges[:-1], edges[1:]
    if not np.all(np.isfinite(heights)) or not np.all(np.isfinite(edges)):
        raise ValueError("bump edges and heights must be finite")
    # interleave up- and down-steps per bump: positions s1_0, s2_0, s1_1, s2_1, ...
    positions = np.column_stack([starts, ends]).ravel()
    signs = np.tile([1.0, -1.0], heights.size) * np.repeat(heights, 2)
    w, b, coef, const = step_units(positions, steepness, activation)
    per_step = w.size // positions.size
    v = np.repeat(signs, per_step) * coef
    bias = output_bias + float(np.sum(signs * const))
    return OneHiddenLayer(w, b, v, bias, activation, output_activation)


def bump(s1: float, s2: float, h: float, steepness: float, activation: str = "sigmoid") -> OneHiddenLayer:
    """Two hidden neurons, steps at s1 and s2, output weights h and -h: a bump of height h on [s1, s2].

    ``s1 > s2`` is a clear error (the panel swaps them visibly before calling).
    """
    if s1 > s2:
        raise ValueError(f"s1 = {s1:g} must not exceed s2 = {s2:g}")
    return bumps_network([[s1, s2]], [h], steepness, activation)


def bump_edges(n_bumps: int, interval=(0.0, 1.0)) -> np.ndarray:
    """The ``n_bumps + 1`` equally spaced edges of N side-by-side bumps covering the interval."""
    lo, hi = _check_interval(interval)
    n = _check_bumps(n_bumps)
    return np.linspace(lo, hi, n + 1)


def bump_centres(n_bumps: int, interval=(0.0, 1.0)) -> np.ndarray:
    """The middle of each of N equal bumps (where the panel puts the height handles)."""
    edges = bump_edges(n_bumps, interval)
    return 0.5 * (edges[:-1] + edges[1:])


def _check_interval(interval) -> tuple[float, float]:
    lo, hi = float(interval[0]), float(interval[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"interval must be finite with start < end, got ({lo:g}, {hi:g})")
    return lo, hi


def _check_bumps(n_bumps) -> int:
    n = int(n_bumps)
    if n != n_bumps or n < 1:
        raise ValueError(f"n_bumps must be a positive integer, got {n_bumps!r}")
    return n


def _evaluate_target(f: Callable, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        y = np.asarray(f(x), dtype=float)
    y = np.broadcast_to(y, x.shape).astype(float)
    if not np.all(np.isfinite(y)):
        bad = x[~np.isfinite(y)][0]
        raise ValueError(f"the target is not finite at x = {bad:g}")
    return y


def bump_heights(f: Callable, edges, method: str = "mean", steepness: float = BOOK_STEEPNESS,
                 samples_per_bump: int = 32) -> np.ndarray:
    """Heights for bumps on ``[edges[i], edges[i+1]]`` that fit f.

    ``"mean"``: ``h_i = (1 / (s2 - s1)) * integral of f over [s1, s2]`` (trapezoid rule);
    ``"lstsq"``: least squares of the sigmoid bumps (at this steepness) against f on a dense grid.
    """
    edges = np.asarray(edges, dtype=float)
    n = edges.size - 1
    if method == "mean":
        t = np.linspace(0.0, 1.0, samples_per_bump + 1)
        xs = edges[:-1, None] + np.diff(edges)[:, None] * t          # (n, m)
        ys = _evaluate_target(f, xs)
        wts = np.full(t.size, 1.0 / samples_per_bump)
        wts[[0, -1]] *= 0.5
        return ys @ wts
    if method == "lstsq":
        x = np.linspace(edges[0], edges[-1], max(20 * n, 400))
        y = _evaluate_target(f, x)
        k = float(steepness)
        steps = padded_edges(edges, k)
        basis = sigmoid(k * (x[:, None] - steps[:-1])) - sigmoid(k * (x[:, None] - steps[1:]))
        return np.linalg.lstsq(basis, y, rcond=None)[0]
    raise ValueError(f"unknown method {method!r}; use 'mean' or 'lstsq'")


def approximate_1d(f: Callable, n_bumps: int, steepness: float, interval=(0.0, 1.0), *,
                   method: str = "mean", activation: str = "sigmoid",
                   output_activation: str = "linear", strict: bool = True) -> OneHiddenLayer:
    """Universal approximation: a one-hidden-layer network of N bumps (2N hidden neurons) fitting f.

    Bump i covers ``[a + i d, a + (i + 1) d]`` with ``d = (end - a) / N``; its height is the mean
    of f over it (or least squares, ``method="lstsq"``); the two outer steps sit ``10 / steepness``
    outside the interval (``padded_edges``). Hidden neuron weights are ``steepness``,
    biases ``-steepness * s`` (``s = -b/w``), output weights ``+h_i, -h_i``, output bias 0, so
    ``net(x) = sigmoid(outer(x, hidden_weights) + hidden_biases) @ output_weights + output_bias``.

    With ``output_activation="sigmoid"`` (the book's sigmoid output neuron) the bumps fit
    ``sigma^-1(f)`` instead, so that ``sigma(weighted sum)`` ~ f (f must lie in (0, 1)).
    ``activation`` other than sigmoid builds the same construction from tanh, ReLU or step units.
    ``strict=False`` clips such an f to [0.001, 0.999] instead of raising (see ``fit_heights``).
    """
    heights = fit_heights(f, n_bumps, steepness, interval, method=method, output_activation=output_activation,
                          strict=strict)
    return network_from_heights(heights, steepness, interval, activation, output_activation)


def fit_heights(f: Callable, n_bumps: int, steepness: float, interval=(0.0, 1.0), *, method: str = "mean",
                output_activation: str = "linear", strict: bool = True) -> np.ndarray:
    """The N bump heights ``approximate_1d`` uses (for f, or for ``sigma^-1(f)`` with a sigmoid output).

    With a sigmoid output and ``strict=False``, f is first clipped to [0.001, 0.999] instead of
    raising when it leaves (0, 1).
    """
    lo, hi = _check_interval(interval)
    n = _check_bumps(n_bumps)
    if not (np.isfinite(steepness) and steepness > 0):
        raise ValueError(f"steepness must be a positive number, got {steepness!r}")
    activation_function(output_activation, OUTPUT_ACTIVATIONS)

    def inverse_target(x):
        y = _evaluate_target(f, x)
        if strict and np.any((y <= 0) | (y >= 1)):
            raise ValueError("with a sigmoid output neuron the target must lie strictly between 0 and 1")
        return inverse_sigmoid(np.clip(y, 1e-3, 1 - 1e-3))

    target = inverse_target if output_activation == "sigmoid" else f
    return bump_heights(target, bump_edges(n, (lo, hi)), method, steepness)


def network_from_heights(heights, steepness: float, interval=(0.0, 1.0), activation: str = "sigmoid",
                         output_activation: str = "linear") -> OneHiddenLayer:
    """N equal bumps on the interval with the given heights (the outer steps padded, as in ``approximate_1d``)."""
    heights = np.atleast_1d(np.asarray(heights, dtype=float))
    edges = bump_edges(heights.size, interval)
    return bumps_network(padded_edges(edges, steepness), heights, steepness, activation, output_activation)


def padded_edges(edges, steepness: float) -> np.ndarray:
    """The edges with the outer two moved out by ``10 / steepness`` (at most half a bump).

    A step exactly at the interval's end is only half way up there (``sigma(0) = 1/2``); moving
    the first up-step and the last down-step out a little keeps the ends at full height.
    """
    edges = np.array(edges, dtype=float)
    pad = min(10.0 / float(steepness), 0.5 * float(np.min(np.diff(edges))))
    edges[0] -= pad
    edges[-1] += pad
    return edges


def network_heights(net: OneHiddenLayer) -> np.ndarray:
    """The bump heights of a network built by ``bumps_network`` (sigmoid / step / tanh / relu)."""
    per_bump = units_per_bump(net.activation)
    v = net.output_weights.reshape(-1, per_bump)
    return v[:, 0] * (2.0 if net.activation == "tanh" else 1.0)


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------

def approximation_error(net: Callable, f: Callable, interval=(0.0, 1.0), n_points: int = 2001):
    """``(mean |net(x) - f(x)|, max |net(x) - f(x)|)`` on n_points equally spaced x in the interval."""
    lo, hi = _check_interval(interval)
    x = np.linspace(lo, hi, n_points)
    return abs_errors(net(x), _evaluate_target(f, x))


def abs_errors(approx, target) -> tuple[float, float]:
    """``(mean |approx - target|, max |approx - target|)`` of two sampled curves."""
    err = np.abs(np.asarray(approx, dtype=float) - np.asarray(target, dtype=float))
    return float(err.mean()), float(err.max())


def error_curve(f: Callable, bump_counts, steepness: float, interval=(0.0, 1.0), **kwargs):
    """Mean absolute error of ``approximate_1d`` for each N in bump_counts (for the error-vs-N plot)."""
    return np.array([approximation_error(approximate_1d(f, n, steepness, interval, **kwargs), f, interval)[0]
                     for n in bump_counts])


def average_deviation(net: OneHiddenLayer, f: Callable, interval=(0.0, 1.0), n_points: int = 1001) -> float:
    """The book's "average deviation" for a sigmoid output neuron.

    Mean of ``|weighted sum - sigma^-1(f)|`` over the interval: how far the hidden layer's weighted
    output is from the function it must draw so that the sigmoid output gives f.
    """
    lo, hi = _check_interval(interval)
    x = np.linspace(lo, hi, n_points)
    return float(np.mean(np.abs(net.weighted_sum_sorted(x) - inverse_sigmoid(_evaluate_target(f, x)))))


def challenge_passed(deviation: float) -> bool:
    """The book's challenge: average deviation below 0.40 (with 5 bumps)."""
    return bool(deviation < CHALLENGE_DEVIATION)
