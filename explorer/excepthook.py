"""Keep one bug from killing a lesson: log the traceback, show a short dialog, carry on.

PyQt6 aborts the whole process when an exception escapes a slot and ``sys.excepthook`` is the
default one. Installing our own hook turns that into a logged error and a dialog.
"""

from __future__ import annotations

import datetime
import sys
import threading
import traceback
from types import TracebackType

from PyQt6.QtCore import QObject, QThread, pyqtSignal
from PyQt6.QtWidgets import QApplication, QMessageBox

from explorer.paths import log_file


def write_log(text: str) -> str | None:
    """Append ``text`` to the log file; return its path, or None if the disk refused."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
        return str(path)
    except OSError:
        return None


class _Relay(QObject):
    """Carries a report from any thread to the GUI thread, where dialogs may be shown."""

    reported = pyqtSignal(str, str)


class ErrorReporter:
    """The installed hook. ``dialogs`` holds the open error dialogs (tests close them)."""

    def __init__(self) -> None:
        self.dialogs: list[QMessageBox] = []
        self._relay = _Relay()
        self._relay.reported.connect(self._show_dialog)
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    def install(self) -> "ErrorReporter":
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)
        return self

    def uninstall(self) -> None:
        sys.excepthook = self._previous
        threading.excepthook = self._previous_thread_hook

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        where = write_log(f"\n=== {stamp} unexpected error ===\n{details}")
        sys.stderr.write(details)
        summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
        self._relay.reported.emit(summary, where or "")

    def _show_dialog(self, summary: str, where: str) -> None:
        app = QApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("NN Explorer: something went wrong")
        box.setText("Something went wrong, but the app keeps running. You can go on with the lesson.")
        saved = f"The details were saved to {where}." if where else "The details could not be saved to disk."
        box.setInformativeText(f"{summary}\n\n{saved}")
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(lambda _result, b=box: self._forget(b))
        self.dialogs.append(box)
        box.open()  # window-modal and non-blocking: the event loop (and any training) goes on

    def _forget(self, box: QMessageBox) -> None:
        if box in self.dialogs:
            self.dialogs.remove(box)
        box.deleteLater()


def install_excepthook() -> ErrorReporter:
    return ErrorReporter().install()
