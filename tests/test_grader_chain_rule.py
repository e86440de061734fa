"""The Chapter 4 exercises against a catalogue of typical student answers, right and wrong.

Also: the package's chains (nnscratch.chain) against numerical derivatives, and the chapter's
figure and widget.
"""

from functools import reduce

import numpy as np
import pytest

from nnscratch import chain
from nnscratch.exercises import EXERCISES
from nnscratch.functions import sigmoid
from nnscratch.grader import check
from nnscratch.gradients import numerical_diff
from tests.hint_tables import assert_only_hint, hints_shown

# --- the package's chains against numerical derivatives -------------------------------------


@pytest.mark.parametrize("c", [chain.SIGMOID, chain.SQUARE_OF_LINE], ids=lambda c: c.formula)
@pytest.mark.parametrize("x", [-2.5, -0.3, 0.0, 0.5, 1.7])
def test_chain_rule_matches_the_numerical_derivative(c, x):
    whole = chain.compose(c.steps)
    assert chain.chain_derivative(c.steps, x) == pytest.approx(
        numerical_diff(whole, x), rel=1e-7, abs=1e-9
    )


def test_backward_gives_the_derivative_with_respect_to_every_value():
    x = 0.5
    values = chain.forward(chain.SIGMOID.steps, x)
    grads = chain.backward(chain.SIGMOID.steps, x)
    assert len(grads) == len(values) == 5 and grads[-1] == 1.0
    for k, v in enumerate(values):
        tail = chain.compose(chain.SIGMOID.steps[k:])
        assert grads[k] == pytest.approx(numerical_diff(tail, v), rel=1e-7, abs=1e-9)
    y = values[-1]
    assert grads[0] == pytest.approx(y * (1 - y), rel=1e-12)


def test_the_named_chains_compute_what_their_formulas_say():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(chain.compose(chain.SIGMOID.steps)(x), sigmoid(x), rtol=1e-12)
    np.testing.assert_allclose(chain.compose(chain.SQUARE_OF_LINE.steps)(x), (3 * x + 2) ** 2)
    for c in (chain.SIGMOID, chain.SQUARE_OF_LINE):
        assert len(c.labels) == len(c.local_labels) == len(c.steps) == len(c.names) - 1


# --- right answers, written the many ways students write them ------------------------------


def dz_dx_expanded(x):
    return 6 * x * (x**2 + 1) ** 2


def dz_dx_chain(x):
    y = x**2 + 1
    dz_dy = 3 * y**2
    dy_dx = 2 * x
    return dz_dy * dy_dx


def dz_dx_float32(x):
    x = np.asarray(x, dtype=np.float32)
    return 3 * np.power(x * x + 1, 2) * 2 * x


