"""Training speed of ``explorer.core.network`` on the bundled MNIST sample; prints JSON.

    python benchmarks/train_speed.py [--repeats 15] [--quick] [--no-torch]

Measured in one run, interleaved (every repeat runs each variant once, in a shuffled order)
so that load from other programs hits all variants alike; medians are reported with the
min..max spread, and the ratios three ways: of the medians, of the fastest repeats, and the
median of the ratios within each repeat (paired):

- ``network``: ``Network([784, 30, 10])`` sigmoid + quadratic, epochs of the 8,000 sample
  images at m = 10 (eta 3.0) and m = 100 (eta 3.0), with BLAS on 1 thread (the default,
  ``threadpool_limits(1)``) and on 2 threads; each repeat trains a new network 4 epochs and
  reports the time per epoch, so that it runs about as long as the textbook loop's subset;
- ``textbook``: a plain per-example backprop loop written from the textbook equations
  (Nielsen's network.py: column vectors, each example's gradient summed over the mini-batch),
  same dtype (float32), timed on a subset and scaled to the epoch;
- ``plain_vectorised``: the same SGD with each mini-batch as one matrix, written the obvious
  way (fancy-indexed mini-batch, temporaries, a separate update), float32: what the issue's
  "a first plain vectorisation gives about 9x here" refers to;
- ``torch`` (when PyTorch is importable; never a project dependency): the same network, cost
  and m as a standard PyTorch CPU loop (``nn.Sequential``, ``optim.SGD``, ``backward()``);
- ``memory``: peak memory traced (tracemalloc: NumPy's arrays) while loading a synthetic
  full-size set (60,000 + 10,000, written as IDX files) and training one epoch at m = 100, and
  the process's peak resident size so far (measured before PyTorch is imported).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc

import numpy as np
import scipy
from threadpoolctl import threadpool_limits

from explorer.core.mnist import FILE_NAMES, load_mnist, write_idx
from explorer.core.network import Network

SIZES = (784, 30, 10)
ETA = 3.0
SETTLE_SECONDS = 0.3


# -- the textbook loop ------------------------------------------------------------------------

def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


def textbook_epoch(X, y, m, eta, limit, seed=0, dtype=np.float32):
    """Nielsen's chapter-1 SGD, per example; runs the first ``limit`` images of a shuffled epoch."""
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal((o, i)) / np.sqrt(i)).astype(dtype) for i, o in zip(SIZES[:-1], SIZES[1:])]
    biases = [rng.standard_normal((o, 1)).astype(dtype) for o in SIZES[1:]]
    eye = np.eye(10, dtype=dtype)
    X = X if X.dtype == dtype else X.astype(dtype)
    order = rng.permutation(len(X))[:limit]
    for k in range(0, len(order), m):
        nabla_b = [np.zeros(b.shape, dtype) for b in biases]
        nabla_w = [np.zeros(w.shape, dtype) for w in weights]
        batch = order[k:k + m]
        for j in batch:
            x = X[j].reshape(-1, 1)
            target = eye[y[j]].reshape(-1, 1)
            activation, activations, zs = x, [x], []
            for b, w in zip(biases, weights):
                z = np.dot(w, activation) + b
                zs.append(z)
                activation = _sigmoid(z)
                activations.append(activation)
            delta = (activations[-1] - target) * _sigmoid_prime(zs[-1])
            delta_b = [None] * len(biases)
            delta_w = [None] * len(weights)
            delta_b[-1] = delta
            delta_w[-1] = np.dot(delta, activations[-2].transpose())
            for l in range(2, len(SIZES)):
                delta = np.dot(weights[-l + 1].transpose(), delta) * _sigmoid_prime(zs[-l])
                delta_b[-l] = delta
                delta_w[-l] = np.dot(delta, activations[-l - 1].transpose())
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_w)]
        weights = [w - (eta / len(batch)) * nw for w, nw in zip(weights, nabla_w)]
        biases = [b - (eta / len(batch)) * nb for b, nb in zip(biases, nabla_b)]
    return weights


