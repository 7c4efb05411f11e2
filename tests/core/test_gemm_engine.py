"""The engine's two ways to do a layer's products: SciPy's gemm (small layers) and NumPy (large ones).

SciPy's f2py ``gemm`` holds Python's GIL while it runs; NumPy's matmul releases it. The MNIST
panel trains in a worker thread, so one large product on SciPy's gemm froze the GUI thread:
784-1000-10 at m = 2,500 (the largest work the panel accepts) measured p99 56 ms and max 78 ms of
GUI lateness, against 3 ms and 14 ms with those layers on NumPy
(``benchmarks/ui_latency.py --hidden 1000 --batch 2500 [--fused-max-macs 1e12]``; measured there,
not timed here). These tests check which layers take which path, and that both compute the same.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from explorer.core import backprop
from explorer.core.backprop import numpy_gemm
from explorer.core.network import Network

ACTIVATIONS = ("sigmoid", "relu", "tanh")
COSTS = ("quadratic", "cross-entropy")


def toy(n, n_in, n_out, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def test_large_layers_take_the_numpy_path_that_releases_the_gil():
    net = Network([784, 1000, 10])
    plan = net._workspace(2500).plan(2500)
    first, second = plan.hidden[0], plan.output  # 2,500 x 784 x 1,000 and 2,500 x 1,000 x 10
    assert first.gemm is numpy_gemm and second.gemm is numpy_gemm
    assert plan.backward[-1].gemm is numpy_gemm
    small = Network([784, 30, 10])._workspace(10).plan(10)  # the lecture's network at m = 10
    assert all(layer.gemm is not numpy_gemm for layer in small.hidden + [small.output] + small.backward)


@pytest.mark.parametrize("activation, cost", list(itertools.product(ACTIVATIONS, COSTS)))
def test_numpy_path_gives_the_same_gradient_and_step(monkeypatch, activation, cost):
    X, y = toy(n=7, n_in=6, n_out=3, seed=2)
    fused = Network([6, 5, 4, 3], activation=activation, cost=cost, seed=3, dtype=np.float64)
    plain = fused.copy()
    grad_fused = fused.gradient(X, y)
    fused.train_step(X, y, 0.4)
    monkeypatch.setattr(backprop, "FUSED_MAX_MACS", 0)  # every layer on numpy_gemm
    grad_plain = plain.gradient(X, y)
    plain.train_step(X, y, 0.4)
    for a, b in zip(grad_fused[0] + grad_fused[1], grad_plain[0] + grad_plain[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fused.parameters, plain.parameters, rtol=1e-12, atol=1e-14)


def test_numpy_path_trains_the_same_epoch_with_a_short_last_batch(monkeypatch):
    X, y = toy(n=23, n_in=6, n_out=3, seed=5)
    fused = Network([6, 5, 3], seed=7, dtype=np.float64)
    plain = fused.copy()
    cost_fused = fused.train_epoch(X, y, 5, 2.0)  # mini-batches of 5, 5, 5, 5, 3
    monkeypatch.setattr(backprop, "FUSED_MAX_MACS", 0)
    cost_plain = plain.train_epoch(X, y, 5, 2.0)
    assert cost_plain == pytest.approx(cost_fused, rel=1e-12)
    np.testing.assert_allclose(fused.parameters, plain.parameters, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("alpha, beta", [(1.0, 0.0), (-0.25, 1.0), (0.5, 2.0)])
@pytest.mark.parametrize("trans_a, trans_b", list(itertools.product((0, 1), repeat=2)))
def test_numpy_gemm_is_gemm(alpha, beta, trans_a, trans_b):
    rng = np.random.default_rng(0)
    a = rng.random((4, 3)) if not trans_a else rng.random((3, 4))
    b = rng.random((3, 5)) if not trans_b else rng.random((5, 3))
    c0 = np.asfortranarray(rng.random((4, 5)))
    expected = backprop.gemm_for(np.float64)(alpha, a, b, beta, c0.copy(order="F"), trans_a, trans_b, 1)
    c = c0.copy(order="F")
    out = numpy_gemm(alpha, a, b, beta, c, trans_a, trans_b, 1)
    assert out is c  # in place, like gemm with overwrite_c
    np.testing.assert_allclose(c, expected, rtol=1e-13)
