"""Chapter 1's predict-then-run questions: right values pass, known slips get their hint."""

import numpy as np
import pytest

from nnscratch.grader import check
from tests.verdicts import fails_with, fails_without_hint, passes


@pytest.mark.parametrize("answer", [(10, 4), [10, 4], np.array([10, 4]), (np.int64(10), 4)])
def test_batch_shape_accepts_a_shape_written_any_way(answer):
    passes("inference.predict_batch_shape", answer)


def test_batch_shape_slips():
    fails_with("inference.predict_batch_shape", (10, 2), "shape of X")
    fails_with("inference.predict_batch_shape", (4, 10), "rows are samples")
    fails_without_hint("inference.predict_batch_shape", (7, 7))


def test_hasty_sigmoid():
    passes("inference.predict_hasty_sigmoid", 2.0)
    passes("inference.predict_hasty_sigmoid", 2)
    fails_with("inference.predict_hasty_sigmoid", 0.5, "division before addition")


def test_an_unanswered_prediction_is_not_attempted():
    assert check("inference.predict_hasty_sigmoid", ...).status == "not attempted"


def test_the_expected_value_is_never_printed():
    result = check("inference.predict_hasty_sigmoid", 3.0)
    assert "2.0" not in str(result) and "2" not in result.outcomes[0].message
