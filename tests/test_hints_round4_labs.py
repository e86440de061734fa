"""Issue 11, a fourth round, on the labs and Chapter 7: slips learners make (a layer skipped or
fed x, a bias subtracted, a loop that starts at 1 or stops a batch early, an axis or a sign
slipped, a list aliased or copied), each now a mistake with its own implementation, and a few
that were named before. Each wrong answer is written as learners write it and shows the one
hint it must show (or none, where its evidence is shared or a coincidence), and no other
mistake's hint."""

import numpy as np
import pytest

from nnscratch.grader import check
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from tests.hint_tables import assert_only_hint


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# Lab 1


def network_sizes_checking(fits):
    """A network_sizes whose check is fits(W1, b1, W2, b2, H, O) (True: no ValueError)."""

    def network_sizes(params):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        I, H = W1.shape
        O = W2.shape[1]
        if not fits(W1, b1, W2, b2, H, O):
            raise ValueError("the weights do not fit together")
        return I, H, O

    return network_sizes


def network_sizes_as_dict(params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,) or H2 != H or b2.shape != (O,):
        raise ValueError("the weights do not fit together")
    return {"I": I, "H": H, "O": O}


def predict_by_slices(starts, stop):
    """A predict_in_batches over x[start:stop(start, batch_size)] for start in starts(N, B)."""

    def predict_in_batches(predict, x, batch_size):
        classes = []
        for start in starts(len(x), batch_size):
            classes.append(np.argmax(predict(x[start : stop(start, batch_size)]), axis=1))
        return np.concatenate(classes)

    return predict_in_batches


def predict_last_batch_only(predict, x, batch_size):
    for start in range(0, len(x), batch_size):
        classes = np.argmax(predict(x[start : start + batch_size]), axis=1)
    return classes


def predict_argmax_flat(predict, x, batch_size):
    classes = []
    for start in range(0, len(x), batch_size):
        classes.append(np.argmax(predict(x[start : start + batch_size])))
    return np.array(classes)


def predict_whole_x(predict, x, batch_size):
    classes = []
    for start in range(0, len(x), batch_size):
        classes.append(np.argmax(predict(x), axis=1)[start : start + batch_size])
    return np.concatenate(classes)


def labels_of(t):
    return np.argmax(t, axis=1) if np.ndim(t) == 2 else t


def counting(where):
    """A confusion_matrix adding 1 at where(true, predicted), a list of (row, column)."""

    def confusion_matrix(labels, predicted, n_classes):
        counts = np.zeros((n_classes, n_classes), dtype=int)
        for i, j in zip(labels, predicted):
            for row, column in where(i, j):
                counts[row, column] += 1
        return counts

    return confusion_matrix


