"""Chapter 3 widget: slide a point along a curve and watch its tangent line turn."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.gradients import LiveTangent
from nnscratch.functions import sigmoid
from nnscratch.widgets.ui import LiveFigure, collection_deferred, dropdown, slider

# name -> (f, its exact derivative, x range); the derivative draws the true tangent.
CURVES = {
    "f(x) = sin(x)": (np.sin, np.cos, (-3.5, 3.5)),
    "f(x) = x³ − 3x": (lambda x: x**3 - 3 * x, lambda x: 3 * x**2 - 3, (-2.3, 2.3)),
    "f(x) = σ(x), the sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x)), (-6.0, 6.0)),
    "f(x) = 0.01x² + 0.1x": (
        lambda x: 0.01 * x**2 + 0.1 * x,
        lambda x: 0.02 * x + 0.1,
        (0.0, 20.0),
    ),
}
STEPS = {"no secants": None, "h = 1": 1.0, "h = 0.5": 0.5, "h = 0.1": 0.1, "h = 0.01": 0.01}


@collection_deferred()  # its first picture without a garbage collection (ui)
def tangent_explorer(curve: str = "f(x) = sin(x)") -> LiveFigure:
    """Slider: where the point sits, as a fraction of the x range (so it fits every curve).

    Dropdowns: the curve, and an optional step h to draw the forward and central secants
    that numerical differentiation measures instead of the tangent.
    """

    figures: dict[tuple, LiveTangent] = {}  # one per curve and step, each moved in place

    def draw(position, curve, h):
        f, df, (low, high) = CURVES[curve]
        if (curve, h) not in figures:
            figures[curve, h] = LiveTangent(f, (low, high), df=df, h=STEPS[h], title=curve)
        return figures[curve, h].update(low + position * (high - low))

    controls = {
        "position": slider(0.62, 0.02, 0.98, 0.01, "point at"),
        "curve": dropdown(list(CURVES), curve, "curve"),
        "h": dropdown(list(STEPS), "no secants", "secants"),
    }
    return LiveFigure(draw, controls)
