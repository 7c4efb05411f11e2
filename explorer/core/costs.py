"""Cost functions and the output layer they go with.

For a mini-batch of m examples with one-hot targets y (rows of Y) and outputs a:

- ``quadratic`` (the lecture's mean squared error, Nielsen eq. 6):
  C = 1/(2m) sum_x ||y(x) - a(x)||^2, output neurons use the network's activation f,
  output error delta^L = (a - y) * f'(z^L).
- ``cross-entropy`` with a softmax output layer (Nielsen ch. 3):
  a_j = e^{z_j} / sum_k e^{z_k},  C = -1/m sum_x ln a_{y(x)},  delta^L = a - y.

``output_`` does the output layer's forward step and the start of backprop in one go, in
place: z becomes a, ``delta`` receives dC_x/dz^L for each row, and the return value is the
cost summed over the rows (divide by m for the mean).
"""

from __future__ import annotations

import numpy as np

from explorer.core.activations import Activation


class Cost:
    name = ""

    def activate_(self, z: np.ndarray, activation: Activation) -> np.ndarray:
        """Output activations from z, in place."""
        raise NotImplementedError

    def output_(self, z, Y, delta, tmp, activation: Activation) -> float:
        raise NotImplementedError

    def total(self, a: np.ndarray, Y: np.ndarray) -> float:
        """Summed cost of outputs ``a`` against one-hot targets ``Y``."""
        raise NotImplementedError


class QuadraticCost(Cost):
    name = "quadratic"

    def activate_(self, z, activation):
        return activation.apply_(z)

    def output_(self, z, Y, delta, tmp, activation):
        a = activation.apply_(z)
        np.subtract(a, Y, delta)
        cost = 0.5 * float(np.vdot(delta, delta))
        delta *= activation.derivative_(a, tmp)
        return cost

    def total(self, a, Y):
        d = (a - Y).reshape(-1)
        return 0.5 * float(np.dot(d, d))


class CrossEntropyCost(Cost):
    """Softmax output + log-likelihood. The cost is computed as logsumexp(z) - z_y, finite for any finite z."""

    name = "cross-entropy"

    def activate_(self, z, activation=None):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def output_(self, z, Y, delta, tmp, activation=None):
        z -= z.max(axis=1, keepdims=True)
        z_target = float(np.vdot(z, Y))
        np.exp(z, out=z)
        sums = z.sum(axis=1, keepdims=True)
        cost = float(np.log(sums).sum()) - z_target
        z /= sums
        np.subtract(z, Y, out=delta)
        return cost

    def total(self, a, Y):
        picked = np.sum(a * Y, axis=1)
        return float(-np.log(np.maximum(picked, np.finfo(a.dtype).tiny)).sum())


COSTS: dict[str, Cost] = {c.name: c for c in (QuadraticCost(), CrossEntropyCost())}


def get_cost(name: str) -> Cost:
    key = name.replace("_", "-") if isinstance(name, str) else name
    try:
        return COSTS[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cost {name!r}; choose one of {', '.join(COSTS)}") from None
