"""Chapter 6 exercises: the backward passes of Sigmoid, Affine and Softmax with Loss, and a
network with planted bugs to find by gradient checks and fix.

The references are the layers of nnscratch.layers, which tests/test_grader_backprop.py
proves equal to numerical gradients. As in the graph exercises, every case hands backward a
private copy of dout, so reusing dout in place is fine, and changing x in place is caught.
"""

import inspect

import numpy as np

from nnscratch.exercises import forms
from nnscratch.exercises.computation_graph import (
    HINTS,
    LARGE_CASE,
    LARGE_TOLERANCE,
    NO_WEIGHT_STATE_HINTS,
    PRODUCT_SCALE,
    SHOWN_TOLERANCE,
    STATE_HINTS,
    USES_PARAMS_WB,
    _fresh,
    large_values,
)
from nnscratch.exercises.inference import PRECEDENCE
from nnscratch.exercises.loss import (
    LOSS_LAYER_EXPLAIN,
    ONE_HOT_AS_INDICES,
    SECOND_LOSS,
    _labelled_scores,
    second_batch,
    single_number,
)
from nnscratch.exercises.predictions import prediction
from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.i18n import N_, Phrase
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnscratch.planted import PlantedNet
from nnscratch.spec import ONE_PER_ROW, Case, ErrorHint, Exercise, Mistake

BACKPROP_HINTS = {
    "sigmoid input": N_(
        "the sigmoid's derivative is y (1 − y) with y the layer's *output*, "
        "sigmoid(x), not its input x: keep the output in forward (`self.out = ...`) "
        "and use it in backward."
    ),
    "spoiled state": N_(
        "backward changed an array that forward stored (in place), so a second "
        "backward starts from a spoiled value; compute into a new array instead "
        "(copy the stored array before changing it, such as `dx = self.y.copy()` for a "
        "stored `self.y`)."
    ),
    "db mean": N_(
        "db must be summed over the batch, not averaged: the bias row was repeated N "
        "times (one copy per sample), and Repeat's backward is a sum: "
        "`db = np.sum(dout, axis=0)`."
    ),
    "db last": N_(
        "only the last sample's gradient survived: a loop that writes `db = dout[n]` "
        "replaces instead of adding. Every sample used the bias, so their gradients add up: "
        "`db += dout[n]`, or `np.sum(dout, axis=0)`."
    ),
    "db missing": N_("fill grads[1] as well: `self.grads[1][...] = np.sum(dout, axis=0)`."),
    "dW over N": N_(
        "dW is exactly N times too small: the 1/N of the mean loss is already inside "
        "dout (Softmax with Loss divides by N), so don't divide again: `dW = x.T @ dout`."
    ),
    "batch size": N_(
        "the gradient is exactly N times too large (N, the batch size): the loss is the "
        "*mean* over the batch, so its gradient is (y − t) / N."
    ),
    "labels": N_(
        "with label indices, t is not one-hot: subtract 1 only at each row's correct class, "
        "`dx[np.arange(N), t] -= 1` (on a copy of y), or turn t into one-hot first."
    ),
}

# Sigmoid: forward(x), backward(dout) = dout * (1 - y) * y


def _sigmoid_inputs(shape, scale=2.0, decimals=2):
    def make(rng):
        return {
            "x": np.round(scale * rng.standard_normal(shape), decimals),
            "dout": np.round(rng.standard_normal(shape), decimals),
        }

    return make


def _run_sigmoid(cls, inp):
    layer = cls()
    y = _fresh(layer.forward(inp["x"]))  # before backward can change it in place
    return {"params": layer.params, "forward(x)": y, "dx": layer.backward(_fresh(inp["dout"]))}


def _run_sigmoid_forward(cls, inp):
    """forward alone: backward written from x (e^-x / (1 + e^-x)²) is the chapter's own
    alternative, and this case is about forward's formula."""
    return {"forward(x)": cls().forward(inp["x"])}


def _run_sigmoid_twice(cls, inp):
    layer = cls()
    layer.forward(inp["x"])
    first = layer.backward(_fresh(inp["dout"]))
    return {"dx": first, N_("dx from a second backward(dout)"): layer.backward(_fresh(inp["dout"]))}


