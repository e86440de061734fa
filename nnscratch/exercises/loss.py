"""Chapter 2 exercises: softmax, cross entropy error, and the Softmax-with-Loss layer."""

import numpy as np

from nnscratch.exercises import forms
from nnscratch.exercises.predictions import prediction
from nnscratch.exercises.wrong_argument import at_wrong_arguments
from nnscratch.functions import cross_entropy_error, softmax
from nnscratch.i18n import N_, Phrase
from nnscratch.layers import SoftmaxWithLoss
from nnscratch.spec import ONE_PER_ROW, Case, ErrorHint, Exercise, Mistake

# softmax(x)

_FINITE = (
    N_("softmax(x) has no nan or inf")  # a fingerprint: tells overflow mistakes from axis mistakes
)


def _all_finite(value) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


def _run_softmax(f, inp):
    y = f(inp["x"])
    return {"softmax(x)": y, _FINITE: _all_finite(y)}


def _fixed(x):
    return lambda rng: {"x": np.array(x, dtype=float)}


def _global_softmax(x):  # the one-sample formula, applied to a whole batch
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def _whole_batch_sum(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / np.sum(e)


def _columns(x):
    e = np.exp(x - x.max(axis=0))
    return e / e.sum(axis=0)


def _row_max_column_sum(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0)


def _column_max_row_sum(x):
    e = np.exp(x - x.max(axis=0))
    return e / e.sum(axis=-1, keepdims=True)


def _naive(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _global_max(x):
    e = np.exp(x - np.max(x))
    return e / e.sum(axis=-1, keepdims=True)


def _no_keepdims(x):  # right for (C,); crashes on (N, C) unless N == C, and is then silently wrong
    e = np.exp(x - x.max(axis=-1))
    return e / e.sum(axis=-1)


def _each_score_a_row(x):  # `for i in range(len(x))`: on one sample (C,), x[i] is one score
    out = np.empty(np.shape(x), dtype=float)
    for i in range(len(x)):
        e = np.exp(x[i] - np.max(x[i]))
        out[i] = e / np.sum(e)
    return out


def _in_place(x):
    x -= x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


_WRONG_AXIS = N_(
    "`axis=0` runs down the columns, across different samples; each sample is a row, "
    "so take its max and its sum along the last axis: `axis=-1, keepdims=True`."
)
_NO_MAX = N_(
    "np.exp overflows to inf for scores above about 709, and inf / inf is nan. Subtract each "
    "row's largest score first, `x - x.max(axis=-1, keepdims=True)`: it changes nothing "
    "mathematically, and the largest exponent becomes e^0 = 1."
)
_GLOBAL_MAX = N_(
    "one max for the whole batch, `np.max(x)`, is not enough when rows differ in scale: "
    "a row far below it gives e^(-2000) = 0 everywhere, and 0 / 0 is nan. Subtract each "
    "row's own max: `x.max(axis=-1, keepdims=True)`."
)
_KEEPDIMS = N_(
    "`x.max(axis=1)` and `e.sum(axis=1)` have shape (N,), which NumPy lines up with the "
    "columns of x (N, C), not its rows. Keep the axis, `keepdims=True`, so they have shape "
    "(N, 1) and broadcast across each row."
)

softmax_exercise = Exercise(
    id="loss.softmax",
    receives=N_("a function softmax(x)"),
    reference=softmax,
    cases=(
        Case(N_("one sample x (3,)"), _fixed([2.0, 1.0, 0.1]), _run_softmax),
        Case(
            N_("a (4, 3) batch"),
            lambda rng: {"x": np.round(2 * rng.standard_normal((4, 3)), 2)},
            _run_softmax,
            explain={"softmax(x)": N_("each row is one sample and must sum to 1")},
        ),
        Case(
            N_("scores around 1000"),
            _fixed([[1000.0, 1001.0, 1002.0], [1010.0, 1000.0, 990.0]]),
            _run_softmax,
        ),
        Case(N_("one sample x (3,) far from zero"), _fixed([-1000.0, 0.0, 1000.0]), _run_softmax),
        Case(
            N_("rows of very different scale (~1000, ~-1000, ~0)"),
            _fixed([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0], [0.0, 1.0, 2.0]]),
            _run_softmax,
        ),
        Case(
            N_("a hidden (3, 3) batch"),
            lambda rng: {"x": 3 * rng.standard_normal((3, 3))},
            _run_softmax,
            shown=False,
        ),
        # Quarters are exact in float32 too, so a float32 answer is judged on its softmax alone.
        Case(
            N_("a hidden (5, 4) batch of large scores"),
            lambda rng: {"x": np.round(1600 * rng.standard_normal((5, 4))) / 4},
            _run_softmax,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(_WRONG_AXIS, _columns),
        Mistake(_WRONG_AXIS, _row_max_column_sum),
        Mistake(
            N_(
                "the max is taken down the columns (`axis=0`), across samples: the entries of "
                "a row then have different numbers subtracted, which do not cancel in the "
                "row's ratio. Subtract each row's own max, one number per row: "
                "`x.max(axis=-1, keepdims=True)`."
            ),
            _column_max_row_sum,
        ),
        Mistake(
            N_(
                "`np.max(x)` and `np.sum(e)` without an axis look at the whole batch at once, which "
                "is right for one sample (C,) only. Each row of x (N, C) is a sample of its own: use "
                "`axis=-1, keepdims=True` for both the max and the sum."
            ),
            _global_softmax,
        ),
        Mistake(
            N_(
                "`np.sum(e)` adds up the whole batch, so all N rows together sum to 1. Each row must "
                "sum to 1 on its own: `e.sum(axis=-1, keepdims=True)`."
            ),
            _whole_batch_sum,
        ),
        Mistake(_NO_MAX, _naive),
        Mistake(_GLOBAL_MAX, _global_max),
        Mistake(_KEEPDIMS, _no_keepdims),
        Mistake(
            N_(
                "for a single sample x (C,) every entry came out 1: each score was taken as a "
                "sample of its own, as a loop `for i in range(len(x))` does on a 1-D x (x[i] is "
                "then one number, and its softmax is 1). A 1-D x is one sample: make it a batch "
                "of one first, `x.reshape(1, -1)`, or use `axis=-1, keepdims=True` with no loop."
            ),
            _each_score_a_row,
        ),
        Mistake(
            N_(
                "`x -= ...` (or `out=x`) writes into the caller's array. Make a new one instead: "
                "`x = x - x.max(axis=-1, keepdims=True)`."
            ),
            _in_place,
        ),
        *at_wrong_arguments(softmax),
    ),
    error_hints=(
        ErrorHint(ONE_PER_ROW, _KEEPDIMS),
        ErrorHint(
            r"axis 1 is out of bounds for array of dimension 1",
            N_(
                "a single sample x (C,) has only axis 0. `axis=-1` means the last axis: the classes, "
                "for both (C,) and (N, C)."
            ),
        ),
    ),
)

# cross_entropy_error(y, t)

_CE = "cross_entropy_error(y, t)"


def _run_ce(f, inp):
    return {_CE: f(inp["y"], inp["t"])}


def _run_ce_single(f, inp):
    """One sample, and the same sample as a batch of one: the two must agree (a missing
    reshape divides by C instead of 1 in the first only)."""
    y, t = inp["y"], np.asarray(inp["t"])
    t_row = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    return {
        _CE: f(y, inp["t"]),
        Phrase(N_("{function} of y.reshape(1, -1), a batch of one"), function=_CE): f(
            y.reshape(1, -1), t_row
        ),
    }


def _single_number_name(name):
    return Phrase(N_("{function} is a single number"), function=name)


def single_number(name, value):
    """{"<name> is a single number": ...}: a loss is one number (Chapter 2), a number or a 0-d
    array. An array of one element holds one but is not one (`f"{loss:.3f}"` fails on it), and
    the grader compares it with a number as that number, so a loss case says so itself."""
    single = np.ndim(value) == 0 and np.asarray(value).dtype.kind in "biuf"
    return {_single_number_name(name): bool(single)}


LOSS_LAYER_EXPLAIN = {  # explain= of a loss layer's first case
    "params": N_("a layer without weights has `self.params = []`"),
    _single_number_name("forward(x, t)"): N_(
        "the loss is one number: return it as it is, not inside an array "
        "(`np.array([L])` or a sum with `keepdims=True` has shape (1,))"
    ),
}


def _run_ce_zero(f, inp):
    L = f(inp["y"], inp["t"])
    single = np.size(L) == 1 and np.asarray(L).dtype.kind in "biuf"
    value = float(np.asarray(L, dtype=float).reshape(-1)[0]) if single else float("nan")
    return {
        **single_number(_CE, L),
        Phrase(N_("{function} is finite"), function=_CE): bool(np.isfinite(value)),
        f"{_CE} >= 0": bool(value >= 0),
        f"{_CE} > 10": bool(value > 10),
    }


def _labelled_scores(rng, N, C, scale, decimals=2):
    """Scores (N, C) and labels (N,) whose true class scores at most 3 below its row's best.

    Its probability is then above e^-3 / C, far above any small delta a learner adds inside
    the log, so the loss does not depend on which delta they chose.
    """
    x = np.round(scale * rng.standard_normal((N, C)), decimals)
    k = rng.integers(0, C, size=N)
    rows = np.arange(N)
    x[rows, k] = np.maximum(x[rows, k], x.max(axis=1) - 3)
    return x, k


def _probabilities(N, C, labels, one_hot_dtype=int):
    """y (N, C), or (C,) when N is None, from softmax of scores; t labels or one-hot.

    A single sample's label is a NumPy integer, as `t[0]` of a label array would be.
    """

    def make(rng):
        x, k = _labelled_scores(rng, N or 1, C, scale=1.5)
        y, k = (softmax(x), k) if N else (softmax(x[0]), k[0])
        return {"y": y, "t": k if labels else np.eye(C, dtype=one_hot_dtype)[k]}

    return make


def _plain_int_label(make):
    """The same inputs with the single label a Python int, as the text allows: an int has no
    .reshape, .size or .ndim, where a NumPy integer has them."""

    def plain(rng):
        inp = make(rng)
        return {**inp, "t": int(inp["t"])}

    return plain


def _rows(y, t):
    """y (N, C) and label indices (N,), from any y and t the exercise accepts."""
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), (t.reshape(1, -1) if t.size == y.size else t.reshape(1))
    return y, (t.argmax(axis=1) if t.shape == y.shape else t)


def _one_hot(y, t):
    y, labels = _rows(y, t)
    return y, np.eye(y.shape[1])[labels]


def _true_probability(y, t):
    y, labels = _rows(y, t)
    return y[np.arange(len(y)), labels]


def _summed(y, t):
    return float(-np.sum(np.log(_true_probability(y, t) + 1e-7)))


def _per_sample(y, t):
    return -np.log(_true_probability(y, t) + 1e-7)


def _no_delta(y, t):
    return float(-np.mean(np.log(_true_probability(y, t))))


def _no_delta_one_hot(y, t):
    y, t = _one_hot(y, t)
    return float(-np.sum(t * np.log(y)) / len(y))


def _no_minus(y, t):
    return float(np.mean(np.log(_true_probability(y, t) + 1e-7)))


def _mean_of_all(y, t):
    y, t = _one_hot(y, t)
    return float(-np.mean(t * np.log(y + 1e-7)))


def _every_row_every_label(y, t):  # y[:, t]: an (N, N) block, each row at every sample's label
    y, labels = _rows(y, t)
    return float(-np.sum(np.log(y[:, labels] + 1e-7)) / len(y))


def _every_row_every_label_mean(y, t):  # np.mean over y[:, t]: the (N, N) block averaged
    y, labels = _rows(y, t)
    return float(-np.mean(np.log(y[:, labels] + 1e-7)))


def _label_read_as_one_hot(y, t):  # a single label k reshaped to a row [[k]]: its argmax is 0
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.ndim == 2:
        t = t.argmax(axis=1)
    return float(-np.mean(np.log(y[np.arange(len(y)), t] + 1e-7)))


def _indices_swapped(y, t):  # y[t, np.arange(N)]: the label picks the row, the sample the column
    y, labels = _rows(y, t)
    return float(-np.sum(np.log(y[labels, np.arange(len(labels))] + 1e-7)) / len(y))


def _labels_shifted(shift):
    def cross_entropy(y, t):  # y[np.arange(N), t ± 1]: each label moved to the next class
        y, labels = _rows(y, t)
        picked = y[np.arange(len(y)), (labels + shift) % y.shape[1]]
        return float(-np.sum(np.log(picked + 1e-7)) / len(y))

    return cross_entropy


def _single_sample_as_batch(y, t):  # right for batches; a (C,) sample is divided by C
    t = np.asarray(t)
    if t.shape != y.shape:
        t = np.eye(y.shape[-1])[t]
    return float(-np.sum(t * np.log(y + 1e-7)) / y.shape[0])


def _labels_as_one_hot(y, t):  # `t * log(y)` whatever t is; crashes or broadcasts wrongly on labels
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    return float(-np.sum(t * np.log(y + 1e-7)) / y2.shape[0])


def _with_delta(delta):
    def cross_entropy_error(y, t):
        return float(-np.mean(np.log(_true_probability(y, t) + delta)))

    return cross_entropy_error


_TOO_LARGE = N_(
    "δ is too large: it is no longer small next to the probabilities, so it moves the loss "
    "(δ = 1e-3 raises a 1% probability by a tenth, and its loss falls from 4.61 to 4.51). "
    "Use δ = 1e-7 (anything up to 1e-6 works)."
)


def _changes_y(y, t):
    y += 1e-7
    return float(-np.mean(np.log(_true_probability(y, t))))


_LABELS = N_(
    "t holds label indices here, not one-hot rows, so `t * np.log(y)` pairs the wrong numbers. "
    "Pick each row's true-class probability with `y[np.arange(N), t]` (and turn a one-hot t into "
    "labels first with `t.argmax(axis=1)`)."
)
# Labels t (N,) multiplied by y (N, C): the failing line multiplies by t, on the side of the
# message's (N,) shape (`t * np.log(y)`: "(4,) (4,3)"; `np.log(y) * t`: "(4,3) (4,)"). A t of
# the other shape is no label (the probabilities passed as t, arguments swapped).
LABELS_TIMES_Y = (
    ErrorHint(
        r"broadcast together with shapes \((\d+),\) \(\1,\d+\)",
        _LABELS,
        code=r"\b(self\.)?t\s*\*[^*]",
    ),
    ErrorHint(
        r"broadcast together with shapes \((\d+),\d+\) \(\1,\)",
        _LABELS,
        code=r"[^*]\*\s*(self\.)?t\b",
    ),
)
_ONE_HOT = N_(
    "t is one-hot here (the same shape as y): turn it into label indices first, "
    "`t = t.argmax(axis=1)`, before indexing `y[np.arange(N), t]`."
)
# Indexing with a one-hot t (N, C) beside np.arange(N): the only (N, C) array of whole numbers
# a loss has, so the message's two shapes are the evidence.
ONE_HOT_AS_INDICES = ErrorHint(
    r"shape mismatch: indexing arrays could not be broadcast together with shapes "
    r"\((\d+),\) \(\1,\d+\)",
    _ONE_HOT,
)
_SINGLE_ONE_HOT = N_(
    "here t, a single sample's one-hot labels, has y's shape (C,): it is one row of C "
    "numbers, not one label, so it cannot become shape (1,). Tell the two kinds apart by size "
    "(`t.size == y.size`) and reshape a one-hot t to (1, C) before taking its argmax."
)
_SINGLE = N_(
    "a single sample y (C,) is a batch of one: reshape y (and a one-hot t) to one row first, "
    "`y = y.reshape(1, -1)`, so that N is 1 and not C."
)

cross_entropy_exercise = Exercise(
    id="loss.cross_entropy_error",
    receives=N_("a function cross_entropy_error(y, t)"),
    reference=cross_entropy_error,
    cases=(
        # atol: learners pick their own small delta (1e-7, 1e-10, ...); the true-class probabilities
        # here are far above it, so any small delta moves the loss by much less than 1e-4.
        Case(
            N_("a batch of 4, one-hot t (4, 3)"),
            _probabilities(4, 3, labels=False),
            _run_ce,
            atol=1e-4,
        ),
        Case(
            N_("a batch of 4, label t (4,)"), _probabilities(4, 3, labels=True), _run_ce, atol=1e-4
        ),
        Case(
            N_("one sample y (3,), one-hot t (3,)"),
            _probabilities(None, 3, labels=False),
            _run_ce_single,
            atol=1e-4,
        ),
        Case(
            N_("one sample y (3,), a single label t (a NumPy integer)"),
            _probabilities(None, 3, labels=True),
            _run_ce_single,
            atol=1e-4,
        ),
        Case(
            N_("one sample y (3,), a single label t as a Python int"),
            _plain_int_label(_probabilities(None, 3, labels=True)),
            _run_ce_single,
            atol=1e-4,
        ),
        Case(
            N_("a wrong class with probability exactly 0"),
            lambda rng: {
                "y": np.array([[0.0, 0.3, 0.7], [0.5, 0.5, 0.0]]),
                "t": np.array([[0, 0, 1], [1, 0, 0]]),
            },
            _run_ce,
            atol=1e-4,
        ),
        Case(
            N_("the true class with probability exactly 0"),
            lambda rng: {"y": np.array([[0.0, 0.3, 0.7]]), "t": np.array([[1, 0, 0]])},
            _run_ce_zero,
            explain={
                Phrase(N_("{function} is finite"), function=_CE): N_(
                    "log(0) is -inf: add a small delta, `np.log(y + 1e-7)`"
                ),
                f"{_CE} >= 0": N_("a loss is never negative"),
                f"{_CE} > 10": N_(
                    "a probability of 0 for the true class is as wrong as it gets, "
                    "so the loss must be large (-log(1e-7) is about 16)"
                ),
            },
        ),
        Case(
            N_("a hidden (3, 3) batch with labels"),
            _probabilities(3, 3, labels=True),
            _run_ce,
            atol=1e-4,
            shown=False,
        ),
        Case(
            N_("a hidden (6, 5) batch, one-hot t as floats"),
            _probabilities(6, 5, False, float),
            _run_ce,
            atol=1e-4,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "that is the sum over the batch; divide by the batch size N to get the mean, so the "
                "loss does not grow with the number of samples."
            ),
            _summed,
        ),
        Mistake(
            N_(
                "that is one loss per sample; the exercise wants their mean over the batch, a single "
                "number."
            ),
            _per_sample,
        ),
        Mistake(
            N_(
                "np.log(0) is -inf, so a true class with probability 0 makes the loss inf. Add a tiny "
                "delta inside the log: `np.log(y + 1e-7)`."
            ),
            _no_delta,
        ),
        Mistake(
            N_(
                "with one-hot t, a zero probability anywhere gives 0 · log(0) = 0 · (-inf) = nan, even "
                "for a wrong class. Add a tiny delta inside the log: `np.log(y + 1e-7)`."
            ),
            _no_delta_one_hot,
        ),
        Mistake(
            N_(
                "that is one term per entry of y, an (N, C) array; the loss is one number: add "
                "the terms up and divide by N, `-np.sum(t * np.log(y + 1e-7)) / N`."
            ),
            lambda y, t: -t * np.log(y + 1e-7),
        ),
        Mistake(
            N_(
                "cross entropy has a minus sign, L = -Σ t log y: the log of a probability is never "
                "positive, and the loss must not be negative."
            ),
            _no_minus,
        ),
        Mistake(_LABELS, _labels_as_one_hot),
        Mistake(
            N_(
                "`y[:, t]` takes every row at every sample's label, an (N, N) block; each row's "
                "own true-class probability is `y[np.arange(N), t]`."
            ),
            _every_row_every_label,
        ),
        Mistake(
            N_(
                "`y[:, t]` takes every row at every sample's label, an (N, N) block; each row's "
                "own true-class probability is `y[np.arange(N), t]`."
            ),
            _every_row_every_label_mean,
        ),
        Mistake(
            N_(
                "`y[t, np.arange(N)]` has the two indices the other way round: a row of y is a "
                "sample, so the sample index comes first, `y[np.arange(N), t]`."
            ),
            _indices_swapped,
        ),
        *(
            Mistake(
                N_(
                    "each row's probability is taken one class away from its label: the label "
                    "is the class index itself (0 for the first class), `y[np.arange(N), t]`, "
                    "with no ± 1."
                ),
                _labels_shifted(shift),
            )
            for shift in (1, -1)
        ),
        Mistake(_SINGLE, _single_sample_as_batch),
        Mistake(
            N_(
                "for a single label t (a number k) the loss is that of class 0: the label was "
                "read as if it were one-hot (`t.reshape(1, -1)` makes k a row [[k]], whose "
                "argmax is always 0). Reshape t to a row only when it is one-hot, "
                "`t.size == y.size`; a single label becomes `t.reshape(1)`."
            ),
            _label_read_as_one_hot,
        ),
        Mistake(
            N_(
                "`np.mean` over the whole (N, C) array divides by N·C; the loss divides the sum by "
                "the number of samples N only."
            ),
            _mean_of_all,
        ),
        Mistake(
            N_(
                "`y += ...` (or `out=y`) changes the caller's probabilities; compute a new array "
                "instead: `np.log(y + 1e-7)`."
            ),
            _changes_y,
        ),
        *(Mistake(_TOO_LARGE, _with_delta(delta)) for delta in (1e-5, 1e-4, 1e-3, 1e-2, 0.1)),
    ),
    error_hints=(
        ErrorHint(r"shape mismatch: indexing arrays could not be broadcast", _ONE_HOT),
        ErrorHint(r"arrays used as indices must be of integer", _ONE_HOT),
        *LABELS_TIMES_Y,
        ErrorHint(r"axis 1 is out of bounds for array of dimension 1", _SINGLE),
        # C values made into one label: the one-hot t of a single sample, read as a label
        ErrorHint(
            r"cannot reshape array of size [2-9]\d* into shape \(1,\)",
            _SINGLE_ONE_HOT,
            code=r"\bt\s*\.\s*reshape|reshape\(\s*t\b",  # the line reshapes t, not y
        ),
        ErrorHint(r"too many indices for array: array is 1-dimensional", _SINGLE),
        ErrorHint(r"has no len\(\)|invalid index to scalar", _SINGLE),
        ErrorHint(
            r"'int' object has no attribute '(size|reshape|shape|ndim|argmax|ravel|flatten)'",
            N_(
                "a single label t may be a plain Python int, which has no array attributes "
                "(.size, .reshape, .ndim): make it an array first, `t = np.asarray(t)`."
            ),
        ),
    ),
)

