"""The reference graph nodes against numerical gradients, and the contract they promise."""

import numpy as np
import pytest

from nnscratch.gradients import numerical_gradient
from nnscratch.figures.traces import affine_sum_trace
from nnscratch.nodes import Add, Branch, Copy, MatMul, Mul, Repeat, Sum


def rng():
    return np.random.default_rng(5)


def numerical(f, x):
    """dL/dx for L = f(x), with x perturbed in place."""
    return numerical_gradient(lambda _: f(), x)


def assert_close(analytic, numeric):
    assert analytic.shape == numeric.shape
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("node_class", [Add, Mul])
def test_two_input_nodes_match_numerical_gradients(node_class):
    r = rng()
    x, y, dout = r.standard_normal((3, 4)), r.standard_normal((3, 4)), r.standard_normal((3, 4))
    node = node_class()
    node.forward(x, y)
    dx, dy = node.backward(dout)
    # With upstream gradient dout, L = sum(dout * z) has exactly that gradient at z.
    assert_close(dx, numerical(lambda: np.sum(dout * node_class().forward(x, y)), x))
    assert_close(dy, numerical(lambda: np.sum(dout * node_class().forward(x, y)), y))
    assert node.params == [] and node.grads == []


def test_add_and_mul_on_scalars():
    add, mul = Add(), Mul()
    assert add.forward(2.0, 3.0) == 5.0 and add.backward(1.5) == (1.5, 1.5)
    assert mul.forward(2.0, 3.0) == 6.0 and mul.backward(1.5) == (4.5, 3.0)


def test_branch_sums_the_gradients_of_both_paths():
    r = rng()
    x, d1, d2 = r.standard_normal(5), r.standard_normal(5), r.standard_normal(5)
    node = Branch()
    a, b = node.forward(x)
    assert a is x and b is x
    dx = node.backward(d1, d2)

    def L():
        u, v = Branch().forward(x)
        return np.sum(d1 * u) + np.sum(d2 * v)

    assert_close(dx, numerical(L, x))
    assert Copy is Branch


def test_repeat_and_sum_match_numerical_gradients_and_keep_dims():
    r = rng()
    x, dout = r.standard_normal((1, 3)), r.standard_normal((4, 3))
    rep = Repeat(4)
    y = rep.forward(x)
    assert y.shape == (4, 3) and np.all(y == x)
    dx = rep.backward(dout)
    assert dx.shape == (1, 3)
    assert_close(dx, numerical(lambda: np.sum(dout * Repeat(4).forward(x)), x))

    x2, dout2 = r.standard_normal((5, 2)), r.standard_normal((1, 2))
    s = Sum()
    assert s.forward(x2).shape == (1, 2)
    dx2 = s.backward(dout2)
    assert dx2.shape == (5, 2)
    assert_close(dx2, numerical(lambda: np.sum(dout2 * Sum().forward(x2)), x2))


def test_sum_and_repeat_are_each_others_backward():
    r = rng()
    x, dout = r.standard_normal((1, 3)), r.standard_normal((4, 3))
    s = Sum()
    s.forward(dout)
    np.testing.assert_array_equal(s.backward(x), Repeat(4).forward(x))
    np.testing.assert_allclose(Repeat(4).backward(dout), Sum().forward(dout))


def test_matmul_matches_numerical_gradients_and_writes_in_place():
    r = rng()
    x, W, dout = r.standard_normal((4, 3)), r.standard_normal((3, 2)), r.standard_normal((4, 2))
    node = MatMul(W)
    assert node.params[0] is W
    grad_array = node.grads[0]
    np.testing.assert_array_equal(grad_array, np.zeros((3, 2)))
    node.forward(x)
    dx = node.backward(dout)
    assert node.grads[0] is grad_array  # the same array, now holding dW
    assert_close(dx, numerical(lambda: np.sum(dout * MatMul(W).forward(x)), x))
    assert_close(node.grads[0], numerical(lambda: np.sum(dout * MatMul(W).forward(x)), W))


def test_matmul_second_backward_overwrites():
    r = rng()
    W = r.standard_normal((3, 2))
    node = MatMul(W)
    node.forward(r.standard_normal((4, 3)))
    node.backward(r.standard_normal((4, 2)))
    x2, d2 = r.standard_normal((4, 3)), r.standard_normal((4, 2))
    node.forward(x2)
    node.backward(d2)
    np.testing.assert_allclose(node.grads[0], x2.T @ d2)


