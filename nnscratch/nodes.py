"""Computation-graph nodes with the book's contract: params, grads, forward, backward.

Each node is one operation. forward computes its output(s) and keeps what backward needs;
backward receives the upstream gradient dL/d(output) and returns dL/d(input) for every
input: the upstream gradient times the node's local derivative. Nodes without weights
carry empty params and grads lists, exactly like the layers in nnscratch.layers.
"""

import numpy as np


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


def affine_sum_trace(x, W, b):
    """Run L = Sum(MatMul(x) + Repeat(b)) node by node, forward then backward.

    x (N, D), W (D, H), b (1, H); with H = 1 the final Sum is the scalar loss L.
    Returns the list of events in the order they happen; each is a dict with
    "phase" ("forward" or "backward"), "node" (the node that just ran), "text" (what it
    did, in words), and "values" (edge name -> forward value) or "grads" (edge name ->
    dL/d(that edge's value)). Edge names: "x", "W", "b", "xW", "b_rep", "y", "L".
    """
    N = x.shape[0]
    matmul, repeat, add, total = MatMul(W), Repeat(N), Add(), Sum()
    events = [{"phase": "forward", "node": None, "values": {"x": x, "W": W, "b": b},
               "text": "the inputs x, W and b are known"}]
    xW = matmul.forward(x)
    events.append({"phase": "forward", "node": "MatMul", "values": {"xW": xW},
                   "text": "MatMul computes x @ W"})
    b_rep = repeat.forward(b)
    events.append({"phase": "forward", "node": "Repeat", "values": {"b_rep": b_rep},
                   "text": f"Repeat copies the bias row {N} times"})
    y = add.forward(xW, b_rep)
    events.append({"phase": "forward", "node": "Add", "values": {"y": y},
                   "text": "Add adds the two, element by element"})
    L = total.forward(y)
    events.append({"phase": "forward", "node": "Sum", "values": {"L": L},
                   "text": "Sum adds the rows: the loss L"})
    dL = np.ones_like(L)
    events.append({"phase": "backward", "node": None, "grads": {"L": dL},
                   "text": "backward starts with dL/dL = 1"})
    dy = total.backward(dL)
    events.append({"phase": "backward", "node": "Sum", "grads": {"y": dy},
                   "text": "Sum's backward repeats the gradient for every row"})
    dxW, db_rep = add.backward(dy)
    events.append({"phase": "backward", "node": "Add", "grads": {"xW": dxW, "b_rep": db_rep},
                   "text": "Add passes the gradient unchanged to both inputs"})
    db = repeat.backward(db_rep)
    events.append({"phase": "backward", "node": "Repeat", "grads": {"b": db},
                   "text": "Repeat's backward sums the copies' gradients"})
    dx = matmul.backward(dxW)
    events.append({"phase": "backward", "node": "MatMul", "grads": {"x": dx, "W": matmul.grads[0].copy()},
                   "text": "MatMul: dx = dout @ W.T and dW = x.T @ dout"})
    return events
