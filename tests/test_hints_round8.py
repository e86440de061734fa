"""Issue 11, an eighth round: what set N's unnamed and named-only-by-observation answers showed,
each made a general rule and shown here on wrong answers written in words of their own: a layer
that keeps its first forward's cache; dout left out on one side of a np.where; a shape that
differs from the right one by an axis of length 1; a prediction rounded in two steps; a list
where the text asks for a tuple; a legacy RandomState; repairs that fix a condition above a
`raise`, indent a line into its loop, add an axis with keepdims, sum over axis -2 or move a
term into a log; a one-hot t used as class indices; where a NaN appears; a network with too few
hidden neurons."""

import numpy as np

from nnscratch.grader import check
from nnscratch.grader.first_forward import keeps_first_forward
from nnscratch.layers import Affine
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import fit
from tests.hint_tables import assert_only_hint, hints_shown


def messages(result) -> str:
    return "\n".join(o.message for o in result.outcomes if not o.passed)


# A cache filled once: backward after a second forward uses the first forward's input


class AffineCachedOnce:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        if self.x is None:
            self.x = x
        W, b = self.params
        return x @ W + b

    def backward(self, dout):
        W, _b = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ W.T


class ELUFirstInputOnly:
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        if self.mask is None:
            self.mask = x > 0
            self.x = x
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))

    def backward(self, dout):
        return dout * np.where(self.mask, 1.0, np.exp(np.minimum(self.x, 0)))


def test_a_cache_filled_on_the_first_forward_only_is_named():
    for exercise, answer in (
        ("backprop.Affine", AffineCachedOnce),
        ("lab2.ELU", ELUFirstInputOnly),
    ):
        result = check(exercise, answer)
        assert_only_hint(result, "still uses what its first forward stored")


def test_the_right_layer_is_not_its_own_first_forward_variant():
    kept = keeps_first_forward(Affine)
    layer = kept(np.ones((2, 3)), np.zeros(3))
    layer.forward(np.ones((4, 2)))
    layer.forward(2 * np.ones((5, 2)))
    assert layer.x.shape == (4, 2)  # the variant keeps the first input
    assert keeps_first_forward(lambda x: x) is None  # a function has no forward to keep
    assert check("backprop.Affine", Affine).passed


# dout left out on one side of a np.where


class ELUDoutOnOneSide:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.x = x
        self.out = np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)
        return self.out

    def backward(self, dout):
        return np.where(self.x > 0, dout, self.out + 1.0)


def test_dout_left_out_where_x_is_negative_is_named_for_those_places():
    assert_only_hint(check("lab2.ELU", ELUDoutOnOneSide), "in every place where it is wrong")


# Shapes that differ by an axis of length 1


def affine_always_a_row(x, W, b):
    return np.atleast_2d(x @ W + b)


def quadratic_grad_column(A, x):
    return (A + A.T) @ x.reshape(-1, 1)


def test_an_axis_of_length_1_added_or_lost_is_said_as_such():
    said = messages(check("inference.affine", affine_always_a_row))
    assert "with an extra axis of length 1 in front" in said, said
    said = messages(check("gradients.quadratic_grad", quadratic_grad_column))
    assert "the right values as a column" in said, said


# Predictions rounded by hand


def test_a_prediction_rounded_in_two_steps_is_named_after_its_value():
    result = check("loss.predict_first_loss", 1.59)  # log2 3 = 1.58496 -> 1.585 -> 1.59
    assert_only_hint(result, "the natural log")
    result = check("loss.predict_one_sample_loss", 0.12)  # -log 0.7 / 3 = 0.119
    assert_only_hint(result, "divided by 3")
    result = check("loss.predict_first_loss", 1.57)  # no listed value rounds to it
    assert not result.passed and not hints_shown(result)


def test_a_sign_flipped_fused_gradient_and_the_two_ways_to_18():
    assert_only_hint(check("backprop.predict_fused_gradient", 1.0), "the sign flipped")
    assert_only_hint(check("chain_rule.predict_square_of_line", 18.0), "a number cannot tell")


# What the text asks for: a tuple, a generator from np.random.default_rng


def network_sizes_as_list(params):
    I, H = params["W1"].shape
    H2, O = params["W2"].shape
    if params["b1"].shape != (H,) or H2 != H or params["b2"].shape != (O,):
        raise ValueError("the weights do not fit together")
    return [I, H, O]


def network_sizes_checks_b2_against_H(params):
    I, H = params["W1"].shape
    H2, O = params["W2"].shape
    if params["b1"].shape != (H,) or H2 != H:
        raise ValueError("W1, b1 and W2 do not fit")
    if params["b2"].shape != (H,):
        raise ValueError("b2 does not fit W2")
    return I, H, O


def split_with_random_state(x, t, test_fraction, rng):
    order = np.random.RandomState(rng).permutation(len(x))
    n_test = round(test_fraction * len(x))
    return (x[order[n_test:]], t[order[n_test:]]), (x[order[:n_test]], t[order[:n_test]])


