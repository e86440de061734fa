"""TwoLayerNet: Affine -> Sigmoid -> Affine, with a Softmax-with-Loss layer for learning."""

import numpy as np

from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss


class TwoLayerNet:
    def __init__(
        self, input_size, hidden_size, output_size, weight_std=0.01, rng=None, dtype=np.float64
    ):
        """rng: a seed or np.random.Generator; the global RNG is never touched.

        dtype: of every weight (np.float32 halves the memory; same seed, same weights rounded).
        """
        rng = np.random.default_rng(rng)
        I, H, O = input_size, hidden_size, output_size
        W1 = (weight_std * rng.standard_normal((I, H))).astype(dtype, copy=False)
        b1 = np.zeros(H, dtype=dtype)
        W2 = (weight_std * rng.standard_normal((H, O))).astype(dtype, copy=False)
        b2 = np.zeros(O, dtype=dtype)

        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.loss_layer = SoftmaxWithLoss()

        # Gather every layer's own arrays (list +=): the model and its layers share them.
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x):
        """x (N, I) -> scores (N, O) (not probabilities)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        """-> mean loss over the batch."""
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout=1):
        """Fills every layer's grads (so self.grads) and returns dL/dx."""
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout
