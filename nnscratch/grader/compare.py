"""Compare a learner's outputs with the reference's, and say what differs in the learner's terms."""

from __future__ import annotations

import numpy as np

from nnscratch.grader.guard import StudentError

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _fmt(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return repr(value)


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def compare(name: str, got, want, rtol: float, atol: float, shown: bool) -> str | None:
    """None when got matches want; otherwise one sentence saying how it differs."""
    if isinstance(got, StudentError):
        return got.text()
    if isinstance(want, (bool, np.bool_)):
        return None if isinstance(got, (bool, np.bool_)) and bool(got) == bool(want) else (
            f"`{name}` should be {bool(want)}"
        )
    if isinstance(want, np.ndarray):
        return _compare_array(name, got, want, rtol, atol, shown)
    if isinstance(want, _NUMBER_TYPES):
        return _compare_number(name, got, want, rtol, atol, shown)
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f"`{name}` should be a {type(want).__name__} of {len(want)} items, got {_kind(got)}"
        if len(got) != len(want):
            return f"`{name}` should hold {len(want)} items, but holds {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            problem = compare(f"{name}[{i}]", g, w, rtol, atol, shown)
            if problem:
                return problem
        return None
    if got == want:
        return None
    return f"`{name}`: expected {_fmt(want)}, got {_fmt(got)}" if shown else f"`{name}` is wrong"


def _compare_number(name, got, want, rtol, atol, shown):
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(())[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, _NUMBER_TYPES):
        return f"`{name}` should be a single number, but is {_kind(got)}"
    return _compare_values(name, np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                           rtol, atol, shown)


def _compare_array(name, got, want, rtol, atol, shown):
    if isinstance(got, (list, tuple)):
        return (f"`{name}` is a Python {type(got).__name__}; return a NumPy array "
                "(compute with NumPy operations, or wrap the result in np.array(...))")
    if isinstance(got, _NUMBER_TYPES) and want.shape != ():
        return f"`{name}` is a single number, but should be an array of shape {want.shape}"
    if not isinstance(got, (np.ndarray, np.generic, int, float)):
        return f"`{name}` should be a NumPy array, but is {_kind(got)}"
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"`{name}` has shape {got.shape}, but should have shape {want.shape}"
    if got.dtype.kind not in "biuf":
        return f"`{name}` holds {got.dtype} values; numbers were expected"
    if want.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return f"`{name}` holds {got.dtype} values, but should hold integers (class indices)"
    return _compare_values(name, got.astype(float), want.astype(float), rtol, atol, shown)


def _compare_values(name, got, want, rtol, atol, shown):
    bad_nan = np.isnan(got) & ~np.isnan(want)
    if bad_nan.any():
        return (f"`{name}` contains NaN at {np.count_nonzero(bad_nan)} place(s) "
                "(often inf - inf or inf / inf after np.exp overflowed)")
    bad_inf = np.isinf(got) & ~np.isinf(want)
    if bad_inf.any():
        return f"`{name}` contains inf at {np.count_nonzero(bad_inf)} place(s) (an overflow?)"
    with np.errstate(invalid="ignore"):
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    wrong = np.argwhere(~close)
    where = tuple(int(i) for i in wrong[0])
    if not shown:
        return f"`{name}` is wrong at {len(wrong)} of {want.size} place(s)"
    if want.shape == ():
        return f"`{name}`: expected {_fmt(want[()])}, got {_fmt(got[()])}"
    index = where[0] if len(where) == 1 else where
    return (f"`{name}` is wrong at {len(wrong)} of {want.size} place(s); first at index {index}: "
            f"expected {_fmt(want[where])}, got {_fmt(got[where])}")
