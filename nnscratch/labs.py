"""Labs: points per exercise, and the learner's score so far from the checks run in this session.

    from nnscratch.labs import score
    score("lab1")        # a table: each exercise's tests passed and points earned

Each lab's points live once, in POINTS of its exercise module (nnscratch/exercises/lab1.py...).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import import_module

from nnscratch import grader


def points(lab: str) -> dict[str, int]:
    """Exercise id -> points, in the order the lab asks them."""
    return dict(import_module(f"nnscratch.exercises.{lab}").POINTS)


@dataclass(frozen=True)
class Row:
    id: str
    points: int
    passed: int  # tests passed in the latest check of this exercise (0 if never checked)
    tests: int  # tests in the exercise
    status: str  # "passed", "failed" or "not attempted"

    @property
    def earned(self) -> float:
        """Points in proportion to the tests passed, to one decimal."""
        return round(self.points * self.passed / self.tests, 1) if self.tests else 0.0


@dataclass(frozen=True)
class Score:
    lab: str
    rows: tuple[Row, ...]

    @property
    def earned(self) -> float:
        return round(sum(r.earned for r in self.rows), 1)

    @property
    def total(self) -> int:
        return sum(r.points for r in self.rows)

    def __str__(self) -> str:
        width = max(len(r.id) for r in self.rows)
        lines = [f"{self.lab}: {_num(self.earned)} of {self.total} points so far"]
        for r in self.rows:
            lines.append(
                f"  {r.id:<{width}}  {_num(r.earned):>4} / {r.points}   "
                f"{r.passed}/{r.tests} tests, {r.status}"
            )
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"passed": "#1a7f37", "failed": "#cf222e", "not attempted": "#6e7781"}
        body = "".join(
            f"<tr><td><code>{html.escape(r.id)}</code></td><td>{r.passed}/{r.tests}</td>"
            f"<td style='color:{colour[r.status]}'>{r.status}</td>"
            f"<td style='text-align:right'>{_num(r.earned)} / {r.points}</td></tr>"
            for r in self.rows
        )
        return (
            f"<div class='nnscratch-score'><b>{html.escape(self.lab)}: {_num(self.earned)} of "
            f"{self.total} points so far</b><table><thead><tr><th>exercise</th>"
            f"<th>tests passed</th>"
            f"<th>status</th><th>points</th></tr></thead><tbody>{body}</tbody><tfoot><tr>"
            f"<td><b>total</b></td><td></td><td></td><td style='text-align:right'><b>"
            f"{_num(self.earned)} / {self.total}</b></td></tr></tfoot></table></div>"
        )


def _num(value: float) -> str:
    return f"{value:g}"


def score(lab: str) -> Score:
    """The latest check of each of the lab's exercises, in points."""
    from nnscratch.exercises import EXERCISES

    latest = {result.id: result for result in grader.history}  # later checks replace earlier ones
    rows = []
    for exercise_id, worth in points(lab).items():
        result = latest.get(exercise_id)
        tests = len(EXERCISES[exercise_id].cases)
        if result is None:
            rows.append(Row(exercise_id, worth, 0, tests, "not attempted"))
        else:
            rows.append(Row(exercise_id, worth, result.score, result.total, result.status))
    return Score(lab, tuple(rows))
