"""Exercises that ask for an analytic derivative (Case.exact): every correct algebraic form in
float64 passes, a numerical gradient does not (it gets an observation, never a hint), and each
reference, a formula, agrees with the numerical oracle the course teaches."""

import numpy as np
import pytest

from nnscratch.chain import compose
from nnscratch.exercises import EXERCISES
from nnscratch.exercises.lab2 import checked_by_numbers
from nnscratch.functions import sigmoid
from nnscratch.grader import check
from nnscratch.grader.core import EXACT_RTOL, _tolerance, case_rng
from nnscratch.gradients import numerical_backward, numerical_diff, numerical_gradient
from nnscratch.layers import SoftmaxWithLoss
from nnscratch.spec import Case
from tests.hint_tables import assert_only_hint
from tests.test_grader_backprop import SwlNoDelta, SwlOneHot, SwlPlain
from tests.test_hints_lab2 import layer

EXACT = sorted(ex.id for ex in EXERCISES.values() if any(c.exact for c in ex.cases))
NUMERICAL = "as close as a numerical difference gets"


def keep_out(fn):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        self.out = fn(self.x)
        return self.out

    return forward


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _elu(x):
    return np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)


def _lse(s):
    top = s.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(s - top).sum(axis=1, keepdims=True)))[:, 0]


def _chain_product(steps, x):
    total = 1.0
    for f, df in steps:
        total = total * df(x)
        x = f(x)
    return total


def _chain_sweep(steps, x):
    values = _values(steps, x)
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        grads.insert(0, grads[0] * df(v))
    return grads


def _jacobian_softmax(self, dout):
    y = self.out
    J = np.einsum("nj,jk->njk", y, np.eye(y.shape[1])) - np.einsum("nj,nk->njk", y, y)
    return np.einsum("nj,njk->nk", dout, J)


# Right answers, written the ways learners write them (several algebraic forms each).
RIGHT = {
    "chain_rule.composite": [
        lambda x: 3 * (x**2 + 1) ** 2 * 2 * x,
        lambda x: 6 * x**5 + 12 * x**3 + 6 * x,
        lambda x: 6 * x * (x**4 + 2 * x**2 + 1),
    ],
    "chain_rule.sigmoid_grad": [
        lambda x: sigmoid(x) * (1 - sigmoid(x)),
        lambda x: sigmoid(x) * sigmoid(-x),
        lambda x: sigmoid(x) - sigmoid(x) ** 2,
        lambda x: 1 / (2 + np.exp(x) + np.exp(-x)),
        lambda x: (1 - np.tanh(x / 2) ** 2) / 4,
    ],
    "chain_rule.softplus_grad": [
        lambda x: 1 / (1 + np.exp(-x)),
        lambda x: np.exp(x) / (1 + np.exp(x)),
        sigmoid,
        lambda x: np.exp(x - np.logaddexp(0, x)),
    ],
    "chain_rule.chain_derivative": [_chain_product],
    "chain_rule.chain_backward": [_chain_sweep, lambda s, x: np.array(_chain_sweep(s, x))],
    "gradients.quadratic_grad": [
        lambda A, x: A @ x + A.T @ x,
        lambda A, x: x @ A + x @ A.T,
        lambda A, x: np.einsum("ij,j->i", A, x) + np.einsum("ji,j->i", A, x),
        lambda A, x: np.array([sum((A[i, j] + A[j, i]) * x[j] for j in range(len(x))) for i in range(len(x))]),
    ],
    "lab1.logsumexp_grad": [
        lambda s: _softmax(s),
        lambda s: np.exp(s - _lse(s)[:, None]),
    ],
    "lab2.ReLU": [
        layer(keep_out(lambda x: np.maximum(0, x)), lambda self, d: d * (self.x > 0)),
        layer(keep_out(lambda x: np.maximum(0, x)), lambda self, d: np.where(self.x > 0, d, 0.0)),
    ],
    "backprop.Sigmoid": [
        layer(keep_out(sigmoid), lambda self, d: d * (1.0 - self.out) * self.out),
        layer(keep_out(lambda x: 0.5 * (1 + np.tanh(0.5 * x))), lambda self, d: d * (self.out - self.out**2)),
        layer(keep_out(lambda x: np.exp(x) / (1 + np.exp(x))), lambda self, d: d * sigmoid(self.x) * sigmoid(-self.x)),
    ],
    "backprop.SoftmaxWithLoss": [SoftmaxWithLoss, SwlPlain, SwlOneHot, SwlNoDelta],
    "lab2.Tanh": [
        layer(keep_out(np.tanh), lambda self, d: d * (1 - self.out**2)),
        layer(keep_out(np.tanh), lambda self, d: d * (1 - self.out) * (1 + self.out)),
        layer(keep_out(np.tanh), lambda self, d: d - d * self.out**2),
    ],
    "lab2.Softmax": [
        layer(keep_out(_softmax), lambda self, d: self.out * (d - (d * self.out).sum(1, keepdims=True))),
        layer(keep_out(_softmax), lambda self, d: self.out * d - self.out * (d * self.out).sum(1, keepdims=True)),
        layer(keep_out(_softmax), _jacobian_softmax),
    ],
    "lab2.ELU": [
        layer(keep_out(_elu), lambda self, d: d * np.where(self.x > 0, 1.0, self.out + 1)),
        layer(keep_out(_elu), lambda self, d: d * np.where(self.x > 0, 1.0, np.exp(np.minimum(self.x, 0)))),
    ],
}  # fmt: skip


