"""The one-BLAS-thread limit is reference-counted: overlapping users never undo each other."""

from __future__ import annotations

import gc

import numpy as np
from threadpoolctl import threadpool_info

from explorer.core.backprop import blas_one_thread, gemm_for
from explorer.core.network import Network


def setup_function():
    gc.collect()  # close generators other tests abandoned: they too hold the limit until closed
    gemm_for(np.float32)  # training loads SciPy's BLAS next to NumPy's: both must be limited


def blas_threads() -> dict[str, int]:
    """Thread count of every BLAS library loaded (with pip's wheels NumPy's and SciPy's OpenBLAS are two)."""
    return {i["filepath"]: i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}


def one_thread_each() -> dict[str, int]:
    return dict.fromkeys(blas_threads(), 1)


def test_overlapping_users_keep_one_thread_until_the_last_leaves():
    start = blas_threads()
    a, b = blas_one_thread(), blas_one_thread()
    a.__enter__()
    b.__enter__()
    a.__exit__(None, None, None)  # the first user leaves while the second still trains
    assert blas_threads() == one_thread_each()
    b.__exit__(None, None, None)
    assert blas_threads() == start


def test_an_abandoned_epoch_generator_does_not_restore_threads_under_a_new_run():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 4), dtype=np.float32), rng.integers(0, 3, 60)
    start = blas_threads()
    old_run = Network([4, 5, 3], seed=0).epoch_steps(X, y, batch_size=5, learning_rate=0.1, every=1)
    next(old_run)  # a run stopped mid-epoch: its generator still holds the limit
    with blas_one_thread():  # a new run starts
        del old_run
        gc.collect()  # the old generator is closed now, in the middle of the new run
        assert blas_threads() == one_thread_each()
    assert blas_threads() == start

