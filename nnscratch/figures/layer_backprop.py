"""Gradient-check results as bars: one relative error per gradient, on a log scale."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.canvas import describe, new_figure

# Where the verdicts change (see nnscratch.netcheck): agreement, worth a closer look, wrong.
GOOD, BAD = 1e-5, 1e-2
ZONES = (("agrees", "#1a7f37"), ("look closer", "#9a6700"), ("wrong", "#cf222e"))


def plot_gradient_check(errors: dict[str, float], *, title: str = "", ax=None):
    """errors maps a gradient's name (e.g. "layer 1 · db") to its relative error.

    Each bar is coloured by its verdict; the shaded bands mark the three zones. Errors of
    exactly 0 are drawn at 1e-16, the precision of float64.
    """
    names = list(errors)
    values = np.clip(np.array([errors[n] for n in names], dtype=float), 1e-16, 10.0)
    fig, ax = new_figure(6.4, 0.42 * len(names) + 1.3) if ax is None else (ax.figure, ax)
    bands = ((1e-16, GOOD), (GOOD, BAD), (BAD, 10.0))
    for (low, high), (label, colour) in zip(bands, ZONES):
        ax.axvspan(low, high, color=colour, alpha=0.08, lw=0)
        ax.text(np.sqrt(low * high), len(names) - 0.4, label, ha="center", va="bottom", color=colour,
                fontsize=9)
    colours = [ZONES[0][1] if v < GOOD else ZONES[1][1] if v < BAD else ZONES[2][1] for v in values]
    y = np.arange(len(names))[::-1]
    ax.barh(y, values, left=1e-16, color=colours, height=0.6)
    for yi, v in zip(y, values):
        # Beside the bar's end, or inside it near the right edge, so no label leaves the axes.
        inside = v > 0.05
        ax.text(v / 1.6 if inside else v * 1.6, yi, f"{v:.0e}", va="center", fontsize=8.5,
                ha="right" if inside else "left", color="white" if inside else "black",
                weight="bold" if inside else "normal")
    ax.set_xscale("log")
    ax.set_xlim(1e-16, 10.0)
    ax.set_ylim(-0.6, len(names) + 0.2)
    ax.set_yticks(y, names)
    ax.set_xlabel("relative error between backward and the numerical gradient")
    if title:
        ax.set_title(title)
    verdicts = ["agrees" if v < GOOD else "look closer" if v < BAD else "wrong" for v in values]
    describe(ax, f"{title + ': ' if title else ''}relative error of each gradient on a log scale: "
                 + "; ".join(f"{n} {v:.0e} ({w})" for n, v, w in zip(names, values, verdicts)) + ".")
    return fig
