"""Make Figures that show in a notebook without pyplot, so nothing is drawn twice."""

from __future__ import annotations

import io

_registered = False


def new_figure(width: float = 6.0, height: float = 4.0, ncols: int = 1, nrows: int = 1):
    """A Figure and its axes (one Axes, or an array of them), detached from pyplot.

    A detached Figure is shown once, when a cell returns it, never automatically as well.
    """
    from matplotlib.figure import Figure

    _show_figures_in_notebooks()
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True)
    return fig, axes


def to_png(fig, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _show_figures_in_notebooks() -> None:
    """Teach IPython to render a Figure as PNG (pyplot's inline backend would do it too)."""
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

    shell.display_formatter.formatters["image/png"].for_type(Figure, to_png)
    _registered = True
