"""The Chapter 2 exercises against a catalogue of typical student answers, right and wrong."""

import numpy as np
import pytest

from nnscratch import cross_entropy_error, layers, softmax
from nnscratch.grader import check
from tests.hint_tables import assert_only_hint

# --- right answers, written the many ways students write them -------------------------------


def softmax_keepdims(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_book_style(x):  # transpose so that the one-sample code works on columns
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        return (np.exp(x) / np.sum(np.exp(x), axis=0)).T
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))


def softmax_newaxis(x):
    if x.ndim == 1:
        e = np.exp(x - x.max())
        return e / e.sum()
    e = np.exp(x - x.max(axis=1)[:, np.newaxis])
    return e / e.sum(axis=1)[:, None]


def softmax_float32(x):
    x = np.asarray(x, dtype=np.float32)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def softmax_in_place_on_a_copy(x):
    y = x.copy()
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


def softmax_log_sum_exp(x):
    m = x.max(axis=-1, keepdims=True)
    return np.exp(x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))


def softmax_row_loop(x):
    if x.ndim == 1:
        return softmax_row_loop(x[None, :])[0]
    out = np.empty_like(x)
    for i, row in enumerate(x):
        e = np.exp(row - max(row))
        out[i] = e / e.sum()
    return out


def ce_book(y, t):  # the book's version
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


def ce_book_any_label(y, t):
    """The book's version, with t made an array first: the text allows a single label as a
    Python int, which has no .reshape (tests/test_contract_holes.py)."""
    return ce_book(y, np.asarray(t))


def rows(y, t):
    """A test helper: y as (N, C) and t as label indices (N,), for any accepted y and t."""
    y, t = np.asarray(y), np.asarray(t)
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    labels = t.reshape(y2.shape).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    return y2, labels


def ce_delta(delta):
    def cross_entropy_error(y, t):
        y, t = rows(y, t)
        N = y.shape[0]
        return -np.sum(np.log(y[np.arange(N), t] + delta)) / N

    return cross_entropy_error


def ce_clip(y, t):
    y, t = rows(y, t)
    one_hot = np.eye(y.shape[1])[t]
    return -np.sum(one_hot * np.log(np.clip(y, 1e-12, 1.0))) / y.shape[0]


def ce_float32(y, t):
    y = np.asarray(y, dtype=np.float32)
    return np.float32(ce_delta(1e-7)(y, t))


def ce_mean_of_rows(y, t):
    y, t = rows(y, t)
    one_hot = np.eye(y.shape[1])[t]
    return float(np.mean(-np.sum(one_hot * np.log(y + 1e-10), axis=1)))


RIGHT = {
    "loss.softmax": [
        softmax,
        softmax_keepdims,
        softmax_book_style,
        softmax_newaxis,
        softmax_float32,
        softmax_in_place_on_a_copy,
        softmax_log_sum_exp,
        softmax_row_loop,
    ],
    "loss.cross_entropy_error": [
        cross_entropy_error,
        ce_book_any_label,
        ce_delta(1e-7),
        ce_delta(1e-12),
        ce_delta(1e-15),
        ce_delta(np.finfo(float).eps),
        ce_clip,
        ce_float32,
        ce_mean_of_rows,
    ],
}


@pytest.mark.parametrize(
    "exercise_id,fn",
    [(k, f) for k, fs in RIGHT.items() for f in fs],
    ids=[f"{k}-{i}" for k, fs in RIGHT.items() for i in range(len(fs))],
)
def test_right_answers_pass(exercise_id, fn):
    result = check(exercise_id, fn)
    assert result.passed, str(result)


# --- wrong answers, each with the hint it must earn -----------------------------------------


def sm_columns(x):
    e = np.exp(x - x.max(axis=0))
    return e / e.sum(axis=0)


