"""MNIST digits: the IDX file format (read, validate, write) and ``load_mnist``.

The lecture's slide "MNIST data": 28x28 grey images of hand-written digits, 60,000 for
training and 10,000 for testing. Each image becomes an input vector x of 784 values in
[0, 1] (grey level / 255) and its label y in 0..9.

Sources for ``load_mnist``:

- ``"sample"``: 10,000 real MNIST digits bundled with the app (8,000 train / 2,000 test),
  read through ``importlib.resources`` so an installed (non-editable) copy finds them.
- ``"full"``: the full set (60,000 + 10,000) in the user's cache folder, put there by
  ``nn-explorer download-mnist`` (see ``explorer.core.download``).
- a folder path: the four standard files, gzipped or not.

IDX format (big-endian): two zero bytes, a type code (0x08 = unsigned byte), the number of
dimensions, one int32 per dimension, then the values, row-major. MNIST images have magic
2051 (0x00000803: 3 dimensions count x 28 x 28), labels 2049 (0x00000801: 1 dimension).
"""

from __future__ import annotations

import gzip
import importlib.resources
import os
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
ROWS = COLS = 28
PIXELS = ROWS * COLS

# The four standard file names (gzipped), in load order.
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILE_NAMES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# IDX type code -> big-endian dtype
_IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


class MnistNotDownloaded(FileNotFoundError):
    """``load_mnist("full")`` found no downloaded copy; the message says how to get one."""


# ---------------------------------------------------------------------------------------
# IDX reading and writing
# ---------------------------------------------------------------------------------------

def _raw_bytes(data: bytes, name: str) -> bytes:
    """Decompress gzip data (recognised by its magic bytes, not the file name)."""
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"{name}: damaged gzip data ({exc})") from None


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse IDX bytes (gzipped or not) into an array; ``name`` is used in error messages.

    Validates the header (two zero bytes, a known type code, at least one dimension),
    and that the data length matches the header's dimensions exactly.
    Raises ValueError naming the file and the fault.
    """
    raw = _raw_bytes(data, name)
    if len(raw) < 4:
        raise ValueError(f"{name}: too short to be an IDX file ({len(raw)} bytes, the header needs at least 4)")
    zero, type_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or type_code not in _IDX_TYPES:
        magic = struct.unpack(">i", raw[:4])[0]
        raise ValueError(f"{name}: not an IDX file (bad magic number {magic} = 0x{magic:08x})")
    if ndim == 0:
        raise ValueError(f"{name}: IDX header declares 0 dimensions")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{name}: IDX header cut short ({len(raw)} bytes, {ndim} dimensions need {header})")
    dims = struct.unpack(f">{ndim}i", raw[4:header])
    if any(d < 0 for d in dims):
        raise ValueError(f"{name}: negative dimension in IDX header {dims}")
    dtype = _IDX_TYPES[type_code]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found < expected:
        raise ValueError(f"{name}: truncated: the header {dims} needs {expected} bytes of data, found {found}")
    if found > expected:
        raise ValueError(f"{name}: {found - expected} unexpected bytes after the {expected} bytes of data "
                         f"the header {dims} declares")
    array = np.frombuffer(raw, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    return array.reshape(dims).astype(dtype.newbyteorder("="), copy=False)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (gzipped or not) into an array, validating it (ValueError on a fault)."""
    path = Path(path)
    return parse_idx(path.read_bytes(), str(path))


def _check_images(array: np.ndarray, name: str, magic: int) -> np.ndarray:
    if magic != IMAGES_MAGIC:
        raise ValueError(f"{name}: magic number {magic}, expected {IMAGES_MAGIC} for an MNIST image file")
    if array.shape[1:] != (ROWS, COLS):
        raise ValueError(f"{name}: images are {array.shape[1]}x{array.shape[2]}, expected {ROWS}x{COLS}")
    return array


def _check_labels(array: np.ndarray, name: str, magic: int) -> np.ndarray:
    if magic != LABELS_MAGIC:
        raise ValueError(f"{name}: magic number {magic}, expected {LABELS_MAGIC} for an MNIST label file")
    if array.size and int(array.max()) > 9:
        bad = int(np.argmax(array > 9))
        raise ValueError(f"{name}: label {int(array[bad])} at index {bad} is outside 0..9")
    return array


def _magic(data: bytes) -> int:
    return struct.unpack(">i", data[:4])[0] if len(data) >= 4 else -1


def _expect_magic(raw: bytes, name: str, expected: int, what: str) -> None:
    """An IDX header with another magic number is the wrong kind of file: say so before anything else."""
    magic = _magic(raw)
    if magic != expected and raw[:2] == b"\0\0" and len(raw) >= 4:
        raise ValueError(f"{name}: magic number {magic}, expected {expected} for an MNIST {what} file")


