"""Lab 2 exercises: the numerical backward of a layer, then ReLU, Tanh and Softmax layers.

Each layer's backward is the analytic one, and its cases are exact (nnscratch.spec.Case): a
float64 backward must be right to rounding error, which a numerical gradient of the layer's
own forward cannot reach. tests/test_grader_exact.py gradient-checks every reference against
checked_by_numbers, the oracle the lab teaches.
"""

from functools import partial

import numpy as np

from nnscratch.activation_layers import ReLU, Softmax, Tanh
from nnscratch.exercises import forms
from nnscratch.exercises.computation_graph import STATE_HINTS
from nnscratch.exercises.gradients import _FLAT_VIEW, ALL_AT_ONCE, STEPS, TOO_LARGE, TWO_H
from nnscratch.exercises.wrong_argument import backward_at_output
from nnscratch.functions import sigmoid, softmax
from nnscratch.gradients import numerical_backward, numerical_gradient
from nnscratch.i18n import N_
from nnscratch.spec import ONE_PER_ROW, Case, ErrorHint, Exercise, Mistake

POINTS = {  # what each exercise is worth; the lab's points table shows the same numbers
    "lab2.numerical_backward": 2,
    "lab2.ReLU": 3,
    "lab2.Tanh": 2,
    "lab2.Softmax": 3,
}


def checked_by_numbers(layer_class):
    """layer_class with backward replaced by the numerical gradient of its forward: the oracle."""

    class Checked(layer_class):
        def forward(self, x):
            self.x_seen = np.array(x, dtype=float)  # the latest input, as backward must use it
            return super().forward(x)

        def backward(self, dout):
            return numerical_backward(layer_class().forward, self.x_seen.copy(), dout)

    Checked.__name__ = Checked.__qualname__ = layer_class.__name__
    return Checked


# numerical_backward(forward, x, dout)


def _by_rows(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x, dtype=float)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        up = np.sum(forward(x) * dout)
        x[i] = old - h
        down = np.sum(forward(x) * dout)
        x[i] = old
        dx[i] = (up - down) / (2 * h)
    return dx


def _whole_at_once(forward, x, dout, h=1e-4):
    return (np.sum(forward(x + h) * dout) - np.sum(forward(x - h) * dout)) / (2 * h)


def _with_step(h):
    return lambda forward, x, dout: numerical_backward(forward, x, dout, h)


def _cube(x):
    return x**3 / 3


def _run_numerical(f, inp):
    return {"numerical_backward(forward, x, dout)": f(inp["forward"], inp["x"], inp["dout"])}


def _numerical_inputs(forward, shape):
    def make(rng):
        return {
            "forward": forward,
            "x": np.round(rng.standard_normal(shape), 2),
            "dout": np.round(rng.standard_normal(shape), 2),
        }

    return make


def _ignores_dout(forward, x, dout):
    return numerical_gradient(lambda v: np.sum(forward(v)), x)


def _elementwise_shortcut(forward, x, dout):
    return dout * numerical_gradient(lambda v: np.sum(forward(v)), x)


def _one_sided(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x)
    base = np.sum(forward(x) * dout)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        dx[idx] = (np.sum(forward(x) * dout) - base) / h
        x[idx] = old
    return dx


