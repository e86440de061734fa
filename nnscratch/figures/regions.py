"""Colour the 2-D input plane by the class a model predicts there."""

from __future__ import annotations

from typing import Callable

import numpy as np

from nnscratch.evaluation import class_map
from nnscratch.figures.canvas import new_figure

CLASS_COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df")


def plot_regions(predict: Callable[[np.ndarray], np.ndarray], xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), *,
                 points: np.ndarray | None = None, labels: np.ndarray | None = None,
                 resolution: int = 200, title: str = "", ax=None):
    """predict maps an (M, 2) batch to (M, C) scores; each pixel takes the argmax's colour.

    resolution is the number of grid points per axis (capped at 1000: no giant grids).
    points (N, 2) and integer labels (N,) are drawn on top when given.
    """
    from matplotlib.colors import ListedColormap

    fig, ax = new_figure(4.2, 4.0) if ax is None else (ax.figure, ax)
    n = int(min(max(resolution, 10), 1000))
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    classes = class_map(predict, xs, ys)
    C = len(CLASS_COLOURS)
    cmap = ListedColormap(CLASS_COLOURS)
    ax.imshow(classes % C, origin="lower", extent=(*xlim, *ylim), cmap=cmap, vmin=0, vmax=C - 1,
              alpha=0.28, interpolation="nearest", aspect="auto")
    if points is not None:
        point_colours = None if labels is None else [CLASS_COLOURS[int(k) % C] for k in labels]
        ax.scatter(points[:, 0], points[:, 1], c=point_colours or "black", s=22,
                   edgecolors="white", linewidths=0.6)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return fig
