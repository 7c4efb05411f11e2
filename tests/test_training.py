"""The training worker: flags between mini-batches, live eta, snapshots, divergence, clean shutdown."""

from __future__ import annotations

import time

import numpy as np
import pytest

from explorer.core.mnist import load_mnist
from explorer.core.network import Network
from explorer.training import SharedValue, Trainer, TrainingData, TrainingSession


@pytest.fixture(scope="module")
def small_data():
    X, y, Xt, yt = load_mnist("sample")
    return TrainingData.from_arrays(X[:300], y[:300], Xt[:120], yt[:120], subset_size=100)


def _session(data, batch=10, epochs=2, activation="sigmoid", hidden=8):
    return TrainingSession(Network([784, hidden, 10], activation=activation, seed=1), data, batch, epochs)


def test_session_records_every_minibatch_and_evaluates_each_epoch(small_data):
    s = _session(small_data, batch=10, epochs=2)
    assert s.batches_per_epoch == 30
    reads = []
    costs = [s.step(lambda: reads.append(1) or 3.0) for _ in range(60)]
    assert len(reads) >= 60  # the callable is read at least once per mini-batch
    assert s.done and s.epochs_done == 2 and s.batches_done == 60
    np.testing.assert_allclose(s.costs, costs)
    assert [e for e, _, _ in s.epoch_points] == [1, 2]
    assert all(0.0 <= a <= 1.0 for _, a, b in s.epoch_points)
    snap = s.snapshot("finished")
    assert snap.costs.size == 60 and not snap.costs.flags.writeable
    assert snap.weights[0] is not s.network.weights[0] and not snap.weights[0].flags.writeable
    # the mean of the per-batch costs of an epoch equals the core's epoch mean (same examples)
    assert np.isfinite(costs).all() and np.mean(costs[30:]) < np.mean(costs[:30])
    with pytest.raises(RuntimeError):
        s.step(3.0)


def test_learning_rate_read_before_every_minibatch(small_data):
    s = _session(small_data)
    w0 = s.network.weights[0].copy()
    s.step(0.0)  # eta = 0: the weights must not move
    np.testing.assert_array_equal(s.network.weights[0], w0)
    s.step(3.0)
    assert not np.array_equal(s.network.weights[0], w0)
    assert s.learning_rate == 3.0


def test_session_refuses_bad_settings(small_data):
    with pytest.raises(ValueError, match="mini-batch"):
        TrainingSession(Network([784, 5, 10]), small_data, 0, 1)
    with pytest.raises(ValueError, match="epochs"):
        TrainingSession(Network([784, 5, 10]), small_data, 10, 0)


def test_trainer_runs_to_the_end_with_throttled_snapshots(qtbot, small_data):
    trainer = Trainer(max_rate=20.0)
    session = _session(small_data, batch=10, epochs=3)
    count = []
    trainer.progressed.connect(lambda: count.append(1))
    t0 = time.perf_counter()
    with qtbot.waitSignal(trainer.finished, timeout=10000) as blocker:
        trainer.start(session)
    elapsed = time.perf_counter() - t0
    assert blocker.args[0] == "finished"
    snap = trainer.take_latest()
    assert snap.state == "finished" and snap.batches_done == 90 and snap.epochs_done == 3
    assert trainer.take_latest() is None  # taken: nothing newer
    assert len(count) <= 20 * elapsed + 3  # at most ~20 snapshots a second (+ the final ones)
    assert trainer.shutdown(2.0)


def test_pause_step_resume_stop(qtbot, small_data):
    trainer = Trainer()
    session = _session(small_data, batch=10, epochs=50)
    trainer.start(session, paused=True)
    qtbot.waitUntil(lambda: trainer.is_running())
    assert trainer.is_paused() and session.batches_done == 0
    for expected in (1, 2):
        trainer.step()
        qtbot.waitUntil(lambda: session.batches_done == expected, timeout=10000)
    # a step leaves the run paused: its snapshot says so and no further mini-batch ran
    snap = trainer.take_latest()
    assert snap.state == "paused" and snap.batches_done == 2 == session.batches_done
    assert trainer.is_paused()
    trainer.resume()
    qtbot.waitUntil(lambda: session.batches_done > 10, timeout=10000)
    trainer.pause()
    assert trainer.is_paused()
    # the worker notices the flag before its next mini-batch and publishes a "paused" snapshot
    qtbot.waitUntil(lambda: (s := trainer.take_latest()) is not None and s.state == "paused", timeout=10000)
    paused_at = session.batches_done
    trainer.step()
    qtbot.waitUntil(lambda: session.batches_done == paused_at + 1, timeout=10000)
    with qtbot.waitSignal(trainer.finished, timeout=10000) as blocker:
        trainer.stop()
    assert blocker.args[0] == "stopped"
    assert not session.done and 10 < session.batches_done < session.batches_per_epoch * 50
    assert trainer.shutdown(2.0)


