"""Chapter 5 (graph nodes): more wrong answers, each with the one hint it must show (None: no
hint). Together with tests/test_grader_graph.py, every node has at least 8."""

import numpy as np
import pytest

from tests.hint_tables import assert_fails_with_only

RETURN = "is a `return` missing"


def node(forward, backward, init=None):
    """A learner's node class from its two methods (and, for Repeat and MatMul, its __init__)."""

    class Node:
        def __init__(self, *args):
            self.params, self.grads = [], []
            if init:
                init(self, *args)

    Node.forward, Node.backward = forward, backward
    return Node


def keep_xy(self, x, y):
    self.x, self.y = x, y
    return x * y


def add_forward(self, x, y):
    return x + y


ADD = [
    node(add_forward, lambda self, dout: (dout, dout * 0)),
    node(add_forward, lambda self, dout: dout),
    node(add_forward, lambda self, dout: None),
    node(add_forward, lambda self, dout: (1, 1)),
    node(add_forward, lambda self, dout: (-dout, -dout)),
    node(lambda self, x, y: x - y, lambda self, dout: (dout, dout)),
    node(lambda self, x, y: None, lambda self, dout: (dout, dout)),
    node(add_forward, lambda self, dout: [dout, 2 * dout]),
]
ADD_HINTS = ["", "", "", "dout", "", "with `return x - y` in place of `return x + y`", RETURN, ""]

MUL = [
    node(keep_xy, lambda self, dout: (dout * self.x, dout * self.y)),
    node(keep_xy, lambda self, dout: (self.y, self.x)),
    node(keep_xy, lambda self, dout: (dout, dout)),
    node(keep_xy, lambda self, dout: None),
    node(keep_xy, lambda self, dout: (dout * self.y, dout * self.y)),
    node(keep_xy, lambda self, dout: (dout * self.y,)),
    node(lambda self, x, y: x * y, lambda self, dout: (dout * self.y, dout * self.x)),
    node(keep_xy, lambda self, dout: (dout / self.y, dout / self.x)),
]
MUL_HINTS = [
    "the inputs swap",
    "dout",
    "Add's rule",
    None,
    "multiplies by y itself",
    None,
    "backward can only use",
    None,
]


def repeat_init(self, N):
    self.N = N


REPEAT = [
    node(lambda self, x: np.repeat(x, self.N, axis=0), lambda self, dout: None, repeat_init),
    node(
        lambda self, x: np.repeat(x, self.N, axis=0),
        lambda self, dout: dout.sum(axis=1, keepdims=True),
        repeat_init,
    ),
    node(
        lambda self, x: np.repeat(x, self.N, axis=0),
        lambda self, dout: self.N * dout[:1],
        repeat_init,
    ),
    node(
        lambda self, x: np.repeat(x, self.N, axis=0),
        lambda self, dout: dout.sum(axis=0),
        repeat_init,
    ),
]
REPEAT_HINTS = [RETURN, "adds across each row", None, "keepdims"]


def sum_forward(self, x):
    self.N = x.shape[0]
    return np.sum(x, axis=0, keepdims=True)


SUM = [
    node(sum_forward, lambda self, dout: None),
    node(sum_forward, lambda self, dout: dout),
    node(sum_forward, lambda self, dout: np.repeat(dout, self.N, axis=0) / self.N),
    node(sum_forward, lambda self, dout: np.ones((self.N, dout.shape[1]))),
    node(lambda self, x: np.sum(x, axis=1, keepdims=True), lambda self, dout: dout),
    node(lambda self, x: np.sum(x), lambda self, dout: np.repeat(dout, 3, axis=0)),
]
SUM_HINTS = [
    RETURN,
    "dx must have x's shape",
    "nothing to divide by",
    "for dout = 1",
    ("dx must have x's shape", "adds the D values within each row"),  # two slips, both named
    None,
]


def matmul_init(self, W):
    self.params, self.grads = [W], [np.zeros_like(W)]


def matmul_forward(self, x):
    self.x = x
    return x @ self.params[0]


def matmul_backward(dW, dx, write=True):
    def backward(self, dout):
        W = self.params[0]
        if write:
            self.grads[0][...] = dW(self.x, W, dout)
        else:
            self.grads[0] = dW(self.x, W, dout)
        return dx(self.x, W, dout)

    return backward


