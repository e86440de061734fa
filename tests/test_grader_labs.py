"""The labs' exercises against catalogues of student answers, right and wrong; their reference
code against numbers; their points tables and score cell."""

import re

import numpy as np
import pytest

from nnscratch import evaluation
from nnscratch.exercises import EXERCISES, lab1
from nnscratch.grader import check
from tests.hint_tables import assert_only_hint
from tests.notebook_tools import ROOT

LABS = {"lab1": "lab1_inference", "lab2": "lab2_new_layers", "lab3": "lab3_train_and_explain"}


@pytest.fixture(autouse=True)
def lenient_grader(monkeypatch):
    """Wrong answers must fail with feedback here, not raise (as strict mode would)."""
    monkeypatch.delenv("NNSCRATCH_STRICT", raising=False)


def assert_passes(exercise_id, obj):
    result = check(exercise_id, obj)
    assert result.passed, str(result)


def assert_fails_with(exercise_id, obj, hint):
    result = check(exercise_id, obj)
    assert result.status == "failed", str(result)
    assert_only_hint(result, hint)


# --- Lab 1 --------------------------------------------------------------------------------------


def sizes_checked_by_assert_free_code(params):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    if (
        W1.shape[1] != b1.shape[0]
        or b1.ndim != 1
        or W2.shape[0] != W1.shape[1]
        or b2.shape != W2.shape[1:]
    ):
        raise ValueError("mismatch")
    return (W1.shape[0], W1.shape[1], W2.shape[1])


def batches_with_while(predict, x, batch_size):
    out, start = np.zeros(len(x), dtype=int), 0
    while start < len(x):
        stop = min(start + batch_size, len(x))
        out[start:stop] = predict(x[start:stop]).argmax(axis=-1)
        start = stop
    return out


def confusion_add_at(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=np.int32)
    np.add.at(counts, (labels, predicted), 1)
    return counts


RIGHT_LAB1 = {
    "lab1.network_sizes": [lab1.network_sizes, sizes_checked_by_assert_free_code],
    "lab1.forward": [
        lab1.forward,
        lambda x, p: 1 / (1 + np.exp(-(np.dot(x, p["W1"]) + p["b1"]))) @ p["W2"] + p["b2"],
        lambda x, p: (np.tanh(0.5 * (x @ p["W1"] + p["b1"])) / 2 + 0.5) @ p["W2"] + p["b2"],
        lambda x, p: (
            1
            / (
                1
                + np.exp(
                    -(
                        x.astype(np.float32) @ p["W1"].astype(np.float32)
                        + p["b1"].astype(np.float32)
                    )
                )
            )
            @ p["W2"].astype(np.float32)
            + p["b2"].astype(np.float32)
        ),
    ],
    "lab1.predict_in_batches": [
        evaluation.predict_in_batches,
        batches_with_while,
        lambda predict, x, b: np.concatenate(
            [predict(x[i : i + b]) for i in range(0, len(x), b)]
        ).argmax(1),
        lambda predict, x, b: np.hstack(
            [np.argmax(predict(chunk), axis=1) for chunk in np.array_split(x, range(b, len(x), b))]
        ),
    ],
    "lab1.accuracy": [
        evaluation.accuracy,
        lambda s, t: np.sum(s.argmax(1) == (t.argmax(1) if t.ndim > 1 else t)) / len(s),
        lambda s, t: (
            float(np.mean(np.argmax(s, axis=1) == np.argmax(t, axis=1)))
            if t.ndim == 2
            else float(np.mean(np.argmax(s, axis=1) == t))
        ),
        lambda s, t: (
            np.count_nonzero(s.argmax(1) == (t if t.ndim == 1 else t.argmax(1))) / s.shape[0]
        ),
    ],
    "lab1.confusion_matrix": [
        evaluation.confusion_matrix,
        confusion_add_at,
        lambda labels, predicted, C: np.array(
            [[np.sum((labels == i) & (predicted == j)) for j in range(C)] for i in range(C)]
        ),
        lambda labels, predicted, C: (
            np.eye(C, dtype=int)[labels].T @ np.eye(C, dtype=int)[predicted]
        ),
    ],
}


