"""The descent panel's model: a core surface, the learning rate, the ball's full-batch path and,
on the data surface, an SGD path beside it. Every number comes from ``explorer.core.descent``;
this file only keeps the state and says when it changed.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from explorer.core.descent import (
    Diagnosis,
    MinibatchStats,
    StepPrediction,
    Surface,
    angle_versus_batch_size,
    diagnose,
    first_order_curve,
    good_learning_rate,
    gradient_descent,
    make_surface,
    minibatch_statistics,
    predict_step,
    stochastic_gradient_descent,
)

SURFACE_NAMES = ("bowl", "rosenbrock", "saddle", "data")
DEFAULT_ETA = {"bowl": 0.05, "rosenbrock": 0.005, "saddle": 0.05, "data": 20.0}
MAX_STEPS = 20_000  # per path; Run pauses there
STATS_TRIALS = 400


class Path:
    """A growing (k, 2) array of points (amortised O(1) append, ``array`` is a view)."""

    def __init__(self, start) -> None:
        self._buf = np.empty((256, 2))
        self._buf[0] = start
        self._n = 1

    def extend(self, points: np.ndarray) -> None:
        need = self._n + len(points)
        if need > len(self._buf):
            bigger = np.empty((max(need, 2 * len(self._buf)), 2))
            bigger[: self._n] = self._buf[: self._n]
            self._buf = bigger
        self._buf[self._n : need] = points
        self._n = need

    @property
    def array(self) -> np.ndarray:
        return self._buf[: self._n]

    @property
    def current(self) -> np.ndarray:
        return self._buf[self._n - 1].copy()

    def __len__(self) -> int:
        return self._n


class DescentState(QObject):
    surface_changed = pyqtSignal()  # a new surface (or new conditioning): redraw the contours
    moved = pyqtSignal()  # the paths changed (step, place, reset)
    learning_rate_changed = pyqtSignal(float)
    batch_size_changed = pyqtSignal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conditioning = 10.0
        self.surface: Surface = make_surface("bowl", a=1.0, b=self.conditioning)
        self.learning_rate = DEFAULT_ETA["bowl"]
        self.start = np.array(self.surface.default_start, dtype=float)
        self.sgd_enabled = True
        self.batch_size = 4
        self.seed = 0
        self._reset_paths()

    # -- setters ------------------------------------------------------------------------
    def set_surface(self, name: str) -> None:
        if name not in SURFACE_NAMES:
            raise ValueError(f"unknown surface {name!r}; choose one of {', '.join(SURFACE_NAMES)}")
        params = {"a": 1.0, "b": self.conditioning} if name == "bowl" else {}
        self.surface = make_surface(name, **params)
        self.start = np.array(self.surface.default_start, dtype=float)
        if self.has_examples:
            self.batch_size = min(self.batch_size, self.n_examples)
        self._reset_paths()
        self.surface_changed.emit()
        self.set_learning_rate(DEFAULT_ETA[name])
        self.moved.emit()

    def set_conditioning(self, b: float) -> None:
        """The bowl's b in C = v1^2 + b v2^2 (condition number b for b >= 1)."""
        self.conditioning = float(b)
        if self.surface.name == "bowl":
            self.surface = make_surface("bowl", a=1.0, b=self.conditioning)
            self._reset_paths()
            self.surface_changed.emit()
            self.moved.emit()

    def set_learning_rate(self, eta: float) -> None:
        eta = float(eta)
        if eta != self.learning_rate:
            self.learning_rate = eta
            self.learning_rate_changed.emit(eta)
            self.moved.emit()  # the prediction and the hint depend on eta

    def set_batch_size(self, m: int) -> None:
        m = int(m)
        if m != self.batch_size:
            self.batch_size = m
            self.batch_size_changed.emit(m)
            self.moved.emit()

    def set_sgd_enabled(self, on: bool) -> None:
        self.sgd_enabled = bool(on)
        self._reset_paths()
        self.moved.emit()

    def place(self, v1: float, v2: float) -> None:
        """Put the ball at (v1, v2) and start both paths there."""
        v = np.array([v1, v2], dtype=float)
        if not np.all(np.isfinite(v)):
            raise ValueError(f"the ball needs a finite position, got ({v1}, {v2})")
        self.start = v
        self._reset_paths()
        self.moved.emit()

    def reset(self) -> None:
        self._reset_paths()
        self.moved.emit()

    def step(self, k: int = 1) -> None:
        """k steps v -> v - eta grad C (and, on the data surface, k SGD steps with m examples)."""
        k = min(int(k), MAX_STEPS - self.steps_taken)
        if k <= 0 or self.stopped:
            return
        seg = gradient_descent(self.surface.gradient, self.path.current, self.learning_rate, k)
        self.path.extend(seg[1:])
        self.stopped = len(seg) < k + 1
        if self.sgd_active and not self.sgd_stopped:
            seg = stochastic_gradient_descent(
                self.surface.example_gradients, self.n_examples, self.sgd_path.current,
                self.learning_rate, k, self.batch_size, seed=self._rng,
            )
            self.sgd_path.extend(seg[1:])
            self.sgd_stopped = len(seg) < k + 1
        self.moved.emit()

    # -- derived (all from the core) ----------------------------------------------------
    @property
    def current(self) -> np.ndarray:
        return self.path.current

    @property
    def steps_taken(self) -> int:
        return len(self.path) - 1

    @property
    def at_limit(self) -> bool:
        return self.steps_taken >= MAX_STEPS

    @property
    def has_examples(self) -> bool:
        return hasattr(self.surface, "example_gradients")

    @property
    def n_examples(self) -> int:
        return int(getattr(self.surface, "n_examples", 0))

    @property
    def sgd_active(self) -> bool:
        return self.sgd_enabled and self.has_examples

    def cost(self, v) -> float:
        return float(self.surface.cost(*v))

    def prediction(self) -> StepPrediction:
        """Delta v, the predicted Delta C ~ grad C . Delta v and the actual Delta C of the next step."""
        return predict_step(self.surface, self.current, self.learning_rate)

    def diagnosis(self) -> Diagnosis:
        return diagnose(self.surface, self.path.array, self.learning_rate, stopped=self.stopped)

    def good_eta(self) -> tuple[float, float] | None:
        return good_learning_rate(self.surface)

    def minibatch_stats(self) -> MinibatchStats | None:
        """Mini-batch gradient against the full one at the ball, for the current m."""
        if not self.has_examples:
            return None
        return minibatch_statistics(
            self.surface.example_gradients, self.n_examples, self.current, self.batch_size, STATS_TRIALS, seed=1
        )

    def angle_curve(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(m = 1..n, mean angle in degrees) at the ball."""
        if not self.has_examples:
            return None
        ms = np.arange(1, self.n_examples + 1)
        return ms, angle_versus_batch_size(
            self.surface.example_gradients, self.n_examples, self.current, ms, STATS_TRIALS, seed=1
        )

    def first_order(self, eta_max: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(etas in [0, eta_max], predicted Delta C, actual Delta C) at the ball."""
        etas = np.linspace(0.0, eta_max, 120)
        return (etas, *first_order_curve(self.surface, self.current, etas))

    def fit_curves(self):
        """Data cost only: (x, y, grid, sigma(w grid + b) at the ball, same at the SGD ball or None)."""
        if not self.has_examples:
            return None
        surf = self.surface
        grid = np.linspace(surf.x.min() - 0.5, surf.x.max() + 0.5, 200)
        sgd = surf.predict(self.sgd_path.current, grid) if self.sgd_active else None
        return surf.x, surf.y, grid, surf.predict(self.current, grid), sgd

    def cost_gaps(self, points: np.ndarray) -> np.ndarray:
        """C - C_min along a path (for the cost-against-step plot)."""
        return self.surface.cost(points[:, 0], points[:, 1]) - self.surface.min_cost

    def _reset_paths(self) -> None:
        self.path = Path(self.start)
        self.sgd_path = Path(self.start)
        self.stopped = False
        self.sgd_stopped = False
        self._rng = np.random.default_rng(self.seed)
