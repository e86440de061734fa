"""The exercises derived by hand (issue 13): at least 8 wrong answers each, written the ways
learners write them, each with the one hint it must show (None: no hint)."""

import numpy as np
import pytest

from tests.hint_tables import assert_fails_with_only

RETURN = "is a `return` missing"
STORED = "backward can only use what forward kept on `self`"


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def quadratic_no_return(A, x):
    g = (A + A.T) @ x  # noqa: F841 - the slip under test


def softplus_no_return(x):
    d = 1 / (1 + np.exp(-x))  # noqa: F841 - the slip under test


class Divide:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y**2


def divide(**methods):
    return type("Divide", (Divide,), methods)


def divide_backward_no_return(self, dout):
    dx, dy = dout / self.y, -dout * self.x / self.y**2  # noqa: F841 - the slip under test


def divide_forward_keeps_nothing(self, x, y):
    return x / y


def divide_forward_no_return(self, x, y):
    self.x, self.y = x, y
    out = x / y  # noqa: F841 - the slip under test


class MeanSquaredLoss:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        return 0.5 * np.sum((x - t) ** 2) / len(x)

    def backward(self, dout=1):
        return (self.x - self.t) * dout / len(self.x)


def mse(**methods):
    return type("MeanSquaredLoss", (MeanSquaredLoss,), methods)


def mse_backward_no_return(self, dout=1):
    dx = (self.x - self.t) * dout / len(self.x)  # noqa: F841 - the slip under test


def mse_mean_of_all(self, x, t):
    self.x, self.t = x, t
    return 0.5 * np.mean((x - t) ** 2)


def mse_without_half(self, x, t):
    self.x, self.t = x, t
    return np.sum((x - t) ** 2) / len(x)


def mse_keeps_nothing(self, x, t):
    return 0.5 * np.sum((x - t) ** 2) / len(x)


class DecayAffine:
    def __init__(self, W, b, decay):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.decay = decay

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout + self.decay * W
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


def decay(dW=None, db=None, dx=None, forward=None):
    """A DecayAffine whose dW, db or dx is computed another way (functions of the layer)."""

    def backward(self, dout):
        W, _ = self.params
        right = self.x.T @ dout + self.decay * W
        self.grads[0][...] = dW(self, dout) if dW else right
        self.grads[1][...] = db(self, dout) if db else np.sum(dout, axis=0)
        return dx(self, dout) if dx else dout @ W.T

    methods = {"backward": backward}
    if forward:
        methods["forward"] = forward
    return type("DecayAffine", (DecayAffine,), methods)


def decay_backward_no_return(self, dout):
    W, _ = self.params
    self.grads[0][...] = self.x.T @ dout + self.decay * W
    self.grads[1][...] = np.sum(dout, axis=0)
    dx = dout @ W.T  # noqa: F841 - the slip under test


def decay_rebinds(self, dout):
    W, _ = self.params
    self.grads[0] = self.x.T @ dout + self.decay * W
    self.grads[1] = np.sum(dout, axis=0)
    return dout @ W.T


def decay_accumulates(self, dout):
    W, _ = self.params
    self.grads[0] += self.x.T @ dout + self.decay * W
    self.grads[1] += np.sum(dout, axis=0)
    return dout @ W.T


def decay_in_forward(self, x):
    W, b = self.params
    self.x = x
    return x @ W + b + 0.5 * self.decay * np.sum(W**2)


def gradient_through_reshape(f, x, h=1e-4):
    """Right for an x stored row by row; for W.T, x.reshape(-1) is a copy and f never moves."""
    flat = x.reshape(-1)
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)


def gradient_through_ravel(f, x, h=1e-4):
    grad = np.zeros_like(x)
    flat = x.ravel()
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        grad.flat[i] = (up - down) / (2 * h)
    return grad


FLAT_VIEW = "they are copies, and nudging a copy changes nothing"

