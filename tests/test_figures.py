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
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
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
    assert (
        "matplotlib.pyplot" not in sys.modules
        or not __import__("matplotlib.pyplot").pyplot.get_fignums()
    )


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

    nodes = [
        Node("x", 0, 0, kind="text"),
        Node("mul", 2, 0, "×", kind="op"),
        Node("L", 4, 0, kind="text"),
    ]
    fig = draw_flow(nodes, [Edge("x", "mul", "2.0", "1.5"), Edge("mul", "L", "6.0", "1")])
    assert isinstance(fig, Figure)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"2.0", "1.5", "6.0", "×"} <= texts


def _texts(fig) -> set[str]:
    return {t.get_text() for ax in fig.axes for t in ax.texts}


def test_network_figure_labels_the_weights_into_one_neuron_and_their_column():
    plain = draw_network((2, 4, 3))
    assert not {"$w_{11}$", "$b_{1}$"} & _texts(plain)
    labelled = draw_network((2, 4, 3), highlight=0)
    # On the arrows (w11, w21, b1) and in the written-out W (all eight entries).
    assert {"$w_{11}$", "$w_{21}$", "$b_{1}$", "$w_{14}$", "$w_{24}$"} <= _texts(labelled)
    assert any("column 1 of $W$ feeds $h_{1}$" in t for t in _texts(labelled))


def test_region_plot_has_a_class_legend_and_a_marker_per_class():
    from nnscratch.figures.palette import CLASS_MARKERS

    net = TwoLayerNet(2, 4, 3, weight_std=2.0, rng=0)
    pts = np.random.default_rng(1).standard_normal((30, 2))
    fig = plot_regions(net.predict, points=pts, labels=np.arange(30) % 3)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    markers = [c.get_paths()[0] for c in ax.collections]
    assert len(ax.collections) == 3 and len({m.vertices.tobytes() for m in markers}) == 3
    assert len(set(CLASS_MARKERS[:3])) == 3
    named = plot_regions(net.predict, class_names=["cat", "dog", "bird"])
    assert [t.get_text() for t in named.axes[0].get_legend().get_texts()] == ["cat", "dog", "bird"]


def test_gradient_check_labels_stay_inside_the_axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from nnscratch.figures.layer_backprop import plot_gradient_check

    fig = plot_gradient_check({"W1": 1.0, "b1": 3.0, "W2": 1e-9, "b2": 0.0})
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    box = fig.axes[0].get_window_extent(renderer)
    for text in fig.axes[0].texts:
        inner = text.get_window_extent(renderer)
        assert box.x0 - 1 <= inner.x0 and inner.x1 <= box.x1 + 1, (
            f"{text.get_text()!r} leaves the axes"
        )


def test_a_figure_displays_with_its_description_as_alt_text():
    from nnscratch.figures.canvas import _figure_bundle, description

    fig = draw_network((2, 4, 3), highlight=0, title="A 2-4-3 network")
    data, metadata = _figure_bundle(fig)
    assert data["image/png"] and data["text/plain"] == metadata["image/png"]["alt"] == description(
        fig
    )
    assert "w11" in description(fig) and "column 1" in description(fig)


def test_an_undescribed_figure_is_summed_up_from_its_words():
    from nnscratch.figures import Edge, Node, draw_flow
    from nnscratch.figures.canvas import description

    nodes = [
        Node("x", 0, 0, kind="text"),
        Node("mul", 2, 0, "×", kind="op"),
        Node("L", 4, 0, kind="text"),
    ]
    text = description(
        draw_flow(nodes, [Edge("x", "mul", "2.0", "1.5"), Edge("mul", "L", "6.0", "1")])
    )
    assert "×" in text and "6.0" in text and "$" not in text
