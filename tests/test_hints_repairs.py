"""Issue 11: where the outputs fit no known mistake, one change to the learner's own code that
makes every test pass is the hint (nnscratch.grader.repairs). The learner's code is run as a
notebook cell runs it: its text kept in linecache, as IPython keeps every cell's."""

import ast
import copy
import linecache
import time

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.grader.mutations import learner_changes
from tests.hint_tables import assert_only_hint, hints_shown

_cells = iter(range(10**6))


def cell(source: str, name: str):
    """What running source in a notebook cell defines as name."""
    filename = f"<ipython-input-{next(_cells)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    return namespace[name]


CLASSIFY_ONE_SHORT = """
def classify(scores):
    best = np.zeros(len(scores), dtype=int)
    for c in range(1, scores.shape[1] - 1):
        better = scores[:, c] > scores[np.arange(len(scores)), best]
        best[better] = c
    return best
"""

REPEAT_ONE_SHORT = """
class Repeat:
    def __init__(self, N):
        self.N = N
        self.params, self.grads = [], []

    def forward(self, x):
        return np.repeat(x, self.N, axis=0)

    def backward(self, dout):
        dx = dout[0:1].copy()
        for n in range(1, self.N - 1):
            dx += dout[n:n + 1]
        return dx
"""

COUNTS_INDICES_SWAPPED = """
def confusion_matrix(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(labels, predicted):
        counts[p, t] += 1
    return counts
"""


def test_a_loop_one_short_in_the_learners_own_loop_is_named_with_its_line():
    assert_only_hint(
        check("inference.classify", cell(CLASSIFY_ONE_SHORT, "classify")),
        "one change makes every test pass: `scores.shape[1]` in place of your "
        "`scores.shape[1] - 1` (line 4)",
    )


def test_a_class_is_read_from_its_cell_too():
    assert_only_hint(
        check("graph.Repeat", cell(REPEAT_ONE_SHORT, "Repeat")),
        "`self.N` in place of your `self.N - 1` (line 12)",
    )


def test_two_indices_swapped_are_one_of_the_changes_tried():
    tree = ast.parse(COUNTS_INDICES_SWAPPED)
    changed = set()
    for index, change in learner_changes(tree):
        copied = copy.deepcopy(tree)
        change(list(ast.walk(copied))[index], copied)
        changed.add(ast.unparse(copied))
    assert any("counts[t, p] += 1" in text for text in changed)


def test_without_the_cells_text_there_is_no_repair_and_no_error():
    namespace = {"np": np}
    exec(compile(CLASSIFY_ONE_SHORT, "<nowhere>", "exec"), namespace)  # noqa: S102
    result = check("inference.classify", namespace["classify"])
    assert not result.passed
    assert not any("one change makes" in h for h in hints_shown(result)), str(result)


def test_a_right_answer_in_a_cell_passes():
    right = cell(CLASSIFY_ONE_SHORT.replace("scores.shape[1] - 1", "scores.shape[1]"), "classify")
    assert check("inference.classify", right).passed


def test_a_while_loop_is_never_changed_and_the_check_ends():
    source = """
def classify(scores):
    best = np.zeros(len(scores), dtype=int)
    c = 1
    while c < scores.shape[1] - 1:
        better = scores[:, c] > scores[np.arange(len(scores)), best]
        best[better] = c
        c += 1
    return best
"""
    started = time.process_time()
    result = check("inference.classify", cell(source, "classify"))
    assert not result.passed
    assert not any("one change makes" in h for h in hints_shown(result)), str(result)
    assert time.process_time() - started < 5


def test_the_learners_prints_are_not_repeated_by_the_tries(capsys):
    source = CLASSIFY_ONE_SHORT.replace(
        "    return best", '    print("best", best)\n    return best'
    )
    check("inference.classify", cell(source, "classify"))
    printed = capsys.readouterr().out.count("best [")
    assert printed <= 3  # once per case of the check itself, never once per try


@pytest.mark.parametrize(
    "exercise_id,source,name",
    [
        ("inference.classify", CLASSIFY_ONE_SHORT, "classify"),
        ("graph.Repeat", REPEAT_ONE_SHORT, "Repeat"),
    ],
)
def test_the_classroom_says_the_same_repair(exercise_id, source, name):
    from tests.test_hints_slips import _graded_by_the_classroom

    obj = cell(source, name)
    mine = check(exercise_id, obj)
    theirs = _graded_by_the_classroom(exercise_id, obj, mine.seed)
    assert any("one change makes every test pass" in h for h in hints_shown(mine))
    assert [(o.passed, o.message, o.hint) for o in theirs.outcomes] == [
        (o.passed, o.message, o.hint) for o in mine.outcomes
    ]


