"""Chapter 2 figures: where the loss sits, softmax, cross entropy and the mini-batch mean."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnscratch.figures.canvas import add_drawn_patch, describe, drawn_bars, new_figure
from nnscratch.figures.flow import FORWARD, Edge, Node, draw_flow
from nnscratch.figures.live_text import KeptText
from nnscratch.functions import softmax

SCORE, PROBABILITY, TRUE, BAD = "#57606a", FORWARD, "#1a7f37", "#cf222e"
LOSS_COLOUR, LABEL_COLOUR = "#fff8c5", "#dafbe1"

EXP_OVERFLOW = float(np.log(np.finfo(float).max))  # 709.78: np.exp of anything larger is inf
EXP_UNDERFLOW = -745.2  # np.exp of anything smaller is exactly 0 (below the smallest subnormal)


def draw_loss_pipeline(*, title: str = "", ax=None):
    """The 2-layer network of Chapter 1 with a Softmax and a Cross Entropy Error layer added."""
    nodes = [
        Node("x", 0.0, 0.0, "$\\mathbf{x}$", kind="text"),
        Node("affine1", 1.6, 0.0, "Affine"),
        Node("sigmoid", 3.4, 0.0, "Sigmoid"),
        Node("affine2", 5.2, 0.0, "Affine"),
        Node("softmax", 7.2, 0.0, "Softmax", colour=LOSS_COLOUR),
        Node("cee", 9.9, 0.0, "Cross Entropy\nError", colour=LOSS_COLOUR),
        Node("t", 9.9, -1.5, "$\\mathbf{t}$", kind="text"),
        Node("L", 11.9, 0.0, "$L$", kind="text"),
    ]
    edges = [
        Edge("x", "affine1"),
        Edge("affine1", "sigmoid"),
        Edge("sigmoid", "affine2"),
        Edge("affine2", "softmax", "$\\mathbf{s}$"),
        Edge("softmax", "cee", "$\\mathbf{y}$"),
        Edge("t", "cee"),
        Edge("cee", "L"),
    ]
    fig = draw_flow(nodes, edges, title=title, width=11.0, height=2.6, ax=ax)
    ax = fig.axes[0] if ax is None else ax
    for x, text in (
        (3.4, "the network of Chapter 1: scores"),
        (8.55, "new: probabilities, then the loss"),
    ):
        ax.text(
            x, 0.62, text, ha="center", va="bottom", fontsize=9, color="#57606a", style="italic"
        )
    ax.text(
        9.9,
        -1.85,
        "labels (one-hot or indices)",
        ha="center",
        va="top",
        fontsize=9,
        color="#57606a",
    )
    ax.set_ylim(-2.3, 1.1)
    return fig


def draw_softmax_with_loss(*, title: str = "", ax=None):
    """Softmax and Cross Entropy Error drawn inside one Softmax-with-Loss layer."""
    from matplotlib.patches import FancyBboxPatch

    nodes = [
        Node("s", 0.0, 0.0, "scores $\\mathbf{s}$", kind="text"),
        Node("softmax", 2.2, 0.0, "Softmax"),
        Node("cee", 4.9, 0.0, "Cross Entropy\nError"),
        Node("t", 4.9, -1.6, "$\\mathbf{t}$", kind="text"),
        Node("L", 7.0, 0.0, "$L$", kind="text"),
    ]
    edges = [
        Edge("s", "softmax"),
        Edge("softmax", "cee", "$\\mathbf{y}$"),
        Edge("t", "cee"),
        Edge("cee", "L"),
    ]
    fig = draw_flow(nodes, edges, title=title, width=7.5, height=2.8, ax=ax)
    ax = fig.axes[0] if ax is None else ax
    ax.add_patch(
        FancyBboxPatch(
            (1.35, -0.65),
            5.15,
            1.45,
            boxstyle="round,pad=0.02,rounding_size=0.15",
            facecolor=LOSS_COLOUR,
            edgecolor="#9a6700",
            lw=1.6,
            ls="--",
            zorder=1,
        )
    )
    ax.text(
        3.93,
        0.72,
        "Softmax with Loss",
        ha="center",
        va="top",
        fontsize=10,
        color="#9a6700",
        weight="bold",
        zorder=4,
    )
    ax.set_ylim(-2.1, 1.0)
    return fig


def _bars(ax, values, colours, labels, *, ylabel: str, title: str, fmt: str = "{:.2f}"):
    """One bar per class with its value written on it; a nan is written where its bar would be."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    positions = np.arange(len(values))
    ax.bar(
        positions[finite],
        values[finite],
        color=np.asarray(colours, dtype=object)[finite],
        width=0.6,
    )
    top = np.nanmax(np.abs(values[finite])) if finite.any() else 1.0
    for i, v in enumerate(values):
        if finite[i]:
            ax.text(i, v, fmt.format(v), ha="center", va="bottom" if v >= 0 else "top", fontsize=9)
        else:
            ax.text(
                i,
                0.5 * top if top else 0.5,
                "nan" if np.isnan(v) else f"{v}",
                ha="center",
                va="center",
                fontsize=12,
                color=BAD,
                weight="bold",
            )
    if not finite.all():
        ax.set_facecolor("#ffebe9")  # a broken result: tint the whole panel
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_xticks(positions, labels)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10.5)
    ax.grid(axis="y", alpha=0.3)