def confusion_one_short(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for k in range(len(labels) - 1):
        counts[labels[k], predicted[k]] += 1
    return counts


def softmax_rows(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


LAB1 = [
    (
        "lab1.network_sizes",
        network_sizes_checking(lambda W1, b1, W2, b2, H, O: b1.shape == (H,) and W2.shape[0] == H),
        "a b2 of shape (1, 2) got through",
    ),
    (
        "lab1.network_sizes",
        network_sizes_checking(lambda W1, b1, W2, b2, H, O: b1.shape == (H,) and b2.shape == (O,)),
        "a W2 with 3 rows after 4 hidden neurons",
    ),
    (
        "lab1.network_sizes",
        network_sizes_checking(
            lambda W1, b1, W2, b2, H, O: b1.size == H and W2.shape[0] == H and b2.size == O
        ),
        ("a b1 of shape (4, 1) got through", "a b2 of shape (1, 2) got through: its size is 2"),
    ),
    ("lab1.network_sizes", network_sizes_as_dict, "not as a dictionary"),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b1"],
        "the output layer adds b1",
    ),
    ("lab1.forward", lambda x, p: sigmoid(x @ p["W1"] + p["b1"]), "that is the hidden layer's h"),
    (
        "lab1.forward",
        lambda x, p: sigmoid(sigmoid(x @ p["W1"] + p["b1"])) @ p["W2"] + p["b2"],
        "applied twice to the hidden layer",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x @ p["W1"] - p["b1"]) @ p["W2"] + p["b2"],
        "`x @ W1 - b1`",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] - p["b2"],
        "`h @ W2 - b2`",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x @ p["W1"] + p["b1"]) @ (p["W2"] + p["b2"]),
        "adds b2 to every row of W2",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x * p["W1"] + p["b1"]) @ p["W2"] + p["b2"],
        "multiplies element by element",
    ),
    (
        "lab1.forward",
        lambda x, p: (1 / np.exp(-(x @ p["W1"] + p["b1"]))) @ p["W2"] + p["b2"],
        "the hidden values here are e^a",
    ),
    (
        "lab1.forward",
        lambda x, p: (1 / (1 - np.exp(-(x @ p["W1"] + p["b1"])))) @ p["W2"] + p["b2"],
        "1 / (1 − e^(−a))",
    ),
    (
        "lab1.forward",
        lambda x, p: sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"],
        "the output layer's bias is missing",
    ),
    (
        "lab1.predict_in_batches",
        predict_by_slices(lambda n, b: range(0, n - b, b), lambda s, b: s + b),
        ("`range(0, len(x) - batch_size, batch_size)`", "the loop ran zero times"),
    ),
    (
        "lab1.predict_in_batches",
        predict_by_slices(lambda n, b: range(1, n, b), lambda s, b: s + b),
        "the loop starts at 1",
    ),
    (
        "lab1.predict_in_batches",
        predict_by_slices(lambda n, b: range(0, n, b), lambda s, b: s + b - 1),
        "each slice holds batch_size − 1 rows",
    ),
    (
        "lab1.predict_in_batches",
        predict_by_slices(lambda n, b: range(0, n, b), lambda s, b: b),
        "ends at batch_size whatever the start",
    ),
    (
        "lab1.predict_in_batches",
        predict_by_slices(lambda n, b: range(0, (n // b + 1) * b, b), lambda s, b: s + b),
        "are one too many",
    ),
    ("lab1.predict_in_batches", predict_last_batch_only, "only the last batch's classes"),
    ("lab1.predict_in_batches", predict_argmax_flat, "without an axis gives one number per batch"),
    ("lab1.predict_in_batches", predict_whole_x, "predict gets all of x at every pass"),
    (
        "lab1.predict_in_batches",
        lambda predict, x, b: np.concatenate(
            [np.argmax(predict(part), axis=1) for part in np.array_split(x, len(x) // b)]
        ),
        "np.array_split(x, k) cuts x into k pieces",
    ),
    (
        "lab1.predict_in_batches",
        lambda predict, x, b: np.argmax(predict(x), axis=1),
        "all the points went to predict in one call",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(np.argmax(s, axis=1) == (np.argmax(t) if np.ndim(t) == 2 else t)),
        "`np.argmax(t)` without an axis",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(
            np.argmax(s, axis=1) == (np.argmax(t, axis=0) if np.ndim(t) == 2 else t)
        ),
        "`np.argmax(t, axis=0)` runs down the columns",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(np.argmax(s, axis=1) == np.argmax(t, axis=1)),
        "t can also be a vector of labels",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(np.argmin(s, axis=1) == labels_of(t)),
        "`np.argmin` picks each row's lowest score",
    ),
    (
        "lab1.accuracy",
        lambda s, t: round(float(np.mean(np.argmax(s, axis=1) == labels_of(t))), 2),
        "the accuracy is rounded here",
    ),
    (
        "lab1.accuracy",
        lambda s, t: np.mean(np.argmax(s, axis=1) != labels_of(t)),
        "that is the error rate",
    ),
    (
        "lab1.confusion_matrix",
        counting(lambda i, j: [(i, i)]),
        "counted at (true class, true class)",
    ),
    (
        "lab1.confusion_matrix",
        counting(lambda i, j: [(j, j)]),
        "counted at (predicted class, predicted class)",
    ),
    (
        "lab1.confusion_matrix",
        counting(lambda i, j: [(i, j)] if i == j else []),
        "only the right predictions are counted",
    ),
    (
        "lab1.confusion_matrix",
        counting(lambda i, j: [(i, j)] if i != j else []),
        "only the wrong predictions are counted",
    ),
    (
        "lab1.confusion_matrix",
        counting(lambda i, j: [(i, j), (j, i)]),
        "every sample is counted twice",
    ),
    ("lab1.confusion_matrix", confusion_one_short, "the last sample is never counted"),
    (
        "lab1.confusion_matrix",
        lambda labels, predicted, n: counting(lambda i, j: [(i, j)])(labels, predicted, n + 1),
        "n_classes + 1 rows and columns",
    ),
    (
        "lab1.confusion_matrix",
        lambda labels, predicted, n: (
            counting(lambda i, j: [(i, j)])(labels, predicted, n) / len(labels)
        ),
        "divided by the number of samples",
    ),
    (
        "lab1.confusion_matrix",
        lambda labels, predicted, n: (lambda c: c / c.sum(axis=0, keepdims=True))(
            counting(lambda i, j: [(i, j)])(labels, predicted, n)
        ),
        "each column divided by its sum",
    ),
    (
        "lab1.confusion_matrix",
        lambda labels, predicted, n: np.bincount(labels + predicted * n, minlength=n * n).reshape(
            n, n
        ),
        "rows are the true classes",
    ),
    (
        "lab1.logsumexp_grad",
        lambda s: np.exp(s - s.max(axis=1, keepdims=True)),
        "not divided by the row's sum",
    ),
    (
        "lab1.logsumexp_grad",
        lambda s: np.exp(s - s.max(axis=1, keepdims=True)) / np.exp(s).sum(axis=1, keepdims=True),
        "subtracted above the line only",
    ),
    (
        "lab1.logsumexp_grad",
        lambda s: (lambda e: e / e.sum(axis=1, keepdims=True))(
            np.exp(s - s.max(axis=0, keepdims=True))
        ),
        "`s.max(axis=0)` is each column's largest score",
    ),
    (
        "lab1.logsumexp_grad",
        lambda s: softmax_rows(s) * (1 - softmax_rows(s)),
        "softmax(s) · (1 − softmax(s))",
    ),
    # Observed, not hinted: every value is the log of the right one.
    (
        "lab1.logsumexp_grad",
        lambda s: np.log(softmax_rows(s)),
        "`return s - logsumexp(s)[:, None]`",
    ),
]


# Lab 2


def layer(forward, backward):
    """A layer without weights: forward(x) -> y, backward(layer, dout) -> dx."""

    class Layer:
        def __init__(self):
            self.params, self.grads = [], []

        def forward(self, x):
            self.x = x
            self.out = forward(x)
            return self.out

        def backward(self, dout):
            return backward(self, dout)

    return Layer


def numerical_backward_reading(read):
    """A central difference of read(forward(x), dout, idx), one element of x at a time."""

    def numerical_backward(forward, x, dout, h=1e-4):
        dx = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            up = read(forward(x), dout, idx)
            x[idx] = old - h
            down = read(forward(x), dout, idx)
            x[idx] = old
            dx[idx] = (up - down) / (2 * h)
        return dx

    return numerical_backward


class ReLUFirstMaskOnly:
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        if self.mask is None:
            self.mask = x > 0
        return np.maximum(0, x)

    def backward(self, dout):
        return dout * self.mask


def relu(x):
    return np.maximum(0, x)


def elu(x):
    return np.where(x > 0, x, np.exp(x) - 1)


def relu_mask(self, dout):
    return dout * (self.x > 0)


def elu_slope(self, dout):
    return dout * np.where(self.x > 0, 1.0, np.exp(self.x))


def softmax_backward(self, dout):
    y = self.out
    return y * (dout - np.sum(dout * y, axis=1, keepdims=True))


def weighted(dout, y):
    return np.sum(dout * y, axis=1, keepdims=True)


LAB2 = [
    (
        "lab2.numerical_backward",
        numerical_backward_reading(lambda y, dout, idx: y[idx] * dout[idx]),
        "reads only output [idx]",
    ),
    (
        "lab2.numerical_backward",
        numerical_backward_reading(lambda y, dout, idx: np.mean(y * dout)),
        "takes the mean of forward(x)",
    ),
    ("lab2.ReLU", layer(relu, lambda self, d: d * self.x), "multiplies dout by x"),
    (
        "lab2.ReLU",
        layer(relu, lambda self, d: d * (d > 0) * (self.x > 0)),
        "also stops dout where dout < 0",
    ),
    ("lab2.ReLU", layer(lambda x: x > 0, relu_mask), "forward returns the mask x > 0"),
    (
        "lab2.ReLU",
        layer(lambda x: np.minimum(0, x), relu_mask),
        "`np.minimum(0, x)` keeps the negative part",
    ),
    (
        "lab2.ReLU",
        layer(lambda x: np.where(x > 0, x, 0.01 * x), relu_mask),
        "a leaky ReLU; ReLU gives 0",
    ),
    ("lab2.ReLU", layer(lambda x: np.max(0, x), relu_mask), "reads x as the axis"),
    ("lab2.ReLU", ReLUFirstMaskOnly, "the mask of the first forward"),
    (
        "lab2.Tanh",
        layer(np.tanh, lambda self, d: d * (1 - self.out * 2)),
        "`self.out * 2` doubles y",
    ),
    ("lab2.Tanh", layer(np.tanh, lambda self, d: d / (1 - self.out**2)), "dout · cosh²(x)"),
    ("lab2.Tanh", layer(np.tanh, lambda self, d: d * np.cosh(self.x) ** 2), "dout · cosh²(x)"),
    (
        "lab2.Tanh",
        layer(sigmoid, lambda self, d: d * (1 - self.out**2)),
        "forward computes the sigmoid",
    ),
    ("lab2.Tanh", layer(np.tanh, lambda self, d: d * (1 - self.x**2)), "1 - x**2 uses the input"),
    (
        "lab2.Softmax",
        layer(
            lambda x: (lambda e: e / e.sum(axis=0, keepdims=True))(
                np.exp(x - x.max(axis=1, keepdims=True))
            ),
            softmax_backward,
        ),
        "`axis=0` divides each column",
    ),
    ("lab2.Softmax", layer(np.exp, softmax_backward), "forward returns e^x, not divided"),
    (
        "lab2.Softmax",
        layer(softmax_rows, lambda self, d: self.out * (d - weighted(d, self.x))),
        "weighted by y, the probabilities, not by x",
    ),
    (
        "lab2.Softmax",
        layer(softmax_rows, lambda self, d: self.x * (d - weighted(d, self.out))),
        "the factor in front is y",
    ),
    (
        "lab2.Softmax",
        layer(softmax_rows, lambda self, d: self.out * (d + weighted(d, self.out))),
        "this is y * (dout + s)",
    ),
    (
        "lab2.Softmax",
        layer(
            softmax_rows,
            lambda self, d: self.out * (d - np.mean(d * self.out, axis=1, keepdims=True)),
        ),
        "`np.mean` divides the weighted sum by C",
    ),
    (
        "lab2.Softmax",
        layer(softmax_rows, lambda self, d: d - self.out * weighted(d, self.out)),
        "this is dout − y · s",
    ),
    # y·dout − y·Σy·dout is 0 everywhere, as softmax's dx for dout = 1 is: zeros name nothing.
    (
        "lab2.Softmax",
        layer(
            softmax_rows,
            lambda self, d: self.out * d - self.out * self.out.sum(axis=1, keepdims=True) * d,
        ),
        None,
    ),
    (
        "lab2.ELU",
        layer(lambda x: np.maximum(x, np.exp(x) - 1), elu_slope),
        "forward gives eˣ − 1 everywhere",
    ),
    (
        "lab2.ELU",
        layer(lambda x: np.where(x > 0, x, np.exp(x - 1)), elu_slope),
        "`np.exp(x - 1)` is e^(x − 1)",
    ),
    (
        "lab2.ELU",
        layer(
            lambda x: np.where(x > 0, x, 1 - np.exp(x)),
            lambda self, d: d * np.where(self.x > 0, 1, -np.exp(self.x)),
        ),
        "not 1 − eˣ",
    ),
    (
        "lab2.ELU",
        layer(lambda x: np.where(x > 0, x, 0.01 * x), elu_slope),
        "a leaky ReLU; ELU gives eˣ − 1",
    ),
    ("lab2.ELU", layer(elu, lambda self, d: d * (self.out + 1)), "holds for x ≤ 0 only"),
    (
        "lab2.ELU",
        layer(elu, lambda self, d: d * np.where(self.x > 0, 1, self.out - 1)),
        "not y − 1",
    ),
    (
        "lab2.ELU",
        layer(elu, lambda self, d: np.where(self.x > 0, d, d * self.x)),
        "this gives dout · x",
    ),
    (
        "lab2.ELU",
        layer(elu, lambda self, d: d * np.where(self.x > 0, np.exp(self.x), 1)),
        "the two sides are swapped in backward",
    ),
    (
        "lab2.ELU",
        layer(elu, lambda self, d: d * np.where(self.x > 0, 1, np.exp(self.x) - 1)),
        "which is y + 1, not y",
    ),
]


# Lab 3


def split_taking(n_test_of, train_from):
    """A train_test_split with n_test_of(test_fraction, N) test points and the training set
    from position train_from(n_test) of one permutation."""

    def train_test_split(x, t, test_fraction, rng):
        rng = np.random.default_rng(rng)
        order = rng.permutation(len(x))
        n_test = n_test_of(test_fraction, len(x))
        test, train = order[:n_test], order[train_from(n_test) :]
        return (x[train], t[train]), (x[test], t[test])

    return train_test_split


def class_map_picking(pick):
    def class_map(predict, xs, ys):
        X, Y = np.meshgrid(xs, ys)
        return pick(predict(np.column_stack([X.ravel(), Y.ravel()]))).reshape(len(ys), len(xs))

    return class_map


def class_map_scores(predict, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    return predict(np.column_stack([X.ravel(), Y.ravel()]))


def binary_loss(forward_loss=None, backward=None):
    """A SigmoidWithLoss whose forward returns forward_loss(p, t) and whose backward is
    backward(p, t, dout) (the right ones where None)."""

    class SigmoidWithLoss:
        def __init__(self):
            self.params, self.grads = [], []

        def forward(self, x, t):
            self.p, self.t = 1 / (1 + np.exp(-x)), t
            if forward_loss is not None:
                return forward_loss(self.p, t)
            return -np.mean(t * np.log(self.p) + (1 - t) * np.log(1 - self.p))

        def backward(self, dout=1):
            if backward is not None:
                return backward(self.p, self.t, dout)
            return (self.p - self.t) * dout / len(self.t)

    return SigmoidWithLoss


LAB3 = [
    (
        "lab3.train_test_split",
        split_taking(lambda f, n: int(f), lambda n: n),
        "the test set is empty",
    ),
    (
        "lab3.train_test_split",
        split_taking(lambda f, n: round(f * n), lambda n: n + 1),
        "starts one row after the test set ends",
    ),
    # Reshaped, the C classes of argmax(axis=0) raise: the reshape's hint says what it needs.
    (
        "lab3.class_map",
        class_map_picking(lambda s: np.argmax(s, axis=0)),
        "one class per grid point",
    ),
    (
        "lab3.class_map",
        class_map_picking(lambda s: np.argmin(s, axis=1)),
        "picks each point's lowest score",
    ),
    ("lab3.class_map", class_map_scores, "these are the scores of the grid points"),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(forward_loss=lambda p, t: -np.mean(t * np.log(p))),
        "−mean(t log p) alone",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(
            forward_loss=lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(1 - t + 1e-7))
        ),
        "−mean(t log p) alone",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(forward_loss=lambda p, t: -np.mean((1 - t) * np.log(p) + t * np.log(1 - p))),
        "the one for the other class",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(forward_loss=lambda p, t: -np.mean(t * np.log(1 - p) + (1 - t) * np.log(p))),
        "the one for the other class",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(backward=lambda p, t, dout: (-t / p + (1 - t) / (1 - p)) * dout / len(t)),
        "that is ∂L/∂p",
    ),
    (
        "lab3.SigmoidWithLoss",
        binary_loss(backward=lambda p, t, dout: (p - t) * dout),
        "N times too large",
    ),
]


# Chapter 7


def sgd(update):
    class MySGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            update(self.lr, params, grads)

    return MySGD


def sgd_step_of_param(lr, params, grads):
    for param, _grad in zip(params, grads):
        param -= lr * param  # the parameter where its gradient belongs


def sgd_sets_to_step(lr, params, grads):
    for param, grad in zip(params, grads):
        param[...] = lr * grad


def sgd_grads_reversed(lr, params, grads):
    for param, grad in zip(params, reversed(grads)):
        param -= lr * grad


class Net:
    """The chapter's network, as learners build it; each slip below overrides one method."""

    def __init__(self, input_size, hidden_size, output_size):
        I, H, O = input_size, hidden_size, output_size
        rng = np.random.default_rng()
        W1, b1 = 0.01 * rng.standard_normal((I, H)), np.zeros(H)
        W2, b2 = 0.01 * rng.standard_normal((H, O)), np.zeros(O)
        self.layers = self.build(W1, b1, W2, b2)
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def build(self, W1, b1, W2, b2):
        return [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


class NetFeedsXToEveryLayer(Net):
    def predict(self, x):
        for layer in self.layers:
            out = layer.forward(x)
        return out


class NetDoutNotPassedOn(Net):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dx = layer.backward(dout)
        return dx


class NetPredictSkipsLast(Net):
    def predict(self, x):
        for layer in self.layers[:-1]:
            x = layer.forward(x)
        return x


class NetLossOfX(Net):
    def forward(self, x, t):
        return self.loss_layer.forward(x, t)


class NetBackwardSkipsFirst(Net):
    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        return dout


class NetAppendsLists(Net):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__(input_size, hidden_size, output_size)
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params.append(layer.params)
            self.grads.append(layer.grads)


class NetWithoutSigmoid(Net):
    def build(self, W1, b1, W2, b2):
        return [Affine(W1, b1), Affine(W2, b2)]


def decay_affine(dW, dx=lambda x, W, dout: dout @ W.T):
    class DecayAffine:
        def __init__(self, W, b, decay):
            self.params = [W, b]
            self.grads = [np.zeros_like(W), np.zeros_like(b)]
            self.decay = decay
            self.x = None

        def forward(self, x):
            self.x = x
            return x @ self.params[0] + self.params[1]

        def backward(self, dout):
            W = self.params[0]
            self.grads[0][...] = dW(self.x, W, dout, self.decay)
            self.grads[1][...] = np.sum(dout, axis=0)
            return dx(self.x, W, dout)

    return DecayAffine


CHAPTER7 = [
    ("training.SGD", sgd(sgd_step_of_param), "the step here is lr · param"),
    ("training.SGD", sgd(sgd_sets_to_step), "replaces the parameter with the step"),
    ("training.SGD", sgd(sgd_grads_reversed), "pairs each parameter with another one's gradient"),
    ("training.TwoLayerNet", NetFeedsXToEveryLayer, "every layer gets x"),
    (
        "training.TwoLayerNet",
        NetDoutNotPassedOn,
        "every layer's backward gets the loss layer's dout",
    ),
    ("training.TwoLayerNet", NetPredictSkipsLast, "predict stops before the last layer"),
    ("training.TwoLayerNet", NetLossOfX, "the loss layer gets x, the input"),
    ("training.TwoLayerNet", NetBackwardSkipsFirst, "backward stops before the first layer"),
    ("training.TwoLayerNet", NetAppendsLists, "params holds one list per layer"),
    ("training.TwoLayerNet", NetWithoutSigmoid, "no Sigmoid between its two Affine layers"),
    (
        "training.DecayAffine",
        decay_affine(lambda x, W, dout, d: (1 + d) * (x.T @ dout)),
        "that is (1 + decay) · xᵀ dout",
    ),
    (
        "training.DecayAffine",
        decay_affine(lambda x, W, dout, d: d * (x.T @ dout) + W),
        "decay multiplies the wrong term",
    ),
    (
        "training.DecayAffine",
        decay_affine(lambda x, W, dout, d: x.T @ dout + d),
        "adds decay itself to every entry",
    ),
    (
        "training.DecayAffine",
        decay_affine(lambda x, W, dout, d: x.T @ dout + d * W, dx=lambda x, W, dout: dout @ W),
        "dx is `dout @ W.T`",
    ),
    (
        "training.DecayAffine",
        decay_affine(lambda x, W, dout, d: x.T @ dout),
        "dW is missing the penalty's share",
    ),
]

SLIPS = LAB1 + LAB2 + LAB3 + CHAPTER7


@pytest.mark.parametrize("exercise_id,obj,hint", SLIPS)
def test_a_slip_shows_only_its_own_hint(exercise_id, obj, hint):
    assert_only_hint(check(exercise_id, obj), hint)
