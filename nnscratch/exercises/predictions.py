"""Predict, then run: a question answered with a value before the cell that shows the answer.

The learner writes `answer = (10, 4)` (a shape), `answer = 2.0` (a number) or
`answer = "down"` (a choice) and passes it to check(); the cell after it computes the truth.
A wrong prediction gets a hint only when it equals a known wrong answer (the mistake's value),
and the expected value is never printed: the next cell shows it.
"""

from __future__ import annotations

import numpy as np

from nnscratch.i18n import N_, Phrase
from nnscratch.spec import Case, Exercise, Mistake


class Expected:
    """The right value of a prediction, wrapped: a learner's `3` is never the reference itself
    (small ints and short strings are shared objects in Python, and the classroom grader
    rejects an answer that *is* the course's reference)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return f"Expected({self.value!r})"


def _plain(value):
    """The learner's answer as comparable data: shapes as tuples of ints, choices lower-case."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iu":
        value = tuple(value)  # np.array([10, 4]) for a shape
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _run(obj, inputs):
    value = obj.value if isinstance(obj, Expected) else obj
    if value is Ellipsis:  # the student copy's `answer = ...`: not predicted yet
        raise NotImplementedError
    return {"answer": _plain(value)}


def prediction(exercise_id: str, asks: str, value, wrong=(), rtol: float = 1e-6) -> Exercise:
    """An exercise whose answer is value. wrong: (wrong value, hint naming that slip) pairs.

    rtol: how close a number must be (a prediction by hand may round, e.g. 0.01 for 2 digits).
    asks and the hints are marked with N_() where the tables call this: shown translated.
    """
    name = Phrase(N_("your prediction: {asks}"), asks=Phrase(asks))
    case = Case(name, lambda rng: {}, _run, shown=False, rtol=rtol, atol=0.0)
    return Exercise(
        id=exercise_id,
        receives=Phrase(
            N_("your prediction ({asks}) as a value, e.g. `answer = ...` filled in"),
            asks=Phrase(asks),
        ),
        reference=Expected(value),
        cases=(case,),
        mistakes=tuple(Mistake(hint, Expected(wrong_value)) for wrong_value, hint in wrong),
        is_value=True,
    )
