"""Argument checks shared by :mod:`explorer.core.descent` and :mod:`explorer.core.descent_diagnostics`:
bad input raises ``ValueError`` with a sentence saying what is wrong. Pure NumPy."""

from __future__ import annotations

import numpy as np


def _number(value, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None


def check_start(start) -> np.ndarray:
    """The point (v1, v2) as a float array of shape (2,); finite."""
    try:
        v = np.array(start, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"start must be a point (v1, v2) of numbers, got {start!r}") from None
    if v.shape != (2,):
        raise ValueError(f"start must be a point (v1, v2), got shape {np.shape(start)}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"start must be finite, got {v.tolist()}")
    return v


def check_rate_steps(learning_rate, steps) -> tuple[float, int]:
    """eta: finite and >= 0; steps: a whole number >= 0."""
    eta = _number(learning_rate, "learning rate eta")
    if not np.isfinite(eta) or eta < 0:
        raise ValueError(f"learning rate eta must be a finite number >= 0, got {learning_rate}")
    k = _number(steps, "steps")
    if not np.isfinite(k) or k != int(k) or k < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps}")
    return eta, int(k)


def check_batch(n_examples, batch_size) -> tuple[int, int]:
    """n >= 1 examples and a mini-batch size 1 <= m <= n, both whole numbers."""
    n, m = _number(n_examples, "the number of examples n"), _number(batch_size, "mini-batch size m")
    if not np.isfinite(n) or n != int(n) or n < 1:
        raise ValueError(f"need at least one training example, got n = {n_examples}")
    n, m_int = int(n), int(m) if np.isfinite(m) else 0
    if m != m_int or not 1 <= m_int <= n:
        raise ValueError(f"mini-batch size m must be a whole number between 1 and n = {n}, got {batch_size}")
    return n, m_int
