"""Whether the learner's code left NumPy's global random generator alone, and made no legacy
`np.random.RandomState`, for the exercises whose text asks for a generator of their own
(`np.random.default_rng`): code that calls `np.random.seed`, `np.random.randn` or
`np.random.RandomState(seed)` gives numbers just as good, so only this shows it."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from nnscratch.i18n import N_
from nnscratch.spec import Case

GLOBAL_RNG_KEPT = N_("NumPy's global random generator is left as it was")
GLOBAL_RNG_EXPLAIN = N_(
    "the text asks for a generator of your own, `np.random.default_rng(...)`; "
    "`np.random.seed`, `np.random.randn`, `np.random.shuffle` and the like use and change "
    "NumPy's global generator, which all other code shares"
)


LEGACY_UNUSED = N_("no np.random.RandomState is made")
LEGACY_EXPLAIN = N_(
    "the text asks for `np.random.default_rng(...)`; `np.random.RandomState` is NumPy's older "
    "generator, which draws other numbers from the same seed"
)


@contextmanager
def _legacy_made():
    """A list that records every np.random.RandomState made while the block runs (the class
    is swapped for a subclass that notes its making, so the learner's code works as before)."""
    made, legacy = [], np.random.RandomState

    class Recorded(legacy):
        def __init__(self, *args, **kwargs):
            made.append(args)
            super().__init__(*args, **kwargs)

    np.random.RandomState = Recorded
    try:
        yield made
    finally:
        np.random.RandomState = legacy


def _same_state(before, after) -> bool:
    return all(
        np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b for a, b in zip(before, after)
    )


def keeps_global_rng(case: Case) -> Case:
    """The case, with one more output: True when its run left np.random's global state as it
    found it."""
    run = case.run

    def checked(obj, inputs):
        before = np.random.get_state()
        with _legacy_made() as made:
            outputs = run(obj, inputs)
        return {
            **outputs,
            GLOBAL_RNG_KEPT: _same_state(before, np.random.get_state()),
            LEGACY_UNUSED: not made,
        }

    explain = {GLOBAL_RNG_KEPT: GLOBAL_RNG_EXPLAIN, LEGACY_UNUSED: LEGACY_EXPLAIN}
    return replace(case, run=checked, explain={**case.explain, **explain})


def asks_for_own_generator(exercise):
    """The exercise with its first case also checking the global generator (one case is enough:
    code that touches it does so on every call)."""
    first, *rest = exercise.cases
    return replace(exercise, cases=(keeps_global_rng(first), *rest))
