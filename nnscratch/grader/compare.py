"""Compare a learner's outputs with the reference's, and say what differs in the learner's terms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from nnscratch.grader.guard import StudentError
from nnscratch.gradients import relative_error
from nnscratch.i18n import N_, _

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _fmt(value, other=None) -> str:
    """A number to 6 significant digits, or to as many as tell it from other (up to 17)."""
    if isinstance(value, (float, np.floating)):
        for digits in (6, 9, 12, 17):
            text = f"{float(value):.{digits}g}"
            if not isinstance(other, (float, np.floating)) or text != f"{float(other):.{digits}g}":
                return text
        return text
    return repr(value)


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    return _("a {type}").format(type=type(value).__name__)


def compare(
    name: str,
    got,
    want,
    rtol: float,
    atol: float,
    shown: bool,
    sizes: dict[str, int] | None = None,
    x=None,
    observe: bool = True,
    inputs: dict | None = None,
) -> str | None:
    """None when got matches want; otherwise one sentence saying how it differs.

    sizes: the case's sizes a factor may be ({"N": ..., "C": ..., "size": ...}; see
    _size_factor). observe: False for a prediction, whose right value is not shown: a relation
    to it ("3 times the right value") would give it away.
    x: the case's input x, if it has one (see _sign_split). inputs: the case's named input
    arrays, which a wrong array may simply be (see _input_relation)."""
    if isinstance(got, StudentError):
        return got.text()
    if got is None and want is not None:
        return _("`{name}` is None").format(name=name)
    if isinstance(want, str) and not isinstance(got, str):
        # a word is asked for ("down" or "up"): saying so names no choice
        kind = (
            _("the number {value}").format(value=got)
            if isinstance(got, (int, float, np.integer, np.floating))
            else _kind(got)
        )
        return _('`{name}` should be a word in quotes, such as "...", but is {kind}').format(
            name=name, kind=kind
        )
    if isinstance(want, (bool, np.bool_)) and isinstance(got, str):
        return _(
            "`{name}` is the string {text}; a true/false answer is written without quotes: "
            "True or False"
        ).format(name=name, text=repr(got))
    if isinstance(want, (bool, np.bool_)):
        return (
            None
            if isinstance(got, (bool, np.bool_)) and bool(got) == bool(want)
            else _("`{name}` should be {value}").format(name=name, value=bool(want))
        )
    if isinstance(want, np.ndarray):
        return _compare_array(name, got, want, rtol, atol, shown, sizes, x, observe, inputs)
    if isinstance(want, _NUMBER_TYPES):
        return _compare_number(name, got, want, rtol, atol, shown, sizes, observe, inputs)
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return _("`{name}` should be a {type} of {count} items, got {kind}").format(
                name=name, type=type(want).__name__, count=len(want), kind=_kind(got)
            )
        if len(got) != len(want):
            return _("`{name}` should hold {count} items, but holds {got}").format(
                name=name, count=len(want), got=len(got)
            )
        reordered = observe and _permuted_numbers(got, want)  # never of a prediction
        if reordered and not shown:
            return _("`{name}` holds the right numbers in another order").format(name=name)
        if reordered:
            return _(
                "`{name}` holds the right numbers in another order: expected {expected}, got {got}"
            ).format(name=name, expected=_sizes_text(want), got=_sizes_text(got))
        for i, (g, w) in enumerate(zip(got, want)):
            problem = compare(f"{name}[{i}]", g, w, rtol, atol, shown, sizes, observe=observe)
            if problem:
                return problem
        return None
    try:
        equal = type(got) is type(want) and bool(got == want)
    except Exception:  # noqa: BLE001 - e.g. an array against a string
        equal = False
    if equal:
        return None
    if not shown:
        return _("`{name}` is wrong").format(name=name)
    return _("`{name}`: expected {expected}, got {got}").format(
        name=name, expected=_fmt(want), got=_fmt(got)
    )


def _sizes_text(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"


def _permuted_numbers(got, want) -> bool:
    """got holds want's whole numbers, each as often, in another order ((5, 4, 2) for
    (4, 5, 2)): a description of what the code returned, true whatever line ordered it."""
    whole = (int, np.integer)
    if not all(isinstance(v, whole) and not isinstance(v, bool) for v in (*got, *want)):
        return False
    return sorted(got) == sorted(want) and list(got) != list(want)


def _compare_number(name, got, want, rtol, atol, shown, sizes=None, observe=True, inputs=None):
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(())[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, _NUMBER_TYPES):
        return _("`{name}` should be a single number, but is {kind}").format(
            name=name, kind=_kind(got)
        )
    counts = isinstance(got, (int, np.integer)) and isinstance(want, (int, np.integer))
    return _compare_values(
        name,
        np.asarray(got, dtype=float),
        np.asarray(want, dtype=float),
        rtol,
        atol,
        shown,
        None if counts else sizes,  # 1 point of 20 is no division by N
        observe=observe,
        inputs=None if counts else inputs,
    )


def _compare_array(
    name, got, want, rtol, atol, shown, sizes=None, x=None, observe=True, inputs=None
):
    if isinstance(got, (list, tuple)):
        return _(
            "`{name}` is a Python {type}; return a NumPy array "
            "(compute with NumPy operations, or wrap the result in np.array(...))"
        ).format(name=name, type=type(got).__name__)
    if isinstance(got, _NUMBER_TYPES) and want.shape != ():
        return _("`{name}` is a single number, but should be an array of shape {shape}").format(
            name=name, shape=want.shape
        )
    if not isinstance(got, (np.ndarray, np.generic, int, float)):
        return _("`{name}` should be a NumPy array, but is {kind}").format(
            name=name, kind=_kind(got)
        )
    got = np.asarray(got)
    if got.shape != want.shape:
        return _("`{name}` has shape {got}, but should have shape {expected}").format(
            name=name, got=got.shape, expected=want.shape
        ) + _shape_pattern(got, want)
    if got.dtype.kind not in "biuf":
        return _("`{name}` holds {dtype} values; numbers were expected").format(
            name=name, dtype=got.dtype
        )
    if want.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return _("`{name}` holds {dtype} values, but should hold integers (class indices)").format(
            name=name, dtype=got.dtype
        )
    return _compare_values(
        name,
        got.astype(float),
        want.astype(float),
        rtol,
        atol,
        shown,
        sizes,
        x,
        observe,
        inputs,
        # whole numbers where the right values have decimals: 0s there were cut, not unwritten
        whole=got.dtype.kind in "iub"
        and bool(np.any(np.isfinite(want) & (want != np.round(want)))),
    )


def _compare_values(
    name, got, want, rtol, atol, shown, sizes=None, x=None, observe=True, inputs=None, whole=False
):
    bad_nan = np.isnan(got) & ~np.isnan(want)
    if bad_nan.any():
        return _(
            "`{name}` contains NaN at {count} place(s){where} "
            "(NaN comes from inf - inf or inf / inf, e.g. after np.exp overflowed, from 0 / 0, "
            "or from the log of a negative number)"
        ).format(name=name, count=np.count_nonzero(bad_nan), where=_inputs_at(bad_nan, x, inputs))
    bad_inf = np.isinf(got) & ~np.isinf(want)
    if bad_inf.any():
        return _(
            "`{name}` contains inf at {count} place(s){where} (inf comes from an overflow, such "
            "as np.exp of a large number, or from a division by 0)"
        ).format(name=name, count=np.count_nonzero(bad_inf), where=_inputs_at(bad_inf, x, inputs))
    with np.errstate(invalid="ignore"):
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if not observe:
        return _("`{name}` is wrong").format(name=name)
    wrong = np.argwhere(~close)
    where = tuple(int(i) for i in wrong[0])
    if want.shape == ():
        if not shown:
            return _("`{name}` is wrong").format(name=name) + _value_pattern(
                got, want, sizes, inputs
            )
        return _("`{name}`: expected {expected}, got {got}").format(
            name=name, expected=_fmt(want[()], got[()]), got=_fmt(got[()], want[()])
        ) + _value_pattern(got, want, sizes, inputs)
    if len(wrong) == want.size:
        where_wrong = (
            _("in both places")
            if want.size == 2
            else _("in all {size} places").format(size=want.size)
        )
    else:
        where_wrong = _("in {count} of {size} places, {indices}").format(
            count=len(wrong), size=want.size, indices=_indices(wrong)
        )
    places = (
        _("`{name}` is wrong {where} (relative error {error})").format(
            name=name, where=where_wrong, error=f"{finite_relative_error(got, want):.2g}"
        )
        + _sign_split(~close, x)
        + (
            ("" if whole else _unwritten(~close, got, want))  # 0s cut from decimals
            or _step_of(got, x)
            or _value_pattern(got, want, sizes, inputs)
            or _input_relation(got, inputs)
            or _scaled_by_input(got, want, inputs)
        )
    )
    if not shown:
        return places
    index = where[0] if len(where) == 1 else where
    return places + _("; at index {index}: expected {expected}, got {got}").format(
        index=index, expected=_fmt(want[where], got[where]), got=_fmt(got[where], want[where])
    )


def _inputs_at(places, x, inputs=None, most: int = 3) -> str:
    """The input x at the given places, for an output of x's shape: ", where x is 1000" or
    ", where x is 1000, -1000 and 40" (what the learner can try the formula on by hand). Not
    said where another input has that shape too (y of x / y): the place may be y's doing."""
    if not isinstance(x, np.ndarray) or x.shape != places.shape or x.dtype.kind not in "iuf":
        return ""
    others = [v for v in (inputs or {}).values() if isinstance(v, np.ndarray) and v is not x]
    if any(v.shape == x.shape for v in others):
        return ""
    values = list(dict.fromkeys(_fmt_short(v) for v in x[places]))
    if len(values) > most:
        return ""
    shown = values[0] if len(values) == 1 else ", ".join(values[:-1]) + _(" and ") + values[-1]
    return _(", where x is {values}").format(values=shown)


