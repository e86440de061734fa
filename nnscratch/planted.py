"""A colleague's two-layer network, for the bug hunt of Chapter 6.

PlantedNet runs Affine -> Sigmoid -> Affine -> Softmax with Loss like TwoLayerNet, but it is
built from four layer classes written in different styles. The forward passes are all
correct, so the network predicts and reports its loss as it should. Whether its gradients
are right is for a gradient check to say.
"""

import numpy as np

from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.network import TwoLayerNet


class LoopAffine:
    """x @ W + b, with a backward that goes through the batch one sample at a time."""

    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, b = self.params
        dW = np.zeros_like(W)
        db = np.zeros_like(b)
        for n in range(len(dout)):
            dW += np.outer(self.x[n], dout[n])
            db = dout[n]
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dout @ W.T


class Logistic:
    """The logistic (sigmoid) function as a layer."""

    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.out = None

    def forward(self, x):
        self.x = x
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class FastAffine:
    """x @ W + b, vectorised."""

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
        self.grads[0][...] = np.dot(dout.T, self.x)
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.dot(dout, W.T)


class ScoreLoss:
    """Softmax and cross entropy together, for integer labels t."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.y = softmax(x)
        self.t = t
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx * dout


class PlantedNet(TwoLayerNet):
    """TwoLayerNet's predict, forward and backward, on layers made from layer_classes.

    PlantedNet(W1, b1, W2, b2) uses the arrays it is given as its weights. A subclass can
    swap in other layer classes by setting layer_classes.
    """

    layer_classes = (LoopAffine, Logistic, FastAffine, ScoreLoss)

    def __init__(self, W1, b1, W2, b2):
        Affine1, Activation, Affine2, Loss = self.layer_classes
        self.layers = [Affine1(W1, b1), Activation(), Affine2(W2, b2)]
        self.loss_layer = Loss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads


def example(seed: int = 0, N: int = 5):
    """Weights and a mini-batch for PlantedNet: W1 (2, 3), b1 (3,), W2 (3, 3), b2 (3,),
    x (N, 2) and integer labels t (N,) of 3 classes."""
    rng = np.random.default_rng(seed)
    weights = (
        rng.standard_normal((2, 3)),
        rng.standard_normal(3),
        rng.standard_normal((3, 3)),
        rng.standard_normal(3),
    )
    return weights, rng.standard_normal((N, 2)), rng.integers(0, 3, size=N)