def sigmoid_grad_plain(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def sigmoid_grad_tanh(x):
    return 0.25 * (1 - np.tanh(x / 2) ** 2)


def sigmoid_grad_float32(x):
    s = (1 / (1 + np.exp(-np.asarray(x, dtype=np.float32)))).astype(np.float32)
    return s - s * s


def sigmoid_grad_from_output(x):
    y = sigmoid(x)
    return y - y**2


def chain_loop(steps, x):
    d = 1.0
    for f, df in steps:
        d *= df(x)
        x = f(x)
    return d


def chain_values_then_product(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    return float(np.prod([df(v) for (_, df), v in zip(steps, values)]))


def chain_recursive(steps, x):
    if not steps:
        return 1.0
    f, df = steps[0]
    return df(x) * chain_recursive(steps[1:], f(x))


def chain_reduce(steps, x):
    def link(acc, step):
        value, derivative = acc
        f, df = step
        return f(value), derivative * df(value)

    return reduce(link, steps, (x, 1.0))[1]


def backward_indexed(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0] * len(values)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


def backward_insert(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    out = [1.0]
    for (_, df), v in zip(reversed(steps), reversed(values[:-1])):
        out.insert(0, out[0] * df(v))
    return out


def backward_array(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = np.ones(len(steps) + 1)
    upstream = 1.0
    for k in range(len(steps) - 1, -1, -1):
        upstream = upstream * steps[k][1](values[k])
        grads[k] = upstream
    return grads


def backward_append_reverse(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0]
    for (_, df), v in zip(steps[::-1], values[-2::-1]):
        grads.append(grads[-1] * df(v))
    return tuple(grads[::-1])


RIGHT = {
    "chain_rule.composite": [dz_dx_expanded, dz_dx_chain],
    "chain_rule.sigmoid_grad": [
        sigmoid_grad_plain,
        sigmoid_grad_tanh,
        sigmoid_grad_from_output,
    ],
    "chain_rule.chain_derivative": [
        chain_loop,
        chain_values_then_product,
        chain_recursive,
        chain_reduce,
        chain.chain_derivative,
    ],
    "chain_rule.chain_backward": [
        backward_indexed,
        backward_insert,
        backward_array,
        backward_append_reverse,
        chain.backward,
    ],
}


@pytest.mark.parametrize("exercise_id,fn", [(k, f) for k, fs in RIGHT.items() for f in fs])
def test_right_answers_pass(exercise_id, fn):
    result = check(exercise_id, fn)
    assert result.passed, str(result)


# --- wrong answers, each with the hint it must earn ----------------------------------------


def sigmoid_grad_literal_chain(x):
    """The four local derivatives multiplied as they stand: inf * 0 at x = -1000."""
    a = -x
    b = np.exp(a)
    c = 1 + b
    return (-1 / c**2) * 1 * b * (-1)


def chain_at_x(steps, x):
    d = 1.0
    for _, df in steps:
        d *= df(x)
    return d


def chain_update_first(steps, x):
    d = 1.0
    for f, df in steps:
        x = f(x)
        d *= df(x)
    return d


def chain_sum(steps, x):
    d = 0.0
    for f, df in steps:
        d += df(x)
        x = f(x)
    return d


def chain_zero_start(steps, x):
    d = 0
    for f, df in steps:
        d *= df(x)
        x = f(x)
    return d


def chain_returns_value(steps, x):
    for f, _ in steps:
        x = f(x)
    return x


def chain_three_names(steps, x):
    d = 1.0
    for _f, df, value in steps:
        d *= df(value)
    return d


def chain_calls_the_step(steps, x):
    d = 1.0
    for step in steps:
        d *= step(x)
        x = step(x)
    return d


def backward_from_the_left(steps, x):
    grads, d = [1.0], 1.0
    for f, df in steps:
        d *= df(x)
        x = f(x)
        grads.append(d)
    return grads


def backward_output_first(steps, x):
    return backward_indexed(steps, x)[::-1]


def backward_without_last(steps, x):
    return backward_indexed(steps, x)[:-1]


def backward_local_at_output(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0] * len(values)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k + 1])
    return grads


WRONG = [
    ("chain_rule.composite", lambda x: 3 * (x**2 + 1) ** 2, "inner derivative"),
    ("chain_rule.composite", lambda x: 3 * x**2 * 2 * x, "not at x"),
    ("chain_rule.composite", lambda x: 3 * (x**2 + 1) ** 2 + 2 * x, "not their sum"),
    ("chain_rule.composite", lambda x: 3 * (2 * x) ** 2, "not at the inner derivative"),
    ("chain_rule.composite", lambda x: 6 * (x**2 + 1) ** 2, "is 2x, not 2"),
    ("chain_rule.sigmoid_grad", lambda x: -sigmoid(x) * (1 - sigmoid(x)), "minus signs"),
    ("chain_rule.sigmoid_grad", lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2, "overflows"),
    ("chain_rule.sigmoid_grad", sigmoid_grad_literal_chain, "overflows"),
    ("chain_rule.sigmoid_grad", lambda x: np.exp(x) / (1 + np.exp(-x)) ** 2, "e^(−x), not e^x"),
    ("chain_rule.sigmoid_grad", sigmoid, "not its own derivative"),
    ("chain_rule.sigmoid_grad", lambda x: np.exp(-x) / (1 + np.exp(-x)), "is that times σ(x)"),
    ("chain_rule.chain_derivative", chain_at_x, "not at the chain's input"),
    ("chain_rule.chain_derivative", chain_update_first, "before moving on"),
    ("chain_rule.chain_derivative", chain_sum, "multiply"),
    ("chain_rule.chain_derivative", chain_zero_start, "start the product at 1"),
    ("chain_rule.chain_derivative", chain_returns_value, "not the chain's output"),
    ("chain_rule.chain_derivative", chain_three_names, "for f, df in steps"),
    ("chain_rule.chain_derivative", chain_calls_the_step, "for f, df in steps"),
    ("chain_rule.chain_backward", backward_from_the_left, "products from the left"),
    ("chain_rule.chain_backward", backward_output_first, "x first"),
    ("chain_rule.chain_backward", backward_without_last, "n + 1"),
]


@pytest.mark.parametrize(
    "exercise_id,fn",
    [("chain_rule.composite", dz_dx_float32), ("chain_rule.sigmoid_grad", sigmoid_grad_float32)],
)
def test_float32_on_float64_inputs_is_told_to_compute_in_float64(exercise_id, fn):
    # The derivative is checked to rounding error (Case.exact): float32 is right to 1e-7 only.
    result = check(exercise_id, fn)
    # no hint of a mistake; at most the learner's own line that makes float32, left out
    assert all(h.startswith("one change makes every test pass") for h in hints_shown(result)), str(
        result
    )
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)


@pytest.mark.parametrize("exercise_id,fn,hint", WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    result = check(exercise_id, fn)
    assert not result.passed
    assert result.status == "failed"
    assert_only_hint(result, hint)


def test_local_derivative_at_the_wrong_value_fails():
    result = check("chain_rule.chain_backward", backward_local_at_output)
    assert not result.passed


@pytest.mark.parametrize("exercise_id", [k for k in EXERCISES if k.startswith("chain_rule.")])
def test_every_known_mistake_is_caught_and_named(exercise_id):
    for mistake in EXERCISES[exercise_id].mistakes:
        result = check(exercise_id, mistake.impl)
        assert not result.passed
        assert any(o.hint == mistake.hint for o in result.outcomes), str(result)


def test_there_are_at_least_three_chain_rule_exercises_each_checked_tightly():
    ids = [k for k in EXERCISES if k.startswith("chain_rule.")]
    assert len(ids) >= 3
    # a slightly wrong analytic answer must fail
    for exercise_id, fn in [
        ("chain_rule.composite", lambda x: 1.00001 * dz_dx_expanded(x)),
        ("chain_rule.sigmoid_grad", lambda x: 1.00001 * sigmoid_grad_plain(x)),
    ]:
        assert not check(exercise_id, fn).passed


# --- the chapter's figure and widget --------------------------------------------------------


def test_draw_chain_writes_values_locals_and_gradients():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures.chain_rule import draw_chain

    c, x = chain.SQUARE_OF_LINE, 1.0
    fig = draw_chain(
        c.labels,
        chain.forward(c.steps, x),
        chain.local_derivatives(c.steps, x),
        chain.backward(c.steps, x),
        local_labels=c.local_labels,
        names=c.names,
    )
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {
        "$x$ = 1",
        "$y$ = 5",
        "$z$ = 25",
        "local: 3",
        "local: $2u$ = 10",
        "$dz/dx$ = 30",
        "$dz/dy$ = 10",
        "$dz/dz$ = 1",
    } <= texts
    with pytest.raises(ValueError, match="3 values"):
        draw_chain(c.labels, [1.0, 2.0])


def test_chain_widget_first_control_changes_the_image_and_has_a_still_fallback():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.widgets.chain_rule import chain_explorer

    live = chain_explorer()
    assert "image/png" in live._repr_mimebundle_()
    first = next(iter(live.controls.values()))
    before = live.image.value
    first.value = -1.5
    assert live.image.value != before