def _step_of(got, x) -> str:
    """An observation when a wrong array is a step of the input x, 1 on one side of 0 and 0 on
    the other (ReLU's slope, or a comparison returned as numbers)."""
    if not isinstance(x, np.ndarray) or x.shape != got.shape or x.dtype.kind not in "iuf":
        return ""
    if (x > 0).all() or (x <= 0).all():
        return ""  # every input on one side: a constant, no step to see
    if (np.abs(x) >= 20).all():
        return ""  # far from 0 every smooth S-curve is a step too: no slip to see
    steps = ((x > 0, "x > 0"), (x >= 0, "x ≥ 0"), (x < 0, "x < 0"), (x <= 0, "x ≤ 0"))
    for step, where in steps:
        if np.array_equal(got, step.astype(got.dtype)):
            return _("; every value is 1 where {where} and 0 elsewhere, a step").format(where=where)
    return ""


def _sign_split(wrong, x) -> str:
    """An observation when the wrong places are exactly those where the input x is ≤ 0 (or > 0),
    for an output of x's shape: one branch of a piecewise formula is right, the other is not."""
    if not isinstance(x, np.ndarray) or x.shape != wrong.shape or x.dtype.kind not in "iuf":
        return ""
    positive = x > 0
    if positive.all() or not positive.any():
        return ""  # every input on one side: no contrast to observe
    sides = (
        (~positive, "x > 0", "x ≤ 0"),
        (x < 0, "x ≥ 0", "x < 0"),
        (positive, "x ≤ 0", "x > 0"),
        (x >= 0, "x < 0", "x ≥ 0"),
    )
    for wrong_side, right, wrong_where in sides:
        if np.array_equal(wrong, wrong_side):
            return _("; it is right at every place where {right} and wrong where {wrong}").format(
                right=right, wrong=wrong_where
            )
    return ""