def _not_restored(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        plus = np.sum(forward(x) * dout)
        x[idx] -= 2 * h
        minus = np.sum(forward(x) * dout)
        dx[idx] = (plus - minus) / (2 * h)
    return dx


def _each_output_alone(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = forward(x)[idx] * dout[idx]
        x[idx] = old - h
        down = forward(x)[idx] * dout[idx]
        x[idx] = old
        dx[idx] = (up - down) / (2 * h)
    return dx


_TANH_TOO = N_("numerical_backward(np.tanh, x, dout) on the same x")


def _run_numerical_beside_tanh(f, inp):
    """Also an elementwise forward on the same x: a shortcut that is right only for
    elementwise layers is right there and wrong for softmax; most other slips are wrong in
    both (or zero in both: an array never filled)."""
    return {
        **_run_numerical(f, inp),
        _TANH_TOO: f(np.tanh, np.array(inp["x"]), inp["dout"]),
    }


_BY_ROWS = N_("numerical_backward(forward, x, dout) for the same x stored row by row")


def _run_numerical_by_columns(f, inp):
    """x (any shape) stored column by column, as a transpose is, and the same x row by row:
    a flat view (x.reshape(-1)) nudges x only in the second, an error in h in both."""
    forward, dout = inp["forward"], inp["dout"]
    by_rows = f(forward, np.array(inp["x"], order="C"), dout)
    return {
        _BY_ROWS: by_rows,
        "numerical_backward(forward, x, dout)": f(forward, np.asfortranarray(inp["x"]), dout),
    }


def _through_a_flat_view(forward, x, dout, h=1e-4):
    flat = x.reshape(-1)  # a view only when x is stored row by row
    dx = np.zeros(flat.shape)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = np.sum(forward(x) * dout)
        flat[i] = old - h
        down = np.sum(forward(x) * dout)
        flat[i] = old
        dx[i] = (up - down) / (2 * h)
    return dx.reshape(x.shape)


# Two slips in one formula: a one-sided difference, and an h far above 1e-4.
ONE_SIDED_LARGE = N_(
    "two things make these slopes inaccurate: the difference is one-sided, "
    "(f(x + h) - f(x)) / h, off by about h/2 times the second derivative, and h is large, so "
    "even a central difference would be off by about h². Use the central difference "
    "(f(x + h) - f(x - h)) / 2h with h = 1e-4; `numerical_gradient` from nnscratch already "
    "does it."
)

numerical_backward_exercise = Exercise(
    id="lab2.numerical_backward",
    receives=N_("a function numerical_backward(forward, x, dout)"),
    reference=numerical_backward,
    cases=(
        Case(
            N_("forward = x ** 3 / 3 on x (2, 3)"),
            _numerical_inputs(_cube, (2, 3)),
            _run_numerical,
            explain={
                "numerical_backward(forward, x, dout)": N_("here the answer is dout * x ** 2")
            },
        ),
        Case(
            N_("forward = softmax on x (2, 4): every output depends on every input"),
            _numerical_inputs(softmax, (2, 4)),
            _run_numerical_beside_tanh,
        ),
        Case(
            N_("a hidden forward = sigmoid on x (3, 3)"),
            _numerical_inputs(sigmoid, (3, 3)),
            _run_numerical,
            shown=False,
        ),
        Case(
            N_("a hidden forward = softmax on x (3, 5)"),
            _numerical_inputs(softmax, (3, 5)),
            _run_numerical_beside_tanh,
            shown=False,
        ),
        Case(
            N_("forward = tanh on x (2, 3, 2) stored column by column, as a transpose is"),
            _numerical_inputs(np.tanh, (2, 3, 2)),
            _run_numerical_by_columns,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "`dout * (gradient of np.sum(forward(x)))` is right only when each output depends on "
                "its own input alone (an elementwise layer). Softmax mixes them: put dout inside the "
                "sum, L(x) = np.sum(forward(x) * dout), and differentiate that."
            ),
            _elementwise_shortcut,
        ),
        Mistake(
            N_(
                "the upstream gradient is missing: differentiate L(x) = np.sum(forward(x) * dout), "
                "whose derivative with respect to forward's output is exactly dout."
            ),
            _ignores_dout,
        ),
        Mistake(
            N_(
                "(f(x + h) - f(x)) / h leans to one side and is off by about h/2 times the second "
                "derivative; the central difference (f(x + h) - f(x - h)) / 2h is far more accurate. "
                "`numerical_gradient` from nnscratch already does it."
            ),
            _one_sided,
        ),
        Mistake(
            N_(
                "x must come back unchanged: after the two evaluations, put each element back as it "
                "was (`old = x[idx]` first, `x[idx] = old` at the end). `numerical_gradient` from "
                "nnscratch restores every element for you."
            ),
            _not_restored,
        ),
        Mistake(_FLAT_VIEW, _through_a_flat_view),
        Mistake(
            N_(
                "nudging a whole row of x at once measures the slope along (1, ..., 1) in that "
                "row, one number for the row; nudge one element at a time, "
                "`for idx in np.ndindex(x.shape):` (as numerical_gradient does)."
            ),
            _by_rows,
        ),
        Mistake(TWO_H, lambda forward, x, dout: 2 * numerical_backward(forward, x, dout)),
        Mistake(
            N_(
                "this reads only output [idx] when x[idx] moves, `forward(x)[idx] * dout[idx]`; "
                "a layer's output may depend on every input (softmax's does), so add them all: "
                "`np.sum(forward(x) * dout)`."
            ),
            _each_output_alone,
        ),
        Mistake(
            N_(
                "that is forward(x) · dout, the layer's output weighted by dout, with no "
                "difference taken: the gradient nudges each element of x and measures how "
                "L(x) = np.sum(forward(x) * dout) changes."
            ),
            lambda forward, x, dout: forward(x) * dout,
        ),
        Mistake(
            N_(
                "L(x) takes the mean of forward(x) · dout, which divides by x.size; the "
                "backward of a layer differentiates their sum, `np.sum(forward(x) * dout)`."
            ),
            lambda forward, x, dout: numerical_backward(forward, x, dout) / np.size(dout),
        ),
        *(Mistake(TOO_LARGE, _with_step(h)) for h in STEPS if 2e-3 < h <= 1),
        *(Mistake(ONE_SIDED_LARGE, partial(_one_sided, h=h)) for h in STEPS if 2e-3 < h <= 1),
        *(
            Mistake(ALL_AT_ONCE, form)
            # that one number, or the same number at every place
            for form in (
                _whole_at_once,
                lambda forward, x, dout: np.full(np.shape(x), _whole_at_once(forward, x, dout)),
            )
        ),
    ),
    error_hints=(
        ErrorHint(
            r"setting an array element with a sequence|only (length-1|size-1) arrays",
            N_(
                "numerical_gradient needs a function that returns one number, but forward returns "
                "an array: differentiate `lambda v: np.sum(forward(v) * dout)` instead."
            ),
        ),
    ),
)

# Shared by the layer exercises.

# float32 answers differ from float64 by about 1e-7 of the largest values involved (tanh'(x) =
# 1 - y**2 near y = 1 loses digits to cancellation): an absolute tolerance of 1e-6 accepts them,
# and every known mistake is off by far more.
LayerCase = partial(Case, atol=1e-6)


def _slip(base, forward=None, backward=None):
    """base with one method written as a learner slipped: forward(x) -> y, computed from x
    alone, or backward(layer, dout) -> dx, which reads what forward kept (x, out, mask)."""
    slipped_forward, slipped_backward = forward, backward

    class Slip(base):
        def forward(self, x):
            self.x = x
            self.out = super().forward(x) if slipped_forward is None else slipped_forward(x)
            self.mask = x > 0
            return self.out

        def backward(self, dout):
            if slipped_backward is None:
                return super().backward(dout)
            return slipped_backward(self, dout)

    return Slip


_ATTRIBUTES = ErrorHint(
    r"has no attribute '(params|grads)'",
    N_(
        "a layer without weights still has "
        "`self.params = []` and `self.grads = []`, set in `__init__`."
    ),
)


_NO_WEIGHTS = {  # explain= of a forward case: what params and grads hold
    "params": N_("a layer without weights has `self.params = []`"),
    "grads": N_("a layer without weights has `self.grads = []`"),
}


def _run_forward(cls, inp):
    layer = cls()
    return {"forward(x)": layer.forward(inp["x"]), "params": layer.params, "grads": layer.grads}


def _run_backward(cls, inp):
    layer = cls()
    layer.forward(inp["x"])
    return {"backward(dout)": layer.backward(inp["dout"])}


def _run_latest(cls, inp):
    layer = cls()
    layer.forward(inp["x_before"])
    layer.forward(inp["x"])
    return {N_("backward(dout) after a second forward"): layer.backward(inp["dout"])}


_DX = N_(
    "backward(dout) is the gradient of L(x) = np.sum(forward(x) * dout), by the formula: "
    "it is compared to rounding error"
)


def _away_from_zero(rng, shape):
    """Values with |x| >= 0.05: a numerical gradient across ReLU's kink at 0 means nothing."""
    return np.round(rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.05, 2.5, size=shape), 2)


