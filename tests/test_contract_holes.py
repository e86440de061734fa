"""Wrong answers that once passed every test (found by testers), and the cases that now catch them.

Each wrong answer fails on the case added for it, with feedback that says what was observed; right
answers, written a few ways, still pass on several seeds.
"""

import numpy as np
import pytest

from nnscratch.grader import check
from tests.test_grader_loss import ce_book

SEEDS = (0, 1, 2, 3)


def failed_cases(result):
    return {o.name: o for o in result.outcomes if not o.passed}


def fails_on(exercise_id, obj, case_start, *observed):
    """obj fails exactly one case, whose name starts with case_start; its message holds each of
    `observed`."""
    for seed in SEEDS:
        result = check(exercise_id, obj, seed=seed)
        failed = failed_cases(result)
        assert not result.passed and len(failed) == 1, str(result)
        ((name, outcome),) = failed.items()
        assert name.startswith(case_start), str(result)
        for piece in observed:
            assert piece in outcome.message, str(result)
    return outcome


def passes(exercise_id, obj):
    for seed in SEEDS:
        result = check(exercise_id, obj, seed=seed)
        assert result.passed, str(result)


# --- 1. graph nodes that must keep the inputs of the latest forward ---------------------------


class MulFirstForward:
    """Keeps the inputs of its first forward forever."""

    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.y = None

    def forward(self, x, y):
        if self.x is None:
            self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


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
        return dout * self.y, dout * self.x


class MulTupleCopies:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.saved = (np.copy(x), np.copy(y))
        return np.multiply(x, y)

    def backward(self, dout):
        x, y = self.saved
        return [np.multiply(dout, y), np.multiply(dout, x)]


class DivideFirstForward:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.y = None

    def forward(self, x, y):
        if self.x is None:
            self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y**2


class DividePlain:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / (self.y * self.y)


class DivideKeepsOutput:
    """Keeps z = x / y: dz/dy = −x / y² = −z / y."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        self.y = y
        self.z = x / y
        return self.z

    def backward(self, dout):
        return dout / self.y, -dout * self.z / self.y


class SumFirstForward:
    def __init__(self):
        self.params, self.grads = [], []
        self.N = None

    def forward(self, x):
        if self.N is None:
            self.N = x.shape[0]
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0)


class SumPlain:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.N = x.shape[0]
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        return np.repeat(dout, self.N, axis=0)


class SumKeepsShape:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.shape = x.shape
        return x.sum(axis=0)[np.newaxis, :]

    def backward(self, dout):
        return np.ones(self.shape) * dout


_LATEST_PAIR = "forward on one pair x, y, then on another"


def test_mul_that_keeps_its_first_inputs_fails_on_a_second_forward():
    outcome = fails_on("graph.Mul", MulFirstForward, _LATEST_PAIR, "`dx`", "y_before")
    # the reference that keeps its first forward's inputs gives these outputs: said as such
    assert "still uses what its first forward stored" in outcome.hint


def test_divide_that_keeps_its_first_inputs_fails_on_a_second_forward():
    fails_on("graph.Divide", DivideFirstForward, _LATEST_PAIR, "`dx`", "y_before")


def test_sum_that_keeps_its_first_n_fails_on_a_second_forward():
    fails_on(
        "graph.Sum",
        SumFirstForward,
        "Sum() on x (5, 3), then on x (2, 3)",
        "`dx` has shape (5, 3), but should have shape (2, 3)",
    )


@pytest.mark.parametrize(
    ("exercise_id", "obj"),
    [
        ("graph.Mul", MulPlain),
        ("graph.Mul", MulTupleCopies),
        ("graph.Divide", DividePlain),
        ("graph.Divide", DivideKeepsOutput),
        ("graph.Sum", SumPlain),
        ("graph.Sum", SumKeepsShape),
    ],
)
def test_nodes_that_keep_the_latest_inputs_pass(exercise_id, obj):
    passes(exercise_id, obj)


# --- 2. DecayAffine under an optimizer that changes W (and b) in place ------------------------


class DecayAffineRight:
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


class DecayAffineCopyForDecay(DecayAffineRight):
    """The penalty's W is a copy taken in __init__: stale once an optimizer moves W."""

    def __init__(self, W, b, decay):
        super().__init__(W, b, decay)
        self.W_for_decay = W.copy()

    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout + self.decay * self.W_for_decay
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


