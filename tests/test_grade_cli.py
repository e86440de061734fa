"""`python -m nnscratch grade`: one batch of solved, unsolved and hostile notebooks, graded right.

The batch runs once (a module fixture) with short limits; each hostile case of the catalogue in
tests/hostile is then its own test. The unit tests below it cover the parts a batch cannot
show cheaply: the wire format, the static search for checks, the gradebook's layout.
"""

from __future__ import annotations

import csv
import json
import math
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnscratch.classroom import gradebook, notebooks, wire
from nnscratch.classroom.judge import judge, origin_problem
from nnscratch.classroom.pool import restore_files
from nnscratch.exercises import EXERCISES
from nnscratch.grader.core import grade as grade_in_process
from nnscratch.grader.core import probe_case
from nnscratch.grader.guard import StudentError
from tests import hostile
from tests.notebook_tools import ROOT

SEED = 12345
CASES = {case.name: case for case in hostile.catalogue(Path("unused"))}
# Every other solved notebook of the course joins the batch: all must get full marks.
SOLVED = [p for p in sorted((ROOT / "solutions").glob("*.ipynb")) if p != hostile.SOLVED]


def grade(paths, csv_path: Path, *extra: str, cwd: Path, timeout: float = 600):
    command = [
        sys.executable,
        "-m",
        "nnscratch",
        "grade",
        *map(str, paths),
        "--csv",
        str(csv_path),
        "--timeout",
        "3",
        "--max-output",
        "1",
        "--memory",
        "1024",
        *extra,
    ]
    env = dict(os.environ, NNSCRATCH_TEST_SECRET="a token the submissions must not see")
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env, check=False
    )


