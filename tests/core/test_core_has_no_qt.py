"""explorer.core holds no Qt: importing all of it must work with Qt made unimportable."""

import subprocess
import sys
import textwrap


def test_core_imports_without_qt():
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PyQt6", "PyQt5", "PySide6", "PySide2", "pyqtgraph"):
                    raise ImportError(f"explorer.core must not import {name}")
                return None

        sys.meta_path.insert(0, BlockQt())
        import explorer.core
        names = [m.name for m in pkgutil.walk_packages(explorer.core.__path__, "explorer.core.")]
        for name in names:
            importlib.import_module(name)
        loaded = [m for m in sys.modules if m.split(".")[0] in ("PyQt6", "pyqtgraph")]
        assert not loaded, loaded
        print(len(names))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) >= 0