# class SoftmaxWithLoss


def _scores(N, C, labels, scale=2.0):
    def make(rng):
        x, k = _labelled_scores(rng, N, C, scale)
        return {"x": x, "t": k if labels else np.eye(C, dtype=int)[k]}

    return make


def _run_layer(cls, inp):
    layer = cls()
    loss = layer.forward(inp["x"], inp["t"])
    return {"params": layer.params, "forward(x, t)": loss, **single_number("forward(x, t)", loss)}


def _run_layer_shifted(cls, inp):
    """Also the same scores shifted to a row maximum of 0, where nothing overflows: a softmax
    without the shift is right there, a missing softmax is not (one NaN tells them apart from
    nothing)."""
    x = inp["x"]
    return {
        **_run_layer(cls, inp),
        "forward(x - x.max(axis=1, keepdims=True), t)": cls().forward(
            x - x.max(axis=1, keepdims=True), inp["t"]
        ),
    }


_ROWS = N_("forward(x, t) of each row alone")


def _run_layer_rows(cls, inp):
    """Also each row on its own: one max for the whole batch is then each row's own max, so
    it is right row by row and NaN together; a softmax without any shift is NaN either way."""
    x, t = inp["x"], inp["t"]
    rows = [cls().forward(x[i : i + 1], t[i : i + 1]) for i in range(len(x))]
    return {**_run_layer_shifted(cls, inp), _ROWS: rows}


