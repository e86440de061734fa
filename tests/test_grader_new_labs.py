"""The labs' new derivations: log-sum-exp's gradient (Lab 1), ELU (Lab 2), a binary loss (Lab 3)."""

import numpy as np

from tests.verdicts import fails_with, passes


def stable_softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_logsumexp_grad():
    passes("lab1.logsumexp_grad", stable_softmax)
    fails_with("lab1.logsumexp_grad", lambda s: np.exp(s), "divides it")
    fails_with(
        "lab1.logsumexp_grad",
        lambda s: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True),
        "overflowed",
    )
    fails_with(
        "lab1.logsumexp_grad",
        lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum(axis=0, keepdims=True),
        "axis=1",
    )


class ELU:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.x = x
        self.out = np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)
        return self.out

    def backward(self, dout):
        return dout * np.where(self.x > 0, 1.0, self.out + 1)


def elu_with(backward):
    return type("ELU", (ELU,), {"backward": backward})


def test_elu():
    passes("lab2.ELU", ELU)
    passes("lab2.ELU", elu_with(lambda s, d: np.where(s.x > 0, d, d * np.exp(s.x))))
    fails_with("lab2.ELU", elu_with(lambda s, d: d * (s.x > 0)), "ReLU's backward")
    fails_with("lab2.ELU", elu_with(lambda s, d: d * np.where(s.x > 0, 1.0, s.out)), "y + 1")
    fails_with("lab2.ELU", elu_with(lambda s, d: np.where(s.x > 0, 1.0, s.out + 1)), "dout")


class SigmoidWithLoss:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = 1 / (1 + np.exp(-x)), t
        return -np.mean(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))

    def backward(self, dout=1):
        return (self.y - self.t) * dout / len(self.t)


def bce_with(backward):
    return type("SigmoidWithLoss", (SigmoidWithLoss,), {"backward": backward})


def test_sigmoid_with_loss():
    passes("lab3.SigmoidWithLoss", SigmoidWithLoss)
    fails_with(
        "lab3.SigmoidWithLoss", bce_with(lambda s, d=1: (s.y - s.t) * d), "N times too large"
    )
    fails_with("lab3.SigmoidWithLoss", bce_with(lambda s, d=1: (s.t - s.y) * d / len(s.t)), "sign")
    fails_with(
        "lab3.SigmoidWithLoss",
        bce_with(lambda s, d=1: (s.y - s.t) * s.y * (1 - s.y) * d / len(s.t)),
        "already inside",
    )
    fails_with("lab3.SigmoidWithLoss", bce_with(lambda s, d=1: (s.y - s.t) / len(s.t)), "dout")
