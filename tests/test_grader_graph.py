"""The Chapter 5 node exercises against a catalogue of right and wrong student answers."""

import numpy as np
import pytest

from nnscratch import nodes
from nnscratch.grader import check
from tests.hint_tables import assert_only_hint


def fails_with(exercise_id, obj, hint):
    result = check(exercise_id, obj)
    assert not result.passed and result.status == "failed", str(result)
    assert_only_hint(result, hint)
    return result


# --- right answers, written the ways students write them -------------------------------------


class AddPlain:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


class AddCopies(AddPlain):
    def forward(self, x, y):
        return np.add(x, y)

    def backward(self, dout):
        dx = dout * 1
        dy = np.copy(dout)
        return [dx, dy]  # a list is a pair too


class AddFloat32(AddPlain):
    def forward(self, x, y):
        return np.float32(x) + np.float32(y)

    def backward(self, dout):
        return np.float32(dout), np.float32(dout)


class MulPlain:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy


class MulInPlaceDout(MulPlain):
    def backward(self, dout):
        dy = dout * self.x
        if isinstance(dout, np.ndarray):
            dout *= self.y  # reuses the upstream array: fine, the caller is done with it
            return dout, dy
        return dout * self.y, dy


class MulMultiply(MulPlain):
    def forward(self, x, y):
        self.inputs = (x, y)
        return np.multiply(x, y)

    def backward(self, dout):
        x, y = self.inputs
        return np.multiply(dout, y), np.multiply(dout, x)


class RepeatPlain:
    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        return np.repeat(x, self.N, axis=0)

    def backward(self, dout):
        return np.sum(dout, axis=0, keepdims=True)


class RepeatTileLoop(RepeatPlain):
    def forward(self, x):
        return np.tile(x, (self.N, 1))

    def backward(self, dout):
        dx = np.zeros((1, dout.shape[1]))
        for n in range(self.N):
            dx += dout[n]  # += : every copy adds its gradient
        return dx


class RepeatBroadcast(RepeatPlain):
    def forward(self, x):
        return np.broadcast_to(x, (self.N, x.shape[1]))  # a read-only view is a fine output

    def backward(self, dout):
        return dout.sum(axis=0).reshape(1, -1)


class SumPlain:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.N = x.shape[0]
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0)


class SumBroadcast(SumPlain):
    def forward(self, x):
        self.shape = x.shape
        return x.sum(axis=0)[np.newaxis, :]

    def backward(self, dout):
        return np.ones(self.shape) * dout


class SumFloat32(SumPlain):
    def forward(self, x):
        self.N = len(x)
        return np.float32(x).sum(axis=0, keepdims=True)

    def backward(self, dout):
        return np.tile(np.float32(dout), (self.N, 1))


class MatMulPlain:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None

    def forward(self, x):
        (W,) = self.params
        self.x = x
        return np.dot(x, W)

    def backward(self, dout):
        (W,) = self.params
        dx = np.dot(dout, W.T)
        dW = np.dot(self.x.T, dout)
        self.grads[0][...] = dW
        return dx


class MatMulEinsum(MatMulPlain):
    def forward(self, x):
        self.x = x
        return np.einsum("nd,dh->nh", x, self.params[0])

    def backward(self, dout):
        self.grads[0][:] = np.einsum("nd,nh->dh", self.x, dout)
        return np.einsum("nh,dh->nd", dout, self.params[0])


class MatMulCopyto(MatMulPlain):
    def backward(self, dout):
        np.copyto(self.grads[0], self.x.T @ dout)
        return dout @ self.params[0].T


class MatMulFloat32(MatMulPlain):
    def forward(self, x):
        self.x = x.astype(np.float32)
        return self.x @ self.params[0].astype(np.float32)

    def backward(self, dout):
        dout = dout.astype(np.float32)
        self.grads[0][...] = self.x.T @ dout
        return dout @ self.params[0].astype(np.float32).T


RIGHT = {
    "graph.Add": [nodes.Add, AddPlain, AddCopies],
    "graph.Mul": [nodes.Mul, MulPlain, MulInPlaceDout, MulMultiply],
    "graph.Repeat": [nodes.Repeat, RepeatPlain, RepeatTileLoop, RepeatBroadcast],
    "graph.Sum": [nodes.Sum, SumPlain, SumBroadcast],
    "graph.MatMul": [nodes.MatMul, MatMulPlain, MatMulEinsum, MatMulCopyto],
}


@pytest.mark.parametrize(
    "exercise_id,cls",
    [(k, c) for k, cs in RIGHT.items() for c in cs],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_right_answers_pass(exercise_id, cls):
    result = check(exercise_id, cls)
    assert result.passed, str(result)


@pytest.mark.parametrize(
    "exercise_id,cls",
    [("graph.Add", AddFloat32), ("graph.Sum", SumFloat32), ("graph.MatMul", MatMulFloat32)],
)
def test_a_node_in_float32_is_told_to_compute_in_float64(exercise_id, cls):
    # Right to about 1e-8 like a finite difference with h = 1e-2 on values of 10⁶, so the case
    # that holds the formula to rounding error cannot accept it: the message says why, no hint.
    result = check(exercise_id, cls)
    assert_only_hint(result, None)
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)


# --- wrong answers, each with the hint it must earn ------------------------------------------


class AddIgnoresDout(AddPlain):
    def backward(self, dout):
        return 1.0, 1.0


class AddMulRule(MulPlain):
    def forward(self, x, y):
        super().forward(x, y)
        return x + y


