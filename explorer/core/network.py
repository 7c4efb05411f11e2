"""A fully connected network trained by mini-batch stochastic gradient descent (backprop).

The lecture's slides "Neural network" to "Stochastic gradient descent", after Nielsen ch. 1:

- layer l computes a^{l+1} = f(W^l a^l + b^l); ``weights[l]`` has shape (n_{l+1}, n_l) and
  ``biases[l]`` shape (n_{l+1},), as in the book (biases are flat vectors here);
- a mini-batch of m examples X_1..X_m gives the gradient estimate
  grad C ~ (1/m) sum_j grad C_{X_j}, and each weight moves by  v -> v' = v - eta grad C.

The whole mini-batch goes through the network as one matrix (rows are examples), so each
layer is one matrix product: Z = A W^T + b, and backprop computes
delta^l = (delta^{l+1} W^l) * f'(z^l), dC/dW^l = delta^{l+1 T} A^l, dC/db^l = sum_rows delta^{l+1}
(``backprop.py``).

Speed: the training set is shuffled once per epoch, gathered block by block into a
preallocated buffer, and mini-batches are contiguous slices of it; every layer writes into
preallocated buffers, its products are BLAS gemm calls in place, and the SGD step is the
gradient product itself (``backprop.py`` says how); BLAS runs on one thread while training
(on by default).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from explorer.core import network_io
from explorer.core.activations import get_activation
from explorer.core.backprop import (LayerList, Plan, Workspace, backprop, blas_one_thread, layout, learning_rate_value,
                                    split)
from explorer.core.costs import get_cost

LearningRate = float | Callable[[], float]

INITS = ("scaled", "standard")
# Rows gathered per shuffle block: 64 float32 images of 784 pixels are 200 kB, so a block stays in
# the core's L2 cache next to the weights and gradients while its mini-batches run. 512 rows
# (1.6 MB) measured 2-7 % slower per epoch at m = 10, more with other programs running; 32 rows
# pays too much per-block overhead.
BLOCK_ROWS = 64
CHECK_EVERY = 32  # mini-batches between full checks (and backups) of the weights



class TrainingDiverged(ArithmeticError):
    """The cost or the update became non-finite (learning rate too large?).

    ``batch_index``: the 0-based mini-batch (within the epoch) whose update was refused.
    The network keeps finite weights: those from before that mini-batch, or, when an overflow
    slipped past the per-batch cost check, the last checked state (at most CHECK_EVERY
    mini-batches earlier).
    """

    def __init__(self, batch_index: int, cost: float, what: str = ""):
        self.batch_index = batch_index
        self.cost = cost
        what = what or f"the cost became {cost}"
        super().__init__(
            f"training diverged at mini-batch {batch_index}: {what} "
            "(is the learning rate too large?). The network keeps its last finite weights.")


class Network:
    """``Network(sizes, activation="sigmoid", cost="quadratic", seed=0, init="scaled", dtype=float32)``.

    ``sizes``: neurons per layer, input first, e.g. (784, 30, 10).
    ``activation``: "sigmoid" (the lecture's), "relu" or "tanh" for every hidden layer; with the
    quadratic cost the output layer uses it too, with "cross-entropy" the output is a softmax.
    ``init``: "scaled" draws weights from N(0, 1/n_in) (std 1/sqrt(fan-in)); "standard" from
    N(0, 1) as in the book's chapter 1; biases are N(0, 1) in both.
    Deterministic for a seed (initial weights and the shuffling of every epoch).
    """

    def __init__(self, sizes, activation: str = "sigmoid", cost: str = "quadratic", seed: int | None = 0,
                 init: str = "scaled", dtype=np.float32):
        sizes = tuple(int(n) for n in sizes)
        if len(sizes) < 2 or any(n < 1 for n in sizes):
            raise ValueError(f"sizes must list at least two layers of at least one neuron, got {sizes}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self._activation = get_activation(activation, dtype)
        self._cost = get_cost(cost)
        if self._cost.name == "cross-entropy" and sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 output neurons")
        self.sizes, self.init, self.seed = sizes, init, seed
        init_seq, shuffle_seq = np.random.SeedSequence(seed).spawn(2)
        rng = np.random.default_rng(init_seq)
        self._allocate(self.dtype)
        for w, b in zip(self._weights, self._biases):
            n_out, n_in = w.shape
            values = rng.standard_normal((n_out, n_in))
            if init == "scaled":
                values /= math.sqrt(n_in)
            w[...] = values
            b[...] = rng.standard_normal(n_out)
        self.rng = np.random.default_rng(shuffle_seq)  # shuffles the training set each epoch
        self.epochs_trained = 0

    def _allocate(self, dtype) -> None:
        """One flat parameter vector; weights[l] / biases[l] are views into it (see backprop.py)."""
        self.dtype = np.dtype(dtype)
        self._theta = np.zeros(layout(self.sizes)[0], self.dtype)
        weights, biases = split(self._theta, self.sizes)
        self._weights, self._biases = LayerList(weights), LayerList(biases)
        self._ws: Workspace | None = None
        self._backup: np.ndarray | None = None

    # -- parameters ------------------------------------------------------------------------
    @property
    def weights(self) -> LayerList:
        """weights[l]: shape (n_{l+1}, n_l), row j = the weights into neuron j of layer l+1 (views, writable)."""
        return self._weights

    @weights.setter
    def weights(self, values) -> None:
        self._set_layers(self._weights, values, "weights")

    @property
    def biases(self) -> LayerList:
        """biases[l]: shape (n_{l+1},) (views, writable)."""
        return self._biases

    @biases.setter
    def biases(self, values) -> None:
        self._set_layers(self._biases, values, "biases")

    @staticmethod
    def _set_layers(target: LayerList, values, what: str) -> None:
        values = list(values)
        if len(values) != len(target):
            raise ValueError(f"{what}: expected {len(target)} layers, got {len(values)}")
        for l, v in enumerate(values):
            target[l] = v

    @property
    def parameters(self) -> np.ndarray:
        """All weights and biases as one flat vector (a view: layer by layer, W then b)."""
        return self._theta

    # -- description ---------------------------------------------------------------------
    @property
    def activation(self) -> str:
        return self._activation.name

    @property
    def cost(self) -> str:
        return self._cost.name

    @property
    def num_layers(self) -> int:
        return len(self.sizes)

    def __repr__(self) -> str:
        return (f"Network({list(self.sizes)}, activation={self.activation!r}, cost={self.cost!r}, "
                f"init={self.init!r}, dtype={self.dtype.name})")

    # -- checking inputs -----------------------------------------------------------------
    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got {X.shape}")
        return np.ascontiguousarray(X, dtype=self.dtype)

    def _labels(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(f"labels must have shape ({n},) to match the inputs, got {y.shape}")
        if n and not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
        if n and (y.min() < 0 or y.max() >= self.sizes[-1]):
            raise ValueError(f"labels must lie in 0..{self.sizes[-1] - 1}, found {y.min()}..{y.max()}")
        return y.astype(np.intp, copy=False)

    def _one_hot(self, y, out=None) -> np.ndarray:
        out = np.zeros((len(y), self.sizes[-1]), self.dtype) if out is None else out
        out.fill(0)
        out[np.arange(len(y)), y] = 1
        return out

    # -- evaluation ----------------------------------------------------------------------
    def feedforward(self, X) -> np.ndarray:
        """Output activations for inputs X (n, n_0) -> (n, n_L); one input vector (n_0,) -> (n_L,)."""
        X = np.asarray(X)
        if X.ndim == 1:
            return self.feedforward(X[None, :])[0]
        a = self._inputs(X)
        with np.errstate(all="ignore"):
            for l, (w, b) in enumerate(zip(self.weights, self.biases)):
                z = a @ w.T
                z += b
                a = self._activation.apply_(z) if l < len(self.weights) - 1 else self._cost.activate_(
                    z, self._activation)
        return a

    def activations(self, x) -> list[np.ndarray]:
        """Every layer's activations for one input vector x (n_0,): [x, a^1, ..., a^L] (for drawing the network)."""
        a = self._inputs(np.asarray(x).reshape(1, -1))
        out = [a[0].copy()]
        with np.errstate(all="ignore"):
            for l, (w, b) in enumerate(zip(self.weights, self.biases)):
                z = a @ w.T + b
                a = self._activation.apply_(z) if l < len(self.weights) - 1 else self._cost.activate_(
                    z, self._activation)
                out.append(a[0].copy())
        return out

    def predict(self, X) -> np.ndarray:
        """The digit (output neuron) with the largest activation: int array (n,) (or an int for one x)."""
        out = self.feedforward(X)
        return np.argmax(out, axis=-1)

    def evaluate(self, X, y) -> float:
        """Fraction of inputs classified correctly, in [0, 1]."""
        X = self._inputs(X)
        y = self._labels(y, len(X))
        return float(np.mean(self.predict(X) == y)) if len(y) else 0.0

    def total_cost(self, X, y) -> float:
        """Mean cost over (X, y) without training (quadratic: 1/(2n) sum ||y - a||^2)."""
        X = self._inputs(X)
        y = self._labels(y, len(X))
        if not len(y):
            return 0.0
        with np.errstate(all="ignore"):
            return self._cost.total(self.feedforward(X), self._one_hot(y)) / len(y)

    # -- backprop ------------------------------------------------------------------------
    def _workspace(self, rows: int) -> Workspace:
        if self._ws is None or self._ws.rows < rows:
            self._ws = Workspace(self.sizes, rows, self.dtype, self._theta)
        return self._ws

    def gradient(self, X, y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Backprop: (dC/dW per layer, dC/db per layer) of the mean cost over (X, y); fresh arrays."""
        X = self._inputs(X)
        y = self._labels(y, len(X))
        if not len(y):
            raise ValueError("the gradient needs at least one example")
        ws = Workspace(self.sizes, len(X), self.dtype, self._theta)
        plan = ws.plan(len(X))
        with np.errstate(all="ignore"):
            backprop(self._activation, self._cost, X, self._one_hot(y), plan.rate(1.0), plan, step=False)  # 1/m: the mean
        return [g.copy() for g in ws.grad_w], [g.copy() for g in ws.grad_b]

    def _sgd_step(self, xb, Yb, eta, batch_index: int, plan: Plan) -> float:
        """One SGD update v -> v - (eta/m) sum_j grad C_{X_j}; refuses a non-finite one. Returns the summed cost.

        ``plan``: the workspace cut to m = len(xb) rows. A non-finite cost (checked every
        mini-batch, for free) stops before the update, so the weights stay as they were. An
        overflow that a finite cost cannot reveal (huge ReLU activations) is caught by a check of
        the weights every ``CHECK_EVERY`` mini-batches, which also keeps a backup: the weights
        then return to the last checked finite state.
        """
        if batch_index % CHECK_EVERY == 0:
            self._check_weights(batch_index, float("nan"))
            if self._backup is None:
                self._backup = self._theta.copy()
            else:
                np.copyto(self._backup, self._theta)
        cost = backprop(self._activation, self._cost, xb, Yb, plan.rate(eta), plan, True)  # and the step
        if not math.isfinite(cost):
            self._check_weights(batch_index, cost)
            raise TrainingDiverged(batch_index, cost)
        return cost

    def _check_weights(self, batch_index: int, cost: float) -> None:
        """If any weight is non-finite, go back to the backup and raise TrainingDiverged."""
        if np.isfinite(self._theta).all():
            return
        if self._backup is not None:
            np.copyto(self._theta, self._backup)
        raise TrainingDiverged(batch_index, cost, "the weights became too large to represent")

    # -- training ------------------------------------------------------------------------
    def train_step(self, X, y, learning_rate: LearningRate) -> float:
        """ONE mini-batch SGD step on exactly the examples (X, y); returns their mean cost before the step."""
        X = self._inputs(X)
        y = self._labels(y, len(X))
        if not len(y):
            raise ValueError("a mini-batch needs at least one example")
        ws = self._workspace(len(y))
        Yb = self._one_hot(y)
        with np.errstate(all="ignore"):
            cost = self._sgd_step(X, Yb, learning_rate_value(learning_rate), 0, ws.plan(len(y)))
        # A lone step is checked at once (an epoch checks every CHECK_EVERY mini-batches): an
        # overflowing update (eta/m beyond float32) goes back to the weights from before it.
        self._check_weights(0, cost)
        return cost / len(y)

    def epoch_steps(self, X, y, batch_size: int, learning_rate: LearningRate, every: int = 1,
                    limit_threads: bool = True) -> Iterator[tuple[int, float]]:
        """One shuffled epoch of mini-batch SGD as a generator: the GUI worker's loop.

        Yields ``(batch_index, running_cost)`` after every ``every`` mini-batches and after the
        last one: batch_index is the 0-based index of the mini-batch just done (the epoch has
        ``ceil(n / batch_size)``; the last may be smaller), running_cost the mean cost of the
        examples seen so far this epoch (each measured before its own update). Between two
        yields nothing runs, so a caller can pause, stop (``close()``), or change the learning
        rate: ``learning_rate`` is a float or a zero-argument callable read before every
        mini-batch. The generator's return value (``StopIteration.value``) is the epoch's mean cost.
        Raises ``TrainingDiverged`` (weights kept finite) when an update would be non-finite.
        While it runs (from the first ``next`` until it ends or is closed) BLAS is limited to
        one thread if ``limit_threads``.
        """
        X = self._inputs(X)
        y = self._labels(y, len(X))
        batch_size, every = int(batch_size), int(every)
        if batch_size < 1 or every < 1:
            raise ValueError(f"batch_size and every must be >= 1, got {batch_size} and {every}")
        n = len(X)
        if n == 0:
            raise ValueError("no training examples")
        rate = learning_rate_value(learning_rate)  # a bad learning rate fails here, before any step
        rate = None if callable(learning_rate) else rate
        block_rows = max(1, BLOCK_ROWS // batch_size) * batch_size
        block_rows = min(block_rows, -(-n // batch_size) * batch_size)
        x_block = np.empty((min(block_rows, n), X.shape[1]), self.dtype)
        y_block = np.empty((min(block_rows, n), self.sizes[-1]), self.dtype)
        ws = self._workspace(min(batch_size, n))
        # Every block but the last is cut into the same mini-batches: their views, with the plan
        # (buffers cut to m rows) of each, are made once per epoch, not once per mini-batch.
        full_block = self._batches(x_block, y_block, batch_size, ws)
        order = self.rng.permutation(n)
        sgd_step = self._sgd_step
        cost_sum, seen, batch_index = 0.0, 0, -1
        with blas_one_thread(limit_threads):
            for start in range(0, n, block_rows):
                idx = order[start:start + block_rows]
                k = len(idx)
                np.take(X, idx, axis=0, out=x_block[:k], mode="clip")     # gather, no temporary
                self._one_hot(y[idx], y_block[:k])
                batches = full_block if k == len(x_block) else self._batches(x_block[:k], y_block[:k], batch_size, ws)
                first = 0
                while first < len(batches):  # run mini-batches up to the next yield point (or the block's end)
                    stop = min(len(batches), first + every - (batch_index + 1) % every)
                    with np.errstate(all="ignore"):  # not held across a yield: it would leak into the caller
                        for xb, yb, plan in batches[first:stop]:
                            batch_index += 1
                            eta = rate if rate is not None else learning_rate()  # read before every mini-batch
                            cost_sum += sgd_step(xb, yb, eta, batch_index, plan)
                            seen += plan.m
                    first = stop
                    if (batch_index + 1) % every == 0 or seen == n:
                        yield batch_index, cost_sum / seen
        self.epochs_trained += 1
        return cost_sum / seen

    @staticmethod
    def _batches(x_block, y_block, batch_size: int, ws: Workspace) -> list[tuple[np.ndarray, np.ndarray, Plan]]:
        """(inputs, one-hot targets, plan) of each mini-batch in a block: contiguous views, the last maybe shorter."""
        return [(x_block[s:s + batch_size], y_block[s:s + batch_size], ws.plan(len(x_block[s:s + batch_size])))
                for s in range(0, len(x_block), batch_size)]

    def train_epoch(self, X, y, batch_size: int, learning_rate: LearningRate,
                    callback: Callable[[int, float], object] | None = None, every: int = 1,
                    limit_threads: bool = True) -> float:
        """One shuffled epoch of mini-batch SGD; returns the mean training cost of the epoch.

        ``callback(batch_index, running_cost)`` is called every ``every`` mini-batches (and after
        the last); returning ``False`` stops the epoch early (the cost so far is returned).
        ``learning_rate``: a float, or a zero-argument callable read before every mini-batch.
        """
        steps = self.epoch_steps(X, y, batch_size, learning_rate,
                                 every=every if callback is not None else 1 << 62, limit_threads=limit_threads)
        running = float("nan")
        try:
            for batch_index, running in steps:
                if callback is not None and callback(batch_index, running) is False:
                    break
        finally:
            steps.close()
        return running

    # -- copies, snapshots, files ----------------------------------------------------------
    def copy(self) -> "Network":
        """An independent copy (weights, biases, shuffling state)."""
        return self.astype(self.dtype)

    def astype(self, dtype) -> "Network":
        """A copy computing in ``dtype`` (float32 or float64), e.g. float64 for gradient checks."""
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {np.dtype(dtype)}")
        other = Network.__new__(Network)
        other.__dict__.update(self.__dict__)
        other._allocate(dtype)
        other._activation = get_activation(self.activation, dtype)
        other._theta[...] = self._theta
        other.rng = np.random.default_rng()
        other.rng.bit_generator.state = self.rng.bit_generator.state
        return other

    def snapshot(self) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
        """(weights, biases) as tuples of read-only copies: safe to hand to another thread."""
        def frozen(a):
            a = a.copy()
            a.flags.writeable = False
            return a
        return tuple(frozen(w) for w in self.weights), tuple(frozen(b) for b in self.biases)

    def restore(self, snapshot) -> None:
        """Set the weights and biases from a ``snapshot()`` (copied)."""
        weights, biases = snapshot
        if [w.shape for w in weights] != [w.shape for w in self.weights] or \
                [b.shape for b in biases] != [b.shape for b in self.biases]:
            raise ValueError("the snapshot's shapes do not match this network")
        self.weights, self.biases = weights, biases

    def save(self, path) -> None:
        """Save as .npz (sizes, activation, cost, init, weights, biases); written to a temp file, then renamed."""
        network_io.save(self, path)

    @classmethod
    def load(cls, path) -> "Network":
        """Load a network saved by ``save``; ValueError if the file is not one."""
        return network_io.load(cls, path)
