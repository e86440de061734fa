"""Gradient checks of whole layers and networks: one relative error per gradient.

Each function runs the analytic backward once, then measures every gradient numerically
(nnscratch.gradcheck) and returns {name: relative error}. Below about 1e-7 the backward is
right; around 1e-2 or more it is wrong.
"""

from __future__ import annotations

import numpy as np

from nnscratch.gradcheck import numerical_backward, relative_error
from nnscratch.gradients import numerical_gradient


def check_layer(layer, x, dout, names=None) -> dict[str, float]:
    """A layer with forward(x) and backward(dout): dx and the gradient of every param.

    x (any shape), dout (shape of forward(x)). names: one per param (default "grads[i]").
    The numerical side differentiates L = sum(forward(x) * dout), whose dL/d(output) is dout.
    """
    x = np.array(x, dtype=float)
    layer.forward(x)
    analytic = [layer.backward(np.array(dout, dtype=float))] + [np.array(g) for g in layer.grads]

    def L(_):
        return float(np.sum(layer.forward(x) * dout))

    numeric = [numerical_backward(layer.forward, x, dout)]
    numeric += [numerical_gradient(L, p) for p in layer.params]  # each param nudged in place
    names = ["dx", *(names or [f"grads[{i}]" for i in range(len(layer.params))])]
    return {n: relative_error(a, b) for n, a, b in zip(names, analytic, numeric)}


def check_loss_layer(layer, x, t) -> dict[str, float]:
    """A loss layer with forward(x, t) -> loss and backward(dout=1) -> dx: {"dx": error}."""
    x = np.array(x, dtype=float)
    layer.forward(x, t)
    dx = layer.backward()
    return {"dx": relative_error(dx, numerical_gradient(lambda v: layer.forward(v, t), x))}


def check_network(net, x, t, names=None) -> dict[str, float]:
    """A model with forward(x, t) -> loss, backward(), params and grads: every parameter.

    names: one per parameter (default "params[i]"), e.g. ("W1", "b1", "W2", "b2").
    """
    net.forward(x, t)
    net.backward()
    analytic = [np.array(g) for g in net.grads]  # copies: the numerical runs call forward again
    numeric = [numerical_gradient(lambda _: net.forward(x, t), p) for p in net.params]
    names = names or [f"params[{i}]" for i in range(len(net.params))]
    return {n: relative_error(a, b) for n, a, b in zip(names, analytic, numeric)}
