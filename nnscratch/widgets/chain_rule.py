"""Chapter 4 widget: move x and watch each local derivative, and their product, along a chain."""

from __future__ import annotations

from nnscratch import chain
from nnscratch.figures.canvas import new_figure
from nnscratch.figures.chain_rule import draw_chain
from nnscratch.figures.gradients import plot_tangent
from nnscratch.widgets.ui import LiveFigure, dropdown, slider

# Dropdown options are plain text (a widget shows no LaTeX).
CHAINS = {"sigmoid: y = 1/(1 + e⁻ˣ)": chain.SIGMOID, "z = (3x + 2)²": chain.SQUARE_OF_LINE}


def chain_figure(c: chain.Chain, x: float, x_range=(-3.2, 3.2)):
    """The chain at x (values, local derivatives, derivatives of the output) above the curve
    of the whole chain with its tangent at x, whose slope is the product of the locals."""
    fig, (top, bottom) = new_figure(12.0, 5.6, nrows=2)
    top.get_gridspec().set_height_ratios((1.0, 2.2))
    values = chain.forward(c.steps, x)
    local = chain.local_derivatives(c.steps, x)
    grads = chain.backward(c.steps, x)
    product = " × ".join(f"({float(d):.3g})" for d in local)
    draw_chain(c.labels, values, local, grads, local_labels=c.local_labels, names=c.names, ax=top,
               title=f"{c.formula}:   d{c.names[-1]}/d{c.names[0]} = {product} = {grads[0]:.4g}")
    whole = chain.compose(c.steps)
    plot_tangent(whole, x, x_range, df=lambda v: chain.chain_derivative(c.steps, v), ax=bottom,
                 names=(c.names[0], c.names[-1]),
                 title="the whole chain as one function: the tangent's slope is that product")
    return fig


def chain_explorer() -> LiveFigure:
    """Slider x (first control) and a dropdown choosing the chain."""
    def draw(x, name):
        return chain_figure(CHAINS[name], x, (-3.2, 3.2))

    controls = {"x": slider(0.5, -3.0, 3.0, 0.05, "x"), "name": dropdown(list(CHAINS), None, "chain")}
    return LiveFigure(draw, controls)
