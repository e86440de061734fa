"""The grader: one loop over an exercise's cases. It knows nothing exercise-specific.

Probing (running the learner's object) and judging (comparing with the reference) are
separate steps, so a grading tool can probe in the learner's process and judge in its own.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import inspect
import io
import re

import numpy as np

from nnscratch.grader.compare import as_written, compare, finite_relative_error
from nnscratch.grader.first_forward import FIRST_FORWARD_KEPT, keeps_first_forward
from nnscratch.grader.guard import StudentError, guarded
from nnscratch.grader.lost_axis import lost_axis_hint
from nnscratch.grader.mutations import local_slips, one_change_slips
from nnscratch.grader.precedence import precedence_slips
from nnscratch.grader.repairs import contract_names, repair
from nnscratch.grader.report import Outcome, Result
from nnscratch.grader.shapes import shape_clash, shape_of_inputs
from nnscratch.i18n import N_, _
from nnscratch.spec import ErrorHint, Exercise

MUTATED = "_mutated"  # reserved output name: the input arrays the learner's code changed

COMMON_ERROR_HINTS = (
    (r"NameError: name 'np' is not defined", N_("run the cell with `import numpy as np` first")),
    (
        r"only (length-1|0-dimensional|size-1) arrays",
        N_(
            "an array went where Python needs a single number: `math.exp` and the `math` module's "
            "other functions, `float()` and `int()` take one number; NumPy's functions, such as "
            "`np.exp`, work on whole arrays"
        ),
    ),
    (
        r"OverflowError: math range error",
        N_(
            "`math.exp` fails on large numbers and takes one number at a time; `np.exp` works on "
            "whole arrays (and gives inf with a warning instead of failing)"
        ),
    ),
    (
        r"ufunc 'bitwise_xor' not supported|unsupported operand type\(s\) for \^",
        N_("`^` is exclusive or in Python, not a power: write powers with `**`, as in `x ** 2`"),
    ),
    (
        r"truth value of an array with more than one element is ambiguous",
        N_(
            "an `if`, `and`, `or` or `not` met a whole array, which is neither true nor false: "
            "the checks pass arrays. Decide place by place instead, with `np.where(condition, "
            "a, b)`, a mask such as `x > 0`, or `np.maximum`"
        ),
    ),
    (r"TimeLimitExceeded", N_("look for a loop whose condition never becomes false")),
    (r"RecursionError", N_("a function that calls itself with no way to stop")),
)


# What an exception itself shows, said when no mistake of the exercise raises it too (a
# mistake's own hint is the more precise: floats used as indices may be swapped arguments).
FALLBACK_ERROR_HINTS = (
    (
        r"'float' object cannot be interpreted as an integer",
        N_(
            "a float was given where Python needs a whole number (a `range`, a count, a size): "
            "`/` always gives a float, even for 90 / 30; a count of whole batches is `N // size`"
        ),
    ),
    (
        r"takes \d+ positional arguments? but \d+ (was|were) given",
        N_(
            "a function was called with more arguments than its `def` lists. A method's first "
            "parameter is `self`, which Python passes itself: `def forward(self, x):`. Is "
            "`self` (or another parameter) missing?"
        ),
    ),
    (
        r"'numpy\.float\d*' object is not iterable|iteration over a 0-d array",
        N_(
            "x is a single number in this case, and a `for` loop cannot walk through a number: "
            "write the formula with NumPy's element-wise operations, which work on numbers "
            "and arrays alike"
        ),
    ),
    (
        r"unsupported operand type\(s\) for .*'NoneType'|'NoneType' object (does not support "
        r"item assignment|is not subscriptable)|argument must be .*, not 'NoneType'",
        N_(
            "a value used here is None: an attribute or list element that was never given an "
            "array (backward can only use what forward stored on `self`, and "
            "`self.grads` must hold arrays), or the result of a function without `return`"
        ),
    ),
    (
        r"IndexError: tuple index out of range",
        N_(
            "an index past the end of a tuple: if it is a shape, such as `x.shape[1]`, the "
            "array has fewer axes here (a single sample is 1-D, shape (D,)); `x.shape[-1]` is "
            "the last size whatever the number of axes"
        ),
    ),
    (
        r"axis 1 is out of bounds for array of dimension 1",
        N_(
            "axis 1 of a 1-D array: an array here has one axis only (a single sample, shape "
            "(D,)); `axis=-1` is the last axis whatever the number of axes"
        ),
    ),
    (
        r"arrays used as indices must be of integer \(or boolean\) type",
        N_(
            "an array of floats was used as indices, and an index must be an integer; if it "
            "holds one-hot labels, turn them into class indices first: `t.argmax(axis=1)`"
        ),
    ),
)


RETURN_MISSING = N_(
    "A function with no `return` statement returns None: is a `return` missing "
    "(or does the function print its result instead of returning it)?"
)


SKIPPED = N_("skipped after an earlier test ran out of time")


def case_rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, index])


def _snapshot(value):
    """Copy outputs so later changes to the learner's objects cannot alter the verdict."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value) if type(value) in (list, tuple) else value
    return value


def _run(ex: Exercise, index: int, impl, inputs, time_limit: float):
    case = ex.cases[index]
    given = copy.deepcopy(inputs)
    out = guarded(case.run, impl, given, time_limit=time_limit)
    if isinstance(out, StudentError):
        return out
    out = _snapshot(out)
    if case.pure:
        out[MUTATED] = sorted(_changed_inputs(inputs, given))
    return out


def _changed_inputs(inputs: dict, given: dict):
    """The names of the input arrays the run changed in place, those held in a dict or a list
    of the inputs included (`params['b1']` after `a = params['b1']; a += ...`)."""
    for k, v in inputs.items():
        if isinstance(v, np.ndarray):
            if not np.array_equal(v, given[k], equal_nan=True):
                yield k
        elif isinstance(v, (dict, list, tuple)):
            items = v.items() if isinstance(v, dict) else enumerate(v)
            for inner, array in items:
                try:
                    kept = given[k][inner]
                except (KeyError, IndexError, TypeError):
                    continue  # the learner's code removed it: no array to compare
                if isinstance(array, np.ndarray) and isinstance(kept, np.ndarray):
                    if array.shape != kept.shape or not np.array_equal(array, kept, equal_nan=True):
                        yield f"{k}[{inner!r}]"


def probe_case(ex: Exercise, index: int, obj, seed: int = 0):
    """Run the learner's object on one case: named outputs, or a StudentError."""
    inputs = ex.cases[index].inputs(case_rng(seed, index))
    return _run(ex, index, obj, inputs, ex.time_limit)


