"""Computation-graph nodes with the book's contract: params, grads, forward, backward.

Each node is one operation. forward computes its output(s) and keeps what backward needs;
backward receives the upstream gradient dL/d(output) and returns dL/d(input) for every
input: the upstream gradient times the node's local derivative. Nodes without weights
carry empty params and grads lists, exactly like the layers in nnscratch.layers.
"""

from dataclasses import dataclass

import numpy as np

from nnscratch.functions import cross_entropy_error

DELTA = 1e-7  # the same small number cross_entropy_error adds inside the log


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
        return -self.t / (self.y + DELTA) * dout / N


@dataclass(frozen=True)
class Step:
    """One node of a graph: which named values it reads and which it produces."""

    name: str  # the node's name in figures, e.g. "MatMul"
    node: object
    inputs: tuple  # names of the values passed to forward
    outputs: tuple  # names of the values forward returns
    forward_text: str = ""
    backward_text: str = ""
    params: tuple = ()  # names for the node's params (their gradients come from node.grads)
    targets: tuple = ()  # names of extra forward arguments that get no gradient (labels)


def run_graph(steps: list[Step], inputs: dict, loss: str, dout=None) -> list[dict]:
    """Run the graph forward step by step, then backward in reverse; record every event.

    inputs maps each starting value's name to its value (params included, for display).
    loss names the final value; backward starts there with dout (default dL/dL = 1; give
    an upstream gradient to run a single layer as part of a bigger graph). Every value
    must feed exactly one node: a value used twice goes through a Branch (or Repeat) node,
    whose backward adds the gradients up.

    Returns a list of events, each a dict: "phase" ("forward"/"backward"), "node" (the name
    of the node that ran, None for the start of a phase), "text" (what happened, in words),
    and "values" (name -> forward value) or "grads" (name -> dL/d(that value)).
    """
    used = [name for step in steps for name in step.inputs]
    if len(used) != len(set(used)):
        raise ValueError("a value feeds two nodes: send it through a Branch node instead")
    values = dict(inputs)
    events = [{"phase": "forward", "node": None, "values": dict(inputs),
               "text": "the inputs are known"}]
    for step in steps:
        out = step.node.forward(*(values[name] for name in step.inputs + step.targets))
        out = out if len(step.outputs) > 1 else (out,)
        new = dict(zip(step.outputs, out))
        values.update(new)
        events.append({"phase": "forward", "node": step.name, "values": new, "text": step.forward_text})
    start = np.ones_like(values[loss], dtype=float) if dout is None else dout
    grads = {loss: start}
    events.append({"phase": "backward", "node": None, "grads": dict(grads),
                   "text": "backward starts at the loss: dL/dL = 1" if dout is None
                   else "backward starts with the upstream gradient dout"})
    for step in reversed(steps):
        back = step.node.backward(*(grads[name] for name in step.outputs))
        back = back if len(step.inputs) > 1 else (back,)
        new = dict(zip(step.inputs, back))
        new.update({name: g.copy() for name, g in zip(step.params, step.node.grads)})
        grads.update(new)
        events.append({"phase": "backward", "node": step.name, "grads": new, "text": step.backward_text})
    return events


def affine_sum_trace(x, W, b) -> list[dict]:
    """The events of L = Sum(MatMul(x) + Repeat(b)): x (N, D), W (D, H), b (1, H); H = 1 makes
    L a scalar. Value names: "x", "W", "b", "xW", "b_rep", "y", "L"."""
    N = x.shape[0]
    steps = [
        Step("MatMul", MatMul(W), ("x",), ("xW",), "MatMul computes x @ W",
             "MatMul: dx = dout @ W.T, and dW = x.T @ dout into grads[0]", params=("W",)),
        Step("Repeat", Repeat(N), ("b",), ("b_rep",), f"Repeat stacks {N} copies of the bias row",
             "Repeat sums the copies' gradients"),
        Step("Add", Add(), ("xW", "b_rep"), ("y",), "Add adds, element by element",
             "Add passes the gradient unchanged to both inputs"),
        Step("Sum", Sum(), ("y",), ("L",), "Sum adds the rows: the loss L",
             "Sum sends the gradient back to every row"),
    ]
    return run_graph(steps, {"x": x, "W": W, "b": b}, "L")


