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
times (an axis that grows) says so with fig.live_key: a new key draws the background again.

No ipywidgets here: nnscratch.widgets.ui wires this to the controls.
"""

from __future__ import annotations

import struct
import zlib

# zlib level 1: half of level 6's time on these flat-coloured pictures, about 15% bigger.
PNG_COMPRESSION = 1


class Renderer:
    """Renders successive Figures of one live figure with the layout of the first.

    draw functions may return a new Figure each time (the first one's layout is copied onto
    it: same axes, same places) or the same Figure with its artists updated (it is laid out
    on its first picture and keeps that layout; a widget may switch between several).
    """

    def __init__(self, dpi: int = 90):
        self.dpi = dpi
        self.positions: list | None = None  # each Axes' place, from the first picture
        self._figure = self._background = None  # a figure with live artists, and the rest of it
        self._key = None  # the figure's live_key when its background was drawn

    def png(self, fig) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if fig.dpi != self.dpi:
            fig.set_dpi(self.dpi)
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        live = sorted(getattr(fig, "live_artists", ()), key=lambda a: a.get_zorder())
        key = getattr(fig, "live_key", None)
        if live and fig is self._figure and key == self._key:
            fig.canvas.restore_region(self._background)
        else:
            for artist in live:
                artist.set_animated(True)  # left out of the background
            if self.positions is not None and not live:
                self._apply_layout(fig)
            fig.canvas.draw()  # lays the figure out, when it has a layout engine
            if self.positions is None and not live:
                self.positions = [ax.get_position() for ax in fig.axes]
            fig.set_layout_engine("none")  # a figure updated in place keeps its layout
            if live:
                self._figure, self._background = fig, fig.canvas.copy_from_bbox(fig.bbox)
                self._key = key
        for artist in live:
            fig.draw_artist(artist)
        return encode(fig.canvas)

    def _apply_layout(self, fig) -> None:
        """A new Figure of the same figure function: give its axes the first picture's places,
        unless it has other axes (then it is laid out on its own, as a first picture is)."""
        if len(fig.axes) != len(self.positions) or fig.get_layout_engine() is None:
            return
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, self.positions):
            ax.set_position(position)


def encode(canvas) -> bytes:
    """The canvas' current pixels as an RGB PNG (the figures are opaque).

    Written here rather than with Pillow (which matplotlib itself uses for PNG): Pillow filters
    every row to find the best predictor, which on a 1080 x 504 figure took 19-23 ms of a
    redraw, measured; rows left unfiltered and zlib at level 1 take 12 ms and make a PNG within
    5% of the size, as these flat-coloured pictures compress well as they are.
    """
    import numpy as np

    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then pixels
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESSION))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
