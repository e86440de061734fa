"""Chapter 7's new exercises: predictions, and L2 weight decay in Affine's gradient."""

import numpy as np

from tests.verdicts import fails_with, passes


def test_predictions():
    passes("training.predict_rebind", False)
    fails_with("training.predict_rebind", True, "new array")
    passes("training.predict_dx_shape", (30, 2))
    fails_with("training.predict_dx_shape", (30, 3), "all the way back")


class DecayAffine:
    def __init__(self, W, b, decay):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.decay = decay

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout + self.decay * W
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


def with_dW(dW, decay_bias=False):
    def backward(self, dout):
        W, b = self.params
        self.grads[0][...] = dW(self.x, W, dout, self.decay)
        self.grads[1][...] = np.sum(dout, axis=0) + (self.decay * b if decay_bias else 0)
        return dout @ W.T

    return type("DecayAffine", (DecayAffine,), {"backward": backward})


def test_right_answer():
    passes("training.DecayAffine", DecayAffine)


def test_wrong_derivations():
    fails_with("training.DecayAffine", with_dW(lambda x, W, d, k: x.T @ d), "decay·W")
    fails_with(
        "training.DecayAffine", with_dW(lambda x, W, d, k: x.T @ d + k * W / 2), "cancels the 2"
    )
    fails_with(
        "training.DecayAffine", with_dW(lambda x, W, d, k: x.T @ d + k * W**2), "not decay·W²"
    )
    fails_with("training.DecayAffine", with_dW(lambda x, W, d, k: x.T @ d - k * W), "+decay·W")
    fails_with("training.DecayAffine", with_dW(lambda x, W, d, k: x.T @ d + k * W, True), "bias")


def test_rebinding_grads_is_caught():
    class Rebinds(DecayAffine):
        def backward(self, dout):
            W, _ = self.params
            self.grads = [self.x.T @ dout + self.decay * W, np.sum(dout, axis=0)]
            return dout @ W.T

    result = fails_with("training.DecayAffine", Rebinds, "")
    assert "in place" in str(result) or "grads" in str(result)
