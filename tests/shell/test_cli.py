"""The command line: --version, bad panel names, --size, --screenshot."""

from __future__ import annotations

import subprocess
import sys

import pytest

import explorer
from explorer.app import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True, text=True, timeout=120)


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"nn-explorer {explorer.__version__}"


def test_bad_panel_lists_valid_ones():
    from explorer.panels import panel_names

    result = run_cli("--panel", "nonsense", "--screenshot", "x.png")
    assert result.returncode == 2
    assert "unknown panel 'nonsense'" in result.stderr
    for name in panel_names():
        assert name in result.stderr


def test_bad_size_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--size", "big"])
    assert exc.value.code == 2
    assert "not a size like 1280x800" in capsys.readouterr().err


def test_screenshot_renders_panel_to_png(qapp, demo_panels, tmp_path):
    out = tmp_path / "shot.png"
    assert main(["--panel", "other", "--size", "640x400", "--screenshot", str(out)]) == 0
    from PyQt6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 400)
    assert [p.name for p in tmp_path.iterdir()] == ["shot.png"]


def test_presentation_screenshot_leaves_the_next_window_unscaled(qapp, demo_panels, tmp_path):
    from PyQt6.QtWidgets import QApplication

    from explorer.main_window import MainWindow

    before = QApplication.font().pointSizeF()
    out = tmp_path / "p.png"
    assert main(["--panel", "demo", "--size", "640x400", "--presentation", "--screenshot", str(out)]) == 0
    assert out.stat().st_size > 0
    assert QApplication.font().pointSizeF() == before
    w = MainWindow(restore=False)
    assert not w.style_.presentation and w.style_.base_point_size == before
    w.set_presentation(True, full_screen=False)
    assert QApplication.font().pointSizeF() == 2 * before  # 2x, not 4x
    w.close()
    assert QApplication.font().pointSizeF() == before


def test_no_display_says_so(monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main([]) == 1
    assert "no display" in capsys.readouterr().err


def test_download_mnist_subcommand_reaches_the_downloader(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("explorer.download_cli.run", lambda argv: calls.append(argv) or 0)
    assert main(["download-mnist", "--dest", str(tmp_path)]) == 0
    assert main(["--download-mnist"]) == 0
    assert calls == [["--dest", str(tmp_path)], []]


def test_missing_x11_libraries_are_named(monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr("ctypes.util.find_library", lambda name: None if name == "xcb-cursor" else f"lib{name}.so")
    assert main([]) == 1
    assert "sudo apt install libxcb-cursor0" in capsys.readouterr().err
