"""Chapter 6: the reference layers against numerical gradients, the gradient-check tools, and
the backprop exercises against a catalogue of right and wrong student answers."""

import numpy as np
import pytest

from nnscratch import layers, planted
from nnscratch.exercises.layer_backprop import _ReferenceNet
from nnscratch.grader import check
from nnscratch.gradients import check_layer, check_loss_layer, check_network
from nnscratch.network import TwoLayerNet
from tests.hint_tables import assert_only_hint

RNG = np.random.default_rng(11)


# --- the references are right: numerical gradients agree -------------------------------------


def test_sigmoid_and_affine_layers_match_numerical_gradients():
    x, dout = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    assert check_layer(layers.Sigmoid(), x, dout)["dx"] < 1e-8
    W, b = RNG.standard_normal((3, 2)), RNG.standard_normal(2)
    errors = check_layer(layers.Affine(W, b), x, RNG.standard_normal((4, 2)), names=("dW", "db"))
    assert set(errors) == {"dx", "dW", "db"} and max(errors.values()) < 1e-8


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_matches_numerical_gradients(one_hot):
    x, labels = RNG.standard_normal((5, 4)), RNG.integers(0, 4, size=5)
    t = np.eye(4)[labels] if one_hot else labels
    # The loss keeps log() finite with a 1e-7 inside it; backward is the exact (y - t) / N, so
    # the two differ by about 1e-7 / y, and 1e-5 is the honest bar here.
    assert check_loss_layer(layers.SoftmaxWithLoss(), x, t)["dx"] < 1e-5


def test_a_whole_two_layer_net_passes_its_gradient_check():
    net = TwoLayerNet(2, 4, 3, weight_std=1.0, rng=0)
    x, t = RNG.standard_normal((6, 2)), RNG.integers(0, 3, size=6)
    errors = check_network(net, x, t, names=("W1", "b1", "W2", "b2"))
    assert list(errors) == ["W1", "b1", "W2", "b2"] and max(errors.values()) < 1e-5


def test_check_network_leaves_the_weights_as_they_were():
    net = TwoLayerNet(2, 4, 3, weight_std=1.0, rng=0)
    before = [p.copy() for p in net.params]
    check_network(net, RNG.standard_normal((3, 2)), np.array([0, 1, 2]))
    assert all(np.array_equal(p, q) for p, q in zip(net.params, before))


# --- the planted bugs: each shows up in exactly one gradient ---------------------------------


def test_each_planted_layer_fails_its_own_check_in_exactly_the_planted_place():
    (W1, b1, W2, b2), x, t = planted.example()
    h, dout = RNG.uniform(0.1, 0.9, size=(5, 3)), RNG.standard_normal((5, 3))
    bad = lambda errors: {k for k, v in errors.items() if v > 1e-2}
    assert bad(check_layer(planted.LoopAffine(W1, b1), x, dout, names=("dW", "db"))) == {"db"}
    assert bad(check_layer(planted.Logistic(), h, dout)) == {"dx"}
    assert bad(check_layer(planted.FastAffine(W2, b2), h, dout, names=("dW", "db"))) == {"dW"}
    assert bad(check_loss_layer(planted.ScoreLoss(), h, t)) == {"dx"}
    net_errors = check_network(planted.PlantedNet(W1, b1, W2, b2), x, t)
    assert min(net_errors.values()) > 1e-2  # at network level, every gradient is wrong
    assert max(check_network(_ReferenceNet(W1, b1, W2, b2), x, t).values()) < 1e-5


def test_the_planted_network_predicts_like_the_fixed_one():
    (W1, b1, W2, b2), x, t = planted.example()
    buggy, fixed = planted.PlantedNet(W1, b1, W2, b2), _ReferenceNet(W1, b1, W2, b2)
    assert np.allclose(buggy.predict(x), fixed.predict(x))
    assert np.isclose(buggy.forward(x, t), fixed.forward(x, t))


# --- right answers, written the ways students write them -------------------------------------


class SigmoidPlain:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class SigmoidInPlaceDout(SigmoidPlain):
    def backward(self, dout):
        dout *= self.out * (1 - self.out)  # reuses the upstream array
        return dout


