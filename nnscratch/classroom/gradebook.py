"""What an instructor reads: the CSV gradebook, a JSON file with every detail, feedback files.

grades.csv: one row per submission: `submission`, one column per exercise (1 when every test
passed, 0 otherwise, empty when the exercise is not part of that notebook's assignment),
`score`, `total`, `error`, then `points` and `max_points` (the notebook's own score(), see
points() below). The assignment of a notebook is every exercise of each chapter or lab it
checks an exercise of, as the course's exercise tables list them (notebooks.assignment).
grades.details.json (next to it): the seed, the settings, and each submission's results.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
from pathlib import Path

from nnscratch.classroom.notebooks import safe_text
from nnscratch.classroom.records import Record, to_plain
from nnscratch.exercises import EXERCISES, chapter_of, earned
from nnscratch.grader.report import new_hints
from nnscratch.i18n import N_, _


def display_name(path: Path) -> str:
    """The path as the gradebook shows it: relative to here if inside, any byte as printable text."""
    path = Path(os.path.abspath(path))  # not resolved: a link is named as handed in
    try:
        name = path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    return safe_text(name)


def header_ids(records: list[Record]) -> list[str]:
    """The union of the exercises found, in course order."""
    found = {i for r in records for i in r.ids}
    return [i for i in EXERCISES if i in found]


def assignment(record: Record, ids: list[str]) -> list[str]:
    """The exercises this submission is graded on, in the order of ids.

    record.ids is its assignment from the course's tables (notebooks.assignment); a file
    that could not be read has none and counts against every exercise of the batch.
    """
    if not record.ids:
        return list(ids)
    return [i for i in ids if i in record.ids]


def score(record: Record, ids: list[str]) -> tuple[int, int]:
    assigned = assignment(record, ids)
    return sum(bool(record.passed.get(i)) for i in assigned), len(assigned)


# --- points: the course's one scoring rule, as the notebook's score() shows it ---------------


def points(record: Record, ids: list[str]) -> tuple[float, int]:
    """(points earned, points possible) over the assignment: each exercise's points (its
    chapter record's) in proportion to the tests it passed, nothing for an exercise flagged
    as the course's own code or for a notebook not graded (nnscratch.exercises.earned)."""
    got, possible = 0.0, 0
    disqualified = any(e.startswith("not graded") for e in record.errors)
    for exercise_id in assignment(record, ids):
        worth = chapter_of(exercise_id).worth(exercise_id)
        possible += worth
        if disqualified or record.flags.get(exercise_id):
            continue
        result = record.results.get(exercise_id)
        if result is None:  # no tests to count: the exercise's 1/0 column decides
            got += worth if record.passed.get(exercise_id) else 0
            continue
        got += earned(worth, result.score, result.total)
    return round(got, 1), possible


def error_text(record: Record) -> str:
    return "; ".join(record.errors)[:500]


def rows(records: list[Record]) -> tuple[list[str], list[list]]:
    ids = header_ids(records)
    header = ["submission", *ids, "score", "total", "error", "points", "max_points"]
    out = []
    for record in sorted(records, key=_name):
        assigned = set(assignment(record, ids))
        marks = [(1 if record.passed.get(i) else 0) if i in assigned else "" for i in ids]
        got, total = score(record, ids)
        earned_points, max_points = points(record, ids)
        out.append(
            [
                record.submission,
                *marks,
                got,
                total,
                error_text(record),
                f"{earned_points:g}",
                max_points,
            ]
        )
    return header, out


def write_csv(path: Path, records: list[Record]) -> None:
    """Written whole to a file beside it, then renamed: a kill never leaves half a gradebook."""
    header, body = rows(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".writing")
    with open(partial, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)
    os.replace(partial, path)


def details_path(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".details.json")


def write_details(path: Path, records: list[Record], meta: dict) -> None:
    ids = header_ids(records)
    data = dict(
        meta,
        exercises=ids,
        submissions=[
            dict(to_plain(r), score=score(r, ids)[0], total=score(r, ids)[1])
            for r in sorted(records, key=_name)
        ],
    )
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- feedback ---------------------------------------------------------------------------------


def feedback_name(submission: str) -> str:
    stem = re.sub(r"\.ipynb$", "", submission)
    return re.sub(r"[^\w.-]+", "__", stem).strip("_") + ".md"


def _say(record: Record, text: str, **params) -> str:
    """text in the record's language: the worker's translation, else the catalogue's (passed
    on, so nothing global is changed)."""
    said = record.shown.get(text) or _(text, record.language)
    return said.format(**params) if params else said


def feedback(record: Record, ids: list[str], meta: dict) -> str:
    """One submission's feedback, in Markdown, with the notebook's own messages and hints, in
    the notebook's language."""
    lines = _feedback_header(record, ids, meta)
    if record.errors:
        lines += [_say(record, N_("## What could not be graded")), ""]
        lines += [f"- {_say(record, e)}" for e in record.errors] + [""]
    for exercise_id in assignment(record, ids):
        lines += _exercise_feedback(record, exercise_id)
    if record.cell_errors:
        lines += [_say(record, N_("## Cells that stopped with an error")), ""]
        lines += [
            "- "
            + _say(
                record,
                N_("code cell {number}: {error}"),
                number=e["cell"],
                error=_say(record, e["error"]),
            )
            for e in record.cell_errors
        ] + [""]
    return "\n".join(lines)


