"""Render the MNIST panel mid-training for the README (docs/screenshots/mnist*.png).

    python docs/make_mnist_screenshots.py [--out docs/screenshots]

Opens the app window offscreen at 1280x800, draws a digit on the canvas, trains the bundled
sample with the lecture's settings until the middle of epoch 2, pauses, and saves the window;
then the same in presentation mode, and one picture per tab of the lower views.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

TWO = [(70, 25), (100, 22), (112, 40), (100, 70), (60, 105), (40, 120), (80, 118), (115, 118)]


def run(window, app, presentation: bool, out: Path, stem: str, tabs: dict[int, str],
        size: tuple[int, int] = (1280, 800)) -> None:
    window.resize(*size)
    if presentation:
        window.set_presentation(True, full_screen=False)
        window.resize(*size)
    panel = window.show_panel("mnist")
    panel.reset()
    panel.draw.canvas.clear()
    panel.draw.canvas.stroke(TWO)
    # Train in this thread up to the middle of epoch 2 (deterministic), then show it as paused.
    session = panel.session
    eta = panel.net_controls.eta.value()
    while session.epochs_done < 1 or session.batch_in_epoch < session.batches_per_epoch // 2:
        session.step(eta)
    panel._show(session.snapshot("paused"), force_heavy=True)
    # hand the session to the worker, paused, so the buttons show what a paused run shows
    panel.trainer.start(session, paused=True)
    panel.frame_timer.start()
    while not (panel.trainer.is_paused() and panel._snap.state == "paused" and panel._snap.serial > 1):
        app.processEvents()
    panel._update_buttons()
    for index, suffix in tabs.items():
        panel.tabs.setCurrentIndex(index)
        panel._draw_heavy(force=True)
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(out / f"{stem}{suffix}.png"))
        print("saved", out / f"{stem}{suffix}.png")
    panel.stop()
    panel.shutdown()
    if presentation:
        window.set_presentation(False, full_screen=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument("--full-hd", action="store_true",
                        help="also mnist-presentation-1920x1080.png (the classroom projector)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    from explorer.main_window import MainWindow

    window = MainWindow(restore=False)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.show()
    run(window, app, False, out, "mnist", {0: "", 1: "-confusion", 2: "-weights", 3: "-outputs"})
    run(window, app, True, out, "mnist", {0: "-presentation"})
    if args.full_hd:
        run(window, app, True, out, "mnist", {0: "-presentation-1920x1080"}, size=(1920, 1080))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
