"""Figures of the labs: hidden neurons as lines, a confusion matrix, a network probed at one point
(Lab 1); an activation beside its checked derivative, the softmax Jacobian (Lab 2); a tuning
sweep and a training run (Lab 3). Data in, Figure out."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nnscratch.figures.canvas import new_figure
from nnscratch.figures.regions import CLASS_COLOURS, plot_regions
from nnscratch.figures.training import plot_loss

HIDDEN_COLOUR = "#57606a"


def draw_hidden_lines(ax, W1, b1, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), *, label: bool = True):
    """On ax, the line where each hidden neuron's input x @ W1[:, k] + b1[k] is 0, with an arrow
    from it pointing to the side where the neuron switches on (sigmoid above 1/2)."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    HiddenLines(ax).update(W1, b1, label=label)
    return ax.figure


class HiddenLines:
    """draw_hidden_lines kept alive: update(W1, b1) moves each neuron's line, arrow and label
    (a live figure's redraw; making them anew took a quarter of it, measured)."""

    def __init__(self, ax):
        self.ax, self.artists = ax, []  # (line, arrow, label) per neuron

    def update(self, W1, b1, *, label: bool = True) -> None:
        xlim, ylim = self.ax.get_xlim(), self.ax.get_ylim()
        while len(self.artists) < W1.shape[1]:
            self.artists.append(self._new())
        for k, (line, arrow, text) in enumerate(self.artists):
            place = _hidden_line(W1[:, k], b1[k], xlim, ylim) if k < W1.shape[1] else None
            line.set_visible(place is not None)
            marked = place is not None and place[1] is not None
            arrow.set_visible(marked)
            text.set_visible(marked and label)
            if place is None:
                continue
            ends, mark = place
            line.set_data(ends[:, 0], ends[:, 1])
            if mark is not None:
                arrow.xy, arrow.xyann = mark[1], mark[0]
                text.set_position(mark[2])
                text.set_text(f"h[{k}]")
        self.ax.set_xlim(*xlim)  # the long lines must not widen the view
        self.ax.set_ylim(*ylim)

    def _new(self):
        ax = self.ax
        (line,) = ax.plot([], [], color=HIDDEN_COLOUR, lw=1.3, ls="--")
        arrow = ax.annotate(
            "",
            xy=(0, 0),
            xytext=(0, 0),
            # from the line to the tip exactly (shrinking it by 2 points cost 1.5 ms a draw)
            arrowprops=dict(arrowstyle="-|>", color=HIDDEN_COLOUR, lw=1.5, shrinkA=0, shrinkB=0),
        )
        text = ax.text(
            0,
            0,
            "",
            color="black",
            fontsize=9,
            ha="center",
            va="center",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=HIDDEN_COLOUR, lw=0.8),
        )
        return line, arrow, text


def _hidden_line(w, b, xlim, ylim):
    """(ends (2, 2) of the neuron's line, (arrow's start, its tip, label's centre) or None
    when the line misses the view), or None for a neuron with no line (w = 0)."""
    norm = float(np.hypot(*w))
    if norm < 1e-9:
        return None
    foot = -b * w / norm**2  # the point of the line nearest the origin
    along = np.array([-w[1], w[0]]) / norm
    ends = foot + np.outer([-20.0, 20.0], along)
    # Mark the line where it crosses the view: the stretch foot + s * along, s0 < s < s1,
    # that lies inside both limits.
    s0, s1 = -20.0, 20.0
    for axis, (low, high) in enumerate((xlim, ylim)):
        if abs(along[axis]) < 1e-12:  # parallel to this axis: inside or not, all along
            if not low < foot[axis] < high:
                return ends, None
            continue
        enter, leave = sorted(((low - foot[axis]) / along[axis], (high - foot[axis]) / along[axis]))
        s0, s1 = max(s0, enter), min(s1, leave)
    if s0 >= s1:
        return ends, None
    normal = w / norm  # towards the side where the neuron is on

    def inside(point):
        return xlim[0] < point[0] < xlim[1] and ylim[0] < point[1] < ylim[1]

    for share in (0.82, 0.18, 0.5, 0.65, 0.35):
        mid = foot + (s0 + share * (s1 - s0)) * along
        tip = mid + 0.5 * normal
        if inside(tip + 0.3 * normal):
            return ends, (mid, tip, tip + 0.22 * normal)
    # the on side is too near the edge everywhere: the label goes behind the arrow's start
    mid = foot + (s0 + 0.82 * (s1 - s0)) * along
    return ends, (mid, mid + 0.5 * normal, mid - 0.22 * normal)


