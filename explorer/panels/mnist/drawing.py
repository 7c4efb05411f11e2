"""Drawing training snapshots in the MNIST panel: one small job per timer tick while training.

A mixin of ``MnistPanel`` (which provides the widgets, ``trainer``, ``data`` and the view network).
While training, each tick of the frame timer does ONE of ``JOBS`` with the newest snapshot, so no
single event-loop task is long and the GUI stays responsive (see ``benchmarks/ui_latency.py``):
the cost curve every other tick, the rest in turn. Paused, finished or idle: everything at once.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import QTimer

from explorer.core.digit_preprocess import preprocess_digit
from explorer.training import Snapshot

FRAME_MS = 50  # the cost curve every other tick (10 a second), the rest in turn (every 0.4 s)
JOBS = ("cost", "labels", "cost", "accuracy", "cost", "views", "cost", "drawing")
HEAVY_MS = 500  # the visible tab's view (digit grid, confusion, weights, outputs): at most 2 a second


class SnapshotDrawing:
    def _frame(self) -> None:
        """One small drawing job per tick while training (see JOBS); everything once it stops.

        The worker holds back from here until the event loop has painted this tick's changes
        (``_release_after_paint``): see ``Trainer.hold_for_gui``.
        """
        self.trainer.hold_for_gui()
        try:
            snap = self.trainer.take_latest()
            if snap is not None:
                changed = self._snap is None or snap.state != self._snap.state
                self._snap = snap
                if snap.state != "running":
                    self._show(snap, force_heavy=True)
                if changed:
                    self._update_buttons()
            snap = self._snap
            if snap is not None and snap.state == "running":
                job = JOBS[self._job % len(JOBS)]
                self._job += 1
                if self._drawn_serial.get(job) != snap.serial:
                    self._drawn_serial[job] = snap.serial
                    self._run_job(job, snap)
        finally:
            self._release_after_paint(3)

    def _release_after_paint(self, depth: int) -> None:
        """Let the worker go once the event loop has painted: scene changes reach the screen through
        up to two queued calls (dirty items, then the view's update request), so the release is
        queued behind them by re-posting itself ``depth`` times."""
        if depth <= 0:
            self.trainer.release_gui()
        else:
            QTimer.singleShot(0, lambda: self._release_after_paint(depth - 1))

    def _run_job(self, job: str, snap: Snapshot) -> None:
        if job == "cost":
            self.plots.update_cost(snap)
        elif job == "accuracy":
            self.plots.update_accuracy(snap)
        elif job == "labels":
            self._update_labels(snap)
        elif job == "views":
            self._draw_heavy()
        elif job == "drawing" and self._drawn:
            self._view_net.weights = list(snap.weights)
            self._view_net.biases = list(snap.biases)
            self._update_drawing()

    def _show(self, snap: Snapshot, force_heavy: bool = False) -> None:
        """Draw every view from ``snap`` at once (idle, paused, finished; tests)."""
        self._snap = snap
        self._drawn_serial.clear()
        self.plots.update_from(snap)
        self._update_labels(snap)
        self._draw_heavy(force=force_heavy or snap.state != "running")

    def _update_labels(self, snap: Snapshot) -> None:
        tc = self.train_controls
        if snap.epochs_done >= snap.epochs:  # all trained (not "epoch 10 of 10: 0 %")
            value, text = 100, (f"all {snap.epochs} epochs trained" if snap.epochs != 1 else "the epoch is trained")
        else:
            value = int(100 * snap.epoch_fraction)
            text = f"epoch {snap.epochs_done + 1} of {snap.epochs}: {100 * snap.epoch_fraction:.0f} %"
        if value != tc.progress.value():
            tc.progress.setValue(value)
        if text != tc.progress.format():
            tc.progress.setFormat(text)
        parts = [f"{snap.images_done:,} images ({snap.batches_done:,} mini-batches)"]
        if np.isfinite(snap.learning_rate):  # the eta of the latest mini-batch: a live change shows here
            parts.append(f"η = {snap.learning_rate:g}")
        if snap.images_per_second > 0:
            parts.append(f"{snap.images_per_second:,.0f} images/s")
        if snap.state == "running" and np.isfinite(snap.seconds_left):
            parts.append(f"about {snap.seconds_left:.0f} s left")
        if snap.epoch_points:
            parts.append(f"test accuracy {100 * snap.epoch_points[-1][1]:.1f} %")
        tc.status.setText(f"{snap.state.capitalize()}. " + "; ".join(parts) + ".")

    def _draw_heavy(self, force: bool = False) -> None:
        now = time.perf_counter()
        if self._snap is None or (not force and now - self._heavy_at < HEAVY_MS / 1000):
            return
        self._heavy_at = now
        snap = self._snap
        self._view_net.weights = list(snap.weights)
        self._view_net.biases = list(snap.biases)
        tab = self.tabs.currentWidget()
        predictions = snap.subset_predictions
        labels = self.data.y_test[self.data.subset]
        if tab is self.digits:
            self.digits.set_predictions(None if predictions is None else predictions[: self.digits.count])
        elif tab is self.confusion and predictions is not None:
            self.confusion.set_counts(labels, predictions)
        elif tab is self.weights:
            self.weights.set_weights(snap.weights[0])
        elif tab is self.outputs:
            self.choose_digit(self._chosen)
        if force:
            self._update_drawing()

    def choose_digit(self, index: int) -> None:
        """Show the ten outputs for the index-th digit of the grid against its one-hot target."""
        self._chosen = index
        i = int(self.data.subset[index])
        x = self.data.X_test[i]
        activations = self._view_net.feedforward(x) if self._snap is not None and self._snap.batches_done else None
        self.outputs.set_digit(x, int(self.data.y_test[i]), activations)
        if self.tabs.currentWidget() is not self.outputs and self.sender() is self.digits:
            self.tabs.setCurrentWidget(self.outputs)

    def _drawing_changed(self) -> None:
        """The user drew: new output bars now, with the worker holding back while they paint."""
        if self.trainer.is_running():
            self.trainer.hold_for_gui()
            self._update_drawing()
            self._release_after_paint(3)
        else:
            self._update_drawing()

    def _update_drawing(self) -> None:
        canvas = self.draw.canvas
        self._drawn = not canvas.is_blank()
        if not self._drawn or self._view_net is None:
            self.draw.show_result(None, None)
            return
        inputs = preprocess_digit(canvas.ink())
        self.draw.show_result(inputs, self._view_net.feedforward(inputs))

    def drawn_prediction(self) -> int | None:
        """The network's answer for the drawn digit (None when the canvas is blank)."""
        canvas = self.draw.canvas
        if canvas.is_blank() or self._view_net is None:
            return None
        return int(self._view_net.predict(preprocess_digit(canvas.ink())))
