"""Chapter 2 widgets: break the naive softmax on purpose; watch one sample's loss move."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.loss import SoftmaxStabilityFigure, plot_one_sample_loss, softmax_three_ways
from nnscratch.widgets.ui import LiveFigure, dropdown, int_slider, slider

# Two samples with ordinary scores; the widget adds the same amount to every score of a row.
BASE_SCORES = np.array([[3.0, 1.0, -1.0], [0.5, 2.0, 0.0]])
ROW_1_MOVES = {"down by the same amount": -1.0, "not at all": 0.0, "up by the same amount": 1.0}


def softmax_overflow(start: int = 500) -> LiveFigure:
    """A slider adds c to row 0's scores (and ±c or 0 to row 1's); softmax is computed three ways."""
    controls = {
        "push": int_slider(
            start, 0, 1000, "push up by", step=10, style={"description_width": "initial"}
        ),
        "row_1": dropdown(ROW_1_MOVES, 0.0, "row 1 moves", style={"description_width": "initial"}),
    }

    figure = SoftmaxStabilityFigure(*BASE_SCORES.shape, row_names=["row 0", "row 1"])

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


def one_sample_loss(scores=(1.0, 2.5, -0.5), true_class: int = 0) -> LiveFigure:
    """Three score sliders and the true class: probabilities and the loss -log y_true follow."""
    controls = {f"s{k}": slider(float(v), -6, 6, 0.1, f"score {k}") for k, v in enumerate(scores)}
    controls["true_class"] = dropdown(
        {f"class {k}": k for k in range(len(scores))}, true_class, "true class"
    )

    def draw(true_class, **values):
        return plot_one_sample_loss([values[f"s{k}"] for k in range(len(scores))], true_class)

    return LiveFigure(draw, controls, columns=4)
