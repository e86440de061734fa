"""Chains of one-variable functions x -> y1 -> y2 -> ... -> z, and the chain rule along them.

A chain is a sequence of steps, each a pair (f, df): the step's function and its local
derivative, both taking the step's own input u. The chain rule says dz/dx is the product of
the local derivatives, each evaluated at the value that actually flows into its step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


class Step(NamedTuple):
    """One link y = f(u) of a chain; df(u) is its local derivative dy/du."""

    f: Callable
    df: Callable


def forward(steps: Sequence[Step], x) -> list:
    """The values flowing along the chain: [x, y1, ..., z] (n steps -> n + 1 values)."""
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    return values


def local_derivatives(steps: Sequence[Step], x) -> list:
    """[dy1/dx, dy2/dy1, ..., dz/dy_{n-1}]: each step's derivative at its own input."""
    values = forward(steps, x)
    return [df(u) for (_, df), u in zip(steps, values)]


def chain_derivative(steps: Sequence[Step], x):
    """dz/dx: the product of the local derivatives along the chain."""
    derivative = 1.0
    for d in local_derivatives(steps, x):
        derivative = derivative * d
    return derivative


def backward(steps: Sequence[Step], x) -> np.ndarray:
    """dz/dv for every value v of the chain, [dz/dx, dz/dy1, ..., dz/dz = 1], for a scalar x.

    One sweep from the output back to the input: each entry is the one after it times the
    local derivative of the step in between, which is how backpropagation reuses work.
    """
    local = local_derivatives(steps, x)
    grads = np.ones(len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * local[k]
    return grads


def compose(steps: Sequence[Step]) -> Callable:
    """The whole chain as one function x -> z."""

    def z(x):
        return forward(steps, x)[-1]

    return z


@dataclass(frozen=True)
class Chain:
    """A chain with the names figures give it: one box label and one local-derivative
    formula per step, and one variable name per value (n steps, n + 1 names)."""

    formula: str
    steps: tuple[Step, ...]
    labels: tuple[str, ...]
    local_labels: tuple[str, ...]
    names: tuple[str, ...]


def _ones(u):
    return np.ones_like(u, dtype=float)


# The sigmoid 1 / (1 + e^(-x)) taken apart into four simple steps.
SIGMOID = Chain(
    formula=r"$y = 1/(1 + e^{-x})$",
    steps=(
        Step(lambda u: -u, lambda u: -_ones(u)),
        Step(np.exp, np.exp),
        Step(lambda u: u + 1, _ones),
        Step(lambda u: 1 / u, lambda u: -1 / u**2),
    ),
    labels=("×(−1)", "exp", "+1", "1/u"),
    local_labels=("$-1$", "$e^{u}$", "$1$", "$-1/u^2$"),
    names=("x", "a", "b", "c", "y"),
)

# The worked example of Chapter 4: z = (3x + 2)^2 as y = 3x + 2, then z = y^2.
SQUARE_OF_LINE = Chain(
    formula=r"$z = (3x + 2)^2$",
    steps=(
        Step(lambda u: 3 * u + 2, lambda u: 3 * _ones(u)),
        Step(lambda u: u**2, lambda u: 2 * u),
    ),
    labels=("3u + 2", "u²"),
    local_labels=("$3$", "$2u$"),
    names=("x", "y", "z"),
)