def _unwritten(wrong, got, want) -> str:
    """An observation when some places, not all, are wrong and hold exactly 0 where the right
    value is not 0: said as what was seen, the first or the last values in order (row by row)
    or the wrong places, never why (a loop that starts late, a value written after its loop,
    an underflow and a comparison with the wrong maximum all leave such 0s)."""
    count = int(wrong.sum())
    if count == wrong.size or np.any(got[wrong] != 0) or np.any(want[wrong] == 0):
        return ""
    order = wrong.ravel()
    if order[-count:].all():
        if count == 1:
            return _("; the last value is 0")
        return _("; the last {count} values are 0").format(count=count)
    if order[:count].all():
        if count == 1:
            return _("; the first value is 0")
        return _("; the first {count} values are 0").format(count=count)
    return _("; every wrong place holds 0")


def _decimals(value: float) -> int:
    """The decimals the learner wrote: 0.61 has 2, 0.6 has 1, 1e-3 has 3 (at most 12)."""
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        places = len(mantissa.split(".")[1].rstrip("0")) if "." in mantissa else 0
        return min(12, max(0, places - int(exponent)))
    return min(12, len(text.split(".")[1].rstrip("0")))


def as_written(got, wrong) -> bool:
    """A number predicted by hand matches a known wrong value only when that value, rounded as
    the learner rounded (to one decimal at least), is what they wrote (0.62 is σ(0.5) = 0.6225;
    0.61 is not), so that a prediction near two values is named after the one it is."""
    if isinstance(got, bool) or isinstance(wrong, bool):
        return got is wrong  # True is not 1 here: a choice, compared as it is
    if not isinstance(wrong, (int, float)):
        return False
    if not (np.isfinite(got) and np.isfinite(wrong)):
        return float(got) == float(wrong)  # inf for inf; NaN is no value anyone predicts
    text = repr(float(got))
    if "e+" in text:  # -2.35e+17: rounded to the significant digits written
        digits = len(text.split("e")[0].lstrip("-").replace(".", "").rstrip("0")) or 1
        return float(f"{float(wrong):.{digits - 1}e}") == float(got)
    places = max(1, _decimals(got))  # "0" or "3" is a number, not a rounding to units
    # By hand, a value is often rounded in two steps (log2 3 = 1.58496 -> 1.585 -> 1.59), and
    # halves go up: both roundings are the learner's.
    exact = Decimal(repr(float(wrong)))
    roundings = (
        round(float(wrong), places),
        float(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)),
        float(
            exact.quantize(Decimal(1).scaleb(-places - 1), ROUND_HALF_UP).quantize(
                Decimal(1).scaleb(-places), ROUND_HALF_UP
            )
        ),
    )
    return any(abs(r - float(got)) <= 1e-9 * max(1.0, abs(float(got))) for r in roundings)