class _SigmoidFromInput(Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class _SigmoidOutputTimesOneMinusInput(_SigmoidFromInput):
    def backward(self, dout):
        return dout * self.out * (1.0 - self.x)


class _SigmoidPrecedence(Sigmoid):
    def forward(self, x):
        self.out = 1 / 1 + np.exp(-x)
        return self.out


class _SigmoidIgnoresDout(Sigmoid):
    def backward(self, dout):
        return (1.0 - self.out) * self.out


class _SigmoidPlus(Sigmoid):
    def backward(self, dout):
        return dout * self.out * (1.0 + self.out)


class _SigmoidWithoutOneMinusY(Sigmoid):
    def backward(self, dout):
        return dout * self.out


class _SigmoidWithoutY(Sigmoid):
    def backward(self, dout):
        return dout * (1.0 - self.out)


class _SigmoidOfTheOutput(Sigmoid):
    def backward(self, dout):
        again = 1.0 / (1.0 + np.exp(-self.out))
        return dout * again * (1.0 - again)


class _SigmoidSpoils(Sigmoid):
    def backward(self, dout):
        self.out *= 1.0 - self.out
        return dout * self.out


_AFTER_SECOND = {
    "y": N_("forward(x) for a second x"),
    "dx": N_("dx after the second forward"),
}


def _with_x_before(make):
    def both(rng):
        return {**make(rng), "x_before": make(rng)["x"]}

    return both


def _run_sigmoid_latest(cls, inp):
    """forward on one x, then on another: forward and backward answer for the latest."""
    layer = cls()
    layer.forward(inp["x_before"])
    y = _fresh(layer.forward(inp["x"]))
    return {_AFTER_SECOND["y"]: y, _AFTER_SECOND["dx"]: layer.backward(_fresh(inp["dout"]))}


sigmoid_exercise = Exercise(
    id="backprop.Sigmoid",
    receives=N_("a class Sigmoid with forward(x) and backward(dout)"),
    reference=Sigmoid,
    is_class=True,
    cases=(
        Case(
            N_("forward and backward on a (2, 3) batch"),
            _sigmoid_inputs((2, 3)),
            _run_sigmoid,
            explain={"params": N_("a layer without weights has `self.params = []`")},
            exact=True,  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("far from zero, where the slope vanishes"),
            lambda rng: {
                "x": np.array([[-30.0, -5.0, 0.0, 5.0, 30.0]]),
                "dout": np.array([[1.0, 2.0, -1.0, 0.5, 3.0]]),
            },
            _run_sigmoid,
            exact=True,  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(  # as Chapter 1's sigmoid: forward as np.exp(x) / (1 + np.exp(x)) gives inf / inf
            N_("forward at ±1000, where np.exp overflows"),
            lambda rng: {"x": np.array([[-1000.0, 0.0, 1000.0]])},
            _run_sigmoid_forward,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("backward called twice gives the same dx"),
            _sigmoid_inputs((3, 2)),
            _run_sigmoid_twice,
            exact=True,  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("a hidden (4, 5) batch"),
            _sigmoid_inputs((4, 5), 3.0, 4),
            _run_sigmoid,
            shown=False,
            exact=True,  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("forward on one x, then on another, then backward: all for the latest x"),
            _with_x_before(_sigmoid_inputs((3, 4))),
            _run_sigmoid_latest,
            exact=True,  # a formula: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(BACKPROP_HINTS["sigmoid input"], _SigmoidFromInput),
        Mistake(
            N_(
                "y (1 − x) mixes the output y with the input x: both factors use the output, "
                "dx = `dout * (1.0 - self.out) * self.out`."
            ),
            _SigmoidOutputTimesOneMinusInput,
        ),
        Mistake(
            Phrase(
                N_("{hint} For Sigmoid: `dout * (1.0 - self.out) * self.out`."),
                hint=Phrase(HINTS["dout ignored"]),
            ),
            _SigmoidIgnoresDout,
        ),
        Mistake(BACKPROP_HINTS["spoiled state"], _SigmoidSpoils),
        Mistake(PRECEDENCE, _SigmoidPrecedence),
        Mistake(
            N_(
                "that is dout · y (1 + y): the factor (1 + y) has a plus where the rule has a "
                "minus. dx = `dout * (1.0 - self.out) * self.out`."
            ),
            _SigmoidPlus,
        ),
        Mistake(
            N_(
                "that is dout · y, one factor (1 − y) short: the sigmoid's derivative is "
                "y (1 − y), so dx = `dout * (1.0 - self.out) * self.out`."
            ),
            _SigmoidWithoutOneMinusY,
        ),
        Mistake(
            N_(
                "that is dout · (1 − y), one factor y short: the sigmoid's derivative is "
                "y (1 − y), so dx = `dout * (1.0 - self.out) * self.out`."
            ),
            _SigmoidWithoutY,
        ),
        Mistake(
            N_(
                "that applies the sigmoid again to the stored output: y is already σ(x), so "
                "dx = `dout * (1.0 - self.out) * self.out`, with y as it is."
            ),
            _SigmoidOfTheOutput,
        ),
    ),
    error_hints=NO_WEIGHT_STATE_HINTS,
)

# Affine(W, b): params [W, b], grads in place, backward -> dx


def _affine_inputs(N, D, H, decimals=1):
    def make(rng):
        draw = lambda *shape: np.round(rng.uniform(-2, 2, size=shape), decimals)
        return {
            "x": draw(N, D),
            "W": draw(D, H),
            "b": draw(H),
            "dout": draw(N, H),
            "x2": draw(N, D),
            "dout2": draw(N, H),
        }

    return make


def _run_affine(cls, inp):
    W, b = inp["W"], inp["b"]
    layer = cls(W, b)
    params_ok = (
        isinstance(layer.params, list)
        and len(layer.params) == 2
        and layer.params[0] is W
        and layer.params[1] is b
    )
    start = list(layer.grads)
    zeros_ok = (
        len(start) == 2
        and all(isinstance(g, np.ndarray) for g in start)
        and start[0].shape == W.shape
        and start[1].shape == b.shape
        and not start[0].any()
        and not start[1].any()
    )
    y = _fresh(layer.forward(inp["x"]))  # before backward can change it in place
    dx = layer.backward(_fresh(inp["dout"]))
    return {
        N_("params is [W, b] (the very arrays)"): params_ok,
        N_("grads start as zeros shaped like W and b"): zeros_ok,
        "forward(x)": y,
        "dx": dx,
        "dW (grads[0])": layer.grads[0],
        "db (grads[1])": layer.grads[1],
        N_("grads[0] is the same array after backward"): layer.grads[0] is start[0],
        N_("grads[1] is the same array after backward"): layer.grads[1] is start[1],
    }


def _run_affine_twice(cls, inp):
    layer = cls(inp["W"], inp["b"])
    start = list(layer.grads)
    layer.forward(inp["x"])
    layer.backward(_fresh(inp["dout"]))
    layer.forward(inp["x2"])
    dx = layer.backward(_fresh(inp["dout2"]))
    return {
        "dx": dx,
        N_("dW after the second backward"): layer.grads[0],
        N_("db after the second backward"): layer.grads[1],
        N_("grads[0] is the same array after two backward calls"): layer.grads[0] is start[0],
        N_("grads[1] is the same array after two backward calls"): layer.grads[1] is start[1],
    }


def _run_affine_updated(cls, inp):
    """W and b changed in place between two rounds, as an optimizer changes them: forward and
    backward must compute with the arrays in params (Chapter 1's Affine), not with copies."""
    W, b = inp["W"].copy(), inp["b"].copy()
    layer = cls(W, b)
    layer.forward(inp["x"])
    layer.backward(_fresh(inp["dout"]))
    W += 1.0  # what SGD's `params[i] -= lr * grads[i]` does to the layer's W and b
    b -= 0.5
    y = _fresh(layer.forward(inp["x2"]))
    return {"forward(x)": y, "dx": layer.backward(_fresh(inp["dout2"]))}


_WRITE = N_(
    "write into the arrays made in `__init__`: `self.grads[0][...] = dW`, `self.grads[1][...] = db`"
)
_AFFINE_EXPLAIN = {
    N_("params is [W, b] (the very arrays)"): N_(
        "store the arrays you were given, no copies: `self.params = [W, b]`"
    ),
    N_("grads start as zeros shaped like W and b"): N_(
        "in `__init__`: `self.grads = [np.zeros_like(W), np.zeros_like(b)]`"
    ),
    N_("grads[0] is the same array after backward"): _WRITE,
    N_("grads[1] is the same array after backward"): _WRITE,
    N_("grads[0] is the same array after two backward calls"): _WRITE,
    N_("grads[1] is the same array after two backward calls"): _WRITE,
}


def _affine_variant(dW=None, db=None, dx=None, mode="write"):
    """An Affine whose backward uses the given (wrong) formulas: functions of (x, W, dout)."""
    dW = dW or (lambda x, W, dout: x.T @ dout)
    db = db or (lambda x, W, dout: np.sum(dout, axis=0))
    dx = dx or (lambda x, W, dout: dout @ W.T)

    class Variant(Affine):
        def backward(self, dout):
            W, _ = self.params
            new_dW, new_db = dW(self.x, W, dout), db(self.x, W, dout)
            if mode == "rebind":
                self.grads[0], self.grads[1] = new_dW, new_db
            elif mode == "accumulate":
                self.grads[0] += new_dW
                self.grads[1] += new_db
            elif mode == "write":
                self.grads[0][...] = new_dW
                self.grads[1][...] = new_db
            else:  # "dW only": grads[1] is never written
                self.grads[0][...] = new_dW
            return dx(self.x, W, dout)

    return Variant


DB_ONE_AXIS = N_(
    "db has one number per output: sum dout over the batch only, `np.sum(dout, axis=0)` (axis 0, "
    "the rows: one per sample). Summing along axis 1, or with no axis at all, also adds up each "
    "sample's outputs."
)

affine_exercise = Exercise(
    id="backprop.Affine",
    receives=N_("a class Affine with __init__(W, b), forward(x) and backward(dout)"),
    reference=Affine,
    is_class=True,
    cases=(
        Case(
            N_("Affine(W, b) with W (3, 2), b (2,), x (4, 3)"),
            _affine_inputs(4, 3, 2),
            _run_affine,
            explain=_AFFINE_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("a square W (3, 3) and x (3, 3), where a transposed dW keeps its shape"),
            _affine_inputs(3, 3, 3),
            _run_affine,
            explain=_AFFINE_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("two forward/backward rounds: the second overwrites the grads"),
            _affine_inputs(2, 3, 4),
            _run_affine_twice,
            explain=_AFFINE_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("W and b changed in place between two rounds, as an optimizer changes them"),
            _affine_inputs(3, 2, 4),
            _run_affine_updated,
            explain={"forward(x)": USES_PARAMS_WB, "dx": USES_PARAMS_WB},
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("a single sample: x (1, 2)"),
            _affine_inputs(1, 2, 3),
            _run_affine,
            explain=_AFFINE_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden: W (5, 4), x (6, 5)"),
            _affine_inputs(6, 5, 4, decimals=3),
            _run_affine,
            shown=False,
            explain=_AFFINE_EXPLAIN,
            **SHOWN_TOLERANCE,
        ),
        Case(
            LARGE_CASE,
            large_values(_affine_inputs(4, 3, 2, decimals=2), ("x", "W", "b"), PRODUCT_SCALE),
            _run_affine,
            shown=False,
            explain=_AFFINE_EXPLAIN,
            exact=("dx", "dW (grads[0])", "db (grads[1])"),
            **LARGE_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(HINTS["rebound"], _affine_variant(mode="rebind")),
        Mistake(HINTS["accumulated"], _affine_variant(mode="accumulate")),
        Mistake(HINTS["dW transposed"], _affine_variant(dW=lambda x, W, dout: dout.T @ x)),
        Mistake(HINTS["dW like x"], _affine_variant(dW=lambda x, W, dout: dout @ W.T)),
        Mistake(HINTS["dW dout x.T"], _affine_variant(dW=lambda x, W, dout: dout @ x.T)),
        Mistake(HINTS["dx no transpose"], _affine_variant(dx=lambda x, W, dout: dout @ W)),
        Mistake(HINTS["dW x dout"], _affine_variant(dW=lambda x, W, dout: x @ dout)),
        Mistake(HINTS["dx W.T dout"], _affine_variant(dx=lambda x, W, dout: W.T @ dout)),
        Mistake(
            BACKPROP_HINTS["db mean"], _affine_variant(db=lambda x, W, dout: np.mean(dout, axis=0))
        ),
        Mistake(BACKPROP_HINTS["db last"], _affine_variant(db=lambda x, W, dout: dout[-1].copy())),
        Mistake(
            N_(
                "that is the first sample's dout alone; every sample used the bias, so db sums "
                "dout over the batch: `np.sum(dout, axis=0)`."
            ),
            _affine_variant(db=lambda x, W, dout: dout[0].copy()),
        ),
        Mistake(
            BACKPROP_HINTS["dW over N"], _affine_variant(dW=lambda x, W, dout: x.T @ dout / len(x))
        ),
        Mistake(
            N_(
                "db has b's shape (H,): sum dout over the batch (the rows), "
                "`db = np.sum(dout, axis=0)`."
            ),
            _affine_variant(db=lambda x, W, dout: dout),
        ),
        # One hint for both: on a single sample (N = 1) the two give the same db.
        Mistake(DB_ONE_AXIS, _affine_variant(db=lambda x, W, dout: np.sum(dout, axis=1))),
        Mistake(DB_ONE_AXIS, _affine_variant(db=lambda x, W, dout: np.sum(dout))),
        Mistake(BACKPROP_HINTS["db missing"], _affine_variant(mode="dW only")),
        Mistake(
            HINTS["dout ignored"],
            _affine_variant(
                dW=lambda x, W, dout: x.T @ np.ones_like(dout),
                db=lambda x, W, dout: np.sum(np.ones_like(dout), 0),
                dx=lambda x, W, dout: np.ones_like(dout) @ W.T,
            ),
        ),
    ),
    error_hints=(
        ErrorHint(
            r"has no attribute '(grads|params)'",
            N_(
                "set `self.params = [W, b]` and "
                "`self.grads = [np.zeros_like(W), np.zeros_like(b)]` in `__init__`."
            ),
        ),
        STATE_HINTS[1],
    ),
)

# SoftmaxWithLoss: forward(x, t) -> loss, backward(dout=1) -> (y - t) * dout / N


def _swl_inputs(N, C, one_hot, decimals=2):
    def make(rng):
        # The true class scores at most 3 below its row's best (as in Chapter 2), so the loss
        # hardly depends on the small δ a learner puts inside the log.
        x, labels = _labelled_scores(rng, N, C, scale=2, decimals=decimals)
        return {"x": x, "t": np.eye(C)[labels] if one_hot else labels}

    return make


def _run_swl(cls, inp):
    layer = cls()
    loss = layer.forward(inp["x"], _fresh(inp["t"]))
    return {
        "params": layer.params,
        "forward(x, t)": loss,
        **single_number("forward(x, t)", loss),
        "backward()": layer.backward(),
    }


def _run_swl_dout(cls, inp):
    layer = cls()
    layer.forward(inp["x"], _fresh(inp["t"]))
    return {"backward(dout=2.0)": layer.backward(2.0)}


def _run_swl_twice(cls, inp):
    layer = cls()
    layer.forward(inp["x"], _fresh(inp["t"]))
    return {N_("first backward()"): layer.backward(), N_("second backward()"): layer.backward()}


class _SwlNoN(SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(dout) * self.y.shape[0]


class _SwlPerClass(SoftmaxWithLoss):
    def backward(self, dout=1):
        N, C = self.y.shape
        return super().backward(dout) * N / C


class _SwlIgnoresDout(SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(1)


class _SwlSpoils(SoftmaxWithLoss):
    def backward(self, dout=1):
        N = self.y.shape[0]
        dx = self.y
        dx[np.arange(N), self.labels] -= 1
        return dx * dout / N


class _SwlNoT(SoftmaxWithLoss):
    def backward(self, dout=1):
        return self.y * dout / self.y.shape[0]


class _SwlWholeColumns(SoftmaxWithLoss):
    def backward(self, dout=1):
        dx = self.y.copy()
        dx[:, self.labels] -= 1  # every row, at every sample's label
        return dx * dout / self.y.shape[0]


class _SwlSignFlipped(SoftmaxWithLoss):
    def backward(self, dout=1):
        return -super().backward(dout)


class _SwlRawT(SoftmaxWithLoss):
    def forward(self, x, t):
        self.t = t
        return super().forward(x, t)

    def backward(self, dout=1):
        return (self.y - self.t) * dout / self.y.shape[0]


class _SwlScores(SoftmaxWithLoss):
    def forward(self, x, t):
        self.x = x
        return super().forward(x, t)

    def backward(self, dout=1):
        N = self.y.shape[0]
        dx = self.x.copy()
        dx[np.arange(N), self.labels] -= 1
        return dx * dout / N


class _SwlLossOfScores(SoftmaxWithLoss):
    def forward(self, x, t):
        super().forward(x, t)  # y kept for backward, which is right
        return cross_entropy_error(x, t)  # the log of raw scores: NaN where a score is < 0


class _SwlSumLoss(SoftmaxWithLoss):
    def forward(self, x, t):
        return super().forward(x, t) * len(x)


_SECOND_BACKWARD = N_("backward() after the second batch")


def _run_loss_second_batch(cls, inp):
    """One loss layer on two batches (other N, other labels): both results are the second's."""
    layer = cls()
    layer.forward(inp["x_before"], _fresh(inp["t_before"]))
    loss = layer.forward(inp["x"], _fresh(inp["t"]))
    return {SECOND_LOSS: loss, _SECOND_BACKWARD: layer.backward()}


# The loss to 1e-4, as in Chapter 2: δ = 1e-7 or none moves it by less than 1e-5 on these
# inputs. dx is held to rounding error (exact), whatever the case's tolerance.
_SWL_TOLERANCE = {"rtol": 1e-5, "atol": 1e-4}
# dx = (y - t) / N is a formula, right to rounding error, so a numerical gradient of forward
# fails; the loss is not held so tightly, since a small δ inside its log may differ.
_SWL_DX = (
    "backward()",
    "backward(dout=2.0)",
    "first backward()",
    "second backward()",
    _SECOND_BACKWARD,
)


swl_exercise = Exercise(
    id="backprop.SoftmaxWithLoss",
    receives=N_("a class SoftmaxWithLoss with forward(x, t) and backward(dout=1)"),
    reference=SoftmaxWithLoss,
    forms=forms.SOFTMAX_WITH_LOSS,
    is_class=True,
    cases=(
        Case(
            N_("one-hot labels t, a batch of N = 4, C = 3 classes"),
            _swl_inputs(4, 3, True),
            _run_swl,
            exact=_SWL_DX,
            explain=LOSS_LAYER_EXPLAIN,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("label indices t, N = 4, C = 3"),
            _swl_inputs(4, 3, False),
            _run_swl,
            exact=_SWL_DX,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("an upstream gradient dout = 2.0"),
            _swl_inputs(3, 4, False),
            _run_swl_dout,
            exact=_SWL_DX,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("backward called twice gives the same dx"),
            _swl_inputs(4, 3, True),
            _run_swl_twice,
            exact=_SWL_DX,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("a single sample: N = 1"),
            _swl_inputs(1, 3, False),
            _run_swl,
            exact=_SWL_DX,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("hidden: N = 6, C = 5, label indices"),
            _swl_inputs(6, 5, False, 4),
            _run_swl,
            exact=_SWL_DX,
            shown=False,
            **_SWL_TOLERANCE,
        ),
        Case(
            N_("one layer, two batches: forward and backward use the second's labels"),
            second_batch(_swl_inputs(5, 3, False), _swl_inputs(4, 3, False)),
            _run_loss_second_batch,
            exact=_SWL_DX,
            **_SWL_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(BACKPROP_HINTS["batch size"], _SwlNoN),
        Mistake(
            N_(
                "that is (y − t) / C, divided by the number of classes C = y.shape[1]: the loss "
                "is the mean over the batch, so divide by the batch size N = y.shape[0] instead."
            ),
            _SwlPerClass,
        ),
        Mistake(
            Phrase(N_("{hint} Here: `dx * dout / N`."), hint=Phrase(HINTS["dout ignored"])),
            _SwlIgnoresDout,
        ),
        Mistake(BACKPROP_HINTS["spoiled state"], _SwlSpoils),
        Mistake(
            N_("the sign is flipped: the gradient is (y − t) / N, probabilities minus labels."),
            _SwlSignFlipped,
        ),
        Mistake(BACKPROP_HINTS["labels"], _SwlRawT),
        Mistake(
            N_(
                "t is never subtracted: the gradient is (y − t) / N, so take 1 from y at each "
                "row's true class, `dx[np.arange(N), labels] -= 1`."
            ),
            _SwlNoT,
        ),
        Mistake(
            N_(
                "`dx[:, t] -= 1` takes 1 from every row at every sample's label; each row loses 1 "
                "at its own true class only: `dx[np.arange(N), t] -= 1`."
            ),
            _SwlWholeColumns,
        ),
        Mistake(
            N_(
                "backward starts from softmax's output y (the probabilities), not from the scores x."
            ),
            _SwlScores,
        ),
        Mistake(
            N_(
                "forward takes the cross entropy of the scores x; it needs softmax's "
                "probabilities: `cross_entropy_error(self.y, t)` with `self.y = softmax(x)`."
            ),
            _SwlLossOfScores,
        ),
        Mistake(
            N_(
                "forward returns the loss summed over the batch; the loss is the mean (divide by N)."
            ),
            _SwlSumLoss,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"missing 1 required positional argument: 'dout'",
            N_(
                "give dout a default value: `def backward(self, dout=1):` (the loss is the last "
                "node, so its upstream gradient is dL/dL = 1)."
            ),
        ),
        ErrorHint(ONE_PER_ROW, BACKPROP_HINTS["labels"]),
        ONE_HOT_AS_INDICES,
        STATE_HINTS[1],
    ),
)

# The planted bugs: FixedNet(PlantedNet) with layer_classes that work


class _ReferenceNet(PlantedNet):
    layer_classes = (Affine, Sigmoid, Affine, SoftmaxWithLoss)


_BUGGY = PlantedNet.layer_classes
_NAMES = (
    N_("layers[0], the LoopAffine"),
    N_("layers[1], the Logistic"),
    N_("layers[2], the FastAffine"),
    N_("loss_layer, the ScoreLoss"),
)
_BUG_HINTS = (
    (
        N_(
            "layers[0] (LoopAffine) still has its bug: its dx and dW are right, its db is not. Follow the "
            "loop sample by sample: what should happen to db with each sample's contribution?"
        )
    ),
    (
        N_(
            "layers[1] (Logistic) still has its bug: dx is off everywhere. The sigmoid's derivative is "
            "y (1 − y); which of the values stored by forward is y?"
        )
    ),
    (
        N_(
            "layers[2] (FastAffine) still has its bug: its dW is the right answer transposed, which fits "
            "only because W2 is square. Check the order of the product against the shapes (H, N)(N, C)."
        )
    ),
    (
        N_(
            "the loss layer (ScoreLoss) still has its bug: its gradient is too large by a constant "
            "factor (the planted bug makes it exactly N, the batch size). What does the loss do with "
            "the batch size that backward does not?"
        )
    ),
)


def _with_one_bug(k):
    classes = list(_ReferenceNet.layer_classes)
    classes[k] = _BUGGY[k]
    return type(f"PlantedNetWithBug{k + 1}", (PlantedNet,), {"layer_classes": tuple(classes)})


_LAYER_OF = N_("{layer}: {hint}")


def _fix_slips():
    """A fix that makes a new slip is the slip of Sections 2 to 4 in that layer: each mistake
    of the Affine, Sigmoid and SoftmaxWithLoss exercises, put in its place in the network,
    with its hint and the layer it is in."""
    for k, exercise in enumerate(
        (affine_exercise, sigmoid_exercise, affine_exercise, swl_exercise)
    ):
        for mistake in exercise.mistakes:
            if not inspect.isclass(mistake.impl):
                continue
            classes = list(_ReferenceNet.layer_classes)
            classes[k] = mistake.impl
            net = type(
                f"PlantedNetWithSlip{k + 1}", (PlantedNet,), {"layer_classes": tuple(classes)}
            )
            hint = mistake.hint if isinstance(mistake.hint, Phrase) else Phrase(mistake.hint)
            yield Mistake(Phrase(_LAYER_OF, layer=Phrase(_NAMES[k]), hint=hint), net)


def _planted_inputs(N, decimals=2):
    def make(rng):
        draw = lambda *shape: np.round(rng.standard_normal(shape), decimals)
        return {
            "W1": draw(2, 3),
            "b1": draw(3),
            "W2": draw(3, 3),
            "b2": draw(3),
            "x": draw(N, 2),
            "t": rng.integers(0, 3, size=N),
            "h": np.round(sigmoid(draw(N, 3)), decimals),
            "dout": draw(N, 3),
        }

    return make


def _net(cls, inp):
    return cls(inp["W1"], inp["b1"], inp["W2"], inp["b2"])


def _run_layer(k, x_name):
    def run(cls, inp):
        layer = _net(cls, inp).layers[k]
        layer.forward(inp[x_name])
        out = {f"layers[{k}] dx": layer.backward(_fresh(inp["dout"]))}
        if k != 1:
            i = 1 if k == 0 else 2
            out[f"dW{i} (layers[{k}].grads[0])"] = layer.grads[0]
            out[f"db{i} (layers[{k}].grads[1])"] = layer.grads[1]
        return out

    return run


_LOSS_DX = N_("loss_layer dx")
_NET_GRADS = ("dW1", "db1", "dW2", "db2")


_LOSS_DX_HALF = N_("loss_layer dx for dout = 0.5")
_LOSS_DX_AGAIN = N_("loss_layer dx from a second backward()")


def _run_loss_layer(cls, inp):
    scores = inp["h"] @ inp["W2"] + inp["b2"]
    layer = _net(cls, inp).loss_layer
    out = {"loss": layer.forward(scores, inp["t"]), _LOSS_DX: _fresh(layer.backward())}
    # The same call again: a fix that subtracts from the stored probabilities in place (no
    # copy) gives another answer the second time.
    out[_LOSS_DX_AGAIN] = layer.backward()
    # The network passes its own dout on to the loss layer: a fix that drops it is caught here.
    layer = _net(cls, inp).loss_layer
    layer.forward(scores, inp["t"])
    out[_LOSS_DX_HALF] = layer.backward(0.5)
    return out


def _run_network(cls, inp):
    net = _net(cls, inp)
    loss = net.forward(inp["x"], inp["t"])
    net.backward()
    layer_grads = [g for layer in net.layers for g in layer.grads]
    out = {"loss": loss}
    out.update(zip(("dW1", "db1", "dW2", "db2"), net.grads))
    out[N_("net.grads are the layers' own arrays")] = len(net.grads) == len(layer_grads) and all(
        g is h for g, h in zip(net.grads, layer_grads)
    )
    return out


# The planted network holds layers with weights and without: its hint names both kinds.
_PLANTED_STATE_HINTS = (
    ErrorHint(
        STATE_HINTS[0].pattern,
        N_(
            "every layer keeps both lists from `__init__`: an Affine layer "
            "`self.params = [W, b]` and `self.grads = [np.zeros_like(W), np.zeros_like(b)]`, a "
            "layer without weights `self.params = []` and `self.grads = []`."
        ),
    ),
    STATE_HINTS[1],
)

planted_exercise = Exercise(
    id="backprop.planted_bugs",
    receives=N_("a class like PlantedNet whose layer_classes hold your four fixed layer classes"),
    reference=_ReferenceNet,
    is_class=True,
    cases=(
        Case(
            Phrase(N_("{layer}, alone: x (5, 2) -> (5, 3)"), layer=Phrase(_NAMES[0])),
            _planted_inputs(5),
            _run_layer(0, "x"),
            exact=True,  # the fixed layers' formulas: a numerical gradient falls short
            **SHOWN_TOLERANCE,
        ),
        Case(
            Phrase(N_("{layer}, alone: (5, 3)"), layer=Phrase(_NAMES[1])),
            _planted_inputs(5),
            _run_layer(1, "h"),
            exact=True,
            **SHOWN_TOLERANCE,
        ),
        Case(
            Phrase(N_("{layer}, alone: (5, 3) -> (5, 3)"), layer=Phrase(_NAMES[2])),
            _planted_inputs(5),
            _run_layer(2, "h"),
            exact=True,
            **SHOWN_TOLERANCE,
        ),
        Case(
            Phrase(N_("{layer}, alone: N = 5, label indices"), layer=Phrase(_NAMES[3])),
            _planted_inputs(5),
            _run_loss_layer,
            exact=(_LOSS_DX, _LOSS_DX_HALF),
            explain={
                _LOSS_DX_HALF: N_(
                    "with dout = 1 its gradient was right, so backward(dout) must scale it by "
                    "dout: the network passes its own dout on to the loss layer"
                )
            },
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("the whole network: net.forward(x, t), then net.backward()"),
            _planted_inputs(5),
            _run_network,
            exact=_NET_GRADS,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden: the whole network on N = 8"),
            _planted_inputs(8, 4),
            _run_network,
            exact=_NET_GRADS,
            shown=False,
            **SHOWN_TOLERANCE,
        ),
    ),
    mistakes=(
        *(Mistake(hint, _with_one_bug(k)) for k, hint in enumerate(_BUG_HINTS)),
        Mistake(
            N_(
                "these are the original layers, bugs and all: check each layer on its own "
                "(check_layer, check_loss_layer) to find the one bug in each."
            ),
            PlantedNet,
        ),
        *_fix_slips(),
    ),
    error_hints=_PLANTED_STATE_HINTS,
)

EXERCISES = (sigmoid_exercise, affine_exercise, swl_exercise, planted_exercise)


# --- Predict, then run; and a loss layer derived by hand (issue 13) ----------------------
# Appended below the chapter's first entries so that edits to those stay separate.


predict_db_shape = prediction(
    "backprop.predict_db_shape",
    N_("the shape of db for b of shape (2,) and a batch of N = 5"),
    (2,),
    wrong=[
        (
            (5, 2),
            (N_("that is the shape of dout; db is summed over the batch, so it has b's shape.")),
        ),
        ((1, 2), N_("our Affine keeps b as a 1-D array of H numbers, and db has the shape of b.")),
        ((5,), N_("the sum runs over the batch (axis 0), leaving one number per output.")),
        ((2, 1), N_("db has the shape of b, a 1-D array of 2 numbers, not a column.")),
        ((), N_("db has one entry per entry of b, so it has b's shape.")),
    ],
)

predict_fused_gradient = prediction(
    "backprop.predict_fused_gradient",
    N_("the fused gradient y − t at the right class (class 2) for s = (20, 0, −20), to 2 decimals"),
    -1.0,
    rtol=0.01,
    wrong=[
        (0.0, N_("y at class 2 is almost 0 (the network is sure of class 0), and t is 1 there.")),
        (
            1.0,
            N_(
                "1 is t − y, the sign flipped: the fused gradient is y − t, probabilities minus "
                "labels, about 0 − 1 at the right class."
            ),
        ),
        (
            -20.0,
            N_(
                "that is the score at class 2, not a probability: y = softmax(s) is about 0 "
                "there, and y − t about −1."
            ),
        ),
        (
            -1 / 3,
            N_(
                "nothing is divided by the number of classes: for one sample the gradient at the "
                "right class is y − t, about 0 − 1."
            ),
        ),
        (
            float(-1 / softmax(np.array([20.0, 0.0, -20.0]))[2]),
            N_(
                "that is −t/y, the loss's gradient with respect to y alone, huge because y is "
                "about 4e-18 there. The fused layer gives the gradient with respect to the "
                "scores: y − t, about 0 − 1."
            ),
        ),
    ],
)


def _mse(x, t):
    return 0.5 * float(np.sum((x - t) ** 2)) / len(x)


class _MeanSquaredLoss:
    """L = (1/N) Σₙ ½‖xₙ − tₙ‖²; backward the formula derived by hand (tests/test_grader_exact.py
    checks it against the chapter's numerical gradients)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, t):
        self.x, self.t = x, t
        return _mse(x, t)

    def backward(self, dout=1):
        """-> dx (N, C) = (x − t) · dout / N."""
        return (self.x - self.t) * dout / len(self.x)


def _mse_inputs(N, C, decimals=2):
    def make(rng):
        return {
            "x": np.round(rng.standard_normal((N, C)), decimals),
            "t": np.round(rng.standard_normal((N, C)), decimals),
        }

    return make


def _run_mse(cls, inp):
    layer = cls()
    loss = layer.forward(inp["x"], _fresh(inp["t"]))
    return {
        "params": layer.params,
        "forward(x, t)": loss,
        **single_number("forward(x, t)", loss),
        "backward()": layer.backward(),
    }


def _run_mse_dout(cls, inp):
    """Both on one layer: a backward that ignores dout and one that is off by ½ give the same
    backward(dout=2.0); the two outputs together tell them apart."""
    layer = cls()
    layer.forward(inp["x"], _fresh(inp["t"]))
    return {"backward()": layer.backward(), "backward(dout=2.0)": layer.backward(2.0)}


# dx = (x − t) / N is a formula, held to rounding error: a numerical gradient of the loss fails.
_MSE_DX = ("backward()", "backward(dout=2.0)", _SECOND_BACKWARD)


def _mse_variant(backward, mean=None):
    """The reference with this backward, and (mean given) a forward of ½ mean((x − t)²)."""

    class Variant(_MeanSquaredLoss):
        def forward(self, x, t):
            loss = super().forward(x, t)
            return 0.5 * mean((x - t) ** 2) if mean else loss

        def backward(self, dout=1):
            return backward(self.x, self.t, dout)

    return Variant


_OVER_NC = N_(
    "the loss is a mean over the N samples (rows), not over every number: divide by N, not by N·C."
)


class _MeanSquaredNoHalf(_MeanSquaredLoss):
    def forward(self, x, t):
        return 2 * super().forward(x, t)


class _MeanOverEveryNumber(_MeanSquaredLoss):
    def forward(self, x, t):
        super().forward(x, t)
        return 0.5 * np.mean((x - t) ** 2)


class _MeanOfSquaresNoHalf(_MeanSquaredLoss):
    def forward(self, x, t):
        super().forward(x, t)
        return np.mean((x - t) ** 2)


mse_exercise = Exercise(
    id="backprop.MeanSquaredLoss",
    receives=N_("a class MeanSquaredLoss with forward(x, t) and backward(dout=1)"),
    reference=_MeanSquaredLoss,
    is_class=True,
    cases=(
        Case(
            N_("x and t (4, 3)"),
            _mse_inputs(4, 3),
            _run_mse,
            explain=LOSS_LAYER_EXPLAIN,
            exact=_MSE_DX,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("an upstream gradient dout = 2.0"),
            _mse_inputs(3, 4),
            _run_mse_dout,
            exact=_MSE_DX,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("a single sample: N = 1"),
            _mse_inputs(1, 4),
            _run_mse,
            exact=_MSE_DX,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("hidden: N = 6, C = 5"),
            _mse_inputs(6, 5, 4),
            _run_mse,
            shown=False,
            exact=_MSE_DX,
            **SHOWN_TOLERANCE,
        ),
        Case(
            N_("one layer, two batches: forward and backward use the second's targets"),
            second_batch(_mse_inputs(5, 3), _mse_inputs(4, 3)),
            _run_loss_second_batch,
            exact=_MSE_DX,
            **SHOWN_TOLERANCE,
        ),
        # A quadratic's central difference has no truncation error, only rounding: near 1, with
        # h = 1e-2, it is right to about 1e-14. The loss of values of 10⁴ is 10⁸, so its
        # rounding is 1e-8 and a finite difference misses by more than 1e-10 (h = 1e-2) to 1e-5
        # (h = 1e-7): it fails, yet is told how close it came (see tests/test_grader_exact.py).
        Case(
            LARGE_CASE,
            large_values(_mse_inputs(4, 3), ("x", "t"), scale=1e4),
            _run_mse,
            shown=False,
            exact=_MSE_DX,
            **LARGE_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(
            N_(  # BACKPROP_HINTS["batch size"] with this loss's input, x
                "the gradient is exactly N times too large (N, the batch size): the loss is the "
                "*mean* over the batch, so its gradient is (x − t) / N."
            ),
            _mse_variant(lambda x, t, dout: (x - t) * dout),
        ),
        Mistake(
            N_(
                "the ½ in the loss is there to cancel the 2 of the square's derivative: the "
                "derivative of ½u² is u, not 2u."
            ),
            _mse_variant(lambda x, t, dout: 2 * (x - t) * dout / len(x)),
        ),
        Mistake(
            N_(
                "the ½ in the loss cancels against the 2 of the square's derivative: the "
                "derivative of ½u² is u, so keep no ½ in backward: `(x − t) * dout / N`."
            ),
            _mse_variant(lambda x, t, dout: 0.5 * (x - t) * dout / len(x)),
        ),
        Mistake(
            N_(
                "the sign is flipped: dL/dx of ½(x − t)² is +(x − t); it grows as x moves away "
                "from t above it."
            ),
            _mse_variant(lambda x, t, dout: (t - x) * dout / len(x)),
        ),
        Mistake(_OVER_NC, _mse_variant(lambda x, t, dout: (x - t) * dout / x.size)),
        Mistake(_OVER_NC, _MeanOverEveryNumber),
        Mistake(
            N_(
                "forward leaves out the ½: the loss is ½ (x − t)² averaged over the batch, "
                "`0.5 * np.sum((x - t) ** 2) / N`, and backward's (x − t) / N is its slope."
            ),
            _MeanSquaredNoHalf,
        ),
        Mistake(
            N_(
                "forward leaves out the ½ and averages over every number, N·C, not over the N "
                "samples: `np.mean((x - t) ** 2)` is 2/C times the loss. The loss is "
                "`0.5 * np.sum((x - t) ** 2) / N`, and backward's (x − t) / N is its slope."
            ),
            _MeanOfSquaresNoHalf,
        ),
        Mistake(_OVER_NC, _mse_variant(lambda x, t, dout: (x - t) * dout / x.size, np.mean)),
        Mistake(
            Phrase(N_("{hint} Here: multiply by `dout`."), hint=Phrase(HINTS["dout ignored"])),
            _mse_variant(lambda x, t, dout: (x - t) / len(x)),
        ),
    ),
    error_hints=(
        ErrorHint(
            r"missing 1 required positional argument: 'dout'",
            N_(
                "give dout a default value: `def backward(self, dout=1):` (the loss is the last "
                "node, so its upstream gradient is dL/dL = 1)."
            ),
        ),
        STATE_HINTS[1],
    ),
)

EXERCISES += (predict_db_shape, predict_fused_gradient, mse_exercise)
