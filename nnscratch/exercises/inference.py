"""Chapter 1 exercises: sigmoid, the affine map, classifying scores, layers as classes."""

import numpy as np

from nnscratch.exercises.predictions import prediction
from nnscratch.exercises.randomness import asks_for_own_generator
from nnscratch.exercises.wrong_argument import at_wrong_arguments
from nnscratch.expect import load_weights
from nnscratch.functions import sigmoid
from nnscratch.i18n import N_
from nnscratch.layers import Affine, Sigmoid
from nnscratch.network import TwoLayerNet
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake

# sigmoid(x)


def _run_sigmoid(f, inp):
    return {"sigmoid(x)": f(inp["x"])}


def _run_sigmoid_shape(f, inp):
    """Also the result's shape in full: the grader takes an array of one element for the number
    it holds, but the text asks for x's shape, () for a single number."""
    y = f(inp["x"])
    return {"sigmoid(x)": y, "np.shape(sigmoid(x))": str(np.shape(y))}


PRECEDENCE = N_(
    "operator precedence: `1 / 1 + np.exp(-x)` means (1 / 1) + e^(-x). "
    "Put the whole denominator in parentheses: `1 / (1 + np.exp(-x))`."
)

SIGMOID_MISTAKES = (
    Mistake(PRECEDENCE, lambda x: 1 / 1 + np.exp(-x)),
    Mistake(
        N_(
            "that is sigmoid(-x) = 1 / (1 + e^x), the curve mirrored: sigmoid(x) is "
            "`1 / (1 + np.exp(-x))`."
        ),
        lambda x: 1 / (1 + np.exp(x)),
    ),
    Mistake(
        N_(
            "`np.exp(x) / (1 + np.exp(x))` is right on paper, but np.exp(1000) overflows to inf "
            "and inf / inf is NaN. Use `1 / (1 + np.exp(-x))`, whose overflow gives 1 / inf = 0."
        ),
        lambda x: np.exp(x) / (1 + np.exp(x)),
    ),
    Mistake(N_("the denominator is 1 + e^(-x), with a plus sign."), lambda x: 1 / (1 - np.exp(-x))),
    Mistake(
        N_("that is the sigmoid's slope, y (1 − y); the sigmoid itself is y = 1 / (1 + e^(−x))."),
        lambda x: 1 / (1 + np.exp(-x)) * (1 - 1 / (1 + np.exp(-x))),
    ),
)

sigmoid_exercise = Exercise(
    id="inference.sigmoid",
    receives=N_("a function sigmoid(x)"),
    reference=sigmoid,
    cases=(
        Case(
            N_("a few numbers"),
            lambda rng: {"x": np.array([-2.0, -1.0, 0.0, 1.0, 2.0])},
            _run_sigmoid,
        ),
        Case(
            N_("a (3, 4) matrix"),
            lambda rng: {"x": np.round(3 * rng.standard_normal((3, 4)), 2)},
            _run_sigmoid,
        ),
        Case(
            N_("far from zero (±1000)"),
            lambda rng: {"x": np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])},
            _run_sigmoid,
            atol=1e-12,
        ),
        Case(N_("a single number"), lambda rng: {"x": np.float64(0.5)}, _run_sigmoid_shape),
        Case(
            N_("a hidden random (2, 3, 4) array"),
            lambda rng: {"x": 5 * rng.standard_normal((2, 3, 4))},
            _run_sigmoid,
            shown=False,
        ),
    ),
    # sigmoid(-x) has a mistake of its own in SIGMOID_MISTAKES
    mistakes=SIGMOID_MISTAKES + at_wrong_arguments(sigmoid, sigmoid, "sigmoid", skip=("-x",)),
)

# affine(x, W, b)


def _run_affine(f, inp):
    return {"affine(x, W, b)": f(inp["x"], inp["W"], inp["b"])}


def _affine_inputs(N, D, H):
    def make(rng):
        x = np.round(rng.standard_normal((N, D) if N else (D,)), 2)
        return {
            "x": x,
            "W": np.round(rng.standard_normal((D, H)), 2),
            "b": np.round(rng.standard_normal(H), 2),
        }

    return make


_NO_BIAS = N_("don't forget the bias: `x @ W + b`.")
_NO_TRANSPOSE = N_("W is already (D, H): use `x @ W`, no transpose.")

