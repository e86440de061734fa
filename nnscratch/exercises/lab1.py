"""Lab 1 exercises: a given network, run end to end on new data.

Sizes read from the weights, the forward pass, prediction in batches, accuracy and the
confusion matrix.
"""

from functools import partial

import numpy as np

from nnscratch.evaluation import accuracy, confusion_matrix, predict_in_batches
from nnscratch.exercises.inference import PRECEDENCE
from nnscratch.exercises.wrong_argument import at_wrong_arguments
from nnscratch.functions import sigmoid
from nnscratch.i18n import N_
from nnscratch.spec import ONE_PER_ROW, Case, ErrorHint, Exercise, Mistake

POINTS = {  # what each exercise is worth; the lab's points table shows the same numbers
    "lab1.network_sizes": 1,
    "lab1.forward": 2,
    "lab1.predict_in_batches": 3,
    "lab1.accuracy": 2,
    "lab1.confusion_matrix": 2,
}


def _params(I, H, O):
    def make(rng):
        return {
            "W1": np.round(rng.standard_normal((I, H)), 2),
            "b1": np.round(rng.standard_normal(H), 2),
            "W2": np.round(rng.standard_normal((H, O)), 2),
            "b2": np.round(rng.standard_normal(O), 2),
        }

    return make


# network_sizes(params)


def network_sizes(params):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,) or H2 != H or b2.shape != (O,):
        raise ValueError(
            f"the weights do not fit together: W1 {W1.shape}, b1 {b1.shape}, "
            f"W2 {W2.shape}, b2 {b2.shape}"
        )
    return I, H, O


def _run_sizes(f, inp):
    sizes = f(inp["params"])
    kind = "tuple" if isinstance(sizes, tuple) else type(sizes).__name__
    if sizes is None:
        pass  # named as None (a missing return?) by the comparison
    elif isinstance(sizes, (list, tuple, np.ndarray)):
        sizes = tuple(int(n) if isinstance(n, (int, np.integer)) else n for n in sizes)
    else:
        sizes = f"{type(sizes).__name__} {sizes!r:.40}"  # plain data for the comparison to describe
    # the text asks for the tuple (I, H, O): a list holding the right sizes is said as a list
    return {"network_sizes(params)": sizes, "type(network_sizes(params))": kind}


_SAYS_WHAT = N_("the ValueError's message says what does not fit")


def _run_sizes_broken(f, inp):
    try:
        f(inp["params"])
    except ValueError as error:
        return {"raises ValueError": True, _SAYS_WHAT: bool(str(error).strip())}
    return {"raises ValueError": False, _SAYS_WHAT: False}


def _broken(key, shape):
    def make(rng):
        params = _params(3, 4, 2)(rng)
        params[key] = np.ones(shape)
        return {"params": params}

    return make


def _sizes_unchecked(params):
    return params["W1"].shape[0], params["W1"].shape[1], params["W2"].shape[1]


def _sizes_by_length(params):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    I, H = W1.shape
    H2, O = W2.shape
    if len(b1) != H or H2 != H or len(b2) != O:
        raise ValueError("the weights do not fit together")
    return I, H, O


def _sizes_transposed(params):
    network_sizes(params)  # checks the weights as asked: only the order of the sizes is wrong
    H, I = params["W1"].shape
    O, _ = params["W2"].shape
    return I, H, O


def _both_shapes(params):
    network_sizes(params)  # checks the weights as asked: only what it returns is wrong
    return params["W1"].shape + params["W2"].shape


def _sizes_out_of_order(params):
    I, H, O = network_sizes(params)  # checks the weights as asked: only the order is wrong
    return I, O, H


def _sizes_b2_unchecked(params):
    W1, b1, W2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2"))
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,) or H2 != H:
        raise ValueError("the weights do not fit together")
    return I, H, O


def _sizes_b2_by_size(params):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,) or H2 != H or b2.size != O:
        raise ValueError("the weights do not fit together")
    return I, H, O


def _sizes_w2_rows_unchecked(params):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    I, H = W1.shape
    O = W2.shape[1]
    if b1.shape != (H,) or b2.shape != (O,):
        raise ValueError("the weights do not fit together")
    return I, H, O


def _sizes_as_dict(params):
    I, H, O = network_sizes(params)
    return {"I": I, "H": H, "O": O}


_UNCHECKED = N_(
    "the sizes are right when the weights fit together, but a mismatched set must raise "
    "ValueError: compare b1's shape with (H,), W2's rows with H, and b2's shape with (O,), "
    "and `raise ValueError(...)` when one differs."
)

