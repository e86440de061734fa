"""Turn a live figure's Figure into PNG bytes fast enough to follow a slider.

Measured on a 2-core machine, most of a redraw went to three things matplotlib's savefig
does on every call and a live figure needs only once: building a new Figure, laying it out
(constrained layout measures every text), and drawing it twice (savefig draws once without
rendering, to run the layout, then again to render). This module lays a live figure out on
its first picture only, keeps that layout for every later one, and renders with one Agg draw
plus a quick PNG encoding.

A figure updated in place can go further: it lists, as fig.live_artists, the artists its
update changes. Everything else (axes, ticks, labels, legends: most of the drawing time) is
drawn once and kept as a background picture; each later picture pastes that background and
draws the live artists on it (matplotlib's "blitting"). A figure whose background changes at
times (an axis that grows) says so with fig.live_key: a new key draws the background again,
and the backgrounds of the last few keys are kept (a learner going back to a setting whose
axis was drawn finds it drawn: redrawing it cost 220 ms, measured on Chapter 7). A figure
that names, as fig.live_axes, the axes a new key changes has only those drawn again, over
the last background (Chapter 7's loss axes: about half of the whole figure's time).
Artists that never change but must cover live ones (a legend over a growing curve) are
listed as fig.live_overlay: drawn once, alone, into a transparent layer pasted over each
picture (text is the dearest thing to draw: a legend cost 14 ms a picture, its paste 0.3 ms).

No ipywidgets here: nnscratch.widgets.ui wires this to the controls.
"""

from __future__ import annotations

import struct
import zlib
from contextlib import contextmanager

import numpy as np

# zlib level 1: half of level 6's time on these flat-coloured pictures, about 15% bigger.
PNG_COMPRESSION = 1
KEPT_BACKGROUNDS = 4  # a live figure's backgrounds kept, by live_key (1.1 MB each at 90 dpi)


class Renderer:
    """Renders successive Figures of one live figure with the layout of the first.

    draw functions may return a new Figure each time (the first one's layout is copied onto
    it: same axes, same places) or the same Figure with its artists updated (it is laid out
    on its first picture and keeps that layout; a widget may switch between several).
    """

    def __init__(self, dpi: int = 90):
        self.dpi = dpi
        self.positions: list | None = None  # each Axes' place, from the first picture
        self._figure = None  # the figure with live artists drawn last
        # its live_key -> (the rest of it drawn, its live_overlay drawn: see _layer)
        self._backgrounds: dict = {}
        self._last = None  # the live_key of the last picture

    def png(self, fig) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if fig.dpi != self.dpi:
            fig.set_dpi(self.dpi)
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        live = sorted(getattr(fig, "live_artists", ()), key=lambda a: a.get_zorder())
        overlay = getattr(fig, "live_overlay", ()) if live else ()
        key = getattr(fig, "live_key", None)
        if fig is not self._figure:
            self._backgrounds.clear()
        if live and key in self._backgrounds:
            self._figure = fig
            fig.canvas.restore_region(self._backgrounds[key][0])
        elif live and self._last in self._backgrounds and getattr(fig, "live_axes", ()):
            with _images_hidden(live):
                self._redraw_axes(fig, key, overlay)
        else:
            for artist in [*live, *overlay]:
                artist.set_animated(True)  # left out of the background
            if self.positions is not None and not live:
                self._apply_layout(fig)
            with _images_hidden(live):
                fig.canvas.draw()  # lays the figure out, when it has a layout engine
            if self.positions is None and not live:
                self.positions = [ax.get_position() for ax in fig.axes]
            fig.set_layout_engine("none")  # a figure updated in place keeps its layout
            if live:
                self._figure = fig
                self._keep(fig, key, fig.canvas.copy_from_bbox(fig.bbox), overlay)
        for artist in live:
            fig.draw_artist(artist)
        layer = self._backgrounds[key][1] if live else None
        self._last = key if live else None
        if layer is not None:
            rows, columns, premultiplied, transparency = layer
            under = np.asarray(fig.canvas.buffer_rgba())[rows, columns, :3]
            under[...] = premultiplied + under * transparency
        return encode(fig.canvas)

    def _keep(self, fig, key, background, overlay) -> None:
        """Keep fig's background for key (with its overlay layer and the places its live_axes
        cover), and leave the canvas showing it."""
        if len(self._backgrounds) >= KEPT_BACKGROUNDS:
            del self._backgrounds[next(iter(self._backgrounds))]
        renderer = fig.canvas.get_renderer()
        # each Axes with its ticks, labels and title: its other artists lie inside it or are
        # live (not in the background); measuring them too doubled the time (the loss curves'
        # every point), 10 ms of Lab 3's first picture
        covered = [
            ax.get_tightbbox(renderer, bbox_extra_artists=[])
            for ax in getattr(fig, "live_axes", ())
        ]
        self._backgrounds[key] = background, _layer(fig, overlay), covered
        self._last = key
        fig.canvas.restore_region(background)

    def _redraw_axes(self, fig, key, overlay) -> None:
        """The background for a new key: the last one, with fig.live_axes drawn again where
        they were (wiped to the figure's colour: nothing else lies there; what they draw now
        outside that place is drawn over blank figure)."""
        fig.canvas.restore_region(self._backgrounds[self._last][0])
        pixels = np.asarray(fig.canvas.buffer_rgba())
        height, width = pixels.shape[:2]
        blank = (np.asarray(fig.get_facecolor()) * 255).round().astype(np.uint8)
        for ax, place in zip(fig.live_axes, self._backgrounds[self._last][2]):
            place = place.padded(2)
            x0, x1 = max(int(place.x0), 0), min(int(np.ceil(place.x1)), width)
            y0, y1 = max(int(place.y0), 0), min(int(np.ceil(place.y1)), height)
            pixels[height - y1 : height - y0, x0:x1] = blank  # rows go down, y goes up
            fig.draw_artist(ax)
        self._keep(fig, key, fig.canvas.copy_from_bbox(fig.bbox), overlay)

    def _apply_layout(self, fig) -> None:
        """A new Figure of the same figure function: give its axes the first picture's places,
        unless it has other axes (then it is laid out on its own, as a first picture is)."""
        if len(fig.axes) != len(self.positions) or fig.get_layout_engine() is None:
            return
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, self.positions):
            ax.set_position(position)