class DecayAffineCopyOfB(DecayAffineRight):
    """forward adds a copy of b taken in __init__."""

    def __init__(self, W, b, decay):
        super().__init__(W, b, decay)
        self.b = b.copy()

    def forward(self, x):
        self.x = x
        return x @ self.params[0] + self.b


class DecayAffineNamesTheArrays:
    """self.W and self.b are the very arrays in params (no copies): right."""

    def __init__(self, W, b, decay):
        self.W, self.b, self.decay = W, b, decay
        self.params = [self.W, self.b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dW = np.dot(self.x.T, dout) + self.decay * self.W
        self.grads[0][:] = dW
        self.grads[1][:] = dout.sum(axis=0)
        return np.dot(dout, self.W.T)


_UPDATED = "W and b changed in place between two rounds"
_EXPLAINED = "this case changes W and b in place between the two rounds"


def test_decay_on_a_copy_of_w_fails_when_w_changes_in_place():
    outcome = fails_on(
        "training.DecayAffine",
        DecayAffineCopyForDecay,
        _UPDATED,
        "`dW (grads[0])`",
        _EXPLAINED,
    )
    assert not outcome.hint


def test_a_copy_of_b_fails_when_b_changes_in_place():
    fails_on(
        "training.DecayAffine",
        DecayAffineCopyOfB,
        _UPDATED,
        "`forward(x)`",
        _EXPLAINED,
    )


@pytest.mark.parametrize("obj", [DecayAffineRight, DecayAffineNamesTheArrays])
def test_decay_affine_that_reads_params_passes(obj):
    passes("training.DecayAffine", obj)


def test_decay_affine_reference_passes():
    from nnscratch.exercises.training import decay_affine_exercise

    passes("training.DecayAffine", decay_affine_exercise.reference)


# --- 3. accuracy when there are as many samples as classes (N == C) ----------------------------


def accuracy_last_axis_is_c(scores, t):
    """Takes t for one-hot when its last axis has C entries: true of labels too when N == C."""
    if t.shape[-1] == scores.shape[1]:
        t = np.argmax(t, axis=-1)
    return float(np.mean(np.argmax(scores, axis=1) == t))


def accuracy_last_axis_is_c_axis1(scores, t):
    C = scores.shape[1]
    if t.shape[-1] == C:
        t = t.argmax(axis=1)
    return float(np.mean(np.argmax(scores, axis=1) == t))


def accuracy_ndim(scores, t):
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    return np.sum(np.argmax(scores, axis=1) == t) / len(scores)


def accuracy_same_shape(scores, t):
    if t.shape == scores.shape:
        t = t.argmax(axis=1)
    return float(np.mean(scores.argmax(axis=1) == t))


def accuracy_same_size(scores, t):
    if t.size == scores.size:
        t = t.argmax(axis=1)
    return float(np.mean(scores.argmax(axis=1) == t))


def accuracy_loop(scores, t):
    t = np.asarray(t)
    correct = 0
    for n in range(len(scores)):
        label = int(np.argmax(t[n])) if t.ndim > 1 else int(t[n])
        correct += int(np.argmax(scores[n]) == label)
    return correct / len(scores)


_SQUARE = "scores (3, 3), labels t (3,): as many samples as classes"


def test_labels_taken_for_one_hot_when_n_equals_c_fail():
    outcome = fails_on("lab1.accuracy", accuracy_last_axis_is_c, _SQUARE, "got 0.333333")
    assert not outcome.hint


def test_labels_taken_for_one_hot_with_axis_1_fail_with_the_axis_error():
    outcome = fails_on("lab1.accuracy", accuracy_last_axis_is_c_axis1, _SQUARE, "AxisError")
    assert "t.ndim == 2" in outcome.hint  # the known slip: argmax(axis=1) on a label vector


@pytest.mark.parametrize(
    "f",
    [accuracy_ndim, accuracy_same_shape, accuracy_same_size, accuracy_loop],
)
def test_accuracy_that_tells_labels_from_one_hot_passes(f):
    passes("lab1.accuracy", f)


def sizes_with_O_from_b2(params):
    """O read from b2, so b2 is never compared with W2's columns (held-out set K: the repair
    hint had found `b2.shape[0]` for `W2.shape[0]`, which passed every case then)."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    I, H = W1.shape
    if b1.shape != (H,) or W2.shape[0] != H:
        raise ValueError("the weights do not fit together")
    O = b2.shape[0]
    if b2.shape != (O,):
        raise ValueError("b2 is not 1-D")
    return I, H, O


def test_a_b2_never_compared_with_W2s_columns_fails():
    result = check("lab1.network_sizes", sizes_with_O_from_b2)
    assert not result.passed
    failed = [o.name for o in result.outcomes if not o.passed]
    assert failed == ["a hidden b2 of 3 numbers after a W2 with 2 columns"], str(result)


def fails_among(exercise_id, obj, case_start, *observed):
    """obj fails, among others, a case whose name starts with case_start, whose message holds
    each of `observed` (a slip that shows wherever an output is read)."""
    for seed in SEEDS:
        result = check(exercise_id, obj, seed=seed)
        named = [o for name, o in failed_cases(result).items() if name.startswith(case_start)]
        assert named, str(result)
        for piece in observed:
            assert piece in named[0].message or piece in (named[0].hint or ""), str(result)
    return named[0]


# --- 4. training.TwoLayerNet: predict gives scores, and the weights start random ---------------


class _NetBase:
    def _build(self, W1, W2, I, H, O):
        from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss

        self.layers = [Affine(W1, np.zeros(H)), Sigmoid(), Affine(W2, np.zeros(O))]
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def scores(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        return self.loss_layer.forward(self.scores(x), t)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


class NetPredictsProbabilities(_NetBase):
    """forward's loss is of the scores; predict adds a softmax the text does not ask for."""

    def __init__(self, I, H, O):
        rng = np.random.default_rng()
        self._build(0.01 * rng.standard_normal((I, H)), 0.01 * rng.standard_normal((H, O)), I, H, O)

    def predict(self, x):
        s = self.scores(x)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class NetAllZeroWeights(_NetBase):
    def __init__(self, I, H, O):
        self._build(np.zeros((I, H)), np.zeros((H, O)), I, H, O)

    def predict(self, x):
        return self.scores(x)


def test_a_net_whose_predict_gives_probabilities_fails():
    outcome = fails_among(
        "training.TwoLayerNet", NetPredictsProbabilities, "TwoLayerNet(2, 4, 3)", "`predict(x)`"
    )
    assert "leave it out of predict" in outcome.hint


def test_a_net_with_all_zero_weights_fails_on_its_start():
    # It failed before these changes too: the starting weights' standard deviation reads 0.
    fails_on("training.TwoLayerNet", NetAllZeroWeights, "a new TwoLayerNet(40, 60, 30)", "got 0")


# --- 5. cross_entropy_error with a single label given as a Python int ---------------------------


def ce_without_asarray(y, t):
    """Right for NumPy labels, whose single integer has .reshape and .size; an int has neither."""
    if y.ndim == 1:
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
        y = y.reshape(1, -1)
    if t.shape == y.shape:
        t = t.argmax(axis=1)
    N = y.shape[0]
    return -np.sum(np.log(y[np.arange(N), t] + 1e-7)) / N


def ce_atleast_1d(y, t):
    y, t = np.atleast_2d(y), np.atleast_1d(t)
    if t.ndim == 2 or t.size == y.size > 1:
        t = t.reshape(y.shape).argmax(axis=1)
    return float(-np.mean(np.log(y[np.arange(len(y)), t] + 1e-7)))


@pytest.mark.parametrize("f", [ce_without_asarray, ce_book])
def test_cross_entropy_that_needs_a_numpy_label_fails_on_an_int(f):
    """The text allows "a single integer for a single sample"; the book's version reshapes t
    as it comes, so it needs a NumPy integer there."""
    outcome = fails_on(
        "loss.cross_entropy_error",
        f,
        "one sample y (3,), a single label t as a Python int",
        "'int' object has no attribute",
    )
    assert "np.asarray(t)" in outcome.hint


def test_cross_entropy_that_takes_any_label_passes():
    from nnscratch.functions import cross_entropy_error

    passes("loss.cross_entropy_error", cross_entropy_error)
    passes("loss.cross_entropy_error", ce_atleast_1d)


# --- 6. a loss layer's forward returns one number, not an array of one --------------------------


def _returning(base, wrap):
    class Wrapped(base):
        def forward(self, x, t):
            return wrap(super().forward(x, t))

    Wrapped.__name__ = base.__name__
    return Wrapped


def _loss_layers():
    from nnscratch.exercises import lab3, layer_backprop, loss

    return {
        "loss.SoftmaxWithLoss": loss.softmax_with_loss_exercise.reference,
        "backprop.SoftmaxWithLoss": layer_backprop.swl_exercise.reference,
        "backprop.MeanSquaredLoss": next(
            e.reference for e in layer_backprop.EXERCISES if e.id == "backprop.MeanSquaredLoss"
        ),
        "lab3.SigmoidWithLoss": lab3.binary_loss_exercise.reference,
    }


LOSS_LAYERS = (
    "loss.SoftmaxWithLoss",
    "backprop.SoftmaxWithLoss",
    "backprop.MeanSquaredLoss",
    "lab3.SigmoidWithLoss",
)


@pytest.mark.parametrize("exercise_id", LOSS_LAYERS)
@pytest.mark.parametrize("wrap", [lambda L: np.array([L]), lambda L: np.reshape(L, (1,))])
def test_a_loss_in_an_array_of_one_fails(exercise_id, wrap):
    cls = _returning(_loss_layers()[exercise_id], wrap)
    outcome = fails_among(exercise_id, cls, "", "`forward(x, t) is a single number`")
    assert not outcome.hint


@pytest.mark.parametrize("exercise_id", LOSS_LAYERS)
@pytest.mark.parametrize("wrap", [float, np.float64, np.asarray, np.float32])
def test_a_loss_as_a_number_or_0d_array_passes(exercise_id, wrap):
    passes(exercise_id, _returning(_loss_layers()[exercise_id], wrap))


# --- 7. sigmoid of a single number, and affine of a batch of one --------------------------------


def sigmoid_atleast_1d(x):
    return 1 / (1 + np.exp(-np.atleast_1d(x)))


def affine_squeezed(x, W, b):
    return (x @ W + b).squeeze()


def test_a_sigmoid_that_makes_a_number_an_array_fails():
    fails_on("inference.sigmoid", sigmoid_atleast_1d, "a single number", "'(1,)'")


def test_an_affine_that_squeezes_a_batch_of_one_fails():
    fails_on(
        "inference.affine",
        affine_squeezed,
        "a batch of one",
        "has shape (2,), but should have shape (1, 2)",
    )


@pytest.mark.parametrize(
    ("exercise_id", "f"),
    [
        ("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x))),
        ("inference.sigmoid", lambda x: np.exp(-np.logaddexp(0, -x))),
        ("inference.affine", lambda x, W, b: x @ W + b),
        ("inference.affine", lambda x, W, b: np.dot(x, W) + b),
        ("inference.affine", lambda x, W, b: np.matmul(x, W) + b.reshape(1, -1)[0]),
    ],
)
def test_sigmoid_and_affine_that_keep_shapes_pass(exercise_id, f):
    passes(exercise_id, f)


# --- 8. numerical_diff with the text's step h = 1e-4 --------------------------------------------


def diff_ten_e_minus_4(f, x):
    h = 10e-4  # 10 × 10⁻⁴ = 1e-3
    return (f(x + h) - f(x - h)) / (2 * h)


def diff_small_step(f, x):
    h = 1e-5
    return (f(x + h) - f(x - h)) / (2 * h)


def diff_step_relative_to_x(f, x):
    h = 1e-4 * x
    return (f(x + h) - f(x - h)) / (2 * h)


_H_CASE = "the step h = 1e-4 of the text"


@pytest.mark.parametrize("f", [diff_ten_e_minus_4, diff_small_step])
def test_a_central_difference_with_another_h_fails(f):
    outcome = fails_on("gradients.numerical_diff", f, _H_CASE, "`slope of x³ at x = 0`")
    assert "use h = 1e-4" in outcome.hint


def test_a_step_proportional_to_x_fails_at_zero():
    outcome = fails_on(
        "gradients.numerical_diff", diff_step_relative_to_x, _H_CASE, "ZeroDivisionError"
    )
    assert "h must not be 0" in outcome.hint


@pytest.mark.parametrize(
    "f",
    [
        lambda f, x: (f(x + 1e-4) - f(x - 1e-4)) / 2e-4,
        lambda f, x: (f(x + 0.0001) - f(x - 0.0001)) / (2 * 0.0001),
        lambda f, x, h=1e-4: 0.5 * (f(x + h) - f(x - h)) / h,
    ],
)
def test_a_central_difference_with_h_1e_4_passes(f):
    passes("gradients.numerical_diff", f)


# --- 9. backprop.Affine computes with the arrays in params --------------------------------------


class AffineCopiesAtInit:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.W, self.b = W.copy(), b.copy()

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ self.W.T


class AffineCopiesWForBackward(AffineCopiesAtInit):
    """forward reads params; backward's dx uses the copy of W."""

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b


class AffineNamesTheArrays(AffineCopiesAtInit):
    """self.W and self.b are the very arrays in params: right."""

    def __init__(self, W, b):
        super().__init__(W, b)
        self.W, self.b = W, b


class AffineKeepsAView(AffineCopiesAtInit):
    """A view of b (a reshape) sees every change made to b in place: right."""

    def __init__(self, W, b):
        super().__init__(W, b)
        self.W, self.b = W, b.reshape(1, -1)


_AFFINE_UPDATED = "W and b changed in place between two rounds"


def test_an_affine_that_computes_with_copies_fails():
    fails_on(
        "backprop.Affine", AffineCopiesAtInit, _AFFINE_UPDATED, "`forward(x)`", "the very W and b"
    )


def test_an_affine_whose_backward_uses_a_copy_of_w_fails():
    fails_on(
        "backprop.Affine", AffineCopiesWForBackward, _AFFINE_UPDATED, "`dx`", "the very W and b"
    )


@pytest.mark.parametrize("cls", [AffineNamesTheArrays, AffineKeepsAView])
def test_an_affine_that_computes_with_the_arrays_in_params_passes(cls):
    passes("backprop.Affine", cls)


# --- 10. train_test_split when round(test_fraction * N) is 0 -------------------------------------


def split_from_the_end(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[-n_test:], order[:-n_test]
    return (x[train], t[train]), (x[test], t[test])


def split_n_train(x, t, test_fraction, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n_train = len(x) - round(test_fraction * len(x))
    return (x[order[:n_train]], t[order[:n_train]]), (x[order[n_train:]], t[order[n_train:]])


def test_a_split_that_slices_from_the_end_fails_without_test_points():
    outcome = fails_on(
        "lab3.train_test_split", split_from_the_end, "20 points, test_fraction 0.02", "expected 20"
    )
    assert "order[:n_test]" in outcome.hint


def test_a_split_that_counts_the_training_points_passes():
    passes("lab3.train_test_split", split_n_train)
