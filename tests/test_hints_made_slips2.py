"""Issue 11, general rules (round 6): more slips made from an exercise's own formulas
(nnscratch.grader.precedence, nnscratch.grader.mutations): `*` typed for `**`, a power's
exponent left out, a name in place of another that plays the same part, a line left out or
moved above the line before it, a loop's range one step off, an update in place written as a
new array; and observations: a single number that is the right one times one of the case's
single-number inputs, a loss divided by the length of its one sample, an `if` on an array.
Each wrong answer is written as learners write it; each right answer in these forms passes."""

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.grader.compare import compare
from tests.hint_tables import assert_only_hint


class DivideTypo:
    """graph.Divide with `self.y*2` typed for `self.y**2`."""

    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y*2  # fmt: skip


def composite_typo(x):
    y = x**2 + 1
    return 3 * y*2 * 2 * x  # fmt: skip


def chain_derivative_f_for_df(steps, x):
    d = 1.0
    for f, df in steps:  # noqa: B007 - the slip: df never used
        d = d * f(x)
        x = f(x)
    return d


def chain_derivative_never_moves_on(steps, x):
    d = 1.0
    for f, df in steps:  # noqa: B007 - the slip: x never moves on through f
        d = d * df(x)
    return d


def chain_backward_one_short(steps, x):
    values = [x]
    for f, df in steps:  # noqa: B007 - as learners write it
        values.append(f(values[-1]))
    grads = np.ones(len(steps) + 1)
    for k in range(len(steps) - 1, 0, -1):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


class SGDRebinds:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param = param - self.lr * grad  # noqa: F841 - the slip: a new array, never stored


def numerical_diff_no_division(f, x, h=1e-4):
    return f(x + h) - f(x - h)


def sigmoid_scalar_only(x):
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def cross_entropy_divides_by_first_size(y, t):
    if t.size == y.size:
        t = t.argmax(axis=-1)
    y2 = y.reshape(-1, y.shape[-1])
    t2 = np.atleast_1d(t)
    return -np.sum(np.log(y2[np.arange(len(t2)), t2] + 1e-7)) / y.shape[0]


@pytest.mark.parametrize(
    ("exercise", "answer", "hint"),
    [
        ("graph.Divide", DivideTypo, "`-dout * self.x / self.y * 2`: `*` where `**` is meant"),
        ("chain_rule.composite", composite_typo, "`*` where `**` is meant"),
        (
            "chain_rule.chain_derivative",
            chain_derivative_f_for_df,
            "with `f(x)` in place of `df(x)`",
        ),
        # said in the reference's own loop, which makes the same sweep one step short
        (
            "chain_rule.chain_backward",
            chain_backward_one_short,
            "`range(1, len(steps))` in place of `range(len(steps))`",
        ),
        # the made slip gives the listed mistake's outputs: the listed hint alone is said
        ("training.SGD", SGDRebinds, "points the loop variable at it"),
    ],
)
def test_made_slips_name_what_the_code_does(exercise, answer, hint):
    assert_only_hint(check(exercise, answer), hint)


def test_a_line_left_out_is_shown():
    result = check("chain_rule.chain_derivative", chain_derivative_never_moves_on)
    assert not result.passed
    assert "x = f(x)" in str(result), str(result)


def test_a_missing_division_by_2h_is_shown():
    assert_only_hint(
        check("gradients.numerical_diff", numerical_diff_no_division),
        "with `return f(x + h) - f(x - h)` in place of `return (f(x + h) - f(x - h)) / (2 * h)`",
    )


def test_a_single_number_times_a_single_number_input_says_which():
    assert "(the right value times `2 * h`)" in compare(
        "slope", 6 * 2e-4, 6.0, 1e-7, 0, True, inputs={"x": 3.0, "h": 1e-4}
    )
    assert "(the right value divided by `x ** 2`)" in compare(
        "dy", -2.25 / 0.37**2, -2.25, 1e-7, 0, True, inputs={"x": 0.37, "y": 2.0}
    )
    # a simple fraction says nothing (x = 3 beside a factor 3, a dout of 1.5 beside 1/1.5: a
    # product's operand taken for the other gives them too), nor do two inputs that fit
    assert "right value times" not in compare("dy", 9.0, 3.0, 1e-7, 0, True, inputs={"x": 3.0})
    assert "right value divided" not in compare("dx", 3.0, 4.5, 1e-7, 0, True, inputs={"dout": 1.5})
    assert "right value times" not in compare(
        "v", 0.37**2, 0.37, 1e-7, 0, True, inputs={"a": 0.37, "b": 0.37}
    )


def chain_derivative_loop(steps, x):
    d = 1.0
    for f, df in steps:
        d *= df(x)
        x = f(x)
    return d


def chain_backward_loop(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0] * (len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return np.array(grads)


class SGDInPlace:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        ("chain_rule.chain_derivative", chain_derivative_loop),
        ("chain_rule.chain_backward", chain_backward_loop),
        ("training.SGD", SGDInPlace),
    ],
)
def test_right_answers_in_these_forms_pass(exercise, answer):
    assert check(exercise, answer).passed


class SoftmaxColumnShift:
    """lab2.Softmax whose forward shifts each column by its maximum, not each row."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        self.out = e / e.sum(axis=1, keepdims=True)
        return self.out

    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=1, keepdims=True))


def batches_one_row_too_many(predict, x, batch_size=256):
    out = []
    for start in range(0, len(x), batch_size):
        out.append(np.argmax(predict(x[start : start + batch_size + 1]), axis=1))
    return np.concatenate(out)


def numerical_diff_in_float32(f, x, h=1e-4):
    x, h = np.float32(x), np.float32(h)
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize(
    ("exercise", "answer", "hint"),
    [
        # a line of the softmax written out in the layer (exercises.forms), changed once
        ("lab2.Softmax", SoftmaxColumnShift, "`np.max(x, axis=0, keepdims=True)` in place of"),
        ("lab1.predict_in_batches", batches_one_row_too_many, "`x[start:start + batch_size + 1]`"),
        ("backprop.predict_fused_gradient", -2.35e17, "that is −t/y"),
        ("chain_rule.predict_square_of_line", 13, "13 is 10 + 3"),
        ("inference.predict_hasty_sigmoid", float("inf"), "nothing overflows at 0"),
    ],
)
def test_more_slips_are_named(exercise, answer, hint):
    assert_only_hint(check(exercise, answer), hint)


def test_a_prediction_rounded_to_other_digits_is_not_taken_for_a_listed_one():
    # −2.35e17 is −t/y to three digits; −2.3e17 is not that value as written
    assert_only_hint(check("backprop.predict_fused_gradient", -2.3e17), None)


def test_float32_results_say_so():
    result = check("gradients.numerical_diff", numerical_diff_in_float32)
    assert not result.passed
    assert "it holds float32 values" in str(result), str(result)
