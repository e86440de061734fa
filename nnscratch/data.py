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
        x[j * N : (j + 1) * N] = np.column_stack([radius * np.sin(theta), radius * np.cos(theta)])
        t[j * N : (j + 1) * N, j] = 1
    return x, t


# Labs 1 and 3: three blobs, concentric rings, and a train/test split.

BLOB_CENTRES = ((0.0, 1.5), (-1.3, -0.75), (1.3, -0.75))  # 1.5 from the origin, 120° apart


def blobs(n_per_class=100, centres=BLOB_CENTRES, spread=0.6, rng=2718):
    """Round Gaussian clouds in the plane, one per class, in class order.

    spread: the standard deviation, one number or one per class. Returns x (N, 2) and
    one-hot t (N, C), N = n_per_class * C. rng: a seed or np.random.Generator.
    """
    rng = np.random.default_rng(rng)
    centres = np.asarray(centres, dtype=float)
    C = len(centres)
    spreads = np.broadcast_to(np.asarray(spread, dtype=float), (C,))
    x = np.concatenate(
        [c + s * rng.standard_normal((n_per_class, 2)) for c, s in zip(centres, spreads)]
    )
    t = np.repeat(np.eye(C, dtype=int), n_per_class, axis=0)
    return x, t


def rings(n_per_class=150, n_classes=2, noise=0.1, rng=31415):
    """Concentric rings, class k at radius (k + 1) / n_classes, in class order.

    No straight line separates them: the classic test for a hidden layer. noise is the
    standard deviation of each point's radius. Returns x (N, 2) and one-hot t (N, C).
    """
    rng = np.random.default_rng(rng)
    C = n_classes
    radius = np.repeat(np.arange(1, C + 1) / C, n_per_class) + noise * rng.standard_normal(
        C * n_per_class
    )
    angle = rng.uniform(0, 2 * np.pi, C * n_per_class)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    t = np.repeat(np.eye(C, dtype=int), n_per_class, axis=0)
    return x, t


def train_test_split(x, t, test_fraction=0.25, rng=None):
    """Shuffle the samples, then hold out round(test_fraction * N) of them for testing.

    Returns (x_train, t_train), (x_test, t_test). x and t are shuffled with one permutation,
    so every label stays with its sample. rng: a seed or np.random.Generator.
    """
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[:n_test], order[n_test:]
    return (x[train], t[train]), (x[test], t[test])
