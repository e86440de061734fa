"""Training runs for the live training widgets: trained in slices, remembered by setting.

A control of a live figure must answer within 100 ms, and a whole run costs more (the
spiral's 300 epochs: about 650 ms of CPU on a 2-core machine, 2 ms an epoch, measured). So
a run keeps its network's weights after every epoch and is trained only as far as asked,
a slice at a time: showing an epoch the run has passed costs no training (the epochs slider
scrubs through the run), a setting seen before costs nothing, and a run left unfinished
(the learner moved on) resumes where it stopped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from nnscratch.trainer import train_epochs

# Mini-batch steps of training per picture (about 0.2 ms a step, measured): the first picture
# of a new request after FIRST_STEPS (it must come within 100 ms, drawing included), each
# later one after SLICE_STEPS (a run of 3000 steps shows in about ten pictures).
FIRST_STEPS, SLICE_STEPS = 50, 300


class Run:
    """One training run: make_net() -> a fresh network (the same start each call), trained on
    (x, t) by optimizer with train_epochs, at most epochs_max epochs."""

    def __init__(self, make_net: Callable, x, t, optimizer, *, epochs_max, batch_size, seed):
        self.net, self.shown = make_net(), make_net()  # one trains, one shows a past epoch
        self.weights = [[p.copy() for p in self.net.params]]  # after each epoch; [0]: the start
        self.steps_per_epoch = max(len(x) // batch_size, 1)
        self.history = {"loss": [], "epoch_loss": []}
        self.ended = False  # epochs_max trained: asking for more trains nothing
        self._epochs = train_epochs(
            self.net, x, t, optimizer, epochs=epochs_max, batch_size=batch_size, rng=seed
        )

    @property
    def trained(self) -> int:
        """Epochs trained so far."""
        return len(self.weights) - 1

    def train(self, until: int, steps: int | None = None) -> None:
        """Train on to epoch `until`, or stop earlier, after about `steps` mini-batch steps
        (at least one epoch)."""
        epochs = until - self.trained
        if steps is not None:
            epochs = min(epochs, max(steps // self.steps_per_epoch, 1))
        for _ in range(max(epochs, 0)):
            history = next(self._epochs, None)
            if history is None:  # epochs_max reached
                self.ended = True
                return
            self.history = history
            self.weights.append([p.copy() for p in self.net.params])

    def at(self, epoch: int):
        """(network, history) as they were after `epoch` epochs (a trained epoch)."""
        for param, saved in zip(self.shown.params, self.weights[epoch]):
            param[...] = saved  # in place: the layers share these arrays
        history = {
            "loss": self.history["loss"][: epoch * self.steps_per_epoch],
            "epoch_loss": self.history["epoch_loss"][:epoch],
        }
        return self.shown, history


class Runs:
    """Runs by setting (make_run(*key) -> Run), the `size` most recently used kept.

    step(key, until) trains the setting's run one slice toward epoch `until`: a small slice
    for a new request, so that its first picture comes within 100 ms, then larger ones while
    the same request goes on (going_on: the live figure draws again until it is False).
    """

    def __init__(self, make_run: Callable[..., Run], size: int = 16):
        self.make_run, self.size = make_run, size
        self._runs: OrderedDict = OrderedDict()
        self._going_on = None  # (key, until) of the request being trained in slices

    def going_on(self) -> bool:
        """True while the last step's run has not reached the epoch asked for."""
        return self._going_on is not None

    def step(self, key: tuple, until: int) -> tuple[Run, int, bool]:
        """(the run, the epoch to show, whether it is `until`)."""
        run = self.get(*key)
        if run.trained < until:
            first = self._going_on != (key, until)
            run.train(until, FIRST_STEPS if first else SLICE_STEPS)
        done = run.trained >= until or run.ended  # never a slice that cannot come
        self._going_on = None if done else (key, until)
        return run, min(run.trained, until), done

    def get(self, *key) -> Run:
        if key not in self._runs:
            self._runs[key] = self.make_run(*key)
            if len(self._runs) > self.size:
                self._runs.popitem(last=False)
        self._runs.move_to_end(key)
        return self._runs[key]
