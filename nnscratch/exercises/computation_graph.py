"""Chapter 5 exercises: the computation-graph nodes Add, Mul, Repeat, Sum and MatMul.

Every backward is judged against the reference nodes (nnscratch.nodes), which
tests/test_nodes.py proves equal to numerical gradients. Each case copies dout before
handing it over, so a backward that reuses dout in place is accepted, while a forward
that changes its input x is still caught.
"""

import numpy as np

from nnscratch.exercises.predictions import prediction
from nnscratch.i18n import N_, Phrase
from nnscratch.nodes import Add, MatMul, Mul, Repeat, Sum
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake

# Hints shared with the backprop exercises: one wording per mistake.
HINTS = {
    "dout ignored": N_(
        "backward must multiply by the upstream gradient `dout`: the chain rule is "
        "upstream gradient × local derivative. Without it the result is only right "
        "when dout happens to be 1."
    ),
    "rebound": N_(
        "`self.grads[0] = dW` makes grads[0] a new array, so every list that shares the old "
        "one (a model's gathered grads, the optimizer's) still holds zeros. Write into the "
        "existing array instead: `self.grads[0][...] = dW`."
    ),
    "accumulated": N_(
        "grads[0] must hold the gradient of the latest backward only: overwrite it with "
        "`self.grads[0][...] = dW`, don't add to it with `+=` (summing belongs to one "
        "backward pass, where a value used twice adds its gradients)."
    ),
    "dW transposed": N_(
        "dW must have W's shape (D, H): `dW = x.T @ dout`. `dout.T @ x` is its "
        "transpose, (H, D), which goes unnoticed only when W is square."
    ),
    "dW like x": N_(
        "that is the formula for dx. dW has W's shape (D, H): `dW = x.T @ dout`, (D, N) @ (N, H)."
    ),
    "dW dout x.T": N_(
        "dW has W's shape (D, H): `dW = x.T @ dout`, (D, N) @ (N, H). `dout @ x.T` "
        "multiplies in the other order, (N, H) @ (D, N), which fits only by chance."
    ),
    "dx no transpose": N_("dx must have x's shape (N, D): `dx = dout @ W.T`, (N, H) @ (H, D)."),
    "dW x dout": N_(
        "dW has W's shape (D, H): `dW = x.T @ dout`, (D, N) @ (N, H). `x @ dout` puts x's "
        "columns against dout's rows, which fits only by chance."
    ),
    "dx W.T dout": N_(
        "dx must have x's shape (N, D): `dx = dout @ W.T`, (N, H) @ (H, D). `W.T @ dout` "
        "multiplies in the other order, which fits only by chance."
    ),
    "keepdims": N_(
        "`np.sum(..., axis=0)` drops the summed axis and gives shape (D,); add "
        "`keepdims=True` to keep the row shape (1, D)."
    ),
    "last copy": N_(
        "only the last copy's gradient survived: a loop that writes `dx = dout[n]` "
        "replaces instead of adding. The copies' gradients must be summed "
        "(`dx += dout[n]`, or `np.sum(dout, axis=0, keepdims=True)`)."
    ),
    "first copy": N_(
        "only one copy's gradient was used; x was copied N times and each copy sends "
        "a gradient back, so sum them all: `np.sum(dout, axis=0, keepdims=True)`."
    ),
    "mean not sum": N_(
        "each copy passes its gradient back unchanged and the copies' gradients add "
        "up: sum over the rows, don't average (averaging divides by N)."
    ),
    "stored state": N_(
        "backward can only use what forward kept on `self`: store the values it "
        "will need (e.g. `self.x = x`) during forward."
    ),
}

STATE_HINTS = (
    ErrorHint(
        r"has no attribute '(grads|params)'",
        N_("set `self.params = [W]` and `self.grads = [np.zeros_like(W)]` in `__init__`."),
    ),
    # The learner's own object lacks what forward should have stored (not a list or an array).
    ErrorHint(
        r"AttributeError: '(?!NoneType|list|tuple|dict|int|float|ndarray)\w+' object has no "
        r"attribute|AttributeError: 'NoneType' object has no attribute 'T'|"
        r"unsupported operand type\(s\) for (\*\* or pow\(\)|[-+*/@]): "
        r"('NoneType'|'\w+' and 'NoneType')",
        HINTS["stored state"],
    ),
)

# STATE_HINTS[0] names MatMul's one weight array; a node or layer without weights (Add, Mul,
# Repeat, Sum, Chapter 6's Sigmoid) is told what is true of it instead.
NO_WEIGHT_STATE_HINTS = (
    ErrorHint(
        STATE_HINTS[0].pattern,
        N_(
            "with no weights there is nothing to learn, but both lists must still exist: set "
            "`self.params = []` and `self.grads = []` in `__init__`."
        ),
    ),
    STATE_HINTS[1],
)

