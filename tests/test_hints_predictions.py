"""Predict, then run: at least 8 wrong predictions per question, written as learners write
them (a list for a tuple, an int for a float, a rounded number, a capitalised word), each with
the one hint it must show (None: no hint; the next cell shows the answer)."""

import numpy as np
import pytest

from tests.hint_tables import assert_fails_with_only

TABLES = {
    "inference.predict_batch_shape": [
        ((10, 2), "that is the shape of X"),
        ([10, 2], "that is the shape of X"),
        ((1, 4), "one row per sample"),
        (np.array([1, 4]), "one row per sample"),
        ((4, 10), "the shape transposed"),
        ((10,), "one number per sample"),
        ((2, 4), "that is the shape of W"),
        ((10, 4, 1), None),
    ],
    "inference.predict_hasty_sigmoid": [
        (0.5, "0.5 is what the real sigmoid gives"),
        (1.0, "close: 1 / 1 is 1"),
        (1, "close: 1 / 1 is 1"),
        (1.5, "plus 1"),
        (0.73, None),
        (2.718, None),
        (0, "e⁻⁰ is e⁰ = 1, not 0"),
        (3.0, None),
    ],
    "loss.predict_one_sample_loss": [
        (4.27, "only the true class counts"),
        (0.7, "that is y at the true class"),
        (-0.357, "a probability below 1 has a negative log"),
        (-0.36, "a probability below 1 has a negative log"),
        (0.155, "−log₁₀ 0.7"),
        (1.0, None),
        (0.3, "not 1 − y"),
        (0.51, "the natural log"),
    ],
    "loss.predict_first_loss": [
        (0.0, "scores near 0 mean a guess"),
        (0, "scores near 0 mean a guess"),
        (0.333, "softmax gives each class about 1/3"),
        (0.477, "the natural log, np.log"),
        (0.48, "the natural log, np.log"),
        (1.0, None),
        (3.0, None),
        (0.693, "there are 3 classes"),
    ],
    "gradients.predict_dW_shape": [
        ((3, 2), "that is W transposed"),
        ([3, 2], "that is W transposed"),
        ((6,), "numerical_gradient keeps the array's shape"),
        ((2,), "W's first size alone"),
        ((3,), "W's second size alone"),
        ((2, 3, 1), None),
        ((1, 6), None),
        ((6, 1), None),
    ],
    "gradients.predict_step_direction": [
        ("up", "the gradient points uphill"),
        ("Up", "the gradient points uphill"),
        (" UP ", "the gradient points uphill"),
        ("sideways", None),
        ("left", None),
        ("no change", "to first order"),
        ("same", "to first order"),
        ("zero", None),
    ],
    "chain_rule.predict_square_of_line": [
        (10, "that is only dz/dy = 2y"),
        (10.0, "that is only dz/dy = 2y"),
        (6, "the outer derivative 2y is taken at y"),
        (3, "that is only the inner derivative"),
        (25, "that is z itself"),
        (60, None),
        (15, "15 leaves out the 2"),
        (5, None),
    ],
    "chain_rule.predict_sigmoid_slope": [
        (0.25, "its steepest"),
        (0.622, "that is y = σ(0.5) itself"),
        (0.62, "that is y = σ(0.5) itself"),
        (0.5, None),
        (0.378, "1 − y alone"),  # 1 − σ(0.5) alone
        (0.1, None),
        (1.0, None),
        (0.0, None),
    ],
    "graph.predict_used_twice": [
        (2, "the path through Mul only"),
        (2.0, "the path through Mul only"),
        (1, "the direct path only"),
        (9, "that is L itself"),
        (6, "the value of the Mul node"),
        (4, "the direct path adds 1"),
        (0, None),
        (5, "that is x + y"),
    ],
    "graph.predict_bias_grad": [
        (1, "b reaches the Add node through a Repeat"),
        (1.0, "b reaches the Add node through a Repeat"),
        (0.5, "nothing is averaged here"),
        (3, None),
        (4, "and also the sum of x's first column"),
        (5, "that is L itself"),
        (0, "b reaches L once per sample"),
        (-2, None),
        (1.5, None),
        (2.5, None),
    ],
    "backprop.predict_db_shape": [
        ((5, 2), "that is the shape of dout"),
        ([5, 2], "that is the shape of dout"),
        ((1, 2), "keeps b as a 1-D array"),
        (np.array([1, 2]), "keeps b as a 1-D array"),
        ((5,), "the sum runs over the batch"),
        ((2, 5), None),
        ((2, 1), "not a column"),
        ((2, 2), None),
    ],
    "backprop.predict_fused_gradient": [
        (0.0, "y at class 2 is almost 0"),
        (0, "y at class 2 is almost 0"),
        (1.0, "probabilities minus labels"),
        (1, "probabilities minus labels"),
        (-2, None),
        (0.5, None),
        (-0.5, None),
        (-0.9, None),
    ],
    "training.predict_rebind": [
        (True, "builds a new array"),
        (1, "builds a new array"),  # True written as a number
        ("True", "builds a new array"),  # True written as a word
        ("yes", "builds a new array"),
        ("changed", None),
        (None, None),
        (2, None),
        ("maybe", None),
    ],
    "training.predict_dx_shape": [
        ((30, 3), "that is the shape of the scores"),
        ([30, 3], "that is the shape of the scores"),
        ((2, 10), "that is the shape of W1"),
        ((), "the loss is one number"),
        ((30, 10), "the hidden layer's values"),
        ((2, 30), "x_batch transposed"),
        ((30,), "one number per sample"),
        ((10, 3), None),
    ],
}

ROWS = [(e, answer, hint) for e, rows in TABLES.items() for answer, hint in rows]


@pytest.mark.parametrize(
    "exercise_id,answer,hint", ROWS, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(ROWS)]
)
def test_wrong_prediction_shows_only_its_own_hint(exercise_id, answer, hint):
    assert_fails_with_only(exercise_id, answer, hint)
