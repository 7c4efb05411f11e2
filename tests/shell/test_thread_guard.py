"""The conftest guard really fails a test that leaves a QThread running."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

INNER_TEST = '''
from PyQt6.QtCore import QThread


class Lingering(QThread):
    def run(self):
        # Outlives the guard's 2 s grace period unless asked to stop, then ends before exit.
        for _ in range(300):
            if self.isInterruptionRequested():
                return
            self.msleep(10)


def test_leaves_a_thread_running():
    test_leaves_a_thread_running.thread = Lingering()
    test_leaves_a_thread_running.thread.start()


def test_joins_its_thread():
    t = Lingering()
    t.start()
    t.requestInterruption()
    t.wait()
'''


def test_guard_fails_a_test_that_leaves_a_qthread_running(tmp_path):
    shutil.copy(Path(__file__).parents[1] / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "qt_api=pyqt6", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    out = result.stdout + result.stderr
    assert "test left threads behind: 1 QThread(s) still running" in out, out
    assert "2 passed, 1 error" in out, out  # the lingering test errors at teardown; the clean one passes
    assert "test_joins_its_thread" not in out.split("short test summary info")[-1]
