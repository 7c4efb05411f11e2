"""The ReLU regions panel: training, the depth experiment and the background worker (pytest-qt, offscreen)."""

import numpy as np

from explorer.core.regions import count_regions
from explorer.style import Style

from regions_support import _click_view_point, count_label, panel, settle  # noqa: F401 (fixtures)


def test_depth_experiment_runs_in_chunks_and_matches_the_line_count(qtbot, panel):
    d = panel.depth
    d.total.setCurrentText("12")
    d.seeds.setValue(1)
    with qtbot.waitSignal(d.finished, timeout=20000):
        d.run.click()
        assert d.is_running()
    assert sorted(d.results) == [1, 2, 3, 4]
    assert d.results[1] == [1 + 12 + 66]          # 12 generic lines: the plane count is exact
    assert all(len(v) == 1 and v[0] >= 1 for v in d.results.values())
    assert d.serra.yData[0] == 79
    panel.apply_style(Style(presentation=True))     # the long result line wraps: the window never widens
    assert d.status.text().startswith("Done.") and d.minimumSizeHint().width() < 1000
    d.run.click()
    assert d.is_running()
    panel.shutdown()
    assert not d.is_running()


def test_training_steps_change_weights_and_redraw(qtbot, panel):
    t = panel.train
    panel.show_tab("train")
    t.dataset.setCurrentText("XOR quadrants")
    before = [w.copy() for w in t.trainer.weights]
    n_hist = len(t.history_regions)
    t.step_button.click()
    assert any(not np.array_equal(a, b) for a, b in zip(before, t.trainer.weights))
    assert len(t.history_regions) == n_hist + 1
    assert t.history_regions[-1] == count_regions(t.network(), (-1.2, 1.2, -1.2, 1.2))
    assert len(t.boundary.getData()[0]) > 0
    n = len(t.data)
    t.add_point(0.3, 0.3, 1)
    assert len(t.data) == n + 1
    t.start_button.click()
    assert t.is_training()
    with qtbot.waitSignal(t.stepped, timeout=5000):
        pass
    panel.shutdown()
    assert not t.is_training() and not t.start_button.isChecked()


def test_real_mouse_click_adds_a_training_point(qtbot, panel):
    from PyQt6.QtCore import Qt

    panel.show_tab("train")
    t = panel.train
    qtbot.waitExposed(t.plot)
    n = len(t.data)
    t.add_class.setCurrentIndex(1)
    _click_view_point(qtbot, t.plot, 0.5, -0.25)
    qtbot.waitUntil(lambda: len(t.data) == n + 1, timeout=3000)
    assert np.allclose(t.data.X[-1], [0.5, -0.25], atol=0.02) and t.data.y[-1] == 1
    _click_view_point(qtbot, t.plot, -0.5, 0.25, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(t.data) == n + 2, timeout=3000)
    assert t.data.y[-1] == 0                                  # shift-click: the other class


def test_background_worker_runs_only_the_newest_request_off_the_gui_thread(qtbot):
    import threading

    from explorer.panels.regions.background import LatestWorker

    worker = LatestWorker()
    release = threading.Event()
    ran = []

    def job(name):
        def fn():
            if name == "first":
                release.wait(5)
            ran.append((name, threading.get_ident()))
            return name
        return fn

    delivered = []
    worker.finished.connect(lambda tag, result: delivered.append((tag, result)))
    worker.submit(job("first"), "first")
    worker.submit(job("second"), "second")          # replaced before it ever runs
    worker.submit(job("third"), "third")
    assert worker.is_busy()
    release.set()
    qtbot.waitUntil(lambda: not worker.is_busy(), timeout=5000)
    assert [name for name, _ in ran] == ["first", "third"]
    assert all(ident != threading.get_ident() for _, ident in ran)
    assert delivered == [("first", "first"), ("third", "third")]   # a step behind is still shown
    worker.submit(lambda: 1 / 0, "bad")
    qtbot.waitUntil(lambda: len(delivered) == 3, timeout=5000)
    assert delivered[2][0] == "bad" and isinstance(delivered[2][1], ZeroDivisionError)
    release.clear()
    worker.submit(job("first"), "cancelled")
    worker.cancel()
    release.set()
    qtbot.waitUntil(lambda: not worker.is_busy(), timeout=5000)
    assert len(delivered) == 3                      # a cancelled job's result is dropped
    assert worker.shutdown()


def test_regions_follow_a_drag_while_it_goes_on(qtbot, panel):
    # A debounce that restarts on every mouse move would draw nothing until the drag stops.
    ed, ex = panel.editor, panel.explore
    settle(qtbot, panel)
    redraws = []
    ex.redrawn.connect(lambda: redraws.append(ed.network.biases[0][0]))
    w = ed.network.weights[0][0].copy()
    for step in range(30):
        ed.set_first_layer_line(0, w, -0.5 + 0.03 * step)
        qtbot.wait(15)                              # the mouse keeps moving every 15 ms
    assert len(redraws) >= 3
    settle(qtbot, panel)
    assert count_label(panel) == count_regions(ed.network, ex.box)   # the last position is drawn


def test_diverged_training_stops_with_a_message(qtbot, panel):
    t = panel.train
    panel.show_tab("train")
    t.trainer.weights[0][0, 0] = np.nan                     # as if a huge learning rate had overflowed
    t.start_button.click()
    qtbot.waitUntil(lambda: not t.is_training(), timeout=3000)
    assert "diverged" in t.status.text() and "learning rate" in t.status.text()
    assert not t.start_button.isChecked()
    panel.apply_style(Style(presentation=True))             # redraw with inf/nan weights: a message, no crash
    assert "learning rate" in t.status.text()
    t.reset_button.click()
    assert all(np.isfinite(w).all() for w in t.trainer.weights)


def test_training_runs_off_the_gui_thread_and_survives_a_reset(qtbot, panel, monkeypatch):
    import threading

    import explorer.panels.regions.train as train_module

    threads = []
    real = train_module.region_set

    def recording(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(train_module, "region_set", recording)
    t = panel.train
    panel.show_tab("train")
    t.start_button.click()
    with qtbot.waitSignal(t.stepped, timeout=5000):
        pass
    assert threading.get_ident() not in threads          # SGD + enumeration ran in the worker
    t.reset_network()                                    # mid-run: the old job's result is not drawn
    with qtbot.waitSignal(t.stepped, timeout=5000):
        pass
    t.stop()
    qtbot.waitUntil(lambda: not t.is_busy(), timeout=5000)
    assert t.history_steps[0] <= t.steps_per_tick.value()      # the history restarted with the new network
    assert t.history_steps[-1] == t.trainer.steps
    assert t.history_regions[-1] == count_regions(t.network(), (-1.2, 1.2, -1.2, 1.2)) == len(t.rs)
