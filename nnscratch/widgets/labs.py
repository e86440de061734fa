"""Widgets of the labs: probe a given network at a point (Lab 1), check an activation's
derivative (Lab 2), train on the rings with your own settings (Lab 3)."""

from __future__ import annotations

import numpy as np

from nnscratch.figures.canvas import fixed_layout, fixed_ticks
from nnscratch.figures.labs import ProbeFigure
from nnscratch.widgets.ui import LiveFigure, collection_deferred, slider

# Figure margins, as constrained layout chose them (see figures.canvas.fixed_layout): Lab 2's
# for each activation, Lab 3's for its run figure.
ACTIVATION_MARGINS = {
    "sigmoid": dict(left=0.0401, bottom=0.1389, right=0.9954, top=0.926, wspace=0.1231),
    "tanh": dict(left=0.0636, bottom=0.1389, right=0.9954, top=0.926, wspace=0.1027),
    "ReLU": dict(left=0.0401, bottom=0.1389, right=0.9954, top=0.926, wspace=0.1),
}
RUN_MARGINS = dict(left=0.0472, bottom=0.1254, right=0.9806, top=0.8714, wspace=0.3431)
# Lab 1's probe, for the network the lab gives (its bars' axis labelled -2 to 2; a network
# with wider labels there would want a wider wspace). Constrained layout: 137 ms of its first
# picture's CPU time, measured in a fresh process.
PROBE_MARGINS = dict(left=0.0605, bottom=0.1211, right=0.9954, top=0.9366, wspace=0.3547)


@collection_deferred()  # its first picture without a garbage collection (ui)
def network_probe(params: dict, points=None, labels=None, start=(0.5, 1.0)) -> LiveFigure:
    """Two sliders move a point over the plane; the figure shows what the network computes there."""
    controls = {
        "x1": slider(start[0], -3.5, 3.5, 0.1, "x1"),
        "x2": slider(start[1], -3.5, 3.5, 0.1, "x2"),
    }

    figure = ProbeFigure(params, points=points, labels=labels)  # drawn once, the probe moves
    fixed_layout(figure.fig, PROBE_MARGINS)
    fixed_ticks(*figure.fig.axes)

    def draw(x1, x2):
        return figure.update(np.array([x1, x2]))

    return LiveFigure(draw, controls)


@collection_deferred()  # its first picture without a garbage collection (ui)
def activation_explorer(start: str = "tanh", point: float = 0.5) -> LiveFigure:
    """Choose an activation layer and a point: its curve with the tangent there, and its
    derivative from backward(1) against the numerical derivative."""
    from nnscratch.activation_layers import ReLU, Tanh
    from nnscratch.figures.labs import ActivationCheck
    from nnscratch.gradients import numerical_backward
    from nnscratch.layers import Sigmoid
    from nnscratch.widgets.ui import dropdown

    layers = {"sigmoid": Sigmoid, "tanh": Tanh, "ReLU": ReLU}
    controls = {
        "name": dropdown(list(layers), start, "activation"),
        "point": slider(point, -4.0, 4.0, 0.05, "x"),
    }

    checks = {}  # one figure per activation, its tangent moved in place

    def draw(name, point):
        if name not in checks:
            layer = layers[name]()

            def numerical(x):
                return numerical_backward(layers[name]().forward, x.copy(), np.ones_like(x))

            checks[name] = ActivationCheck(layer.forward, layer.backward, numerical, name=name)
            fixed_layout(checks[name].fig, ACTIVATION_MARGINS[name])
            fixed_ticks(*checks[name].fig.axes)
        return checks[name].update(point)

    return LiveFigure(draw, controls)


@collection_deferred()  # its first picture without a garbage collection (ui)
def ring_trainer(x_train, t_train, x_val, t_val, *, epochs_max: int = 500) -> LiveFigure:
    """Train a TwoLayerNet with the chosen settings and explain the result: decision regions,
    hidden neurons' lines and loss curve, with training and validation accuracy in the title.

    Each hidden size, learning rate and initial W std is one run, trained in slices and
    remembered (see nnscratch.widgets.runs): a new setting shows its first epochs at once and
    the rest as they are trained; the epochs slider moves through the run without training.
    """
    from nnscratch.evaluation import accuracy
    from nnscratch.figures.labs import HiddenLines, run_figure
    from nnscratch.figures.training import TrainingFigure
    from nnscratch.i18n import _
    from nnscratch.network import TwoLayerNet
    from nnscratch.optim import SGD
    from nnscratch.widgets.runs import Run, Runs
    from nnscratch.widgets.ui import dropdown, int_slider

    controls = {
        # a new hidden size is a new run: on release (a drag would start one per value)
        "hidden_size": int_slider(3, 1, 16, "hidden size", continuous_update=False),
        "lr": dropdown([0.1, 0.3, 1.0, 3.0, 10.0], 1.0, "learning rate"),
        "weight_std": dropdown([0.01, 1.0], 1.0, "initial W std"),
        "epochs": int_slider(200, 50, epochs_max, "epochs", step=50),
    }

    def new_run(hidden_size, lr, weight_std):
        def make_net():
            return TwoLayerNet(2, hidden_size, t_train.shape[1], weight_std=weight_std, rng=0)

        return Run(
            make_net, x_train, t_train, SGD(lr=lr), epochs_max=epochs_max, batch_size=30, seed=0
        )

    runs = Runs(new_run)
    picture = hidden = None  # one figure (and its hidden lines), updated in place

    def draw(hidden_size, lr, weight_std, epochs):
        nonlocal picture
        run, epoch, done = runs.step((hidden_size, lr, weight_std), epochs)
        net, history = run.at(epoch)
        W1, b1 = net.params[0], net.params[1]
        title = (
            f"hidden {hidden_size}, lr {lr:g}, W std {weight_std:g}, {epoch} epochs: accuracy "
            f"{accuracy(net.predict(x_train), t_train):.2f} training, "
            f"{accuracy(net.predict(x_val), t_val):.2f} validation"
        ) + ("" if done else " · " + _("training…"))
        label = W1.shape[1] <= 6  # more labels than that crowd the plane
        if picture is None:

            def first(predict, history, epochs, title):
                nonlocal hidden
                fig = run_figure(
                    predict, W1, b1, x_train, t_train, history, epochs=epochs, title=title,
                    lines=False,  # drawn by lines kept alive
                )  # fmt: skip
                hidden = HiddenLines(fig.axes[0])
                hidden.update(W1, b1, label=label)
                return fig

            picture = TrainingFigure(None, None, first=first, margins=RUN_MARGINS)
        picture.extra = lambda ax: hidden.update(W1, b1, label=label)
        return picture.update(net.predict, history, epochs=epochs_max, title=title)

    return LiveFigure(draw, controls, columns=2, pending=runs.going_on)
