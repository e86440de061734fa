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
        # Written into grads in place (out=): the model's list aliases these very arrays.
        np.matmul(x.T, dout, out=self.grads[0])  # dW = x^T dout
        dout.sum(axis=0, out=self.grads[1])  # db: the bias was repeated N times, so sum back
        return (dout @ W.T).reshape(self.x.shape)


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
        return self.t.argmax(axis=-1) if self.t.shape == self.y.shape else self.t

    def backward(self, dout=1):
        """-> dx (N, C) = (y - t_onehot) * dout / N."""
        y, t = self.y, self.t
        N = y.shape[0] if y.ndim > 1 else 1
        if t.shape == y.shape:  # t is one-hot
            dx = np.subtract(y, t, dtype=y.dtype)  # (float32 y stays float32 with int t)
        else:  # t holds labels: subtract 1 at each sample's true class
            dx = y.reshape(-1, y.shape[-1]).copy()
            dx[np.arange(dx.shape[0]), self.labels.reshape(-1)] -= 1
            dx = dx.reshape(y.shape)
        dx *= dout / N
        return dx
