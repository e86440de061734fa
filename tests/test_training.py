"""Chapter 7's package code: SGD, the spiral, fit and its history, float32, figures, widget."""

import time

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure

from nnscratch.data import spiral
from nnscratch.evaluation import accuracy
from nnscratch.gradients import numerical_gradient, relative_error
from nnscratch.layers import Affine, SoftmaxWithLoss
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import fit, train_epochs

# --- SGD --------------------------------------------------------------------------------------


def test_sgd_updates_the_arrays_themselves():
    W, b = np.ones((2, 3)), np.zeros(3)
    layer = Affine(W, b)
    params = [W, b]
    SGD(lr=0.5).update(params, [np.full((2, 3), 2.0), np.ones(3)])
    assert params[0] is W and layer.params[0] is W
    assert np.allclose(W, 0.0) and np.allclose(b, -0.5)


def test_sgd_default_learning_rate_and_untouched_grads():
    W, dW = np.zeros(4), np.ones(4)
    SGD().update([W], [dW])
    assert np.allclose(W, -0.01) and np.allclose(dW, 1.0)


# --- the spiral ---------------------------------------------------------------------------------


def test_spiral_shapes_classes_and_local_randomness():
    state = np.random.get_state()[1].copy()
    x, t = spiral()
    assert np.array_equal(state, np.random.get_state()[1])
    assert x.shape == (300, 2) and t.shape == (300, 3)
    assert np.array_equal(t.sum(axis=0), [100, 100, 100]) and np.all(t.sum(axis=1) == 1)
    assert np.abs(x).max() <= 1.0 + 1e-12  # radius grows to (almost) 1
    again, _ = spiral()
    other, _ = spiral(rng=7)
    assert np.array_equal(x, again) and not np.array_equal(x, other)


# --- the layers at work: one-hot and labels, float32, odd shapes --------------------------------


def test_loss_layer_backward_is_the_same_for_one_hot_and_labels():
    rng = np.random.default_rng(0)
    s = rng.standard_normal((5, 3))
    labels = rng.integers(0, 3, 5)
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert a.forward(s, labels) == pytest.approx(b.forward(s, np.eye(3, dtype=int)[labels]))
    assert np.allclose(a.backward(), b.backward())
    assert np.allclose(a.backward(2.0), 2 * b.backward())


