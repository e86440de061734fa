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

from nnscratch.i18n import _


class NotAsExpected(Exception):
    """Raised by a case's run when the learner's object is not what the exercise receives.

    Its message is a sentence in the learner's terms ("`net.params[0]` has shape (2, 4), but
    W1 should have shape (4, 3)"), shown as it is.
    """


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    return _("a {type}").format(type=type(value).__name__)


def _items(values, most: int = 6) -> str:
    """What a list holds, briefly: "array (2, 4), list, Sigmoid" (the layers themselves, or
    lists of arrays, read differently from arrays)."""
    said = [
        _("array {shape}").format(shape=v.shape) if isinstance(v, np.ndarray) else type(v).__name__
        for v in list(values)[:most]
    ]
    return ", ".join(said) + (", ..." if len(values) > most else "")


def _shape_clue(params, i: int, expected: tuple) -> str:
    """What the wrong shape shows: the expected sizes swapped, or the expected shape held by
    another array of the list (the arrays in another order); nothing is guessed otherwise."""
    got = np.shape(params[i])
    if len(got) == 2 and got == expected[::-1]:
        return _(" (its two sizes are swapped)")
    if any(np.shape(p) == expected for j, p in enumerate(params) if j != i):
        return _(" (another array of the list has that shape: the arrays in another order?)")
    return ""


def load_weights(params, values, where: str = "net.params", names=("W1", "b1", "W2", "b2")) -> None:
    """Write values into the arrays of params, in place (as an optimizer would)."""
    if not isinstance(params, (list, tuple)):
        raise NotAsExpected(
            _("`{where}` should be a list of arrays [{names}], but is {kind}").format(
                where=where, names=", ".join(names), kind=_kind(params)
            )
        )
    if len(params) != len(values):
        raise NotAsExpected(
            _(
                "`{where}` should hold {count} arrays [{names}], but holds {got} items: {items}"
            ).format(
                where=where,
                count=len(values),
                names=", ".join(names),
                got=len(params),
                items=_items(params),
            )
        )
    for i, (p, value, name) in enumerate(zip(params, values, names)):
        if not isinstance(p, np.ndarray):
            raise NotAsExpected(
                _(
                    "`{where}[{i}]` should be the array {name}, but is {kind}"
                    " (a list of lists? gather with `params += layer.params`)"
                ).format(where=where, i=i, name=name, kind=_kind(p))
            )
        if p.shape != np.shape(value):
            raise NotAsExpected(
                _(
                    "`{where}[{i}]` should be {name}, of shape {expected}, but has shape {got}"
                ).format(where=where, i=i, name=name, expected=np.shape(value), got=p.shape)
                + _shape_clue(params, i, np.shape(value))
            )
        p[...] = value
