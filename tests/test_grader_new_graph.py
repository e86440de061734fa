"""Chapter 5's new exercises: predictions, and a Divide node derived by hand."""

import numpy as np

from tests.verdicts import fails_with, fails_without_hint, passes


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


def test_a_divide_in_float32_is_told_to_compute_in_float64():
    # The derivative is held to rounding error (a numerical gradient must fail): float32 is
    # right only to about 1e-7, and the message says so, with no hint.
    class Float32Divide(Divide):
        def backward(self, dout):
            y = np.float32(self.y)
            return np.float32(dout) / y, -np.float32(dout) * np.float32(self.x) / y**2

    result = fails_without_hint("graph.Divide", Float32Divide)
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)
