"""Whether the learner's code left NumPy's global random generator alone, for the exercises
whose text asks for a generator of their own (`np.random.default_rng`): code that calls
`np.random.seed` or `np.random.randn` gives numbers just as good, so only this shows it."""

from __future__ import annotations

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
        outputs = run(obj, inputs)
        return {**outputs, GLOBAL_RNG_KEPT: _same_state(before, np.random.get_state())}

    return replace(case, run=checked, explain={**case.explain, GLOBAL_RNG_KEPT: GLOBAL_RNG_EXPLAIN})


def asks_for_own_generator(exercise):
    """The exercise with its first case also checking the global generator (one case is enough:
    code that touches it does so on every call)."""
    first, *rest = exercise.cases
    return replace(exercise, cases=(keeps_global_rng(first), *rest))
