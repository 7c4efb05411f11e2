"""Command line and start-up: ``nn-explorer [--panel NAME] [--presentation] [--size WxH] [--screenshot FILE]``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import explorer

SCREENSHOT_TIMEOUT_S = 60.0

# System libraries Qt's X11 (xcb) platform plugin loads, with their Debian/Ubuntu packages.
# Qt aborts with a cryptic message when one is missing; we say which to install instead.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0", "xcb-render-util": "libxcb-render-util0", "xcb-randr": "libxcb-randr0",
    "xcb-shape": "libxcb-shape0", "xcb-xkb": "libxcb-xkb1", "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_xcb_packages() -> list[str]:
    """Debian packages of the X11 libraries Qt needs but this system lacks (empty if all there)."""
    from ctypes.util import find_library

    return [package for library, package in XCB_LIBRARIES.items() if find_library(library) is None]


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800") from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise argparse.ArgumentTypeError(f"'{text}': width and height must be between 200 and 10000 pixels")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    from explorer.panels import panel_names

    names = panel_names()
    parser = argparse.ArgumentParser(
        prog="nn-explorer",
        description="Explore by touch the lecture 'Using neural nets to recognize hand-written digits'.",
        epilog="Panels: " + ", ".join(names) + ". Also: nn-explorer download-mnist (fetch the full MNIST set).",
    )
    parser.add_argument("--panel", metavar="NAME", help=f"open this panel ({', '.join(names)})")
    parser.add_argument("--presentation", action="store_true",
                        help="start in presentation mode: full screen, fonts and lines about 2x")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1280x800")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="render the panel to a PNG once it has drawn, then exit (no window is shown)")
    parser.add_argument("--theme", choices=("light", "dark", "high-contrast"), help="colour theme")
    parser.add_argument("--download-mnist", action="store_true",
                        help="download the full MNIST set (about 11 MB) into the cache and exit "
                             "(see nn-explorer download-mnist --help)")
    parser.add_argument("--version", action="version", version=f"nn-explorer {explorer.__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["download-mnist"], ["--download-mnist"]):
        from explorer.download_cli import run as download_mnist

        return download_mnist(argv[1:])  # its own options: --dest, --mirror
    args = build_parser().parse_args(argv)

    from explorer.panels import panel_names

    if args.panel is not None and args.panel not in panel_names():
        print(f"nn-explorer: unknown panel '{args.panel}'. Valid panels: {', '.join(panel_names())}.",
              file=sys.stderr)
        return 2
    if args.screenshot:
        # Render without a window: the offscreen platform needs no display.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        print("nn-explorer: no display found (DISPLAY is not set). Run it on a desktop, or use "
              "--screenshot FILE to render a panel to a picture without one.", file=sys.stderr)
        return 1
    elif sys.platform.startswith("linux") and os.environ.get("DISPLAY") and not (
        os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        missing = missing_xcb_packages()
        if missing:
            print("nn-explorer: Qt needs system libraries that are not installed to open a window. "
                  f"On Debian or Ubuntu: sudo apt install {' '.join(missing)}", file=sys.stderr)
            return 1
    return _run_gui(args)


def _run_gui(args: argparse.Namespace) -> int:
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from explorer.assets import asset_path
    from explorer.excepthook import install_excepthook
    from explorer.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NN Explorer")
    app.setOrganizationName("nn-explorer")
    app.setApplicationVersion(explorer.__version__)
    app.setWindowIcon(QIcon(str(asset_path("icon.svg"))))
    reporter = install_excepthook()

    window = MainWindow(restore=not args.screenshot)
    if args.theme:
        window.set_theme(args.theme)
    if args.panel:
        window.show_panel(args.panel)
    if args.size:
        window.resize(*args.size)

    if args.screenshot:
        code = take_screenshot(app, window, args.screenshot, args.presentation)
        window.close()
        reporter.uninstall()
        return code

    window.show()
    if args.presentation:
        window.set_presentation(True)
    code = app.exec()
    reporter.uninstall()
    return code


def take_screenshot(app, window, filename: str, presentation: bool) -> int:
    """Draw the window offscreen, wait until its panel is ready, save a PNG atomically."""
    from PyQt6.QtCore import Qt

    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.show()
    if presentation:
        window.set_presentation(True, full_screen=False)
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
    panel = window.current_panel()

    def ready() -> bool:
        return panel is None or panel.is_ready()

    while time.monotonic() < deadline:
        app.processEvents()
        if ready():
            for _ in range(5):  # let layouts settle and plots repaint
                app.processEvents()
            if ready():  # a late layout change may have started new work: wait for it too
                break
        time.sleep(0.02)
    else:
        print(f"nn-explorer: the panel did not finish drawing within {SCREENSHOT_TIMEOUT_S:.0f} s; "
              "saving what it shows.", file=sys.stderr)
    target = Path(filename)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".png", prefix=".shot-", dir=target.parent)
        os.close(fd)
        if not window.grab().save(tmp, "PNG"):
            Path(tmp).unlink(missing_ok=True)
            raise OSError("Qt could not encode the PNG")
        os.replace(tmp, target)
    except OSError as exc:
        print(f"nn-explorer: could not write the screenshot to {target}: {exc}", file=sys.stderr)
        return 1
    print(f"saved {target}")
    return 0
