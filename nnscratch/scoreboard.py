"""The course's one scoreboard: where a learner stands, exercise by exercise, chapter by chapter.

Built on the chapter records of nnscratch.exercises (title, exercises, points) and one scoring
rule (nnscratch.exercises.earned), from either source of results:

    score("lab2")          # this session's checks (grader.history): points earned so far
    progress()             # every check ever recorded in the progress file (nnscratch.tracking)

Both are tables of the same rows; a notebook shows them as HTML, elsewhere as text.
"""

from __future__ import annotations

import datetime
import html
import sys
import unicodedata
from dataclasses import dataclass

from nnscratch import grader, tracking
from nnscratch.exercises import BY_PREFIX, CHAPTERS, Chapter, earned
from nnscratch.grader.report import STATUS_COLOURS
from nnscratch.i18n import _


@dataclass(frozen=True)
class Row:
    """One exercise: what it is worth and its latest check."""

    id: str
    points: int
    passed: int  # tests passed in the latest check (0 if never checked)
    tests: int  # tests in the exercise
    status: str  # "passed", "failed" or "not attempted"
    ever_passed: bool = False  # some check of it passed (progress counts these)

    @property
    def earned(self) -> float:
        return earned(self.points, self.passed, self.tests)


@dataclass(frozen=True)
class Standing:
    """One chapter or lab: its rows, and when the learner last tried one of its exercises."""

    chapter: Chapter
    rows: tuple[Row, ...]
    last_attempt: str | None = None  # ISO time, or None when nothing was tried (or not known)

    @property
    def name(self) -> str:
        """The chapter's title in the learner's language."""
        return _(self.chapter.title)

    @property
    def exercises(self) -> tuple[str, ...]:
        return self.chapter.ids

    @property
    def passed(self) -> tuple[str, ...]:
        """The exercises some check has passed."""
        return tuple(r.id for r in self.rows if r.ever_passed)

    @property
    def todo(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rows if not r.ever_passed)

    @property
    def earned(self) -> float:
        return round(sum(r.earned for r in self.rows), 1)

    @property
    def total(self) -> int:
        return sum(r.points for r in self.rows)


# --- where the rows come from ----------------------------------------------------------------


def session(chapter: Chapter) -> Standing:
    """The latest check of each exercise in this session (nnscratch.grader.history)."""
    latest = {result.id: result for result in grader.history}  # later checks replace earlier
    rows = []
    for ex in chapter.exercises:
        result, worth = latest.get(ex.id), chapter.worth(ex.id)
        if result is None:
            rows.append(Row(ex.id, worth, 0, len(ex.cases), "not attempted"))
        else:
            rows.append(Row(ex.id, worth, result.score, result.total, result.status, result.passed))
    return Standing(chapter, tuple(rows))


def recorded(chapter: Chapter, data: dict) -> Standing:
    """Every check of the chapter's exercises recorded in the progress file's data."""
    entries = data.get("exercises", {})
    rows, times = [], []
    for ex in chapter.exercises:
        entry = entries.get(ex.id)
        entry = entry if isinstance(entry, dict) else {}
        passed, tests = _pair(entry.get("last_score"), len(ex.cases))
        status = "not attempted" if not entry else "passed" if passed == tests else "failed"
        rows.append(
            Row(ex.id, chapter.worth(ex.id), passed, tests, status, bool(entry.get("passed")))
        )
        if entry.get("last_attempt"):
            times.append(str(entry["last_attempt"]))
    return Standing(chapter, tuple(rows), max(times) if times else None)


def _pair(value, tests: int) -> tuple[int, int]:
    """The file's [score, total], or (0, tests) when it is missing or not two numbers."""
    try:
        score, total = (int(v) for v in value)
    except (TypeError, ValueError):
        return 0, tests
    return score, total


# --- a lab's points, this session ------------------------------------------------------------


def points(lab: str) -> dict[str, int]:
    """Exercise id -> points, in the order the lab asks them."""
    chapter = BY_PREFIX[lab]
    return {exercise_id: chapter.worth(exercise_id) for exercise_id in chapter.ids}


