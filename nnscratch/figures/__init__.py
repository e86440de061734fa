"""Figures drawn by the course: pure functions, data in, matplotlib Figure out.

None of them calls plt.show() or touches rcParams; matplotlib is imported on first use.
"""

from nnscratch.figures.canvas import new_figure, to_png
from nnscratch.figures.curves import plot_function
from nnscratch.figures.flow import Edge, Node, draw_flow
from nnscratch.figures.network import draw_network
from nnscratch.figures.regions import plot_regions

__all__ = [
    "new_figure",
    "to_png",
    "Node",
    "Edge",
    "draw_flow",
    "draw_network",
    "plot_function",
    "plot_regions",
]
