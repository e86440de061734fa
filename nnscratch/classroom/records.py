"""One submission's record: the plain data a grading worker sends back to the main process."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from nnscratch.classroom.notebooks import safe_text
from nnscratch.grader.report import Outcome, Result


def result_to_dict(result: Result) -> dict:
    return {
        "id": result.id,
        "note": result.note,
        "seed": result.seed,
        "outcomes": [asdict(o) for o in result.outcomes],
        "language": result.language,
    }


def result_from_dict(data: dict) -> Result:
    outcomes = tuple(Outcome(**o) for o in data["outcomes"])
    language = data.get("language", "en")  # the records of an older run are English
    return Result(data["id"], outcomes, data["note"], data["seed"], language=language)


def empty_record(path: Path) -> dict:
    """A record with nothing graded yet. Its fields:

    ids: the exercises the notebook checks, in its order; results: id -> result_to_dict();
    passed: id -> bool, what the CSV shows (False when flagged); flags: id -> why the course's
    own code earned nothing; errors: the CSV's error column; review: notes worth a look;
    cell_errors: [{"cell", "error"}]; and timing: seconds, kernels, requests, max_lag, slow_replies.
    language: the notebook's ("en", "zh"), which its results and feedback speak; shown: those
    English texts of errors, flags and cell_errors that the feedback shows translated.
    """
    return {
        "path": safe_text(str(path)),
        "ids": [],
        "unknown_ids": [],
        "results": {},
        "passed": {},
        "flags": {},
        "errors": [],
        "review": [],
        "cell_errors": [],
        "seconds": 0.0,
        "kernels": 0,
        "requests": 0,
        "max_lag": 0.0,
        "slow_replies": 0,
        "language": "en",
        "shown": {},
    }
