"""The one module that imports ipywidgets: controls, and a figure that redraws when they move."""

from __future__ import annotations

import base64
import gc
import html
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager

import ipywidgets as w

from nnscratch.figures.canvas import pictures_wanted
from nnscratch.i18n import _
from nnscratch.widgets.latest import LatestOnly
from nnscratch.widgets.render import Renderer

# Wide enough for labels such as "learning rate" or "W1[0,0]" without truncation.
_LABEL = {"description_width": "initial"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The kernel's side of the latest moves, by time.perf_counter(): ("value", t) when a control's
# new value arrives, ("picture", start, end) around each redraw, ("slice", start, end) around
# each later picture of a draw done in slices (see LiveFigure). The browser test reads it to
# tell the kernel's share of a move's felt time from the browser's and the transport's.
TIMELINE: deque = deque(maxlen=256)


def slider(
    value: float, low: float, high: float, step: float = 0.1, description: str = "", **kwargs
) -> w.FloatSlider:
    """A slider that reports while it moves (continuous_update=False for slow figures)."""
    kwargs.setdefault("style", _LABEL)
    kwargs.setdefault("continuous_update", True)
    return w.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".2f",
        **kwargs,
    )


def int_slider(value: int, low: int, high: int, description: str = "", **kwargs) -> w.IntSlider:
    kwargs.setdefault("style", _LABEL)
    kwargs.setdefault("continuous_update", True)
    return w.IntSlider(value=value, min=low, max=high, description=description, **kwargs)


def button(description: str, **kwargs) -> w.Button:
    return w.Button(description=description, **kwargs)


def dropdown(options, value=None, description: str = "", **kwargs) -> w.Dropdown:
    kwargs.setdefault("style", _LABEL)
    return w.Dropdown(
        options=options,
        value=value if value is not None else list(options)[0],
        description=description,
        **kwargs,
    )


def label(text: str = "") -> w.HTML:
    return w.HTML(value=text)


def shown_value(control: w.ValueWidget) -> str:
    """A control's value as the learner reads it: a dropdown's label, a number rounded."""
    if isinstance(control, w.Dropdown):
        return str(control.label)
    if isinstance(control.value, float):
        return f"{control.value:.3g}"
    return str(control.value)


