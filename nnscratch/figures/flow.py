"""Boxes and circles joined by arrows: computation graphs, layer pipelines, chains of functions.

One drawing function for every such figure of the course. Forward values are written above
an arrow (blue), backward gradients below it (red), as in the book's figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnscratch.figures.canvas import new_figure

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


def draw_flow(nodes: list[Node], edges: list[Edge], *, title: str = "", width: float | None = None,
              height: float | None = None, ax=None):
    """Draw the nodes and arrows; returns the Figure. Coordinates are in node-size units."""
    from matplotlib.patches import Circle, FancyBboxPatch

    by_name = {n.name: n for n in nodes}
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    span_x, span_y = max(xs) - min(xs) + 2.2, max(ys) - min(ys) + 1.8
    if ax is None:
        fig, ax = new_figure(width or min(1.25 * span_x, 14), height or max(1.1 * span_y, 1.8))
    else:
        fig = ax.figure
    half = {n.name: _half_size(n) for n in nodes}
    for e in edges:
        a, b = by_name[e.src], by_name[e.dst]
        start, end = _edge_point(a, b, half[a.name]), _edge_point(b, a, half[b.name])
        ax.annotate("", xy=end, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", color="black", lw=1.4, shrinkA=0, shrinkB=0))
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        if e.above:
            ax.text(mid[0], mid[1] + 0.14, e.above, ha="center", va="bottom", color=FORWARD, fontsize=10)
        if e.below:
            ax.text(mid[0], mid[1] - 0.14, e.below, ha="center", va="top", color=BACKWARD, fontsize=10)
        if e.backward_arrow:
            off = -0.5 if abs(end[0] - start[0]) >= abs(end[1] - start[1]) else 0.0
            ax.annotate("", xy=(start[0], start[1] + off * 0.2), xytext=(end[0], end[1] + off * 0.2),
                        arrowprops=dict(arrowstyle="-|>", color=BACKWARD, lw=1.1, ls="--",
                                        shrinkA=0, shrinkB=0))
    for n in nodes:
        hx, hy = half[n.name]
        if n.kind == "op":
            ax.add_patch(Circle((n.x, n.y), hx, facecolor=n.colour, edgecolor="black", lw=1.4, zorder=3))
        elif n.kind == "box":
            ax.add_patch(FancyBboxPatch((n.x - hx, n.y - hy), 2 * hx, 2 * hy,
                                        boxstyle="round,pad=0.02,rounding_size=0.08",
                                        facecolor=n.colour, edgecolor="black", lw=1.4, zorder=3))
        ax.text(n.x, n.y, n.label or n.name, ha="center", va="center", fontsize=11, zorder=4)
    ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


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
    scale = min(half[0] / abs(dx) if dx else float("inf"), half[1] / abs(dy) if dy else float("inf"))
    return a.x + dx * scale, a.y + dy * scale
