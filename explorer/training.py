"""Train a ``Network`` off the GUI thread, live (DESIGN.md conventions 4 and 5).

- ``TrainingSession`` (``explorer.training_session``, no Qt): one run's state, stepped one
  mini-batch at a time; ``snapshot()`` gives immutable copies for the GUI.
- ``TrainingWorker`` (a QObject living in a QThread): the loop. Between mini-batches it checks
  plain ``threading.Event`` flags (stop, pause, single steps), never queued slots, reads the
  learning rate from a shared value (a change applies from the next mini-batch), and publishes
  a snapshot at most ``max_rate`` times a second by storing it in a one-slot mailbox.
- ``Trainer`` (a QObject in the GUI thread): what a panel uses: start / pause / resume / stop /
  step / set_learning_rate / take_latest / shutdown. The GUI polls ``take_latest()`` on its own
  timer, so it draws only the newest snapshot and stale ones are simply overwritten.

Smoothness (measured in ``benchmarks/ui_latency.py``): training holds Python's GIL in short
bursts between NumPy calls, and Python code in the GUI thread needs the GIL back after almost
every Qt call, so a frame drawn while the worker runs can take ten times longer. The GUI
therefore brackets each drawing tick with ``hold_for_gui()`` / ``release_gui()``: the worker
waits between mini-batches (and between pieces of its end-of-epoch evaluation) until the tick
is painted. ``sys.setswitchinterval`` is set to ``SWITCH_INTERVAL`` while a run is live.
"""

from __future__ import annotations

import sys
import threading
import time

from PyQt6.QtCore import QObject, QThread, pyqtSignal, pyqtSlot

from explorer.core.backprop import blas_one_thread
from explorer.core.network import TrainingDiverged
from explorer.training_session import (SUBSET_EVERY, AllEpochsTrained, SUBSET_SIZE, SharedValue, Snapshot,  # noqa: F401
                                       TrainingData, TrainingSession, diverged_message)

SWITCH_INTERVAL = 0.001  # seconds; CPython's default is 0.005
GUI_HOLD_MAX = 0.05  # the worker waits at most this long for a GUI frame to finish


