"""The MNIST panel's data sources: the download dialog against a local HTTP server on 127.0.0.1
(the real ``download_mnist``, its mirror list and checksums monkeypatched), offline, cancel, folders."""

from __future__ import annotations

import gzip
import socket
import threading

import numpy as np
import pytest
from PyQt6.QtCore import QTimer

from explorer.core import download
from explorer.core.mnist import FILE_NAMES, idx_bytes, load_mnist, write_idx
from explorer.panels.mnist import MnistPanel


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample")


@pytest.fixture
def panel(qtbot, sample):
    p = MnistPanel()
    qtbot.addWidget(p)
    X, y, Xt, yt = sample
    p.set_data(X[:300], y[:300], Xt[:100], yt[:100], "sample")
    yield p
    p.shutdown()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "data" / "mnist"


def mnist_files(n_train=12, n_test=5, seed=0) -> dict[str, bytes]:
    """Four small valid MNIST files (gzipped IDX) under the standard names."""
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_train, dtype=np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_test, dtype=np.uint8)]
    return {name: gzip.compress(idx_bytes(a), mtime=0) for name, a in zip(FILE_NAMES, arrays)}


@pytest.fixture
def server(cache, local_mirror):
    return local_mirror


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_download_dialog_fetches_verifies_and_loads_full_mnist(qtbot, panel, server, cache, monkeypatch):
    table = server.serve("/good/", mnist_files())
    monkeypatch.setattr(download, "MIRRORS", (server.base + "/missing/", server.base + "/good/"))  # first: 404
    monkeypatch.setattr(download, "CHECKSUMS", table)
    assert panel.files.choose_source("full")
    assert panel.files.last_dialog.bar.value() == 1000
    assert sorted(p.name for p in cache.iterdir()) == sorted(FILE_NAMES)  # no .part left
    assert panel.source == "full" and panel.data_controls.source.currentData() == "full"
    assert panel.data_controls.counts.text() == "Full MNIST: 12 training and 5 test digits."
    assert len(panel.data.X_train) == 12 and not panel.data_controls.error.isVisibleTo(panel)
    assert panel.data_controls.source.currentText() == "Full MNIST (60,000 + 10,000)"  # no more "(download)…"
    # the second time, the cached copy is used without a dialog
    panel.files.last_dialog = None
    assert panel.files.choose_source("full") and panel.files.last_dialog is None


def test_a_damaged_cache_is_fetched_again_keeping_the_intact_files(qtbot, panel, server, cache, monkeypatch):
    files = mnist_files()
    table = server.serve("/good/", files)
    monkeypatch.setattr(download, "MIRRORS", (server.base + "/good/",))
    monkeypatch.setattr(download, "CHECKSUMS", table)
    cache.mkdir(parents=True)
    for name, data in files.items():
        (cache / name).write_bytes(data)
    damaged = FILE_NAMES[1]
    (cache / damaged).write_bytes(files[damaged][:-7])  # a cut-short copy: present, but not the file
    assert download.is_downloaded() and not download.is_verified()
    assert panel.files.choose_source("full")
    assert "damaged" in panel.files.last_dialog.label.text()
    assert server.requests == ["/good/" + damaged]  # only the damaged file was fetched again
    assert download.is_verified() and panel.source == "full" and len(panel.data.X_train) == 12


def test_offline_download_says_so_plainly_and_keeps_the_sample(qtbot, panel, cache, monkeypatch):
    port = closed_port()  # connection refused: what an offline machine's mirrors look like
    monkeypatch.setattr(download, "MIRRORS", (f"http://127.0.0.1:{port}/a/", f"http://127.0.0.1:{port}/b/"))
    before = panel.data
    assert not panel.files.choose_source("full")
    text = panel.data_controls.error.text()
    assert "offline" in text and "Nothing was saved" in text and not text.rstrip().endswith(":")
    assert panel.data is before and panel.data_controls.source.currentData() == "sample"
    assert not cache.exists() or list(cache.iterdir()) == []
    assert panel.data_controls.source.itemText(1) == "Full MNIST (download)…"


