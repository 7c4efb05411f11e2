"""Network: backprop against finite differences, SGD, divergence, targets on the sample, files."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from explorer.core.backprop import check_in_place, gemm_for
from explorer.core.mnist import load_mnist
from explorer.core.network import Network, TrainingDiverged

ACTIVATIONS = ("sigmoid", "relu", "tanh")
COSTS = ("quadratic", "cross-entropy")


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample")


def toy(n=40, n_in=6, n_out=3, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in), dtype=np.float32), rng.integers(0, n_out, n)


# -- construction -------------------------------------------------------------------------------

def test_shapes_dtype_and_determinism():
    a, b = Network([784, 30, 10], seed=3), Network([784, 30, 10], seed=3)
    assert [w.shape for w in a.weights] == [(30, 784), (10, 30)]
    assert [x.shape for x in a.biases] == [(30,), (10,)]
    assert all(w.dtype == np.float32 for w in a.weights + a.biases)
    for x, y in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(Network([784, 30, 10], seed=4).weights[0], a.weights[0])


def test_initialisations():
    scaled = Network([400, 200, 10], seed=0)
    standard = Network([400, 200, 10], seed=0, init="standard")
    assert abs(scaled.weights[0].std() - 1 / np.sqrt(400)) < 0.003
    assert abs(standard.weights[0].std() - 1.0) < 0.02
    assert abs(standard.biases[0].std() - 1.0) < 0.15


@pytest.mark.parametrize("kwargs, message", [
    (dict(sizes=[784]), "at least two layers"),
    (dict(sizes=[784, 0, 10]), "at least two layers"),
    (dict(sizes=[4, 2], activation="softplus"), "unknown activation"),
    (dict(sizes=[4, 2], cost="hinge"), "unknown cost"),
    (dict(sizes=[4, 2], init="xavier"), "unknown init"),
    (dict(sizes=[4, 1], cost="cross-entropy"), "at least 2 output"),
])
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_weights_are_writable_views_and_layers_are_fixed():
    net = Network([6, 4, 3])
    x = np.ones((1, 6), np.float32)
    before = net.feedforward(x).copy()
    net.weights[0][...] = 0
    net.biases[0][...] = 0
    net.weights[np.int64(1)] = np.ones((3, 4))  # item assignment copies the values in
    assert net.weights[1].dtype == np.float32 and np.all(net.weights[1] == 1)
    after = net.feedforward(x)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after[0], 1 / (1 + np.exp(-(2.0 + net.biases[1]))), rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        net.weights[0] = np.zeros((3, 3))
    with pytest.raises(TypeError, match="fixed"):
        net.weights.append(np.zeros((2, 2)))
    assert net.parameters.size == 6 * 4 + 4 + 4 * 3 + 3


# -- forward --------------------------------------------------------------------------------------

def test_feedforward_matches_the_formula_for_every_activation():
    X, _ = toy()
    for activation in ACTIVATIONS:
        net = Network([6, 5, 3], activation=activation, seed=2)
        f = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}[activation]
        a = X.astype(np.float64)
        for w, b in zip(net.weights, net.biases):
            a = f(a @ w.T.astype(np.float64) + b)
        np.testing.assert_allclose(net.feedforward(X), a, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(net.feedforward(X[0]), a[0], rtol=1e-5, atol=1e-6)


def test_softmax_output_sums_to_one_and_predict_is_argmax():
    X, _ = toy()
    net = Network([6, 5, 3], cost="cross-entropy")
    out = net.feedforward(X)
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(net.predict(X), out.argmax(axis=1))
    assert np.issubdtype(net.predict(X).dtype, np.integer)
    assert len(net.activations(X[0])) == 3 and net.activations(X[0])[-1].shape == (3,)


def test_sigmoid_is_stable_for_huge_inputs():
    net = Network([2, 2], seed=0)
    net.weights[0] = np.array([[1e30, 0], [-1e30, 0]])
    out = net.feedforward(np.array([[1.0, 0.0]], np.float32))
    np.testing.assert_array_equal(out, [[1.0, 0.0]])


# -- backprop against finite differences --------------------------------------------------------

@pytest.mark.parametrize("activation, cost", list(itertools.product(ACTIVATIONS, COSTS)))
def test_backprop_matches_finite_differences(activation, cost):
    X, y = toy(n=7, n_in=5, n_out=3, seed=4)
    net = Network([5, 4, 4, 3], activation=activation, cost=cost, seed=5).astype(np.float64)
    grad_w, grad_b = net.gradient(X, y)
    analytic = np.concatenate([g.ravel() for pair in zip(grad_w, grad_b) for g in pair])
    theta = net.parameters
    numeric = np.empty_like(theta)
    eps = 1e-6
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + eps
        up = net.total_cost(X, y)
        theta[i] = keep - eps
        down = net.total_cost(X, y)
        theta[i] = keep
        numeric[i] = (up - down) / (2 * eps)
    assert np.abs(analytic).max() > 1e-3  # a real gradient, not zeros
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_train_step_is_one_sgd_update():
    X, y = toy(n=10)
    net = Network([6, 5, 3], seed=3)
    before = net.copy()
    grad_w, grad_b = before.gradient(X, y)
    cost = net.train_step(X, y, 0.7)
    assert cost == pytest.approx(before.total_cost(X, y), rel=1e-5)
    for w, w0, g in zip(net.weights, before.weights, grad_w):
        np.testing.assert_allclose(w, w0 - 0.7 * g, rtol=1e-5, atol=1e-7)
    for b, b0, g in zip(net.biases, before.biases, grad_b):
        np.testing.assert_allclose(b, b0 - 0.7 * g, rtol=1e-5, atol=1e-7)


# -- epochs -----------------------------------------------------------------------------------------

def test_epoch_is_deterministic_and_equals_its_mini_batch_steps():
    X, y = toy(n=23)
    a, b = Network([6, 5, 3], seed=7), Network([6, 5, 3], seed=7)
    cost_a = a.train_epoch(X, y, 5, 2.0)
    cost_b = b.train_epoch(X, y, 5, 2.0)
    assert cost_a == cost_b
    np.testing.assert_array_equal(a.parameters, b.parameters)
    # the same epoch replayed by hand: the shuffled order, mini-batches of 5 (the last of 3)
    c = Network([6, 5, 3], seed=7)
    order = c.rng.permutation(len(X))
    costs = [c.train_step(X[order[i:i + 5]], y[order[i:i + 5]], 2.0) * len(order[i:i + 5]) for i in range(0, 23, 5)]
    np.testing.assert_allclose(c.parameters, a.parameters, rtol=1e-5, atol=1e-6)
    assert cost_a == pytest.approx(sum(costs) / 23, rel=1e-5)
    assert a.epochs_trained == 1


def test_epoch_steps_yields_every_k_and_reads_the_learning_rate_before_each_batch():
    X, y = toy(n=40)
    net = Network([6, 5, 3])
    reads = []

    def eta():
        reads.append(1)
        return 0.5

    steps = list(net.epoch_steps(X, y, 4, eta, every=3))
    assert [i for i, _ in steps] == [2, 5, 8, 9]  # every 3 mini-batches, and after the last
    assert len(reads) >= 10  # read before every one of the 10 mini-batches
    assert all(np.isfinite(c) for _, c in steps)


def test_learning_rate_can_change_between_mini_batches():
    X, y = toy(n=40)
    holder = {"eta": 1.0}
    net, frozen = Network([6, 5, 3]), Network([6, 5, 3])
    steps = net.epoch_steps(X, y, 4, lambda: holder["eta"], every=1)
    next(steps)
    snapshot = net.parameters.copy()
    holder["eta"] = 0.0  # from now on nothing may move
    for _ in steps:
        pass
    np.testing.assert_array_equal(net.parameters, snapshot)
    assert not np.array_equal(snapshot, frozen.parameters)


def test_callback_can_stop_an_epoch():
    X, y = toy(n=40)
    seen = []
    net = Network([6, 5, 3])
    cost = net.train_epoch(X, y, 2, 1.0, callback=lambda i, c: seen.append(i) or len(seen) < 3, every=2)
    assert seen == [1, 3, 5] and np.isfinite(cost)
    assert net.epochs_trained == 0  # the epoch did not finish


def test_bad_training_input_is_a_clear_error():
    X, y = toy()
    net = Network([6, 5, 3])
    with pytest.raises(ValueError, match="shape"):
        net.train_epoch(X[:, :5], y, 10, 1.0)
    with pytest.raises(ValueError, match="0..2"):
        net.train_epoch(X, y + 1, 10, 1.0)
    with pytest.raises(ValueError, match="learning rate"):
        net.train_epoch(X, y, 10, float("nan"))
    with pytest.raises(ValueError, match="batch_size"):
        net.train_epoch(X, y, 0, 1.0)


def test_training_limits_blas_to_one_thread_and_restores_it():
    X, y = toy(n=20)
    net = Network([6, 5, 3])
    gemm_for(np.float32)  # SciPy's BLAS (with pip's wheels a second OpenBLAS), loaded before "before" is read
    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    steps = net.epoch_steps(X, y, 5, 1.0)
    next(steps)
    during = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    steps.close()
    after = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert all(n == 1 for n in during) and after == before


# -- divergence -------------------------------------------------------------------------------------

def test_non_finite_cost_stops_before_the_update():
    X, y = toy(n=20)
    X[3, 2] = np.nan
    net = Network([6, 5, 3])
    before = net.parameters.copy()
    with pytest.raises(TrainingDiverged) as info:
        net.train_step(X, y, 1.0)
    assert info.value.batch_index == 0 and "learning rate" in str(info.value)
    np.testing.assert_array_equal(net.parameters, before)


def test_an_overflowing_single_step_is_undone():
    X, y = toy(n=10)
    net = Network([6, 5, 3])
    before = net.parameters.copy()
    with pytest.raises(TrainingDiverged, match="too large"):
        net.train_step(X, y, 1e40)  # eta/m = 1e39: beyond float32, the step itself is infinite
    np.testing.assert_array_equal(net.parameters, before)


@pytest.mark.parametrize("activation, cost", [("sigmoid", "cross-entropy"), ("relu", "cross-entropy"),
                                              ("relu", "quadratic")])
def test_huge_learning_rate_diverges_and_keeps_finite_weights(sample, activation, cost):
    X, y = sample[0][:2000], sample[1][:2000]
    net = Network([784, 30, 10], activation=activation, cost=cost)
    # eta/m = 1e37 overflows float32 within two steps. (At eta = 1e30 sigmoid + cross-entropy stays
    # finite: saturated sigmoids stop the hidden deltas, and the cost, ~1e30, is absurd but finite;
    # the GUI's training session stops such a finite blow-up. The engine before gemm multiplied
    # delta^L by eta/m before back-propagating it, which overflowed at 1e30.)
    with pytest.raises(TrainingDiverged) as info:
        for _ in range(3):
            net.train_epoch(X, y, 10, 1e38)
    assert isinstance(info.value.batch_index, int) and info.value.batch_index >= 0
    assert np.isfinite(net.parameters).all()  # the last finite weights (checked every CHECK_EVERY batches)
    assert net.predict(X[:5]).shape == (5,)


# -- the targets on the bundled sample --------------------------------------------------------------

@pytest.mark.parametrize("cost, eta, target", [("quadratic", 3.0, 0.88), ("cross-entropy", 0.5, 0.90)])
def test_accuracy_targets_on_the_sample(sample, cost, eta, target):
    X_train, y_train, X_test, y_test = sample
    net = Network([784, 30, 10], activation="sigmoid", cost=cost, seed=1)
    costs = [net.train_epoch(X_train, y_train, 10, eta) for _ in range(2)]
    accuracy = net.evaluate(X_test, y_test)
    assert 0.0 <= accuracy <= 1.0
    assert accuracy >= target, f"{cost}: test accuracy {accuracy:.4f} after 2 epochs"
    assert costs[1] < costs[0]
    assert all(p.dtype == np.float32 for p in net.weights)


# -- copies and files ------------------------------------------------------------------------------

def test_copy_snapshot_restore():
    X, y = toy()
    net = Network([6, 5, 3])
    twin = net.copy()
    snap = net.snapshot()
    net.train_epoch(X, y, 5, 1.0)
    twin.train_epoch(X, y, 5, 1.0)  # same state, same shuffling: same result
    np.testing.assert_array_equal(net.parameters, twin.parameters)
    assert not snap[0][0].flags.writeable
    assert not np.array_equal(snap[0][0], net.weights[0])
    net.restore(snap)
    np.testing.assert_array_equal(net.weights[0], snap[0][0])


def test_save_and_load_round_trip(tmp_path):
    X, y = toy()
    net = Network([6, 5, 3], activation="tanh", cost="cross-entropy", init="standard", seed=9)
    net.train_epoch(X, y, 5, 0.3)
    path = tmp_path / "model.npz"
    net.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary left
    back = Network.load(path)
    assert (back.sizes, back.activation, back.cost, back.init) == ((6, 5, 3), "tanh", "cross-entropy", "standard")
    assert back.epochs_trained == 1 and back.weights[0].dtype == np.float32
    np.testing.assert_array_equal(back.feedforward(X), net.feedforward(X))


def test_load_rejects_what_is_not_a_model(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    array = tmp_path / "array.npy"
    np.save(array, np.zeros(3))
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    net = Network([6, 5, 3])
    net.save(tmp_path / "good.npz")
    data = dict(np.load(tmp_path / "good.npz"))
    data["w0"] = np.zeros((2, 2))
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, **data)
    for path, message in [(text, "not a saved network"), (array, "single array"),
                          (other, "not a saved NN Explorer network"), (wrong, "layer 0 has shapes")]:
        with pytest.raises(ValueError, match=message) as info:
            Network.load(path)
        assert path.name in str(info.value)
    with pytest.raises(FileNotFoundError):
        Network.load(tmp_path / "missing.npz")


def test_gemm_outputs_must_be_writable_fortran_views():
    """f2py would quietly write a non-Fortran-ordered (or read-only) output into a copy and drop
    the SGD step: such an output is refused when a plan is made."""
    check_in_place([np.zeros((3, 4)).T, np.zeros(5).reshape(-1, 1)])  # transposed row-major: fine
    with pytest.raises(RuntimeError, match="Fortran"):
        check_in_place([np.zeros((3, 4))])
    frozen = np.zeros((3, 4)).T
    frozen.flags.writeable = False
    with pytest.raises(RuntimeError, match="writable"):
        check_in_place([frozen])
