"""Chapter 4 widget: move x and watch each local derivative, and their product, along a chain."""

from __future__ import annotations

from nnscratch import chain
from nnscratch.figures.canvas import fixed_layout, fixed_ticks, new_figure
from nnscratch.figures.chain_rule import ChainRow
from nnscratch.figures.gradients import LiveTangent
from nnscratch.figures.live_text import NumberText
from nnscratch.widgets.ui import LiveFigure, collection_deferred, dropdown, slider

# Dropdown options are plain text (a widget shows no LaTeX).
CHAINS = {"sigmoid: y = 1/(1 + e⁻ˣ)": chain.SIGMOID, "z = (3x + 2)²": chain.SQUARE_OF_LINE}
TANGENT_TITLE = "the whole chain as one function: the tangent's slope is that product"
# Each chain's figure margins, as constrained layout chose them (figures.canvas.fixed_layout).
MARGINS = {
    "sigmoid: y = 1/(1 + e⁻ˣ)": dict(left=0.0463, bottom=0.0843, right=0.9965, top=0.9926, hspace=0.1224),
    "z = (3x + 2)²": dict(left=0.0528, bottom=0.0843, right=0.9965, top=0.9569, hspace=0.1277),
}  # fmt: skip


def chain_figure(c: chain.Chain, x: float, x_range=(-3.2, 3.2)):
    """The chain at x (values, local derivatives, derivatives of the output) above the curve
    of the whole chain with its tangent at x, whose slope is the product of the locals."""
    return ChainFigure(c, x, x_range).fig


class ChainFigure:
    """chain_figure, built once and updated in place for a new x (update): the chain's numbers
    and title change, the tangent, its point and label move; the rest is drawn once."""

    def __init__(self, c: chain.Chain, x: float, x_range=(-3.2, 3.2)):
        self.c = c
        self.fig, (self.top, self.bottom) = new_figure(12.0, 5.6, nrows=2)
        self.top.get_gridspec().set_height_ratios((1.0, 2.2))
        self.row = ChainRow(self.top, c.labels, c.names, local_labels=c.local_labels, live=True)
        self.title = NumberText(self.top.set_title(f"{c.formula}:   "))
        self.tangent = LiveTangent(
            chain.compose(c.steps),
            x_range,
            df=self.slope,
            ax=self.bottom,
            names=(c.names[0], c.names[-1]),
            title=TANGENT_TITLE,
        )
        self.fig.live_artists = [*self.row.artists, self.title, *self.tangent.artists]
        self.update(x)

    def slope(self, v):
        return chain.chain_derivative(self.c.steps, v)

    def update(self, x: float):
        """Show the chain at x; returns the Figure."""
        c = self.c
        local = chain.local_derivatives(c.steps, x)
        grads = chain.backward(c.steps, x)
        self.row.update(chain.forward(c.steps, x), local, grads)
        product = " × ".join(f"({float(d):.3g})" for d in local)
        self.title.set(f"d{c.names[-1]}/d{c.names[0]} = {product} = {grads[0]:.4g}")
        return self.tangent.update(x)


@collection_deferred()  # its first picture without a garbage collection (ui)
def chain_explorer() -> LiveFigure:
    """Slider x (first control) and a dropdown choosing the chain."""
    figures: dict[str, ChainFigure] = {}  # one per chain, each updated in place

    def draw(x, name):
        if name not in figures:
            figures[name] = ChainFigure(CHAINS[name], x, (-3.2, 3.2))
            fixed_layout(figures[name].fig, MARGINS[name])
            fixed_ticks(*figures[name].fig.axes)
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
