"""Issue 11, the next round: slips learners make often, each now a mistake of its exercise with
its own implementation (its hint shown only when that implementation, run on the case's inputs,
gives the learner's outputs). Each wrong answer is written as learners write it and shows the
one hint it must show, and no other mistake's hint."""

import math

import numpy as np
import pytest

from nnscratch.grader import check
from tests.hint_tables import assert_only_hint

# Chapter 4


def sigmoid_grad_of_input(x):
    return x * (1 - x)  # y(1 - y) with y the input


def chain_backward_df_at_output(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for k in range(len(steps) - 1, -1, -1):
        df = steps[k][1]
        grads.insert(0, grads[0] * df(values[k + 1]))  # the step's output, not its input
    return grads


# Chapter 5


class DivideMulRuleForDx:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        dx = dout * self.y
        dy = -dout * self.x / (self.y * self.y)
        return dx, dy


class RepeatAlongColumns:
    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        return np.repeat(x, self.N, axis=1)

    def backward(self, dout):
        return np.sum(dout, axis=0, keepdims=True)


class RepeatSumsEachRow:
    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        return np.repeat(x, self.N, axis=0)

    def backward(self, dout):
        return dout.sum(axis=1, keepdims=True)


class SumOfEachRow:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.N = x.shape[0]
        return x.sum(axis=1, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0)


class SumRepeatAlongColumns:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.N = len(x)
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=1)


# Lab 1 and Lab 3


def predict_skipping(predict, x, batch_size):
    classes = []
    for start in range(0, len(x), batch_size + 1):
        classes.append(np.argmax(predict(x[start : start + batch_size]), axis=1))
    return np.concatenate(classes)


def _split(n_test_of):
    def train_test_split(x, t, test_fraction, rng):
        rng = np.random.default_rng(rng)
        order = rng.permutation(len(x))
        n_test = n_test_of(test_fraction * len(x))
        test, train = order[:n_test], order[n_test:]
        return (x[train], t[train]), (x[test], t[test])

    return train_test_split


# Chapters 1 and 7


def affine_bias_column(x, W, b):
    return np.dot(x, W) + b.reshape(-1, 1)


def affine_bias_newaxis(x, W, b):
    return x @ W + b[:, np.newaxis]


class DecayAffineTwoLambda:
    def __init__(self, W, b, decay):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.decay = decay

    def forward(self, x):
        self.x = x
        return x @ self.params[0] + self.params[1]

    def backward(self, dout):
        W = self.params[0]
        self.grads[0][...] = self.x.T @ dout + 2 * self.decay * W
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ W.T


# Lab 2


def activation(forward, backward):
    class Layer:
        def __init__(self):
            self.params, self.grads = [], []

        def forward(self, x):
            self.x = x
            self.out = forward(x)
            return self.out

        def backward(self, dout):
            return backward(self, dout)

    return Layer


def elu(x):
    return np.where(x > 0, x, np.exp(x) - 1)


TanhNoSquare = activation(np.tanh, lambda self, dout: dout * (1 - self.out))
TanhOverCosh = activation(np.tanh, lambda self, dout: dout / np.cosh(self.x))
ELUSlopeX = activation(elu, lambda self, dout: dout * np.where(self.x > 0, self.x, np.exp(self.x)))
ELUWithoutMinusOne = activation(
    lambda x: np.where(x > 0, x, np.exp(x)),
    lambda self, dout: dout * np.where(self.x > 0, 1.0, np.exp(self.x)),
)


INT = "`int()` (like `math.floor` or `//`) cuts off"
CEIL = "`math.ceil` (or `int(x + 0.5)`) rounds 2.5 up"

SLIPS = [
    ("chain_rule.sigmoid_grad", sigmoid_grad_of_input, "x (1 − x) is written with the input x"),
    ("chain_rule.composite", lambda x: 3 * (x**2 + 1) ** 2 * x, "2x, not x"),
    ("chain_rule.composite", lambda x: 6 * x * (x**2 + 1) ** 3, "the power one lower"),
    ("chain_rule.chain_backward", chain_backward_df_at_output, "taken at the step's output"),
    ("graph.Divide", DivideMulRuleForDx, "dx = dout · y is Mul's rule"),
    ("graph.Repeat", RepeatAlongColumns, "`np.repeat(x, N, axis=1)` repeats each value"),
    ("graph.Repeat", RepeatSumsEachRow, "`np.sum(dout, axis=1, ...)` adds across each row"),
    ("graph.Sum", SumOfEachRow, "`np.sum(x, axis=1, ...)` adds the D values"),
    ("graph.Sum", SumRepeatAlongColumns, "`np.repeat(dout, N, axis=1)` repeats each value"),
    ("lab1.predict_in_batches", predict_skipping, "steps by batch_size + 1"),
    ("lab3.train_test_split", _split(int), INT),
    ("lab3.train_test_split", _split(math.floor), INT),
    ("lab3.train_test_split", _split(math.ceil), CEIL),
    ("lab3.train_test_split", _split(lambda n: int(n + 0.5)), CEIL),
    ("inference.affine", affine_bias_column, "`b.reshape(-1, 1)` makes the bias a column"),
    ("inference.affine", affine_bias_newaxis, "`b.reshape(-1, 1)` makes the bias a column"),
    ("training.DecayAffine", DecayAffineTwoLambda, "2·decay·W is the slope of decay·ΣW²"),
    ("lab2.Tanh", TanhNoSquare, "`1 - y` leaves out the square"),
    ("lab2.Tanh", TanhOverCosh, "1 / cosh(x) is sech(x)"),
    ("lab2.ELU", ELUSlopeX, "whose slope is 1, not x"),
    ("lab2.ELU", ELUWithoutMinusOne, "ELU is eˣ − 1, not eˣ"),
]