# An analytic derivative in float64 is right to a few units of rounding (1e-16) of the values
# it is computed from, whatever its algebraic form (measured: every right form in
# tests/test_grader_exact.py passes on seeds 0-14); a central difference gets no closer than
# about 1e-12 to 1e-9 (truncation h², rounding eps / h), so none passes a backward case.
EXACT_RTOL, EXACT_ATOL = 1e-12, 1e-13
NUMERICAL_REACH = 1e-3  # past any central difference or float32 (3e-5 on values of 1e6)
LOOSE_ENOUGH = N_(
    "`{name}` agrees with the derivative only to about {error:.0e} (relative error), as close "
    "as a numerical difference gets; this exercise asks for the formula, which is right to "
    "rounding error (about 1e-15)"
)
FLOAT32_SEEN = N_(
    " (it holds float32 values, which keep about 7 significant digits, where the inputs are "
    "float64)"
)
# what was seen, not why: an integer array filled in place, argmax's class indices and `//`
# all give whole numbers
INTEGERS_SEEN = N_(" (it holds whole numbers, dtype {dtype}, where the right values have decimals)")
IN_FLOAT32 = N_(
    "`{name}` holds float32 values, right only to about {error:.0e} (relative error); the "
    "inputs are float64 and this exercise checks the formula to rounding error: compute in "
    "float64 (leave out the `np.float32`)"
)


def _tolerance(case, inputs, expected, key: str | None = None) -> tuple[float, float]:
    """(rtol, atol) for one output: rounding error for an exact output with float64 inputs."""
    float32 = any(
        isinstance(v, (np.ndarray, np.generic)) and v.dtype == np.float32 for v in inputs.values()
    )
    exact = case.exact if isinstance(case.exact, bool) else key in case.exact
    if not exact or float32 or not isinstance(expected, (np.ndarray, float, np.floating)):
        return case.rtol, case.atol
    values = np.abs(np.asarray(expected, dtype=float))
    scale = float(np.max(values[np.isfinite(values)], initial=1.0))
    return EXACT_RTOL, EXACT_ATOL * max(1.0, scale)


def _compare_output(case, name, got, expected, inputs, key=None, observe=True) -> str | None:
    """compare() at the output's tolerance; an answer right only to a numerical difference's
    precision gets an observation of how close it is, not the generic "wrong"."""
    rtol, atol = _tolerance(case, inputs, expected, key)
    problem = compare(
        name,
        got,
        expected,
        rtol,
        atol,
        case.shown,
        _sizes(inputs, expected),
        inputs.get("x"),
        observe=observe,
        inputs=inputs,
    )
    if problem is not None:
        problem += shape_of_inputs(got, expected, inputs, key or "")
        if _float32(got) and not _float32(expected):
            problem += _(FLOAT32_SEEN)
        elif _whole_where_decimals(got, expected):
            problem += _(INTEGERS_SEEN).format(dtype=np.asarray(got).dtype)
    if problem is None or (rtol, atol) == (case.rtol, case.atol):
        return problem
    if compare(name, got, expected, case.rtol, case.atol, case.shown) is not None:
        return problem
    error = finite_relative_error(np.asarray(got, dtype=float), np.asarray(expected, dtype=float))
    if not error <= NUMERICAL_REACH:
        # Within the loose tolerance only because the values are tiny (σ'(±40) ≈ 1e-18 against
        # 2e-9): not "as close as a numerical difference gets", just wrong.
        return problem
    if _float32(got):
        return _(IN_FLOAT32).format(name=name, error=error)
    if np.asarray(got).dtype.kind in "iu":
        return problem  # whole numbers: their fractions cut off, not a numerical difference
    return _(LOOSE_ENOUGH).format(name=name, error=error)


def _whole_where_decimals(got, expected) -> bool:
    """got is an integer array where the expected array holds numbers with decimals."""
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "iu":
        return False
    if not isinstance(expected, np.ndarray) or expected.dtype.kind != "f":
        return False
    finite = expected[np.isfinite(expected)]
    if got.shape == expected.shape and np.allclose(got, np.trunc(expected)):
        return False  # compare() said it already: each right value with its fraction cut off
    return bool(np.any(finite != np.round(finite)))


def _float32(value) -> bool:
    return isinstance(value, (np.ndarray, np.floating)) and value.dtype == np.float32


def _sizes(inputs, expected=None) -> dict[str, int]:
    """The sizes a factor in a wrong answer may be: N, the number of samples (the first size of
    the input x, or the one first size all the batch inputs share), C, the number of columns
    of that batch, and the number of values in x (x.size). No sizes for a function applied
    element by element (an output of x's shape, with no upstream gradient or labels): no count
    enters such a formula, so a factor equal to one would be chance."""
    x = inputs.get("x")
    if (
        isinstance(x, np.ndarray)
        and np.shape(expected) == x.shape
        and not {"dout", "t"} & set(inputs)
    ):
        return {}
    batches = [
        v
        for v in inputs.values()
        if isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind in "iuf"
    ]
    if isinstance(x, np.ndarray) and x.ndim >= 2:
        batch = x
    elif batches and len({b.shape for b in batches}) == 1:
        batch = batches[0]  # y and t of one (N, C) shape, or one batch input named otherwise
    else:
        batch = None
    sizes = {}
    if batch is not None:
        sizes["N"] = batch.shape[0]
        if batch.ndim == 2:
            sizes["C"] = batch.shape[1]
    samples = {v.shape for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim == 1}
    if batch is None and len(samples) == 1 and np.ndim(expected) == 0 and "x" not in inputs:
        # one sample of scores (C,) and a single number out (x (N,) holds N samples' scores)
        sizes["sample"] = samples.pop()[0]
    if isinstance(x, np.ndarray) and x.size > 1 and x.dtype.kind in "iuf":
        sizes["size"] = x.size
    return sizes


def _problem(ex: Exercise, index: int, got, want, inputs) -> str | None:
    case = ex.cases[index]
    if isinstance(got, StudentError):
        clash = shape_clash(got.message, inputs) if got.kind == "exception" else ""
        return (
            _("{error}. {observation}").format(error=got.text(), observation=clash)
            if clash
            else got.text()
        )
    mutated = got.get(MUTATED) or []
    if mutated:
        names = ", ".join(f"`{m}`" for m in mutated)
        return _(
            "your code changed its input {names} in place, so the caller's data is lost; "
            "compute a new array instead (e.g. `y = x - c`, not `x -= c`)"
        ).format(names=names)
    for key, expected in want.items():
        if key == MUTATED:
            continue
        # An output's name is shown in the learner's language when the table marks it (a
        # sentence such as "the grads are left as they were"); code such as "sigmoid(x)" is not.
        # A prediction hides its answer: no relation to it is said ("3 times the right value").
        problem = _compare_output(
            case, _(key), got.get(key), expected, inputs, key, observe=not ex.is_value
        )
        if problem:
            reason = _(case.explain.get(key, ""))
            explained = _("{problem}: {reason}").format(problem=problem, reason=reason)
            return (
                (explained if reason else problem)
                + _grads_untouched(key, got.get(key), expected)
                + _repeat_note(case, key, got, want, inputs)
                + ("" if ex.is_value else _holds_other(case, key, got, want))
            )
    return None


