"""Gradient descent on 2-D cost surfaces C(v1, v2), and stochastic gradient descent.

Lecture, slides "Gradient Descent", "Cost function from the network" and
"Stochastic gradient descent":

* the step             Delta v = -eta grad C
* the update rule      v -> v' = v - eta grad C
* the data cost        C = (1/n) sum_x C_x,  so  grad C = (1/n) sum_x grad C_x
* SGD                  (1/m) sum_{j=1..m} grad C_{X_j}  ~  (1/n) sum_x grad C_x = grad C

This module holds the descent itself. The surfaces live in :mod:`explorer.core.surfaces`, the
diagnostics around a run (the first-order prediction Delta C ~ grad C . Delta v, mini-batch
against full gradient, the learning-rate advice) in :mod:`explorer.core.descent_diagnostics`;
both are re-exported here, so ``from explorer.core.descent import ...`` reaches the whole API.
Everything is pure NumPy.

Non-finite values: :func:`gradient_descent` and :func:`stochastic_gradient_descent` never
raise on overflow. When a step would produce a non-finite point (or the gradient at the
current point is not finite) they stop and return the trajectory *truncated* to the points
computed so far, all finite. So ``len(path) == steps + 1`` means every step was taken and
``len(path) < steps + 1`` means the run blew up after ``len(path) - 1`` steps
(:func:`stopped_early` says so in words).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from explorer.core.descent_args import check_batch, check_rate_steps, check_start
from explorer.core.descent_diagnostics import (  # noqa: F401  (re-exported: part of this API)
    KINDS,
    Diagnosis,
    MinibatchStats,
    StepPrediction,
    angle_versus_batch_size,
    diagnose,
    first_order_curve,
    good_learning_rate,
    gradient_discrepancy,
    minibatch_statistics,
    predict_step,
)
from explorer.core.surfaces import (  # noqa: F401  (re-exported: the surfaces belong to this API)
    SURFACES,
    QuadraticBowl,
    Rosenbrock,
    Saddle,
    SigmoidNeuronCost,
    Surface,
    make_surface,
    sample_data,
)

__all__ = [
    "gradient_descent", "stochastic_gradient_descent", "stopped_early",
    # the diagnostics, from explorer.core.descent_diagnostics
    "Diagnosis", "KINDS", "MinibatchStats", "StepPrediction", "angle_versus_batch_size", "diagnose",
    "first_order_curve", "good_learning_rate", "gradient_discrepancy", "minibatch_statistics", "predict_step",
    # the surfaces, from explorer.core.surfaces
    "SURFACES", "QuadraticBowl", "Rosenbrock", "Saddle", "SigmoidNeuronCost", "Surface", "make_surface",
    "sample_data",
]

GradientFn = Callable[[np.ndarray], np.ndarray]
ExampleGradientsFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


# --------------------------------------------------------------------------------------
# gradient descent and SGD


def gradient_descent(grad: GradientFn, start, learning_rate: float, steps: int) -> np.ndarray:
    """Trajectory of the update rule v -> v' = v - eta grad C, start included.

    Returns an array of shape ``(steps + 1, 2)``: row 0 is ``start``, row k the point after k
    steps. If a step would leave the finite numbers (overflow while diverging) the run stops
    and the returned array is truncated to the finite points computed so far (shape
    ``(k + 1, 2)`` with ``k < steps``); no warning, no exception.
    """
    v = check_start(start)
    eta, steps = check_rate_steps(learning_rate, steps)
    return _descend(lambda v: np.asarray(grad(v), dtype=float).reshape(2), v, eta, steps)


def _descend(step_gradient: GradientFn, v: np.ndarray, eta: float, steps: int) -> np.ndarray:
    """The lecture's update rule v -> v' = v - eta g, with g = ``step_gradient(v)`` at each step.

    Shared by full-batch descent (g = grad C) and SGD (g = a mini-batch mean); stops and
    truncates the trajectory when a step leaves the finite numbers.
    """
    path = np.empty((steps + 1, 2))
    path[0] = v
    with np.errstate(all="ignore"):
        for k in range(steps):
            new = v - eta * step_gradient(v)
            if not np.all(np.isfinite(new)):
                return path[: k + 1].copy()
            v = new
            path[k + 1] = v
    return path


def _batch_indices(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    """m distinct examples out of n, sorted (so m == n is exactly all examples in order)."""
    if m == n:
        return np.arange(n)
    return np.sort(rng.permutation(n)[:m])


def stochastic_gradient_descent(
    example_gradients: ExampleGradientsFn,
    n_examples: int,
    start,
    learning_rate: float,
    steps: int,
    batch_size: int,
    seed: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """SGD: each step uses the mean gradient of m random examples, v' = v - eta (1/m) sum_j grad C_{X_j}.

    ``example_gradients(v, indices)`` returns the per-example gradients grad C_x for the
    examples ``indices`` as an array of shape ``(len(indices), 2)``. Each step draws
    ``batch_size`` distinct examples uniformly (without replacement) from the ``n_examples``;
    with ``batch_size == n_examples`` every step uses all examples and the trajectory equals
    full-batch :func:`gradient_descent` on ``mean(example_gradients(v, arange(n)))``.
    ``seed`` is an int (reproducible), ``None`` or a ``numpy.random.Generator`` (its state
    advances, so repeated one-step calls continue one random stream).

    Returns the ``(steps + 1, 2)`` trajectory, truncated on non-finite values exactly like
    :func:`gradient_descent`.
    """
    v = check_start(start)
    eta, steps = check_rate_steps(learning_rate, steps)
    n, m = check_batch(n_examples, batch_size)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def minibatch_gradient(v: np.ndarray) -> np.ndarray:  # (1/m) sum_j grad C_{X_j}, fresh X_j each step
        idx = _batch_indices(rng, n, m)
        return np.asarray(example_gradients(v, idx), dtype=float).reshape(m, 2).mean(axis=0)

    return _descend(minibatch_gradient, v, eta, steps)


def stopped_early(path: np.ndarray, steps: int) -> bool:
    """True when a descent run returned fewer than ``steps + 1`` points (it hit non-finite values)."""
    return len(path) < int(steps) + 1
