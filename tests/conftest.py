"""Test setup: headless Qt, isolated settings and logs, and a guard against leftover threads."""

from __future__ import annotations

import os
import threading

# Before any Qt import: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_folders(tmp_path_factory):
    """Settings, logs and the MNIST cache go to temporary folders, never the user's own."""
    from PyQt6.QtCore import QSettings

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
