"""Where the app keeps things on disk: logs and settings, per OS convention (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nn-explorer"


def log_dir() -> Path:
    """Folder for the crash log; NN_EXPLORER_LOG_DIR overrides it (tests use that)."""
    override = os.environ.get("NN_EXPLORER_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / "nn-explorer.log"