def plot_confusion(counts, class_names: Sequence[str] | None = None, *, title: str = "", ax=None):
    """Counts (C, C), rows = true class, columns = predicted class, as a shaded grid of numbers."""
    counts = np.asarray(counts)
    C = counts.shape[0]
    names = list(class_names) if class_names is not None else [str(k) for k in range(C)]
    fig, ax = new_figure(3.6, 3.3) if ax is None else (ax.figure, ax)
    ax.imshow(counts, cmap="Blues", vmin=0)
    for i in range(C):
        for j in range(C):
            dark = counts[i, j] > 0.6 * counts.max()
            ax.text(
                j,
                i,
                str(counts[i, j]),
                ha="center",
                va="center",
                fontsize=11,
                color="white" if dark else "black",
                fontweight="bold" if i == j else "normal",
            )
    ax.set_xticks(range(C), names)
    ax.set_yticks(range(C), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    return fig


def probe_figure(params: dict, point, *, points=None, labels=None, lim: float = 3.5):
    """Left: the class regions of the network params, a probe point and the hidden lines.
    Right: that point's hidden activations h and its scores s, the winning score outlined."""
    return ProbeFigure(params, points=points, labels=labels, lim=lim).update(point)


class ProbeFigure:
    """probe_figure, drawn once for the network params; update(point) moves the probe: the
    star, the bars, their numbers and the titles change, the regions and lines stay. The bars'
    axis fits every point of the plane shown, so it stays still while the point moves."""

    def __init__(self, params: dict, *, points=None, labels=None, lim: float = 3.5):
        from nnscratch.functions import sigmoid

        W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
        self.fig, (left, right) = new_figure(9.0, 3.9, ncols=2)

        def predict(x):
            return sigmoid(x @ W1 + b1) @ W2 + b2

        plot_regions(
            predict, (-lim, lim), (-lim, lim), points=points, labels=labels, resolution=150,
            ax=left,
        )  # fmt: skip
        left.set_title(" ", fontsize=10)  # room for the title update writes
        draw_hidden_lines(left, W1, b1, (-lim, lim), (-lim, lim))
        self.star = left.scatter(
            [0.0], [0.0], marker="*", s=380, edgecolors="black", linewidths=1.2, zorder=5,
            clip_on=False,  # whole even at the edge of the sliders' range
        )  # fmt: skip
        H, C = W1.shape[1], W2.shape[1]
        xs_h, xs_s = np.arange(H), np.arange(C) + H + 1
        self.h_bars = right.bar(xs_h, np.zeros(H), color=HIDDEN_COLOUR, width=0.7)
        self.s_bars = right.bar(
            xs_s, np.zeros(C), width=0.7,
            color=[CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(C)], linewidth=2,
        )  # fmt: skip
        self.numbers = [right.text(x, 0.0, "", ha="center", fontsize=9) for x in [*xs_h, *xs_s]]
        right.set_xticks(
            [*xs_h, *xs_s], [f"h[{k}]" for k in range(H)] + [f"s[{k}]" for k in range(C)]
        )
        zero = right.axhline(0, color="black", lw=0.8)
        right.axvline(H, color="#d0d7de", lw=1)
        grid = np.linspace(-lim, lim, 61)
        every = predict(np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2))
        low, high = min(0.0, float(every.min())), max(1.0, float(every.max()))
        right.set_ylim(low - 0.35, high + 0.35)
        # at 12 points the title was wider than its axes and left the figure
        right.set_title(" ", fontsize=10)
        self.titles = left.title, right.title
        self.fig.live_artists = [
            self.star, *self.h_bars, *self.s_bars, zero, *self.numbers, *self.titles
        ]  # fmt: skip

    def update(self, point):
        """Probe the network at point (2,); returns the Figure."""
        from nnscratch.functions import sigmoid

        point = np.asarray(point, dtype=float)
        h = sigmoid(point @ self.W1 + self.b1)
        s = h @ self.W2 + self.b2
        winner = int(np.argmax(s))
        self.star.set_offsets([point])
        self.star.set_facecolor(CLASS_COLOURS[winner % len(CLASS_COLOURS)])
        for bar, v in zip([*self.h_bars, *self.s_bars], [*h, *s]):
            bar.set_height(v)
        for k, bar in enumerate(self.s_bars):
            bar.set_edgecolor("black" if k == winner else "none")
        for text, v in zip(self.numbers, [*h, *s]):
            text.set(
                y=v + (0.06 if v >= 0 else -0.06), text=f"{v:.2f}", va="bottom" if v >= 0 else "top"
            )
        self.titles[0].set_text(f"the point ({point[0]:.1f}, {point[1]:.1f})")
        self.titles[1].set_text(_scores_title(winner))
        return self.fig


