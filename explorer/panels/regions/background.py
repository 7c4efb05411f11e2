"""Enumerations off the GUI thread: one job running, only the newest request waiting.

A weight drag or a zoom asks for a new enumeration many times a second; 2-64-64-64 takes about
0.1-0.5 s each. ``LatestWorker`` runs one job at a time in its own one-thread pool, keeps only the
newest waiting request (older ones are never run) and hands each finished result to the GUI
thread through a queued signal, so the window keeps painting and the mouse keeps moving. A result
that is already a step behind is still shown (during a drag the regions follow a step late rather
than not at all); only ``cancel`` drops results.
"""

from __future__ import annotations

from PyQt6.QtCore import QObject, QRunnable, QThreadPool, pyqtSignal


class _Relay(QObject):
    """Lives in the GUI thread; the pool thread emits on it, Qt queues the call to the GUI."""

    done = pyqtSignal(int, object, object)   # job id, tag, result (a value or the Exception raised)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, job_id: int, tag, fn):
        super().__init__()
        self.relay, self.job_id, self.tag, self.fn = relay, job_id, tag, fn

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI, which says what went wrong
            result = exc
        try:
            self.relay.done.emit(self.job_id, self.tag, result)
        except RuntimeError:      # the panel was deleted meanwhile: nobody to tell
            pass


class LatestWorker(QObject):
    """``submit(fn, tag)`` runs ``fn()`` off the GUI thread; ``finished(tag, result)`` is emitted for
    every job that ran and was not cancelled, in submission order (``result`` is ``fn``'s value, or
    the exception it raised). ``is_latest(tag)`` tells whether no newer request is waiting."""

    finished = pyqtSignal(object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(500)       # the idle thread ends soon after the last job
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._latest = 0
        self._cancelled = 0          # results of jobs with an id up to this are dropped
        self._running = False
        self._waiting = None

    def submit(self, fn, tag=None) -> None:
        self._latest += 1
        self._waiting = _Job(self._relay, self._latest, tag, fn)
        if not self._running:
            self._launch()

    def cancel(self) -> None:
        """Forget the waiting request and drop the running job's result when it comes."""
        self._cancelled = self._latest
        self._waiting = None

    def has_waiting(self) -> bool:
        """True when a newer request waits (the result being delivered is already a step behind)."""
        return self._waiting is not None

    def is_busy(self) -> bool:
        return self._running or self._waiting is not None

    def shutdown(self, msecs: int = 3000) -> bool:
        """Cancel, and wait (bounded) for a running job to end; True if none is left."""
        self.cancel()
        if self._pool.waitForDone(msecs):
            self._running = False             # its result, still queued, will be dropped
        return not self._running

    def _launch(self) -> None:
        job, self._waiting = self._waiting, None
        self._running = True
        self._pool.start(job)

    def _done(self, job_id: int, tag, result) -> None:
        self._running = False
        if self._waiting is not None:
            self._launch()
        if job_id > self._cancelled:
            self.finished.emit(tag, result)