network_sizes_exercise = Exercise(
    id="lab1.network_sizes",
    receives=N_("a function network_sizes(params)"),
    reference=network_sizes,
    cases=(
        Case(
            N_("the lab's 2-3-3 network"), lambda rng: {"params": _params(2, 3, 3)(rng)}, _run_sizes
        ),
        Case(
            N_("a 4-5-2 network"),
            lambda rng: {"params": _params(4, 5, 2)(rng)},
            _run_sizes,
            explain={"network_sizes(params)": N_("W1 is (I, H) and W2 is (H, O)")},
        ),
        Case(
            N_("W2 with 3 rows after a hidden layer of 4"),
            _broken("W2", (3, 2)),
            _run_sizes_broken,
            explain={
                "raises ValueError": N_("these weights do not fit together"),
                _SAYS_WHAT: N_('give the error a message: `raise ValueError("W2 has ... rows")`'),
            },
        ),
        Case(
            N_("b1 of the wrong length"),
            _broken("b1", (5,)),
            _run_sizes_broken,
            explain={"raises ValueError": N_("these weights do not fit together")},
        ),
        Case(
            N_("a hidden b2 of shape (1, 2)"), _broken("b2", (1, 2)), _run_sizes_broken, shown=False
        ),
        # O read from b2 alone (b2.shape[0]) never compares b2 with W2's columns
        Case(
            N_("a hidden b2 of 3 numbers after a W2 with 2 columns"),
            _broken("b2", (3,)),
            _run_sizes_broken,
            shown=False,
        ),
        Case(
            N_("a hidden b1 of shape (4, 1): the right length, not the right shape"),
            _broken("b1", (4, 1)),
            _run_sizes_broken,
            shown=False,
        ),
        Case(
            N_("a hidden W1 with 5 columns before a b1 and a W2 made for 4 hidden neurons"),
            _broken("W1", (3, 5)),
            _run_sizes_broken,
            shown=False,
        ),
        Case(
            N_("a hidden 7-2-5 network"),
            lambda rng: {"params": _params(7, 2, 5)(rng)},
            _run_sizes,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(_UNCHECKED, _sizes_unchecked),
        Mistake(
            N_(
                "a b1 of shape (4, 1) got through: `len(b1)` (the length of its first axis) and "
                "`b1.size` (its number of entries) are both 4, yet it is not a vector of 4 "
                "biases; compare whole shapes, `b1.shape != (H,)` and `b2.shape != (O,)`."
            ),
            _sizes_by_length,
        ),
        Mistake(
            N_(
                "W1 has one row per input and one column per hidden neuron: `I, H = W1.shape` "
                "(not `H, I`); likewise `H, O = W2.shape`."
            ),
            _sizes_transposed,
        ),
        Mistake(
            N_(
                "return the three sizes (I, H, O): H is in both shapes, W1 (I, H) and W2 (H, O), "
                "but once in the answer."
            ),
            _both_shapes,
        ),
        Mistake(
            N_(
                "this returns the sizes in the order (I, O, H): the output size second and the "
                "hidden size last; return them in the order the network runs, `return I, H, O`."
            ),
            _sizes_out_of_order,
        ),
        Mistake(
            N_(
                "a b2 of shape (1, 2) got through without a ValueError: compare b2's whole shape, "
                "`b2.shape != (O,)`."
            ),
            _sizes_b2_unchecked,
        ),
        Mistake(
            N_(
                "a b2 of shape (1, 2) got through: its size is 2, as for 2 biases, yet it is "
                "not a vector; compare b2's whole shape, `b2.shape != (O,)`."
            ),
            _sizes_b2_by_size,
        ),
        Mistake(
            N_(
                "a W2 with 3 rows after 4 hidden neurons got through without a ValueError: "
                "compare W2's rows with H, `W2.shape[0] != H`."
            ),
            _sizes_w2_rows_unchecked,
        ),
        Mistake(
            N_("return the sizes as a tuple, `return I, H, O`, not as a dictionary."),
            _sizes_as_dict,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"^AssertionError",
            N_(
                "an `assert` stops with AssertionError; the exercise asks for "
                '`raise ValueError("...")`, the usual error for a value of the wrong shape.'
            ),
        ),
        ErrorHint(
            r"^KeyError|indices must be integers",
            N_(
                'params is a dictionary: read its arrays as `params["W1"]`, `params["b1"]` and so on.'
            ),
        ),
    ),
)

# forward(x, params)

_OTHER_ACTIVATION = N_(
    "the hidden layer of this network uses the sigmoid, `h = sigmoid(x @ W1 + b1)`: another "
    "activation (ReLU, tanh) gives other scores with the same weights."
)


def _hidden_activation(activation):
    def wrong(x, params):
        return activation(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]

    return wrong


def forward(x, params):
    h = sigmoid(x @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def _run_forward(f, inp):
    return {"forward(x, params)": f(inp["x"], inp["params"])}


def _forward_inputs(N, I, H, O):
    def make(rng):
        x = np.round(rng.standard_normal((N, I) if N else (I,)), 2)
        return {"x": x, "params": _params(I, H, O)(rng)}

    return make


def _no_sigmoid(x, p):
    return (x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]


def _without_b2(x, p):
    return sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"]


def _without_b1(x, p):
    return sigmoid(x @ p["W1"]) @ p["W2"] + p["b2"]


def _sigmoid_on_scores(x, p):
    return sigmoid(sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])


def _softmax_scores(x, p):
    s = forward(x, p)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _precedence(x, p):
    a = x @ p["W1"] + p["b1"]
    return (1 / 1 + np.exp(-a)) @ p["W2"] + p["b2"]


def _sigmoid_sign_slipped(x, p):
    a = x @ p["W1"] + p["b1"]
    return (1 / (1 + np.exp(a))) @ p["W2"] + p["b2"]


def _sigmoid_before_bias(x, p):
    return (sigmoid(x @ p["W1"]) + p["b1"]) @ p["W2"] + p["b2"]


def _b1_in_output(x, p):
    return sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b1"]


def _hidden_only(x, p):
    return sigmoid(x @ p["W1"] + p["b1"])


def _sigmoid_twice(x, p):
    return sigmoid(sigmoid(x @ p["W1"] + p["b1"])) @ p["W2"] + p["b2"]


def _minus_b1(x, p):
    return sigmoid(x @ p["W1"] - p["b1"]) @ p["W2"] + p["b2"]


def _minus_b2(x, p):
    return sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] - p["b2"]


def _elementwise_w1(x, p):
    return sigmoid(x * p["W1"] + p["b1"]) @ p["W2"] + p["b2"]


def _exp_not_sigmoid(x, p):
    return (1 / np.exp(-(x @ p["W1"] + p["b1"]))) @ p["W2"] + p["b2"]


def _sigmoid_minus(x, p):
    return (1 / (1 - np.exp(-(x @ p["W1"] + p["b1"])))) @ p["W2"] + p["b2"]


def _b2_into_w2(x, p):
    return sigmoid(x @ p["W1"] + p["b1"]) @ (p["W2"] + p["b2"])


