"""What an exercise table entry is (Exercise, Case, Mistake, ErrorHint): the format the exercise
tables are written in and the grading engine reads, so it sits below both.

Exercises are data; the grader is a loop over them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Inputs = dict[str, Any]
Outputs = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One test: make inputs, run an implementation on them, compare with the reference.

    inputs(rng) builds the arguments; run(obj, inputs) calls the learner's object (or the
    reference, or a known mistake) and returns named outputs as plain data (arrays,
    numbers, bools, strings). Output names use the learner's notation, e.g. "sigmoid(x)".
    """

    name: str
    inputs: Callable[[Any], Inputs]
    run: Callable[[Any, Inputs], Outputs]
    shown: bool = True  # False: a hidden case; feedback never prints its expected values
    pure: bool = True  # True: the run must leave every input array unchanged
    rtol: float = 1e-5  # accepts float32 results
    atol: float = 1e-7
    explain: dict[str, str] = field(default_factory=dict)  # why a named output matters
    # True: the outputs are an analytic derivative. With float64 inputs they are compared to
    # rounding error (nnscratch.grader.core.EXACT_RTOL), tighter than any finite difference
    # reaches, so a numerical gradient fails; float32 inputs keep rtol and atol. A tuple of
    # output names makes those outputs exact only (a loss layer's dx, not its loss, whose
    # small δ inside the log may differ).
    exact: bool | tuple[str, ...] = False


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation: when the learner's outputs match its outputs, show hint."""

    hint: str
    impl: Any


# NumPy's broadcast error for an (N, C) array against an (N,) one, in either order: one value per
# row (a sum or max that lost its axis, or label indices) lined up with the columns. Any other
# broadcast error is another slip, so a hint for this one must not fire on it.
ONE_PER_ROW = (
    r"could not be broadcast together with shapes (\((\d+),\d+\) \(\2,\)|\((\d+),\) \(\3,\d+\))"
)


@dataclass(frozen=True)
class ErrorHint:
    """A hint for an exception whose "Type: message" text matches the regex pattern, and, when
    code is given, whose failing line of the learner's code matches the regex code too (a hint
    that names an operation needs the line to hold it)."""

    pattern: str
    hint: str
    code: str = ""


@dataclass(frozen=True)
class Exercise:
    id: str
    receives: str  # what the learner passes, e.g. "a function sigmoid(x)"
    reference: Any
    cases: tuple[Case, ...]
    mistakes: tuple[Mistake, ...] = ()
    error_hints: tuple[ErrorHint, ...] = ()
    is_class: bool = False
    time_limit: float = 5.0  # seconds per test
    is_value: bool = False  # a predict-then-run answer (a number, shape or choice), not code
    # Right definitions in the forms learners write (source text of one def, in the
    # reference's module namespace), besides the reference's own: grader.precedence tries
    # each with its brackets left out.
    forms: tuple[str, ...] = ()
