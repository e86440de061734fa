"""Chapter 1 widget: move a small network's weights, watch its class regions change."""

from __future__ import annotations

import numpy as np

from nnscratch.figures import draw_network, new_figure, plot_regions
from nnscratch.functions import sigmoid
from nnscratch.widgets.ui import LiveFigure, button, slider

# The output layer stays fixed so that the six sliders of the first layer tell the story.
W2 = np.array([[5.0, -5.0, 0.0], [0.0, 5.0, -5.0]])
b2 = np.array([0.0, 0.0, 2.5])


def playground_figure(W1, b1, W2=W2, b2=b2, points=None):
    """Network diagram (arrows coloured by weight) beside the classes it predicts over the plane."""
    fig, (left, right) = new_figure(9.0, 3.8, ncols=2)
    draw_network((2, 2, 3), [W1, W2], ax=left, title="2-2-3 network (blue +, red -)")

    def predict(x):
        return sigmoid(x @ W1 + b1) @ W2 + b2

    plot_regions(predict, points=points, labels=None if points is None else predict(points).argmax(1),
                 resolution=120, ax=right, title="predicted class of every input $(x_1, x_2)$")
    return fig


def network_playground(seed: int = 0) -> LiveFigure:
    """Six sliders for W1 (2, 2) and b1 (2,); a button draws new random values."""
    rng = np.random.default_rng(seed)
    start = np.round(rng.uniform(-3, 3, size=6), 1)
    names = ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]"]
    controls = {f"v{i}": slider(float(v), -5, 5, 0.1, name) for i, (v, name) in enumerate(zip(start, names))}
    points = np.random.default_rng(seed + 1).uniform(-3, 3, size=(30, 2))

    def draw(v0, v1, v2, v3, v4, v5):
        return playground_figure(np.array([[v0, v1], [v2, v3]]), np.array([v4, v5]), points=points)

    shuffle = button("random weights")

    def on_click(_):
        for control, value in zip(controls.values(), np.round(rng.uniform(-5, 5, size=6), 1)):
            control.value = float(value)

    shuffle.on_click(on_click)
    return LiveFigure(draw, controls, extra=[shuffle])