affine_exercise = Exercise(
    id="inference.affine",
    receives=N_("a function affine(x, W, b)"),
    reference=lambda x, W, b: x @ W + b,
    cases=(
        Case(N_("one sample: x (2,), W (2, 4), b (4,)"), _affine_inputs(None, 2, 4), _run_affine),
        Case(N_("a batch: x (3, 2), W (2, 4), b (4,)"), _affine_inputs(3, 2, 4), _run_affine),
        Case(
            N_("a batch of one: x (1, 3), W (3, 2), b (2,)"), _affine_inputs(1, 3, 2), _run_affine
        ),
        Case(
            N_("a hidden batch: x (5, 3), W (3, 6), b (6,)"),
            _affine_inputs(5, 3, 6),
            _run_affine,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "the order matters: each sample is a row, so the product is `x @ W`; "
                "`W @ x` would need W shaped (H, D)."
            ),
            lambda x, W, b: W @ x + b,
        ),
        Mistake(_NO_BIAS, lambda x, W, b: x @ W),
        Mistake(
            N_(
                "`*` multiplies element by element; a matrix product is `x @ W` (or `np.dot(x, W)`)."
            ),
            lambda x, W, b: x * W + b,
        ),
        Mistake(_NO_TRANSPOSE, lambda x, W, b: x @ W.T + b),
        Mistake(N_("the bias is added, not subtracted: `x @ W + b`."), lambda x, W, b: x @ W - b),
        Mistake(
            N_(
                "`x @ (W + b)` adds b to every row of W before the product; the bias is added "
                "after it: `x @ W + b`."
            ),
            lambda x, W, b: x @ (W + b),
        ),
        Mistake(
            N_(
                "`b.reshape(-1, 1)` makes the bias a column (H, 1), which broadcasts against the "
                "rows of `x @ W` instead of adding one value to each of the H columns: add b as "
                "it is, `x @ W + b`."
            ),
            lambda x, W, b: x @ W + b.reshape(-1, 1),
        ),
    ),
)

# classify(scores)


def _run_classify(f, inp):
    return {"classify(scores)": f(inp["scores"])}


classify_exercise = Exercise(
    id="inference.classify",
    receives=N_("a function classify(scores)"),
    reference=lambda scores: np.argmax(scores, axis=1),
    cases=(
        Case(
            N_("a (4, 3) batch of scores"),
            lambda rng: {
                "scores": np.array(
                    [[0.1, 2.0, -1.0], [3.0, 0.5, 0.2], [-1.0, -2.0, -0.5], [0.0, 0.3, 0.2]]
                )
            },
            _run_classify,
        ),
        Case(
            N_("one sample as a (1, 5) row"),
            lambda rng: {"scores": np.array([[0.2, -0.1, 1.5, 0.3, 1.4]])},
            _run_classify,
        ),
        Case(
            N_("a hidden (6, 4) batch"),
            lambda rng: {"scores": rng.standard_normal((6, 4))},
            _run_classify,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "without `axis`, np.argmax looks at the whole array flattened and returns one number; "
                "use `axis=1` for one class per row."
            ),
            lambda s: np.argmax(s),
        ),
        Mistake(
            N_(
                "`axis=0` runs down the columns (over samples); each sample is a row, so use `axis=1`."
            ),
            lambda s: np.argmax(s, axis=0),
        ),
        Mistake(
            N_("np.max gives the largest score; np.argmax gives where it is: the class index."),
            lambda s: np.max(s, axis=1),
        ),
        Mistake(
            N_("the predicted class has the largest score: argmax, not argmin."),
            lambda s: np.argmin(s, axis=1),
        ),
    ),
)

# class Sigmoid


def _run_sigmoid_layer(cls, inp):
    layer = cls()
    out = {"params": layer.params, "forward(x)": layer.forward(inp["x"])}
    # The same layer on another x: forward computes anew on every call (nothing kept from the
    # first call stands in for the answer).
    out[N_("forward(x) for a second x")] = layer.forward(0.5 - inp["x"])
    return out