def test_affine_sum_trace_runs_forward_then_backward_with_the_right_gradients():
    x = np.array([[1.0, 2.0], [3.0, -1.0]])
    W = np.array([[0.5], [-1.0]])
    b = np.array([[2.0]])
    events = affine_sum_trace(x, W, b)
    phases = [e["phase"] for e in events]
    assert phases == ["forward"] * 5 + ["backward"] * 5
    values = {k: v for e in events for k, v in e.get("values", {}).items()}
    grads = {k: v for e in events for k, v in e.get("grads", {}).items()}
    assert set(values) == set(grads) == {"x", "W", "b", "xW", "b_rep", "y", "L"}
    L = lambda: float(np.sum(x @ W + b))
    np.testing.assert_allclose(values["L"], [[L()]])
    assert_close(grads["x"], numerical(L, x))
    assert_close(grads["W"], numerical(L, W))
    assert_close(grads["b"], numerical(L, b))


def test_nodes_module_holds_only_nodes_with_the_layer_contract():
    import inspect

    from nnscratch import nodes

    for name, obj in vars(nodes).items():
        if getattr(obj, "__module__", None) == nodes.__name__:
            assert inspect.isclass(obj), f"nodes.{name} is not a node"
            assert {"forward", "backward"} <= set(vars(obj)), f"nodes.{name} lacks the contract"


def test_every_graph_figure_draws_its_arrows_from_its_trace():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures import computation_graph as figures
    from nnscratch.figures import traces

    x, W, b = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5], [-1.0]]), np.array([[2.0]])
    drawn = [
        (figures.AFFINE_SUM, traces.affine_sum_trace(x, W, b)),
        (figures.ADD_MUL, traces.add_mul_trace(2.0, 3.0, 4.0)),
        (figures.USED_TWICE, traces.used_twice_trace(3.0, 2.0)),
        (figures.SIGMOID, traces.sigmoid_trace(0.5)),
        (figures.AFFINE, traces.affine_trace(x, W, b, np.ones((2, 1)))),
        (figures.SOFTMAX_WITH_LOSS, traces.softmax_with_loss_trace(np.zeros((1, 3)), np.eye(3)[[1]])),
    ]
    for layout, trace in drawn:
        ends = {place for edge in trace.edges.values() for place in edge}
        assert ends == set(layout.places), sorted(ends ^ set(layout.places))
        assert set(layout.symbols) == {g.name for g in trace.graph}
    # Used-twice: x reaches Add directly (x2) and through Mul (x1), as the chapter draws it.
    assert drawn[2][1].edges == {
        "x": ("x", "Branch"), "x1": ("Branch", "Mul"), "y": ("y", "Mul"), "z": ("Mul", "Add"),
        "x2": ("Branch", "Add"), "L": ("Add", "L"),
    }  # fmt: skip


# --- figures and the stepper are drawn from these nodes ----------------------------------------

def figure_texts(fig):
    return {t.get_text() for ax in fig.axes for t in ax.texts}


def test_node_figures_show_the_numbers_the_node_computes():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures.computation_graph import draw_node

    texts = figure_texts(draw_node(Mul(), (2.0, 3.0), 1.5))
    assert {"2", "3", "6", "1.5", "4.5"} <= texts  # x, y, z, dz, dx = dz * y; dy = dz * x = 3
    W = np.array([[1.0, 0.0], [2.0, -1.0]])
    texts = figure_texts(draw_node(MatMul(W), (np.array([[1.0, 2.0]]),), np.array([[1.0, 1.0]])))
    assert "[ 5 -2]" in texts  # x @ W, columns right-aligned
    assert "[1 1]\n[2 2]" in texts  # dW = x.T @ dout, drawn as a 2x2 matrix
    texts = figure_texts(draw_node(Branch(), (2.0,), (1.5, -0.5), rule_panel=False))
    assert "1" in texts  # dx = 1.5 + (-0.5)


