"""A ReLU classifier on 2-D points, trained by mini-batch SGD on the shared engine.

Hidden layers ``h^l = ReLU(W^l h^{l-1} + b^l)`` (the network whose linear regions the panel
draws) and a softmax over two outputs with the cross-entropy cost: ``explorer.core.network.Network``
does the backpropagation and the SGD steps. ``relu_network()`` hands the hidden layers and the
decision margin to ``explorer.core.regions.ReluNetwork`` so the regions and the decision boundary
can be drawn exactly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NetworkTrainer", "make_trainer"]


class NetworkTrainer:
    """The shared engine ``explorer.core.network.Network`` set up for the regions panel.

    ``Network((2, *widths, 2), activation="relu", cost="cross-entropy")``: ReLU hidden layers, a
    softmax over two output neurons. Its weights are re-drawn He-normal with biases N(0, 0.1^2)
    so the first lines cross the data. For two classes the softmax is a sigmoid of the logit
    margin ``m = z_1 - z_0``, so ``relu_network()`` exports one output unit
    ``(W_1 - W_0) h^L + (b_1 - b_0)`` whose zero set is the decision boundary.
    """

    def __init__(self, widths, seed: int = 0):
        from explorer.core.network import Network

        widths = [int(w) for w in widths]
        if not widths or min(widths) < 1:
            raise ValueError(f"widths must list positive hidden-layer widths, got {widths}")
        self.net = Network((2, *widths, 2), activation="relu", cost="cross-entropy", seed=seed, dtype=np.float64)
        rng = np.random.default_rng(seed)
        for W, b in zip(self.net.weights, self.net.biases):
            W[...] = rng.standard_normal(W.shape) * np.sqrt(2.0 / W.shape[1])
            b[...] = 0.1 * rng.standard_normal(b.shape)
        self._rng = rng
        self.steps = 0

    @property
    def weights(self):
        return self.net.weights

    @property
    def biases(self):
        return self.net.biases

    def train_steps(self, X, y, steps: int, batch_size: int, learning_rate: float) -> float:
        """``steps`` SGD steps (``Network.train_step``) on random mini-batches; returns the mean cost."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=np.int64)
        if len(y) == 0:
            raise ValueError("there are no training points; add some by clicking")
        if learning_rate <= 0 or not np.isfinite(learning_rate):
            raise ValueError(f"learning rate must be a positive number, got {learning_rate}")
        batch_size = max(1, min(int(batch_size), len(y)))
        for _ in range(int(steps)):
            idx = self._rng.choice(len(y), size=batch_size, replace=False)
            self.net.train_step(X[idx], y[idx], learning_rate)
            self.steps += 1
        return self.cost(X, y)

    def cost(self, X, y) -> float:
        return float(self.net.total_cost(np.asarray(X, dtype=float), np.asarray(y, dtype=np.int64))) if len(y) else 0.0

    def accuracy(self, X, y) -> float:
        return float(self.net.evaluate(np.asarray(X, dtype=float), np.asarray(y, dtype=np.int64))) if len(y) else 0.0

    def relu_network(self):
        """Hidden layers + one output unit, the logit margin ``z_1 - z_0`` (decision boundary at 0)."""
        from explorer.core.regions import ReluNetwork

        W, b = self.net.weights[-1], self.net.biases[-1]
        return ReluNetwork([w.copy() for w in self.net.weights[:-1]], [v.copy() for v in self.net.biases[:-1]],
                           (W[1] - W[0])[None, :], np.array([b[1] - b[0]]))


def make_trainer(widths, seed: int = 0) -> NetworkTrainer:
    """The regions panel's trainer on the shared engine (ValueError for bad widths)."""
    return NetworkTrainer(widths, seed=seed)
