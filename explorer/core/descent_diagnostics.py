"""Diagnostics around a gradient-descent run on a 2-D cost surface C(v1, v2).

Lecture, slides "Gradient Descent" and "Stochastic gradient descent":

* first-order change   Delta C ~ dC/dv1 Delta v1 + dC/dv2 Delta v2 = grad C . Delta v;
  with Delta v = -eta grad C that is Delta C ~ -eta |grad C|^2   (:func:`predict_step`)
* SGD                  (1/m) sum_{j=1..m} grad C_{X_j}  ~  (1/n) sum_x grad C_x = grad C
  (:func:`minibatch_statistics`: how far a mini-batch gradient is from the full one)
* learning rate        on a quadratic with top curvature L descent converges for eta < 2/L
  (:func:`good_learning_rate`; :func:`diagnose` says converging, crawling, oscillating, diverging)

Re-exported by :mod:`explorer.core.descent`. Pure NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.descent_args import check_batch, check_rate_steps, check_start
from explorer.core.surfaces import Surface

ExampleGradientsFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

KINDS = ("converging", "crawling", "oscillating", "diverging", "undecided")
RESOLUTION = 1e3 * np.finfo(float).eps  # a change of C below this fraction of C is rounding noise


# --------------------------------------------------------------------------------------
# the first-order prediction Delta C ~ grad C . Delta v


@dataclass(frozen=True)
class StepPrediction:
    """One step v -> v + Delta v with Delta v = -eta grad C, predicted and actual change of C."""

    point: np.ndarray
    gradient: np.ndarray
    delta_v: np.ndarray
    predicted: float  # grad C . Delta v  (= -eta |grad C|^2)
    actual: float  # C(v + Delta v) - C(v)
    cost: float = float("nan")  # C(v), the cost before the step

    @property
    def below_resolution(self) -> bool:
        """True when the predicted change is too small to show in C at all: |grad C . Delta v| under
        about 1000 rounding units of C(v) (e.g. at the minimum), so the actual Delta C is rounding
        noise and the formula cannot be checked."""
        if not (np.isfinite(self.cost) and np.isfinite(self.predicted)):
            return False
        return self.predicted != 0.0 and abs(self.predicted) < RESOLUTION * abs(self.cost)

    @property
    def relative_error(self) -> float:
        """|actual - predicted| / |predicted| (inf when the prediction is 0 but C changed)."""
        diff = abs(self.actual - self.predicted)
        if self.predicted == 0.0:
            return 0.0 if diff == 0.0 else float("inf")
        return diff / abs(self.predicted)

    @property
    def cost_went_up(self) -> bool:
        """The first-order formula always predicts a decrease; True when C actually rose."""
        return self.actual > 0.0


def predict_step(surface: Surface, point, learning_rate: float) -> StepPrediction:
    """Delta v = -eta grad C and the slide's Delta C ~ grad C . Delta v beside the true Delta C."""
    v = check_start(point)
    eta, _ = check_rate_steps(learning_rate, 0)
    with np.errstate(all="ignore"):
        g = np.asarray(surface.gradient(v), dtype=float)
        dv = -eta * g
        predicted = float(g @ dv)
        before = float(surface.cost(*v))
        actual = float(surface.cost(*(v + dv)) - before)
    return StepPrediction(v, g, dv, predicted, actual, before)


def first_order_curve(surface: Surface, point, learning_rates) -> tuple[np.ndarray, np.ndarray]:
    """For each eta: the predicted grad C . Delta v = -eta |grad C|^2 and the actual
    C(v - eta grad C) - C(v), at ``point`` (where the straight-line formula stops holding)."""
    v = check_start(point)
    etas = np.asarray(learning_rates, dtype=float).reshape(-1)
    with np.errstate(all="ignore"):
        g = np.asarray(surface.gradient(v), dtype=float)
        predicted = -etas * float(g @ g)
        moved = v[None, :] - etas[:, None] * g[None, :]
        actual = surface.cost(moved[:, 0], moved[:, 1]) - surface.cost(*v)
    return predicted, np.asarray(actual, dtype=float)


# --------------------------------------------------------------------------------------
# mini-batch gradient versus the full gradient


