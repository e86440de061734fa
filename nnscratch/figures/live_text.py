"""Labels whose number follows a slider while their mathtext stays: "$dz/dx$ = 0.25".

Matplotlib parses a mathtext string anew for every new string (about 8 ms each on a 2-core
machine, measured) and caches the parse of a string it has seen. A label such as
"$dz/dx$ = 0.25" is a new string at each position of a slider; a chain of boxes carries a
dozen of them, so parsing alone took over 100 ms a redraw. Here the label is two runs of text
side by side on one baseline: the head, parsed once and cached, and the number, plain text,
which costs no parse. The picture is the one a single string makes (to a pixel or so).
matplotlib's HPacker composes text runs the same way, but its layout cost 6 ms a label,
measured; placing two Texts is a fraction of that. Matplotlib also rasterises every glyph
anew at each draw (0.1-0.2 ms a glyph here): the head, which never changes, is rasterised
once, and its picture and size are kept (Chapter 4's fifteen labels: 80 -> 45 ms a redraw).
"""

from __future__ import annotations

import math
import re
import threading
import weakref

import numpy as np
from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

from nnscratch.figures.canvas import MATH_ITALIC, math_word


class NumberText(Artist):
    """Takes the place of a Text (its position, transform, alignment and style), whose string
    is the fixed head; set(number) writes the text that follows the head."""

    def __init__(self, text: Text, number: str = ""):
        super().__init__()
        self._source = text  # its place, read when drawn (a layout may move it)
        self._ha, self._va = text.get_ha(), text.get_va()
        style = {"fontproperties": text.get_fontproperties(), "color": text.get_color()}
        head, self._blanks = text.get_text(), ""
        word = math_word(head)  # "$dy/dx$ = ": its word and the rest drawn as plain text
        if word is not None:
            rest = word[1].rstrip()
            # the rest's trailing blanks go before the number: a text's size leaves out its
            # trailing blanks in older matplotlib, its leading ones are kept
            heads, self._blanks = [word[0], rest], word[1][len(rest) :]
        else:
            heads = [head]
        self.heads = [
            Text(0, 0, s, ha="left", va="baseline", transform=IdentityTransform(), **style)
            for s in heads
        ]
        if word is not None:
            self.heads[0].update(MATH_ITALIC)
        self.number = Text(
            0, 0, number, ha="left", va="baseline", transform=IdentityTransform(), **style
        )
        self.set_zorder(text.get_zorder())
        self._head = None  # (dpi, [(extent at the origin, picture (rows, columns, RGBA))])
        self._numbers = Pictures(self.number)  # a number seen before is not drawn again
        axes = text.axes
        if text is axes.title:  # an Axes keeps its title, whose size the layout reserves
            text.set_animated(True)  # left out of the figure's draw (see PastedText)
        else:
            text.remove()
        axes.add_artist(self)
        for part in (*self.heads, self.number):
            part.set_figure(self.get_figure())

    @property
    def artist(self) -> Artist:
        return self

    def set(self, number: str) -> None:
        self.number.set_text(number)
        self.stale = True

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        if self._head is None or self._head[0] != renderer.dpi:
            self._head = (renderer.dpi, [_rasterised(head, renderer) for head in self.heads])
        number = self._blanks + self.number.get_text()
        number = self._numbers.get(number, renderer, _root_figure(self))
        _paste(renderer, self._source, self._ha, self._va, [*self._head[1], number])
        self.stale = False


def _paste(renderer, source: Text, ha: str, va: str, pictures) -> None:
    """Draw pictures ((extent at the origin, RGBA picture) pairs) side by side on one
    baseline, where source, aligned by ha and va, would draw its text."""
    x, y = source.get_transform().transform(source.get_position())  # pixels
    width = sum(extent.width for extent, _ in pictures if extent.width > 0)
    above = max(extent.y1 for extent, _ in pictures)  # from the baseline, at 0
    below = -min(extent.y0 for extent, _ in pictures)
    left = x - {"left": 0.0, "center": 0.5, "right": 1.0}[ha] * width
    baseline = {
        "bottom": y + below,
        "top": y - above,
        "center": y - (above - below) / 2,
        "baseline": y,
    }[va]
    gc = renderer.new_gc()
    for extent, picture in pictures:
        if picture.size:  # an empty head has no picture
            # the text's origin to a whole pixel, the picture's corner whole pixels from it
            x, y = round(left) + math.floor(extent.x0), round(baseline) + math.floor(extent.y0)
            renderer.draw_image(gc, x, y, picture)
        left += extent.width
    gc.restore()


