"""The network's elementwise and row-wise functions, written once for the whole course."""

import numpy as np


def _floats(x):
    """x as a float array; float32 stays float32 (the speed experiment of Chapter 7)."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(float)


def sigmoid(x):
    """Logistic sigmoid, elementwise: any shape -> same shape, values in (0, 1)."""
    x = _floats(x)
    if x.ndim == 0:  # a single number
        return 0.5 * np.tanh(0.5 * x) + 0.5
    # 1 / (1 + e^(-x)) equals (1 + tanh(x / 2)) / 2. This form never overflows (e^(-x) does, for
    # x < -709, with a warning), and computed in one new array it is as fast as NumPy allows.
    y = x * 0.5
    np.tanh(y, out=y)
    y *= 0.5
    y += 0.5
    return y


def softmax(x):
    """Scores x (C,) or (N, C) -> probabilities of the same shape; each row sums to 1."""
    x = _floats(x)
    # Subtracting each row's own maximum changes nothing mathematically but keeps exp() <= 1.
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t, delta=1e-7):
    """Mean cross entropy of probabilities y (N, C) or (C,) against t.

    t is one-hot (same shape as y) or integer labels ((N,) or a scalar). Returns a float.
    delta keeps log() finite when the true class has probability exactly 0.
    """
    y, t = _floats(y), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.shape == y.shape:
        t = t.argmax(axis=1)  # one-hot -> label index
    N = y.shape[0]
    return float(-np.log(y[np.arange(N), t] + delta).sum() / N)