forward_exercise = Exercise(
    id="lab1.forward",
    receives=N_("a function forward(x, params)"),
    reference=forward,
    cases=(
        # atol: scores are of order 1; a float32 answer may differ from float64 by ~1e-7 of that.
        Case(
            N_("one point x (2,) through a 2-3-3 network"),
            _forward_inputs(None, 2, 3, 3),
            _run_forward,
            atol=1e-6,
        ),
        Case(
            N_("a batch x (4, 2) through a 2-3-3 network"),
            _forward_inputs(4, 2, 3, 3),
            _run_forward,
            atol=1e-6,
        ),
        Case(
            N_("a hidden batch x (6, 5) through a 5-4-3 network"),
            _forward_inputs(6, 5, 4, 3),
            _run_forward,
            shown=False,
            atol=1e-6,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the hidden layer needs its activation: `h = sigmoid(x @ W1 + b1)`, then "
                "`h @ W2 + b2`."
            ),
            _no_sigmoid,
        ),
        Mistake(
            N_(
                "the scores are the last affine layer's output, `h @ W2 + b2`, with no sigmoid "
                "after it."
            ),
            _sigmoid_on_scores,
        ),
        Mistake(
            N_(
                "forward returns raw scores; softmax would turn them into probabilities, which "
                "this lab does not need (the largest score wins either way)."
            ),
            _softmax_scores,
        ),
        Mistake(
            N_("the output layer's bias is missing: the scores are `h @ W2 + b2`."), _without_b2
        ),
        Mistake(N_("the hidden layer's bias is missing: `h = sigmoid(x @ W1 + b1)`."), _without_b1),
        Mistake(
            N_("the bias is added before the sigmoid: `sigmoid(x @ W1 + b1)`."),
            _sigmoid_before_bias,
        ),
        Mistake(PRECEDENCE, _precedence),
        Mistake(
            N_(
                "the hidden values here are 1 / (1 + e^(+a)), with a = x @ W1 + b1: that is "
                "sigmoid(−a) = 1 − sigmoid(a), not sigmoid(a). The sigmoid has a minus sign in "
                "the exponent, `1 / (1 + np.exp(-a))`."
            ),
            _sigmoid_sign_slipped,
        ),
        Mistake(
            N_(
                "the hidden values here are e^a, with a = x @ W1 + b1, not the sigmoid "
                "1 / (1 + e^(−a)): the `1 +` in the denominator is missing."
            ),
            _exp_not_sigmoid,
        ),
        Mistake(
            N_(
                "the hidden values here are 1 / (1 − e^(−a)), with a = x @ W1 + b1: the sigmoid's "
                "denominator adds, `1 / (1 + np.exp(-a))`."
            ),
            _sigmoid_minus,
        ),
        Mistake(
            N_(
                "the sigmoid is applied twice to the hidden layer, sigmoid(sigmoid(x @ W1 + b1)): "
                "once is enough, `h = sigmoid(x @ W1 + b1)`."
            ),
            _sigmoid_twice,
        ),
        Mistake(
            N_(
                "that is the hidden layer's h = sigmoid(x @ W1 + b1); forward goes on through the "
                "output layer and returns its scores, `h @ W2 + b2`."
            ),
            _hidden_only,
        ),
        Mistake(
            N_("the output layer adds b1, the hidden layer's bias; its own is b2: `h @ W2 + b2`."),
            _b1_in_output,
        ),
        Mistake(
            N_("the hidden layer's bias is subtracted here, `x @ W1 - b1`; add it: `x @ W1 + b1`."),
            _minus_b1,
        ),
        Mistake(
            N_("the output layer's bias is subtracted here, `h @ W2 - b2`; add it: `h @ W2 + b2`."),
            _minus_b2,
        ),
        Mistake(
            N_(
                "`h @ (W2 + b2)` adds b2 to every row of W2 before the product; the bias is added "
                "after it, `h @ W2 + b2`."
            ),
            _b2_into_w2,
        ),
        Mistake(
            N_(
                "`x * W1` multiplies element by element (and x (N, I) and W1 (I, H) do not line "
                "up for that); a layer is the matrix product `x @ W1`."
            ),
            _elementwise_w1,
        ),
        *(
            Mistake(_OTHER_ACTIVATION, _hidden_activation(activation))
            for activation in (lambda a: np.maximum(0, a), np.tanh)
        ),
    ),
    error_hints=(
        ErrorHint(
            r"matmul: Input operand 1 has a mismatch|shapes .* not aligned",
            N_(
                "each sample is a row of x, so the products are `x @ W1` and `h @ W2`, in that order."
            ),
        ),
        ErrorHint(
            r"^KeyError|indices must be integers",
            N_('params is a dictionary: `params["W1"]` and so on.'),
        ),
    ),
)

# predict_in_batches(predict, x, batch_size)


class _Recorder:
    """A predict function that remembers how many rows it received at each call."""

    def __init__(self, W):
        self.W, self.rows = W, []

    def __call__(self, x):
        x = np.asarray(x)
        self.rows.append(int(x.shape[0]) if x.ndim == 2 else -1)
        return x @ self.W


def _batch_inputs(N, batch_size):
    def make(rng):
        return {
            "x": np.round(rng.standard_normal((N, 2)), 2),
            "W": np.round(rng.standard_normal((2, 3)), 2),
            "batch_size": batch_size,
        }

    return make


def _run_batches(f, inp):
    predict = _Recorder(inp["W"])
    classes = f(predict, inp["x"], inp["batch_size"])
    return {
        "predict_in_batches(predict, x, batch_size)": classes,
        N_("rows per call to predict"): predict.rows,
    }


_SPLIT = N_(
    "np.array_split(x, k) cuts x into k pieces; the pieces must instead have batch_size rows "
    "each: slice `x[start:start + batch_size]` for `start in range(0, len(x), batch_size)`."
)


_DROP_LAST = N_(
    "the last, shorter batch is missing (when batch_size does not divide len(x), a "
    "loop over whole batches only, such as `range(len(x) // batch_size)`, leaves it "
    "out); `range(0, len(x), batch_size)` steps over every start, including the last "
    "one."
)


def _all_at_once(predict, x, batch_size):
    return np.argmax(predict(x), axis=1)


