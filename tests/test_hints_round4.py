"""Issue 11, a fourth round: slips named by their own implementation (a network's data flow,
an index order, a transposed product), and what the feedback now observes without a mistake
table: an output that is one of the case's inputs, or a simple function of one, and a result
that keeps growing from one call to the next. Each wrong answer is written as learners write
it and shows the one hint it must show (or none), and no other mistake's hint."""

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.layers import Affine as AffineLayer
from nnscratch.layers import Sigmoid as SigmoidLayer
from nnscratch.network import TwoLayerNet
from tests.hint_tables import assert_only_hint


class Affine:
    """The chapter 1 layer, as learners write it."""

    def __init__(self, W, b):
        self.params = [W, b]

    def forward(self, x):
        W, b = self.params
        return x @ W + b


class AffineTransposed(Affine):
    def forward(self, x):
        W, b = self.params
        return x @ W.T + b


class EveryLayerOnX(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers:
            out = layer.forward(x)
        return out


class StopsEarly(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers[:-1]:
            x = layer.forward(x)
        return x


class ParamsOfTheFirstLayer(TwoLayerNet):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__(input_size, hidden_size, output_size)
        for layer in self.layers:
            layer.params = list(layer.params)
        self.params = self.layers[0].params
        for layer in self.layers[1:]:
            self.params += layer.params


def cross_entropy_swapped(y, t):
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if np.size(t) == y.size else np.reshape(t, 1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return -np.mean(np.log(y[t, np.arange(len(t))] + 1e-7))


def chain_backward_at_x(steps, x):
    grads = np.ones(len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](x)
    return grads


class AffineDWNoTranspose(AffineLayer):
    def backward(self, dout):
        W, b = self.params
        dx = dout @ W.T
        self.grads[0][...] = self.x @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return dx


class SigmoidReturnsX(SigmoidLayer):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return x


class SigmoidDoutOnly(SigmoidLayer):
    def backward(self, dout):
        return dout


kept = []


def predict_in_batches_kept(predict, x, batch_size=256):
    for start in range(0, len(x), batch_size):
        kept.extend(np.argmax(predict(x[start : start + batch_size]), axis=1))
    return np.array(kept)


def predict_in_batches_default(predict, x, batch_size=256, out=[]):  # noqa: B006 - the slip
    for start in range(0, len(x), batch_size):
        out.extend(np.argmax(predict(x[start : start + batch_size]), axis=1))
    return np.array(out)


def numerical_gradient_returns_in_loop(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for i in range(x.size):
        keep = x.flat[i]
        x.flat[i] = keep + h
        up = f(x)
        x.flat[i] = keep - h
        down = f(x)
        x.flat[i] = keep
        grad.flat[i] = (up - down) / (2 * h)
        return grad


def cross_entropy_label_minus_one(y, t):
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if np.size(t) == y.size else np.reshape(t, 1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(len(t)), t - 1] + 1e-7)) / len(t)


class SoftmaxTwiceInTheLoss:
    def __init__(self):
        self.params = []

    def forward(self, x, t):
        from nnscratch.functions import cross_entropy_error, softmax

        self.t, self.y = t, softmax(x)
        return cross_entropy_error(softmax(self.y), t)


class SigmoidReturnsItsSlope:
    def __init__(self):
        self.params = []

    def forward(self, x):
        y = 1 / (1 + np.exp(-x))
        return y * (1 - y)


def chain_derivative_reversed_values(steps, x):
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    slope = 1.0
    for (_, df), v in zip(steps, values[-2::-1]):
        slope *= df(v)
    return slope


def chain_backward_values_from_x(steps, x):
    values = [x] + [f(x) for f, _ in steps]
    grads = np.ones(len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


STATEFUL = (predict_in_batches_kept, predict_in_batches_default)

SLIPS = [
    ("inference.Affine", AffineTransposed, "no transpose"),
    ("inference.TwoLayerNet", EveryLayerOnX, "the previous layer's output"),
    ("inference.TwoLayerNet", StopsEarly, "stops before the last layer"),
    ("inference.TwoLayerNet", ParamsOfTheFirstLayer, "the first layer's own list"),
    ("loss.cross_entropy_error", cross_entropy_swapped, "the other way round"),
    ("chain_rule.chain_backward", chain_backward_at_x, "the value flowing into its own step"),
    ("backprop.Affine", AffineDWNoTranspose, "`x @ dout` puts"),
    ("backprop.Sigmoid", SigmoidReturnsX, None),
    ("backprop.Sigmoid", SigmoidDoutOnly, None),
    ("lab1.predict_in_batches", predict_in_batches_default, "grows from one call to the next"),
    ("lab1.predict_in_batches", predict_in_batches_kept, "grows from one call to the next"),
    ("gradients.numerical_gradient", numerical_gradient_returns_in_loop, None),
    ("inference.predict_hasty_sigmoid", 1.5, "plus 1"),
    ("chain_rule.predict_square_of_line", 18, "a number cannot tell which"),
    ("chain_rule.predict_sigmoid_slope", -0.24, "their product is positive"),
    ("graph.predict_used_twice", 4, "the direct path adds 1"),
    ("loss.predict_first_loss", -1.1, "the minus makes the loss positive"),
    ("inference.predict_batch_shape", (10,), "one number per sample"),
    ("loss.cross_entropy_error", cross_entropy_label_minus_one, "with no ± 1"),
    ("loss.SoftmaxWithLoss", SoftmaxTwiceInTheLoss, "softmax is applied twice"),
    ("inference.Sigmoid", SigmoidReturnsItsSlope, "that is the sigmoid's slope"),
    ("chain_rule.sigmoid_grad", lambda x: 1 - (1 / (1 + np.exp(-x))) ** 2, "tanh's derivative"),
    ("chain_rule.softplus_grad", lambda x: np.exp(x) / x, "the value flowing into the log"),
    (
        "chain_rule.softplus_grad",
        lambda x: np.exp(x) / np.log(1 + np.exp(x)),
        "the value flowing into the log",
    ),
    ("chain_rule.chain_derivative", chain_derivative_reversed_values, "in reverse order"),
    ("chain_rule.chain_backward", chain_backward_values_from_x, "from x alone"),
    ("gradients.predict_dW_shape", (6, 3), "the shape of the scores"),
    ("gradients.predict_dW_shape", [6, 2], "that is the shape of x"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", SLIPS, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(SLIPS)]
)
def test_slip_shows_only_its_own_hint(exercise_id, obj, hint):
    kept.clear()
    assert_only_hint(check(exercise_id, obj), hint)


# What the messages observe, where no mistake is named.
OBSERVED = [
    ("backprop.Sigmoid", SigmoidReturnsX, "it is the input `x` itself, unchanged"),
    ("backprop.Sigmoid", SigmoidDoutOnly, "it is the input `dout` itself, unchanged"),
    ("lab1.predict_in_batches", predict_in_batches_default, "are the right answer; "),
    # the values seen, then the one change that passes (grader.repairs), in the hint
    ("gradients.numerical_gradient", numerical_gradient_returns_in_loop, "the last 3 values are 0"),
    (
        "gradients.numerical_gradient",
        numerical_gradient_returns_in_loop,
        "your line `return grad` after the loop, not inside it",
    ),
]


@pytest.mark.parametrize("exercise_id,obj,observed", OBSERVED)
def test_the_message_says_what_was_observed(exercise_id, obj, observed):
    result = check(exercise_id, obj)
    assert not result.passed
    said = [o.message + " " + o.hint for o in result.outcomes if not o.passed]
    assert any(observed in text for text in said), str(result)


def test_dout_times_a_function_of_an_input_is_described():
    class SigmoidTimesY(SigmoidLayer):
        def backward(self, dout):
            return dout * self.out

    result = check("backprop.Sigmoid", SigmoidTimesY)
    assert any("`dout * sigmoid(x)`" in o.message for o in result.outcomes), str(result)


def test_a_longer_result_from_the_first_call_names_no_earlier_call():
    """Extra items before the right answer that no other call returned: observed, not blamed
    on a list kept between calls."""

    def padded(predict, x, batch_size=256):
        classes = [
            np.argmax(predict(x[s : s + batch_size]), axis=1) for s in range(0, len(x), batch_size)
        ]
        return np.concatenate([[0]] + classes)

    result = check("lab1.predict_in_batches", padded)
    assert not result.passed
    assert not any("grows from one call" in (o.hint or "") for o in result.outcomes), str(result)
    assert any("1 more come before them" in o.message for o in result.outcomes), str(result)


class AffineTwoSlips(AffineLayer):
    """dx without the transpose and db averaged: two slips, each in an output of its own."""

    def backward(self, dout):
        W, b = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.mean(dout, axis=0)
        return dout @ W


class AffineSlipAndUnknown(AffineLayer):
    """db averaged, and dx off by a factor no mistake gives: only the slip with evidence is
    named."""

    def backward(self, dout):
        W, b = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.mean(dout, axis=0)
        return 3 * dout @ W.T


def test_two_slips_in_outputs_of_their_own_are_both_named():
    assert_only_hint(
        check("backprop.Affine", AffineTwoSlips), ("`dx = dout @ W.T`", "not averaged")
    )


def test_a_second_slip_no_mistake_gives_leaves_the_first_named():
    assert_only_hint(check("backprop.Affine", AffineSlipAndUnknown), "not averaged")


def test_an_output_holding_another_outputs_value_is_observed():
    from nnscratch.nodes import Mul

    class MulBothY(Mul):
        def backward(self, dout):
            return dout * self.y, dout * self.y * 1.0

    result = check("graph.Mul", MulBothY)
    assert any("It holds what `dx` should be" in o.message for o in result.outcomes), str(result)


class AffineParamsOtherOrder(Affine):
    def forward(self, x):
        b, W = self.params
        return x @ W + b


def test_a_product_error_in_the_layer_is_told_apart_by_the_square_case():
    """x @ W.T and x @ b (params read as `b, W`) raise the very same error where W is not
    square; the square case tells them apart, and each is named as what it is."""
    assert_only_hint(check("inference.Affine", AffineTransposed), "no transpose")
    assert_only_hint(check("inference.Affine", AffineParamsOtherOrder), "in another order")


def test_a_shorter_result_is_said_to_leave_out_its_last_items():
    def one_short(predict, x, batch_size=256):
        classes = [
            np.argmax(predict(x[s : s + batch_size]), axis=1) for s in range(0, len(x), batch_size)
        ]
        return np.concatenate(classes)[:-1]

    result = check("lab1.predict_in_batches", one_short)
    assert any("with its last 1 left out" in o.message for o in result.outcomes), str(result)


def test_a_shape_read_from_a_missing_axis_is_explained():
    def cross_entropy_2d_only(y, t):
        n = y.shape[0]
        if t.size == y.size:
            t = t.argmax(axis=1)
        return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n * (y.shape[1] > 0)

    result = check("loss.cross_entropy_error", cross_entropy_2d_only)
    hints = {o.hint for o in result.outcomes if o.hint}
    assert any("fewer axes" in h or "axis=-1" in h or "batch of one" in h for h in hints), str(
        result
    )


def test_saturated_values_describe_no_function():
    """Far out, sigmoid, tanh and a normalisation all give 0s and 1s: no 'it equals' there."""
    from nnscratch.grader.compare import _input_relation

    x = np.array([[-1000.0, 1000.0, 1000.0]])
    got = np.array([[-1.0, 1.0, 1.0]])
    assert _input_relation(got, {"x": x}) == ""
    assert "np.tanh(x)" in _input_relation(np.tanh(x / 1000), {"x": x / 1000})


def test_a_layer_that_keeps_its_first_answer_fails():
    """forward must compute anew on every call: a second x on the same layer."""

    class FirstAnswerKept:
        def __init__(self):
            self.params, self.out = [], None

        def forward(self, x):
            if self.out is None:
                self.out = 1 / (1 + np.exp(-x))
            return self.out

    result = check("inference.Sigmoid", FirstAnswerKept)
    assert not result.passed
    assert any("It holds what `forward(x)` should be" in o.message for o in result.outcomes)


def test_a_quoted_true_or_false_is_said_to_be_a_string():
    result = check("training.predict_rebind", "False")
    assert not result.passed
    assert "written without quotes" in result.outcomes[0].message


def test_layers_in_another_order_and_grads_that_are_the_weights_are_named():
    from nnscratch.layers import Sigmoid as SigmoidLayer
    from nnscratch.nodes import MatMul

    class SigmoidLast(TwoLayerNet):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__(input_size, hidden_size, output_size)
            self.layers = [self.layers[0], self.layers[2], SigmoidLayer()]

    class GradsAreW(MatMul):
        def __init__(self, W):
            self.params, self.grads = [W], [W]

    assert_only_hint(check("inference.TwoLayerNet", SigmoidLast), "in another order")
    assert_only_hint(check("graph.MatMul", GradsAreW), "grads[0] is W itself")


def test_held_out_set_f_slips_are_named():
    from nnscratch.layers import Affine as AffineLayer
    from nnscratch.layers import Sigmoid as SigmoidLayer
    from nnscratch.nodes import MatMul

    class SigmoidAgain(SigmoidLayer):
        def backward(self, dout):
            again = 1 / (1 + np.exp(-self.out))
            return dout * again * (1 - again)

    class FirstSampleBias(AffineLayer):
        def backward(self, dout):
            W, b = self.params
            self.grads[0][...] = self.x.T @ dout
            self.grads[1][...] = dout[0]
            return dout @ W.T

    class DxFromDW(MatMul):
        """dx computed with dW where W belongs: not the grads-are-W slip, whose W changes
        (named as itself since round 5)."""

        def backward(self, dout):
            dW = self.x.T @ dout
            self.grads[0][...] = dW
            return dout @ dW.T

    assert_only_hint(check("backprop.Sigmoid", SigmoidAgain), "applies the sigmoid again")
    assert_only_hint(check("backprop.Affine", FirstSampleBias), "the first sample's dout alone")
    assert_only_hint(check("graph.MatMul", DxFromDW), "dx is computed with dW")


def test_a_planted_loss_fix_that_spoils_its_stored_probabilities_fails():
    """The fixed ScoreLoss subtracts from self.y in place: right once, wrong the second time."""
    from nnscratch import planted
    from tests.test_grader_backprop import MyFastAffine, MyLogistic, MyLoopAffine

    class InPlace(planted.ScoreLoss):
        def backward(self, dout=1):
            dx = self.y
            dx[np.arange(len(self.t)), self.t] -= 1
            return dx * dout / len(self.t)

    class Net(planted.PlantedNet):
        layer_classes = (MyLoopAffine, MyLogistic, MyFastAffine, InPlace)

    assert_only_hint(check("backprop.planted_bugs", Net), "a second backward starts")


def test_held_out_set_g_slips():
    from nnscratch.activation_layers import ReLU

    class MaskAtZero(ReLU):
        def forward(self, x):
            self.mask = x >= 0
            return np.where(self.mask, x, 0.0)

        def backward(self, dout):
            return dout * self.mask

    class ParametersSwapped:
        def __init__(self):
            self.params = []

        def forward(self, t, x):  # the case calls forward(x, t)
            from nnscratch.functions import cross_entropy_error, softmax

            self.y, self.t = softmax(x), t
            return cross_entropy_error(self.y, t)

    assert_only_hint(check("lab2.ReLU", MaskAtZero), "not `x >= 0`")
    result = check("loss.SoftmaxWithLoss", ParametersSwapped)
    assert not result.passed
    hints = {o.hint for o in result.outcomes if o.hint}
    assert all("trade places" in h for h in hints), str(result)