@pytest.mark.parametrize("exercise_id,fn", [(k, f) for k, fs in RIGHT_LAB1.items() for f in fs])
def test_lab1_right_answers_pass(exercise_id, fn):
    assert_passes(exercise_id, fn)


def sizes_by_assert(params):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    assert b1.shape == (W1.shape[1],) and W2.shape[0] == W1.shape[1] and b2.shape == (W2.shape[1],)
    return W1.shape[0], W1.shape[1], W2.shape[1]


def batches_dropping_the_rest(predict, x, batch_size):
    n = len(x) // batch_size
    return np.concatenate(
        [predict(x[i * batch_size : (i + 1) * batch_size]).argmax(1) for i in range(n)]
    )


def confusion_fancy_index(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[labels, predicted] += 1
    return counts


def confusion_loop_from_max(labels, predicted, n_classes):
    C = max(labels.max(), predicted.max()) + 1
    counts = np.zeros((C, C), dtype=int)
    for i, j in zip(labels, predicted):
        counts[i, j] += 1
    return counts


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


WRONG_LAB1 = [
    (
        "lab1.network_sizes",
        lambda p: (p["W1"].shape[1], p["W1"].shape[0], p["W2"].shape[0]),
        ("not `H, I`", "a mismatched set must raise ValueError"),  # it never checks, either
    ),
    (
        "lab1.network_sizes",
        lambda p: (p["W1"].shape[0], p["W1"].shape[1], p["W2"].shape[1]),
        "must raise ValueError",
    ),
    ("lab1.network_sizes", sizes_by_assert, "`raise ValueError"),
    ("lab1.network_sizes", lambda p: (p[0].shape[0], p[0].shape[1], p[2].shape[1]), "dictionary"),
    (
        "lab1.forward",
        lambda x, p: (x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"],
        "needs its activation",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
        "no sigmoid after it",
    ),
    (
        "lab1.forward",
        lambda x, p: (sigmoid(x @ p["W1"]) + p["b1"]) @ p["W2"] + p["b2"],
        "before the sigmoid",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(p["W1"] @ x + p["b1"]) @ p["W2"] + p["b2"],
        "in that order",
    ),
    ("lab1.predict_in_batches", lambda predict, x, b: predict(x).argmax(1), "one call"),
    (
        "lab1.predict_in_batches",
        batches_dropping_the_rest,
        ("the last, shorter batch is missing", "the loop ran zero times"),
    ),
    (
        "lab1.predict_in_batches",
        lambda predict, x, b: np.concatenate(
            [predict(part).argmax(1) for part in np.array_split(x, b)]
        ),
        "np.array_split(x, k)",
    ),
    (
        "lab1.predict_in_batches",
        lambda predict, x, b: np.concatenate([predict(x[i : i + b]) for i in range(0, len(x), b)]),
        "not the scores",
    ),
    (
        "lab1.predict_in_batches",
        lambda predict, x, b: np.concatenate(
            [predict(x[i : i + b]).argmax(0) for i in range(0, len(x), b)]
        ),
        "axis=1",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.sum(s.argmax(1) == (t.argmax(1) if t.ndim == 2 else t)),
        "how many",
    ),
    ("lab1.accuracy", lambda s, t: np.mean(s.argmax(1) == t), "one-hot"),
    (
        "lab1.accuracy",
        lambda s, t: 100 * np.mean(s.argmax(1) == (t.argmax(1) if t.ndim == 2 else t)),
        "percentage",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(s.argmax(1) != (t.argmax(1) if t.ndim == 2 else t)),
        "error rate",
    ),
    ("lab1.confusion_matrix", confusion_fancy_index, "np.add.at"),
    (
        "lab1.confusion_matrix",
        lambda labels, predicted, C: evaluation.confusion_matrix(predicted, labels, C),
        "rows are the true classes",
    ),
    ("lab1.confusion_matrix", confusion_loop_from_max, "whatever labels occur"),
]


@pytest.mark.parametrize(
    "exercise_id,fn,hint", WRONG_LAB1, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG_LAB1)]
)
def test_lab1_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    assert_fails_with(exercise_id, fn, hint)


def test_lab1_feedback_shows_the_batches_predict_received():
    result = check("lab1.predict_in_batches", lambda predict, x, b: predict(x).argmax(1))
    assert "`rows per call to predict` should hold 3 items, but holds 1" in str(result)