def _as_layer(mistake: Mistake) -> Mistake:
    """sigmoid()'s mistake as the Sigmoid layer's: the same wrong formula in forward."""

    class WrongSigmoid(Sigmoid):
        def forward(self, x):
            return mistake.impl(x)

    return Mistake(mistake.hint, WrongSigmoid)


_ATTRIBUTE_HINT = ErrorHint(
    r"has no attribute 'params'",
    N_(
        "set `self.params` in `__init__`: a list of the "
        "layer's weight arrays, and an empty list `[]` for a layer without weights."
    ),
)

sigmoid_layer_exercise = Exercise(
    id="inference.Sigmoid",
    receives=N_("a class Sigmoid"),
    reference=Sigmoid,
    is_class=True,
    cases=(
        Case(
            N_("Sigmoid().forward on a (2, 3) batch"),
            lambda rng: {"x": np.round(2 * rng.standard_normal((2, 3)), 2)},
            _run_sigmoid_layer,
            explain={"params": N_("a layer without weights has `self.params = []`")},
        ),
        Case(
            N_("forward far from zero (±1000)"),
            lambda rng: {"x": np.array([[-1000.0, 0.0, 1000.0]])},
            _run_sigmoid_layer,
            atol=1e-12,
        ),
        Case(
            N_("a hidden random batch"),
            lambda rng: {"x": 4 * rng.standard_normal((5, 4))},
            _run_sigmoid_layer,
            shown=False,
        ),
    ),
    mistakes=tuple(_as_layer(m) for m in sigmoid_exercise.mistakes),
    error_hints=(_ATTRIBUTE_HINT,),
)

# class Affine


def _affine_layer_inputs(rng):
    return {
        "x": np.round(rng.standard_normal((3, 2)), 2),
        "W": np.round(rng.standard_normal((2, 4)), 2),
        "b": np.round(rng.standard_normal(4), 2),
    }


def _run_affine_forward(cls, inp):
    layer = cls(inp["W"], inp["b"])
    shapes = [getattr(p, "shape", type(p).__name__) for p in layer.params]
    return {
        "forward(x)": layer.forward(inp["x"]),
        N_("shapes of params"): str(shapes),  # in full
        # the text asks for the list [W, b]: a tuple holds the same arrays, but is not one
        "type(params)": type(layer.params).__name__,
        N_("forward(x) for a second x"): layer.forward(0.5 - inp["x"]),
    }


def _run_affine_shared(cls, inp):
    W, b, x = inp["W"], inp["b"], inp["x"]
    layer = cls(W, b)
    shared = {"params[0] is W": layer.params[0] is W, "params[1] is b": layer.params[1] is b}
    W += 1.0  # what an optimizer does: update the weights in place
    b -= 0.5
    return {**shared, N_("forward(x) after W and b changed in place"): layer.forward(x)}


class _CopyingAffine(Affine):
    def __init__(self, W, b):
        super().__init__(W.copy(), b.copy())


class _AffineWithoutBias(Affine):
    def forward(self, x):
        return x @ self.params[0]


class _ParamsReadReversed(Affine):
    def forward(self, x):
        b, W = self.params  # stored as [W, b]
        return x @ W + b


class _StaleAffine(Affine):
    def __init__(self, W, b):
        super().__init__(W, b)
        self.W, self.b = W.copy(), b.copy()

    def forward(self, x):
        return x @ self.W + self.b


def _affine_as_layer(mistake: Mistake) -> Mistake:
    """affine()'s mistake as the Affine layer's: the same wrong formula in forward."""

    class WrongAffine(Affine):
        def forward(self, x):
            W, b = self.params
            return mistake.impl(x, W, b)

    return Mistake(mistake.hint, WrongAffine)


# Said of what params must hold, not of how the learner's code went wrong (a copy, a default
# list shared between instances, an array built anew all fail this case).
_SHARE = N_(
    "params must hold the very arrays passed to `__init__`, W and b themselves, so that "
    "updating them updates the layer"
)

