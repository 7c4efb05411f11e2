"""The gemm engine must not hold Python's GIL for a whole matrix product.

The MNIST panel trains in a worker thread; the GUI thread needs the GIL back after almost every
Qt call (explorer/training.py). NumPy's matmul releases the GIL while BLAS runs; SciPy's f2py
``gemm`` wrappers do not. So with the engine's gemm products one large product freezes the GUI
thread for its whole length: 784-1000-10 at m = 2,500 (which the panel accepts,
``batch_work_refusal`` returns "") measured a 45 ms gap in the GUI thread (the NumPy engine
before it: 5 ms), and the two 784-wide products take most of the mini-batch.
"""

from __future__ import annotations

import sys
import threading
import time

import numpy as np

from explorer.core.backprop import blas_one_thread
from explorer.core.network import Network


def test_a_large_mini_batch_lets_other_threads_run_during_its_products():
    sizes, m = [784, 1000, 10], 2500  # 794,000 weights x 2,500 = 1.99e9 <= MAX_BATCH_WORK (2e9)
    rng = np.random.default_rng(0)
    X, y = rng.random((m, 784), dtype=np.float32), rng.integers(0, 10, m)
    net = Network(sizes)
    net.train_step(X, y, 0.1)  # workspace and SciPy's import outside the measurement
    steps = 2

    def train():
        with blas_one_thread():  # as the worker does
            for _ in range(steps):
                net.train_step(X, y, 0.1)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.001)  # as explorer.training sets while a run is live
    try:
        worker = threading.Thread(target=train)
        gaps = []
        start = last = time.perf_counter()
        worker.start()
        while worker.is_alive():  # the "GUI thread": wakes every 0.5 ms and needs the GIL to run
            time.sleep(0.0005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        worker.join()
    finally:
        sys.setswitchinterval(old_interval)
    per_step = (last - start) / steps
    # Holding the GIL through each product, the longest gap is one 784-wide product, ~45 % of a
    # mini-batch; releasing it, a few ms (switch interval, scheduling).
    assert max(gaps) < 0.25 * per_step, (
        f"the GUI thread waited {max(gaps) * 1e3:.1f} ms at once for a mini-batch of {per_step * 1e3:.0f} ms: "
        "a BLAS product held the GIL")
