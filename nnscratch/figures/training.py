"""Chapter 7 figures: the spiral data, a loss curve, and what a trained network decides."""

from __future__ import annotations

import math

import numpy as np

from nnscratch.evaluation import class_map
from nnscratch.figures.canvas import describe, fixed_layout, fixed_ticks, new_figure
from nnscratch.figures.flow import Edge, Node, draw_flow
from nnscratch.figures.live_text import PastedText
from nnscratch.figures.palette import CLASS_COLOURS
from nnscratch.figures.regions import plot_regions, scatter_classes

FINEST_SPACING = 0.01  # grid step of a decision-boundary plot: finer adds pixels, not insight
# Grid points per call of a live figure's predict. One call for the whole grid made OpenBLAS
# share each product between threads (past its size threshold: Lab 3 from 11 hidden neurons
# on), which on a busy 2-core machine cost 3x the CPU: 22 -> 7 ms for 16 neurons, measured.
CHUNK = 1024


def in_chunks(predict):
    """predict (M, 2) -> (M, C), called on at most CHUNK rows at a time."""

    def chunked(x):
        return np.concatenate([predict(x[i : i + CHUNK]) for i in range(0, len(x), CHUNK)])

    return chunked


def draw_learning_net(*, title: str = "", ax=None):
    """TwoLayerNet as it learns: forward values (blue, shapes for a batch of N) above the
    arrows, the gradients backward() sends back (red) below them."""
    nodes = [
        Node("x", 0.0, 0.0, "$\\mathbf{x}$", kind="text"),
        Node("affine1", 2.0, 0.0, "Affine"),
        Node("w1", 2.0, -0.75, "$W_1, b_1$", kind="text"),
        Node("sigmoid", 4.4, 0.0, "Sigmoid"),
        Node("affine2", 6.8, 0.0, "Affine"),
        Node("w2", 6.8, -0.75, "$W_2, b_2$", kind="text"),
        Node("loss", 9.9, 0.0, "Softmax with Loss", colour="#fff8c5"),
        Node("t", 9.9, -1.3, "$\\mathbf{t}$", kind="text"),
        Node("L", 12.5, 0.0, "$L$", kind="text"),
    ]
    edges = [
        Edge("x", "affine1", "(N, 2)"),
        Edge(
            "affine1",
            "sigmoid",
            "(N, H)",
            "$\\partial L/\\partial \\mathbf{h}$",
            backward_arrow=True,
        ),
        Edge(
            "sigmoid",
            "affine2",
            "(N, H)",
            "$\\partial L/\\partial \\mathbf{a}$",
            backward_arrow=True,
        ),
        Edge(
            "affine2", "loss", "(N, 3)", "$\\partial L/\\partial \\mathbf{s}$", backward_arrow=True
        ),
        Edge("t", "loss"),
        Edge("loss", "L", "", "1", backward_arrow=True),
    ]
    return draw_flow(nodes, edges, title=title, width=11.0, height=2.6, ax=ax)


def _labels(t) -> np.ndarray:
    t = np.asarray(t)
    return t.argmax(axis=1) if t.ndim == 2 else t


def plot_spiral(x, t, *, title: str = "", ax=None):
    """Scatter the points x (N, 2), one colour and marker per class; t one-hot or labels."""
    fig, ax = new_figure(5.0, 3.9) if ax is None else (ax.figure, ax)
    labels = _labels(t)
    scatter_classes(ax, x, labels)
    counts = ", ".join(f"{np.sum(labels == k)} of class {k}" for k in np.unique(labels))
    describe(
        ax,
        f"{title + ': ' if title else ''}{len(x)} points in the plane ({counts}), "
        "each class in its own colour and marker.",
    )
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return fig


def loss_limits(per_epoch, epochs: int | None = None) -> dict:
    """plot_loss's axes: the planned epochs across, and a steady scale up (so runs can be
    compared; single mini-batch spikes may leave the top)."""
    return {
        "xlim": (0, max(epochs or len(per_epoch), 1)),
        "ylim": (0, max(1.6, 1.1 * max(per_epoch, default=0))),
    }


def steady_loss_limits(per_epoch, epochs: int) -> dict:
    """loss_limits for a live figure: the top only in steps (1.6, 3.2, 6.4, ...), so that most
    runs share one axis (a changed axis is drawn anew: about 300 ms, measured, most of it text)."""
    needed = loss_limits(per_epoch, epochs)["ylim"][1]
    return {"xlim": (0, epochs), "ylim": (0, 1.6 * 2 ** math.ceil(math.log2(needed / 1.6)))}


def plot_loss(
    history,
    *,
    n_classes: int | None = None,
    epochs: int | None = None,
    title: str = "",
    xlabel: str = "epoch",
    ax=None,
):
    """The loss against epochs. history: fit's dict (every mini-batch's loss drawn faintly,
    each epoch's mean boldly) or a plain list of per-epoch losses.

    n_classes adds a dashed line at ln C: the loss of a network that guesses uniformly.
    epochs fixes the x axis (for a run still going: the curve grows across a steady axis).
    xlabel names the x axis (the Trainer's list has one value per evaluation interval).
    """
    fig, ax = new_figure(5.0, 3.4) if ax is None else (ax.figure, ax)
    if isinstance(history, dict):
        per_epoch, per_batch = history["epoch_loss"], history["loss"]
    else:
        per_epoch, per_batch = list(history), []
    numbers = np.arange(1, len(per_epoch) + 1)
    if per_batch and per_epoch:
        steps = len(per_batch) / len(per_epoch)  # mini-batches per epoch
        at = np.arange(1, len(per_batch) + 1) / steps
        ax.plot(at, per_batch, color="#8c959f", lw=0.6, alpha=0.7, label="each mini-batch")
    mean_label = "mean per epoch" if xlabel == "epoch" else "mean over each interval"
    ax.plot(numbers, per_epoch, color="#1f6feb", lw=2.2, label=mean_label)
    if n_classes:
        ax.axhline(math.log(n_classes), color="grey", ls="--", lw=1)
        ax.annotate(
            f"guessing: ln {n_classes} = {math.log(n_classes):.2f}",
            (1, math.log(n_classes)),
            xycoords=("axes fraction", "data"),
            xytext=(-4, -3),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=8,
            color="grey",
        )
    ax.set(**loss_limits(per_epoch, epochs))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    if per_epoch:
        describe(
            ax,
            f"{title + ': ' if title else ''}the loss against the {xlabel}, "
            f"{len(per_epoch)} values going from {per_epoch[0]:.3f} to "
            f"{per_epoch[-1]:.3f} (lowest {min(per_epoch):.3f})"
            + (f"; a dashed line marks guessing, ln {n_classes}" if n_classes else "")
            + ".",
        )
    return fig