def test_reference_evaluation_functions_on_known_values():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert evaluation.accuracy(scores, np.array([1, 0, 0, 0])) == 0.75
    assert evaluation.accuracy(scores, np.eye(2)[[1, 0, 0, 0]]) == 0.75
    counts = evaluation.confusion_matrix(np.array([0, 0, 0, 1]), np.array([0, 0, 1, 1]), 3)
    assert counts.tolist() == [[2, 1, 0], [0, 1, 0], [0, 0, 0]]
    calls = []
    classes = evaluation.predict_in_batches(
        lambda b: calls.append(len(b)) or b, np.eye(5)[:, :3], 2
    )
    assert calls == [2, 2, 1] and classes.tolist() == [0, 1, 2, 0, 0]
    grid = evaluation.class_map(
        lambda p: np.column_stack([p[:, 0], p[:, 1]]), np.arange(3.0), [0.5, 5.0]
    )
    assert grid.tolist() == [[1, 0, 0], [1, 1, 1]]  # row i is ys[i], column j is xs[j]


# --- every lab ----------------------------------------------------------------------------------


def markdown_points(lab):
    """{check id: points} and the total from the points table in the lab's source."""
    text = (ROOT / "source" / "labs" / f"{LABS[lab]}.py").read_text(encoding="utf-8")
    rows = dict(re.findall(rf"^# \|[^|]*\|[^|]*\| `({lab}\.\w+)` \| (\d+) \|$", text, flags=re.M))
    total = re.search(r"^# \| *\| \*\*Total\*\* \| *\| \*\*(\d+)\*\* \|$", text, flags=re.M)
    return {k: int(v) for k, v in rows.items()}, int(total.group(1)) if total else None


@pytest.mark.parametrize(
    "lab", [lab for lab in LABS if (ROOT / "source" / "labs" / f"{LABS[lab]}.py").exists()]
)
def test_points_table_matches_the_exercise_table(lab):
    from nnscratch.labs import points

    table, total = markdown_points(lab)
    assert table == points(lab)
    assert total == sum(points(lab).values())
    assert list(points(lab)) == [ex_id for ex_id in EXERCISES if ex_id.startswith(f"{lab}.")]


def test_score_counts_the_latest_check_of_each_exercise():
    from nnscratch.grader import history
    from nnscratch.labs import score

    history.clear()
    check(
        "lab1.accuracy", lambda s, t: np.mean(s.argmax(1) == t)
    )  # right on labels, wrong on one-hot
    partial = score("lab1")
    row = {r.id: r for r in partial.rows}["lab1.accuracy"]
    assert row.status == "failed" and 0 < row.passed < row.tests
    assert partial.earned == row.earned == round(2 * row.passed / row.tests, 1)
    check("lab1.accuracy", evaluation.accuracy)
    full = score("lab1")
    assert full.earned == 2 and full.total == 12  # lab1: 10 points, and 2 for logsumexp_grad
    assert "2 of 12 points" in str(full) and "not attempted" in str(full)
    assert "2 of 12 points" in full._repr_html_()
    history.clear()


# --- Lab 2 --------------------------------------------------------------------------------------

from nnscratch import activation_layers, gradients, numerical_gradient  # noqa: E402
from nnscratch.functions import softmax  # noqa: E402


def numerical_backward_by_hand(forward, x, dout, h=1e-5):
    dx = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        keep = x[i]
        x[i] = keep + h
        up = np.sum(forward(x) * dout)
        x[i] = keep - h
        down = np.sum(forward(x) * dout)
        x[i] = keep
        dx[i] = (up - down) / (2 * h)
    return dx


def layer(forward, backward, init=None):
    """A layer class from two functions of (self, array), written the way a learner might."""

    def __init__(self):
        self.params, self.grads = [], []
        if init:
            init(self)

    return type("Layer", (), {"__init__": __init__, "forward": forward, "backward": backward})


def book_relu_forward(self, x):
    self.mask = x <= 0
    out = x.copy()
    out[self.mask] = 0
    return out


def book_relu_backward(self, dout):
    dout[self.mask] = 0  # in place, as in the book: accepted
    return dout


def tanh_forward(self, x):
    self.out = np.tanh(x)
    return self.out


