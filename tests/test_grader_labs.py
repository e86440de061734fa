"""The labs' exercises against catalogues of student answers, right and wrong; their reference
code against numbers; their points tables and score cell."""

import re

import numpy as np
import pytest

from nnscratch import evaluation
from nnscratch.exercises import EXERCISES, lab1
from nnscratch.grader import check
from tests.notebook_tools import ROOT

LABS = {"lab1": "lab1_inference", "lab2": "lab2_new_layers", "lab3": "lab3_train_and_explain"}


def assert_passes(exercise_id, obj):
    result = check(exercise_id, obj)
    assert result.passed, str(result)


def assert_fails_with(exercise_id, obj, hint):
    result = check(exercise_id, obj)
    assert result.status == "failed", str(result)
    assert any(hint in o.hint for o in result.outcomes), str(result)


# --- Lab 1 --------------------------------------------------------------------------------------

def sizes_checked_by_assert_free_code(params):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    if W1.shape[1] != b1.shape[0] or b1.ndim != 1 or W2.shape[0] != W1.shape[1] or b2.shape != W2.shape[1:]:
        raise ValueError("mismatch")
    return [W1.shape[0], W1.shape[1], W2.shape[1]]  # a list is fine too


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
        lambda x, p: (1 / (1 + np.exp(-(x.astype(np.float32) @ p["W1"].astype(np.float32)
                                        + p["b1"].astype(np.float32)))) @ p["W2"].astype(np.float32)
                      + p["b2"].astype(np.float32)),
    ],
    "lab1.predict_in_batches": [
        evaluation.predict_in_batches,
        batches_with_while,
        lambda predict, x, b: np.concatenate([predict(x[i:i + b]) for i in range(0, len(x), b)]).argmax(1),
        lambda predict, x, b: np.hstack([np.argmax(predict(chunk), axis=1)
                                         for chunk in np.array_split(x, range(b, len(x), b))]),
    ],
    "lab1.accuracy": [
        evaluation.accuracy,
        lambda s, t: np.sum(s.argmax(1) == (t.argmax(1) if t.ndim > 1 else t)) / len(s),
        lambda s, t: float(np.mean(np.argmax(s, axis=1) == np.argmax(t, axis=1))) if t.ndim == 2
        else float(np.mean(np.argmax(s, axis=1) == t)),
        lambda s, t: np.count_nonzero(s.argmax(1) == (t if t.ndim == 1 else t.argmax(1))) / s.shape[0],
    ],
    "lab1.confusion_matrix": [
        evaluation.confusion_matrix,
        confusion_add_at,
        lambda labels, predicted, C: np.array([[np.sum((labels == i) & (predicted == j)) for j in range(C)]
                                               for i in range(C)]),
        lambda labels, predicted, C: np.eye(C, dtype=int)[labels].T @ np.eye(C, dtype=int)[predicted],
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
    return np.concatenate([predict(x[i * batch_size:(i + 1) * batch_size]).argmax(1) for i in range(n)])


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
    ("lab1.network_sizes", lambda p: (p["W1"].shape[1], p["W1"].shape[0], p["W2"].shape[0]), "not `H, I`"),
    ("lab1.network_sizes", lambda p: (p["W1"].shape[0], p["W1"].shape[1], p["W2"].shape[1]),
     "must raise ValueError"),
    ("lab1.network_sizes", sizes_by_assert, "`raise ValueError"),
    ("lab1.network_sizes", lambda p: (p[0].shape[0], p[0].shape[1], p[2].shape[1]), "dictionary"),
    ("lab1.forward", lambda x, p: (x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], "needs its activation"),
    ("lab1.forward", lambda x, p: sigmoid(sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
     "no sigmoid after it"),
    ("lab1.forward", lambda x, p: (sigmoid(x @ p["W1"]) + p["b1"]) @ p["W2"] + p["b2"], "before the sigmoid"),
    ("lab1.forward", lambda x, p: sigmoid(p["W1"] @ x + p["b1"]) @ p["W2"] + p["b2"], "in that order"),
    ("lab1.predict_in_batches", lambda predict, x, b: predict(x).argmax(1), "one call"),
    ("lab1.predict_in_batches", batches_dropping_the_rest, "skips the last"),
    ("lab1.predict_in_batches",
     lambda predict, x, b: np.concatenate([predict(part).argmax(1) for part in np.array_split(x, b)]),
     "np.array_split(x, k)"),
    ("lab1.predict_in_batches",
     lambda predict, x, b: np.concatenate([predict(x[i:i + b]) for i in range(0, len(x), b)]),
     "not the scores"),
    ("lab1.predict_in_batches",
     lambda predict, x, b: np.concatenate([predict(x[i:i + b]).argmax(0) for i in range(0, len(x), b)]),
     "axis=1"),
    ("lab1.accuracy", lambda s, t: np.sum(s.argmax(1) == (t.argmax(1) if t.ndim == 2 else t)), "how many"),
    ("lab1.accuracy", lambda s, t: np.mean(s.argmax(1) == t), "one-hot"),
    ("lab1.accuracy", lambda s, t: 100 * np.mean(s.argmax(1) == (t.argmax(1) if t.ndim == 2 else t)),
     "percentage"),
    ("lab1.accuracy", lambda s, t: np.mean(s.argmax(1) != (t.argmax(1) if t.ndim == 2 else t)), "error rate"),
    ("lab1.confusion_matrix", confusion_fancy_index, "np.add.at"),
    ("lab1.confusion_matrix", lambda labels, predicted, C: evaluation.confusion_matrix(predicted, labels, C),
     "rows are the true classes"),
    ("lab1.confusion_matrix", confusion_loop_from_max, "never occurs"),
]


@pytest.mark.parametrize("exercise_id,fn,hint", WRONG_LAB1, ids=[f"{w[0]}-{w[2]}" for w in WRONG_LAB1])
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
    classes = evaluation.predict_in_batches(lambda b: calls.append(len(b)) or b, np.eye(5)[:, :3], 2)
    assert calls == [2, 2, 1] and classes.tolist() == [0, 1, 2, 0, 0]
    grid = evaluation.class_map(lambda p: np.column_stack([p[:, 0], p[:, 1]]), np.arange(3.0), [0.5, 5.0])
    assert grid.tolist() == [[1, 0, 0], [1, 1, 1]]  # row i is ys[i], column j is xs[j]


# --- every lab ----------------------------------------------------------------------------------

def markdown_points(lab):
    """{check id: points} and the total from the points table in the lab's source."""
    text = (ROOT / "source" / "labs" / f"{LABS[lab]}.py").read_text(encoding="utf-8")
    rows = dict(re.findall(rf"^# \|[^|]*\|[^|]*\| `({lab}\.\w+)` \| (\d+) \|$", text, flags=re.M))
    total = re.search(r"^# \| *\| \*\*Total\*\* \| *\| \*\*(\d+)\*\* \|$", text, flags=re.M)
    return {k: int(v) for k, v in rows.items()}, int(total.group(1)) if total else None


@pytest.mark.parametrize("lab", [lab for lab in LABS if (ROOT / "source" / "labs" / f"{LABS[lab]}.py").exists()])
def test_points_table_matches_the_exercise_table(lab):
    from nnscratch.labs import points

    table, total = markdown_points(lab)
    assert table == points(lab)
    assert total == sum(points(lab).values()) == 10
    assert list(points(lab)) == [ex_id for ex_id in EXERCISES if ex_id.startswith(f"{lab}.")]


def test_score_counts_the_latest_check_of_each_exercise():
    from nnscratch.grader import history
    from nnscratch.labs import score

    history.clear()
    check("lab1.accuracy", lambda s, t: np.mean(s.argmax(1) == t))  # right on labels, wrong on one-hot
    partial = score("lab1")
    row = {r.id: r for r in partial.rows}["lab1.accuracy"]
    assert row.status == "failed" and 0 < row.passed < row.tests
    assert partial.earned == row.earned == round(2 * row.passed / row.tests, 1)
    check("lab1.accuracy", evaluation.accuracy)
    full = score("lab1")
    assert full.earned == 2 and full.total == 10
    assert "2 of 10 points" in str(full) and "not attempted" in str(full)
    assert "2 of 10 points" in full._repr_html_()
    history.clear()
