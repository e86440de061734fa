"""Chapter 2 widgets: break the naive softmax on purpose; watch one sample's loss move."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.canvas import fixed_layout, fixed_ticks
from nnscratch.figures.loss import OneSampleLossFigure, SoftmaxStabilityFigure, softmax_three_ways
from nnscratch.functions import softmax
from nnscratch.widgets.ui import LiveFigure, collection_deferred, dropdown, int_slider, slider

# Two samples with ordinary scores; the widget adds the same amount to every score of a row.
BASE_SCORES = np.array([[3.0, 1.0, -1.0], [0.5, 2.0, 0.0]])
ROW_1_MOVES = {"down by the same amount": -1.0, "not at all": 0.0, "up by the same amount": 1.0}
# The figures' margins, as constrained layout chose them (see figures.canvas.fixed_layout).
OVERFLOW_MARGINS = {
    "left": 0.0705, "bottom": 0.0534, "right": 0.9964, "top": 0.9525, "wspace": 0.0851,
    "hspace": 0.244,
}  # fmt: skip
ONE_SAMPLE_MARGINS = {
    "left": 0.0333,
    "bottom": 0.163,
    "right": 0.9912,
    "top": 0.9213,
    "wspace": 0.13,
}


@collection_deferred()  # its first picture without a garbage collection (ui)
def softmax_overflow(start: int = 500) -> LiveFigure:
    """A slider adds c to row 0's scores (and ±c or 0 to row 1's); softmax is computed three ways."""
    controls = {
        "push": int_slider(
            start, 0, 1000, "push up by", step=10, style={"description_width": "initial"}
        ),
        "row_1": dropdown(ROW_1_MOVES, 0.0, "row 1 moves", style={"description_width": "initial"}),
    }

    figure = SoftmaxStabilityFigure(*BASE_SCORES.shape, row_names=["row 0", "row 1"])
    fixed_layout(figure.fig, OVERFLOW_MARGINS)
    fixed_ticks(*figure.fig.axes)

    def scores(push, row_1):
        return BASE_SCORES + np.array([[push], [row_1 * push]])

    def draw(push, row_1):
        return figure.update(scores(push, row_1))

    def describe(push, row_1):
        x = scores(push, row_1)
        rows = []
        for n, row in enumerate(x):
            broken = [
                way for way, y in softmax_three_ways(x).items() if not np.isfinite(y[n]).all()
            ]
            rows.append(
                f"row {n} scores "
                + ", ".join(f"{v:g}" for v in row)
                + ": "
                + (
                    f"broken (nan) with {' and '.join(broken)}"
                    if broken
                    else "every way gives finite probabilities"
                )
            )
        return "Softmax overflow: " + "; ".join(rows) + "."

    return LiveFigure(draw, controls, columns=2, describe=describe)


@collection_deferred()  # its first picture without a garbage collection (ui)
def one_sample_loss(scores=(1.0, 2.5, -0.5), true_class: int = 0) -> LiveFigure:
    """Three score sliders and the true class: probabilities and the loss -log y_true follow."""
    controls = {f"s{k}": slider(float(v), -6, 6, 0.1, f"score {k}") for k, v in enumerate(scores)}
    controls["true_class"] = dropdown(
        {f"class {k}": k for k in range(len(scores))}, true_class, "true class"
    )

    # axes that fit every score the sliders allow, and every loss those scores give
    low, high = (
        min(c.min for c in controls.values() if hasattr(c, "min")),
        max(c.max for c in controls.values() if hasattr(c, "max")),
    )
    worst = -np.log(softmax(np.array([low] + [high] * (len(scores) - 1)))[0])
    figure = OneSampleLossFigure(
        len(scores), score_range=(1.25 * low, 1.25 * high), loss_max=1.1 * worst
    )
    fixed_layout(figure.fig, ONE_SAMPLE_MARGINS)
    fixed_ticks(*figure.fig.axes)

    def draw(true_class, **values):
        return figure.update([values[f"s{k}"] for k in range(len(scores))], true_class)

    def describe(true_class, **values):
        s = np.array([values[f"s{k}"] for k in range(len(scores))])
        y = softmax(s)
        return (
            f"One sample's loss: scores {', '.join(f'{v:.2f}' for v in s)}; probabilities "
            f"{', '.join(f'{v:.3f}' for v in y)}; true class {true_class}, so the loss is "
            f"-log {y[true_class]:.3g} = {-np.log(y[true_class]):.3f}."
        )

    return LiveFigure(draw, controls, columns=4, describe=describe)
