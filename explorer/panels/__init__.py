"""The topic panels, in lecture order, imported only when first asked for."""

from __future__ import annotations

import importlib

# (command-line name, "module:Class"), in lecture order: perceptron, sigmoid, regions, descent,
# mnist. One line per panel, added when that panel works (no placeholder panels).
PANELS: list[tuple[str, str]] = [
    ("perceptron", "explorer.panels.perceptron:PerceptronPanel"),
    ("sigmoid", "explorer.panels.sigmoid:SigmoidPanel"),
    ("regions", "explorer.panels.regions:RegionsPanel"),
    ("descent", "explorer.panels.descent:DescentPanel"),
    ("mnist", "explorer.panels.mnist:MnistPanel"),
]


def panel_names() -> list[str]:
    return [name for name, _ in PANELS]


def panel_class(name: str):
    """The Panel subclass registered under ``name``; KeyError lists the valid names."""
    for registered, target in PANELS:
        if registered == name:
            module_name, class_name = target.split(":")
            return getattr(importlib.import_module(module_name), class_name)
    raise KeyError(f"unknown panel {name!r}; valid panels: {', '.join(panel_names()) or '(none)'}")