def _grads_untouched(key: str, got, expected) -> str:
    """An observation when a gradient read from `grads` is all zeros after backward."""
    if (
        "grads" not in key
        or not isinstance(got, np.ndarray)
        or not isinstance(expected, np.ndarray)
        or got.shape != expected.shape
        or got.dtype.kind not in "iuf"
        or np.any(got != 0)
        or not np.any(expected != 0)
    ):
        return ""
    return _(
        ". After backward the grads still hold only zeros: does backward write its gradients "
        "into them (`self.grads[0][...] = dW`)?"
    )


def _holds_other(case, key, got, want) -> str:
    """An observation when a wrong output holds what another output should be (the two
    results returned in each other's place, or one computed twice)."""
    mine = got.get(key)
    if not isinstance(mine, np.ndarray) or mine.size < 2 or mine.dtype.kind not in "iuf":
        return ""
    for other, value in want.items():
        if (
            other not in (key, MUTATED)
            and isinstance(value, np.ndarray)
            and value.shape == mine.shape
            and not _same_output(case, other, want[key], value)
            and _same_output(case, other, mine, value)
        ):
            return _(". It holds what `{other}` should be").format(other=_(other))
    return ""


_REPEATED_CALL = re.compile(r"\b(second|again|twice)\b")  # in an output's (English) name


def _repeat_note(case, key, got, want, inputs) -> str:
    """An observation when a wrong output should equal another output that is right: the same
    call, made again, gave something else (state kept and changed between calls?). Only for an
    output that names a repeated call ("dx from a second backward(dout)"): two outputs of one
    call that are equal by the maths (Add's dx and dy) say nothing about state."""
    expected = want[key]
    if (
        not _REPEATED_CALL.search(key)
        or not isinstance(expected, np.ndarray)
        or expected.size < 2
        or expected.dtype.kind not in "iuf"
    ):
        return ""
    for other, value in want.items():
        if (
            other not in (key, MUTATED)
            and not _REPEATED_CALL.search(other)
            and isinstance(value, np.ndarray)
            and value.shape == expected.shape
            and np.allclose(value, expected, rtol=0, atol=0)
            # "right" as that output is judged (to rounding error where it is exact)
            and compare(
                other, got.get(other), value, *_tolerance(case, inputs, value, other), False
            )
            is None
        ):
            return _(
                ". It should equal `{other}`, which was right: the same call gave another "
                "answer the second time. Does a call change something it reads later, such "
                "as an array kept on `self` and changed in place?"
            ).format(other=_(other))
    return ""


def _same(ex: Exercise, index: int, got, theirs) -> bool:
    """True when got behaves like theirs: the same exception, or every output equal within the
    case's tolerance (and the same inputs changed in place)."""
    if isinstance(got, StudentError) or isinstance(theirs, StudentError):
        return (
            isinstance(got, StudentError)
            and isinstance(theirs, StudentError)
            and {got.kind, theirs.kind} <= {"exception", "checking"}
            and (got.type, got.message) == (theirs.type, theirs.message)
        )
    case = ex.cases[index]
    if ex.is_value and isinstance(got.get("answer"), (int, float, np.integer, np.floating)):
        return as_written(got.get("answer"), theirs.get("answer"))  # as the learner rounded
    if sorted(got.get(MUTATED) or []) != sorted(theirs.get(MUTATED) or []):
        return False
    return all(
        _same_form(got.get(key), value)
        and compare(key, got.get(key), value, case.rtol, case.atol, False) is None
        for key, value in theirs.items()
        if key != MUTATED
    )


def _same_form(got, theirs) -> bool:
    """Numbers match a mistake only in its form: an array of one value is not a number."""
    numeric = (int, float, np.integer, np.floating, np.ndarray)
    if isinstance(got, numeric) and isinstance(theirs, numeric):
        return np.shape(got) == np.shape(theirs)
    return True


def _returned_none(got, want) -> str:
    """A hint when an output the reference gives is None in the learner's: a missing return."""
    if isinstance(got, StudentError):
        return ""
    for key, expected in want.items():
        if (
            key != MUTATED
            and expected is not None
            and key in got
            and got[key] is None
            and not _is_attribute(key)
        ):
            return _("`{key}` is None. {why}").format(key=_(key), why=_(RETURN_MISSING))
    return ""


def _is_attribute(key: str) -> bool:
    """An output that is an attribute the learner sets (params, grads), not a call's result."""
    return key.startswith(("params", "grads", "len(", "shapes of", "self.")) or "grads[" in key


def _diagnose(ex: Exercise, index: int, inputs, got, want, seed: int = 0, others=None) -> str:
    """The hint of the known mistake that behaves like the learner's code, or "".

    A mistake is named only on evidence: its implementation, run on the same inputs, gives
    the learner's outputs (within the case's tolerance) or raises the learner's exception,
    and no mistake with another hint does the same. Without such a match the message's
    observations stand alone; no hint guesses.
    """
    if isinstance(got, StudentError) and got.kind == "checking" and "NoneType" in got.message:
        return _(RETURN_MISSING)  # the check used a None the learner's code returned
    if isinstance(got, StudentError):
        lost = lost_axis_hint(got)  # the very call that lost its axis, read from the line
        if lost:
            return _(lost)
        # The common hints are about the learner's own lines: not said of an error the check
        # met using what the learner returned (an array where the loss, one number, belongs).
        common = list(COMMON_ERROR_HINTS) if got.kind == "exception" else []
        listed = [(h.pattern, h.hint) for h in ex.error_hints if _on_the_line(h, got)]
        for pattern, hint in listed + common:
            if re.search(pattern, f"{got.type}: {got.message}"):
                return _(hint)
    matched = _matching(ex, ex.mistakes, index, inputs, got, want, seed, others)
    if len(matched) == 1:
        return _(matched[0])
    # Two mistakes that behave alike on weak evidence (the same exception, or the same single
    # number): this case cannot tell which was made, so it names neither; another case can.
    if matched:
        return ""
    split = _two_slips(ex, index, inputs, got, want, seed, others)
    if split:
        return " ".join(_(hint) for hint in split)
    if isinstance(got, StudentError):
        for pattern, hint in FALLBACK_ERROR_HINTS:
            if re.search(pattern, f"{got.type}: {got.message}"):
                return _(hint)
    kept = _kept_from_earlier(index, got, want, others)
    if kept:
        return _(KEPT_FROM_EARLIER).format(name=_(kept))
    if _first_forward_kept(ex, index, inputs, got, want):
        return _(FIRST_FORWARD_KEPT)
    ignored = _dout_ignored(ex, index, inputs, got, want)
    if ignored and _holds_elsewhere(_dout_ignored, ex, index, others, seed):
        names = ", ".join(f"`{_(key)}`" for key in ignored)
        in_places = any(isinstance(key, _InPlaces) for key in ignored)
        return _(DOUT_IGNORED_IN_PLACES if in_places else DOUT_IGNORED).format(names=names)
    twice = _applied_twice(ex, index, inputs, got, want)
    if twice and _holds_elsewhere(_applied_twice, ex, index, others, seed):
        return _(APPLIED_TWICE).format(name=_(twice))
    made = _made_slip(ex, index, inputs, got, want, seed, others)
    if made:
        return _(made)
    return _returned_none(got, want)


