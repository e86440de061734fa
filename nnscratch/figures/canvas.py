"""Make Figures that show in a notebook without pyplot, so nothing is drawn twice."""

from __future__ import annotations

import base64
import io
import os
import re

_registered = False
# Set to "1" by the classroom grader in the kernels it runs (nnscratch.classroom.submission):
# nobody sees a graded notebook's outputs, so its figures are built but never rendered.
GRADING = "NNSCRATCH_GRADING"


def pictures_wanted() -> bool:
    """False while a notebook is being graded: figures and live figures skip their pixels
    (measured: about a third of the CPU time of grading a Chapter 1 notebook)."""
    return os.environ.get(GRADING) != "1"


def new_figure(
    width: float = 6.0, height: float = 4.0, ncols: int = 1, nrows: int = 1, width_ratios=None
):
    """A Figure and its axes (one Axes, or an array of them), detached from pyplot;
    width_ratios: the columns' relative widths (None: equal).

    A detached Figure is shown once, when a cell returns it, never automatically as well.
    """
    from matplotlib.figure import Figure

    _show_figures_in_notebooks()
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, width_ratios=width_ratios)
    return fig, axes


# Constrained layout's padding around a figure's suptitle (its h_pad, 3 points), in inches.
SUPTITLE_PAD = 3 / 72


def fixed_layout(fig, margins: dict) -> None:
    """Place fig's subplots by margins (subplots_adjust's left, bottom, right, top, wspace,
    hspace) instead of laying it out when it is first drawn.

    For a live figure, whose first picture must come within 300 ms: constrained layout
    measures every text of the figure, 40-50% of a first draw (measured). The margins are
    those constrained layout chose for the figure when measured (constrained_margins);
    tests/test_live_figures.py checks that they still are, so the figure looks the same.
    """
    fig.nnscratch_replaced_layout = fig.get_layout_engine()  # for that test
    fig.set_layout_engine("none")
    fig.subplotpars.update(**margins)
    for ax in fig.axes:
        ax.set_position(ax.get_subplotspec().get_position(fig))
        # titles stay at the top of their axes: placing them measures every tick label
        # (10% of Chapter 2's first draw, measured), to lift them over labels at the top,
        # which no live figure has (matplotlib has no public switch for this)
        ax._autotitlepos = False
    # where constrained layout puts it (fig._suptitle: get_suptitle() is matplotlib 3.8's)
    if fig._suptitle is not None and fig._suptitle.get_text():
        fig._suptitle.set_y(1 - SUPTITLE_PAD / fig.get_figheight())


def fixed_ticks(*axes) -> None:
    """Give each Axes' x and y axis, once, the ticks its automatic locator chooses for its
    limits now, leaving out those outside the view.

    For a live figure whose axes keep their limits: matplotlib asks the locator again at every
    draw, and makes a Tick (two marks, a grid line and two labels) for every tick it returns,
    even the ones outside the view that it then leaves undrawn. The picture is the same
    (tests/test_live_figures.py compares it pixel by pixel). An Axes drawn without its axes
    (ax.axis("off"): a diagram) is left alone: its locators are never asked, and ticks set on
    it would be made for nothing (10 of the 21 it made for Chapter 4).
    """
    for ax in axes:
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * (high - low)  # a tick at a limit is drawn
            ticks = [v for v in axis.get_majorticklocs() if low - slack <= v <= high + slack]
            axis.set_ticks(ticks)


def add_drawn_patch(ax, patch):
    """ax.add_patch for an Axes whose limits are set by hand (a diagram): the patch is drawn
    the same, without widening ax's data limits, which such an Axes never reads. add_patch
    measures a patch's whole path for them: a FancyArrowPatch lays its arrow out (14% of
    Chapter 1's first picture, measured)."""
    return ax.add_artist(patch)


def drawn_bars(ax, x, width: float, **style) -> list:
    """Bars of height 0 centred on x, as ax.bar(x, 0, width, **style) draws them, for an Axes
    whose limits are set by hand; each bar's set_height gives it its value. ax.bar adds each
    bar with add_patch (see add_drawn_patch), which measured the bars and the Axes' own
    parts for 7% of Chapter 2's softmax figure's first picture (py-spy)."""
    from matplotlib.patches import Rectangle

    return [
        add_drawn_patch(ax, Rectangle((v - width / 2, 0), width, 0, label="_nolegend_", **style))
        for v in x
    ]


# mathtext's italic font in its default font set (rcParams["mathtext.fontset"], "dejavusans")
MATH_ITALIC = {"fontfamily": "DejaVu Sans", "fontstyle": "italic"}  # Text properties
_MATH_WORD = re.compile(r"\$([A-Za-z]+(?:/[A-Za-z]+)?)\$([^$\\]*)")


def math_word(label: str) -> tuple[str, str] | None:
    """(word, rest) for a label whose mathtext is one italic word ("$dy/dx$ = " -> "dy/dx",
    " = "), else None. Drawn as plain text, the word in MATH_ITALIC and the rest in the
    label's own font, it looks as mathtext draws it (within two pixels: test_live_figures.py)
    without parsing it: 2-3 ms a label and some 700 objects left to the garbage collector
    (pyparsing's), measured; 14 of the 20 parses of Chapter 4's live figure."""
    from matplotlib import rcParams

    found = _MATH_WORD.fullmatch(label)
    if found is None or rcParams["mathtext.fontset"] != "dejavusans":
        return None
    return found[1], found[2]


