"""Files shipped inside the package (icons, the MNIST sample), found with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def asset_path(*parts: str) -> Path:
    """Path of a bundled asset; works from a wheel (non-editable install) as from a checkout."""
    return Path(str(files("explorer.assets").joinpath(*parts)))
