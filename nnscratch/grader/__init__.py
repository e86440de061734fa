"""Check a learner's answer to an exercise and show friendly feedback.

    from nnscratch.grader import check, exercises
    exercises()                          # ["inference.sigmoid", ...]
    r = check("inference.sigmoid", sigmoid)
    r.passed, r.score, r.total

With NNSCRATCH_STRICT=1 in the environment, a failing check raises AssertionError after
showing its feedback (CI runs the solved notebooks this way).

This module is the top of the grading side: it joins the grading engine (core, report and
the modules under them) to the exercise tables (nnscratch.exercises) and to the progress
file (nnscratch.tracking). Neither of those imports this module, so imports only point down.
"""

from __future__ import annotations

import difflib
import os

from nnscratch import tracking
from nnscratch.exercises import EXERCISES
from nnscratch.grader.core import grade
from nnscratch.grader.report import Outcome, Result
from nnscratch.i18n import _

__all__ = ["check", "exercises", "Result", "Outcome", "history"]

history: list[Result] = []  # every check run in this process, oldest first


def exercises() -> list[str]:
    """Every exercise id, in course order."""
    return list(EXERCISES)


def get_exercise(exercise_id: str):
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        close = difflib.get_close_matches(exercise_id, EXERCISES, n=3)
        message = _("no exercise called {id}.").format(id=repr(exercise_id))
        if close:
            message += _(" Did you mean {names}?").format(names=", ".join(map(repr, close)))
        raise KeyError(message) from None


def check(exercise_id: str, obj, *, seed: int = 0) -> Result:
    """Test obj against exercise_id. Never raises because of obj (except in strict mode)."""
    result = grade(get_exercise(exercise_id), obj, seed=seed)
    history.append(result)
    _record(result)
    if not result.passed and os.environ.get("NNSCRATCH_STRICT") == "1":
        _show(result)
        raise AssertionError(str(result))
    return result


def _record(result: Result) -> None:
    """Note the result for nnscratch.progress(); a convenience that must never break a check."""
    try:
        tracking.record(result)
    except Exception:  # noqa: BLE001 - a full disk or a read-only home is not the learner's problem
        pass


def _show(result: Result) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(result)
    else:
        print(result)
