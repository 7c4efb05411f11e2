"""The controls column of the descent panel: surface, eta, Step / Run / Reset, the readout of the
next step (Delta v, predicted and actual Delta C), the diagnosis in words, and the SGD controls.
Widgets only; the panel binds them to the state."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.panels.descent.state import SURFACE_NAMES
from explorer.widgets.hints import hint
from explorer.widgets.value_slider import ValueSlider

SURFACE_TITLES = {
    "bowl": "Quadratic bowl",
    "rosenbrock": "Rosenbrock valley",
    "saddle": "Saddle point",
    "data": "Data cost C(w, b)",
}


def _label(tip: str = "", wrap: bool = True) -> QLabel:
    lab = QLabel()
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.RichText)
    if tip:
        hint(lab, tip)
    return lab


class DescentControls(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)

        # -- surface ----------------------------------------------------------------------
        surf = QGroupBox("Cost surface")
        sl = QVBoxLayout(surf)
        self.surface_combo = QComboBox()
        for name in SURFACE_NAMES:
            self.surface_combo.addItem(SURFACE_TITLES[name], name)
        hint(self.surface_combo, "Which cost C(v1, v2) the ball rolls on: a bowl, a curved valley, a saddle, "
             "or the real cost of one sigmoid neuron fitted to data, C(w, b) = (1/n) Σ C_x.")
        sl.addWidget(self.surface_combo)
        self.formula_label = _label("The formula of the surface shown.")
        sl.addWidget(self.formula_label)
        self.conditioning_slider = ValueSlider("b (v2 stiffness)", 1.0, 50.0, 10.0, step=0.5, decimals=1)
        self.conditioning_slider.setToolTip("Bowl C = v1² + b v2²: b is the condition number; large b makes a "
                                            "narrow valley where one eta cannot suit both directions.")
        sl.addWidget(self.conditioning_slider)
        col.addWidget(surf)

        # -- learning rate and motion ---------------------------------------------------
        move = QGroupBox("Learning rate and motion")
        ml = QVBoxLayout(move)
        self.eta_slider = ValueSlider("η", 0.0, 0.25, 0.05, step=0.0001, decimals=4)
        self.eta_slider.setToolTip("Learning rate eta in v → v′ = v − η ∇C.")
        ml.addWidget(self.eta_slider)
        eta_row = QHBoxLayout()
        self.good_eta_label = _label("From the curvature L (largest Hessian eigenvalue): on a quadratic, "
                                     "descent converges for η < 2/L and 1/L is the safe choice.")
        eta_row.addWidget(self.good_eta_label, 1)
        self.use_good_eta_button = QPushButton("η = 1/L")
        hint(self.use_good_eta_button, "Set the learning rate to 1/L, the curvature-based good value.")
        eta_row.addWidget(self.use_good_eta_button)
        ml.addLayout(eta_row)
        buttons = QHBoxLayout()
        self.step_button = QPushButton("Step")
        hint(self.step_button, "One step v → v − η ∇C (and one SGD step with m random examples on the data cost).")
        self.run_button = QPushButton("Run")
        self.run_button.setCheckable(True)
        hint(self.run_button, "Run: keep stepping on a timer; press again to pause. It pauses by itself on "
                              "divergence, at the minimum or at the step limit.")
        self.reset_button = QPushButton("Reset")
        hint(self.reset_button, "Back to the start point; clears the paths. Click the plot to choose a new start.")
        for b in (self.step_button, self.run_button, self.reset_button):
            buttons.addWidget(b)
        ml.addLayout(buttons)
        self.speed_slider = ValueSlider("steps / tick", 1, 50, 1, step=1, decimals=0)
        self.speed_slider.setToolTip("How many steps Run takes per timer tick (about 30 ticks a second).")
        ml.addWidget(self.speed_slider)
        col.addWidget(move)

        # -- the next step ----------------------------------------------------------------
        nxt = QGroupBox("Next step from the ball")
        nl = QVBoxLayout(nxt)
        self.position_label = _label("Where the ball is, its cost C, and how many steps it has taken.")
        self.step_label = _label("The gradient ∇C at the ball (blue arrow, drawn at a fixed length) and the "
                                 "step Δv = −η ∇C (green dashed arrow, true size: it ends where the ball goes).")
        self.prediction_label = _label("Slide 'Gradient Descent': ΔC ≈ ∇C · Δv = −η |∇C|², a first-order "
                                       "prediction, beside the actual change C(v + Δv) − C(v).")
        self.first_order_note = _label("Whether the first-order formula can be trusted for this eta.")
        for w in (self.position_label, self.step_label, self.prediction_label, self.first_order_note):
            nl.addWidget(w)
        col.addWidget(nxt)

        self.diagnosis_label = _label("What the learning rate does on this run: converging, crawling, "
                                      "oscillating or diverging, said in words.")
        self.diagnosis_label.setMinimumHeight(10)
        col.addWidget(self.diagnosis_label)

        # -- SGD ----------------------------------------------------------------------------
        self.sgd_box = QGroupBox("Stochastic gradient descent (data cost)")
        gl = QVBoxLayout(self.sgd_box)
        self.sgd_check = QCheckBox("SGD path beside the full-batch path")
        self.sgd_check.setChecked(True)
        hint(self.sgd_check, "On the data cost, also run SGD: each step uses the mean gradient of m random "
                             "examples instead of all n.")
        gl.addWidget(self.sgd_check)
        self.batch_slider = ValueSlider("m", 1, 24, 4, step=1, decimals=0)
        self.batch_slider.setToolTip("Mini-batch size m: how many random examples each SGD step averages.")
        gl.addWidget(self.batch_slider)
        self.angle_label = _label("Slide 'Stochastic gradient descent': (1/m) Σ ∇C_Xj ≈ (1/n) Σ ∇C_x. Mean angle "
                                  "and length difference between the mini-batch gradient and the full gradient "
                                  "at the ball, over 400 random mini-batches.")
        gl.addWidget(self.angle_label)
        col.addWidget(self.sgd_box)
        col.addStretch(1)
