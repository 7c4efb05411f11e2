"""Small two-class data sets in the plane for training a ReLU network (pure NumPy).

Each generator returns ``(X, y)``: ``X`` float64 of shape ``(n, 2)`` inside about ``[-1, 1]^2``,
``y`` int64 labels 0 or 1. They are deterministic for a given ``seed``.

- ``circles``: an inner disc (class 1) inside a ring (class 0).
- ``xor_quadrants``: class 1 where ``x1 * x2 > 0`` (the XOR of the two signs).
- ``two_spirals``: two interleaved spirals, one per class (the hard one).

``ToyDataSet`` holds the points the panel shows and lets a click add one (``add_point``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DATASETS", "circles", "xor_quadrants", "two_spirals", "make_dataset", "ToyDataSet"]


def _check(n: int, noise: float) -> int:
    n = int(n)
    if n < 2:
        raise ValueError(f"a data set needs at least 2 points, got n={n}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    return n


def circles(n: int = 200, noise: float = 0.05, seed: int = 0):
    """Disc of radius 0.4 (class 1) inside a ring of radius 0.8 (class 0), Gaussian noise added."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    radius = np.where(y == 1, 0.4 * np.sqrt(rng.uniform(0, 1, n)), 0.8)
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X += noise * rng.standard_normal(X.shape)
    return X, y.astype(np.int64)


def xor_quadrants(n: int = 200, noise: float = 0.05, seed: int = 0):
    """Uniform points in [-0.9, 0.9]^2 kept away from the axes; class 1 iff x1 * x2 > 0."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.1, 0.9, (n, 2)) * rng.choice([-1.0, 1.0], (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    X += noise * rng.standard_normal(X.shape)
    return X, y


def two_spirals(n: int = 200, noise: float = 0.03, turns: float = 1.5, seed: int = 0):
    """Two interleaved spirals r = t, angle = 2 pi turns t (+ pi for class 1), t in (0.05, 0.9]."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.05, 0.9, n)
    angle = 2 * np.pi * turns * t + np.pi * y
    X = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    X += noise * rng.standard_normal(X.shape)
    return X, y.astype(np.int64)


DATASETS = {"circles": circles, "XOR quadrants": xor_quadrants, "two spirals": two_spirals}


def make_dataset(name: str, n: int = 200, seed: int = 0, noise: float | None = None):
    """The data set called ``name`` (a key of ``DATASETS``)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    kwargs = {} if noise is None else {"noise": noise}
    return DATASETS[name](n=n, seed=seed, **kwargs)


class ToyDataSet:
    """A mutable 2-D two-class data set: start from a generator, then add points by clicking."""

    def __init__(self, name: str = "circles", n: int = 200, seed: int = 0):
        self.name = name
        self.X, self.y = make_dataset(name, n=n, seed=seed)

    def __len__(self) -> int:
        return len(self.y)

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """Append the point ``(x1, x2)`` with class ``label`` (0 or 1)."""
        if label not in (0, 1):
            raise ValueError(f"label must be 0 or 1, got {label!r}")
        if not (np.isfinite(x1) and np.isfinite(x2)):
            raise ValueError(f"point coordinates must be finite, got ({x1}, {x2})")
        self.X = np.vstack([self.X, [[float(x1), float(x2)]]])
        self.y = np.append(self.y, np.int64(label))

    def clear(self) -> None:
        self.X = np.zeros((0, 2))
        self.y = np.zeros(0, dtype=np.int64)
