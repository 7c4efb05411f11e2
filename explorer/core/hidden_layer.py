"""A network with one input, one hidden layer and one output neuron, and the step units it is built from.

Pure NumPy; :mod:`explorer.core.sigmoid` re-exports everything here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.sigmoid_activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, activation_function

# --------------------------------------------------------------------------------------------
# one-hidden-layer networks built from steps
# --------------------------------------------------------------------------------------------

@dataclass
class OneHiddenLayer:
    """A network with one input, one hidden layer and one output neuron.

    ``net(x) = out(act(outer(x, hidden_weights) + hidden_biases) @ output_weights + output_bias)``
    with ``act`` the hidden activation (default sigmoid) and ``out`` the output activation
    (default linear, as in ``approximate_1d``'s contract; ``"sigmoid"`` for the book's sigmoid output).
    """

    hidden_weights: np.ndarray
    hidden_biases: np.ndarray
    output_weights: np.ndarray
    output_bias: float = 0.0
    activation: str = "sigmoid"
    output_activation: str = "linear"

    def __post_init__(self):
        self.hidden_weights = np.asarray(self.hidden_weights, dtype=float).ravel()
        self.hidden_biases = np.asarray(self.hidden_biases, dtype=float).ravel()
        self.output_weights = np.asarray(self.output_weights, dtype=float).ravel()
        self.output_bias = float(self.output_bias)
        n = self.hidden_weights.shape[0]
        if self.hidden_biases.shape != (n,) or self.output_weights.shape != (n,):
            raise ValueError("hidden_weights, hidden_biases and output_weights must have the same length")
        activation_function(self.activation, ACTIVATIONS)
        activation_function(self.output_activation, OUTPUT_ACTIVATIONS)

    @property
    def n_hidden(self) -> int:
        return int(self.hidden_weights.shape[0])

    def hidden_outputs(self, x) -> np.ndarray:
        """Hidden activations, shape ``(len(x), n_hidden)``."""
        x = np.asarray(x, dtype=float).ravel()
        z = np.multiply.outer(x, self.hidden_weights)
        z += self.hidden_biases
        return ACTIVATIONS[self.activation](z)

    def weighted_hidden(self, x) -> np.ndarray:
        """Each hidden neuron's weighted output ``v_j act(w_j x + b_j)``, shape ``(len(x), n_hidden)``."""
        return self.hidden_outputs(x) * self.output_weights

    def weighted_sum(self, x) -> np.ndarray:
        """The output neuron's input ``sum_j v_j act(w_j x + b_j) + output_bias``."""
        return self.hidden_outputs(x) @ self.output_weights + self.output_bias

    def weighted_sum_sorted(self, x, cutoff: float = 40.0) -> np.ndarray:
        """``weighted_sum`` for ascending x, fast: only unsaturated (neuron, x) pairs are computed.

        Where ``|w x + b| > cutoff`` a sigmoid / tanh / step unit is at its limit (to within
        ``sigma(-40) ~ 4e-18``), so its contribution is a constant added with a cumulative sum;
        only the points inside each neuron's transition window are evaluated. The result differs
        from ``weighted_sum`` by at most ``4e-18 * sum |v_j|``. For steep bumps this is
        ~50x less work (what keeps a 100-bump redraw inside one frame). ReLU units are exactly
        linear where active, so their sum is ``A(x) x + B(x)`` with A, B cumulative sums of
        ``v_j w_j`` and ``v_j b_j`` over the active units (rounding only: ~1e-11 for w = 5000).
        """
        x = np.asarray(x, dtype=float).ravel()
        if x.size < 2 or np.any(np.diff(x) < 0):
            return self.weighted_sum(x)
        if self.activation == "relu":
            return self._relu_sum_sorted(x)
        act = ACTIVATIONS[self.activation]
        lo_val = -1.0 if self.activation == "tanh" else 0.0
        if self.activation == "step":
            cutoff = 0.0
        w, b, v = self.hidden_weights, self.hidden_biases, self.output_weights
        n = x.size
        flat = w == 0
        total = np.full(n + 1, self.output_bias + float(np.sum(v[flat] * act(b[flat]))) + float(np.sum(v[~flat])) * lo_val)
        total[n] = 0.0
        w, b, v = w[~flat], b[~flat], v[~flat]
        a = (-cutoff - b) / w
        c = (cutoff - b) / w
        lo_x, hi_x = np.minimum(a, c), np.maximum(a, c)
        i0 = np.searchsorted(x, lo_x, side="left")
        i1 = np.searchsorted(x, hi_x, side="right")
        # saturated at the upper value (1): x above the window for w > 0, below it for w < 0
        rise = (1.0 - lo_val) * v
        diff = np.zeros(n + 1)
        pos = w > 0
        np.add.at(diff, i1[pos], rise[pos])
        diff[0] += rise[~pos].sum()
        np.add.at(diff, i0[~pos], -rise[~pos])
        out = total[:n] + np.cumsum(diff)[:n]
        # the transition windows, evaluated exactly
        lengths = i1 - i0
        if lengths.sum() > 0:
            ids = np.repeat(np.arange(w.size), lengths)
            starts = np.repeat(i0 - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
            idx = np.arange(ids.size) + starts
            z = w[ids] * x[idx] + b[ids]
            out += np.bincount(idx, weights=v[ids] * (act(z) - lo_val), minlength=n)
        return out

    def _relu_sum_sorted(self, x: np.ndarray) -> np.ndarray:
        """ReLU weighted sum for ascending x: unit j adds ``v_j (w_j x + b_j)`` where active."""
        w, b, v = self.hidden_weights, self.hidden_biases, self.output_weights
        n = x.size
        flat = w == 0
        const = self.output_bias + float(np.sum(v[flat] * np.maximum(b[flat], 0.0)))
        w, b, v = w[~flat], b[~flat], v[~flat]
        t = -b / w                                   # where each unit switches on (or off)
        slope, offset = np.zeros(n + 1), np.zeros(n + 1)
        pos = w > 0
        start = np.searchsorted(x, t[pos], side="right")   # active for x > t
        np.add.at(slope, start, (v * w)[pos])
        np.add.at(offset, start, (v * b)[pos])
        end = np.searchsorted(x, t[~pos], side="left")     # active for x < t
        slope[0] += (v * w)[~pos].sum()
        offset[0] += (v * b)[~pos].sum()
        np.add.at(slope, end, -(v * w)[~pos])
        np.add.at(offset, end, -(v * b)[~pos])
        return np.cumsum(slope)[:n] * x + np.cumsum(offset)[:n] + const

    def evaluate_sorted(self, x) -> np.ndarray:
        """``net(x)`` for ascending x through the fast ``weighted_sum_sorted``."""
        return OUTPUT_ACTIVATIONS[self.output_activation](self.weighted_sum_sorted(x))

    def __call__(self, x) -> np.ndarray:
        x_arr = np.asarray(x, dtype=float)
        y = OUTPUT_ACTIVATIONS[self.output_activation](self.weighted_sum(x_arr.ravel()))
        return y.reshape(x_arr.shape)


def step_units(s, steepness: float, activation: str = "sigmoid"):
    """Hidden units whose weighted sum is a 0-to-1 step at each s, for the chosen activation.

    Returns ``(weights, biases, coefficients, constant)`` with one row per s (2 units each for
    ReLU, 1 otherwise), so that ``sum coeff * act(w x + b) + constant`` ~ step at s:

    * sigmoid: ``sigma(k (x - s))``, i.e. ``w = k, b = -k s`` (the book's construction);
    * step: the perceptron's step at s itself;
    * tanh: ``(tanh(k (x - s) / 2) + 1) / 2``, which equals ``sigma(k (x - s))`` exactly;
    * relu: a ramp difference ``relu(k/4 (x-s) + 1/2) - relu(k/4 (x-s) - 1/2)`` - a step is the
      difference of two ramps, rising with the sigmoid's steepest slope k/4.
    """
    s = np.atleast_1d(np.asarray(s, dtype=float))
    k = float(steepness)
    activation_function(activation, ACTIVATIONS)
    if activation in ("sigmoid", "step"):
        w = np.full_like(s, k)
        return w, -k * s, np.ones_like(s), np.zeros_like(s)
    if activation == "tanh":
        w = np.full_like(s, k / 2)
        return w, -k * s / 2, np.full_like(s, 0.5), np.full_like(s, 0.5)
    # relu: two ramps per step
    a = k / 4.0
    w = np.repeat(np.full_like(s, a), 2)
    b = np.repeat(-a * s, 2) + np.tile([0.5, -0.5], s.size)
    coef = np.tile([1.0, -1.0], s.size)
    return w, b, coef, np.zeros(s.size)


def units_per_bump(activation: str = "sigmoid") -> int:
    """Hidden neurons per bump: 2 (two steps), or 4 for ReLU (each step is two ramps)."""
    activation_function(activation, ACTIVATIONS)
    return 4 if activation == "relu" else 2
