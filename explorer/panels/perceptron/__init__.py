"""The perceptron panel (slides "Perceptron" to "OR gate using perceptrons?")."""

from explorer.panels.perceptron.panel import PerceptronPanel

__all__ = ["PerceptronPanel"]