class SigmoidFromExp(SigmoidPlain):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        e = np.exp(-self.x)
        return dout * e / (1 + e) ** 2  # the same derivative, written from x


class SigmoidFloat32(SigmoidPlain):
    def forward(self, x):
        self.out = (1 / (1 + np.exp(-x.astype(np.float32)))).astype(np.float32)
        return self.out

    def backward(self, dout):
        return (dout * self.out * (1 - self.out)).astype(np.float32)


def test_a_sigmoid_in_float32_is_told_to_compute_in_float64():
    # Sigmoid's cases are exact (a numerical gradient must fail), and float32 is right to 1e-7.
    result = check("backprop.Sigmoid", SigmoidFloat32)
    assert not result.passed
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)


class AffinePlain:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return np.dot(x, W) + b

    def backward(self, dout):
        W, _ = self.params
        dx = np.dot(dout, W.T)
        dW = np.dot(self.x.T, dout)
        db = np.sum(dout, axis=0)
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dx


class AffineEinsum(AffinePlain):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][:] = np.einsum("nd,nh->dh", self.x, dout)
        self.grads[1][:] = np.einsum("nh->h", dout)
        return np.einsum("nh,dh->nd", dout, W)


class AffineKeepdims(AffinePlain):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0, keepdims=True)  # (1, H) fits into (H,)
        return dout @ W.T


class AffineLoop(AffinePlain):
    def backward(self, dout):
        W, b = self.params
        dW, db = np.zeros_like(W), np.zeros_like(b)
        for n in range(len(dout)):
            dW += np.outer(self.x[n], dout[n])
            db += dout[n]  # += : every sample adds its share
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dout @ W.T


class AffineFloat32(AffinePlain):
    def backward(self, dout):
        W, _ = self.params
        x32, d32 = self.x.astype(np.float32), dout.astype(np.float32)
        self.grads[0][...] = x32.T @ d32
        self.grads[1][...] = d32.sum(axis=0)
        return d32 @ W.astype(np.float32).T


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class SwlPlain:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.y = _softmax(x)
        if t.ndim == 2:
            t = t.argmax(axis=1)
        self.t = t
        N = x.shape[0]
        return -np.sum(np.log(self.y[np.arange(N), t] + 1e-7)) / N

    def backward(self, dout=1):
        N = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(N), self.t] -= 1
        dx *= dout
        return dx / N


class SwlOneHot(SwlPlain):
    def forward(self, x, t):
        self.y = _softmax(x)
        self.t_onehot = t if t.ndim == 2 else np.eye(x.shape[1])[t]
        return float(-np.sum(self.t_onehot * np.log(self.y + 1e-7)) / len(x))

    def backward(self, dout=1):
        return (self.y - self.t_onehot) * dout / len(self.y)


class SwlNoDelta(SwlOneHot):
    def forward(self, x, t):
        super().forward(x, t)
        return float(-np.mean(np.log(np.sum(self.t_onehot * self.y, axis=1))))


RIGHT = {
    "backprop.Sigmoid": [
        layers.Sigmoid,
        SigmoidPlain,
        SigmoidInPlaceDout,
        SigmoidFromExp,
    ],
    "backprop.Affine": [
        layers.Affine,
        AffinePlain,
        AffineEinsum,
        AffineKeepdims,
        AffineLoop,
    ],
    "backprop.SoftmaxWithLoss": [layers.SoftmaxWithLoss, SwlPlain, SwlOneHot, SwlNoDelta],
}


