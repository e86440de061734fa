"""One submission's record: everything the grading found, and its plain-data form.

A Record lives in a grading worker, crosses the pipe to the main process, goes into the resume
journal on disk and into the details file: those crossings use to_plain() and from_plain(), the
only places where a record is a dict. The plain form's keys are the fields, in their order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
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


@dataclass
class Record:
    """What grading one submission found (a record with only a path: nothing graded yet)."""

    path: str
    """The file as handed in, as printable text whatever its encoding (notebooks.safe_text)."""
    ids: list[str] = field(default_factory=list)
    """The exercises it is graded on, in course order: its assignment (notebooks.assignment)."""
    unknown_ids: list[str] = field(default_factory=list)
    """Exercise ids its checks name that the course does not know."""
    results: dict[str, Result] = field(default_factory=dict)
    """Exercise id -> the hidden tests' result, for each exercise that was judged."""
    passed: dict[str, bool] = field(default_factory=dict)
    """Exercise id -> what the CSV shows: every test passed, and not flagged or disqualified."""
    flags: dict[str, str] = field(default_factory=dict)
    """Exercise id -> why it earns nothing (the course's own code was handed in, say)."""
    errors: list[str] = field(default_factory=list)
    """Why it was not (fully) graded: the CSV's error column."""
    review: list[str] = field(default_factory=list)
    """Notes worth an instructor's look, which cost no points."""
    cell_errors: list[dict] = field(default_factory=list)
    """The cells that stopped with an error: [{"cell": its number from 1, "error": text}]."""
    seconds: float = 0.0
    """How long grading it took, kernels and all."""
    kernels: int = 0
    """Kernels started for it (a cell that crashes one costs another)."""
    requests: int = 0
    """Requests sent to its kernels."""
    max_lag: float = 0.0
    """The longest a kernel's reply waited before it was read, in seconds."""
    slow_replies: int = 0
    """Replies read more than submission.SLOW_REPLY late."""
    language: str = "en"
    """The notebook's language ("en", "zh"), which its results and feedback speak."""
    shown: dict[str, str] = field(default_factory=dict)
    """English texts of errors, flags and cell_errors -> as the feedback shows them."""
    cpu_kernel: float = 0.0
    """CPU seconds its kernels' process trees used (bench/grade_bench.py reports it)."""
    cpu_worker: float = 0.0
    """CPU seconds its grading worker used on it, outside the kernels."""
    submission: str = ""
    """Its name in the gradebook (gradebook.display_name), given by the main process."""


def empty_record(path: Path | str) -> Record:
    """A record with nothing graded yet."""
    return Record(safe_text(str(path)))


def to_plain(record: Record) -> dict:
    """The record as JSON types: results as result_to_dict(), the rest as it is."""
    plain = {f.name: getattr(record, f.name) for f in fields(Record)}
    plain["results"] = {i: result_to_dict(r) for i, r in record.results.items()}
    return plain


class RecordError(ValueError):
    """The data is not a record that to_plain() made."""


# Each field's JSON type, checked when a record is read back (the annotations are text here).
_JSON_TYPES = {
    f.name: {"str": str, "float": (int, float), "int": int, "list": list, "dict": dict}[
        f.type.split("[")[0]
    ]
    for f in fields(Record)
}


def from_plain(data) -> Record:
    """The inverse of to_plain(). A key it does not know is ignored and a missing one takes
    its default, so that the journal of an older run (without language or shown, say) still
    resumes; a value of the wrong type raises RecordError."""
    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        raise RecordError("a record is a dict with a path")
    values = {}
    for name, kind in _JSON_TYPES.items():
        if name not in data:
            continue
        value = data[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RecordError(f"a record's {name} cannot be {type(value).__name__}")
        values[name] = value
    try:
        values["results"] = {i: result_from_dict(r) for i, r in values.get("results", {}).items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise RecordError(f"a record's results are malformed: {exc!r}") from exc
    return Record(**values)
