"""Computation-graph figures drawn from node objects: forward values above, gradients below.

The numbers on every figure come from running the node itself (forward, then backward with
the given upstream gradient), so a figure can never disagree with the code it illustrates.
Forward values are blue, backward gradients red, as everywhere in the course.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnscratch.figures.canvas import new_figure
from nnscratch.figures.flow import BACKWARD, FORWARD, Edge, Node, draw_flow
from nnscratch.figures.traces import Trace, sigmoid_trace

_D = r"\partial L/\partial %s"


def d(name: str) -> str:
    """The mathtext for dL/d(name)."""
    return _D % name


@dataclass(frozen=True)
class Rule:
    """How one kind of node is drawn, and its rule written symbolically."""

    symbol: str  # the text in the node
    kind: str  # "op" (circle) or "box"
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    forward: tuple[str, ...]  # symbolic labels above the output edges
    backward: tuple[str, ...]  # symbolic labels below the input edges


RULES = {
    "Add": Rule(
        "+", "op", ("x", "y"), ("z",), ("z = x + y",), (d("z") + r"\cdot 1", d("z") + r"\cdot 1")
    ),
    "Mul": Rule(
        "×", "op", ("x", "y"), ("z",), ("z = x\\,y",), (d("z") + r"\cdot y", d("z") + r"\cdot x")
    ),
    "Branch": Rule("•", "op", ("x",), ("x_1", "x_2"), ("x", "x"), (d("x_1") + " + " + d("x_2"),)),
    "Repeat": Rule(
        "Repeat",
        "box",
        ("x",),
        ("y",),
        (r"y_n = x\ \ N{\times}D",),
        (r"\sum_n" + d("y_n") + r"\ \ 1{\times}D",),
    ),
    "Sum": Rule(
        "Sum",
        "box",
        ("x",),
        ("y",),
        (r"y = \sum_n x_n\ \ 1{\times}D",),
        (d("x_n") + " = " + d("y") + r"\ \ N{\times}D",),
    ),
    "MatMul": Rule(
        "MatMul",
        "box",
        ("x", "W"),
        ("y",),
        (r"y = xW\ \ N{\times}H",),
        (d("y") + r"\cdot W^{\mathsf{T}}", r"x^{\mathsf{T}}\cdot " + d("y")),
    ),
}
RULES["Copy"] = RULES["Branch"]

_UPSTREAM_BELOW = {
    "Repeat": d("y") + r"\ \ N{\times}D",
    "Sum": d("y") + r"\ \ 1{\times}D",
    "MatMul": d("y") + r"\ \ N{\times}H",
}
_INPUT_ABOVE = {
    "Repeat": ("x\\ \\ 1{\\times}D",),
    "Sum": ("x\\ \\ N{\\times}D",),
    "MatMul": ("x\\ \\ N{\\times}D", "W\\ \\ D{\\times}H"),
}


def format_value(value, decimals: int = 2) -> str:
    """A number as short text ("1.5"); a small array as the rows of a matrix, one per line."""
    a = np.asarray(value, dtype=float)
    if a.ndim == 0:
        return _number(float(a), decimals)
    rows = a.reshape(1, -1) if a.ndim == 1 else a.reshape(a.shape[0], -1)
    cells = [[_number(v, decimals) for v in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("[" + " ".join(c.rjust(width) for c in row) + "]" for row in cells)


def _number(v: float, decimals: int) -> str:
    text = np.format_float_positional(round(v, decimals), precision=decimals, trim="-")
    return "0" if text in ("-0", "0.") else text


def _layout(n_in: int, n_out: int, gap: float, rise: float):
    """Positions: the first input on the left, the first output on the right, in one line
    with the node; a second input (or output) hangs below the node on a vertical arrow, so
    that no two arrows share the space where their labels go."""
    ins = [(0.0, 0.0), (gap, -rise)][:n_in]
    outs = [(2 * gap, 0.0), (gap, -rise)][:n_out]
    return ins, (gap, 0.0), outs


def _draw(ax, rule: Rule, above_in, below_in, above_out, below_out, *, gap, rise, numbers, title):
    ins, centre, outs = _layout(len(rule.inputs), len(rule.outputs), gap, rise)
    nodes = [
        Node(f"in{i}", x, y, f"${name}$", "text")
        for i, (name, (x, y)) in enumerate(zip(rule.inputs, ins))
    ]
    nodes.append(Node("node", *centre, rule.symbol, rule.kind, colour="#f6f8fa"))
    nodes += [
        Node(f"out{j}", x, y, f"${name}$" if numbers else "$\\cdots$", "text")
        for j, (name, (x, y)) in enumerate(zip(rule.outputs, outs))
    ]
    edges = [Edge(f"in{i}", "node", above_in[i], below_in[i]) for i in range(len(ins))]
    edges += [Edge("node", f"out{j}", above_out[j], below_out[j]) for j in range(len(outs))]
    # The numbers panel is drawn at a smaller scale (its arrows are longer), so its boxes get
    # extra width to keep a label such as "MatMul" inside.
    draw_flow(
        nodes,
        edges,
        ax=ax,
        title=title,
        label_size=10 if not numbers else 9.5,
        label_family="monospace" if numbers else None,
        node_size=11,
        box_pad=0.15 if numbers else 0.0,
    )


def draw_node(node, inputs, dout, *, title: str = "", decimals: int = 2, rule_panel: bool = True):
    """Run node.forward(*inputs), then node.backward(dout), and draw what flowed where.

    node: an Add, Mul, Branch, Repeat, Sum or MatMul (from nnscratch.nodes, or a class of
    the same name with the same contract). inputs: the forward arguments; for MatMul, the
    tuple (x,) (W is the node's own parameter, drawn as a second input). dout: the upstream
    gradient; for Branch, a pair (one per outgoing edge). With rule_panel, the left panel
    states the rule in symbols and the right one shows the numbers; otherwise numbers only.
    """
    kind = type(node).__name__
    rule = RULES[kind]
    outputs = node.forward(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    douts = tuple(dout) if kind in ("Branch", "Copy") else (dout,)
    grads = node.backward(*douts)
    if kind == "MatMul":
        inputs, grads = (inputs[0], node.params[0]), (grads, node.grads[0])
    grads = grads if isinstance(grads, tuple) else (grads,)

    fmt = lambda v: format_value(v, decimals)
    rows = max(np.shape(v)[0] if np.ndim(v) == 2 else 1 for v in (*inputs, *outputs))
    cols = max(np.shape(v)[-1] if np.ndim(v) >= 1 else 1 for v in (*inputs, *outputs))
    gap = 2.4 + 0.3 * cols
    two_way = len(rule.inputs) > 1 or len(rule.outputs) > 1
    rise = (1.6 + 0.25 * rows) if two_way else 0.0

    # Size the figure to the drawing (equal aspect), so no band of white is left over.
    panel = 4.4 + 0.35 * cols
    span_x, span_y = 2 * gap + 2.2, rise + 1.8 + 0.4 * (rows - 1)
    fig, axes = new_figure(
        panel * (1 + rule_panel), 0.8 * panel * span_y / span_x + 0.6, ncols=1 + rule_panel
    )
    axes = np.atleast_1d(axes)
    if rule_panel:
        inputs_above = _INPUT_ABOVE.get(kind, rule.inputs)
        _draw(
            axes[0],
            rule,
            [f"${s}$" for s in inputs_above],
            [f"${s}$" for s in rule.backward],
            [f"${s}$" for s in rule.forward],
            [f"${_UPSTREAM_BELOW.get(kind, d(o))}$" for o in rule.outputs],
            gap=2.4 if rule.kind == "op" else 3.0,
            rise=1.8 if two_way else 0.0,
            numbers=False,
            title="the rule",
        )
    _draw(
        axes[-1],
        rule,
        [fmt(v) for v in inputs],
        [fmt(g) for g in grads],
        [fmt(v) for v in outputs],
        [fmt(g) for g in douts],
        gap=gap,
        rise=rise,
        numbers=True,
        title="with numbers" if rule_panel else "",
    )
    if title:
        fig.suptitle(title)
    return fig


@dataclass(frozen=True)
class Layout:
    """Where a graph's nodes sit; its arrows come from the trace drawn (Trace.edges)."""

    places: dict  # node or end-point name -> (x, y)
    symbols: dict  # node name -> (text, "op" or "box"); other places are bare labels
    size: tuple = (10.5, 3.9)  # figure width, height in inches
    constants: tuple = ()  # values whose gradient is of no interest (constants, labels)


def _line(*names, gap=3.0):
    return {name: (gap * i, 0.0) for i, name in enumerate(names)}


AFFINE_SUM = Layout(  # L = Sum(MatMul(x) + Repeat(b)), with W and b hanging below
    places={
        **_line("x", "MatMul", "Add", "Sum", "L"),
        "W": (3.0, -2.0),
        "Repeat": (6.0, -2.0),
        "b": (9.0, -2.0),
    },
    symbols={
        "MatMul": ("MatMul", "box"),
        "Add": ("+", "op"),
        "Sum": ("Sum", "box"),
        "Repeat": ("Repeat", "box"),
    },
)

ADD_MUL = Layout(  # L = (x + y) * w
    places={**_line("x", "Add", "Mul", "L", gap=2.4), "y": (2.4, -1.6), "w": (4.8, -1.6)},
    symbols={"Add": ("+", "op"), "Mul": ("×", "op")},
    size=(7.0, 3.0),
)

USED_TWICE = Layout(  # L = x * y + x: x reaches L along two paths
    places={
        "x": (0.0, 0.0),
        "Branch": (2.4, 0.0),
        "Add": (7.2, 0.0),
        "L": (9.6, 0.0),
        "Mul": (2.4, -2.0),
        "y": (0.0, -2.0),
    },
    symbols={"Branch": ("•", "op"), "Mul": ("×", "op"), "Add": ("+", "op")},
    size=(9.0, 3.6),
)

SIGMOID = Layout(  # y = 1 / (1 + e^(-x)) as ×(−1), exp, +1 and 1/c
    places={
        **_line("x", "neg", "exp", "plus1", "recip", "y", gap=2.2),
        "-1": (2.2, -1.5),
        "1": (6.6, -1.5),
    },
    symbols={
        "neg": ("×", "op"),
        "exp": ("exp", "box"),
        "plus1": ("+", "op"),
        "recip": ("1/c", "box"),
    },
    size=(10.0, 2.9),
    constants=("-1", "1"),
)

AFFINE = Layout(  # y = x W + b as MatMul, Repeat of the bias row, and Add
    places={
        **_line("x", "MatMul", "Add", "y"),
        "W": (3.0, -2.0),
        "Repeat": (6.0, -2.0),
        "b": (9.0, -2.0),
    },
    symbols={"MatMul": ("MatMul", "box"), "Add": ("+", "op"), "Repeat": ("Repeat", "box")},
    size=(9.0, 4.0),
)

SOFTMAX_WITH_LOSS = Layout(  # scores -> Softmax -> cross entropy (with labels t) -> L
    places={**_line("s", "Softmax", "CrossEntropy", "L", gap=4.4), "t": (8.8, -1.6)},
    symbols={"Softmax": ("Softmax", "box"), "CrossEntropy": ("Cross Entropy", "box")},
    size=(11.0, 3.2),  # 3.0 left the title a pixel outside the figure
    constants=("t",),
)

ACTIVE = "#fff3b0"


def draw_graph(
    layout: Layout,
    events: Trace,
    step: int | None = None,
    *,
    decimals: int = 2,
    title: str | None = None,
):
    """The graph after events[0..step] have happened (step None: all of them).

    events come from nnscratch.figures.traces.run_graph (or one of its traces), which also
    says which arrow carries which value. Every arrow shows its
    forward value (blue) once the node feeding it has run, and its gradient dL/d(value) (red)
    once backward has reached it. The node that ran in this step is highlighted, and the
    title says what it did (title="" for none).
    """
    graph = LiveGraph(layout, events, decimals=decimals, titled=title != "")
    return graph.update(events, step, title=title)


class LiveGraph:
    """draw_graph's nodes and arrows, drawn once; update writes another step's (or another
    run's) values, gradients, highlight and title in place. fig.live_artists lists them."""

    def __init__(self, layout: Layout, events: Trace, *, decimals: int = 2, titled: bool = True):
        self.layout, self.decimals = layout, decimals
        nodes = []
        for name, (x, y) in layout.places.items():
            symbol, kind = layout.symbols.get(name, (f"${name}$", "text"))
            nodes.append(Node(name, x, y, symbol, kind, colour="#f6f8fa"))
        edges = [Edge(src, dst) for src, dst in events.edges.values()]
        self.fig, ax = new_figure(*layout.size)
        self.drawn: dict = {}
        draw_flow(
            nodes,
            edges,
            ax=ax,
            title=" " if titled else "",  # room for the title, which update writes
            label_size=9.5,
            label_family="monospace",
            margin=(0.8, 1.0),
            artists=self.drawn,
        )
        self.title = ax.title
        legend(ax)
        labels = [t for e in edges for t in self.drawn[e.src, e.dst]]
        shapes = [a for n in nodes if self.drawn[n.name][0] for a in self.drawn[n.name]]
        self.fig.live_artists = [*labels, *shapes, self.title]

    def update(self, events: Trace, step: int | None = None, *, title: str | None = None):
        """Show events[0..step] (see draw_graph); returns the Figure."""
        last = len(events) - 1
        highlight = step is not None  # the whole story at once has no "current" node
        step = last if step is None else int(np.clip(step, 0, last))
        values, grads = {}, {}
        for event in events[: step + 1]:
            values.update(event.get("values", {}))
            grads.update(event.get("grads", {}))
        now = events[step]
        for name in self.layout.places:
            patch = self.drawn[name][0]
            if patch is not None:
                patch.set_facecolor(ACTIVE if highlight and name == now["node"] else "#f6f8fa")

        def fmt(key, table):
            return format_value(table[key], self.decimals) if key in table else ""

        for key, (src, dst) in events.edges.items():
            above, below = self.drawn[src, dst]
            above.set_text(fmt(key, values))
            below.set_text("" if key in self.layout.constants else fmt(key, grads))
        heading = (
            f"step {step} of {last} · {now['phase']}: {now['text']}" if title is None else title
        )
        self.title.set_text(heading)
        return self.fig


def draw_trace(events: Trace, step: int | None = None, **kwargs):
    """draw_graph for the events of nnscratch.figures.traces.affine_sum_trace."""
    return draw_graph(AFFINE_SUM, events, step, **kwargs)


def legend(ax) -> None:
    """One line under a graph: which colour is which."""
    ax.text(
        0.0,
        -0.02,
        "blue: forward values",
        color=FORWARD,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=9,
    )
    ax.text(
        1.0,
        -0.02,
        "red: backward gradients ∂L/∂(value)",
        color=BACKWARD,
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
    )


def draw_sigmoid_graph(x: float = 0.5, dout: float = 1.0):
    """The sigmoid's four nodes at one x, with upstream gradient dout at y, and (in the title)
    the Sigmoid layer's one-step backward dout * y * (1 - y) for comparison."""
    events, title = sigmoid_story(x, dout)
    return draw_graph(SIGMOID, events, title=title, decimals=3)


def sigmoid_story(x: float, dout: float) -> tuple[Trace, str]:
    """draw_sigmoid_graph's events and title."""
    from nnscratch.layers import Sigmoid

    events = sigmoid_trace(x, dout)
    layer = Sigmoid()
    y = float(layer.forward(np.float64(x)))
    dx = float(layer.backward(dout))
    through_graph = float(events[-1]["grads"]["x"])
    title = (
        f"x = {x:.2f}, y = {y:.3f}.  Through the graph ∂L/∂x = {through_graph:.4f};   "
        f"dout·y·(1 − y) = {dx:.4f}"
    )
    return events, title
