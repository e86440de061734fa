"""Labs 1 and 3: more wrong answers, each with the one hint it must show (None: no hint).
Together with tests/test_grader_labs.py, every lab exercise has at least 8."""

import numpy as np
import pytest

from nnscratch.data import rings
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import fit
from tests.hint_tables import assert_fails_with_only

RETURN = "is a `return` missing"
UNCHECKED = "a mismatched set must raise ValueError"  # true of every answer that never raises


def sizes_no_return(params):
    I, H = params["W1"].shape  # noqa: RUF059 - the slip under test: nothing is returned
    O = params["W2"].shape[1]  # noqa: F841


def sizes_from_biases(params):
    return len(params["b1"]), len(params["b1"]), len(params["b2"])


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
    ("lab1.network_sizes", sizes_from_biases, UNCHECKED),
    ("lab1.network_sizes", sizes_b_first, ("`I, H = W1.shape` (not `H, I`)", UNCHECKED)),
    ("lab1.network_sizes", lambda params: params["W1"].shape + params["W2"].shape, UNCHECKED),
    ("lab1.forward", forward_no_return, RETURN),
    ("lab1.forward", forward_precedence, "operator precedence"),
    ("lab1.forward", forward_relu, None),
    ("lab1.forward", forward_tanh, None),
    ("lab1.predict_in_batches", batches_no_return, RETURN),
    ("lab1.predict_in_batches", batches_drop_last, ("skips the last", "the loop ran zero times")),
    ("lab1.predict_in_batches", batches_fixed_size, None),
    ("lab1.accuracy", accuracy_no_return, RETURN),
    ("lab1.accuracy", accuracy_count, "that is how many are right"),
    ("lab1.accuracy", accuracy_percent, "not a percentage"),
    ("lab1.accuracy", accuracy_axis0, None),
    ("lab1.confusion_matrix", confusion_no_return, RETURN),
    (
        "lab1.confusion_matrix",
        confusion_fancy_add,
        "counts a repeated (true, predicted) pair only once",
    ),
    ("lab1.confusion_matrix", confusion_transposed, "rows are the true classes"),
    ("lab1.confusion_matrix", confusion_floats, None),
    ("lab1.confusion_matrix", confusion_from_data, "sizing it from the largest label"),
    ("lab3.train_classifier", the_lab_network, "trained before on the lab's rings"),
    ("lab3.train_classifier", radius_rule, "A fixed rule"),
    ("lab3.train_classifier", trained_no_return, RETURN),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