def in_kernel() -> bool:
    """True inside a Jupyter kernel, where a control's messages arrive while a redraw runs."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


@contextmanager
def collection_deferred():
    """Python's cyclic garbage collector paused meanwhile, as it was before afterwards.

    A first picture makes tens of thousands of objects, enough to set off a full collection
    in the middle of it: 45-55 ms of a 250-450 ms first draw (gc.callbacks, every live figure
    of the course in a fresh process). Paused, that pass comes later, with another allocation
    (spread over the learner's first moves or cells, never in the picture they wait for).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class LiveFigure:
    """Controls wired to draw(**values) -> Figure, redrawn whenever a control changes.

    Displayed in a notebook, it is a widget; where widgets cannot render (a static export,
    GitHub, a front end without the widget manager) the same output shows as a still PNG, and
    as text, the line that states what the figure shows now: describe(**values) when given,
    else the controls' values. The line also shows under the picture, for screen readers.

    In a kernel the redraws run in a worker thread that draws only the newest values (a fast
    drag is never queued); elsewhere (scripts, tests) a redraw happens before the control's
    assignment returns. background=True or False chooses explicitly.

    A draw that does its work in slices (a training run) gives pending() -> True while its
    picture is not the final one: the figure is drawn again with the same values, unless a
    control's new value has come meanwhile. Without a worker the slices run in wait().
    The first picture is such a first slice too (a whole run took 0.7-1.1 s, measured): the
    still picture displayed with it is replaced by the final one when the slices are done
    (a display update), so a static export or a front end without widgets shows a whole run.
    """

    def __init__(
        self,
        draw: Callable,
        controls: dict[str, w.ValueWidget],
        *,
        extra: list[w.Widget] = (),
        columns: int = 3,
        dpi: int = 90,
        describe: Callable[..., str] | None = None,
        background: bool | None = None,
        pending: Callable[[], bool] | None = None,
    ):
        self.draw, self.controls, self.dpi, self.describe = draw, controls, dpi, describe
        self.pending = pending
        self.renderer = Renderer(dpi)
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.image.add_class("nnscratch-live-image")
        self.state = w.HTML()
        self.state.add_class("nnscratch-live-state")
        boxes = list(controls.values()) + list(extra)
        rows = [w.HBox(boxes[i : i + columns]) for i in range(0, len(boxes), columns)]
        self.widget = w.VBox([*rows, w.VBox([self.image, self.state])])
        self.widget.add_class("nnscratch-live")
        self._held, self._again = 0, False
        # the display whose still picture awaits the final picture (_ipython_display_), and
        # whether the picture on screen is final; the worker and the kernel share them
        self._still, self._final, self._lock = None, False, threading.Lock()
        self._latest = None
        if in_kernel() if background is None else background:
            self.use_worker()
        for control in controls.values():
            control.observe(self.refresh, names="value")
        with collection_deferred():  # the first picture at once (of a draw in slices: the first)
            self.show(self.values())

    def use_worker(self) -> None:
        """Draw in a worker thread from now on, as in a kernel (for tests and benchmarks)."""
        self._latest = LatestOnly(lambda request: self.show(*request), on_error=self._show_error)

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def state_text(self, values: dict) -> str:
        if self.describe is not None:
            return self.describe(**values)
        return "Live figure showing " + ", ".join(
            f"{c.description or name} = {shown_value(c)}" for name, c in self.controls.items()
        )

    def refresh(self, *_ignored) -> None:
        """Redraw for the controls' current values (in the worker, when there is one)."""
        if self._held:
            return
        TIMELINE.append(("value", time.perf_counter()))
        if self._latest is None:
            self.show(self.values())
        else:
            self._latest.submit((self.values(), "picture"))

    def again(self) -> None:
        """Ask for one more redraw with the current values, unless newer ones wait."""
        if self._latest is None:
            self._again = True
        else:
            self._latest.submit_unless_waiting((self.values(), "slice"))

    def show(self, values: dict, kind: str = "picture") -> None:
        """Draw values and put the picture on screen; kind names it in TIMELINE ("slice": a
        later picture of a draw done in slices)."""
        start, wanted = time.perf_counter(), pictures_wanted()
        figure = self.draw(**values)
        if wanted:  # not while graded: nobody sees it (figures.canvas), nor the slices to come
            self.image.value = self.renderer.png(figure)
        TIMELINE.append((kind, start, time.perf_counter()))
        self.state.value = f'<span aria-live="polite">{html.escape(self.state_text(values))}</span>'
        final = self.pending is None or not self.pending() or not wanted
        if not final:
            self.again()
        with self._lock:
            self._final = final
            still, self._still = (self._still, None) if final else (None, self._still)
        if still is not None:
            self._update(still)

    def _show_error(self, error: BaseException) -> None:
        message = _("This figure could not be drawn: {error}").format(
            error=f"{type(error).__name__}: {error}"
        )
        self.state.value = f'<span role="alert">{html.escape(message)}</span>'

    @contextmanager
    def hold(self):
        """Set several controls inside `with live.hold():` and the figure redraws once, after."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1
            if not self._held:
                self.refresh()

    def wait(self, timeout: float | None = 30) -> bool:
        """Wait until the redraws asked for are on screen (without a worker: run the slices
        asked for by again())."""
        if self._latest is not None:
            return self._latest.wait(timeout)
        while self._again:
            self._again = False
            self.show(self.values(), "slice")
        return True

    def _ipython_display_(self):
        """Display the bundle with the state line as the picture's alt text too (nbconvert
        writes it into <img alt=...>); IPython prefers this method to _repr_mimebundle_."""
        from IPython.display import display

        if self._latest is None:
            self.wait()  # the slices first: the still picture is the final one
        shown = self.image.value
        handle = display(self._repr_mimebundle_(), raw=True, metadata=self._alt(), display_id=True)
        if self.pending is None:
            return
        with self._lock:  # not final: show() updates the still with the final picture
            final = self._final
            if not final:
                self._still = handle
        if final and self.image.value is not shown:  # became final while displayed
            self._update(handle)

    def _alt(self) -> dict:
        return {"image/png": {"alt": self.state_text(self.values())}}

    def _update(self, handle) -> None:
        """Give a displayed still picture (and text) the picture on screen now."""
        handle.update(self._repr_mimebundle_(), raw=True, metadata=self._alt())

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self._latest is None:
            self.wait()  # the slices first: the still picture is the final one
        if hasattr(self.widget, "_repr_mimebundle_"):
            bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        else:  # ipywidgets 7 (Google Colab imports it first) displays itself another way
            bundle = {
                WIDGET_VIEW: {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": self.widget.model_id,
                }
            }
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = self.state_text(self.values())
        return bundle