def test_graph_figure_fills_in_values_then_gradients_step_by_step():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures.computation_graph import draw_trace

    events = affine_sum_trace(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5], [-1.0]]),
                              np.array([[2.0]]))
    start, middle, end = (figure_texts(draw_trace(events, k)) for k in (0, 4, 9))
    assert "[5]" not in start and "[5]" in middle  # L appears once Sum has run
    assert "[4]\n[1]" not in middle and "[4]\n[1]" in end  # dW appears at the last step


def test_stepper_first_control_changes_the_picture_and_has_a_still_fallback():
    from nnscratch.widgets.computation_graph import graph_stepper

    live = graph_stepper()
    first = next(iter(live.controls.values()))
    before = live.image.value
    first.value = first.max
    assert live.image.value != before
    assert "image/png" in live._repr_mimebundle_()


# --- the nodes Chapter 6 takes layers apart with -----------------------------------------------

def test_exp_reciprocal_and_cross_entropy_match_numerical_gradients():
    from nnscratch.nodes import CrossEntropy, Exp, Reciprocal

    r = rng()
    x, dout = r.standard_normal((3, 4)), r.standard_normal((3, 4))
    for node_class in (Exp, Reciprocal):
        node = node_class()
        node.forward(x + 3.0)  # away from 0, where 1/x is steep
        fresh = node_class()
        assert_close(node.backward(dout), numerical(lambda fresh=fresh: np.sum(dout * fresh.forward(x + 3.0)), x))
    y = r.uniform(0.1, 1.0, size=(4, 3))
    t = np.eye(3)[[0, 2, 1, 1]]
    node = CrossEntropy()
    node.forward(y, t)
    assert_close(node.backward(), numerical(lambda: CrossEntropy().forward(y, t), y))


def test_layer_traces_end_in_the_layers_one_line_backward():
    from nnscratch.functions import sigmoid, softmax
    from nnscratch.figures.traces import affine_trace, sigmoid_trace, softmax_with_loss_trace

    for x in (-3.0, 0.0, 0.5, 4.0):
        y = sigmoid(x)
        assert np.isclose(sigmoid_trace(x, 2.0)[-1]["grads"]["x"], 2.0 * y * (1 - y))
    r = rng()
    x, W, b, dout = r.standard_normal((3, 2)), r.standard_normal((2, 4)), r.standard_normal((1, 4)), \
        r.standard_normal((3, 4))
    grads = {k: v for e in affine_trace(x, W, b, dout) for k, v in e.get("grads", {}).items()}
    np.testing.assert_allclose(grads["x"], dout @ W.T)
    np.testing.assert_allclose(grads["W"], x.T @ dout)
    np.testing.assert_allclose(grads["b"], dout.sum(axis=0, keepdims=True))
    s, t = r.standard_normal((4, 3)), np.eye(3)[[2, 0, 1, 1]]
    ds = softmax_with_loss_trace(s, t)[-1]["grads"]["s"]
    np.testing.assert_allclose(ds, (softmax(s) - t) / 4, rtol=1e-5)  # up to the 1e-7 inside the log


def test_gradient_check_figure_and_sigmoid_explorer():
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures.layer_backprop import plot_gradient_check
    from nnscratch.widgets.computation_graph import sigmoid_explorer

    fig = plot_gradient_check({"W1": 1e-9, "b1": 0.0, "W2": 3e-4, "b2": 0.9})
    assert {"1e-09", "1e-16", "3e-04", "9e-01"} <= figure_texts(fig)
    live = sigmoid_explorer()
    first = next(iter(live.controls.values()))
    before = live.image.value
    first.value = -2.0
    assert live.image.value != before


def test_stepper_buttons_step_forward_back_and_start_again():
    from nnscratch.widgets.computation_graph import graph_stepper

    live = graph_stepper()
    rows = live.widget.children[:-1]  # the last child is the image
    buttons = {b.description: b for row in rows for b in row.children if hasattr(b, "on_click")}
    step = live.controls["step"]
    buttons["step ▶"].click()
    buttons["step ▶"].click()
    assert step.value == 2
    buttons["◀ back"].click()
    assert step.value == 1
    buttons["start again"].click()
    assert step.value == 0
    buttons["◀ back"].click()
    assert step.value == 0  # never below the first step
    step.value = step.max
    buttons["step ▶"].click()
    assert step.value == step.max  # nor past the last
