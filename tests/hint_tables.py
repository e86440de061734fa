"""The rule every table of wrong answers holds: a failing answer shows the one hint of its own
mistake (or none), never the hint of a mistake it did not make."""

import re

from nnscratch.grader import check


def hints_shown(result) -> set[str]:
    return {o.hint for o in result.outcomes if o.hint}


REPAIR = re.compile(r"(^| )[Oo]ne change makes every test pass: .*$")


def _without_repairs(hints: set[str]) -> set[str]:
    """The hints without the sentence of a repair (grader.repairs), which names no mistake of
    a table: it is one change of the learner's own code after which every test passes, twice,
    and tests/test_hints_repairs.py holds it to the line that was changed."""
    return {kept for h in hints if (kept := REPAIR.sub("", h).strip())}


def assert_only_hint(result, hint) -> None:
    """hint: a piece of the one hint expected; a tuple of pieces when the answer makes several
    known mistakes (each must be named, nothing else); None for "no hint at all". A repair's
    sentence is left out of the comparison, unless a piece is found in it."""
    assert not result.passed and result.status == "failed", str(result)
    shown = hints_shown(result)
    pieces = hint if isinstance(hint, tuple) else (hint,)
    repairs = [m.group(0) for h in shown if (m := REPAIR.search(h))]
    if not any(piece and piece in said for piece in pieces for said in repairs):
        shown = _without_repairs(shown)
    if hint is None:
        assert not shown, str(result)
        return
    expected = hint if isinstance(hint, tuple) else (hint,)
    for piece in expected:
        assert any(piece in h for h in shown), f"no hint containing {piece!r}\n{result}"
    others = {h for h in shown if not any(piece in h for piece in expected)}
    assert not others, f"hints of mistakes not made: {others}\n{result}"


def assert_fails_with_only(exercise_id: str, obj, hint: str | None) -> None:
    assert_only_hint(check(exercise_id, obj), hint)