# -- a plain vectorisation ---------------------------------------------------------------------

def plain_vectorised_epoch(X, y, m, eta, seed=0, dtype=np.float32):
    """The same SGD with each mini-batch as one matrix, written the obvious way: a fancy-indexed
    copy of every mini-batch, temporaries for every expression, the update as a separate step.
    (The issue calibrates its goal on it: "a first plain vectorisation gives about 9x here".)"""
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal((o, i)) / np.sqrt(i)).astype(dtype) for i, o in zip(SIZES[:-1], SIZES[1:])]
    biases = [rng.standard_normal(o).astype(dtype) for o in SIZES[1:]]
    eye = np.eye(10, dtype=dtype)
    order = rng.permutation(len(X))
    for k in range(0, len(order), m):
        batch = order[k:k + m]
        activations = [X[batch]]
        for w, b in zip(weights, biases):
            activations.append(_sigmoid(activations[-1] @ w.T + b))
        a = activations[-1]
        delta = (a - eye[y[batch]]) * a * (1 - a)
        for l in range(len(weights) - 1, -1, -1):
            grad_w, grad_b = delta.T @ activations[l], delta.sum(axis=0)
            if l:
                delta = (delta @ weights[l]) * activations[l] * (1 - activations[l])
            weights[l] -= (eta / len(batch)) * grad_w
            biases[l] -= (eta / len(batch)) * grad_b
    return weights


# -- the PyTorch loop ---------------------------------------------------------------------------

def torch_epoch(torch, X, y, m, eta, threads, seed=0):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.Sigmoid(), nn.Linear(SIZES[1], SIZES[2]), nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=eta)
    Xt = torch.from_numpy(X)
    Yt = torch.nn.functional.one_hot(torch.from_numpy(y), 10).float()
    perm = torch.randperm(len(X))
    start, cpu = time.perf_counter(), time.process_time()
    for k in range(0, len(X), m):
        idx = perm[k:k + m]
        xb, yb = Xt[idx], Yt[idx]
        opt.zero_grad()
        loss = 0.5 * ((model(xb) - yb) ** 2).sum() / len(idx)
        loss.backward()
        opt.step()
    return time.perf_counter() - start, time.process_time() - cpu


# -- measuring -----------------------------------------------------------------------------------

def ours_epoch(X, y, m, threads, epochs):
    """Seconds per epoch: a new network trained ``epochs`` epochs, the time divided by ``epochs``."""
    net = Network(SIZES, seed=0)
    with threadpool_limits(threads, user_api="blas"):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(epochs):
            net.train_epoch(X, y, m, ETA, limit_threads=(threads == 1))
        return (time.perf_counter() - start) / epochs, (time.process_time() - cpu) / epochs


def memory_full_set():
    """Peak traced memory: load a synthetic 60,000 + 10,000 set from IDX files, train one epoch at m = 100."""
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        for name, count in zip(FILE_NAMES, (60_000, 60_000, 10_000, 10_000)):
            plain = os.path.join(folder, name[:-3])  # uncompressed: quicker to write
            if "images" in name:
                write_idx(plain, rng.integers(0, 256, (count, 28, 28), dtype=np.uint8))
            else:
                write_idx(plain, rng.integers(0, 10, count, dtype=np.uint8))
        tracemalloc.start()
        X, y, Xt, yt = load_mnist(folder)
        after_load = tracemalloc.get_traced_memory()
        net = Network(SIZES, seed=0)
        start = time.perf_counter()
        net.train_epoch(X, y, 100, ETA)
        seconds = time.perf_counter() - start
        accuracy = net.evaluate(Xt, yt)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "train_images": len(X), "test_images": len(Xt),
        "arrays_mb": round((X.nbytes + y.nbytes + Xt.nbytes + yt.nbytes) / 1e6, 1),
        "after_load_mb": round(after_load[0] / 1e6, 1),
        "peak_load_and_epoch_mb": round(peak / 1e6, 1),
        "epoch_seconds_m100": round(seconds, 3),
        "random_labels_accuracy": round(accuracy, 3),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1),
        "goal_mb": 500, "meets_goal": peak / 1e6 < 500,
    }