def softmax_forward(self, x):
    self.out = softmax(x)
    return self.out


def jacobian_backward(self, dout):
    y = self.out
    J = y[:, :, None] * (np.eye(y.shape[1]) - y[:, None, :])  # J[n, j, k] = dy_j / dx_k
    return np.einsum("nj,njk->nk", dout, J)


def row_by_row_backward(self, dout):
    dx = np.empty_like(dout)
    for n, (y, d) in enumerate(zip(self.out, dout)):
        dx[n] = d @ (np.diag(y) - np.outer(y, y))
    return dx


RIGHT_LAB2 = {
    "lab2.numerical_backward": [
        gradients.numerical_backward,
        numerical_backward_by_hand,
        lambda forward, x, dout: numerical_gradient(lambda _: float((forward(x) * dout).sum()), x),
    ],
    "lab2.ReLU": [
        activation_layers.ReLU,
        layer(book_relu_forward, book_relu_backward),
        layer(
            lambda self, x: setattr(self, "x", x) or np.maximum(0, x),
            lambda self, d: d * (self.x > 0),
        ),
        layer(
            lambda self, x: setattr(self, "out", x * (x > 0)) or self.out,
            lambda self, d: np.where(self.out > 0, d, 0),
        ),
    ],
    "lab2.Tanh": [
        activation_layers.Tanh,
        layer(tanh_forward, lambda self, d: d * (1 - self.out) * (1 + self.out)),
        layer(
            lambda self, x: setattr(self, "x", x) or 2 / (1 + np.exp(-2 * x)) - 1,
            lambda self, d: d * (1 - np.tanh(self.x) ** 2),
        ),
    ],
    "lab2.Softmax": [
        activation_layers.Softmax,
        layer(softmax_forward, jacobian_backward),
        layer(softmax_forward, row_by_row_backward),
        layer(
            softmax_forward,
            lambda self, d: self.out * d - self.out * (self.out * d).sum(-1, keepdims=True),
        ),
    ],
}


@pytest.mark.parametrize("exercise_id,obj", [(k, o) for k, os in RIGHT_LAB2.items() for o in os])
def test_lab2_right_answers_pass(exercise_id, obj):
    assert_passes(exercise_id, obj)


def forward_difference(forward, x, dout, h=1e-4):
    base = np.sum(forward(x) * dout)
    dx = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        dx[i] = (np.sum(forward(x) * dout) - base) / h
        x[i] -= h
    return dx


def never_restored(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        up = np.sum(forward(x) * dout)
        x[i] -= 2 * h
        dx[i] = (up - np.sum(forward(x) * dout)) / (2 * h)
    return dx


def relu_out_forward(self, x):
    self.out = np.maximum(x, 0)
    return self.out


def relu_in_place(self, x):
    self.mask = x > 0
    x[x <= 0] = 0
    return x


def tanh_from_x(self, x):
    self.x = x
    return np.tanh(x)


class NoGradsReLU:
    def __init__(self):
        self.params = []

    def forward(self, x):
        return np.maximum(0, x)

    def backward(self, dout):
        return dout


def naive_softmax(self, x):
    self.out = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    return self.out


def batch_softmax(self, x):
    e = np.exp(x - np.max(x))
    self.out = e / np.sum(e)
    return self.out


# float32 layers: the inputs are float64 and backward is checked to rounding error (Case.exact),
# so their forward passes and their backward gets an observation, no hint.
FLOAT32_LAB2 = [
    (
        "lab2.ReLU",
        layer(
            lambda self, x: (
                setattr(self, "m", (x > 0).astype(np.float32)) or (x * self.m).astype(np.float32)
            ),
            lambda self, d: (d * self.m).astype(np.float32),
        ),
    ),
    (
        "lab2.Tanh",
        layer(
            lambda self, x: setattr(self, "out", np.tanh(x).astype(np.float32)) or self.out,
            lambda self, d: (d * (1 - self.out**2)).astype(np.float32),
        ),
    ),
]


@pytest.mark.parametrize("exercise_id,obj", FLOAT32_LAB2)
def test_lab2_float32_backward_is_told_to_compute_in_float64(exercise_id, obj):
    result = check(exercise_id, obj)
    assert_only_hint(result, None)
    assert result.outcomes[0].passed  # forward
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)


