"""Issue 11, a fifth round: slips from held-out sets G1 and G2 that got no hint, each now named
by its own implementation (a 1-D sample walked as rows, an (N, N) block of labels averaged, a
single label read as one-hot, f(x − h) evaluated at x, A·Aᵀ, (df, f) swapped, a backward sweep
one step short, softplus' mixed signs, dx from dW, a mean squared loss without its ½ over N·C,
a network's backward returning the scores' gradient, 1/Σe^(s − max), a one-sided difference
with a large h, and two predictions of dL/db). Each wrong answer is written as learners write
it, in words of its own, and shows the one hint it must show and no other mistake's hint;
right answers written in other ways still pass."""

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.network import TwoLayerNet
from tests.hint_tables import assert_only_hint

# Chapter 2


def softmax_row_by_row(x):
    """Each row on its own, which on a single sample (C,) walks the scores one by one."""
    rows = [np.exp(r - r.max()) / np.exp(r - r.max()).sum() for r in x]
    return np.array(rows)


def cross_entropy_block_mean(y, t):
    if y.ndim == 1:
        y = y[np.newaxis, :]
        t = np.reshape(t, (1, -1)) if np.size(t) == y.size else np.reshape(t, (1,))
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    picked = y[:, t]  # every row at every sample's label
    return -np.log(picked + 1e-7).mean()


def cross_entropy_label_as_row(y, t):
    if y.ndim == 1:
        y = y[None, :]
        t = np.reshape(t, (1, -1))  # a label k becomes [[k]]
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    n = len(y)
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n


# Chapter 3


def numerical_gradient_restored_early(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for k in range(x.size):
        i = np.unravel_index(k, x.shape)
        keep = float(x[i])
        x[i] = keep + h
        up = f(x)
        x[i] = keep  # put back before the second evaluation: f at x, not at x - h
        down = f(x)
        grad[i] = (up - down) / (2 * h)
    return grad


# Chapter 4


def chain_derivative_roles_swapped(steps, x):
    slope = 1.0
    for f, df in steps:
        slope *= f(x)  # the function's value where its derivative belongs
        x = df(x)
    return slope


def chain_backward_one_short(steps, x):
    vals = [x]
    for f, _ in steps:
        vals.append(f(vals[-1]))
    n = len(steps)
    grads = np.ones(n + 1)
    k = n - 2  # starts one step too early
    while k >= 0:
        grads[k] = grads[k + 1] * steps[k][1](vals[k])
        k -= 1
    return list(grads)


# Chapter 5


class MatMulDxFromGrads:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.params[0])

    def backward(self, dout):
        self.grads[0][...] = np.dot(self.x.T, dout)
        return np.dot(dout, self.grads[0].T)


# Chapter 6


class MeanSquaredOverEverything:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        d = x - t
        return float(np.sum(d * d) / d.size)

    def backward(self, dout=1):
        return dout * (self.x - self.t) / self.x.shape[0]


# Chapter 7


class NetReturnsLossGradient(TwoLayerNet):
    def backward(self, dout=1):
        g = self.loss_layer.backward(dout)
        upstream = g
        for layer in self.layers[::-1]:
            upstream = layer.backward(upstream)
        return g


# Labs


def logsumexp_grad_log_only(s):
    shifted = s - np.max(s, axis=-1, keepdims=True)
    total = np.exp(shifted).sum(axis=-1, keepdims=True)
    return np.ones_like(s) / total


def forward_difference_with(h):
    def numerical_backward(forward, x, dout):
        def loss():
            return np.sum(forward(x) * dout)

        here = loss()
        dx = np.zeros(x.shape)
        for i in np.ndindex(*x.shape):
            keep = x[i]
            x[i] = keep + h
            dx[i] = (loss() - here) / h
            x[i] = keep
        return dx

    return numerical_backward


