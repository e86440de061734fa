"""A chain of functions drawn as boxes: values flow forward, derivatives multiply backward."""

from __future__ import annotations

from collections.abc import Sequence

from nnscratch.figures.canvas import new_figure
from nnscratch.figures.flow import Edge, Node, draw_flow
from nnscratch.figures.live_text import HeadText, NumberText

LOCAL = "#8250df"  # local derivatives: neither a forward value nor an upstream gradient


def _number(v) -> str:
    return f"{float(v):.3g}"


def draw_chain(
    labels: Sequence[str],
    values: Sequence[float],
    local: Sequence[float] | None = None,
    grads: Sequence[float] | None = None,
    *,
    local_labels: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    title: str = "",
    ax=None,
):
    """Boxes labels[0..n-1] in a row, joined by arrows that carry the n + 1 values.

    values: [x, y1, ..., z], written above the arrows (blue).
    local: the n local derivatives, written under their boxes (purple), with local_labels
    (formulas such as "$e^{u}$") in front of them when given.
    grads: [dz/dx, dz/dy1, ..., 1], written under the arrows (red): each is the one to its
    right times the local derivative of the box between them.
    names: the n + 1 variable names (default x, y1, ..., z), used in the labels.
    """
    n = len(labels)
    if len(values) != n + 1:
        raise ValueError(f"{n} boxes need {n + 1} values, got {len(values)}")
    if ax is None:
        width = min(2.6 * n + 3.0, 14)
        # the axes keep equal units; the height follows the width, plus room for a title
        fig, ax = new_figure(width, width * 1.4 / (3.0 * (n + 1) + 2.2) + (0.45 if title else 0.15))
    row = ChainRow(
        ax,
        labels,
        names,
        local_labels=local_labels,
        local=local is not None,
        grads=grads is not None,
    )
    row.update(values, local, grads)
    if title:
        ax.set_title(title)
    return ax.figure


class ChainRow:
    """draw_chain's boxes and arrows, drawn once on ax; update writes the numbers.

    live=True writes each label as a fixed head and a number (nnscratch.figures.live_text), so
    that a slider's new numbers cost no mathtext parsing; `artists` lists the labels.
    """

    def __init__(
        self,
        ax,
        labels: Sequence[str],
        names: Sequence[str] | None = None,
        *,
        local_labels: Sequence[str] | None = None,
        local: bool = True,
        grads: bool = True,
        live: bool = False,
    ):
        n = len(labels)
        names = list(names) if names is not None else ["x"] + [f"y{k}" for k in range(1, n)] + ["z"]
        step = 3.0  # room for the labels between the boxes
        nodes = [Node("in", 0, 0, f"${_tex(names[0])}$", kind="text")]
        nodes += [
            Node(f"box{k}", step * (k + 1), 0, label, colour="#f6f8fa")
            for k, label in enumerate(labels)
        ]
        nodes.append(Node("out", step * (n + 1), 0, f"${_tex(names[-1])}$", kind="text"))
        edges = []
        for k in range(n + 1):
            name = _tex(names[k])
            below = f"$d{_tex(names[-1])}/d{name}$ = " if grads else ""
            edges.append(Edge(nodes[k].name, nodes[k + 1].name, f"${name}$ = ", below))
        drawn: dict = {}
        draw_flow(nodes, edges, ax=ax, artists=drawn)
        self.values = [drawn[e.src, e.dst][0] for e in edges]
        self.grads = [drawn[e.src, e.dst][1] for e in edges] if grads else []
        self.local = []
        for k in range(n if local else 0):
            head = "local: "
            if local_labels is not None and not _is_constant(local_labels[k]):
                head = f"local: {local_labels[k]} = "
            self.local.append(
                ax.text(
                    step * (k + 1), -0.45, head, ha="center", va="top", color=LOCAL, fontsize=9.5
                )
            )
        ax.set_ylim(-0.8, 0.6)
        label = NumberText if live else HeadText
        self.values, self.grads, self.local = (
            [label(t) for t in texts] for texts in (self.values, self.grads, self.local)
        )
        self.artists = [t.artist for t in (*self.values, *self.grads, *self.local)]

    def update(self, values, local=None, grads=None) -> None:
        """values (n + 1,), local (n,) and grads (n + 1,) as in draw_chain."""
        for texts, numbers in ((self.values, values), (self.local, local), (self.grads, grads)):
            for text, v in zip(texts, numbers if numbers is not None else ()):
                text.set(_number(v))


def _is_constant(formula: str) -> bool:
    try:
        float(formula.strip("$").replace("−", "-"))
    except ValueError:
        return False
    return True


def _tex(name: str) -> str:
    """y1 -> y_1, so subscripts render in mathtext."""
    head = name.rstrip("0123456789")
    tail = name[len(head) :]
    return f"{head}_{{{tail}}}" if tail else name