def summary(times):
    med = statistics.median(times)
    return {"median": round(med, 4), "min": round(min(times), 4), "max": round(max(times), 4),
            "spread_pct": round(100 * (max(times) - min(times)) / med, 1), "n": len(times)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 repeats, a small textbook subset, no memory run")
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    X, y, _, _ = load_mnist("sample")
    n = len(X)
    textbook_images = 500 if args.quick else 2000
    # Each timed piece should last about as long as the others (~0.1 s), so that a burst of load
    # from other programs (they last tens of ms here) weighs on every variant alike: one epoch of
    # the network takes ~25 ms, the textbook loop's subset ~0.1 s.
    network_epochs = 1 if args.quick else 4
    plain_epochs = 1 if args.quick else 2  # ~50 ms an epoch

    result = {"machine": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                          "cpus": os.cpu_count(),
                          "load_average_before": [round(v, 2) for v in os.getloadavg()]},
              "data": {"train_images": n, "network": list(SIZES), "activation": "sigmoid", "cost": "quadratic",
                       "eta": ETA, "dtype": "float32"}}
    if not args.quick:
        print("measuring memory on a synthetic full-size set...", file=sys.stderr)
        result["memory_full_set"] = memory_full_set()

    torch = None
    if not args.no_torch:
        try:
            import torch  # noqa: F401 (optional, benchmark only)
        except ImportError:
            torch = None
    variants = {}
    for m in (10, 100):
        for threads in (1, 2):
            variants[f"network_m{m}_threads{threads}"] = (lambda m=m, t=threads: ours_epoch(X, y, m, t, network_epochs))
            if torch is not None:
                variants[f"torch_m{m}_threads{threads}"] = (lambda m=m, t=threads: torch_epoch(torch, X, y, m, ETA, t))
    # Converted once here: inside the timed loop the 50 MB copy (~16 ms, then scaled with the subset
    # to the epoch) added ~6 % to the float64 loop's time, ~25 % with --quick.
    X64 = X.astype(np.float64)

    def textbook(dtype):
        data = X64 if dtype == np.float64 else X
        with threadpool_limits(1, user_api="blas"):
            start, cpu = time.perf_counter(), time.process_time()
            textbook_epoch(data, y, 10, ETA, textbook_images, dtype=dtype)
            scale = n / textbook_images  # timed on a subset, scaled to the epoch
            return (time.perf_counter() - start) * scale, (time.process_time() - cpu) * scale

    variants["textbook_m10_threads1"] = lambda: textbook(np.float32)

    def plain():
        with threadpool_limits(1, user_api="blas"):
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(plain_epochs):
                plain_vectorised_epoch(X, y, 10, ETA)
            return (time.perf_counter() - start) / plain_epochs, (time.process_time() - cpu) / plain_epochs

    variants["plain_vectorised_m10_threads1"] = plain
    variants["textbook_float64_m10_threads1"] = lambda: textbook(np.float64)
    for fn in variants.values():  # warm-up: imports, buffers, first-call costs
        fn()
    times = {name: [] for name in variants}
    cpu_times = {name: [] for name in variants}
    order = list(variants)
    rnd = random.Random(0)
    for r in range(repeats):
        rnd.shuffle(order)
        for name in order:
            time.sleep(SETTLE_SECONDS)  # let the last variant's BLAS / OpenMP worker threads stop spinning
            wall, cpu = variants[name]()
            times[name].append(wall)
            cpu_times[name].append(cpu)
        print(f"repeat {r + 1}/{repeats} done", file=sys.stderr)

    seconds = {name: summary(t) for name, t in times.items()}
    med = {name: s["median"] for name, s in seconds.items()}
    cpu_med = {name: round(statistics.median(t), 4) for name, t in cpu_times.items()}
    result["seconds_per_epoch"] = seconds
    result["cpu_seconds_per_epoch_median"] = cpu_med
    result["images_per_second"] = {name: round(n / v) for name, v in med.items()}
    result["seconds_per_60k_images"] = {name: round(v * 60_000 / n, 3) for name, v in med.items()}

    def ratio(a, b):
        return {"wall": round(med[a] / med[b], 2), "cpu": round(cpu_med[a] / cpu_med[b], 2)}

    best = {name: min(t) for name, t in times.items()}
    cpu_best = {name: min(t) for name, t in cpu_times.items()}

    def ratio_best(a, b):
        return {"wall": round(best[a] / best[b], 2), "cpu": round(cpu_best[a] / cpu_best[b], 2)}

    ratios = {
        "textbook_over_network_m10_threads1": ratio("textbook_m10_threads1", "network_m10_threads1"),
        "textbook_over_network_m10_threads2": ratio("textbook_m10_threads1", "network_m10_threads2"),
        "textbook_float64_over_network_m10_threads1": ratio("textbook_float64_m10_threads1", "network_m10_threads1"),
        "textbook_over_plain_vectorised_m10": ratio("textbook_m10_threads1", "plain_vectorised_m10_threads1"),
        "plain_vectorised_over_network_m10_threads1": ratio("plain_vectorised_m10_threads1", "network_m10_threads1"),
        "goal_textbook_over_network_m10": 15,
    }
    if torch is not None:
        for m in (10, 100):
            for t in (1, 2):
                ratios[f"torch_over_network_m{m}_threads{t}"] = ratio(f"torch_m{m}_threads{t}",
                                                                      f"network_m{m}_threads{t}")
        ratios["goal_torch_over_network"] = {"m10": 3.0, "m100": 1.0}
        result["torch_version"] = torch.__version__
    result["ratios"] = ratios
    # Paired: the ratio within each repeat (both variants ran within ~2 s of each other), then the
    # median over repeats. Load that lasts longer than a repeat cancels out of each pair.
    result["ratios_paired_median"] = {
        f"{a}_over_{b}": round(statistics.median(ta / tb for ta, tb in zip(times[a], times[b])), 2)
        for a, b in (("textbook_m10_threads1", "network_m10_threads1"),
                     ("textbook_float64_m10_threads1", "network_m10_threads1"),
                     ("textbook_m10_threads1", "plain_vectorised_m10_threads1"),
                     ("plain_vectorised_m10_threads1", "network_m10_threads1"))
        + ((("torch_m10_threads1", "network_m10_threads1"), ("torch_m100_threads1", "network_m100_threads1"))
           if torch is not None else ())
    }
    # the same two ratios from each variant's fastest repeat: less sensitive to other programs' load
    result["ratios_best_of_repeats"] = {
        "textbook_over_network_m10_threads1": ratio_best("textbook_m10_threads1", "network_m10_threads1"),
        "textbook_float64_over_network_m10_threads1": ratio_best("textbook_float64_m10_threads1",
                                                                 "network_m10_threads1"),
    }
    result["machine"]["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    result["note"] = ("medians of interleaved repeats; spread_pct = (max - min) / median shows the noise of a "
                      "shared machine. Ratios > 1 mean the project's Network is faster; 'cpu' ratios use process "
                      "CPU time, which waiting for a core does not inflate (for 2-thread runs it adds both threads). "
                      "textbook = the per-example loop in float32 like the Network; textbook_float64 = the same "
                      "loop in the book's own dtype, for reference. ratios_best_of_repeats compare each "
                      "variant's fastest repeat; ratios_paired_median is the median over repeats of the "
                      "ratio within each repeat.")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
