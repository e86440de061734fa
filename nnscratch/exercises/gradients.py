"""Chapter 3 exercises: the central difference, and the numerical gradient of an array."""

from functools import partial

import numpy as np

from nnscratch.exercises.predictions import prediction
from nnscratch.gradients import numerical_diff, numerical_gradient
from nnscratch.i18n import N_, Phrase
from nnscratch.network import TwoLayerNet
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake

# numerical_diff(f, x)
#
# Each case asks for several slopes at once, chosen so that the usual mistakes fail different
# ones: on a quadratic the central difference is exact for any h while the forward one is off
# by about h; on a cubic or sin a too-large h shows; a large f(x) shows a too-small h, whose
# rounding error is about (float64 epsilon) * |f(x)| / h.

PROBES = {
    "x²": lambda x: x**2,
    "x³": lambda x: x**3,
    "0.01x² + 0.1x": lambda x: 0.01 * x**2 + 0.1 * x,
    "sin(x)": np.sin,
    "e^x": np.exp,
    "2x² − x": lambda x: 2 * x**2 - x,
}


def _slopes(*probes):
    """probes: (function name, x, how x is described) -> a run that asks for each slope."""

    def run(impl, inp):
        return {
            Phrase(
                N_("slope of {function} at x = {where}"), function=name, where=Phrase(where)
            ): impl(PROBES[name], x)
            for (name, where), x in zip(probes, inp["x"])
        }

    return run


def _diff_case(name, probes, xs, shown=True, explain=None):
    return Case(
        name,
        lambda rng: {"x": [float(v) for v in xs(rng)]},
        _slopes(*probes),
        shown=shown,
        rtol=1e-6,
        atol=1e-9,
        explain=explain or {},
    )


# The central difference of x³ is 3x² + h², exactly: near x = 0 the h² is most of the answer,
# so these slopes tell h = 1e-4 (the text's step) from 1e-3 (`10e-4`), 1e-5 or a step that
# scales with x (0 at x = 0). Every other probe is right to 1e-6 for any h near 1e-4.
_H_SHOWS = (("x³", "0"), ("x³", "0.01"))
_H_EXPLAIN = N_(
    "the central difference of x³ is 3x² + h² exactly, so it shows h: with h = 1e-4 it is "
    "1e-8 more than the slope"
)