SHOWN_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}  # accepts float32 arithmetic


def _fresh(value):
    """A private copy of dout, so a backward that reuses dout in place harms nobody."""
    return value.copy() if isinstance(value, np.ndarray) else value


# A linear node's central difference is exact but for rounding, about 1e-13 on values near 1: too
# close to the formula to tell apart. On values of about 10⁶, v + h is rounded by up to 1e-10, so
# a finite difference misses by about 1e-10 / h, while the formula (dout, dout * y, x.T @ dout, a
# sum) stays right to rounding. Measured over 20 seeds, h from 1e-2 to 1e-7, central and forward
# differences, numerical_backward and element-wise: every finite difference misses the exact
# tolerance (Case.exact) by a factor of 4000 (Mul) or more; right forms (x.T @ dout, np.dot,
# einsum, Python loops, (dout.T @ x).T, ones @ dout) use at most 0.01 of it over 300 random shapes.
# Through the grader (seeds 0-7, tests/test_grader_exact.py's answers), the factor is at least
# 1.3e4 for Add, Mul, Repeat, Sum and MatMul, 28 for Affine's dW (PRODUCT_SCALE), and right
# forms use at most 0.001 of the tolerance.
LARGE_SCALE = 1e6
# Where two scaled arrays are multiplied (MatMul, Affine), 10³ each: the sum(forward(x) * dout)
# that a finite difference nudges is then about 10⁷, whose rounding (1e-9) still shows in dx and
# dW, but not so large that a nudge of b by h = 1e-7 vanishes in it (db would come out all
# zeros, like an Affine that never fills grads[1]).
PRODUCT_SCALE = 3e3
# Loose enough for a finite difference with h down to about 1e-5 to be told how close it came
# (an observation), and for a known mistake, which is off by far more, to be recognised.
LARGE_TOLERANCE = {"rtol": 1e-3, "atol": 1e-6}
LARGE_CASE = N_(
    "hidden: values of about 10⁶, where a numerical difference falls short of the formula"
)


def large_values(make, names, scale=LARGE_SCALE):
    """Inputs from make(rng), the arrays `names` scaled to about 10⁶ (and not round numbers)."""

    def large(rng):
        inp = make(rng)
        for name in names:
            jitter = np.round(rng.uniform(-1, 1, size=np.shape(inp[name])), 2)
            inp[name] = inp[name] * scale + jitter
        return inp

    return large


# Add and Mul: forward(x, y), backward(dout) -> (dx, dy)


def _two_inputs(shape, decimals=1, zeros=False):
    """zeros: a few inputs exactly 0, where a gradient recovered by dividing z by x is NaN."""

    def make(rng):
        if shape == ():
            return {"x": 2.0, "y": 3.0, "dout": 1.5}
        draw = lambda: np.round(rng.uniform(-3, 3, size=shape), decimals)
        inp = {"x": draw(), "y": draw(), "dout": draw()}
        if zeros:
            inp["x"].flat[::7] = 0.0
            inp["y"].flat[3::7] = 0.0
        return inp

    return make


def _run_two(cls, inp):
    node = cls()
    z = _fresh(node.forward(inp["x"], inp["y"]))  # before backward can change it in place
    grads = node.backward(_fresh(inp["dout"]))
    pair = isinstance(grads, (tuple, list)) and len(grads) == 2
    out = {"forward(x, y)": z, N_("backward returns a pair (dx, dy)"): pair}
    if pair:
        out["dx"], out["dy"] = grads
    return out


_PAIR = {N_("backward returns a pair (dx, dy)"): N_("end backward with `return dx, dy`")}


def _with_pair_before(make):
    """make's inputs, and another pair x_before, y_before for a first forward."""

    def both(rng):
        inp = make(rng)
        before = make(rng)
        return {**inp, "x_before": before["x"], "y_before": before["y"]}

    return both


def _run_two_latest(cls, inp):
    """forward on one pair, then on another, then backward: all for the latest pair (a node
    that kept the first pair's x and y gives the first pair's gradients)."""
    node = cls()
    node.forward(inp["x_before"], inp["y_before"])
    z = _fresh(node.forward(inp["x"], inp["y"]))
    grads = node.backward(_fresh(inp["dout"]))
    pair = isinstance(grads, (tuple, list)) and len(grads) == 2
    out = {"forward(x, y)": z, N_("backward returns a pair (dx, dy)"): pair}
    if pair:
        out["dx"], out["dy"] = grads
    return out


_LATEST_PAIR = N_(
    "forward on one pair x, y, then on another, then backward: all for the latest pair"
)


