"""The state of one training run, without Qt: what ``explorer.training``'s worker steps.

- ``TrainingSession``: the network, the data, the suspended epoch (the engine's
  ``Network.epoch_steps`` generator: shuffled once per epoch, contiguous mini-batches, one BLAS
  thread) and the append-only history (cost per mini-batch, accuracies); it survives Pause / Stop /
  Start. ``step(eta)`` trains one mini-batch; ``snapshot()`` returns an immutable ``Snapshot``
  (copied weights, read-only views of the history) that is safe to hand to another thread.
- ``SharedValue``: a float the GUI writes and the worker reads before every mini-batch (eta).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from explorer.core.network import Network, TrainingDiverged

SUBSET_SIZE = 1000  # the fixed test subset evaluated every few hundred mini-batches
SUBSET_EVERY = 200  # mini-batches between two subset evaluations
EVAL_CHUNK = 2000  # images per piece of the end-of-epoch evaluation
# A run whose cost stays finite but explodes has diverged too (softmax + cross-entropy never
# overflows: with eta = 1000 the cost jumps from ~3 to 1e9 while every number stays finite):
# the mean cost of BLOWUP_WINDOW mini-batches above BLOWUP_FACTOR times the untrained network's.
# (Measured on the sample, 784-30-10: runs that learn stay below 2x; eta >= 10 with
# cross-entropy reaches 20x to 1e8x within the first epoch.)
BLOWUP_WINDOW = 20
BLOWUP_FACTOR = 20.0


class AllEpochsTrained(RuntimeError):
    """``step`` was called after the last epoch (the epoch count may be lowered while training)."""


class CostExploded(TrainingDiverged):
    """The cost stayed finite but grew BLOWUP_FACTOR times above the untrained network's."""

    def __init__(self, batch_index: int, cost: float, start_cost: float) -> None:
        self.start_cost = start_cost
        self.factor = cost / start_cost
        super().__init__(batch_index, cost, f"the mean cost of the last {BLOWUP_WINDOW} mini-batches grew to "
                                            f"{cost:.3g}, {self.factor:.3g} times the untrained network's "
                                            f"{start_cost:.3g}")


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
        self._blowup_reference: float | None = None  # the untrained network's cost (first mini-batch)
        self._blowup_since = 0  # the blow-up window starts after the last reported blow-up
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
            raise AllEpochsTrained(f"all {self.epochs} epochs are trained")
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
        self._check_blowup(batch_index)
        return float(cost)

    def _check_blowup(self, batch_index: int) -> None:
        """Raise ``CostExploded`` when the recent mean cost is far above the untrained network's.

        Called after a mini-batch is fully recorded, so the run can go on (e.g. with a smaller
        eta): the next check needs a fresh window and a further ``BLOWUP_FACTOR``-fold growth.
        """
        if self.batches_done % BLOWUP_WINDOW:  # once per window: a few us, not per mini-batch
            return
        if self._blowup_reference is None:
            self._blowup_reference = max(float(self._costs[0]), 0.1)  # measured before any update
        if self.batches_done - self._blowup_since < BLOWUP_WINDOW:
            return
        recent = float(np.mean(self._costs[self.batches_done - BLOWUP_WINDOW: self.batches_done]))
        if recent > BLOWUP_FACTOR * self._blowup_reference:
            reference = self._blowup_reference
            self._blowup_reference = recent
            self._blowup_since = self.batches_done
            raise CostExploded(batch_index, recent, reference)

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
    if isinstance(exc, CostExploded):
        times = f"{exc.factor:.0f}" if exc.factor < 1000 else "more than a thousand"
        return (f"Training diverged{where}: the cost grew to {exc.cost:.3g}, {times} times the untrained "
                f"network's, because the learning rate eta = {learning_rate:g} is too large for this network. "
                f"Press Reset and try a smaller eta, such as {smaller}.")
    return (f"Training diverged{where}: the cost became infinite or NaN because the learning rate "
            f"eta = {learning_rate:g} is too large for this network. Try a smaller eta, such as {smaller}. "
            "The network keeps its last finite weights.")


