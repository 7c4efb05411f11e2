"""The live MNIST panel, driven through its own widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PyQt6.QtCore import QEvent, QPointF, Qt
from PyQt6.QtGui import QMouseEvent
from PyQt6.QtWidgets import QApplication

from explorer.core.mnist import load_mnist
from explorer.panels.mnist import MnistPanel
from explorer.panels.mnist.controls import parse_hidden_sizes


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample")


@pytest.fixture
def panel(qtbot, sample):
    p = MnistPanel()
    qtbot.addWidget(p)
    X, y, Xt, yt = sample
    p.set_data(X[:400], y[:400], Xt[:200], yt[:200], "sample")
    p.net_controls.hidden.setText("10")
    p.net_controls.hidden.editingFinished.emit()
    p.resize(1280, 800)
    p.show()
    yield p
    p.shutdown()


def _snap_after(qtbot, panel, predicate, timeout=15000):
    def ok():
        panel._frame()
        return panel._snap is not None and predicate(panel._snap)
    qtbot.waitUntil(ok, timeout=timeout)
    return panel._snap


def test_start_pause_step_stop(qtbot, panel):
    tc = panel.train_controls
    panel.net_controls.epochs.setValue(200)
    tc.start.click()
    assert panel.trainer.is_running()
    snap = _snap_after(qtbot, panel, lambda s: s.batches_done > 20)
    assert snap.state == "running" and snap.costs.size == snap.batches_done
    assert panel.plots.raw.getData()[0] is not None and len(panel.plots.raw.getData()[0]) > 0
    tc.pause.click()
    assert tc.pause.text() == "Resume"
    snap = _snap_after(qtbot, panel, lambda s: s.state == "paused")
    done = panel.session.batches_done
    tc.step.click()
    snap = _snap_after(qtbot, panel, lambda s: s.batches_done == done + 1)
    assert snap.state == "paused" and panel.session.batches_done == done + 1
    tc.pause.click()  # resume
    _snap_after(qtbot, panel, lambda s: s.batches_done > done + 20)
    with qtbot.waitSignal(panel.trainer.finished, timeout=10000) as blocker:
        tc.stop.click()
    assert blocker.args[0] == "stopped"
    assert tc.start.isEnabled() and not tc.stop.isEnabled()
    assert "Stopped" in tc.status.text()


def test_space_starts_and_pauses(qtbot, panel):
    panel.net_controls.epochs.setValue(200)
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.trainer.is_running() and not panel.trainer.is_paused()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.trainer.is_paused()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert not panel.trainer.is_paused()


def test_step_from_idle_trains_exactly_one_minibatch(qtbot, panel):
    w0 = panel.network.weights[0].copy()
    panel.train_controls.step.click()
    snap = _snap_after(qtbot, panel, lambda s: s.batches_done == 1)
    assert snap.state == "paused" and snap.images_done == 10
    assert not np.array_equal(snap.weights[0], w0)


def test_live_eta_change_reaches_the_worker(qtbot, panel):
    panel.train_controls.step.click()
    _snap_after(qtbot, panel, lambda s: s.batches_done == 1)
    panel.net_controls.eta.setValue(0.5)
    panel.train_controls.step.click()
    snap = _snap_after(qtbot, panel, lambda s: s.batches_done == 2)
    assert snap.learning_rate == 0.5 and panel.session.learning_rate == 0.5
    assert "η = 0.5;" in panel.train_controls.status.text()  # the class sees the change


def test_reset_returns_to_the_same_initialisation(qtbot, panel):
    w0 = panel.network.weights[0].copy()
    panel.train_controls.step.click()
    _snap_after(qtbot, panel, lambda s: s.batches_done == 1)
    panel.train_controls.reset.click()
    assert not panel.trainer.is_running()
    np.testing.assert_array_equal(panel.network.weights[0], w0)
    assert panel._snap.batches_done == 0 and len(panel.plots.raw.getData()[0] or []) == 0
    panel.net_controls.seed.setValue(5)  # another seed: other weights
    assert not np.array_equal(panel.network.weights[0], w0)


def test_save_load_round_trip(qtbot, panel, tmp_path):
    panel.net_controls.epochs.setValue(1)
    with qtbot.waitSignal(panel.trainer.finished, timeout=15000):
        panel.train_controls.start.click()
    trained = [w.copy() for w in panel.network.weights]
    path = tmp_path / "model.npz"
    assert panel.files.save_model(str(path))
    assert "Saved 784-10-10" in panel.file_controls.message.text()
    panel.train_controls.reset.click()
    assert not np.array_equal(panel.network.weights[0], trained[0])
    panel.net_controls.hidden.setText("5")  # the loaded model brings its own architecture
    assert panel.files.load_model(str(path))
    assert panel.net_controls.hidden.text() == "10"
    for a, b in zip(panel.network.weights, trained):
        np.testing.assert_array_equal(a, b)
    X = panel.data.X_test[:50]
    assert (panel._view_net.predict(X) == panel.network.predict(X)).all()


def test_bad_model_file_is_refused_with_a_message(panel, tmp_path):
    bad = tmp_path / "notes.npz"
    bad.write_bytes(b"this is not a model")
    w0 = panel.network.weights[0].copy()
    assert not panel.files.load_model(str(bad))
    text = panel.file_controls.message.text()
    assert panel.file_controls.message.isVisibleTo(panel) and "not a model" in text and "notes.npz" in text
    np.testing.assert_array_equal(panel.network.weights[0], w0)


def _drag(widget, points):
    """Synthetic mouse stroke: press at the first point, move through the rest, release."""
    def send(kind, p, buttons):
        pos = QPointF(*p)
        event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove
                            else Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)
    send(QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
    for p in points[1:]:
        send(QEvent.Type.MouseMove, p, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def test_drawing_on_the_canvas_changes_the_prediction(qtbot, panel, sample):
    X, y, Xt, yt = sample
    panel.set_data(X[:3000], y[:3000], Xt[:200], yt[:200], "sample")
    panel.net_controls.hidden.setText("30")
    panel.net_controls.hidden.editingFinished.emit()
    panel.net_controls.epochs.setValue(2)
    with qtbot.waitSignal(panel.trainer.finished, timeout=10000):
        panel.train_controls.start.click()
    canvas = panel.draw.canvas
    side = min(canvas.width(), canvas.height())
    ox, oy = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    assert panel.drawn_prediction() is None
    # a vertical stroke: a "1"
    with qtbot.waitSignal(canvas.drawn, timeout=1000):
        _drag(canvas, [(ox + side * 0.5, oy + side * (0.15 + 0.7 * t / 20)) for t in range(21)])
    one = panel.drawn_prediction()
    bars_one = panel.draw.bars.bars.opts["height"].copy()
    assert one == 1
    canvas.clear()
    assert panel.drawn_prediction() is None
    # a closed ring: a "0"
    angles = np.linspace(0, 2 * np.pi, 40)
    ring = [(ox + side * (0.5 + 0.22 * np.sin(a)), oy + side * (0.5 - 0.32 * np.cos(a))) for a in angles]
    with qtbot.waitSignal(canvas.drawn, timeout=1000):
        _drag(canvas, ring)
    zero = panel.drawn_prediction()
    assert zero == 0
    assert not np.allclose(panel.draw.bars.bars.opts["height"], bars_one)  # the bars followed the drawing
    assert "0" in panel.draw.answer.text()


def test_closing_mid_training_is_clean_and_quick(qtbot, sample):
    p = MnistPanel()
    qtbot.addWidget(p)
    X, y, Xt, yt = sample
    p.set_data(X[:400], y[:400], Xt[:100], yt[:100], "sample")
    p.net_controls.epochs.setValue(500)
    p.train_controls.start.click()
    qtbot.waitUntil(lambda: p.session.batches_done > 10, timeout=10000)
    t0 = time.perf_counter()
    p.shutdown()
    p.close()
    assert time.perf_counter() - t0 < 1.0
    assert not p.trainer.is_running()


@pytest.mark.parametrize("text, fragment", [("30, x", "not a whole number"), ("0", "at least 1"),
                                            ("100000, 100000", "weights"), ("-5", "not a whole number")])
def test_bad_hidden_sizes_are_refused(panel, text, fragment):
    nc = panel.net_controls
    nc.hidden.setText(text)
    nc.hidden.textEdited.emit(text)
    assert nc.hidden_error.isVisibleTo(panel) and fragment in nc.hidden_error.text()
    panel.train_controls.start.click()
    assert not panel.trainer.is_running()
    assert "hidden layer sizes" in panel.train_controls.message.text()


def test_hidden_sizes_parse():
    assert parse_hidden_sizes("30") == [30]
    assert parse_hidden_sizes("100, 30") == [100, 30]
    assert parse_hidden_sizes(" 100 30 ") == [100, 30]
    assert parse_hidden_sizes("") == []


def test_eta_at_or_below_zero_is_refused(panel):
    eta = panel.net_controls.eta
    for text in ("0", "-1", "abc"):
        eta.line_edit.setText(text)
        eta.line_edit.editingFinished.emit()
        assert eta.is_invalid() and eta.value() == 3.0
    assert panel.trainer.learning_rate.get() == 3.0


def test_divergence_stops_with_a_sentence(qtbot, panel):
    panel.net_controls.activation.setCurrentText("relu")
    panel.net_controls.seed.setValue(1)  # (with seed 0 every ReLU dies at once and nothing overflows)
    panel.net_controls.eta.line_edit.setText("100000")  # typed beyond the slider's range
    panel.net_controls.eta.line_edit.editingFinished.emit()
    assert panel.trainer.learning_rate.get() == 100000.0
    panel.net_controls.epochs.setValue(50)
    with qtbot.waitSignal(panel.trainer.finished, timeout=15000) as blocker:
        panel.train_controls.start.click()
    assert blocker.args[0] == "diverged"
    assert "smaller eta" in panel.train_controls.message.text()
    assert all(np.isfinite(w).all() for w in panel.network.weights)


def test_eta_1000_with_cross_entropy_relu_is_reported_as_divergence(qtbot, panel):
    """The classroom case: the cost explodes yet stays finite (softmax); the run must not end "Finished"."""
    nc = panel.net_controls
    nc.activation.setCurrentText("relu")
    nc.cost.setCurrentIndex(nc.cost.findData("cross-entropy"))
    nc.eta.line_edit.setText("1000")
    nc.eta.line_edit.editingFinished.emit()
    nc.epochs.setValue(20)
    with qtbot.waitSignal(panel.trainer.finished, timeout=15000) as blocker:
        panel.train_controls.start.click()
    assert blocker.args[0] == "diverged"
    message = panel.train_controls.message
    assert message.isVisibleTo(panel) and "diverged" in message.text() and "smaller eta, such as 100" in message.text()
    assert panel.style_.bad in message.styleSheet()
    assert panel.session.epochs_done == 0 and panel.train_controls.start.isEnabled()
    assert all(np.isfinite(w).all() for w in panel.network.weights)


def test_views_follow_training_and_exports(qtbot, panel, tmp_path):
    panel.net_controls.epochs.setValue(2)
    with qtbot.waitSignal(panel.trainer.finished, timeout=15000):
        panel.train_controls.start.click()
    panel._frame()
    snap = panel._snap
    assert len(snap.epoch_points) == 2
    tc = panel.train_controls  # finished as asked: full bar, and the message is not coloured as an error
    assert tc.progress.value() == 100 and tc.progress.format() == "all 2 epochs trained"
    assert "Finished" in tc.message.text() and panel.style_.bad not in tc.message.styleSheet()
    # the grid's captions are the network's answers on those digits
    preds = panel._view_net.predict(panel.data.X_test[panel.data.subset[:40]])
    assert panel.digits.grid.captions[0].toPlainText().startswith(str(preds[0]))
    for index in range(4):
        panel.tabs.setCurrentIndex(index)
    assert panel.confusion.matrix.sum() == len(panel.data.subset)
    panel.choose_digit(3)
    label = int(panel.data.y_test[panel.data.subset[3]])
    assert panel.outputs.bars.target.opts["height"].tolist() == [float(i == label) for i in range(10)]
    csv = tmp_path / "curves.csv"
    assert panel.files.export_csv(str(csv))
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("minibatch,epoch,cost") and len(lines) == 1 + snap.batches_done
    for suffix in ("png", "svg"):
        out = tmp_path / f"cost.{suffix}"
        assert panel.files.export_plot("Cost", str(out))
        assert out.stat().st_size > 500
    assert not list(tmp_path.glob("*.part*"))


def test_drawing_during_training_updates_the_bars_and_epochs_apply_live(qtbot, panel, tmp_path):
    panel.net_controls.epochs.setValue(500)
    panel.train_controls.start.click()
    _snap_after(qtbot, panel, lambda s: s.batches_done > 50)
    canvas = panel.draw.canvas
    assert panel.draw.bars.bars.opts["height"].sum() == 0
    canvas.stroke([(70, 20), (72, 70), (74, 120)])  # emits drawn while the worker trains
    assert panel.trainer.is_running()
    assert panel.draw.bars.bars.opts["height"].sum() > 0 and "says" in panel.draw.answer.text()
    # saving while the worker trains writes the newest snapshot's weights
    assert panel.files.save_model(str(tmp_path / "live.npz"))
    from explorer.core.network import Network
    saved = Network.load(str(tmp_path / "live.npz"))
    assert saved.sizes == (784, 10, 10) and np.isfinite(saved.weights[0]).all()
    # fewer epochs while running: the worker finishes at the new count
    with qtbot.waitSignal(panel.trainer.finished, timeout=15000) as blocker:
        panel.net_controls.epochs.setValue(1)
    assert blocker.args[0] == "finished" and panel.session.epochs_done >= 1


def test_reset_while_training_is_not_undone_by_the_old_run(qtbot, panel):
    panel.net_controls.epochs.setValue(500)
    panel.train_controls.start.click()
    _snap_after(qtbot, panel, lambda s: s.batches_done > 20)
    panel.train_controls.reset.click()
    assert not panel.trainer.is_running()
    for _ in range(5):  # deliver anything the old run had queued
        QApplication.processEvents()
    panel._frame()
    assert panel._snap.batches_done == 0 and panel._snap.state == "idle"
    assert len(panel.plots.raw.getData()[0] or []) == 0
    assert panel.train_controls.start.isEnabled()


def test_closing_the_main_window_mid_training_stops_the_worker(qtbot):
    from explorer.main_window import MainWindow

    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    p = window.show_panel("mnist")
    p.net_controls.epochs.setValue(500)
    p.train_controls.start.click()
    qtbot.waitUntil(lambda: p.session.batches_done > 10, timeout=10000)
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 1.0
    assert not p.trainer.is_running()


def test_a_mini_batch_too_heavy_to_stop_promptly_is_refused(qtbot, panel):
    """The worker stops only between mini-batches: 784-5000-200-10 at m = 8000 takes seconds each."""
    nc = panel.net_controls
    nc.hidden.setText("5000, 200")
    nc.hidden.editingFinished.emit()
    nc.batch.setValue(8000)
    for button in (panel.train_controls.start, panel.train_controls.step):
        button.click()
        assert not panel.trainer.is_running()
        message = panel.train_controls.message
        assert message.isVisibleTo(panel) and "too heavy" in message.text() and "m ≤ 406" in message.text()
    nc.batch.setValue(406)  # the largest allowed
    panel.train_controls.step.click()
    assert panel.trainer.is_running() and not panel.train_controls.message.isVisibleTo(panel)