def test_a_list_of_sizes_and_a_legacy_generator_fail_saying_what_the_text_asks():
    said = messages(check("lab1.network_sizes", network_sizes_as_list))
    assert "expected 'tuple', got 'list'" in said, said
    said = messages(check("lab3.train_test_split", split_with_random_state))
    assert "no np.random.RandomState is made" in said, said
    assert np.random.RandomState.__name__ == "RandomState"  # put back after the check


def test_a_condition_above_a_raise_is_repaired():
    result = check("lab1.network_sizes", network_sizes_checks_b2_against_H)
    assert_only_hint(result, "`(O,)` in place of your `(H,)`")


# Repairs: a line indented into its loop, an axis with keepdims, axis -2, a term into a log


def numerical_gradient_stored_after_loop(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        keep = x[idx]
        x[idx] = keep + h
        up = f(x)
        x[idx] = keep - h
        down = f(x)
        x[idx] = keep
    grad[idx] = (up - down) / (2 * h)
    return grad


def classify_by_the_batch_max(scores):
    return np.argmax(scores == np.max(scores), axis=1)


def affine_broadcast_sum_first_axis(x, W, b):
    return (x[..., :, None] * W).sum(axis=0) + b


def cross_entropy_delta_outside(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), np.reshape(t, (1, -1)) if np.size(t) == y.size else np.ravel(t)
    if t.size == y.size:
        t = t.argmax(axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t]) + 1e-7) / n


def test_repairs_of_a_line_out_of_its_loop_an_axis_and_a_term_outside_the_log():
    result = check("gradients.numerical_gradient", numerical_gradient_stored_after_loop)
    assert any("inside the loop above it" in h for h in hints_shown(result)), str(result)
    result = check("inference.classify", classify_by_the_batch_max)
    assert any("np.max(scores, axis=1, keepdims=True)" in h for h in hints_shown(result))
    result = check("inference.affine", affine_broadcast_sum_first_axis)
    assert any("axis=-2" in h for h in hints_shown(result)), str(result)
    result = check("loss.cross_entropy_error", cross_entropy_delta_outside)
    assert any("np.log(y[np.arange(n), t] + 1e-07)" in h for h in hints_shown(result)), str(result)


# A one-hot t used as class indices; where a NaN appears


class SoftmaxWithLossLabelsOnly:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        return -np.mean(np.log(self.y[np.arange(len(x)), t] + 1e-7))

    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(dx)), self.t] -= 1
        return dx * dout / len(dx)


def sigmoid_grad_overflowing(x):
    return np.exp(x) / (1 + np.exp(x)) ** 2


def test_a_one_hot_t_used_as_indices_and_where_a_nan_appears():
    result = check("loss.SoftmaxWithLoss", SoftmaxWithLossLabelsOnly)
    assert any("t is one-hot here" in h for h in hints_shown(result)), str(result)
    said = messages(check("chain_rule.sigmoid_grad", sigmoid_grad_overflowing))
    assert "NaN at 1 place(s), where x is 1000" in said, said


# Lab 3: a hidden layer too small to close a boundary


def train_two_hidden(x, t, rng):
    model = TwoLayerNet(2, 2, t.shape[1], weight_std=1.0, rng=rng)
    fit(model, x, t, SGD(lr=1.0), epochs=150, batch_size=30, rng=rng)
    return model


def test_too_few_hidden_neurons_are_read_from_the_model():
    said = messages(check("lab3.train_classifier", train_two_hidden))
    assert "the model has 2 hidden neurons" in said, said


# A chain derivative written for two steps; a single sample's one-hot t reshaped to one label


def chain_derivative_two_steps(steps, x):
    (f_in, df_in), (_f_out, df_out) = steps[0], steps[-1]
    return df_out(f_in(x)) * df_in(x)


def cross_entropy_one_hot_by_ndim(y, t):
    t = np.asarray(t)
    if t.ndim == 2:
        t = t.argmax(axis=1)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1)
    return -np.sum(np.log(y[np.arange(len(y)), t] + 1e-7)) / len(y)


class AddHalves:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return 0.5 * dout, 0.5 * dout


def test_a_two_step_chain_a_one_hot_single_sample_and_an_add_that_halves():
    result = check("chain_rule.chain_derivative", chain_derivative_two_steps)
    assert_only_hint(result, "the first and the last steps alone")
    result = check("loss.cross_entropy_error", cross_entropy_one_hot_by_ndim)
    assert_only_hint(result, "it is one row of C numbers, not one label")
    assert_only_hint(check("graph.Add", AddHalves), "each half of dout")


# A mask turned the other way; an Affine whose b is W fails on a square W with x * W's message