def finite_relative_error(got, want) -> float:
    """The gradient check's relative error (nnscratch.gradients), over the finite elements."""
    finite = np.isfinite(got) & np.isfinite(want)  # inf matching inf is not an error
    return relative_error(got[finite], want[finite])


def _indices(wrong, limit: int = 6) -> str:
    """The wrong places as indices, e.g. "at (0, 1), (1, 2)" or "at 0, 3, 4"."""
    shown = [
        str(int(w[0])) if len(w) == 1 else str(tuple(int(i) for i in w)) for w in wrong[:limit]
    ]
    if len(wrong) > limit:
        return _("at {indices} and {more} more").format(
            indices=", ".join(shown), more=len(wrong) - limit
        )
    return _("at {indices}").format(indices=", ".join(shown))


def _value_pattern(got, want, sizes: dict[str, int] | None = None, inputs=None) -> str:
    """A recognisable relation between a wrong answer and the right one, or "".

    Each relation is named only when it holds on every value (within 1e-9 or a relative 1e-4),
    so it is an observation about these numbers, never a guess. sizes: the case's sizes, so
    that a factor equal to one of them can be called by its name.
    """
    if not (np.isfinite(got).all() and np.isfinite(want).all()):
        return ""
    nonzero = np.abs(want) > 1e-12
    if nonzero.sum() >= 1 and np.allclose(got[~nonzero], 0, atol=1e-9):
        ratios = got[nonzero] / want[nonzero]
        ratio = float(np.median(ratios))
        if abs(ratio - 1) > 1e-3 and abs(ratio) > 1e-9 and np.allclose(ratios, ratio, rtol=1e-4):
            single = want.size == 1
            if abs(ratio + 1) < 1e-4:
                return (
                    _("; it has the wrong sign")
                    if single
                    else _("; every value has the wrong sign")
                )
            times = f"{ratio:.4g}" if abs(ratio) >= 1 else f"1/{1 / ratio:.4g}"
            named = (
                ""
                if _counts(got, want)  # 1 point of 20 is no division by N
                else _size_factor(ratio, sizes) or _log_base(ratio) or _input_factor(ratio, inputs)
            )
            if single:
                return _("; it is {times} times the right value").format(times=times) + named
            return _("; every value is {times} times the right one").format(times=times) + named
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and np.allclose(got.T, want):
        return _("; it is the right answer transposed")
    # Zeros next to the right values' scale, not np.allclose's 1e-8: 2e-9 where 4e-18 is right
    # (a slope far out on a sigmoid) is a value, not a zero.
    if np.abs(got).max() <= 1e-9 * np.abs(want).max():
        return _("; it is 0") if want.size == 1 else _("; it is all zeros")
    return _elementwise_relation(got, want) or _reordered(got, want) or _row_offset(got, want)


