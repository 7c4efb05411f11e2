"""Activation functions for the sigmoid panel's constructions (slides "Sigmoid function" and
"Other activation functions"), as plain functions of z.

Pure NumPy; :mod:`explorer.core.sigmoid` re-exports everything here. (The training engine's
in-place activations with derivatives are in :mod:`explorer.core.activations`.)
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# --------------------------------------------------------------------------------------------
# activations
# --------------------------------------------------------------------------------------------

def sigmoid(z) -> np.ndarray:
    """The sigmoid ``sigma(z) = 1 / (1 + e^-z)``, numerically stable for every finite z.

    z is clipped to [-700, 700] before ``exp`` so it never overflows (no warnings) and never
    produces slow subnormal numbers; inside that range the result is accurate to a few ulp
    (relative), outside it is 1.0 or ``sigma(-700) ~ 1e-304`` (absolute error below 1e-304).
    Computed in place: 100 bumps on 2,000 points cost about a millisecond.
    """
    z = np.asarray(z, dtype=float)
    out = np.clip(z, -_CLIP, _CLIP, out=np.empty_like(z))
    np.negative(out, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    return out if out.ndim else out[()]


_CLIP = 700.0


def sigmoid_prime(z) -> np.ndarray:
    """The derivative ``sigma'(z) = sigma(z) (1 - sigma(z))``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def inverse_sigmoid(y, eps: float = 1e-6) -> np.ndarray:
    """``sigma^-1(y) = log(y / (1 - y))``; y is clipped to ``[eps, 1 - eps]`` so it stays finite."""
    y = np.clip(np.asarray(y, dtype=float), eps, 1.0 - eps)
    return np.log(y) - np.log1p(-y)


def step(z) -> np.ndarray:
    """The perceptron's step: 1 where ``z > 0``, else 0 (the lecture's ``w.x + b > 0`` rule)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def relu(z) -> np.ndarray:
    """The rectified linear unit ``max(0, z)``."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def tanh(z) -> np.ndarray:
    """The hyperbolic tangent, ``tanh(z) = 2 sigma(2z) - 1``."""
    return np.tanh(np.asarray(z, dtype=float))


def identity(z) -> np.ndarray:
    """A linear output neuron."""
    return np.asarray(z, dtype=float)


#: Hidden activations the panel offers (slide "Other activation functions").
ACTIVATIONS: dict[str, Callable] = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "step": step}
OUTPUT_ACTIVATIONS: dict[str, Callable] = {"linear": identity, "sigmoid": sigmoid}


def activation_function(name: str, table: dict = ACTIVATIONS) -> Callable:
    """The activation called ``name`` (a clear ValueError lists the choices)."""
    try:
        return table[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(table)}") from None
