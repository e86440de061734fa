"""Lab 2: more wrong answers, each with the one hint it must show (None: no hint).
Together with tests/test_grader_labs.py, every Lab 2 exercise has at least 8."""

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.gradients import numerical_gradient
from tests.hint_tables import assert_fails_with_only, assert_only_hint

RETURN = "is a `return` missing"
STORED = "backward can only use what forward kept on `self`"
AT_Y = "the slope at the output y"  # nnscratch.exercises.wrong_argument: backward_at_output


def layer(forward, backward):
    class Layer:
        def __init__(self):
            self.params, self.grads = [], []

    Layer.forward, Layer.backward = forward, backward
    return Layer


# numerical_backward(forward, x, dout)


def numerical_no_return(forward, x, dout):
    dx = numerical_gradient(lambda v: np.sum(forward(v) * dout), x)  # noqa: F841 - the slip


def central(forward, x, dout, h=1e-4, divide_by=2):
    dx = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = np.sum(forward(x) * dout)
        x[i] = old - h
        down = np.sum(forward(x) * dout)
        x[i] = old
        dx[i] = (up - down) / (divide_by * h)
    return dx


def divided_by_h(forward, x, dout):
    return central(forward, x, dout, divide_by=1)


def h_too_large(forward, x, dout):
    return central(forward, x, dout, h=0.1)


def whole_array_at_once(forward, x, dout, h=1e-4):
    return (np.sum(forward(x + h) * dout) - np.sum(forward(x - h) * dout)) / (2 * h)


def through_a_flat_view(forward, x, dout, h=1e-4):
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


def rows_and_columns_only(forward, x, dout, h=1e-4):
    dx = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            old = x[i, j].copy()
            x[i, j] = old + h
            up = np.sum(forward(x) * dout)
            x[i, j] = old - h
            down = np.sum(forward(x) * dout)
            x[i, j] = old
            dx[i, j] = (up - down) / (2 * h)
    return dx


# ReLU, Tanh, Softmax, ELU


def relu_forward(self, x):
    self.mask = x <= 0
    out = x.copy()
    out[self.mask] = 0
    return out


def relu_forward_no_return(self, x):
    self.mask = x <= 0
    out = x.copy()
    out[self.mask] = 0  # the slip: out is never returned


def relu_backward(self, dout):
    dout[self.mask] = 0
    return dout


def relu_backward_no_return(self, dout):
    dout[self.mask] = 0
    dx = dout  # noqa: F841 - the slip under test


def keep_x(self, x):
    self.x = x
    return np.maximum(0, x)


def tanh_forward(self, x):
    self.out = np.tanh(x)
    return self.out


def tanh_forward_keeps_nothing(self, x):
    return np.tanh(x)


def tanh_backward_no_return(self, dout):
    dx = dout * (1 - self.out**2)  # noqa: F841 - the slip under test


