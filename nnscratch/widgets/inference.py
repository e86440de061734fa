"""Chapter 1 widget: move a small network's weights until every target point sits in the
region of its class."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.canvas import fixed_layout, fixed_ticks
from nnscratch.figures.playground import PlaygroundFigure, playground_scores
from nnscratch.widgets.ui import LiveFigure, button, collection_deferred, slider

# The output layer stays fixed so that the six sliders of the first layer tell the story.
W2 = np.array([[5.0, -5.0, 0.0], [0.0, 5.0, -5.0]])
b2 = np.array([0.0, 0.0, 2.5])
# The targets are what this first layer predicts, so the goal is reachable with the sliders
# (and not only there: other settings place every point too).
TEACHER_W1 = np.array([[-3.0, -2.0], [-0.5, 2.5]])
TEACHER_b1 = np.array([-3.0, -1.5])
NAMES = ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]"]
# The figure's margins, as constrained layout chose them (see figures.canvas.fixed_layout).
MARGINS = {"left": 0.0042, "bottom": 0.1098, "right": 0.8682, "top": 0.8858, "wspace": 0.1909}


def first_layer(v0, v1, v2, v3, v4, v5):
    """The six slider values -> W1 (2, 2), b1 (2,)."""
    return np.array([[v0, v1], [v2, v3]]), np.array([v4, v5])


@collection_deferred()  # its first picture without a garbage collection (ui)
def network_playground(seed: int = 0, n_points: int = 30) -> LiveFigure:
    """Six sliders for W1 (2, 2) and b1 (2,); a button draws new random values."""
    rng = np.random.default_rng(seed)
    start = np.round(rng.uniform(-3, 3, size=6), 1)
    controls = {
        f"v{i}": slider(float(v), -5, 5, 0.1, name) for i, (v, name) in enumerate(zip(start, NAMES))
    }
    points = np.random.default_rng(seed + 1).uniform(-3, 3, size=(n_points, 2))
    figure = PlaygroundFigure(points, teacher_classes(points), W2, b2)
    fixed_layout(figure.fig, MARGINS)
    fixed_ticks(*figure.fig.axes)

    def draw(**values):
        return figure.update(*first_layer(**values))

    def describe(**values):
        W1, b1 = first_layer(**values)
        right = ~figure.wrong(W1, b1)
        per_class = ", ".join(
            f"class {k} {int(right[figure.targets == k].sum())} of "
            f"{int((figure.targets == k).sum())}"
            for k in range(3)
        )
        return (
            f"Network playground: W1 = {np.round(W1, 2).tolist()}, b1 = {np.round(b1, 2).tolist()}; "
            f"{int(right.sum())} of {n_points} target points are in their class region "
            f"({per_class})" + (": goal reached." if right.all() else ".")
        )

    shuffle = button("random weights")
    live = LiveFigure(draw, controls, extra=[shuffle], describe=describe)

    def on_click(_):
        with live.hold():  # six sliders change, the figure redraws once
            for control, value in zip(controls.values(), np.round(rng.uniform(-5, 5, size=6), 1)):
                control.value = float(value)

    shuffle.on_click(on_click)
    return live


def teacher_classes(points) -> np.ndarray:
    """(N, 2) -> (N,): the class the teacher's first layer gives each point."""
    return playground_scores(points, TEACHER_W1, TEACHER_b1, W2, b2).argmax(axis=1)
