"""Test setup: headless Qt, isolated settings and logs, and a guard against leftover threads."""

from __future__ import annotations

import hashlib
import http.server
import os
import threading

# Before any Qt import: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_folders(tmp_path_factory):
    """Logs and the MNIST cache go to temporary folders, never the user's own (settings: below)."""
    root = tmp_path_factory.mktemp("user")
    os.environ["NN_EXPLORER_LOG_DIR"] = str(root / "logs")
    os.environ.setdefault("NN_EXPLORER_DATA", str(root / "data"))
    yield root


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory):
    """Each test starts from empty settings (window geometry, theme, last panel)."""
    from PyQt6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def _no_dangling_threads(monkeypatch):
    """Fail a test that leaves a QThread (or a non-daemon Python thread) running.

    Every QThread started during the test is recorded; at teardown each must have finished
    (a short grace period lets a stopped worker return from its last mini-batch).
    """
    from PyQt6.QtCore import QThread, QThreadPool

    started: list[QThread] = []
    original_start = QThread.start

    def recording_start(self, *args, **kwargs):
        started.append(self)
        return original_start(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", recording_start)
    before = set(threading.enumerate())
    yield
    running = []
    for thread in started:
        try:
            if thread.isRunning() and not thread.wait(2000):
                running.append(thread)
        except RuntimeError:  # the C++ object is already deleted: it is not running
            pass
    pool = QThreadPool.globalInstance()
    pool_busy = not pool.waitForDone(2000)
    leftover = [
        t for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon and t is not threading.current_thread()
    ]
    for t in leftover:
        t.join(2.0)
    leftover = [t for t in leftover if t.is_alive()]
    problems = []
    if running:
        problems.append(f"{len(running)} QThread(s) still running")
    if pool_busy:
        problems.append("QThreadPool tasks still running")
    if leftover:
        problems.append("Python threads still running: " + ", ".join(t.name for t in leftover))
    if problems:
        pytest.fail("test left threads behind: " + "; ".join(problems))


class LocalMirror:
    """An HTTP server on 127.0.0.1 (never anything else) serving files the tests make.

    ``routes[path] = bytes`` (404 otherwise); ``short[path] = n`` announces the full length but
    sends only n bytes (a truncated transfer); ``gates[path] = Event`` sends half the body, then
    waits for the event before the rest (a slow transfer); ``requests`` lists the paths asked for.
    """

    def __init__(self):
        self.routes: dict[str, bytes] = {}
        self.short: dict[str, int] = {}
        self.gates: dict[str, threading.Event] = {}
        self.requests: list[str] = []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                mirror.requests.append(self.path)
                body = mirror.routes.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                body = body[: mirror.short.get(self.path, len(body))]
                gate = mirror.gates.get(self.path)
                if gate is None:
                    self.wfile.write(body)
                else:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    gate.wait(10)
                    self.wfile.write(body[len(body) // 2:])
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       name="test-http", daemon=True)
        self.thread.start()

    def serve(self, prefix: str, files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
        """Serve ``files`` under ``prefix``; returns their (size, sha256) table."""
        for name, body in files.items():
            self.routes[prefix + name] = body
        return {name: (len(body), hashlib.sha256(body).hexdigest()) for name, body in files.items()}

    def close(self):
        for gate in self.gates.values():
            gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def local_mirror(monkeypatch):
    """A LocalMirror, reached directly (no proxy), closed after the test."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    mirror = LocalMirror()
    yield mirror
    mirror.close()
