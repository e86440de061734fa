"""Issue 11, a seventh round: misnamings and weak evidence found by held-out sets J, K and L,
each fixed by a general rule, and shown here on wrong answers written in words of their own:
an input left unchanged proves no slip; a broadcast error names the reduction on the learner's
own failing line; a tuple of the right whole numbers in another order is said as such; values
cut to whole numbers by an integer array are not "never written"; a check that could not set
the weights still says which layers predict ran; a list of the wrong things says what it holds."""

import numpy as np

from nnscratch.grader import check
from nnscratch.layers import Affine, Sigmoid
from tests.hint_tables import assert_only_hint, hints_shown

# Chapter 7: SGD


class SGDPairedBackwards:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(grads, params):
            param -= self.lr * grad


class SGDArgumentsSwapped:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, grads, params):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]


def test_updating_the_grads_is_named_and_not_as_a_loop_that_stops_early():
    for cls in (SGDPairedBackwards, SGDArgumentsSwapped):
        result = check("training.SGD", cls)
        assert_only_hint(result, "the gradients changed and the parameters did not")
        assert not any("only the first parameter" in h for h in hints_shown(result))


# Lab 1: a reduction along the rows that lost its axis, read from the failing line


def logsumexp_grad_max_flat(s):
    e = np.exp(s - np.max(s, axis=1))
    return e / np.sum(e, axis=1, keepdims=True)


def logsumexp_grad_sum_flat(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(1)


def test_the_call_that_lost_its_axis_is_the_one_named():
    assert_only_hint(
        check("lab1.logsumexp_grad", logsumexp_grad_max_flat),
        "`np.max(s, axis=1)` has shape (N,)",
    )
    result = check("lab1.logsumexp_grad", logsumexp_grad_sum_flat)
    assert any("`e.sum(1, keepdims=True)`" in h for h in hints_shown(result)), str(result)
    assert not any("np.max" in h for h in hints_shown(result)), str(result)


def cross_entropy_labels_times_log(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), np.reshape(t, (1, -1))
    return -np.sum(np.sum(t * np.log(y + 1e-7), axis=1)) / y.shape[0]


def test_a_reduction_around_the_failing_product_is_not_named():
    result = check("loss.cross_entropy_error", cross_entropy_labels_times_log)
    assert not result.passed
    assert not any("has shape (N,), and NumPy" in h for h in hints_shown(result)), str(result)


# Lab 1: network_sizes


def sizes_hidden_first(params):
    I, H = params["W1"].shape
    H2, O = params["W2"].shape
    if H2 != H or params["b1"].shape != (H,) or params["b2"].shape != (O,):
        raise ValueError(f"W1 {params['W1'].shape}, W2 {params['W2'].shape} do not fit")
    return H, I, O


def test_sizes_in_another_order_are_said_so_and_not_blamed_on_reading_w1():
    result = check("lab1.network_sizes", sizes_hidden_first)
    # what the outputs show (the return's order), and the one change that passes every test
    assert_only_hint(
        result,
        (
            "`return (H, I, O)` in place of `return (I, H, O)`",
            "one change makes every test pass: `(I, H, O)` in place of your `(H, I, O)`",
        ),
    )
    messages = " ".join(o.message for o in result.outcomes)
    assert "holds the right numbers in another order: expected (4, 5, 2), got (5, 4, 2)" in messages
    assert "times the right value" not in messages


def test_predictions_never_hear_that_their_numbers_are_right():
    result = check("inference.predict_batch_shape", (3, 100))
    assert "another order" not in " ".join(o.message for o in result.outcomes)


# Chapter 4: values stored into an integer array


def chain_backward_into_integers(steps, x):
    values = [x]
    for f, _df in steps:
        values.append(f(values[-1]))
    grads = np.zeros(len(steps) + 1, dtype=int)
    grads[-1] = 1
    for i in range(len(steps) - 1, -1, -1):
        grads[i] = grads[i + 1] * steps[i][1](values[i])
    return grads


def test_values_cut_to_whole_numbers_are_not_said_to_be_unwritten():
    result = check("chain_rule.chain_backward", chain_backward_into_integers)
    messages = " ".join(o.message for o in result.outcomes if not o.passed)
    assert "as if never written" not in messages, messages
    assert "fraction cut off" in messages or "holds whole numbers" in messages, messages


# Chapter 1: TwoLayerNet's params


class NetWithCopiedParams:
    def __init__(self, I, H, O):
        W1, b1 = 0.01 * np.random.randn(I, H), np.zeros(H)
        W2, b2 = 0.01 * np.random.randn(H, O), np.zeros(O)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.params = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


class NetWhoseParamsAreItsLayers(NetWithCopiedParams):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = self.layers


class NetAppendingLists(NetWithCopiedParams):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = []
        for layer in self.layers:
            self.params.append(layer.params)


def test_copied_params_never_read_as_predict_running_no_layer():
    result = check("inference.TwoLayerNet", NetWithCopiedParams)
    assert_only_hint(result, "params must be the layers' own arrays")
    assert "holds 0" not in " ".join(o.message for o in result.outcomes)


def test_a_list_of_the_layers_is_said_and_not_taken_for_lists_appended():
    result = check("inference.TwoLayerNet", NetWhoseParamsAreItsLayers)
    assert_only_hint(result, None)
    assert "holds 3 items: Affine, Sigmoid, Affine" in result.outcomes[0].message
    assert_only_hint(check("inference.TwoLayerNet", NetAppendingLists), "rather than append")


# Chapter 1: a class whose methods take other arguments than the exercise gives them


class SigmoidMadeWithAnInput:
    def __init__(self, x):
        self.params = []

    def forward(self, x):
        return 1 / (1 + np.exp(-x))


def test_a_constructor_that_refuses_the_exercises_arguments_is_said_so():
    result = check("inference.Sigmoid", SigmoidMadeWithAnInput)
    message = result.outcomes[0].message
    assert "your `SigmoidMadeWithAnInput.__init__()` takes other arguments" in message, message
    assert "missing 1 required positional argument: 'x'" in message
