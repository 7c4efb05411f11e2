"""The ReLU linear-regions panel (issue 4), one file per part: editor, explore view, counts, depth
experiment, training, drawing helpers."""

from explorer.panels.regions.panel import RegionsPanel

__all__ = ["RegionsPanel"]
