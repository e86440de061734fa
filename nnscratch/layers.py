"""Layers with the book's contract: params, grads, forward, backward.

Layers without weights carry empty lists so models and optimizers need no special cases.
Gradients are written into grads in place: a model's gathered grads list aliases them.
"""

import numpy as np

from nnscratch.functions import cross_entropy_error, sigmoid, softmax


class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x any shape -> y = 1 / (1 + e^(-x)), same shape."""
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        """dout (same shape as y) -> dx = dout * y (1 - y), from the y kept by forward."""
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        """W (D, H), b (H,). params holds these very arrays (no copies)."""
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        """x (N, D) -> x W + b, (N, H)."""
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        """dout (N, H) -> dx (N, D); writes dW (D, H) and db (H,) into grads."""
        W, b = self.params
        dx = dout @ W.T
        dW = self.x.T @ dout
        db = np.sum(dout, axis=0)  # b was repeated for all N rows, so its gradients add up
        self.grads[0][...] = dW  # in place: the model's gathered list aliases these arrays
        self.grads[1][...] = db
        return dx


class SoftmaxWithLoss:
    """Softmax followed by cross entropy, fused because the backward of the pair is so simple."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        """Scores x (N, C), t one-hot (N, C) or labels (N,) -> mean loss (float)."""
        self.y = softmax(x)
        self.t = np.asarray(t)
        return cross_entropy_error(self.y, self.t)

    @property
    def labels(self):
        """The true class of each sample, (N,): t itself, or the argmax of a one-hot t."""
        return self.t.argmax(axis=1) if self.t.shape == self.y.shape else self.t

    def backward(self, dout=1):
        """-> dx (N, C) = (y - t_onehot) * dout / N."""
        N = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(N), self.labels] -= 1  # y - t: t_onehot is 1 at the true class only
        dx *= dout / N
        return dx
