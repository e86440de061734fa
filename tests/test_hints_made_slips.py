"""Issue 11, general rules: brackets left out of an exercise's own formula (made from the
reference's source and the forms learners write, nnscratch.grader.precedence), a result that is
the right one times an input's function, and one reduced along an axis (class indices where the
scores are asked for). Each wrong answer is written as learners write it."""

import numpy as np
import pytest

from nnscratch.exercises import EXERCISES
from nnscratch.functions import sigmoid
from nnscratch.grader import check
from nnscratch.grader.precedence import LEFT_OUT, precedence_slips
from nnscratch.network import TwoLayerNet
from tests.hint_tables import assert_only_hint


def central_without_brackets(f, x):
    h = 1e-4
    return f(x + h) - f(x - h) / 2 * h


def central_divides_by_2_then_times_h(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / 2 * h


def quadratic_grad_product_first(A, x):
    return A + A.T @ x


def composite_without_brackets(x):
    return 3 * x**2 + 1**2 * 2 * x


def softplus_grad_without_brackets(x):
    return np.exp(x) / 1 + np.exp(x)


@pytest.mark.parametrize(
    ("exercise", "answer", "read"),
    [
        ("gradients.numerical_diff", central_without_brackets, "f(x + h) - ((f(x - h) / 2) * h)"),
        (
            "gradients.numerical_diff",
            central_divides_by_2_then_times_h,
            # the table names this one in its own words
            "`/ 2 * h` divides by 2 and then multiplies by h",
        ),
        ("gradients.quadratic_grad", quadratic_grad_product_first, "A + (A.T @ x)"),
        (
            "chain_rule.composite",
            composite_without_brackets,
            "Python reads it as `(3 * (x ** 2)) + ",
        ),
        ("chain_rule.softplus_grad", softplus_grad_without_brackets, "(np.exp(x) / 1) + np.exp(x)"),
    ],
)
def test_brackets_left_out_are_shown_as_python_reads_them(exercise, answer, read):
    assert_only_hint(check(exercise, answer), read)


def test_every_precedence_slip_differs_from_its_reference_and_reads_differently():
    """Each slip made is another computation, shown with brackets that differ from its text."""
    made = 0
    for ex in EXERCISES.values():
        for slip in precedence_slips(ex):
            if slip.hint.template != LEFT_OUT:
                continue  # `*` typed for `**` (test_a_power_typed_as_a_product...)
            made += 1
            assert slip.hint.params["typed"] != slip.hint.params["read"], slip.hint
            assert slip.hint.params["typed"] != slip.hint.params["right"], slip.hint
    assert made >= 10


def test_a_right_answer_with_brackets_of_its_own_still_passes():
    def dz_dx(x):
        y = x**2 + 1
        return (3 * y**2) * (2 * x)

    assert check("chain_rule.composite", dz_dx).passed


def test_a_factor_too_many_is_shown_as_the_right_answer_times_it():
    def sigmoid_grad(x):
        y = sigmoid(x)
        return y * y * (1 - y)

    result = check("chain_rule.sigmoid_grad", sigmoid_grad)
    assert not result.passed
    assert "the right answer times `sigmoid(x)`" in str(result), str(result)


class PredictsClasses(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return np.argmax(x, axis=1)


def test_class_indices_where_scores_are_asked_for_are_observed():
    result = check("inference.TwoLayerNet", PredictsClasses)
    assert not result.passed
    assert "index of the largest value along axis 1" in str(result), str(result)


def numerical_gradient_restores_early(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old  # put back too soon: f(x - h) is never evaluated
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def softmax_divided_by_the_mean(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.mean(e, axis=-1, keepdims=True)


def test_a_listed_mistake_is_named_in_its_own_words_not_as_a_made_slip():
    """The made slip `x[idx] = old` gives these outputs too; the listed mistake says more."""
    assert_only_hint(
        check("gradients.numerical_gradient", numerical_gradient_restores_early),
        "the second evaluation is at x itself",
    )


def test_a_mean_where_the_formula_sums_is_shown_as_the_change_it_makes():
    assert_only_hint(
        check("loss.softmax", softmax_divided_by_the_mean),
        "with `e.mean(axis=-1, keepdims=True)` in place of `e.sum(axis=-1, keepdims=True)`",
    )


def softmax_with_a_local_sign_slip(x):
    shifted = x + np.max(x, axis=-1, keepdims=True)  # a slip in a value kept in a local name
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def test_a_value_kept_in_a_local_name_is_changed_where_no_output_change_fits():
    """Lines that compute a local value are changed last (mutations.local_slips), after every
    change of an output: here the shift's sign, which the overflow case names as well."""
    assert_only_hint(
        check("loss.softmax", softmax_with_a_local_sign_slip),
        ("with `x + x.max(axis=-1, keepdims=True)` in place of", "Subtract each row's largest"),
    )


def forward_with_W2_transposed(x, params):
    h = sigmoid(x @ params["W1"] + params["b1"])
    return h @ params["W2"].T + params["b2"]


def test_of_two_formulas_that_agree_on_one_sample_the_one_every_case_shows_is_named():
    result = check("lab1.forward", forward_with_W2_transposed)
    assert not result.passed
    shown = {o.hint for o in result.outcomes if o.hint}
    assert any("`params['W2'].T` in place of `params['W2']`" in h for h in shown), str(result)
    assert not any("params['W2'] @ h" in h for h in shown), str(result)


class MulKeepsXTwice:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x = x
        self.y = x  # the slip
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


def test_a_coincidence_on_the_scalar_case_is_not_named_when_the_arrays_disagree():
    """x = 2, y = 3, dout = 1.5 make dout·x equal y; the array cases, beside a true/false
    output, show the two are other code."""
    result = check("graph.Mul", MulKeepsXTwice)
    assert not result.passed
    assert not any("(self.y, dout * self.x)" in (o.hint or "") for o in result.outcomes), str(
        result
    )


class DivideTypo:
    """dy with `/ self.y*2` where `/ self.y**2` is meant: at y = 2 it equals `/ self.y * self.y`."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y * 2


def test_a_coincidence_at_y_2_is_outvoted_by_the_array_cases_beside_a_true_false_output():
    """graph nodes report "backward returns a pair" beside the numbers: the numbers' cases must
    still count against a match on one case."""
    result = check("graph.Divide", DivideTypo)
    assert not result.passed
    assert not any("self.y * self.y" in (o.hint or "") for o in result.outcomes), str(result)