SLIPS = [
    ("loss.softmax", softmax_row_by_row, "every entry came out 1"),
    ("loss.cross_entropy_error", cross_entropy_block_mean, "takes every row at every sample's"),
    ("loss.cross_entropy_error", cross_entropy_label_as_row, "the loss is that of class 0"),
    (
        "gradients.numerical_gradient",
        numerical_gradient_restored_early,
        "the second evaluation is at x itself",
    ),
    ("gradients.quadratic_grad", lambda A, x: A.dot(A.T.dot(x)), "multiplied together"),
    ("gradients.quadratic_grad", lambda A, x: np.dot(A.T, A) @ x, "multiplied together"),
    ("chain_rule.chain_derivative", chain_derivative_roles_swapped, "the other way round"),
    ("chain_rule.chain_backward", chain_backward_one_short, "the last step's local derivative"),
    (
        "chain_rule.softplus_grad",
        lambda x: np.exp(x) * (1 / (1 + np.exp(-x))),
        "the two exponents have opposite signs",
    ),
    ("graph.predict_bias_grad", 5, "that is L itself"),
    ("graph.predict_bias_grad", 5.0, "that is L itself"),
    ("graph.predict_bias_grad", 4.0, "and also the sum of x's first column"),
    ("graph.MatMul", MatMulDxFromGrads, "dx is computed with dW"),
    ("backprop.MeanSquaredLoss", MeanSquaredOverEverything, "leaves out the ½ and averages"),
    ("training.TwoLayerNet", NetReturnsLossGradient, "returns the loss layer's gradient"),
    ("lab1.logsumexp_grad", logsumexp_grad_log_only, "at u = Σₖ e^(s_k − max)"),
    ("lab2.numerical_backward", forward_difference_with(1e-2), "two things make these slopes"),
    ("lab2.numerical_backward", forward_difference_with(0.05), "two things make these slopes"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", SLIPS, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(SLIPS)]
)
def test_slip_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)


# Right answers, written in the ways the slips above come close to.


def softmax_rows_with_a_sample(x):
    batch = np.atleast_2d(x)
    out = np.empty(batch.shape)
    for i, row in enumerate(batch):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(np.shape(x))


def cross_entropy_right(y, t):
    if y.ndim == 1:
        t = np.reshape(t, (1, -1)) if np.size(t) == y.size else np.reshape(t, (1,))
        y = y[None, :]
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    n = len(y)
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n


def numerical_gradient_right(f, x, h=1e-4):
    grad = np.zeros_like(x, dtype=float)
    for k in range(x.size):
        i = np.unravel_index(k, x.shape)
        keep = float(x[i])
        x[i] = keep + h
        up = f(x)
        x[i] = keep - h
        down = f(x)
        x[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad


def chain_backward_right(steps, x):
    vals = [x]
    for f, _ in steps:
        vals.append(f(vals[-1]))
    grads = [1.0]
    for k in range(len(steps) - 1, -1, -1):
        grads.insert(0, grads[0] * steps[k][1](vals[k]))
    return grads


def chain_derivative_right(steps, x):
    slope = 1.0
    for f, df in steps:
        slope *= df(x)
        x = f(x)
    return slope


class MatMulRight(MatMulDxFromGrads):
    def backward(self, dout):
        self.grads[0][...] = np.dot(self.x.T, dout)
        return np.dot(dout, self.params[0].T)


RIGHT = [
    ("loss.softmax", softmax_rows_with_a_sample),
    ("loss.cross_entropy_error", cross_entropy_right),
    ("gradients.numerical_gradient", numerical_gradient_right),
    ("gradients.quadratic_grad", lambda A, x: A @ x + A.T @ x),
    ("chain_rule.chain_derivative", chain_derivative_right),
    ("chain_rule.chain_backward", chain_backward_right),
    ("chain_rule.softplus_grad", lambda x: 1 / (1 + np.exp(-x))),
    ("graph.predict_bias_grad", 2),
    ("graph.MatMul", MatMulRight),
    ("training.TwoLayerNet", TwoLayerNet),
]


@pytest.mark.parametrize("exercise_id,obj", RIGHT, ids=[e for e, _ in RIGHT])
def test_right_answers_still_pass(exercise_id, obj):
    result = check(exercise_id, obj)
    assert result.passed, str(result)


def test_the_bias_prediction_reads_the_steppers_own_numbers():
    """The wrong values L and N · b are computed from the graph the notebook's stepper shows."""
    from nnscratch.exercises import computation_graph as table
    from nnscratch.widgets import computation_graph as widget

    assert np.array_equal(table._STEPPER_X, widget.X)
    assert np.array_equal(table._STEPPER_W, widget.W)
    assert np.array_equal(table._STEPPER_B, widget.B)
    assert (table._STEPPER_L, table._STEPPER_N_B) == (5.0, 4.0)
    # the 4.0 hint names both ways to get 4: N · b, and x's first column summed (dL/dW)
    assert table._STEPPER_X[:, 0].sum() == table._STEPPER_N_B
