"""A self-paced learner's progress: the exercises passed, per chapter, kept in a small local file.

Every `check(...)` you run is noted in a JSON file on your own computer (nothing is ever sent
anywhere): ~/.nnscratch/progress.json, or the file named by the environment variable
NNSCRATCH_PROGRESS_FILE (set it to an empty value to record nothing). An exercise counts as
passed once a check of it has passed. On Binder and Colab the home folder is temporary: the
file goes when the session ends.

    import nnscratch
    nnscratch.progress()             # a table: per chapter, exercises passed / total, last attempt
    nnscratch.progress(reset=True)   # forget everything recorded so far
"""

from __future__ import annotations

import datetime
import html
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV = "NNSCRATCH_PROGRESS_FILE"
VERSION = 1
MAX_BYTES = 2**20  # a larger file is not ours: start again rather than read it


def progress_file() -> Path | None:
    """Where progress is kept; None when recording is switched off."""
    value = os.environ.get(ENV)
    if value is None:
        return Path.home() / ".nnscratch" / "progress.json"
    return Path(value).expanduser() if value.strip() else None


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return {}
    return data


def _save(path: Path, data: dict) -> None:
    """Write a new file and rename it over the old one, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def record(result) -> None:
    """Note one check's result (called by nnscratch.grader.check); unattempted ones are skipped."""
    path = progress_file()
    if path is None or result.status == "not attempted":
        return
    data = _load(path)
    exercises = data.setdefault("exercises", {})
    entry = exercises.get(result.id)
    if not isinstance(entry, dict):
        entry = exercises[result.id] = {"attempts": 0, "passed": False, "first_passed": None}
    entry["attempts"] = int(entry.get("attempts", 0)) + 1
    entry["last_attempt"] = _now()
    entry["last_score"] = [result.score, result.total]
    if result.passed and not entry.get("passed"):
        entry["passed"], entry["first_passed"] = True, entry["last_attempt"]
    data["version"] = VERSION
    _save(path, data)


def erase() -> None:
    """Forget every recorded check."""
    path = progress_file()
    if path is not None:
        path.unlink(missing_ok=True)


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    name: str  # "Chapter 1", "Lab 2", or the id prefix
    exercises: tuple[str, ...]
    passed: tuple[str, ...]
    last_attempt: str | None  # ISO time, or None when nothing was tried

    @property
    def todo(self) -> tuple[str, ...]:
        return tuple(e for e in self.exercises if e not in self.passed)


def _chapter_name(module) -> str:
    first = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    head = first.split(":", 1)[0].replace(" exercises", "").strip()
    words = head.split()
    if len(words) == 2 and words[0] in ("Chapter", "Lab") and words[1].isdigit():
        return head
    return module.__name__.rsplit(".", 1)[-1]


def chapters(data: dict | None = None) -> list[Chapter]:
    """Every chapter with exercises, with what the recorded checks say about it."""
    from nnscratch.exercises import CHAPTERS

    if data is None:
        path = progress_file()
        data = _load(path) if path is not None else {}
    recorded = data.get("exercises", {})
    out = []
    for module in CHAPTERS:
        ids = tuple(ex.id for ex in module.EXERCISES)
        if not ids:
            continue
        entries = [recorded.get(i) for i in ids]
        passed = tuple(i for i, e in zip(ids, entries) if isinstance(e, dict) and e.get("passed"))
        times = [
            e.get("last_attempt") for e in entries if isinstance(e, dict) and e.get("last_attempt")
        ]
        out.append(Chapter(_chapter_name(module), ids, passed, max(times) if times else None))
    return out


def _when(iso: str | None) -> str:
    if not iso:
        return "not started"
    try:
        return datetime.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class Progress:
    """The table nnscratch.progress() shows: HTML in a notebook, text elsewhere."""

    def __init__(self, rows: list[Chapter], where: Path | None):
        self.chapters, self.where = rows, where

    @property
    def passed(self) -> int:
        return sum(len(c.passed) for c in self.chapters)

    @property
    def total(self) -> int:
        return sum(len(c.exercises) for c in self.chapters)

    def _footer(self) -> str:
        if self.where is None:
            return f"Recording is off ({ENV} is empty)."
        return (
            f"Kept in {self.where} (on this computer only). "
            "Start again with nnscratch.progress(reset=True)."
        )

    def __str__(self) -> str:
        width = max([len(c.name) for c in self.chapters] + [7])
        lines = [f"{'Chapter':<{width}}  Passed  Last attempt      Still to do"]
        for c in self.chapters:
            todo = ", ".join(e.split(".", 1)[1] for e in c.todo) or "-"
            lines.append(
                f"{c.name:<{width}}  {len(c.passed):>2} / {len(c.exercises):<2} "
                f"{_when(c.last_attempt):<17} {todo}"
            )
        lines += [f"{'Total':<{width}}  {self.passed:>2} / {self.total:<2}", self._footer()]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cell = "padding:3px 12px 3px 0;text-align:left;white-space:nowrap;vertical-align:top"
        rows = []
        for c in self.chapters:
            share = len(c.passed) / len(c.exercises)
            bar = (
                "<div style='background:#eaeef2;width:100px;height:10px;border-radius:5px;"
                f"margin-top:4px'><div style='background:#1a7f37;width:{100 * share:.0f}px;"
                "height:10px;border-radius:5px'></div></div>"
            )
            todo = ", ".join(f"<code>{html.escape(e.split('.', 1)[1])}</code>" for e in c.todo)
            cells = (
                html.escape(c.name),
                f"{len(c.passed)} / {len(c.exercises)}",
                bar,
                html.escape(_when(c.last_attempt)),
            )
            rows.append(
                "<tr>"
                + "".join(f"<td style='{cell}'>{x}</td>" for x in cells)
                + f"<td style='{cell};white-space:normal'>{todo or '✔ all passed'}</td></tr>"
            )
        head = "".join(
            f"<th style='{cell}'>{h}</th>"
            for h in ("Chapter", "Passed", "", "Last attempt", "Still to do")
        )
        total = (
            f"<tr><td style='{cell}'><b>Total</b></td>"
            f"<td style='{cell}'><b>{self.passed} / {self.total}</b></td></tr>"
        )
        footer = f"<p style='color:#6e7781;margin:6px 0'>{html.escape(self._footer())}</p>"
        return (
            "<div class='nnscratch-progress'><b>Your progress</b>"
            f"<table style='border-collapse:collapse;margin-top:4px'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}{total}</tbody></table>{footer}</div>"
        )


def progress(reset: bool = False) -> Progress:
    """Your progress, per chapter: exercises passed / total, and the time of your last attempt.

    reset=True first forgets everything recorded so far.
    """
    if reset:
        erase()
    return Progress(chapters(), progress_file())


def main(argv: list[str] | None = None) -> int:
    """python -m nnscratch progress [--reset]"""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m nnscratch progress",
        description="Show the exercises you have passed, per chapter.",
    )
    parser.add_argument("--reset", action="store_true", help="forget everything recorded so far")
    args = parser.parse_args(argv)
    print(progress(reset=args.reset), file=sys.stdout)
    return 0