def sm_sum_axis0(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sm_whole_batch(x):  # the one-sample formula from the book, used on a batch
    c = np.max(x)
    e = np.exp(x - c)
    return e / np.sum(e)


def sm_whole_batch_no_max(x):
    return np.exp(x) / np.sum(np.exp(x))


def sm_whole_sum(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / e.sum()


def sm_no_max(x):
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def sm_no_max_float32(x):
    e = np.exp(x.astype(np.float32))
    return e / e.sum(axis=-1, keepdims=True)


def sm_global_max(x):
    e = np.exp(x - np.max(x))
    return e / e.sum(axis=-1, keepdims=True)


def sm_no_keepdims(x):
    e = np.exp(x - np.max(x, axis=-1))
    return e / np.sum(e, axis=-1)


def sm_axis1(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sm_in_place(x):
    x -= x.max(axis=-1, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def ce_sum(y, t):
    y, t = rows(y, t)
    return -np.sum(np.log(y[np.arange(len(y)), t] + 1e-7))


def ce_per_sample(y, t):
    y, t = rows(y, t)
    return -np.log(y[np.arange(len(y)), t] + 1e-7)


def ce_no_delta_labels(y, t):
    y, t = rows(y, t)
    return -np.mean(np.log(y[np.arange(len(y)), t]))


def ce_no_delta_one_hot(y, t):
    y, t = rows(y, t)
    return -np.sum(np.eye(y.shape[1])[t] * np.log(y)) / y.shape[0]


def ce_no_minus(y, t):
    return -ce_book_any_label(y, t)


def ce_mean_everything(y, t):
    y, t = rows(y, t)
    return -np.mean(np.eye(y.shape[1])[t] * np.log(y + 1e-7))


def ce_one_hot_only(y, t):  # the one-hot formula, whatever t is
    N = y.shape[0] if y.ndim == 2 else 1
    return -np.sum(t * np.log(y + 1e-7)) / N


def ce_labels_only(y, t):
    y = np.atleast_2d(y)
    N = y.shape[0]
    return -np.sum(np.log(y[np.arange(N), np.reshape(t, -1)] + 1e-7)) / N


def ce_no_reshape(y, t):  # right for batches; one sample (C,) is divided by C
    t = np.asarray(t)
    if t.shape != y.shape:
        t = np.eye(y.shape[-1])[t]
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


def ce_no_reshape_argmax(y, t):  # the book's code without its reshape for one sample
    t = np.asarray(t)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t] + 1e-7)) / y.shape[0]


def ce_changes_y(y, t):
    y += 1e-7
    return ce_book_any_label(y, t)


WRONG = [
    ("loss.softmax", sm_columns, "`axis=0` runs down the columns"),
    ("loss.softmax", sm_sum_axis0, "`axis=0` runs down the columns"),
    ("loss.softmax", sm_whole_batch, "look at the whole batch at once"),
    ("loss.softmax", sm_whole_batch_no_max, ("look at the whole batch at once", "overflows")),
    ("loss.softmax", sm_whole_sum, "adds up the whole batch"),
    ("loss.softmax", sm_no_max, "Subtract each row's largest score"),
    ("loss.softmax", sm_no_max_float32, "Subtract each row's largest score"),
    ("loss.softmax", sm_global_max, "one max for the whole batch"),
    ("loss.softmax", sm_no_keepdims, "keepdims=True"),
    ("loss.softmax", sm_axis1, "`axis=-1` means the last axis"),
    ("loss.softmax", sm_in_place, "writes into the caller's array"),
    ("loss.cross_entropy_error", ce_sum, "the sum over the batch; divide by the batch size N"),
    ("loss.cross_entropy_error", ce_per_sample, "one loss per sample"),
    ("loss.cross_entropy_error", ce_no_delta_labels, "np.log(0) is -inf"),
    (
        "loss.cross_entropy_error",
        ce_no_delta_one_hot,
        ("0 · log(0) = 0 · (-inf) = nan", "np.log(0) is -inf"),
    ),
    ("loss.cross_entropy_error", ce_no_minus, "minus sign"),
    ("loss.cross_entropy_error", ce_mean_everything, "divides by N·C"),
    ("loss.cross_entropy_error", ce_one_hot_only, "t holds label indices here"),
    ("loss.cross_entropy_error", ce_labels_only, "t is one-hot here"),
    ("loss.cross_entropy_error", ce_no_reshape, "a batch of one"),
    ("loss.cross_entropy_error", ce_no_reshape_argmax, "a batch of one"),
    ("loss.cross_entropy_error", ce_changes_y, "changes the caller's probabilities"),
]


@pytest.mark.parametrize("exercise_id,fn,hint", WRONG, ids=[w[1].__name__ for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    result = check(exercise_id, fn)
    assert result.status == "failed"
    assert_only_hint(result, hint)


def test_the_first_hint_a_learner_reads_names_their_mistake():
    """A learner reads the first hint first: it must be the one for their mistake."""
    for exercise_id, fn, hint in WRONG:
        first = next(o.hint for o in check(exercise_id, fn).outcomes if o.hint)
        assert any(piece in first for piece in (hint if isinstance(hint, tuple) else (hint,))), (
            f"{fn.__name__}: {first}"
        )


def test_in_place_changes_are_named_even_when_the_values_are_right():
    result = check("loss.softmax", sm_in_place)
    assert all(not o.passed for o in result.outcomes)
    assert "changed its input `x`" in str(result)


def test_global_max_passes_everything_but_the_rows_of_different_scale():
    failed = [o.name for o in check("loss.softmax", sm_global_max).outcomes if not o.passed]
    assert failed == ["rows of very different scale (~1000, ~-1000, ~0)"]


def test_a_missing_delta_only_fails_where_a_probability_is_zero():
    failed = [
        o.name
        for o in check("loss.cross_entropy_error", ce_no_delta_labels).outcomes
        if not o.passed
    ]
    assert failed == ["the true class with probability exactly 0"]


def test_the_zero_probability_case_does_not_pin_the_delta():
    """Any small delta gives a large finite loss there; a large delta gives a small loss."""
    assert check("loss.cross_entropy_error", ce_delta(1e-30)).passed
    result = check("loss.cross_entropy_error", ce_delta(1e-2))
    assert not result.passed
    assert "> 10" in str(result)


def test_hidden_cases_print_no_expected_values():
    result = check("loss.cross_entropy_error", ce_sum)
    hidden = [o for o in result.outcomes if "hidden" in o.name]
    assert hidden and all("expected" not in o.message for o in hidden)


# --- the Softmax-with-Loss layer --------------------------------------------------------------


def make_layer(probabilities, loss=ce_book, params=True):
    class Layer:
        def __init__(self):
            if params:
                self.params, self.grads = [], []

        def forward(self, x, t):
            self.y = probabilities(x)
            return loss(self.y, t)

    return Layer


class ReturnsProbabilities:
    def __init__(self):
        self.params = []

    def forward(self, x, t):
        return softmax_keepdims(x)


def test_right_layers_pass():
    assert check("loss.SoftmaxWithLoss", layers.SoftmaxWithLoss).passed
    assert check("loss.SoftmaxWithLoss", make_layer(softmax_keepdims)).passed
    assert check("loss.SoftmaxWithLoss", make_layer(softmax_float32, ce_delta(1e-12))).passed


@pytest.mark.parametrize(
    "cls,hint",
    [
        (make_layer(softmax_keepdims, params=False), "self.params = []"),
        (ReturnsProbabilities, "forward returns the loss, one number"),
        # Scores in self.y as well: the self.y case names that side of the same slip.
        (make_layer(lambda x: x), ("apply softmax to x first", "self.y holds the scores x")),
        (make_layer(sm_no_max), "Subtract each row's largest score"),
        (make_layer(softmax_keepdims, ce_sum), "the loss is the mean"),
    ],
    ids=["no-params", "probabilities", "no-softmax", "no-max", "sum"],
)
def test_wrong_layers_fail_with_their_hint(cls, hint):
    result = check("loss.SoftmaxWithLoss", cls)
    assert not result.passed
    assert_only_hint(result, hint)


# --- the references themselves ----------------------------------------------------------------


def test_softmax_reference_is_stable_per_row_and_pure():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0], [0.0, 1.0, 2.0]])
    before = x.copy()
    y = softmax(x)
    assert np.array_equal(x, before)
    assert np.allclose(y[0], y[2]) and np.allclose(y.sum(axis=1), 1)
    assert np.allclose(softmax(x[1]), y[1])
    assert np.allclose(softmax(x + 123.0), y)  # adding a constant to every score changes nothing


