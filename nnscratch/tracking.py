"""The progress file: every check a learner runs, kept in a small local file.

Every `check(...)` you run is noted in a JSON file on your own computer (nothing is ever sent
anywhere): ~/.nnscratch/progress.json, or the file named by the environment variable
NNSCRATCH_PROGRESS_FILE (set it to an empty value to record nothing). An exercise counts as
passed once a check of it has passed. On Binder and Colab the home folder is temporary: the
file goes when the session ends.

    import nnscratch
    nnscratch.progress()             # a table: per chapter, exercises passed / total, last attempt
    nnscratch.progress(reset=True)   # forget everything recorded so far

This module only reads and writes the file; nnscratch.scoreboard makes the table from it.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
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


def load(path: Path | None = None) -> dict:
    """What the file holds ({} when there is none, or it is not ours); path: default the file."""
    path = progress_file() if path is None else path
    if path is None:
        return {}
    return _load(path)


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
