"""Render the gradient-descent panel for the README (docs/screenshots/descent*.png).

    python docs/make_descent_screenshots.py [--out docs/screenshots]

Opens the app window offscreen at 1280x800 and saves the panel in a few telling states: the
opening state, the data cost with SGD beside full-batch descent (the README's first picture),
the bowl with eta near 2/L (oscillating) and above it (diverging), Rosenbrock with eta = 1/L,
the saddle; then the opening state and the data cost in presentation mode.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402


def _data(panel) -> None:
    panel.set_surface("data")
    panel.controls.batch_slider.setValue(5)
    for _ in range(12):
        panel.step()


def _bowl(panel) -> None:
    panel.set_surface("bowl")
    panel.controls.eta_slider.setValue(0.09)
    for _ in range(14):
        panel.step()


def _diverging(panel) -> None:
    panel.set_surface("bowl")
    panel.place_ball(-2.0, 0.4)
    panel.controls.eta_slider.setValue(0.104)
    for _ in range(16):
        panel.step()


def _rosenbrock(panel) -> None:
    panel.set_surface("rosenbrock")
    panel.controls.use_good_eta_button.click()
    for _ in range(400):
        panel.state.step(1)
    panel.step()


def _saddle(panel) -> None:
    panel.set_surface("saddle")
    panel.controls.eta_slider.setValue(0.05)
    for _ in range(40):
        panel.step()


def _opening(panel) -> None:
    panel.set_surface("bowl")


SHOTS = {
    "descent": _opening,
    "descent-data": _data,
    "descent-bowl": _bowl,
    "descent-diverging": _diverging,
    "descent-rosenbrock": _rosenbrock,
    "descent-saddle": _saddle,
}
PRESENTATION = {"descent-presentation": _opening, "descent-data-presentation": _data}


def _fresh(window):
    """The descent panel in its opening state (a new panel: no path, default eta and m)."""
    from explorer.panels.descent import DescentPanel

    old = window._panels.pop("descent", None)
    if old is not None:
        old.shutdown()
        window.stack.removeWidget(old)
        old.deleteLater()
    window.show_panel("perceptron")
    panel = window.show_panel("descent")
    assert isinstance(panel, DescentPanel)
    return panel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    from explorer.main_window import MainWindow

    window = MainWindow(restore=False)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.show()
    for presentation, shots in ((False, SHOTS), (True, PRESENTATION)):
        window.set_presentation(presentation, full_screen=False)
        window.resize(1280, 800)
        for stem, setup in shots.items():
            panel = _fresh(window)
            setup(panel)
            for _ in range(10):
                app.processEvents()
            window.grab().save(str(out / f"{stem}.png"))
            print("saved", out / f"{stem}.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
