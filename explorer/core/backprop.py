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
import threading
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
    """Every buffer one mini-batch of up to ``rows`` examples needs, allocated once.

    ``plan(m)`` arranges them layer by layer for a mini-batch of m rows (cached: every
    mini-batch of an epoch but the last has the same m), so the hot loop only iterates.
    """

    def __init__(self, sizes, rows: int, dtype, theta: np.ndarray):
        self.rows = rows
        self.dtype = np.dtype(dtype)
        self.acts = [np.empty((rows, n), dtype) for n in sizes[1:]]     # a^1..a^L
        self.deltas = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.tmp = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.ones = np.ones(rows, dtype)
        self.grad = np.empty(layout(sizes)[0], dtype)
        self.grad_w, self.grad_b = split(self.grad, sizes)
        self.theta = theta                                   # the network's parameters, updated in place
        self.weights, self.biases = split(theta, sizes)
        self._plans: dict[int, Plan] = {}

    def plan(self, m: int) -> "Plan":
        plan = self._plans.get(m)
        if plan is None:
            plan = self._plans[m] = Plan(self, m)
        return plan


class Plan:
    """A workspace's buffers cut to m rows, in the order backprop uses them, and the SGD update's operands."""

    def __init__(self, ws: Workspace, m: int):
        self.m, self.theta, self.grad = m, ws.theta, ws.grad
        L = len(ws.weights)
        acts = [a[:m] for a in ws.acts]
        deltas = [d[:m] for d in ws.deltas]
        tmp = [t[:m] for t in ws.tmp]
        layers = [(w.T, b, z) for w, b, z in zip(ws.weights, ws.biases, acts)]
        self.hidden, self.output = layers[:-1], layers[-1]
        self.delta, self.tmp, self.ones = deltas[-1], tmp[-1], ws.ones[:m]
        # backward, output layer first: (dC/dW^l, dC/db^l, A^l or None for the input, W^l, delta^l, tmp)
        self.backward = [(ws.grad_w[l], ws.grad_b[l], acts[l - 1] if l else None, ws.weights[l],
                          deltas[l - 1] if l else None, tmp[l - 1] if l else None) for l in range(L - 1, -1, -1)]
        self._scale = (None, None)

    def scale(self, eta):
        """eta/m as a 0-d array of the workspace's dtype, cached while eta stays the same (a new
        eta is checked first, ``learning_rate_value``). NumPy multiplies by a 0-d array faster
        than by a NumPy scalar (~0.15 us) or a Python float (~0.3 us)."""
        if self._scale[0] != eta:
            self._scale = (eta, np.array(learning_rate_value(eta) / self.m, self.ones.dtype))
        return self._scale[1]


def backprop(activation, cost, xb, Yb, scale, plan: Plan) -> float:
    """Forward and backward pass of one mini-batch; the workspace's ``grad`` receives ``scale`` x dC_sum/dtheta.

    ``xb`` (m, n_0) inputs, ``Yb`` (m, n_L) one-hot targets, ``plan`` the workspace cut to m rows.
    Returns the cost summed over the rows; when it is not finite the gradient is not computed
    (the caller refuses the step).
    """
    apply_ = activation.apply_
    a = xb
    for wt, b, z in plan.hidden:                        # Z = A W^T + b ; A = f(Z)
        np.dot(a, wt, z)
        np.add(z, b, z)
        a = apply_(z)
    wt, b, z = plan.output
    np.dot(a, wt, z)
    np.add(z, b, z)
    d = plan.delta
    total = cost.output_(z, Yb, d, plan.tmp, activation)     # output activations, delta^L, the cost
    if not math.isfinite(total):
        return total
    np.multiply(d, scale, d)
    derivative_ = activation.derivative_
    ones = plan.ones
    for grad_w, grad_b, a_prev, w, d_prev, tmp in plan.backward:
        np.matmul(d.T, xb if a_prev is None else a_prev, grad_w)     # dC/dW^l = delta^T A^l
        np.dot(ones, d, grad_b)                                      # dC/db^l = sum of the rows of delta
        if d_prev is not None:                                       # delta^l = (delta^{l+1} W^l) * f'(Z^l)
            np.dot(d, w, d_prev)
            np.multiply(d_prev, derivative_(a_prev, tmp), d_prev)
            d = d_prev
    return total


def learning_rate_value(learning_rate) -> float:
    """A float, or a zero-argument callable giving one (read before every mini-batch); finite and >= 0."""
    value = float(learning_rate() if callable(learning_rate) else learning_rate)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"the learning rate must be a finite number >= 0, got {value}")
    return value


_blas_lock = threading.RLock()  # re-entrant: the garbage collector may close a generator inside
_blas_users = 0
_blas_restore: list = []  # (library, thread count before the limit)
_blas_libraries = None


def _set_blas_threads(library, count: int) -> None:
    # threadpoolctl >= 3.6 lets only one "controlling" Python thread change OpenBLAS's
    # process-wide count and silently ignores the others; a QThread (a never-ending dummy
    # thread to Python) can become that thread for good. Our own reference count already
    # keeps users consistent, so set the count directly.
    getattr(library, "_real_set_num_threads", library.set_num_threads)(count)


@contextlib.contextmanager
def blas_one_thread(enabled: bool = True):
    """BLAS limited to one thread while any caller is inside (``threadpool_limits(1)``).

    OpenBLAS's thread count is process-wide, so the limit is reference-counted: it is set when
    the first user enters and restored when the last one leaves. Plain nested limiters would
    restore the count under another thread's feet, e.g. when an abandoned training generator
    is closed by the garbage collector while a new run trains (the GUI worker does both).
    """
    global _blas_users, _blas_restore, _blas_libraries
    if not enabled:
        yield
        return
    with _blas_lock:
        if _blas_users == 0:
            if _blas_libraries is None:  # scanning the loaded libraries is slow: do it once
                from threadpoolctl import ThreadpoolController

                _blas_libraries = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]
            _blas_restore = [(lib, lib.get_num_threads()) for lib in _blas_libraries]
            for lib, _ in _blas_restore:
                _set_blas_threads(lib, 1)
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                for lib, count in _blas_restore:
                    _set_blas_threads(lib, count)
                _blas_restore = []
