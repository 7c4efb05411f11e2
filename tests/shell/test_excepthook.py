"""An exception escaping a slot is logged and shown in a dialog; the app keeps running."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QTimer

from explorer.excepthook import install_excepthook
from explorer.paths import log_file


@pytest.mark.qt_no_exception_capture
def test_slot_exception_is_logged_and_shown(qtbot):
    reporter = install_excepthook()
    try:
        def broken_slot():
            raise RuntimeError("a bug in a slot")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(reporter.dialogs) == 1)
        box = reporter.dialogs[0]
        assert "keeps running" in box.text()
        assert "RuntimeError: a bug in a slot" in box.informativeText()
        assert str(log_file()) in box.informativeText()
        assert "a bug in a slot" in log_file().read_text()
        assert 'raise RuntimeError("a bug in a slot")' in log_file().read_text()
        box.accept()
        qtbot.waitUntil(lambda: reporter.dialogs == [])
    finally:
        reporter.uninstall()


def test_unwritable_log_still_shows_dialog(qtbot, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NN_EXPLORER_LOG_DIR", str(blocker / "logs"))
    reporter = install_excepthook()
    try:
        try:
            raise ValueError("boom")
        except ValueError as exc:
            reporter.handle(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: len(reporter.dialogs) == 1)
        assert "could not be saved" in reporter.dialogs[0].informativeText()
        reporter.dialogs[0].accept()
    finally:
        reporter.uninstall()