# ReLU's slope at exactly 0 is the lab's convention (0), which no finite difference measures.
AT_THE_KINK = N_("backward where some x are exactly 0: the lab sets the slope there to 0")


def _some_exactly_zero(rng, shape):
    """Values away from 0, and every third one exactly 0, where the lab sets ReLU's slope to 0."""
    x = _away_from_zero(rng, shape)
    x.flat[::3] = 0.0
    return x


def _layer_inputs(shape, make_x=None, scale=1.0):
    def make(rng):
        x = make_x(rng, shape) if make_x else np.round(scale * rng.standard_normal(shape), 2)
        return {
            "x": x,
            "x_before": -x[::-1].copy(),
            "dout": np.round(rng.standard_normal(shape), 2),
        }

    return make


# class ReLU


class _MaskFromOutput(ReLU):
    def forward(self, x):
        self.out = np.maximum(0, x)
        return self.out

    def backward(self, dout):
        return dout * (self.out >= 0)


class _MaskAtZero(ReLU):
    def forward(self, x):
        self.mask = x >= 0
        return np.maximum(0, x)


class _ReLUIgnoresDout(ReLU):
    def backward(self, dout):
        return self.mask.astype(float)


class _ReLUInverted(ReLU):
    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class _ReLUOnDout(ReLU):
    def backward(self, dout):
        return np.maximum(0, dout)


class _ReLUTimesInput(ReLU):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * np.maximum(0, self.x)  # ReLU(x) where its slope, 1 or 0, belongs


class _ReLUFirstMask(ReLU):
    def forward(self, x):
        if self.mask is None:  # kept from the first forward only
            self.mask = x > 0
        return np.maximum(0, x)


_ReLUTimesX = _slip(ReLU, backward=lambda layer, dout: dout * layer.x)
_ReLUMaskOfDoutToo = _slip(ReLU, backward=lambda layer, dout: dout * (dout > 0) * layer.mask)
_ReLUReturnsMask = _slip(ReLU, forward=lambda x: x > 0)
_ReLUMinimum = _slip(ReLU, forward=lambda x: np.minimum(0, x))
_ReLULeaky = _slip(ReLU, forward=lambda x: np.where(x > 0, x, 0.01 * x))
_ReLUMaxWithAxis = _slip(ReLU, forward=lambda x: np.max(0, x))


class _ReLUInPlace(ReLU):
    def forward(self, x):
        self.mask = x > 0
        x[~self.mask] = 0
        return x