affine_layer_exercise = Exercise(
    id="inference.Affine",
    receives=N_("a class Affine"),
    reference=Affine,
    is_class=True,
    cases=(
        Case(
            N_("Affine(W, b).forward on a (3, 2) batch"),
            _affine_layer_inputs,
            _run_affine_forward,
            explain={N_("shapes of params"): N_("params is the list [W, b]")},
        ),
        Case(
            N_("params are W and b themselves"),
            _affine_layer_inputs,
            _run_affine_shared,
            pure=False,
            explain={"params[0] is W": _SHARE, "params[1] is b": _SHARE},
        ),
        Case(
            N_("a hidden (6, 5) -> (6, 3) batch"),
            lambda rng: {
                "x": rng.standard_normal((6, 5)),
                "W": rng.standard_normal((5, 3)),
                "b": rng.standard_normal(3),
            },
            _run_affine_forward,
            shown=False,
        ),
        # x @ W.T and params read as `b, W` raise the very same error where W is not square;
        # here the first gives numbers and the second another error, which tells them apart.
        Case(
            N_("a square W (3, 3): x (4, 3)"),
            lambda rng: {
                "x": np.round(rng.standard_normal((4, 3)), 2),
                "W": np.round(rng.standard_normal((3, 3)), 2),
                "b": np.round(rng.standard_normal(3), 2),
            },
            _run_affine_forward,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "store the arrays themselves: `self.params = [W, b]` (a copy cuts the link "
                "between the layer and whoever updates its weights)."
            ),
            _CopyingAffine,
        ),
        Mistake(
            N_(
                "read the weights from params in forward (`W, b = self.params`): a private copy "
                "does not see in-place updates."
            ),
            _StaleAffine,
        ),
        Mistake(_NO_BIAS, _AffineWithoutBias),
        Mistake(
            N_(
                "forward reads params in another order than `__init__` stored them: "
                "`self.params = [W, b]`, then `W, b = self.params`, in the same order."
            ),
            _ParamsReadReversed,
        ),
        *(_affine_as_layer(m) for m in affine_exercise.mistakes if m.hint != _NO_BIAS),
    ),
    error_hints=(_ATTRIBUTE_HINT,),
)

# class TwoLayerNet


def _net_inputs(I, H, O, N):
    def make(rng):
        return {
            "sizes": (I, H, O),
            "x": np.round(rng.standard_normal((N, I)), 2),
            "weights": [
                rng.standard_normal((I, H)),
                rng.standard_normal(H),
                rng.standard_normal((H, O)),
                rng.standard_normal(O),
            ],
        }

    return make


# What must hold, not why it did not: copies and another order both make it False.
OWN_ARRAYS = N_(
    "self.params holds the layers' own arrays, in the layers' order: "
    "`self.params += layer.params` for each layer"
)


def _run_net(cls, inp):
    net = cls(*inp["sizes"])
    layer_params = [p for layer in net.layers for p in layer.params]
    out = {
        N_("number of params per layer"): [len(layer.params) for layer in net.layers],
        N_("shapes of params"): str([getattr(p, "shape", type(p).__name__) for p in net.params]),
        N_("params are the layers' own arrays"): len(net.params) == len(layer_params)
        and all(p is q for p, q in zip(net.params, layer_params)),
    }
    load_weights(net.params, inp["weights"])  # known weights, in place, through the model's list
    out["predict(x)"] = _predict(net, inp["x"])
    return out


def _predict(net, x):
    """The scores; or, when the weights set through net.params cannot reach the layers, a
    sentence saying so (the scores of the layers' own random weights would tell nothing)."""
    layer_params = [p for layer in net.layers for p in getattr(layer, "params", [])]
    if not all(any(p is q for q in layer_params) for p in net.params):
        return "not compared: the weights set through net.params are not the layers' arrays"
    return net.predict(x)


class _Watched:
    """A layer that notes its index in log when its forward runs, and otherwise is the layer."""

    def __init__(self, layer, index, log):
        self._layer, self._index, self._log = layer, index, log

    def forward(self, x):
        self._log.append(self._index)
        return self._layer.forward(x)

    def __getattr__(self, name):
        return getattr(self._layer, name)


def _run_net_layers(cls, inp):
    """predict must run x through self.layers (the chapter's contract), not around them."""
    net = cls(*inp["sizes"])
    load_weights(net.params, inp["weights"])
    log = []
    net.layers = [_Watched(layer, i, log) for i, layer in enumerate(net.layers)]
    scores = _predict(net, inp["x"])
    shared = not isinstance(scores, str)
    if not shared:
        # the scores tell nothing, but which layers predict runs still does (a log left empty
        # would read as "predict ran no layer", where the params are copies)
        net.predict(inp["x"])
    return {
        N_("params are the layers' own arrays"): shared,  # said first, as in the other cases
        N_("layers whose forward predict ran, in order"): log,
        "predict(x)": scores,
    }