def _feedback_header(record: Record, ids: list[str], meta: dict) -> list[str]:
    got, total = score(record, ids)
    return [
        _say(record, N_("# Feedback on {submission}"), submission=record.submission),
        "",
        _say(record, N_("**{passed} of {total} exercises passed.**"), passed=got, total=total),
        "",
        # No seed here: with it, the hidden inputs of a regrade could be computed in advance
        # (the instructor's details file keeps it).
        _say(
            record,
            N_(
                "Graded {time}: the hidden tests used inputs drawn fresh for this "
                "grading, not the ones your notebook showed."
            ),
            time=meta["graded_at"],
        ),
        "",
    ]


def _exercise_feedback(record: Record, exercise_id: str) -> list[str]:
    """One exercise's section: its verdict, why it was not counted, and each test."""
    result = record.results.get(exercise_id)
    if result is None:
        missing = N_('No `check("{id}", ...)` cell was found in this notebook.')
        return [f"## ✘ {exercise_id}", "", _say(record, missing, id=exercise_id), ""]
    flag = record.flags.get(exercise_id)
    mark = "✔" if record.passed.get(exercise_id) else "✘"
    verdict = result.verdict()
    if flag:
        not_counted = N_("not counted ({verdict}, but not with your own code)")
        verdict = _say(record, not_counted, verdict=verdict)
    heading = N_("## {mark} {id}: {verdict}")
    lines = [_say(record, heading, mark=mark, id=exercise_id, verdict=verdict), ""]
    if flag:
        lines += [_say(record, N_("Not counted: {reason}."), reason=_say(record, flag)), ""]
    if result.status == "not attempted":
        still = N_("Not attempted: the cell still raises `NotImplementedError`.")
        return lines + [_say(record, still), ""]
    if result.note:
        sentence = result.note[0].upper() + result.note[1:]
        lines += [_say(record, N_("{sentence}."), sentence=sentence), ""]
    if all(o.message == _("not run", result.language) for o in result.outcomes):
        return lines
    return lines + _test_lines(record, result) + [""]


def _test_lines(record: Record, result) -> list[str]:
    """A line per test, with the hint of each failure that an earlier one did not give."""
    lines = []
    for outcome, hint in zip(result.outcomes, new_hints(result.outcomes)):
        if outcome.passed:
            lines.append(f"- ✔ {outcome.name}")
            continue
        failure = N_("{test}: {problem}")
        lines.append("- ✘ " + _say(record, failure, test=outcome.name, problem=outcome.message))
        if hint:
            lines.append("  - " + _say(record, N_("Hint: {hint}"), hint=hint))
    return lines


def write_feedback(folder: Path, records: list[Record], meta: dict) -> int:
    ids = header_ids(records)
    folder.mkdir(parents=True, exist_ok=True)
    names = set()
    for record in records:
        name = feedback_name(record.submission)
        while name in names:  # two submissions whose names differ only in punctuation
            name = name[:-3] + "_.md"
        names.add(name)
        (folder / name).write_text(feedback(record, ids, meta), encoding="utf-8")
    return len(names)


# --- the summary ------------------------------------------------------------------------------


def summary(records: list[Record], meta: dict, seconds: float) -> str:
    ids = header_ids(records)
    scores = [score(r, ids) for r in records]
    lines = [
        (
            f"Graded {len(records)} submission{'s' * (len(records) != 1)} in {_duration(seconds)} "
            f"(seed {meta['seed']})."
        )
    ]
    if records:
        mean = sum(s for s, _ in scores) / len(records)
        mean_total = sum(t for _, t in scores) / len(records)
        share = sum(s / t for s, t in scores if t) / max(1, sum(1 for _, t in scores if t))
        lines.append(f"Mean score: {mean:.2f} of {mean_total:.3g} exercises ({share:.0%}).")
    trouble = [r for r in records if r.errors]
    if trouble:
        lines.append(
            f"Not fully graded or flagged: {len(trouble)} (the CSV's error column says why):"
        )
        lines += [
            f"  {r.submission}: {error_text(r)[:150]}" for r in sorted(trouble, key=_name)[:10]
        ]
        if len(trouble) > 10:
            lines.append(f"  ... and {len(trouble) - 10} more")
    review = [r for r in records if r.review]
    if review:
        lines.append(f"Worth a look: {len(review)}:")
        lines += [
            f"  {r.submission}: {'; '.join(r.review)[:150]}" for r in sorted(review, key=_name)[:10]
        ]
    if ids:
        lines.append("Failures by exercise:")
        width = max(len(i) for i in ids)
        for exercise_id in ids:
            graded = [r for r in records if exercise_id in assignment(r, ids)]
            failed = sum(not r.passed.get(exercise_id) for r in graded)
            lines.append(f"  {exercise_id:<{width}}  {failed} of {len(graded)} failed")
    stalls = sum(r.slow_replies for r in records)
    requests = sum(r.requests for r in records)
    if stalls:
        lines.append(
            f"Slow kernel replies: {stalls} of {requests} requests were read more than 0.5 s late."
        )
    return "\n".join(lines)


def _name(record: Record) -> str:
    return record.submission


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def now_text() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")