relu_exercise = Exercise(
    id="lab2.ReLU",
    receives=N_("a class ReLU"),
    reference=ReLU,
    is_class=True,
    cases=(
        LayerCase(
            N_("forward on a (3, 4) batch"),
            _layer_inputs((3, 4), _away_from_zero),
            _run_forward,
            explain=_NO_WEIGHTS,
        ),
        LayerCase(
            N_("backward(dout) on a (3, 4) batch"),
            _layer_inputs((3, 4), _away_from_zero),
            _run_backward,
            exact=True,
            pure=False,
            explain={"backward(dout)": _DX},
        ),
        LayerCase(
            N_("backward after two forwards: it must use the latest x"),
            _layer_inputs((2, 5), _away_from_zero),
            _run_latest,
            exact=True,
            pure=False,
        ),
        LayerCase(
            AT_THE_KINK,
            _layer_inputs((2, 6), _some_exactly_zero),
            _run_backward,
            exact=True,
            pure=False,
        ),
        LayerCase(
            N_("a hidden (5, 6) batch, forward"),
            _layer_inputs((5, 6), _away_from_zero),
            _run_forward,
            shown=False,
        ),
        LayerCase(
            N_("a hidden (5, 6) batch, backward"),
            _layer_inputs((5, 6), _away_from_zero),
            _run_backward,
            exact=True,
            pure=False,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the gradient passes everywhere, even where x < 0, where ReLU's slope is 0 (a mask "
                "`out >= 0` does that: it is True everywhere, since ReLU never outputs a negative "
                "number). Take the mask from the input, `self.mask = x > 0`, in forward, and "
                "return `dout * self.mask`."
            ),
            _MaskFromOutput,
        ),
        Mistake(
            N_(
                "the gradient passes where x is exactly 0, and the lab sets ReLU's slope there "
                "to 0: the mask is `x > 0`, not `x >= 0`."
            ),
            _MaskAtZero,
        ),
        Mistake(
            N_(
                "backward must use dout: it returns dout where x > 0 and 0 elsewhere, "
                "`dout * self.mask`. (Ignoring dout only looks right when dout is all ones.)"
            ),
            _ReLUIgnoresDout,
        ),
        Mistake(
            N_(
                "your backward lets the gradient through where the input was negative and stops it "
                "where the input was positive: the mask is the wrong way round. The gradient must "
                "pass where x > 0 and stop where x ≤ 0: `dout * self.mask` with `self.mask = x > 0`."
            ),
            _ReLUInverted,
        ),
        Mistake(
            N_(
                "your backward keeps dout where dout > 0 and gives 0 where dout ≤ 0, whatever x "
                "was: that applies ReLU to dout (`np.maximum(0, dout)`). The mask comes from the "
                "input: the gradient passes where x > 0, `dout * self.mask` with "
                "`self.mask = x > 0`."
            ),
            _ReLUOnDout,
        ),
        Mistake(
            N_(
                "that multiplies dout by ReLU(x), the layer's output; ReLU's slope is 1 where "
                "x > 0 and 0 elsewhere, so backward is `dout * self.mask`."
            ),
            _ReLUTimesInput,
        ),
        Mistake(
            N_(
                "forward must not change the caller's x: `x[x <= 0] = 0` writes into it. Build a new "
                "array, `np.maximum(0, x)` or `out = x.copy()` first."
            ),
            _ReLUInPlace,
        ),
        Mistake(
            N_(
                "that multiplies dout by x, the input; ReLU's slope is 1 where x > 0 and 0 "
                "elsewhere, so backward is `dout * self.mask`."
            ),
            _ReLUTimesX,
        ),
        Mistake(
            N_(
                "your backward also stops dout where dout < 0 (a `dout > 0` in the mask): the "
                "mask comes from x alone, `dout * (self.x > 0)`; a negative dout passes through "
                "where x > 0."
            ),
            _ReLUMaskOfDoutToo,
        ),
        Mistake(
            N_(
                "forward returns the mask x > 0 (True or False), not ReLU(x): return "
                "`np.maximum(0, x)` and keep the mask for backward."
            ),
            _ReLUReturnsMask,
        ),
        Mistake(
            N_(
                "`np.minimum(0, x)` keeps the negative part; ReLU keeps the positive part, "
                "`np.maximum(0, x)`."
            ),
            _ReLUMinimum,
        ),
        Mistake(
            N_("forward gives 0.01·x for x ≤ 0, a leaky ReLU; ReLU gives 0 there."),
            _ReLULeaky,
        ),
        Mistake(
            N_(
                "`np.max(0, x)` reads x as the axis to take a maximum along; the larger of 0 and "
                "each value is `np.maximum(0, x)`."
            ),
            _ReLUMaxWithAxis,
        ),
        Mistake(
            N_(
                "backward uses the mask of the first forward, not of the latest: set "
                "`self.mask = x > 0` in every forward."
            ),
            _ReLUFirstMask,
        ),
    ),
    error_hints=(
        _ATTRIBUTES,
        ErrorHint(
            r"'NoneType' object",
            N_(
                "forward must remember what backward needs (e.g. "
                "`self.mask = x > 0`) before backward is called."
            ),
        ),
    ),
)

# class Tanh


class _TanhFromInput(Tanh):
    def forward(self, x):
        self.x = x
        return np.tanh(x)

    def backward(self, dout):
        return dout * (1 - self.x**2)


class _TanhSigmoidRule(Tanh):
    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class _TanhIgnoresDout(Tanh):
    def backward(self, dout):
        return 1 - self.out**2


class _TanhPrecedence(Tanh):
    def backward(self, dout):
        return dout * (1 - self.out) ** 2


class _TanhNoSquare(Tanh):
    def backward(self, dout):
        return dout * (1 - self.out)


class _TanhPlus(Tanh):
    def backward(self, dout):
        return dout * (1 + self.out**2)


class _TanhSech(Tanh):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout / np.cosh(self.x)