def math_label(label: str) -> tuple[str, dict]:
    """label and no Text properties, or for a label that is one italic word ("$x$"), the
    word and the properties that draw it as mathtext does (math_word)."""
    found = math_word(label)
    if found is None or found[1]:
        return label, {}
    return found[0], dict(MATH_ITALIC)


def constrained_margins(fig) -> dict:
    """The margins (see fixed_layout) constrained layout gives fig's grid of subplots, to four
    decimals, as it lays fig out in a draw (its layout engine is set back afterwards)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    kept = fig.get_layout_engine()
    fig.set_layout_engine(getattr(fig, "nnscratch_replaced_layout", None) or kept)
    FigureCanvasAgg(fig).draw()
    fig.set_layout_engine(kept)
    grid = fig.axes[0].get_subplotspec().get_gridspec()
    nrows, ncols = grid.get_geometry()
    boxes = {}
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        boxes[spec.rowspan.start, spec.colspan.start] = ax.get_position(original=True)
    first, last = boxes[0, 0], boxes[nrows - 1, ncols - 1]
    margins = {"left": first.x0, "bottom": last.y0, "right": last.x1, "top": first.y1}
    # subplots_adjust's spaces are fractions of the mean width and height of the subplots
    widths = [boxes[0, column].width for column in range(ncols)]
    heights = [boxes[row, 0].height for row in range(nrows)]
    if ncols > 1:
        margins["wspace"] = (boxes[0, 1].x0 - first.x1) * ncols / sum(widths)
        gaps = [boxes[0, column + 1].x0 - boxes[0, column].x1 for column in range(ncols - 1)]
        if max(gaps) - min(gaps) > 1e-4:  # gaps fixed_layout cannot give: the margins test fails
            margins["columns"] = [
                (round(float(boxes[0, c].x0), 4), round(float(boxes[0, c].x1), 4))
                for c in range(ncols)
            ]
    if nrows > 1:
        margins["hspace"] = (first.y0 - boxes[1, 0].y1) * nrows / sum(heights)
    return {
        name: value if name == "columns" else round(float(value), 4)
        for name, value in margins.items()
    }


def to_png(fig, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def describe(target, text: str) -> None:
    """Give a figure (or one panel, an Axes) the short description a screen reader reads.

    Matplotlib has no place for alternative text, so it rides on the object as an attribute;
    a figure of several panels reads their descriptions in order (see `description`).
    """
    target.nnscratch_description = " ".join(text.split())


def description(fig) -> str:
    """The text alternative of fig: its own description, else its panels' in order.

    A panel nobody described is summed up from what it shows in words: title, axis labels,
    legend entries and the texts drawn on it (a diagram's node labels), so no figure is
    ever without a text alternative, and none gets a generic sentence.
    """
    own = getattr(fig, "nnscratch_description", "")
    if own:
        return own
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    parts = [suptitle + "."] if suptitle else []
    parts += [getattr(ax, "nnscratch_description", "") or _summary(ax) for ax in fig.axes]
    return " ".join(p for p in parts if p) or "A figure without text."


def _summary(ax) -> str:
    words = []
    if ax.get_title():
        words.append(f"Panel '{plain_text(ax.get_title())}'")
    x_label, y_label = plain_text(ax.get_xlabel()), plain_text(ax.get_ylabel())
    if ax.axison and (x_label or y_label):
        words.append(" against ".join(label for label in (y_label, x_label) if label))
    legend = ax.get_legend()
    if legend is not None:
        entries = [plain_text(t.get_text()) for t in legend.get_texts()]
        words.append("curves or marks: " + ", ".join(entries))
    labels = [plain_text(t.get_text()) for t in ax.texts if t.get_text().strip()]
    if labels:
        distinct = list(dict.fromkeys(labels))
        more = f" and {len(distinct) - 16} more" if len(distinct) > 16 else ""
        words.append("labels: " + ", ".join(distinct[:16]) + more)
    return "; ".join(words) + "." if words else ""


def plain_text(text: str) -> str:
    """Mathtext as a reader would say it: '$\\mathbf{x}$' -> 'x', '$h_{1}$' -> 'h1'."""
    for old, new in (
        ("^{\\mathsf{T}}", "ᵀ"),
        ("^\\mathsf{T}", "ᵀ"),
        ("\\mathbf", ""),
        ("\\mathsf", ""),
        ("\\partial", "∂"),
        ("\\cdots", "…"),
        ("\\cdot", "·"),
        ("\\times", "×"),
        ("\\sigma", "σ"),
        ("\\eta", "η"),
        ("\\varepsilon", "ε"),
        ("\\nabla", "∇"),
        ("\\sum", "Σ"),
        ("\\,", " "),
        ("\\ ", " "),
        ("$", ""),
        ("{", ""),
        ("}", ""),
        ("_", ""),
        ("\\", ""),
    ):
        text = text.replace(old, new)
    return " ".join(text.split())


def _figure_bundle(fig) -> tuple[dict, dict]:
    """PNG with its text alternative: `text/plain` for text-only front ends and screen
    readers of exports, and the PNG's `alt` metadata, which nbconvert's HTML writes into
    <img alt=...> (and which it warns about when missing)."""
    text = description(fig)
    if not pictures_wanted():
        return {"text/plain": text}, {}
    png = base64.b64encode(to_png(fig)).decode("ascii")
    return {"image/png": png, "text/plain": text}, {"image/png": {"alt": text}}


def _show_figures_in_notebooks() -> None:
    """Teach IPython to render a Figure as PNG with its description (pyplot's inline backend
    would render the PNG alone)."""
    global _registered
    if _registered:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    shell.display_formatter.mimebundle_formatter.for_type(Figure, _figure_bundle)
    _registered = True