def parse_images(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse an MNIST image file: uint8 array (count, 28, 28)."""
    raw = _raw_bytes(data, name)
    _expect_magic(raw, name, IMAGES_MAGIC, "image")
    return _check_images(parse_idx(raw, name), name, _magic(raw))


def parse_labels(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse an MNIST label file: uint8 array (count,), every value in 0..9."""
    raw = _raw_bytes(data, name)
    _expect_magic(raw, name, LABELS_MAGIC, "label")
    return _check_labels(parse_idx(raw, name), name, _magic(raw))


def read_images(path: str | os.PathLike) -> np.ndarray:
    path = Path(path)
    return parse_images(path.read_bytes(), str(path))


def read_labels(path: str | os.PathLike) -> np.ndarray:
    path = Path(path)
    return parse_labels(path.read_bytes(), str(path))


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode an array as IDX bytes (uncompressed). The dtype must be one IDX knows."""
    array = np.asarray(array)
    for code, dtype in _IDX_TYPES.items():
        if array.dtype.newbyteorder(">") == dtype or array.dtype == dtype:
            break
    else:
        raise ValueError(f"IDX cannot store dtype {array.dtype}")
    if array.ndim == 0 or array.ndim > 255:
        raise ValueError(f"IDX needs 1 to 255 dimensions, got {array.ndim}")
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}i", *array.shape)
    return header + np.ascontiguousarray(array, dtype=dtype).tobytes()


def write_idx(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write an array as an IDX file, gzipped when the name ends in ``.gz``.

    Written to a temporary file in the same folder, then renamed: never half-written.
    """
    path = Path(path)
    data = idx_bytes(array)
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=6, mtime=0)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------
# Loading the four files
# ---------------------------------------------------------------------------------------

def to_inputs(images: np.ndarray) -> np.ndarray:
    """Images (n, 28, 28) uint8 -> network inputs x: float32 (n, 784), grey level / 255 in [0, 1]."""
    n = images.shape[0]
    out = np.empty((n, int(np.prod(images.shape[1:]))), dtype=np.float32)
    np.divide(images.reshape(out.shape), np.float32(255.0), out=out, dtype=np.float32)
    return out


def _pair(images: np.ndarray, labels: np.ndarray, images_name: str, labels_name: str):
    if images.shape[0] == 0:
        raise ValueError(f"{images_name} holds no images (its header declares a count of 0)")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images_name} holds {images.shape[0]} images but {labels_name} holds "
                         f"{labels.shape[0]} labels: the counts must agree")
    return to_inputs(images), labels.astype(np.int64)


def _load_from_bytes(read) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``read(standard_name) -> (bytes, display_name)``."""
    out = []
    for images_file, labels_file in ((TRAIN_IMAGES, TRAIN_LABELS), (TEST_IMAGES, TEST_LABELS)):
        img_data, img_name = read(images_file)
        lab_data, lab_name = read(labels_file)
        images = parse_images(img_data, img_name)
        del img_data
        labels = parse_labels(lab_data, lab_name)
        out.extend(_pair(images, labels, img_name, lab_name))
    return tuple(out)


def sample_files():
    """The bundled sample's folder (an ``importlib.resources`` Traversable)."""
    return importlib.resources.files("explorer").joinpath("assets", "mnist")


def _alternatives(standard: str) -> list[str]:
    """Names a user's copy may carry: with or without .gz, '-idx3' or '.idx3' (a common variant)."""
    plain = standard[:-3]
    dotted = plain.replace("-idx", ".idx")
    return [standard, plain, dotted + ".gz", dotted]


def find_files(folder: str | os.PathLike) -> dict[str, Path]:
    """Map each standard name to the file found in ``folder``; FileNotFoundError lists what is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"MNIST folder {folder} does not exist (or is not a folder)")
    found, missing = {}, []
    for standard in FILE_NAMES:
        for candidate in _alternatives(standard):
            if (folder / candidate).is_file():
                found[standard] = folder / candidate
                break
        else:
            missing.append(standard[:-3] + "[.gz]")
    if missing:
        raise FileNotFoundError(f"MNIST folder {folder} lacks: {', '.join(missing)}")
    return found


def load_mnist(source: str | os.PathLike = "sample"):
    """Load MNIST as ``(X_train, y_train, X_test, y_test)``.

    X: float32 (n, 784) in [0, 1] (pixel / 255, row-major 28x28); y: int64 labels 0..9.
    ``source``: ``"sample"`` (bundled, 8,000 / 2,000), ``"full"`` (the downloaded cache,
    60,000 / 10,000) or a folder with the four standard files (gzipped or not).
    Raises ValueError naming the file and the fault for a damaged file,
    ``MnistNotDownloaded`` (a FileNotFoundError) when "full" is not downloaded yet.
    """
    if isinstance(source, str) and source == "sample":
        root = sample_files()
        return _load_from_bytes(lambda name: (root.joinpath(name).read_bytes(), f"bundled sample {name}"))
    if isinstance(source, str) and source == "full":
        from explorer.core.download import is_downloaded, mnist_dir

        folder = mnist_dir()
        if not is_downloaded(folder):
            raise MnistNotDownloaded(
                f"The full MNIST set is not downloaded yet (looked in {folder}). "
                "Download it (about 11 MB) with:  nn-explorer download-mnist  "
                "or from the MNIST panel's download button.")
        files = find_files(folder)
    else:
        files = find_files(source)
    return _load_from_bytes(lambda name: (files[name].read_bytes(), str(files[name])))