class ELUMaskTurned:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.x = x
        self.out = np.where(x < 0, x, np.exp(np.minimum(x, 0)) - 1)
        return self.out

    def backward(self, dout):
        return dout * np.where(self.x > 0, 1.0, self.out + 1)


class AffineBiasIsW:
    def __init__(self, W, b):
        self.params = [W, b]

    def forward(self, x):
        W = self.params[0]
        b = self.params[0]
        return x @ W + b


def test_a_mask_turned_the_other_way_and_an_exception_shared_by_chance():
    result = check("lab2.ELU", ELUMaskTurned)
    assert any("`x > 0` in place of your `x < 0`" in h for h in hints_shown(result)), str(result)
    result = check("inference.Affine", AffineBiasIsW)
    assert_only_hint(result, "`self.params[1]` in place of your `self.params[0]`")
    assert not any("`*` multiplies" in h for h in hints_shown(result)), str(result)


# Set O1: a gradient array made too small, a step for a slope, params as a tuple


def numerical_gradient_grad_one_per_row(f, x):
    h = 1e-4
    grad = np.zeros(len(x))
    for i in range(x.size):
        idx = np.unravel_index(i, x.shape)
        keep = x[idx]
        x[idx] = keep + h
        up = f(x)
        x[idx] = keep - h
        down = f(x)
        x[idx] = keep
        grad.flat[i] = (up - down) / (2 * h)
    return grad


def softplus_grad_step(x):
    return (np.asarray(x) > 0).astype(float)


class AffineParamsTuple:
    def __init__(self, W, b):
        self.params = (W, b)

    def forward(self, x):
        W, b = self.params
        return x @ W + b


def test_a_flat_index_past_the_end_a_step_and_params_as_a_tuple():
    result = check("gradients.numerical_gradient", numerical_gradient_grad_one_per_row)
    assert_only_hint(result, "a `.flat[i]` index ran past the end of its array")
    said = messages(check("chain_rule.softplus_grad", softplus_grad_step))
    assert "every value is 1 where x > 0 and 0 elsewhere, a step" in said, said
    assert "rounded" not in said, said
    said = messages(check("inference.Affine", AffineParamsTuple))
    assert "`type(params)`: expected 'list', got 'tuple'" in said, said


# Set O2: an array inside the params dict changed in place, a count that is no division by N,
# None met by int()


def forward_adds_into_b1(x, params):
    a = params["b1"]
    a += x @ params["W1"]
    h = 1 / (1 + np.exp(-a))
    return h @ params["W2"] + params["b2"]


def split_train_one_early(x, t, test_fraction, rng):
    order = np.random.default_rng(rng).permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[:n_test], order[n_test - 1 :]
    return (x[train], t[train]), (x[test], t[test])


class SumWithoutN:
    def __init__(self):
        self.params, self.grads = [], []
        self.N = None

    def forward(self, x):
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0)


def test_a_params_array_changed_in_place_a_count_and_none_in_a_repeat():
    said = messages(check("lab1.forward", forward_adds_into_b1))
    assert "changed its input `params['b1']` in place" in said, said
    said = messages(check("lab3.train_test_split", split_train_one_early))
    assert "a division by N" not in said, said
    assert_only_hint(check("graph.Sum", SumWithoutN), "a value used here is None")


def train_never_fits(x, t, rng):
    return TwoLayerNet(2, 8, t.shape[1], weight_std=1.0, rng=rng)


def test_a_model_never_trained_is_seen_by_its_biases():
    said = messages(check("lab3.train_classifier", train_never_fits))
    assert "every bias is still 0" in said, said
    assert "every bias is still 0" not in messages(check("lab3.train_classifier", train_two_hidden))


class SoftmaxWithLossYFromTheFirstBatch:
    def __init__(self):
        self.params = []
        self.y = None

    def forward(self, x, t):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        probabilities = e / e.sum(axis=1, keepdims=True)
        if self.y is None:
            self.y = probabilities
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        return -np.mean(np.log(probabilities[np.arange(len(x)), labels] + 1e-7))


def test_the_probabilities_kept_after_a_second_batch_are_checked():
    said = messages(check("loss.SoftmaxWithLoss", SoftmaxWithLossYFromTheFirstBatch))
    assert "`self.y after the second forward(x, t)`" in said, said


# Set P2: an epoch's mean over N / batch_size, not over the mini-batches that ran


def train_mean_over_n_by_batch(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    rng = np.random.default_rng(seed)
    steps = len(x) // batch_size
    history = []
    for _epoch in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for i in range(steps):
            rows = order[i * batch_size : (i + 1) * batch_size]
            total += model.forward(x[rows], t[rows])
            model.backward()
            optimizer.update(model.params, model.grads)
        history.append(total / (len(x) / batch_size))
    return history


def test_an_epoch_mean_over_a_fraction_of_batches_fails():
    said = messages(check("training.train", train_mean_over_n_by_batch))
    assert "divided by the number of mini-batches that ran, 3 here" in said, said
