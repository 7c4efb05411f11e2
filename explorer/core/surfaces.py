"""Cost surfaces C(v1, v2) for the gradient-descent panel: value, gradient, Hessian.

* :class:`QuadraticBowl`      C = a v1^2 + b v2^2 (conditioning b/a adjustable; L = 2 max(a, b))
* :class:`Rosenbrock`         C = (a - v1)^2 + b (v2 - v1^2)^2, a narrow curved valley
* :class:`Saddle`             C = v1^2 + (v2^2 - 1)^2, a saddle point at 0 between two valleys
* :class:`SigmoidNeuronCost`  the lecture's data cost C(w, b) = (1/n) sum_x C_x with
  C_x = (y(x) - sigma(w x + b))^2 / 2 for one sigmoid neuron on a small 1-D data set
  (slide "Cost function from the network": grad C = (1/n) sum_x grad C_x).

``cost(v1, v2)`` broadcasts over arrays (for contour grids); ``gradient(v)`` and ``hessian(v)``
take one point ``v = (v1, v2)``. Pure NumPy.
"""

from __future__ import annotations

import functools

import numpy as np

from explorer.core.sigmoid import sigmoid as _sigmoid  # the lecture's sigma(z) = 1 / (1 + e^-z), stable


def _quiet(method):
    """Evaluate without overflow warnings: a diverging run gives inf / nan, which callers check."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            return method(*args, **kwargs)

    return wrapper


class Surface:
    """A cost C(v1, v2) with its gradient and, where known, its Hessian and curvature."""

    name = ""
    title = ""
    formula = ""
    axis_labels = ("v1", "v2")
    box = (-2.0, 2.0, -2.0, 2.0)  # (v1 min, v1 max, v2 min, v2 max): the view
    default_start = (-1.5, 1.5)

    def __init__(self) -> None:
        self.minima: list[np.ndarray] = []
        self.min_cost: float = 0.0
        self.lipschitz: float | None = None  # a global bound L on the curvature, when one exists

    def cost(self, v1, v2):
        raise NotImplementedError

    def gradient(self, v) -> np.ndarray:
        raise NotImplementedError

    def hessian(self, v) -> np.ndarray | None:
        return None

    def curvature(self, point=None) -> float | None:
        """L: the global constant if known, else the largest Hessian eigenvalue at ``point``
        (default: at the first minimum); None when no Hessian is known."""
        if self.lipschitz is not None and point is None:
            return self.lipschitz
        if point is None:
            if not self.minima:
                return None
            point = self.minima[0]
        h = self.hessian(np.asarray(point, dtype=float))
        if h is None or not np.all(np.isfinite(h)):
            return None
        return float(np.linalg.eigvalsh(h).max())

    def is_saddle(self, v) -> bool:
        """True when the Hessian at v has a negative eigenvalue (not a minimum)."""
        h = self.hessian(np.asarray(v, dtype=float))
        if h is None or not np.all(np.isfinite(h)):
            return False
        return float(np.linalg.eigvalsh(h).min()) < -1e-12

    def cost_grid(self, n: int = 160, margin: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """xs (n,), ys (n,) spanning ``box`` (widened by ``margin`` times its size on every side)
        and Z with Z[i, j] = C(xs[i], ys[j])."""
        x0, x1, y0, y1 = self.box
        dx, dy = margin * (x1 - x0), margin * (y1 - y0)
        x0, x1, y0, y1 = x0 - dx, x1 + dx, y0 - dy, y1 + dy
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        with np.errstate(all="ignore"):
            z = self.cost(xs[:, None], ys[None, :])
        return xs, ys, np.asarray(z, dtype=float)


class QuadraticBowl(Surface):
    """C = a v1^2 + b v2^2; grad C = (2 a v1, 2 b v2); Hessian diag(2a, 2b); L = 2 max(a, b)."""

    name = "bowl"
    title = "Quadratic bowl"
    box = (-3.0, 3.0, -3.0, 3.0)
    default_start = (-2.5, 2.0)

    def __init__(self, a: float = 1.0, b: float = 10.0) -> None:
        super().__init__()
        a, b = float(a), float(b)
        if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
            raise ValueError(f"the bowl needs positive finite a and b, got a = {a}, b = {b}")
        self.a, self.b = a, b
        self.minima = [np.zeros(2)]
        self.min_cost = 0.0
        self.lipschitz = 2.0 * max(a, b)
        self.formula = f"C = {a:g} v1² + {b:g} v2²"

    @property
    def condition_number(self) -> float:
        return max(self.a, self.b) / min(self.a, self.b)

    @_quiet
    def cost(self, v1, v2):
        return self.a * np.square(v1) + self.b * np.square(v2)

    @_quiet
    def gradient(self, v) -> np.ndarray:
        return np.array([2.0 * self.a * v[0], 2.0 * self.b * v[1]])

    @_quiet
    def hessian(self, v) -> np.ndarray:
        return np.diag([2.0 * self.a, 2.0 * self.b])


class Rosenbrock(Surface):
    """C = (a - v1)^2 + b (v2 - v1^2)^2, minimum C = 0 at (a, a^2) at the end of a curved valley."""

    name = "rosenbrock"
    title = "Rosenbrock valley"
    box = (-2.0, 2.0, -1.0, 3.0)
    default_start = (-1.5, 2.5)

    def __init__(self, a: float = 1.0, b: float = 10.0) -> None:
        super().__init__()
        self.a, self.b = float(a), float(b)
        if not self.b > 0:
            raise ValueError(f"Rosenbrock needs b > 0, got {b}")
        self.minima = [np.array([self.a, self.a**2])]
        self.min_cost = 0.0
        self.formula = f"C = ({self.a:g} - v1)² + {self.b:g} (v2 - v1²)²"

    @_quiet
    def cost(self, v1, v2):
        return np.square(self.a - v1) + self.b * np.square(v2 - np.square(v1))

    @_quiet
    def gradient(self, v) -> np.ndarray:
        v1, v2 = float(v[0]), float(v[1])
        r = v2 - v1 * v1
        return np.array([-2.0 * (self.a - v1) - 4.0 * self.b * v1 * r, 2.0 * self.b * r])

    @_quiet
    def hessian(self, v) -> np.ndarray:
        v1, v2 = float(v[0]), float(v[1])
        h11 = 2.0 - 4.0 * self.b * v2 + 12.0 * self.b * v1 * v1
        h12 = -4.0 * self.b * v1
        return np.array([[h11, h12], [h12, 2.0 * self.b]])


class Saddle(Surface):
    """C = v1^2 + (v2^2 - 1)^2: a saddle point at (0, 0) (C = 1) between minima (0, +-1) (C = 0)."""

    name = "saddle"
    title = "Saddle point"
    formula = "C = v1² + (v2² - 1)²"
    box = (-2.0, 2.0, -2.0, 2.0)
    default_start = (-1.8, 0.05)

    def __init__(self) -> None:
        super().__init__()
        self.minima = [np.array([0.0, 1.0]), np.array([0.0, -1.0])]
        self.saddle_point = np.zeros(2)
        self.min_cost = 0.0

    @_quiet
    def cost(self, v1, v2):
        return np.square(v1) + np.square(np.square(v2) - 1.0)

    @_quiet
    def gradient(self, v) -> np.ndarray:
        v1, v2 = float(v[0]), float(v[1])
        return np.array([2.0 * v1, 4.0 * v2 * (v2 * v2 - 1.0)])

    @_quiet
    def hessian(self, v) -> np.ndarray:
        return np.diag([2.0, 12.0 * float(v[1]) ** 2 - 4.0])


def sample_data(n: int = 24, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A small 1-D data set: x in [-3, 3], y = sigma(2x - 1) plus noise, clipped to [0, 1]."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3.0, 3.0, n))
    y = np.clip(_sigmoid(2.0 * x - 1.0) + 0.2 * rng.standard_normal(n), 0.0, 1.0)
    return x, y


class SigmoidNeuronCost(Surface):
    """C(w, b) = (1/n) sum_x C_x,  C_x = (y(x) - a)^2 / 2,  a = sigma(w x + b).

    Per example: dC_x/dw = (a - y) sigma'(z) x, dC_x/db = (a - y) sigma'(z), with
    sigma'(z) = a (1 - a); grad C is their mean (slide "Cost function from the network").
    """

    name = "data"
    title = "Data cost: one sigmoid neuron"
    axis_labels = ("w", "b")
    box = (-3.0, 7.0, -6.0, 4.0)
    default_start = (-2.0, 3.0)

    def __init__(self, x=None, y=None, n: int = 24, seed: int = 0) -> None:
        super().__init__()
        if x is None or y is None:
            x, y = sample_data(n, seed)
        self.x = np.asarray(x, dtype=float).reshape(-1)
        self.y = np.asarray(y, dtype=float).reshape(-1)
        if self.x.shape != self.y.shape or self.x.size == 0:
            raise ValueError(f"x and y must be equal-length, non-empty 1-D arrays, got {self.x.shape} and {self.y.shape}")
        if not (np.all(np.isfinite(self.x)) and np.all(np.isfinite(self.y))):
            raise ValueError("x and y must be finite")
        self.formula = "C(w, b) = (1/n) Σₓ (y(x) − σ(w x + b))² / 2"
        self.minima = [self._find_minimum()]
        self.min_cost = float(self.cost(*self.minima[0]))

    @property
    def n_examples(self) -> int:
        return self.x.size

    def predict(self, v, x=None) -> np.ndarray:
        """The neuron's output sigma(w x + b) for parameters v = (w, b)."""
        x = self.x if x is None else np.asarray(x, dtype=float)
        return _sigmoid(v[0] * x + v[1])

    def example_costs(self, v) -> np.ndarray:
        return 0.5 * np.square(self.y - self.predict(v))

    @_quiet
    def cost(self, w, b):
        w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
        a = _sigmoid(w[..., None] * self.x + b[..., None])
        return 0.5 * np.mean(np.square(self.y - a), axis=-1)

    def example_gradients(self, v, indices=None) -> np.ndarray:
        """grad C_x for the examples ``indices`` (all when None): shape (k, 2), columns (dw, db)."""
        idx = np.arange(self.n_examples) if indices is None else np.asarray(indices, dtype=int)
        x, y = self.x[idx], self.y[idx]
        a = _sigmoid(v[0] * x + v[1])
        delta = (a - y) * a * (1.0 - a)
        return np.column_stack([delta * x, delta])

    @_quiet
    def gradient(self, v) -> np.ndarray:
        return self.example_gradients(v).mean(axis=0)

    @_quiet
    def hessian(self, v) -> np.ndarray:
        a = self.predict(v)
        s1 = a * (1.0 - a)
        h = s1 * s1 + (a - self.y) * s1 * (1.0 - 2.0 * a)  # d^2 C_x / dz^2
        x = self.x
        return np.array([[np.mean(h * x * x), np.mean(h * x)], [np.mean(h * x), np.mean(h)]])

    def _find_minimum(self) -> np.ndarray:
        """Best grid point over ``box``, then damped Newton steps (gradient steps where not convex)."""
        xs, ys, z = self.cost_grid(81)
        i, j = np.unravel_index(np.nanargmin(z), z.shape)
        v = np.array([xs[i], ys[j]])
        for _ in range(100):
            g = self.gradient(v)
            if np.linalg.norm(g) < 1e-13:
                break
            h = self.hessian(v)
            step = np.linalg.solve(h, g) if np.linalg.eigvalsh(h).min() > 1e-10 else g / max(self.curvature(v) or 1.0, 1e-3)
            t, c0 = 1.0, self.cost(*v)
            while t > 1e-8 and self.cost(*(v - t * step)) > c0:
                t *= 0.5
            v = v - t * step
        return v


SURFACES = {cls.name: cls for cls in (QuadraticBowl, Rosenbrock, Saddle, SigmoidNeuronCost)}


def make_surface(name: str, **params) -> Surface:
    """A surface by name: 'bowl', 'rosenbrock', 'saddle' or 'data'."""
    try:
        cls = SURFACES[name]
    except KeyError:
        raise ValueError(f"unknown surface {name!r}; choose one of {', '.join(SURFACES)}") from None
    return cls(**params)
