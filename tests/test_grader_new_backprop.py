"""Chapter 6's new exercises: predictions, and a mean-squared-error loss layer."""

import numpy as np

from tests.verdicts import fails_with, passes


def test_predictions():
    passes("backprop.predict_db_shape", (2,))
    passes("backprop.predict_db_shape", [2])
    fails_with("backprop.predict_db_shape", (5, 2), "summed over the batch")
    passes("backprop.predict_fused_gradient", -1)
    passes("backprop.predict_fused_gradient", -0.999)
    fails_with("backprop.predict_fused_gradient", 1.0, "probabilities minus labels")


class MeanSquaredLoss:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        return 0.5 * np.sum((x - t) ** 2) / len(x)

    def backward(self, dout=1):
        return (self.x - self.t) * dout / len(self.x)


class MeanSquaredLossStoresDiff(MeanSquaredLoss):
    def forward(self, x, t):
        self.diff = x - t
        return 0.5 * np.mean(np.sum(self.diff**2, axis=1))

    def backward(self, dout=1):
        return dout * self.diff / self.diff.shape[0]


def with_backward(backward):
    return type("MeanSquaredLoss", (MeanSquaredLoss,), {"backward": backward})


def test_right_answers():
    passes("backprop.MeanSquaredLoss", MeanSquaredLoss)
    passes("backprop.MeanSquaredLoss", MeanSquaredLossStoresDiff)


def test_wrong_derivations():
    N = lambda s: len(s.x)
    fails_with(
        "backprop.MeanSquaredLoss",
        with_backward(lambda s, d=1: (s.x - s.t) * d),
        "N times too large",
    )
    fails_with(
        "backprop.MeanSquaredLoss",
        with_backward(lambda s, d=1: 2 * (s.x - s.t) * d / N(s)),
        "cancel the 2",
    )
    fails_with(
        "backprop.MeanSquaredLoss",
        with_backward(lambda s, d=1: (s.t - s.x) * d / N(s)),
        "sign is flipped",
    )
    fails_with(
        "backprop.MeanSquaredLoss",
        with_backward(lambda s, d=1: (s.x - s.t) * d / s.x.size),
        "not by N·C",
    )
    fails_with("backprop.MeanSquaredLoss", with_backward(lambda s, d=1: (s.x - s.t) / N(s)), "dout")
    fails_with(
        "backprop.MeanSquaredLoss",
        with_backward(lambda s, dout: (s.x - s.t) * dout / N(s)),
        "default value",
    )