def gradient_discrepancy(batch_gradient, full_gradient) -> tuple[float, float]:
    """Angle in degrees between the two gradients, and the relative length difference.

    The length difference is ``(|g_batch| - |g_full|) / |g_full|``. Both are NaN when the
    full gradient is zero (at a stationary point the angle is undefined).
    """
    gb = np.asarray(batch_gradient, dtype=float).reshape(2)
    gf = np.asarray(full_gradient, dtype=float).reshape(2)
    nf, nb = float(np.linalg.norm(gf)), float(np.linalg.norm(gb))
    if nf == 0.0 or not np.isfinite(nf):
        return float("nan"), float("nan")
    if nb == 0.0:
        return 90.0, -1.0
    cross = abs(gb[0] * gf[1] - gb[1] * gf[0])  # atan2(|a x b|, a . b): accurate near 0 and 180
    return float(np.degrees(np.arctan2(cross, gb @ gf))), (nb - nf) / nf


@dataclass(frozen=True)
class MinibatchStats:
    batch_size: int
    mean_angle: float  # degrees, mean over the trials
    mean_abs_length_difference: float  # mean |(|g_batch| - |g_full|)| / |g_full|
    mean_gradient: np.ndarray  # the average of the trial mini-batch gradients


def minibatch_statistics(
    example_gradients: ExampleGradientsFn,
    n_examples: int,
    point,
    batch_size: int,
    trials: int = 200,
    seed: int | np.random.Generator | None = 0,
) -> MinibatchStats:
    """How close (1/m) sum_j grad C_{X_j} is to grad C = (1/n) sum_x grad C_x at ``point``."""
    v = check_start(point)
    n, m = check_batch(n_examples, batch_size)
    if int(trials) < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    all_grads = np.asarray(example_gradients(v, np.arange(n)), dtype=float).reshape(n, 2)
    full = all_grads.mean(axis=0)
    # every trial draws m distinct examples: the first m of a random permutation of 0..n-1
    idx = np.argsort(rng.random((int(trials), n)), axis=1)[:, :m]
    batch = all_grads[idx].mean(axis=1)  # (trials, 2) mini-batch gradients
    nf = float(np.linalg.norm(full))
    if nf == 0.0 or not np.isfinite(nf):
        return MinibatchStats(m, float("nan"), float("nan"), batch.mean(axis=0))
    nb = np.linalg.norm(batch, axis=1)
    cross = np.abs(batch[:, 0] * full[1] - batch[:, 1] * full[0])
    angles = np.degrees(np.arctan2(cross, batch @ full))  # as in gradient_discrepancy, vectorised
    lengths = np.abs(nb - nf) / nf
    return MinibatchStats(m, float(angles.mean()), float(lengths.mean()), batch.mean(axis=0))


def angle_versus_batch_size(
    example_gradients: ExampleGradientsFn,
    n_examples: int,
    point,
    batch_sizes,
    trials: int = 200,
    seed: int = 0,
) -> np.ndarray:
    """Mean angle (degrees) between mini-batch and full gradient for each m in ``batch_sizes``."""
    return np.array(
        [
            minibatch_statistics(example_gradients, n_examples, point, m, trials, seed).mean_angle
            for m in batch_sizes
        ]
    )


# --------------------------------------------------------------------------------------
# learning-rate advice


def good_learning_rate(surface: Surface, point=None) -> tuple[float, float] | None:
    """(1/L, 2/L) from the curvature L (largest Hessian eigenvalue), or None when unknown.

    On a quadratic C with top curvature L, gradient descent converges for eta < 2/L and
    diverges above it; eta = 1/L is the safe classic choice. L is the surface's global
    constant when it has one, else the curvature at ``point`` (default: at the minimum).
    """
    L = surface.curvature(point)
    if L is None or not np.isfinite(L) or L <= 0:
        return None
    return 1.0 / L, 2.0 / L


@dataclass(frozen=True)
class Diagnosis:
    kind: str  # one of KINDS
    message: str  # a sentence for the learner


