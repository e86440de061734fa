"""Chapter 7 exercises: the SGD update, a TwoLayerNet that learns, and a training loop of your own."""

import itertools
from collections import Counter

import numpy as np

from nnscratch.data import spiral
from nnscratch.exercises.computation_graph import (
    HINTS,
    LARGE_CASE,
    LARGE_TOLERANCE,
    PRODUCT_SCALE,
    USES_PARAMS_WB,
    large_values,
)
from nnscratch.exercises.inference import OWN_ARRAYS
from nnscratch.exercises.predictions import prediction
from nnscratch.exercises.randomness import asks_for_own_generator
from nnscratch.expect import load_weights
from nnscratch.gradients import numerical_gradient, relative_error
from nnscratch.i18n import N_, Phrase
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake
from nnscratch.trainer import fit

# class SGD


def _sgd_inputs(shapes, lr):
    def make(rng):
        inp = {"lr": lr}
        for name, shape in shapes.items():
            inp[name] = np.round(rng.standard_normal(shape), 2)
            inp["d" + name] = np.round(rng.standard_normal(shape), 2)
        return inp

    return make


def _matches(name: str) -> Phrase:
    """The output saying whether one gradient ("dW1 (grads[0])") matches the numerical one."""
    return Phrase(N_("{name} matches the numerical gradient"), name=name.split(" ")[0])


def _loss_below(epochs: int) -> Phrase:
    """The output saying whether the loss ends below THRESHOLD (defined with the loop's tests)."""
    return Phrase(
        N_("the loss after {epochs} epochs is below {threshold}"),
        epochs=epochs,
        threshold=THRESHOLD,
    )


def _run_sgd(cls, inp, times=1):
    names = [k for k in inp if k != "lr" and not k.startswith("d")]
    params = [inp[k] for k in names]
    grads = [inp["d" + k] for k in names]
    grads_before = [g.copy() for g in grads]
    optimizer = cls() if inp["lr"] is None else cls(lr=inp["lr"])
    for _ in range(times):
        optimizer.update(params, grads)
    after = N_("{name} after updates") if times > 1 else N_("{name} after update")
    out = {Phrase(after, name=k): inp[k] for k in names}
    out[N_("params still holds the same arrays")] = all(p is inp[k] for p, k in zip(params, names))
    out[N_("the grads are left as they were")] = all(
        np.array_equal(g, h) for g, h in zip(grads, grads_before)
    )
    return out


