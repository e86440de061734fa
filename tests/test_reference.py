"""The package's reference layers: golden values and numerical-gradient checks."""

import numpy as np
import pytest

from nnscratch import (Affine, Sigmoid, SoftmaxWithLoss, TwoLayerNet, cross_entropy_error,
                       numerical_gradient, sigmoid, softmax)


def relative_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def test_sigmoid_golden_values_and_extremes():
    # The book's 1 / (1 + np.exp(-x)): at -1000 the exponential overflows (NumPy says so, as
    # Chapter 1 tells the learner) and 1 / inf is exactly 0, the right limit.
    with pytest.warns(RuntimeWarning, match="overflow"):
        y = sigmoid(np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0]))
    assert np.allclose(y, [0.0, 0.26894142, 0.5, 0.73105858, 1.0])
    assert y[0] == 0.0 and y[-1] == 1.0


def test_softmax_rows_sum_to_one_and_survive_large_scores():
    x = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    y = softmax(x)
    assert np.allclose(y.sum(axis=1), 1)
    assert np.allclose(y[0], [0.09003057, 0.24472847, 0.66524096])


def test_cross_entropy_accepts_one_hot_and_labels():
    y = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])
    one_hot = np.array([[0, 1, 0], [0, 0, 1]])
    expected = -(np.log(0.7) + np.log(0.4)) / 2
    assert cross_entropy_error(y, one_hot) == pytest.approx(expected, rel=1e-6)
    assert cross_entropy_error(y, np.array([1, 2])) == pytest.approx(expected, rel=1e-6)
    assert cross_entropy_error(y[0], 1) == pytest.approx(-np.log(0.7), rel=1e-6)
    assert np.isfinite(cross_entropy_error(np.array([1.0, 0.0]), 1))


def test_affine_params_are_the_arrays_passed_in():
    W, b = np.ones((2, 3)), np.zeros(3)
    layer = Affine(W, b)
    assert layer.params[0] is W and layer.params[1] is b
    W += 1
    assert np.allclose(layer.forward(np.ones((1, 2))), 4)


@pytest.mark.parametrize("seed", [0, 1])
def test_two_layer_net_gradients_match_numerical(seed):
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(3, 5, 4, weight_std=1.0, rng=rng)
    for p in net.params:
        p[...] = rng.standard_normal(p.shape)
    x, t = rng.standard_normal((6, 3)), rng.integers(0, 4, size=6)
    net.forward(x, t)
    net.backward()
    for p, g in zip(net.params, net.grads):
        numeric = numerical_gradient(lambda _: net.forward(x, t), p)
        assert relative_error(g, numeric) < 1e-5  # the loss adds delta=1e-7 inside log


def test_grads_alias_the_layers_arrays_after_backward():
    net = TwoLayerNet(2, 3, 2, rng=0)
    grads_before = list(net.grads)
    net.forward(np.ones((4, 2)), np.array([0, 1, 0, 1]))
    net.backward()
    assert all(a is b for a, b in zip(grads_before, net.grads))
    assert net.grads[0] is net.layers[0].grads[0]
    assert np.abs(net.grads[0]).sum() > 0


def test_layer_backward_matches_numerical():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 3))
    dout = rng.standard_normal((4, 3))
    layer = Sigmoid()
    layer.forward(x)
    dx = layer.backward(dout)
    numeric = numerical_gradient(lambda v: np.sum(Sigmoid().forward(v) * dout), x.copy())
    assert relative_error(dx, numeric) < 1e-6

    loss = SoftmaxWithLoss()
    t = np.array([0, 2, 1, 1])
    loss.forward(x, t)
    dx = loss.backward()
    numeric = numerical_gradient(lambda v: SoftmaxWithLoss().forward(v, t), x.copy())
    assert relative_error(dx, numeric) < 1e-5


def test_library_never_touches_the_global_rng():
    state = np.random.get_state()[1].copy()
    TwoLayerNet(2, 3, 2)
    assert np.array_equal(state, np.random.get_state()[1])