def _drop_last(predict, x, batch_size):
    return np.concatenate(
        [
            np.argmax(predict(x[i * batch_size : (i + 1) * batch_size]), axis=1)
            for i in range(len(x) // batch_size)
        ]
    )


def _drop_last_prefilled(predict, x, batch_size):
    out = np.zeros(len(x), dtype=int)  # filled batch by batch: the last rows stay 0
    for i in range(len(x) // batch_size):
        rows = slice(i * batch_size, (i + 1) * batch_size)
        out[rows] = np.argmax(predict(x[rows]), axis=1)
    return out


def _array_split(predict, x, batch_size):
    return np.concatenate(
        [np.argmax(predict(part), axis=1) for part in np.array_split(x, batch_size)]
    )


def _overlapping(predict, x, batch_size):
    return np.concatenate(
        [
            np.argmax(predict(x[i : i + batch_size + 1]), axis=1)
            for i in range(0, len(x), batch_size + 1)
        ]
    )


def _skipping(predict, x, batch_size):
    return np.concatenate(
        [
            np.argmax(predict(x[i : i + batch_size]), axis=1)
            for i in range(0, len(x), batch_size + 1)
        ]
    )


def _scores_not_classes(predict, x, batch_size):
    return np.concatenate([predict(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


def _argmax_axis0(predict, x, batch_size):
    return np.concatenate(
        [np.argmax(predict(x[i : i + batch_size]), axis=0) for i in range(0, len(x), batch_size)]
    )


def _batches(predict, x, starts, stop):
    """The classes of x[start:stop(start)] for each start, concatenated: a loop of slices."""
    return np.concatenate([np.argmax(predict(x[i : stop(i)]), axis=1) for i in starts])


def _stops_one_batch_early(predict, x, batch_size):
    return _batches(predict, x, range(0, len(x) - batch_size, batch_size), lambda i: i + batch_size)


def _starts_at_one(predict, x, batch_size):
    return _batches(predict, x, range(1, len(x), batch_size), lambda i: i + batch_size)


def _one_row_short(predict, x, batch_size):
    return _batches(predict, x, range(0, len(x), batch_size), lambda i: i + batch_size - 1)


def _slice_ends_at_batch_size(predict, x, batch_size):
    return _batches(predict, x, range(0, len(x), batch_size), lambda i: batch_size)


def _one_batch_too_many(predict, x, batch_size):
    return np.concatenate(
        [
            np.argmax(predict(x[i * batch_size : (i + 1) * batch_size]), axis=1)
            for i in range(len(x) // batch_size + 1)
        ]
    )


def _whole_x_each_time(predict, x, batch_size):
    return np.concatenate(
        [np.argmax(predict(x), axis=1)[i : i + batch_size] for i in range(0, len(x), batch_size)]
    )


def _last_batch_only(predict, x, batch_size):
    for i in range(0, len(x), batch_size):
        classes = np.argmax(predict(x[i : i + batch_size]), axis=1)
    return classes


def _argmax_flat(predict, x, batch_size):
    return np.array(
        [np.argmax(predict(x[i : i + batch_size])) for i in range(0, len(x), batch_size)]
    )


def _max_not_argmax(predict, x, batch_size):
    return np.concatenate(
        [np.max(predict(x[i : i + batch_size]), axis=1) for i in range(0, len(x), batch_size)]
    )


def _array_split_by_count(predict, x, batch_size):
    parts = np.array_split(x, len(x) // batch_size)
    return np.concatenate([np.argmax(predict(part), axis=1) for part in parts])


predict_in_batches_exercise = Exercise(
    id="lab1.predict_in_batches",
    receives=N_("a function predict_in_batches(predict, x, batch_size)"),
    reference=predict_in_batches,
    cases=(
        Case(
            N_("10 points in batches of 4"),
            _batch_inputs(10, 4),
            _run_batches,
            explain={
                N_("rows per call to predict"): N_("batches of 4, then the 2 points left over")
            },
        ),
        Case(N_("12 points in batches of 4 (no remainder)"), _batch_inputs(12, 4), _run_batches),
        Case(N_("3 points, batch_size 8 (one short batch)"), _batch_inputs(3, 8), _run_batches),
        Case(
            N_("a hidden 50 points in batches of 4"),
            _batch_inputs(50, 4),
            _run_batches,
            shown=False,
        ),
        Case(
            N_("a hidden 1000 points in batches of 256"),
            _batch_inputs(1000, 256),
            _run_batches,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "all the points went to predict in one call; the point of batching is that predict "
                "never sees more than batch_size rows at once."
            ),
            _all_at_once,
        ),
        Mistake(
            N_(
                "predict gets all of x at every pass of the loop: give it the batch, "
                "`predict(x[start:start + batch_size])`."
            ),
            _whole_x_each_time,
        ),
        # Before the shorter-batch mistake, which gives its outputs where batch_size does not
        # divide len(x); where it does, only this one still leaves out the last batch.
        Mistake(
            N_(
                "`range(0, len(x) - batch_size, batch_size)` stops before the last batch's "
                "start, so the last batch (full or not) is never predicted: "
                "`range(0, len(x), batch_size)` steps over every start."
            ),
            _stops_one_batch_early,
        ),
        Mistake(
            _DROP_LAST,
            _drop_last,
        ),
        Mistake(_DROP_LAST, _drop_last_prefilled),
        Mistake(_SPLIT, _array_split),
        Mistake(_SPLIT, _array_split_by_count),
        Mistake(
            N_(
                "the loop starts at 1, so the first point is never predicted: "
                "`range(0, len(x), batch_size)`."
            ),
            _starts_at_one,
        ),
        Mistake(
            N_(
                "each slice holds batch_size − 1 rows: the end of a slice `x[a:b]` is left out "
                "already, so `x[start:start + batch_size]` holds batch_size."
            ),
            _one_row_short,
        ),
        Mistake(
            N_(
                "the slice `x[start:batch_size]` ends at batch_size whatever the start, so every "
                "batch after the first is empty: `x[start:start + batch_size]`."
            ),
            _slice_ends_at_batch_size,
        ),
        Mistake(
            N_(
                "`len(x) // batch_size + 1` batches are one too many when batch_size divides "
                "len(x): the last is empty, and predict is called on 0 rows. "
                "`range(0, len(x), batch_size)` gives exactly the starts needed."
            ),
            _one_batch_too_many,
        ),
        Mistake(
            N_(
                "only the last batch's classes are returned: each pass of the loop replaces "
                "them. Collect every batch's classes in a list and join them, `np.concatenate`."
            ),
            _last_batch_only,
        ),
        Mistake(
            N_(
                "`np.argmax(scores)` without an axis gives one number per batch, the position of "
                "the largest score in the whole batch; each point's class is "
                "`np.argmax(scores, axis=1)`."
            ),
            _argmax_flat,
        ),
        Mistake(
            N_(
                "`np.max` gives each point's highest score; its class is where that score is, "
                "`np.argmax(scores, axis=1)`."
            ),
            _max_not_argmax,
        ),
        Mistake(
            N_(
                "a slice `x[a:b]` stops before b: `x[start:start + batch_size]` already holds "
                "batch_size rows."
            ),
            _overlapping,
        ),
        Mistake(
            N_(
                "the loop steps by batch_size + 1, so the point after each batch is never "
                "predicted: step with `range(0, len(x), batch_size)`."
            ),
            _skipping,
        ),
        Mistake(
            N_(
                "return the class of each point (np.argmax of each batch's scores along axis=1), "
                "not the scores themselves."
            ),
            _scores_not_classes,
        ),
        Mistake(
            N_(
                "each batch's scores are (B, C), one row per point: the class is "
                "`np.argmax(scores, axis=1)`."
            ),
            _argmax_axis0,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"need at least one array to concatenate",
            N_("the loop ran zero times: step with `range(0, len(x), batch_size)`."),
        ),
    ),
)

# accuracy(scores, t)


def _run_accuracy(f, inp):
    return {"accuracy(scores, t)": f(inp["scores"], inp["t"])}


def _accuracy_inputs(N, C, one_hot):
    def make(rng):
        scores = np.round(rng.standard_normal((N, C)), 2)
        labels = np.where(rng.random(N) < 0.6, scores.argmax(axis=1), rng.integers(0, C, N))
        return {"scores": scores, "t": np.eye(C, dtype=int)[labels] if one_hot else labels}

    return make


# As many samples as classes, N = C = 3: t's length (or last axis) then equals C whether t holds
# labels (3,) or one-hot rows (3, 3), and only t.ndim tells them apart. Two of three predictions
# are right: some, not all, so a count divided with `//` gives 0 here as on every other case,
# while np.argmax(scores, axis=0) (down the columns) gives no 0 to take for that slip. The labels
# are a cycle, not their own inverse, so a one-hot t read down its columns (argmax axis 0) gives
# other labels. A label vector taken for one-hot and reduced to one number, np.argmax(t) = 1
# (where the largest label sits), matches the one prediction of class 1: 1/3, neither the right
# 2/3 nor 0.
_SQUARE_SCORES = np.array([[0.3, 1.5, -0.2], [0.9, -0.3, 1.4], [0.6, 1.8, 2.1]])
_SQUARE_LABELS = np.array([1, 2, 0])


def _square_inputs(one_hot):
    def make(rng):
        t = np.eye(3, dtype=int)[_SQUARE_LABELS] if one_hot else _SQUARE_LABELS.copy()
        return {"scores": _SQUARE_SCORES.copy(), "t": t}

    return make


def _count(scores, t):
    t = np.asarray(t)
    return int(np.sum(np.argmax(scores, axis=1) == (t.argmax(axis=1) if t.ndim == 2 else t)))


def _no_argmax(scores, t):
    t = np.asarray(t)
    return float(np.mean(scores == (t.argmax(axis=1) if t.ndim == 2 else t)))


def _argmax_down_columns(scores, t):
    t = np.asarray(t)
    return float(np.mean(np.argmax(scores, axis=0) == (t.argmax(axis=1) if t.ndim == 2 else t)))


def _labels_only(scores, t):
    return float(np.mean(np.argmax(scores, axis=1) == t))


def _percent(scores, t):
    return 100 * accuracy(scores, t)


def _floor_divided(scores, t):
    t = np.asarray(t)
    correct = np.sum(np.argmax(scores, axis=1) == (t.argmax(axis=1) if t.ndim == 2 else t))
    return correct // len(t)


def _error_rate(scores, t):
    return 1 - accuracy(scores, t)


def _labels(t):
    t = np.asarray(t)
    return t.argmax(axis=1) if t.ndim == 2 else t


def _one_hot_flat_argmax(scores, t):
    t = np.asarray(t)
    return float(np.mean(np.argmax(scores, axis=1) == (np.argmax(t) if t.ndim == 2 else t)))


def _one_hot_down_columns(scores, t):
    t = np.asarray(t)
    return float(np.mean(np.argmax(scores, axis=1) == (np.argmax(t, axis=0) if t.ndim == 2 else t)))


def _always_one_hot(scores, t):
    return float(np.mean(np.argmax(scores, axis=1) == np.argmax(t, axis=1)))


def _argmin(scores, t):
    return float(np.mean(np.argmin(scores, axis=1) == _labels(t)))


def _rounded(decimals):
    return lambda scores, t: round(accuracy(scores, t), decimals)


_ONE_HOT = N_(
    "t can be one-hot, shape (N, C): turn it into labels first, "
    "`if t.ndim == 2: t = np.argmax(t, axis=1)`."
)

accuracy_exercise = Exercise(
    id="lab1.accuracy",
    receives=N_("a function accuracy(scores, t)"),
    reference=accuracy,
    cases=(
        Case(N_("scores (5, 3), labels t (5,)"), _accuracy_inputs(5, 3, False), _run_accuracy),
        Case(
            N_("scores (4, 3), one-hot t (4, 3)"),
            _accuracy_inputs(4, 3, True),
            _run_accuracy,
            explain={"accuracy(scores, t)": N_("one-hot rows hold a 1 at the true class")},
        ),
        Case(
            N_("a hidden batch of 40, labels"),
            _accuracy_inputs(40, 4, False),
            _run_accuracy,
            shown=False,
        ),
        Case(
            N_("a hidden batch of 30, one-hot"),
            _accuracy_inputs(30, 5, True),
            _run_accuracy,
            shown=False,
        ),
        Case(
            N_("scores (3, 3), labels t (3,): as many samples as classes"),
            _square_inputs(False),
            _run_accuracy,
            explain={
                "accuracy(scores, t)": N_(
                    "t holds one label per sample; its length happens to equal the number of "
                    "classes"
                )
            },
        ),
        Case(
            N_("scores (3, 3), one-hot t (3, 3): as many samples as classes"),
            _square_inputs(True),
            _run_accuracy,
            explain={"accuracy(scores, t)": N_("one-hot rows hold a 1 at the true class")},
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "that is how many are right; accuracy is the fraction right, the count divided by "
                "N (`np.mean(predicted == t)` does both)."
            ),
            _count,
        ),
        Mistake(
            N_(
                "compare the predicted class, `np.argmax(scores, axis=1)`, with t; the scores "
                "themselves are not class numbers."
            ),
            _no_argmax,
        ),
        Mistake(_ONE_HOT, _labels_only),
        Mistake(
            N_(
                "t can also be a vector of labels, shape (N,), which has no axis 1: turn t into "
                "labels only when it is one-hot, `if t.ndim == 2: t = np.argmax(t, axis=1)`."
            ),
            _always_one_hot,
        ),
        Mistake(
            N_(
                "`np.argmax(t)` without an axis gives one number, the position of the first 1 in "
                "the whole of t; each row's label is `np.argmax(t, axis=1)`."
            ),
            _one_hot_flat_argmax,
        ),
        Mistake(
            N_(
                "`np.argmax(t, axis=0)` runs down the columns of the one-hot t, one number per "
                "class; each row's label is `np.argmax(t, axis=1)`."
            ),
            _one_hot_down_columns,
        ),
        Mistake(
            N_(
                "`np.argmin` picks each row's lowest score; the predicted class is the highest, "
                "`np.argmax(scores, axis=1)`."
            ),
            _argmin,
        ),
        Mistake(
            N_(
                "`np.argmax(scores, axis=0)` runs down the columns: it gives, for each class, the "
                "sample that scores highest. Each sample's predicted class is "
                "`np.argmax(scores, axis=1)`, one per row."
            ),
            _argmax_down_columns,
        ),
        Mistake(N_("give a fraction between 0 and 1, not a percentage."), _percent),
        Mistake(
            N_("that is the error rate, the fraction wrong; accuracy is the fraction right."),
            _error_rate,
        ),
        Mistake(
            N_(
                "the accuracy comes out 0 though some predictions are right. Either no "
                "comparison came out true (compare class indices, `np.argmax(scores, axis=1)`, "
                "with the labels, not scores), or a count was divided with `//` (or cut with "
                "`int()` or `math.floor`), which rounds any fraction below 1 down to 0: divide "
                "with `/`."
            ),
            _floor_divided,
        ),
        *(
            Mistake(
                N_("the accuracy is rounded here; return it as computed (round only to print it)."),
                _rounded(decimals),
            )
            for decimals in (1, 2, 3)
        ),
    ),
)

# confusion_matrix(labels, predicted, n_classes)

_CONFUSION = "confusion_matrix(labels, predicted, n_classes)"


def _run_confusion(f, inp):
    return {
        "confusion_matrix(labels, predicted, n_classes)": f(
            inp["labels"], inp["predicted"], inp["n_classes"]
        )
    }


def _confusion_inputs(N, C, skip_last=False):
    def make(rng):
        k = C - 1 if skip_last else C  # skip_last: the last class never occurs at all
        labels = rng.integers(0, k, N)
        predicted = np.where(rng.random(N) < 0.6, labels, rng.integers(0, k, N))
        return {"labels": labels, "predicted": predicted, "n_classes": C}

    return make


def _row_fractions(counts):
    with np.errstate(invalid="ignore"):  # a class that never occurs: 0 / 0, as learners get
        return counts / counts.sum(axis=1, keepdims=True)


def _column_fractions(counts):
    with np.errstate(invalid="ignore"):
        return counts / counts.sum(axis=0, keepdims=True)


def _fancy_add(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[labels, predicted] += 1
    return counts


def _transposed(labels, predicted, n_classes):
    return confusion_matrix(predicted, labels, n_classes)


def _sized_by_data(labels, predicted, n_classes):
    C = int(max(np.max(labels), np.max(predicted))) + 1
    return confusion_matrix(labels, predicted, C)


def _counting(rule):
    """A loop over the samples that adds 1 where rule(counts, true, predicted) says."""

    def count(labels, predicted, n_classes):
        counts = np.zeros((n_classes, n_classes), dtype=int)
        for i, j in zip(labels, predicted):
            rule(counts, i, j)
        return counts

    return count


def _add(counts, *where):
    counts[where] += 1


_diagonal_of_labels = _counting(lambda c, i, j: _add(c, i, i))
_diagonal_of_predicted = _counting(lambda c, i, j: _add(c, j, j))
_only_right = _counting(lambda c, i, j: _add(c, i, j) if i == j else None)
_only_wrong = _counting(lambda c, i, j: _add(c, i, j) if i != j else None)
_both_ways = _counting(lambda c, i, j: (_add(c, i, j), _add(c, j, i)))


def _last_sample_left_out(labels, predicted, n_classes):
    return confusion_matrix(labels[:-1], predicted[:-1], n_classes)


def _one_class_too_many(labels, predicted, n_classes):
    return confusion_matrix(labels, predicted, n_classes + 1)


confusion_matrix_exercise = Exercise(
    id="lab1.confusion_matrix",
    receives=N_("a function confusion_matrix(labels, predicted, n_classes)"),
    reference=confusion_matrix,
    cases=(
        Case(
            N_("6 samples, 3 classes"),
            lambda rng: {
                "labels": np.array([0, 0, 1, 2, 2, 2]),
                "predicted": np.array([0, 1, 1, 2, 0, 2]),
                "n_classes": 3,
            },
            _run_confusion,
            explain={_CONFUSION: N_("row = true class, column = predicted class")},
        ),
        Case(N_("20 samples, 3 classes"), _confusion_inputs(20, 3), _run_confusion),
        Case(
            N_("class 3 of 4 never occurs"),
            _confusion_inputs(12, 4, skip_last=True),
            _run_confusion,
            explain={_CONFUSION: N_("class 3 gets a row and a column of zeros")},
        ),
        Case(
            N_("a hidden 200 samples, 5 classes"),
            _confusion_inputs(200, 5),
            _run_confusion,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "every (true, predicted) pair that occurs is counted once, however often it "
                "occurs: `counts[labels, predicted] += 1` does that (NumPy reads all the old "
                "values first, adds 1 to each, then writes them back), and so does setting "
                "`counts[i, j] = 1`. Add 1 for every sample: loop over the samples "
                "(`for i, j in zip(labels, predicted): counts[i, j] += 1`) or use "
                "`np.add.at(counts, (labels, predicted), 1)`, which adds every repeat."
            ),
            _fancy_add,
        ),
        Mistake(
            N_(
                "rows are the true classes and columns the predicted ones: "
                "`counts[label, prediction]`."
            ),
            _transposed,
        ),
        Mistake(
            N_(
                "the matrix is n_classes x n_classes whatever labels occur in this batch: size it "
                "from the `n_classes` argument, `np.zeros((n_classes, n_classes), dtype=int)`."
            ),
            _sized_by_data,
        ),
        Mistake(
            N_(
                "the matrix holds counts, integers: leave out the division (a row divided by its "
                "sum gives fractions, a normalised matrix, which is another thing)."
            ),
            lambda labels, predicted, n: _row_fractions(confusion_matrix(labels, predicted, n)),
        ),
        Mistake(
            N_(
                "that is each count divided by the number of samples; the matrix holds the counts "
                "themselves, integers: leave out the division."
            ),
            lambda labels, predicted, n: confusion_matrix(labels, predicted, n) / len(labels),
        ),
        Mistake(
            N_(
                "that is each column divided by its sum; the matrix holds the counts themselves, "
                "integers: leave out the division."
            ),
            lambda labels, predicted, n: _column_fractions(confusion_matrix(labels, predicted, n)),
        ),
        Mistake(
            N_(
                "every sample is counted at (true class, true class), on the diagonal: the column "
                "is the predicted class, `counts[label, prediction] += 1`."
            ),
            _diagonal_of_labels,
        ),
        Mistake(
            N_(
                "every sample is counted at (predicted class, predicted class), on the diagonal: "
                "the row is the true class, `counts[label, prediction] += 1`."
            ),
            _diagonal_of_predicted,
        ),
        Mistake(
            N_(
                "only the right predictions are counted (the diagonal); the mistakes, off the "
                "diagonal, are what the matrix is for: count every sample."
            ),
            _only_right,
        ),
        Mistake(
            N_(
                "only the wrong predictions are counted, the diagonal stays 0: count the right "
                "ones too, every sample once."
            ),
            _only_wrong,
        ),
        Mistake(
            N_(
                "every sample is counted twice, at (true, predicted) and at (predicted, true): "
                "count it once, `counts[label, prediction] += 1`."
            ),
            _both_ways,
        ),
        Mistake(
            N_(
                "the last sample is never counted: `range(len(labels) - 1)` stops one early; "
                "`range(len(labels))` (or `zip(labels, predicted)`) reaches every sample."
            ),
            _last_sample_left_out,
        ),
        Mistake(
            N_(
                "the matrix has n_classes + 1 rows and columns: the classes are 0 to "
                "n_classes − 1, so `np.zeros((n_classes, n_classes), dtype=int)` holds them all."
            ),
            _one_class_too_many,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"index \d+ is out of bounds",
            N_(
                "make the matrix n_classes x n_classes: `np.zeros((n_classes, n_classes), dtype=int)`."
            ),
        ),
    ),
)

EXERCISES = (
    network_sizes_exercise,
    forward_exercise,
    predict_in_batches_exercise,
    accuracy_exercise,
    confusion_matrix_exercise,
)


# --- A gradient derived by hand (issue 13) -------------------------------------------------
# Appended below the lab's first entries so that edits to those stay separate.


def logsumexp(s):
    """Row by row, log Σₖ e^{s_k}, computed stably: s (N, C) -> (N,)."""
    top = np.max(s, axis=1)
    return top + np.log(np.sum(np.exp(s - top[:, None]), axis=1))


def _run_logsumexp_grad(impl, inp):
    return {"logsumexp_grad(s)": impl(inp["s"])}


def _scores(N, C, shift=0.0, decimals=2):
    return lambda rng: {"s": np.round(shift + 2 * rng.standard_normal((N, C)), decimals)}


def _rows_far_apart(rng):
    """One max for the whole batch is not enough here: each row needs its own."""
    s = np.round(2 * rng.standard_normal((2, 4)), 2)
    return {"s": s + np.array([[1000.0], [-1000.0]])}


def _global_max_softmax(s):
    e = np.exp(s - np.max(s))
    with np.errstate(invalid="ignore"):
        return e / np.sum(e, axis=1, keepdims=True)


# The derivative asked for is a formula: exact (to rounding error) for float64 inputs.
_GradCase = partial(Case, rtol=1e-6, atol=1e-8, exact=True)


def _logsumexp_slope(s):
    return np.exp(s - logsumexp(s)[:, None])


def _minus_one_hot_of_max(s):
    return _logsumexp_slope(s) - (s == s.max(axis=1, keepdims=True))


def _stable_exp_over_columns(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _stable_exp_alone(s):
    return np.exp(s - s.max(axis=1, keepdims=True))


def _softmax_times_one_minus(s):
    y = _logsumexp_slope(s)
    return y * (1 - y)


def _column_max_softmax(s):
    e = np.exp(s - s.max(axis=0, keepdims=True))
    with np.errstate(invalid="ignore"):
        return e / e.sum(axis=1, keepdims=True)


def _max_in_numerator_only(s):
    return np.exp(s - s.max(axis=1, keepdims=True)) / np.sum(np.exp(s), axis=1, keepdims=True)


# The whole batch summed, with or without a max subtracted first: one slip, one hint.
_WHOLE_BATCH_SUM = N_(
    "each row is its own sample: divide each row by its own sum "
    "(`axis=1, keepdims=True`), not by the sum over the whole batch."
)

logsumexp_grad_exercise = Exercise(
    id="lab1.logsumexp_grad",
    receives=N_("a function logsumexp_grad(s)"),
    # The formula, e^(s - logsumexp(s)) row by row, i.e. softmax(s) (tests/test_grader_exact.py
    # holds it to the numerical gradient); its cases are exact, so a numerical gradient fails.
    reference=_logsumexp_slope,
    cases=(
        _GradCase(
            N_("one sample s (1, 3)"),
            lambda rng: {"s": np.array([[2.0, 1.0, -0.5]])},
            _run_logsumexp_grad,
        ),
        _GradCase(
            N_("a batch s (4, 3)"),
            _scores(4, 3),
            _run_logsumexp_grad,
        ),
        _GradCase(
            N_("large scores near 1000 (3, 4), where e^s overflows"),
            _scores(3, 4, shift=1000.0),
            _run_logsumexp_grad,
        ),
        _GradCase(
            N_("rows far apart: one near 1000, one near -1000"),
            _rows_far_apart,
            _run_logsumexp_grad,
        ),
        _GradCase(
            N_("hidden: s (6, 5)"),
            _scores(6, 5, decimals=4),
            _run_logsumexp_grad,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "that is the derivative of the sum Σₖ e^{s_k} alone; the log in front divides it "
                "by that very sum (chain rule: d log u = du / u)."
            ),
            lambda s: np.exp(s),
        ),
        Mistake(
            N_(
                "e^s overflowed for large scores: subtract each row's largest score first "
                "(it cancels in the ratio)."
            ),
            lambda s: np.exp(s) / np.sum(np.exp(s), axis=1, keepdims=True),
        ),
        Mistake(
            N_("each row is its own sample: normalise along axis=1 (the classes), not axis=0."),
            lambda s: np.exp(s) / np.sum(np.exp(s), axis=0, keepdims=True),
        ),
        Mistake(  # the same slip in the stable form: each row's max subtracted first
            N_("each row is its own sample: normalise along axis=1 (the classes), not axis=0."),
            _stable_exp_over_columns,
        ),
        Mistake(
            N_(
                "that is 1/u, the derivative of the log alone, at u = Σₖ e^{s_k}; multiply it by "
                "the inner derivative ∂u/∂s_j = e^{s_j}."
            ),
            lambda s: np.broadcast_to(1 / np.sum(np.exp(s), axis=1, keepdims=True), s.shape),
        ),
        Mistake(  # the same slip in the stable form: each row's max subtracted first
            N_(
                "that is 1/u, the derivative of the log alone, at u = Σₖ e^(s_k − max), each "
                "row's largest score subtracted; multiply it by the inner derivative "
                "∂u/∂s_j = e^(s_j − max)."
            ),
            lambda s: np.broadcast_to(
                1 / np.sum(np.exp(s - s.max(axis=1, keepdims=True)), axis=1, keepdims=True),
                s.shape,
            ),
        ),
        Mistake(
            N_(
                "subtract each row's own largest score, `s.max(axis=1, keepdims=True)`: one "
                "largest score for the whole batch leaves a row far below it as e⁻²⁰⁰⁰ = 0, and "
                "0 / 0 is nan."
            ),
            _global_max_softmax,
        ),
        Mistake(
            N_(
                "that is e^(s − max), each row's largest score subtracted, but not divided by the "
                "row's sum of them: the gradient is e^(s − max) / Σₖ e^(s_k − max)."
            ),
            _stable_exp_alone,
        ),
        Mistake(
            N_(
                "the largest score is subtracted above the line only: e^(s − max) / Σₖ e^(s_k) "
                "is e^(−max) times the gradient. Subtract it from every score, in the sum as well."
            ),
            _max_in_numerator_only,
        ),
        Mistake(
            N_(
                "`s.max(axis=0)` is each column's largest score: subtracting it shifts a row's "
                "scores by different amounts, which changes their ratios. Subtract each row's "
                "own largest, `s.max(axis=1, keepdims=True)`."
            ),
            _column_max_softmax,
        ),
        Mistake(
            N_(
                "that is softmax(s) · (1 − softmax(s)), the slope of softmax's output k with "
                "respect to its own score s_k; the gradient of logsumexp is softmax(s) itself."
            ),
            _softmax_times_one_minus,
        ),
        *(
            Mistake(
                N_(
                    "that is logsumexp(s) itself, one number per row; its gradient has one entry "
                    "per score: e^(s − logsumexp(s)), row by row."
                ),
                value,
            )
            for value in (lambda s: logsumexp(s)[:, None], logsumexp)
        ),
        *(
            Mistake(_WHOLE_BATCH_SUM, form)
            for form in (
                lambda s: np.exp(s - s.max()) / np.sum(np.exp(s - s.max())),
                lambda s: np.exp(s) / np.sum(np.exp(s)),
                lambda s: (
                    np.exp(s - s.max(axis=1, keepdims=True))
                    / np.sum(np.exp(s - s.max(axis=1, keepdims=True)))
                ),
            )
        ),
        Mistake(
            N_(
                "that is softmax(s) with 1 taken off at each row's largest score, softmax(s) − "
                "one-hot(argmax s): the gradient of a cross-entropy loss whose label is the top "
                "score. logsumexp has no label; its gradient is e^(s − logsumexp(s)), softmax(s) "
                "itself, with nothing subtracted."
            ),
            _minus_one_hot_of_max,
        ),
        *at_wrong_arguments(_logsumexp_slope),
    ),
    error_hints=(
        ErrorHint(
            ONE_PER_ROW,
            N_(
                "`np.sum(e, axis=1)` has shape (N,), which NumPy lines up with the columns of "
                "(N, C), not its rows: keep the axis, `np.sum(e, axis=1, keepdims=True)`, "
                "shape (N, 1)."
            ),
        ),
    ),
)

POINTS["lab1.logsumexp_grad"] = 2
EXERCISES += (logsumexp_grad_exercise,)
