"""The gradient-descent panel (slides "Gradient Descent" to "Stochastic gradient descent")."""

from explorer.panels.descent.panel import DescentPanel

__all__ = ["DescentPanel"]
