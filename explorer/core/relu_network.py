"""ReLU networks with two inputs (pure NumPy): the networks whose linear regions we enumerate.

Lecture, slides "Other activation functions" to "Linear regions on the original input space":
hidden layers ``h^l = ReLU(z^l)`` with pre-activations ``z^l = W^l h^{l-1} + b^l`` and
``h^0 = x in R^2``; optionally a linear output layer ``y = W^out h^L + b^out``. The activation
pattern of an input is ``S = (S^1, ..., S^L)``, ``S^l = {i : z^l_i(x) > 0}`` (a pre-activation of
exactly 0 counts as *inactive*).

Indices are 0-based everywhere in this API: ``weights[l]`` is the weight matrix of hidden layer
``l`` (the slides' layer ``l + 1``), of shape ``(n_l, n_{l-1})`` with ``n_{-1} = 2``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ReluNetwork"]

INITS = ("he", "pytorch")


def _as_matrix(a, name: str) -> np.ndarray:
    m = np.array(a, dtype=np.float64)  # always a copy
    if m.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} contains a non-finite value (nan or inf)")
    return m


def _as_vector(a, name: str, n: int) -> np.ndarray:
    v = np.array(a, dtype=np.float64)
    if v.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains a non-finite value (nan or inf)")
    return v


class ReluNetwork:
    """Hidden ReLU layers of a 2-input network, plus an optional linear output layer.

    ``ReluNetwork(weights, biases, output_weights=None, output_bias=None)``: ``weights[l]`` has
    shape ``(n_l, n_{l-1})`` (``n_{-1} = 2``), ``biases[l]`` shape ``(n_l,)``; ``output_weights``
    ``(k, n_L)`` and ``output_bias`` ``(k,)``. The arrays are copied to float64; they are plain
    attributes, so an editor may change single entries in place (``net.weights[0][1, 0] = 0.5``).
    """

    def __init__(self, weights, biases, output_weights=None, output_bias=None):
        weights = list(weights)
        biases = list(biases)
        if len(weights) == 0:
            raise ValueError("a ReluNetwork needs at least one hidden layer")
        if len(weights) != len(biases):
            raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        fan_in = 2
        for l, (w, b) in enumerate(zip(weights, biases)):
            w = _as_matrix(w, f"weights[{l}]")
            if w.shape[1] != fan_in or w.shape[0] < 1:
                raise ValueError(f"weights[{l}] has shape {w.shape}; expected (n_{l}, {fan_in}) with n_{l} >= 1"
                                 + (" (the network has 2 inputs)" if l == 0 else ""))
            self.weights.append(w)
            self.biases.append(_as_vector(b, f"biases[{l}]", w.shape[0]))
            fan_in = w.shape[0]
        if (output_weights is None) != (output_bias is None):
            raise ValueError("give both output_weights and output_bias, or neither")
        self.output_weights = None
        self.output_bias = None
        if output_weights is not None:
            ow = _as_matrix(output_weights, "output_weights")
            if ow.shape[1] != fan_in or ow.shape[0] < 1:
                raise ValueError(f"output_weights has shape {ow.shape}; expected (k, {fan_in})")
            self.output_weights = ow
            self.output_bias = _as_vector(output_bias, "output_bias", ow.shape[0])

    # ------------------------------------------------------------------ construction
    @classmethod
    def random(cls, widths, seed: int = 0, init: str = "he", bias_scale: float | None = None,
               outputs: int = 1) -> "ReluNetwork":
        """A random network with hidden widths ``widths`` (e.g. ``(32, 32, 32)`` for 2-32-32-32).

        ``init="he"``: weights ``N(0, 2 / fan_in)``, biases ``N(0, bias_scale^2)`` (default
        ``bias_scale = 0.1``). ``init="pytorch"`` (``nn.Linear``'s default): weights and biases
        ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``; if ``bias_scale`` is given, biases are
        ``N(0, bias_scale^2)`` instead. ``outputs`` linear output units (0 for none) are drawn the
        same way. One ``numpy.random.default_rng(seed)`` draws, per layer, the weights then the
        biases, so a seed always gives the same network.
        """
        widths = [int(n) for n in widths]
        if len(widths) == 0 or min(widths) < 1:
            raise ValueError(f"widths must be a non-empty list of positive layer widths, got {widths}")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        if bias_scale is not None and not (np.isfinite(bias_scale) and bias_scale >= 0):
            raise ValueError(f"bias_scale must be a finite number >= 0, got {bias_scale}")
        outputs = int(outputs)
        if outputs < 0:
            raise ValueError(f"outputs must be >= 0, got {outputs}")
        rng = np.random.default_rng(seed)
        sizes = [2] + widths + ([outputs] if outputs else [])
        ws, bs = [], []
        for fan_in, n in zip(sizes[:-1], sizes[1:]):
            if init == "he":
                w = rng.normal(0.0, np.sqrt(2.0 / fan_in), (n, fan_in))
                b = rng.normal(0.0, 0.1 if bias_scale is None else bias_scale, n)
            else:
                bound = 1.0 / np.sqrt(fan_in)
                w = rng.uniform(-bound, bound, (n, fan_in))
                b = rng.uniform(-bound, bound, n) if bias_scale is None else rng.normal(0.0, bias_scale, n)
            ws.append(w)
            bs.append(b)
        if outputs:
            return cls(ws[:-1], bs[:-1], ws[-1], bs[-1])
        return cls(ws, bs)

    def validate(self) -> None:
        """Check the (possibly edited in place) parameters again: shapes chain, values finite.
        Raises ValueError naming the bad array."""
        ReluNetwork(self.weights, self.biases, self.output_weights, self.output_bias)

    def copy(self) -> "ReluNetwork":
        return ReluNetwork(self.weights, self.biases, self.output_weights, self.output_bias)

    # ------------------------------------------------------------------ shape
    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden layer widths ``(n_0, ..., n_{L-1})``."""
        return tuple(w.shape[0] for w in self.weights)

    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def n_outputs(self) -> int:
        return 0 if self.output_weights is None else self.output_weights.shape[0]

    def __repr__(self) -> str:
        sizes = "-".join(str(n) for n in (2,) + self.widths + ((self.n_outputs,) if self.n_outputs else ()))
        return f"ReluNetwork({sizes})"

    # ------------------------------------------------------------------ evaluation
    @staticmethod
    def _points(x) -> tuple[np.ndarray, bool]:
        x = np.asarray(x, dtype=np.float64)
        single = x.ndim == 1
        x = np.atleast_2d(x)
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"points must have shape (n, 2) or (2,), got {np.shape(x)}")
        return x, single

    def preactivations(self, x, layers: int | None = None) -> list[np.ndarray]:
        """``[z^0, ..., z^{L-1}]`` at points ``x`` ``(n, 2)``: ``z^l = W^l h^{l-1} + b^l``, each ``(n, n_l)``."""
        x, single = self._points(x)
        h = x
        out = []
        for w, b in list(zip(self.weights, self.biases))[:layers]:
            z = h @ w.T + b
            out.append(z[0] if single else z)
            h = np.maximum(z, 0.0)
        return out

    def pattern(self, x, layers: int | None = None) -> tuple[np.ndarray, ...]:
        """Activation patterns at points ``x``: per hidden layer a bool ``(n, n_l)``, True iff ``z > 0``."""
        return tuple(z > 0 for z in self.preactivations(x, layers))

    def hidden(self, x, layers: int | None = None) -> np.ndarray:
        """The last computed hidden layer's activations ``h^{l} = ReLU(z^l)``, ``(n, n_l)``."""
        return np.maximum(self.preactivations(x, layers)[-1], 0.0)

    def forward(self, x) -> np.ndarray:
        """The network's output at ``x``: ``W^out h^L + b^out`` ``(n, k)`` if it has an output layer,
        else the last hidden activations ``h^L`` ``(n, n_L)``."""
        h = self.hidden(x)
        if self.output_weights is None:
            return h
        return h @ self.output_weights.T + self.output_bias
