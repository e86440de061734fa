"""Mistakes of one kind, declared once for every exercise that has them: the right formula
applied to the wrong argument.

A learner whose answer is f(x) often writes f correctly and feeds it something else: -x for
x (a sign inside `np.exp`), 2x or x/2 (`np.tanh(x)` for `np.tanh(x / 2)`), or the output
y = forward(x) where the formula takes x (sigmoid's slope computed at sigmoid(x), tanh applied
to `self.out` again). Each Mistake here is the exercise's own reference run on that argument,
so its hint is shown only when the learner's values are those values (the grader's evidence
rule), and a table lists these after its own mistakes, whose hints say more.
"""

from __future__ import annotations

import numpy as np

from nnscratch.i18n import N_, Phrase
from nnscratch.spec import Mistake

AT_ARGUMENT = N_(
    "these are the right formula's values at {argument} instead of at x: the formula is right, "
    "what it is applied to is not (look inside the call for {where})."
)
# (argument as code, how to find it in the learner's code)
ARGUMENTS = (
    ("-x", lambda x: -x, N_("a sign, such as `np.exp(x)` against `np.exp(-x)`")),
    ("2 * x", lambda x: 2 * x, N_("a factor 2, such as `np.tanh(x)` against `np.tanh(x / 2)`")),
    ("x / 2", lambda x: x / 2, N_("a division by 2, such as `x / 2` where x is meant")),
)
AT_OUTPUT = N_(
    "these are the right formula's values at the output y = {forward}(x) instead of at x: the "
    "formula takes x, but was given y (if you have `y = {forward}(x)`, y is already the output: "
    "don't apply {forward} to it again)."
)
BACKWARD_AT_OUTPUT = N_(
    "backward gives the slope at the output y = {forward}(x) instead of at the input x. A slope "
    "written with y (such as 1 − y²) takes `self.out` as it is, without applying {forward} "
    "again; a slope written with x needs x itself, kept in forward."
)


class Indistinct(Exception):
    """Raised by a wrong-argument mistake on a case where its values are a multiple of the right
    ones (an even or odd formula: f(-x) = ±f(x)). Those values name no argument: the
    comparison's own observation (the sign, k times) says what is seen. The grader takes the
    raise as this mistake giving other values than the learner's."""


def _proportional(theirs, right) -> bool:
    theirs, right = np.asarray(theirs, dtype=float), np.asarray(right, dtype=float)
    if theirs.shape != right.shape or not (np.isfinite(theirs).all() and np.isfinite(right).all()):
        return False
    nonzero = np.abs(right) > 1e-12
    if not nonzero.any():
        return bool(np.allclose(theirs, 0))
    ratios = theirs[nonzero] / right[nonzero]
    return bool(
        np.allclose(theirs[~nonzero], 0, atol=1e-12)
        and np.allclose(ratios, ratios[0], rtol=1e-9, atol=1e-12)
    )


def _at(reference, transform):
    def impl(x):
        theirs = reference(transform(x))
        if _proportional(theirs, reference(x)):
            raise Indistinct
        return theirs

    return impl


def at_wrong_arguments(
    reference, forward=None, forward_name: str = "", skip: tuple[str, ...] = ()
) -> tuple[Mistake, ...]:
    """Mistakes for an exercise whose answer is reference(x): reference at -x, 2x and x/2, and,
    given forward (the function whose output y the learner may pass instead of x, named
    forward_name in the hint), reference at forward(x). skip: arguments (as in ARGUMENTS,
    e.g. "-x") whose values a mistake of the table's own already gives, with its own words."""
    mistakes = [
        Mistake(Phrase(AT_ARGUMENT, argument=code, where=Phrase(where)), _at(reference, transform))
        for code, transform, where in ARGUMENTS
        if code not in skip
    ]
    if forward is not None:
        mistakes.append(Mistake(Phrase(AT_OUTPUT, forward=forward_name), _at(reference, forward)))
    return tuple(mistakes)


def backward_at_output(layer_class, forward_name: str) -> Mistake:
    """The mistake of a layer whose backward takes the local slope at its output y instead of at
    its input x: the reference layer's backward, as if its forward had been given y."""

    class AtOutput(layer_class):
        def forward(self, x):
            y = super().forward(x)
            self._at_output = layer_class()
            self._at_output.forward(np.array(y, dtype=float))  # a copy: y is returned as well
            return y

        def backward(self, dout):
            return self._at_output.backward(dout)

    return Mistake(Phrase(BACKWARD_AT_OUTPUT, forward=forward_name), AtOutput)
