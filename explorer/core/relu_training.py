"""A small ReLU classifier on 2-D points, trained by mini-batch SGD (pure NumPy).

Hidden layers ``h^l = ReLU(W^l h^{l-1} + b^l)`` (the network whose linear regions the panel
draws), one sigmoid output ``a = sigma(w . h^L + b)`` read as P(class 1), and the cross-entropy
cost ``C = -(1/n) sum_x [y ln a + (1 - y) ln(1 - a)]`` (lecture, chapter 3's cost, whose output
error is simply ``delta = a - y``). Backpropagation: ``delta^l = (W^{l+1})^T delta^{l+1} * [z^l > 0]``;
SGD step ``w -> w - eta * mean gradient`` over each mini-batch (optional momentum).

``weights[l]`` has shape ``(n_{l+1}, n_l)`` and ``biases[l]`` shape ``(n_{l+1},)``, the last pair
being the output unit; ``relu_network()`` hands the hidden layers and the output unit to
``explorer.core.regions.ReluNetwork`` so the regions and the decision boundary (output
pre-activation = 0, i.e. P = 0.5) can be drawn exactly.

``make_trainer(widths, seed)`` is what the panel uses: ``NetworkTrainer`` around the shared engine
``explorer.core.network.Network`` (ReLU hidden layers, softmax over two outputs, cross-entropy),
with ``ReluClassifier`` as the fallback when that engine is not importable.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ReluClassifier", "NetworkTrainer", "make_trainer"]


class ReluClassifier:
    """``ReluClassifier([2, 8, 8, 1], seed=0)``: ReLU hidden layers, sigmoid output, cross-entropy."""

    def __init__(self, sizes, seed: int = 0, momentum: float = 0.0):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 3 or sizes[0] != 2 or sizes[-1] != 1 or min(sizes) < 1:
            raise ValueError(f"sizes must be [2, n_1, ..., n_L, 1] with every n_l >= 1, got {sizes}")
        self.sizes = sizes
        self.momentum = float(momentum)
        rng = np.random.default_rng(seed)
        # He initialisation: W ~ N(0, 2 / fan_in); small random biases so lines do not all meet at 0.
        self.weights = [rng.standard_normal((m, n)) * np.sqrt(2.0 / n) for n, m in zip(sizes[:-1], sizes[1:])]
        self.biases = [0.1 * rng.standard_normal(m) for m in sizes[1:]]
        self._rng = rng
        self._velocity = [np.zeros_like(w) for w in self.weights] + [np.zeros_like(b) for b in self.biases]
        self.steps = 0

    @classmethod
    def from_parameters(cls, hidden_weights, hidden_biases, output_weights, output_bias, seed=0, momentum=0.0):
        """Start training from given hidden layers (e.g. the panel's current network) and output unit."""
        widths = [np.asarray(w).shape[0] for w in hidden_weights]
        obj = cls([2, *widths, 1], seed=seed, momentum=momentum)
        obj.weights = [np.array(w, dtype=float) for w in hidden_weights] + [
            np.asarray(output_weights, dtype=float).reshape(1, -1)]
        obj.biases = [np.array(b, dtype=float).reshape(-1) for b in hidden_biases] + [
            np.asarray(output_bias, dtype=float).reshape(1)]
        obj._velocity = [np.zeros_like(w) for w in obj.weights] + [np.zeros_like(b) for b in obj.biases]
        return obj

    def _forward(self, X):
        activations, zs = [X], []
        a = X
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W.T + b
            zs.append(z)
            a = np.maximum(z, 0.0) if layer < len(self.weights) - 1 else z
            activations.append(a)
        return activations, zs

    def output_preactivation(self, X) -> np.ndarray:
        """``z = w . h^L(x) + b`` for rows of ``X``; the decision boundary is ``z = 0``."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        return self._forward(X)[1][-1][:, 0]

    def predict_proba(self, X) -> np.ndarray:
        """P(class 1) = sigmoid(z), computed stably."""
        z = self.output_preactivation(X)
        return np.exp(-np.logaddexp(0.0, -z))

    def predict(self, X) -> np.ndarray:
        return (self.output_preactivation(X) > 0).astype(np.int64)

    def accuracy(self, X, y) -> float:
        y = np.asarray(y)
        return float(np.mean(self.predict(X) == y)) if len(y) else 0.0

    def cost(self, X, y) -> float:
        """Mean cross-entropy, computed from z with logaddexp (no log(0))."""
        z = self.output_preactivation(X)
        y = np.asarray(y, dtype=float)
        if len(y) == 0:
            return 0.0
        return float(np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))

    def sgd_step(self, X, y, learning_rate: float) -> None:
        """One gradient step on the mini-batch ``(X, y)``."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        y = np.asarray(y, dtype=float).reshape(-1, 1)
        activations, zs = self._forward(X)
        n = len(X)
        delta = (1.0 / (1.0 + np.exp(-np.clip(zs[-1], -500, 500))) - y) / n  # dC/dz of the output
        grads_w, grads_b = [None] * len(self.weights), [None] * len(self.weights)
        for layer in range(len(self.weights) - 1, -1, -1):
            grads_w[layer] = delta.T @ activations[layer]
            grads_b[layer] = delta.sum(axis=0)
            if layer:
                delta = (delta @ self.weights[layer]) * (zs[layer - 1] > 0)
        params = self.weights + self.biases
        for i, g in enumerate(grads_w + grads_b):
            self._velocity[i] = self.momentum * self._velocity[i] - learning_rate * g
            params[i] += self._velocity[i]
        self.steps += 1

    def train_steps(self, X, y, steps: int, batch_size: int, learning_rate: float) -> float:
        """``steps`` SGD steps on random mini-batches (the panel's short timer ticks); returns the cost."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if len(y) == 0:
            raise ValueError("there are no training points; add some by clicking")
        if learning_rate <= 0 or not np.isfinite(learning_rate):
            raise ValueError(f"learning rate must be a positive number, got {learning_rate}")
        batch_size = max(1, min(int(batch_size), len(y)))
        for _ in range(int(steps)):
            idx = self._rng.choice(len(y), size=batch_size, replace=False)
            self.sgd_step(X[idx], y[idx], learning_rate)
        return self.cost(X, y)

    def train_epoch(self, X, y, batch_size: int, learning_rate: float) -> float:
        """One pass over a shuffled copy of the data in mini-batches; returns the mean cost after it."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        order = self._rng.permutation(len(y))
        batch_size = max(1, int(batch_size))
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            self.sgd_step(X[idx], y[idx], learning_rate)
        return self.cost(X, y)

    def relu_network(self):
        """The same network as an ``explorer.core.regions.ReluNetwork`` (copies of the parameters)."""
        from explorer.core.regions import ReluNetwork

        return ReluNetwork([w.copy() for w in self.weights[:-1]], [b.copy() for b in self.biases[:-1]],
                           self.weights[-1].copy(), self.biases[-1].copy())


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


def make_trainer(widths, seed: int = 0, momentum: float = 0.0):
    """The panel's trainer: the shared ``Network`` engine, else (if it cannot be built) ``ReluClassifier``.

    The returned object has ``engine_note``: empty for the shared engine, else one sentence saying
    why the built-in trainer is used (the panel shows it; nothing fails silently).
    """
    try:
        trainer = NetworkTrainer(widths, seed=seed)
        trainer.engine_note = ""
        return trainer
    except Exception as exc:  # noqa: BLE001 - any failure of the shared engine: say so, keep training possible
        if isinstance(exc, ValueError) and "widths" in str(exc):
            raise
        trainer = ReluClassifier([2, *widths, 1], seed=seed, momentum=momentum)
        trainer.engine_note = (f"The shared Network engine could not be used ({type(exc).__name__}: {exc}); "
                               "training with the built-in ReLU classifier instead.")
        return trainer