def _on_the_line(error_hint: ErrorHint, got: StudentError) -> bool:
    """An error hint that needs an operation on the failing line finds it there (a line the
    learner's code does not show, as in the check's own code, holds none)."""
    return not error_hint.code or bool(re.search(error_hint.code, got.code or ""))


def _made_slip(ex: Exercise, index: int, inputs, got, want, seed, others) -> str:
    """The hint of a slip made from the exercise's own formulas (brackets left out, then one
    change) that gives the learner's outputs, or "". Tried last, where no listed mistake and
    no general rule says more; not said where a listed mistake gives the same outputs (it is
    named in its own words on the cases where it holds, and one slip gets one hint)."""
    if isinstance(got, StudentError):
        return ""
    for made in (precedence_slips(ex), one_change_slips(ex), local_slips(ex)):
        matched = _matching(ex, made, index, inputs, got, want, seed, others, made=True)
        if matched:
            slip = next(m for m in made if m.hint == matched[0])
            if _listed_alike(ex, slip, index, inputs):
                return ""
            return matched[0]
    return ""


def _listed_alike(ex: Exercise, slip, index: int, inputs) -> bool:
    """Some listed mistake gives the made slip's outputs on this case."""
    theirs = _run(ex, index, slip.impl, inputs, time_limit=ex.time_limit)
    for mistake in ex.mistakes:
        try:
            listed = _run(ex, index, mistake.impl, inputs, time_limit=ex.time_limit)
            if _same(ex, index, listed, theirs):
                return True
        except Exception:  # noqa: BLE001, S112 - an odd comparison is no likeness
            continue
    return False


def _matching(
    ex: Exercise, mistakes, index: int, inputs, got, want, seed, others, made=False
) -> list:
    """The hints of the mistakes that give the learner's outputs here, corroborated by the
    other cases (see _diagnose); in a table, the first one on strong evidence ends the
    search. Made slips (made=True) have no order of priority: all are tried."""
    matched, supported = [], []
    for mistake in mistakes:
        if mistake.hint in matched:
            continue
        try:
            # The exercise's own limit: a mistake cut short by a busy machine proves nothing.
            theirs = _run(ex, index, mistake.impl, inputs, time_limit=ex.time_limit)
            if _same(ex, index, theirs, want):
                continue  # right here (within the matching tolerance): it explains no failure
            if _only_none(theirs) or (made and _some_none(theirs)):
                continue  # None matches every code that leaves the thing unset: no evidence
            if (
                _same(ex, index, got, theirs)
                and not (_zeros(ex, index, theirs) and not _zeros_everywhere(ex, mistake, seed))
                and _corroborated(ex, mistake, index, others, seed, strict=_booleans(theirs))
            ):
                if made:
                    # A made slip is no one's considered guess: it must show on another case
                    # too, and zeros prove nothing (an array never filled gives them as well).
                    if _zeros(ex, index, theirs):
                        continue
                    support = _support(ex, mistake, index, others, seed, here=theirs)
                    if not support:
                        continue
                    supported.append((support, mistake.hint))
                matched.append(mistake.hint)
                if not made and not _weak(theirs):
                    break  # strong evidence: the table lists mistakes in order of priority
        except Exception:  # noqa: BLE001, S112 - one odd comparison must not hide the other mistakes
            continue
    if len(supported) > 1:
        # Made slips come in no order of priority: two that agree here (W @ h and h @ W.T on
        # one sample) are told apart by the cases where each gives the learner's outputs.
        best = max(count for count, _hint in supported)
        leaders = list(dict.fromkeys(hint for count, hint in supported if count == best))
        return leaders[:1]
    return matched


def _support(ex: Exercise, mistake, index: int, others, seed: int, here=None) -> int:
    """How many other cases the learner's code gets wrong exactly as mistake does, with
    other outputs than mistake gives on this case (here): outputs that stay the same
    whatever the inputs (1.0 from a product never multiplied) are given by any code that
    ignores its inputs, so they prove no one slip."""
    count = 0
    for j, got_j in (others or {}).items():
        if j == index or got_j is None or isinstance(got_j, StudentError):
            continue
        inputs = ex.cases[j].inputs(case_rng(seed, j))
        theirs = _run(ex, j, mistake.impl, inputs, time_limit=ex.time_limit)
        want = _run(ex, j, ex.reference, inputs, time_limit=60.0)
        if _same(ex, j, got_j, theirs) and not _same(ex, j, theirs, want):
            if here is not None and _same(ex, j, theirs, here):
                continue
            count += 1
    return count


def _same_output(case, key: str, got, theirs) -> bool:
    """One output of got equals theirs, within the case's tolerance and in the same form."""
    return (
        _same_form(got, theirs) and compare(key, got, theirs, case.rtol, case.atol, False) is None
    )


def _wrong_outputs(case, outputs, want) -> set[str]:
    return {
        key
        for key, value in want.items()
        if key != MUTATED and not _same_output(case, key, outputs.get(key), value)
    }


