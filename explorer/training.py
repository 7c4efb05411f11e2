"""Train a ``Network`` off the GUI thread, live (DESIGN.md conventions 4 and 5).

Three layers, each with one job:

- ``TrainingSession`` (no Qt): the state of one training run that survives Pause / Stop / Start:
  the network, the data, the shuffled order of the current epoch and the position in it, and the
  append-only history (cost per mini-batch, accuracies). ``step(eta)`` trains one mini-batch;
  ``snapshot()`` returns an immutable ``Snapshot`` (copied weights, read-only views of history).
- ``TrainingWorker`` (a QObject living in a QThread): the loop. Between mini-batches it checks
  plain ``threading.Event`` flags (stop, pause, single steps), never queued slots, reads the
  learning rate from a shared value (a change applies from the next mini-batch), and publishes
  a snapshot at most ``max_rate`` times a second by storing it in a one-slot mailbox.
- ``Trainer`` (a QObject in the GUI thread): what a panel uses: start / pause / resume / stop /
  step / set_learning_rate / take_latest / shutdown. The GUI polls ``take_latest()`` on its own
  timer, so it draws only the newest snapshot and stale ones are simply overwritten.

Training holds Python's GIL in short bursts between NumPy calls. To keep the GUI thread's
event loop responsive the worker trains a few mini-batches per burst and then yields the
interpreter briefly (``yield_every`` seconds of work, then ``time.sleep(yield_sleep)``), and
``sys.setswitchinterval`` is lowered while a run is live (see ``benchmarks/ui_latency.py``).
"""

from __future__ import annotations

import math
import sys
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from PyQt6.QtCore import QObject, QThread, pyqtSignal, pyqtSlot

from explorer.core.network import Network, TrainingDiverged

SUBSET_SIZE = 1000  # the fixed test subset evaluated every few hundred mini-batches
SUBSET_EVERY = 200  # mini-batches between two subset evaluations
SWITCH_INTERVAL = 0.001  # seconds; CPython's default is 0.005
EVAL_CHUNK = 2000  # images per piece of the end-of-epoch evaluation
GUI_HOLD_MAX = 0.05  # the worker waits at most this long for a GUI frame to finish


class SharedValue:
    """A float shared between threads: the GUI writes, the worker reads before every mini-batch."""

    def __init__(self, value: float) -> None:
        self._lock = threading.Lock()
        self._value = float(value)

    def get(self) -> float:
        with self._lock:
            return self._value

    def set(self, value: float) -> None:
        with self._lock:
            self._value = float(value)