@pytest.mark.parametrize("exercise_id,obj,hint", SLIPS)
def test_a_common_slip_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)


# Formulas that agree with a mistake only where many do (far from zero, σ and σ² are both 0 or
# 1): the other cases outnumber that match, so the mistake is not named.

AGREE_ONLY_FAR_OUT = [
    # no listed mistake; the made slip σ·σ is what it computes on every case (grader.mutations)
    (
        "chain_rule.sigmoid_grad",
        lambda x: (1 / (1 + np.exp(-x))) ** 2,
        "with `sigmoid(x)` in place of `1 - sigmoid(x)`",
    ),
    ("chain_rule.sigmoid_grad", lambda x: 1 - 1 / (1 + np.exp(-x)), "your values are 1 − σ(x)"),
]


@pytest.mark.parametrize("exercise_id,obj,hint", AGREE_ONLY_FAR_OUT)
def test_a_match_on_one_saturated_case_is_outnumbered(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)


# `python -m nnscratch grade` judges what a submission's kernel sent, after a trip through JSON,
# with the same judge_case and every case read first: it must show the notebook's hints and
# observations for each of these wrong answers.


def _graded_by_the_classroom(exercise_id, obj, seed):
    """What `python -m nnscratch grade` says: the outputs judged after a trip through JSON, and
    where a repair is due, the kernel's search (inkernel.repair) with its changed code's outputs
    judged again here (judge.repair_hint)."""
    import dataclasses
    import json

    from nnscratch.classroom.judge import judge, repair_hint
    from nnscratch.classroom.wire import encode
    from nnscratch.exercises import EXERCISES
    from nnscratch.grader.core import passing_every_case, probe_case, repair_due, with_repair_hint
    from nnscratch.grader.repairs import contract_names, repaired

    ex = EXERCISES[exercise_id]

    def sent(o):
        return [
            {"got": json.loads(encode(probe_case(ex, i, o, seed)))} for i in range(len(ex.cases))
        ]

    result = judge(ex, {"cases": sent(obj)}, seed)
    failing = repair_due(ex, result.outcomes)
    passes = passing_every_case(ex, seed, order=failing) if failing else None
    found = failing and repaired(obj, passes, contract_names(ex.reference))
    if not found:
        return result
    hint, changed = found
    answer = {
        "hint": {"template": hint.template, "params": {k: str(v) for k, v in hint.params.items()}},
        "cases": sent(changed),
    }
    said = repair_hint(ex, answer, seed)
    if said is None:
        return result
    return dataclasses.replace(result, outcomes=with_repair_hint(result.outcomes, said))


def _all_rows():
    from tests.test_hints_observed import OBSERVED
    from tests.test_hints_round3 import SLIPS as ROUND3
    from tests.test_hints_round4 import SLIPS as ROUND4
    from tests.test_hints_round4 import STATEFUL
    from tests.test_hints_round4_labs import SLIPS as ROUND4_LABS

    # A list kept between calls grows from one check to the next: no two runs see the same.
    round4 = [row for row in ROUND4 if row[1] not in STATEFUL]
    return (
        [row[:3] for row in OBSERVED] + SLIPS + AGREE_ONLY_FAR_OUT + ROUND3 + round4 + ROUND4_LABS
    )


@pytest.mark.parametrize("exercise_id,obj,hint", _all_rows())
def test_the_classroom_shows_the_notebooks_feedback(exercise_id, obj, hint):
    mine = check(exercise_id, obj)
    theirs = _graded_by_the_classroom(exercise_id, obj, mine.seed)
    assert [(o.passed, o.message, o.hint) for o in theirs.outcomes] == [
        (o.passed, o.message, o.hint) for o in mine.outcomes
    ]


class MeanSquaredOverEveryNumber:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        return 0.5 * np.mean((x - t) ** 2)  # over N·C numbers

    def backward(self, dout=1):
        return dout * (self.x - self.t) / self.x.size


class MeanSquaredForwardOverEveryNumber(MeanSquaredOverEveryNumber):
    def backward(self, dout=1):
        return dout * (self.x - self.t) / len(self.x)


@pytest.mark.parametrize("obj", [MeanSquaredOverEveryNumber, MeanSquaredForwardOverEveryNumber])
def test_a_mean_over_every_number_is_named(obj):
    assert_only_hint(check("backprop.MeanSquaredLoss", obj), "divide by N, not by N·C")