_TanhTimesTwo = _slip(Tanh, backward=lambda layer, dout: dout * (1 - layer.out * 2))
_TanhDoutPrecedence = _slip(Tanh, backward=lambda layer, dout: dout * 1 - layer.out**2)
_TanhDivides = _slip(Tanh, backward=lambda layer, dout: dout / (1 - layer.out**2))
_TanhIsSigmoid = _slip(Tanh, forward=sigmoid)


class _TanhByExp(Tanh):
    def forward(self, x):
        self.out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
        return self.out


tanh_exercise = Exercise(
    id="lab2.Tanh",
    receives=N_("a class Tanh"),
    reference=Tanh,
    is_class=True,
    cases=(
        LayerCase(
            N_("forward on a (3, 4) batch"),
            _layer_inputs((3, 4), scale=1.5),
            _run_forward,
            explain=_NO_WEIGHTS,
        ),
        LayerCase(
            N_("forward far from zero (±1000)"),
            lambda rng: {"x": np.array([[-1000.0, -20.0, 0.0, 20.0, 1000.0]])},
            _run_forward,
        ),
        LayerCase(
            N_("backward(dout) on a (3, 4) batch"),
            _layer_inputs((3, 4), scale=1.5),
            _run_backward,
            exact=True,
            pure=False,
            explain={"backward(dout)": _DX},
        ),
        LayerCase(
            N_("backward after two forwards: it must use the latest x"),
            _layer_inputs((2, 5), scale=1.5),
            _run_latest,
            exact=True,
            pure=False,
        ),
        LayerCase(
            N_("a hidden (4, 6) batch, backward"),
            _layer_inputs((4, 6), scale=2.0),
            _run_backward,
            exact=True,
            pure=False,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the derivative of tanh is 1 - y**2 with y = tanh(x), the output; 1 - x**2 uses the "
                "input instead. Keep the output in forward (`self.out = np.tanh(x)`) and use it in "
                "backward: `dout * (1 - self.out ** 2)`."
            ),
            _TanhFromInput,
        ),
        Mistake(
            N_("y * (1 - y) is the sigmoid's derivative; tanh's is 1 - y**2."), _TanhSigmoidRule
        ),
        Mistake(
            N_(
                "backward must multiply by dout: `dout * (1 - self.out ** 2)`. (Ignoring dout only "
                "looks right when dout is all ones.)"
            ),
            _TanhIgnoresDout,
        ),
        Mistake(
            N_(
                "`(1 - y) ** 2` squares the difference; the derivative is `1 - y ** 2`, the square "
                "of y subtracted from 1."
            ),
            _TanhPrecedence,
        ),
        Mistake(
            N_(
                "the derivative of tanh is 1 − y², with y squared: `1 - y` leaves out the "
                "square. Use `dout * (1 - self.out ** 2)`."
            ),
            _TanhNoSquare,
        ),
        Mistake(
            N_(
                "this is dout * (1 + y²): the derivative of tanh is 1 − y², y² subtracted from 1, "
                "not added: `dout * (1 - self.out ** 2)`."
            ),
            _TanhPlus,
        ),
        Mistake(
            N_(
                "1 / cosh(x) is sech(x); the derivative of tanh is sech²(x) = 1 / cosh(x)², "
                "which is 1 − y² with y = tanh(x)."
            ),
            _TanhSech,
        ),
        Mistake(
            N_(
                "(e^x - e^-x) / (e^x + e^-x) is tanh on paper, but np.exp(1000) is inf and inf / inf "
                "is nan. `np.tanh(x)` is exact for every x."
            ),
            _TanhByExp,
        ),
        Mistake(
            N_(
                "`self.out * 2` doubles y; the square is `self.out ** 2`: "
                "`dout * (1 - self.out ** 2)`."
            ),
            _TanhTimesTwo,
        ),
        Mistake(
            N_(
                "`dout * 1 - y ** 2` is (dout · 1) − y²: the slope needs parentheses, "
                "`dout * (1 - y ** 2)`."
            ),
            _TanhDoutPrecedence,
        ),
        Mistake(
            N_(
                "that is dout / (1 − y²), which is dout · cosh²(x): the slope of tanh, 1 − y² "
                "= 1 / cosh²(x), multiplies dout: `dout * (1 - self.out ** 2)`."
            ),
            _TanhDivides,
        ),
        Mistake(
            N_("forward computes the sigmoid, 1 / (1 + e^(−x)); this layer is tanh, `np.tanh(x)`."),
            _TanhIsSigmoid,
        ),
        backward_at_output(Tanh, "tanh"),
    ),
    error_hints=(_ATTRIBUTES, STATE_HINTS[1]),
)

# class Softmax


class _SoftmaxDiagonal(Softmax):
    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class _SoftmaxIgnoresDout(Softmax):
    def backward(self, dout):
        return self.out * (1 - self.out)


class _SoftmaxMinusDout(Softmax):  # SoftmaxWithLoss's y − t, with dout in t's place
    def backward(self, dout):
        return self.out - dout


class _SoftmaxWithoutY(Softmax):
    def backward(self, dout):
        return dout - np.sum(dout * self.out, axis=1, keepdims=True)


class _SoftmaxAxis0(Softmax):
    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=0, keepdims=True))


