"""Draw a fully-connected network: circles for neurons, arrows for weighted connections."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnscratch.figures.canvas import describe, new_figure

POSITIVE, NEGATIVE, NEUTRAL = "#1f6feb", "#cf222e", "#57606a"
HIGHLIGHT = "#b35900"  # the arrows into one chosen neuron, and its column of W


def _default_names(sizes: Sequence[int]) -> list[list[str]]:
    prefixes = ["x"] + ["h"] * (len(sizes) - 2) + ["s"]
    return [[f"${p}_{{{i + 1}}}$" for i in range(n)] for p, n in zip(prefixes, sizes)]


def draw_network(
    sizes: Sequence[int] = (2, 4, 3),
    weights: Sequence[np.ndarray] | None = None,
    *,
    names: Sequence[Sequence[str]] | None = None,
    layer_titles: Sequence[str] | None = None,
    highlight: int | None = None,
    title: str = "",
    ax=None,
):
    """Draw a fully-connected network with the given layer sizes.

    weights: optional list of matrices, weights[k] of shape (sizes[k], sizes[k+1]); each
    arrow is then blue for a positive weight, red for a negative one, thicker when larger.
    highlight=j picks hidden neuron j (0-based, as in code): the arrows into it are drawn
    bold and labelled with their weights (w_1j, w_2j, ..., 1-based, as in formulas), its
    bias b_j is drawn arriving from above, and the first weight matrix is written out below
    the network with column j, the weights that feed that neuron, framed.
    """
    sizes = list(sizes)
    if weights is not None:
        for k, W in enumerate(weights):
            if np.shape(W) != (sizes[k], sizes[k + 1]):
                raise ValueError(
                    f"weights[{k}] has shape {np.shape(W)}, expected {(sizes[k], sizes[k + 1])}"
                )
    below = 1.45 if highlight is not None else 0.0  # room for the written-out matrix
    fig, ax = (
        new_figure(1.9 * len(sizes) + 1, 0.75 * max(sizes) + 1.4 + 0.75 * below)
        if ax is None
        else (ax.figure, ax)
    )
    names = names or _default_names(sizes)
    if layer_titles is None:
        layer_titles = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    height = max(sizes)
    pos = [[(2.0 * k, (n - 1) / 2 - i) for i in range(n)] for k, n in enumerate(sizes)]  # centred
    radius = 0.28
    largest = max((np.abs(W).max() for W in weights), default=1.0) if weights is not None else 1.0
    for k in range(len(sizes) - 1):
        for i, (x0, y0) in enumerate(pos[k]):
            for j, (x1, y1) in enumerate(pos[k + 1]):
                colour, width = NEUTRAL, 1.0
                if highlight is not None and k == 0 and j == highlight:
                    colour, width = HIGHLIGHT, 2.4
                elif highlight is not None:
                    colour = "#c7cdd3"
                if weights is not None:
                    w = weights[k][i, j]
                    colour = POSITIVE if w > 0 else NEGATIVE if w < 0 else NEUTRAL
                    width = 0.4 + 3.6 * abs(w) / (largest or 1.0)
                d = np.hypot(x1 - x0, y1 - y0)
                ax.annotate(
                    "",
                    xy=(x1 - radius * (x1 - x0) / d, y1 - radius * (y1 - y0) / d),
                    xytext=(x0 + radius * (x1 - x0) / d, y0 + radius * (y1 - y0) / d),
                    arrowprops=dict(
                        arrowstyle="-|>",
                        color=colour,
                        lw=width,
                        shrinkA=0,
                        shrinkB=0,
                        mutation_scale=10,
                        alpha=0.85,
                    ),
                )
    from matplotlib.patches import Circle

    for k, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            ax.add_patch(
                Circle((x, y), radius, facecolor="white", edgecolor="black", lw=1.5, zorder=3)
            )
            ax.text(x, y, names[k][i], ha="center", va="center", fontsize=11, zorder=4)
        ax.text(
            2.0 * k,
            (height - 1) / 2 + 0.75,
            f"{layer_titles[k]}\n({sizes[k]})",
            ha="center",
            va="bottom",
            fontsize=9.5,
        )
    if highlight is not None:
        _label_one_neuron(ax, pos, highlight, radius)
    ax.set_xlim(-0.6 - (0.4 if highlight is not None else 0), 2.0 * (len(sizes) - 1) + 0.6)
    ax.set_ylim(-(height - 1) / 2 - 0.6 - below, (height - 1) / 2 + 1.55)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    describe(
        ax,
        _describe(sizes, highlight, title)
        + (
            ""
            if weights is None
            else " Each arrow is coloured by its weight's sign, blue for"
            " positive and red for negative, and drawn thicker the larger the weight."
        ),
    )
    return fig


def _label_one_neuron(ax, pos, j: int, radius: float) -> None:
    """Weights w_ij on the arrows into hidden neuron j, its bias, and W with column j framed."""
    from matplotlib.patches import FancyBboxPatch

    x1, y1 = pos[1][j]
    for i, (x0, y0) in enumerate(pos[0]):
        # Near the arrow's start: the first index names the neuron it leaves.
        at = 0.42
        ax.text(
            x0 + at * (x1 - x0),
            y0 + at * (y1 - y0) + 0.16,
            f"$w_{{{i + 1}{j + 1}}}$",
            ha="center",
            va="bottom",
            fontsize=11,
            color=HIGHLIGHT,
            weight="bold",
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
        )
    ax.annotate(
        f"$b_{{{j + 1}}}$",
        xy=(x1 - radius * 0.6, y1 + radius * 0.8),
        xytext=(x1 - 0.75, y1 + 0.75),
        fontsize=11,
        color=HIGHLIGHT,
        ha="center",
        va="center",
        arrowprops={"arrowstyle": "-|>", "color": HIGHLIGHT, "lw": 1.6},
    )
    rows, cols = len(pos[0]), len(pos[1])
    top = min(y for _, y in pos[1]) - 0.75
    left, step = 0.35, 0.62
    ax.text(left - 0.45, top - 0.25 * (rows - 1), "$W =$", ha="right", va="center", fontsize=11)
    for r in range(rows):
        for c in range(cols):
            ax.text(
                left + step * c,
                top - 0.5 * r,
                f"$w_{{{r + 1}{c + 1}}}$",
                ha="center",
                va="center",
                fontsize=10.5,
                color=HIGHLIGHT if c == j else "black",
            )
    ax.add_patch(
        FancyBboxPatch(
            (left + step * j - 0.24, top - 0.5 * (rows - 1) - 0.22),
            0.48,
            0.5 * (rows - 1) + 0.44,
            boxstyle="round,pad=0.03",
            facecolor="none",
            edgecolor=HIGHLIGHT,
            lw=1.6,
        )
    )
    ax.text(
        left + step * cols - 0.1,
        top - 0.25 * (rows - 1),
        f"column {j + 1} of $W$ feeds $h_{{{j + 1}}}$:\n"
        f"$h_{{{j + 1}}} = x_1 w_{{1{j + 1}}} + x_2 w_{{2{j + 1}}} + b_{{{j + 1}}}$",
        ha="left",
        va="center",
        fontsize=10,
        color=HIGHLIGHT,
    )


def _describe(sizes, highlight, title) -> str:
    text = (
        f"{title + ': ' if title else ''}a fully-connected network with layers of "
        + ", ".join(str(n) for n in sizes)
        + " neurons; every neuron of one layer has an arrow "
        "to every neuron of the next."
    )
    if highlight is not None:
        j = highlight + 1
        text += (
            f" The arrows into h{j} are bold and labelled w1{j} (from x1) and w2{j} (from x2);"
            f" the bias b{j} arrives from above. Below, the matrix W is written out, 2 rows"
            f" by {sizes[1]} columns, with column {j}, (w1{j}, w2{j}), framed: it feeds h{j}."
        )
    return text