class _AroundLayersNet(TwoLayerNet):
    def predict(self, x):
        W1, b1, W2, b2 = self.params
        return sigmoid(x @ W1 + b1) @ W2 + b2


class _AppendNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = []
        for layer in self.layers:
            self.params.append(layer.params)


class _CopyNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.params = [p.copy() for p in self.params]


class _SoftmaxNet(TwoLayerNet):
    def predict(self, x):
        s = super().predict(x)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class _NoSigmoidNet(TwoLayerNet):
    def predict(self, x):
        return self.layers[2].forward(self.layers[0].forward(x))


class _EveryLayerOnXNet(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers:
            out = layer.forward(x)
        return out


class _ReversedNet(TwoLayerNet):
    def predict(self, x):
        for layer in reversed(self.layers):
            x = layer.forward(x)
        return x


class _FromSecondLayerNet(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers[1:]:
            x = layer.forward(x)
        return x


class _ShortNet(TwoLayerNet):
    def predict(self, x):
        for layer in self.layers[:-1]:
            x = layer.forward(x)
        return x


class _SigmoidLastNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.layers = [self.layers[0], self.layers[2], self.layers[1]]


class _SigmoidFirstNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.layers = [self.layers[1], self.layers[0], self.layers[2]]


class _ExtraSigmoidNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        self.layers = self.layers + [Sigmoid()]


class _SharedListNet(TwoLayerNet):
    def __init__(self, I, H, O):
        super().__init__(I, H, O)
        for layer in self.layers:
            layer.params = layer.params[:2]
        self.params = self.layers[0].params
        for layer in self.layers[1:]:
            self.params += layer.params


# The same clash, whichever loop made it: a layer got an array with x's columns.
_FLOW = N_(
    "a layer received an array with x's columns where it needs the previous layer's output: "
    "predict passes each layer's output on to the next, in order, `for layer in self.layers: "
    "x = layer.forward(x)`."
)

two_layer_net_exercise = Exercise(
    id="inference.TwoLayerNet",
    receives=N_("a class TwoLayerNet"),
    reference=TwoLayerNet,
    is_class=True,
    cases=(
        Case(
            N_("TwoLayerNet(2, 4, 3) on a (5, 2) batch"),
            _net_inputs(2, 4, 3, 5),
            _run_net,
            explain={
                N_("params are the layers' own arrays"): OWN_ARRAYS,
                N_("number of params per layer"): N_(
                    "the layers are [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]"
                ),
            },
        ),
        Case(N_("a hidden TwoLayerNet(3, 6, 2)"), _net_inputs(3, 6, 2, 4), _run_net, shown=False),
        Case(
            N_("predict runs x through self.layers, in order"),
            _net_inputs(3, 5, 2, 3),
            _run_net_layers,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "use `self.params += layer.params` (extend) rather than append: params is the flat "
                "list [W1, b1, W2, b2]."
            ),
            _AppendNet,
        ),
        Mistake(
            N_(
                "params must be the layers' own arrays (`self.params += layer.params`); copies would "
                "leave the layers untouched when the weights are updated."
            ),
            _CopyNet,
        ),
        Mistake(
            N_(
                "predict returns raw scores; turning them into probabilities (softmax) belongs to "
                "the loss, in the next chapter."
            ),
            _SoftmaxNet,
        ),
        Mistake(
            N_(
                "the scores come out without the Sigmoid between the two Affine layers: "
                "self.layers is [Affine(W1, b1), Sigmoid(), Affine(W2, b2)], and predict runs "
                "every one of them, in order."
            ),
            _NoSigmoidNet,
        ),
        *(
            Mistake(
                N_(
                    "the layers are in another order: the Sigmoid goes between the two Affine "
                    "layers, `[Affine(W1, b1), Sigmoid(), Affine(W2, b2)]`."
                ),
                impl,
            )
            for impl in (_SigmoidLastNet, _SigmoidFirstNet)
        ),
        Mistake(
            N_(
                "a Sigmoid after the second Affine squashes the scores: the layers are "
                "`[Affine(W1, b1), Sigmoid(), Affine(W2, b2)]`, and predict returns the raw "
                "scores of the last."
            ),
            _ExtraSigmoidNet,
        ),
        Mistake(_FLOW, _EveryLayerOnXNet),
        Mistake(_FLOW, _ReversedNet),
        Mistake(_FLOW, _FromSecondLayerNet),
        Mistake(
            N_(
                "predict stops before the last layer: it returns the hidden layer's output "
                "(one column per hidden neuron); the scores come from the second Affine, "
                "`self.layers[2]`."
            ),
            _ShortNet,
        ),
        Mistake(
            N_(
                "params is the first layer's own list (`self.params = self.layers[0].params`), "
                "so `+=` added the other layers' arrays to that layer's list, and its forward "
                "found more than [W, b] there: start from a new list, `self.params = []`."
            ),
            _SharedListNet,
        ),
        Mistake(
            N_(
                "predict computes the scores from the weights itself; run x through the layers "
                "instead, `for layer in self.layers: x = layer.forward(x)`, so that predict is "
                "whatever the layers are."
            ),
            _AroundLayersNet,
        ),
    ),
    error_hints=(_ATTRIBUTE_HINT,),
)

# The text asks for a generator of the learner's own (np.random.default_rng).
two_layer_net_exercise = asks_for_own_generator(two_layer_net_exercise)

EXERCISES = (
    sigmoid_exercise,
    affine_exercise,
    classify_exercise,
    sigmoid_layer_exercise,
    affine_layer_exercise,
    two_layer_net_exercise,
)


# --- Predict, then run (issue 13) ----------------------------------------------------------
# Appended below the chapter's first entries so that edits to those stay separate.


predict_batch_shape = prediction(
    "inference.predict_batch_shape",
    N_("the shape of H = X @ W + b for X (10, 2), W (2, 4), b (4,)"),
    (10, 4),
    wrong=[
        ((10, 2), N_("that is the shape of X; the product X @ W has X's rows and W's columns.")),
        ((1, 4), N_("one row per sample: the 10 rows of X give 10 rows of H.")),
        (
            (4, 10),
            N_(
                "(4, 10) is the shape transposed: rows are samples and columns are neurons, "
                "(N, 2) @ (2, 4) -> (N, 4)."
            ),
        ),
        ((2, 4), N_("that is the shape of W; the product X @ W has X's rows and W's columns.")),
        (
            (4,),
            N_(
                "that is the shape of b, and of one sample's output; X holds 10 samples, one "
                "per row, and adding b to each row keeps the shape of X @ W, (10, 4)."
            ),
        ),
        (
            (10,),
            N_("one number per sample; H has one value per sample and per neuron: a row of 4."),
        ),
        (
            (40,),
            N_("H holds 40 values, arranged as one row per sample and one column per neuron."),
        ),
    ],
)

predict_hasty_sigmoid = prediction(
    "inference.predict_hasty_sigmoid",
    N_("what hasty_sigmoid(0) prints"),
    2.0,
    wrong=[
        (
            0.5,
            (
                N_(
                    "0.5 is what the real sigmoid gives. Read `1 / 1 + np.exp(-x)` the way Python "
                    "does: division before addition."
                )
            ),
        ),
        (1.0, N_("close: 1 / 1 is 1, and then e⁻⁰ is added to it.")),
        (0.0, N_("e⁻⁰ is e⁰ = 1, not 0: Python computes 1 / 1 first, then adds e⁻⁰ = 1.")),
        (
            1.5,
            N_(
                "1.5 is the real sigmoid's 0.5 plus 1; Python computes 1 / 1 first, which is 1, "
                "then adds e⁻⁰ = 1."
            ),
        ),
        (
            float(1 + np.e),
            N_("e⁻⁰ is e⁰ = 1, not e: Python computes 1 / 1 first, then adds e⁻⁰ = 1."),
        ),
        (
            float("inf"),
            N_("nothing overflows at 0: e⁻⁰ = 1. Python computes 1 / 1 first, then adds e⁻⁰ = 1."),
        ),
    ],
)

EXERCISES += (predict_batch_shape, predict_hasty_sigmoid)
