"""More activation layers (Lab 2): ReLU, Tanh and a Softmax layer of its own.

Same contract as nnscratch.layers: params and grads (empty lists: no weights), forward(x),
backward(dout). Each backward keeps to what forward remembered, as the book's layers do.
"""

import numpy as np

from nnscratch.functions import softmax


class ReLU:
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        """x any shape -> max(0, x), same shape; remembers where x > 0."""
        self.mask = x > 0
        return np.where(self.mask, x, 0.0)  # a new array: the caller's x is left alone

    def backward(self, dout):
        """dout (same shape as x) -> dx: dout where x was positive, 0 elsewhere."""
        return np.where(self.mask, dout, 0.0)


class Tanh:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x any shape -> tanh(x), same shape, values in (-1, 1)."""
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        """dout (same shape as y) -> dx = dout * (1 - y^2): d tanh(x)/dx = 1 - tanh(x)^2."""
        return dout * (1.0 - self.out**2)


class Softmax:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """Scores x (N, C) -> probabilities (N, C), each row summing to 1."""
        self.out = softmax(x)
        return self.out

    def backward(self, dout):
        """dout (N, C) -> dx (N, C), dx_k = y_k (dout_k - sum_j dout_j y_j), row by row.

        Every output y_j depends on every input x_k (they share the denominator), so the
        gradient of one input collects a term from every output: the sum.
        """
        y = self.out
        return y * (dout - np.sum(dout * y, axis=-1, keepdims=True))