def _numerical_layer(fn):
    """A backward that is the numerical gradient of the layer's own forward."""
    return layer(
        keep_out(fn),
        lambda self, d: numerical_backward(fn, self.x.copy(), d),
    )


def _central(f, h=1e-4):
    return lambda x: (f(np.asarray(x, float) + h) - f(np.asarray(x, float) - h)) / (2 * h)


class NumericalSwl(SoftmaxWithLoss):
    """backward: the numerical gradient of the layer's own loss, as a learner might write it."""

    def forward(self, x, t):
        self.x_seen = np.array(x, dtype=float)
        return super().forward(x, t)

    def backward(self, dout=1):
        labels = self.labels
        rows = np.arange(len(labels))

        def loss(v):  # the mean cross entropy, written with log-sum-exp (no δ needed)
            top = v.max(axis=1, keepdims=True)
            log_y = v - top - np.log(np.exp(v - top).sum(axis=1, keepdims=True))
            return -np.mean(log_y[rows, labels])

        return numerical_gradient(loss, self.x_seen.copy()) * dout


# Wrong answers: numerical gradients, with the chapters' step and smaller ones.
NUMERICAL_ANSWERS = {
    "chain_rule.composite": [_central(lambda v: (v**2 + 1) ** 3, h) for h in (1e-4, 1e-5)],
    "chain_rule.sigmoid_grad": [lambda x: numerical_diff(sigmoid, x), _central(sigmoid, 1e-5)],
    "chain_rule.softplus_grad": [_central(lambda v: np.logaddexp(0, v), h) for h in (1e-4, 1e-6)],
    "chain_rule.chain_derivative": [lambda steps, x: numerical_diff(compose(steps), x)],
    "chain_rule.chain_backward": [
        lambda steps, x: [
            numerical_diff(compose(steps[k:]), v) for k, v in enumerate(_values(steps, x))
        ]
    ],
    "gradients.quadratic_grad": [
        lambda A, x: numerical_gradient(lambda v: v @ A @ v, np.array(x, dtype=float))
    ],
    "lab1.logsumexp_grad": [lambda s: numerical_backward(_lse, s, np.ones(len(s)))],
    "lab2.ReLU": [_numerical_layer(lambda x: np.maximum(0, x))],
    "backprop.Sigmoid": [_numerical_layer(sigmoid)],
    "backprop.SoftmaxWithLoss": [NumericalSwl],
    "lab2.Tanh": [_numerical_layer(np.tanh)],
    "lab2.Softmax": [_numerical_layer(_softmax)],
    "lab2.ELU": [_numerical_layer(_elu)],
}


def _values(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    return values


def test_every_exact_exercise_has_right_forms_and_numerical_answers():
    assert set(RIGHT) == set(EXACT) == set(NUMERICAL_ANSWERS)
    assert len(EXACT) >= 10


@pytest.mark.parametrize(
    "exercise_id,index",
    [(k, i) for k, fs in RIGHT.items() for i in range(len(fs))],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_analytic_form_passes(exercise_id, index, seed):
    result = check(exercise_id, RIGHT[exercise_id][index], seed=seed)
    assert result.passed, str(result)


@pytest.mark.parametrize(
    "exercise_id,index",
    [(k, i) for k, fs in NUMERICAL_ANSWERS.items() for i in range(len(fs))],
)
def test_a_numerical_gradient_fails_with_an_observation_and_no_hint(exercise_id, index):
    result = check(exercise_id, NUMERICAL_ANSWERS[exercise_id][index])
    assert_only_hint(result, None)
    assert any(NUMERICAL in o.message for o in result.outcomes), str(result)


@pytest.mark.parametrize("exercise_id", EXACT)
def test_each_reference_agrees_with_the_numerical_oracle(exercise_id):
    ex = EXERCISES[exercise_id]
    # A layer's oracle is Lab 2's: the same layer, its backward the numerical gradient of forward.
    numeric = (
        checked_by_numbers(ex.reference)
        if ex.is_class and exercise_id != "backprop.SoftmaxWithLoss"  # forward(x, t): its own
        else NUMERICAL_ANSWERS[exercise_id][0]
    )
    for index, case in enumerate(ex.cases):
        if not case.exact:
            continue
        inputs = case.inputs(case_rng(0, index))
        with np.errstate(over="ignore"):  # e^1000 in the sigmoid's cases: 1 / inf is the limit
            want = case.run(ex.reference, dict(inputs))
            got = case.run(numeric, dict(inputs))
        for key, value in want.items():
            np.testing.assert_allclose(
                np.asarray(got[key], dtype=float), value, rtol=1e-6, atol=1e-7, err_msg=key
            )


def test_float32_inputs_keep_the_case_tolerance():
    case = Case("c", lambda rng: {}, lambda f, inp: {}, rtol=1e-5, atol=1e-7, exact=True)
    x64, x32 = np.ones(3), np.ones(3, dtype=np.float32)
    assert _tolerance(case, {"x": x64}, 2.0 * x64) == (EXACT_RTOL, pytest.approx(2e-13))
    assert _tolerance(case, {"x": x32}, 2.0 * x64) == (1e-5, 1e-7)
    loose = Case("c", lambda rng: {}, lambda f, inp: {}, rtol=1e-5, atol=1e-7)
    assert _tolerance(loose, {"x": x64}, x64) == (1e-5, 1e-7)
