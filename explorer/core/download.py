"""Download the full MNIST set (60,000 + 10,000 digits, about 11 MB) into the user's cache.

Each of the four files is fetched from the first mirror that delivers it intact, written to
``<file>.part``, verified by its SHA-256 checksum and size, and only then renamed to its
final name: a failed, corrupt or cancelled transfer leaves nothing behind. Files already in
the cache with the right checksum are not fetched again.

Cache folder: ``$NN_EXPLORER_DATA/mnist`` when that environment variable is set, otherwise
``<user cache dir>/mnist`` per OS convention (platformdirs), e.g. ``~/.cache/nn-explorer/mnist``.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import platformdirs

from explorer.core.mnist import FILE_NAMES

APP_NAME = "nn-explorer"

# Where the full MNIST is published (same file names on each); tried in order.
MIRRORS: tuple[str, ...] = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

# name -> (size in bytes, SHA-256) of the gzipped files.
CHECKSUMS: dict[str, tuple[int, str]] = {
    "train-images-idx3-ubyte.gz": (9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    "train-labels-idx1-ubyte.gz": (28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    "t10k-images-idx3-ubyte.gz": (1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    "t10k-labels-idx1-ubyte.gz": (4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
}
assert set(CHECKSUMS) == set(FILE_NAMES)

CHUNK_SIZE = 64 * 1024

ProgressCallback = Callable[[int, int], object]


class DownloadError(RuntimeError):
    """No mirror delivered a file intact; the message lists what each mirror did.

    ``name``: the file; ``faults``: ``(url, reason)`` per mirror tried; ``unreachable``: True when no
    mirror could even be reached (no network, DNS failure, refused, timed out): "are you offline?".
    """

    def __init__(self, message: str, name: str = "", faults: Sequence[tuple[str, str]] = (),
                 unreachable: bool = False):
        super().__init__(message)
        self.name = name
        self.faults = tuple(faults)
        self.unreachable = unreachable


class DownloadCancelled(Exception):
    """The download was cancelled; no partial file is left."""


def data_dir() -> Path:
    """The app's data folder: ``$NN_EXPLORER_DATA`` or the user's cache folder (platformdirs)."""
    override = os.environ.get("NN_EXPLORER_DATA")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def mnist_dir() -> Path:
    """Where the full MNIST is cached."""
    return data_dir() / "mnist"


def is_downloaded(folder: str | os.PathLike | None = None) -> bool:
    """True when all four files are in ``folder`` (default: the cache). Checks presence, not checksums."""
    folder = Path(folder) if folder is not None else mnist_dir()
    return all((folder / name).is_file() for name in FILE_NAMES)


def is_verified(folder: str | os.PathLike | None = None) -> bool:
    """True when all four files are in ``folder`` (default: the cache) with their SHA-256 from
    ``CHECKSUMS`` (read at call time). Reads the 11 MB: tens of milliseconds."""
    folder = Path(folder) if folder is not None else mnist_dir()
    return all((folder / name).is_file() and sha256_of(folder / name) == sha256.lower()
               for name, (_, sha256) in CHECKSUMS.items())


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    return bool(is_set() if is_set is not None else cancel())


def _open_url(request: urllib.request.Request, timeout: float):
    """``urlopen``; an HTTP error answer (404 ...) is closed before it is raised: it holds the connection."""
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise


def _fetch(url: str, part: Path, size: int | None, sha256: str, *, timeout: float,
           on_bytes: Callable[[int], None], cancel) -> None:
    """Stream ``url`` into ``part``, verifying size and checksum. Raises on any fault; the caller cleans up."""
    digest = hashlib.sha256()
    received = 0
    request = urllib.request.Request(url, headers={"User-Agent": f"{APP_NAME} (MNIST download)"})
    with _open_url(request, timeout) as response, open(part, "wb") as out:
        declared = response.headers.get("Content-Length")
        if declared is not None and size is not None and int(declared) != size:
            raise OSError(f"the server announces {int(declared)} bytes, expected {size}")
        while True:
            if _is_cancelled(cancel):
                raise DownloadCancelled(f"download of {part.name[:-5]} cancelled")
            block = response.read(CHUNK_SIZE)
            if not block:
                break
            out.write(block)
            digest.update(block)
            received += len(block)
            on_bytes(len(block))
            if size is not None and received > size:
                raise OSError(f"the server sent more than the expected {size} bytes")
    expected = size if size is not None else (int(declared) if declared is not None else None)
    if expected is not None and received != expected:
        raise OSError(f"transfer cut short: {received} of {expected} bytes")
    if digest.hexdigest() != sha256.lower():
        raise OSError(f"checksum mismatch: SHA-256 {digest.hexdigest()}, expected {sha256.lower()}")


def download_mnist(dest: str | os.PathLike | None = None, *,
                   mirrors: Sequence[str] | None = None,
                   checksums: Mapping[str, tuple[int | None, str]] | None = None,
                   progress: ProgressCallback | None = None,
                   cancel=None,
                   timeout: float = 30.0) -> Path:
    """Download and verify the MNIST files into ``dest`` (default: ``mnist_dir()``); return that folder.

    ``mirrors``: base URLs tried in order for each file (the next one on any fault); default
    the module's ``MIRRORS``, read at call time.
    ``checksums``: name -> (size in bytes or None, SHA-256) of each file to fetch; default
    the module's ``CHECKSUMS``, read at call time.
    ``progress(done, total)``: bytes done / total over all files, called after every chunk
    (total is the sum of the expected sizes; files already cached count as done).
    ``cancel``: a ``threading.Event`` or a zero-arg callable; when set / true, the download
    stops within one chunk, removes the partial file and raises ``DownloadCancelled``.
    Raises ``DownloadError`` when no mirror delivers a file intact (nothing of it is left).
    """
    mirrors = MIRRORS if mirrors is None else mirrors
    checksums = CHECKSUMS if checksums is None else checksums
    dest = Path(dest) if dest is not None else mnist_dir()
    dest.mkdir(parents=True, exist_ok=True)
    if not mirrors:
        raise ValueError("no mirrors to download from")
    total = sum(size or 0 for size, _ in checksums.values())
    done = 0

    def report() -> None:
        if progress is not None:
            progress(done, total)

    todo = []
    for name, (size, sha256) in checksums.items():
        final = dest / name
        if final.is_file() and sha256_of(final) == sha256.lower():
            done += size or 0
        else:
            final.unlink(missing_ok=True)  # a damaged or foreign copy must not pass for a download
            todo.append((name, size, sha256))
    report()

    for name, size, sha256 in todo:
        part = dest / (name + ".part")
        faults = []
        unreachable = True  # until a mirror answers at all
        start = done
        for base in mirrors:
            url = base if base.endswith(name) else base.rstrip("/") + "/" + name

            def on_bytes(n: int) -> None:
                nonlocal done
                done += n
                report()

            try:
                _fetch(url, part, size, sha256, timeout=timeout, on_bytes=on_bytes, cancel=cancel)
            except DownloadCancelled:
                part.unlink(missing_ok=True)
                raise
            except (OSError, http.client.HTTPException, ValueError) as exc:
                part.unlink(missing_ok=True)
                no_answer = (isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError)
                             or isinstance(exc, (TimeoutError, ConnectionRefusedError)))
                unreachable = unreachable and no_answer
                reason = exc.reason if no_answer and isinstance(exc, urllib.error.URLError) else exc
                faults.append((url, str(reason)))
                done = start
                report()
                continue
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            os.replace(part, dest / name)
            break
        else:
            raise DownloadError(f"could not download {name}:\n  " + "\n  ".join(f"{u}: {r}" for u, r in faults),
                                name, faults, unreachable)
    return dest