def _two_slips(ex: Exercise, index: int, inputs, got, want, seed: int, others) -> list[str]:
    """The hints of the mistakes that each account for some of the learner's wrong outputs,
    when no mistake accounts for all of them: every output such a mistake gets wrong, the
    learner gets wrong with the same values (dW transposed and db averaged, each a slip of its
    own line; a second slip that no mistake gives is left to the message). Only arrays of
    several values, not all zeros, count as such evidence, no output may be accounted for by
    two hints, and each mistake must agree with the other cases (_agrees_in_part). []
    otherwise, and for code that changed an input in place (that is said first)."""
    if isinstance(got, StudentError) or got.get(MUTATED):
        return []
    case = ex.cases[index]
    wrong = _wrong_outputs(case, got, want)
    if len(wrong) < 2:
        return []
    if all(_an_input(got.get(key), inputs) for key in wrong):
        # every wrong output is an input as it was given: code that touched none of them,
        # which no split into two slips explains (an SGD that updates the grads instead)
        return []
    explains: dict[str, set[str]] = {}
    hints: list[str] = []
    for mistake in ex.mistakes:
        theirs = _run(ex, index, mistake.impl, inputs, time_limit=ex.time_limit)
        if isinstance(theirs, StudentError):
            continue
        keys = _wrong_outputs(case, theirs, want)
        if (
            not keys
            or not keys < wrong
            or not all(_same_output(case, key, got.get(key), theirs[key]) for key in keys)
            or not any(np.size(theirs[key]) >= 2 for key in keys)
            or _zeros(ex, index, {key: theirs[key] for key in keys})  # zeros prove nothing
            or not _agrees_in_part(ex, mistake, index, others, seed)
        ):
            continue
        for key in keys:
            explains.setdefault(key, set()).add(mistake.hint)
        if mistake.hint not in hints:
            hints.append(mistake.hint)
    if any(len(h) != 1 for h in explains.values()):
        return []  # one output, two explanations: this case cannot tell which
    return hints


def _an_input(value, inputs) -> bool:
    """value is, number for number, one of the case's input arrays as it was given."""
    return isinstance(value, np.ndarray) and any(
        isinstance(v, np.ndarray) and v.shape == value.shape and np.array_equal(v, value)
        for v in inputs.values()
    )


def _agrees_in_part(ex: Exercise, mistake, index: int, others, seed: int) -> bool:
    """_corroborated for a mistake that accounts for some of the learner's wrong outputs: on
    the other cases, where the mistake is wrong, the learner must be wrong the same way in
    those outputs more often than otherwise, and never right there."""
    agree, disagree = 1, 0
    for j, got_j in (others or {}).items():
        if j == index or got_j is None or isinstance(got_j, StudentError):
            continue
        case = ex.cases[j]
        inputs = case.inputs(case_rng(seed, j))
        theirs = _run(ex, j, mistake.impl, inputs, time_limit=ex.time_limit)
        want = _run(ex, j, ex.reference, inputs, time_limit=60.0)
        if isinstance(theirs, StudentError) or isinstance(want, StudentError):
            continue
        keys = _wrong_outputs(case, theirs, want)
        if not keys:
            continue  # the mistake is right there
        if all(_same_output(case, key, got_j.get(key), theirs[key]) for key in keys):
            agree += 1
        elif not keys & _wrong_outputs(case, got_j, want):
            return False  # right where the mistake is wrong
        else:
            disagree += 1
    return agree > disagree


def _holds_elsewhere(observe, ex: Exercise, index: int, others, seed: int) -> bool:
    """An observation that reads as a cause (dout left out, f applied twice) is said only when
    it also holds on every other case where the learner's code is wrong and the observation can
    be made: on one case, a few numbers can agree by chance (x = 2, y = 3 and dout = 1.5 make
    dout · x equal y)."""
    for j, got_j in (others or {}).items():
        if j == index or got_j is None or isinstance(got_j, StudentError):
            continue
        inputs = ex.cases[j].inputs(case_rng(seed, j))
        want = _run(ex, j, ex.reference, inputs, time_limit=60.0)
        if isinstance(want, StudentError) or _same(ex, j, got_j, want):
            continue  # right there: nothing to explain
        if not observe(ex, j, inputs, got_j, want) and _observable(observe, inputs, want):
            return False
    return True


def _observable(observe, inputs, want) -> bool:
    """Whether the observation can be made on a case at all (it needs a dout, or an input x
    of an output's shape)."""
    if observe is _dout_ignored:
        return "dout" in inputs
    x = inputs.get("x")
    return isinstance(x, np.ndarray) and any(
        isinstance(v, np.ndarray) and v.shape == x.shape for k, v in want.items() if k != MUTATED
    )


KEPT_FROM_EARLIER = N_(
    "`{name}` ends with the right answer, and what comes before it is exactly what an earlier "
    "call returned: the result grows from one call to the next. Is it a list made once (a "
    "default argument such as `results=[]`, or a list outside the function) and appended to "
    "on every call? Make a new list inside the function."
)


def _kept_from_earlier(index: int, got, want, others) -> str:
    """The output whose right answer comes after what the same code returned on another case
    (the learner's own earlier result, item for item): a list kept between calls. "" when no
    output shows that."""
    if isinstance(got, StudentError):
        return ""
    for key, right in want.items():
        mine = got.get(key)
        if (
            key == MUTATED
            or not isinstance(right, np.ndarray)
            or not isinstance(mine, np.ndarray)
            or mine.ndim != right.ndim
            or mine.ndim == 0
            or mine.shape[1:] != right.shape[1:]
            or mine.shape[0] <= right.shape[0]
            or right.size == 0
        ):
            continue
        extra = mine.shape[0] - right.shape[0]
        try:
            if not np.allclose(mine[extra:], right):
                continue
            for j, got_j in (others or {}).items():
                before = None if isinstance(got_j, StudentError) or j == index else got_j.get(key)
                if (
                    isinstance(before, np.ndarray)
                    and before.shape == mine[:extra].shape
                    and np.array_equal(before, mine[:extra])
                ):
                    return key
        except (TypeError, ValueError):
            continue
    return ""


def _first_forward_kept(ex: Exercise, index: int, inputs, got, want) -> bool:
    """The learner's outputs are the reference's when it keeps what its first forward stored
    (and so differ from the right ones): a case that runs forward twice shows it."""
    stale = keeps_first_forward(ex.reference)
    if stale is None:
        return False
    theirs = _run(ex, index, stale, inputs, time_limit=ex.time_limit)
    return not _same(ex, index, theirs, want) and _same(ex, index, got, theirs)


APPLIED_TWICE = N_(
    "`{name}` holds what the right code gives when it is run again on its own right answer, "
    "f(f(x)) instead of f(x): is the function applied twice (to a result that already went "
    "through it)?"
)


