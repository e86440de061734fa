"""Wrong answers whose outputs a known mistake shares on some case (zeros, NaN, a right value),
though the code does not make that mistake: each shows only its own hint, or none."""

import numpy as np
import pytest

from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.grader import check
from tests.hint_tables import assert_only_hint


def numerical_by_rows(forward, x, dout, h=1e-4):
    """Nudges a whole row at once: on softmax, whose rows sum to 1, every slope is 0."""
    dx = np.zeros_like(x)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        up = np.sum(forward(x) * dout)
        x[i] = old - h
        down = np.sum(forward(x) * dout)
        x[i] = old
        dx[i] = (up - down) / (2 * h)
    return dx


def numerical_never_filled(forward, x, dout):
    dx = np.zeros_like(x)
    return dx


def numerical_shortcut(forward, x, dout, h=1e-4):
    """dout times the slope of sum(forward): right for elementwise layers only."""
    slope = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = np.sum(forward(x))
        x[i] = old - h
        down = np.sum(forward(x))
        x[i] = old
        slope[i] = (up - down) / (2 * h)
    return dout * slope


class LossWithOneMax:
    """One max for the whole batch: right row by row, NaN for rows far apart."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        e = np.exp(x - np.max(x))
        return cross_entropy_error(e / e.sum(axis=1, keepdims=True), t)


class LossWithoutShift:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        e = np.exp(x)
        return cross_entropy_error(e / e.sum(axis=1, keepdims=True), t)


class AffineWithoutBias:
    def __init__(self, W, b):
        self.params = [W, b]

    def forward(self, x):
        return x @ self.params[0]


def softmax_layer(backward):
    class Softmax:
        def __init__(self):
            self.params, self.grads = [], []

        def forward(self, x):
            self.out = softmax(x)
            return self.out

    Softmax.backward = backward
    return Softmax


TABLE = [
    ("lab2.numerical_backward", numerical_by_rows, "nudging a whole row"),  # not where zeros
    ("lab2.numerical_backward", numerical_never_filled, None),
    ("lab2.numerical_backward", numerical_shortcut, "elementwise layer"),
    ("loss.SoftmaxWithLoss", LossWithOneMax, "one max for the whole batch"),
    ("loss.SoftmaxWithLoss", LossWithoutShift, "np.exp overflows"),
    ("inference.sigmoid", lambda x: np.exp(-x) / (1 + np.exp(-x)), "that is sigmoid(-x)"),
    ("chain_rule.sigmoid_grad", lambda x: sigmoid(x) * (1 - x), "mixes the output y"),
    ("inference.Affine", AffineWithoutBias, "don't forget the bias"),
    (
        "lab2.Softmax",
        softmax_layer(lambda self, d: d * self.out - np.sum(d * self.out, axis=1, keepdims=True)),
        "the sum term is multiplied by y too",
    ),
]


@pytest.mark.parametrize("exercise_id,obj,hint", TABLE)
def test_only_the_mistake_made_is_named(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)


def test_zeros_from_a_case_are_observed_not_diagnosed():
    result = check("lab2.numerical_backward", numerical_by_rows)
    assert any("it is all zeros" in o.message for o in result.outcomes), str(result)


def test_a_bias_left_out_is_observed_row_by_row():
    result = check("inference.Affine", AffineWithoutBias)
    assert any("every row is off by the same values" in o.message for o in result.outcomes)
