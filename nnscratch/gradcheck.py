"""Gradient checking for layers: the numerical backward of any forward, and relative error."""

import numpy as np

from nnscratch.gradients import numerical_gradient


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