def _forward(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def _backward(f, x, h=1e-4):
    return (f(x) - f(x - h)) / h


def _central(h):
    return lambda f, x: (f(x + h) - f(x - h)) / (2 * h)


ONE_SIDED = N_(
    "that is a one-sided difference, (f(x + h) - f(x)) / h: it measures the slope of a "
    "secant that starts at x, and its error shrinks only like h. The central difference "
    "(f(x + h) - f(x - h)) / (2 * h) is centred on x and far more accurate."
)
# The backward difference: its own sentence, so that it is translated whole.
BACKWARD = N_(
    "that is a one-sided difference, (f(x) - f(x - h)) / h: it measures the slope of a "
    "secant that ends at x, and its error shrinks only like h. The central difference "
    "(f(x + h) - f(x - h)) / (2 * h) is centred on x and far more accurate."
)
TOO_SMALL = N_(
    "h is too small. float64 keeps about 16 significant digits, so x + h and x - h differ "
    "from x only in the last few of them and f(x + h) - f(x - h) is mostly rounding error "
    "(with h = 1e-50, x + h is exactly x and the difference is 0). Use h = 1e-4."
)
# Slopes of exactly 0 come from any code whose two evaluations agree, not only from h = 1e-50:
# the hint names both ways.
ZERO_SLOPES = N_(
    "every slope is exactly 0: f gave the same value at both ends. That happens when x + h "
    "rounds to x (an h far too small, such as 1e-50; use h = 1e-4), or when both evaluations "
    "see the same x or one result is used twice (set x[idx] = old + h and evaluate, then "
    "x[idx] = old - h and evaluate again)."
)
TOO_LARGE = N_(
    "h is too large: the secant through x - h and x + h is visibly not the tangent "
    "(its error grows like h²). Use h = 1e-4."
)
NOT_THE_TEXTS_H = N_(
    "the central difference is right, but h is not the text's step: use h = 1e-4, written "
    "`1e-4` (`10e-4` is 10 × 10⁻⁴ = 1e-3)."
)

# The step sizes learners write. A mistake is named only when the learner's slopes equal its
# slopes, so each kind of mistake is tried with every usual h.
STEPS = tuple(m * 10.0**e for e in range(-12, 0) for m in (1, 2, 5)) + (1.0, 1e-15, 1e-20, 1e-50)


ONLY_SECOND_DIVIDED = N_(
    "`f(x + h) - f(x - h) / (2 * h)` divides only f(x - h): Python divides before it "
    "subtracts. Put the difference in parentheses: `(f(x + h) - f(x - h)) / (2 * h)`."
)
TWO_H = N_("x - h and x + h are 2h apart, so divide by 2 * h, not by h.")
ALL_AT_ONCE = N_(
    "your result is one number for the whole array, the sum of the slopes: what moving every "
    "element at once measures (the slope along the diagonal (1, 1, ..., 1)). The answer has "
    "one slope per element: nudge one element at a time, and store each slope at its own place "
    "in grad."
)


def _diff_mistakes():
    mistakes = []
    for h in STEPS:
        # A too-small h is named first: at such h rounding dominates every formula alike.
        if h < 1e-16:  # x + h is x: slopes of exactly 0, as many other slips give
            mistakes.append(Mistake(ZERO_SLOPES, _central(h)))
        elif h < 1e-7:  # from 1e-7 to 2e-3 only the text's h itself is off (_H_SHOWS)
            mistakes.append(Mistake(TOO_SMALL, _central(h)))
        elif h > 2e-3:
            mistakes.append(Mistake(TOO_LARGE, _central(h)))
        elif h != 1e-4:
            mistakes.append(Mistake(NOT_THE_TEXTS_H, _central(h)))
    for h in (h for h in STEPS if h >= 1e-7):  # below, every formula gives rounding noise alike
        mistakes += [
            Mistake(ONE_SIDED, lambda f, x, h=h: _forward(f, x, h)),
            Mistake(BACKWARD, lambda f, x, h=h: _backward(f, x, h)),
            Mistake(TWO_H, lambda f, x, h=h: (f(x + h) - f(x - h)) / h),
        ]
        if h < 0.1:  # at h = 0.5, 2h = 1 and the slip is a central difference (h too large)
            mistakes.append(
                Mistake(ONLY_SECOND_DIVIDED, lambda f, x, h=h: f(x + h) - f(x - h) / (2 * h))
            )
        if 1e-4 <= h < 1:  # else `/ 2 * h` gives about 0 (as a too-small h) or `/ (2 * h)`
            mistakes.append(
                Mistake(
                    N_("`/ 2 * h` divides by 2 and then multiplies by h; write `/ (2 * h)`."),
                    lambda f, x, h=h: (f(x + h) - f(x - h)) / 2 * h,
                )
            )
        mistakes += [
            Mistake(
                N_(
                    "the sign is flipped: the slope is (f(x + h) - f(x - h)), the later value first."
                ),
                lambda f, x, h=h: (f(x - h) - f(x + h)) / (2 * h),
            ),
        ]
    return tuple(mistakes)


numerical_diff_exercise = Exercise(
    id="gradients.numerical_diff",
    receives=N_("a function numerical_diff(f, x)"),
    reference=numerical_diff,
    cases=(
        _diff_case(
            N_("slopes you can check by hand: 6, 12 and 2000"),
            [("x²", "3"), ("x³", "2"), ("x²", "1000")],
            lambda rng: [3.0, 2.0, 1000.0],
        ),
        _diff_case(
            N_(
                "f(x) = 0.01x² + 0.1x, from the series' first book (slopes 0.2 and 0.3), and sin at 1 (cos 1)"
            ),
            [("0.01x² + 0.1x", "5"), ("0.01x² + 0.1x", "10"), ("sin(x)", "1")],
            lambda rng: [5.0, 10.0, 1.0],
        ),
        _diff_case(
            N_("hidden: slopes at random points"),
            [
                ("2x² − x", N_("a random x")),
                ("e^x", N_("a random x")),
                ("x²", N_("a random large x")),
                ("x²", N_("a random small x")),
            ],  # there a one-sided error of h = 1e-7 shows
            lambda rng: [
                rng.uniform(-3, 3),
                rng.uniform(-2, 2),
                rng.uniform(500, 1500),
                rng.uniform(1e-3, 2e-3),
            ],
            shown=False,
        ),
        _diff_case(
            N_("the step h = 1e-4 of the text: x³ at x = 0 and at x = 0.01"),
            _H_SHOWS,
            lambda rng: [0.0, 0.01],
            explain={
                Phrase(N_("slope of {function} at x = {where}"), function=f, where=Phrase(x)): (
                    _H_EXPLAIN
                )
                for f, x in _H_SHOWS
            },
        ),
    ),
    mistakes=_diff_mistakes(),
    error_hints=(
        ErrorHint(
            r"ZeroDivisionError",
            N_(
                "h must not be 0: a computer cannot take the limit h -> 0, "
                "so use a small but finite h = 1e-4."
            ),
        ),
        ErrorHint(
            r"TypeError: .*not callable",
            N_(
                "`f` is a function: call it as f(x + h), and don't "
                "reuse the name f for a number inside numerical_diff."
            ),
        ),
    ),
)

# numerical_gradient(f, x)

_GRAD = "numerical_gradient(f, x)"
_AFTER = N_("x after the call")
_EXACT = N_("x is restored bit for bit")
_RESTORE = N_(
    "numerical_gradient nudges x in place, so it must put every element back exactly: "
    "save `old = x[idx]`, and after the two evaluations write `x[idx] = old`"
)


def _run_gradient(f):
    """A run for numerical_gradient(f, x), with f built from the case's inputs."""

    def run(impl, inp):
        x = inp["x"]
        before = x.copy()
        grad = impl(f(inp), x)
        return {_GRAD: grad, _AFTER: x.copy(), _EXACT: bool(np.array_equal(x, before))}

    return run


def _run_net_gradient(impl, inp):
    """The book's idiom: numerical_gradient(lambda W: net.forward(x, t), W1), with W1 inside net.

    The function ignores its argument: only nudging W1 itself, in place, changes the loss.
    """
    net = TwoLayerNet(2, 3, 3)
    for p, value in zip(net.params, inp["weights"]):
        p[...] = value
    W1 = net.params[0]
    before = W1.copy()
    grad = impl(lambda W: net.forward(inp["data"], inp["t"]), W1)
    out = {_GRAD: grad, _AFTER: W1.copy(), _EXACT: bool(np.array_equal(W1, before))}
    # The same weights through an f that reads its argument: a code that nudges a copy gets
    # this one right, while a code whose h is too small gets zeros here too.
    out["numerical_gradient(lambda W: np.sum(W ** 2), W1)"] = impl(
        lambda W: float(np.sum(W**2)), before.copy()
    )
    return out


def _net_inputs(rng):
    weights = [
        rng.standard_normal((2, 3)),
        rng.standard_normal(3),
        rng.standard_normal((3, 3)),
        rng.standard_normal(3),
    ]
    return {
        "weights": [np.round(w, 2) for w in weights],
        "data": np.round(rng.standard_normal((4, 2)), 2),
        "t": rng.integers(0, 3, size=4),
    }


# Known wrong implementations of numerical_gradient, each a small variation of the right one.


def _over_h_at(f, x, idx, old, h):
    return 2 * _central_at(f, x, idx, old, h)  # (f(x + h) - f(x - h)) / h


def _gradient_by(difference, h=1e-4):
    """Element by element, in place, restoring exactly; difference(f, x, idx, old, h) -> slope."""

    def numerical_gradient(f, x):
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            grad[idx] = difference(f, x, idx, old, h)
            x[idx] = old
        return grad

    return numerical_gradient


def _central_at(f, x, idx, old, h):
    x[idx] = old + h
    f_plus = f(x)
    x[idx] = old - h
    f_minus = f(x)
    return (f_plus - f_minus) / (2 * h)


def _forward_at(f, x, idx, old, h):
    f_here = f(x)
    x[idx] = old + h
    return (f(x) - f_here) / h


def _second_at_x_at(f, x, idx, old, h):
    """x[idx] put back (or never moved down) before the second evaluation: f(x), not f(x - h)."""
    x[idx] = old + h
    f_plus = f(x)
    x[idx] = old - h
    x[idx] = old
    return (f_plus - f(x)) / (2 * h)


def _on_a_copy(f, x):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += 1e-4
        minus[idx] -= 1e-4
        grad[idx] = (f(plus) - f(minus)) / 2e-4
    return grad


def _not_restored(f, x, h=1e-4):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        grad[idx] = (f_plus - f(x)) / (2 * h)
    return grad


def _restored_by_arithmetic(f, x, h=1e-4):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h  # rounding: not always the original float
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _rows_only(f, x, h=1e-4):
    """The 1-D loop `for i in range(len(x))` applied to any array: on 2-D x, x[i] is a row."""
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _rows_as_views(f, x, h=1e-4):
    """The same loop with `old = x[i]`: on 2-D x that is a view, which changes with the row."""
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
        x[i] = old
    return grad


def _all_at_once(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def _as_list(f, x):
    return _gradient_by(_central_at)(f, x).tolist()


def _flat(f, x):
    return _gradient_by(_central_at)(f, x).reshape(-1)


ONE_ELEMENT = N_(
    "loop over every element of x, whatever its shape: `for idx in np.ndindex(x.shape):` "
    "gives idx = (i, j, ...) tuples, so x[idx] is one number (np.nditer with "
    "flags=['multi_index'] works too). `range(len(x))` only walks the first axis: on a "
    "matrix, x[i] is a whole row (and `old = x[i]` is then a view of that row, which "
    "changes along with it)."
)

_EXPLAIN = {
    _AFTER: N_("x must hold its original values when numerical_gradient returns"),
    _EXACT: _RESTORE,
}


def _stored_by_columns(x):
    """x's values in an array stored column by column, as a transpose such as W.T is: not
    contiguous in C order, so x.reshape(-1) and x.ravel() are copies of it, not views."""
    return np.asfortranarray(x)


def _run_gradient_by_columns(f):
    """numerical_gradient(f, x) for an x stored column by column (any array is allowed)."""

    def run(impl, inp):
        # The same values stored row by row first: an h too small fails both, a flat view
        # (x.reshape(-1)) only the column-stored x, so the two mistakes are told apart.
        by_rows = impl(f(inp), np.array(inp["x"], order="C"))
        x = _stored_by_columns(inp["x"])
        before = x.copy()
        grad = impl(f(inp), x)
        return {
            _BY_ROWS: by_rows,
            _GRAD: grad,
            _AFTER: x.copy(),
            _EXACT: bool(np.array_equal(x, before)),
        }

    return run


_BY_ROWS = N_("numerical_gradient(f, x) for the same x stored row by row")


def _through_a_flat_view(f, x, h=1e-4):
    """Nudges x through x.reshape(-1), which is a view only when x is C-contiguous."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)


_FLAT_VIEW = N_(
    "`x.reshape(-1)` and `x.ravel()` are views of x only when x is stored row by row; for a "
    "transposed or sliced x (such as W.T) they are copies, and nudging a copy changes nothing "
    "f reads. Index x itself: `for idx in np.ndindex(x.shape):`, then `x[idx] = old + h`."
)


numerical_gradient_exercise = Exercise(
    id="gradients.numerical_gradient",
    receives=N_("a function numerical_gradient(f, x)"),
    reference=numerical_gradient,
    cases=(
        Case(
            N_("f(x) = sum(x²) for x of shape (4,): the gradient is 2x"),
            lambda rng: {"x": rng.uniform(-2, 2, size=4)},
            _run_gradient(lambda inp: lambda x: np.sum(x**2)),
            pure=False,
            rtol=1e-6,
            atol=1e-8,
            explain=_EXPLAIN,
        ),
        Case(
            N_(
                "the idiom numerical_gradient(lambda W: net.forward(x, t), W1) for the "
                "(2, 3) weights W1 of a TwoLayerNet"
            ),
            _net_inputs,
            _run_net_gradient,
            pure=False,
            rtol=1e-6,
            atol=1e-8,
            explain=_EXPLAIN,
        ),
        Case(
            N_("f(x) = sum(c * sin(x)) for x of shape (2, 3, 2): the gradient is c * cos(x)"),
            lambda rng: {
                "x": rng.uniform(-3, 3, size=(2, 3, 2)),
                "c": np.round(rng.uniform(-2, 2, size=(2, 3, 2)), 1),
            },
            _run_gradient(lambda inp: lambda x: np.sum(inp["c"] * np.sin(x))),
            pure=False,
            rtol=1e-6,
            atol=1e-8,
            explain=_EXPLAIN,
        ),
        Case(
            N_("hidden: a function that mixes the elements of a (5, 4) matrix"),
            lambda rng: {"x": rng.standard_normal((5, 4)), "A": rng.standard_normal((4, 3))},
            _run_gradient(lambda inp: lambda x: np.sum(np.tanh(x @ inp["A"])) + 0.5 * np.sum(x**2)),
            shown=False,
            pure=False,
            # Two central differences (the reference's h = 1e-4, a learner's 1e-5 or 1e-6)
            # differ by up to about 1e-8 here (the truncation error, h² times f's third
            # derivative / 6): room for any good step, none for a one-sided difference.
            rtol=1e-6,
            atol=1e-7,
            explain=_EXPLAIN,
        ),
        Case(
            N_(
                "f(x) = sum(x³) / 3 for x of shape (3, 4) stored column by column, as W.T is: "
                "the gradient is x²"
            ),
            lambda rng: {"x": np.round(rng.uniform(-2, 2, size=(3, 4)), 2)},
            _run_gradient_by_columns(lambda inp: lambda x: np.sum(x**3) / 3),
            pure=False,
            rtol=1e-6,
            atol=1e-8,
            explain=_EXPLAIN,
        ),
    ),
    mistakes=(
        Mistake(ONE_SIDED, _gradient_by(_forward_at)),
        Mistake(
            N_(
                "perturb x itself, in place: f may ignore its argument and read x through a "
                "closure or a model, as in `numerical_gradient(lambda W: net.forward(x, t), W1)`. "
                "Nudging a copy (x.copy(), np.array(x), x.astype(float), x + h) changes nothing "
                "such an f reads, so its gradient comes out 0."
            ),
            _on_a_copy,
        ),
        Mistake(
            N_(
                "x is not put back: after the two evaluations write the saved value back, "
                "`x[idx] = old`, before moving to the next element."
            ),
            _not_restored,
        ),
        Mistake(
            N_(
                "`x[idx] += h` followed by `x[idx] -= 2 * h` and `x[idx] += h` does not always give "
                "back the same float (each step rounds). Save `old = x[idx]` first and restore "
                "with `x[idx] = old`."
            ),
            _restored_by_arithmetic,
        ),
        Mistake(
            N_(
                "the second evaluation is at x itself, not at x - h: these slopes are "
                "(f(x + h) - f(x)) / (2 * h), half a one-sided difference. Set "
                "`x[idx] = old - h` just before computing f(x - h), and put x back, "
                "`x[idx] = old`, only after both evaluations."
            ),
            _gradient_by(_second_at_x_at),
        ),
        Mistake(ONE_ELEMENT, _rows_only),
        Mistake(ONE_ELEMENT, _rows_as_views),
        *(
            Mistake(ALL_AT_ONCE, form)
            # that one number, or the same number at every place (`x + h` inside the loop)
            for form in (_all_at_once, lambda f, x: np.full(np.shape(x), _all_at_once(f, x)))
        ),
        Mistake(
            N_(
                "return a NumPy array of x's shape: start from `grad = np.zeros_like(x)` and "
                "fill in grad[idx]."
            ),
            _as_list,
        ),
        Mistake(
            N_(
                "grad must have the same shape as x (one slope per element): start from "
                "`grad = np.zeros_like(x)` and fill in grad[idx]."
            ),
            _flat,
        ),
        Mistake(TWO_H, _gradient_by(_over_h_at)),
        Mistake(ZERO_SLOPES, _gradient_by(_central_at, h=1e-50)),
        Mistake(TOO_LARGE, _gradient_by(_central_at, h=1e-1)),
        Mistake(_FLAT_VIEW, _through_a_flat_view),
    ),
    error_hints=(
        ErrorHint(
            r"only (length-1|size-1|0-dimensional) arrays|setting an array element with a "
            r"sequence",
            ONE_ELEMENT,
        ),
        ErrorHint(
            # NumPy says "for size n", without an axis, of a `.flat[i]` past the end only
            r"IndexError: index \d+ is out of bounds for size \d+",
            N_(
                "a `.flat[i]` index ran past the end of its array (of the size the message "
                "gives): an array the loop indexes with `.flat[i]` needs x's size, and the loop "
                "x.size steps at most; `grad = np.zeros_like(x)` makes grad x's size."
            ),
        ),
        ErrorHint(
            r"IndexError: index \d+ is out of bounds for axis",
            Phrase(
                N_(
                    "{loop} And x.size counts every element while x[i] indexes the first axis only."
                ),
                loop=Phrase(ONE_ELEMENT),
            ),
        ),
        ErrorHint(r"ZeroDivisionError", N_("h must not be 0: use a small but finite h = 1e-4.")),
    ),
)

EXERCISES = (numerical_diff_exercise, numerical_gradient_exercise)


# --- Predict, then run; and a gradient derived by hand (issue 13) -------------------------
# Appended below the chapter's first entries so that edits to those stay separate.


predict_dW_shape = prediction(
    "gradients.predict_dW_shape",
    N_("the shape of dL/dW for W of shape (2, 3)"),
    (2, 3),
    wrong=[
        (
            (3, 2),
            (
                N_(
                    "that is W transposed: a gradient has one entry per weight, so it has the "
                    "shape of W itself."
                )
            ),
        ),
        (
            (6,),
            (
                N_(
                    "numerical_gradient keeps the array's shape: one slope per entry of W, "
                    "arranged like W."
                )
            ),
        ),
        (
            (),
            N_(
                "the loss is one number, but its gradient has one slope per weight: the shape of W."
            ),
        ),
        (
            (6, 3),
            N_(
                "that is the shape of the scores s = xW, one row per point; the gradient has one "
                "slope per weight, the shape of W."
            ),
        ),
        (
            (6, 2),
            N_("that is the shape of x; the gradient with respect to W has the shape of W."),
        ),
        (
            (2,),
            N_(
                "that is W's first size alone; the gradient has one slope per weight, 2 rows "
                "of 3: the shape of W."
            ),
        ),
        (
            (3,),
            N_(
                "that is W's second size alone (the shape of b); the gradient has one slope "
                "per weight, 2 rows of 3: the shape of W."
            ),
        ),
    ],
)

_FIRST_ORDER = N_(
    "to first order a small step changes the loss by the slope times the step; against the "
    "slope's sign that change is negative, so the loss goes down."
)

predict_step_direction = prediction(
    "gradients.predict_step_direction",
    N_('what a small step against the sign of dL/dW[i, j] does to the loss: "down" or "up"'),
    "down",
    wrong=[
        (
            "up",
            (
                N_(
                    "the gradient points uphill, the way the loss grows fastest; a step against "
                    "it goes downhill."
                )
            ),
        ),
        *(
            (word, _FIRST_ORDER)
            for word in ("same", "unchanged", "no change", "nothing", "neither")
        ),
    ],
)


def _quadratic(A, x):
    return float(x @ A @ x)


def _quadratic_inputs(D, symmetric, decimals=1, reach=2.0):
    """reach: how far x goes. A central difference is exact for a quadratic but for rounding,
    which grows with f(x) / h: at reach 100 it is about 1e-10 for h = 1e-4 (measured), so a
    numerical gradient fails the exact comparison."""

    def make(rng):
        A = np.round(rng.uniform(-2, 2, size=(D, D)), decimals)
        if symmetric:
            A = (A + A.T) / 2
        return {"A": A, "x": np.round(rng.uniform(-reach, reach, size=D), decimals)}

    return make


def _run_quadratic_grad(impl, inp):
    return {"quadratic_grad(A, x)": impl(inp["A"], inp["x"])}


# The gradient asked for is a formula: exact (to rounding error) for float64 inputs.
_GradientCase = partial(Case, rtol=1e-6, atol=1e-7, exact=True)

quadratic_grad_exercise = Exercise(
    id="gradients.quadratic_grad",
    receives=N_("a function quadratic_grad(A, x)"),
    # The formula the exercise asks for (tests/test_grader_exact.py holds it to the chapter's
    # numerical gradient); its cases are exact, so a numerical gradient does not pass.
    reference=lambda A, x: (A + A.T) @ x,
    cases=(
        _GradientCase(
            N_("a symmetric A (2, 2)"),
            _quadratic_inputs(2, True),
            _run_quadratic_grad,
        ),
        _GradientCase(
            N_("an A (3, 3) that is not symmetric"),
            _quadratic_inputs(3, False),
            _run_quadratic_grad,
        ),
        _GradientCase(
            N_("hidden: a random A (5, 5)"),
            _quadratic_inputs(5, False, 3, reach=100.0),
            _run_quadratic_grad,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "2 A x is the gradient only when A is symmetric (it passed for the symmetric "
                "A). x appears twice in xᵀ A x: differentiate each appearance on its own and add."
            ),
            lambda A, x: 2 * A @ x,
        ),
        Mistake(
            N_(
                "2 Aᵀ x (`2 * x @ A`) is the gradient only when A is symmetric. x appears twice "
                "in xᵀ A x: differentiate each appearance on its own and add, (A + Aᵀ) x."
            ),
            lambda A, x: 2 * x @ A,
        ),
        Mistake(
            N_(
                "`*` multiplies element by element, giving a (D, D) array; the gradient is the "
                "matrix product `(A + A.T) @ x`, a vector of D slopes."
            ),
            lambda A, x: (A + A.T) * x,
        ),
        Mistake(
            N_(
                "that is the share of one appearance of x only. x appears twice in xᵀ A x, so "
                "the gradient has two terms (a sum, as for a value used twice)."
            ),
            lambda A, x: A @ x,
        ),
        Mistake(
            N_(
                "that is the share of one appearance of x only. x appears twice in xᵀ A x, so "
                "the gradient has two terms (a sum, as for a value used twice)."
            ),
            lambda A, x: A.T @ x,
        ),
        Mistake(
            N_("that is f(x) itself, not its gradient: the gradient is a vector of D slopes."),
            lambda A, x: x @ A @ x,
        ),
        *(
            Mistake(
                N_(
                    "A and Aᵀ are multiplied together here (`A @ A.T` or `A.T @ A`); in the gradient of "
                    "xᵀ A x they are added, one term for each appearance of x: "
                    "`(A + A.T) @ x`."
                ),
                form,
            )
            for form in (lambda A, x: A @ A.T @ x, lambda A, x: A.T @ A @ x)
        ),
    ),
)

EXERCISES += (predict_dW_shape, predict_step_direction, quadratic_grad_exercise)