def test_cross_entropy_reference_golden_values():
    y = np.array([[0.1, 0.7, 0.2], [0.25, 0.25, 0.5]])
    expected = -(np.log(0.7) + np.log(0.5)) / 2
    assert cross_entropy_error(y, np.array([1, 2])) == pytest.approx(expected, rel=1e-6)
    assert cross_entropy_error(y, np.eye(3)[[1, 2]]) == pytest.approx(expected, rel=1e-6)
    assert cross_entropy_error(y[1], np.int64(2)) == pytest.approx(-np.log(0.5), rel=1e-6)
    assert cross_entropy_error(y[1], 2) == pytest.approx(-np.log(0.5), rel=1e-6)
    assert isinstance(cross_entropy_error(y, np.array([1, 2])), float)
    assert cross_entropy_error(np.array([[0.0, 1.0]]), np.array([0])) == pytest.approx(
        -np.log(1e-7)
    )


def test_softmax_with_loss_reference_matches_the_two_functions():
    rng = np.random.default_rng(3)
    x, t = 3 * rng.standard_normal((5, 4)), rng.integers(0, 4, size=5)
    layer = layers.SoftmaxWithLoss()
    assert layer.params == []
    assert layer.forward(x, t) == pytest.approx(cross_entropy_error(softmax(x), t))
    assert layer.forward(x, np.eye(4)[t]) == pytest.approx(cross_entropy_error(softmax(x), t))


