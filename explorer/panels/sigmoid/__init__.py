"""The sigmoid neuron panel (slides "Sigmoid neuron" to "Functions with multiple inputs" and
"Other activation functions"): steps, bumps and universal approximation."""

from explorer.panels.sigmoid.panel import SigmoidPanel

__all__ = ["SigmoidPanel"]