WRONG_LAB2 = [
    (
        "lab2.numerical_backward",
        lambda f, x, dout: numerical_gradient(lambda v: np.sum(f(v)), x),
        "the upstream gradient is missing",  # on softmax its zeros tell nothing apart: no hint
    ),
    (
        "lab2.numerical_backward",
        lambda f, x, dout: dout * numerical_gradient(lambda v: np.sum(f(v)), x),
        "elementwise layer",
    ),
    ("lab2.numerical_backward", forward_difference, "central difference"),
    ("lab2.numerical_backward", never_restored, "come back unchanged"),
    ("lab2.numerical_backward", lambda f, x, dout: numerical_gradient(f, x), "returns one number"),
    (
        "lab2.ReLU",
        layer(relu_out_forward, lambda self, d: d * (self.out >= 0)),
        "the gradient passes everywhere",
    ),
    (
        "lab2.ReLU",
        layer(relu_out_forward, lambda self, d: (self.out > 0).astype(float)),
        "must use dout",
    ),
    (
        "lab2.ReLU",
        layer(
            lambda self, x: setattr(self, "x", x) or np.maximum(0, x),
            lambda self, d: d * (self.x < 0),
        ),
        "wrong way round",
    ),
    (
        "lab2.ReLU",
        layer(relu_in_place, lambda self, d: d * self.mask),
        "must not change the caller's x",
    ),
    ("lab2.ReLU", NoGradsReLU, ("self.grads = []", "the gradient passes everywhere")),
    (
        "lab2.Tanh",
        layer(tanh_from_x, lambda self, d: d * (1 - self.x**2)),
        "uses the input instead",
    ),
    (
        "lab2.Tanh",
        layer(tanh_forward, lambda self, d: d * self.out * (1 - self.out)),
        "sigmoid's derivative",
    ),
    ("lab2.Tanh", layer(tanh_forward, lambda self, d: 1 - self.out**2), "multiply by dout"),
    (
        "lab2.Tanh",
        layer(tanh_forward, lambda self, d: d * (1 - self.out) ** 2),
        "squares the difference",
    ),
    (
        "lab2.Tanh",
        layer(
            lambda self, x: (
                setattr(self, "out", (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)))
                or self.out
            ),
            lambda self, d: d * (1 - self.out**2),
        ),
        "np.tanh",
    ),
    (
        "lab2.Softmax",
        layer(softmax_forward, lambda self, d: d * self.out * (1 - self.out)),
        "sum term",
    ),
    (
        "lab2.Softmax",
        layer(softmax_forward, lambda self, d: self.out * (1 - self.out)),
        "must use dout",
    ),
    (
        "lab2.Softmax",
        layer(
            softmax_forward, lambda self, d: self.out * (d - (d * self.out).sum(0, keepdims=True))
        ),
        "axis 0 mixes",
    ),
    (
        "lab2.Softmax",
        layer(softmax_forward, lambda self, d: self.out * (d - d.sum(1, keepdims=True))),
        "weighted by the probabilities",
    ),
    (
        "lab2.Softmax",
        layer(softmax_forward, lambda self, d: self.out * (d - np.sum(d * self.out, axis=1))),
        "keepdims=True",
    ),
    ("lab2.Softmax", layer(naive_softmax, jacobian_backward), "overflows"),
    ("lab2.Softmax", layer(batch_softmax, jacobian_backward), "sums to 1 on its own"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", WRONG_LAB2, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG_LAB2)]
)
def test_lab2_wrong_answers_fail_with_their_hint(exercise_id, obj, hint):
    assert_fails_with(exercise_id, obj, hint)


def test_lab2_feedback_names_the_wrong_elements():
    result = check("lab2.ReLU", layer(relu_out_forward, lambda self, d: d * (self.out >= 0)))
    message = result.outcomes[1].message
    assert re.search(r"`backward\(dout\)` is wrong in \d+ of 12 places, at \(\d, \d\)", message), (
        message
    )


