"""The machinery under ``Network``: parameters in one flat vector, and backprop on preallocated buffers.

Backpropagation for a mini-batch of m examples, rows = examples (Nielsen ch. 2, in matrix form):

    forward   Z^{l+1} = A^l W^{l T} + b^l,  A^{l+1} = f(Z^{l+1})
    output    delta^L = dC/dZ^L            (the cost module: (a - y) f'(z) or a - y)
    backward  delta^l = (delta^{l+1} W^l) * f'(Z^l)
    gradient  dC/dW^l = delta^{l+1 T} A^l,  dC/db^l = sum over rows of delta^{l+1}

All weights and biases live in one flat vector ``theta`` (weights[l] and biases[l] are views
into it), and all their gradients in one flat vector of the same layout, so the SGD update
v -> v - eta/m sum_j grad C_{X_j} is a single ``theta -= grad`` (the eta/m factor is applied
to delta^L, the smallest array, before backprop spreads it).
"""

from __future__ import annotations

import contextlib
import math
import operator

import numpy as np


def layout(sizes) -> tuple[int, list[tuple[int, int, int, int]]]:
    """Total length and, per layer, (weights start, weights end, biases end, n_out) in the flat vector."""
    parts, offset = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w_end = offset + n_in * n_out
        parts.append((offset, w_end, w_end + n_out, n_out))
        offset = w_end + n_out
    return offset, parts


def split(flat: np.ndarray, sizes) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Views (weights[l] (n_out, n_in), biases[l] (n_out,)) into a flat parameter vector."""
    _, parts = layout(sizes)
    weights = [flat[a:b].reshape(n_out, n_in) for (a, b, _, n_out), n_in in zip(parts, sizes[:-1])]
    biases = [flat[b:c] for a, b, c, _ in parts]
    return weights, biases


class LayerList(list):
    """``weights`` / ``biases``: a list of views into the network's parameter vector.

    Read and modify the arrays in place as usual (``net.weights[0][3, 5] = 0.1``);
    ``net.weights[l] = array`` copies the values in (the shape must match). The number of
    layers is fixed: build a new Network for another architecture.
    """

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            raise TypeError("assign one layer at a time: net.weights[l] = array")
        target = list.__getitem__(self, operator.index(index))
        value = np.asarray(value)
        if value.shape != target.shape:
            raise ValueError(f"layer {index} has shape {target.shape}, got {value.shape}")
        target[...] = value

    def _fixed(self, *args, **kwargs):
        raise TypeError("the number of layers is fixed: build a new Network for another architecture")

    append = extend = insert = pop = remove = clear = sort = reverse = __delitem__ = _fixed
    __iadd__ = __imul__ = _fixed


class Workspace:
    """Every buffer one mini-batch of up to ``rows`` examples needs, allocated once."""

    def __init__(self, sizes, rows: int, dtype):
        self.rows = rows
        self.acts = [np.empty((rows, n), dtype) for n in sizes[1:]]     # a^1..a^L
        self.deltas = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.tmp = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.ones = np.ones(rows, dtype)
        self.grad = np.empty(layout(sizes)[0], dtype)
        self.grad_w, self.grad_b = split(self.grad, sizes)
        self._views: dict[int, tuple] = {}

    def views(self, m: int):
        """(acts, deltas, tmp, ones) cut to m rows; cached (every mini-batch but an epoch's last has the same m)."""
        v = self._views.get(m)
        if v is None:
            v = self._views[m] = ([a[:m] for a in self.acts], [d[:m] for d in self.deltas],
                                  [t[:m] for t in self.tmp], self.ones[:m])
        return v


def backprop(weights, biases, activation, cost, xb, Yb, scale: float, ws: Workspace) -> float:
    """Forward and backward pass of one mini-batch; ``ws.grad`` receives ``scale`` x dC_sum/dtheta.

    ``xb`` (m, n_0) inputs, ``Yb`` (m, n_L) one-hot targets. Returns the cost summed over the
    rows; when it is not finite the gradient is not computed (the caller refuses the step).
    """
    m = xb.shape[0]
    L = len(weights)
    acts, deltas, tmp, ones = ws.views(m)
    apply_ = activation.apply_
    a = xb
    for l in range(L):                                  # Z = A W^T + b ; A = f(Z)
        z = acts[l]
        np.dot(a, weights[l].T, z)
        z += biases[l]
        if l < L - 1:
            apply_(z)
        a = z
    d = deltas[L - 1]
    total = cost.output_(a, Yb, d, tmp[L - 1], activation)
    if not math.isfinite(total):
        return total
    np.multiply(d, d.dtype.type(scale), d)
    derivative_ = activation.derivative_
    grad_w, grad_b = ws.grad_w, ws.grad_b
    for l in range(L - 1, -1, -1):
        a_prev = acts[l - 1] if l else xb
        np.matmul(d.T, a_prev, grad_w[l])              # dC/dW^l = delta^T A^l
        np.dot(ones, d, grad_b[l])                      # dC/db^l = sum of the rows of delta
        if l:                                           # delta^l = (delta^{l+1} W^l) * f'(Z^l)
            prev = deltas[l - 1]
            np.dot(d, weights[l], prev)
            prev *= derivative_(a_prev, tmp[l - 1])
            d = prev
    return total


def learning_rate_value(learning_rate) -> float:
    """A float, or a zero-argument callable giving one (read before every mini-batch); finite and >= 0."""
    value = float(learning_rate() if callable(learning_rate) else learning_rate)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"the learning rate must be a finite number >= 0, got {value}")
    return value


_controller = None


def blas_one_thread(enabled: bool = True):
    """``threadpool_limits(1)`` for BLAS (one controller kept: building one scans the loaded libraries)."""
    global _controller
    if not enabled:
        return contextlib.nullcontext()
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")
