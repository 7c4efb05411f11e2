"""The live MNIST panel: train the lecture's 784-30-10 network by SGD and watch it learn.

Slides "MNIST data", "Digit recognition using 3 layers", "Cost function", "Stochastic gradient
descent". Training runs in ``explorer.training.Trainer``'s worker thread; this panel only reads
the newest snapshot on a timer and does one small drawing job per tick (``drawing.py``); the
heavier views (digit grid, confusion matrix, weights, output bars) are refreshed at most twice a
second, and only the visible tab is drawn.
"""

from __future__ import annotations

import functools

import numpy as np
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import QApplication, QHBoxLayout, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from explorer.core import download
from explorer.core.mnist import load_mnist
from explorer.core.network import Network
from explorer.panels.base import Panel
from explorer.panels.mnist.confusion import ConfusionView
from explorer.panels.mnist.controls import (DataControls, FileControls, NetworkControls, TrainingControls,
                                            batch_work_refusal)
from explorer.panels.mnist.digit_grid import DigitGridView
from explorer.panels.mnist.drawing import FRAME_MS, SnapshotDrawing
from explorer.panels.mnist.files import PanelFiles
from explorer.panels.mnist.live_plots import LivePlots
from explorer.panels.mnist.outputs import DigitOutputsView, DrawView
from explorer.panels.mnist.weights_view import WeightsView
from explorer.style import Style
from explorer.training import Snapshot, Trainer, TrainingData, TrainingSession



@functools.lru_cache(maxsize=1)
def _load_sample():
    """The bundled sample, read once per process (arrays made read-only: they are shared)."""
    arrays = load_mnist("sample")
    for a in arrays:
        a.flags.writeable = False
    return arrays


