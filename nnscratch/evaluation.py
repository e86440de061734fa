"""Measuring a classifier: predictions in batches, accuracy, confusion matrix, class maps."""

import numpy as np


def predict_in_batches(predict, x, batch_size=256):
    """Predicted class of every row of x (N, D) -> integer array (N,).

    predict maps a batch (B, D) to scores (B, C); it never sees more than batch_size rows,
    so memory stays bounded (B x hidden size numbers per layer) however large N is.
    """
    classes = [
        np.argmax(predict(x[start : start + batch_size]), axis=1)
        for start in range(0, len(x), batch_size)
    ]
    return np.concatenate(classes) if classes else np.zeros(0, dtype=int)


def labels_of(t):
    """Integer labels (N,) from labels (N,) or one-hot rows (N, C)."""
    t = np.asarray(t)
    return t.argmax(axis=1) if t.ndim == 2 else t


def accuracy(scores, t):
    """Fraction of rows of scores (N, C) whose largest score is at the true class.

    t: integer labels (N,) or one-hot (N, C). Returns a float in [0, 1].
    """
    return float(np.mean(np.argmax(scores, axis=1) == labels_of(t)))


def confusion_matrix(labels, predicted, n_classes):
    """counts[i, j] = how many samples of true class i were predicted as class j; (C, C) ints."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    # One bin per (true, predicted) pair; bincount adds up repeated pairs, which
    # `counts[labels, predicted] += 1` would not (fancy-index assignment writes each pair once).
    flat = np.bincount(labels * n_classes + predicted, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def class_map(predict, xs, ys):
    """Predicted class at every grid point: (len(ys), len(xs)) ints.

    Entry [i, j] is the class at the point (xs[j], ys[i]): rows follow y, columns follow x,
    the layout imshow(..., origin="lower") draws the right way up.
    """
    X, Y = np.meshgrid(xs, ys)  # both (len(ys), len(xs))
    points = np.column_stack([X.ravel(), Y.ravel()])  # one (x, y) point per row
    return np.argmax(predict(points), axis=1).reshape(X.shape)
