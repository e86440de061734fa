"""Figures: pure functions returning matplotlib Figures; a cheap `import nnscratch`."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from nnscratch import TwoLayerNet, sigmoid  # noqa: E402
from nnscratch.figures import draw_network, plot_function, plot_regions, to_png  # noqa: E402


def test_import_does_not_load_matplotlib_or_widgets():
    code = "import sys, nnscratch; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_draw_network_returns_a_figure_and_checks_shapes():
    assert isinstance(draw_network((2, 4, 3)), Figure)
    rng = np.random.default_rng(0)
    fig = draw_network((2, 4, 3), [rng.standard_normal((2, 4)), rng.standard_normal((4, 3))])
    assert to_png(fig).startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="weights\\[0\\]"):
        draw_network((2, 4, 3), [np.ones((4, 2)), np.ones((4, 3))])


def test_plot_function_and_regions():
    assert isinstance(plot_function(sigmoid, hlines=(0, 1)), Figure)
    net = TwoLayerNet(2, 4, 3, weight_std=2.0, rng=0)
    pts = np.random.default_rng(1).standard_normal((10, 2))
    assert isinstance(plot_regions(net.predict, points=pts, labels=np.zeros(10, int)), Figure)


def test_no_pyplot_figures_are_left_open():
    draw_network((3, 2))
    assert "matplotlib.pyplot" not in sys.modules or not __import__("matplotlib.pyplot").pyplot.get_fignums()


def test_live_figure_has_a_static_fallback():
    from nnscratch.widgets.inference import network_playground

    live = network_playground()
    bundle = live._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    before = live.image.value
    live.controls["v0"].value = -live.controls["v0"].value + 0.5
    assert live.image.value != before


def test_draw_flow_draws_nodes_and_labelled_edges():
    from nnscratch.figures import Edge, Node, draw_flow

    nodes = [Node("x", 0, 0, kind="text"), Node("mul", 2, 0, "×", kind="op"), Node("L", 4, 0, kind="text")]
    fig = draw_flow(nodes, [Edge("x", "mul", "2.0", "1.5"), Edge("mul", "L", "6.0", "1")])
    assert isinstance(fig, Figure)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"2.0", "1.5", "6.0", "×"} <= texts
