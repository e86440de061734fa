"""Chapter 4: more wrong answers, each with the one hint it must show (None: no hint).
Together with tests/test_grader_chain_rule.py, every exercise has at least 8."""

import numpy as np
import pytest

from tests.hint_tables import assert_fails_with_only

RETURN = "is a `return` missing"


def dz_dx_no_return(x):
    y = x**2 + 1
    dz = 3 * y**2 * 2 * x  # noqa: F841 - the slip under test


def sigmoid_grad_precedence(x):
    y = 1 / 1 + np.exp(-x)
    return y * (1 - y)


def sigmoid_grad_no_return(x):
    y = 1 / (1 + np.exp(-x))
    y * (1 - y)


def chain_no_return(steps, x):
    d = 1.0
    for f, df in steps:
        d = d * df(x)
        x = f(x)


def chain_backward_no_return(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        grads.insert(0, grads[0] * df(v))


def chain_backward_without_last(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        grads.insert(0, grads[0] * df(v))
    return grads[:-1]


def chain_backward_sum(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        grads.insert(0, grads[0] + df(v))
    return grads


def chain_backward_reversed(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        grads.append(grads[-1] * df(v))
    return grads


TABLE = [
    ("chain_rule.composite", dz_dx_no_return, RETURN),
    ("chain_rule.composite", lambda x: 6 * x * (x**2 + 1) ** 3, "the power one lower"),
    (
        "chain_rule.composite",
        lambda x: 3 * (x**2 + 1) ** 2 * 2,
        "the inner derivative of x² + 1 is 2x",
    ),
    ("chain_rule.sigmoid_grad", sigmoid_grad_precedence, "operator precedence"),
    ("chain_rule.sigmoid_grad", sigmoid_grad_no_return, RETURN),
    (
        "chain_rule.sigmoid_grad",
        lambda x: 1 / (1 + np.exp(-x)) * (1 + 1 / (1 + np.exp(-x))),
        "has a plus where the rule",
    ),
    ("chain_rule.chain_derivative", chain_no_return, RETURN),
    ("chain_rule.chain_derivative", lambda steps, x: 1.0, None),
    ("chain_rule.chain_backward", chain_backward_no_return, RETURN),
    ("chain_rule.chain_backward", chain_backward_without_last, "n + 1"),
    ("chain_rule.chain_backward", chain_backward_sum, "the chain rule multiplies them"),
    ("chain_rule.chain_backward", chain_backward_reversed, "x first"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)


def values_of(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    return values


def chain_backward_local_at_next(steps, x):
    values = values_of(steps, x)
    grads = [1.0]
    for k in reversed(range(len(steps))):
        grads.insert(0, grads[0] * steps[k][1](values[k + 1]))
    return grads


def chain_backward_locals_only(steps, x):
    values = values_of(steps, x)
    return [df(values[k]) for k, (_, df) in enumerate(steps)] + [1.0]


def sigmoid_grad_plus(x):
    y = 1 / (1 + np.exp(-x))
    return y * (1 + y)


def chain_backward_locals_loop(steps, x):
    grads = []
    for f, df in steps:
        grads.append(df(x))
        x = f(x)
    grads.append(1.0)
    return grads


def chain_backward_dx_only(steps, x):
    values = values_of(steps, x)
    grad = 1.0
    for k in reversed(range(len(steps))):
        grad *= steps[k][1](values[k])
    return grad


def chain_backward_all_at_x(steps, x):
    grads = [1.0]
    for _, df in reversed(steps):
        grads.insert(0, grads[0] * df(x))
    return grads


MORE = [
    ("chain_rule.chain_backward", chain_backward_local_at_next, "taken at the step's output"),
    ("chain_rule.chain_backward", chain_backward_locals_only, "local derivatives alone"),
    ("chain_rule.chain_backward", chain_backward_dx_only, "dz/dx alone"),
    ("chain_rule.sigmoid_grad", sigmoid_grad_plus, "has a plus where the rule"),
    ("chain_rule.sigmoid_grad", lambda x: 1 - 1 / (1 + np.exp(-x)), "is that times σ(x)"),
    ("chain_rule.chain_backward", chain_backward_locals_loop, "local derivatives alone"),
    ("chain_rule.chain_backward", chain_backward_all_at_x, "the value flowing into its own step"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", MORE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(MORE)]
)
def test_more_wrong_answers_show_only_their_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
