"""Draw a fully-connected network: circles for neurons, arrows for weighted connections."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from nnscratch.figures.canvas import new_figure

POSITIVE, NEGATIVE, NEUTRAL = "#1f6feb", "#cf222e", "#57606a"


def _default_names(sizes: Sequence[int]) -> list[list[str]]:
    prefixes = ["x"] + ["h"] * (len(sizes) - 2) + ["s"]
    return [[f"${p}_{{{i + 1}}}$" for i in range(n)] for p, n in zip(prefixes, sizes)]


def draw_network(sizes: Sequence[int] = (2, 4, 3), weights: Sequence[np.ndarray] | None = None, *,
                 names: Sequence[Sequence[str]] | None = None,
                 layer_titles: Sequence[str] | None = None, title: str = "", ax=None):
    """Draw a fully-connected network with the given layer sizes.

    weights: optional list of matrices, weights[k] of shape (sizes[k], sizes[k+1]); each
    arrow is then blue for a positive weight, red for a negative one, thicker when larger.
    """
    sizes = list(sizes)
    if weights is not None:
        for k, W in enumerate(weights):
            if np.shape(W) != (sizes[k], sizes[k + 1]):
                raise ValueError(f"weights[{k}] has shape {np.shape(W)}, "
                                 f"expected {(sizes[k], sizes[k + 1])}")
    fig, ax = new_figure(1.9 * len(sizes) + 1, 0.75 * max(sizes) + 1.4) if ax is None else (ax.figure, ax)
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
                if weights is not None:
                    w = weights[k][i, j]
                    colour = POSITIVE if w > 0 else NEGATIVE if w < 0 else NEUTRAL
                    width = 0.4 + 3.6 * abs(w) / (largest or 1.0)
                d = np.hypot(x1 - x0, y1 - y0)
                ax.annotate("", xy=(x1 - radius * (x1 - x0) / d, y1 - radius * (y1 - y0) / d),
                            xytext=(x0 + radius * (x1 - x0) / d, y0 + radius * (y1 - y0) / d),
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=width,
                                            shrinkA=0, shrinkB=0, mutation_scale=10, alpha=0.85))
    from matplotlib.patches import Circle

    for k, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor="black", lw=1.5, zorder=3))
            ax.text(x, y, names[k][i], ha="center", va="center", fontsize=11, zorder=4)
        ax.text(2.0 * k, (height - 1) / 2 + 0.75, f"{layer_titles[k]}\n({sizes[k]})",
                ha="center", va="bottom", fontsize=9.5)
    ax.set_xlim(-0.6, 2.0 * (len(sizes) - 1) + 0.6)
    ax.set_ylim(-(height - 1) / 2 - 0.6, (height - 1) / 2 + 1.55)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig
