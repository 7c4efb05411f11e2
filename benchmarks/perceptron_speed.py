"""Speed of the exact perceptron decisions in ``explorer.core.perceptron``; prints JSON.

    python benchmarks/perceptron_speed.py [--repeats 5]

- ``build_n4_s``: building the n = 4 table of smallest integer perceptrons (all weights in
  [-3, 3]^4 and every bias that matters: 62,426 candidates), done once per process;
- ``sweep_n4_s``: ``find_weights`` on all 65,536 tables of 4 inputs, each answer verified
  (after the build; the issue asks for well under a minute);
- ``find_weights_us``: median latency of one call (n = 2 XOR, n = 4 majority) once built;
- ``lp_n5..n8_ms``: ``find_weights`` through the LP for n > 4 (majority, separable, and parity,
  not separable), when SciPy is importable;
- ``learn_and_ms``: the learning rule from w = 0, b = 0 until AND is right.
Medians of ``--repeats`` runs (the build is timed in fresh caches).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np

from explorer.core import perceptron as core
from explorer.core.perceptron import Perceptron, find_weights, learn, truth_table_inputs


def _time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _build() -> None:
    core._smallest_integer_perceptrons.cache_clear()
    core._smallest_integer_perceptrons(4)


def _sweep() -> int:
    x = truth_table_inputs(4)
    tables = (np.arange(2**16)[:, None] >> np.arange(16)) & 1
    found = 0
    for t in tables:
        p = find_weights(t)
        if p is not None:
            assert np.array_equal(p(x), t)
            found += 1
    assert found == 1882
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    r = max(1, args.repeats)
    out: dict[str, object] = {"python": platform.python_version(), "numpy": np.__version__, "repeats": r}
    out["build_n4_s"] = round(_time(_build, r), 4)
    out["sweep_n4_s"] = round(_time(_sweep, max(1, r // 2)), 3)
    xor = [0, 1, 1, 0]
    maj4 = (truth_table_inputs(4).sum(axis=1) >= 3).astype(int)
    for name, t in (("xor_n2", xor), ("majority_n4", maj4)):
        per = _time(lambda t=t: [find_weights(t) for _ in range(1000)], r) / 1000
        out[f"find_weights_us_{name}"] = round(per * 1e6, 2)
    for n in (5, 6, 7, 8):
        x = truth_table_inputs(n)
        maj = (2 * x.sum(axis=1) > n).astype(int)
        par = x.sum(axis=1) % 2
        out[f"lp_n{n}_majority_ms"] = round(_time(lambda: find_weights(maj), r) * 1e3, 2)
        out[f"lp_n{n}_parity_ms"] = round(_time(lambda: find_weights(par), r) * 1e3, 2)
    out["learn_and_ms"] = round(_time(lambda: learn(Perceptron([0, 0], 0), [0, 0, 0, 1]), r) * 1e3, 3)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