def test_the_classroom_says_no_repair_whose_outputs_fail_there():
    """The kernel's claim is judged where the grade is: a changed copy's outputs that fail, or
    a hint that is not one of the repair hints, are never said."""
    import json

    from nnscratch.classroom.judge import repair_hint
    from nnscratch.classroom.wire import encode
    from nnscratch.exercises import EXERCISES
    from nnscratch.grader.core import probe_case
    from nnscratch.grader.repairs import REPAIRED_WITHOUT

    ex = EXERCISES["inference.classify"]
    one_short = cell(CLASSIFY_ONE_SHORT, "classify")
    right = cell(CLASSIFY_ONE_SHORT.replace("scores.shape[1] - 1", "scores.shape[1]"), "classify")

    def answer(obj, template=REPAIRED_WITHOUT):
        cases = [json.loads(encode(probe_case(ex, i, obj, 7))) for i in range(len(ex.cases))]
        hint = {"template": template, "params": {"line": "best[better] = c"}}
        return {"hint": hint, "cases": [{"got": got} for got in cases]}

    assert repair_hint(ex, answer(right), 7) == REPAIRED_WITHOUT.format(line="best[better] = c")
    assert repair_hint(ex, answer(one_short), 7) is None
    assert repair_hint(ex, answer(right, template="{line}, says the kernel"), 7) is None


AFFINE_LOOP_ONE_SHORT = """
def affine(x, W, b):
    if x.ndim == 1:
        return x @ W + b
    out = np.zeros((x.shape[0], W.shape[1]))
    for n in range(x.shape[0] - 1):
        out[n] = x[n] @ W + b
    return out
"""


def test_a_change_that_passes_by_skipping_the_loop_is_no_repair():
    """`if b.ndim == 1:` also passes every test (b is always 1-D, so the loop never runs): a
    change that leaves lines unrun is not where the slip is, and the loop's bound is named."""
    assert_only_hint(
        check("inference.affine", cell(AFFINE_LOOP_ONE_SHORT, "affine")),
        "one change makes every test pass: `x.shape[0]` in place of your `x.shape[0] - 1` (line 6)",
    )


SGD_RETURNS_IN_THE_LOOP = """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr * grad
            return
"""

PREDICT_RETURNS_IN_THE_LOOP = """
class TwoLayerNet:
    def __init__(self, I, H, O):
        rng = np.random.default_rng(0)
        W1, b1 = 0.01 * rng.standard_normal((I, H)), np.zeros(H)
        W2, b2 = 0.01 * rng.standard_normal((H, O)), np.zeros(O)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.params = []
        for layer in self.layers:
            self.params += layer.params

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
            return x
"""

COUNTS_MARKED = """
def confusion_matrix(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(labels, predicted):
        counts[t, p] = 1
    return counts
"""


def test_a_return_inside_a_loop_is_left_out_or_moved_after_it():
    from nnscratch.layers import Affine, Sigmoid

    result = check("training.SGD", cell(SGD_RETURNS_IN_THE_LOOP, "SGD"))
    assert any("your code without its line `return`" in h for h in hints_shown(result)), str(result)
    filename = f"<ipython-input-{next(_cells)}>"
    source = PREDICT_RETURNS_IN_THE_LOOP
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np, "Affine": Affine, "Sigmoid": Sigmoid}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    result = check("inference.TwoLayerNet", namespace["TwoLayerNet"])
    assert any(
        "your line `return x` after the loop, not inside it" in h for h in hints_shown(result)
    ), str(result)


def test_a_count_set_where_it_adds_up_is_named():
    result = check("lab1.confusion_matrix", cell(COUNTS_MARKED, "confusion_matrix"))
    assert any(
        "`counts[t, p] += 1` in place of your `counts[t, p] = 1`" in h for h in hints_shown(result)
    ), str(result)


GRID_POINTS_AS_Y_X = """
def class_map(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    points = np.column_stack([Y.ravel(), X.ravel()])
    return np.argmax(predict(points), axis=1).reshape(len(ys), len(xs))
"""


def test_two_lines_that_each_pass_in_a_list_too_say_nothing():
    """[Y, X] on line 3 is the slip; (Y, X) on line 2 passes too, by naming the grids the other
    way round: the tests cannot tell which line to change, so no repair is said."""
    result = check("lab3.class_map", cell(GRID_POINTS_AS_Y_X, "class_map"))
    assert not result.passed
    assert not any("one change makes" in h.lower() for h in hints_shown(result)), str(result)


FORWARD_READS_B2_FOR_B1 = """
def forward(x, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h = 1 / (1 + np.exp(-(x @ W1 + b2)))
    return h @ W2 + b2
"""


def test_a_name_made_and_never_read_is_tried_in_place_of_another():
    result = check("lab1.forward", cell(FORWARD_READS_B2_FOR_B1, "forward"))
    assert any("`x @ W1 + b1` in place of your `x @ W1 + b2`" in h for h in hints_shown(result))


@pytest.mark.parametrize(
    "source,said",
    [
        (
            "class Sigmoid:\n    def __init__(self):\n        self.param = []\n\n"
            "    def forward(self, x):\n        return 1 / (1 + np.exp(-x))\n",
            "`params` in place of your `param` (line 3)",
        ),
        (
            "class Sigmoid:\n    def __init__(self):\n        self.params = []\n\n"
            "    def forwards(self, x):\n        return 1 / (1 + np.exp(-x))\n",
            "`forward` in place of your `forwards` (line 5)",
        ),
        (
            "class Sigmoid:\n    def __int__(self):\n        self.params = []\n\n"
            "    def forward(self, x):\n        return 1 / (1 + np.exp(-x))\n",
            "`__init__` in place of your `__int__` (line 2)",
        ),
    ],
)
def test_a_misspelt_method_or_attribute_is_renamed_to_the_contracts_name(source, said):
    result = check("inference.Sigmoid", cell(source, "Sigmoid"))
    assert any(said in h for h in hints_shown(result)), str(result)