SIZE_FACTORS = {
    "N": N_(
        " ({factor}, with N = {size} the number of samples: a division by N missing, or one "
        "too many)"
    ),
    "C": N_(
        " ({factor}, with C = {size} the number of columns: a sum or a mean over the wrong "
        "axis, or a division by C missing or one too many?)"
    ),
    "sample": N_(
        " ({factor}, with {size} the number of values in the one sample of shape ({size},): "
        "a division by its first size, which counts samples only in a batch (N, C), or a mean "
        "over its values?)"
    ),
    "size": N_(
        " ({factor}, with {size} the number of values in x, x.size: a mean where a sum is "
        "meant, or the other way round?)"
    ),
}


def _counts(got, want) -> bool:
    """Both are whole numbers held as integers (a count, a size): a ratio of counts names no
    factor of a formula."""
    return np.asarray(got).dtype.kind in "iu" and np.asarray(want).dtype.kind in "iu"


def _size_factor(ratio: float, sizes: dict[str, int] | None) -> str:
    """ " (N, with N = 4 the number of samples: ...)" when the factor is one of the case's
    sizes or its inverse, and no other of them (N = C says nothing about which)."""
    fits = [
        (name, size)
        for name, size in (sizes or {}).items()
        # A size of 2 says nothing: 2 and ½ are the factors of a square's derivative and of a
        # gradient split in halves as often as they are a count (graph.Add's dout / 2, N = 2).
        if size > 2 and (abs(ratio - size) < 1e-6 * size or abs(1 / ratio - size) < 1e-6 * size)
    ]
    if not fits:
        return _ratio_of_sizes(ratio, sizes or {})
    if len(fits) != 1:
        return ""
    name, size = fits[0]
    symbol = {"size": "x.size", "sample": str(size)}.get(name, name)
    factor = symbol if ratio > 1 else f"1/{symbol}"
    return _(SIZE_FACTORS[name]).format(factor=factor, size=size)


def _ratio_of_sizes(ratio: float, sizes: dict[str, int]) -> str:
    """ " (N/C, ...)" when the factor is N/C or C/N: a division by one where the other is meant."""
    N, C = sizes.get("N", 0), sizes.get("C", 0)
    if N < 1 or C < 1 or N == C or 2 in (N / C, C / N):
        return ""
    for factor, value in (("N/C", N / C), ("C/N", C / N)):
        if abs(ratio - value) < 1e-6 * value:
            return _(
                " ({factor}, with N = {N} samples and C = {C} columns: a division by C where N "
                "is meant, or the other way round?)"
            ).format(factor=factor, N=N, C=C)
    return ""


def _input_factor(ratio: float, inputs: dict | None) -> str:
    """ " (the right value times `2 * h`)" when the factor is one of the case's single-number
    inputs, twice it or its square, or the inverse of one: a factor too many or one left out
    (a difference not divided by 2h). Only a factor that says something (not a simple
    fraction: _plain), and only when one form of one input fits."""
    fits = set()
    for name, value in (inputs or {}).items():
        if isinstance(value, (bool, np.bool_)):
            continue
        if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
            value = value.reshape(())[()]
        if not isinstance(value, (int, float, np.integer, np.floating)):
            continue
        value = float(value)
        for code, form in ((name, value), (f"2 * {name}", 2 * value), (f"{name} ** 2", value**2)):
            if not np.isfinite(form) or _plain(form):
                continue
            if abs(ratio - form) <= 1e-6 * abs(form):
                fits.add(_(" (the right value times `{code}`)").format(code=code))
            elif abs(ratio * form - 1) <= 1e-6:
                fits.add(_(" (the right value divided by `{code}`)").format(code=code))
    return fits.pop() if len(fits) == 1 else ""


def _plain(value: float) -> bool:
    """A number many computations give by chance: a simple fraction such as 3, 1.5 or 2/3 (an
    input x = 3 beside a factor 3 that an `x` squared gives, or a dout of 1.5 beside the
    factor of a product's operand taken for the other). A step such as h = 1e-4 is no
    chance: a factor of 2e-4 is a division by 2h left out."""
    return abs(value) < 100 and any(
        abs(value * k - round(value * k)) < 1e-9 * k for k in range(1, 13)
    )


def _log_base(ratio: float) -> str:
    """ " (1/ln 10: ...)" when the factor is the one a logarithm to another base gives."""
    for base, code in ((10, "np.log10"), (2, "np.log2")):
        if abs(ratio * np.log(base) - 1) < 1e-6:
            return _(" (1/ln {base}: {code} where the natural log, np.log, is meant?)").format(
                base=base, code=code
            )
    return ""