def _scores_title(winner: int) -> str:
    return f"hidden activations h, scores s: class {winner} wins"


def plot_activation_check(
    forward: Callable,
    backward: Callable,
    numerical: Callable,
    *,
    name: str,
    x_range=(-4.0, 4.0),
    point: float | None = None,
):
    """An activation y = f(x) beside its derivative, as backward(ones) draws it (line) and as
    numbers measure it (dots); point adds the tangent line there.

    forward and backward act on arrays (a layer's methods); numerical(x) gives the numerical
    derivative at the points x.
    """
    check = ActivationCheck(forward, backward, numerical, name=name, x_range=x_range)
    return check.update(point)


class ActivationCheck:
    """plot_activation_check, drawn once for an activation; update(point) moves the tangent,
    its points and the title (the curves and the numerical dots do not depend on the point)."""

    def __init__(self, forward, backward, numerical, *, name: str, x_range=(-4.0, 4.0)):
        self.forward, self.backward, self.name = forward, backward, name
        self.fig, (left, right) = new_figure(9.0, 3.4, ncols=2)
        x = np.linspace(*x_range, 401)
        y = forward(x)
        dy = backward(np.ones_like(x))
        left.plot(x, y, lw=2.5, color="#1f6feb", label=f"{name}(x)")
        right.plot(x, dy, lw=2.5, color="#cf222e", label="backward(1): the derivative")
        dots = np.linspace(*x_range, 17) + 0.0123  # off the grid, so no dot sits on a kink
        right.plot(dots, numerical(dots), "o", color="black", ms=5, label="numerical derivative")
        (self.tangent,) = left.plot([], [], color="#cf222e", lw=1.6)
        (self.on_curve,) = left.plot([], [], "o", color="#cf222e", ms=7)
        (self.on_slope,) = right.plot([], [], "o", color="#cf222e", ms=9, mfc="white", mew=2)
        self.title = left.set_title(name)
        right.set_title(f"derivative of {name}")
        # Room above the derivative's peak for the legend, so it never covers the curve.
        low, high = min(float(dy.min()), 0.0), float(dy.max())
        span = max(high - low, 1e-9)
        right.set_ylim(low - 0.05 * span, high + 0.35 * span)
        for ax, where in ((left, "best"), (right, "upper left")):
            ax.axhline(0, color="grey", lw=0.6)
            ax.axvline(0, color="grey", lw=0.6)
            ax.grid(alpha=0.3)
            ax.set_xlabel("x")
            ax.legend(loc=where, fontsize=8.5)
        left.set_xlim(left.get_xlim())  # the tangent moves, the axes stay
        left.set_ylim(left.get_ylim())
        # the left legend stays live: "best" places it away from the tangent, as before
        self.fig.live_artists = [
            self.tangent, self.on_curve, self.on_slope, self.title, left.get_legend()
        ]  # fmt: skip

    def update(self, point: float | None):
        """The tangent at point (None: none); returns the Figure."""
        if point is None:
            for line in (self.tangent, self.on_curve, self.on_slope):
                line.set_data([], [])
            self.title.set_text(self.name)
            return self.fig
        y0 = float(self.forward(np.array([point]))[0])
        slope = float(self.backward(np.ones(1))[0])
        near = np.linspace(point - 1.2, point + 1.2, 2)
        self.tangent.set_data(near, y0 + slope * (near - point))
        self.on_curve.set_data([point], [y0])
        self.on_slope.set_data([point], [slope])
        self.title.set_text(f"{self.name}: slope {slope:.3f} at x = {point:.2f}")
        return self.fig


