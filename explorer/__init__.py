"""NN Explorer: touch the ideas of 'Using neural nets to recognize hand-written digits'."""

__version__ = "0.1.0"
