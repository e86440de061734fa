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
        """x any shape -> same shape."""
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        """dy/dx = y (1 - y), using the output kept by forward."""
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        """W (D, H), b (H,). params holds these very arrays (no copies)."""
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        """x (N, D) -> (N, H); a single sample (D,) -> (H,)."""
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        """dout (N, H) -> dx (N, D); fills grads with dW (D, H) and db (H,)."""
        W, _ = self.params
        x = self.x
        if x.ndim != 2:  # one sample (D,), or more axes (N, T, D): rows of D features each
            x, dout = x.reshape(-1, W.shape[0]), dout.reshape(-1, W.shape[1])
        self.grads[0][...] = x.T @ dout  # in place: the model's list aliases this array
        self.grads[1][...] = dout.sum(axis=0)  # the bias was repeated N times: sum back
        return (dout @ W.T).reshape(self.x.shape)


class SoftmaxWithLoss:
    """Softmax followed by cross entropy, fused because the backward of the pair is so simple."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None
        self.labels = None

    def forward(self, x, t):
        """Scores x (N, C), t one-hot (N, C) or labels (N,) -> mean loss (float)."""
        self.y = softmax(x)
        self.t = np.asarray(t)
        self.labels = self.t.argmax(axis=-1) if self.t.shape == self.y.shape else self.t
        return cross_entropy_error(self.y, self.labels)

    def backward(self, dout=1):
        """-> dx (N, C) = (y - t_onehot) * dout / N."""
        y = self.y.reshape(-1, self.y.shape[-1])
        N = y.shape[0]
        if self.t.shape == self.y.shape:  # t is one-hot already
            return np.subtract(self.y, self.t, dtype=y.dtype) * (dout / N)
        dx = y.copy()
        dx[np.arange(N), np.reshape(self.labels, -1)] -= 1
        dx *= dout / N
        return dx.reshape(self.y.shape)
