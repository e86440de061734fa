"""The grader's promises, whatever the exercise: never crash, never hang, never be fooled."""

import dataclasses

import numpy as np
import pytest

from nnscratch.exercises import EXERCISES
from nnscratch.grader import Result, check, exercises
from nnscratch.grader.core import grade

CHAPTER_1 = [
    "inference.sigmoid",
    "inference.affine",
    "inference.classify",
    "inference.Sigmoid",
    "inference.Affine",
    "inference.TwoLayerNet",
]


def test_exercise_ids_are_the_public_contract():
    ids = exercises()
    assert ids[:6] == CHAPTER_1
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_the_reference_passes_its_own_exercise(exercise_id):
    ex = EXERCISES[exercise_id]
    result = check(exercise_id, ex.reference)
    assert result.passed, str(result)


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_not_attempted_is_reported_kindly(exercise_id):
    def stub(*args, **kwargs):
        raise NotImplementedError

    class Stub:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError

    ex = EXERCISES[exercise_id]
    unanswered = (
        ... if ex.is_value else Stub if ex.is_class else stub
    )  # a prediction: `answer = ...`
    result = check(exercise_id, unanswered)
    assert result.status == "not attempted" and result.score == 0
    assert "not attempted" in str(result)


@pytest.mark.parametrize("bad", [None, 42, "sigmoid", np.zeros(3)])
def test_things_that_are_not_functions_fail_without_raising(bad):
    result = check("inference.sigmoid", bad)
    assert not result.passed and result.note


def test_an_exception_is_shown_with_the_learners_line():
    def sigmoid(x):
        return 1 / (1 + np.exp(-x)) + undefined_name  # noqa: F821

    result = check("inference.sigmoid", sigmoid)
    assert not result.passed
    message = result.outcomes[0].message
    assert "NameError" in message and "in sigmoid" in message and "undefined_name" in message


def test_an_endless_loop_becomes_a_failed_test_quickly():
    ex = dataclasses.replace(EXERCISES["inference.sigmoid"], time_limit=0.3)

    def sigmoid(x):
        while True:
            try:
                pass
            except Exception:  # a learner's catch-all must not swallow the time limit
                pass

    result = grade(ex, sigmoid)
    assert not result.passed
    assert "did not finish" in result.outcomes[0].message
    assert all("skipped" in o.message for o in result.outcomes[1:])


def test_nan_and_wrong_shapes_are_named():
    nan = check("inference.sigmoid", lambda x: np.full(np.shape(x), np.nan))
    assert "NaN" in nan.outcomes[0].message
    shape = check("inference.affine", lambda x, W, b: (x @ W + b).T.copy())
    assert "shape" in str(shape)


def test_modifying_the_input_is_a_defect():
    def sigmoid(x):
        x *= -1
        np.exp(x, out=x)
        x += 1
        return 1 / x

    result = check("inference.sigmoid", sigmoid)
    assert not result.passed
    assert "changed its input `x`" in str(result)


def test_warnings_are_not_failures():
    result = check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))  # overflows at -1000
    assert result.passed


def test_hidden_cases_do_not_print_expected_values():
    result = check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)) + 0.01)
    hidden = [
        o
        for o, case in zip(result.outcomes, EXERCISES["inference.sigmoid"].cases)
        if not case.shown
    ]
    assert hidden and all("expected" not in o.message for o in hidden)


def test_strict_mode_raises_after_feedback(monkeypatch, capsys):
    monkeypatch.setenv("NNSCRATCH_STRICT", "1")
    with pytest.raises(AssertionError, match="inference.sigmoid"):
        check("inference.sigmoid", lambda x: x)
    assert "inference.sigmoid" in capsys.readouterr().out
    assert check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x))).passed


def test_unknown_id_suggests_the_right_one():
    with pytest.raises(KeyError, match="inference.sigmoid"):
        check("inference.sigmod", lambda x: x)


def test_result_renders_as_html_and_text():
    result = check("inference.sigmoid", lambda x: 1 / 1 + np.exp(-x))
    assert isinstance(result, Result)
    html = result._repr_html_()
    assert "Hint" in html and "<code>" in html
    assert "Hint" in str(result)
    assert html.count("precedence") == 1  # the same hint is not repeated under every test


def test_results_whose_own_methods_raise_are_feedback_not_crashes():
    class Hostile:
        def __eq__(self, other):
            raise RuntimeError("no comparing me")

        def __array__(self, *args, **kwargs):
            raise RuntimeError("no converting me")

        def __float__(self):
            raise RuntimeError("no floats either")

    class Sneaky:
        def __getattr__(self, name):
            raise RuntimeError("no attributes")

        def __call__(self, x):
            return Hostile()

    for obj in (lambda x: Hostile(), Sneaky()):
        result = check("inference.sigmoid", obj)
        assert not result.passed
    result = check("inference.TwoLayerNet", Sneaky())
    assert not result.passed
