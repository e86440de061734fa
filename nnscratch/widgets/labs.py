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


def activation_explorer(start: str = "tanh", point: float = 0.5) -> LiveFigure:
    """Choose an activation layer and a point: its curve with the tangent there, and its
    derivative from backward(1) against the numerical derivative."""
    from nnscratch.figures.labs import plot_activation_check
    from nnscratch.gradcheck import numerical_backward
    from nnscratch.layers import Sigmoid
    from nnscratch.layers_extra import ReLU, Tanh
    from nnscratch.widgets.ui import dropdown

    layers = {"sigmoid": Sigmoid, "tanh": Tanh, "ReLU": ReLU}
    controls = {"name": dropdown(list(layers), start, "activation"),
                "point": slider(point, -4.0, 4.0, 0.05, "x")}

    def draw(name, point):
        layer = layers[name]()

        def numerical(x):
            return numerical_backward(layers[name]().forward, x.copy(), np.ones_like(x))

        return plot_activation_check(layer.forward, layer.backward, numerical, name=name, point=point)

    return LiveFigure(draw, controls)