def _applied_twice(ex: Exercise, index: int, inputs, got, want) -> str:
    """The one wrong output, when it is the reference's output for x = the right output (the
    function applied twice); "" otherwise. Only for a case whose input x has that output's
    shape, and only when this says something the value itself does not (not a fixed point)."""
    x = inputs.get("x")
    if isinstance(got, StudentError) or not isinstance(x, np.ndarray):
        return ""
    case = ex.cases[index]
    wrong = [
        key
        for key, value in want.items()
        if key != MUTATED
        and compare(key, got.get(key), value, case.rtol, case.atol, False) is not None
    ]
    if len(wrong) != 1 or not isinstance(want[wrong[0]], np.ndarray):
        return ""
    key = wrong[0]
    right = want[key]
    if right.shape != x.shape or right.dtype.kind != "f" or np.allclose(right, x):
        return ""
    again = _run(ex, index, ex.reference, {**inputs, "x": right.copy()}, time_limit=60.0)
    if isinstance(again, StudentError) or key not in again:
        return ""
    value = again[key]
    if not isinstance(value, np.ndarray) or np.allclose(value, right, rtol=1e-6, atol=1e-9):
        return ""
    return (
        key
        if _same_form(got[key], value)
        and compare(key, got[key], value, case.rtol, case.atol, False) is None
        else ""
    )


DOUT_IGNORED = N_(
    "{names}: these are the right values for dout = 1 (all ones), not for this case's dout: "
    "backward must multiply by the upstream gradient `dout` (the chain rule: upstream "
    "gradient × local derivative)."
)

DOUT_IGNORED_IN_PLACES = N_(
    "{names}: in every place where it is wrong, it holds the right value for dout = 1, not for "
    "this case's dout: multiply by the upstream gradient `dout` there too (the chain rule: "
    "upstream gradient × local derivative)."
)


def _dout_ignored(ex: Exercise, index: int, inputs, got, want) -> list[str]:
    """The outputs the learner got wrong, when every one of them is the reference's for
    dout = 1 (and so not the right one): a backward that leaves out dout, in all its results
    or in some (dx right, dy not). Checked on any case with a `dout` input, so no table has to
    list it; [] when any wrong output is something else."""
    dout = inputs.get("dout")
    if isinstance(got, StudentError) or not isinstance(dout, (np.ndarray, float, np.floating)):
        return []
    ones = np.ones_like(dout) if isinstance(dout, np.ndarray) else type(dout)(1.0)
    theirs = _run(ex, index, ex.reference, {**inputs, "dout": ones}, time_limit=60.0)
    if isinstance(theirs, StudentError) or sorted(got.get(MUTATED) or []) != sorted(
        theirs.get(MUTATED) or []
    ):
        return []
    case = ex.cases[index]

    def same(a, b, key) -> bool:
        return _same_form(a, b) and compare(key, a, b, case.rtol, case.atol, False) is None

    ignored = []
    for key, value in want.items():
        if key == MUTATED or same(got.get(key), value, key):
            continue
        if key in theirs and same(got.get(key), theirs[key], key):
            if _all_zeros(theirs[key]):
                return []  # zeros prove nothing: softmax's dx for dout = 1 is 0 whatever x is
            ignored.append(key)  # wrong, and what dout = 1 gives (so dout = 1 changes it)
        elif _dout_ignored_in_places(got.get(key), value, theirs.get(key), case):
            ignored.append(_InPlaces(key))
        else:
            return []
    return ignored


class _InPlaces(str):
    """An output's name, for an output where dout is left out in some places only."""


def _dout_ignored_in_places(got, want, ones, case) -> bool:
    """An array right in some places and, in every other, what dout = 1 gives there (dout left
    out on one side of a `np.where`): at least two such places, and not zeros."""
    if not all(isinstance(a, np.ndarray) for a in (got, want, ones)):
        return False
    if not (got.shape == want.shape == ones.shape) or got.dtype.kind not in "f":
        return False
    wrong = ~np.isclose(got, want, rtol=case.rtol, atol=case.atol)
    return (
        wrong.sum() >= 2
        and np.abs(ones[wrong]).min() > 1e-12
        and bool(np.allclose(got[wrong], ones[wrong], rtol=case.rtol, atol=case.atol))
    )


