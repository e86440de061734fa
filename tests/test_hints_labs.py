"""Labs 1 and 3: more wrong answers, each with the one hint it must show (None: no hint).
Together with tests/test_grader_labs.py, every lab exercise has at least 8."""

import numpy as np
import pytest

from nnscratch.data import rings
from nnscratch.grader import check
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import fit
from tests.hint_tables import assert_fails_with_only, assert_only_hint

RETURN = "is a `return` missing"
UNCHECKED = "a mismatched set must raise ValueError"  # true of every answer that never raises


def sizes_no_return(params):
    I, H = params["W1"].shape  # noqa: RUF059 - the slip under test: nothing is returned
    O = params["W2"].shape[1]  # noqa: F841


def sizes_from_biases(params):
    return len(params["b1"]), len(params["b1"]), len(params["b2"])


def sizes_by_length(params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    (I, H), (H2, O) = W1.shape, W2.shape
    if len(b1) != H or H2 != H or len(b2) != O:
        raise ValueError("the weights do not fit together")
    return I, H, O


def sizes_hidden_from_b1(params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    I, H, O = W1.shape[0], len(b1), len(b2)
    if W2.shape != (H, O):  # W1's columns never compared with H
        raise ValueError("W2 does not fit")
    return I, H, O


def sizes_list(params):
    return [params["W1"].shape[0], params["W1"].shape[1], params["W2"].shape[1]]


def sizes_b_first(params):
    return params["W1"].shape[1], params["W1"].shape[0], params["W2"].shape[1]


def forward_no_return(x, params):
    h = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    s = h @ params["W2"] + params["b2"]  # noqa: F841 - the slip under test


def forward_precedence(x, params):
    a = x @ params["W1"] + params["b1"]
    return (1 / 1 + np.exp(-a)) @ params["W2"] + params["b2"]


def forward_relu(x, params):
    h = np.maximum(0, x @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def forward_tanh(x, params):
    return np.tanh(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def batches_no_return(predict, x, batch_size):
    out = []
    for start in range(0, len(x), batch_size):
        out.append(np.argmax(predict(x[start : start + batch_size]), axis=1))
    np.concatenate(out)


def batches_drop_last(predict, x, batch_size):
    out = [
        np.argmax(predict(x[i * batch_size : (i + 1) * batch_size]), axis=1)
        for i in range(len(x) // batch_size)
    ]
    return np.concatenate(out)


def batches_fixed_size(predict, x, batch_size):
    out = [np.argmax(predict(x[start : start + 4]), axis=1) for start in range(0, len(x), 4)]
    return np.concatenate(out)


def accuracy_no_return(scores, t):
    np.mean(np.argmax(scores, axis=1) == (t if t.ndim == 1 else t.argmax(axis=1)))


def accuracy_count(scores, t):
    labels = t if t.ndim == 1 else t.argmax(axis=1)
    return np.sum(np.argmax(scores, axis=1) == labels)


def accuracy_percent(scores, t):
    labels = t if t.ndim == 1 else t.argmax(axis=1)
    return 100 * np.mean(np.argmax(scores, axis=1) == labels)


def accuracy_axis0(scores, t):
    labels = t if t.ndim == 1 else t.argmax(axis=1)
    return np.mean(np.argmax(scores, axis=0) == labels[: scores.shape[1]])


def confusion_no_return(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for i, j in zip(labels, predicted):
        counts[i, j] += 1


def confusion_fancy_add(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[labels, predicted] += 1
    return counts


def confusion_transposed(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for i, j in zip(labels, predicted):
        counts[j, i] += 1
    return counts


def confusion_floats(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes))
    np.add.at(counts, (labels, predicted), 1)
    return counts / len(labels)


def confusion_from_data(labels, predicted, n_classes):
    C = int(max(labels.max(), predicted.max())) + 1
    counts = np.zeros((C, C), dtype=int)
    np.add.at(counts, (labels, predicted), 1)
    return counts


LAB_NET = None


def the_lab_network(x, t, rng):
    """The network trained earlier in the notebook, whatever the arguments say."""
    global LAB_NET
    if LAB_NET is None:
        x_lab, t_lab = rings(rng=31415)
        LAB_NET = TwoLayerNet(2, 8, 2, weight_std=1.0, rng=0)
        fit(LAB_NET, x_lab, t_lab, SGD(lr=1.0), epochs=200, batch_size=30, rng=0)
    return LAB_NET


def radius_rule(x, t, rng):
    class Rule:
        def predict(self, points):
            inner = np.hypot(points[:, 0], points[:, 1]) < 0.75
            return np.column_stack([inner, ~inner]).astype(float)

    return Rule()


def trained_no_return(x, t, rng):
    model = TwoLayerNet(2, 8, t.shape[1], weight_std=1.0, rng=rng)
    fit(model, x, t, SGD(lr=1.0), epochs=300, batch_size=30, rng=rng)


TABLE = [
    ("lab1.network_sizes", sizes_no_return, (RETURN, UNCHECKED)),
    ("lab1.network_sizes", sizes_from_biases, (UNCHECKED, "`return (H, H, O)` in place of")),
    ("lab1.network_sizes", sizes_by_length, "a b1 of shape (4, 1) got through"),
    ("lab1.network_sizes", sizes_hidden_from_b1, "a b1 of shape (4, 1) got through"),
    # (H, I, O): the outputs cannot tell `H, I = W1.shape` from a return in another order; what
    # they show is said (the right numbers in another order, as `return (H, I, O)` gives them)
    (
        "lab1.network_sizes",
        sizes_b_first,
        ("`return (H, I, O)` in place of `return (I, H, O)`", UNCHECKED),
    ),
    (
        "lab1.network_sizes",
        lambda params: params["W1"].shape + params["W2"].shape,
        ("H is in both shapes", UNCHECKED),
    ),
    ("lab1.forward", forward_no_return, RETURN),
    ("lab1.forward", forward_precedence, "operator precedence"),
    ("lab1.forward", forward_relu, "uses the sigmoid"),
    ("lab1.forward", forward_tanh, "uses the sigmoid"),
    ("lab1.predict_in_batches", batches_no_return, RETURN),
    (
        "lab1.predict_in_batches",
        batches_drop_last,
        ("the last, shorter batch is missing", "the loop ran zero times"),
    ),
    ("lab1.predict_in_batches", batches_fixed_size, None),
    ("lab1.accuracy", accuracy_no_return, RETURN),
    ("lab1.accuracy", accuracy_count, "that is how many are right"),
    ("lab1.accuracy", accuracy_percent, "not a percentage"),
    ("lab1.accuracy", accuracy_axis0, None),
    ("lab1.confusion_matrix", confusion_no_return, RETURN),
    (
        "lab1.confusion_matrix",
        confusion_fancy_add,
        "is counted once, however often it occurs",
    ),
    ("lab1.confusion_matrix", confusion_transposed, "rows are the true classes"),
    ("lab1.confusion_matrix", confusion_floats, "divided by the number of samples"),
    ("lab1.confusion_matrix", confusion_from_data, "whatever labels occur in this batch"),
    ("lab3.train_classifier", trained_no_return, RETURN),
]

# Short of the threshold: an accuracy band cannot tell a rule from an untrained network, so the
# usual reasons are said beside the accuracy, and no hint names one.
SHORT_OF_THE_THRESHOLD = [
    (the_lab_network, "trained before on the lab's rings"),
    (radius_rule, "A fixed rule"),
]


@pytest.mark.parametrize("fn,said", SHORT_OF_THE_THRESHOLD)
def test_a_model_short_of_the_threshold_is_told_the_usual_reasons(fn, said):
    result = check("lab3.train_classifier", fn)
    assert_only_hint(result, None)
    assert said in result.outcomes[0].message, str(result)


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)


# Lab 1's log-sum-exp gradient, Lab 3's split, class map and binary loss layer.


def stable_softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def lse_no_return(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    g = e / e.sum(axis=1, keepdims=True)  # noqa: F841 - the slip under test


def lse_stable_down_columns(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)  # the slip: summed down the columns


def lse_global_max(s):
    e = np.exp(s - s.max())
    return e / e.sum(axis=1, keepdims=True)


def lse_sums_everything(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum()


def lse_log_softmax(s):
    return np.log(stable_softmax(s))


def lse_the_value(s):
    top = s.max(axis=1)
    return top + np.log(np.exp(s - top[:, None]).sum(axis=1))


def lse_no_keepdims(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def split_rows(x, t, test_fraction, rng, n_test=None, shuffle_t=True):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n = round(test_fraction * len(x)) if n_test is None else n_test(test_fraction * len(x))
    x = x[order]
    t = t[order] if shuffle_t else t
    return (x[n:], t[n:]), (x[:n], t[:n])


def split_no_return(x, t, test_fraction, rng):
    split = split_rows(x, t, test_fraction, rng)  # noqa: F841 - the slip under test


def split_int(x, t, test_fraction, rng):
    return split_rows(x, t, test_fraction, rng, n_test=int)


def split_x_alone(x, t, test_fraction, rng):
    return split_rows(x, t, test_fraction, rng, shuffle_t=False)


def split_four_arrays(x, t, test_fraction, rng):
    (x_train, t_train), (x_test, t_test) = split_rows(x, t, test_fraction, rng)
    return x_train, t_train, x_test, t_test


def grid_points(xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return X, np.column_stack([X.ravel(), Y.ravel()])


def map_no_return(predict, xs, ys):
    X, points = grid_points(xs, ys)
    classes = np.argmax(predict(points), axis=1).reshape(X.shape)  # noqa: F841 - the slip


def map_axis0(predict, xs, ys):
    return np.argmax(predict(grid_points(xs, ys)[1]), axis=0)


def map_loop_x_outer(predict, xs, ys):
    out = np.zeros((len(xs), len(ys)), dtype=int)
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            out[i, j] = np.argmax(predict(np.array([[x, y]])))
    return out


def map_reshaped_x_first(predict, xs, ys):
    return np.argmax(predict(grid_points(xs, ys)[1]), axis=1).reshape(len(xs), len(ys))


def map_probabilities(predict, xs, ys):
    X, points = grid_points(xs, ys)
    return stable_softmax(predict(points)).max(axis=1).reshape(X.shape)


class BinaryLoss:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = 1 / (1 + np.exp(-x)), t
        return -np.mean(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))

    def backward(self, dout=1):
        return (self.y - self.t) * dout / len(self.t)


def binary(**methods):
    return type("SigmoidWithLoss", (BinaryLoss,), methods)


def binary_backward_no_return(self, dout=1):
    dx = (self.y - self.t) * dout / len(self.t)  # noqa: F841 - the slip under test


def binary_forward_sum(self, x, t):
    self.y, self.t = 1 / (1 + np.exp(-x)), t
    return -np.sum(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))


def binary_forward_keeps_nothing(self, x, t):
    y = 1 / (1 + np.exp(-x))
    return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))


def binary_forward_precedence(self, x, t):
    self.y, self.t = 1 / 1 + np.exp(-x), t
    return -np.mean(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))


def binary_forward_half(self, x, t):
    self.y, self.t = 1 / (1 + np.exp(-x)), t
    return -np.mean(t * np.log(self.y))


def sizes_out_of_order(params):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,) or H2 != H or b2.shape != (O,):
        raise ValueError("the weights do not fit together")
    return I, O, H


def forward_sigmoid_sign(x, params):
    h = 1 / (1 + np.exp(x @ params["W1"] + params["b1"]))
    return h @ params["W2"] + params["b2"]


def accuracy_floor_division(scores, t):
    y = np.argmax(scores, axis=1)
    if t.ndim != 1:
        t = np.argmax(t, axis=1)
    return np.sum(y == t) // scores.shape[0]


def lse_minus_one_hot_of_max(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p - (s == s.max(axis=1, keepdims=True))


def split_test_drawn_by_choice(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    test = rng.choice(len(x), n_test)  # replace=True by default: a point can be drawn twice
    train = np.setdiff1d(np.arange(len(x)), test)
    return (x[train], t[train]), (x[test], t[test])


def split_test_drawn_by_integers(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    test = rng.integers(0, len(x), size=n_test)
    keep = np.ones(len(x), dtype=bool)
    keep[test] = False
    return (x[keep], t[keep]), (x[test], t[test])


STORED = "backward can only use what forward kept on `self`"

MORE = [
    ("lab1.logsumexp_grad", lse_no_return, RETURN),
    ("lab1.network_sizes", sizes_out_of_order, "in the order (I, O, H)"),
    ("lab1.forward", forward_sigmoid_sign, "sigmoid(−a) = 1 − sigmoid(a)"),
    ("lab1.accuracy", accuracy_floor_division, "rounds any fraction below 1 down to 0"),
    ("lab1.logsumexp_grad", lse_minus_one_hot_of_max, "one-hot(argmax s)"),
    ("lab3.train_test_split", split_test_drawn_by_choice, "drawn with replacement"),
    ("lab3.train_test_split", split_test_drawn_by_integers, "drawn with replacement"),
    ("lab1.logsumexp_grad", lse_global_max, "each row's own largest score"),
    ("lab1.logsumexp_grad", lse_stable_down_columns, "normalise along axis=1"),
    ("lab1.logsumexp_grad", lse_sums_everything, "divide each row by its own sum"),
    ("lab1.logsumexp_grad", lse_log_softmax, "`return s - logsumexp(s)[:, None]`"),
    ("lab1.logsumexp_grad", lse_the_value, "that is logsumexp(s) itself"),
    ("lab1.logsumexp_grad", lse_no_keepdims, "keepdims=True"),
    ("lab1.logsumexp_grad", lambda s: np.exp(s), "divides it by that very sum"),
    (
        "lab1.logsumexp_grad",
        lambda s: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True),
        "e^s overflowed",
    ),
    (
        "lab1.logsumexp_grad",
        lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum(axis=0, keepdims=True),
        "not axis=0",
    ),
    ("lab3.train_test_split", split_no_return, RETURN),
    ("lab3.train_test_split", split_int, "`int()` (like `math.floor` or `//`) cuts off"),
    ("lab3.train_test_split", split_x_alone, "only one of them shuffled"),
    ("lab3.train_test_split", split_four_arrays, "return two pairs"),
    ("lab3.class_map", map_no_return, RETURN),
    ("lab3.class_map", map_axis0, "runs down the columns: one number per class"),
    ("lab3.class_map", map_loop_x_outer, "comes out sideways"),
    ("lab3.class_map", map_reshaped_x_first, "cuts the rows at the wrong length"),
    ("lab3.class_map", map_probabilities, None),  # observed: floats, not class indices
    ("lab3.SigmoidWithLoss", binary(backward=binary_backward_no_return), RETURN),
    ("lab3.SigmoidWithLoss", binary(forward=binary_forward_sum), None),  # observed: N times
    ("lab3.SigmoidWithLoss", binary(forward=binary_forward_keeps_nothing), STORED),
    ("lab3.SigmoidWithLoss", binary(forward=binary_forward_precedence), "operator precedence"),
    ("lab3.SigmoidWithLoss", binary(forward=binary_forward_half), "−mean(t log p) alone"),
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda self, dout: (self.y - self.t) * dout / len(self.t)),
        "default value",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda self, dout=1: (self.y - self.t) * dout),
        "N times too large",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda self, dout=1: (self.t - self.y) * dout / len(self.t)),
        "sign is flipped",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary(
            backward=lambda self, dout=1: (
                (self.y - self.t) * self.y * (1 - self.y) * dout / len(self.t)
            )
        ),
        "already inside",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda self, dout=1: (self.y - self.t) / len(self.t)),
        "upstream gradient `dout`",
    ),
    # the sigmoid's slope alone, without the loss's y − t
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda s, dout=1: dout * s.y * (1 - s.y) / len(s.t)),
        "the sigmoid's slope alone",
    ),
    # σ(−x) for σ(x): 1 / (1 + e^x)
    (
        "lab3.SigmoidWithLoss",
        binary(backward=lambda s, dout=1: (1 - s.y - s.t) * dout / len(s.t)),
        "`self.x` in place of `-self.x`",  # the reference's own sigmoid, changed once
    ),
    ("lab3.SigmoidWithLoss", binary(backward=lambda s, dout=1: np.mean(s.y - s.t) * dout), None),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", MORE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(MORE)]
)
def test_more_wrong_answers_show_only_their_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
