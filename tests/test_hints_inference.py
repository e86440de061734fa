"""Chapter 1: more wrong answers, written the ways learners write them, each with the one hint
it must show (None: no hint, the message's observation stands alone). Together with
tests/test_grader_inference.py, every exercise has at least 8."""

import numpy as np
import pytest

from tests.hint_tables import assert_fails_with_only

PRECEDENCE = "operator precedence"
RETURN = "is a `return` missing"


def sigmoid_no_return(x):
    1 / (1 + np.exp(-x))


def sigmoid_prints(x):
    print(1 / (1 + np.exp(-x)))


def affine_no_return(x, W, b):
    y = x @ W + b  # noqa: F841 - the slip under test


class GoodSigmoid:
    def __init__(self):
        self.params = []

    def forward(self, x):
        return 1 / (1 + np.exp(-x))


class SigmoidPrecedence(GoodSigmoid):
    def forward(self, x):
        return 1 / 1 + np.exp(-x)


class SigmoidNoReturn(GoodSigmoid):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))


class SigmoidWrongSign(GoodSigmoid):
    def forward(self, x):
        return 1 / (1 + np.exp(x))


class SigmoidParamsNone(GoodSigmoid):
    def __init__(self):
        self.params = None


class GoodAffine:
    def __init__(self, W, b):
        self.params = [W, b]

    def forward(self, x):
        W, b = self.params
        return x @ W + b


class AffineCopies(GoodAffine):
    def __init__(self, W, b):
        self.params = [np.copy(W), np.copy(b)]


class AffineNoBias(GoodAffine):
    def forward(self, x):
        return x @ self.params[0]


class AffineTransposed(GoodAffine):
    def forward(self, x):
        W, b = self.params
        return x @ W.T + b


class AffineNoReturn(GoodAffine):
    def forward(self, x):
        W, b = self.params
        self.out = x @ W + b


class AffinePrivate(GoodAffine):
    def __init__(self, W, b):
        self.params = [W, b]
        self.W, self.b = W.copy(), b.copy()

    def forward(self, x):
        return x @ self.W + self.b


def net(predict=None, gather="extend", order=None):
    """A learner's TwoLayerNet, built from the good layers with one slip."""

    class Net:
        def __init__(self, I, H, O):
            rng = np.random.default_rng()
            W1, b1 = 0.01 * rng.standard_normal((I, H)), np.zeros(H)
            W2, b2 = 0.01 * rng.standard_normal((H, O)), np.zeros(O)
            self.layers = [GoodAffine(W1, b1), GoodSigmoid(), GoodAffine(W2, b2)]
            if gather == "extend":
                self.params = []
                for layer in self.layers:
                    self.params += layer.params
            elif gather == "order":
                self.params = [W1, W2, b1, b2]
            elif gather == "lists":
                self.params = [layer.params for layer in self.layers]

        def predict(self, x):
            if predict:
                return predict(self, x)
            for layer in self.layers:
                x = layer.forward(x)
            return x

    return Net


def predict_no_return(self, x):
    for layer in self.layers:
        x = layer.forward(x)


def predict_around_layers(self, x):
    W1, b1, W2, b2 = self.params
    return 1 / (1 + np.exp(-(x @ W1 + b1))) @ W2 + b2


def predict_reversed(self, x):
    for layer in reversed(self.layers):
        x = layer.forward(x)
    return x


def predict_first_layer_only(self, x):
    return self.layers[0].forward(x)


