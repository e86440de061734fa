"""Chapter 1's playground: a 2-2-3 network beside the classes it predicts, with a goal.

Labelled target points sit on the plane; the goal is to set the first layer so that every
point falls in the region of its own class. Colours mean one thing each: a class (regions,
points, legend). A weight's sign is a line style (solid +, dashed -), never a colour.

The figure is built once and updated in place (update), so that it follows a slider: only
the arrows, the regions, the marks on misplaced points and the texts change.
"""

from __future__ import annotations

import numpy as np

from nnscratch.evaluation import class_map
from nnscratch.figures.canvas import add_drawn_patch, new_figure
from nnscratch.figures.palette import CLASS_COLOURS, CLASS_MARKERS, REGION_ALPHA
from nnscratch.functions import sigmoid

WEIGHT_COLOUR = "#24292f"  # a weight is no class: neutral, its sign shown by the line style


def playground_scores(x, W1, b1, W2, b2):
    """x (N, 2) -> scores (N, 3) of the 2-2-3 network."""
    return sigmoid(x @ W1 + b1) @ W2 + b2


# Where the network's neurons sit on the left axes, layer by layer, and their radius.
POSITIONS = {
    "x": [(0.0, 0.6), (0.0, -0.6)],
    "h": [(2.0, 0.6), (2.0, -0.6)],
    "s": [(4.0, 1.1), (4.0, 0.0), (4.0, -1.1)],
}
RADIUS = 0.27
C = 3  # classes


