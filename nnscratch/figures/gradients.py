"""Derivatives drawn: a tangent line, the error of numerical differences, gradient arrows."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from nnscratch.figures.canvas import math_label, new_figure
from nnscratch.gradients import numerical_diff, numerical_gradient

CURVE, TANGENT, FORWARD, CENTRAL = "#1f6feb", "#cf222e", "#bc4c00", "#1a7f37"


def plot_tangent(
    f: Callable,
    x0: float,
    x_range=(-3.0, 3.0),
    *,
    df: Callable | None = None,
    h: float | None = None,
    ylim=None,
    names=("x", "y"),
    title: str = "",
    ax=None,
):
    """The curve y = f(x), the point (x0, f(x0)) and its tangent line, whose slope is dy/dx.

    df: the exact derivative, when known (otherwise measured with a central difference).
    With h, also the two secants numerical differentiation measures instead: the forward
    one through x0 and x0 + h, and the central one through x0 - h and x0 + h.
    ylim defaults to the curve's range, so the axes stay still while x0 moves.
    names: what to call the input and the output in labels, e.g. ("x", "z").
    """
    tangent = LiveTangent(f, x_range, df=df, h=h, ylim=ylim, names=names, title=title, ax=ax)
    return tangent.update(x0)


class LiveTangent:
    """plot_tangent's drawing, built once and moved in place to a new x0 (update): the
    tangent, its point and label, the secants and the legend's slopes change; the curve, axes
    and ticks stay, so a live figure draws them once (`artists` lists what update changes)."""

    def __init__(
        self,
        f,
        x_range=(-3.0, 3.0),
        *,
        df=None,
        h=None,
        ylim=None,
        names=("x", "y"),
        title="",
        ax=None,
    ):
        self.f, self.df, self.h, self.x_range, self.names = f, df, h, x_range, names
        self.fig, self.ax = new_figure(6.0, 4.0) if ax is None else (ax.figure, ax)
        ax = self.ax
        x = np.linspace(*x_range, 400)
        y = f(x)
        if ylim is None:
            pad = 0.15 * (y.max() - y.min() or 1.0)
            ylim = (y.min() - pad, y.max() + pad)
        xn, yn = names
        (self.curve,) = ax.plot(x, y, lw=2.5, color=CURVE, label=f"${yn} = f({xn})$", zorder=2)
        (self.tangent,) = ax.plot(x, x, color=TANGENT, lw=1.8, label=" ", zorder=3)
        self.secants = []
        if h is not None:
            for colour in (FORWARD, CENTRAL):
                self.secants += ax.plot(x, x, color=colour, lw=1.4, ls="--", label=" ", zorder=3)
            self.secants += ax.plot([], [], "o", color=CENTRAL, ms=5, zorder=4)  # their ends
        (self.point,) = ax.plot([], [], "o", color="black", ms=7, zorder=5)
        self.label = ax.annotate(
            "",
            (0.0, 0.0),
            xytext=(10, -20),
            textcoords="offset points",
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.8,
            },
            zorder=6,
        )
        ax.set_xlim(*x_range)
        ax.set_ylim(*ylim)
        for set_label, name in ((ax.set_xlabel, xn), (ax.set_ylabel, yn)):
            label, style = math_label(f"${name}$")  # "$x$": drawn without parsing mathtext
            set_label(label, **style)
        ax.grid(alpha=0.3)
        self.legend = ax.legend(loc="upper left", fontsize=9)
        if title:
            ax.set_title(title)
        self.artists = [self.tangent, *self.secants, self.point, self.label, self.legend]
        self.lines_in_legend = [self.tangent, *self.secants[:2]]  # after the curve, in order
        if ax is self.fig.axes[0] and len(self.fig.axes) == 1:  # a figure of its own
            self.fig.live_artists = self.artists

    def update(self, x0: float):
        """Show the tangent at x0; returns the Figure."""
        f, h, (xn, yn) = self.f, self.h, self.names
        x = self.curve.get_xdata()
        y0 = f(x0)
        slope = float(self.df(x0)) if self.df is not None else numerical_diff(f, x0)
        self.tangent.set_ydata(y0 + slope * (x - x0))
        labels = [f"tangent: slope $d{yn}/d{xn}$ = {slope:.3f}"]
        if h is not None:
            forward = (f(x0 + h) - y0) / h
            central = (f(x0 + h) - f(x0 - h)) / (2 * h)
            self.secants[0].set_ydata(y0 + forward * (x - x0))
            self.secants[1].set_ydata(f(x0 + h) + central * (x - x0 - h))
            self.secants[2].set_data([x0 - h, x0 + h], [f(x0 - h), f(x0 + h)])
            labels += [
                f"forward secant (h = {h:g}): slope {forward:.3f}",
                f"central secant (h = {h:g}): slope {central:.3f}",
            ]
        for line, text, label in zip(self.lines_in_legend, self.legend.texts[1:], labels):
            line.set_label(label)  # the line's own label too, where descriptions read it
            text.set_text(label)
        self.point.set_data([x0], [y0])
        low, high = self.x_range
        right_end = x0 > low + 0.8 * (high - low)  # label to the left, inside the axes
        self.label.xy = (x0, y0)
        self.label.set(
            text=f"${xn}$ = {x0:.2f}",
            position=(-10, -20) if right_end else (10, -20),
            ha="right" if right_end else "left",
        )
        return self.fig


def plot_difference_errors(
    hs: np.ndarray,
    errors: Mapping[str, np.ndarray],
    *,
    eps: float = 2.2e-16,
    chosen_h: float = 1e-4,
    title: str = "",
    ax=None,
):
    """Log-log plot of |numerical - true derivative| against the step h, one line per method.

    Zero errors (a lucky exact result) are left out, as a log axis cannot show them. A dashed
    line marks chosen_h; a dotted one marks eps / h, the size of the rounding error.
    """
    fig, ax = new_figure(6.4, 4.2) if ax is None else (ax.figure, ax)
    colours = iter([FORWARD, CENTRAL, CURVE, TANGENT])
    for name, err in errors.items():
        err = np.where(np.asarray(err) > 0, err, np.nan)
        ax.loglog(hs, err, "o-", ms=3, lw=1.6, color=next(colours), label=name)
    ax.loglog(hs, eps / hs, ":", color="grey", lw=1.2, label=r"rounding: $\varepsilon / h$")
    ax.axvline(chosen_h, color="black", ls="--", lw=1)
    top = np.nanmax([np.nanmax(np.where(np.asarray(e) > 0, e, np.nan)) for e in errors.values()])
    power = np.log10(chosen_h)
    shown = f"$10^{{{power:.0f}}}$" if power == round(power) else f"{chosen_h:g}"
    ax.text(chosen_h, top, f" $h$ = {shown}", va="top", fontsize=9)
    ax.text(
        0.03, 0.06, "← rounding error grows\n    as h shrinks", transform=ax.transAxes, fontsize=9
    )
    ax.text(
        0.97,
        0.06,
        "truncation error grows →\nas h grows",
        transform=ax.transAxes,
        fontsize=9,
        ha="right",
    )
    ax.set_ylim(top=top * 10)
    ax.set_xlabel("step $h$")
    ax.set_ylabel("error of the numerical derivative")
    ax.grid(alpha=0.3, which="major")
    ax.legend(loc="upper center", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


def plot_gradient_field(
    f: Callable[[np.ndarray], float],
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    *,
    arrows: int = 13,
    resolution: int = 80,
    point=None,
    labels=("$w_1$", "$w_2$"),
    value_label: str = "value of the function",
    title: str = "",
    ax=None,
):
    """Contour lines of f(w) for w = (w1, w2) over a grid, with arrows of minus its gradient.

    f takes a float array of shape (2,). The gradient is measured numerically at arrows x
    arrows grid points; each arrow points downhill, its length proportional to the slope.
    point: an optional (2,) position to mark, with its own gradient arrow.
    value_label: what the colour bar calls the function's value, e.g. "loss L".
    """
    fig, ax = new_figure(5.6, 4.8) if ax is None else (ax.figure, ax)
    w1, w2 = np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    values = np.array([[f(np.array([a, b])) for a in w1] for b in w2])
    # Levels at quantiles: as many contour lines in the flat valley as on the steep walls.
    levels = np.unique(np.quantile(values, np.linspace(0, 1, 18)))
    filled = ax.contourf(w1, w2, values, levels=levels, cmap="Blues_r", alpha=0.85)
    ax.contour(w1, w2, values, levels=levels, colors="white", linewidths=0.6, alpha=0.8)
    fig.colorbar(filled, ax=ax, shrink=0.85, label=value_label, format="%.2f")
    low = np.unravel_index(np.argmin(values), values.shape)
    ax.plot(
        w1[low[1]],
        w2[low[0]],
        "*",
        color="#f2cc60",
        ms=16,
        mec="black",
        zorder=6,
        label="lowest point on the grid",
    )
    a1, a2 = np.linspace(*xlim, arrows + 2)[1:-1], np.linspace(*ylim, arrows + 2)[1:-1]
    grid = np.array([[a, b] for b in a2 for a in a1])
    grads = np.array([numerical_gradient(f, w.copy()) for w in grid])
    spacing = min(a1[1] - a1[0], a2[1] - a2[0])
    scale = np.abs(grads).max() / (0.9 * spacing) or 1.0  # the steepest arrow spans ~ one cell
    ax.quiver(
        grid[:, 0],
        grid[:, 1],
        -grads[:, 0],
        -grads[:, 1],
        angles="xy",
        scale_units="xy",
        scale=scale,
        color="#24292f",
        width=0.004,
    )
    if point is not None:
        point = np.asarray(point, dtype=float)
        g = numerical_gradient(f, point.copy())
        ax.quiver(
            [point[0]],
            [point[1]],
            [-g[0]],
            [-g[1]],
            angles="xy",
            scale_units="xy",
            scale=scale,
            color=TANGENT,
            width=0.008,
            zorder=5,
        )
        ax.plot(*point, "o", color=TANGENT, ms=7, zorder=6, label="the point we study")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(title)
    return fig