def _root_figure(artist: Artist):
    """The artist's root Figure: a (sub)figure's .figure is the root one in every matplotlib
    (get_figure(root=True) is 3.10's; the declared floor is older)."""
    return artist.figure.figure


def _rasterised(text: Text, renderer):
    """text's extent when placed at the origin, and its picture (RGBA rows, bottom first, on
    transparent ground) of that extent, rounded out to whole pixels: its bottom left corner is
    at (floor(x0), floor(y0)) of the extent (renderer: the figure's, whose dpi it takes; the
    text is measured and drawn on a scratch renderer). The extent is kept as measured: it
    aligns the text as matplotlib aligns it (its rounded corner put a text aligned by its top
    a pixel too high, measured)."""
    text.set_position((0, 0))
    extent = text.get_window_extent(_scratch(renderer.dpi))
    x0, y0 = math.floor(extent.x0), math.floor(extent.y0)
    width, height = math.ceil(extent.x1) - x0, math.ceil(extent.y1) - y0
    scratch = _scratch(renderer.dpi, width, height)
    scratch.clear()
    text.set_position((-x0, -y0))
    text.draw(scratch)
    text.set_position((0, 0))
    rows = np.asarray(scratch.buffer_rgba())[scratch.height - height :, :width]  # its bottom left
    picture = rows[::-1].copy()  # draw_image: bottom row first
    return extent, picture


_scratches = threading.local()  # live figures redraw in worker threads of their own


def _scratch(dpi: float, width: int = 0, height: int = 0):
    """A renderer at dpi, at least width x height pixels, to measure and rasterise texts on,
    kept for this thread. matplotlib keeps a text's size, its mathtext parse and the size of
    "lp" (for line heights) per renderer: on a new renderer for each text they were made twice
    (rasterising a number took 2.2 ms, drawing it 1.2 ms; Chapter 4's heads parsed twice)."""
    from matplotlib.backends.backend_agg import RendererAgg

    kept = getattr(_scratches, "renderers", None)
    if kept is None:
        kept = _scratches.renderers = {}
    scratch = kept.get(dpi)
    if scratch is None or scratch.width < width or scratch.height < height:
        low = (scratch.width, scratch.height) if scratch is not None else (400, 60)
        scratch = kept[dpi] = RendererAgg(max(width, low[0]), max(height, low[1]), dpi)
    return scratch


class HeadText:
    """NumberText's interface over the Text itself (head and number as one string), for a
    still picture: the label stays in ax.texts, where a figure's description reads it."""

    def __init__(self, text: Text, number: str = ""):
        self.artist, self.head = text, text.get_text()
        self.set(number)

    def set(self, number: str) -> None:
        self.artist.set_text(self.head + number)


class PastedText(Artist):
    """Takes the place of a Text whose string changes in parts (a title full of numbers):
    each run of the string, a number or the words between numbers, is rasterised once and
    kept, and a string is drawn by pasting its runs' pictures side by side.

    A title of 90 letters took 33 ms to draw (Lab 3's, measured: matplotlib lays out and
    rasterises every glyph at each draw); its runs seen before take well under a millisecond.
    The Text stays with the string, animated: the figure's draw leaves it out (drawing it
    transparent cost as much as drawing it: 10 ms a picture, measured), a layout still
    measures it and a figure's description reads it there. The first picture draws the Text
    itself: rasterising a title's dozen runs one by one took 30 ms of Chapter 7's first
    picture (measured), the one a learner waits for; its runs are rasterised at the next draw.
    """

    RUN = re.compile(r"[-+]?\d[\d.]*|[^\d+-]+|[+-]")

    def __init__(self, text: Text):
        super().__init__()
        self._source, self._ha, self._va = text, text.get_ha(), text.get_va()
        style = {"fontproperties": text.get_fontproperties(), "color": text.get_color()}
        self._pictures = Pictures(Text(0, 0, "", **style))
        self.set_zorder(text.get_zorder())
        self._drawn = False
        text.set_animated(True)  # left out of the figure's draw (see the class)
        (text.axes or text.get_figure()).add_artist(self)

    def set_text(self, text: str) -> None:
        self._source.set_text(text)
        self.stale = True

    def get_text(self) -> str:
        return self._source.get_text()

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._source.get_text():
            return
        if not self._drawn:  # the first picture: the Text itself (see the class)
            self._drawn = True
            self._source.draw(renderer)
            self.stale = False
            return
        runs = self.RUN.findall(self.get_text())
        figure = _root_figure(self)
        pictures = [self._pictures.get(run, renderer, figure) for run in runs]
        _paste(renderer, self._source, self._ha, self._va, pictures)
        self.stale = False


