"""Chapter 7 widget: train the two-layer network on the spiral and watch it learn.

Moving a slider retrains from the same starting weights and shows where that setting ends
up; "run" replays the training epoch by epoch, redrawing as it goes, until it ends or
"stop" is pressed. The computing is nnscratch.trainer.train_epochs, the drawing
nnscratch.figures.training.training_figure: this module only wires them to controls.
"""

from __future__ import annotations

import threading

from nnscratch.data import spiral
from nnscratch.evaluation import accuracy
from nnscratch.figures.training import TrainingFigure
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import train_epochs
from nnscratch.widgets.ui import LiveFigure, button, int_slider, slider

FRAMES = 15  # redraws per run: enough to see the regions bend, few enough to keep up


class TrainingPlayground:
    """Sliders for learning rate, hidden size and epochs; run and stop buttons."""

    def __init__(self, lr=1.0, hidden=10, epochs=300, seed=0, batch_size=30):
        self.x, self.t = spiral()
        self.seed, self.batch_size = seed, batch_size
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        # room for the whole label; a move retrains (seconds): report on release only
        settings = {"style": {"description_width": "initial"}, "continuous_update": False}
        controls = {
            "lr": slider(lr, 0.1, 10.0, 0.1, "learning rate", **settings),
            "hidden": int_slider(hidden, 1, 50, "hidden size", **settings),
            "epochs": int_slider(epochs, 10, 600, "epochs", step=10, **settings),
        }
        self.run_button = button("▶ run", tooltip="train from the start, redrawing as it learns")
        self.stop_button = button("■ stop", tooltip="stop the run where it is", disabled=True)
        self.run_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.picture = TrainingFigure(self.x, self.t)  # one figure, updated in place
        self.live = LiveFigure(self.draw, controls, extra=[self.run_button, self.stop_button])

    def _ipython_display_(self):
        self.live._ipython_display_()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.live._repr_mimebundle_(include=include, exclude=exclude)

    def new_run(self, lr, hidden, epochs):
        """A fresh network (the same start for the same hidden size) and its training steps."""
        net = TwoLayerNet(2, hidden, 3, rng=self.seed)
        steps = train_epochs(
            net, self.x, self.t, SGD(lr), epochs=epochs, batch_size=self.batch_size, rng=self.seed
        )
        return net, steps

    def figure(self, net, history, lr, hidden, epochs):
        done = len(history["epoch_loss"])
        acc = accuracy(net.predict(self.x), self.t)
        return self.picture.update(
            net.predict,
            history,
            epochs=epochs,
            title=f"learning rate {lr:g}, hidden size {hidden} · epoch {done}/{epochs}"
            f" · loss {history['epoch_loss'][-1]:.3f} · training accuracy {acc:.2f}",
        )

    def draw(self, lr, hidden, epochs):
        """The state after all the epochs (what a slider move shows at once)."""
        self.stop()
        net, steps = self.new_run(lr, hidden, epochs)
        history = None
        for history in steps:  # noqa: B007 - run every epoch; the last history is the one shown
            pass
        return self.figure(net, history, lr, hidden, epochs)

    def replay(self, stop: threading.Event) -> None:
        """Train from the start, sending a new picture every few epochs, until done or stopped."""
        values = self.live.values()
        net, steps = self.new_run(**values)
        every = max(values["epochs"] // FRAMES, 1)
        history, shown = None, 0
        for epoch, history in enumerate(steps, 1):
            if stop.is_set():
                break
            if epoch % every == 0 or epoch == values["epochs"]:
                self.show(net, history, values)
                shown = epoch
        if history is not None and shown != len(history["epoch_loss"]):  # where it stopped
            self.show(net, history, values)

    def show(self, net, history, values) -> None:
        self.live.image.value = self.live.renderer.png(self.figure(net, history, **values))

    def start(self, background: bool = True) -> None:
        """Run the replay in a thread, so the stop button (and the notebook) stay responsive."""
        self.stop()
        self._stop = threading.Event()
        self.run_button.disabled, self.stop_button.disabled = True, False

        def work(stop=self._stop):
            try:
                self.replay(stop)
            finally:
                self.run_button.disabled, self.stop_button.disabled = False, True

        if background:
            self._worker = threading.Thread(target=work, daemon=True)
            self._worker.start()
        else:
            work()

    def stop(self) -> None:
        self._stop.set()
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join()
        self._worker = None


def training_playground(**settings) -> TrainingPlayground:
    """The chapter's live training widget (settings: lr, hidden, epochs, seed, batch_size)."""
    return TrainingPlayground(**settings)
