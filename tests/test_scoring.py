"""One scoring rule, from the notebook's score() to the instructor's gradebook.

An exercise earns its points (the lab's points table) in proportion to the tests it passes
(nnscratch.exercises.earned); score() in the notebook and the `points` column of
`python -m nnscratch grade` both add up the same numbers.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from dataclasses import replace

import nbformat
import pytest
from nbclient import NotebookClient

from nnscratch.classroom import gradebook, records
from nnscratch.exercises import BY_PREFIX, earned
from nnscratch.labs import points
from tests.notebook_tools import ROOT

# A Lab 2 hand-in written from scratch: right numerical backward and ReLU, a Tanh whose
# backward forgets the square, and a Softmax whose backward forgets the coupling term.
SUBMISSION = [
    "import numpy as np\nfrom nnscratch.grader import check\nfrom nnscratch.labs import score",
    """\
def numerical_backward(forward, x, dout, h=1e-5):
    dx = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        keep = x[i]
        x[i] = keep + h
        up = np.sum(forward(x) * dout)
        x[i] = keep - h
        down = np.sum(forward(x) * dout)
        x[i] = keep
        dx[i] = (up - down) / (2 * h)
    return dx


check("lab2.numerical_backward", numerical_backward)""",
    """\
class ReLU:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, 0.0)

    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)


check("lab2.ReLU", ReLU)""",
    """\
class Tanh:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out)


check("lab2.Tanh", Tanh)""",
    """\
class Softmax:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.out = e / e.sum(axis=1, keepdims=True)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


check("lab2.Softmax", Softmax)""",
    'score("lab2")',
]


LAB2_TOTAL = sum(BY_PREFIX["lab2"].points.values())  # the lab's points table says the same


def test_the_rule_gives_points_in_proportion_to_tests_passed():
    assert earned(3, 4, 5) == 2.4 and earned(2, 5, 5) == 2 and earned(3, 0, 5) == 0
    assert earned(1, 1, 3) == 0.3  # to one decimal
    lab2 = BY_PREFIX["lab2"]
    assert points("lab2") == lab2.points and sum(points("lab2").values()) == LAB2_TOTAL
    assert BY_PREFIX["inference"].worth("inference.sigmoid") == 1  # chapters: 1 per exercise


def record(results: dict, *, flags=None, errors=()) -> records.Record:
    """A grading record with results {id: (tests passed, tests)}."""
    return records.from_plain({
        "path": "a.ipynb",
        # the assignment, as the grader reads it from the course's tables: the whole lab
        "ids": list(BY_PREFIX[next(iter(results)).split(".")[0]].ids),
        "results": {
            i: {"id": i, "note": "", "seed": 0, "outcomes": [
                {"name": f"t{k}", "passed": k < got, "message": "", "hint": "", "attempted": True}
                for k in range(tests)]}
            for i, (got, tests) in results.items()
        },
        "passed": {i: got == tests for i, (got, tests) in results.items()},
        "flags": flags or {},
        "errors": list(errors),
    })  # fmt: skip


def test_gradebook_points_follow_the_rule_and_its_exceptions():
    ids = list(points("lab2"))
    mixed = record({"lab2.numerical_backward": (5, 5), "lab2.ReLU": (2, 5), "lab2.Tanh": (0, 4)})
    # 2 + 3 * 2/5 + 0, and lab2.Softmax (no check cell found) is still part of the total.
    assert gradebook.points(mixed, ids) == (3.2, LAB2_TOTAL)
    flagged = record({"lab2.ReLU": (5, 5)}, flags={"lab2.ReLU": "the course's own ReLU"})
    assert gradebook.points(flagged, ids) == (0, LAB2_TOTAL)
    tampered = record(
        {"lab2.ReLU": (5, 5)}, errors=["not graded: the notebook replaced np.isclose"]
    )
    assert gradebook.points(tampered, ids) == (0, LAB2_TOTAL)
    header, rows = gradebook.rows([replace(mixed, submission="a.ipynb")])
    # The CSV's assignment is the whole lab, as the course's tables list it.
    assert header[-2:] == ["points", "max_points"] and rows[0][-2:] == ["3.2", LAB2_TOTAL]


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handin")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in SUBMISSION])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "lab2_student.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_gradebook_gives_the_points_the_notebook_showed(submission, tmp_path):
    nb = nbformat.read(submission, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    shown = nb.cells[-1].outputs[0]["data"]["text/plain"]
    found = re.match(rf"lab2: ([\d.]+) of {LAB2_TOTAL} points so far", shown)
    assert found, shown
    notebook_points = float(found.group(1))
    assert 2 < notebook_points < LAB2_TOTAL, shown  # partly right: a real test of the rule

    grades = tmp_path / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "nnscratch", "grade", str(submission), "--csv", str(grades),
         "--seed", "0", "--quiet"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (row,) = csv.DictReader(grades.open(encoding="utf-8"))
    assert float(row["points"]) == notebook_points and row["max_points"] == str(LAB2_TOTAL), (
        shown,
        row,
    )
    lab2_ids = BY_PREFIX["lab2"].ids
    assert row["score"] == "2" and row["total"] == str(len(lab2_ids))  # exercise counts as before
