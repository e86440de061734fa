"""Chapter 3's new exercises: predictions, and xᵀAx's gradient against numerical gradients."""

import numpy as np

from tests.verdicts import fails_with, fails_without_hint, passes


def test_predictions():
    passes("gradients.predict_dW_shape", (2, 3))
    fails_with("gradients.predict_dW_shape", (3, 2), "shape of W itself")
    passes("gradients.predict_step_direction", "Down")
    fails_with("gradients.predict_step_direction", "up", "uphill")
    fails_without_hint("gradients.predict_step_direction", "sideways")


def test_quadratic_grad_right_answers():
    passes("gradients.quadratic_grad", lambda A, x: (A + A.T) @ x)
    passes("gradients.quadratic_grad", lambda A, x: A @ x + x @ A)
    passes(
        "gradients.quadratic_grad",
        lambda A, x: np.einsum("ij,j->i", A, x) + np.einsum("ji,j->i", A, x),
    )


def test_quadratic_grad_wrong_derivations():
    result = fails_with(
        "gradients.quadratic_grad", lambda A, x: 2 * A @ x, "only when A is symmetric"
    )
    assert result.outcomes[0].passed  # right on the symmetric case: the hint comes from behaviour
    fails_with("gradients.quadratic_grad", lambda A, x: A @ x, "one appearance")
    fails_with("gradients.quadratic_grad", lambda A, x: x @ A, "one appearance")
    fails_without_hint("gradients.quadratic_grad", lambda A, x: -(A + A.T) @ x * 3)