def diagnose(surface: Surface, path: np.ndarray, learning_rate: float, stopped: bool = False, window: int = 12) -> Diagnosis:
    """Say in words how the run goes: converging, crawling, oscillating or diverging.

    Rules, on the last ``window`` steps of ``path``:
    * diverging: the run stopped on non-finite values (``stopped``), or both the highest and the
      lowest C of the window's second half exceed those of its first half, or the step lengths
      keep growing while C does not fall;
    * oscillating: most consecutive steps point against each other (zig-zag across a valley),
      whether C still falls or the ball bounces in a cycle;
    * crawling: C falls by less than 1% of the gap C - C_min per step, or eta is under a tenth
      of 1/L where the curvature L is known, and the minimum is not reached;
    * converging otherwise (including "reached the minimum").
    The curvature hint (eta against 1/L, 2/L) is appended where the curvature is known.
    """
    eta = float(learning_rate)
    hint = _eta_hint(surface, eta)
    path = np.asarray(path, dtype=float)
    if stopped:
        return Diagnosis("diverging", "Diverging: the values overflowed, eta is far too large." + hint)
    if len(path) < 4:
        return Diagnosis("undecided", "Take a few steps to see how this learning rate behaves." + hint)
    tail = path[-(window + 1):]
    with np.errstate(all="ignore"):
        costs = np.array([surface.cost(*p) for p in tail], dtype=float)
        steps = np.diff(tail, axis=0)
        lengths = np.linalg.norm(steps, axis=1)
        c_min = surface.min_cost
        gap0 = costs[0] - c_min
        gap = costs[-1] - c_min
        scale = max(1.0, abs(c_min))
    if not np.all(np.isfinite(costs)):
        return Diagnosis("diverging", "Diverging: the cost is no longer a finite number; lower eta." + hint)
    if gap > 1e-10 * scale and lengths[-1] <= 1e-12 and surface.is_saddle(tail[-1]):
        return Diagnosis(
            "converging",
            "Stuck at a saddle point: grad C = 0 here but it is not a minimum; start a little off the ridge." + hint,
        )
    if gap <= 1e-10 * scale or lengths[-1] <= 1e-10:
        return Diagnosis("converging", "Converged: the ball has reached a point where grad C is 0." + hint)
    half = len(costs) // 2
    early, late = costs[:half], costs[-half:]

    def above(x, y):
        return x > y * (1 + 1e-9) + 1e-12

    # both the highs and the lows of C rise: a cycle (same highs and lows) is not divergence
    rising = above(late.max(), early.max()) and above(late.min(), early.min())
    growing_steps = len(lengths) >= 4 and np.all(np.diff(lengths[-4:]) > 0) and lengths[-1] > 2 * lengths[-4]
    if rising or (growing_steps and costs[-1] >= costs[-4]):
        return Diagnosis("diverging", "Diverging: each step overshoots further and C grows; eta is too large." + hint)
    dots = np.einsum("ij,ij->i", steps[1:], steps[:-1])
    flips = float(np.mean(dots < 0)) if len(dots) else 0.0
    if flips > 0.5:
        if late.max() < early.max() * (1 - 1e-3):
            return Diagnosis(
                "oscillating",
                "Oscillating: the steps zig-zag across the valley; C still falls, a smaller eta goes straighter." + hint,
            )
        return Diagnosis(
            "oscillating",
            "Oscillating: the ball bounces between the valley walls without getting closer; lower eta." + hint,
        )
    per_step = (gap0 - gap) / max(len(steps), 1)
    good = good_learning_rate(surface)
    tiny_eta = good is not None and eta < 0.1 * good[0]
    if gap0 > 0 and (per_step < 0.01 * gap or tiny_eta):
        if good is not None and eta >= good[0]:  # eta is not small: the ground is flat here
            why = "Crawling: C falls by under 1% per step on flat ground (small grad C, e.g. a saturated sigmoid)."
        else:
            why = "Crawling: C falls by under 1% per step; a larger eta would go faster."
        return Diagnosis("crawling", why + hint)
    return Diagnosis("converging", "Converging: C falls steadily towards the minimum." + hint)


def _eta_hint(surface: Surface, eta: float) -> str:
    good = good_learning_rate(surface)
    if good is None:
        return ""
    one, two = good
    where = "" if surface.lipschitz is not None else " (curvature at the minimum)"
    if eta > two:
        return f" eta = {eta:.4g} is above 2/L = {two:.4g}{where}: too large here; try 1/L = {one:.4g}."
    if eta < 0.1 * one:
        return f" eta = {eta:.4g} is under a tenth of 1/L = {one:.4g}{where}: expect a crawl."
    return f" Good eta here: about 1/L = {one:.4g}, below 2/L = {two:.4g}{where}."