def add_mul_trace(x, y, w) -> list[dict]:
    """The events of L = (x + y) * w, with numbers. Value names: "x", "y", "w", "z", "L"."""
    steps = [
        Step("Add", Add(), ("x", "y"), ("z",), "Add: z = x + y", "Add passes dL/dz to x and y"),
        Step("Mul", Mul(), ("z", "w"), ("L",), "Mul: L = z * w",
             "Mul: dL/dz = dL/dL * w and dL/dw = dL/dL * z"),
    ]
    return run_graph(steps, {"x": x, "y": y, "w": w}, "L")


def used_twice_trace(x, y) -> list[dict]:
    """The events of L = x * y + x, where x is used twice (through a Branch).
    Value names: "x", "x1", "x2", "y", "z", "L"."""
    steps = [
        Step("Branch", Branch(), ("x",), ("x1", "x2"), "Branch sends x down two paths",
             "Branch adds the gradients of both paths"),
        Step("Mul", Mul(), ("x1", "y"), ("z",), "Mul: z = x1 * y", "Mul: dx1 = dz * y, dy = dz * x1"),
        Step("Add", Add(), ("z", "x2"), ("L",), "Add: L = z + x2", "Add passes dL to z and x2"),
    ]
    return run_graph(steps, {"x": x, "y": y}, "L")


def sigmoid_trace(x, dout=1.0) -> list[dict]:
    """The sigmoid y = 1 / (1 + e^(-x)) as four nodes: a = -x, b = e^a, c = b + 1, y = 1/c.
    Value names: "x", "-1", "a", "b", "1", "c", "y"; backward starts with dout at y."""
    steps = [
        Step("neg", Mul(), ("x", "-1"), ("a",), "×(−1): a = −x", "×(−1): times −1"),
        Step("exp", Exp(), ("a",), ("b",), "exp: b = e^a", "exp: times e^a = b"),
        Step("plus1", Add(), ("b", "1"), ("c",), "+1: c = b + 1", "+1: passes the gradient on"),
        Step("recip", Reciprocal(), ("c",), ("y",), "1/c: y = 1/c", "1/c: times −1/c² = −y²"),
    ]
    return run_graph(steps, {"x": np.float64(x), "-1": -1.0, "1": 1.0}, "y", dout=dout)


def affine_trace(x, W, b, dout) -> list[dict]:
    """The Affine layer y = x @ W + b as MatMul, Repeat (of the bias row) and Add, with an
    upstream gradient dout (N, H). x (N, D), W (D, H), b (1, H).
    Value names: "x", "W", "b", "xW", "b_rep", "y"."""
    N = x.shape[0]
    steps = [
        Step("MatMul", MatMul(W), ("x",), ("xW",), "MatMul: x @ W", "MatMul: dx = dout W^T, dW = x^T dout",
             params=("W",)),
        Step("Repeat", Repeat(N), ("b",), ("b_rep",), f"Repeat: {N} copies of b",
             "Repeat: db = the sum of the copies' gradients"),
        Step("Add", Add(), ("xW", "b_rep"), ("y",), "Add: y = xW + b", "Add: passes dout to both"),
    ]
    return run_graph(steps, {"x": x, "W": W, "b": b}, "y", dout=dout)


def softmax_with_loss_trace(s, t) -> list[dict]:
    """Softmax, then cross entropy, as two nodes: scores s (N, C), one-hot t (N, C).
    Value names: "s", "y", "t", "L"."""
    from nnscratch.activation_layers import Softmax

    steps = [
        Step("Softmax", Softmax(), ("s",), ("y",), "Softmax: probabilities y",
             "Softmax: its backward turns -t/y into y - t"),
        Step("CrossEntropy", CrossEntropy(), ("y",), ("L",), "Cross entropy: the loss L",
             "Cross entropy: dL/dy = -t / y / N", targets=("t",)),
    ]
    return run_graph(steps, {"s": s, "t": t}, "L")