def _elementwise_relation(got, want) -> str:
    """The same simple function of the right value at every place: c + it, c − it, its square,
    log or exp."""
    if want.size < 2:  # one number is "c + the right value" for some c: that says nothing
        return ""
    # Tight: a relation that holds only to a loose tolerance (a one-sided difference is "1e-7
    # more" than the derivative) is no relation; learners' slips hold it to rounding error.
    close = dict(rtol=1e-7, atol=1e-9)
    scale = float(np.max(np.abs(want)))
    offset = float(np.median(got - want))
    if abs(offset) > 1e-6 * max(scale, 1e-3) and np.allclose(got, want + offset, **close):
        more = _fmt_short(abs(offset))
        return (
            _("; every value is {amount} more than the right one").format(amount=more)
            if offset > 0
            else _("; every value is {amount} less than the right one").format(amount=more)
        )
    total = float(np.median(got + want))
    if abs(total) > 1e-6 * max(scale, 1e-3) and np.allclose(got, total - want, **close):
        return _("; every value is {total} minus the right one").format(total=_fmt_short(total))
    if not np.isin(want, (0.0, 1.0)).all() and np.allclose(got, want**2, **close):
        return _("; every value is the square of the right one")
    if not np.allclose(np.trunc(want), want, **close) and np.allclose(got, np.trunc(want), **close):
        return _(
            "; every value is the right one with its fraction cut off (an array of integers, "
            "such as np.zeros_like of an integer array, keeps only whole numbers)"
        )
    for decimals in range(7):
        rounded = np.round(want, decimals)
        if not np.allclose(rounded, want, **close) and np.allclose(got, rounded, **close):
            if decimals == 0 and np.isin(rounded, (0.0, 1.0)).all():
                # a step (x > 0) gives these as well as a rounding does: no cause is said
                return _("; every value is 0 or 1, the right ones rounded to whole numbers")
            return _(
                "; every value is the right one rounded to {decimals} decimal place(s): "
                "return the value as it is computed"
            ).format(decimals=decimals)
    if (want > 0).all() and np.allclose(got, np.log(want), **close):
        return _("; every value is the log of the right one (np.log of the answer)")
    with np.errstate(over="ignore"):
        exp_want = np.exp(np.minimum(want, 700))
        sigmoid_want = 1 / (1 + np.exp(-np.maximum(want, -700)))
    if np.allclose(got, exp_want, **close):
        return _("; every value is e to the power of the right one (np.exp of the answer)")
    if np.allclose(got, sigmoid_want, **close):
        return _(
            "; every value is the sigmoid of the right one (an activation applied where none "
            "belongs, or applied twice?)"
        )
    return ""


def _unary_forms(name: str, value) -> list[tuple[str, np.ndarray]]:
    """The simple functions of one input that a slip leaves in place of the right formula."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return [
            (f"{name}", value),
            (f"-{name}", -value),
            (f"1 - {name}", 1 - value),
            (f"{name} ** 2", value**2),
            (f"np.exp({name})", np.exp(np.minimum(value, 700))),
            (f"np.log({name})", np.log(value)),
            (f"np.tanh({name})", np.tanh(value)),
            (f"np.maximum({name}, 0)", np.maximum(value, 0)),
            (f"sigmoid({name})", 1 / (1 + np.exp(-np.maximum(value, -700)))),
            (f"{name} * (1 - {name})", value * (1 - value)),
        ]


def _binary_forms(a: str, u, b: str, v) -> list[tuple[str, np.ndarray]]:
    """Two inputs combined by one operator, where another formula was meant."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return [
            (f"{a} + {b}", u + v),
            (f"{a} - {b}", u - v),
            (f"{a} * {b}", u * v),
            (f"{a} / {b}", u / v),
        ]


def _telling(form) -> bool:
    """A function's values tell it from others only where they are not 0, 1 or -1: far out,
    np.tanh, the sigmoid and a normalisation all give 0s and 1s. At least two such values."""
    if not np.isfinite(form).all():
        return False
    plain = np.isclose(form, 0, atol=1e-9) | np.isclose(np.abs(form), 1, rtol=0, atol=1e-9)
    return int(np.count_nonzero(~plain)) >= 2


