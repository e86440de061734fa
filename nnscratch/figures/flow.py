"""Boxes and circles joined by arrows: computation graphs, layer pipelines, chains of functions.

One drawing function for every such figure of the course. Forward values are written above
an arrow (blue), backward gradients below it (red), as in the book's figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnscratch.figures.canvas import add_drawn_patch, math_label, new_figure

FORWARD, BACKWARD = "#1f6feb", "#cf222e"


@dataclass(frozen=True)
class Node:
    """A node at (x, y). kind: "op" (circle, an operation), "box" (a layer or function), or
    "text" (a bare label, e.g. an input variable or the final loss)."""

    name: str
    x: float
    y: float
    label: str = ""
    kind: str = "box"
    colour: str = "white"


@dataclass(frozen=True)
class Edge:
    """An arrow from node src to node dst; above/below are its forward and backward labels."""

    src: str
    dst: str
    above: str = ""
    below: str = ""
    backward_arrow: bool = False  # draw a red arrow pointing back along the edge


def draw_flow(
    nodes: list[Node],
    edges: list[Edge],
    *,
    title: str = "",
    width: float | None = None,
    height: float | None = None,
    ax=None,
    label_size: float = 10,
    label_family: str | None = None,
    node_size: float = 11,
    margin: tuple[float, float] | None = None,
    box_pad: float = 0.0,
    artists: dict | None = None,
):
    """Draw the nodes and arrows; returns the Figure. Coordinates are in node-size units.

    On a horizontal arrow the forward label sits above and the backward label below; on a
    slanted or vertical arrow they sit on either side of it, clear of the line. Labels may
    span several lines (a small matrix, say): the drawing grows to make room for them.
    label_family="monospace" lines up the columns of such matrices. margin (x, y) overrides
    the space kept around the outermost nodes. box_pad widens every box by that much on each
    side (in node-size units), for a drawing whose scale leaves a box's label little room.
    artists: a dict to fill for a figure that changes its labels in place: (src, dst) ->
    (above, below) Texts, made even for empty labels, and node name -> (patch or None, Text).
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    by_name = {n.name: n for n in nodes}
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    lines = max(
        [1] + [label.count("\n") + 1 for e in edges for label in (e.above, e.below) if label]
    )
    # Today's look for one-line labels; every extra line of a label needs about 0.2 more units.
    mx, my = margin or (1.1, 0.9 + 0.2 * (lines - 1) * label_size / 10)
    span_x, span_y = max(xs) - min(xs) + 2 * mx, max(ys) - min(ys) + 2 * my
    if ax is None:
        fig, ax = new_figure(width or min(1.25 * span_x, 14), height or max(1.1 * span_y, 1.8))
    else:
        fig = ax.figure
    half = {n.name: _half_size(n) for n in nodes}
    half.update(
        {n.name: (half[n.name][0] + box_pad, half[n.name][1]) for n in nodes if n.kind == "box"}
    )
    for e in edges:
        a, b = by_name[e.src], by_name[e.dst]
        start, end = _edge_point(a, b, half[a.name]), _edge_point(b, a, half[b.name])
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops=dict(arrowstyle="-|>", color="black", lw=1.4, shrinkA=0, shrinkB=0),
        )
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        style = {"fontsize": label_size, **({"family": label_family} if label_family else {})}
        labels = []
        for text, side, colour in ((e.above, 1, FORWARD), (e.below, -1, BACKWARD)):
            if text or artists is not None:
                x, y, ha, va = _label_place(start, end, mid, side)
                labels.append(ax.text(x, y, text, ha=ha, va=va, color=colour, **style))
        if artists is not None:
            artists[e.src, e.dst] = tuple(labels)
        if e.backward_arrow:
            off = -0.5 if abs(end[0] - start[0]) >= abs(end[1] - start[1]) else 0.0
            ax.annotate(
                "",
                xy=(start[0], start[1] + off * 0.2),
                xytext=(end[0], end[1] + off * 0.2),
                arrowprops=dict(
                    arrowstyle="-|>", color=BACKWARD, lw=1.1, ls="--", shrinkA=0, shrinkB=0
                ),
            )
    for n in nodes:
        hx, hy = half[n.name]
        patch = None
        if n.kind == "op":
            patch = add_drawn_patch(  # the limits are set below
                ax, Circle((n.x, n.y), hx, facecolor=n.colour, edgecolor="black", lw=1.4, zorder=3)
            )
        elif n.kind == "box":
            patch = add_drawn_patch(
                ax,
                FancyBboxPatch(
                    (n.x - hx, n.y - hy),
                    2 * hx,
                    2 * hy,
                    boxstyle="round,pad=0.02,rounding_size=0.08",
                    facecolor=n.colour,
                    edgecolor="black",
                    lw=1.4,
                    zorder=3,
                ),
            )
        label, style = math_label(n.label or n.name)  # "$x$": drawn without parsing mathtext
        text = ax.text(
            n.x, n.y, label, ha="center", va="center", fontsize=node_size, zorder=4, **style
        )
        if artists is not None:
            artists[n.name] = (patch, text)
    ax.set_xlim(min(xs) - mx, max(xs) + mx)
    ax.set_ylim(min(ys) - my, max(ys) + my)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def _label_place(start, end, mid, side: int):
    """Where a label goes: side 1 (forward) above the arrow, -1 (backward) below it.

    A horizontal arrow keeps the labels centred above and below. Otherwise the label moves
    off the line along its normal (the one pointing up, or left on a vertical arrow) and is
    anchored on its near edge, so it never covers the arrow.
    """
    dx, dy = end[0] - start[0], end[1] - start[1]
    if abs(dy) < 1e-9:
        return mid[0], mid[1] + side * 0.14, "center", "bottom" if side > 0 else "top"
    length = (dx * dx + dy * dy) ** 0.5
    nx, ny = -dy / length, dx / length
    if ny < 0 or (abs(ny) < 1e-9 and nx > 0):
        nx, ny = -nx, -ny  # the "upper" normal: up, or left for a vertical arrow
    nx, ny = side * nx, side * ny
    ha = "left" if nx > 0.25 else "right" if nx < -0.25 else "center"
    va = "bottom" if ny > 0.25 else "top" if ny < -0.25 else "center"
    return mid[0] + 0.12 * nx, mid[1] + 0.12 * ny, ha, va


def _half_size(n: Node) -> tuple[float, float]:
    if n.kind == "op":
        return 0.3, 0.3
    if n.kind == "text":
        return 0.12 + 0.045 * len(n.label or n.name) if len(n.label or n.name) < 12 else 0.5, 0.18
    return max(0.45, 0.06 * len(n.label or n.name) + 0.15), 0.3


def _edge_point(a: Node, b: Node, half: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a's centre towards b leaves a's outline."""
    dx, dy = b.x - a.x, b.y - a.y
    if dx == dy == 0:
        return a.x, a.y
    if a.kind == "op":
        d = (dx * dx + dy * dy) ** 0.5
        return a.x + half[0] * dx / d, a.y + half[1] * dy / d
    scale = min(
        half[0] / abs(dx) if dx else float("inf"), half[1] / abs(dy) if dy else float("inf")
    )
    return a.x + dx * scale, a.y + dy * scale
