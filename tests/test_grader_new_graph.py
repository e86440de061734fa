"""Chapter 5's new exercises: predictions, and a Divide node checked by numerical gradients."""

import numpy as np

from tests.verdicts import fails_with, passes


def test_predictions():
    passes("graph.predict_used_twice", 3)
    fails_with("graph.predict_used_twice", 2, "add up")
    passes("graph.predict_bias_grad", 2)
    fails_with("graph.predict_bias_grad", 1, "adds up the copies")


class Divide:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y**2


class DivideByReciprocal(Divide):
    def backward(self, dout):
        r = 1 / self.y
        return dout * r, -dout * self.x * r * r


def with_backward(backward):
    return type("Divide", (Divide,), {"backward": backward})


def test_right_answers():
    passes("graph.Divide", Divide)
    passes("graph.Divide", DivideByReciprocal)


def test_wrong_derivations():
    fails_with(
        "graph.Divide", with_backward(lambda s, d: (d / s.y, d * s.x / s.y**2)), "wrong sign"
    )
    fails_with("graph.Divide", with_backward(lambda s, d: (d / s.y, -d / s.y**2)), "factor x")
    fails_with("graph.Divide", with_backward(lambda s, d: (d / s.y, -d * s.x / s.y)), "square of y")
    fails_with("graph.Divide", with_backward(lambda s, d: (d * s.y, d * s.x)), "Mul's rule")
    fails_with(
        "graph.Divide", with_backward(lambda s, d: (-d * s.x / s.y**2, d / s.y)), "wrong order"
    )
    fails_with(
        "graph.Divide", with_backward(lambda s, d: (1 / s.y, -s.x / s.y**2)), "upstream gradient"
    )


def test_a_single_gradient_is_not_a_pair():
    result = fails_with_message(with_backward(lambda s, d: d / s.y))
    assert "return dx, dy" in result


def fails_with_message(cls):
    from nnscratch.grader import check

    result = check("graph.Divide", cls)
    assert not result.passed
    return str(result)


def test_float_inputs_dont_matter():
    class Float32Divide(Divide):
        def backward(self, dout):
            y = np.float32(self.y)
            return np.float32(dout) / y, -np.float32(dout) * np.float32(self.x) / y**2

    passes("graph.Divide", Float32Divide)
