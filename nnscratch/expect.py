"""What a case's run checks about the learner's object before using it.

It sits beside nnscratch.spec, below both the exercise tables and the grading engine, so the
tables can use it without importing nnscratch.grader (whose __init__ imports the tables).

A run that writes known weights into a learner's network, say, would otherwise fail inside the
course's own code ("could not broadcast input array from shape (2, 4) into shape (4, 3)").
These helpers raise NotAsExpected with a sentence about what the learner's object holds and
what was expected, which the grader shows as it is.
"""

from __future__ import annotations

import numpy as np


class NotAsExpected(Exception):
    """Raised by a case's run when the learner's object is not what the exercise receives.

    Its message is a sentence in the learner's terms ("`net.params[0]` has shape (2, 4), but
    W1 should have shape (4, 3)"), shown as it is.
    """


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def load_weights(params, values, where: str = "net.params", names=("W1", "b1", "W2", "b2")) -> None:
    """Write values into the arrays of params, in place (as an optimizer would)."""
    if not isinstance(params, (list, tuple)):
        raise NotAsExpected(
            f"`{where}` should be a list of arrays [{', '.join(names)}], but is {_kind(params)}"
        )
    if len(params) != len(values):
        raise NotAsExpected(
            f"`{where}` should hold {len(values)} arrays [{', '.join(names)}], "
            f"but holds {len(params)} items"
        )
    for i, (p, value, name) in enumerate(zip(params, values, names)):
        if not isinstance(p, np.ndarray):
            raise NotAsExpected(
                f"`{where}[{i}]` should be the array {name}, but is {_kind(p)}"
                " (a list of lists? gather with `params += layer.params`)"
            )
        if p.shape != np.shape(value):
            raise NotAsExpected(
                f"`{where}[{i}]` should be {name}, of shape {np.shape(value)}, "
                f"but has shape {p.shape} (the arrays in another order?)"
            )
        p[...] = value