def _all_zeros(value) -> bool:
    """A numeric value that is 0 everywhere."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.size > 0 and not array.any()


def _numbers(theirs) -> list:
    return [
        np.asarray(value, dtype=float)
        for key, value in theirs.items()
        if key != MUTATED
        and isinstance(value, (int, float, np.integer, np.floating, np.ndarray))
        and not isinstance(value, (bool, np.bool_))
        and np.asarray(value).dtype.kind in "iuf"
    ]


def _zeros(ex: Exercise, index: int, theirs) -> bool:
    """Every number the mistake gave on this case is zero (as the case judges zero)."""
    if isinstance(theirs, StudentError) or ex.is_value:  # a predicted 0 is a definite answer
        return False
    numbers = _numbers(theirs)
    atol = ex.cases[index].atol
    return bool(numbers) and all(np.allclose(v, 0, rtol=0, atol=atol) for v in numbers)


def _zeros_everywhere(ex: Exercise, mistake, seed: int) -> bool:
    """Zeros are evidence of a mistake only when it gives zeros whatever the input (its hint is
    then about them: a product started at 0, an h that vanishes). Zeros that come from a
    case's inputs (the slope of softmax's sum is 0) are what many slips give alike: an array
    never filled, a nudge along a direction the function does not change in."""
    for index, case in enumerate(ex.cases):
        inputs = case.inputs(case_rng(seed, index))
        theirs = _run(ex, index, mistake.impl, inputs, time_limit=ex.time_limit)
        if not isinstance(theirs, StudentError) and not _zeros(ex, index, theirs):
            return False
    return True


def _only_none(theirs) -> bool:
    """Every output is None (an attribute never set, a result never returned)."""
    if isinstance(theirs, StudentError):
        return False
    values = [v for k, v in theirs.items() if k != MUTATED]
    return bool(values) and all(v is None for v in values)


def _some_none(theirs) -> bool:
    """Some output is None: a made slip that leaves a value unset (a line left out) tells
    nothing from the many ways of leaving it unset, or of forgetting a return."""
    if isinstance(theirs, StudentError):
        return False
    return any(v is None for k, v in theirs.items() if k != MUTATED)


def _booleans(theirs) -> bool:
    """Every output is a true/false fact: two values, which many slips share."""
    if isinstance(theirs, StudentError):
        return False
    values = [v for k, v in theirs.items() if k != MUTATED]
    return bool(values) and all(isinstance(v, (bool, np.bool_)) for v in values)


def _corroborated(ex: Exercise, mistake, index: int, others, seed: int, strict: bool) -> bool:
    """A mistake matched on one case is named only when the other cases that ran the same code
    agree with it. It is contradicted where the learner's code is right and the mistake gives
    wrong numbers, or where the two give arrays of different shapes (other code, not the same
    slip). Where both give wrong numbers of the same form but different ones, the cases are
    counted: the match stands only if the cases where the learner's code behaves as the
    mistake (this one included) outnumber them (y² is sigmoid's value far from zero, where
    both are 0 or 1, and nowhere else; a learner with a second slip that shows on one extreme
    case keeps the hint of the first). Outputs with NaN or inf (an overflow the mistake's code
    avoids), a mistake that raises (its code cannot take that case's shapes; a learner's may
    branch on them) and a mistake that is right there count for nothing; a learner's exception
    where the mistake computes wrong numbers counts against it, and a mistake that changes an
    input in place that the learner's code leaves alone is other code. A match on true/false
    outputs alone (strict) must agree everywhere the mistake is wrong (a log10 cross entropy
    and one averaged over N·C both fail "the loss is large for p = 0", but only one of them
    gives the learner's numbers elsewhere), and it must account for at least half of the
    cases whose facts the learner gets wrong (a network_sizes that checks only W2 fails the one
    case a `len(b1)` check fails, and two more that such a check passes). Without the other
    cases (others None) the match stands."""
    agree, disagree, explained, unexplained = 1, 0, 1, 0
    for j, got_j in (others or {}).items():
        if j == index or got_j is None:
            continue
        if isinstance(got_j, StudentError) and got_j.kind in ("timeout", "not attempted"):
            continue  # nothing to compare with
        inputs = ex.cases[j].inputs(case_rng(seed, j))
        theirs = _run(ex, j, mistake.impl, inputs, time_limit=ex.time_limit)
        want = _run(ex, j, ex.reference, inputs, time_limit=60.0)
        if _same(ex, j, got_j, theirs):
            if _same(ex, j, theirs, want):
                continue  # both right there (decay 0 hides a missing decay·W): no evidence
            agree += 1
            if strict and _facts_differ(got_j, want):
                explained += 1  # wrong as the mistake is wrong, not right as it is right
            continue
        if isinstance(theirs, StudentError) and (
            theirs.kind == "timeout" or theirs.type == "Indistinct"
        ):
            continue  # cut short by a busy machine, or values that name no argument: no evidence
        if _same(ex, j, theirs, want):
            if strict and _facts_differ(got_j, want):
                unexplained += 1  # a true/false fact the learner gets wrong and the mistake not
            continue  # the mistake is right there: the learner may have another slip as well
        if strict:
            return False  # the mistake is wrong there, and not as the learner is
        if _other_error(got_j, theirs):
            disagree += 1  # both fail there, with other messages: other code (b = W in x @ W + b
            continue  # raises as x * W + b does on a square W only)
        if isinstance(theirs, StudentError):
            continue  # the mistake's code cannot take that case (a learner's may branch on it)
        if _same(ex, j, got_j, want) or _other_shapes(got_j, theirs):
            return False  # right where the mistake is wrong, or other code altogether
        if not isinstance(got_j, StudentError) and set(theirs.get(MUTATED) or []) - set(
            got_j.get(MUTATED) or []
        ):
            return False  # the mistake changes an input in place that the learner's code keeps
        if _broadcast_alike(got_j, theirs):
            continue  # the same values in another form: no evidence either way
        if _finite(got_j) or (isinstance(got_j, StudentError) and got_j.kind == "exception"):
            disagree += 1  # other numbers, or an exception where the mistake's code computes
    # True/false facts: the mistake must account for at least half of the cases the learner
    # gets wrong (a second slip may account for the others).
    return agree > disagree and (not strict or explained >= unexplained)


def _other_error(got, theirs) -> bool:
    """Both raised an exception of one type, with other messages (other shapes that clash)."""
    return (
        isinstance(got, StudentError)
        and isinstance(theirs, StudentError)
        and {got.kind, theirs.kind} <= {"exception", "checking"}  # a mistake's code is ours
        and got.type == theirs.type
        and got.message != theirs.message
    )


def _facts_differ(got, want) -> bool:
    """Some true/false output of want has the other value in got (or got is an exception)."""
    if isinstance(got, StudentError):
        return True
    return any(
        isinstance(value, (bool, np.bool_))
        and got.get(key) is not None
        and bool(got.get(key)) != bool(value)
        for key, value in want.items()
        if key != MUTATED
    )


def _finite(got) -> bool:
    """Every output is a finite number or an array of them (no NaN or inf from an overflow)."""
    if isinstance(got, StudentError):
        return False
    # the numbers only: a true/false fact beside them ("backward returns a pair") is neither
    # finite nor not, and must not make the numbers count for nothing (it had let y = 2 make
    # `/ self.y*2` look like `/ self.y * self.y` against three cases that disagree)
    values = [
        v
        for k, v in got.items()
        if k != MUTATED
        and not isinstance(v, (bool, np.bool_, str))
        and not (isinstance(v, np.ndarray) and v.dtype.kind == "b")
    ]
    return bool(values) and all(_finite_numbers(v) for v in values)


def _finite_numbers(value) -> bool:
    """A finite number, or an array, tuple or list of them (network_sizes' (I, H, O))."""
    if not isinstance(value, (int, float, np.integer, np.floating, np.ndarray, tuple, list)):
        return False
    try:
        array = np.asarray(value)
    except ValueError:  # a ragged list
        return False
    return array.dtype.kind in "iuf" and bool(np.isfinite(array.astype(float)).all())


def _broadcast_alike(got, theirs) -> bool:
    """Every number of got, broadcast to the shape of theirs, equals theirs: the same values
    in another form (a scalar 1.0 where the mistake returns an array of ones)."""
    if isinstance(got, StudentError) or isinstance(theirs, StudentError):
        return False
    numbers = {
        k: v
        for k, v in theirs.items()
        if k != MUTATED and isinstance(v, (int, float, np.integer, np.floating, np.ndarray))
    }
    if not numbers:
        return False  # nothing compared (a tuple of sizes) is no likeness
    try:
        return all(
            np.allclose(np.broadcast_to(np.asarray(got.get(k), dtype=float), np.shape(v)), v)
            for k, v in numbers.items()
        )
    except (TypeError, ValueError):
        return False


def _other_shapes(got, theirs) -> bool:
    """Some array output has one shape in got and another in theirs."""
    if isinstance(got, StudentError):
        return False
    return any(
        isinstance(value, np.ndarray)
        and isinstance(got.get(key), np.ndarray)
        and got[key].shape != value.shape
        for key, value in theirs.items()
        if key != MUTATED
    )


def _weak(theirs) -> bool:
    """Evidence that other mistakes easily share: an exception, or a single number."""
    if isinstance(theirs, StudentError):
        return True
    numbers = [v for k, v in theirs.items() if k != MUTATED]
    return len(numbers) == 1 and np.size(numbers[0]) == 1


def judge_case(ex: Exercise, index: int, got, seed: int = 0, others=None) -> Outcome:
    """Compare the learner's outputs for one case with the reference's.

    others: {case index: the learner's outputs} on the exercise's other cases, when known; a
    hint must agree with them (see _corroborated)."""
    case = ex.cases[index]
    if isinstance(got, StudentError) and got.kind == "not attempted":
        return Outcome(_(case.name), False, _("not attempted yet"), attempted=False)
    inputs = case.inputs(case_rng(seed, index))
    want = _run(ex, index, ex.reference, inputs, time_limit=60.0)
    if isinstance(want, StudentError):  # the reference itself failed: a bug in the course
        raise RuntimeError(f"reference for {ex.id} failed on {case.name!r}: {want.text()}")
    try:
        problem = _problem(ex, index, got, want, inputs)
    except Exception as exc:  # noqa: BLE001 - a result whose own methods misbehave
        return Outcome(
            _(case.name),
            False,
            _("your result could not be compared: {error}").format(
                error=f"{type(exc).__name__}: {exc}"
            ),
        )
    if problem is None:
        return Outcome(_(case.name), True)
    try:
        hint = _diagnose(ex, index, inputs, got, want, seed, others)
    except Exception:  # noqa: BLE001 - a hint is a bonus; never let it break the verdict
        hint = ""
    return Outcome(_(case.name), False, problem, hint)


def object_problem(ex: Exercise, obj) -> str:
    """A sentence when obj is not even the kind of thing the exercise receives."""
    receives = _(ex.receives)
    if obj is None:
        return _(
            "{id} received None, but expects {receives}. "
            "Did the cell that defines it run, and does it return a value?"
        ).format(id=ex.id, receives=receives)
    if ex.is_value:  # a prediction: any value is something to compare
        return ""
    if ex.is_class and not inspect.isclass(obj):
        if callable(obj) and not hasattr(obj, "__dict__"):
            return _("{id} expects {receives}: pass the class itself").format(
                id=ex.id, receives=receives
            )
        return _(
            "{id} expects {receives}: pass the class itself (e.g. `{name}`), not an instance of it"
        ).format(id=ex.id, receives=receives, name=ex.id.split(".")[-1])
    if not callable(obj):
        return _("{id} expects {receives}, but received a {type}").format(
            id=ex.id, receives=receives, type=type(obj).__name__
        )
    return ""


def grade(ex: Exercise, obj, seed: int = 0) -> Result:
    """Probe and judge every case of ex in this process."""
    try:
        note = object_problem(ex, obj)
    except Exception as exc:  # noqa: BLE001 - e.g. an object whose __getattr__ raises
        note = _("{id} could not inspect what it received: {error}").format(
            id=ex.id, error=f"{type(exc).__name__}: {exc}"
        )
    if note:
        not_run = tuple(Outcome(_(c.name), False, _("not run")) for c in ex.cases)
        return Result(ex.id, not_run, note, seed)
    gots = {}  # probed first, then judged: a hint may weigh the learner's other outputs
    for index in range(len(ex.cases)):
        gots[index] = got = probe_case(ex, index, obj, seed)
        if isinstance(got, StudentError) and got.kind == "timeout":
            break
    outcomes = [
        judge_case(ex, index, gots[index], seed, gots)
        if index in gots
        else Outcome(_(case.name), False, _(SKIPPED))
        for index, case in enumerate(ex.cases)
    ]
    return Result(ex.id, _with_repair(ex, obj, outcomes, seed), seed=seed)


def repair_due(ex: Exercise, outcomes) -> list[int]:
    """The failing cases, in order, where a repair is to be sought (grader.repairs): some case
    fails, every case ran (a timeout is no place to try again), and the exercise is neither a
    prediction nor a training run (each try would train again). Empty where no repair is
    sought. A hint already said does not stop the search: one change that makes every test
    pass shows which line holds the slip, where a hint can only say what the outputs show
    ("only the first parameter changed: a `return` in the loop, or a range too short?")."""
    failing = [i for i, o in enumerate(outcomes) if not o.passed]
    if (
        not failing
        or any(outcomes[i].message == _(SKIPPED) for i in failing)
        or ex.is_value
        or ex.time_limit > Exercise.time_limit
    ):
        return []
    return failing


def with_repair_hint(outcomes, hint) -> tuple:
    """outcomes, the first failing one given the repair's hint (a Phrase, said in the current
    language) after any hint it has."""
    outcomes = list(outcomes)
    first = next(i for i, o in enumerate(outcomes) if not o.passed)
    said, repaired = outcomes[first].hint, _(hint)
    if said:  # a sentence of its own after the hint
        repaired = repaired[:1].upper() + repaired[1:]
    outcomes[first] = dataclasses.replace(outcomes[first], hint=f"{said} {repaired}".strip())
    return tuple(outcomes)


def _with_repair(ex: Exercise, obj, outcomes: list, seed: int) -> tuple:
    """outcomes, with the hint of one change to the learner's own code that makes every case
    pass (grader.repairs) where one is due (repair_due)."""
    failing = repair_due(ex, outcomes)
    if not failing:
        return tuple(outcomes)
    try:
        names = contract_names(ex.reference)
        hint = repair(obj, passing_every_case(ex, seed, order=failing), names)
    except Exception:  # noqa: BLE001 - a hint is a bonus; never let it break the verdict
        hint = None
    if hint is None:
        return tuple(outcomes)
    return with_repair_hint(outcomes, hint)


def passing_every_case(ex: Exercise, seed: int, order: list):
    """passes(obj): obj passes every case of ex, the failing ones (order) tried first;
    passes(obj, first_only=True) runs the first failing case alone."""
    indices = order + [i for i in range(len(ex.cases)) if i not in order]
    wants: dict = {}

    def passes(obj, first_only: bool = False) -> bool:
        with contextlib.redirect_stdout(io.StringIO()):  # the learner's prints, once per try
            for index in indices[:1] if first_only else indices:
                inputs = ex.cases[index].inputs(case_rng(seed, index))
                if index not in wants:
                    wants[index] = _run(ex, index, ex.reference, inputs, time_limit=60.0)
                # a changed copy that runs long is no repair: 1 s, where cases take milliseconds
                got = _run(ex, index, obj, inputs, min(ex.time_limit, 1.0))
                if isinstance(got, StudentError):
                    return False
                if _problem(ex, index, got, wants[index], inputs) is not None:
                    return False
        return True

    return passes