def test_live_learning_rate_change_reaches_the_worker(qtbot, small_data):
    trainer = Trainer()
    session = _session(small_data, epochs=50)
    trainer.start(session, paused=True)
    trainer.step()
    qtbot.waitUntil(lambda: session.batches_done == 1)
    trainer.set_learning_rate(0.125)
    trainer.step()
    qtbot.waitUntil(lambda: session.batches_done == 2)
    assert session.learning_rate == 0.125
    snap = trainer.take_latest()  # the step's snapshot is published at once
    assert snap.batches_done == 2 and snap.learning_rate == 0.125
    with pytest.raises(ValueError):
        trainer.set_learning_rate(0.0)
    with pytest.raises(ValueError):
        trainer.set_learning_rate(-1.0)
    assert trainer.learning_rate.get() == 0.125
    assert trainer.shutdown(2.0)


def test_divergence_stops_with_a_sentence_and_finite_weights(qtbot, small_data):
    trainer = Trainer()
    trainer.set_learning_rate(1e30)
    session = _session(small_data, activation="relu", epochs=5)
    with qtbot.waitSignal(trainer.finished, timeout=15000) as blocker:
        trainer.start(session)
    state, message = blocker.args
    assert state == "diverged"
    assert "smaller eta" in message and "1e+30" in message
    assert all(np.isfinite(w).all() for w in session.network.weights)
    assert all(np.isfinite(b).all() for b in session.network.biases)
    assert trainer.shutdown(2.0)


def test_shutdown_mid_training_is_prompt(qtbot, small_data):
    trainer = Trainer()
    session = _session(small_data, epochs=1000)
    trainer.start(session)
    qtbot.waitUntil(lambda: session.batches_done > 5, timeout=10000)
    t0 = time.perf_counter()
    assert trainer.shutdown(2.0)
    assert time.perf_counter() - t0 < 1.0
    assert not trainer.is_running()


def test_shared_value_is_plain():
    v = SharedValue(1.5)
    v.set(2)
    assert v.get() == 2.0


def test_a_finite_cost_explosion_is_divergence_too(small_data):
    """Softmax + cross-entropy never overflows: with eta = 1000 the cost jumps a million-fold yet
    stays finite. The session must stop the run all the same, after the blow-up window."""
    from explorer.training_session import BLOWUP_WINDOW, CostExploded, diverged_message

    s = TrainingSession(Network([784, 30, 10], activation="relu", cost="cross-entropy", seed=0),
                        small_data, 10, 5)
    with pytest.raises(CostExploded) as info:
        for _ in range(200):
            s.step(1000.0)
    assert s.batches_done == BLOWUP_WINDOW  # noticed at the first full window
    assert np.isfinite(s.costs).all() and info.value.factor > 1000
    assert all(np.isfinite(w).all() for w in s.network.weights)
    message = diverged_message(info.value, 1000.0)
    assert "diverged" in message and "eta = 1000" in message and "smaller eta, such as 100" in message
    # the run may go on (e.g. with a smaller eta): no second report without a further blow-up
    for _ in range(BLOWUP_WINDOW):
        s.step(0.01)


def test_a_run_that_learns_is_never_taken_for_a_blow_up(small_data):
    for activation, cost, eta, batch in (("sigmoid", "quadratic", 3.0, 10), ("sigmoid", "cross-entropy", 0.5, 1),
                                         ("relu", "cross-entropy", 0.1, 1)):
        s = TrainingSession(Network([784, 30, 10], activation=activation, cost=cost, seed=0), small_data, batch, 1)
        while not s.done:
            s.step(eta)  # would raise CostExploded
        assert s.epoch_points[-1][1] > 0.3


def test_blas_keeps_one_thread_between_epochs_too(qtbot, small_data):
    """The end-of-epoch evaluation runs outside the engine's epoch: the worker limits BLAS for the whole run."""
    from threadpoolctl import threadpool_info

    seen = []
    session = _session(small_data, epochs=2)
    original = session.evaluate_subset

    def recording():
        # every BLAS library: NumPy's (evaluation) and SciPy's (the engine's gemm)
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
        original()

    session.evaluate_subset = recording
    trainer = Trainer()
    with qtbot.waitSignal(trainer.finished, timeout=10000):
        trainer.start(session)
    assert seen and set(seen) == {1}
    assert trainer.shutdown(2.0)


def test_one_blas_thread_holds_in_any_thread_after_a_qthread_used_it(qtbot):
    """threadpoolctl lets one 'controlling' Python thread change OpenBLAS and silently ignores the
    others; a QThread is a never-ending dummy thread to Python, so once a training worker had set
    the limit, no later worker (or the GUI thread) could. The limit must apply from every thread."""
    import threading

    from PyQt6.QtCore import QThread
    from threadpoolctl import threadpool_info

    from explorer.core.backprop import blas_one_thread

    def blas_threads():  # NumPy's and SciPy's BLAS (the engine's gemm)
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    seen = []

    def use_limit():
        with blas_one_thread():
            seen.append(blas_threads())

    class Worker(QThread):
        def run(self):
            use_limit()

    first = Worker()
    first.start()
    assert first.wait(5000)
    later = threading.Thread(target=use_limit)
    later.start()
    later.join()
    use_limit()  # and the GUI thread
    assert len(seen) == 3 and all(counts and set(counts) == {1} for counts in seen)
