"""The machinery under ``Network``: parameters in one flat vector, and backprop on preallocated buffers.

Backpropagation for a mini-batch of m examples, rows = examples (Nielsen ch. 2, in matrix form):

    forward   Z^{l+1} = A^l W^{l T} + b^l,  A^{l+1} = f(Z^{l+1})
    output    delta^L = dC/dZ^L            (the cost module: (a - y) f'(z) or a - y)
    backward  delta^l = (delta^{l+1} W^l) * f'(Z^l)
    gradient  dC/dW^l = delta^{l+1 T} A^l,  dC/db^l = sum over rows of delta^{l+1}

All weights and biases live in one flat vector ``theta`` (weights[l] and biases[l] are views
into it).

Every matrix product is a BLAS gemm call, C <- alpha op(A) op(B) + beta C, written into C in
place. For the gradient products, alpha = 1/m, beta = 0 stores the gradient of the mean cost
(``Network.gradient``), and alpha = -eta/m, beta = 1 *is* the SGD step
v -> v - eta/m sum_j grad C_{X_j}, done in the same pass over W, with no gradient array written
and read back (at m = 10 on 784-30-10 the epoch went from ~29 to ~24 ms). NumPy has no such
product (``matmul`` cannot accumulate into its output), so gemm comes from SciPy's BLAS
wrappers. gemm needs its output Fortran-ordered, which a row-major matrix's transpose is, so
every product is written for the transposes: W -= delta^T A  is  W^T -= A^T delta.

SciPy's gemm holds Python's GIL while it runs (NumPy's matmul releases it), so a large product
would freeze the GUI thread while a worker trains: layers whose product is larger than
``FUSED_MAX_MACS`` use ``numpy_gemm``, the same operation through NumPy, where the extra pass
over W costs little next to the product.
"""

from __future__ import annotations

import contextlib
import math
import operator
import threading
from typing import NamedTuple

import numpy as np

# Multiply-adds (m x n_in x n_out) above which a layer's products go through NumPy, which releases
# the GIL. SciPy's gemm of 2^22 multiply-adds holds it for ~0.1 ms here; 784-30-10 stays on SciPy's
# gemm up to m = 178.
FUSED_MAX_MACS = 1 << 22


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
        self.gemm = gemm_for(self.dtype)
        self.acts = [np.empty((rows, n), dtype) for n in sizes[1:]]     # a^1..a^L
        self.deltas = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.tmp = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.ones = np.ones(rows, dtype)
        self.grad = np.empty(layout(sizes)[0], dtype)
        self.grad_w, self.grad_b = split(self.grad, sizes)
        self.weights, self.biases = split(theta, sizes)       # views: the network's parameters, updated in place
        self._plans: dict[int, Plan] = {}

    def plan(self, m: int) -> "Plan":
        plan = self._plans.get(m)
        if plan is None:
            plan = self._plans[m] = Plan(self, m)
        return plan


class Forward(NamedTuple):
    """One layer of the forward pass, Z = A W^T + b computed as Z^T = W A^T + Z^T after Z <- b."""

    gemm: object            # SciPy's gemm, or numpy_gemm for a large layer
    w_t: np.ndarray         # W^T
    b: np.ndarray
    z: np.ndarray           # Z (m, n_out), then f(Z) in place: this layer's activations A
    z_t: np.ndarray         # Z^T


class Backward(NamedTuple):
    """One layer of the backward pass (weights W^l from layer l to l + 1)."""

    gemm: object
    a: np.ndarray | None        # A^l, the layer's input activations; None for the network's input
    a_t: np.ndarray | None      # A^l T
    w_t: np.ndarray             # W^l T
    delta_t: np.ndarray         # delta^{l+1} T
    delta_prev: np.ndarray | None    # delta^l (None at the input: nothing to propagate to)
    delta_prev_t: np.ndarray | None  # delta^l T
    spare: np.ndarray | None         # a buffer shaped like A^l, for f'(Z^l)
    into_parameters: tuple           # (W^l T, b^l as a column): what the SGD step writes
    into_gradient: tuple             # the same views of the gradient buffers


class Plan:
    """A workspace's buffers cut to m rows, in the order backprop uses them.

    Names ending in ``_t`` are transposed views: a row-major (C-ordered) matrix's transpose is
    Fortran-ordered, the layout BLAS gemm reads and writes in place.
    """

    def __init__(self, ws: Workspace, m: int):
        self.m = m
        L = len(ws.weights)
        acts = [a[:m] for a in ws.acts]                 # A^1..A^L (Z^l, then f(Z^l) in place)
        deltas = [d[:m] for d in ws.deltas]
        tmp = [t[:m] for t in ws.tmp]
        gemms = [ws.gemm if m * w.size <= FUSED_MAX_MACS else numpy_gemm for w in ws.weights]
        layers = [Forward(g, w.T, b, z, z.T) for g, w, b, z in zip(gemms, ws.weights, ws.biases, acts)]
        self.hidden, self.output = layers[:-1], layers[-1]
        self.delta, self.tmp = deltas[-1], tmp[-1]
        self.ones = ws.ones[:m].reshape(m, 1)           # delta^T 1 sums the rows: dC/db
        self.backward = [                               # output layer first
            Backward(gemms[l], acts[l - 1] if l else None, acts[l - 1].T if l else None, ws.weights[l].T,
                     deltas[l].T, deltas[l - 1] if l else None, deltas[l - 1].T if l else None,
                     tmp[l - 1] if l else None,
                     (ws.weights[l].T, ws.biases[l].reshape(-1, 1)), (ws.grad_w[l].T, ws.grad_b[l].reshape(-1, 1)))
            for l in range(L - 1, -1, -1)]
        check_in_place([layer.z_t for layer in layers] + [d.T for d in deltas]
                       + [t for layer in self.backward for t in layer.into_parameters + layer.into_gradient])
        self._rate = (None, None)

    def rate(self, eta) -> float:
        """eta/m, checked (``learning_rate_value``) and cached while eta stays the same."""
        if self._rate[0] != eta:
            self._rate = (eta, learning_rate_value(eta) / self.m)
        return self._rate[1]