class PlaygroundFigure:
    """points (N, 2) with their target classes (N,); W2 (2, 3) and b2 (3,) stay fixed."""

    def __init__(self, points, targets, W2, b2, *, lim: float = 3.0, resolution: int = 100):
        self.points, self.targets = np.asarray(points, float), np.asarray(targets, int)
        self.W2, self.b2 = np.asarray(W2, float), np.asarray(b2, float)
        self.grid = np.linspace(-lim, lim, resolution)
        self.fig, (net, plane) = new_figure(10.0, 4.3, ncols=2)
        self.fig.get_layout_engine().set(wspace=0.05)
        # Left: the network.
        self._draw_arrows(net)
        self._draw_neurons(net)
        self._draw_weight_legend(net)
        # Right: the plane shaded by predicted class, the target points on top.
        self._draw_regions(plane, lim, resolution)
        self._draw_targets(plane)
        self._draw_class_legend(plane)
        self.title = plane.set_title("", fontsize=10)
        self.fig.suptitle(
            "Goal: make every point fall in its class region", fontsize=11.5, weight="bold"
        )
        # What update changes, drawn over the rest, which is drawn once (the points and the
        # frame too, as they lie over the regions).
        self.fig.live_artists = [
            *self.arrows.values(),
            *self.weight_texts.values(),
            *self.bias_texts,
            self.regions,
            *plane.collections,
            *plane.spines.values(),
            self.title,
        ]

    def _draw_arrows(self, net) -> None:
        """Arrows x_i -> h_j carry W1[i, j] (update restyles them and writes their numbers);
        arrows h_j -> s_k carry the fixed W2[j, k], styled once."""
        from matplotlib.patches import FancyArrowPatch

        self.arrows, self.weight_texts = {}, {}
        for layer, nxt in (("x", "h"), ("h", "s")):
            for i, a in enumerate(POSITIONS[layer]):
                for j, b in enumerate(POSITIONS[nxt]):
                    arrow = FancyArrowPatch(
                        a,
                        b,
                        arrowstyle="-|>",
                        mutation_scale=11,
                        shrinkA=0,
                        shrinkB=0,
                        color=WEIGHT_COLOUR,
                        lw=1.0,
                        alpha=0.9,
                    )
                    arrow.set_positions(*_shortened(a, b, RADIUS))
                    add_drawn_patch(net, arrow)  # the limits are set below
                    if layer == "x":
                        self.arrows[i, j] = arrow
                        self.weight_texts[i, j] = _weight_text(
                            net, a, b, straight=i == j, top=i == 0
                        )
                    else:
                        w = self.W2[i, j]
                        arrow.set_linewidth(0.5 + 0.4 * abs(w))
                        arrow.set_linestyle("-" if w >= 0 else (0, (3, 2)))
                        arrow.set_alpha(0.35 if w == 0 else 0.6)

    def _draw_neurons(self, net) -> None:
        """A circle per neuron with its name (scores in their class colour), the hidden
        neurons' bias texts below them, and each score's class beside it."""
        from matplotlib.patches import Circle

        names = {"x": "$x_{}$", "h": "$h_{}$", "s": "$s_{}$"}
        for layer, places in POSITIONS.items():
            for k, (x, y) in enumerate(places):
                add_drawn_patch(
                    net,
                    Circle((x, y), RADIUS, facecolor="white", edgecolor="black", lw=1.3, zorder=3),
                )
                label = names[layer].format(k + 1) if layer != "s" else f"$s_{k + 1}$"
                colour = CLASS_COLOURS[k] if layer == "s" else "black"
                net.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=11,
                    zorder=4,
                    color=colour,
                    weight="bold" if layer == "s" else "normal",
                )
        self.bias_texts = [
            net.text(x, y - RADIUS - 0.05, "", ha="center", va="top", fontsize=8.5)
            for x, y in POSITIONS["h"]
        ]
        for k, (x, y) in enumerate(POSITIONS["s"]):
            net.text(
                x + RADIUS + 0.08,
                y,
                f"class {k}",
                va="center",
                fontsize=8.5,
                color=CLASS_COLOURS[k],
            )

    def _draw_weight_legend(self, net) -> None:
        """What a line style means (a weight's sign), and the network's frame and title."""
        from matplotlib.lines import Line2D

        net.legend(
            [
                Line2D([], [], color=WEIGHT_COLOUR, lw=2),
                Line2D([], [], color=WEIGHT_COLOUR, lw=2, ls=(0, (3, 2))),
            ],
            ["weight > 0", "weight < 0 (thicker: larger)"],
            loc="lower center",
            bbox_to_anchor=(0.5, -0.02),
            ncols=2,
            fontsize=8,
            frameon=False,
        )
        net.set_xlim(-0.5, 5.1)
        net.set_ylim(-2.0, 1.8)
        net.set_aspect("equal")
        net.axis("off")
        net.set_title("first layer: your sliders · second layer: fixed", fontsize=10)

    def _draw_regions(self, plane, lim: float, resolution: int) -> None:
        """The plane's predicted classes as an image (update sets its pixels)."""
        from matplotlib.colors import ListedColormap

        self.regions = plane.imshow(
            np.zeros((resolution, resolution)),
            origin="lower",
            extent=(-lim, lim, -lim, lim),
            cmap=ListedColormap(CLASS_COLOURS[:C]),
            vmin=0,
            vmax=C - 1,
            alpha=REGION_ALPHA,
            interpolation="nearest",
            aspect="auto",
        )
        plane.set_xlim(-lim, lim)
        plane.set_ylim(-lim, lim)
        plane.set_xlabel("$x_1$")
        plane.set_ylabel("$x_2$")

    def _draw_targets(self, plane) -> None:
        """The target points in their class's colour and marker, and the rings that update
        puts around the misplaced ones."""
        for k in range(C):
            chosen = self.points[self.targets == k]
            plane.scatter(
                chosen[:, 0],
                chosen[:, 1],
                s=36,
                marker=CLASS_MARKERS[k],
                color=CLASS_COLOURS[k],
                edgecolors="black",
                linewidths=0.6,
                zorder=3,
            )
        self.misplaced = plane.scatter(
            [], [], s=150, facecolors="none", edgecolors="black", linewidths=1.4, zorder=4
        )

    def _draw_class_legend(self, plane) -> None:
        """Each class: its region's colour with its marker; and the misplaced points' ring."""
        from matplotlib.legend_handler import HandlerTuple
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [
            (
                Patch(facecolor=CLASS_COLOURS[k], alpha=REGION_ALPHA),
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker=CLASS_MARKERS[k],
                    color=CLASS_COLOURS[k],
                    mec="black",
                    mew=0.6,
                    ms=7,
                ),
            )
            for k in range(C)
        ]
        handles.append(
            Line2D([], [], ls="none", marker="o", ms=12, mfc="none", mec="black", mew=1.4)
        )
        plane.legend(
            handles,
            [f"class {k}" for k in range(C)] + ["not in its\nclass region"],
            handler_map={tuple: HandlerTuple(ndivide=1)},
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=8.5,
            frameon=False,
        )

    def update(self, W1, b1):
        """Show the network with first layer W1 (2, 2), b1 (2,); return the Figure."""
        W1, b1 = np.asarray(W1, float), np.asarray(b1, float)
        largest = max(float(np.abs(W1).max()), 1.0)
        for (i, j), arrow in self.arrows.items():
            w = W1[i, j]
            arrow.set_linewidth(0.6 + 3.4 * abs(w) / largest)
            arrow.set_linestyle("-" if w >= 0 else (0, (3, 2)))
            arrow.set_alpha(0.3 if w == 0 else 0.9)
            self.weight_texts[i, j].set_text(f"{w:+.1f}")
        for j, text in enumerate(self.bias_texts):
            text.set_text(f"b = {b1[j]:+.1f}")

        def predict(x):
            return playground_scores(x, W1, b1, self.W2, self.b2)

        self.regions.set_data(class_map(predict, self.grid, self.grid))
        wrong = self.wrong(W1, b1)
        self.misplaced.set_offsets(self.points[wrong] if wrong.any() else np.empty((0, 2)))
        placed = len(self.points) - int(wrong.sum())
        self.title.set_text(
            f"{placed} of {len(self.points)} points in their class region"
            + (": done!" if placed == len(self.points) else "")
        )
        return self.fig

    def wrong(self, W1, b1) -> np.ndarray:
        """(N,) bool: the points the network puts in another class than their target."""
        scores = playground_scores(self.points, W1, b1, self.W2, self.b2)
        return scores.argmax(axis=1) != self.targets


def _weight_text(net, a, b, *, straight: bool, top: bool):
    """The empty text for the weight of arrow a -> b: a straight arrow's mid-way, outside
    (above the top one, below the bottom one); a crossing one's near its start, before the
    arrows cross."""
    along, up = (0.5, 0.14 if top else -0.14) if straight else (0.32, 0.0)
    at = np.add(a, np.subtract(b, a) * along) + (0.0, up)
    return net.text(
        *at,
        "",
        ha="center",
        va="center",
        fontsize=8.5,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
    )


def _shortened(a, b, radius):
    """The segment from circle a to circle b, from rim to rim."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = (b - a) / np.hypot(*(b - a))
    return tuple(a + radius * d), tuple(b - radius * d)