class TrainingWorker(QObject):
    """The loop, run in a QThread. Flags are ``threading.Event``s checked between mini-batches."""

    progressed = pyqtSignal()  # a new snapshot is in the mailbox (at most max_rate per second)
    finished = pyqtSignal(str, str)  # final state, message

    def __init__(self, session: TrainingSession, learning_rate: SharedValue, *, start_paused: bool = False,
                 max_rate: float = 20.0, yield_every: float | None = None, yield_sleep: float = 0.0002,
                 gui_idle: threading.Event | None = None) -> None:
        super().__init__()
        self.session = session
        self.learning_rate = learning_rate
        self.stop_flag = threading.Event()
        self.run_flag = threading.Event()  # set = running, clear = paused
        if not start_paused:
            self.run_flag.set()
        self.wake = threading.Event()
        self.gui_idle = gui_idle if gui_idle is not None else threading.Event()
        if gui_idle is None:
            self.gui_idle.set()
        self._steps_lock = threading.Lock()
        self._steps = 0
        self._period = 1.0 / max_rate
        self.yield_every = yield_every
        self.yield_sleep = yield_sleep
        self._mailbox_lock = threading.Lock()
        self._mailbox: Snapshot | None = None
        self._last_publish = 0.0

    # --- called from the GUI thread --------------------------------------------------------
    def request_step(self) -> None:
        with self._steps_lock:
            self._steps += 1
        self.wake.set()

    def take(self) -> Snapshot | None:
        with self._mailbox_lock:
            snap, self._mailbox = self._mailbox, None
        return snap

    # --- the worker thread -----------------------------------------------------------------
    def _take_step_request(self) -> bool:
        with self._steps_lock:
            if self._steps:
                self._steps -= 1
                return True
            return False

    def _publish(self, state: str, message: str = "", force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last_publish < self._period:
            return
        self._last_publish = now
        snap = self.session.snapshot(state, message)
        with self._mailbox_lock:
            self._mailbox = snap
        self.progressed.emit()

    @pyqtSlot()
    def run(self) -> None:
        state, message = "stopped", ""
        try:
            # One BLAS thread for the whole run: the engine limits it while an epoch runs, and
            # this covers the evaluations between epochs too (a second BLAS thread would fight
            # the GUI thread for the other core).
            with blas_one_thread():
                state, message = self._loop()
        except Exception as exc:  # never let an exception escape a thread
            state, message = "failed", f"Training failed: {exc}"
        finally:
            self.session.checkpoint = lambda: None
        self._publish(state, message, force=True)
        self.finished.emit(state, message)

    def _wait_for_gui(self) -> None:
        if not self.gui_idle.is_set():
            self.gui_idle.wait(GUI_HOLD_MAX)

    def _loop(self) -> tuple[str, str]:
        session = self.session
        session.checkpoint = self._wait_for_gui
        burst_start = time.perf_counter()
        while True:
            if self.stop_flag.is_set():
                return "stopped", ""
            if session.done:
                return "finished", f"Finished: {session.epochs} epoch{'s' if session.epochs != 1 else ''} trained."
            single = False
            if not self.run_flag.is_set():
                if self._take_step_request():
                    single = True
                else:
                    if self._last_state != "paused":
                        self._publish("paused", force=True)
                    self._last_state = "paused"
                    self.wake.wait(0.1)
                    self.wake.clear()
                    continue
            if not self.gui_idle.is_set():  # the GUI is drawing a frame: give it the interpreter
                self.gui_idle.wait(GUI_HOLD_MAX)
                burst_start = time.perf_counter()
            try:
                session.step(self.learning_rate.get)
            except AllEpochsTrained:  # the GUI lowered the epoch count just now
                continue
            except TrainingDiverged as exc:
                return "diverged", diverged_message(exc, self.learning_rate.get())
            self._last_state = "paused" if single else "running"
            self._publish("paused" if single else "running", force=single)
            now = time.perf_counter()
            if self.yield_every is not None and now - burst_start >= self.yield_every:
                time.sleep(self.yield_sleep)  # let the GUI thread take the interpreter
                burst_start = time.perf_counter()

    _last_state = ""


class Trainer(QObject):
    """The GUI-side handle of a training run: owns the QThread and the worker."""

    progressed = pyqtSignal()
    finished = pyqtSignal(str, str)

    def __init__(self, parent: QObject | None = None, switch_interval: float | None = SWITCH_INTERVAL,
                 **worker_options) -> None:
        """``switch_interval``: ``sys.setswitchinterval`` while a run is live (None: leave it);
        ``worker_options``: ``max_rate``, ``yield_every``, ``yield_sleep`` of ``TrainingWorker``."""
        super().__init__(parent)
        self.switch_interval = switch_interval
        self.gui_idle = threading.Event()  # cleared while the GUI draws a frame (see gui_frame)
        self.gui_idle.set()
        self.learning_rate = SharedValue(3.0)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._worker_options = worker_options
        self._old_switch: float | None = None
        self.session: TrainingSession | None = None

    def is_running(self) -> bool:
        """True while a worker thread is alive (running or paused)."""
        return self._thread is not None and self._thread.isRunning()

    def is_paused(self) -> bool:
        return self._worker is not None and self.is_running() and not self._worker.run_flag.is_set()

    def set_learning_rate(self, eta: float) -> None:
        if not eta > 0:
            raise ValueError(f"the learning rate eta must be positive, got {eta}")
        self.learning_rate.set(eta)

    def start(self, session: TrainingSession, *, paused: bool = False) -> None:
        """Run ``session`` in a new thread (resuming where it stands)."""
        if self.is_running():
            raise RuntimeError("training is already running")
        self._cleanup()
        self.session = session
        worker = TrainingWorker(session, self.learning_rate, start_paused=paused, gui_idle=self.gui_idle,
                                **self._worker_options)
        thread = QThread()
        thread.setObjectName("nn-explorer training")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progressed)
        worker.finished.connect(self._on_finished)
        worker.finished.connect(thread.quit)
        self._worker, self._thread = worker, thread
        if self._old_switch is None and self.switch_interval is not None:
            self._old_switch = sys.getswitchinterval()
            sys.setswitchinterval(self.switch_interval)
        thread.start()

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.run_flag.clear()
            self._worker.wake.set()

    def resume(self) -> None:
        if self._worker is not None:
            self._worker.run_flag.set()
            self._worker.wake.set()

    def step(self) -> None:
        """One mini-batch; the run stays paused."""
        if self._worker is not None:
            self._worker.run_flag.clear()
            self._worker.request_step()

    def stop(self) -> None:
        self.gui_idle.set()
        if self._worker is not None:
            self._worker.stop_flag.set()
            self._worker.run_flag.set()
            self._worker.wake.set()

    def hold_for_gui(self) -> None:
        """The GUI starts a frame: the worker waits before its next mini-batch until ``release_gui``.

        Python code in the GUI thread otherwise waits for the interpreter lock at almost every
        Qt call while the worker trains, so a 5 ms frame can take 100 ms or more. With the worker
        holding back for the frame (never longer than ``GUI_HOLD_MAX``), the frame runs at full
        speed and training loses only the frame's own few milliseconds.
        """
        self.gui_idle.clear()

    def release_gui(self) -> None:
        self.gui_idle.set()

    def take_latest(self) -> Snapshot | None:
        """The newest snapshot not taken yet, or None; older ones were dropped."""
        return self._worker.take() if self._worker is not None else None

    def _on_finished(self, state: str, message: str) -> None:
        if self.sender() is not self._worker:
            return  # a run that shutdown() already ended (e.g. before a Reset): not news any more
        # The worker's run() has returned (finished is its last act): let the thread end, so that
        # is_running() is already False for whoever handles our finished signal.
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(2000)
        self._restore_switch()
        self.finished.emit(state, message)

    def _restore_switch(self) -> None:
        if self._old_switch is not None:
            sys.setswitchinterval(self._old_switch)
            self._old_switch = None

    def _cleanup(self) -> None:
        if self._thread is not None and not self._thread.isRunning():
            self._thread.wait(100)
            self._thread.deleteLater()
            self._thread = None

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stop the worker and wait (at most ``timeout`` s) for its thread. True if it ended.

        The ended run is forgotten: no ``finished`` signal and no snapshot come from it later.
        """
        ok = True
        if self._thread is not None:
            self.stop()
            self._thread.quit()
            ok = self._thread.wait(int(timeout * 1000))
            if ok:
                self._thread = None
                self._worker = None
        self._restore_switch()
        return ok
