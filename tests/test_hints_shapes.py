"""Shape errors in a learner's code, said by what NumPy's message shows: the two sizes that
clash, the arrays of the case that have them (only when exactly one pair does), and a matrix
product of two arrays of one shape (an element-wise product meant, or a `.T` missing)."""

import numpy as np

from nnscratch.grader import check
from nnscratch.grader.guard import guarded
from nnscratch.grader.shapes import shape_clash

X = np.ones((5, 4))
W = np.ones((4, 3))
DOUT = np.ones((5, 3))


def _message(fn, *args) -> str:
    return guarded(fn, *args).message


def test_a_product_names_the_only_pair_of_arrays_with_those_sizes():
    # x.T @ W: (4, 5) @ (4, 3); of x, W, dout (and their transposes) only x.T and W fit.
    said = shape_clash(_message(lambda: X.T @ W), {"x": X, "W": W})
    assert "here they are 5 and 4" in said
    assert "only `x.T` and `W` have those sizes" in said


def test_a_product_with_several_candidates_names_none():
    # W.T @ dout is (3, 4) @ (5, 3); x @ dout is (5, 4) @ (5, 3) with the same sizes 4 and 5.
    said = shape_clash(_message(lambda: W.T @ DOUT), {"x": X, "W": W, "dout": DOUT})
    assert "here they are 4 and 5" in said
    assert "only" not in said
    assert "print(A.shape, B.shape)" in said


def test_np_dot_of_two_arrays_of_one_shape_says_element_wise_or_transpose():
    said = shape_clash(_message(np.dot, DOUT, DOUT), {"dout": DOUT})
    assert "Both factors of the matrix product have shape (5, 3)" in said
    assert "element-wise product use `*`" in said


def test_a_broadcast_error_names_the_arrays_with_those_shapes():
    said = shape_clash(_message(lambda: X + W.T), {"x": X, "W": W})
    assert "shapes (5, 4) and (3, 4)" in said
    assert "only `x` and `W.T`" in said


def test_other_errors_are_not_shape_errors():
    assert shape_clash("division by zero", {"x": X}) == ""


class MulWithDot:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return np.dot(x, y)

    def backward(self, dout):
        return dout * self.y, dout * self.x


def test_a_learner_s_dot_for_an_element_wise_product_is_explained():
    result = check("graph.Mul", MulWithDot)
    # An observation in the message, beside NumPy's: not a hint, which names a known mistake.
    assert any("element-wise product use `*`" in o.message for o in result.outcomes)
    assert not any(o.hint for o in result.outcomes)
    assert "Traceback" not in str(result)