class _ReturnsProbabilities(SoftmaxWithLoss):
    def forward(self, x, t):
        super().forward(x, t)
        return self.y


class _NoSoftmax(SoftmaxWithLoss):
    def forward(self, x, t):
        return cross_entropy_error(x, t)


class _NoSoftmaxInLoss(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t  # kept, as the text asks, then not used for the loss
        return cross_entropy_error(x, t)


class _SwappedArguments(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t  # kept, as the text asks
        return cross_entropy_error(t, self.y)


class _SwappedOneHotFormula(SoftmaxWithLoss):
    """The swap through a learner's one-hot formula -Σ t log(y + δ) / N."""

    def forward(self, x, t):
        self.y, self.t = softmax(x), t  # kept, as the text asks
        return float(-np.sum(self.y * np.log(t + 1e-7)) / len(x))


class _NaiveSoftmax(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = _naive(x), t  # kept, as the text asks
        return cross_entropy_error(self.y, t)


class _GlobalMaxSoftmax(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = _global_max(x), t  # kept, as the text asks
        return cross_entropy_error(self.y, t)


class _ColumnSoftmax(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = _columns(x), t  # kept, as the text asks
        return cross_entropy_error(self.y, t)


class _SoftmaxTwice(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t
        return cross_entropy_error(softmax(self.y), t)


class _SoftmaxTwiceKept(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = softmax(softmax(x)), t
        return cross_entropy_error(self.y, t)


class _SummedLoss(SoftmaxWithLoss):
    def forward(self, x, t):
        self.y, self.t = softmax(x), t  # kept, as the text asks
        return _summed(self.y, t)


SECOND_LOSS = N_("forward(x, t) on a second batch with new labels")


def second_batch(make_before, make):
    """Inputs for one layer used on two batches: x_before, t_before first, then x, t."""

    def both(rng):
        before = make_before(rng)
        return {**make(rng), "x_before": before["x"], "t_before": before["t"]}

    return both


KEPT = N_("self.y after forward(x, t)")


def _run_kept_probabilities(cls, inp):
    """What forward leaves in self.y: Chapter 6's backward reads the probabilities there."""
    layer = cls()
    layer.forward(inp["x"], inp["t"])
    return {KEPT: getattr(layer, "y", None)}


class _KeepsScores(SoftmaxWithLoss):
    def forward(self, x, t):
        loss = super().forward(x, t)
        self.y = x
        return loss


KEPT_SECOND = N_("self.y after the second forward(x, t)")


def _run_layer_second_batch(cls, inp):
    layer = cls()
    layer.forward(inp["x_before"], inp["t_before"])
    loss = layer.forward(inp["x"], inp["t"])
    # the probabilities backward reads must be the second batch's too, not the first's kept
    return {SECOND_LOSS: loss, KEPT_SECOND: getattr(layer, "y", None)}


softmax_with_loss_exercise = Exercise(
    id="loss.SoftmaxWithLoss",
    receives=N_("a class SoftmaxWithLoss"),
    reference=SoftmaxWithLoss,
    forms=forms.SOFTMAX_WITH_LOSS,
    is_class=True,
    cases=(
        Case(
            N_("SoftmaxWithLoss().forward on (4, 3) scores, one-hot t"),
            _scores(4, 3, labels=False),
            _run_layer,
            atol=1e-4,
            explain=LOSS_LAYER_EXPLAIN,
        ),
        Case(N_("forward with label t (4,)"), _scores(4, 3, labels=True), _run_layer, atol=1e-4),
        Case(
            N_("scores around ±1000"),
            lambda rng: {
                "x": np.array([[1000.0, 999.0, 995.0], [-1000.0, -1002.0, -999.0]]),
                "t": np.array([1, 2]),
            },
            _run_layer_rows,
            atol=1e-4,
        ),
        Case(
            N_("a hidden (6, 5) batch"),
            _scores(6, 5, labels=True, scale=3.0),
            _run_layer,
            atol=1e-4,
            shown=False,
        ),
        Case(
            N_("forward keeps softmax's output, the probabilities, as self.y"),
            _scores(3, 4, labels=True),
            _run_kept_probabilities,
            atol=1e-6,
            explain={
                KEPT: N_("keep softmax's output as `self.y = softmax(x)`: Chapter 6 needs it")
            },
        ),
        Case(
            N_("one layer, two batches: the loss of the second uses its own labels"),
            second_batch(_scores(5, 3, labels=True), _scores(4, 3, labels=True)),
            _run_layer_second_batch,
            atol=1e-4,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "forward returns the loss, one number: pass softmax's probabilities on to "
                "cross_entropy_error."
            ),
            _ReturnsProbabilities,
        ),
        Mistake(
            N_(
                "self.y holds the scores x: keep the probabilities, `self.y = softmax(x)`, "
                "and take the loss of those."
            ),
            _KeepsScores,
        ),
        Mistake(_NO_MAX, _NaiveSoftmax),
        Mistake(_GLOBAL_MAX, _GlobalMaxSoftmax),
        Mistake(_WRONG_AXIS, _ColumnSoftmax),
        *(
            Mistake(
                N_(
                    "cross entropy needs probabilities, but x holds raw scores: apply softmax "
                    "to x first."
                ),
                impl,
            )
            for impl in (_NoSoftmax, _NoSoftmaxInLoss)
        ),
        Mistake(
            N_("that is the sum over the batch; the loss is the mean (divide by N)."), _SummedLoss
        ),
        *(
            Mistake(
                N_(
                    "softmax is applied twice, to probabilities that already went through it: "
                    "`self.y = softmax(x)` once, and the loss of self.y."
                ),
                impl,
            )
            for impl in (_SoftmaxTwice, _SoftmaxTwiceKept)
        ),
        *(
            Mistake(
                N_(
                    "the scores and the labels trade places: that is the loss with the labels t "
                    "as the probabilities, cross_entropy_error(t, y). Check the order in "
                    "forward's `def forward(self, x, t):` and in the call, probabilities first: "
                    "`cross_entropy_error(self.y, t)`."
                ),
                impl,
            )
            for impl in (_SwappedArguments, _SwappedOneHotFormula)
        ),
    ),
    error_hints=(
        ONE_HOT_AS_INDICES,
        *LABELS_TIMES_Y,
        ErrorHint(
            r"has no attribute 'params'",
            N_(
                "set `self.params = []` in `__init__`: the "
                "layer has no weights, but every layer carries a params list."
            ),
        ),
    ),
)

EXERCISES = (softmax_exercise, cross_entropy_exercise, softmax_with_loss_exercise)


# --- Predict, then run (issue 13) ----------------------------------------------------------
# Appended below the chapter's first entries so that edits to those stay separate.


_MINUS_LOG = N_(
    "the loss is −log y: a probability below 1 has a negative log, and the minus makes the "
    "loss positive."
)

predict_one_sample_loss = prediction(
    "loss.predict_one_sample_loss",
    N_("L for y = (0.1, 0.7, 0.2) and t = (0, 1, 0), to 2 decimals"),
    float(-np.log(0.7)),
    rtol=0.03,
    wrong=[
        (
            float(-np.log(0.1) - np.log(0.7) - np.log(0.2)),
            N_("only the true class counts: t is 0 at the other two, so their terms vanish."),
        ),
        (0.7, N_("that is y at the true class; the loss is −log of it.")),
        (
            float(np.log(0.7)),
            _MINUS_LOG,
        ),
        (
            float(-np.log10(0.7)),
            N_("that is −log₁₀ 0.7; the course's log is the natural log, np.log."),
        ),
        (
            float(-np.log(0.1)),
            N_("that is −log of y at class 0; t = (0, 1, 0) marks class 1 as the true class."),
        ),
        (
            float(-np.log(0.2)),
            N_("that is −log of y at class 2; t = (0, 1, 0) marks class 1 as the true class."),
        ),
        (0.3, N_("the loss is −log y at the true class, not 1 − y.")),
        (
            float(-np.log(0.7) / 3),
            N_("that is −log 0.7 divided by 3: the loss sums over the classes, not averages."),
        ),
        (float(-np.log2(0.7)), N_("the course's log is the natural log, np.log.")),
    ],
)

predict_first_loss = prediction(
    "loss.predict_first_loss",
    N_("the loss of a network whose scores are all near 0, with 3 classes (2 decimals)"),
    float(np.log(3)),
    rtol=0.03,
    wrong=[
        (
            0.0,
            (
                N_(
                    "scores near 0 mean a guess, not a perfect answer: softmax gives each class "
                    "about 1/3."
                )
            ),
        ),
        (
            1 / 3,
            (
                N_(
                    "softmax gives each class about 1/3, and the loss is −log of the true "
                    "class's probability."
                )
            ),
        ),
        (float(np.log10(3)), N_("the course's log is the natural log, np.log.")),
        (
            float(np.log(2)),
            N_("there are 3 classes, so softmax gives each about 1/3, and the loss is −log(1/3)."),
        ),
        (
            float(3 * np.log(3)),
            N_("only the true class's term counts (t is 0 at the others): −log(1/3) once."),
        ),
        (float(np.log2(3)), N_("the course's log is the natural log, np.log.")),
        (float(-np.log(3)), _MINUS_LOG),
        (2 / 3, N_("that is 1 − 1/3; the loss is −log of the true class's probability, 1/3.")),
        (
            float(np.log(3) / 3),
            N_("that is −log(1/3) divided by 3: the loss sums over the classes, not averages."),
        ),
    ],
)

EXERCISES += (predict_one_sample_loss, predict_first_loss)
