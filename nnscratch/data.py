"""Small datasets generated in code, each from its own random generator."""

import numpy as np


def spiral(n_per_class=100, n_classes=3, noise=0.2, rng=1984):
    """Interleaved spiral arms in the plane, one per class.

    Returns x (N, 2) and one-hot t (N, n_classes), N = n_per_class * n_classes.
    rng: a seed or np.random.Generator (the global RNG is never touched).
    """
    rng = np.random.default_rng(rng)
    N, C = n_per_class, n_classes
    x = np.zeros((N * C, 2))
    t = np.zeros((N * C, C), dtype=int)
    for j in range(C):
        rate = np.arange(N) / N
        radius = 1.0 * rate
        theta = j * 4.0 + 4.0 * rate + noise * rng.standard_normal(N)
        x[j * N:(j + 1) * N] = np.column_stack([radius * np.sin(theta), radius * np.cos(theta)])
        t[j * N:(j + 1) * N, j] = 1
    return x, t
