"""Repeated calls whose arguments change: a layer or optimizer that keeps what it saw first
(labels, an input, a params list) is right on one call and wrong on the next. Each fails the
case that calls it twice; no hint names a mistake (the observation says what differed)."""

import numpy as np
import pytest

from nnscratch.functions import cross_entropy_error, softmax
from tests.hint_tables import assert_fails_with_only


class SGDCache:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.params = None

    def update(self, params, grads):
        if self.params is None:
            self.params = params
        for p, g in zip(self.params, grads):
            p -= self.lr * g


class SWLCacheT:
    def __init__(self):
        self.params, self.grads = [], []
        self.t = None

    def forward(self, x, t):
        if self.t is None:
            self.t = t
        self.y = softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        N = len(self.y)
        t = self.t if self.t.ndim == 1 else self.t.argmax(axis=1)
        dx = self.y.copy()
        dx[np.arange(N), t] -= 1
        return dx * dout / N


class SigCache:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        if self.out is None:
            self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class AffCacheX:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        if self.x is None:
            self.x = x
        W, b = self.params
        return x @ W + b

    def backward(self, dout):
        W, b = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(0)
        return dout @ W.T


class MSECache:
    def __init__(self):
        self.params, self.grads = [], []
        self.t = None

    def forward(self, x, t):
        if self.t is None:
            self.t = t
        self.x = x
        return 0.5 * np.sum((x - self.t) ** 2) / len(x)

    def backward(self, dout=1):
        return (self.x - self.t) * dout / len(self.x)


class BinCache:
    def __init__(self):
        self.params, self.grads = [], []
        self.t = None

    def forward(self, x, t):
        if self.t is None:
            self.t = t
        self.y = 1 / (1 + np.exp(-x))
        t = self.t
        return -np.mean(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))

    def backward(self, dout=1):
        return (self.y - self.t) * dout / len(self.t)


TABLE = [
    ("training.SGD", SGDCache, None),
    ("backprop.SoftmaxWithLoss", SWLCacheT, None),
    ("loss.SoftmaxWithLoss", SWLCacheT, None),
    ("backprop.Sigmoid", SigCache, None),
    ("backprop.Affine", AffCacheX, "still uses what its first forward stored"),
    ("backprop.MeanSquaredLoss", MSECache, None),
    ("lab3.SigmoidWithLoss", BinCache, None),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_what_was_kept_from_the_first_call_fails_the_second(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
