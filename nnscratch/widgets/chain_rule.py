"""Chapter 4 widget: move x and watch each local derivative, and their product, along a chain."""

from __future__ import annotations

from nnscratch import chain
from nnscratch.figures.canvas import new_figure
from nnscratch.figures.chain_rule import draw_chain
from nnscratch.figures.gradients import plot_tangent
from nnscratch.widgets.ui import LiveFigure, dropdown, slider

# Dropdown options are plain text (a widget shows no LaTeX).
CHAINS = {"sigmoid: y = 1/(1 + e⁻ˣ)": chain.SIGMOID, "z = (3x + 2)²": chain.SQUARE_OF_LINE}
TANGENT_TITLE = "the whole chain as one function: the tangent's slope is that product"


def chain_figure(c: chain.Chain, x: float, x_range=(-3.2, 3.2)):
    """The chain at x (values, local derivatives, derivatives of the output) above the curve
    of the whole chain with its tangent at x, whose slope is the product of the locals."""
    return ChainFigure(c, x, x_range).fig


class ChainFigure:
    """chain_figure, built once and updated in place for a new x (update): the chain's row is
    drawn again (its numbers are all it shows), the tangent, its point and label move."""

    def __init__(self, c: chain.Chain, x: float, x_range=(-3.2, 3.2)):
        self.c, self.x_range = c, x_range
        self.fig, (self.top, self.bottom) = new_figure(12.0, 5.6, nrows=2)
        self.top.get_gridspec().set_height_ratios((1.0, 2.2))
        self._draw_chain(x)
        plot_tangent(
            chain.compose(c.steps),
            x,
            x_range,
            df=self.slope,
            ax=self.bottom,
            names=(c.names[0], c.names[-1]),
            title=TANGENT_TITLE,
        )
        self.curve, self.tangent, self.point = self.bottom.lines[:3]
        self.label = self.bottom.texts[-1]

    def slope(self, v):
        return chain.chain_derivative(self.c.steps, v)

    def _draw_chain(self, x: float) -> None:
        c = self.c
        local = chain.local_derivatives(c.steps, x)
        grads = chain.backward(c.steps, x)
        product = " × ".join(f"({float(d):.3g})" for d in local)
        self.top.clear()
        draw_chain(
            c.labels,
            chain.forward(c.steps, x),
            local,
            grads,
            local_labels=c.local_labels,
            names=c.names,
            ax=self.top,
            title=f"{c.formula}:   d{c.names[-1]}/d{c.names[0]} = {product} = {grads[0]:.4g}",
        )

    def update(self, x: float):
        """Show the chain at x; returns the Figure."""
        self._draw_chain(x)
        xs = self.curve.get_xdata()
        y0, slope = float(chain.compose(self.c.steps)(x)), float(self.slope(x))
        self.tangent.set_ydata(y0 + slope * (xs - x))
        xn, yn = self.c.names[0], self.c.names[-1]
        self.tangent.set_label(f"tangent: slope $d{yn}/d{xn}$ = {slope:.3f}")
        self.point.set_data([x], [y0])
        right_end = x > self.x_range[0] + 0.8 * (self.x_range[1] - self.x_range[0])
        self.label.xy = (x, y0)
        self.label.set(
            text=f"${xn}$ = {x:.2f}",
            position=(-10, -20) if right_end else (10, -20),
            ha="right" if right_end else "left",
        )
        legend = self.bottom.legend(loc="upper left", fontsize=9)
        frame = {self.top.patch, self.top.xaxis, self.top.yaxis, *self.top.spines.values()}
        chain_row = [a for a in self.top.get_children() if a not in frame]  # its axes are off
        self.fig.live_artists = [*chain_row, self.tangent, self.point, self.label, legend]
        return self.fig


def chain_explorer() -> LiveFigure:
    """Slider x (first control) and a dropdown choosing the chain."""
    figures: dict[str, ChainFigure] = {}  # one per chain, each updated in place

    def draw(x, name):
        if name not in figures:
            figures[name] = ChainFigure(CHAINS[name], x, (-3.2, 3.2))
        return figures[name].update(x)

    def describe(x, name):
        c = CHAINS[name]
        local = chain.local_derivatives(c.steps, x)
        grads = chain.backward(c.steps, x)
        return (
            f"Chain rule explorer, {name} at {c.names[0]} = {x:.2f}: values "
            + ", ".join(f"{n} = {float(v):.3g}" for n, v in zip(c.names, chain.forward(c.steps, x)))
            + "; local derivatives "
            + ", ".join(f"{float(d):.3g}" for d in local)
            + f"; their product d{c.names[-1]}/d{c.names[0]} = {float(grads[0]):.4g}."
        )

    controls = {
        "x": slider(0.5, -3.0, 3.0, 0.05, "x"),
        "name": dropdown(list(CHAINS), None, "chain"),
    }
    return LiveFigure(draw, controls, describe=describe)
