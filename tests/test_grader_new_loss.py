"""Chapter 2's predict-then-run questions."""

import numpy as np

from tests.verdicts import fails_with, passes


def test_one_sample_loss_to_two_decimals():
    passes("loss.predict_one_sample_loss", 0.36)
    passes("loss.predict_one_sample_loss", -np.log(0.7))
    fails_with("loss.predict_one_sample_loss", 0.7, "−log of it")
    fails_with("loss.predict_one_sample_loss", np.log(0.7), "negative log")


def test_first_loss_is_log_of_the_number_of_classes():
    passes("loss.predict_first_loss", 1.1)
    fails_with("loss.predict_first_loss", 0.0, "a guess")
    fails_with("loss.predict_first_loss", np.log10(3), "natural log")
