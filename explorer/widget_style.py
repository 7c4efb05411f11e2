"""The Qt widget style: Fusion, with its fixed-size parts scaled in presentation mode.

Fusion draws radio buttons, check boxes, slider handles and scroll bars at fixed pixel sizes,
so a 2x font alone leaves them tiny on a projector. This proxy scales those pixel metrics.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QProxyStyle, QStyle, QStyleFactory

_PM = QStyle.PixelMetric
SCALED_METRICS = (
    _PM.PM_ExclusiveIndicatorWidth, _PM.PM_ExclusiveIndicatorHeight,  # radio buttons
    _PM.PM_IndicatorWidth, _PM.PM_IndicatorHeight,  # check boxes
    _PM.PM_SliderLength,  # the handle's length along the groove
)


class ScaledFusionStyle(QProxyStyle):
    def __init__(self, scale: float = 1.0) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.scale = float(scale)

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt override)
        value = super().pixelMetric(metric, option, widget)
        if metric in SCALED_METRICS:
            return round(value * self.scale)
        return value