def plot_scores_and_probabilities(
    scores: Sequence[float],
    *,
    true_class: int | None = None,
    class_names: Sequence[str] | None = None,
    title: str = "",
):
    """Scores s (C,) as bars beside softmax(s): same order, now positive and summing to 1."""
    s = np.asarray(scores, dtype=float)
    y = softmax(s)
    names = list(class_names) if class_names is not None else [f"class {k}" for k in range(len(s))]
    colours = [TRUE if k == true_class else SCORE for k in range(len(s))]
    fig, (left, right) = new_figure(8.6, 3.2, ncols=2)
    _bars(left, s, colours, names, ylabel="score", title="scores $\\mathbf{s}$: any real numbers")
    _bars(
        right,
        y,
        [TRUE if k == true_class else PROBABILITY for k in range(len(s))],
        names,
        ylabel="probability",
        title=f"softmax($\\mathbf{{s}}$): in (0, 1), sum = {y.sum():.2f}",
    )
    right.set_ylim(0, 1.08)
    if title:
        fig.suptitle(title)
    pairs = ", ".join(f"{n} {sk:.2f} -> {yk:.2f}" for n, sk, yk in zip(names, s, y))
    describe(
        fig,
        f"{title + ': ' if title else ''}bars of each class's score beside its softmax "
        f"probability (score -> probability): {pairs}; the probabilities sum to "
        f"{y.sum():.2f} and keep the scores' order"
        + (
            f"; the true class, {names[true_class]}, is highlighted"
            if true_class is not None
            else ""
        )
        + ".",
    )
    return fig


