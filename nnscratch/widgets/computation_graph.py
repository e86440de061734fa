"""Chapter 5 widget: step through a small computation graph, forward then backward."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.computation_graph import AFFINE_SUM, SIGMOID, LiveGraph, sigmoid_story
from nnscratch.figures.traces import affine_sum_trace
from nnscratch.widgets.ui import LiveFigure, button, collection_deferred, int_slider, slider

X = np.array([[1.0, 2.0], [3.0, -1.0]])  # (N, D) = (2, 2)
W = np.array([[0.5], [-1.0]])  # (D, H) = (2, 1)
B = np.array([[2.0]])  # (1, H)


@collection_deferred()  # its first picture without a garbage collection (ui)
def graph_stepper(x=X, W=W, b=B) -> LiveFigure:
    """L = Sum(x @ W + Repeat(b)), one node per step: the slider (or the buttons) picks the step."""
    events = affine_sum_trace(x, W, b)
    last = len(events) - 1
    step = int_slider(0, 0, last, "step")

    graph = LiveGraph(AFFINE_SUM, events)  # drawn once; a step writes its numbers in place

    def draw(step):
        return graph.update(events, step)

    back, forward, reset = button("◀ back"), button("step ▶"), button("start again")
    back.on_click(lambda _: setattr(step, "value", max(step.value - 1, 0)))
    forward.on_click(lambda _: setattr(step, "value", min(step.value + 1, last)))
    reset.on_click(lambda _: setattr(step, "value", 0))
    return LiveFigure(draw, {"step": step}, extra=[back, forward, reset], columns=4)


@collection_deferred()  # its first picture without a garbage collection (ui)
def sigmoid_explorer(x: float = 0.5, dout: float = 1.0) -> LiveFigure:
    """Move x (and the upstream gradient): the sigmoid's graph recomputes every value and gradient."""
    controls = {"x": slider(x, -5.0, 5.0, 0.1, "x"), "dout": slider(dout, -2.0, 2.0, 0.1, "dout")}
    graph = LiveGraph(SIGMOID, sigmoid_story(x, dout)[0], decimals=3)

    def draw(x, dout):
        events, title = sigmoid_story(x, dout)
        return graph.update(events, title=title)

    return LiveFigure(draw, controls)
