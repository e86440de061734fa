"""Widgets of the labs: probe a given network at a point (Lab 1), check an activation's
derivative (Lab 2), train on the rings with your own settings (Lab 3)."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.labs import probe_figure
from nnscratch.widgets.ui import LiveFigure, slider


def network_probe(params: dict, points=None, labels=None, start=(0.5, 1.0)) -> LiveFigure:
    """Two sliders move a point over the plane; the figure shows what the network computes there."""
    controls = {"x1": slider(start[0], -3.5, 3.5, 0.1, "x1"), "x2": slider(start[1], -3.5, 3.5, 0.1, "x2")}

    def draw(x1, x2):
        return probe_figure(params, np.array([x1, x2]), points=points, labels=labels)

    return LiveFigure(draw, controls)
