"""Numerical derivatives, the oracle every backward pass is checked against, and gradient checks.

numerical_diff and numerical_gradient are Chapter 3's; numerical_backward, relative_error and the
check_* functions are Chapter 6's gradient checking: run the analytic backward once, measure every
gradient numerically, return {name: relative error}. Below about 1e-7 the backward is right;
around 1e-2 or more it is wrong.
"""

from __future__ import annotations

import numpy as np


def numerical_diff(f, x, h=1e-4):
    """Central difference (f(x + h) - f(x - h)) / 2h for a scalar x."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-4):
    """Gradient of the scalar f(x) with respect to the float array x; same shape as x.

    x is perturbed in place, one element at a time, so f may close over x (or over a
    model holding x) instead of taking it as an argument. Every element is restored.
    """
    grad = np.zeros(x.shape, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old  # restore exactly: the caller's array must come back unchanged
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_backward(forward, x, dout, h=1e-4):
    """What backward(dout) must return for a layer whose forward is `forward`, found by numbers.

    x (any shape), dout (shape of forward(x)) -> dx (shape of x). The trick: the scalar
    L(x) = sum(forward(x) * dout) has dL/dy = dout, so its gradient dL/dx is exactly the
    backward pass of the layer with upstream gradient dout. x is restored afterwards.
    """
    x = np.asarray(x, dtype=float)
    return numerical_gradient(lambda v: float(np.sum(forward(v) * dout)), x, h)


def relative_error(a, b):
    """max |a - b| / (|a| + |b|), elementwise; 1e-8 floors the denominator where both are 0.

    About 1e-7 or less: the backward is right. Around 1e-2 or more: it is wrong somewhere.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


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