class MnistPanel(SnapshotDrawing, Panel):
    name = "mnist"
    title = "MNIST"
    slides = ('Slides "MNIST data", "Digit recognition using 3 layers", "Cost function", '
              '"Stochastic gradient descent"')

    def __init__(self, parent: QWidget | None = None, trainer_options: dict | None = None) -> None:
        super().__init__(parent)
        self.trainer = Trainer(self, **(trainer_options or {}))
        self.trainer.finished.connect(self._training_finished)
        self.data_controls = DataControls()
        self.net_controls = NetworkControls()
        self.train_controls = TrainingControls()
        self.train_controls.style_ = self.style_  # (apply_style replaces it)
        self.file_controls = FileControls()
        self.plots = LivePlots()
        self.digits = DigitGridView()
        self.confusion = ConfusionView()
        self.weights = WeightsView()
        self.outputs = DigitOutputsView()
        self.draw = DrawView()
        self.files = PanelFiles(self)
        self._build_layout()

        self.data: TrainingData | None = None
        self.source = "sample"
        self.network: Network | None = None
        self.session: TrainingSession | None = None
        self._view_net: Network | None = None
        self._snap: Snapshot | None = None
        self._heavy_at = 0.0
        self._chosen = 0
        self._drawn = False
        self._job = 0
        self._drawn_serial: dict[str, int] = {}

        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self._frame)
        self._connect()
        self.load_data("sample")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Space anywhere in the window while this panel shows: a focused button (say Reset, just
        # clicked) or the panel list would otherwise take the key. Text fields still type spaces.
        self._space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self._space.setContext(Qt.ShortcutContext.WindowShortcut)
        self._space.setAutoRepeat(False)
        self._space.activated.connect(self.space_pressed)

    # --- layout --------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        # Left: the settings scroll; eta and the training buttons, progress and status are pinned
        # below them, so they stay on screen in presentation mode at 1280x800 too.
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 4, 4, 4)
        for group in (self.data_controls, self.net_controls, self.file_controls):
            column.addWidget(group)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.train_controls.add_live_control(self.net_controls.eta)
        side = self._side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 4, 2)
        side_column.addWidget(scroll, 1)
        side_column.addWidget(self.train_controls)
        side.setMinimumWidth(330)
        side.setMaximumWidth(400)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.digits, "Test digits")
        self.tabs.addTab(self.confusion, "Confusion matrix")
        self.tabs.addTab(self.weights, "Hidden weights")
        self.tabs.addTab(self.outputs, "One digit's outputs")
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.tabs)
        bottom.addWidget(self.draw)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 1)
        bottom.setSizes([600, 260])
        self.views = QSplitter(Qt.Orientation.Vertical)
        self.views.addWidget(self.plots)
        self.views.addWidget(bottom)
        self.views.setStretchFactor(0, 1)
        self.views.setStretchFactor(1, 1)
        self.views.setSizes([380, 420])
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(side)
        row.addWidget(self.views, 1)

    def _connect(self) -> None:
        tc = self.train_controls
        tc.start.clicked.connect(self.start)
        tc.pause.clicked.connect(self.toggle_pause)
        tc.stop.clicked.connect(self.stop)
        tc.step.clicked.connect(self.step)
        tc.reset.clicked.connect(self.reset)
        self.net_controls.eta.value_changed.connect(self._eta_changed)
        self.net_controls.changed.connect(self._settings_changed)
        self.net_controls.epochs.valueChanged.connect(self._epochs_changed)
        self.data_controls.source_chosen.connect(self.files.choose_source)
        self.draw.canvas.drawn.connect(self._drawing_changed)
        self.draw.canvas.cleared.connect(self._drawing_changed)
        self.digits.digit_chosen.connect(self.choose_digit)
        self.tabs.currentChanged.connect(lambda _: self._draw_heavy(force=True))
        self.file_controls.save.clicked.connect(lambda: self.files.save_model())
        self.file_controls.load.clicked.connect(lambda: self.files.load_model())
        self.file_controls.csv.clicked.connect(lambda: self.files.export_csv())
        self.files.build_plot_menu(self.file_controls.plot)
        self.trainer.set_learning_rate(self.net_controls.eta.value())

    # --- data and network ------------------------------------------------------------------------
    def load_data(self, source: str) -> bool:
        """Load ``source`` ("sample", "full" or a folder) and reset; on failure say why, keep the old data."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # full MNIST takes a second or two
        try:
            X_train, y_train, X_test, y_test = _load_sample() if source == "sample" else load_mnist(source)
        except (OSError, ValueError) as exc:
            self.data_controls.error.setText(f"Could not load the digits: {exc}")
            self.data_controls.error.setVisible(True)
            self.data_controls.select(self.source if self.source in ("sample", "full") else "folder")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.set_data(X_train, y_train, X_test, y_test, source)
        return True

    def set_data(self, X_train, y_train, X_test, y_test, source: str = "sample") -> None:
        """Train and test on these arrays from now on (stops training, resets the network)."""
        self.trainer.shutdown()
        self.data_controls.error.setVisible(False)
        self.source = source
        self.data = TrainingData.from_arrays(X_train, y_train, X_test, y_test)
        self.data_controls.select(source if source in ("sample", "full") else "folder")
        self.data_controls.set_full_downloaded(download.is_downloaded())
        name = {"sample": "Bundled sample", "full": "Full MNIST"}.get(source, f"Folder {source}")
        self.data_controls.counts.setText(f"{name}: {len(X_train):,} training and {len(X_test):,} test digits.")
        firsts = [int(np.argmax(y_train == d)) for d in range(10) if np.any(y_train == d)]
        self.data_controls.strip.set_images(X_train[firsts])
        self.data_controls.strip.set_captions([str(int(y_train[i])) for i in firsts])
        shown = self.data.subset[: self.digits.count]
        self.digits.set_digits(X_test[shown], y_test[shown])
        self.reset()

    def _network_settings(self) -> tuple[list[int], str, str] | None:
        try:
            hidden = self.net_controls.hidden_sizes()
        except ValueError:
            return None
        return [784, *hidden, 10], self.net_controls.activation.currentText(), self.net_controls.cost.currentData()

    def reset(self) -> bool:
        """New network with the same settings and seed (so the same initial weights); clears the curves."""
        settings = self._network_settings()
        if settings is None or self.data is None:
            self.train_controls.show_message("Fix the hidden layer sizes first.")
            return False
        self.trainer.shutdown()
        sizes, activation, cost = settings
        network = Network(sizes, activation=activation, cost=cost, seed=self.net_controls.seed.value())
        self.install_network(network)
        self.train_controls.show_message("")
        return True

    def install_network(self, network: Network) -> None:
        """Train ``network`` from here on (fresh curves); the worker must not be running."""
        self.frame_timer.stop()
        if self.session is not None:
            self.session.close()
        self.network = network
        self.session = TrainingSession(network, self.data, self.net_controls.batch.value(),
                                       self.net_controls.epochs.value())
        self._view_net = network.copy()
        self.plots.clear()
        self._show(self.session.snapshot("idle"), force_heavy=True)
        self._update_buttons()

    def _settings_changed(self) -> None:
        if not self.trainer.is_running():
            self.reset()

    def _epochs_changed(self, epochs: int) -> None:
        # (an int attribute: safe to set while the worker runs; it checks it between mini-batches)
        if self.session is not None:
            self.session.epochs = max(epochs, self.session.epochs_done)

    def _eta_changed(self, eta: float) -> None:
        self.trainer.set_learning_rate(eta)  # the worker reads it before the next mini-batch

    # --- training ------------------------------------------------------------------------------
    def _refused(self) -> bool:
        """Say why training cannot start (bad sizes, too heavy a mini-batch); True if it cannot."""
        settings = self._network_settings()
        if settings is None:
            self.train_controls.show_message("Fix the hidden layer sizes first (see the message above).")
            return True
        refusal = batch_work_refusal(list(self.network.sizes), self.session.batch_size) if self.session else ""
        if refusal:
            self.train_controls.show_message(refusal)
            return True
        return False

    def start(self) -> None:
        if self.trainer.is_running():
            self.trainer.resume()
        elif self._refused():
            return
        elif self.session is not None:
            self.session.epochs = max(self.net_controls.epochs.value(), self.session.epochs_done)
            if self.session.done:
                n = self.session.epochs
                done = f"All {n} epochs are trained" if n != 1 else "The epoch is trained"
                self.train_controls.show_message(f"{done}: raise Epochs to train on, or Reset to start again.")
                return
            self.train_controls.show_message("")
            self.trainer.start(self.session)
        self.frame_timer.start()
        self._update_buttons()

    def toggle_pause(self) -> None:
        if not self.trainer.is_running():
            return
        if self.trainer.is_paused():
            self.trainer.resume()
        else:
            self.trainer.pause()
        self._update_buttons()

    def stop(self) -> None:
        self.trainer.stop()
        self._update_buttons()

    def step(self) -> None:
        """Train exactly one mini-batch, then stay paused."""
        if self.session is None:
            return
        if not self.trainer.is_running():
            if self._refused():
                return
            if self.session.done:
                self.start()  # says why not
                return
            self.trainer.start(self.session, paused=True)
            self.frame_timer.start()
        self.trainer.step()
        self._update_buttons()

    def _training_finished(self, state: str, message: str) -> None:
        self._frame()
        self.frame_timer.stop()
        # a run that ended as asked is news, not an error: only divergence and failure are red
        self.train_controls.show_message(message, error=state in ("diverged", "failed"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        tc = self.train_controls
        running = self.trainer.is_running()
        paused = self.trainer.is_paused()
        tc.start.setEnabled(not running)
        tc.pause.setEnabled(running)
        tc.pause.setText("Resume" if paused else "Pause")
        tc.stop.setEnabled(running)
        for w in (self.net_controls.hidden, self.net_controls.activation, self.net_controls.cost,
                  self.net_controls.batch, self.net_controls.seed, self.data_controls.source,
                  self.file_controls.load):
            w.setEnabled(not running)

    def space_pressed(self) -> None:
        """Space: start, or pause / resume a run."""
        if self.trainer.is_running() and not self.trainer.is_paused():
            self.toggle_pause()
        else:
            self.start()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.space_pressed()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- Panel contract --------------------------------------------------------------------------
    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        self.plots.apply_style(style)
        for view in (self.digits, self.confusion, self.weights, self.outputs, self.draw):
            view.apply_style(style)
        self.data_controls.strip.setBackground(style.background)
        self.data_controls.strip.set_caption_font(style.font(0.9))
        self.data_controls.strip.set_caption_height(int(12 * style.scale))
        self.net_controls.diagram.set_colors(style.foreground, style.muted)
        self.net_controls.diagram.setMinimumHeight(int(70 * (1.6 if style.presentation else 1.0)))
        self.data_controls.strip.setFixedHeight(int(62 * style.scale))
        self._side.setMaximumWidth(int(400 * (1.2 if style.presentation else 1.0)))
        for label in (self.data_controls.error, self.net_controls.hidden_error):
            label.setStyleSheet(f"color: {style.bad};")
        fm = self.file_controls.message  # "Saved ..." stays green, a failure red
        fm.setStyleSheet(f"color: {style.bad if fm.property('error') in (None, True) else style.good};")
        tc = self.train_controls
        tc.style_ = style
        tc.show_message(tc.message.text(), bool(tc.message.property("error")))
        if self._snap is not None:
            self._draw_heavy(force=True)

    def figure(self) -> QWidget:
        return self.views

    def is_ready(self) -> bool:
        return self._snap is not None

    def shutdown(self) -> None:
        self.frame_timer.stop()
        self.trainer.shutdown(2.0)
        self.files.shutdown()
