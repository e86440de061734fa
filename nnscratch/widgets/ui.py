"""The one module that imports ipywidgets: controls, and a figure that redraws when they move."""

from __future__ import annotations

import base64
from typing import Callable

import ipywidgets as w

from nnscratch.figures.canvas import to_png


# Wide enough for labels such as "learning rate" or "W1[0,0]" without truncation.
_LABEL = {"description_width": "initial"}


def slider(value: float, low: float, high: float, step: float = 0.1, description: str = "",
           **kwargs) -> w.FloatSlider:
    kwargs.setdefault("style", _LABEL)
    return w.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                         continuous_update=False, readout_format=".2f", **kwargs)


def int_slider(value: int, low: int, high: int, description: str = "", **kwargs) -> w.IntSlider:
    kwargs.setdefault("style", _LABEL)
    return w.IntSlider(value=value, min=low, max=high, description=description,
                       continuous_update=False, **kwargs)


def button(description: str, **kwargs) -> w.Button:
    return w.Button(description=description, **kwargs)


def dropdown(options, value=None, description: str = "", **kwargs) -> w.Dropdown:
    kwargs.setdefault("style", _LABEL)
    return w.Dropdown(options=options, value=value if value is not None else list(options)[0],
                      description=description, **kwargs)


def label(text: str = "") -> w.HTML:
    return w.HTML(value=text)


class LiveFigure:
    """Controls wired to draw(**values) -> Figure, redrawn whenever a control changes.

    Displayed in a notebook, it is a widget; where widgets cannot render (a static export,
    GitHub, a front end without the widget manager) the same output shows as a still PNG.
    """

    def __init__(self, draw: Callable, controls: dict[str, w.ValueWidget], *,
                 extra: list[w.Widget] = (), columns: int = 3, dpi: int = 90):
        self.draw, self.controls, self.dpi = draw, controls, dpi
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.image.add_class("nnscratch-live-image")
        boxes = list(controls.values()) + list(extra)
        rows = [w.HBox(boxes[i:i + columns]) for i in range(0, len(boxes), columns)]
        self.widget = w.VBox([*rows, self.image])
        self.widget.add_class("nnscratch-live")
        for control in controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, *_ignored) -> None:
        self.image.value = to_png(self.draw(**self.values()), dpi=self.dpi)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = "A live figure: run this notebook in Jupyter to move its controls."
        return bundle
