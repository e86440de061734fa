"""Computation-graph nodes with the book's contract: params, grads, forward, backward.

Each node is one operation. forward computes its output(s) and keeps what backward needs;
backward receives the upstream gradient dL/d(output) and returns dL/d(input) for every
input: the upstream gradient times the node's local derivative. Nodes without weights
carry empty params and grads lists, exactly like the layers in nnscratch.layers.
"""

import numpy as np

from nnscratch.functions import cross_entropy_error


class Add:
    """z = x + y, element by element."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        """x, y same shape -> z, same shape."""
        return x + y

    def backward(self, dout):
        """dz -> (dx, dy): dz/dx = dz/dy = 1, so the upstream gradient passes unchanged."""
        return dout, dout


class Mul:
    """z = x * y, element by element."""

    def __init__(self):
        self.params, self.grads = [], []
        self.x = self.y = None

    def forward(self, x, y):
        """x, y same shape -> z, same shape. Keeps x and y: each is the other's derivative."""
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        """dz -> (dx, dy) = (dz * y, dz * x): the inputs swap places."""
        return dout * self.y, dout * self.x


class Branch:
    """One value sent down two paths (a copy node): (x, x)."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        """x -> (x, x), the same value on both outgoing edges."""
        return x, x

    def backward(self, dout1, dout2):
        """Gradients arriving from both paths -> dx = dout1 + dout2 (they add up, never replace)."""
        return dout1 + dout2


Copy = Branch  # the same node under the name some texts use


class Repeat:
    """N copies of a row: the N-way generalisation of Branch."""

    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        """x (1, D) -> (N, D), every row a copy of x."""
        return np.repeat(x, self.N, axis=0)

    def backward(self, dout):
        """dout (N, D) -> dx (1, D): the N copies' gradients summed (keepdims keeps the row shape)."""
        return np.sum(dout, axis=0, keepdims=True)


class Sum:
    """Sum over the rows (axis 0): Repeat's mirror image."""

    def __init__(self):
        self.params, self.grads = [], []
        self.N = None

    def forward(self, x):
        """x (N, D) -> (1, D). Remembers N for backward."""
        self.N = x.shape[0]
        return np.sum(x, axis=0, keepdims=True)

    def backward(self, dout):
        """dout (1, D) -> dx (N, D): every row contributed with derivative 1, so it gets dout."""
        return np.repeat(dout, self.N, axis=0)


class MatMul:
    """y = x @ W, with W a parameter."""

    def __init__(self, W):
        """W (D, H). params holds this very array; grads holds one zero array of its shape."""
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None

    def forward(self, x):
        """x (N, D) -> y (N, H)."""
        (W,) = self.params
        self.x = x
        return x @ W

    def backward(self, dout):
        """dout (N, H) -> dx (N, D) = dout W^T; writes dW (D, H) = x^T dout into grads[0]."""
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout  # in place: a model's gathered list aliases this array
        return dout @ W.T


class Exp:
    """y = e^x, element by element."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x any shape -> same shape. Keeps the output: it is also the derivative."""
        self.out = np.exp(x)
        return self.out

    def backward(self, dout):
        """dy/dx = e^x = y."""
        return dout * self.out


class Reciprocal:
    """y = 1 / x, element by element."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x any shape (no zeros) -> same shape."""
        self.out = 1 / x
        return self.out

    def backward(self, dout):
        """dy/dx = -1 / x^2 = -y^2."""
        return -dout * self.out**2


class CrossEntropy:
    """L = mean over the batch of -sum_k t_k log y_k, for probabilities y and labels t."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = self.t = None

    def forward(self, y, t):
        """y (N, C) probabilities, t one-hot (N, C) -> mean loss (a float)."""
        self.y, self.t = y, t
        return cross_entropy_error(y, t)

    def backward(self, dout=1):
        """-> dy (N, C) = -t / y * dout / N: large where the right class got a small probability."""
        N = self.y.shape[0]
        return -self.t / (self.y + 1e-7) * dout / N  # 1e-7: as inside cross_entropy_error's log
