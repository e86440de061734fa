"""Colour the 2-D input plane by the class a model predicts there."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nnscratch.evaluation import class_map
from nnscratch.figures.canvas import describe, new_figure
from nnscratch.figures.palette import CLASS_COLOURS, REGION_ALPHA, class_colour, class_marker


def plot_regions(
    predict: Callable[[np.ndarray], np.ndarray],
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    *,
    points: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    resolution: int = 200,
    class_names: Sequence[str] | None = None,
    legend: bool = True,
    title: str = "",
    ax=None,
):
    """predict maps an (M, 2) batch to (M, C) scores; each pixel takes the argmax's colour.

    resolution is the number of grid points per axis (capped at 1000: no giant grids).
    points (N, 2) and integer labels (N,) are drawn on top when given, each class with its
    own colour and marker. The legend names every class that appears in the map or the labels
    (class_names, or "class 0", "class 1", ...), so the picture reads without the text around
    it.
    """
    from matplotlib.colors import ListedColormap

    fig, ax = new_figure(4.2, 4.0) if ax is None else (ax.figure, ax)
    n = int(min(max(resolution, 10), 1000))
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    classes = class_map(predict, xs, ys)
    C = len(CLASS_COLOURS)
    ax.imshow(
        classes % C,
        origin="lower",
        extent=(*xlim, *ylim),
        cmap=ListedColormap(CLASS_COLOURS),
        vmin=0,
        vmax=C - 1,
        alpha=REGION_ALPHA,
        interpolation="nearest",
        aspect="auto",
    )
    if points is not None:
        if labels is None:
            ax.scatter(
                points[:, 0], points[:, 1], c="black", s=22, edgecolors="white", linewidths=0.6
            )
        else:
            scatter_classes(ax, points, labels)
    # Every class the map or the labels show (or class_names lists): no extra call to predict.
    n_classes = max(
        int(classes.max()) + 1,
        0 if labels is None else int(np.max(labels)) + 1,
        len(class_names or ()),
    )
    if legend:
        add_class_legend(ax, n_classes, class_names)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    shares = np.bincount(classes.ravel(), minlength=n_classes) / classes.size
    names = class_names or [f"class {k}" for k in range(n_classes)]
    describe(
        ax,
        (
            f"{title + ': ' if title else ''}the plane from x1 = {xlim[0]:.3g} to {xlim[1]:.3g} and "
            f"x2 = {ylim[0]:.3g} to {ylim[1]:.3g}, shaded by the predicted class; "
            + ", ".join(f"{name} covers {share:.0%}" for name, share in zip(names, shares))
            + ("" if points is None else f"; {len(points)} points drawn on top")
            + "."
        ),
    )
    return fig


def scatter_classes(ax, points: np.ndarray, labels: np.ndarray, *, size: float = 24) -> None:
    """Scatter points (N, 2) class by class: class k in its colour and marker, labelled."""
    labels = np.asarray(labels).astype(int)
    for k in np.unique(labels):
        chosen = points[labels == k]
        ax.scatter(
            chosen[:, 0],
            chosen[:, 1],
            s=size,
            marker=class_marker(k),
            color=class_colour(k),
            edgecolors="black",
            linewidths=0.5,
            label=f"class {k}",
            zorder=3,
        )


def add_class_legend(ax, n_classes: int, class_names: Sequence[str] | None = None) -> None:
    """A legend outside the plot: per class, its shade with its marker on top."""
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        (
            Patch(facecolor=class_colour(k), alpha=REGION_ALPHA, edgecolor="none"),
            Line2D(
                [],
                [],
                ls="none",
                marker=class_marker(k),
                color=class_colour(k),
                mec="black",
                mew=0.5,
                ms=6,
            ),
        )
        for k in range(n_classes)
    ]
    names = list(class_names or [f"class {k}" for k in range(n_classes)])
    ax.legend(
        handles,
        names,
        handler_map={tuple: HandlerTuple(ndivide=1)},
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        title="class",
        title_fontsize=8,
    )