@pytest.mark.parametrize(
    "exercise_id,cls",
    [(k, c) for k, cs in RIGHT.items() for c in cs],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_right_answers_pass(exercise_id, cls):
    result = check(exercise_id, cls)
    assert result.passed, str(result)


def test_an_affine_in_float32_is_told_to_compute_in_float64():
    # As Chapter 5's nodes: float32 is right to about 1e-8, no closer than a finite difference.
    result = check("backprop.Affine", AffineFloat32)
    assert_only_hint(result, None)
    assert any("holds float32 values" in o.message for o in result.outcomes), str(result)


# --- wrong answers, each with the hint it must earn ------------------------------------------


class SigmoidFromInput(SigmoidPlain):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class SigmoidIgnoresDout(SigmoidPlain):
    def backward(self, dout):
        return (1.0 - self.out) * self.out


class SigmoidSpoils(SigmoidPlain):
    def backward(self, dout):
        self.out *= 1 - self.out
        return dout * self.out


class SigmoidForgetsOutput:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


def affine(dW=None, db=None, dx=None, write="in place"):
    """An Affine written with the given formulas, functions of (x, W, b, dout), and the given
    way of storing the gradients."""
    dW = dW or (lambda x, W, b, dout: x.T @ dout)
    db = db or (lambda x, W, b, dout: np.sum(dout, axis=0))
    dx = dx or (lambda x, W, b, dout: dout @ W.T)

    class Written(AffinePlain):
        def backward(self, dout):
            W, b = self.params
            new_dW, new_db, new_dx = (f(self.x, W, b, dout) for f in (dW, db, dx))
            if write == "in place":
                self.grads[0][...] = new_dW
                self.grads[1][...] = new_db
            elif write == "rebind":
                self.grads[0] = new_dW
                self.grads[1] = new_db
            else:
                self.grads[0] += new_dW
                self.grads[1] += new_db
            return new_dx

    return Written


class AffineLoopAssigns(AffinePlain):
    def backward(self, dout):
        W, b = self.params
        dW, db = np.zeros_like(W), np.zeros_like(b)
        for n in range(len(dout)):
            dW += np.outer(self.x[n], dout[n])
            db = dout[n]  # = where += is needed: only the last sample survives
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dout @ W.T


class SwlNoN(SwlPlain):
    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(dx)), self.t] -= 1
        return dx * dout


class SwlIgnoresDout(SwlPlain):
    def backward(self, dout=1):
        return super().backward(1)


class SwlSpoils(SwlPlain):
    def backward(self, dout=1):
        dx = self.y  # no copy: the next backward starts from a spoiled y
        dx[np.arange(len(dx)), self.t] -= 1
        return dx * dout / len(dx)


class SwlRawLabels(SwlOneHot):
    def forward(self, x, t):
        self.t_raw = t
        return super().forward(x, t)

    def backward(self, dout=1):
        return (self.y - self.t_raw) * dout / len(self.y)


class SwlNoDefault(SwlPlain):
    def backward(self, dout):
        return super().backward(dout)


class SwlSumLoss(SwlPlain):
    def forward(self, x, t):
        return super().forward(x, t) * len(x)


WRONG = [
    ("backprop.Sigmoid", SigmoidFromInput, "not its input x"),
    ("backprop.Sigmoid", SigmoidIgnoresDout, "upstream gradient `dout`"),
    ("backprop.Sigmoid", SigmoidSpoils, "spoiled value"),
    ("backprop.Sigmoid", SigmoidForgetsOutput, "store the values"),
    ("backprop.Affine", affine(write="rebind"), "self.grads[0][...] = dW"),
    ("backprop.Affine", affine(write="accumulate"), "don't add to it"),
    ("backprop.Affine", affine(dW=lambda x, W, b, dout: dout.T @ x), "only when W is square"),
    ("backprop.Affine", affine(dW=lambda x, W, b, dout: np.dot(dout, W.T)), "formula for dx"),
    ("backprop.Affine", affine(dx=lambda x, W, b, dout: dout @ W), "dout @ W.T"),
    ("backprop.Affine", affine(db=lambda x, W, b, dout: np.mean(dout, axis=0)), "not averaged"),
    ("backprop.Affine", affine(dW=lambda x, W, b, dout: x.T @ dout / len(x)), "N times too small"),
    ("backprop.Affine", AffineLoopAssigns, "replaces instead of adding"),
    ("backprop.Affine", affine(db=lambda x, W, b, dout: dout), "sum dout over the batch"),
    ("backprop.Affine", affine(db=lambda x, W, b, dout: dout.sum(axis=1)), "axis 0"),
    ("backprop.Affine", affine(db=lambda x, W, b, dout: np.zeros_like(b)), "fill grads[1]"),
    (
        "backprop.Affine",
        affine(
            dW=lambda x, W, b, dout: x.T @ np.ones_like(dout),
            db=lambda x, W, b, dout: np.ones_like(dout).sum(axis=0),
            dx=lambda x, W, b, dout: np.ones_like(dout) @ W.T,
        ),
        "upstream gradient `dout`",
    ),
    ("backprop.SoftmaxWithLoss", SwlNoN, "batch size"),
    ("backprop.SoftmaxWithLoss", SwlIgnoresDout, "upstream gradient `dout`"),
    ("backprop.SoftmaxWithLoss", SwlSpoils, "spoiled value"),
    ("backprop.SoftmaxWithLoss", SwlRawLabels, "not one-hot"),
    ("backprop.SoftmaxWithLoss", SwlNoDefault, "default value"),
    ("backprop.SoftmaxWithLoss", SwlSumLoss, "the loss is the mean"),
]


