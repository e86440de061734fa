"""Assertions shared by the tests of the exercises added for issue 13 (tests/test_grader_new_*)."""

from nnscratch.grader import check


def passes(exercise_id, obj):
    result = check(exercise_id, obj)
    assert result.passed, str(result)
    return result


def fails_with(exercise_id, obj, hint):
    """obj fails, and some failed test names the mistake with a hint containing `hint`."""
    result = check(exercise_id, obj)
    assert not result.passed and result.status == "failed", str(result)
    assert any(hint in o.hint for o in result.outcomes), str(result)
    return result


def fails_without_hint(exercise_id, obj):
    """obj fails, and no hint is given: it matches no known mistake's behaviour."""
    result = check(exercise_id, obj)
    assert not result.passed, str(result)
    assert not any(o.hint for o in result.outcomes), str(result)
    return result