def plot_softmax_jacobian(y):
    """For one row of probabilities y: the softmax Jacobian dy_j/dx_k = y_j (delta_jk - y_k)
    beside its diagonal alone, y_k (1 - y_k), which is what a backward without the sum uses."""
    y = np.asarray(y, dtype=float)
    J = np.diag(y) - np.outer(y, y)
    C = len(y)
    fig, axes = new_figure(8.0, 3.6, ncols=2)
    top = float(np.abs(J).max())
    for ax, M, title in (
        (axes[0], J, r"the Jacobian $\partial y_j / \partial x_k$"),
        (axes[1], np.diag(np.diag(J)), "its diagonal alone (the mistake)"),
    ):
        ax.imshow(M, cmap="RdBu", vmin=-top, vmax=top)
        for j in range(C):
            for k in range(C):
                ax.text(
                    k,
                    j,
                    f"{M[j, k]:+.3f}" if M[j, k] else "0",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if abs(M[j, k]) > 0.6 * top else "black",
                )
        ax.set_xticks(range(C), [f"x[{k}]" for k in range(C)])
        ax.set_yticks(range(C), [f"y[{j}]" for j in range(C)])
        ax.set_title(title)
    fig.suptitle("y = " + ", ".join(f"{v:.2f}" for v in y) + ": blue +, red -", fontsize=10)
    return fig


def plot_sweep(
    hidden_sizes: Sequence[int],
    learning_rates: Sequence[float],
    accuracy,
    *,
    title: str = "validation accuracy",
):
    """accuracy[i, j] for hidden_sizes[i] and learning_rates[j], as a shaded table of numbers."""
    accuracy = np.asarray(accuracy, dtype=float)
    fig, ax = new_figure(1.3 * len(learning_rates) + 2.2, 0.5 * len(hidden_sizes) + 1.4)
    ax.imshow(accuracy, cmap="Greens", vmin=0.5, vmax=1.0, aspect="auto")
    best = np.unravel_index(np.argmax(accuracy), accuracy.shape)
    for i in range(accuracy.shape[0]):
        for j in range(accuracy.shape[1]):
            ax.text(
                j,
                i,
                f"{accuracy[i, j]:.2f}",
                ha="center",
                va="center",
                fontsize=10,
                color="white" if accuracy[i, j] > 0.85 else "black",
                fontweight="bold" if (i, j) == best else "normal",
            )
    ax.set_xticks(range(len(learning_rates)), [f"{lr:g}" for lr in learning_rates])
    ax.set_yticks(range(len(hidden_sizes)), [str(h) for h in hidden_sizes])
    ax.set_xlabel("learning rate")
    ax.set_ylabel("hidden size")
    ax.set_title(title)
    return fig


def run_figure(
    predict: Callable,
    W1,
    b1,
    x,
    t,
    history: dict,
    *,
    lim: float = 1.6,
    epochs: int | None = None,
    title: str = "",
    lines: bool = True,
):
    """A training run explained. Left: the class predicted over the plane, the points (coloured
    by true class) and each hidden neuron's line. Right: the loss, per mini-batch and per epoch
    (epochs: the loss axis' length, when the run is to go on; see plot_loss).
    lines=False leaves the hidden neurons' lines to the caller (a live figure's HiddenLines)."""
    fig, (left, right) = new_figure(9.0, 3.9, ncols=2)
    labels = np.asarray(t).argmax(axis=1) if np.ndim(t) == 2 else np.asarray(t)
    plot_regions(
        predict,
        (-lim, lim),
        (-lim, lim),
        points=x,
        labels=labels,
        resolution=161,
        ax=left,
        title="predicted class, and the hidden neurons' lines",
    )
    if lines:
        draw_hidden_lines(left, W1, b1, (-lim, lim), (-lim, lim), label=W1.shape[1] <= 6)
    left.set_aspect("equal")
    plot_loss(history, n_classes=int(labels.max()) + 1, epochs=epochs, ax=right, title="loss")
    if title:
        fig.suptitle(title)
    return fig
