"""Downloading MNIST: a local HTTP server on 127.0.0.1 serves files the tests make."""

from __future__ import annotations

import gc
import hashlib
import io
import threading
import warnings

import numpy as np
import pytest

from explorer import download_cli
from explorer.core import download
from explorer.core.download import DownloadCancelled, DownloadError, download_mnist


@pytest.fixture
def server(local_mirror):
    return local_mirror


def make_files(server, prefix="/m1/", sizes=(3000, 500, 200_000, 90), seed=0):
    """Four files with the standard names under ``prefix``; returns the checksums table."""
    rng = np.random.default_rng(seed)
    table = {}
    for name, size in zip(download.FILE_NAMES, sizes):
        body = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        server.routes[prefix + name] = body
        table[name] = (size, hashlib.sha256(body).hexdigest())
    return table


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_success_writes_verified_files_and_reports_progress(server, tmp_path):
    table = make_files(server)
    calls = []
    dest = download_mnist(tmp_path / "cache", mirrors=[server.base + "/m1/"], checksums=table,
                          progress=lambda done, total: calls.append((done, total)))
    assert leftovers(dest) == sorted(table)
    for name, (size, sha) in table.items():
        assert (dest / name).read_bytes() == server.routes["/m1/" + name]
    total = sum(size for size, _ in table.values())
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:])) and all(t == total for _, t in calls)
    assert len(calls) > 5  # several chunks of the big file


def test_already_cached_files_are_not_fetched_again(server, tmp_path):
    table = make_files(server)
    download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table)
    first = len(server.requests)
    download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table)
    assert first == 4 and len(server.requests) == 4


def test_a_damaged_cached_file_is_replaced_or_removed(server, tmp_path):
    table = make_files(server)
    name = download.FILE_NAMES[1]
    (tmp_path / name).write_bytes(b"damaged")
    download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table)
    assert (tmp_path / name).read_bytes() == server.routes["/m1/" + name]
    (tmp_path / name).write_bytes(b"damaged")
    with pytest.raises(DownloadError):
        download_mnist(tmp_path, mirrors=[server.base + "/elsewhere/"], checksums=table)
    assert name not in leftovers(tmp_path)  # the damaged copy did not stay to pass for a download
    assert not download.is_downloaded(tmp_path)


def test_checksum_mismatch_is_rejected_and_nothing_is_left(server, tmp_path):
    table = make_files(server)
    name = download.FILE_NAMES[0]
    table[name] = (table[name][0], "0" * 64)  # the server's file does not match
    with pytest.raises(DownloadError, match="checksum mismatch") as info:
        download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table)
    assert name in str(info.value)
    assert leftovers(tmp_path) == []  # neither the file nor a .part


def test_truncated_transfer_is_rejected(server, tmp_path):
    table = make_files(server)
    name = download.FILE_NAMES[2]
    server.short["/m1/" + name] = 1000  # announces 200,000 bytes, sends 1,000
    with pytest.raises(DownloadError, match="cut short: 1000 of 200000 bytes") as info:
        download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table)
    assert name in str(info.value)
    assert name not in leftovers(tmp_path) and name + ".part" not in leftovers(tmp_path)
    assert not any(n.endswith(".part") for n in leftovers(tmp_path))


def test_first_mirror_404_then_second_succeeds(server, tmp_path):
    table = make_files(server, prefix="/good/")
    dest = download_mnist(tmp_path, mirrors=[server.base + "/missing/", server.base + "/good/"], checksums=table)
    assert leftovers(dest) == sorted(table)
    assert sum(r.startswith("/missing/") for r in server.requests) == 4
    assert sum(r.startswith("/good/") for r in server.requests) == 4


def test_an_http_error_answer_does_not_leak_its_connection(server, tmp_path):
    """urllib's HTTPError holds the open connection: it must be closed, not left to the collector."""
    table = make_files(server, prefix="/good/")
    gc.collect()  # what earlier tests left behind is not this test's leak
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        download_mnist(tmp_path, mirrors=[server.base + "/missing/", server.base + "/good/"], checksums=table)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_corrupt_first_mirror_falls_back_and_progress_restarts(server, tmp_path):
    table = make_files(server, prefix="/good/")
    for name in table:
        server.routes["/bad/" + name] = b"x" * table[name][0]  # right size, wrong bytes
    calls = []
    download_mnist(tmp_path, mirrors=[server.base + "/bad/", server.base + "/good/"], checksums=table,
                   progress=lambda done, total: calls.append(done))
    assert leftovers(tmp_path) == sorted(table)
    assert calls[-1] == sum(s for s, _ in table.values())
    assert max(calls) == calls[-1]  # a rejected file's bytes were taken back, never counted twice