@contextmanager
def _images_hidden(live):
    """The live artists' images hidden while a background is drawn: matplotlib before 3.11
    draws an animated AxesImage all the same, and a translucent class map would be painted
    over its own old picture (seen on the floor, matplotlib 3.6.1)."""
    from matplotlib.image import AxesImage

    images = [a for a in live if isinstance(a, AxesImage) and a.get_visible()]
    for image in images:
        image.set_visible(False)
    try:
        yield
    finally:
        for image in images:
            image.set_visible(True)


def _layer(fig, artists):
    """artists drawn alone on a transparent canvas: (rows, columns) of the pixels they cover,
    their colour times their opacity, and 1 - opacity; None without artists."""
    if not artists:
        return None
    renderer = fig.canvas.get_renderer()
    renderer.clear()  # transparent white
    for artist in artists:
        fig.draw_artist(artist)
    pixels = np.asarray(renderer.buffer_rgba())
    covered = pixels[..., 3] > 0
    covered_rows, covered_columns = (
        np.flatnonzero(covered.any(axis=1)),
        np.flatnonzero(covered.any(axis=0)),
    )
    if not len(covered_rows):
        return None
    rows = slice(covered_rows[0], covered_rows[-1] + 1)
    columns = slice(covered_columns[0], covered_columns[-1] + 1)
    # in floats only where the artists are (the whole canvas took 5 ms of a first picture)
    rgba = pixels[rows, columns].astype(np.float32)
    alpha = rgba[..., 3:] / 255
    premultiplied = rgba[..., :3] * alpha + 0.5  # + 0.5: rounded
    return rows, columns, premultiplied, 1 - alpha


def encode(canvas) -> bytes:
    """The canvas' current pixels as an RGB PNG (the figures are opaque).

    Written here rather than with Pillow (which matplotlib itself uses for PNG): Pillow filters
    every row to find the best predictor, which on a 1080 x 504 figure took 19-23 ms of a
    redraw, measured; rows left unfiltered and zlib at level 1 take 5-6 ms and make a PNG within
    5% of the size, as these flat-coloured pictures compress well as they are.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then pixels
    rows[:, 0] = 0
    for channel in range(3):  # one channel at a time: 0.6 ms, where copying RGB pixels took 4
        rows[:, 1 + channel :: 3] = rgba[..., channel]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESSION))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
