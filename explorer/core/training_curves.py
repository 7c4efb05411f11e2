"""Small summaries of a training run that the MNIST panel shows (slides "Cost function", "SGD").

Pure NumPy, no Qt: smoothing the noisy per-mini-batch cost, the confusion matrix, the slide's
one-hot target vector, and writing the curves as CSV without leaving half a file on disk.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Sequence

import numpy as np


def one_hot(label: int, n_classes: int = 10) -> np.ndarray:
    """The slide's desired output y(x): 1 at the digit, 0 elsewhere (6 -> [0 0 0 0 0 0 1 0 0 0])."""
    label = int(label)
    if not 0 <= label < n_classes:
        raise ValueError(f"label {label} is outside 0..{n_classes - 1}")
    target = np.zeros(n_classes, dtype=np.float32)
    target[label] = 1.0
    return target


def smooth(values: np.ndarray, window: int = 50) -> np.ndarray:
    """Running mean of the last ``window`` values (fewer at the start): the cost's trend.

    ``s[k] = (v[k-window+1] + ... + v[k]) / window``, computed from a cumulative sum.
    """
    values = np.asarray(values, dtype=np.float64)
    if window < 1:
        raise ValueError(f"the smoothing window must be at least 1, got {window}")
    if values.size == 0:
        return values.copy()
    csum = np.cumsum(values)
    out = csum.copy()
    out[window:] = csum[window:] - csum[:-window]
    counts = np.minimum(np.arange(1, values.size + 1), window)
    return out / counts


def envelope(values: np.ndarray, max_points: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """A long curve reduced for drawing: (positions, values) with at most about ``max_points`` points.

    Short curves come back whole (positions 1..n). Longer ones are cut into equal buckets and
    each bucket gives its minimum and its maximum (in that order), so every spike stays
    visible while a plot draws a few thousand points instead of hundreds of thousands.
    """
    values = np.asarray(values, dtype=np.float64)
    n = values.size
    positions = np.arange(1, n + 1, dtype=np.float64)
    if n <= max_points:
        return positions, values
    k = int(np.ceil(2 * n / max_points))  # values per bucket
    m = (n // k) * k
    buckets = values[:m].reshape(-1, k)
    starts = positions[:m:k]
    out_x = np.empty(2 * buckets.shape[0] + (n - m))
    out_y = np.empty_like(out_x)
    out_x[0: 2 * buckets.shape[0]: 2] = starts
    out_x[1: 2 * buckets.shape[0]: 2] = starts + (k - 1)
    out_y[0: 2 * buckets.shape[0]: 2] = buckets.min(axis=1)
    out_y[1: 2 * buckets.shape[0]: 2] = buckets.max(axis=1)
    out_x[2 * buckets.shape[0]:] = positions[m:]
    out_y[2 * buckets.shape[0]:] = values[m:]
    return out_x, out_y


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """``M[t, p]`` = how many digits of true class t the network called p (rows: truth)."""
    labels = np.asarray(labels, dtype=np.int64).ravel()
    predictions = np.asarray(predictions, dtype=np.int64).ravel()
    if labels.shape != predictions.shape:
        raise ValueError(f"{labels.size} labels but {predictions.size} predictions")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    if predictions.size and (predictions.min() < 0 or predictions.max() >= n_classes):
        raise ValueError(f"predictions must lie in 0..{n_classes - 1}")
    flat = np.bincount(labels * n_classes + predictions, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def write_csv_atomic(path: str | os.PathLike, header: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Write a CSV to a temporary file beside ``path`` and rename it into place.

    A failure (disk full, no permission) leaves no half-written file; NaN is written empty.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".curves-", suffix=".csv.part", dir=folder)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def curve_rows(costs: np.ndarray, batches_per_epoch: int, window: int,
               subset_points: Sequence[tuple[int, float]],
               epoch_points: Sequence[tuple[int, float, float]]) -> list[list]:
    """One CSV row per mini-batch: index, epoch, cost, smoothed cost, subset/test/train accuracy.

    ``subset_points`` are (mini-batch count, accuracy on the fixed test subset);
    ``epoch_points`` are (epoch, test accuracy, train accuracy) at the end of each epoch,
    written on that epoch's last mini-batch. Missing values are NaN (empty in the file).
    """
    costs = np.asarray(costs, dtype=np.float64)
    smoothed = smooth(costs, window) if costs.size else costs
    subset = {int(k): float(a) for k, a in subset_points}
    ends = {int(e) * batches_per_epoch: (float(t), float(r)) for e, t, r in epoch_points}
    rows = []
    nan = float("nan")
    for k in range(costs.size):
        done = k + 1
        test, train = ends.get(done, (nan, nan))
        rows.append([done, (k // max(batches_per_epoch, 1)) + 1, float(costs[k]), float(smoothed[k]),
                     subset.get(done, nan), test, train])
    return rows


CURVE_HEADER = ["minibatch", "epoch", "cost", "smoothed_cost", "subset_accuracy",
                "test_accuracy", "train_accuracy"]
