"""Optimizers: update a model's parameters in place from its gradients."""


class SGD:
    """Stochastic gradient descent: W <- W - lr * dW, for every parameter."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """params, grads: lists of arrays, pairwise the same shape; each param changes in place."""
        for param, grad in zip(params, grads):
            param -= self.lr * grad  # in place: the layers and the model's lists keep seeing it