class _SoftmaxUnweightedSum(Softmax):
    def backward(self, dout):
        return self.out * (dout - np.sum(dout, axis=1, keepdims=True))


class _SoftmaxSumOverBatch(Softmax):
    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y))


class _SoftmaxSumNotTimesY(Softmax):
    def backward(self, dout):
        y = self.out
        return dout * y - np.sum(dout * y, axis=1, keepdims=True)


class _SoftmaxSumOfY(Softmax):
    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(y, axis=1, keepdims=True))


class _SoftmaxNoKeepdims(Softmax):
    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=1))


class _SoftmaxNaive(Softmax):
    def forward(self, x):
        e = np.exp(x)
        self.out = e / e.sum(axis=1, keepdims=True)
        return self.out


class _SoftmaxWholeBatch(Softmax):
    def forward(self, x):
        e = np.exp(x - x.max())
        self.out = e / e.sum()
        return self.out


def _weighted_sum(dout, y):
    return np.sum(dout * y, axis=1, keepdims=True)


def _softmax_down_columns(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


_SoftmaxColumns = _slip(Softmax, forward=_softmax_down_columns)
_SoftmaxUnnormalised = _slip(Softmax, forward=np.exp)
_SoftmaxSumWithX = _slip(
    Softmax, backward=lambda layer, dout: layer.out * (dout - _weighted_sum(dout, layer.x))
)
_SoftmaxOuterX = _slip(
    Softmax, backward=lambda layer, dout: layer.x * (dout - _weighted_sum(dout, layer.out))
)
_SoftmaxPlus = _slip(
    Softmax, backward=lambda layer, dout: layer.out * (dout + _weighted_sum(dout, layer.out))
)
_SoftmaxMean = _slip(
    Softmax,
    backward=lambda layer, dout: (
        layer.out * (dout - np.mean(dout * layer.out, axis=1, keepdims=True))
    ),
)
_SoftmaxYOnSumOnly = _slip(
    Softmax, backward=lambda layer, dout: dout - layer.out * _weighted_sum(dout, layer.out)
)

_KEEPDIMS = N_(
    "`np.sum(dout * y, axis=1)` has shape (N,), which NumPy lines up with the columns of "
    "(N, C), not its rows. Keep the axis: `np.sum(dout * y, axis=1, keepdims=True)`, shape "
    "(N, 1)."
)

softmax_exercise = Exercise(
    id="lab2.Softmax",
    receives=N_("a class Softmax"),
    reference=Softmax,
    forms=forms.SOFTMAX_LAYER,
    is_class=True,
    cases=(
        LayerCase(
            N_("forward on a (2, 3) batch"),
            _layer_inputs((2, 3), scale=2.0),
            _run_forward,
            explain={
                "forward(x)": N_("each row is one sample's probabilities and sums to 1"),
                **_NO_WEIGHTS,
            },
        ),
        LayerCase(
            N_("forward on scores around ±1000"),
            lambda rng: {"x": np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0]])},
            _run_forward,
        ),
        LayerCase(
            N_("backward(dout) on a (2, 3) batch"),
            _layer_inputs((2, 3), scale=2.0),
            _run_backward,
            exact=True,
            pure=False,
            explain={"backward(dout)": _DX},
        ),
        LayerCase(
            N_("backward(dout) on a (4, 5) batch"),
            _layer_inputs((4, 5), scale=2.0),
            _run_backward,
            exact=True,
            pure=False,
        ),
        LayerCase(
            N_("backward after two forwards: it must use the latest x"),
            _layer_inputs((3, 4), scale=2.0),
            _run_latest,
            exact=True,
            pure=False,
        ),
        LayerCase(
            N_("a hidden (5, 3) batch, backward"),
            _layer_inputs((5, 3), scale=3.0),
            _run_backward,
            exact=True,
            pure=False,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "dout * y * (1 - y) keeps only the diagonal of the Jacobian: it treats y_k as if it "
                "depended on x_k alone. Every y_j depends on every x_k through the shared "
                "denominator, which adds the sum term: dx = y * (dout - np.sum(dout * y, axis=1, "
                "keepdims=True))."
            ),
            _SoftmaxDiagonal,
        ),
        Mistake(
            N_(
                "backward must use dout, and every output depends on every input: "
                "dx = y * (dout - np.sum(dout * y, axis=1, keepdims=True))."
            ),
            _SoftmaxIgnoresDout,
        ),
        Mistake(
            N_(
                "y − dout is Softmax-with-Loss's y − t with dout in t's place; that shortcut "
                "holds only when the loss is cross entropy. Softmax alone passes dout back "
                "through its Jacobian: dx = y * (dout - np.sum(dout * y, axis=1, keepdims=True))."
            ),
            _SoftmaxMinusDout,
        ),
        Mistake(
            N_(
                "the factor y is missing: dx = y * (dout - s), with s = np.sum(dout * y, axis=1, "
                "keepdims=True); `dout - s` alone leaves out the outer y."
            ),
            _SoftmaxWithoutY,
        ),
        Mistake(
            N_(
                "the sum runs over the classes of one sample, along each row: `axis=1` (axis 0 mixes "
                "different samples)."
            ),
            _SoftmaxAxis0,
        ),
        Mistake(
            N_(
                "the sum is weighted by the probabilities: sum_j dout_j * y_j, i.e. "
                "`np.sum(dout * y, axis=1, keepdims=True)`."
            ),
            _SoftmaxUnweightedSum,
        ),
        Mistake(
            N_(
                "`np.sum(dout * y)` without an axis adds up the whole batch; the sum runs over "
                "the classes of one sample: `np.sum(dout * y, axis=1, keepdims=True)`."
            ),
            _SoftmaxSumOverBatch,
        ),
        Mistake(
            N_(
                "the sum term is multiplied by y too: dx = y * (dout - s) = dout * y - y * s, with "
                "s = np.sum(dout * y, axis=1, keepdims=True); `dout * y - s` leaves out that y."
            ),
            _SoftmaxSumNotTimesY,
        ),
        Mistake(
            N_(
                "this is y * (dout − 1): the sum term here is `np.sum(y, axis=1, keepdims=True)`, "
                "which is 1 in every row (the probabilities add up to 1), or a 1 written in its "
                "place. The sum is weighted by dout: `np.sum(dout * y, axis=1, keepdims=True)`."
            ),
            _SoftmaxSumOfY,
        ),
        Mistake(_KEEPDIMS, _SoftmaxNoKeepdims),
        Mistake(
            N_(
                "np.exp overflows to inf above about 709, and inf / inf is nan. Subtract each row's "
                "largest score first, `x - x.max(axis=1, keepdims=True)` (or use `softmax` from "
                "nnscratch)."
            ),
            _SoftmaxNaive,
        ),
        Mistake(
            N_(
                "each row is one sample and sums to 1 on its own: take the max and the sum along "
                "`axis=1, keepdims=True`, not over the whole batch."
            ),
            _SoftmaxWholeBatch,
        ),
        Mistake(
            N_(
                "each row must sum to 1: divide by each row's sum, `e.sum(axis=1, keepdims=True)`; "
                "`axis=0` divides each column by its sum instead."
            ),
            _SoftmaxColumns,
        ),
        Mistake(
            N_(
                "forward returns e^x, not divided by each row's sum: softmax is "
                "`e / e.sum(axis=1, keepdims=True)` (with each row's max subtracted first)."
            ),
            _SoftmaxUnnormalised,
        ),
        Mistake(
            N_(
                "the sum is weighted by y, the probabilities, not by x, the scores: "
                "`np.sum(dout * self.out, axis=1, keepdims=True)`."
            ),
            _SoftmaxSumWithX,
        ),
        Mistake(
            N_(
                "the factor in front is y, the probabilities, not x, the scores: "
                "dx = y * (dout − s)."
            ),
            _SoftmaxOuterX,
        ),
        Mistake(
            N_(
                "this is y * (dout + s): the weighted sum is subtracted, dx = y * (dout − s), "
                "with s = np.sum(dout * y, axis=1, keepdims=True)."
            ),
            _SoftmaxPlus,
        ),
        Mistake(
            N_(
                "`np.mean` divides the weighted sum by C; it is a plain sum, "
                "`np.sum(dout * y, axis=1, keepdims=True)`."
            ),
            _SoftmaxMean,
        ),
        Mistake(
            N_(
                "this is dout − y · s: y multiplies dout as well, dx = y * (dout − s) = "
                "y * dout − y * s."
            ),
            _SoftmaxYOnSumOnly,
        ),
        backward_at_output(Softmax, "softmax"),
    ),
    error_hints=(
        _ATTRIBUTES,
        ErrorHint(ONE_PER_ROW, _KEEPDIMS),
        STATE_HINTS[1],
    ),
)