def read_csv(path: Path) -> tuple[list[str], dict[str, dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    header = table[0]
    return header, {Path(row[0]).stem: dict(zip(header, row)) for row in table[1:]}


class Batch:
    def __init__(self, folder: Path):
        self.folder = folder
        self.traces = folder / "traces"
        self.paths = hostile.write(folder / "class", hostile.catalogue(self.traces))
        for path in SOLVED:
            (folder / "class" / "course" / path.name).parent.mkdir(exist_ok=True)
            (folder / "class" / "course" / path.name).write_bytes(path.read_bytes())
        self.traces.mkdir()
        started = time.monotonic()
        self.done = grade(
            [folder / "class"],
            folder / "grades.csv",
            "--feedback",
            str(folder / "feedback"),
            "--jobs",
            "2",
            "--seed",
            str(SEED),
            cwd=folder,
        )
        self.seconds = time.monotonic() - started
        self.header, self.rows = read_csv(folder / "grades.csv")
        details = json.loads((folder / "grades.details.json").read_text(encoding="utf-8"))
        self.details = details
        self.records = {Path(r["submission"]).stem: r for r in details["submissions"]}

    def feedback(self, name: str) -> str:
        return (self.folder / "feedback" / f"class__{name}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    return Batch(tmp_path_factory.mktemp("grading"))


def test_the_batch_finishes_with_a_row_for_every_submission(batch):
    assert batch.done.returncode == 0, batch.done.stdout + batch.done.stderr
    assert set(batch.rows) == set(CASES) | {p.stem for p in SOLVED}
    columns = ["submission", *EXERCISES, "score", "total", "error", "points", "max_points"]
    assert batch.header == columns  # exercises in course order
    names = [row["submission"] for row in batch.rows.values()]
    assert names == sorted(names)
    print(f"graded {len(batch.rows)} notebooks in {batch.seconds:.1f} s")


@pytest.mark.parametrize("path", SOLVED, ids=lambda p: p.stem)
def test_every_solved_notebook_of_the_course_gets_full_marks(batch, path):
    row, record = batch.rows[path.stem], batch.records[path.stem]
    assert row["error"] == "" and record["review"] == [], (row["error"], record["review"])
    assert int(row["total"]) > 0 and row["score"] == row["total"], {
        i: r["outcomes"] for i, r in record["results"].items()
    }
    assert all(row[i] == "" for i in hostile.IDS)  # Chapter 1's columns are not its assignment


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_submission_gets_the_grade_it_earned(batch, name):
    case, row, record = CASES[name], batch.rows[name], batch.records[name]
    passed = {i for i in hostile.IDS if row[i] == "1"}
    assert passed == set(case.passed), f"{case.tries}: {row['error']}"
    if record["ids"]:  # the notebook's assignment is Chapter 1: the other columns are not its
        assert all(row[i] == "" for i in batch.header[1:-5] if i not in hostile.IDS)
        assert row["total"] == str(len(hostile.IDS))
    else:  # a file that cannot be read counts against every exercise of the batch
        assert row["total"] == str(len(EXERCISES))
    assert int(row["score"]) == len(case.passed)
    assert hostile.matches(case.error, row["error"]), f"{case.tries}: error column {row['error']!r}"
    if case.review:
        assert hostile.matches(case.review, "; ".join(record["review"])), record["review"]


def test_submissions_do_not_see_the_instructors_environment(batch):
    assert batch.records["reads_secrets"]["cell_errors"] == []


def test_no_process_a_submission_started_outlives_the_grading(batch):
    pid = int((batch.traces / "escaped-child.pid").read_text())
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        if status == "Z":  # killed, waiting for its new parent to collect it
            break
        time.sleep(0.2)
    else:
        assert not Path(f"/proc/{pid}").exists() or not sys.platform.startswith("linux")


def test_the_seed_is_recorded_and_the_feedback_repeats_the_notebooks_hints(batch):
    assert batch.details["seed"] == SEED
    text = batch.feedback("precedence_mistake")
    assert f"seed {SEED}" in text
    assert "✘ inference.sigmoid" in text and "Hint: operator precedence" in text
    assert "✔ inference.affine: all 3 tests passed" in text
    assert "Not counted: `TwoLayerNet` is the course's own" in batch.feedback("uses_the_reference")
    assert "Not attempted" in batch.feedback("unsolved")
    assert "which checks it, stopped with SyntaxError" in batch.feedback("broken_exercise_cell")


def test_the_summary_counts_submissions_and_failures(batch):
    out = batch.done.stdout
    assert f"Graded {len(batch.rows)} submissions" in out and f"seed {SEED}" in out
    assert "Failures by exercise:" in out and "inference.sigmoid" in out
    assert "Mean score:" in out


def test_replies_are_read_without_stalls(batch):
    records = [r for r in batch.records.values() if r["requests"]]
    assert sum(r["requests"] for r in records) > 300
    assert sum(r["slow_replies"] for r in records) == 0, [
        (n, r["max_lag"]) for n, r in batch.records.items()
    ]


def test_a_submission_that_rewrites_the_package_cannot_touch_the_next_ones(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a_tampers.ipynb").write_bytes(hostile.tamper_package())
    (folder / "b_solved.ipynb").write_bytes(hostile.dump(hostile.load(hostile.SOLVED)))
    done = grade([folder], tmp_path / "grades.csv", "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    _, rows = read_csv(tmp_path / "grades.csv")
    assert rows["a_tampers"]["score"] == "0"
    assert "changed the course package's files" in rows["a_tampers"]["error"]
    assert rows["b_solved"]["score"] == "6" and rows["b_solved"]["error"] == ""
    assert b"changed by a submission" not in (ROOT / "nnscratch" / "functions.py").read_bytes()


def test_each_run_draws_a_fresh_seed(tmp_path):
    (tmp_path / "x.ipynb").write_text("{}")
    seeds = []
    for number in range(2):
        done = grade(
            [tmp_path / "x.ipynb"], tmp_path / f"g{number}.csv", "--jobs", "1", cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        seeds.append(json.loads((tmp_path / f"g{number}.details.json").read_text())["seed"])
    assert seeds[0] != seeds[1] and all(s > 0 for s in seeds)
    _, rows = read_csv(tmp_path / "g0.csv")
    assert rows["x"]["error"] == "not a notebook: no list of cells"


def test_usage_errors_are_reported(tmp_path):
    done = grade([tmp_path / "missing-folder"], tmp_path / "g.csv", cwd=tmp_path)
    assert done.returncode == 2 and "No such file or folder" in done.stderr
    (tmp_path / "empty-folder").mkdir()
    done = grade([tmp_path / "empty-folder"], tmp_path / "g.csv", cwd=tmp_path)
    assert done.returncode == 2 and "No notebooks found" in done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "nnscratch", "--help"], capture_output=True, text=True, check=False
    )
    assert helped.returncode == 0 and "grade" in helped.stdout and "progress" in helped.stdout


# --- the parts, one at a time ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6, dtype=np.float32).reshape(2, 3),
        np.array([1, 2], dtype=np.int64),
        np.array(True),
        np.zeros((0, 3)),
        np.array([np.nan, np.inf, -np.inf]),
        np.float32(1.5),
        np.int64(-3),
        np.bool_(False),
        np.array([1 + 2j]),
        3,
        -2.5,
        float("nan"),
        True,
        None,
        "text",
        [1, 2.0, "a"],
        (1, (2, 3)),
        {"dW": np.eye(2), "grads[0] is the same array": True, 3: [None]},
    ],
)
def test_plain_data_crosses_the_wire_unchanged(value):
    back = wire.decode(wire.encode(value))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        np.testing.assert_array_equal(back, value)
    elif isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    elif isinstance(value, dict):
        assert back.keys() == value.keys() and back[3] == [None]
    else:
        assert back == value


def test_anything_else_travels_as_a_named_stand_in():
    class Layer:
        pass

    for value, kind in [
        (Layer(), "Layer"),
        (np.array([Layer()], dtype=object), "of Python objects"),
        ({1, 2}, "set"),
        (b"raw", "bytes"),
    ]:
        back = wire.decode(wire.encode(value))
        assert isinstance(back, wire.Unsendable) and kind in type(back).__name__
        assert not back == back  # noqa: PLR0124, SIM201 - never equal to anything, itself included
    error = StudentError("exception", "ValueError", "bad", "line 2, in f: x")
    assert wire.decode(wire.encode(error)) == error


@pytest.mark.parametrize(
    "text",
    [
        '{"t": "ndarray", "dtype": "|O", "shape": [1], "data": ""}',
        '{"t": "ndarray", "dtype": "<f8", "shape": [2], "data": "AAAA"}',
        '{"t": "ndarray", "dtype": "<f8", "shape": [-1], "data": ""}',
        '{"t": "pickle", "data": "gASVAAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=="}',
        '{"t": "float", "repr": "__import__(\'os\')"}',
        '{"t": "scalar", "dtype": "V8", "data": "AAAAAAAAAAA="}',
        "not json",
    ],
)
def test_the_wire_refuses_what_encode_never_makes(text):
    with pytest.raises(wire.WireError):
        wire.decode(text)


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_exercise_can_be_graded_across_the_wire(exercise_id):
    """Each case's outputs are plain data: the reference, probed and sent, passes its own tests."""
    ex = EXERCISES[exercise_id]
    cases = [
        {"got": json.loads(wire.encode(probe_case(ex, i, ex.reference, SEED)))}
        for i in range(len(ex.cases))
    ]
    result = judge(ex, {"note": "", "cases": cases}, SEED)
    assert result.passed, str(result)


def test_memorised_examples_pass_in_the_notebook_but_not_in_grading():
    """The hard-coding case is a fair test: the notebook's own check (seed 0) is fooled."""
    namespace = {"np": np, "check": lambda *args: None}
    exec(hostile.hard_coded_sigmoid(), namespace)  # noqa: S102 - our own fixture
    ex = EXERCISES["inference.sigmoid"]
    assert grade_in_process(ex, namespace["sigmoid"], seed=0).passed
    assert not grade_in_process(ex, namespace["sigmoid"], seed=SEED).passed


def test_the_reference_itself_is_not_counted():
    ex = EXERCISES["inference.sigmoid"]
    assert "is the course's own" in origin_problem(
        ex, {"origin": {"is_reference": True}}, "sigmoid"
    )
    assert "calls the course's own" in origin_problem(
        ex, {"origin": {}, "reference_calls": 2}, "sigmoid"
    )
    assert (
        origin_problem(ex, {"origin": {"module": "__main__", "package_code": []}}, "sigmoid") == ""
    )


STUDENT_NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
    (ROOT / "labs").glob("*.ipynb")
)


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_every_handed_out_notebook_shows_its_checks_statically(path):
    checks = notebooks.find_checks(notebooks.read_code_cells(path))
    ids = [c.exercise_id for c in checks]
    assert ids and set(ids) <= set(EXERCISES), ids
    assert all(c.target and c.target.isidentifier() for c in checks)
    assert notebooks.suspicious(notebooks.read_code_cells(path)) == []


def test_checks_are_found_in_cells_python_cannot_parse():
    cells = [
        "%timeit f(1)\ncheck('inference.sigmoid', sigmoid)",
        'def broken(:\n    pass\ncheck("inference.affine", affine)',
        "import nnscratch.grader as g\ng.check(exercise_id='inference.classify', obj=classify)",
    ]
    found = [(c.exercise_id, c.target) for c in notebooks.find_checks(cells)]
    assert found == [
        ("inference.sigmoid", "sigmoid"),
        ("inference.affine", "affine"),
        ("inference.classify", "classify"),
    ]


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "no list of cells"),
        (b'{"worksheets": []}', "nbformat 3"),
        (b'{"cells": [], "nbformat": 5}', "version 4"),
        (b'{"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4}', "source is not text"),
    ],
)
def test_files_that_are_not_notebooks_get_a_reason(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(notebooks.NotGradable, match=reason):
        notebooks.read_code_cells(path)


def test_the_gradebook_leaves_other_assignments_blank():
    def record(name, passed, errors=()):
        return {"submission": name, "ids": list(passed), "passed": passed, "errors": list(errors)}

    records = [
        record("b.ipynb", {"inference.sigmoid": True, "inference.affine": False}),
        record("a.ipynb", {"loss.softmax": True}),
        record("c.ipynb", {}, ["not a notebook: invalid JSON (line 1)"]),
    ]
    header, body = gradebook.rows(records)
    assert header == [
        "submission",
        "inference.sigmoid",
        "inference.affine",
        "loss.softmax",
        "score",
        "total",
        "error",
        "points",
        "max_points",
    ]
    assert body == [
        ["a.ipynb", "", "", 1, 1, 1, "", "1", 1],
        ["b.ipynb", 1, 0, "", 1, 2, "", "1", 2],
        ["c.ipynb", 0, 0, 0, 0, 3, "not a notebook: invalid JSON (line 1)", "0", 3],
    ]


def test_a_changed_package_copy_is_put_back(tmp_path):
    files = {"nnscratch/__init__.py": b"A = 1\n", "nnscratch/grader/core.py": b"B = 2\n"}
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    assert restore_files(tmp_path, files) == []
    (tmp_path / "nnscratch/grader/core.py").write_bytes(b"B = 3\n")
    (tmp_path / "nnscratch/evil.py").write_bytes(b"")
    os.remove(tmp_path / "nnscratch/__init__.py")
    fixed = restore_files(tmp_path, files)
    assert sorted(fixed) == [
        "nnscratch/__init__.py",
        "nnscratch/evil.py",
        "nnscratch/grader/core.py",
    ]
    assert {
        p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.py")
    } == files


def test_the_instructor_guide_matches_the_command_and_the_course():
    guide = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    assert "docs/instructors.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    build = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
    assert build["nbgitpuller_url"]("https://hub.example.edu", "labs/lab1_inference.ipynb") in guide
    from nnscratch.classroom.cli import parser

    options = [
        o for action in parser()._actions for o in action.option_strings if o.startswith("--")
    ]
    missing = [o for o in options if o not in ("--help", "--quiet") and f"`{o}" not in guide]
    assert not missing, f"options the guide does not explain: {missing}"