def test_a_silent_mirror_is_given_up_after_the_gui_timeout(qtbot, panel, cache, monkeypatch):
    import time

    from explorer.panels.mnist import data_source

    with socket.socket() as silent:  # accepts connections (the kernel's backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        monkeypatch.setattr(download, "MIRRORS", (f"http://127.0.0.1:{silent.getsockname()[1]}/",))
        monkeypatch.setattr(data_source, "GUI_TIMEOUT", 0.3)
        t0 = time.perf_counter()
        assert not panel.files.choose_source("full")
        assert time.perf_counter() - t0 < 5.0
    assert "offline" in panel.data_controls.error.text()
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_corrupt_download_is_rejected_and_nothing_is_kept(qtbot, panel, server, cache, monkeypatch):
    files = mnist_files()
    table = server.serve("/m/", files)
    server.routes["/m/" + FILE_NAMES[2]] = b"\x1f\x8b" + bytes(len(files[FILE_NAMES[2]]) - 2)  # right size, wrong bytes
    monkeypatch.setattr(download, "MIRRORS", (server.base + "/m/",))
    monkeypatch.setattr(download, "CHECKSUMS", table)
    assert not panel.files.choose_source("full")
    text = panel.data_controls.error.text()
    assert FILE_NAMES[2] in text and "checksum mismatch" in text and "offline" not in text
    assert not any(p.name.endswith(".part") or p.name == FILE_NAMES[2] for p in cache.iterdir())
    assert panel.source == "sample"


def test_cancel_mid_file_in_the_dialog_leaves_nothing(qtbot, panel, server, cache, monkeypatch):
    table = server.serve("/m/", mnist_files(n_train=400))  # a train-images file of several chunks
    gate = server.gates["/m/" + FILE_NAMES[0]] = threading.Event()
    monkeypatch.setattr(download, "MIRRORS", (server.base + "/m/",))
    monkeypatch.setattr(download, "CHECKSUMS", table)

    def cancel_when_half_done():
        dialog = panel.files.last_dialog
        if dialog is None or dialog.bar.value() == 0:
            QTimer.singleShot(10, cancel_when_half_done)
            return
        dialog.cancel_button.click()
        gate.set()  # the server sends the rest; the worker sees the flag at its next chunk

    QTimer.singleShot(10, cancel_when_half_done)
    assert not panel.files.choose_source("full")
    assert "cancelled" in panel.data_controls.error.text().lower()
    assert list(cache.iterdir()) == []  # no .part, no file
    assert panel.source == "sample"


def test_a_folder_of_mnist_files_is_loaded(qtbot, panel, tmp_path):
    for name, body in mnist_files(n_train=7, n_test=3).items():
        (tmp_path / name[:-3]).write_bytes(gzip.decompress(body))  # not gzipped: also accepted
    assert panel.files.choose_source("folder", folder=str(tmp_path))
    assert panel.data_controls.counts.text() == f"Folder {tmp_path}: 7 training and 3 test digits."
    assert panel.data_controls.source.currentData() == "folder" and len(panel.data.X_test) == 3


def test_a_folder_without_mnist_files_is_refused(panel, tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03garbage")
    before = panel.data
    assert not panel.files.choose_source("folder", folder=str(tmp_path))
    error = panel.data_controls.error
    assert error.isVisibleTo(panel) and error.text().startswith("Could not load the digits")
    assert "lacks" in error.text() and panel.data is before


def test_a_damaged_file_in_a_folder_is_named(panel, tmp_path):
    for name, body in mnist_files().items():
        write_idx(tmp_path / name, np.zeros(3, np.uint8)) if name == FILE_NAMES[1] else (tmp_path / name).write_bytes(body)
    assert not panel.files.choose_source("folder", folder=str(tmp_path))
    text = panel.data_controls.error.text()
    assert FILE_NAMES[0] in text and "12 images" in text and "3 labels" in text
