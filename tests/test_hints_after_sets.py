"""Issue 11: two misnamings found by held-out set I, each fixed as a general rule: an integer
gradient near the exact tolerance is not "as close as a numerical difference gets", and an
error the check meets using what the learner returned gets no hint about the learner's own
lines (`math.exp`, `float()`)."""

import numpy as np

from nnscratch.grader import check
from nnscratch.network import TwoLayerNet


class MatMulWithIntegerGrads:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros(W.shape, dtype=int)]  # the slip: dW keeps whole numbers only
        self.x = None

    def forward(self, x):
        (W,) = self.params
        self.x = x
        return x @ W

    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout
        return dout @ W.T


def test_whole_numbers_are_not_taken_for_a_numerical_difference():
    result = check("graph.MatMul", MatMulWithIntegerGrads)
    assert not result.passed
    messages = [o.message for o in result.outcomes if not o.passed]
    assert all("fraction cut off" in m for m in messages), str(result)
    assert not any("as close as a numerical difference gets" in m for m in messages), str(result)


class ForwardReturnsScores(TwoLayerNet):
    def forward(self, x, t):
        scores = self.predict(x)
        self.loss_layer.forward(scores, t)
        return scores  # the slip: the scores, not the loss


def test_an_error_the_check_meets_gets_no_hint_about_the_learners_own_lines():
    result = check("training.TwoLayerNet", ForwardReturnsScores)
    assert not result.passed
    assert not any("math.exp" in (o.hint or "") for o in result.outcomes), str(result)
    assert any("single number" in (o.message or "") for o in result.outcomes), str(result)


class SigmoidOverflows:
    """σ(x) as e^x / (1 + e^x): right on paper, NaN where np.exp(x) overflows (held-out set I
    found it passing backprop.Sigmoid, which had no large scores)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.out = np.exp(x) / (1 + np.exp(x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class SigmoidStable:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


def test_a_sigmoid_layer_that_overflows_fails_and_the_stable_one_passes():
    result = check("backprop.Sigmoid", SigmoidOverflows)
    assert not result.passed
    assert any("NaN" in (o.message or "") for o in result.outcomes), str(result)
    assert check("backprop.Sigmoid", SigmoidStable).passed
