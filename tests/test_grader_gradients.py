"""The Chapter 3 exercises against a catalogue of typical student answers, right and wrong.

Also: the package's numerical_diff and numerical_gradient against exact derivatives.
"""

import numpy as np
import pytest

from nnscratch.exercises import EXERCISES
from nnscratch.grader import check
from nnscratch.gradients import numerical_diff, numerical_gradient
from nnscratch.network import TwoLayerNet
from tests.hint_tables import assert_only_hint

# --- the references against exact derivatives ----------------------------------------------

SMOOTH = [
    (np.sin, np.cos, 1.0),
    (np.exp, np.exp, -0.5),
    (lambda x: x**3, lambda x: 3 * x**2, 2.0),
    (lambda x: 0.01 * x**2 + 0.1 * x, lambda x: 0.02 * x + 0.1, 5.0),
    (np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.3),
]


@pytest.mark.parametrize("f,df,x", SMOOTH)
def test_numerical_diff_is_accurate_to_about_1e_8(f, df, x):
    assert numerical_diff(f, x) == pytest.approx(df(x), rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("f,df,x", SMOOTH)
def test_the_forward_difference_is_clearly_worse(f, df, x):
    h = 1e-4
    forward = (f(x + h) - f(x)) / h
    assert abs(forward - df(x)) > 100 * abs(numerical_diff(f, x) - df(x))


def test_numerical_gradient_matches_exact_gradients_of_any_shape():
    rng = np.random.default_rng(0)
    for shape in [(5,), (3, 4), (2, 3, 2)]:
        x = rng.standard_normal(shape)
        c = rng.standard_normal(shape)
        grad = numerical_gradient(lambda v, c=c: np.sum(c * np.sin(v)) + 0.5 * np.sum(v**2), x)
        assert grad.shape == x.shape
        np.testing.assert_allclose(grad, c * np.cos(x) + x, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_of_softmax_cross_entropy_matches_the_formula():
    rng = np.random.default_rng(1)
    x, t, W = rng.standard_normal((6, 2)), rng.integers(0, 3, 6), rng.standard_normal((2, 3))

    def loss(W):
        s = x @ W
        y = np.exp(s - s.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        return -np.mean(np.log(y[np.arange(6), t]))

    s = x @ W
    y = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    exact = x.T @ (y - np.eye(3)[t]) / 6
    np.testing.assert_allclose(numerical_gradient(loss, W), exact, rtol=1e-6, atol=1e-9)


def test_numerical_gradient_works_through_a_closure_and_restores_bit_for_bit():
    net = TwoLayerNet(2, 4, 3, weight_std=1.0, rng=0)
    x = np.random.default_rng(2).standard_normal((5, 2))
    t = np.array([0, 1, 2, 1, 0])
    before = [p.copy() for p in net.params]
    for p in net.params:
        grad = numerical_gradient(lambda _ignored: net.forward(x, t), p)
        assert grad.shape == p.shape and np.abs(grad).max() > 1e-3
    assert all(np.array_equal(p, b) for p, b in zip(net.params, before))


# --- right answers, written the many ways students write them ------------------------------


def diff_plain(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def diff_power(f, x):
    h = 10**-4
    return 0.5 * (f(x + h) - f(x - h)) / h


def diff_relative_step(f, x):
    h = 1e-4 * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (h + h)


def diff_float(f, x, h=1e-4):
    return float((f(x + h) - f(x - h)) / (2 * h))


def grad_ndindex(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        a = f(x)
        x[idx] = old - h
        b = f(x)
        x[idx] = old
        grad[idx] = (a - b) / (2 * h)
    return grad


def grad_nditer(f, x):
    """The book's version."""
    h = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad


def grad_flat_view(f, x):
    flat = x.reshape(-1)  # a view of x only if x is stored row by row (not for W.T)
    grad = np.zeros(x.size)
    for i in range(x.size):
        tmp = flat[i]
        flat[i] = tmp + 1e-4
        up = f(x)
        flat[i] = tmp - 1e-4
        down = f(x)
        flat[i] = tmp
        grad[i] = (up - down) / 2e-4
    return grad.reshape(x.shape)


def grad_dot_flat(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        a = f(x)
        x.flat[i] = old - h
        b = f(x)
        x.flat[i] = old
        grad.flat[i] = (a - b) / (2 * h)
    return grad


RIGHT = {
    "gradients.numerical_diff": [
        diff_plain,
        diff_power,
        diff_relative_step,
        diff_float,
        numerical_diff,
        # h = 1e-3 or 1e-5 is not the text's step: tests/test_contract_holes.py
    ],
    "gradients.numerical_gradient": [
        grad_ndindex,
        grad_nditer,
        # grad_flat_view is right only for an x stored row by row: see tests/test_hints_derived.py
        grad_dot_flat,
        numerical_gradient,
    ],
}


@pytest.mark.parametrize("exercise_id,fn", [(k, f) for k, fs in RIGHT.items() for f in fs])
def test_right_answers_pass(exercise_id, fn):
    result = check(exercise_id, fn)
    assert result.passed, str(result)


# --- wrong answers, each with the hint it must earn ----------------------------------------


def grad_on_copies(f, x):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xp[idx] += 1e-4
        xm = x.copy()
        xm[idx] -= 1e-4
        grad[idx] = (f(xp) - f(xm)) / 2e-4
    return grad


def grad_astype_first(f, x):
    x = x.astype(float)  # looks harmless, but it is a copy
    return grad_ndindex(f, x)


def grad_basis_vectors(f, x):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = 1e-4
        grad[idx] = (f(x + e) - f(x - e)) / 2e-4
    return grad


def grad_forward(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = old
    return grad


def grad_no_restore(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        a = f(x)
        x[idx] = old - h
        b = f(x)
        grad[idx] = (a - b) / (2 * h)
    return grad


def grad_add_subtract(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        a = f(x)
        x[idx] -= 2 * h
        b = f(x)
        x[idx] += h
        grad[idx] = (a - b) / (2 * h)
    return grad


def grad_first_axis_only(f, x):
    """The book's 1-D loop, meeting a matrix: x[i] is a row."""
    h = 1e-4
    grad = np.zeros_like(x)
    for i in range(len(x)):
        tmp = x[i]  # a view of the row, not a saved copy
        x[i] = tmp + h
        a = f(x)
        x[i] = tmp - h
        b = f(x)
        grad[i] = (a - b) / (2 * h)
        x[i] = tmp
    return grad


def grad_float_of_element(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for i in range(len(x)):
        tmp = float(x[i])  # fails on a matrix: x[i] is a row
        x[i] = tmp + h
        a = f(x)
        x[i] = tmp - h
        b = f(x)
        x[i] = tmp
        grad[i] = (a - b) / (2 * h)
    return grad


def grad_size_loop(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for i in range(x.size):
        tmp = x[i].copy()
        x[i] = tmp + h
        a = f(x)
        x[i] = tmp - h
        b = f(x)
        x[i] = tmp
        grad[i] = (a - b) / (2 * h)
    return grad


def grad_list(f, x):
    grad = []
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + 1e-4
        a = f(x)
        x[idx] = old - 1e-4
        b = f(x)
        x[idx] = old
        grad.append((a - b) / 2e-4)
    return grad


def grad_flat_result(f, x):
    return grad_ndindex(f, x).ravel()


def grad_step(h):
    def numerical_gradient(f, x):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            a = f(x)
            x[idx] = old - h
            b = f(x)
            x[idx] = old
            grad[idx] = (a - b) / (2 * h)
        return grad

    return numerical_gradient


WRONG = [
    ("gradients.numerical_diff", lambda f, x: (f(x + 1e-4) - f(x)) / 1e-4, "one-sided"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 1e-5) - f(x)) / 1e-5, "one-sided"),
    ("gradients.numerical_diff", lambda f, x: (f(x) - f(x - 1e-4)) / 1e-4, "one-sided"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 1e-50) - f(x - 1e-50)) / 2e-50, "too small"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 1e-9) - f(x - 1e-9)) / 2e-9, "too small"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 0.1) - f(x - 0.1)) / 0.2, "too large"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 0.05) - f(x - 0.05)) / 0.1, "too large"),
    ("gradients.numerical_diff", lambda f, x: (f(x + 1e-4) - f(x - 1e-4)) / 1e-4, "2h apart"),
    (
        "gradients.numerical_diff",
        lambda f, x: (f(x + 1e-4) - f(x - 1e-4)) / 2 * 1e-4,
        "`/ (2 * h)`",
    ),
    (
        "gradients.numerical_diff",
        lambda f, x: (f(x - 1e-4) - f(x + 1e-4)) / 2e-4,
        "sign is flipped",
    ),
    ("gradients.numerical_diff", lambda f, x: (f(x + 0) - f(x - 0)) / (2 * 0), "must not be 0"),
    ("gradients.numerical_gradient", grad_forward, "one-sided"),
    ("gradients.numerical_gradient", grad_on_copies, "perturb x itself"),
    ("gradients.numerical_gradient", grad_astype_first, "perturb x itself"),
    ("gradients.numerical_gradient", grad_basis_vectors, "perturb x itself"),
    ("gradients.numerical_gradient", grad_no_restore, "not put back"),
    ("gradients.numerical_gradient", grad_add_subtract, "does not always give back the same float"),
    ("gradients.numerical_gradient", grad_first_axis_only, "loop over every element"),
    ("gradients.numerical_gradient", grad_float_of_element, "loop over every element"),
    ("gradients.numerical_gradient", grad_size_loop, "x.size counts every element"),
    ("gradients.numerical_gradient", lambda f, x: (f(x + 1e-4) - f(x - 1e-4)) / 2e-4, "at once"),
    ("gradients.numerical_gradient", grad_list, "return a NumPy array"),
    ("gradients.numerical_gradient", grad_flat_result, "same shape as x"),
    ("gradients.numerical_gradient", grad_step(1e-50), "too small"),
    ("gradients.numerical_gradient", grad_step(1e-1), "too large"),
]


@pytest.mark.parametrize("exercise_id,fn,hint", WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    result = check(exercise_id, fn)
    assert not result.passed
    assert result.status == "failed"
    assert_only_hint(result, hint)


@pytest.mark.parametrize(
    "exercise_id", ["gradients.numerical_diff", "gradients.numerical_gradient"]
)
def test_every_known_mistake_is_caught_and_named(exercise_id):
    for mistake in EXERCISES[exercise_id].mistakes:
        result = check(exercise_id, mistake.impl)
        assert not result.passed
        assert any(o.hint == mistake.hint for o in result.outcomes), str(result)


def test_a_shown_case_catches_inexact_restoring():
    """The shown cases alone must reveal +h, -2h, +h restoring, not only the hidden one."""
    ex = EXERCISES["gradients.numerical_gradient"]
    result = check("gradients.numerical_gradient", grad_add_subtract)
    shown_failures = [
        o for o, case in zip(result.outcomes, ex.cases) if case.shown and not o.passed
    ]
    assert shown_failures and "bit for bit" in shown_failures[0].message


def test_restoring_is_judged_on_the_array_that_was_passed():
    result = check("gradients.numerical_gradient", grad_no_restore)
    assert "x after the call" in str(result)


# --- the chapter's figures and widget -------------------------------------------------------


def test_figures_are_figures_and_draw_what_they_say():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from nnscratch.figures.gradients import (
        plot_difference_errors,
        plot_gradient_field,
        plot_tangent,
    )

    fig = plot_tangent(np.sin, 1.0, df=np.cos, h=0.5)
    assert isinstance(fig, Figure)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert any("slope $dy/dx$ = 0.540" in s for s in labels)
    assert any("forward secant" in s for s in labels) and any("central secant" in s for s in labels)

    hs = np.logspace(-12, 0, 13)
    errors = {"central": np.abs((np.exp(1 + hs) - np.exp(1 - hs)) / (2 * hs) - np.e)}
    assert isinstance(plot_difference_errors(hs, errors), Figure)

    fig = plot_gradient_field(
        lambda w: np.sum((w - 1.0) ** 2), arrows=5, resolution=20, point=(0, 0)
    )
    assert isinstance(fig, Figure)
    # the arrow at the marked point is minus the gradient: (2, 2) for (w - 1)² at w = 0
    point_arrows = fig.axes[0].collections[-1]
    np.testing.assert_allclose(np.c_[point_arrows.U, point_arrows.V], [[2.0, 2.0]], rtol=1e-6)


def test_tangent_widget_first_control_changes_the_image_and_has_a_still_fallback():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.widgets.gradients import tangent_explorer

    live = tangent_explorer()
    bundle = live._repr_mimebundle_()
    assert "image/png" in bundle
    first = next(iter(live.controls.values()))
    before = live.image.value
    first.value = 0.2
    assert live.image.value != before