def _input_relation(got, inputs: dict | None) -> str:
    """An observation when a wrong array is, at every place and to rounding error, one of the
    case's inputs, or a simple function of one (`x`, `-x`, `np.exp(x)`, the sigmoid of x,
    `x * (1 - x)`), or dout times one of those: a description of what the code computed, true
    whatever line computed it."""
    if got.size < 2 or not np.isfinite(got).all():
        return ""
    arrays = {
        name: np.asarray(value, dtype=float)
        for name, value in (inputs or {}).items()
        if isinstance(value, np.ndarray) and value.shape == got.shape and value.dtype.kind == "f"
    }
    close = dict(rtol=1e-7, atol=1e-9)
    dout = arrays.get("dout")
    for name, value in arrays.items():
        for code, form in _unary_forms(name, value):
            if _telling(form) and np.allclose(got, form, **close):
                if code == name:
                    return _("; it is the input `{name}` itself, unchanged").format(name=name)
                return _("; it equals `{code}` at every place").format(code=code)
    if dout is not None:
        for name, value in arrays.items():
            if name == "dout":
                continue
            for code, form in _unary_forms(name, value):
                product = dout * form
                if (
                    _telling(form)
                    and np.isfinite(product).all()
                    and np.allclose(got, product, **close)
                ):
                    return _("; it equals `dout * {code}` at every place").format(
                        code=f"({code})" if code.startswith(("-", "1 -")) else code
                    )
    names = list(arrays)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            for first, u, second, v in ((a, arrays[a], b, arrays[b]), (b, arrays[b], a, arrays[a])):
                for code, form in _binary_forms(first, u, second, v):
                    if _telling(form) and np.allclose(got, form, **close):
                        return _("; it equals `{code}` at every place").format(code=code)
    return ""