EXERCISES = (numerical_backward_exercise, relu_exercise, tanh_exercise, softmax_exercise)


# --- A layer derived by hand (issue 13) ----------------------------------------------------
# Appended below the lab's first entries so that edits to those stay separate.


class _ELUForward:
    """ELU with α = 1: y = x where x > 0, eˣ − 1 elsewhere. Forward only: the oracle derives
    backward by numbers."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


class _ELU(_ELUForward):
    """The analytic backward: slope 1 for x > 0, eˣ = y + 1 elsewhere."""

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return super().forward(x)

    def backward(self, dout):
        return dout * np.where(self.x > 0, 1.0, np.exp(np.minimum(self.x, 0)))


_ELU.__name__ = _ELU.__qualname__ = "ELU"


class _ELUWithoutMinusOne(_ELU):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return np.where(x > 0, x, np.exp(np.minimum(x, 0)))


def _elu_variant(negative_slope, positive_slope=lambda x, y: np.ones_like(x), use_dout=True):
    """An ELU whose backward uses the given slopes, functions of (x, y), on each side of 0."""

    class Variant(_ELUForward):
        def forward(self, x):
            self.x = x
            self.out = super().forward(x)
            return self.out

        def backward(self, dout):
            x, y = self.x, self.out
            slope = np.where(x > 0, positive_slope(x, y), negative_slope(x, y))
            return dout * slope if use_dout else slope

    return Variant


def _elu_forward(positive, negative):
    """An ELU whose forward gives positive(x) where x > 0 and negative(x) elsewhere."""

    class Variant(_ELU):
        def forward(self, x):
            self.x = np.asarray(x, dtype=float)
            return np.where(x > 0, positive(x), negative(x))

    return Variant


class _ELUByMaximum(_ELU):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return np.maximum(x, np.exp(x) - 1)


elu_exercise = Exercise(
    id="lab2.ELU",
    receives=N_("a class ELU"),
    reference=_ELU,
    is_class=True,
    cases=(
        LayerCase(
            N_("forward on a (2, 4) batch"),
            _layer_inputs((2, 4), _away_from_zero),
            _run_forward,
            explain={"params": _ATTRIBUTES.hint, "grads": _ATTRIBUTES.hint},
        ),
        LayerCase(
            N_("backward on a (3, 4) batch"),
            _layer_inputs((3, 4), _away_from_zero),
            _run_backward,
            exact=True,
            explain={"backward(dout)": _DX},
        ),
        LayerCase(
            N_("backward uses the latest forward's input"),
            _layer_inputs((2, 3), _away_from_zero),
            _run_latest,
            exact=True,
        ),
        LayerCase(
            N_("hidden: backward on a (5, 6) batch"),
            _layer_inputs((5, 6), _away_from_zero),
            _run_backward,
            exact=True,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_("that is ReLU's backward: for x ≤ 0, ELU is eˣ − 1, which still has a slope."),
            _elu_variant(lambda x, y: np.zeros_like(x)),
        ),
        Mistake(
            N_(
                "for x ≤ 0 the slope of eˣ − 1 is eˣ, which is y + 1, not y: the −1 is a "
                "constant and drops out of the derivative, but y still contains it."
            ),
            _elu_variant(lambda x, y: y),
        ),
        Mistake(
            N_(
                "for x > 0, ELU is x itself, whose slope is 1; eˣ is the slope on the other side only."
            ),
            _elu_variant(lambda x, y: np.exp(x), lambda x, y: np.exp(x)),
        ),
        Mistake(
            N_(
                "for x > 0, ELU is x itself, whose slope is 1, not x: the slope there is "
                "`np.where(self.x > 0, 1, ...)`."
            ),
            _elu_variant(lambda x, y: np.exp(x), lambda x, y: x),
        ),
        Mistake(
            N_(
                "for x ≤ 0, ELU is eˣ − 1, not eˣ: without the −1 it jumps from 1 down to 0 at "
                "x = 0 (the −1 makes it meet the line y = x there)."
            ),
            _ELUWithoutMinusOne,
        ),
        Mistake(
            N_("backward must multiply the local slope by the upstream gradient `dout`."),
            _elu_variant(lambda x, y: y + 1, use_dout=False),
        ),
        Mistake(
            N_(
                "the slope y + 1 = eˣ holds for x ≤ 0 only; for x > 0, ELU is x itself, whose "
                "slope is 1."
            ),
            _elu_variant(lambda x, y: y + 1, lambda x, y: y + 1),
        ),
        Mistake(
            N_("for x ≤ 0 the slope of eˣ − 1 is eˣ = y + 1, not y − 1."),
            _elu_variant(lambda x, y: y - 1),
        ),
        Mistake(
            N_("for x ≤ 0 this gives dout · x; the slope of eˣ − 1 there is eˣ."),
            _elu_variant(lambda x, y: x),
        ),
        Mistake(
            N_(
                "the two sides are swapped in backward: the slope is 1 where x > 0 and eˣ "
                "where x ≤ 0, `np.where(self.x > 0, 1, np.exp(self.x))`."
            ),
            _elu_variant(lambda x, y: np.ones_like(x), lambda x, y: np.exp(x)),
        ),
        Mistake(
            N_(
                "the two sides are swapped: ELU is x where x > 0 and eˣ − 1 where x ≤ 0, "
                "`np.where(x > 0, x, np.exp(x) - 1)`."
            ),
            _elu_forward(lambda x: np.exp(x) - 1, lambda x: x),
        ),
        Mistake(
            N_(
                "forward gives eˣ − 1 everywhere, also where x > 0, where ELU is x itself "
                "(`np.maximum(x, np.exp(x) - 1)` does that too, since eˣ − 1 ≥ x): choose by "
                "the sign of x, `np.where(x > 0, x, np.exp(x) - 1)`."
            ),
            _ELUByMaximum,
        ),
        Mistake(
            N_("`np.exp(x - 1)` is e^(x − 1); ELU is `np.exp(x) - 1` for x ≤ 0."),
            _elu_forward(lambda x: x, lambda x: np.exp(x - 1)),
        ),
        Mistake(
            N_("for x ≤ 0, ELU is eˣ − 1, not 1 − eˣ (which is its negative)."),
            _elu_forward(lambda x: x, lambda x: 1 - np.exp(x)),
        ),
        Mistake(
            N_("forward gives 0.01·x for x ≤ 0, a leaky ReLU; ELU gives eˣ − 1 there."),
            _elu_forward(lambda x: x, lambda x: 0.01 * x),
        ),
        backward_at_output(_ELU, "ELU"),
    ),
    error_hints=(_ATTRIBUTES, STATE_HINTS[1]),
)

POINTS["lab2.ELU"] = 2
EXERCISES += (elu_exercise,)