def plot_cross_entropy(*, delta: float = 1e-7, marks: Sequence[float] = (0.9, 0.5, 0.1)):
    """-log(y) against the true class's probability y, on a linear and on a logarithmic axis."""
    fig, (left, right) = new_figure(9.0, 3.4, ncols=2)
    y = np.linspace(0.003, 1, 400)
    left.plot(y, -np.log(y), lw=2.5, color=PROBABILITY)
    for p in marks:
        left.plot(p, -np.log(p), "o", color=BAD)
        # beside the point; on the flat right end, where the curve leaves no room, higher up
        # in the empty corner, with a thin line to its point
        right_end = p >= 0.7
        left.annotate(
            f"y = {p:g}: L = {-np.log(p):.2f}",
            (p, -np.log(p)),
            textcoords="offset points",
            xytext=(6, 48) if right_end else (8, 8),
            ha="right" if right_end else "left",
            fontsize=9,
            arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.8} if right_end else None,
        )
    left.set_xlabel("probability $y$ the network gives the true class")
    left.set_ylabel("loss $L = -\\log y$")
    left.set_title("sure and right costs little; sure and wrong costs a lot", fontsize=10.5)
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 6)
    left.grid(alpha=0.3)

    y = np.logspace(-20, 0, 400)
    with np.errstate(divide="ignore"):
        right.plot(y, -np.log(y), lw=2.5, color=PROBABILITY, label="$-\\log y$ (inf at $y = 0$)")
    right.plot(
        y,
        -np.log(y + delta),
        lw=2.5,
        ls="--",
        color=BAD,
        label=f"$-\\log(y + \\delta)$, $\\delta$ = {delta:g}",
    )
    right.axhline(-np.log(delta), color="grey", lw=0.8, ls=":")
    right.text(
        1e-19, -np.log(delta) + 1, f"capped at $-\\log\\delta$ = {-np.log(delta):.1f}", fontsize=9
    )
    right.set_xscale("log")
    right.set_xlabel("$y$ (logarithmic axis)")
    right.set_title("near $y = 0$: the small $\\delta$ keeps the loss finite", fontsize=10.5)
    right.legend(loc="upper right", fontsize=9)
    right.grid(alpha=0.3)
    return fig


def plot_one_hot_terms(
    y: Sequence[float], t: Sequence[float], *, class_names: Sequence[str] | None = None
):
    """y, the one-hot t, and the terms -t_k log y_k: only the true class's term is not zero."""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    names = list(class_names) if class_names is not None else [f"{k}" for k in range(len(y))]
    true = [TRUE if tk else SCORE for tk in t]
    fig, axes = new_figure(10.0, 3.0, ncols=3)
    _bars(
        axes[0],
        y,
        [TRUE if tk else PROBABILITY for tk in t],
        names,
        ylabel="",
        title="network's probabilities $y_k$",
    )
    axes[0].set_ylim(0, 1.1)
    _bars(axes[1], t, true, names, ylabel="", title="one-hot label $t_k$", fmt="{:.0f}")
    axes[1].set_ylim(0, 1.2)
    terms = -t * np.log(y)
    _bars(
        axes[2], terms, true, names, ylabel="", title=f"$-t_k \\log y_k$: sum = {terms.sum():.3f}"
    )
    axes[2].set_ylim(0, max(terms.max() * 1.3, 0.5))
    for ax in axes:
        ax.set_xlabel("class $k$")
    return fig


def plot_one_sample_loss(scores: Sequence[float], true_class: int):
    """Scores, their softmax, and where the true class's probability sits on the -log y curve."""
    s = np.asarray(scores, dtype=float)
    p = softmax(s)[true_class]
    return OneSampleLossFigure(
        len(s),
        score_range=(min(-1.0, s.min() * 1.25), max(1.0, s.max() * 1.25)),
        loss_max=max(7.0, 1.1 * -np.log(p)),
    ).update(s, true_class)


