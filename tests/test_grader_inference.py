"""The Chapter 1 exercises against a catalogue of typical student answers, right and wrong."""

import math

import numpy as np
import pytest

from nnscratch import layers
from nnscratch.grader import check
from tests.hint_tables import assert_only_hint

# --- right answers, written the many ways students write them -------------------------------

RIGHT = {
    "inference.sigmoid": [
        lambda x: 1 / (1 + np.exp(-x)),
        lambda x: 1.0 / (1.0 + np.exp(-np.asarray(x))),
        lambda x: (1 / (1 + np.exp(-np.asarray(x, dtype=np.float32)))).astype(np.float32),
        lambda x: np.reciprocal(1 + np.exp(-x)),
        lambda x: 0.5 * (1 + np.tanh(0.5 * x)),
    ],
    "inference.affine": [
        lambda x, W, b: x @ W + b,
        lambda x, W, b: np.dot(x, W) + b,
        lambda x, W, b: np.matmul(x, W) + b,
        lambda x, W, b: x.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32),
    ],
    "inference.classify": [
        lambda s: np.argmax(s, axis=1),
        lambda s: s.argmax(axis=-1),
        lambda s: np.array([int(np.argmax(row)) for row in s]),
    ],
}


@pytest.mark.parametrize("exercise_id,fn", [(k, f) for k, fs in RIGHT.items() for f in fs])
def test_right_answers_pass(exercise_id, fn):
    result = check(exercise_id, fn)
    assert result.passed, str(result)
    assert result.score == result.total > 0


# --- wrong answers, each with the hint it must earn -----------------------------------------

WRONG = [
    ("inference.sigmoid", lambda x: 1 / 1 + np.exp(-x), "precedence"),
    ("inference.sigmoid", lambda x: 1 / (1 + np.exp(x)), "that is sigmoid(-x)"),
    ("inference.sigmoid", lambda x: np.exp(x) / (1 + np.exp(x)), "inf / inf"),
    ("inference.sigmoid", lambda x: 1 / (1 - np.exp(-x)), "plus sign"),
    ("inference.sigmoid", lambda x: [1 / (1 + math.exp(-v)) for v in np.ravel(x)], "np.exp"),
    ("inference.affine", lambda x, W, b: W @ x + b, "x @ W"),
    ("inference.affine", lambda x, W, b: x @ W, "bias"),
    ("inference.affine", lambda x, W, b: x * W + b, "element by element"),
    ("inference.classify", lambda s: np.argmax(s), "flattened"),
    ("inference.classify", lambda s: np.argmax(s, axis=0), "axis=1"),
    ("inference.classify", lambda s: np.max(s, axis=1), "np.argmax gives where"),
    ("inference.classify", lambda s: np.argmin(s, axis=1), "argmin"),
]


@pytest.mark.parametrize("exercise_id,fn,hint", WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, fn, hint):
    result = check(exercise_id, fn)
    assert not result.passed
    assert result.status == "failed"
    assert_only_hint(result, hint)


def test_classify_returning_floats_is_told_about_integers():
    result = check("inference.classify", lambda s: np.argmax(s, axis=1).astype(float))
    assert not result.passed
    assert "integers" in str(result)


# --- classes ----------------------------------------------------------------------------------


class GoodSigmoid:
    def __init__(self):
        self.params = []

    def forward(self, x):
        return 1 / (1 + np.exp(-x))


class NoParamsSigmoid:
    def forward(self, x):
        return 1 / (1 + np.exp(-x))


class GoodAffine:
    def __init__(self, W, b):
        self.params = [W, b]

    def forward(self, x):
        W, b = self.params
        return np.dot(x, W) + b


class CopyAffine(GoodAffine):
    def __init__(self, W, b):
        self.params = [W.copy(), b.copy()]


class PrivateAffine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.W, self.b = W.copy(), b.copy()

    def forward(self, x):
        return x @ self.W + self.b


def make_net(affine=GoodAffine, gather="extend", softmax=False):
    class Net:
        def __init__(self, I, H, O):
            rng = np.random.default_rng()
            self.layers = [
                affine(rng.standard_normal((I, H)), rng.standard_normal(H)),
                GoodSigmoid(),
                affine(rng.standard_normal((H, O)), rng.standard_normal(O)),
            ]
            self.params = []
            for layer in self.layers:
                if gather == "extend":
                    self.params += layer.params
                elif gather == "append":
                    self.params.append(layer.params)
                else:
                    self.params += [p.copy() for p in layer.params]

        def predict(self, x):
            for layer in self.layers:
                x = layer.forward(x)
            if softmax:
                e = np.exp(x - x.max(axis=1, keepdims=True))
                x = e / e.sum(axis=1, keepdims=True)
            return x

    return Net


def test_right_classes_pass():
    assert check("inference.Sigmoid", GoodSigmoid).passed
    assert check("inference.Sigmoid", layers.Sigmoid).passed
    assert check("inference.Affine", GoodAffine).passed
    assert check("inference.TwoLayerNet", make_net()).passed


@pytest.mark.parametrize(
    "exercise_id,cls,hint",
    [
        ("inference.Sigmoid", NoParamsSigmoid, "self.params"),
        ("inference.Affine", CopyAffine, "arrays themselves"),
        ("inference.Affine", PrivateAffine, "W, b = self.params"),
        ("inference.TwoLayerNet", make_net(gather="append"), "rather than append"),
        ("inference.TwoLayerNet", make_net(gather="copy"), "layers' own arrays"),
        ("inference.TwoLayerNet", make_net(softmax=True), "raw scores"),
    ],
)
def test_wrong_classes_fail_with_their_hint(exercise_id, cls, hint):
    result = check(exercise_id, cls)
    assert not result.passed
    assert_only_hint(result, hint)


def test_an_instance_instead_of_the_class_is_explained():
    result = check("inference.Sigmoid", GoodSigmoid())
    assert not result.passed and "class itself" in result.note