@pytest.mark.parametrize("name", ["ReLU", "Tanh", "Softmax"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_layers_match_numerical_gradients(name, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 6))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink out of reach of the numerical step
    dout = rng.standard_normal((4, 6))
    layer_ = getattr(activation_layers, name)()
    y = layer_.forward(x)
    assert layer_.params == [] and layer_.grads == []
    assert y.shape == x.shape
    numeric = numerical_gradient(
        lambda v: np.sum(getattr(activation_layers, name)().forward(v) * dout), x.copy()
    )
    assert gradients.relative_error(layer_.backward(dout), numeric) < 1e-6


def test_reference_layer_golden_values():
    relu, tanh, soft = (
        activation_layers.ReLU(),
        activation_layers.Tanh(),
        activation_layers.Softmax(),
    )
    x = np.array([[-2.0, 0.0, 3.0]])
    assert relu.forward(x).tolist() == [[0.0, 0.0, 3.0]] and x.tolist() == [[-2.0, 0.0, 3.0]]
    assert relu.backward(np.array([[5.0, 5.0, 5.0]])).tolist() == [[0.0, 0.0, 5.0]]
    assert np.allclose(tanh.forward(np.array([-1000.0, 0.0, 0.5])), [-1.0, 0.0, 0.46211716])
    assert np.allclose(tanh.backward(np.ones(3)), [0.0, 1.0, 0.78644773])
    y = soft.forward(np.array([[1000.0, 1001.0, 1002.0]]))
    assert np.allclose(y, [[0.09003057, 0.24472847, 0.66524096]])
    assert np.allclose(soft.backward(np.ones((1, 3))), 0)  # the outputs always sum to 1


def test_numerical_backward_and_relative_error():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    dx = gradients.numerical_backward(lambda v: v**2, x, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert np.allclose(dx, [[2.0, -8.0], [3.0, 24.0]]) and np.array_equal(x, before)
    assert gradients.relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert gradients.relative_error([1.0, 0.0], [3.0, 0.0]) == pytest.approx(0.5)


# --- Lab 3 --------------------------------------------------------------------------------------

from nnscratch import TwoLayerNet, data  # noqa: E402
from nnscratch.exercises import lab3  # noqa: E402
from nnscratch.optim import SGD  # noqa: E402
from nnscratch.trainer import fit  # noqa: E402


def split_with_shuffle_in_place(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    both = np.concatenate([x, t], axis=1)  # a fresh array: shuffling it leaves x and t alone
    rng.shuffle(both)
    n_test = int(round(len(x) * test_fraction))
    x_all, t_all = both[:, : x.shape[1]], both[:, x.shape[1] :].astype(t.dtype)
    return (x_all[n_test:], t_all[n_test:]), (x_all[:n_test], t_all[:n_test])


def split_with_choice(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    test = rng.choice(len(x), size=n_test, replace=False)
    train = np.setdiff1d(np.arange(len(x)), test)
    return (x[train], t[train]), (x[test], t[test])


def map_by_broadcasting(predict, xs, ys):
    points = np.stack(
        np.broadcast_arrays(np.asarray(xs)[None, :], np.asarray(ys)[:, None]), axis=-1
    )
    return predict(points.reshape(-1, 2)).argmax(-1).reshape(len(ys), len(xs))


def trained(hidden_size, lr, epochs, weight_std=1.0):
    def train_classifier(x, t, rng):
        net = TwoLayerNet(2, hidden_size, t.shape[1], weight_std=weight_std, rng=rng)
        fit(net, x, t, SGD(lr=lr), epochs=epochs, batch_size=30, rng=rng)
        return net

    return train_classifier


RIGHT_LAB3 = {
    "lab3.train_test_split": [
        data.train_test_split,
        split_with_shuffle_in_place,
        split_with_choice,
    ],
    "lab3.class_map": [
        evaluation.class_map,
        map_by_broadcasting,
        lambda predict, xs, ys: lab3._map_ij(predict, xs, ys).T,
    ],
    "lab3.train_classifier": [trained(8, 1.0, 300), trained(16, 1.0, 200)],
}


@pytest.mark.parametrize("exercise_id,fn", [(k, f) for k, fs in RIGHT_LAB3.items() for f in fs])
def test_lab3_right_answers_pass(exercise_id, fn):
    assert_passes(exercise_id, fn)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lab3_solution_passes_whatever_seed_the_instructor_picks(seed):
    result = check("lab3.train_classifier", trained(8, 1.0, 300), seed=seed)
    assert result.passed, str(result)


def separate_shuffles(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    x, t = x.copy(), t.copy()
    rng.shuffle(x)
    rng.shuffle(t)
    n = round(test_fraction * len(x))
    return (x[n:], t[n:]), (x[:n], t[:n])


def global_permutation(x, t, test_fraction, rng):
    order = np.random.permutation(len(x))
    n = round(test_fraction * len(x))
    return (x[order[n:]], t[order[n:]]), (x[order[:n]], t[order[:n]])


class Memoriser:
    def __init__(self, x, t):
        self.x, self.t = x.copy(), t.copy()

    def predict(self, points):
        scores = np.zeros((len(points), self.t.shape[1]))
        for n, p in enumerate(points):
            hit = np.flatnonzero((self.x == p).all(axis=1))
            scores[n] = self.t[hit[0]] if len(hit) else 0
        return scores


def the_lab_cells_recipe(x, t, rng):
    """The test-set cell of the lab copied as it is: two outputs, whatever t says."""
    model = TwoLayerNet(2, 8, 2, weight_std=1.0, rng=0)
    fit(model, x, t, SGD(lr=1.0), epochs=200, batch_size=30, rng=0)
    return model


WRONG_LAB3 = [
    ("lab3.train_test_split", separate_shuffles, "two different permutations"),
    (
        "lab3.train_test_split",
        lambda x, t, f, rng: (
            (x[: -round(f * len(x))], t[: -round(f * len(x))]),
            (x[-round(f * len(x)) :], t[-round(f * len(x)) :]),
        ),
        # It ignores rng as well, so another seed gives the same split, and slices from the
        # end, so n_test = 0 takes every point: all three are named.
        ("shuffle before splitting", "built from the rng you are given", "-0 is 0"),
    ),
    ("lab3.train_test_split", global_permutation, "repeatable"),
    (
        "lab3.train_test_split",
        lambda x, t, f, rng: data.train_test_split(x, t, f, 42),
        "another seed must give another split",
    ),
    (
        "lab3.train_test_split",
        lambda x, t, f, rng: data.train_test_split(x, t, 1 - f, rng),
        "for *testing*",
    ),
    (
        "lab3.train_test_split",
        lambda x, t, f, rng: (
            *data.train_test_split(x, t, f, rng)[0],
            *data.train_test_split(x, t, f, rng)[1],
        ),
        "two pairs",
    ),
    (
        "lab3.train_test_split",
        lambda x, t, f, rng: data.train_test_split(x, t, f, rng.integers(9)),
        "turn it into a generator",
    ),
    ("lab3.class_map", lambda predict, xs, ys: lab3._map_ij(predict, xs, ys), "sideways"),
    (
        "lab3.class_map",
        lambda predict, xs, ys: (
            predict(np.column_stack([np.repeat(ys, len(xs)), np.tile(xs, len(ys))]))
            .argmax(1)
            .reshape(len(ys), len(xs))
        ),
        "x first",
    ),
    (
        "lab3.class_map",
        lambda predict, xs, ys: predict(
            np.column_stack([a.ravel() for a in np.meshgrid(xs, ys)])
        ).argmax(1),
        "reshape the classes",
    ),
    (
        "lab3.class_map",
        lambda predict, xs, ys: np.argmax(predict(np.column_stack([xs, ys])), axis=1),
        "pairs every x with every y",
    ),
    ("lab3.class_map", lambda predict, xs, ys: np.argmax(predict(xs), axis=1), "call predict once"),
    ("lab3.train_classifier", trained(2, 1.0, 200), "with fewer than 3 hidden neurons"),
    ("lab3.train_classifier", lambda x, t, rng: Memoriser(x, t), "memorised"),
    (
        "lab3.train_classifier",
        lambda x, t, rng: fit(TwoLayerNet(2, 8, t.shape[1], 1.0, rng), x, t, SGD(1.0), epochs=5),
        "return the trained model itself",
    ),
    ("lab3.train_classifier", lambda x, t, rng: None, "is a `return` missing"),
    ("lab3.train_classifier", the_lab_cells_recipe, "must be the number of classes"),
]


@pytest.mark.parametrize(
    "exercise_id,fn,hint", WRONG_LAB3, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG_LAB3)]
)
def test_lab3_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    assert_fails_with(exercise_id, fn, hint)


def test_lab3_tiny_starting_weights_are_among_the_reasons_said():
    result = check("lab3.train_classifier", trained(8, 0.1, 100, weight_std=0.01))
    assert not result.passed
    assert "weight_std=1.0 works here" in result.outcomes[0].message, str(result)


def test_lab3_check_reports_the_accuracy_reached():
    result = check("lab3.train_classifier", trained(2, 1.0, 100))
    message = result.outcomes[0].message
    assert re.search(r"got 'between 0\.6 and 0\.95|got 'below 0\.6", message), str(result)
    assert "the model has 2 hidden neurons" in message, str(result)


def test_lab3_reference_is_near_perfect_on_fresh_rings():
    x, t = data.rings(n_per_class=1000, rng=123)
    x, t = 1.5 * x + 0.3, t[:, ::-1]  # another size, centre and class order
    model = lab3._ring_oracle(x, t, 0)
    assert evaluation.accuracy(model.predict(x), t) > 0.98


def test_datasets_are_repeatable_and_shaped():
    x, t = data.rings(n_per_class=50, n_classes=3, rng=5)
    assert x.shape == (150, 2) and t.shape == (150, 3) and (t.sum(axis=1) == 1).all()
    assert np.array_equal(x, data.rings(n_per_class=50, n_classes=3, rng=5)[0])
    radius = np.hypot(x[:, 0], x[:, 1])
    assert np.allclose(
        [radius[t[:, k] == 1].mean() for k in range(3)], [1 / 3, 2 / 3, 1], atol=0.05
    )
    x, t = data.blobs(n_per_class=400, spread=(0.5, 0.5, 1.0), rng=6)
    assert x.shape == (1200, 2) and np.array_equal(t.argmax(1), np.repeat([0, 1, 2], 400))
    assert np.allclose(x[:400].mean(axis=0), data.BLOB_CENTRES[0], atol=0.1)
    assert x[800:].std() > x[:400].std()
    (x_tr, t_tr), (x_te, t_te) = data.train_test_split(x, t, 0.25, rng=0)
    assert len(x_te) == 300 and len(x_tr) == 900
    assert np.array_equal(np.sort(np.concatenate([x_tr, x_te]), axis=0), np.sort(x, axis=0))


# --- figures and widgets of the labs ------------------------------------------------------------


def test_lab_figures_are_figures():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from nnscratch.figures import labs as figs

    params = {
        "W1": np.array([[0.0, -3.5, 3.5], [4.0, -2.0, -2.0]]),
        "b1": -2.0 * np.ones(3),
        "W2": 3 * np.eye(3) - 1,
        "b2": np.zeros(3),
    }
    assert isinstance(figs.probe_figure(params, (0.5, 1.0)), Figure)
    assert isinstance(figs.plot_confusion(np.array([[5, 1], [0, 4]]), ["a", "b"]), Figure)
    assert isinstance(figs.plot_softmax_jacobian(np.array([0.7, 0.2, 0.1])), Figure)
    assert isinstance(
        figs.plot_sweep([1, 2], [0.1, 1.0], np.array([[0.5, 0.6], [0.7, 0.9]])), Figure
    )
    tanh = activation_layers.Tanh()
    fig = figs.plot_activation_check(
        tanh.forward, tanh.backward, lambda v: 1 - np.tanh(v) ** 2, name="tanh", point=0.5
    )
    assert "slope 0.786" in fig.axes[0].get_title()


@pytest.mark.parametrize("make", ["network_probe", "activation_explorer", "ring_trainer"])
def test_lab_widgets_redraw_when_their_first_control_moves(make):
    from nnscratch.widgets import labs as widgets

    if make == "network_probe":
        live = widgets.network_probe(
            {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W2": np.eye(3), "b2": np.zeros(3)}
        )
    elif make == "activation_explorer":
        live = widgets.activation_explorer()
    else:
        x, t = data.rings(n_per_class=30, rng=0)
        live = widgets.ring_trainer(x, t, x, t)
    bundle = live._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    first = next(iter(live.controls.values()))
    before = live.image.value
    options = getattr(first, "options", None)
    first.value = (
        options[0]
        if options and first.value != options[0]
        else (options[-1] if options else first.max if first.value != first.max else first.min)
    )
    assert live.image.value != before
