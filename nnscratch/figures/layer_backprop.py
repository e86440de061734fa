"""Gradient-check results as bars: one relative error per gradient, on a log scale."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.canvas import describe, new_figure

# Where the verdicts change (see nnscratch.netcheck): agreement, worth a closer look, wrong.
GOOD, BAD = 1e-5, 1e-2
ZONES = (("agrees", "#1a7f37"), ("look closer", "#9a6700"), ("wrong", "#cf222e"))


def plot_gradient_check(errors: dict[str, float], *, title: str = "", ax=None):
    """errors maps a gradient's name (e.g. "layer 1 · db") to its relative error.

    Each bar is coloured by its verdict; the shaded bands mark the three zones. Errors of
    exactly 0 are drawn at 1e-16, the precision of float64.
    """
    names = list(errors)
    values = np.clip(np.array([errors[n] for n in names], dtype=float), 1e-16, 10.0)
    fig, ax = new_figure(6.4, 0.42 * len(names) + 1.3) if ax is None else (ax.figure, ax)
    bands = ((1e-16, GOOD), (GOOD, BAD), (BAD, 10.0))
    for (low, high), (label, colour) in zip(bands, ZONES):
        ax.axvspan(low, high, color=colour, alpha=0.08, lw=0)
        ax.text(
            np.sqrt(low * high),
            len(names) - 0.4,
            label,
            ha="center",
            va="bottom",
            color=colour,
            fontsize=9,
        )
    colours = [ZONES[0][1] if v < GOOD else ZONES[1][1] if v < BAD else ZONES[2][1] for v in values]
    y = np.arange(len(names))[::-1]
    ax.barh(y, values, left=1e-16, color=colours, height=0.6)
    for yi, v in zip(y, values):
        # Beside the bar's end, or inside it near the right edge, so no label leaves the axes.
        inside = v > 0.05
        ax.text(
            v / 1.6 if inside else v * 1.6,
            yi,
            f"{v:.0e}",
            va="center",
            fontsize=8.5,
            ha="right" if inside else "left",
            color="white" if inside else "black",
            weight="bold" if inside else "normal",
        )
    ax.set_xscale("log")
    ax.set_xlim(1e-16, 10.0)
    ax.set_ylim(-0.6, len(names) + 0.2)
    ax.set_yticks(y, names)
    ax.set_xlabel("relative error between backward and the numerical gradient")
    if title:
        ax.set_title(title)
    verdicts = ["agrees" if v < GOOD else "look closer" if v < BAD else "wrong" for v in values]
    describe(
        ax,
        f"{title + ': ' if title else ''}relative error of each gradient on a log scale: "
        + "; ".join(f"{n} {v:.0e} ({w})" for n, v, w in zip(names, values, verdicts))
        + ".",
    )
    return fig


# --- Softmax with Loss, node by node (issue 13) --------------------------------------------


class _Log:
    """y = log x, element by element; dy/dx = 1/x. (Only this figure needs a log node.)"""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, dout):
        return dout / self.x


def softmax_with_loss_nodes_trace(s, t) -> list[dict]:
    """Softmax with Loss for one sample as elementary nodes: exp, sum, 1/S (so that divide is a
    Mul by a reciprocal), log, multiply by t, sum, times −1.

    s, t: (C,) scores and one-hot labels, drawn as columns (C, 1) so that the course's Sum and
    Repeat nodes (which work along axis 0) sum and copy over the classes.
    """
    from nnscratch.figures.traces import GraphNode, run_graph
    from nnscratch.nodes import Branch, Exp, Mul, Reciprocal, Repeat, Sum

    s = np.asarray(s, dtype=float).reshape(-1, 1)
    C = len(s)
    steps = [
        GraphNode("Exp", Exp(), ("s",), ("e",), "exp: e = exp(s)", "exp: times e"),
        GraphNode(
            "Branch",
            Branch(),
            ("e",),
            ("e1", "e2"),
            "branch: e goes two ways",
            "branch: the two gradients of e add up",
        ),
        GraphNode(
            "Sum", Sum(), ("e2",), ("S",), "sum: S = Σ e", "sum: copies ∂L/∂S to every class"
        ),
        GraphNode("Recip", Reciprocal(), ("S",), ("r",), "1/S", "1/S: times −1/S²"),
        GraphNode(
            "Repeat",
            Repeat(C),
            ("r",),
            ("r_rep",),
            "one copy of 1/S per class",
            "repeat: the C gradients add up",
        ),
        GraphNode("Divide", Mul(), ("e1", "r_rep"), ("y",), "divide: y = e / S", "divide (× 1/S)"),
        GraphNode("Log", _Log(), ("y",), ("logy",), "log y", "log: times 1/y"),
        GraphNode(
            "Pick",
            Mul(),
            ("logy", "t"),
            ("tlogy",),
            "× t: keeps the right class",
            "× t: the gradient reaches the right class only",
        ),
        GraphNode("Total", Sum(), ("tlogy",), ("sum",), "sum over the classes", "sum: copies back"),
        GraphNode("Neg", Mul(), ("sum", "minus1"), ("L",), "L = −Σ t log y", "× (−1)"),
    ]
    inputs = {"s": s, "t": np.asarray(t, dtype=float).reshape(-1, 1), "minus1": np.array([[-1.0]])}
    return run_graph(steps, inputs, "L")


def draw_softmax_with_loss_nodes(s=(2.0, 1.0, 0.1), t=(0.0, 1.0, 0.0), *, title=None):
    """The Softmax-with-Loss graph of one sample, node by node, forward values and gradients;
    the gradient that reaches the scores s is y − t (the title compares them)."""
    from nnscratch.figures.computation_graph import Layout, draw_graph
    from nnscratch.functions import softmax

    layout = Layout(
        places={
            "s": (0.0, 0.0),
            "Exp": (2.0, 0.0),
            "Branch": (4.0, 0.0),
            "Divide": (8.6, 0.0),
            "Sum": (4.0, -3.0),
            "Recip": (6.0, -3.0),
            "Repeat": (8.6, -3.0),
            "Log": (10.8, 0.0),
            "Pick": (13.0, 0.0),
            "t": (13.0, -3.0),
            "Total": (15.2, 0.0),
            "Neg": (17.4, 0.0),
            "minus1": (17.4, -3.0),
            "L": (19.6, 0.0),
        },
        symbols={
            "Exp": ("exp", "box"),
            "Branch": ("•", "op"),
            "Sum": ("Σ", "op"),
            "Recip": ("1/S", "box"),
            "Repeat": ("Repeat", "box"),
            "Divide": ("×", "op"),
            "Log": ("log", "box"),
            "Pick": ("×", "op"),
            "Total": ("Σ", "op"),
            "Neg": ("×", "op"),
            "minus1": ("$-1$", "text"),
        },
        size=(15.0, 5.2),
        constants=("t", "minus1"),
    )
    events = softmax_with_loss_nodes_trace(s, t)
    y_minus_t = softmax(np.asarray(s, dtype=float)) - np.asarray(t, dtype=float)
    if title is None:
        title = (
            "Softmax with Loss, node by node: the gradient reaching s is "
            f"{np.round(events[-1]['grads']['s'].ravel(), 3)}, and y − t = "
            f"{np.round(y_minus_t, 3)}"
        )
    return draw_graph(layout, events, title=title, decimals=3)