def _two_input_cases(op):
    return (
        Case(
            N_("scalars: x = 2, y = 3, upstream dout = 1.5"),
            _two_inputs(()),
            _run_two,
            explain=_PAIR,
        ),
        Case(
            Phrase(N_("(2, 3) arrays, {op} element by element"), op=Phrase(op)),
            _two_inputs((2, 3)),
            _run_two,
            explain=_PAIR,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden (4, 5) arrays, a few entries exactly 0"),
            _two_inputs((4, 5), decimals=3, zeros=True),
            _run_two,
            shown=False,
            explain=_PAIR,
            **SHOWN_TOLERANCE,
        ),
        Case(
            LARGE_CASE,
            large_values(_two_inputs((3, 4), decimals=2), ("x", "y")),
            _run_two,
            shown=False,
            explain=_PAIR,
            exact=("dx", "dy"),
            **LARGE_TOLERANCE,
        ),
    )


class _AddIgnoresDout(Add):
    def backward(self, dout):
        return np.ones_like(dout), np.ones_like(dout)


class _AddSplitsDout(Add):
    def backward(self, dout):
        return dout / 2, dout / 2


class _MulNotSwapped(Mul):
    def backward(self, dout):
        return dout * self.x, dout * self.y


class _MulYTwice(Mul):
    def backward(self, dout):
        return dout * self.y, dout * self.y


class _MulIgnoresDout(Mul):
    def backward(self, dout):
        return self.y, self.x


class _MulLikeAdd(Mul):
    def backward(self, dout):
        return dout, dout


class _AddForwardMultiplies(Add):
    def forward(self, x, y):
        return x * y


class _MulForwardAdds(Mul):
    def forward(self, x, y):
        super().forward(x, y)
        return x + y


class _AddMulRule(Mul):
    def forward(self, x, y):
        super().forward(x, y)
        return x + y


