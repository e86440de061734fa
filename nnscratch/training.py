"""A training loop that computes and returns its history; printing and plotting are up to you."""

from __future__ import annotations

import sys

import numpy as np


def fit(model, x, t, optimizer, *, epochs=300, batch_size=30, rng=None, verbose=False,
        progress=False) -> dict:
    """Train model on (x, t) with mini-batches, shuffling every epoch.

    model needs forward(x, t) -> loss, backward(), params and grads; optimizer needs
    update(params, grads). Returns {"loss": loss per iteration, "epoch_loss": mean per epoch}.
    verbose prints the mean loss every tenth of the run; progress shows a bar (stderr).
    """
    rng = np.random.default_rng(rng)
    N = len(x)
    iters = max(N // batch_size, 1)
    history = {"loss": [], "epoch_loss": []}
    for epoch in range(epochs):
        order = rng.permutation(N)
        x_epoch, t_epoch = x[order], t[order]
        total = 0.0
        for i in range(iters):
            batch = slice(i * batch_size, (i + 1) * batch_size)
            loss = model.forward(x_epoch[batch], t_epoch[batch])
            model.backward()
            optimizer.update(model.params, model.grads)
            history["loss"].append(float(loss))
            total += loss
        history["epoch_loss"].append(float(total / iters))
        if verbose and (epoch + 1) % max(epochs // 10, 1) == 0:
            print(f"epoch {epoch + 1:4d} | loss {history['epoch_loss'][-1]:.4f}")
        if progress:
            _bar(epoch + 1, epochs, history["epoch_loss"][-1])
    if progress:
        sys.stderr.write("\n")
    return history


def _bar(done: int, total: int, loss: float, width: int = 30) -> None:
    filled = int(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] epoch {done}/{total} loss {loss:.4f}")
    sys.stderr.flush()
