"""Lab 3 exercises: a train/test split, the class map behind a decision-boundary plot, and a
training procedure that the grader runs on rings it draws itself."""

import numpy as np

from nnscratch.data import rings, train_test_split
from nnscratch.evaluation import class_map
from nnscratch.exercises.computation_graph import STATE_HINTS
from nnscratch.exercises.inference import PRECEDENCE
from nnscratch.exercises.layer_backprop import _SECOND_BACKWARD, _run_loss_second_batch
from nnscratch.exercises.loss import LOSS_LAYER_EXPLAIN, second_batch, single_number
from nnscratch.exercises.randomness import asks_for_own_generator
from nnscratch.functions import sigmoid
from nnscratch.i18n import N_, Phrase
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake
from nnscratch.trainer import fit

POINTS = {  # what each exercise is worth; the lab's points table shows the same numbers
    "lab3.train_test_split": 3,
    "lab3.class_map": 3,
    "lab3.train_classifier": 4,
}

THRESHOLD = 0.95  # accuracy the learner's training must reach, on its training and on fresh points

# train_test_split(x, t, test_fraction, rng)


def _split_inputs(N, C, test_fraction):
    def make(rng):
        x = np.round(rng.standard_normal((N, 2)), 6)
        t = np.repeat(np.eye(C, dtype=int), -(-N // C), axis=0)[
            :N
        ]  # in class order, as datasets come
        return {"x": x, "t": t, "test_fraction": test_fraction, "seed": int(rng.integers(2**31))}

    return make


def _rows(part, x):
    """The row index in x of every row of part (-1 where there is none)."""
    part = np.asarray(part, dtype=float).reshape(-1, x.shape[1])
    distance = np.abs(part[:, None, :] - x[None, :, :]).max(axis=2)
    return np.where(distance.min(axis=1) < 1e-5, distance.argmin(axis=1), -1)


def _split(f, inp, seed=None):
    (x_train, t_train), (x_test, t_test) = f(
        inp["x"], inp["t"], inp["test_fraction"], inp["seed"] if seed is None else seed
    )
    return np.asarray(x_train), np.asarray(t_train), np.asarray(x_test), np.asarray(t_test)


def _run_split(f, inp):
    x, t = inp["x"], inp["t"]
    x_train, t_train, x_test, t_test = _split(f, inp)
    out = {
        "x_train.shape": x_train.shape,
        "t_train.shape": t_train.shape,
        "x_test.shape": x_test.shape,
        "t_test.shape": t_test.shape,
    }
    train, test = _rows(x_train, x), _rows(x_test, x)
    used = np.concatenate([train, test])
    out[N_("every point used exactly once")] = bool(
        np.array_equal(np.sort(used), np.arange(len(x)))
    )
    drawn = test[test >= 0]
    out[N_("no point twice in the test set")] = bool(len(np.unique(drawn)) == len(drawn))
    out[N_("each label stays with its point")] = bool(
        len(t_train) == len(train)
        and len(t_test) == len(test)
        and (used >= 0).all()
        and np.array_equal(t_train, t[train])
        and np.array_equal(t_test, t[test])
    )
    return out


_RANDOM_SAMPLE = N_("the test points are a random sample, not a block of rows")


def _run_shuffled(f, inp):
    test = np.sort(_rows(_split(f, inp)[2], inp["x"]))
    # A random choice of 40 of 200 rows is (almost surely) not one block of consecutive rows.
    return {_RANDOM_SAMPLE: bool(len(test) > 1 and test[-1] - test[0] + 1 != len(test))}


def _run_seeds(f, inp):
    first, again, other = (_split(f, inp, inp["seed"] + d)[2] for d in (0, 0, 1))
    return {
        N_("the same seed gives the same split"): bool(np.array_equal(first, again)),
        N_("another seed gives another split"): not np.array_equal(first, other),
    }


def _split_two_permutations(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    x, t = x[rng.permutation(len(x))], t[rng.permutation(len(t))]
    return (x[n_test:], t[n_test:]), (x[:n_test], t[:n_test])


def _split_in_order(x, t, test_fraction, rng):
    n_train = len(x) - round(test_fraction * len(x))
    return (x[:n_train], t[:n_train]), (x[n_train:], t[n_train:])


def _split_global_rng(x, t, test_fraction, rng):
    return train_test_split(x, t, test_fraction, np.random.default_rng())  # a fresh seed every call


def _split_global_permutation(x, t, test_fraction, rng):
    order = np.random.permutation(len(x))  # NumPy's global generator, never seeded
    n_test = round(test_fraction * len(x))
    return (x[order[n_test:]], t[order[n_test:]]), (x[order[:n_test]], t[order[:n_test]])


def _split_fixed_seed(x, t, test_fraction, rng):
    return train_test_split(x, t, test_fraction, 0)


def _split_swapped_fraction(x, t, test_fraction, rng):
    return train_test_split(x, t, 1 - test_fraction, rng)


_HALF_UP = N_(
    "2.5 test points became 3: `math.ceil` (or `int(x + 0.5)`) rounds 2.5 up, but "
    "Python's `round` takes 2.5 to 2 and 3.5 to 4 (halves go to the even "
    "neighbour). Hold out round(test_fraction * N) points."
)


def _split_counted(count):
    def split(x, t, test_fraction, rng):
        rng = np.random.default_rng(rng)
        order = rng.permutation(len(x))
        n_test = count(test_fraction * len(x))
        return (x[order[n_test:]], t[order[n_test:]]), (x[order[:n_test]], t[order[:n_test]])

    return split


def _split_from_the_end(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[-n_test:], order[:-n_test]  # for n_test = 0: every point, and none
    return (x[train], t[train]), (x[test], t[test])


def _split_with_replacement(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    test = rng.integers(0, len(x), n_test)
    train = rng.integers(0, len(x), len(x) - n_test)
    return (x[train], t[train]), (x[test], t[test])


def _split_test_with_replacement(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    n_test = round(test_fraction * len(x))
    test = rng.integers(0, len(x), n_test)  # what rng.choice(len(x), n_test) draws too
    train = np.setdiff1d(np.arange(len(x)), test)
    return (x[train], t[train]), (x[test], t[test])


def _split_train_one_late(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[:n_test], order[n_test + 1 :]  # one point in neither set
    return (x[train], t[train]), (x[test], t[test])


_SPLIT_EXPLAIN = {
    "x_test.shape": N_("round(test_fraction * N) points are held out for testing"),
    "x_train.shape": N_("the training set keeps the other points"),
}

_UNREPEATABLE = N_(
    "make the split repeatable: build the generator from the seed you are given, "
    "`rng = np.random.default_rng(rng)`, and draw the permutation from it (not from "
    "np.random.permutation, the global generator)."
)

train_test_split_exercise = Exercise(
    id="lab3.train_test_split",
    receives=N_("a function train_test_split(x, t, test_fraction, rng)"),
    reference=train_test_split,
    cases=(
        Case(
            N_("20 points, test_fraction 0.25"),
            _split_inputs(20, 2, 0.25),
            _run_split,
            explain=_SPLIT_EXPLAIN,
        ),
        Case(
            N_("200 points in class order, test_fraction 0.2"),
            _split_inputs(200, 2, 0.2),
            _run_shuffled,
            explain={
                _RANDOM_SAMPLE: N_(
                    "datasets often come sorted by class, so the last rows may all be one class"
                )
            },
        ),
        Case(N_("the seed decides the split"), _split_inputs(60, 3, 0.25), _run_seeds),
        Case(
            N_("a hidden 35 points, test_fraction 0.4"),
            _split_inputs(35, 3, 0.4),
            _run_split,
            shown=False,
        ),
        # Exactly .5: Python's round() goes to the even neighbour, so 2.5 -> 2 and 3.5 -> 4;
        # int(), math.ceil and "+ 0.5" each get one of the two wrong.
        Case(
            N_("10 points, test_fraction 0.25: round(2.5) is 2"),
            _split_inputs(10, 2, 0.25),
            _run_split,
        ),
        Case(
            N_("14 points, test_fraction 0.25: round(3.5) is 4"),
            _split_inputs(14, 2, 0.25),
            _run_split,
        ),
        # n_test = 0, where order[-n_test:] is every point and order[:-n_test] none.
        Case(
            N_("20 points, test_fraction 0.02: round(0.4) is 0, no test point"),
            _split_inputs(20, 2, 0.02),
            _run_split,
            explain=_SPLIT_EXPLAIN,
        ),
    ),
    mistakes=(
        # First: an empty test set also fails "a random sample" and "another seed, another
        # split", which mistakes further down fail for other reasons.
        Mistake(
            N_(
                "the test set is empty: n_test is a number of points, "
                "`round(test_fraction * len(x))`, not the fraction itself."
            ),
            _split_counted(lambda n: 0),  # int(test_fraction): no test point at all
        ),
        Mistake(
            N_(
                "the training set starts one row after the test set ends, `order[n_test + 1:]`, "
                "so one point is in neither set: `order[n_test:]`."
            ),
            _split_train_one_late,
        ),
        Mistake(
            N_(
                "3.5 test points became 3: `int()` (like `math.floor` or `//`) cuts off the "
                "fraction. Hold out round(test_fraction * N) points: Python's `round` takes 3.5 "
                "to 4 and 2.5 to 2 (halves go to the even neighbour)."
            ),
            _split_counted(int),
        ),
        Mistake(
            _HALF_UP,
            _split_counted(lambda n: int(np.ceil(n))),
        ),
        Mistake(_HALF_UP, _split_counted(lambda n: int(n + 0.5))),
        Mistake(
            N_(
                "the labels no longer belong to their points: x and t were not put in the same "
                "order (two different permutations, or only one of them shuffled). Draw one "
                "permutation, `order = rng.permutation(len(x))`, and index both with it: "
                "`x[order]`, `t[order]`."
            ),
            _split_two_permutations,
        ),
        Mistake(
            N_(
                "another seed must give another split: draw the permutation from a generator "
                "built from the rng you are given, `np.random.default_rng(rng)`."
            ),
            _split_fixed_seed,
        ),
        Mistake(
            N_(
                "shuffle before splitting: the rows often come sorted by class, and the last rows "
                "then make a test set of a single class. `order = rng.permutation(len(x))`."
            ),
            _split_in_order,
        ),
        Mistake(
            _UNREPEATABLE,
            _split_global_rng,
        ),
        Mistake(_UNREPEATABLE, _split_global_permutation),
        Mistake(
            N_(
                "the training set has the test set's size: either n_test was computed from "
                "1 − test_fraction, or the two sets are returned in the wrong order. "
                "test_fraction is the share of points held out for *testing*, "
                "n_test = round(test_fraction * N), and the function returns "
                "(x_train, t_train), (x_test, t_test)."
            ),
            _split_swapped_fraction,
        ),
        Mistake(
            N_(
                "with n_test = 0, `order[-n_test:]` is `order[0:]`, every point, and "
                "`order[:-n_test]` is empty (-0 is 0): take the test set from the front, "
                "`order[:n_test]`, and the training set `order[n_test:]`."
            ),
            _split_from_the_end,
        ),
        Mistake(
            N_(
                "draw the test points without replacement, from one permutation of all the rows: "
                "each point must land in exactly one of the two sets."
            ),
            _split_with_replacement,
        ),
        Mistake(
            N_(
                "the test set holds a point twice and the training set, the points not drawn, "
                "comes out larger than N − n_test: the test indices were drawn with replacement "
                "(`rng.integers`, or `rng.choice`, whose replace is True unless you say "
                "`replace=False`). Draw them from one permutation, `order = "
                "rng.permutation(len(x))`: the test set is `order[:n_test]`, the training set "
                "`order[n_test:]`."
            ),
            _split_test_with_replacement,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"too many values to unpack|not enough values to unpack",
            N_(
                "return two pairs, `(x_train, t_train), (x_test, t_test)`, not four arrays in a row."
            ),
        ),
        ErrorHint(
            r"'int' object has no attribute",
            N_(
                "rng arrives as a seed (an int): turn it into a "
                "generator first, `rng = np.random.default_rng(rng)`."
            ),
        ),
    ),
)

# class_map(predict, xs, ys)


class _LinearScores:
    """predict for the check: scores = points @ W + b, for points of shape (M, 2) only."""

    def __init__(self, W, b):
        self.W, self.b = W, b
        self.calls = 0

    def __call__(self, points):
        self.calls += 1
        points = np.asarray(points, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"predict expects points of shape (M, 2), got shape {points.shape}")
        return points @ self.W + self.b


def _map_inputs(nx, ny, C):
    def make(rng):
        xs = np.round(np.sort(rng.uniform(-2, 2, nx)), 3)
        ys = np.round(np.sort(rng.uniform(-1, 1.5, ny)), 3)
        return {
            "xs": xs,
            "ys": ys,
            "W": np.round(rng.standard_normal((2, C)), 2),
            "b": np.round(rng.standard_normal(C), 2),
        }

    return make


def _run_map(f, inp):
    return {
        "class_map(predict, xs, ys)": f(_LinearScores(inp["W"], inp["b"]), inp["xs"], inp["ys"])
    }


_ONCE = N_("predict is called once, on all the grid points")


def _run_map_counted(f, inp):
    """Also how often predict was called: the text asks for one call on all the points (one
    matrix product, where a loop over the points makes M calls)."""
    predict = _LinearScores(inp["W"], inp["b"])
    return {
        "class_map(predict, xs, ys)": f(predict, inp["xs"], inp["ys"]),
        _ONCE: predict.calls == 1,
    }


def _map_ij(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    return np.argmax(predict(np.column_stack([X.ravel(), Y.ravel()])), axis=1).reshape(X.shape)


def _map_y_first(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return np.argmax(predict(np.column_stack([Y.ravel(), X.ravel()])), axis=1).reshape(X.shape)


def _map_flat(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return np.argmax(predict(np.column_stack([X.ravel(), Y.ravel()])), axis=1)


def _map_rows_swapped(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return np.argmax(predict(np.column_stack([X.ravel(), Y.ravel()])), axis=1).reshape(
        len(xs), len(ys)
    )


def _map_ij_reshaped(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    return np.argmax(predict(np.column_stack([X.ravel(), Y.ravel()])), axis=1).reshape(
        len(ys), len(xs)
    )


def _map_scores(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return predict(np.column_stack([X.ravel(), Y.ravel()])).max(axis=1).reshape(X.shape)


def _map_classes_of(pick, reshape=True):
    """The reference's grid, with pick(scores) in place of np.argmax(scores, axis=1)."""

    def wrong(predict, xs, ys):
        X, Y = np.meshgrid(xs, ys)
        picked = pick(predict(np.column_stack([X.ravel(), Y.ravel()])))
        return picked.reshape(len(ys), len(xs)) if reshape else picked

    return wrong


class_map_exercise = Exercise(
    id="lab3.class_map",
    receives=N_("a function class_map(predict, xs, ys)"),
    reference=class_map,
    cases=(
        Case(
            N_("xs of 3 values, ys of 2 values"),
            lambda rng: {
                "xs": np.array([-1.0, 0.0, 1.0]),
                "ys": np.array([-0.5, 0.5]),
                "W": np.array([[1.0, -1.0, 0.0], [0.0, 0.5, 2.0]]),
                "b": np.zeros(3),
            },
            _run_map,
            explain={
                "class_map(predict, xs, ys)": N_("entry [i, j] is the class at (xs[j], ys[i])")
            },
        ),
        Case(
            N_("a 7 x 4 grid, 3 classes"),
            _map_inputs(7, 4, 3),
            _run_map_counted,
            explain={
                _ONCE: N_(
                    "stack the M grid points into one (M, 2) array and call `predict` on it "
                    "once: one matrix product instead of one per point"
                )
            },
        ),
        Case(N_("a hidden 30 x 25 grid, 4 classes"), _map_inputs(30, 25, 4), _run_map, shown=False),
    ),
    mistakes=(
        # Not reshaped: reshaped, its C values raise, and the reshape's error hint speaks.
        Mistake(
            N_(
                "`np.argmax(scores, axis=0)` runs down the columns: one number per class, "
                "the grid point that scores highest for it. Each point's class is "
                "`np.argmax(scores, axis=1)`, one per row."
            ),
            _map_classes_of(lambda scores: np.argmax(scores, axis=0), reshape=False),
        ),
        Mistake(
            N_(
                "`np.argmin` picks each point's lowest score; its class is the highest, "
                "`np.argmax(scores, axis=1)`."
            ),
            _map_classes_of(lambda scores: np.argmin(scores, axis=1)),
        ),
        Mistake(
            N_(
                "these are the scores of the grid points, one row each; the map holds each "
                "point's class, `np.argmax(scores, axis=1)`, folded into the grid's shape."
            ),
            _map_classes_of(lambda scores: scores, reshape=False),
        ),
        Mistake(
            N_(
                '`np.meshgrid(xs, ys)` (the default, indexing="xy") gives arrays of shape '
                "(len(ys), len(xs)): row i follows ys[i], column j follows xs[j]. With "
                '`indexing="ij"` (or a transposed result) the map comes out sideways.'
            ),
            _map_ij,
        ),
        Mistake(
            N_("each grid point is (x, y), x first: `np.column_stack([X.ravel(), Y.ravel()])`."),
            _map_y_first,
        ),
        Mistake(
            N_(
                "reshape the classes of the M = len(ys) * len(xs) points back into the grid: "
                "`.reshape(len(ys), len(xs))`."
            ),
            _map_flat,
        ),
        Mistake(
            N_(
                "`np.meshgrid(xs, ys)` lists the points row by row, one row per value of ys: "
                "reshape their classes to `(len(ys), len(xs))` (that is `X.shape`); "
                "`.reshape(len(xs), len(ys))` keeps the order and cuts the rows at the wrong "
                "length."
            ),
            _map_rows_swapped,
        ),
        Mistake(
            N_(
                "the grid points are listed column by column (x changing slowest, as "
                '`np.meshgrid(xs, ys, indexing="ij")` or `np.meshgrid(ys, xs)` lists them), so '
                "reshaping their classes to `(len(ys), len(xs))` mixes the rows: use "
                "`np.meshgrid(xs, ys)` and `.reshape(X.shape)`."
            ),
            _map_ij_reshaped,
        ),
        Mistake(
            N_("return the class of each point, `np.argmax(scores, axis=1)`, not its score."),
            _map_scores,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"predict expects points of shape \(M, 2\)",
            N_(
                "predict takes a batch of points, shape "
                "(M, 2): build all grid points first (`np.meshgrid`, then `np.column_stack` of the "
                "raveled X and Y), then call predict once."
            ),
        ),
        ErrorHint(
            r"cannot reshape",
            N_(
                "the reshape needs one class per grid point, len(ys) · len(xs) values in all "
                "(`np.argmax(scores, axis=1)` gives one per point), folded into "
                "`.reshape(len(ys), len(xs))`: the grid has len(ys) rows and len(xs) columns."
            ),
        ),
        ErrorHint(
            r"dimensions except for the concatenation axis must match",
            N_(
                "xs and ys are the "
                "grid's two axes, of different lengths, not the coordinates of a list of points: "
                "`X, Y = np.meshgrid(xs, ys)` pairs every x with every y."
            ),
        ),
    ),
)

# train_classifier(x, t, rng)


def _layout(rng, x, t):
    """The same kind of rings in a layout of the grading run's own: another size, centre and
    class order, so that neither a rule written for the lab's rings nor a network trained on
    them earlier passes; only a procedure that learns from (x, t) does."""
    scale = rng.uniform(0.6, 1.8)
    centre = rng.uniform(-0.5, 0.5, size=2)
    order = rng.permutation(t.shape[1])
    return scale * x + centre, t[:, order]


def _train_inputs(n_per_class, n_classes=2):
    """Rings of n_classes classes; with more rings the noise shrinks with the gap between them
    (radius 1/C apart), so that they stay as separable as the lab's two."""

    def make(rng):
        noise = rng.uniform(0.06, 0.1) * 2 / n_classes
        x, t = rings(n_per_class=n_per_class, n_classes=n_classes, noise=noise, rng=rng)
        x_test, t_test = rings(n_per_class=500, n_classes=n_classes, noise=noise, rng=rng)
        x_all, t_all = _layout(rng, np.concatenate([x, x_test]), np.concatenate([t, t_test]))
        n = len(x)
        return {
            "x": x_all[:n],
            "t": t_all[:n],
            "x_test": x_all[n:],
            "t_test": t_all[n:],
            "seed": int(rng.integers(2**31)),
        }

    return make


def _verdict(scores, t):
    """The accuracy of scores against t, in bands: a known mistake is recognised by its band
    (a network that is still guessing, one that learned part of the rings), not by a number
    that depends on every detail of its training."""
    if scores.shape != t.shape:
        return "not measured: the scores have the wrong shape"
    acc = float(np.mean(scores.argmax(axis=1) == t.argmax(axis=1)))
    if acc >= THRESHOLD:
        return f"at least {THRESHOLD}"
    return "below 0.6: no better than guessing" if acc < 0.6 else f"between 0.6 and {THRESHOLD}"


_TRAIN_ACC = N_("accuracy on the {count} training points")
_TEST_ACC = N_("accuracy on 1000 fresh points")


def _hidden_size(model) -> int | None:
    """The hidden layer's size of a model whose params begin with W1 (I, H), else None."""
    params = getattr(model, "params", None)
    if not isinstance(params, (list, tuple)) or not params:
        return None
    W1 = params[0]
    return int(W1.shape[1]) if isinstance(W1, np.ndarray) and W1.ndim == 2 else None


def _biases_at_zero(model) -> bool:
    """Every 1-D array of the model's params is all zeros: TwoLayerNet's biases as they start,
    which any training step moves."""
    params = getattr(model, "params", None)
    if not isinstance(params, (list, tuple)):
        return False
    biases = [p for p in params if isinstance(p, np.ndarray) and p.ndim == 1]
    return bool(biases) and not any(b.any() for b in biases)


def _run_train(f, inp):
    model = f(inp["x"], inp["t"], inp["seed"])
    scores, scores_test = (
        np.asarray(model.predict(inp["x"])),
        np.asarray(model.predict(inp["x_test"])),
    )
    fits = _verdict(scores, inp["t"])
    H = _hidden_size(model)
    if not fits.startswith("at least"):
        # what the model shows, said beside the accuracy
        if _biases_at_zero(model):
            fits += "; every bias is still 0, as TwoLayerNet starts it: the model was not trained"
        if H is not None and H < 3:
            fits += (
                f"; the model has {H} hidden neurons, and a boundary closed around a ring "
                "needs at least 3"
            )
    return {
        "predict(x).shape": tuple(
            int(n) for n in scores.shape
        ),  # one row per point, one column per class
        Phrase(_TRAIN_ACC, count=len(inp["x"])): fits,
        _TEST_ACC: _verdict(scores_test, inp["t_test"]),
    }


_SAME_SEED = N_("a second run with the same seed gives the same model")


def _run_train_twice(f, inp):
    """The same call twice: the seed passed in must decide everything random in the training
    (the network's starting weights, the shuffling), so that a run can be repeated."""
    out = _run_train(f, inp)
    first = np.asarray(f(inp["x"], inp["t"], inp["seed"]).predict(inp["x_test"]))
    second = np.asarray(f(inp["x"], inp["t"], inp["seed"]).predict(inp["x_test"]))
    return {**out, _SAME_SEED: bool(first.shape == second.shape and np.array_equal(first, second))}


class _RingOracle:
    """A rule learned from the data: each class's mean distance from the centre of the points;
    a point belongs to the class whose radius is nearest to its own."""

    def __init__(self, x, t):
        self.centre = x.mean(axis=0)
        radius = np.hypot(*(x - self.centre).T)
        self.radii = np.array([radius[t[:, k] == 1].mean() for k in range(t.shape[1])])

    def predict(self, x):
        radius = np.hypot(*(x - self.centre).T)
        return -((radius[:, None] - self.radii) ** 2)


def _ring_oracle(x, t, rng):
    return _RingOracle(x, t)


def _too_small(x, t, rng):
    net = TwoLayerNet(2, 2, t.shape[1], weight_std=1.0, rng=rng)
    fit(net, x, t, SGD(lr=1.0), epochs=100, batch_size=30, rng=rng)
    return net


class _Memory:
    """Answers right on the points it has seen and guesses everywhere else."""

    def __init__(self, x, t):
        self.seen = {row.tobytes(): row_t for row, row_t in zip(x, t)}
        self.C = t.shape[1]

    def predict(self, x):
        guess = np.eye(self.C)[np.zeros(len(x), dtype=int)]
        return np.array([self.seen.get(row.tobytes(), g) for row, g in zip(x, guess)], dtype=float)


def _memorise(x, t, rng):
    return _Memory(x, t)


# Many procedures end short of the threshold (tiny weights, a small learning rate, few epochs,
# too few neurons, or no training on (x, t) at all), and an accuracy band cannot tell them
# apart: the usual reasons are said beside the accuracy itself, asserting none of them.
_UNDERFIT = N_(
    "the model does not fit even the training points it was given. A fixed rule, or a network "
    "trained before on the lab's rings, cannot: the check's rings have another size, centre and "
    "class order, so train on the (x, t) passed in. A network that did train but stays short "
    "of the threshold has one of the usual reasons: starting weights so tiny (TwoLayerNet's "
    "default weight_std=0.01) that on data this symmetric the hidden neurons start alike "
    "(weight_std=1.0 works here), a learning rate too small or too few epochs to get far, or "
    "too few hidden neurons (a closed boundary needs at least 3)"
)


def _fits_explain(count: int) -> dict:
    return {Phrase(_TRAIN_ACC, count=count): _UNDERFIT}


_TOO_FEW = N_(
    "with fewer than 3 hidden neurons the network draws fewer than 3 lines, and no region "
    "closed around the inner ring can be made of them: give the hidden layer 8 neurons or so."
)

train_classifier_exercise = Exercise(
    id="lab3.train_classifier",
    receives=N_("a function train_classifier(x, t, rng)"),
    reference=_ring_oracle,
    cases=(
        Case(
            N_("rings drawn by the grader: 300 training points"),
            _train_inputs(150),
            _run_train,
            explain={
                _TEST_ACC: N_("the model is judged on points it never saw"),
                **_fits_explain(300),
            },
        ),
        # Three rings: a procedure must read the number of classes from t, not copy the lab's 2.
        # The model answer (hint 2) reached test accuracy 0.975 to 1.0 over 30 draws.
        Case(
            N_("three rings drawn by the grader: 450 training points"),
            _train_inputs(150, n_classes=3),
            _run_train,
            shown=False,
            explain=_fits_explain(450),
        ),
        Case(
            N_("a smaller draw: 200 training points"),
            _train_inputs(100),
            _run_train_twice,
            explain={
                **_fits_explain(200),
                _SAME_SEED: N_(
                    "`rng` is a seed: pass it on to everything random, "
                    "`TwoLayerNet(..., rng=rng)` and `fit(..., rng=rng)`"
                ),
            },
        ),
    ),
    mistakes=(
        Mistake(_TOO_FEW, _too_small),
        Mistake(
            N_(
                "the model is right on its training points but not on new ones: it memorised them "
                "instead of learning the rings. A network trained with fit() on (x, t) generalises; "
                "an answer stored in advance cannot, since the check draws new points every time."
            ),
            _memorise,
        ),
    ),
    error_hints=(
        ErrorHint(
            # SoftmaxWithLoss, given scores of C' columns and one-hot labels of C != C' columns,
            # takes the labels for class indices and fails to index with them.
            r"IndexError: shape mismatch: indexing arrays could not be broadcast together "
            r"with shapes \(\d+,\) \(\d+,\d+\)",
            N_(
                "the network's output size must be the number of classes, `t.shape[1]`: the labels "
                "here have a different number of columns than your network has outputs (the check "
                "also draws rings with more than two classes)."
            ),
        ),
        ErrorHint(
            r"'NoneType' object has no attribute 'predict'",
            N_("train_classifier must `return` the trained model."),
        ),
        ErrorHint(
            r"has no attribute 'predict'",
            N_(
                "return the trained model itself (e.g. the "
                "TwoLayerNet after fit), whose predict(x) gives scores of shape (N, C)."
            ),
        ),
    ),
    time_limit=20.0,
)

# The text asks for a generator of the learner's own (np.random.default_rng).
train_test_split_exercise = asks_for_own_generator(train_test_split_exercise)
train_classifier_exercise = asks_for_own_generator(train_classifier_exercise)

EXERCISES = (train_test_split_exercise, class_map_exercise, train_classifier_exercise)


# --- A loss layer derived by hand (issue 13) -----------------------------------------------
# Appended below the lab's first entries so that edits to those stay separate.


def _binary_loss(x, t):
    """Mean of −[t log σ(x) + (1 − t) log(1 − σ(x))] = mean of log(1 + eˣ) − t·x, stably."""
    return float(np.mean(np.logaddexp(0.0, x) - t * x))


class _SigmoidWithLoss:
    """Sigmoid then binary cross entropy; backward the formula derived by hand, (y − t) / N
    (tests/test_grader_exact.py checks it against the numerical gradient of the loss)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        return _binary_loss(x, t)

    def backward(self, dout=1):
        """-> dx (N,) = (σ(x) − t) · dout / N."""
        y = 1 / (1 + np.exp(-self.x))  # NumPy, not the package's sigmoid: see docs §7
        return (y - self.t) * dout / len(self.t)


def _binary_inputs(N, decimals=2):
    def make(rng):
        return {
            "x": np.round(rng.uniform(-3, 3, size=N), decimals),
            "t": rng.integers(0, 2, size=N).astype(float),
        }

    return make


def _run_binary(cls, inp):
    layer = cls()
    loss = layer.forward(inp["x"], inp["t"].copy())
    return {
        "params": layer.params,
        "forward(x, t)": loss,
        **single_number("forward(x, t)", loss),
        "backward()": layer.backward(),
    }


def _run_binary_dout(cls, inp):
    layer = cls()
    layer.forward(inp["x"], inp["t"].copy())
    return {"backward(dout=2.0)": layer.backward(2.0)}


# dx = (y − t) / N is a formula, held to rounding error, so a numerical gradient of the loss
# fails; the loss is held to rtol/atol (a small δ inside a learner's log may move it).
_BINARY_DX = ("backward()", "backward(dout=2.0)", _SECOND_BACKWARD)


def _binary_variant(backward):
    class Variant(_SigmoidWithLoss):
        def backward(self, dout=1):
            return backward(sigmoid(self.x), self.x, self.t, dout)

    return Variant


class _SigmoidOfMinusX(_SigmoidWithLoss):
    """σ(−x) = 1 / (1 + eˣ) in forward and backward: the probability of the other class."""

    def forward(self, x, t):
        self.x, self.t = x, t
        return _binary_loss(-x, t)

    def backward(self, dout=1):
        y = 1 / (1 + np.exp(self.x))
        return (y - self.t) * dout / len(self.t)


class _SigmoidWithLossPrecedence:
    """The slip `1 / 1 + np.exp(-x)` (that is 1 + e⁻ˣ) in forward, backward written as y − t."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.y, self.t = 1 / 1 + np.exp(-x), t
        with np.errstate(invalid="ignore", divide="ignore"):
            return -np.mean(t * np.log(self.y) + (1 - t) * np.log(1 - self.y))

    def backward(self, dout=1):
        return (self.y - self.t) * dout / len(self.t)


def _binary_forward_variant(loss):
    """The reference with forward's loss replaced by loss(p, t), p = σ(x)."""

    class Variant(_SigmoidWithLoss):
        def forward(self, x, t):
            self.x, self.t = x, t
            p = 1 / (1 + np.exp(-x))
            with np.errstate(divide="ignore", invalid="ignore"):
                return float(loss(p, t))

    return Variant


binary_loss_exercise = Exercise(
    id="lab3.SigmoidWithLoss",
    receives=N_("a class SigmoidWithLoss with forward(x, t) and backward(dout=1)"),
    reference=_SigmoidWithLoss,
    is_class=True,
    cases=(
        Case(
            N_("scores x (5,), labels t (5,) of 0 and 1"),
            _binary_inputs(5),
            _run_binary,
            explain=LOSS_LAYER_EXPLAIN,
            exact=_BINARY_DX,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("an upstream gradient dout = 2.0"),
            _binary_inputs(4),
            _run_binary_dout,
            exact=_BINARY_DX,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("hidden: N = 8"),
            _binary_inputs(8, 4),
            _run_binary,
            shown=False,
            exact=_BINARY_DX,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("one layer, two batches: forward and backward use the second's labels"),
            second_batch(_binary_inputs(5), _binary_inputs(4)),
            _run_loss_second_batch,
            exact=_BINARY_DX,
            rtol=1e-5,
            atol=1e-6,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the gradient is exactly N times too large: the loss is the mean over the batch, "
                "so divide by N."
            ),
            _binary_variant(lambda y, x, t, dout: (y - t) * dout),
        ),
        Mistake(
            N_("the sign is flipped: the gradient is y − t, probability minus label."),
            _binary_variant(lambda y, x, t, dout: (t - y) * dout / len(x)),
        ),
        Mistake(
            N_("start from the probability y = σ(x), not from the score x."),
            _binary_variant(lambda y, x, t, dout: (x - t) * dout / len(x)),
        ),
        Mistake(
            N_(
                "the sigmoid's slope y (1 − y) is already inside y − t: it cancels against the "
                "1/y and 1/(1 − y) of the loss's derivative. Don't multiply by it again."
            ),
            _binary_variant(lambda y, x, t, dout: (y - t) * y * (1 - y) * dout / len(x)),
        ),
        Mistake(
            N_("backward must multiply by the upstream gradient `dout`."),
            _binary_variant(lambda y, x, t, dout: (y - t) / len(x)),
        ),
        Mistake(PRECEDENCE, _SigmoidWithLossPrecedence),
        Mistake(
            N_(
                "that is σ(−x) = 1 / (1 + eˣ), the probability of class 0: the sigmoid is "
                "1 / (1 + np.exp(-x)), with a minus sign in the exponent."
            ),
            _SigmoidOfMinusX,
        ),
        Mistake(
            N_(
                "this loss is −mean(t log p) alone: the points with t = 0 add nothing, where "
                "each must add −log(1 − p): L = −mean(t log p + (1 − t) log(1 − p))."
            ),
            _binary_forward_variant(lambda p, t: -np.mean(t * np.log(p))),
        ),
        Mistake(
            N_(
                "forward's loss is the one for the other class: −mean((1 − t) log p + t log(1 − p)), "
                "which is also what σ(−x) in place of σ(x) gives. Check which term t multiplies "
                "(t log p) and the sign in `np.exp(-x)`."
            ),
            _binary_forward_variant(lambda p, t: -np.mean((1 - t) * np.log(p) + t * np.log(1 - p))),
        ),
        Mistake(
            N_(
                "that is p (1 − p) / N, the sigmoid's slope alone; the loss's gradient is "
                "(p − t) / N, with p = σ(x)."
            ),
            _binary_variant(lambda y, x, t, dout: y * (1 - y) * dout / len(x)),
        ),
        Mistake(
            N_(
                "that is ∂L/∂p, the slope with respect to the probability p; the chain rule "
                "multiplies it by the sigmoid's slope p (1 − p), which leaves ∂L/∂x = (p − t) / N."
            ),
            _binary_variant(lambda y, x, t, dout: (-t / y + (1 - t) / (1 - y)) * dout / len(x)),
        ),
    ),
    error_hints=(
        ErrorHint(
            r"missing 1 required positional argument: 'dout'",
            N_("give dout a default value: `def backward(self, dout=1):`."),
        ),
        STATE_HINTS[1],
    ),
)

POINTS["lab3.SigmoidWithLoss"] = 2
EXERCISES += (binary_loss_exercise,)
