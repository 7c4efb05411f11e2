"""Speed of the gradient-descent core and of the descent panel's redraws; prints JSON.

    python benchmarks/descent_speed.py [--repeats 5]

- ``gd_10k_steps_ms``: ``gradient_descent`` on the bowl C = v1^2 + 10 v2^2, 10,000 steps;
- ``sgd_10k_steps_ms``: ``stochastic_gradient_descent`` on the data cost (n = 24, m = 4), 10,000 steps;
- ``angle_curve_ms``: mean angle mini-batch vs full gradient for m = 1..24, 400 trials each
  (what the panel redoes on Step and every 5 ticks of Run);
- ``contours_ms``: cost grid 220 x 220 plus 12 contour levels by marching squares, per surface
  (what a surface change costs before drawing);
- ``panel_open_ms`` / ``surface_switch_ms`` / ``step_redraw_ms``: the panel offscreen: build,
  switch surface (data cost) and paint, one Step plus paint on a 2,000-step path.
Medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

from explorer.core.contours import contour_lines
from explorer.core.descent import (
    QuadraticBowl,
    SigmoidNeuronCost,
    angle_versus_batch_size,
    gradient_descent,
    make_surface,
    stochastic_gradient_descent,
)


def _ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return round(statistics.median(times), 2)


def core_figures(repeats: int) -> dict:
    bowl, data = QuadraticBowl(), SigmoidNeuronCost()
    out = {
        "gd_10k_steps_ms": _ms(lambda: gradient_descent(bowl.gradient, (2.0, 1.5), 0.05, 10_000), repeats),
        "sgd_10k_steps_ms": _ms(
            lambda: stochastic_gradient_descent(data.example_gradients, 24, (0.0, 0.0), 20.0, 10_000, 4, seed=0),
            repeats,
        ),
        "angle_curve_ms": _ms(
            lambda: angle_versus_batch_size(data.example_gradients, 24, (0.0, 0.0), range(1, 25), 400), repeats
        ),
    }
    for name in ("bowl", "rosenbrock", "saddle", "data"):
        surface = make_surface(name)

        def contours(surface=surface):
            xs, ys, z = surface.cost_grid(220, margin=0.4)
            contour_lines(xs, ys, np.log10(z - z.min() + 1e-3), np.linspace(-2, 2, 12))

        out[f"contours_{name}_ms"] = _ms(contours, repeats)
    return out


def panel_figures(repeats: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from explorer.panels.descent import DescentPanel

    def open_panel():
        p = DescentPanel()
        p.resize(1280, 800)
        p.grab()
        return p

    panel_open = _ms(open_panel, repeats)
    p = open_panel()

    def switch():
        p.set_surface("bowl")
        p.set_surface("data")
        app.processEvents()
        p.grab()

    switch_ms = _ms(switch, repeats) / 2
    p.set_surface("rosenbrock")
    p.state.step(2000)

    def one_step():
        p.step()
        p.grab()

    step_ms = _ms(one_step, repeats)
    p.shutdown()
    p.deleteLater()
    return {"panel_open_ms": panel_open, "surface_switch_ms": round(switch_ms, 2), "step_redraw_ms": step_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    result = {"machine": platform.machine(), "python": platform.python_version(), "repeats": args.repeats}
    result.update(core_figures(args.repeats))
    result.update(panel_figures(args.repeats))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