class _Rebinds(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param = param - self.lr * grad  # the mistake: a new array, then forgotten


class _ReplacesListItems(SGD):
    def update(self, params, grads):
        for i in range(len(params)):
            params[i] = params[i] - self.lr * grads[i]


class _Ascends(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param += self.lr * grad


class _IgnoresLr(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= grad


class _FixedLr(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= 0.01 * grad


class _OtherDefault(SGD):
    def __init__(self, lr=0.1):
        super().__init__(lr)


class _ScalesGrads(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            grad *= self.lr
            param -= grad


class _DividesByGrad(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr / grad


class _FirstOnly(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr * grad
            return


class _UpdatesGrads(SGD):
    def update(self, params, grads):
        for param, grad in zip(grads, params):  # the pair read the wrong way round
            param -= self.lr * grad


class _StepOfParam(SGD):
    def update(self, params, grads):
        for param, _grad in zip(params, grads):
            param -= self.lr * param  # the parameter where its gradient belongs


class _SetsToStep(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param[...] = self.lr * grad


class _GradsReversed(SGD):
    def update(self, params, grads):
        for param, grad in zip(params, reversed(grads)):
            param -= self.lr * grad


_KEEP = N_(
    "update must change the arrays the layers hold, in place; the list itself stays as it is "
    "(`param -= self.lr * grad`)"
)

_NEW_LISTS = {
    "first": N_("W of the first list, after both updates"),
    "V": N_("V of the second list, after its update"),
    "c": N_("c of the second list, after its update"),
}


def _run_sgd_new_lists(cls, inp):
    """One optimizer, then a params list it has not seen: it updates what it is given."""
    optimizer = cls(lr=inp["lr"])
    optimizer.update([inp["W"], inp["b"]], [inp["dW"], inp["db"]])
    second = [inp["V"], inp["c"]]
    optimizer.update(second, [inp["dV"], inp["dc"]])
    return {
        _NEW_LISTS["first"]: inp["W"],
        _NEW_LISTS["V"]: inp["V"],
        _NEW_LISTS["c"]: inp["c"],
        # tells rebinding the loop variable from replacing the list's items
        N_("params still holds the same arrays"): second[0] is inp["V"] and second[1] is inp["c"],
    }


sgd_exercise = Exercise(
    id="training.SGD",
    receives=N_("a class SGD"),
    reference=SGD,
    is_class=True,
    cases=(
        Case(
            N_("SGD(lr=0.5).update([W, b], [dW, db])"),
            _sgd_inputs({"W": (2, 3), "b": (3,)}, 0.5),
            _run_sgd,
            pure=False,
            explain={
                N_("params still holds the same arrays"): _KEEP,
                N_("the grads are left as they were"): N_(
                    "update reads the gradients; it should not change them"
                ),
            },
        ),
        Case(
            N_("SGD() uses the default lr=0.01"),
            _sgd_inputs({"W": (3, 2), "b": (2,)}, None),
            _run_sgd,
            pure=False,
        ),
        Case(
            N_("three updates in a row, lr=0.1"),
            _sgd_inputs({"W": (2, 2), "b": (2,)}, 0.1),
            lambda cls, inp: _run_sgd(cls, inp, times=3),
            pure=False,
        ),
        Case(
            N_("a hidden TwoLayerNet's four parameters, lr=1.0"),
            _sgd_inputs({"W1": (2, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}, 1.0),
            _run_sgd,
            pure=False,
            shown=False,
        ),
        Case(
            N_("one SGD, then a new params list: update changes the arrays it is given"),
            _sgd_inputs({"W": (2, 3), "b": (3,), "V": (3, 2), "c": (2,)}, 0.5),
            _run_sgd_new_lists,
            pure=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_("the default learning rate is 0.01: `def __init__(self, lr=0.01)`."), _OtherDefault
        ),
        Mistake(
            N_(
                "`param = param - self.lr * grad` builds a new array and points the loop variable "
                "at it; the layer's array never changes. Update in place: `param -= self.lr * grad`."
            ),
            _Rebinds,
        ),
        Mistake(
            N_(
                "`params[i] = params[i] - ...` puts a new array into the list, but the layers still "
                "hold the old one, so the network does not learn. Change the array itself: "
                "`params[i] -= self.lr * grads[i]`."
            ),
            _ReplacesListItems,
        ),
        Mistake(
            N_(
                "sign error: gradient descent steps against the gradient, `param -= self.lr * grad` "
                "(with `+=` the loss goes up)."
            ),
            _Ascends,
        ),
        Mistake(
            N_("the step is the gradient times the learning rate: `param -= self.lr * grad`."),
            _IgnoresLr,
        ),
        Mistake(
            N_(
                "`self.lr / grad` divides by the gradient: the step is the gradient times the "
                "learning rate, `param -= self.lr * grad` (a small gradient must give a small "
                "step)."
            ),
            _DividesByGrad,
        ),
        Mistake(
            N_("use the learning rate given to the constructor, `self.lr`, not a fixed number."),
            _FixedLr,
        ),
        Mistake(
            N_(
                "`grad *= self.lr` changes the model's gradient arrays as a side effect; compute the "
                "step in a new array: `param -= self.lr * grad`."
            ),
            _ScalesGrads,
        ),
        Mistake(
            N_(
                "only the first parameter changed: does the loop stop before the last parameter "
                "(a `return` inside it, or a range that ends too soon)?"
            ),
            _FirstOnly,
        ),
        Mistake(
            N_(
                "the gradients changed and the parameters did not: params and grads were read "
                "the wrong way round (`zip(grads, params)`, or `update(self, grads, params)`); "
                "update(params, grads) steps each param: `for param, grad in zip(params, grads)`."
            ),
            _UpdatesGrads,
        ),
        Mistake(
            N_(
                "the step here is lr · param, the parameter itself where its gradient belongs: "
                "`param -= self.lr * grad`."
            ),
            _StepOfParam,
        ),
        Mistake(
            N_(
                "`param[...] = self.lr * grad` replaces the parameter with the step; the step is "
                "subtracted from it: `param -= self.lr * grad`."
            ),
            _SetsToStep,
        ),
        Mistake(
            N_(
                "`reversed(grads)` pairs each parameter with another one's gradient: "
                "`zip(params, grads)` keeps them in the same order."
            ),
            _GradsReversed,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"has no attribute 'lr'", N_("store the learning rate in `__init__`: `self.lr = lr`.")
        ),
        ErrorHint(
            r"unexpected keyword argument 'lr'",
            N_("name the constructor's argument `lr`: `def __init__(self, lr=0.01)`."),
        ),
        ErrorHint(
            r"missing 1 required positional argument: 'lr'",
            N_("give the learning rate a default: `def __init__(self, lr=0.01)`."),
        ),
    ),
)

# class TwoLayerNet with forward(x, t) and backward(dout=1)

GRAD_NAMES = ("dW1 = grads[0]", "db1 = grads[1]", "dW2 = grads[2]", "db2 = grads[3]")


def _net_inputs(I, H, O, N, one_hot=False, scale=1.0):
    def make(rng):
        labels = rng.integers(0, O, size=N)
        return {
            "sizes": (I, H, O),
            "x": np.round(rng.standard_normal((N, I)), 2),
            "t": np.eye(O, dtype=int)[labels] if one_hot else labels,
            "weights": [
                scale * rng.standard_normal((I, H)),
                scale * rng.standard_normal(H),
                scale * rng.standard_normal((H, O)),
                scale * rng.standard_normal(O),
            ],
        }

    return make


def _built(cls, inp):
    """The learner's network with known weights, written through its params list."""
    net = cls(*inp["sizes"])
    load_weights(net.params, inp["weights"])
    return net


def _run_learning(cls, inp, dout=None):
    net = _built(cls, inp)
    out = {"forward(x, t)": net.forward(inp["x"], inp["t"])}
    out["dL/dx = backward()"] = net.backward() if dout is None else net.backward(dout)
    out["len(grads)"] = len(net.grads)
    out.update(zip(GRAD_NAMES, net.grads))
    # Last, so that forward and backward run as a training step runs them. The scores, not
    # probabilities: only forward's loss would not tell them apart.
    out["predict(x)"] = net.predict(inp["x"])
    return out


def _std_reading(W) -> float:
    """The standard deviation as a learner would state it: 0.01 for any draw of std 0.01.

    1800 draws of std 0.01 measure 0.0100 ± 0.00017, so rounding to one digit
    turned one draw in about a thousand into 0.009 and failed a right answer;
    a band of ±25% holds every honest draw and still tells 0.01 from 0.1 or 1.
    The other powers of ten read the same way, so that a draw of std 1 reads 1 whatever
    the draw (0.99 or 1.0), as the known mistake's draw does.
    """
    std = float(np.std(W))
    for scale in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0):
        if 0.75 * scale <= std <= 1.25 * scale:
            return scale
    return float(f"{std:.2g}")


def _run_init(cls, inp):
    """The stated start: weights drawn with standard deviation 0.01, biases zero."""
    net = cls(*inp["sizes"])
    params = net.params
    shapes = [getattr(p, "shape", type(p).__name__) for p in params]
    out = {N_("shapes of params"): str(shapes)}
    if len(params) == 4 and all(isinstance(p, np.ndarray) for p in params):
        W1, b1, W2, b2 = (np.asarray(p, dtype=float) for p in params)
        for name, W in (("W1", W1), ("W2", W2)):
            out[Phrase(N_("{name}'s standard deviation (1 digit)"), name=name)] = _std_reading(W)
        out[N_("b1 and b2 are zeros")] = bool(not b1.any() and not b2.any())
    return out


def _run_sharing(cls, inp):
    net = cls(*inp["sizes"])
    layer_params = [p for layer in net.layers for p in layer.params]
    layer_grads = [g for layer in net.layers for g in layer.grads]
    return {
        N_("params are the layers' own arrays"): len(net.params) == len(layer_params) > 0
        and all(p is q for p, q in zip(net.params, layer_params)),
        N_("grads are the layers' own arrays"): len(net.grads) == len(layer_grads) > 0
        and all(g is h for g, h in zip(net.grads, layer_grads)),
        # Two more traces, so that each known mistake is recognised here as well:
        "len(grads)": len(net.grads),
        N_("grads and params are two different lists"): net.grads is not net.params,
    }


_NO_FORWARD = N_("backward() does not run forward again for each weight")
# A backward that recomputes a pass or two (to be safe) is still backpropagation; a numerical
# gradient runs at least two passes per weight, 2 x 18 on the smallest case.
_PASSES_ALLOWED = 2


def _runs_forward(net, action) -> bool:
    """True when action() runs net.forward, net.predict or a layer's forward more than
    _PASSES_ALLOWED times (counted per object: one pass of the network calls each once).

    A backward written with the chain rule calls none; one that nudges each weight and runs the
    network again (a numerical gradient of its own forward) calls them many times. Counting
    calls, not comparing values, so a network kept in float32 (Chapter 7 allows it) is judged
    alike.
    """
    calls = Counter()
    patched = []
    for obj in [net, *list(getattr(net, "layers", [])), getattr(net, "loss_layer", None)]:
        for name in ("forward", "predict"):
            method = getattr(obj, name, None)
            if obj is None or not callable(method) or not hasattr(obj, "__dict__"):
                continue

            key = (id(obj), name)

            def counted(*args, _method=method, _key=key, **kwargs):
                calls[_key] += 1
                return _method(*args, **kwargs)

            patched.append((obj, name, obj.__dict__.get(name)))
            obj.__dict__[name] = counted
    try:
        action()
    finally:
        for obj, name, before in reversed(patched):
            if before is None:
                del obj.__dict__[name]
            else:
                obj.__dict__[name] = before
    return max(calls.values(), default=0) > _PASSES_ALLOWED


def _run_numerical(cls, inp):
    """Each gradient against the numerical gradient of the learner's own forward."""
    net = _built(cls, inp)
    x, t = inp["x"], inp["t"]
    net.forward(x, t)
    no_forward = not _runs_forward(net, net.backward)
    analytic = [np.array(g, dtype=float) for g in net.grads]
    out = {}
    for name, p, g in zip(GRAD_NAMES, net.params, analytic + [None] * len(net.params)):
        numeric = numerical_gradient(lambda _: float(net.forward(x, t)), p)
        agrees = g is not None and g.shape == numeric.shape and relative_error(g, numeric) < 1e-4
        out[_matches(name)] = bool(agrees)
    out[_NO_FORWARD] = no_forward
    return {**out, **_run_learning(cls, inp)}  # the values too, as in _run_sharing


class _GradsNotGathered(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.grads = []


class _CopiedGrads(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.grads = [g.copy() for g in self.grads]


class _GradsAreParams(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.grads = self.params


class _SkipsSigmoid(TwoLayerNet):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        dout = self.layers[2].backward(dout)
        return self.layers[0].backward(dout)


class _ForwardOrder(TwoLayerNet):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in self.layers:
            dout = layer.backward(dout)
        return dout


class _IgnoresDout(TwoLayerNet):
    def backward(self, dout=1):
        return super().backward()


class _UnscaledInit(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O, weight_std=1.0)


class _ReturnsNothing(TwoLayerNet):
    def backward(self, dout=1):
        super().backward(dout)


class _ReturnsScores(TwoLayerNet):
    def forward(self, x, t):
        return self.predict(x)


class _SoftmaxTwice(TwoLayerNet):
    def predict(self, x):
        s = super().predict(x)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class _PredictsProbabilities(TwoLayerNet):
    """predict ends in a softmax; forward takes the loss of the scores, computed apart."""

    def predict(self, x):
        s = super().predict(x)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def forward(self, x, t):
        return self.loss_layer.forward(super().predict(x), t)


class _EveryLayerGetsX(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers:
            out = layer.forward(x)  # x, not the previous layer's output
        return out


class _PredictSkipsLast(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers[:-1]:
            x = layer.forward(x)
        return x


class _LossOfInputs(TwoLayerNet):
    def forward(self, x, t):
        return self.loss_layer.forward(x, t)


class _DoutNotPassedOn(TwoLayerNet):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dx = layer.backward(dout)  # every layer gets the loss layer's dout
        return dx


class _ReturnsScoreGradient(TwoLayerNet):
    def backward(self, dout=1):
        dscores = self.loss_layer.backward(dout)
        d = dscores
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return dscores  # the loss layer's gradient, not the loop's last result


class _BackwardSkipsFirst(TwoLayerNet):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        return dout


class _ParamsCopied(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = [p.copy() for p in self.params]


class _ListPerLayer(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = [layer.params for layer in self.layers]  # as `append` gathers them
        self.grads = [layer.grads for layer in self.layers]


class _NoSigmoidLayer(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.layers = [self.layers[0], self.layers[2]]


_GATHER = N_("gather them like params: `self.grads += layer.grads` for every layer (no copies)")

two_layer_net_exercise = Exercise(
    id="training.TwoLayerNet",
    receives=N_("a class TwoLayerNet"),
    reference=TwoLayerNet,
    is_class=True,
    cases=(
        Case(
            N_("TwoLayerNet(2, 4, 3): forward(x, t) then backward() on 5 samples, labels t"),
            _net_inputs(2, 4, 3, 5),
            _run_learning,
            rtol=1e-4,
            atol=1e-6,
            explain={"len(grads)": _GATHER},
        ),
        Case(
            N_("the same with one-hot t (6, 3)"),
            _net_inputs(2, 4, 3, 6, one_hot=True),
            _run_learning,
            rtol=1e-4,
            atol=1e-6,
            explain={"len(grads)": _GATHER},
        ),
        Case(
            N_("params and grads are the layers' own arrays"),
            _net_inputs(2, 4, 3, 3),
            _run_sharing,
            explain={
                N_("grads are the layers' own arrays"): _GATHER,
                N_("params are the layers' own arrays"): OWN_ARRAYS,
            },
        ),
        Case(
            N_("backward() against numerical gradients of your forward()"),
            _net_inputs(2, 3, 3, 4, scale=0.5),
            _run_numerical,
            explain={
                **{
                    _matches(name): N_(
                        "nudging each weight by ±1e-4 changes forward(x, t) by a different amount "
                        "than your grads predict"
                    )
                    for name in GRAD_NAMES
                },
                _NO_FORWARD: N_(
                    "backward() sends dout back through each layer's backward and needs no "
                    "forward pass; a backward that runs forward again for each weight (as a "
                    "numerical gradient does) is not the backpropagation this exercise asks for"
                ),
            },
        ),
        Case(
            N_("backward(dout=0.5) scales every gradient by 0.5"),
            _net_inputs(2, 4, 3, 5),
            lambda cls, inp: _run_learning(cls, inp, dout=0.5),
            rtol=1e-4,
            atol=1e-6,
        ),
        Case(
            N_("a hidden TwoLayerNet(3, 6, 4) on 8 samples"),
            _net_inputs(3, 6, 4, 8, one_hot=True),
            _run_learning,
            rtol=1e-4,
            atol=1e-6,
            shown=False,
        ),
        Case(
            N_("a new TwoLayerNet(40, 60, 30): weights with standard deviation 0.01, zero biases"),
            lambda rng: {"sizes": (40, 60, 30)},
            _run_init,
        ),
    ),
    mistakes=(
        Mistake(
            Phrase(N_("self.grads is empty: {gather}."), gather=Phrase(_GATHER)), _GradsNotGathered
        ),
        Mistake(
            Phrase(
                N_(
                    "the grads stay zero: copies (or fresh zeros) are not the arrays the layers "
                    "fill in backward. {gather}."
                ),
                gather=Phrase(_GATHER),
            ),
            _CopiedGrads,
        ),
        Mistake(
            Phrase(
                N_(
                    "`self.grads = self.params` makes both names one list, so the grads are the "
                    "weights. Start from `self.grads = []` and {gather}."
                ),
                gather=Phrase(_GATHER),
            ),
            _GradsAreParams,
        ),
        Mistake(
            N_(
                "dW1 and db1 are off: backward must pass through every layer in reverse, the "
                "Sigmoid included (its local gradient y(1 - y) scales dout)."
            ),
            _SkipsSigmoid,
        ),
        Mistake(
            N_(
                "backward goes through the layers last to first: `for layer in reversed(self.layers)`."
            ),
            _ForwardOrder,
        ),
        Mistake(
            N_(
                "pass dout on to the loss layer, `self.loss_layer.backward(dout)`, so that every "
                "gradient is scaled by it."
            ),
            _IgnoresDout,
        ),
        Mistake(
            N_(
                "the weights start with standard deviation 1: scale the draws, "
                "`0.01 * rng.standard_normal((I, H))`."
            ),
            _UnscaledInit,
        ),
        Mistake(
            N_("backward returns dL/dx: end it with `return dout` after the loop."), _ReturnsNothing
        ),
        Mistake(
            N_(
                "forward(x, t) returns the loss, one number: give the scores and t to "
                "`self.loss_layer.forward(scores, t)`."
            ),
            _ReturnsScores,
        ),
        Mistake(
            N_(
                "the loss layer got probabilities, not scores: SoftmaxWithLoss applies softmax "
                "itself, so a softmax before it (in predict or in forward) is applied twice; "
                "predict returns raw scores."
            ),
            _SoftmaxTwice,
        ),
        Mistake(
            N_(
                "predict(x) returns the scores (N, C), what the last Affine layer gives: the "
                "softmax is the loss layer's own (SoftmaxWithLoss applies it), so leave it out "
                "of predict."
            ),
            _PredictsProbabilities,
        ),
        Mistake(
            N_(
                "every layer gets x: each layer's input is the output of the layer before it, "
                "`x = layer.forward(x)` in the loop."
            ),
            _EveryLayerGetsX,
        ),
        Mistake(
            N_(
                "predict stops before the last layer, so its output is the hidden layer's: run "
                "every layer, `for layer in self.layers`."
            ),
            _PredictSkipsLast,
        ),
        Mistake(
            N_(
                "the loss layer gets x, the input; it takes the scores, "
                "`self.loss_layer.forward(self.predict(x), t)`."
            ),
            _LossOfInputs,
        ),
        Mistake(
            N_(
                "every layer's backward gets the loss layer's dout: pass each result on to the "
                "layer before, `dout = layer.backward(dout)` in the loop."
            ),
            _DoutNotPassedOn,
        ),
        Mistake(
            N_(
                "backward stops before the first layer, so dW1 and db1 are never filled and "
                "the dout returned is the hidden layer's: `for layer in reversed(self.layers)`."
            ),
            _BackwardSkipsFirst,
        ),
        Mistake(
            N_(
                "backward returns the loss layer's gradient, dL/d(scores) (N, C); it must "
                "return dL/dx (N, D), what the first layer's backward gives at the end of the "
                "loop."
            ),
            _ReturnsScoreGradient,
        ),
        Mistake(
            N_(
                "params holds copies: the weights written into net.params (by the check here, "
                "by SGD in training) never reach the layers. Gather the layers' own arrays, "
                "`self.params += layer.params`."
            ),
            _ParamsCopied,
        ),
        Mistake(
            N_(
                "params holds one list per layer (`append(layer.params)` adds the list as one "
                "item): it must hold the arrays themselves, `self.params += layer.params`, and "
                "likewise grads."
            ),
            _ListPerLayer,
        ),
        Mistake(
            N_(
                "the network has no Sigmoid between its two Affine layers: "
                "`self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]`."
            ),
            _NoSigmoidLayer,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"has no attribute 'loss_layer'",
            N_("create the loss layer in `__init__`: `self.loss_layer = SoftmaxWithLoss()`."),
        ),
        ErrorHint(
            r"has no attribute 'grads'",
            Phrase(N_("set `self.grads` in `__init__`: {gather}."), gather=Phrase(_GATHER)),
        ),
        ErrorHint(
            r"matmul: Input operand \d does not have enough dimensions",
            N_(
                "backward starts at the loss: `dout = self.loss_layer.backward(dout)` turns the "
                "number 1 into an (N, C) array before the layers see it."
            ),
        ),
    ),
)

# train(model, optimizer, x, t, epochs, batch_size, seed): the capstone

THRESHOLD = 0.3  # the book's settings end near 0.1 on any spiral; a working loop is far below


def reference_train(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    """The loop the learner writes, as the package's fit() runs it: mean loss per epoch."""
    return fit(model, x, t, optimizer, epochs=epochs, batch_size=batch_size, rng=seed)["epoch_loss"]


class _Spy:
    """A TwoLayerNet that notes every call a training loop makes on it (and its optimizer)."""

    def __init__(self, net, log):
        self.net, self.log = net, log
        self.params, self.grads, self.layers = net.params, net.grads, net.layers

    def forward(self, x, t):
        loss = self.net.forward(x, t)
        self.log.append(("forward", np.array(x, copy=True), np.array(t, copy=True), float(loss)))
        return loss

    def backward(self, dout=1):
        self.log.append(("backward",))
        return self.net.backward(dout)

    def predict(self, x):
        return self.net.predict(x)


class _SpySGD(SGD):
    def __init__(self, lr, log, model):
        super().__init__(lr)
        self.log, self.model = log, model

    def update(self, params, grads):
        own = (
            len(params) == len(self.model.params)
            and all(p is q for p, q in zip(params, self.model.params))
            and len(grads) == len(self.model.grads)
            and all(g is h for g, h in zip(grads, self.model.grads))
        )
        self.log.append(("update", own))
        super().update(params, grads)


def _as_numbers(history):
    return [float(v) for v in history]


def _loop_inputs(N, epochs):
    def make(rng):
        x, t = spiral(N // 3, noise=0.2, rng=rng)
        # A little jitter: each spiral arm starts at (0, 0), and the spy tells rows apart.
        x = np.round(x + 0.01 * rng.standard_normal(x.shape), 6)
        return {
            "x": x,
            "t": t,
            "epochs": epochs,
            "seed": int(rng.integers(1000)),
            "net_seed": int(rng.integers(1000)),
        }

    return make


RATIO = N_("history divided by each epoch's mean mini-batch loss")


def _run_shape(train, inp):
    """Watch the loop: which calls, in which order, on which rows, and what it reports."""
    return _watch(train, inp)[1]


def _watch(train, inp):
    """Run train on a spy network (the book's 2-10-3, lr 1.0, batch 30); the history and what it did."""
    x, t, epochs = inp["x"], inp["t"], inp["epochs"]
    log = []
    model = _Spy(TwoLayerNet(2, 10, 3, rng=inp["net_seed"]), log)
    history = _as_numbers(
        train(model, _SpySGD(1.0, log, model), x, t, epochs=epochs, batch_size=30, seed=inp["seed"])
    )
    forwards = [entry for entry in log if entry[0] == "forward"]
    calls = "".join(entry[0][0] for entry in log)  # "fbufbu..."
    # per epoch that ran: a loop one epoch short runs full epochs, which is said by
    # len(history), not by a count of mini-batches divided by the epochs asked for
    ran = (
        len(history) if 0 < len(history) < epochs and len(forwards) % len(history) == 0 else epochs
    )
    per_epoch = len(forwards) // ran if ran else 0
    shapes_ok = bool(forwards) and all(f[1].shape == (30, 2) and len(f[2]) == 30 for f in forwards)
    orders, pairs_kept, means = [], False, []
    if shapes_ok and per_epoch:
        rows = np.concatenate([f[1] for f in forwards[: per_epoch * ran]])
        index = _row_index(x, rows)  # which sample each row of each mini-batch is (-1: none)
        seen_t = np.concatenate([f[2] for f in forwards[: per_epoch * ran]])
        seen_labels = seen_t.argmax(axis=1) if seen_t.ndim == 2 else seen_t  # labels are fine too
        pairs_kept = bool(np.all(index >= 0)) and np.array_equal(
            t[index].argmax(axis=1), seen_labels
        )
        orders = [list(order) for order in index.reshape(ran, -1)]
        means = [
            float(np.mean([f[3] for f in forwards[e * per_epoch : (e + 1) * per_epoch]]))
            for e in range(ran)
        ]
    updates = sum(entry[0] == "update" for entry in log)
    distinct = [len(set(order)) / len(x) for order in orders]
    return history, {
        "len(history)": len(history),
        N_("mini-batches per epoch"): per_epoch,
        N_("every mini-batch has 30 rows"): shapes_ok,
        N_("updates per epoch"): updates // ran if ran else 0,
        N_("each step calls forward, backward, update in that order"): calls
        == "fbu" * len(forwards),
        N_("update receives the model's params and grads"): all(
            e[1] for e in log if e[0] == "update"
        ),
        N_("each epoch uses every sample once"): bool(orders)
        and all(sorted(order) == list(range(len(x))) for order in orders),
        # Drawing N of N with replacement leaves out about 1/e of them: a band, not a number.
        N_("samples seen per epoch"): "all"
        if distinct and min(distinct) == 1
        else "about 2/3, as when drawn with replacement"
        if distinct and 0.5 < min(distinct) < 0.75
        else "other",
        N_("every x keeps its own label t"): bool(forwards) and pairs_kept,
        N_("the order changes from epoch to epoch"): len(orders) > 1
        and all(a != b for a, b in itertools.pairwise(orders)),
        RATIO: [h / m for h, m in zip(history, means)] if len(history) == len(means) else [],
    }


def _row_index(x, rows):
    """For each row of rows (M, 2), the index of the equal row of x (N, 2), or -1."""
    key, wanted = (
        x[:, 0] + 1j * x[:, 1],
        rows[:, 0] + 1j * rows[:, 1],
    )  # complex numbers sort by row
    order = np.argsort(key)
    at = np.clip(np.searchsorted(key[order], wanted), 0, len(x) - 1)
    return np.where(key[order][at] == wanted, order[at], -1)


def _run_seed(train, inp):
    """Same seed, same run; another seed, another shuffle; NumPy's global generator untouched."""
    x, t, epochs = inp["x"], inp["t"], inp["epochs"]

    def run(seed):
        net = TwoLayerNet(2, 10, 3, rng=inp["net_seed"])
        return _as_numbers(train(net, SGD(1.0), x, t, epochs=epochs, batch_size=30, seed=seed))

    global_before = np.random.get_state()[1].copy()
    first, again, other = run(inp["seed"]), run(inp["seed"]), run(inp["seed"] + 1)
    return {
        N_("the same seed gives the same history"): first == again,
        N_("another seed gives another history"): first != other,
        N_("NumPy's global random state is left alone"): bool(
            np.array_equal(global_before, np.random.get_state()[1])
        ),
    }


def _run_one_batch(train, inp):
    """N = batch_size: one mini-batch per epoch, whatever the shuffle, so every number is exact."""
    net = TwoLayerNet(2, 4, 3, weight_std=1.0, rng=inp["net_seed"])
    history = train(
        net, SGD(0.5), inp["x"], inp["t"], epochs=3, batch_size=len(inp["x"]), seed=inp["seed"]
    )
    return {
        "len(history)": len(history),
        "history": _as_numbers(history),
        N_("W2 after training"): net.params[2],
    }


def _run_leftover(train, inp):
    """N not a multiple of the batch size: the text's loop takes the full mini-batches only."""
    watched = _watch(train, inp)[1]
    keys = (
        N_("mini-batches per epoch"),
        N_("every mini-batch has 30 rows"),
        N_("updates per epoch"),
        "len(history)",
        RATIO,  # each epoch's number is the mean over the mini-batches that ran: 3, not 99 / 30
    )
    return {key: watched[key] for key in keys}


def _run_spiral(train, inp):
    """The book's settings on a spiral you have not seen: the loss must end below THRESHOLD.

    The loop is watched as well, so that a failure can be traced to the step that causes it.
    """
    history, watched = _watch(train, inp)
    return {
        _loss_below(inp["epochs"]): bool(history) and history[-1] < THRESHOLD,
        **watched,
    }


def _shuffled_loop(make_order, record="mean", update_first=False, step=None, leftover=False):
    """Wrong training loops, built from one template by swapping a single step."""

    def train(model, optimizer, x, t, epochs, batch_size=30, seed=0):
        rng = np.random.default_rng(seed)
        N = len(x)
        history = []
        for _ in range(epochs):
            x_epoch, t_epoch = make_order(rng, x, t)
            losses = []
            for i in range(-(-N // batch_size) if leftover else N // batch_size):
                start = i * (step or batch_size)
                batch = slice(start, start + batch_size)
                loss = model.forward(x_epoch[batch], t_epoch[batch])
                if update_first:
                    optimizer.update(model.params, model.grads)
                    model.backward()
                elif record != "no update":
                    model.backward()
                    optimizer.update(model.params, model.grads)
                else:
                    model.backward()
                losses.append(loss)
            if record == "last":
                history.append(losses[-1])
            elif record == "sum":
                history.append(sum(losses))
            elif record == "every batch":
                history += losses
            else:
                history.append(sum(losses) / len(losses))
        return history

    return train


def _generator_each_epoch(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    """The generator made inside the epoch loop: every epoch draws the same permutation."""
    history = []
    for _ in range(epochs):
        order = np.random.default_rng(seed).permutation(len(x))
        x_epoch, t_epoch = x[order], t[order]
        losses = []
        for i in range(len(x) // batch_size):
            batch = slice(i * batch_size, (i + 1) * batch_size)
            losses.append(model.forward(x_epoch[batch], t_epoch[batch]))
            model.backward()
            optimizer.update(model.params, model.grads)
        history.append(sum(losses) / len(losses))
    return history


def _array_split_loop(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    """np.array_split into len(x) // batch_size parts: the leftover rows shared among them."""
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        losses = []
        for batch in np.array_split(rng.permutation(len(x)), len(x) // batch_size):
            losses.append(model.forward(x[batch], t[batch]))
            model.backward()
            optimizer.update(model.params, model.grads)
        history.append(sum(losses) / len(losses))
    return history


def _together(rng, x, t):
    order = rng.permutation(len(x))
    return x[order], t[order]


def _apart(rng, x, t):
    return x[rng.permutation(len(x))], t[rng.permutation(len(x))]


def _with_replacement(rng, x, t):
    order = rng.integers(0, len(x), size=len(x))  # rng.choice(N, N) draws the same way
    return x[order], t[order]


def _global(rng, x, t):
    order = np.random.permutation(len(x))
    return x[order], t[order]


def _unseeded(rng, x, t):
    order = np.random.default_rng().permutation(len(x))
    return x[order], t[order]


_FULL_BATCHES = N_(
    "take the `len(x) // batch_size` full mini-batches; the last `len(x) % batch_size` "
    "shuffled rows sit out that epoch"
)

_SHUFFLE = N_(
    "shuffle every epoch with one permutation for both arrays: "
    "`order = rng.permutation(N)`, then `x[order]` and `t[order]`"
)

train_exercise = Exercise(
    id="training.train",
    receives=N_("a function train(model, optimizer, x, t, epochs, batch_size=30, seed=0)"),
    reference=reference_train,
    cases=(
        Case(
            N_("one mini-batch per epoch (N = batch_size = 30), 3 epochs"),
            _loop_inputs(30, 3),
            _run_one_batch,
            rtol=1e-4,
            atol=1e-6,
            explain={"len(history)": N_("history holds one number per epoch")},
        ),
        Case(
            N_("another batch size: N = batch_size = 21, 3 epochs"),
            _loop_inputs(21, 3),
            _run_one_batch,
            rtol=1e-4,
            atol=1e-6,
        ),
        Case(
            N_("the loop's steps, watched on 90 samples for 4 epochs"),
            _loop_inputs(90, 4),
            _run_shape,
            explain={
                N_("every x keeps its own label t"): _SHUFFLE,
                N_("the order changes from epoch to epoch"): _SHUFFLE,
                "len(history)": N_("history holds one number per epoch"),
            },
        ),
        Case(
            N_("99 samples: 3 full mini-batches of 30 per epoch, the last 9 rows sit out"),
            _loop_inputs(99, 2),
            _run_leftover,
            explain={
                N_("mini-batches per epoch"): _FULL_BATCHES,
                RATIO: N_(
                    "an epoch's number is the mean of its mini-batch losses: their sum divided "
                    "by the number of mini-batches that ran, 3 here"
                ),
            },
        ),
        Case(
            N_("the seed decides the shuffle"),
            _loop_inputs(60, 3),
            _run_seed,
            explain={
                N_("the same seed gives the same history"): N_(
                    "make the shuffling generator from the seed: `rng = np.random.default_rng(seed)`"
                ),
                N_("NumPy's global random state is left alone"): N_(
                    "use your own generator, `np.random.default_rng(seed)`, not `np.random.*`"
                ),
            },
        ),
        Case(
            N_("capstone: a fresh spiral, lr 1.0, hidden 10, batch 30, 300 epochs"),
            _loop_inputs(300, 300),
            _run_spiral,
            explain={_loss_below(300): N_("with these settings a working loop ends near 0.1")},
        ),
    ),
    mistakes=(
        Mistake(
            Phrase(
                N_(
                    "the samples come in the same order every epoch; {shuffle}. Make the "
                    "generator once, before the epoch loop, and draw a new permutation inside it, "
                    "every epoch (a generator made anew each epoch, or one shuffle before the "
                    "loop, repeats the order)."
                ),
                shuffle=Phrase(_SHUFFLE),
            ),
            _shuffled_loop(lambda rng, x, t: (x, t)),
        ),
        Mistake(
            N_(
                "every epoch uses the same permutation: a generator made from the seed inside "
                "the epoch loop starts over each time, and one shuffle before the loop gives "
                "every epoch its order too. Make the generator once, before the loop, "
                "`rng = np.random.default_rng(seed)`, and draw `rng.permutation(N)` inside it, "
                "each epoch."
            ),
            _generator_each_epoch,
        ),
        Mistake(
            Phrase(
                N_(
                    "the mini-batches are drawn with replacement, so in an epoch some samples come "
                    "twice and others never; {shuffle} (or `rng.choice(N, N, replace=False)`)."
                ),
                shuffle=Phrase(_SHUFFLE),
            ),
            _shuffled_loop(_with_replacement),
        ),
        Mistake(
            Phrase(
                N_(
                    "x and t were shuffled with two different permutations, so the points lost "
                    "their labels; {shuffle}."
                ),
                shuffle=Phrase(_SHUFFLE),
            ),
            _shuffled_loop(_apart),
        ),
        Mistake(
            N_(
                "the order within a step is forward, backward, then update: the update needs the "
                "gradients of this mini-batch."
            ),
            _shuffled_loop(_together, update_first=True),
        ),
        Mistake(
            N_(
                "nothing learns without `optimizer.update(model.params, model.grads)` after "
                "`model.backward()`."
            ),
            _shuffled_loop(_together, record="no update"),
        ),
        Mistake(
            N_(
                "history should hold each epoch's mean loss: add up the mini-batch losses and "
                "divide by their number."
            ),
            _shuffled_loop(_together, record="last"),
        ),
        Mistake(
            N_(
                "history should hold each epoch's mean loss, not the sum: divide by the number of "
                "mini-batches."
            ),
            _shuffled_loop(_together, record="sum"),
        ),
        Mistake(
            N_(
                "history should hold one number per epoch (the mean of its mini-batch losses), "
                "not one per mini-batch."
            ),
            _shuffled_loop(_together, record="every batch"),
        ),
        Mistake(
            N_(
                "mini-batch i starts at row i * batch_size: `x_epoch[i * batch_size:(i + 1) * "
                "batch_size]`."
            ),
            _shuffled_loop(_together, step=1),
        ),
        Mistake(
            N_(
                "the last, shorter mini-batch of each epoch is trained on too; the loop takes "
                "only the `len(x) // batch_size` full mini-batches, and the last "
                "`len(x) % batch_size` shuffled rows sit out that epoch."
            ),
            _shuffled_loop(_together, leftover=True),
        ),
        Mistake(
            N_(
                "`np.array_split` shares the leftover rows among the mini-batches, so they are "
                "larger than batch_size; each mini-batch takes exactly batch_size rows, and the "
                "last `len(x) % batch_size` shuffled rows sit out that epoch."
            ),
            _array_split_loop,
        ),
        Mistake(
            N_(
                "`np.random.permutation` uses NumPy's global generator: the seed is ignored and the "
                "run cannot be repeated. Make your own: `rng = np.random.default_rng(seed)`."
            ),
            _shuffled_loop(_global),
        ),
        Mistake(
            N_("the generator needs the seed: `rng = np.random.default_rng(seed)`."),
            _shuffled_loop(_unseeded),
        ),
    ),
    error_hints=(
        ErrorHint(
            r"unexpected keyword argument '(epochs|batch_size|seed)'",
            N_(
                "keep the signature `train(model, optimizer, x, t, epochs, batch_size=30, seed=0)`: "
                "the check calls it with these names."
            ),
        ),
        ErrorHint(
            r"float\(\) argument must be|could not convert",
            N_("return history as a list of numbers, one mean loss per epoch."),
        ),
    ),
    time_limit=30.0,
)

# The text asks for a generator of the learner's own (np.random.default_rng).
two_layer_net_exercise = asks_for_own_generator(two_layer_net_exercise)
train_exercise = asks_for_own_generator(train_exercise)

EXERCISES = (sgd_exercise, two_layer_net_exercise, train_exercise)


# --- Predict, then run; and weight decay derived by hand (issue 13) ----------------------
# Appended below the chapter's first entries so that edits to those stay separate.


_REBOUND_NAME = N_(
    "`param - 0.1 * grad` builds a new array, and `param = ...` only points the "
    "loop's name at it; the array in the layer is never touched."
)

predict_rebind = prediction(
    "training.predict_rebind",
    N_("does `param = param - 0.1 * grad` in a loop change W1? True or False"),
    False,
    # True written as a number or a word is the same prediction
    wrong=[(value, _REBOUND_NAME) for value in (True, 1, "true", "yes")],
)

predict_dx_shape = prediction(
    "training.predict_dx_shape",
    N_("the shape of what net.backward() returns for x_batch (30, 2)"),
    (30, 2),
    wrong=[
        (
            (30, 3),
            (
                N_(
                    "that is the shape of the scores (and of the loss layer's gradient); "
                    "backward goes all the way back to the input x."
                )
            ),
        ),
        (
            (2, 10),
            N_("that is the shape of W1 (and dW1); backward *returns* dL/dx, shaped like x."),
        ),
        (
            (),
            (
                N_(
                    "the loss is one number, but its gradient with respect to x has one entry per "
                    "entry of x."
                )
            ),
        ),
        ((2,), N_("that is one sample's shape; dx has one row per sample of x_batch.")),
        ((30,), N_("one number per sample; dx has one entry per entry of x_batch.")),
        ((2, 30), N_("that is x_batch transposed; dx has x_batch's own shape.")),
        (
            (30, 10),
            N_(
                "that is the shape of the hidden layer's values; backward *returns* dL/dx, shaped "
                "like x_batch."
            ),
        ),
    ],
)


class _DecayAffine:
    """Affine whose loss also has the penalty (decay/2)·ΣW²; backward the formulas derived by
    hand (tests/test_grader_exact.py checks them against the numerical gradients)."""

    def __init__(self, W, b, decay):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.decay = decay

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        """dW = xᵀ dout + decay·W, db = Σ dout over the batch, dx = dout Wᵀ."""
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout + self.decay * W
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


def _decay_inputs(N, D, H, decay, decimals=1):
    def make(rng):
        draw = lambda *shape: np.round(rng.uniform(-2, 2, size=shape), decimals)
        return {"x": draw(N, D), "W": draw(D, H), "b": draw(H), "dout": draw(N, H), "decay": decay}

    return make


def _run_decay(cls, inp):
    W, b = inp["W"], inp["b"]
    layer = cls(W, b, inp["decay"])
    start = list(layer.grads)
    y = layer.forward(inp["x"])
    dx = layer.backward(inp["dout"].copy())
    return {
        N_("params is [W, b] (the very arrays)"): layer.params[0] is W and layer.params[1] is b,
        "forward(x)": y,
        "dx": dx,
        "dW (grads[0])": layer.grads[0],
        "db (grads[1])": layer.grads[1],
        N_("grads are written in place"): layer.grads[0] is start[0] and layer.grads[1] is start[1],
    }


def _decay_variant(dW, decay_bias=False, dx=lambda x, W, dout, d: dout @ W.T):
    class Variant(_DecayAffine):
        def backward(self, dout):
            W, b = self.params
            self.grads[0][...] = dW(self.x, W, dout, self.decay)
            self.grads[1][...] = np.sum(dout, axis=0) + (self.decay * b if decay_bias else 0)
            return dx(self.x, W, dout, self.decay)

    return Variant


def _decay_inputs_twice(N, D, H, decay):
    """Two backward calls with different upstream gradients: grads must hold the latest."""

    def make(rng):
        inp = _decay_inputs(N, D, H, decay)(rng)
        return {**inp, "dout_before": np.round(rng.uniform(-2, 2, size=(N, H)), 1)}

    return make


def _run_decay_twice(cls, inp):
    layer = cls(inp["W"], inp["b"], inp["decay"])
    layer.forward(inp["x"])
    layer.backward(inp["dout_before"].copy())
    layer.forward(inp["x"])
    dx = layer.backward(inp["dout"].copy())
    return {
        N_("dx after the second backward"): dx,
        N_("dW after the second backward"): layer.grads[0],
        N_("db after the second backward"): layer.grads[1],
    }


def _decay_inputs_updated(N, D, H, decay):
    """_decay_inputs, and a second round's x2, dout2 and the W2, b2 an optimizer leaves: each
    entry moved by a step of 0.2 to 1 either way, so none keeps its old value."""

    def make(rng):
        inp = _decay_inputs(N, D, H, decay)(rng)
        second = _decay_inputs(N, D, H, decay)(rng)
        step = lambda a: (
            rng.choice([-1.0, 1.0], size=a.shape) * np.round(rng.uniform(0.2, 1.0, size=a.shape), 1)
        )
        return {
            **inp,
            "x2": second["x"],
            "dout2": second["dout"],
            "W2": np.round(inp["W"] - step(inp["W"]), 1),
            "b2": np.round(inp["b"] - step(inp["b"]), 1),
        }

    return make


def _run_decay_updated(cls, inp):
    """W and b changed in place between two rounds, as an optimizer changes them: the layer
    must use the arrays in params, not copies of them (or of W for the penalty) taken in
    __init__."""
    W, b = inp["W"].copy(), inp["b"].copy()
    layer = cls(W, b, inp["decay"])
    layer.forward(inp["x"])
    layer.backward(inp["dout"].copy())
    W[...] = inp["W2"]  # what SGD's `params[i] -= lr * grads[i]` does to the layer's W and b
    b[...] = inp["b2"]
    y = layer.forward(inp["x2"])
    y = y.copy() if isinstance(y, np.ndarray) else y  # before backward can change it in place
    dx = layer.backward(inp["dout2"].copy())
    return {"forward(x)": y, "dx": dx, "dW (grads[0])": layer.grads[0]}


class _DecayAccumulates(_DecayAffine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0] += self.x.T @ dout + self.decay * W
        self.grads[1] += np.sum(dout, axis=0)
        return dout @ W.T


# The formulas, held to rounding error: a backward made of numerical gradients fails.
_DECAY_GRADS = (
    "dx",
    "dW (grads[0])",
    "db (grads[1])",
    N_("dx after the second backward"),
    N_("dW after the second backward"),
    N_("db after the second backward"),
)

_DECAY_EXPLAIN = {
    N_("grads are written in place"): N_(
        "write into the arrays made in `__init__`: "
        "`self.grads[0][...] = dW`, `self.grads[1][...] = db`"
    ),
    N_("params is [W, b] (the very arrays)"): N_(
        "store the arrays you were given: `self.params = [W, b]`"
    ),
}

_DECAY_UPDATED_EXPLAIN = {name: USES_PARAMS_WB for name in ("forward(x)", "dx", "dW (grads[0])")}

decay_affine_exercise = Exercise(
    id="training.DecayAffine",
    receives=N_("a class DecayAffine with __init__(W, b, decay), forward(x) and backward(dout)"),
    reference=_DecayAffine,
    is_class=True,
    cases=(
        Case(
            N_("W (3, 2), x (4, 3), decay 0.1"),
            _decay_inputs(4, 3, 2, 0.1),
            _run_decay,
            explain=_DECAY_EXPLAIN,
            exact=_DECAY_GRADS,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("decay 0: an ordinary Affine"),
            _decay_inputs(3, 2, 3, 0.0),
            _run_decay,
            explain=_DECAY_EXPLAIN,
            exact=_DECAY_GRADS,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("hidden: W (5, 4), x (6, 5), decay 0.5"),
            _decay_inputs(6, 5, 4, 0.5, 3),
            _run_decay,
            shown=False,
            explain=_DECAY_EXPLAIN,
            exact=_DECAY_GRADS,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("backward twice with another dout: grads hold the latest gradient only"),
            _decay_inputs_twice(4, 3, 2, 0.1),
            _run_decay_twice,
            exact=_DECAY_GRADS,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(
            N_("W and b changed in place between two rounds, as an optimizer changes them"),
            _decay_inputs_updated(4, 3, 2, 0.5),
            _run_decay_updated,
            explain=_DECAY_UPDATED_EXPLAIN,
            exact=_DECAY_GRADS,
            rtol=1e-5,
            atol=1e-6,
        ),
        Case(  # dx, dW and db are linear in x, W and b: see computation_graph.LARGE_SCALE
            LARGE_CASE,
            large_values(_decay_inputs(4, 3, 2, 0.1, 2), ("x", "W", "b"), PRODUCT_SCALE),
            _run_decay,
            shown=False,
            explain=_DECAY_EXPLAIN,
            exact=_DECAY_GRADS,
            **LARGE_TOLERANCE,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "that is (1 + decay) · xᵀ dout: decay scales the data's gradient; the penalty "
                "adds decay · W, `self.x.T @ dout + self.decay * W`."
            ),
            _decay_variant(lambda x, W, dout, d: (1 + d) * (x.T @ dout)),
        ),
        Mistake(
            N_(
                "that is decay · xᵀ dout + W: decay multiplies the wrong term; "
                "dW = xᵀ dout + decay · W."
            ),
            _decay_variant(lambda x, W, dout, d: d * (x.T @ dout) + W),
        ),
        Mistake(
            N_(
                "that adds decay itself to every entry of dW; the penalty's slope is decay · W, "
                "`self.x.T @ dout + self.decay * W`."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout + d),
        ),
        Mistake(
            N_("dx is `dout @ W.T`: dout (N, H) times Wᵀ (H, D) gives x's shape (N, D)."),
            _decay_variant(
                lambda x, W, dout, d: x.T @ dout + d * W, dx=lambda x, W, dout, d: dout @ W
            ),
        ),
        Mistake(
            N_(
                "dW is missing the penalty's share: (decay/2)·ΣW² is part of the loss too, and "
                "its derivative with respect to W is decay·W."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout),
        ),
        *(
            Mistake(
                N_(
                    "dx has the penalty's slope added: (decay/2)·ΣW² depends on W alone, so "
                    "decay·W goes into dW, and dx stays `dout @ W.T`."
                ),
                _decay_variant(dW, dx=lambda x, W, dout, d: dout @ W.T + d * x),
            )
            for dW in (
                lambda x, W, dout, d: x.T @ dout,
                lambda x, W, dout, d: x.T @ dout + d * W,
            )
        ),
        Mistake(
            N_(
                "the ½ in (decay/2)·ΣW² cancels the 2 of the square's derivative: the penalty adds "
                "decay·W to dW, not decay·W / 2."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout + 0.5 * d * W),
        ),
        Mistake(
            N_(
                "2·decay·W is the slope of decay·ΣW², without the ½: the penalty is "
                "(decay/2)·ΣW², whose ½ cancels the 2, so it adds decay·W to dW."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout + 2 * d * W),
        ),
        *(
            Mistake(
                N_(
                    "that adds one number, the same at every entry, to dW; the penalty's share "
                    "of dW is its slope with respect to W, the array decay·W."
                ),
                _decay_variant(dW),
            )
            for dW in (
                lambda x, W, dout, d: x.T @ dout + 0.5 * d * np.sum(W**2),
                lambda x, W, dout, d: x.T @ dout + d * np.sum(W**2),
                lambda x, W, dout, d: x.T @ dout + d * np.sum(W),
            )
        ),
        Mistake(
            N_("the derivative of W² is 2W, times decay/2: decay·W, not decay·W²."),
            _decay_variant(lambda x, W, dout, d: x.T @ dout + d * W**2),
        ),
        Mistake(
            N_(
                "the penalty grows the loss, so its gradient points the same way as W: add "
                "+decay·W (SGD's step then shrinks W)."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout - d * W),
        ),
        Mistake(
            N_(
                "the penalty is on the weights W only; the bias is not in (decay/2)·ΣW², so db "
                "stays the plain sum of dout."
            ),
            _decay_variant(lambda x, W, dout, d: x.T @ dout + d * W, decay_bias=True),
        ),
        *(
            Mistake(
                N_(
                    "the penalty's share of dW is decay·W, not scaled by the batch size N: "
                    "(decay/2)·ΣW² is added to the loss once, whatever N, so its slope decay·W is "
                    "neither multiplied nor divided by N."
                ),
                _decay_variant(dW),
            )
            for dW in (
                lambda x, W, dout, d: x.T @ dout + d * len(x) * W,
                lambda x, W, dout, d: x.T @ dout + d * W / len(x),
            )
        ),
        Mistake(HINTS["accumulated"], _DecayAccumulates),
    ),
    error_hints=(
        ErrorHint(
            r"has no attribute '(grads|params)'",
            N_(
                "set `self.params = [W, b]` and "
                "`self.grads = [np.zeros_like(W), np.zeros_like(b)]` in `__init__`."
            ),
        ),
    ),
)

EXERCISES += (predict_rebind, predict_dx_shape, decay_affine_exercise)