def plot_decision_boundary(
    predict,
    x,
    t,
    *,
    spacing: float = FINEST_SPACING,
    margin: float = 0.15,
    title: str = "",
    ax=None,
):
    """Colour the plane around the points x (N, 2) by the class predict (M, 2) -> (M, C) picks.

    spacing is the grid step; anything finer than 0.01 is raised to 0.01, so the grid stays
    small (about 220 x 220 points for the spiral) whatever the caller asks.
    """
    spacing = max(float(spacing), FINEST_SPACING)
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    span = float(max(high - low))
    resolution = math.ceil(span / spacing) + 1
    fig = plot_regions(
        predict,
        (low[0], high[0]),
        (low[1], high[1]),
        points=x,
        labels=_labels(t),
        resolution=resolution,
        title=title,
        ax=ax,
    )
    ax = fig.axes[0] if ax is None else ax
    ax.set_aspect("equal")
    return fig


def training_figure(
    predict, x, t, history, *, epochs: int | None = None, title: str = "", spacing: float = 0.02
):
    """Decision regions (left) beside the loss curve (right): a training run at a glance.

    epochs: the run's planned length, when it is still going (see plot_loss).
    """
    fig, (left, right) = new_figure(9.0, 3.9, ncols=2)
    plot_decision_boundary(predict, x, t, spacing=spacing, ax=left, title="predicted class")
    plot_loss(history, n_classes=int(_labels(t).max()) + 1, epochs=epochs, ax=right, title="loss")
    if title:
        fig.suptitle(title)
    return fig


class TrainingFigure:
    """training_figure drawn once, then updated in place for another network or run: the
    regions, the points over them, the loss curves and the title are redrawn (blitted), the
    rest only when the loss axes change (fig.live_key).

    first(predict, history, epochs, title) draws the first figure when it is not
    training_figure (Lab 3's run_figure); lines and texts on its left axes (hidden neurons'
    lines) are updated at each update by extra(left_axes), and drawn as live artists.
    margins: the figure's, for fixed_layout (None: constrained layout lays it out).
    """

    def __init__(self, x, t, *, spacing: float = 0.02, first=None, extra=None, margins=None):
        def training(predict, history, epochs, title):
            return training_figure(
                predict, x, t, history, epochs=epochs, title=title, spacing=spacing
            )

        self.first, self.extra, self.margins = first or training, extra, margins
        self.fig = None

    def update(self, predict, history, *, epochs: int | None = None, title: str = ""):
        """Show the network predict after history; returns the Figure."""
        predict = in_chunks(predict)
        if self.fig is None:
            self.fig = self.first(predict, history, epochs, title)
            left, right = self.fig.axes[:2]
            self.regions, self.left, self.loss = left.images[0], left, right
            # the same title, its runs of text rasterised once (text is dear to draw)
            self.title = PastedText(self.fig.suptitle(title)) if title else None
            if self.margins is not None:
                fixed_layout(self.fig, self.margins)
                # the plane's limits and place never change: its ticks once, those in view
                # only (Lab 3's locators gave 14, 4 out of view, each made anew at every full
                # draw), chosen for its box as drawn (of equal aspect: narrower than its place)
                left.apply_aspect()
                fixed_ticks(left)
            self.live = [
                self.regions, *left.collections, *left.spines.values(), *right.lines,
            ] + ([self.title] if title else [])  # fmt: skip
            # over the curves, never changed: drawn once (text is dear to draw)
            self.fig.live_overlay = [*right.texts, right.get_legend()]
            self.fig.live_axes = [right]  # what a new live_key changes
            if epochs is not None:
                right.set(**steady_loss_limits(history["epoch_loss"], epochs))
        else:
            x0, x1, y0, y1 = self.regions.get_extent()
            rows, cols = self.regions.get_array().shape
            classes = class_map(predict, np.linspace(x0, x1, cols), np.linspace(y0, y1, rows))
            self.regions.set_data(classes % len(CLASS_COLOURS))
            per_batch, per_epoch = history["loss"], history["epoch_loss"]
            at = np.arange(1, len(per_batch) + 1) / (len(per_batch) / len(per_epoch))
            self.loss.lines[0].set_data(at, per_batch)
            self.loss.lines[1].set_data(np.arange(1, len(per_epoch) + 1), per_epoch)
            self.loss.set(**steady_loss_limits(per_epoch, epochs or len(per_epoch)))
            if self.title is not None:
                self.title.set_text(title)
            if self.extra is not None:
                self.extra(self.left)
        self.fig.live_artists = [*self.live, *self.left.lines, *self.left.texts]
        self.fig.live_key = (self.loss.get_xlim(), self.loss.get_ylim())
        return self.fig