# --- the chapter's figures and widgets --------------------------------------------------------


def test_softmax_three_ways_breaks_exactly_where_the_chapter_says():
    from nnscratch.figures.loss import softmax_three_ways

    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0], [0.0, 1.0, 2.0]])
    ways = softmax_three_ways(x)
    broken = {name: [bool(np.isnan(row).any()) for row in y] for name, y in ways.items()}
    assert broken == {
        "naive": [True, True, False],
        "one max for the batch": [False, True, True],
        "each row's own max": [False, False, False],
    }
    assert np.array_equal(ways["each row's own max"], softmax(x))


def test_figures_are_figures_and_draw_what_they_promise():
    from matplotlib.figure import Figure

    from nnscratch.figures import loss as figs
    from nnscratch.figures import to_png
    from nnscratch.figures.canvas import math_label

    pipeline = figs.draw_loss_pipeline()
    texts = {t.get_text() for t in pipeline.axes[0].texts}
    # A one-word math label is drawn as plain italic text (canvas.math_label): "$L$" -> "L".
    loss_label = math_label("$L$")[0]
    assert {
        "Affine",
        "Sigmoid",
        "Softmax",
        "Cross Entropy\nError",
        loss_label,
        "$\\mathbf{t}$",
    } <= texts
    stability = figs.plot_softmax_stability(np.array([[720.0, 719.0, 718.0], [0.0, 1.0, 2.0]]))
    assert "nan" in {t.get_text() for ax in stability.axes for t in ax.texts}
    made = [
        pipeline,
        stability,
        figs.draw_softmax_with_loss(),
        figs.plot_scores_and_probabilities([2.0, 1.0, -0.5], true_class=0),
        figs.plot_cross_entropy(),
        figs.plot_one_hot_terms([0.1, 0.7, 0.2], [0, 1, 0]),
        figs.plot_one_sample_loss([1.0, 2.0, 0.0], 2),
        figs.plot_loss_against_batch_size([10, 100], [11.0, 110.0], [1.1, 1.1]),
    ]
    for fig in made:
        assert isinstance(fig, Figure) and to_png(fig, dpi=30).startswith(b"\x89PNG")


def test_widgets_redraw_when_their_first_control_moves_and_have_a_still_fallback():
    from nnscratch.widgets.loss import one_sample_loss, softmax_overflow

    for live in (softmax_overflow(), one_sample_loss()):
        first = next(iter(live.controls.values()))
        before = live.image.value
        first.value = first.max if first.value != first.max else first.min
        assert live.image.value != before
        assert "image/png" in live._repr_mimebundle_()
