"""Saving and loading a ``Network`` as .npz (no pickle): sizes, activation, cost, init, weights, biases.

Saving writes a temporary file in the target folder and renames it, so a crash never leaves a
half-written model. Loading checks that the file is one of ours and that every array has the
shape its sizes demand; anything else raises ValueError naming the file and the fault.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

FORMAT = "nn-explorer-network"
VERSION = 1


def save(net, path) -> Path:
    path = Path(path)
    arrays = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "sizes": np.array(net.sizes, dtype=np.int64),
        "activation": np.array(net.activation),
        "cost": np.array(net.cost),
        "init": np.array(net.init),
        "epochs_trained": np.array(net.epochs_trained),
    }
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        arrays[f"w{l}"] = w
        arrays[f"b{l}"] = b
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _text(data, key: str, name: str) -> str:
    value = data[key]
    if value.shape != () or value.dtype.kind != "U":
        raise ValueError(f"{name}: '{key}' is not a text entry")
    return str(value)


def load(cls, path):
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such file")
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{name} is not a saved network (not an .npz file: {exc})") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{name} is not a saved network (it holds a single array, not a model)")
    with data:
        try:
            keys = set(data.files)
            if "format" not in keys or _text(data, "format", name) != FORMAT:
                raise ValueError(f"{name} is not a saved NN Explorer network (no '{FORMAT}' marker)")
            version = int(data["version"])
            if version > VERSION:
                raise ValueError(f"{name} was saved by a newer version (format {version}); update the app")
            sizes = tuple(int(n) for n in data["sizes"])
            try:
                net = cls(sizes, activation=_text(data, "activation", name), cost=_text(data, "cost", name),
                          init=_text(data, "init", name), seed=0)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
            weights, biases = [], []
            for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
                w, b = data[f"w{l}"], data[f"b{l}"]
                if w.shape != (n_out, n_in) or b.shape != (n_out,):
                    raise ValueError(f"{name}: layer {l} has shapes {w.shape}, {b.shape}; "
                                     f"sizes {sizes} need {(n_out, n_in)}, {(n_out,)}")
                if w.dtype.kind != "f" or b.dtype.kind != "f":
                    raise ValueError(f"{name}: layer {l} is not floating point")
                if not (np.isfinite(w).all() and np.isfinite(b).all()):
                    raise ValueError(f"{name}: layer {l} holds non-finite numbers")
                weights.append(w.astype(net.dtype))
                biases.append(b.astype(net.dtype))
            net.weights, net.biases = weights, biases
            if "epochs_trained" in keys:
                net.epochs_trained = int(data["epochs_trained"])
            if len(keys - {"format", "version", "sizes", "activation", "cost", "init", "epochs_trained"}) != 2 * len(weights):
                raise ValueError(f"{name}: unexpected entries besides the {len(weights)} layers")
        except KeyError as exc:
            raise ValueError(f"{name}: a saved network lacks the entry {exc}") from None
        except (TypeError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ValueError(f"{name}: damaged network file ({exc})") from None
    return net
