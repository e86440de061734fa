"""A broadcast error is evidence of one slip only when its shapes are that slip's shapes:
(N, C) against (N,) is one value per row lined up with the columns (a lost axis, or labels
against probabilities); other shapes get no such hint. Also the four wrong answers that a
held-out set got past the checks."""

import numpy as np
import pytest

from nnscratch import layers
from nnscratch.functions import cross_entropy_error, softmax
from nnscratch.planted import PlantedNet
from nnscratch.spec import ONE_PER_ROW
from tests.hint_tables import assert_fails_with_only


@pytest.mark.parametrize(
    "a,b,matches",
    [((4, 3), (4,), True), ((4,), (4, 3), True), ((3, 4), (4, 1), False), ((3,), (5,), False)],
)
def test_one_per_row_names_only_its_own_shapes(a, b, matches):
    import re

    with pytest.raises(ValueError) as error:
        np.ones(a) * np.ones(b)
    assert bool(re.search(ONE_PER_ROW, str(error.value))) == matches


def affine_bias_as_column(x, W, b):
    return np.dot(x, W) + b.reshape(-1, 1)


def affine_elementwise(x, W, b):
    return np.multiply(x, W) + b


def accuracy_down_the_columns(scores, t):
    t = np.asarray(t)
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    return (np.argmax(scores, axis=0) == t).mean()


def softmax_without_keepdims(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


class KeepsScores:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y = x
        return cross_entropy_error(softmax(x), t)


class ForgetsY:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        return cross_entropy_error(softmax(x), t)


def backward_recomputing(steps, x):
    """Right values, but every value recomputed from x: f evaluated again and again."""
    values = []
    for k in range(len(steps)):
        v = x
        for f, _ in steps[:k]:
            v = f(v)
        values.append(v)
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values)):
        grads.insert(0, grads[0] * df(v))
    return grads


class MulByDivision:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y, self.out = x, y, x * y
        return self.out

    def backward(self, dout):
        return dout * self.out / self.x, dout * self.out / self.y


class ScoreLossWithoutDout:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx / len(self.t)


class FixedButDropsDout(PlantedNet):
    layer_classes = (layers.Affine, layers.Sigmoid, layers.Affine, ScoreLossWithoutDout)


TABLE = [
    ("inference.affine", affine_bias_as_column, "makes the bias a column"),
    ("inference.affine", affine_elementwise, "`*` multiplies element by element"),
    ("lab1.accuracy", accuracy_down_the_columns, "runs down the columns"),
    ("loss.softmax", softmax_without_keepdims, "keepdims"),
    ("loss.SoftmaxWithLoss", KeepsScores, "self.y holds the scores x"),
    ("loss.SoftmaxWithLoss", ForgetsY, None),
    ("chain_rule.chain_backward", backward_recomputing, None),
    ("graph.Mul", MulByDivision, None),
    ("backprop.planted_bugs", FixedButDropsDout, "must multiply by the upstream gradient"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_slip_fails_with_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
