"""A submission's record as plain data: across the worker's pipe, in the resume journal, in the
details file; and a journal written by an older run still resumes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nnscratch.classroom import gradebook, journal, records
from nnscratch.classroom.records import Record, RecordError
from nnscratch.grader.report import Outcome, Result
from tests import hostile

# The details file's keys for one submission, in order (the public contract: instructors'
# scripts read them), then the two the gradebook adds.
DETAILS_KEYS = [
    "path",
    "ids",
    "unknown_ids",
    "results",
    "passed",
    "flags",
    "errors",
    "review",
    "cell_errors",
    "seconds",
    "kernels",
    "requests",
    "max_lag",
    "slow_replies",
    "language",
    "shown",
    "submission",
    "score",
    "total",
]


def graded() -> Record:
    sigmoid = Result(
        "inference.sigmoid",
        (Outcome("small inputs", True), Outcome("large inputs", False, "overflow", "use np.exp")),
        note="",
        seed=7,
        language="zh",
    )
    return Record(
        "class/a.ipynb",
        ids=["inference.sigmoid", "inference.affine"],
        unknown_ids=["mystery.one"],
        results={"inference.sigmoid": sigmoid},
        passed={"inference.sigmoid": False, "inference.affine": False},
        flags={"inference.affine": "the course's own Affine"},
        errors=["code cell 3 crashed the kernel"],
        review=["reads a file"],
        cell_errors=[{"cell": 3, "error": "ValueError: no"}],
        seconds=4.25,
        kernels=2,
        requests=40,
        max_lag=0.01,
        slow_replies=0,
        language="zh",
        shown={"code cell 3 crashed the kernel": "第 3 个代码单元使内核崩溃"},
    )


def test_a_record_crosses_json_unchanged():
    record = graded()
    back = records.from_plain(json.loads(json.dumps(records.to_plain(record))))
    assert back == record
    assert back.results["inference.sigmoid"].outcomes[1].hint == "use np.exp"


def test_the_details_file_keeps_its_keys_and_their_order(tmp_path):
    record = graded()
    record.submission = "class/a.ipynb"
    gradebook.write_details(tmp_path / "d.json", [record], {"seed": 1})
    (written,) = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["submissions"]
    assert list(written) == DETAILS_KEYS
    assert written["results"]["inference.sigmoid"] == {
        "id": "inference.sigmoid",
        "note": "",
        "seed": 7,
        "outcomes": [
            {"name": "small inputs", "passed": True, "message": "", "hint": "", "attempted": True},
            {
                "name": "large inputs",
                "passed": False,
                "message": "overflow",
                "hint": "use np.exp",
                "attempted": True,
            },
        ],
        "language": "zh",
    }
    assert (written["score"], written["total"]) == (0, 2)


@pytest.mark.parametrize(
    "data, problem",
    [
        ([], "a dict with a path"),
        ({"ids": []}, "a dict with a path"),
        ({"path": "a", "ids": "inference.sigmoid"}, "ids cannot be str"),
        ({"path": "a", "kernels": True}, "kernels cannot be bool"),
        ({"path": "a", "results": {"x": {"id": "x"}}}, "results are malformed"),
    ],
)
def test_what_is_not_a_record_is_refused(data, problem):
    with pytest.raises(RecordError, match=problem):
        records.from_plain(data)


def old_journal_line(path: Path, passed: bool, *, with_language: bool) -> str:
    """A finished submission as an older run wrote it: a 16-key dict (14 before the feedback
    spoke Chinese), results without their language."""
    record = {
        "path": str(path),
        "ids": list(hostile.IDS),
        "unknown_ids": [],
        "results": {
            "inference.sigmoid": {
                "id": "inference.sigmoid",
                "note": "",
                "seed": 5,
                "outcomes": [
                    {"name": "t", "passed": passed, "message": "", "hint": "", "attempted": True}
                ],
            }
        },
        "passed": {i: passed for i in hostile.IDS},
        "flags": {},
        "errors": [],
        "review": [],
        "cell_errors": [],
        "seconds": 3.5,
        "kernels": 1,
        "requests": 20,
        "max_lag": 0.002,
        "slow_replies": 0,
    }
    if with_language:
        record.update(language="en", shown={})
    return json.dumps({"key": journal.key(path), "record": record}) + "\n"


def test_an_older_runs_journal_is_read_back(tmp_path):
    a, b, c = (tmp_path / f"{n}.ipynb" for n in "abc")
    (tmp_path / "j.partial.jsonl").write_text(
        json.dumps({"seed": 99})
        + "\n"
        + old_journal_line(a, True, with_language=True)
        + old_journal_line(b, False, with_language=False)
        + json.dumps({"key": journal.key(c), "record": {"path": 3}})  # not a record: regraded
        + "\n"
        + '{"key": "6162", "rec',  # cut off by a kill
        encoding="utf-8",
    )
    seed, done = journal.read(tmp_path / "j.partial.jsonl")
    assert seed == 99 and sorted(done) == sorted([journal.key(a), journal.key(b)])
    old = done[journal.key(b)]
    assert old.language == "en" and old.shown == {} and old.submission == ""
    assert old.results["inference.sigmoid"].language == "en"
    assert done[journal.key(a)].passed == dict.fromkeys(hostile.IDS, True)


def test_a_run_resumes_from_an_older_runs_journal(tmp_path):
    """End to end: the kept row is the journal's, the rest is graded (a file that is not a
    notebook: no kernel needed), and the gradebook's files are written from both."""
    folder = tmp_path / "class"
    folder.mkdir()
    kept = folder / "a_solved.ipynb"
    kept.write_bytes(hostile.dump(hostile.load(hostile.SOLVED)))
    (folder / "b_broken.ipynb").write_text("{}")
    csv_path = tmp_path / "g.csv"
    journal.path_for(csv_path).write_text(
        json.dumps({"seed": 4242}) + "\n" + old_journal_line(kept, True, with_language=False),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "nnscratch", "grade", str(folder), "--csv", str(csv_path)]
        + ["--jobs", "1", "--resume", "--feedback", str(tmp_path / "feedback")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept from the interrupted run" in done.stderr and "seed 4242" in done.stderr
    header, rows = gradebook_rows(csv_path)
    assert header[-5:] == ["score", "total", "error", "points", "max_points"]
    full = str(len(hostile.IDS))
    assert (rows["a_solved"]["score"], rows["a_solved"]["total"]) == (full, full)
    assert rows["b_broken"]["error"] == "not a notebook: no list of cells"
    details = json.loads(gradebook.details_path(csv_path).read_text(encoding="utf-8"))
    assert details["seed"] == 4242
    assert [list(r) for r in details["submissions"]] == [DETAILS_KEYS, DETAILS_KEYS]
    feedback = (tmp_path / "feedback" / "class__a_solved.md").read_text(encoding="utf-8")
    assert f"**{full} of {full} exercises passed.**" in feedback
    assert not journal.path_for(csv_path).exists()  # the run finished: no journal left


def gradebook_rows(path: Path) -> tuple[list[str], dict[str, dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    return table[0], {Path(row[0]).stem: dict(zip(table[0], row)) for row in table[1:]}