def _scaled_by_input(got, want, inputs: dict | None) -> str:
    """An observation when a wrong array is the right one times (or divided by) one of the
    case's inputs or a simple function of one: a factor too many, or one left out, that the
    values show (sigmoid_grad as y² (1 - y) is the right answer times y)."""
    if got.size < 2 or not (np.isfinite(got).all() and np.isfinite(want).all()):
        return ""
    close = dict(rtol=1e-7, atol=1e-9)
    for name, value in (inputs or {}).items():
        if not (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
            continue
        try:
            if np.broadcast_shapes(value.shape, want.shape) != want.shape:
                continue
        except ValueError:  # shapes that do not broadcast: no factor of this output
            continue
        for code, form in _unary_forms(name, np.asarray(value, dtype=float)):
            if not _telling(form):
                continue
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                times, over = want * form, want / form
            if np.isfinite(times).all() and _telling(times) and np.allclose(got, times, **close):
                return _("; it equals the right answer times `{code}` at every place").format(
                    code=code
                )
            if np.isfinite(over).all() and _telling(over) and np.allclose(got, over, **close):
                return _("; it equals the right answer divided by `{code}` at every place").format(
                    code=code
                )
    return ""


def _reordered(got, want) -> str:
    """The right values in reverse order, or the right rows in another order."""
    if want.ndim == 0 or want.shape[0] < 2 or np.allclose(got, want):
        return ""
    if np.allclose(got, want[::-1]):
        return (
            _("; it holds the right values in reverse order")
            if want.ndim == 1
            else _("; it holds the right rows in reverse order")
        )
    if want.ndim == 2 and want.shape[1] > 1 and np.allclose(got, want[:, ::-1]):
        return _("; every row holds the right values in reverse order")
    if want.ndim == 2 and min(want.shape) > 1:
        if np.allclose(got, want.ravel().reshape(want.shape, order="F")):
            return _(
                "; it holds the right values in the right order, but filled column by column "
                "instead of row by row"
            )
        if want.shape[0] != want.shape[1] and np.allclose(got, want.T.reshape(want.shape)):
            return _(
                "; it is the right answer's transpose, reshaped to this shape (`.reshape` keeps "
                "the values in their order; `.T` moves them)"
            )
    if want.ndim == 2 and want.shape[0] == len(np.unique(want, axis=0)):
        order = np.lexsort(got.T[::-1])
        if np.allclose(got[order], want[np.lexsort(want.T[::-1])]):
            return _("; it holds the right rows, in another order")
    return ""


def _row_offset(got, want) -> str:
    offset = got - want
    if got.ndim == 2 and got.shape[0] > 1 and np.allclose(offset, offset[0], rtol=0, atol=1e-9):
        return _("; every row is off by the same values")
    return ""


def _fmt_short(value: float) -> str:
    return f"{value:.6g}"


def _shape_pattern(got, want) -> str:
    if got.ndim == 2 and got.shape == want.shape[::-1]:
        if got.dtype.kind in "biuf" and want.dtype.kind in "biuf" and np.allclose(got.T, want):
            return _(" (it holds the right values, transposed)")
        if got.dtype.kind in "biuf" and want.dtype.kind in "biuf":
            if np.allclose(got, want.reshape(got.shape)):
                return _(
                    " (the right values in their order, reshaped to the swapped sizes: "
                    "`.reshape` keeps the order of the values; `.T` transposes)"
                )
        return _(" (the two sizes are swapped: transposed?)")
    if (
        got.size == want.size
        and got.dtype.kind in "biuf"
        and np.allclose(got.reshape(want.shape), want)
    ):
        return _ones_pattern(got.shape, want.shape) or _(" (the right values, in the wrong shape)")
    return _extra_items(got, want) or _extra_items(want, got, missing=True) or _reduced(got, want)


def _ones_pattern(got: tuple, want: tuple) -> str:
    """How a shape holding the right values differs, when only axes of length 1 or the number
    of axes differ: one added in front or at the end, one dropped, or the array flattened."""
    if len(got) == len(want) + 1:
        if got == (1, *want) and got == (*want, 1):  # (1, 1) for (1,): which one, unseen
            return _(" (the right values, with an extra axis of length 1)")
        if got == (1, *want):
            return _(" (the right values, with an extra axis of length 1 in front)")
        if got == (*want, 1):
            return (
                _(" (the right values as a column: an extra axis of length 1 at the end)")
                if len(want) == 1
                else _(" (the right values, with an extra axis of length 1 at the end)")
            )
    if len(want) == len(got) + 1:
        if want == (1, *got) and want == (*got, 1):
            return _(" (the right values, but an axis of length 1 is gone)")
        if want == (1, *got):
            return _(" (the right values, but the leading axis of length 1 is gone)")
        if want == (*got, 1):
            return _(" (the right values, but the last axis, of length 1, is gone)")
    if len(got) == 1 and len(want) > 1:
        return _(" (the right values, flattened to one axis)")
    return ""


def _reduced(got, want) -> str:
    """An observation when a wrong array is the right one reduced along one axis: its argmax
    (class indices where the values are asked for), its sum, mean or maximum."""
    if (
        got.size < 2
        or want.ndim < 2
        or got.dtype.kind not in "biuf"
        or want.dtype.kind not in "biuf"
    ):
        return ""
    for axis in range(want.ndim):
        dropped = want.shape[:axis] + want.shape[axis + 1 :]
        kept = want.shape[:axis] + (1,) + want.shape[axis + 1 :]
        if got.shape not in (dropped, kept):
            continue
        flat = got.reshape(dropped)
        if np.array_equal(flat, np.argmax(want, axis=axis)) and len(np.unique(flat)) > 1:
            return _(
                " (it holds the index of the largest value along axis {axis} of the right "
                "answer, np.argmax: positions where the values themselves are asked for)"
            ).format(axis=axis)
        for code, reduce in (("np.sum", np.sum), ("np.mean", np.mean), ("np.max", np.max)):
            reduced = reduce(want.astype(float), axis=axis)
            if _telling(reduced) and np.allclose(flat, reduced, rtol=1e-7, atol=1e-9):
                return _(" (it equals `{code}` of the right answer along axis {axis})").format(
                    code=code, axis=axis
                )
    return ""


def _extra_items(got, want, missing: bool = False) -> str:
    """An observation when the right answer is the start or the end of a longer array: items
    added after it, or left before it (by an earlier call?). missing: the other way round, the
    learner's array is the right one without its first or last items (a slice or a loop one
    short)."""
    if (
        got.ndim != want.ndim
        or got.ndim == 0
        or got.shape[1:] != want.shape[1:]
        or got.shape[0] <= want.shape[0]
        or got.dtype.kind not in "biuf"
        or want.dtype.kind not in "biuf"
        or want.size == 0
    ):
        return ""
    n, extra = want.shape[0], got.shape[0] - want.shape[0]
    if missing:
        # here got is the right answer and want the learner's shorter one
        if np.allclose(got[:n], want):
            return _(" (the right answer with its last {extra} left out)").format(extra=extra)
        if np.allclose(got[-n:], want):
            return _(" (the right answer with its first {extra} left out)").format(extra=extra)
        return ""
    if np.allclose(got[-n:], want):
        return _(" (its last {n} are the right answer; {extra} more come before them)").format(
            n=n, extra=extra
        )
    if np.allclose(got[:n], want):
        return _(" (its first {n} are the right answer; {extra} more come after them)").format(
            n=n, extra=extra
        )
    return ""