TABLE = [
    ("gradients.numerical_gradient", gradient_through_reshape, FLAT_VIEW),
    ("gradients.numerical_gradient", gradient_through_ravel, FLAT_VIEW),
    ("gradients.quadratic_grad", quadratic_no_return, RETURN),
    ("gradients.quadratic_grad", lambda A, x: 2 * A @ x, "only when A is symmetric"),
    ("gradients.quadratic_grad", lambda A, x: A @ x, "a sum, as for a value used twice"),
    # x @ A is A.T @ x; on the symmetric case it is also A @ x: one hint for either share.
    (
        "gradients.quadratic_grad",
        lambda A, x: x @ A,  # Aᵀx everywhere; A x only where A is symmetric
        "a sum, as for a value used twice",
    ),
    ("gradients.quadratic_grad", lambda A, x: x @ A @ x, "f(x) itself"),
    ("gradients.quadratic_grad", lambda A, x: (A + A.T) * x, "multiplies element by element"),
    ("gradients.quadratic_grad", lambda A, x: 2 * A.T @ x, "2 Aᵀ x (`2 * x @ A`)"),
    ("gradients.quadratic_grad", lambda A, x: A @ A.T @ x, "multiplied together"),
    ("gradients.quadratic_grad", lambda A, x: np.outer(x, x), None),
    ("chain_rule.softplus_grad", softplus_no_return, RETURN),
    ("chain_rule.softplus_grad", lambda x: 1 / (1 + np.exp(x)), "the outer derivative"),
    ("chain_rule.softplus_grad", lambda x: np.exp(x), "only the inner derivative"),
    ("chain_rule.softplus_grad", lambda x: sigmoid(x) * (1 - sigmoid(x)), "one step earlier"),
    ("chain_rule.softplus_grad", lambda x: np.log(1 + np.exp(x)), "the function, not its slope"),
    ("chain_rule.softplus_grad", lambda x: 1 / 1 + np.exp(-x), "operator precedence"),
    ("chain_rule.softplus_grad", lambda x: sigmoid(x) * np.exp(x), "eˣ times the slope"),
    (
        "chain_rule.softplus_grad",
        lambda x: np.exp(x) / np.log(1 + np.exp(x)),
        "the value flowing into the log",
    ),
    ("graph.Divide", divide(backward=divide_backward_no_return), None),  # "return dx, dy"
    ("graph.Divide", divide(forward=divide_forward_keeps_nothing), STORED),
    ("graph.Divide", divide(forward=divide_forward_no_return), RETURN),
    ("graph.Divide", divide(backward=lambda s, d: (d / s.y, d * s.x / s.y**2)), "wrong sign"),
    ("graph.Divide", divide(backward=lambda s, d: (d / s.y, -d / s.y**2)), "factor x"),
    ("graph.Divide", divide(backward=lambda s, d: (d / s.y, -d * s.x / s.y)), "square of y"),
    ("graph.Divide", divide(backward=lambda s, d: (d * s.y, d * s.x)), "Mul's rule"),
    ("graph.Divide", divide(backward=lambda s, d: (-d * s.x / s.y**2, d / s.y)), "wrong order"),
    ("graph.Divide", divide(backward=lambda s, d: (1 / s.y, -s.x / s.y**2)), "upstream gradient"),
    ("graph.Divide", divide(backward=lambda s, d: (d * s.x / s.y, -d * s.x / s.y**2)), None),
    ("backprop.MeanSquaredLoss", mse(backward=mse_backward_no_return), RETURN),
    ("backprop.MeanSquaredLoss", mse(forward=mse_mean_of_all), "divide by N, not by N·C"),
    ("backprop.MeanSquaredLoss", mse(forward=mse_without_half), "forward leaves out the ½"),
    ("backprop.MeanSquaredLoss", mse(forward=mse_keeps_nothing), STORED),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout=1: (s.x - s.t) * dout),
        "N times too large",
    ),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout=1: 2 * (s.x - s.t) * dout / len(s.x)),
        "cancel the 2",
    ),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout=1: (s.t - s.x) * dout / len(s.x)),
        "sign is flipped",
    ),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout=1: (s.x - s.t) * dout / s.x.size),
        "not by N·C",
    ),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout=1: (s.x - s.t) / len(s.x)),
        "upstream gradient",
    ),
    (
        "backprop.MeanSquaredLoss",
        mse(backward=lambda s, dout: (s.x - s.t) * dout / len(s.x)),
        "default value",
    ),
    ("training.DecayAffine", decay(dW=lambda s, d: s.x.T @ d), "decay·W"),
    (
        "training.DecayAffine",
        decay(dW=lambda s, d: s.x.T @ d + s.decay * s.params[0] / 2),
        "cancels the 2",
    ),
    (
        "training.DecayAffine",
        decay(dW=lambda s, d: s.x.T @ d + s.decay * s.params[0] ** 2),
        "not decay·W²",
    ),
    ("training.DecayAffine", decay(dW=lambda s, d: s.x.T @ d - s.decay * s.params[0]), "+decay·W"),
    (
        "training.DecayAffine",
        decay(db=lambda s, d: np.sum(d, axis=0) + s.decay * s.params[1]),
        "the bias is not in",
    ),
    (
        "training.DecayAffine",
        decay(dx=lambda s, d: d @ s.params[0].T + s.decay * s.x),
        "dx has the penalty's slope",
    ),
    ("training.DecayAffine", decay(dW=lambda s, d: s.x.T @ d + 0.1 * s.params[0]), None),
    (
        "training.DecayAffine",
        decay(dW=lambda s, d: s.x.T @ d + s.decay * len(s.x) * s.params[0]),
        "not scaled by the batch size",
    ),
    (
        "training.DecayAffine",
        decay(dW=lambda s, d: s.x.T @ d + s.decay * s.params[0] / s.x.shape[0]),
        "not scaled by the batch size",
    ),
    ("training.DecayAffine", decay(forward=decay_in_forward), None),
    (
        "training.DecayAffine",
        type("DecayAffine", (DecayAffine,), {"backward": decay_rebinds}),
        None,
    ),  # observed: "grads are written in place" is False
    (
        "training.DecayAffine",
        type("DecayAffine", (DecayAffine,), {"backward": decay_accumulates}),
        "latest backward only",
    ),
    (
        "training.DecayAffine",
        type("DecayAffine", (DecayAffine,), {"backward": decay_backward_no_return}),
        RETURN,
    ),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