def softmax_forward(self, x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    self.out = e / e.sum(axis=1, keepdims=True)
    return self.out


def softmax_backward_no_return(self, dout):
    dx = self.out * (dout - np.sum(dout * self.out, axis=1, keepdims=True))  # noqa: F841


def elu_forward(self, x):
    self.x = x
    self.out = np.where(x > 0, x, np.exp(x) - 1)
    return self.out


def elu_backward(self, dout):
    return dout * np.where(self.x > 0, 1.0, self.out + 1)


def elu_backward_no_return(self, dout):
    dx = dout * np.where(self.x > 0, 1.0, self.out + 1)  # noqa: F841 - the slip under test


def elu_forward_exp_everywhere(self, x):
    self.x = x
    self.out = np.exp(x) - 1
    return self.out


def elu_forward_in_place(self, x):
    self.x = x.copy()
    x[x < 0] = np.exp(x[x < 0]) - 1
    self.out = x
    return x


def elu_forward_keeps_nothing(self, x):
    return np.where(x > 0, x, np.exp(x) - 1)


TABLE = [
    ("lab2.numerical_backward", numerical_no_return, RETURN),
    ("lab2.numerical_backward", divided_by_h, "divide by 2 * h, not by h"),
    ("lab2.numerical_backward", h_too_large, "h is too large"),
    ("lab2.numerical_backward", whole_array_at_once, "moving every element at once"),
    ("lab2.numerical_backward", through_a_flat_view, "they are copies"),
    ("lab2.numerical_backward", rows_and_columns_only, None),  # right for 2-D x only
    ("lab2.ReLU", layer(relu_forward, relu_backward_no_return), RETURN),
    ("lab2.ReLU", layer(relu_forward_no_return, relu_backward), RETURN),
    ("lab2.ReLU", layer(keep_x, lambda self, d: d * self.x), "multiplies dout by x"),
    ("lab2.ReLU", layer(keep_x, lambda self, d: np.maximum(0, d)), "applies ReLU to dout"),
    ("lab2.ReLU", layer(relu_forward, lambda self, d: d * (d > 0)), "applies ReLU to dout"),
    ("lab2.Tanh", layer(tanh_forward, tanh_backward_no_return), RETURN),
    ("lab2.Tanh", layer(tanh_forward, lambda self, d: d * (1 - np.tanh(self.out) ** 2)), AT_Y),
    ("lab2.Tanh", layer(tanh_forward, lambda self, d: d * 1 - self.out**2), "(dout · 1) − y²"),
    (
        "lab2.Tanh",
        layer(tanh_forward_keeps_nothing, lambda self, d: d * (1 - self.out**2)),
        STORED,
    ),
    ("lab2.Softmax", layer(softmax_forward, softmax_backward_no_return), RETURN),
    (
        "lab2.Softmax",
        layer(softmax_forward, lambda self, d: self.out - d),
        "Softmax-with-Loss's y − t",
    ),
    ("lab2.Tanh", layer(tanh_forward, lambda self, d: d * (1 + self.out**2)), "not added"),
    (
        "lab2.Softmax",
        layer(
            softmax_forward,
            lambda self, d: self.out * (d - np.sum(self.out, axis=1, keepdims=True)),
        ),
        "this is y * (dout − 1)",
    ),
    ("lab2.Softmax", layer(softmax_forward, lambda self, d: self.out * (d - 1)), "y * (dout − 1)"),
    ("lab2.ELU", layer(elu_forward, elu_backward_no_return), RETURN),
    ("lab2.ELU", layer(elu_forward_exp_everywhere, elu_backward), "eˣ − 1 everywhere"),
    ("lab2.ELU", layer(elu_forward_in_place, elu_backward), None),  # observed: x changed
    ("lab2.ELU", layer(elu_forward_keeps_nothing, elu_backward), STORED),
    (
        "lab2.ELU",
        layer(elu_forward, lambda self, d: d * np.where(self.x > 0, 1.0, np.exp(self.out))),
        AT_Y,
    ),
    (
        "lab2.ELU",
        layer(elu_forward, lambda self, d: d * np.where(self.x > 0, self.out + 1, 1.0)),
        None,
    ),
    ("lab2.ELU", layer(elu_forward, lambda self, d: d * (self.x > 0)), "ReLU's backward"),
    (
        "lab2.ELU",
        layer(elu_forward, lambda self, d: d * np.where(self.x > 0, 1.0, self.out)),
        "which is y + 1, not y",
    ),
    (
        "lab2.ELU",
        layer(elu_forward, lambda self, d: np.where(self.x > 0, 1.0, self.out + 1)),
        "upstream gradient `dout`",
    ),
    ("lab2.ELU", layer(elu_forward, lambda self, d: d * np.exp(self.x)), "whose slope is 1"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)


def test_inverted_relu_mask_hint_describes_the_code_then_the_rule():
    inverted = layer(keep_x, lambda self, d: np.where(self.x > 0, 0.0, d))
    assert_fails_with_only(
        "lab2.ReLU", inverted, "lets the gradient through where the input was negative"
    )


def float32_elu():
    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float32)
        self.out = np.where(self.x > 0, self.x, np.exp(self.x) - np.float32(1))
        return self.out

    def backward(self, dout):
        return np.asarray(dout, np.float32) * np.where(self.x > 0, np.float32(1), self.out + 1)

    return layer(forward, backward)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_elu_in_float32_is_told_to_compute_in_float64(seed):
    # The inputs are float64 and the derivative is checked to rounding error (Case.exact):
    # float32 is right to 1e-7 only. Its forward still passes; its backward gets an observation.
    result = check("lab2.ELU", float32_elu(), seed=seed)
    assert_only_hint(result, None)
    assert result.outcomes[0].passed
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)