add_exercise = Exercise(
    id="graph.Add",
    receives=N_("a class Add with forward(x, y) and backward(dout)"),
    reference=Add,
    is_class=True,
    cases=_two_input_cases(N_("added")),
    mistakes=(
        Mistake(
            Phrase(
                N_("{hint} For Add, dz/dx = dz/dy = 1, so `return dout, dout`."),
                hint=Phrase(HINTS["dout ignored"]),
            ),
            _AddIgnoresDout,
        ),
        Mistake(
            N_(
                "that is Mul's rule. For z = x + y the local derivatives are both 1, so Add "
                "passes dout unchanged: `return dout, dout`."
            ),
            _AddMulRule,
        ),
        Mistake(
            N_("Add's forward returns the sum, `x + y`, not the product."), _AddForwardMultiplies
        ),
        Mistake(
            N_(
                "dx and dy are each half of dout: an Add node does not share dout between its "
                "inputs; each local derivative is 1, so each input gets all of it, "
                "`return dout, dout`."
            ),
            _AddSplitsDout,
        ),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

mul_exercise = Exercise(
    id="graph.Mul",
    receives=N_("a class Mul with forward(x, y) and backward(dout)"),
    reference=Mul,
    is_class=True,
    cases=_two_input_cases(N_("multiplied"))
    + (
        Case(
            _LATEST_PAIR,
            _with_pair_before(_two_inputs((2, 3))),
            _run_two_latest,
            explain=_PAIR,
            **SHOWN_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the inputs swap: dz/dx = y and dz/dy = x, so `dx = dout * self.y` and "
                "`dy = dout * self.x`."
            ),
            _MulNotSwapped,
        ),
        Mistake(
            Phrase(
                N_("{hint} For Mul: `return dout * self.y, dout * self.x`."),
                hint=Phrase(HINTS["dout ignored"]),
            ),
            _MulIgnoresDout,
        ),
        Mistake(
            N_(
                "that is Add's rule. For z = x * y, dz/dx = y: each input gets dout times "
                "the *other* input."
            ),
            _MulLikeAdd,
        ),
        Mistake(
            N_(
                "dy = dout * y multiplies by y itself: each input's local derivative is the "
                "*other* input, dz/dy = x, so `dy = dout * self.x`."
            ),
            _MulYTwice,
        ),
        Mistake(N_("Mul's forward returns the product, `x * y`, not the sum."), _MulForwardAdds),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

# Repeat(N): forward (1, D) -> (N, D), backward (N, D) -> (1, D)


def _repeat_inputs(N, D, decimals=0):
    def make(rng):
        return {
            "N": N,
            "x": np.round(rng.uniform(-5, 5, size=(1, D)), decimals),
            "dout": np.round(rng.uniform(-5, 5, size=(N, D)), decimals),
        }

    return make


def _run_repeat(cls, inp):
    node = cls(inp["N"])
    y = _fresh(node.forward(inp["x"]))  # before backward can change it in place
    return {"forward(x)": y, "dx": node.backward(_fresh(inp["dout"]))}


class _RepeatNoKeepdims(Repeat):
    def backward(self, dout):
        return np.sum(dout, axis=0)


class _RepeatMean(Repeat):
    def backward(self, dout):
        return np.mean(dout, axis=0, keepdims=True)


class _RepeatLast(Repeat):
    def backward(self, dout):
        return dout[-1:].copy()


class _RepeatFirst(Repeat):
    def backward(self, dout):
        return dout[:1].copy()


class _RepeatFlat(Repeat):
    def forward(self, x):
        return np.repeat(x, self.N)


class _RepeatTile(Repeat):
    def forward(self, x):
        return np.tile(x, self.N)


class _RepeatAxis1(Repeat):
    def forward(self, x):
        return np.repeat(x, self.N, axis=1)


class _RepeatSumAxis1(Repeat):
    def backward(self, dout):
        return np.sum(dout, axis=1, keepdims=True)


repeat_exercise = Exercise(
    id="graph.Repeat",
    receives=N_("a class Repeat with __init__(N), forward(x) and backward(dout)"),
    reference=Repeat,
    is_class=True,
    cases=(
        Case(N_("Repeat(3) on x (1, 4)"), _repeat_inputs(3, 4), _run_repeat),
        Case(N_("Repeat(1) on x (1, 2): one copy"), _repeat_inputs(1, 2), _run_repeat),
        Case(
            N_("hidden Repeat(6) on x (1, 5)"),
            _repeat_inputs(6, 5, decimals=3),
            _run_repeat,
            shown=False,
        ),
        Case(
            LARGE_CASE,
            large_values(_repeat_inputs(4, 3, decimals=2), ("x",)),
            _run_repeat,
            shown=False,
            exact=("dx",),
            **LARGE_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(HINTS["keepdims"], _RepeatNoKeepdims),
        Mistake(HINTS["mean not sum"], _RepeatMean),
        Mistake(HINTS["last copy"], _RepeatLast),
        Mistake(HINTS["first copy"], _RepeatFirst),
        Mistake(
            N_(
                "without `axis`, np.repeat flattens and repeats every element in place; "
                "`np.repeat(x, N, axis=0)` copies the whole row N times."
            ),
            _RepeatFlat,
        ),
        Mistake(
            N_(
                "`np.tile(x, N)` lays the copies side by side, (1, N·D); stack them as rows "
                "with `np.repeat(x, N, axis=0)`."
            ),
            _RepeatTile,
        ),
        Mistake(
            N_(
                "`np.repeat(x, N, axis=1)` repeats each value N times within the row, giving "
                "(1, N·D); the copies are rows: `np.repeat(x, self.N, axis=0)`, (N, D)."
            ),
            _RepeatAxis1,
        ),
        Mistake(
            N_(
                "`np.sum(dout, axis=1, ...)` adds across each row, the D values of one copy; the "
                "copies are the rows, so add them up: `np.sum(dout, axis=0, keepdims=True)`, "
                "(1, D)."
            ),
            _RepeatSumAxis1,
        ),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

# Sum(): forward (N, D) -> (1, D), backward (1, D) -> (N, D)


def _sum_inputs(N, D, decimals=0):
    def make(rng):
        return {
            "x": np.round(rng.uniform(-5, 5, size=(N, D)), decimals),
            "dout": np.round(rng.uniform(-5, 5, size=(1, D)), decimals),
        }

    return make


def _run_sum(cls, inp):
    node = cls()
    y = _fresh(node.forward(inp["x"]))  # before backward can change it in place
    return {"forward(x)": y, "dx": node.backward(_fresh(inp["dout"]))}


def _sum_inputs_before(N_before, N, D):
    """Sum's inputs for x (N, D), and an x_before (N_before, D) with other rows for a first
    forward."""

    def make(rng):
        before = _sum_inputs(N_before, D)(rng)
        return {**_sum_inputs(N, D)(rng), "x_before": before["x"]}

    return make


def _run_sum_latest(cls, inp):
    """forward on one x, then on another with fewer rows, then backward: dx has the latest
    x's shape (a node that kept the first N gives the first x's shape)."""
    node = cls()
    node.forward(inp["x_before"])
    y = _fresh(node.forward(inp["x"]))
    return {"forward(x)": y, "dx": node.backward(_fresh(inp["dout"]))}


class _SumNoKeepdims(Sum):
    def forward(self, x):
        super().forward(x)
        return np.sum(x, axis=0)


class _SumPassThrough(Sum):
    def backward(self, dout):
        return dout


class _SumMean(Sum):
    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0) / self.N


class _SumFlat(Sum):
    def backward(self, dout):
        return np.repeat(dout, self.N)


class _SumAxis1(Sum):
    def forward(self, x):
        super().forward(x)
        return np.sum(x, axis=1, keepdims=True)


class _SumRepeatAxis1(Sum):
    def backward(self, dout):
        return np.repeat(dout, self.N, axis=1)


sum_exercise = Exercise(
    id="graph.Sum",
    receives=N_("a class Sum with forward(x) and backward(dout)"),
    reference=Sum,
    is_class=True,
    cases=(
        Case(N_("Sum() on x (4, 3)"), _sum_inputs(4, 3), _run_sum),
        Case(N_("Sum() on x (1, 2): a single row"), _sum_inputs(1, 2), _run_sum),
        Case(N_("hidden Sum() on x (7, 5)"), _sum_inputs(7, 5, decimals=3), _run_sum, shown=False),
        Case(
            LARGE_CASE,
            large_values(_sum_inputs(3, 4, decimals=2), ("x",)),
            _run_sum,
            shown=False,
            exact=("dx",),
            **LARGE_TOLERANCE,
        ),
        Case(
            N_("Sum() on x (5, 3), then on x (2, 3), then backward: dx for the latest x"),
            _sum_inputs_before(5, 2, 3),
            _run_sum_latest,
        ),
    ),
    mistakes=(
        Mistake(HINTS["keepdims"], _SumNoKeepdims),
        Mistake(
            N_(
                "dx must have x's shape (N, D): every row of x was added with derivative 1, "
                "so each gets the upstream gradient: `np.repeat(dout, self.N, axis=0)` "
                "(remember N in forward)."
            ),
            _SumPassThrough,
        ),
        Mistake(
            N_(
                "Sum's local derivative is 1 for every row, so there is nothing to divide by "
                "(that would be the backward of a mean)."
            ),
            _SumMean,
        ),
        Mistake(
            N_(
                "without `axis`, np.repeat flattens; `np.repeat(dout, self.N, axis=0)` stacks "
                "N copies of the row."
            ),
            _SumFlat,
        ),
        Mistake(
            N_(
                "`np.sum(x, axis=1, ...)` adds the D values within each row; Sum adds the N rows "
                "together: `np.sum(x, axis=0, keepdims=True)`, (1, D)."
            ),
            _SumAxis1,
        ),
        Mistake(
            N_(
                "`np.repeat(dout, N, axis=1)` repeats each value within the row, giving "
                "(1, N·D); dx stacks N copies of the row: `np.repeat(dout, self.N, axis=0)`."
            ),
            _SumRepeatAxis1,
        ),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

# MatMul(W): params [W], grads [zeros_like(W)], forward x @ W, backward -> dx, dW in place


def _matmul_inputs(N, D, H, decimals=1):
    def make(rng):
        draw = lambda *shape: np.round(rng.uniform(-2, 2, size=shape), decimals)
        return {
            "x": draw(N, D),
            "W": draw(D, H),
            "dout": draw(N, H),
            "x2": draw(N, D),
            "dout2": draw(N, H),
            "W2": draw(D, H),
        }

    return make


def _run_matmul(cls, inp):
    W = inp["W"]
    node = cls(W)
    params_ok = isinstance(node.params, list) and len(node.params) == 1 and node.params[0] is W
    grads_at_start = node.grads[0]
    zeros_ok = (
        isinstance(grads_at_start, np.ndarray)
        and grads_at_start.shape == W.shape
        and not grads_at_start.any()
    )
    y = _fresh(node.forward(inp["x"]))  # before backward can change it in place
    dx = node.backward(_fresh(inp["dout"]))
    return {
        N_("params is [W] (the very array)"): params_ok,
        N_("grads[0] starts as zeros shaped like W"): zeros_ok,
        "forward(x)": y,
        "dx": dx,
        "dW (grads[0])": node.grads[0],
        N_("grads[0] is the same array after backward"): node.grads[0] is grads_at_start,
    }


def _run_matmul_twice(cls, inp):
    node = cls(inp["W"])
    grads_at_start = node.grads[0]
    node.forward(inp["x"])
    node.backward(_fresh(inp["dout"]))
    node.forward(inp["x2"])
    dx = node.backward(_fresh(inp["dout2"]))
    return {
        "dx": dx,
        N_("grads[0] after the second backward"): node.grads[0],
        N_("grads[0] is the same array after two backward calls"): node.grads[0] is grads_at_start,
    }


def _run_matmul_updated(cls, inp):
    """W changed in place between two rounds, as an optimizer changes it: the node must use
    the array in params, not a copy of it taken in __init__."""
    W = inp["W"].copy()
    node = cls(W)
    node.forward(inp["x"])
    node.backward(_fresh(inp["dout"]))
    W[...] = inp["W2"]  # what SGD's `params[i] -= lr * grads[i]` does to the node's W
    y = _fresh(node.forward(inp["x2"]))
    return {
        N_("forward(x) after W changed in place"): y,
        N_("dx after W changed in place"): node.backward(_fresh(inp["dout2"])),
    }


_IN_PLACE = N_("write into the array made in `__init__`: `self.grads[0][...] = dW`")
# Said of the case, not of the learner's code: it is shown whenever these outputs are wrong,
# whatever the reason (a copy of W is one; a wrong dx on every case is another).
_USES_PARAMS = N_(
    "this case changes W in place between the two rounds, as an optimizer does: forward and "
    "backward must compute with the changed array, the very W passed to `__init__`"
)
# The same for a layer with a weight and a bias (Affine, DecayAffine).
USES_PARAMS_WB = N_(
    "this case changes W and b in place between the two rounds, as an optimizer does: "
    "forward and backward must compute with the changed arrays, the very W and b passed to "
    "`__init__`"
)
_MATMUL_EXPLAIN = {
    N_("forward(x) after W changed in place"): _USES_PARAMS,
    N_("dx after W changed in place"): _USES_PARAMS,
    N_("params is [W] (the very array)"): N_(
        "store the array you were given, no copy: `self.params = [W]`"
    ),
    N_("grads[0] starts as zeros shaped like W"): N_(
        "in `__init__`: `self.grads = [np.zeros_like(W)]`"
    ),
    N_("grads[0] is the same array after backward"): _IN_PLACE,
    N_("grads[0] is the same array after two backward calls"): _IN_PLACE,
}


class _MatMulRebinds(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0] = self.x.T @ dout
        return dout @ W.T


class _MatMulKeepsCopy(MatMul):
    def __init__(self, W):
        super().__init__(W)
        self.W = W.copy()  # the copy the rounds use; params holds the array an optimizer changes

    def forward(self, x):
        self.x = x
        return x @ self.W

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        return dout @ self.W.T


class _MatMulAccumulates(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0] += self.x.T @ dout
        return dout @ W.T


class _MatMulTransposedDW(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = dout.T @ self.x
        return dout @ W.T


class _MatMulDWLikeX(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = dout @ W.T
        return dout @ W.T


class _MatMulDoutXT(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = dout @ self.x.T
        return dout @ W.T


class _MatMulNoTranspose(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout
        return dout @ W


class _MatMulXDout(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = self.x @ dout
        return dout @ W.T


class _MatMulDxOtherOrder(MatMul):
    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout
        return W.T @ dout


class _MatMulDxFromDW(MatMul):
    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        return dout @ self.grads[0].T  # dW where W belongs


class _MatMulGradsAreW(MatMul):
    def __init__(self, W):
        super().__init__(W)
        self.grads = [W]  # the weights themselves, not an array of their own


class _MatMulIgnoresDout(MatMul):
    def backward(self, dout):
        (W,) = self.params
        ones = np.ones_like(dout)
        self.grads[0][...] = self.x.T @ ones
        return ones @ W.T


matmul_exercise = Exercise(
    id="graph.MatMul",
    receives=N_("a class MatMul with __init__(W), forward(x) and backward(dout)"),
    reference=MatMul,
    is_class=True,
    cases=(
        Case(
            N_("MatMul(W) with W (3, 2), x (4, 3)"),
            _matmul_inputs(4, 3, 2),
            _run_matmul,
            explain=_MATMUL_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("a square W (3, 3), where a transposed dW keeps its shape"),
            _matmul_inputs(2, 3, 3),
            _run_matmul,
            explain=_MATMUL_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("two forward/backward rounds: the second overwrites grads[0]"),
            _matmul_inputs(3, 2, 4),
            _run_matmul_twice,
            explain=_MATMUL_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("W changed in place between two rounds, as an optimizer changes it"),
            _matmul_inputs(3, 2, 4),
            _run_matmul_updated,
            explain=_MATMUL_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden: W (4, 6), x (5, 4)"),
            _matmul_inputs(5, 4, 6, decimals=3),
            _run_matmul,
            shown=False,
            explain=_MATMUL_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            LARGE_CASE,
            large_values(_matmul_inputs(4, 3, 2, decimals=2), ("x", "W")),
            _run_matmul,
            shown=False,
            explain=_MATMUL_EXPLAIN,
            exact=("dx", "dW (grads[0])"),
            **LARGE_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(HINTS["rebound"], _MatMulRebinds),
        Mistake(
            N_(
                "the second round uses the old W: the node reads a W of its own (a copy, or "
                "an array set aside in `__init__`), while an optimizer changes the array in "
                "`params` in place. Read W from `self.params[0]` in forward and backward."
            ),
            _MatMulKeepsCopy,
        ),
        Mistake(HINTS["accumulated"], _MatMulAccumulates),
        Mistake(HINTS["dW transposed"], _MatMulTransposedDW),
        Mistake(HINTS["dW like x"], _MatMulDWLikeX),
        Mistake(HINTS["dW dout x.T"], _MatMulDoutXT),
        Mistake(HINTS["dx no transpose"], _MatMulNoTranspose),
        Mistake(HINTS["dW x dout"], _MatMulXDout),
        Mistake(HINTS["dx W.T dout"], _MatMulDxOtherOrder),
        Mistake(HINTS["dout ignored"], _MatMulIgnoresDout),
        Mistake(
            N_(
                "grads[0] is W itself (`self.grads = [W]`), so writing dW into it overwrote the "
                "weights: give grads an array of its own, `self.grads = [np.zeros_like(W)]`."
            ),
            _MatMulGradsAreW,
        ),
        # After grads-are-W: that code, too, computes dx with dW once W has been overwritten
        # (the case that changes W between rounds), and it is the more specific slip.
        Mistake(
            N_(
                "dx is computed with dW, the gradient in grads[0], where the weights belong: "
                "`dx = dout @ W.T` with `W = self.params[0]`."
            ),
            _MatMulDxFromDW,
        ),
    ),
    error_hints=STATE_HINTS,
)

EXERCISES = (add_exercise, mul_exercise, repeat_exercise, sum_exercise, matmul_exercise)


# --- Predict, then run; and a node derived by hand (issue 13) ----------------------------
# Appended below the chapter's first entries so that edits to those stay separate.


predict_used_twice = prediction(
    "graph.predict_used_twice",
    N_("dL/dx for L = x·y + x at x = 3, y = 2"),
    3.0,
    wrong=[
        (
            2.0,
            (
                N_(
                    "that is the share of the path through Mul only (dL/dx = y); x also reaches L "
                    "directly, and the two shares add up."
                )
            ),
        ),
        (1.0, N_("that is the share of the direct path only; the path through Mul adds y = 2.")),
        (9.0, N_("that is L itself; the question asks for its slope dL/dx.")),
        (6.0, N_("that is x·y, the value of the Mul node; the question asks for the slope dL/dx.")),
        (
            5.0,
            N_("that is x + y; dL/dx adds y = 2 (the path through Mul) and 1 (the direct path)."),
        ),
        (
            4.0,
            N_(
                "the path through Mul gives y = 2 (Mul's local derivative for x is the other "
                "input), and the direct path adds 1."
            ),
        ),
    ],
)

# The graph the stepper of section 11 shows (nnscratch.widgets.computation_graph's X, W, B;
# tests/test_hints_round5.py keeps the two equal): the learner predicts dL/db for these.
_STEPPER_X = np.array([[1.0, 2.0], [3.0, -1.0]])  # (N, D) = (2, 2)
_STEPPER_W = np.array([[0.5], [-1.0]])  # (D, H) = (2, 1)
_STEPPER_B = np.array([[2.0]])  # (1, H)
_STEPPER_L = float(np.sum(_STEPPER_X @ _STEPPER_W + _STEPPER_B))  # the value of L
_STEPPER_N_B = float(len(_STEPPER_X) * _STEPPER_B[0, 0])  # b's value times its N copies

predict_bias_grad = prediction(
    "graph.predict_bias_grad",
    N_("dL/db for L = Sum(x W + b) with N = 2 samples"),
    2.0,
    wrong=[
        (
            1.0,
            (
                N_(
                    "b reaches the Add node through a Repeat: one copy per sample, and Repeat's "
                    "backward adds up the copies' gradients."
                )
            ),
        ),
        (
            0.5,
            (
                N_(
                    "nothing is averaged here: L is a sum over the rows, so each copy of b brings "
                    "back a gradient of 1, and they add up."
                )
            ),
        ),
        (
            0.0,
            N_(
                "b reaches L once per sample: a unit step in b adds 1 to each of the N = 2 rows, "
                "so L grows by 2."
            ),
        ),
        (
            _STEPPER_L,
            N_(
                "that is L itself, the sum's value for these x, W and b; the question asks "
                "for its slope dL/db."
            ),
        ),
        (
            _STEPPER_N_B,
            N_(
                "4 is b's value times its N = 2 copies (N · b), and also the sum of x's first "
                "column, the slope dL/dW for the first weight; dL/db is neither: each copy of b "
                "sends back a gradient of 1, whatever b is, since b enters the sum linearly."
            ),
        ),
    ],
)


class _Divide:
    """z = x / y, the formula derived by hand (tests/test_grader_exact.py checks it against the
    chapter's numerical gradients)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        """dz -> (dx, dy) = (dz / y, −dz · x / y²)."""
        return dout / self.y, -dout * self.x / self.y**2


def _divide_inputs(shape, decimals=1):
    def make(rng):
        if shape == ():
            return {"x": 3.0, "y": 2.0, "dout": 1.5}
        draw = lambda: np.round(rng.uniform(-3, 3, size=shape), decimals)
        # |y| at least 0.5: far from the division by zero
        y = np.round(rng.choice([-1, 1], size=shape) * rng.uniform(0.5, 3, size=shape), decimals)
        return {"x": draw(), "y": y, "dout": draw()}

    return make


def _divide_variant(dx, dy):
    class Variant(_Divide):
        def backward(self, dout):
            return dx(self.x, self.y, dout), dy(self.x, self.y, dout)

    return Variant


_RIGHT_DX = lambda x, y, dout: dout / y

divide_exercise = Exercise(
    id="graph.Divide",
    receives=N_("a class Divide with forward(x, y) and backward(dout)"),
    reference=_Divide,
    is_class=True,
    cases=(
        Case(
            N_("scalars: x = 3, y = 2, upstream dout = 1.5"),
            _divide_inputs(()),
            _run_two,
            explain=_PAIR,
            exact=("dx", "dy"),  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("(2, 3) arrays, divided element by element"),
            _divide_inputs((2, 3)),
            _run_two,
            explain=_PAIR,
            exact=("dx", "dy"),  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden (4, 5) arrays"),
            _divide_inputs((4, 5), decimals=3),
            _run_two,
            shown=False,
            explain=_PAIR,
            exact=("dx", "dy"),  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(  # z is linear in x: dx needs large values to tell a finite difference apart
            LARGE_CASE,
            large_values(_divide_inputs((3, 4), decimals=2), ("x",)),
            _run_two,
            shown=False,
            explain=_PAIR,
            exact=("dx", "dy"),
            **LARGE_TOLERANCE,
        ),
        Case(
            _LATEST_PAIR,
            _with_pair_before(_divide_inputs((2, 3), decimals=2)),
            _run_two_latest,
            explain=_PAIR,
            exact=("dx", "dy"),  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "dy has the wrong sign: z = x·y⁻¹ falls as y grows (for positive x), and the "
                "derivative of y⁻¹ is −y⁻²."
            ),
            _divide_variant(_RIGHT_DX, lambda x, y, dout: dout * x / y**2),
        ),
        Mistake(
            N_(
                "dy has x and y swapped: dz/dy = −x / y², the numerator x over the square of "
                "the denominator y: `-dout * self.x / self.y**2`."
            ),
            _divide_variant(_RIGHT_DX, lambda x, y, dout: -dout * y / x**2),
        ),
        Mistake(
            N_("dy is missing the factor x: z = x · (1/y), so dz/dy = x · d(1/y)/dy."),
            _divide_variant(_RIGHT_DX, lambda x, y, dout: -dout / y**2),
        ),
        Mistake(
            N_("dy should fall with the square of y: the derivative of 1/y is −1/y²."),
            _divide_variant(_RIGHT_DX, lambda x, y, dout: -dout * x / y),
        ),
        Mistake(
            N_(
                "dy is −dout·x: `/ self.y * self.y` divides by y and then multiplies by y again "
                "(Python reads `/` and `*` left to right); write `self.y**2` or "
                "`(self.y * self.y)`."
            ),
            _divide_variant(_RIGHT_DX, lambda x, y, dout: -dout * x / y * y),
        ),
        Mistake(
            N_("that is Mul's rule (the inputs swap places); for z = x / y, dz/dx = 1/y."),
            _divide_variant(lambda x, y, dout: dout * y, lambda x, y, dout: dout * x),
        ),
        Mistake(
            N_(
                "dx = dout · y is Mul's rule; for z = x / y the local derivative with respect to "
                "x is 1/y: `dx = dout / self.y` (dy is right)."
            ),
            _divide_variant(lambda x, y, dout: dout * y, lambda x, y, dout: -dout * x / y**2),
        ),
        Mistake(
            N_(
                "the two gradients are in the wrong order: return dx (for the numerator x) "
                "first, then dy."
            ),
            _divide_variant(lambda x, y, dout: -dout * x / y**2, _RIGHT_DX),
        ),
        Mistake(
            HINTS["dout ignored"],
            _divide_variant(lambda x, y, dout: 1 / y, lambda x, y, dout: -x / y**2),
        ),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

EXERCISES += (predict_used_twice, predict_bias_grad, divide_exercise)