class KeptText(Artist):
    """Takes the place of a Text that comes back to the same strings (a bar's value, a panel's
    "nan"), drawn from pictures kept for its figure: each string, in each style, is rasterised
    once and pasted wherever a KeptText of that figure shows it. The Text keeps its string,
    place and style, set as before, and stays animated (see PastedText).

    Chapter 2's softmax figure writes 18 values, 6 distinct in its first picture (three ways
    of computing softmax agree): drawing them took 20-30 ms (matplotlib draws each glyph of each
    text), and a redraw meets mostly strings seen before.
    """

    _kept = weakref.WeakKeyDictionary()  # figure -> {style: Pictures}

    def __init__(self, text: Text):
        super().__init__()
        self._source = text
        self.set_zorder(text.get_zorder())
        text.set_animated(True)  # left out of the figure's draw (see PastedText)
        text.axes.add_artist(self)

    def draw(self, renderer) -> None:
        text = self._source
        if not self.get_visible() or not text.get_visible() or not text.get_text():
            return
        figure = _root_figure(self)
        kept = self._kept.setdefault(figure, {})
        style = (str(text.get_fontproperties()), to_rgba(text.get_color()))
        if style not in kept:
            kept[style] = Pictures(text)
        picture = kept[style].get(text.get_text(), renderer, figure)
        _paste(renderer, text, text.get_ha(), text.get_va(), [picture])
        self.stale = False


class Pictures:
    """Strings rasterised in the style of a Text, each once: get(string, renderer) -> (its
    extent at the origin, its picture), as _rasterised gives them."""

    KEPT = 512  # strings kept (numbers come and go): then the oldest are forgotten

    def __init__(self, style: Text):
        self.text = Text(0, 0, "", transform=IdentityTransform())
        self.text.update_from(style)
        self.text.set_transform(IdentityTransform())
        self.text.set_position((0, 0))
        self.text.set_rotation(0)
        self.text.set_ha("left")
        self.text.set_va("baseline")
        self.text.set_clip_on(False)  # drawn whole on the scratch renderer
        self._kept: dict = {}  # (dpi, string) -> (extent, picture)

    def get(self, string: str, renderer, figure):
        """figure: the one drawn (its dpi is the renderer's)."""
        key = (renderer.dpi, string)
        if key not in self._kept:
            if len(self._kept) >= self.KEPT:
                del self._kept[next(iter(self._kept))]
            if self.text.get_figure() is None:
                self.text.set_figure(figure)
            self.text.set_text(string)
            self._kept[key] = (
                _rasterised(self.text, renderer)
                if string.strip()
                else (
                    Bbox.from_bounds(0, 0, self._space(string, renderer), 0),
                    np.zeros((0, 0, 4), np.uint8),
                )
            )
        return self._kept[key]

    def _space(self, string: str, renderer) -> float:
        """The width of blanks: a run of spaces still moves what follows."""
        if not string:
            return 0.0
        scratch = _scratch(renderer.dpi)
        self.text.set_text(string + ".")
        with_dot = self.text.get_window_extent(scratch).width
        self.text.set_text(".")
        return with_dot - self.text.get_window_extent(scratch).width
