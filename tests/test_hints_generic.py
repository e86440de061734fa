"""Feedback that names a slip with no table entry of its own (issue 11): the relations the
comparison observes, "the right formula at the wrong argument" (nnscratch.exercises.
wrong_argument) and the missing `dout` of any backward case. Each wrong answer is written as
learners write it and shows the one hint it must show (or none), and the observation named."""

import numpy as np
import pytest

from nnscratch.functions import sigmoid
from nnscratch.grader import check
from nnscratch.grader.compare import compare
from tests.hint_tables import assert_only_hint

AT_2X = "values at 2 * x instead of at x"
AT_HALF_X = "values at x / 2 instead of at x"
AT_Y = "values at the output y = sigmoid(x)"
DOUT_1 = "right values for dout = 1"


def sigmoid_by_tanh_without_half(x):
    return 0.5 * (1 + np.tanh(x))  # σ(x) = ½(1 + tanh(x/2)): the /2 left out


def sigmoid_grad_of_output(x):
    s = sigmoid(sigmoid(x))  # y = σ(x) computed, then σ applied to it again
    return s * (1 - s)


def softplus_grad_half(x):
    return 1 / (1 + np.exp(-x / 2))


def dz_dx_at_minus_x(x):
    return -6 * x * (x**2 + 1) ** 2  # odd: f(-x) = -f(x), so it names no argument


class RepeatWithoutDout:
    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        return np.repeat(x, self.N, axis=0)

    def backward(self, dout):
        return np.full((1, dout.shape[1]), float(self.N))  # Σ over N rows of ones


class MulWithoutDoutInDy:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, self.x  # dx right, dy without dout


WRONG_ARGUMENT = [
    ("inference.sigmoid", sigmoid_by_tanh_without_half, AT_2X),
    ("chain_rule.sigmoid_grad", sigmoid_grad_of_output, AT_Y),
    ("chain_rule.softplus_grad", softplus_grad_half, AT_HALF_X),
    # no argument named (odd: f(-x) = -f(x)); the learner's own code, changed once, passes
    ("chain_rule.composite", dz_dx_at_minus_x, "`6` in place of your `-6`"),
    ("graph.Repeat", RepeatWithoutDout, DOUT_1),
    ("graph.Mul", MulWithoutDoutInDy, "`dy`: these are the right values for dout = 1"),
]


@pytest.mark.parametrize("exercise_id,obj,hint", WRONG_ARGUMENT)
def test_a_slip_without_an_entry_of_its_own_is_named_by_evidence(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)


def test_an_odd_formula_at_minus_x_is_observed_as_the_sign():
    result = check("chain_rule.composite", dz_dx_at_minus_x)
    assert any("wrong sign" in o.message for o in result.outcomes), str(result)


# The relations the comparison observes: each holds on every value, or is not said.

OBSERVED = [
    ("inference.classify", lambda s: np.argmax(s, axis=1) + 1, "every value is 1 more than"),
    ("inference.classify", lambda s: np.argmax(s, axis=1)[::-1], "right values in reverse order"),
    (
        "loss.softmax",
        lambda x: (
            np.log(np.exp(x - x.max(-1, keepdims=True)))
            - np.log(np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True))
        ),
        "the log of the right one",
    ),
    (
        "chain_rule.sigmoid_grad",
        lambda x: 1 - sigmoid(x) * (1 - sigmoid(x)),
        "every value is 1 minus the right one",
    ),
]


@pytest.mark.parametrize("exercise_id,obj,observed", OBSERVED)
def test_a_relation_that_holds_on_every_value_is_observed(exercise_id, obj, observed):
    result = check(exercise_id, obj)
    assert_only_hint(result, None)
    assert any(observed in o.message for o in result.outcomes), str(result)


def _message(got, want, sizes=None):
    return compare("dx", np.asarray(got), np.asarray(want), 1e-5, 1e-7, True, sizes)