def test_all_mirrors_failing_lists_each(server, tmp_path):
    table = make_files(server, prefix="/x/")
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, mirrors=[server.base + "/a/", server.base + "/b/"], checksums=table)
    message = str(info.value)
    assert "/a/" in message and "/b/" in message and "404" in message


def test_cancel_mid_file_leaves_nothing_half_written(server, tmp_path):
    table = make_files(server, sizes=(400_000, 500, 2000, 90))  # the first file is big: many chunks
    cancel = threading.Event()

    def progress(done, total):
        if done > 100_000:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table, progress=progress, cancel=cancel)
    assert leftovers(tmp_path) == []


def test_cancel_accepts_a_callable(server, tmp_path):
    table = make_files(server)
    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, mirrors=[server.base + "/m1/"], checksums=table, cancel=lambda: True)
    assert leftovers(tmp_path) == []


def test_cache_folder_honours_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_DATA", str(tmp_path / "data"))
    assert download.mnist_dir() == tmp_path / "data" / "mnist"
    assert not download.is_downloaded()
    monkeypatch.delenv("NN_EXPLORER_DATA")
    assert "nn-explorer" in str(download.data_dir())


def test_published_mirrors_and_checksums():
    assert download.MIRRORS[0].startswith("https://") and len(download.MIRRORS) >= 2
    assert download.CHECKSUMS["train-images-idx3-ubyte.gz"] == (
        9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")
    assert sum(size for size, _ in download.CHECKSUMS.values()) == 11_594_722
    assert all(len(sha) == 64 for _, sha in download.CHECKSUMS.values())


def test_command_line_downloads_with_a_progress_bar(server, tmp_path, monkeypatch):
    table = make_files(server)
    monkeypatch.setattr(download, "CHECKSUMS", table)
    monkeypatch.setattr(download_cli, "download_mnist",
                        lambda dest, **kw: download_mnist(dest, checksums=table, **kw))
    out = io.StringIO()
    code = download_cli.run(["--dest", str(tmp_path / "d"), "--mirror", server.base + "/m1/"], stream=out)
    assert code == 0
    text = out.getvalue()
    assert "100%" in text and "[" + "#" * download_cli.BAR_WIDTH + "]" in text
    assert "checksums verified" in text
    assert leftovers(tmp_path / "d") == sorted(table)


def test_command_line_failure_returns_1_with_a_message(server, tmp_path):
    out = io.StringIO()
    code = download_cli.run(["--dest", str(tmp_path), "--mirror", server.base + "/none/"], stream=out)
    assert code == 1
    assert "could not download" in out.getvalue() and "--mirror" in out.getvalue()
    assert "offline" not in out.getvalue()  # the mirror answered (404)
    assert leftovers(tmp_path) == []


def test_command_line_says_offline_when_no_mirror_answers(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = io.StringIO()
    assert download_cli.run(["--dest", str(tmp_path), "--mirror", f"http://127.0.0.1:{port}/"], stream=out) == 1
    assert "offline" in out.getvalue() and leftovers(tmp_path) == []


def test_progress_line():
    assert download_cli.progress_line(0, 100, width=10) == "[----------]    0%    0.0 / 0.0 MB"
    line = download_cli.progress_line(5_797_361, 11_594_722, width=10)
    assert line.startswith("[#####-----]   50%") and "11.6 MB" in line


def test_unreachable_mirrors_are_told_apart_from_bad_answers(server, tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connection refused, like an offline machine
    table = make_files(server)
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, mirrors=[f"http://127.0.0.1:{port}/"], checksums=table)
    assert info.value.unreachable and info.value.name == download.FILE_NAMES[0]
    assert len(info.value.faults) == 1 and info.value.faults[0][0].startswith(f"http://127.0.0.1:{port}/")
    with pytest.raises(DownloadError) as info:  # one mirror answered (404): not "offline"
        download_mnist(tmp_path, mirrors=[f"http://127.0.0.1:{port}/", server.base + "/nowhere/"], checksums=table)
    assert not info.value.unreachable and "404" in info.value.faults[1][1]
    # the module's mirror list and checksums are read at call time (the GUI and CLI use the defaults)
    monkeypatch.setattr(download, "MIRRORS", (server.base + "/m1/",))
    monkeypatch.setattr(download, "CHECKSUMS", table)
    assert leftovers(download_mnist(tmp_path / "d")) == sorted(table)
