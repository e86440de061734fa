"""Training loops: `fit` (returns a history) and the book's `Trainer` (keeps its loss list).

Both take the same shuffled mini-batches from `mini_batches`, so with the same seed they take
exactly the same steps.
"""

from __future__ import annotations

import time
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
    history = {"loss": [], "epoch_loss": []}
    losses = history["loss"]
    for _ in range(epochs):
        total, iters = 0.0, 0
        for x_batch, t_batch in mini_batches(x, t, batch_size, rng):
            loss = model.forward(x_batch, t_batch)
            model.backward()
            optimizer.update(model.params, model.grads)
            losses.append(float(loss))
            total, iters = total + loss, iters + 1
        history["epoch_loss"].append(float(total / iters))
        yield history


def mini_batches(x, t, batch_size, rng) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch: shuffle (one permutation for x and t) and cut into N // batch_size batches.

    The last N % batch_size shuffled rows sit out this epoch; with fewer than batch_size
    samples, the one batch is all of them.
    """
    N = len(x)
    order = rng.permutation(N)
    x, t = x[order], t[order]
    for i in range(max(N // batch_size, 1)):
        yield x[i * batch_size : (i + 1) * batch_size], t[i * batch_size : (i + 1) * batch_size]


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


class Trainer:
    """The book's trainer: Trainer(model, optimizer), then fit(...) and plot().

    fit trains with shuffled mini-batches and, every eval_interval iterations (mini-batch
    steps), appends the mean loss of those iterations to loss_list (and prints it, unless
    verbose=False). Calling fit again continues from where the last call stopped.
    plot() draws loss_list against the iterations and returns the Figure.
    """

    def __init__(self, model, optimizer):
        self.model, self.optimizer = model, optimizer
        self.loss_list = []  # one mean loss per evaluation interval
        self.eval_interval = None
        self.current_epoch = 0

    def fit(self, x, t, max_epoch=10, batch_size=32, eval_interval=20, rng=None, verbose=True):
        """x (N, D), t (N, C) or (N,); eval_interval counts iterations, not epochs."""
        rng = np.random.default_rng(rng)
        self.eval_interval = eval_interval
        iters = max(len(x) // batch_size, 1)
        total_loss, loss_count = 0.0, 0
        start = time.perf_counter()
        for _ in range(max_epoch):
            for i, (x_batch, t_batch) in enumerate(mini_batches(x, t, batch_size, rng), 1):
                loss = self.model.forward(x_batch, t_batch)
                self.model.backward()
                self.optimizer.update(self.model.params, self.model.grads)
                total_loss, loss_count = total_loss + loss, loss_count + 1
                if loss_count == eval_interval:  # evaluate: the mean loss of the interval
                    self.loss_list.append(float(total_loss / loss_count))
                    total_loss, loss_count = 0.0, 0
                    if verbose:
                        print(
                            f"| epoch {self.current_epoch + 1} | iter {i} / {iters} "
                            f"| time {time.perf_counter() - start:.1f}[s] "
                            f"| loss {self.loss_list[-1]:.2f}"
                        )
            self.current_epoch += 1
        return self

    def plot(self, *, n_classes=None, title=""):
        """The loss list against the iterations (x eval_interval); returns the Figure."""
        from nnscratch.figures.training import plot_loss

        return plot_loss(
            self.loss_list,
            n_classes=n_classes,
            title=title,
            xlabel=f"iterations (× {self.eval_interval})",
        )
