"""The live MNIST training panel (slides "MNIST data" to "Stochastic gradient descent")."""

from explorer.panels.mnist.panel import MnistPanel

__all__ = ["MnistPanel"]
