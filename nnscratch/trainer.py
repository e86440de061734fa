"""A training loop that computes and returns its history; printing and plotting are up to you."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from nnscratch.progress_bar import ProgressBar


def train_epochs(model, x, t, optimizer, *, epochs=300, batch_size=30, rng=None) -> Iterator[dict]:
    """Train model on (x, t) epoch by epoch; after each epoch, yield the history so far.

    Every epoch shuffles the N samples (one permutation for x and t, so each point keeps its
    label) and takes N // batch_size mini-batches of batch_size rows (the last N % batch_size
    shuffled rows sit out that epoch). The history is one dict, growing as it is yielded:
    {"loss": the loss of every mini-batch, "epoch_loss": the mean loss of every epoch}.
    Stop early by leaving the loop: the model keeps the weights reached so far.
    """
    rng = np.random.default_rng(rng)
    N = len(x)
    iters = max(N // batch_size, 1)
    history = {"loss": [], "epoch_loss": []}
    losses = history["loss"]
    for _ in range(epochs):
        order = rng.permutation(N)
        x_epoch, t_epoch = x[order], t[order]
        total = 0.0
        for i in range(iters):
            batch = slice(i * batch_size, (i + 1) * batch_size)
            loss = model.forward(x_epoch[batch], t_epoch[batch])
            model.backward()
            optimizer.update(model.params, model.grads)
            losses.append(float(loss))
            total += loss
        history["epoch_loss"].append(float(total / iters))
        yield history


def fit(
    model, x, t, optimizer, *, epochs=300, batch_size=30, rng=None, verbose=False, progress=False
) -> dict:
    """Train model on (x, t) with shuffled mini-batches; return the history (see train_epochs).

    model needs forward(x, t) -> loss, backward(), params and grads; optimizer needs
    update(params, grads). rng: a seed or np.random.Generator for the shuffling.
    verbose prints the mean loss ten times in the run; progress shows a bar (on stderr).
    """
    history = {"loss": [], "epoch_loss": []}
    every = max(epochs // 10, 1)
    bar = ProgressBar(epochs, quiet=not progress, unit="epoch ", in_place=True)
    for epoch, history in enumerate(
        train_epochs(model, x, t, optimizer, epochs=epochs, batch_size=batch_size, rng=rng), 1
    ):
        if verbose and epoch % every == 0:
            print(f"epoch {epoch:4d} | loss {history['epoch_loss'][-1]:.4f}")
        bar.update(f"epoch {epoch}", f"loss {history['epoch_loss'][-1]:.4f}")
    bar.close()
    return history