@pytest.mark.parametrize("exercise_id,cls,hint", WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_wrong_answers_fail_with_their_hint(exercise_id, cls, hint):
    result = check(exercise_id, cls)
    assert not result.passed and result.status == "failed", str(result)
    assert_only_hint(result, hint)


def test_feedback_names_the_output_the_elements_the_relative_error_and_the_factor():
    result = check("backprop.SoftmaxWithLoss", SwlNoN)
    message = result.outcomes[0].message
    assert "`backward()` is wrong in all 12 places" in message
    assert "relative error" in message and "every value is 4 times the right one" in message
    db = (
        check("backprop.Affine", affine(db=lambda x, W, b, dout: np.mean(dout, axis=0)))
        .outcomes[0]
        .message
    )
    assert db.startswith("`db (grads[1])` is wrong") and "1/4 times" in db


def test_identity_checks_are_plain_bool_outputs():
    result = check("backprop.Affine", affine(write="rebind"))
    assert "`grads[0] is the same array after backward` should be True" in str(result)


# --- the planted-bug exercise -------------------------------------------------------------------


def fixed_net(*keep_bug):
    """A learner's FixedNet: the reference layers, except the planted ones still in keep_bug."""
    classes = list(_ReferenceNet.layer_classes)
    for k in keep_bug:
        classes[k] = planted.PlantedNet.layer_classes[k]
    return type("FixedNet", (planted.PlantedNet,), {"layer_classes": tuple(classes)})


class MyLoopAffine(planted.LoopAffine):
    def backward(self, dout):
        W, b = self.params
        dW, db = np.zeros_like(W), np.zeros_like(b)
        for n in range(len(dout)):
            dW += np.outer(self.x[n], dout[n])
            db += dout[n]
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dout @ W.T


class MyLogistic(planted.Logistic):
    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class MyFastAffine(planted.FastAffine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = np.dot(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.dot(dout, W.T)


class MyScoreLoss(planted.ScoreLoss):
    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx * dout / len(self.t)


class MyFixedNet(planted.PlantedNet):
    layer_classes = (MyLoopAffine, MyLogistic, MyFastAffine, MyScoreLoss)


def test_the_learners_way_of_fixing_the_planted_bugs_passes():
    result = check("backprop.planted_bugs", MyFixedNet)
    assert result.passed, str(result)


@pytest.mark.parametrize(
    "k,words", [(0, "LoopAffine"), (1, "Logistic"), (2, "FastAffine"), (3, "ScoreLoss")]
)
def test_each_bug_left_in_is_named_with_its_layer(k, words):
    result = check("backprop.planted_bugs", fixed_net(k))
    assert not result.passed
    failing = [o for o in result.outcomes if not o.passed]
    assert failing[0].name.startswith(("layers", "loss_layer")) and words in failing[0].name
    assert words in failing[0].hint and "still has its bug" in failing[0].hint


def test_all_bugs_left_in_points_to_checking_layer_by_layer():
    result = check("backprop.planted_bugs", planted.PlantedNet)
    assert result.score == 0
    assert any("check each layer on its own" in o.hint for o in result.outcomes)


def test_a_fixed_layer_that_rebinds_breaks_the_networks_shared_grads():
    class Rebinding(MyFastAffine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.grads[0] = self.grads[0].copy()
            return dx

    class Net(planted.PlantedNet):
        layer_classes = (MyLoopAffine, MyLogistic, Rebinding, MyScoreLoss)

    result = check("backprop.planted_bugs", Net)
    assert "`net.grads are the layers' own arrays` should be True" in str(result)