@pytest.mark.parametrize("N", [1, 5])
def test_affine_backward_for_a_batch_of_one_and_of_many(N):
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((N, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((N, 3))
    layer = Affine(W, b)
    layer.forward(x)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    assert (
        relative_error(
            dx, numerical_gradient(lambda v: np.sum(Affine(W, b).forward(v) * dout), x.copy())
        )
        < 1e-6
    )
    numeric_W = numerical_gradient(lambda _: np.sum(Affine(W, b).forward(x) * dout), W)
    assert relative_error(layer.grads[0], numeric_W) < 1e-6


def test_sigmoid_keeps_numbers_numbers_and_float32_float32():
    from nnscratch.functions import sigmoid

    assert isinstance(sigmoid(0.0), float) and sigmoid(0.0) == 0.5
    assert sigmoid(np.zeros(3, dtype=np.float32)).dtype == np.float32
    assert sigmoid(np.arange(3)).dtype == np.float64
    with pytest.warns(RuntimeWarning, match="overflow"):  # e^1000 is inf; 1 / inf is 0
        assert sigmoid(np.float32(-1000.0)) == 0.0


def test_float32_stays_float32_through_a_training_step():
    x, t = spiral()
    net = TwoLayerNet(2, 10, 3, rng=0, dtype=np.float32)
    x32, t32 = x.astype(np.float32), t.astype(np.float32)
    net.forward(x32[:30], t32[:30])
    dx = net.backward()
    SGD(1.0).update(net.params, net.grads)
    assert all(p.dtype == np.float32 for p in net.params + net.grads)
    assert dx.dtype == np.float32 and net.predict(x32).dtype == np.float32
    start64 = TwoLayerNet(2, 10, 3, rng=0)
    assert np.allclose(
        TwoLayerNet(2, 10, 3, rng=0, dtype=np.float32).params[0], start64.params[0], rtol=1e-6
    )


def test_float32_learns_what_float64_learns():
    x, t = spiral()
    finals = []
    for dtype in (np.float64, np.float32):
        net = TwoLayerNet(2, 10, 3, rng=0, dtype=dtype)
        finals.append(
            fit(net, x.astype(dtype), t.astype(dtype), SGD(1.0), epochs=300, rng=0)["epoch_loss"][
                -1
            ]
        )
    assert finals[0] == pytest.approx(finals[1], rel=1e-3)


# --- fit and train_epochs -----------------------------------------------------------------------


def test_fit_learns_the_spiral_with_the_books_settings(capsys):
    x, t = spiral()
    net = TwoLayerNet(2, 10, 3, rng=0)
    history = fit(net, x, t, SGD(1.0), epochs=300, batch_size=30, rng=0)
    assert capsys.readouterr() == ("", "")  # prints nothing unless asked
    assert len(history["loss"]) == 3000 and len(history["epoch_loss"]) == 300
    assert history["epoch_loss"][0] == pytest.approx(np.log(3), abs=0.1)  # guessing at the start
    assert history["epoch_loss"][-1] < 0.2
    assert accuracy(net.predict(x), t) > 0.93
    assert all(isinstance(v, float) for v in history["loss"][:5] + history["epoch_loss"][:5])


def test_fit_is_repeatable_and_the_epoch_loss_is_the_batch_mean():
    x, t = spiral()
    a = fit(TwoLayerNet(2, 5, 3, rng=1), x, t, SGD(1.0), epochs=4, batch_size=50, rng=2)
    b = fit(TwoLayerNet(2, 5, 3, rng=1), x, t, SGD(1.0), epochs=4, batch_size=50, rng=2)
    c = fit(TwoLayerNet(2, 5, 3, rng=1), x, t, SGD(1.0), epochs=4, batch_size=50, rng=3)
    assert a == b and a != c
    assert np.allclose(a["epoch_loss"], np.mean(np.reshape(a["loss"], (4, 6)), axis=1))


def test_fit_verbose_and_progress(capsys):
    x, t = spiral()
    fit(TwoLayerNet(2, 3, 3, rng=0), x, t, SGD(1.0), epochs=20, rng=0, verbose=True, progress=True)
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == 10 and "epoch   20" in out
    assert "epoch 20/20" in err and err.count("\r") <= 31  # the bar redraws only when it grows


def test_train_epochs_can_stop_early_and_keeps_the_weights():
    x, t = spiral()
    net = TwoLayerNet(2, 10, 3, rng=0)
    epochs = enumerate(train_epochs(net, x, t, SGD(1.0), epochs=300, rng=0), 1)
    for epoch, history in epochs:  # noqa: B007 - history is read after the loop
        if epoch == 5:
            break
    assert len(history["epoch_loss"]) == 5 and len(history["loss"]) == 50
    full = fit(TwoLayerNet(2, 10, 3, rng=0), x, t, SGD(1.0), epochs=5, rng=0)
    assert full["epoch_loss"] == history["epoch_loss"]


def test_every_sample_is_used_once_per_epoch_with_its_own_label():
    x, t = spiral(10)
    x = x + 1e-3 * np.arange(len(x))[:, None]  # every arm starts at (0, 0): make the rows distinct
    seen = []

    class Spy(TwoLayerNet):
        def forward(self, xb, tb):
            seen.append((xb.copy(), tb.copy()))
            return super().forward(xb, tb)

    fit(Spy(2, 3, 3, rng=0), x, t, SGD(0.1), epochs=2, batch_size=10, rng=0)
    assert len(seen) == 6
    for epoch in (seen[:3], seen[3:]):
        rows = np.concatenate([xb for xb, _ in epoch])
        assert sorted(map(tuple, rows)) == sorted(map(tuple, x))
    lookup = {tuple(row): label for row, label in zip(x, t)}
    assert all(
        np.array_equal(lookup[tuple(r)], label) for xb, tb in seen for r, label in zip(xb, tb)
    )


# --- figures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    x, t = spiral()
    net = TwoLayerNet(2, 10, 3, rng=0)
    return net, x, t, fit(net, x, t, SGD(1.0), epochs=100, rng=0)


def test_figures_are_figures(trained):
    from nnscratch.figures.training import (
        draw_learning_net,
        plot_decision_boundary,
        plot_loss,
        plot_spiral,
        training_figure,
    )

    net, x, t, history = trained
    for fig in (
        plot_spiral(x, t),
        plot_loss(history, n_classes=3),
        plot_loss(history["epoch_loss"]),
        plot_decision_boundary(net.predict, x, t),
        training_figure(net.predict, x, t, history),
        draw_learning_net(),
    ):
        assert isinstance(fig, Figure)
    import sys

    assert (
        "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()
    )


@pytest.mark.parametrize("asked", [0.0001, 0.01])
def test_decision_boundary_grid_is_never_finer_than_a_hundredth(trained, asked):
    from nnscratch.figures.training import plot_decision_boundary

    net, x, t, _ = trained
    calls = []

    def predict(points):
        calls.append(len(points))
        return net.predict(points)

    fig = plot_decision_boundary(predict, x, t, spacing=asked)
    span = float(max((x.max(axis=0) + 0.15) - (x.min(axis=0) - 0.15)))  # the default margin
    per_axis = int(np.ceil(span / 0.01)) + 1
    assert calls == [per_axis**2] and per_axis < 300
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (per_axis, per_axis)
    # the regions are the network's own classes
    assert set(np.unique(image)) <= {0, 1, 2}


# --- the widget ---------------------------------------------------------------------------------


@pytest.fixture
def playground():
    from nnscratch.widgets.training import training_playground

    p = training_playground(epochs=40)
    yield p
    p.stop()


def test_widget_shows_a_live_figure_with_a_still_fallback(playground):
    bundle = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle


def test_the_first_control_is_a_slider_that_redraws(playground):
    import ipywidgets

    first = next(iter(playground.live.controls.values()))
    assert isinstance(first, ipywidgets.FloatSlider) and first.description == "learning rate"
    before = playground.live.image.value
    first.value = 3.0
    assert playground.live.image.value != before


def test_run_replays_to_the_end_and_stop_halts_a_background_run(playground):
    shown = []

    def show(net, history, values):  # instead of drawing: note the epoch, take a drawing's time
        shown.append(len(history["epoch_loss"]))
        time.sleep(0.05)

    playground.show = show
    playground.start(background=False)
    assert shown[-1] == 40 and len(shown) >= 10
    assert not playground.run_button.disabled and playground.stop_button.disabled

    playground.live.controls["epochs"].value = 600
    assert playground.live.wait(60)  # the new run's slices, which a replay waits for
    shown.clear()
    playground.start()
    assert playground.run_button.disabled and not playground.stop_button.disabled
    time.sleep(0.3)
    playground.stop()
    assert shown and shown[-1] < 600  # stopped early, and showed where it stopped
    assert not playground.run_button.disabled
