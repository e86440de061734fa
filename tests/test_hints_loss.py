"""Chapter 2: more wrong answers, each with the one hint it must show (None: no hint).
Together with tests/test_grader_loss.py, every exercise has at least 8."""

import numpy as np
import pytest

from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from tests.hint_tables import assert_fails_with_only

RETURN = "is a `return` missing"


class GoodLayer:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        return cross_entropy_error(self.y, t)


class WithoutInit(GoodLayer):
    def __init__(self):
        pass


class DividedTwice(GoodLayer):
    def forward(self, x, t):
        return cross_entropy_error(softmax(x), t) / len(x)


class ForwardNoReturn(GoodLayer):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        self.loss = cross_entropy_error(self.y, t)


class SigmoidInstead(GoodLayer):
    def forward(self, x, t):
        return cross_entropy_error(sigmoid(x), t)


class OneHotOnly(GoodLayer):
    def forward(self, x, t):
        return -np.sum(t * np.log(softmax(x) + 1e-7)) / len(x)


class Swapped(GoodLayer):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        return cross_entropy_error(self.t, self.y)


def one_hot_cross_entropy(y, t):
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


class SwappedOwnFormula(GoodLayer):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        return one_hot_cross_entropy(t, self.y)


TABLE = [
    ("loss.SoftmaxWithLoss", WithoutInit, "every layer carries a params list"),
    ("loss.SoftmaxWithLoss", DividedTwice, None),  # observed: 1/N times the right value
    ("loss.SoftmaxWithLoss", ForwardNoReturn, RETURN),
    ("loss.SoftmaxWithLoss", SigmoidInstead, None),
    ("loss.SoftmaxWithLoss", OneHotOnly, "t holds label indices here"),  # t * log(y): (N,) (N, C)
    ("loss.SoftmaxWithLoss", Swapped, "trade places"),
    ("loss.SoftmaxWithLoss", SwappedOwnFormula, "trade places"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
