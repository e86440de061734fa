"""The one progress bar of the package: training epochs (trainer.fit) and graded notebooks
(python -m nnscratch grade) both show it, on stderr."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """[########......] 12/30  4 s, about 6 s left  (then the latest step's text)

    Redrawn in place in a terminal, or wherever in_place=True says carriage returns work (a
    notebook's output does); elsewhere (a CI log) one line per step. In place, a step redraws
    only when the bar grows, because a notebook keeps every redraw; draw() redraws anyway, so
    that the clock moves during a long step.
    """

    WIDTH = 30

    def __init__(self, total: int, stream=None, quiet: bool = False, *, unit: str = "",
                 in_place: bool | None = None):
        self.total, self.quiet, self.unit = total, quiet, unit
        self.stream = sys.stderr if stream is None else stream
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.in_place = tty if in_place is None else in_place
        self.done, self.text = 0, ""
        self.started = time.monotonic()

    def update(self, name: str, text: str) -> None:
        """One more step done: name is what finished, text how it went."""
        self.done += 1
        if self.quiet:
            return
        if not self.in_place:
            self.stream.write(f"[{self.done}/{self.total}] {name}: {text}\n")
            self.stream.flush()
            return
        self.text = text
        if self._grew():
            self.draw()

    def _grew(self) -> bool:
        width, done, total = self.WIDTH, self.done, max(1, self.total)
        return done >= total or width * done // total != width * (done - 1) // total

    def draw(self) -> None:
        """Redraw the bar in place (nothing when quiet or not in place)."""
        if self.quiet or not self.in_place:
            return
        elapsed = time.monotonic() - self.started
        filled = int(self.WIDTH * self.done / max(1, self.total))
        left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left" if self.done else ""
        text = f"  {self.text[:60]}" if self.text else ""
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.unit}{self.done}/{self.total}"
            f"  {elapsed:4.0f} s{left}{text}   "
        )
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.in_place and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
