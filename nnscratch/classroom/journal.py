"""Each finished submission's record, written to disk the moment it is done, for `--resume`.

FILE.partial.jsonl beside the gradebook: a first line with the run's seed, then one line per
finished submission ({"key": the file's path as hex bytes, "record": records.to_plain()}),
each flushed and synced. A run that is killed keeps every finished line; `--resume` reads them back and grades
only the rest, with the same seed. A run that ends removes the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nnscratch.classroom import records
from nnscratch.classroom.records import Record


def path_for(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".partial.jsonl")


def key(path: Path) -> str:
    """A submission's path as text whatever its encoding (names need not be UTF-8)."""
    return os.fsencode(os.path.abspath(path)).hex()


def read(path: Path) -> tuple[int | None, dict[str, Record]]:
    """The seed and the finished records (by key) of an earlier run; (None, {}) if none.

    A line that is not a record (cut off by a kill, say) is skipped: its submission is graded
    again."""
    if not path.is_file():
        return None, {}
    seed, done = None, {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut off by a kill
            if not isinstance(entry, dict):
                continue
            if number == 0 and isinstance(entry.get("seed"), int):
                seed = entry["seed"]
            elif isinstance(entry.get("key"), str):
                try:
                    done[entry["key"]] = records.from_plain(entry.get("record"))
                except records.RecordError:
                    continue
    return seed, done


class Journal:
    """The open file of this run."""

    def __init__(self, path: Path, seed: int, resumed: bool):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "a" if resumed else "w", encoding="utf-8")  # noqa: SIM115
        if not resumed:
            self._line({"seed": seed})

    def _line(self, entry: dict) -> None:
        self.file.write(json.dumps(entry, ensure_ascii=True) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def add(self, path: Path, record: Record) -> None:
        self._line({"key": key(path), "record": records.to_plain(record)})

    def close(self, finished: bool) -> None:
        self.file.close()
        if finished:
            self.path.unlink(missing_ok=True)