class OneSampleLossFigure:
    """plot_one_sample_loss's figure for C scores within score_range and losses up to loss_max,
    built once; update(scores, true_class) moves its bars, texts and dot in place."""

    def __init__(self, C: int, *, score_range=(-7.5, 7.5), loss_max: float = 7.0):
        names = [f"{k}" for k in range(C)]
        self.fig, axes = new_figure(10.5, 3.0, ncols=3)
        self.scores = _LiveBars(axes[0], names, ylim=score_range)
        axes[0].set_title("scores $s_k$ (true class in green)", fontsize=10.5)
        self.probabilities = _LiveBars(axes[1], names, ylim=(0, 1.1))
        axes[1].set_title("softmax: probabilities $y_k$", fontsize=10.5)
        for ax in axes[:2]:
            ax.set_xlabel("class $k$")
        self.curve_axes = axes[2]
        # the curve reaches down to where the loss leaves the axis, so the dot stays on it
        lowest = max(np.exp(-loss_max), 1e-300)
        grid = np.concatenate(
            [np.geomspace(min(lowest, 1e-3), 1e-3, 60), np.linspace(1e-3, 1, 300)]
        )
        axes[2].plot(grid, -np.log(grid), color=PROBABILITY, lw=2)
        (self.dot,) = axes[2].plot([], [], "o", color=TRUE, markersize=9)
        axes[2].set_title(" ", fontsize=10.5)
        axes[2].set_xlabel("probability of the true class")
        axes[2].set_xlim(0, 1.02)
        axes[2].set_ylim(0, loss_max)
        axes[2].grid(alpha=0.3)
        self.fig.live_artists = [
            *self.scores.artists(),
            *self.probabilities.artists(),
            self.dot,
            axes[2].title,
        ]

    def update(self, scores: Sequence[float], true_class: int):
        s = np.asarray(scores, dtype=float)
        y = softmax(s)
        colours = [TRUE if k == true_class else SCORE for k in range(len(s))]
        self.scores.update(s, colours, self.scores.ax.get_title())
        self.probabilities.update(
            y,
            [TRUE if k == true_class else PROBABILITY for k in range(len(s))],
            self.probabilities.ax.get_title(),
        )
        p = y[true_class]
        self.dot.set_data([p], [-np.log(p)])
        self.curve_axes.set_title(
            f"loss $L = -\\log y_{{{true_class}}}$ = {-np.log(p):.3f}", fontsize=10.5
        )
        return self.fig


def plot_loss_against_batch_size(
    sizes: Sequence[int],
    totals: Sequence[float],
    means: Sequence[float],
    *,
    n_classes: int | None = None,
):
    """The summed loss grows with the batch size N; the mean (sum / N) stays put.

    n_classes adds a dashed line at log C to the mean's panel: the loss of an even guess.
    """
    fig, (left, right) = new_figure(9.0, 3.2, ncols=2)
    left.plot(sizes, totals, "o-", color=BAD)
    left.set_title("sum over the batch: grows with $N$", fontsize=10.5)
    left.set_ylim(0, max(totals) * 1.1)
    left.set_ylabel("$-\\sum_n \\sum_k t_{nk} \\log y_{nk}$")
    right.plot(sizes, means, "o-", color=PROBABILITY)
    right.set_title("mean over the batch: comparable for any $N$", fontsize=10.5)
    right.set_ylabel("$L$ = sum / $N$")
    right.set_ylim(0, max(means) * 1.6)
    if n_classes:
        right.axhline(np.log(n_classes), color="grey", ls="--", lw=1)
        right.text(
            max(sizes),
            np.log(n_classes) - 0.04,
            f"even guess: log {n_classes} = {np.log(n_classes):.2f}",
            ha="right",
            va="top",
            fontsize=8,
            color="grey",
        )
    describe(
        fig,
        f"Two panels against the batch size N from {min(sizes)} to {max(sizes)}: the loss "
        f"summed over the batch grows in proportion to N, from {totals[0]:.0f} to "
        f"{totals[-1]:.0f}; the mean loss stays between {min(means):.2f} and "
        f"{max(means):.2f}"
        + (
            f", {'above' if min(means) > np.log(n_classes) else 'around'} "
            f"the dashed line at log {n_classes}"
            if n_classes
            else ""
        )
        + ".",
    )
    for ax in (left, right):
        ax.set_xlim(0, max(sizes) * 1.05)
        ax.set_xlabel("batch size $N$")
        ax.grid(alpha=0.3)
    return fig


