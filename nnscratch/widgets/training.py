"""Chapter 7 widget: train the two-layer network on the spiral and watch it learn.

Each learning rate and hidden size is one training run, from the same starting weights;
the epochs slider moves through that run. A run costs more than a control may take to
answer (100 ms), so it is trained in slices and remembered (nnscratch.widgets.runs): a new
learning rate or hidden size shows its run's first epochs at once and the rest as they are
trained (the learner watches the regions bend; a newer setting takes over), the epochs slider
never retrains an epoch, and a setting seen before shows at once. "run" replays the run
epoch by epoch until it ends or "stop" is pressed. The drawing is
nnscratch.figures.training.TrainingFigure: this module only wires it to controls.
"""

from __future__ import annotations

import threading
import time

from nnscratch.data import spiral
from nnscratch.evaluation import accuracy
from nnscratch.figures.training import TrainingFigure
from nnscratch.i18n import _
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.widgets.runs import Run, Runs
from nnscratch.widgets.ui import LiveFigure, button, collection_deferred, int_slider, slider

FRAMES = 15  # pictures per replay: enough to see the regions bend
FRAME_SECONDS = 0.08  # a replay's pictures no faster than this, so that the eye can follow
WAIT_SECONDS = 0.02  # how often a replay waiting for the live figure checks for stop
EPOCHS_MAX = 600
# The figure's margins, as constrained layout chose them (see figures.canvas.fixed_layout).
MARGINS = dict(left=0.0747, bottom=0.1254, right=0.9806, top=0.8714, wspace=0.4113)


class TrainingPlayground:
    """Sliders for learning rate, hidden size and epochs; run and stop buttons."""

    def __init__(self, lr=1.0, hidden=10, epochs=300, seed=0, batch_size=30, background=None):
        self.x, self.t = spiral()
        self.seed, self.batch_size = seed, batch_size
        self._stop, self._playing = threading.Event(), threading.Event()
        self._worker: threading.Thread | None = None
        self.runs = Runs(self.new_run)
        style = {"description_width": "initial"}  # room for the whole label
        # A new learning rate or hidden size is a new run: it answers on release (while
        # dragging, every value passed would start a run); the epochs slider only moves
        # through a run, so it follows the hand.
        on_release = {"style": style, "continuous_update": False}
        controls = {
            "lr": slider(lr, 0.1, 10.0, 0.1, "learning rate", **on_release),
            "hidden": int_slider(hidden, 1, 50, "hidden size", **on_release),
            "epochs": int_slider(epochs, 10, EPOCHS_MAX, "epochs", step=10, style=style),
        }
        self.run_button = button("▶ run", tooltip="train from the start, redrawing as it learns")
        self.stop_button = button("■ stop", tooltip="stop the run where it is", disabled=True)
        self.run_button.on_click(lambda _button: self.start())
        self.stop_button.on_click(lambda _button: self.stop())
        # one figure, updated in place
        self.picture = TrainingFigure(self.x, self.t, margins=MARGINS)
        self.live = LiveFigure(
            self.draw,
            controls,
            extra=[self.run_button, self.stop_button],
            pending=self.runs.going_on,
            background=background,  # None: a worker thread in a kernel (see LiveFigure)
        )

    def _ipython_display_(self):
        self.live._ipython_display_()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.live._repr_mimebundle_(include=include, exclude=exclude)

    def new_run(self, lr, hidden) -> Run:
        """The run of one setting: a fresh network (the same start for the same hidden size)."""
        return Run(
            lambda: TwoLayerNet(2, hidden, 3, rng=self.seed),
            self.x,
            self.t,
            SGD(lr),
            epochs_max=EPOCHS_MAX,
            batch_size=self.batch_size,
            seed=self.seed,
        )

    def figure(self, net, history, lr, hidden, epochs):
        done = len(history["epoch_loss"])
        acc = accuracy(net.predict(self.x), self.t)
        going_on = " · " + _("training…") if done < epochs else ""
        return self.picture.update(
            net.predict,
            history,
            epochs=EPOCHS_MAX,  # a steady axis: the epochs slider moves along it
            title=f"learning rate {lr:g}, hidden size {hidden} · epoch {done}/{epochs}"
            f" · loss {history['epoch_loss'][-1]:.3f} · training accuracy {acc:.2f}{going_on}",
        )

    def draw(self, lr, hidden, epochs):
        """The run of this setting at `epochs`, or as far as it is trained (the live figure
        then draws again: runs.going_on). A replay that is playing stops; one still
        waiting for these pictures plays after them."""
        if self._playing.is_set():
            self.stop()
        run, epoch, _done = self.runs.step((lr, hidden), epochs)
        return self.figure(*run.at(max(epoch, 1)), lr, hidden, epochs)

    def replay(self, stop: threading.Event) -> None:
        """The run from its start, a picture every few epochs, until done or stopped."""
        # the slices of a new run first (one figure, drawn by one thread at a time); waited
        # for here, not in the kernel's thread, which would stop reading the controls' messages
        while True:
            while not self.live.wait(WAIT_SECONDS):
                if stop.is_set():
                    return
            self._playing.set()  # from now on a draw stops this replay first
            if self.live.wait(0):  # no draw began before it could see that
                break
            self._playing.clear()
        values = self.live.values()
        run = self.runs.get(values["lr"], values["hidden"])
        every = max(values["epochs"] // FRAMES, 1)
        frames = [*range(every, values["epochs"], every), values["epochs"]]
        for epoch in frames:
            if stop.is_set():
                break
            started = time.perf_counter()
            run.train(epoch)
            self.show(*run.at(epoch), values)
            time.sleep(max(FRAME_SECONDS - (time.perf_counter() - started), 0))

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
                self._playing.clear()
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


@collection_deferred()  # its first picture without a garbage collection (ui)
def training_playground(**settings) -> TrainingPlayground:
    """The chapter's live training widget (settings: lr, hidden, epochs, seed, batch_size,
    background)."""
    return TrainingPlayground(**settings)
