"""Getting the digits: the bundled sample, full MNIST (downloaded in a dialog), or a folder."""

from __future__ import annotations

import functools
import threading

from PyQt6.QtCore import QObject, QThread, pyqtSignal, pyqtSlot
from PyQt6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from explorer.core import download
from explorer.widgets.hints import hint

GUI_TIMEOUT = 10.0  # seconds a mirror may stay silent


def download_error_sentence(exc: download.DownloadError) -> str:
    """What the panel says when no mirror delivered a file: plainly "offline" when none answered."""
    if exc.unreachable:
        return ("Could not download full MNIST: no MNIST mirror could be reached. Is this computer offline? "
                "Nothing was saved; the digits loaded before are still in use.")
    reason = exc.faults[-1][1] if exc.faults else str(exc)
    return (f"Could not download full MNIST: no mirror delivered {exc.name or 'a file'} intact "
            f"(last: {reason}). Nothing was saved; the digits loaded before are still in use.")


class _DownloadWorker(QObject):
    progressed = pyqtSignal(int, int)  # bytes done, total
    finished = pyqtSignal(str)  # "" on success, else the error sentence ("cancelled" if cancelled)

    def __init__(self, cancel: threading.Event, fetch=None) -> None:
        super().__init__()
        self.cancel = cancel
        # A stalled mirror is given up after GUI_TIMEOUT s (the core's default is 30): Cancel waits
        # for the socket, and behind a firewall that drops packets "offline" is said 3x sooner.
        self._fetch = fetch or functools.partial(download.download_mnist, timeout=GUI_TIMEOUT)

    @pyqtSlot()
    def run(self) -> None:
        try:
            self._fetch(progress=lambda done, total: self.progressed.emit(int(done), int(total)), cancel=self.cancel)
        except download.DownloadCancelled:
            self.finished.emit("cancelled")
            return
        except download.DownloadError as exc:
            self.finished.emit(download_error_sentence(exc))
            return
        except Exception as exc:  # disk full, no permission, ...
            self.finished.emit(f"Could not download MNIST: {exc}. Nothing half-written was kept.")
            return
        self.finished.emit("")


class DownloadDialog(QDialog):
    """Downloads full MNIST with a progress bar and a Cancel button; ``error`` says what went wrong.

    ``fetch`` (for tests) replaces ``explorer.core.download.download_mnist``; it is called as
    ``fetch(progress=callback, cancel=event)``.
    """

    def __init__(self, parent: QWidget | None = None, fetch=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Download full MNIST")
        self.error = ""
        self.label = QLabel(f"Downloading the 70,000 MNIST digits (about 11 MB) into\n{download.mnist_dir()}")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        hint(self.cancel_button, "Stop the download; nothing half-written is kept.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _DownloadWorker(self._cancel, fetch)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.finished.connect(self._finished)
        self._worker.finished.connect(self._thread.quit)
        self.cancel_button.clicked.connect(self.cancel)

    def start(self) -> None:
        self._thread.start()

    def exec(self) -> int:  # noqa: A003 - Qt API
        self.start()
        return super().exec()

    def cancel(self) -> None:
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")

    def _progressed(self, done: int, total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.bar.setFormat(f"{done / 1e6:.1f} of {total / 1e6:.1f} MB")

    def _finished(self, error: str) -> None:
        self.error = error
        self._thread.quit()
        self._thread.wait(2000)
        if error:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        if self._thread.isRunning():  # closing the dialog cancels the download first
            self.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._thread.isRunning():
            self.cancel()
            self._thread.wait(3000)
        super().done(result)
