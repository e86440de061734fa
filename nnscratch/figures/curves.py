"""Plot a function of one variable."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnscratch.figures.canvas import describe, new_figure, plain_text


def plot_function(
    f: Callable, x_range=(-6.0, 6.0), *, label: str = "", title: str = "", hlines=(), ax=None
):
    """Draw y = f(x) over x_range; hlines are dashed guide lines (e.g. (0, 1) for sigmoid)."""
    fig, ax = new_figure(5, 3.2) if ax is None else (ax.figure, ax)
    x = np.linspace(*x_range, 400)
    ax.plot(x, f(x), lw=2.5, color="#1f6feb", label=label or None)
    for y in hlines:
        ax.axhline(y, color="grey", ls="--", lw=1)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_xlabel("x")
    if title:
        ax.set_title(title)
    if label:
        ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    y = np.asarray(f(x), dtype=float)
    describe(
        ax,
        f"{title + ': ' if title else ''}the graph of {plain_text(label) or 'a function'} for x "
        f"from {x_range[0]:g} to {x_range[1]:g}, its values going from {y[0]:.3g} to "
        f"{y[-1]:.3g} (between {y.min():.3g} and {y.max():.3g})"
        + (f"; dashed guide lines at y = {', '.join(f'{h:g}' for h in hlines)}" if hlines else "")
        + ".",
    )
    return fig
