"""The network's elementwise and row-wise functions, written once for the whole course."""

import numpy as np


def sigmoid(x):
    """Logistic sigmoid, elementwise: x any shape -> same shape, values in (0, 1).

    For x < -709, np.exp(-x) overflows to inf (NumPy warns) and 1 / (1 + inf) is 0, the right
    limit, as Chapter 1 explains.
    """
    return 1 / (1 + np.exp(-x))


def softmax(x):
    """Scores x (C,) or (N, C) -> probabilities of the same shape; each row sums to 1."""
    x = np.asarray(x)
    # Subtracting each row's own maximum changes nothing mathematically but keeps exp() <= 1.
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t, delta=1e-7):
    """Mean cross entropy of probabilities y (N, C) against t -> a float.

    t is one-hot (N, C) or labels (N,); a single sample, y (C,) with t (C,) or a label, is a
    batch of one. delta keeps log() finite when the true class has probability exactly 0.
    """
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.shape == y.shape:
        t = t.argmax(axis=1)  # one-hot -> label index
    N = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(N), t] + delta)) / N)