class Score:
    """score()'s table: each exercise's tests passed and points earned, and the total."""

    def __init__(self, standing: Standing):
        self.standing = standing
        self.lab, self.rows = standing.chapter.prefix, standing.rows
        self.earned, self.total = standing.earned, standing.total

    def __str__(self) -> str:
        width = max(len(r.id) for r in self.rows)
        lines = [f"{self.lab}: {self._so_far()}"]
        for r in self.rows:
            tests = _("{passed}/{tests} tests, {status}").format(
                passed=r.passed, tests=r.tests, status=_(r.status)
            )
            lines.append(f"  {r.id:<{width}}  {_num(r.earned):>4} / {r.points}   {tests}")
        return "\n".join(lines)

    def _so_far(self) -> str:
        return _("{earned} of {total} points so far").format(
            earned=_num(self.earned), total=self.total
        )

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{html.escape(r.id)}</code></td><td>{r.passed}/{r.tests}</td>"
            f"<td style='color:{STATUS_COLOURS[r.status]}'>{html.escape(_(r.status))}</td>"
            f"<td style='text-align:right'>{_num(r.earned)} / {r.points}</td></tr>"
            for r in self.rows
        )
        head = "".join(
            f"<th>{html.escape(h)}</th>"
            for h in (_("exercise"), _("tests passed"), _("status"), _("points"))
        )
        total = html.escape(_("total"))
        return (
            f"<div class='nnscratch-score'><b>{html.escape(self.lab)}: "
            f"{html.escape(self._so_far())}</b><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody><tfoot><tr><td><b>{total}</b></td>"
            "<td></td><td></td>"
            f"<td style='text-align:right'><b>{_num(self.earned)} / {self.total}</b></td></tr>"
            "</tfoot></table></div>"
        )


def score(lab: str) -> Score:
    """The latest check of each of the lab's exercises, in points."""
    return Score(session(BY_PREFIX[lab]))


def _num(value: float) -> str:
    return f"{value:g}"


# --- every chapter, from the progress file ---------------------------------------------------


class Progress:
    """progress()'s table: per chapter, exercises passed / total, last attempt, still to do."""

    def __init__(self, chapters: list[Standing], where):
        self.chapters, self.where = chapters, where

    @property
    def passed(self) -> int:
        return sum(len(c.passed) for c in self.chapters)

    @property
    def total(self) -> int:
        return sum(len(c.exercises) for c in self.chapters)

    def _footer(self) -> str:
        if self.where is None:
            return _("Recording is off ({variable} is empty).").format(variable=tracking.ENV)
        return _(
            "Kept in {where} (on this computer only). "
            "Start again with nnscratch.progress(reset=True)."
        ).format(where=self.where)

    def __str__(self) -> str:
        chapter, passed, last, todo = _("Chapter"), _("Passed"), _("Last attempt"), _("Still to do")
        width = max([_width(c.name) for c in self.chapters] + [_width(chapter), 7])
        lines = [f"{_pad(chapter, width)}  {_pad(passed, 6)}  {_pad(last, 16)}  {todo}"]
        for c in self.chapters:
            todo = ", ".join(e.split(".", 1)[1] for e in c.todo) or "-"
            lines.append(
                f"{_pad(c.name, width)}  {len(c.passed):>2} / {len(c.exercises):<2} "
                f"{_pad(_when(c.last_attempt), 17)} {todo}"
            )
        total = _pad(_("Total"), width)
        lines += [f"{total}  {self.passed:>2} / {self.total:<2}", self._footer()]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cell = "padding:3px 12px 3px 0;text-align:left;white-space:nowrap;vertical-align:top"
        rows = []
        for c in self.chapters:
            share = len(c.passed) / len(c.exercises)
            bar = (
                "<div style='background:#eaeef2;width:100px;height:10px;border-radius:5px;"
                f"margin-top:4px'><div style='background:{STATUS_COLOURS['passed']};"
                f"width:{100 * share:.0f}px;height:10px;border-radius:5px'></div></div>"
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
                + f"<td style='{cell};white-space:normal'>"
                + (todo or html.escape(_("✔ all passed")))
                + "</td></tr>"
            )
        head = "".join(
            f"<th style='{cell}'>{html.escape(h)}</th>"
            for h in (_("Chapter"), _("Passed"), "", _("Last attempt"), _("Still to do"))
        )
        total, title = html.escape(_("Total")), html.escape(_("Your progress"))
        total = (
            f"<tr><td style='{cell}'><b>{total}</b></td>"
            f"<td style='{cell}'><b>{self.passed} / {self.total}</b></td></tr>"
        )
        footer = f"<p style='color:#6e7781;margin:6px 0'>{html.escape(self._footer())}</p>"
        return (
            f"<div class='nnscratch-progress'><b>{title}</b>"
            f"<table style='border-collapse:collapse;margin-top:4px'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}{total}</tbody></table>{footer}</div>"
        )


def _when(iso: str | None) -> str:
    if not iso:
        return _("not started")
    try:
        return datetime.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _width(text: str) -> int:
    """Columns text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """text left-aligned in width columns (str.ljust counts characters, not columns)."""
    return text + " " * max(0, width - _width(text))


def progress(reset: bool = False) -> Progress:
    """Your progress, per chapter: exercises passed / total, and the time of your last attempt.

    reset=True first forgets everything recorded so far.
    """
    if reset:
        tracking.erase()
    data = tracking.load()
    return Progress([recorded(c, data) for c in CHAPTERS if c.exercises], tracking.progress_file())


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