TABLE = [
    ("inference.sigmoid", sigmoid_no_return, RETURN),
    ("inference.sigmoid", sigmoid_prints, RETURN),
    ("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)) ** 2, None),
    ("inference.sigmoid", lambda x: np.exp(-x) / (1 + np.exp(-x)), "that is sigmoid(-x)"),
    ("inference.affine", affine_no_return, RETURN),
    (
        "inference.affine",
        lambda x, W, b: np.dot(W.T, x) + b if x.ndim == 1 else W @ x + b,
        "the order matters",
    ),
    ("inference.affine", lambda x, W, b: x @ W - b, "the bias is added, not subtracted"),
    ("inference.affine", lambda x, W, b: np.dot(x, W), "don't forget the bias"),
    ("inference.affine", lambda x, W, b: (x @ W + b).T, None),
    ("inference.classify", lambda s: np.argmax(s, axis=-1).astype(float), None),
    ("inference.classify", lambda s: s.argmax(0), "`axis=0` runs down the columns"),
    ("inference.classify", lambda s: s.max(axis=1), "np.argmax gives where"),
    ("inference.classify", lambda s: None, RETURN),
    ("inference.Sigmoid", SigmoidPrecedence, PRECEDENCE),
    ("inference.Sigmoid", SigmoidNoReturn, RETURN),
    ("inference.Sigmoid", SigmoidWrongSign, "that is sigmoid(-x)"),
    ("inference.Sigmoid", SigmoidParamsNone, None),
    ("inference.Affine", AffineCopies, "store the arrays themselves"),
    ("inference.Affine", AffineNoBias, "don't forget the bias"),
    ("inference.Affine", AffineTransposed, "no transpose"),
    ("inference.Affine", AffineNoReturn, RETURN),
    ("inference.Affine", AffinePrivate, "read the weights from params"),
    ("inference.TwoLayerNet", net(predict_no_return), RETURN),
    ("inference.TwoLayerNet", net(predict_around_layers), "run x through the layers"),
    ("inference.TwoLayerNet", net(predict_reversed), "the previous layer's output"),
    ("inference.TwoLayerNet", net(predict_first_layer_only), None),
    ("inference.TwoLayerNet", net(gather="lists"), "rather than append"),
    ("inference.TwoLayerNet", net(gather="order"), None),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", TABLE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(TABLE)]
)
def test_wrong_answer_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)


def test_params_in_another_order_are_named_in_the_learners_terms():
    from nnscratch.grader import check

    result = check("inference.TwoLayerNet", net(gather="order"))
    text = str(result)
    assert "could not broadcast" not in text and "shape" in text and "net.params[1]" in text, text


def test_params_as_lists_are_named_in_the_learners_terms():
    from nnscratch.grader import check

    text = str(check("inference.TwoLayerNet", net(gather="lists")))
    assert "ellipsis" not in text and "holds 3 items" in text, text


# More layers written the ways learners write them.


class SigmoidWithoutInit:
    def forward(self, x):
        return 1 / (1 + np.exp(-x))


class SigmoidMathExp(GoodSigmoid):
    def forward(self, x):
        import math

        return 1 / (1 + math.exp(-x))


class SigmoidExpRatio(GoodSigmoid):
    def forward(self, x):
        return np.exp(x) / (1 + np.exp(x))  # inf / inf at x = 1000


class SigmoidMinus(GoodSigmoid):
    def forward(self, x):
        return 1 / (1 - np.exp(-x))


class SigmoidTanh(GoodSigmoid):
    def forward(self, x):
        return np.tanh(x)


class AffineWFirst(GoodAffine):
    def forward(self, x):
        W, b = self.params
        return W @ x + b


class AffineBiasFirst(GoodAffine):
    def __init__(self, W, b):
        self.params = [b, W]

    def forward(self, x):
        b, W = self.params
        return x @ W + b


class AffineBiasColumn(GoodAffine):
    def forward(self, x):
        W, b = self.params
        return x @ W + b.reshape(-1, 1)


MORE = [
    ("inference.Sigmoid", SigmoidWithoutInit, "empty list `[]` for a layer without weights"),
    ("inference.Sigmoid", SigmoidMathExp, "such as `np.exp`, work on whole arrays"),
    ("inference.Sigmoid", SigmoidExpRatio, "np.exp(1000) overflows"),
    ("inference.Sigmoid", SigmoidMinus, "with a plus sign"),
    ("inference.Sigmoid", SigmoidTanh, None),
    ("inference.Affine", AffineWFirst, "the order matters"),
    ("inference.Affine", AffineBiasFirst, None),  # observed: the shapes of params
    ("inference.Affine", AffineBiasColumn, "`b.reshape(-1, 1)`"),
]


@pytest.mark.parametrize(
    "exercise_id,obj,hint", MORE, ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(MORE)]
)
def test_more_wrong_answers_show_only_their_own_hint(exercise_id, obj, hint):
    assert_fails_with_only(exercise_id, obj, hint)