WANT = np.array([[0.2, -1.5, 0.7], [1.1, 0.3, -0.4], [2.0, -0.9, 0.05], [0.6, 0.8, -1.2]])


def test_a_factor_of_the_batch_size_is_called_N():
    sizes = {"N": 4, "C": 3, "size": 12}
    assert "N, with N = 4 the number of samples" in _message(4 * WANT, WANT, sizes)
    assert "1/N, with N = 4" in _message(WANT / 4, WANT, sizes)
    assert "number of samples" not in _message(5 * WANT, WANT, sizes)
    assert "number of samples" not in _message(4 * WANT, WANT)  # no batch input: no N


def test_a_factor_of_another_size_is_called_by_its_name():
    sizes = {"N": 4, "C": 3, "size": 12}
    assert "C, with C = 3 the number of columns" in _message(3 * WANT, WANT, sizes)
    assert "1/x.size, with 12 the number of values in x" in _message(WANT / 12, WANT, sizes)
    # A single number too: a loss summed where it is averaged.
    assert "N, with N = 4" in compare("L", 10.0, 2.5, 1e-5, 1e-7, True, sizes)
    # Two sizes alike (N = C = 4): the factor says nothing about which, so neither is named.
    message = _message(4 * WANT, WANT, {"N": 4, "C": 4})
    assert "every value is 4 times the right one" in message
    assert "with" not in message


def test_rows_in_another_order_and_exp_are_observed():
    assert "right rows, in another order" in _message(WANT[[2, 0, 3, 1]], WANT)
    assert "right rows in reverse order" in _message(WANT[::-1], WANT)
    assert "e to the power of the right one" in _message(np.exp(WANT), WANT)
    assert "the sigmoid of the right one" in _message(1 / (1 + np.exp(-WANT)), WANT)
    assert "every value is 0.5 minus the right one" in _message(0.5 - WANT, WANT)
    assert "the square of the right one" in _message(WANT**2, WANT)
    assert "np.log10 where the natural log" in _message(WANT / np.log(10), WANT)


def test_a_relation_that_holds_only_loosely_is_not_said():
    # A one-sided difference is off by about h/2 times the curvature: not "c more" than it.
    noise = 1e-7 * np.random.default_rng(0).standard_normal(WANT.shape)
    message = compare("dx", WANT + 1e-5 + noise, WANT, 1e-12, 1e-13, True)  # an exact case
    assert message is not None
    assert "more than the right one" not in message
    # One number is "c more" than any other: nothing is said of a single value.
    assert "more than" not in compare("L", 2.5, 1.5, 1e-5, 1e-7, True)


def test_places_left_at_0_are_observed_and_no_cause_is_guessed():
    tail = WANT.copy()
    tail[-1, -1] = 0.0
    assert "the last value is 0" in _message(tail, WANT)
    head = WANT.copy()
    head[0, :2] = 0.0
    assert "the first 2 values are 0" in _message(head, WANT)
    middle = WANT.copy()
    middle[1, 1] = 0.0
    assert "every wrong place holds 0" in _message(middle, WANT)
    for zeros in (tail, head, middle):  # a loop, an underflow, a wrong maximum: not said
        assert "never written" not in _message(zeros, WANT)
        assert "loop" not in _message(zeros, WANT)


def test_a_ratio_of_two_sizes_and_rounding_are_observed():
    sizes = {"N": 4, "C": 3, "size": 12}
    assert "N/C, with N = 4 samples and C = 3 columns" in _message(WANT * 4 / 3, WANT, sizes)
    assert "C/N" in compare("L", 0.75, 1.0, 1e-5, 1e-7, True, sizes)
    fine = WANT * 1.2345
    assert "rounded to 2 decimal place" in _message(np.round(fine, 2), fine)


def test_a_factor_of_two_is_not_called_a_size():
    # dout split in halves on a batch of N = 2: ½ is no evidence of a division by N.
    message = _message(WANT / 2, WANT, {"N": 2, "C": 3, "size": 6})
    assert "every value is 1/2 times the right one" in message
    assert "with N" not in message
