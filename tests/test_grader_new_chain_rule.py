"""Chapter 4's new exercises: predictions, and softplus's derivative by the chain rule."""

import numpy as np

from tests.verdicts import fails_with, fails_without_hint, passes


def test_predictions():
    passes("chain_rule.predict_square_of_line", 30)
    fails_with("chain_rule.predict_square_of_line", 10, "inner derivative")
    fails_with("chain_rule.predict_square_of_line", 6, "value flowing in")
    passes("chain_rule.predict_sigmoid_slope", 0.24)
    passes("chain_rule.predict_sigmoid_slope", 0.235)
    fails_with("chain_rule.predict_sigmoid_slope", 0.25, "steepest")


def test_softplus_grad_right_answers():
    passes("chain_rule.softplus_grad", lambda x: 1 / (1 + np.exp(-x)))
    passes("chain_rule.softplus_grad", lambda x: np.exp(x) / (1 + np.exp(x)))


def test_softplus_grad_wrong_derivations():
    fails_with("chain_rule.softplus_grad", lambda x: 1 / (1 + np.exp(x)), "inner derivative")
    fails_with("chain_rule.softplus_grad", lambda x: np.exp(x), "multiply it by the outer one")
    s = lambda x: 1 / (1 + np.exp(-x))
    fails_with("chain_rule.softplus_grad", lambda x: s(x) * (1 - s(x)), "one step earlier")
    fails_without_hint("chain_rule.softplus_grad", lambda x: x**2 + 3)