MATMUL = [
    (
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: d @ x.T, lambda x, W, d: d @ W.T),
            matmul_init,
        ),
        "`dout @ x.T` multiplies in the other order",
    ),
    (
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: x.T @ d, lambda x, W, d: None),
            matmul_init,
        ),
        RETURN,
    ),
    (
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: x.T @ d, lambda x, W, d: d @ W.T, False),
            matmul_init,
        ),
        "makes grads[0] a new array",
    ),
    (
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: x.T @ d, lambda x, W, d: W @ d.T),
            matmul_init,
        ),
        None,
    ),
    (  # a copy of W taken in __init__: stale once an optimizer changes W in place
        node(
            lambda self, x: setattr(self, "x", x) or x @ self.W,
            lambda self, dout: self.grads[0].__setitem__(..., self.x.T @ dout) or dout @ self.W.T,
            lambda self, W: matmul_init(self, W) or setattr(self, "W", W.copy()),
        ),
        "the second round uses the old W",
    ),
]

TABLE = (
    [("graph.Add", c, h or None) for c, h in zip(ADD, ADD_HINTS)]
    + [("graph.Mul", c, h) for c, h in zip(MUL, MUL_HINTS)]
    + [("graph.Repeat", c, h) for c, h in zip(REPEAT, REPEAT_HINTS)]
    + [("graph.Sum", c, h) for c, h in zip(SUM, SUM_HINTS)]
    + [("graph.MatMul", c, h) for c, h in MATMUL]
)


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)


# Chapter 5, more (issue 11): slips found by trying the nodes as learners write them, each
# checked against the one hint it must show. The issue's own example is here: a Repeat that
# sums axis 1 with keepdims must not be told to add keepdims.


def two(backward, keep=False):
    return node(keep_xy if keep else add_forward, backward)


def repeat_init(self, N):
    self.N = N


def sum_forward(self, x):
    self.N = len(x)
    return np.sum(x, axis=0, keepdims=True)


def divide_forward(self, x, y):
    self.x, self.y = x, y
    return x / y


MORE = [
    ("graph.Add", two(lambda self, d: (np.sum(d), np.sum(d))), None),
    ("graph.Add", two(lambda self, d: (d / 2, d / 2)), "each half of dout"),
    ("graph.Add", two(lambda self, d: (d, -d)), None),  # the rule of x - y
    (
        "graph.Mul",
        two(lambda self, d: (d * self.y, d * self.y), keep=True),
        "multiplies by y itself",
    ),
    (
        "graph.Mul",
        two(lambda self, d: (self.y * d, np.multiply(d, self.y)), keep=True),
        "multiplies by y itself",
    ),
    ("graph.Mul", two(lambda self, d: (d * self.y, self.x), keep=True), "for dout = 1"),
    ("graph.Mul", two(lambda self, d: (d @ self.y.T, d @ self.x.T), keep=True), None),
    (
        "graph.Repeat",
        node(
            lambda self, x: np.repeat(x, self.N, axis=0),
            lambda self, d: np.sum(d, axis=1, keepdims=True),
            repeat_init,
        ),
        "adds across each row",
    ),
    (
        "graph.Repeat",
        node(
            lambda self, x: np.repeat(x, self.N, axis=0),
            lambda self, d: d[:1] * self.N,
            repeat_init,
        ),
        None,
    ),
    (
        "graph.Repeat",
        node(lambda self, x: np.repeat(x, self.N, axis=0), lambda self, d: np.sum(d), repeat_init),
        None,
    ),
    ("graph.Sum", node(sum_forward, lambda self, d: np.tile(d, self.N)), None),
    (
        "graph.Sum",
        node(sum_forward, lambda self, d: np.ones((self.N, d.shape[1]))),
        "multiply by the upstream gradient",  # the values for dout = 1 (issue 11, part A)
    ),
    ("graph.Sum", node(sum_forward, lambda self, d: d * self.N), None),
    (
        "graph.Sum",
        node(sum_forward, lambda self, d: np.sum(d, axis=0, keepdims=True)),  # Repeat's rule
        "dx must have x's shape",
    ),
    (
        "graph.MatMul",
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: x.T @ d / len(x), lambda x, W, d: d @ W.T),
            matmul_init,
        ),
        None,
    ),
    (
        "graph.MatMul",
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: x.T @ d, lambda x, W, d: -(d @ W.T)),
            matmul_init,
        ),
        None,
    ),
    (
        "graph.MatMul",
        node(
            matmul_forward,
            matmul_backward(lambda x, W, d: np.outer(x.sum(0), d.sum(0)), lambda x, W, d: d @ W.T),
            matmul_init,
        ),
        None,
    ),
    ("graph.Divide", node(divide_forward, lambda s, d: (d / s.y, -d * s.x**2 / s.y**2)), None),
    (
        "graph.Divide",
        node(divide_forward, lambda s, d: (d * s.y, -d * s.x / s.y**2)),
        "dx = dout · y is Mul's rule",
    ),
    ("graph.Divide", node(divide_forward, lambda s, d: (d / s.y, d * s.x / s.y**2)), "wrong sign"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", MORE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(MORE)]
)
def test_more_wrong_answers_show_only_their_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