@dataclass(frozen=True)
class TrainingData:
    """The arrays a run trains and tests on, and the fixed 1,000-image test subset."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    subset: np.ndarray  # indices into the test set

    @classmethod
    def from_arrays(cls, X_train, y_train, X_test, y_test, seed: int = 0,
                    subset_size: int = SUBSET_SIZE) -> "TrainingData":
        n = len(X_test)
        rng = np.random.default_rng(seed)
        subset = np.sort(rng.permutation(n)[: min(subset_size, n)])
        return cls(X_train, np.asarray(y_train), X_test, np.asarray(y_test), subset)


@dataclass(frozen=True)
class Snapshot:
    """What the GUI draws: copies and read-only views, never the live network."""

    serial: int
    state: str  # "idle", "running", "paused", "finished", "stopped", "diverged", "failed"
    epochs_done: int
    epochs: int
    batch_in_epoch: int
    batches_per_epoch: int
    batches_done: int
    images_done: int
    learning_rate: float
    weights: tuple
    biases: tuple
    costs: np.ndarray  # cost of every mini-batch so far (read-only)
    subset_points: tuple  # ((batches_done, accuracy on the subset), ...)
    subset_predictions: np.ndarray | None  # latest predictions on the subset
    epoch_points: tuple  # ((epoch, test accuracy, train accuracy), ...)
    images_per_second: float
    seconds_left: float
    message: str = ""

    @property
    def epoch_fraction(self) -> float:
        return self.batch_in_epoch / self.batches_per_epoch if self.batches_per_epoch else 0.0


def _frozen(array: np.ndarray) -> np.ndarray:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


class TrainingSession:
    """One run's state, kept across Pause / Stop / Start; trains one mini-batch per ``step``.

    Only one thread may call ``step`` at a time (the worker while it runs, else the GUI).
    """

    def __init__(self, network: Network, data: TrainingData, batch_size: int, epochs: int) -> None:
        if batch_size <= 0:
            raise ValueError(f"the mini-batch size m must be a positive whole number, got {batch_size}")
        if epochs <= 0:
            raise ValueError(f"the number of epochs must be positive, got {epochs}")
        if len(data.X_train) == 0:
            raise ValueError("there are no training images")
        self.network = network
        self.data = data
        self.batch_size = int(batch_size)
        self.epochs = int(epochs)
        self.batches_per_epoch = math.ceil(len(data.X_train) / self.batch_size)
        self.n_train = len(data.X_train)
        self._eta_source = 3.0
        self._steps = None  # the suspended epoch_steps generator of the current epoch
        self._seen_cost, self._seen = 0.0, 0
        self.batch_in_epoch = 0
        self.epochs_done = 0
        self._costs = np.empty(self.batches_per_epoch * self.epochs, dtype=np.float64)
        self.batches_done = 0
        self.images_done = 0
        self.subset_points: list[tuple[int, float]] = []
        self.subset_predictions: np.ndarray | None = None
        self.epoch_points: list[tuple[int, float, float]] = []
        self.train_seconds = 0.0
        self.learning_rate = float("nan")
        self._serial = 0
        # Called between chunks of the end-of-epoch evaluation: the worker waits there while the
        # GUI draws, so a long evaluation never keeps the GUI waiting for the interpreter.
        self.checkpoint = lambda: None

    @property
    def done(self) -> bool:
        return self.epochs_done >= self.epochs

    @property
    def costs(self) -> np.ndarray:
        view = self._costs[: self.batches_done]
        view.flags.writeable = False
        return view

    def step(self, learning_rate) -> float:
        """Train one mini-batch; evaluate when the subset period or the epoch ends; return its cost.

        ``learning_rate``: a float or a zero-argument callable (read before the mini-batch).
        Uses the core's ``Network.epoch_steps`` generator (shuffled once per epoch, contiguous
        mini-batches, one BLAS thread); the suspended generator is kept between calls, so a
        paused or stopped run continues mid-epoch. Raises ``TrainingDiverged`` (the network keeps
        its last finite weights; the next step starts a new epoch).
        """
        if self.done:
            raise RuntimeError("all epochs are trained")
        if self._steps is None:
            self._steps = self.network.epoch_steps(self.data.X_train, self.data.y_train, self.batch_size,
                                                   self._current_eta, every=1)
            self._seen_cost, self._seen = 0.0, 0
        self._eta_source = learning_rate
        t0 = time.perf_counter()
        try:
            batch_index, running = next(self._steps)
        except TrainingDiverged:
            self._steps = None
            self.batch_in_epoch = 0
            raise
        finally:
            self.train_seconds += time.perf_counter() - t0
        seen = min((batch_index + 1) * self.batch_size, self.n_train)
        total = running * seen
        cost = (total - self._seen_cost) / max(seen - self._seen, 1)  # this mini-batch's mean cost
        m = seen - self._seen
        self._seen_cost, self._seen = total, seen
        self.learning_rate = self._current_eta()
        if self.batches_done >= self._costs.size:  # more epochs were asked for: grow the history
            grown = np.empty(max(2 * self._costs.size, 1024), dtype=np.float64)
            grown[: self.batches_done] = self._costs[: self.batches_done]
            self._costs = grown
        self._costs[self.batches_done] = cost
        self.batches_done += 1
        self.images_done += m
        self.batch_in_epoch = batch_index + 1
        if self.batches_done % SUBSET_EVERY == 0:
            self.evaluate_subset()
        if seen >= self.n_train:  # the epoch is complete: let the generator finish, then evaluate
            try:
                next(self._steps)
            except StopIteration:
                pass
            self._steps = None
            self.batch_in_epoch = 0
            self.epochs_done += 1
            self.evaluate_subset()
            test = self._accuracy(self.data.X_test, self.data.y_test)
            train = self._accuracy(self.data.X_train, self.data.y_train)
            self.epoch_points.append((self.epochs_done, test, train))
        return float(cost)

    def _current_eta(self) -> float:
        source = self._eta_source
        return float(source() if callable(source) else source)

    def close(self) -> None:
        """Drop the suspended epoch (e.g. on Reset); call only while no worker runs."""
        if self._steps is not None:
            self._steps.close()
            self._steps = None
            self.batch_in_epoch = 0

    def _accuracy(self, X, y, chunk: int = EVAL_CHUNK) -> float:
        """Fraction classified right, in chunks with a checkpoint between them."""
        if len(X) == 0:
            return float("nan")
        right = 0
        for start in range(0, len(X), chunk):
            self.checkpoint()
            right += int(np.count_nonzero(self.network.predict(X[start:start + chunk]) == y[start:start + chunk]))
        return right / len(X)

    def evaluate_subset(self) -> None:
        if len(self.data.subset) == 0:
            return
        X = self.data.X_test[self.data.subset]
        predictions = np.asarray(self.network.predict(X))
        accuracy = float(np.mean(predictions == self.data.y_test[self.data.subset]))
        predictions.flags.writeable = False
        self.subset_predictions = predictions
        if not self.subset_points or self.subset_points[-1][0] != self.batches_done:
            self.subset_points.append((self.batches_done, accuracy))

    def images_per_second(self) -> float:
        return self.images_done / self.train_seconds if self.train_seconds > 0 else 0.0

    def seconds_left(self) -> float:
        rate = self.images_per_second()
        if rate <= 0:
            return float("nan")
        total = self.epochs * len(self.data.X_train)
        left_images = max(total - self.epochs_done * len(self.data.X_train)
                          - min(self.batch_in_epoch * self.batch_size, len(self.data.X_train)), 0)
        return left_images / rate

    def snapshot(self, state: str, message: str = "") -> Snapshot:
        self._serial += 1
        return Snapshot(
            serial=self._serial, state=state, epochs_done=self.epochs_done, epochs=self.epochs,
            batch_in_epoch=self.batch_in_epoch, batches_per_epoch=self.batches_per_epoch,
            batches_done=self.batches_done, images_done=self.images_done,
            learning_rate=self.learning_rate,
            weights=tuple(_frozen(w) for w in self.network.weights),
            biases=tuple(_frozen(b) for b in self.network.biases),
            costs=self.costs, subset_points=tuple(self.subset_points),
            subset_predictions=self.subset_predictions, epoch_points=tuple(self.epoch_points),
            images_per_second=self.images_per_second(), seconds_left=self.seconds_left(),
            message=message,
        )


def diverged_message(exc: BaseException, learning_rate: float) -> str:
    """The sentence shown when training blows up."""
    smaller = f"{learning_rate / 10:g}" if learning_rate > 0 else "a smaller value"
    where = getattr(exc, "batch_index", None)
    where = f" at mini-batch {where + 1} of the epoch" if isinstance(where, int) else ""
    return (f"Training diverged{where}: the cost became infinite or NaN because the learning rate "
            f"eta = {learning_rate:g} is too large for this network. Try a smaller eta, such as {smaller}. "
            "The network keeps its last finite weights.")


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
            state, message = self._loop()  # the core limits BLAS to one thread while training
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
                return "finished", f"Finished: {session.epochs} epochs trained."
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
        """Stop the worker and wait (at most ``timeout`` s) for its thread. True if it ended."""
        ok = True
        if self._thread is not None:
            self.stop()
            self._thread.quit()
            ok = self._thread.wait(int(timeout * 1000))
            if ok:
                self._thread = None
        self._restore_switch()
        return ok
