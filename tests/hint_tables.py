"""The rule every table of wrong answers holds: a failing answer shows the one hint of its own
mistake (or none), never the hint of a mistake it did not make."""

from nnscratch.grader import check


def hints_shown(result) -> set[str]:
    return {o.hint for o in result.outcomes if o.hint}


def assert_only_hint(result, hint) -> None:
    """hint: a piece of the one hint expected; a tuple of pieces when the answer makes several
    known mistakes (each must be named, nothing else); None for "no hint at all"."""
    assert not result.passed and result.status == "failed", str(result)
    shown = hints_shown(result)
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
