"""Chapter 6's node-by-node Softmax with Loss: the elementary nodes really give y − t."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnscratch.figures.layer_backprop import (
    draw_softmax_with_loss_nodes,
    softmax_with_loss_nodes_trace,
)
from nnscratch.functions import cross_entropy_error, softmax


@pytest.mark.parametrize("seed", range(5))
def test_the_nodes_send_y_minus_t_to_the_scores_and_compute_the_loss(seed):
    rng = np.random.default_rng(seed)
    s = rng.standard_normal(4) * 2
    t = np.eye(4)[rng.integers(0, 4)]
    events = softmax_with_loss_nodes_trace(s, t)
    L = next(e["values"]["L"] for e in events if "L" in e.get("values", {}))
    assert np.allclose(L, cross_entropy_error(softmax(s), t), atol=1e-6)
    assert np.allclose(events[-1]["grads"]["s"].ravel(), softmax(s) - t)


def test_the_figure_draws():
    fig = draw_softmax_with_loss_nodes()
    assert "y − t" in fig.axes[0].get_title()
