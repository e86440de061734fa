"""Compare a learner's outputs with the reference's, and say what differs in the learner's terms."""

from __future__ import annotations

import numpy as np

from nnscratch.grader.guard import StudentError
from nnscratch.gradients import relative_error

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
    if got is None and want is not None:
        return f"`{name}` is None"
    if isinstance(want, (bool, np.bool_)):
        return (
            None
            if isinstance(got, (bool, np.bool_)) and bool(got) == bool(want)
            else (f"`{name}` should be {bool(want)}")
        )
    if isinstance(want, np.ndarray):
        return _compare_array(name, got, want, rtol, atol, shown)
    if isinstance(want, _NUMBER_TYPES):
        return _compare_number(name, got, want, rtol, atol, shown)
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return (
                f"`{name}` should be a {type(want).__name__} of {len(want)} items, got {_kind(got)}"
            )
        if len(got) != len(want):
            return f"`{name}` should hold {len(want)} items, but holds {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            problem = compare(f"{name}[{i}]", g, w, rtol, atol, shown)
            if problem:
                return problem
        return None
    try:
        equal = type(got) is type(want) and bool(got == want)
    except Exception:  # noqa: BLE001 - e.g. an array against a string
        equal = False
    if equal:
        return None
    return f"`{name}`: expected {_fmt(want)}, got {_fmt(got)}" if shown else f"`{name}` is wrong"


def _compare_number(name, got, want, rtol, atol, shown):
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(())[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, _NUMBER_TYPES):
        return f"`{name}` should be a single number, but is {_kind(got)}"
    return _compare_values(
        name, np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol, atol, shown
    )


def _compare_array(name, got, want, rtol, atol, shown):
    if isinstance(got, (list, tuple)):
        return (
            f"`{name}` is a Python {type(got).__name__}; return a NumPy array "
            "(compute with NumPy operations, or wrap the result in np.array(...))"
        )
    if isinstance(got, _NUMBER_TYPES) and want.shape != ():
        return f"`{name}` is a single number, but should be an array of shape {want.shape}"
    if not isinstance(got, (np.ndarray, np.generic, int, float)):
        return f"`{name}` should be a NumPy array, but is {_kind(got)}"
    got = np.asarray(got)
    if got.shape != want.shape:
        return (
            f"`{name}` has shape {got.shape}, but should have shape {want.shape}"
            + _shape_pattern(got, want)
        )
    if got.dtype.kind not in "biuf":
        return f"`{name}` holds {got.dtype} values; numbers were expected"
    if want.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return f"`{name}` holds {got.dtype} values, but should hold integers (class indices)"
    return _compare_values(name, got.astype(float), want.astype(float), rtol, atol, shown)


def _compare_values(name, got, want, rtol, atol, shown):
    bad_nan = np.isnan(got) & ~np.isnan(want)
    if bad_nan.any():
        return (
            f"`{name}` contains NaN at {np.count_nonzero(bad_nan)} place(s) "
            "(NaN comes from inf - inf or inf / inf, e.g. after np.exp overflowed, from 0 / 0, "
            "or from the log of a negative number)"
        )
    bad_inf = np.isinf(got) & ~np.isinf(want)
    if bad_inf.any():
        return f"`{name}` contains inf at {np.count_nonzero(bad_inf)} place(s) (an overflow?)"
    with np.errstate(invalid="ignore"):
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    wrong = np.argwhere(~close)
    where = tuple(int(i) for i in wrong[0])
    if want.shape == ():
        if not shown:
            return f"`{name}` is wrong{_value_pattern(got, want)}"
        return (
            f"`{name}`: expected {_fmt(want[()])}, got {_fmt(got[()])}{_value_pattern(got, want)}"
        )
    everywhere = "in both places" if want.size == 2 else f"in all {want.size} places"
    where_wrong = (
        everywhere
        if len(wrong) == want.size
        else f"in {len(wrong)} of {want.size} places, {_indices(wrong)}"
    )
    places = (
        f"`{name}` is wrong {where_wrong} (relative error {_relative_error(got, want):.2g})"
        f"{_value_pattern(got, want)}"
    )
    if not shown:
        return places
    index = where[0] if len(where) == 1 else where
    return f"{places}; at index {index}: expected {_fmt(want[where])}, got {_fmt(got[where])}"


def _relative_error(got, want) -> float:
    """The gradient check's relative error (nnscratch.gradients), over the finite elements."""
    finite = np.isfinite(got) & np.isfinite(want)  # inf matching inf is not an error
    return relative_error(got[finite], want[finite])


def _indices(wrong, limit: int = 6) -> str:
    """The wrong places as indices, e.g. "at (0, 1), (1, 2)" or "at 0, 3, 4"."""
    shown = [
        str(int(w[0])) if len(w) == 1 else str(tuple(int(i) for i in w)) for w in wrong[:limit]
    ]
    more = f" and {len(wrong) - limit} more" if len(wrong) > limit else ""
    return "at " + ", ".join(shown) + more


def _value_pattern(got, want) -> str:
    """A recognisable relation between a wrong answer and the right one, or ""."""
    if not (np.isfinite(got).all() and np.isfinite(want).all()):
        return ""
    nonzero = np.abs(want) > 1e-12
    if nonzero.sum() >= 1 and np.allclose(got[~nonzero], 0, atol=1e-9):
        ratios = got[nonzero] / want[nonzero]
        ratio = float(np.median(ratios))
        if abs(ratio - 1) > 1e-3 and abs(ratio) > 1e-9 and np.allclose(ratios, ratio, rtol=1e-4):
            single = want.size == 1
            if abs(ratio + 1) < 1e-4:
                return "; it has the wrong sign" if single else "; every value has the wrong sign"
            times = f"{ratio:.4g}" if abs(ratio) >= 1 else f"1/{1 / ratio:.4g}"
            return (
                f"; it is {times} times the right value"
                if single
                else (f"; every value is {times} times the right one")
            )
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and np.allclose(got.T, want):
        return "; it is the right answer transposed"
    if np.allclose(got, 0):
        return "; it is all zeros"
    return ""


def _shape_pattern(got, want) -> str:
    if got.ndim == 2 and got.shape == want.shape[::-1]:
        if got.dtype.kind in "biuf" and want.dtype.kind in "biuf" and np.allclose(got.T, want):
            return " (it holds the right values, transposed)"
        return " (the two sizes are swapped: transposed?)"
    if (
        got.size == want.size
        and got.dtype.kind in "biuf"
        and np.allclose(got.reshape(want.shape), want)
    ):
        return " (the right values, in the wrong shape)"
    return ""