def softmax_three_ways(x: np.ndarray) -> dict[str, np.ndarray]:
    """x (N, C) -> softmax computed naively, with one max for the batch, and with each row's max."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        shifted = np.exp(x - x.max())
        batch_max = shifted / shifted.sum(axis=1, keepdims=True)
    return {"naive": naive, "one max for the batch": batch_max, "each row's own max": softmax(x)}


def plot_softmax_stability(x: np.ndarray, *, row_names: Sequence[str] | None = None):
    """For each row of x (N, C): its scores, then softmax three ways; nan written in red.

    The score panels are drawn to a fixed scale of ±1100 with the limits of np.exp marked, so
    a bar crossing a dashed line is the moment the naive formula breaks.
    """
    x = np.asarray(x, dtype=float)
    return SoftmaxStabilityFigure(*x.shape, row_names=row_names).update(x)


class SoftmaxStabilityFigure:
    """plot_softmax_stability's figure for N rows of C scores, built once; update(x) redraws it
    for new scores by changing bars and texts in place (Chapter 2's widget follows a slider).

    Each row is two Axes: its scores, and its probabilities computed each way, side by side
    as panels of one Axes (they share its 0-1 scale), each panel titled, tinted when broken.
    Three Axes a row instead took 30% more of the first picture, most of it making and
    drawing the ticks of Axes that showed the same scale (measured in a fresh process).
    """

    def __init__(self, N: int, C: int, *, row_names: Sequence[str] | None = None):
        self.N, self.C = N, C
        ways = len(softmax_three_ways(np.zeros((1, C))))
        self.fig, axes = new_figure(11.5, 2.3 * N + 0.6, ncols=2, nrows=N, width_ratios=(1, ways))
        self.axes = np.asarray(axes).reshape(N, 2)
        names = [f"{k}" for k in range(C)]
        row_names = list(row_names) if row_names is not None else [f"row {n}" for n in range(N)]
        self.scores, self.panels = [], []
        for n in range(N):
            ax = self.axes[n, 0]
            self.scores.append(drawn_bars(ax, range(C), 0.6, facecolor=SCORE))  # limits below
            ax.axhline(EXP_OVERFLOW, color=BAD, ls="--", lw=1)
            ax.axhline(EXP_UNDERFLOW, color="#8250df", ls="--", lw=1)
            ax.axhline(0, color="black", lw=0.8)
            ax.set_ylim(-1150, 1150)
            ax.set_xlim(-0.5, C + 1.3)  # room on the right for the labels of the dashed lines
            ax.set_xticks(range(C), names)
            ax.set_ylabel(row_names[n])
            ax.text(C + 1.25, EXP_OVERFLOW + 40, "exp → inf", color=BAD, fontsize=8.5, ha="right")
            ax.text(
                C + 1.25,
                EXP_UNDERFLOW - 40,
                "exp → 0",
                color="#8250df",
                fontsize=8.5,
                ha="right",
                va="top",
            )
            self.panels.append(_LiveBars(self.axes[n, 1], names, ylim=(0, 1.15), panels=ways))
        # what update changes (the dashed limits too, so that they stay drawn over the bars)
        self.fig.live_artists = [
            *(a for ax in self.axes[:, 0] for a in (*ax.patches, *ax.lines, ax.title)),
            *(a for bars in self.panels for a in bars.artists()),
        ]

    def update(self, x: np.ndarray):
        """x (N, C): new scores; returns the Figure."""
        x = np.asarray(x, dtype=float)
        if x.shape != (self.N, self.C):
            raise ValueError(f"this figure shows scores of shape {(self.N, self.C)}, got {x.shape}")
        ways = softmax_three_ways(x)
        for n in range(self.N):
            for bar, v in zip(self.scores[n], x[n]):
                bar.set_height(v)
            self.axes[n, 0].set_title("scores " + ", ".join(f"{v:g}" for v in x[n]), fontsize=10)
            for panel, (way, y) in enumerate(ways.items()):
                broken = not np.isfinite(y[n]).all()
                title = (
                    (way + (": broken" if broken else ""))
                    if n == 0
                    else ("broken" if broken else "")
                )
                self.panels[n].update(y[n], BAD if broken else PROBABILITY, title, panel=panel)
        return self.fig


class _LiveBars:
    """A panel of bars with their values written on them, as _bars draws it, whose values
    change in place: a nan is written in red where its bar would be, and tints the panel.

    panels > 1: that many such panels side by side in the one Axes, on its one y scale,
    parted by lines drawn as its frame is; each has its own title, tint and bars (update's
    panel). Fewer Axes make a faster first picture (SoftmaxStabilityFigure).
    """

    def __init__(self, ax, labels, *, ylim, fmt: str = "{:.2f}", panels: int = 1):
        from matplotlib import rcParams
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import ScaledTranslation

        self.ax, self.fmt, self.C = ax, fmt, len(labels)
        positions = np.arange(panels * self.C)
        self.bars = drawn_bars(ax, positions, 0.6)  # limits set below; colours by update
        self.texts = [ax.text(i, 0.0, "", ha="center") for i in positions]
        self.drawn = [KeptText(text) for text in self.texts]  # values come back, in each panel
        # a broken result tints the panel (a translucent cover: the grid stays visible)
        across = ax.get_xaxis_transform()  # x in data, y from the bottom (0) to the top (1)
        self.tints = [
            add_drawn_patch(
                ax,
                Rectangle(
                    (j * self.C - 0.5, 0),
                    self.C,
                    1,
                    transform=across,
                    zorder=0.5,
                    facecolor=BAD,
                    alpha=0.12,
                    lw=0,
                    visible=False,
                ),
            )
            for j in range(panels)
        ]
        if panels == 1:
            self.titles = [ax.title]
        else:
            # each panel's title where the Axes puts its own: centred over it, its baseline
            # axes.titlepad above the top
            above = across + ScaledTranslation(
                0, rcParams["axes.titlepad"] / 72, ax.get_figure().dpi_scale_trans
            )
            self.titles = [
                ax.text((j + 0.5) * self.C - 0.5, 1, "", ha="center", va="baseline",
                        fontsize=10.5, transform=above)
                for j in range(panels)
            ]  # fmt: skip
            for j in range(1, panels):  # the panels' borders, as the frame's spines
                ax.axvline(
                    j * self.C - 0.5, color=rcParams["axes.edgecolor"],
                    lw=rcParams["axes.linewidth"], zorder=2.5,
                )  # fmt: skip
        self.zero = ax.axhline(0, color="black", lw=0.8)
        ax.set_xlim(-0.5, len(positions) - 0.5)
        ax.set_xticks(positions, list(labels) * panels)
        ax.set_ylim(*ylim)
        ax.grid(axis="y", alpha=0.3)

    def update(self, values, colour, title: str, panel: int = 0) -> None:
        """colour: one for all bars, or a list of one per bar; panel: which one (of panels)."""
        values = np.asarray(values, dtype=float)
        colours = [colour] * len(values) if isinstance(colour, str) else list(colour)
        finite = np.isfinite(values)
        top = np.nanmax(np.abs(values[finite])) if finite.any() else 1.0
        first = panel * self.C
        for i, (bar, text, v) in enumerate(
            zip(self.bars[first : first + self.C], self.texts[first : first + self.C], values)
        ):
            bar.set_height(v if finite[i] else 0.0)
            bar.set_color(colours[i])
            if finite[i]:
                text.set(
                    position=(first + i, v),
                    text=self.fmt.format(v),
                    fontsize=9,
                    color="black",
                    weight="normal",
                    va="bottom" if v >= 0 else "top",
                )
            else:
                text.set(
                    position=(first + i, 0.5 * top if top else 0.5),
                    fontsize=12,
                    color=BAD,
                    weight="bold",
                    va="center",
                    text="nan" if np.isnan(v) else f"{v}",
                )
        self.tints[panel].set_visible(not finite.all())
        if self.titles[panel] is self.ax.title:
            self.ax.set_title(title, fontsize=10.5)
        else:
            self.titles[panel].set_text(title)

    def artists(self) -> list:
        """The artists update changes."""
        return [*self.tints, *self.bars, self.zero, *self.drawn, *self.titles]
