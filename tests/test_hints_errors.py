"""Learners' exceptions that the feedback explains by what the exception itself shows: a value
that forward never stored (None in backward's arithmetic), a float where Python needs a whole
number, floats used as indices. Each wrong answer shows the one hint it must show."""

import numpy as np
import pytest

from nnscratch.functions import cross_entropy_error
from nnscratch.layers import softmax
from tests.hint_tables import assert_fails_with_only

STORED = "backward can only use what forward kept on `self`"
WHOLE_NUMBER = "a float was given where Python needs a whole number"
FLOAT_INDICES = "an array of floats was used as indices"


class MulNeverStores:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.y = None

    def forward(self, x, y):
        return x * y  # x and y are not kept for backward

    def backward(self, dout):
        return dout * self.y, dout * self.x


class MeanSquaredNeverStores:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.t = None

    def forward(self, x, t):
        return 0.5 * np.sum((x - t) ** 2) / len(x)

    def backward(self, dout=1):
        return dout * (self.x - self.t) / len(self.x)


def train_with_true_division(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        losses = []
        for i in range(len(x) / batch_size):  # the slip: / gives a float
            batch = order[i * batch_size : (i + 1) * batch_size]
            losses.append(model.forward(x[batch], t[batch]))
            model.backward()
            optimizer.update(model.params, model.grads)
        history.append(np.mean(losses))
    return history


class SoftmaxWithLossOneHotIndices:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.t, self.y = t, softmax(x)
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        N = len(self.t)
        dx = self.y.copy()
        dx[np.arange(N), self.t] -= 1  # one-hot t (floats) used as indices
        return dx * dout / N


TABLE = [
    ("graph.Mul", MulNeverStores, STORED),
    ("backprop.MeanSquaredLoss", MeanSquaredNeverStores, STORED),
    ("training.train", train_with_true_division, WHOLE_NUMBER),
    ("backprop.SoftmaxWithLoss", SoftmaxWithLossOneHotIndices, FLOAT_INDICES),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_an_exception_is_explained_by_what_it_shows(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
