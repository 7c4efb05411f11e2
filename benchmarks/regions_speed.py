"""Speed of the exact linear-region enumeration, side by side with regioncam (if installed).

    python benchmarks/regions_speed.py [--repeats 9] [--seed 0]

Prints JSON. Networks: He-initialised 2-16-16-16, 2-32-32-32 and 2-64-64-64 (weights N(0, 2/fan_in),
biases N(0, 0.1^2)) in the box [-1, 1]^2. For each: the median time of ``region_set`` (flat arrays)
and of ``linear_regions`` (a list of Region objects), and, when ``import regioncam`` works (the
compiled Rust library; ``pip install regioncam``, not a dependency of this project), regioncam's
median time on the same network, its region count, and the ratio ours / regioncam. Runs of the two
are interleaved so a noisy, shared machine slows both alike. NumPy's BLAS runs single-threaded by
default (``--blas-threads``), like regioncam, so the comparison is one core against one core.

The region count depends on the seed: ``counts_over_seeds`` gives, for seeds 0 .. ``--count-seeds`` - 1,
the count in the box and the exact count in the whole plane (``exact_plane_count``), with their mean,
minimum and maximum (2-32-32-32: about 4,000 in the box, 3,500-4,700; about 4,700 in the plane).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np

from explorer.core.region_bounds import exact_plane_count
from explorer.core.regions import ReluNetwork, count_regions, linear_regions, region_set

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


def counts_over_seeds(widths, seeds: int) -> dict:
    """Region counts of He-initialised networks (biases N(0, 0.1^2)) over seeds 0 .. seeds - 1."""
    box, plane = [], []
    for seed in range(seeds):
        net = ReluNetwork.random(widths, seed=seed, init="he", bias_scale=0.1, outputs=0)
        box.append(count_regions(net, BOX))
        plane.append(exact_plane_count(net))

    def summary(counts):
        return {"counts": counts, "mean": round(statistics.mean(counts)), "min": min(counts), "max": max(counts)}

    return {"network": "2-" + "-".join(map(str, widths)), "seeds": f"0..{seeds - 1}",
            "in_box": summary(box), "whole_plane": summary(plane)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--blas-threads", type=int, default=1)
    parser.add_argument("--count-seeds", type=int, default=10, help="seeds for counts_over_seeds (0: skip)")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.blas_threads):
        results = [bench(w, args.seed, args.repeats) for w in NETWORKS]
        counts = [counts_over_seeds(w, args.count_seeds) for w in NETWORKS] if args.count_seeds > 0 else []
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
        "counts_over_seeds": counts,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