def check_in_place(outputs) -> None:
    """Refuse, once per plan, a gemm output that BLAS could not write in place.

    f2py quietly works on a copy of an output that is not Fortran-contiguous (every buffer here
    has the workspace's dtype, the routine's), and the result would be lost without a sound.
    """
    for c in outputs:
        if not (c.flags.f_contiguous and c.flags.writeable and c.flags.aligned):
            raise RuntimeError("internal: a gemm output is not a writable Fortran-ordered view")


def gemm_for(dtype):
    """BLAS gemm for ``dtype`` (sgemm or dgemm), from SciPy: C <- alpha op(A) op(B) + beta C, in place.

    Called with positional arguments, gemm(alpha, A, B, beta, C, trans_a, trans_b, overwrite_c):
    keywords cost ~0.4 us a call through f2py. Imported on first use, not at start-up: SciPy's
    linalg takes ~0.2 s to import.
    """
    from scipy.linalg.blas import get_blas_funcs

    return get_blas_funcs("gemm", dtype=np.dtype(dtype))


def numpy_gemm(alpha, a, b, beta, c, trans_a=0, trans_b=0, overwrite_c=1):
    """What ``gemm_for`` gives, through NumPy's matmul, which releases the GIL while BLAS runs."""
    op_a, op_b = (a.T if trans_a else a), (b.T if trans_b else b)
    if beta == 0.0:
        np.matmul(op_a, op_b, out=c)
        if alpha != 1.0:  # the forward and delta products have alpha = 1: no pass for nothing
            np.multiply(c, alpha, out=c)
        return c
    product = np.matmul(op_a, op_b)
    if alpha != 1.0:
        np.multiply(product, alpha, out=product)
    if beta != 1.0:
        np.multiply(c, beta, out=c)
    np.add(c, product, out=c)
    return c


def backprop(activation, cost, xb, Yb, rate: float, plan: Plan, step: bool) -> float:
    """Forward and backward pass of one mini-batch. Returns the cost summed over the rows.

    ``xb`` (m, n_0) inputs, ``Yb`` (m, n_L) one-hot targets, ``plan`` the workspace cut to m rows.
    ``step``: the SGD step, v -> v - rate dC_sum/dv, applied to the network's parameters in
    place; otherwise ``rate`` dC_sum/dv is written into the workspace's ``grad``. When the cost
    is not finite, nothing is computed or changed (the caller refuses the step).

    gemm(alpha, A, B, beta, C, trans_a, trans_b, 1) is C <- alpha op(A) op(B) + beta C in place,
    op(X) = X^T when its flag is 1; every C is a transposed view, so each line is the lecture's
    formula transposed.
    """
    apply_ = activation.apply_
    xb_t = a_t = xb.T
    for gemm, w_t, b, z, z_t in plan.hidden:            # Z = A W^T + b ; A = f(Z)
        np.copyto(z, b)
        gemm(1.0, w_t, a_t, 1.0, z_t, 1, 0, 1)          # Z^T <- W A^T + Z^T
        apply_(z)
        a_t = z_t
    gemm, w_t, b, z, z_t = plan.output
    np.copyto(z, b)
    gemm(1.0, w_t, a_t, 1.0, z_t, 1, 0, 1)
    total = cost.output_(z, Yb, plan.delta, plan.tmp, activation)     # output activations, delta^L, the cost
    if not math.isfinite(total):
        return total
    derivative_, ones = activation.derivative_, plan.ones
    # The gradient products: with (alpha, beta) = (rate, 0) they store the gradient; with
    # (-rate, 1) they are the SGD step  W <- W - rate dC/dW,  in the same pass over W.
    alpha, beta = (-rate, 1.0) if step else (rate, 0.0)
    for gemm, a, a_t, w_t, delta_t, delta_prev, delta_prev_t, spare, into_parameters, into_gradient in plan.backward:
        w_out, b_out = into_parameters if step else into_gradient
        if delta_prev is not None:     # delta^l = (delta^{l+1} W^l) * f'(Z^l), with W^l from before its step
            gemm(1.0, w_t, delta_t, 0.0, delta_prev_t, 0, 0, 1)         # delta^l T <- W^l T delta^{l+1} T
        # dC/dW^l = delta^{l+1 T} A^l, written as W^l T <- alpha A^l T delta^{l+1} + beta W^l T
        gemm(alpha, xb_t if a_t is None else a_t, delta_t, beta, w_out, 0, 1, 1)
        # dC/db^l = delta^{l+1 T} 1 (the sum over the m rows): b^l <- alpha delta^{l+1 T} 1 + beta b^l
        gemm(alpha, delta_t, ones, beta, b_out, 0, 0, 1)
        if delta_prev is not None:
            np.multiply(delta_prev, derivative_(a, spare), delta_prev)
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

                gemm_for(np.float32)  # load SciPy's BLAS (a second OpenBLAS, next to NumPy's) before the scan
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
