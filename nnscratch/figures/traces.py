"""Small graphs of nodes run step by step, for the figures of Chapters 5 and 6.

A graph is a list of GraphNode records: which node runs, which named values it reads and
which it produces. run_graph runs them forward, then backward, and records every event; the
figures draw those events, and draw their arrows from the same records (Trace.edges), so a
graph's shape is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnscratch.activation_layers import Softmax
from nnscratch.nodes import Add, Branch, CrossEntropy, Exp, MatMul, Mul, Reciprocal, Repeat, Sum


@dataclass(frozen=True)
class GraphNode:
    """One node placed in a graph: which named values it reads and which it produces."""

    name: str  # the node's name in figures, e.g. "MatMul"
    node: object
    inputs: tuple  # names of the values passed to forward
    outputs: tuple  # names of the values forward returns
    forward_text: str = ""
    backward_text: str = ""
    params: tuple = ()  # names for the node's params (their gradients come from node.grads)
    targets: tuple = ()  # names of extra forward arguments that get no gradient (labels)


class Trace(list):
    """The events of one run of a graph (a list, oldest first), and the graph that made them.

    Each event is a dict: "phase" ("forward"/"backward"), "node" (the name of the node that
    ran, None for the start of a phase), "text" (what happened, in words), and "values"
    (name -> forward value) or "grads" (name -> dL/d(that value)).
    """

    def __init__(self, events: list[dict], graph: list[GraphNode]):
        super().__init__(events)
        self.graph = tuple(graph)

    @property
    def edges(self) -> dict:
        """Value name -> (from, to): the node that makes it, or a start place of the same name,
        to the node that reads it, or an end place of the same name."""
        made_by = {v: g.name for g in self.graph for v in g.outputs}
        edges = {}
        for g in self.graph:
            for v in g.inputs + g.params + g.targets:
                edges[v] = (made_by.get(v, v), g.name)
        for v, maker in made_by.items():
            edges.setdefault(v, (maker, v))
        return edges


def run_graph(graph: list[GraphNode], inputs: dict, loss: str, dout=None) -> Trace:
    """Run the graph forward node by node, then backward in reverse; record every event.

    inputs maps each starting value's name to its value (params included, for display).
    loss names the final value; backward starts there with dout (default dL/dL = 1; give
    an upstream gradient to run a single layer as part of a bigger graph). Every value
    must feed exactly one node: a value used twice goes through a Branch (or Repeat) node,
    whose backward adds the gradients up.
    """
    used = [name for g in graph for name in g.inputs]
    if len(used) != len(set(used)):
        raise ValueError("a value feeds two nodes: send it through a Branch node instead")
    values = dict(inputs)
    events = [
        {"phase": "forward", "node": None, "values": dict(inputs), "text": "the inputs are known"}
    ]
    for g in graph:
        out = g.node.forward(*(values[name] for name in g.inputs + g.targets))
        new = dict(zip(g.outputs, out if len(g.outputs) > 1 else (out,)))
        values.update(new)
        events.append({"phase": "forward", "node": g.name, "values": new, "text": g.forward_text})
    start = np.ones_like(values[loss], dtype=float) if dout is None else dout
    grads = {loss: start}
    text = (
        "backward starts at the loss: dL/dL = 1"
        if dout is None
        else "backward starts with the upstream gradient dout"
    )
    events.append({"phase": "backward", "node": None, "grads": dict(grads), "text": text})
    for g in reversed(graph):
        back = g.node.backward(*(grads[name] for name in g.outputs))
        new = dict(zip(g.inputs, back if len(g.inputs) > 1 else (back,)))
        new.update({name: grad.copy() for name, grad in zip(g.params, g.node.grads)})
        grads.update(new)
        events.append({"phase": "backward", "node": g.name, "grads": new, "text": g.backward_text})
    return Trace(events, graph)


# --- the graphs the chapters draw ---------------------------------------------------------------


def affine_sum_trace(x, W, b) -> Trace:
    """L = Sum(MatMul(x) + Repeat(b)): x (N, D), W (D, H), b (1, H); H = 1 makes L a scalar.
    Value names: "x", "W", "b", "xW", "b_rep", "y", "L"."""
    N = x.shape[0]
    graph = [
        GraphNode("MatMul", MatMul(W), ("x",), ("xW",), "MatMul computes x @ W",
                  "MatMul: dx = dout @ W.T, and dW = x.T @ dout into grads[0]", params=("W",)),
        GraphNode("Repeat", Repeat(N), ("b",), ("b_rep",),
                  f"Repeat stacks {N} copies of the bias row", "Repeat sums the copies' gradients"),
        GraphNode("Add", Add(), ("xW", "b_rep"), ("y",), "Add adds, element by element",
                  "Add passes the gradient unchanged to both inputs"),
        GraphNode("Sum", Sum(), ("y",), ("L",), "Sum adds the rows: the loss L",
                  "Sum sends the gradient back to every row"),
    ]  # fmt: skip
    return run_graph(graph, {"x": x, "W": W, "b": b}, "L")


def add_mul_trace(x, y, w) -> Trace:
    """L = (x + y) * w, with numbers. Value names: "x", "y", "w", "z", "L"."""
    graph = [
        GraphNode("Add", Add(), ("x", "y"), ("z",), "Add: z = x + y",
                  "Add passes dL/dz to x and y"),
        GraphNode("Mul", Mul(), ("z", "w"), ("L",), "Mul: L = z * w",
                  "Mul: dL/dz = dL/dL * w and dL/dw = dL/dL * z"),
    ]  # fmt: skip
    return run_graph(graph, {"x": x, "y": y, "w": w}, "L")


def used_twice_trace(x, y) -> Trace:
    """L = x * y + x, where x is used twice (through a Branch).
    Value names: "x", "x1", "x2", "y", "z", "L"."""
    graph = [
        GraphNode("Branch", Branch(), ("x",), ("x1", "x2"), "Branch sends x down two paths",
                  "Branch adds the gradients of both paths"),
        GraphNode("Mul", Mul(), ("x1", "y"), ("z",), "Mul: z = x1 * y",
                  "Mul: dx1 = dz * y, dy = dz * x1"),
        GraphNode("Add", Add(), ("z", "x2"), ("L",), "Add: L = z + x2",
                  "Add passes dL to z and x2"),
    ]  # fmt: skip
    return run_graph(graph, {"x": x, "y": y}, "L")


def sigmoid_trace(x, dout=1.0) -> Trace:
    """The sigmoid y = 1 / (1 + e^(-x)) as four nodes: a = -x, b = e^a, c = b + 1, y = 1/c.
    Value names: "x", "-1", "a", "b", "1", "c", "y"; backward starts with dout at y."""
    graph = [
        GraphNode("neg", Mul(), ("x", "-1"), ("a",), "×(−1): a = −x", "×(−1): times −1"),
        GraphNode("exp", Exp(), ("a",), ("b",), "exp: b = e^a", "exp: times e^a = b"),
        GraphNode("plus1", Add(), ("b", "1"), ("c",), "+1: c = b + 1",
                  "+1: passes the gradient on"),
        GraphNode("recip", Reciprocal(), ("c",), ("y",), "1/c: y = 1/c",
                  "1/c: times −1/c² = −y²"),
    ]  # fmt: skip
    return run_graph(graph, {"x": np.float64(x), "-1": -1.0, "1": 1.0}, "y", dout=dout)


def affine_trace(x, W, b, dout) -> Trace:
    """The Affine layer y = x @ W + b as MatMul, Repeat (of the bias row) and Add, with an
    upstream gradient dout (N, H). x (N, D), W (D, H), b (1, H).
    Value names: "x", "W", "b", "xW", "b_rep", "y"."""
    N = x.shape[0]
    graph = [
        GraphNode("MatMul", MatMul(W), ("x",), ("xW",), "MatMul: x @ W",
                  "MatMul: dx = dout W^T, dW = x^T dout", params=("W",)),
        GraphNode("Repeat", Repeat(N), ("b",), ("b_rep",), f"Repeat: {N} copies of b",
                  "Repeat: db = the sum of the copies' gradients"),
        GraphNode("Add", Add(), ("xW", "b_rep"), ("y",), "Add: y = xW + b",
                  "Add: passes dout to both"),
    ]  # fmt: skip
    return run_graph(graph, {"x": x, "W": W, "b": b}, "y", dout=dout)


def softmax_with_loss_trace(s, t) -> Trace:
    """Softmax, then cross entropy, as two nodes: scores s (N, C), one-hot t (N, C).
    Value names: "s", "y", "t", "L"."""
    graph = [
        GraphNode("Softmax", Softmax(), ("s",), ("y",), "Softmax: probabilities y",
                  "Softmax: its backward turns -t/y into y - t"),
        GraphNode("CrossEntropy", CrossEntropy(), ("y",), ("L",), "Cross entropy: the loss L",
                  "Cross entropy: dL/dy = -t / y / N", targets=("t",)),
    ]  # fmt: skip
    return run_graph(graph, {"s": s, "t": t}, "L")
