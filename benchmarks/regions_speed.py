"""Speed of the exact linear-region enumeration, side by side with regioncam (if installed).

    python benchmarks/regions_speed.py [--repeats 9] [--seed 0]

Prints JSON. Networks: He-initialised 2-16-16-16, 2-32-32-32 and 2-64-64-64 (weights N(0, 2/fan_in),
biases N(0, 0.1^2)) in the box [-1, 1]^2. For each: the median time of ``region_set`` (flat arrays)
and of ``linear_regions`` (a list of Region objects), and, when ``import regioncam`` works (the
compiled Rust library; ``pip install regioncam``, not a dependency of this project), regioncam's
median time on the same network, its region count, and the ratio ours / regioncam. Runs of the two
are interleaved so a noisy, shared machine slows both alike. NumPy's BLAS runs single-threaded by
default (``--blas-threads``), like regioncam, so the comparison is one core against one core.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np

from explorer.core.regions import ReluNetwork, linear_regions, region_set

try:
    import regioncam
except ImportError:  # the benchmark still runs without it
    regioncam = None

NETWORKS = [(16, 16, 16), (32, 32, 32), (64, 64, 64)]
BOX = (-1.0, 1.0, -1.0, 1.0)


def regioncam_count(net: ReluNetwork) -> int:
    rc = regioncam.Regioncam(size=1.0)                      # the square [-1, 1]^2
    for w, b in zip(net.weights, net.biases):
        rc.linear(np.ascontiguousarray(w.T, dtype=np.float32), b.astype(np.float32))  # x @ weight + bias
        rc.relu()
    return rc.num_faces


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def bench(widths, seed: int, repeats: int) -> dict:
    net = ReluNetwork.random(widths, seed=seed, init="he", bias_scale=0.1, outputs=0)
    ours, ours_list, theirs = [], [], []
    count = rc_count = None
    region_set(net, BOX)                                     # warm up
    if regioncam is not None:
        regioncam_count(net)
    for _ in range(repeats):
        t, rs = timed(lambda: region_set(net, BOX))
        ours.append(t)
        count = len(rs)
        if regioncam is not None:
            t, rc_count = timed(lambda: regioncam_count(net))
            theirs.append(t)
        t, _ = timed(lambda: linear_regions(net, BOX))
        ours_list.append(t)
    row = {
        "network": "2-" + "-".join(map(str, widths)),
        "regions": count,
        "ms_region_set": round(1000 * statistics.median(ours), 2),
        "ms_linear_regions": round(1000 * statistics.median(ours_list), 2),
    }
    if regioncam is not None:
        row["regioncam_regions"] = rc_count
        row["regioncam_ms"] = round(1000 * statistics.median(theirs), 2)
        row["ratio_region_set_vs_regioncam"] = round(statistics.median(ours) / statistics.median(theirs), 2)
        row["ratio_linear_regions_vs_regioncam"] = round(statistics.median(ours_list) / statistics.median(theirs), 2)
    return row


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--blas-threads", type=int, default=1)
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.blas_threads):
        results = [bench(w, args.seed, args.repeats) for w in NETWORKS]
    result = {
        "benchmark": "regions_speed",
        "box": BOX,
        "init": "he, biases N(0, 0.1^2)",
        "seed": args.seed,
        "repeats": args.repeats,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "blas_threads": args.blas_threads,
        "regioncam": getattr(regioncam, "__version__", None) if regioncam is not None else None,
        "results": results,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
