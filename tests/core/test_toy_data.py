"""Toy 2-D data sets and the ReLU classifier (shared engine) trained on them."""

import numpy as np
import pytest

from explorer.core.relu_training import NetworkTrainer, make_trainer
from explorer.core.toy_data import DATASETS, ToyDataSet, circles, make_dataset, two_spirals, xor_quadrants


def test_datasets_shapes_labels_and_determinism():
    for name in DATASETS:
        X, y = make_dataset(name, n=101, seed=3)
        assert X.shape == (101, 2) and y.shape == (101,)
        assert set(np.unique(y)) == {0, 1}
        assert np.abs(X).max() < 1.5
        X2, y2 = make_dataset(name, n=101, seed=3)
        assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_datasets_have_their_geometry():
    X, y = circles(400, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 0.4 + 1e-12 and np.allclose(r[y == 0], 0.8)
    X, y = xor_quadrants(400, noise=0.0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    X, y = two_spirals(400, noise=0.0)
    # the two spirals are point reflections of each other: same radii distribution, opposite sides
    assert abs(np.hypot(*X[y == 0].T).mean() - np.hypot(*X[y == 1].T).mean()) < 0.1


def test_toy_dataset_add_point_and_bad_input():
    d = ToyDataSet("XOR quadrants", n=10)
    d.add_point(0.25, -0.5, 1)
    assert len(d) == 11 and np.allclose(d.X[-1], [0.25, -0.5]) and d.y[-1] == 1
    with pytest.raises(ValueError, match="label"):
        d.add_point(0, 0, 2)
    with pytest.raises(ValueError, match="unknown data set"):
        ToyDataSet("moons")


def test_training_learns_xor_and_refuses_bad_input():
    X, y = make_dataset("XOR quadrants", n=200, seed=0)
    t = make_trainer([8, 8], seed=0)
    with pytest.raises(ValueError, match="no training points"):
        t.train_steps(X[:0], y[:0], 1, 4, 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        t.train_steps(X, y, 1, 4, 0.0)


def test_make_trainer_uses_the_shared_network_engine_and_exports_the_margin():
    from explorer.core.regions import region_set
    X, y = make_dataset("XOR quadrants", n=200, seed=0)
    t = make_trainer([8, 8], seed=0)
    assert isinstance(t, NetworkTrainer)
    before = t.cost(X, y)
    for _ in range(40):
        t.train_steps(X, y, steps=10, batch_size=16, learning_rate=0.1)
    assert t.cost(X, y) < before / 2 and t.accuracy(X, y) > 0.9 and t.steps == 400
    net = t.relu_network()
    assert net.widths == (8, 8) and net.n_outputs == 1
    # the exported output is the logit margin: positive exactly where the softmax picks class 1
    margin = net.forward(X)[:, 0]
    assert np.mean((margin > 0) == (t.net.feedforward(X)[:, 1] > t.net.feedforward(X)[:, 0])) == 1.0
    assert len(region_set(net, (-1, 1, -1, 1))) >= 1
    with pytest.raises(ValueError, match="widths"):
        make_trainer([], seed=0)