class AddReturnsOne(AddPlain):
    def backward(self, dout):
        return dout


class MulNotSwapped(MulPlain):
    def backward(self, dout):
        return dout * self.x, dout * self.y


class MulIgnoresDout(MulPlain):
    def backward(self, dout):
        return self.y, self.x


class MulForgetsInputs:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class RepeatNoKeepdims(RepeatPlain):
    def backward(self, dout):
        return np.sum(dout, axis=0)


class RepeatMean(RepeatPlain):
    def backward(self, dout):
        return dout.mean(axis=0, keepdims=True)


class RepeatLoopAssigns(RepeatPlain):
    def backward(self, dout):
        dx = np.zeros((1, dout.shape[1]))
        for n in range(self.N):
            dx = dout[n : n + 1]  # = where += is needed
        return dx


class RepeatNoAxis(RepeatPlain):
    def forward(self, x):
        return np.repeat(x, self.N)


class SumNoKeepdims(SumPlain):
    def forward(self, x):
        self.N = x.shape[0]
        return np.sum(x, axis=0)


class SumPassThrough(SumPlain):
    def backward(self, dout):
        return dout


class SumMean(SumPlain):
    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0) / self.N


class MatMulRebinds(MatMulPlain):
    def backward(self, dout):
        self.grads[0] = self.x.T @ dout  # a new array: the shared one keeps its zeros
        return dout @ self.params[0].T


class MatMulAccumulates(MatMulPlain):
    def backward(self, dout):
        self.grads[0] += self.x.T @ dout
        return dout @ self.params[0].T


class MatMulTransposedDW(MatMulPlain):
    def backward(self, dout):
        self.grads[0][...] = np.dot(dout.T, self.x)
        return dout @ self.params[0].T


class MatMulDWLikeX(MatMulPlain):
    def backward(self, dout):
        dx = dout @ self.params[0].T
        self.grads[0][...] = dx
        return dx


class MatMulNoTranspose(MatMulPlain):
    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        return dout @ self.params[0]


class MatMulIgnoresDout(MatMulPlain):
    def backward(self, dout):
        self.grads[0][...] = self.x.T @ np.ones_like(dout)
        return np.ones_like(dout) @ self.params[0].T


class MatMulCopiesW(MatMulPlain):
    def __init__(self, W):
        super().__init__(W.copy())


WRONG = [
    ("graph.Add", AddIgnoresDout, "upstream gradient `dout`"),
    ("graph.Add", AddMulRule, "Mul's rule"),
    ("graph.Mul", MulNotSwapped, "inputs swap"),
    ("graph.Mul", MulIgnoresDout, "upstream gradient `dout`"),
    ("graph.Mul", MulForgetsInputs, "store the values"),
    ("graph.Repeat", RepeatNoKeepdims, "keepdims=True"),
    ("graph.Repeat", RepeatMean, "don't average"),
    ("graph.Repeat", RepeatLoopAssigns, "replaces instead of adding"),
    ("graph.Repeat", RepeatNoAxis, "flattens"),
    ("graph.Sum", SumNoKeepdims, "keepdims=True"),
    ("graph.Sum", SumPassThrough, "np.repeat(dout, self.N, axis=0)"),
    ("graph.Sum", SumMean, "backward of a mean"),
    ("graph.MatMul", MatMulRebinds, "self.grads[0][...] = dW"),
    ("graph.MatMul", MatMulAccumulates, "don't add to it"),
    ("graph.MatMul", MatMulTransposedDW, "only when W is square"),
    ("graph.MatMul", MatMulDWLikeX, "formula for dx"),
    ("graph.MatMul", MatMulNoTranspose, "dout @ W.T"),
    ("graph.MatMul", MatMulIgnoresDout, "upstream gradient `dout`"),
]


@pytest.mark.parametrize("exercise_id,cls,hint", WRONG, ids=[w[1].__name__ for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, cls, hint):
    fails_with(exercise_id, cls, hint)


def test_a_backward_that_returns_one_array_is_told_to_return_a_pair():
    result = check("graph.Add", AddReturnsOne)
    assert not result.passed
    assert "backward returns a pair (dx, dy)" in str(result) and "return dx, dy" in str(result)


def test_rebinding_is_a_plain_bool_output_named_in_the_learners_terms():
    result = check("graph.MatMul", MatMulRebinds)
    assert (
        "`grads[0] is the same array after backward` should be True" in result.outcomes[0].message
    )


def test_a_copied_weight_is_named():
    result = check("graph.MatMul", MatMulCopiesW)
    assert "`params is [W] (the very array)` should be True" in str(result)


def test_feedback_names_the_output_the_elements_and_the_relative_error():
    result = check("graph.MatMul", MatMulTransposedDW)
    square = result.outcomes[1]  # the square W: same shape, wrong values
    assert "`dW (grads[0])` is wrong in 6 of 9 places" in square.message
    assert "relative error" in square.message and "at (0, 1)" in square.message
    assert "transposed" in square.message


def test_feedback_spots_an_answer_off_by_a_constant_factor():
    class RepeatTwice(RepeatPlain):
        def backward(self, dout):
            return 2 * np.sum(dout, axis=0, keepdims=True)

    result = check("graph.Repeat", RepeatTwice)
    assert "every value is 2 times the right one" in str(result)


def test_hidden_cases_print_no_expected_values():
    result = check("graph.MatMul", MatMulIgnoresDout)
    hidden = result.outcomes[-1]
    assert not hidden.passed and "expected" not in hidden.message
