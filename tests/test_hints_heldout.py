"""Wrong answers from issue 11's held-out sets (Chapters 1-4, Labs 1-2) that no table held:
written as learners write them, each with the one hint it must show and no other."""

import numpy as np
import pytest

from nnscratch.functions import cross_entropy_error, softmax
from tests.hint_tables import assert_fails_with_only


class SoftmaxLossDownTheColumns:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        return cross_entropy_error(e / e.sum(axis=0, keepdims=True), t)


def gradient_moving_everything(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        grad[idx] = (f(x + h) - f(x - h)) / (2 * h)  # x + h moves every element
    return grad


def chain_backward_from_zeros(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = np.zeros(len(steps) + 1)  # dz/dz is never set to 1
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


def chain_derivative_added(steps, x):
    d = 1.0
    for f, df in steps:
        d += df(x)
        x = f(x)
    return d


def confusion_fractions(labels, predicted, n_classes):
    m = np.zeros((n_classes, n_classes))
    for i, j in zip(labels, predicted):
        m[i, j] += 1
    return m / m.sum(axis=1, keepdims=True)


def logsumexp_grad_whole_batch(s):
    e = np.exp(s - s.max())
    return e / e.sum()


class SoftmaxSumWithoutAxis:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.out = softmax(x)
        return self.out

    def backward(self, dout):
        return self.out * (dout - np.sum(dout * self.out))


TABLE = [
    ("loss.SoftmaxWithLoss", SoftmaxLossDownTheColumns, "`axis=0` runs down the columns"),
    ("gradients.numerical_gradient", gradient_moving_everything, "moving every element at once"),
    ("chain_rule.composite", lambda x: 6 * x * (x**2 + 1), "3y², not 3y"),
    ("chain_rule.chain_derivative", chain_derivative_added, "adding them gives something else"),
    ("chain_rule.chain_backward", chain_backward_from_zeros, "starts from dz/dz = 1"),
    ("lab1.confusion_matrix", confusion_fractions, "the matrix holds counts"),
    ("lab1.logsumexp_grad", logsumexp_grad_whole_batch, "divide each row by its own sum"),
    ("lab2.Softmax", SoftmaxSumWithoutAxis, "without an axis adds up the whole batch"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_held_out_slip_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
