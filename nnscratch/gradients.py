"""Numerical derivatives: the oracle every backward pass is checked against."""

import numpy as np


def numerical_diff(f, x, h=1e-4):
    """Central difference (f(x + h) - f(x - h)) / 2h for a scalar x."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-4):
    """Gradient of the scalar f(x) with respect to the float array x; same shape as x.

    x is perturbed in place, one element at a time, so f may close over x (or over a
    model holding x) instead of taking it as an argument. Every element is restored.
    """
    grad = np.zeros(x.shape, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old  # restore exactly: the caller's array must come back unchanged
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
