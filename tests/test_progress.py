"""nnscratch.progress(): what a self-paced learner has passed, from the checks they ran."""

import json
import subprocess
import sys

import numpy as np
import pytest

import nnscratch
from nnscratch import scoreboard, tracking
from nnscratch.exercises import CHAPTERS
from nnscratch.grader import check


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv(tracking.ENV, str(path))
    return path


def chapter_one(table) -> scoreboard.Standing:
    return next(c for c in table.chapters if "inference.sigmoid" in c.exercises)


def test_checks_are_recorded_and_counted_per_chapter(progress_file):
    assert chapter_one(nnscratch.progress()).passed == ()
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    check("inference.affine", lambda x, W, b: x @ W)  # wrong: no bias
    table = nnscratch.progress()
    one = chapter_one(table)
    assert one.passed == ("inference.sigmoid",) and "inference.affine" in one.todo
    assert one.last_attempt is not None
    assert table.passed == 1 and table.total == sum(len(c.exercises) for c in CHAPTERS)
    saved = json.loads(progress_file.read_text())["exercises"]
    assert saved["inference.affine"] == {
        **saved["inference.affine"],
        "passed": False,
        "attempts": 1,
    }
    text, page = str(table), table._repr_html_()
    assert "1 / 6" in text and "Chapter 1" in text and str(progress_file) in text
    assert "<table" in page and "<code>affine</code>" in page


def test_a_pass_stays_a_pass_and_unattempted_checks_are_not_attempts(progress_file):
    def stub(x):
        raise NotImplementedError

    check("inference.sigmoid", stub)
    assert not progress_file.exists()
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    check("inference.sigmoid", lambda x: x)
    entry = json.loads(progress_file.read_text())["exercises"]["inference.sigmoid"]
    assert entry["passed"] and entry["attempts"] == 2 and entry["last_score"][0] < 5


def test_reset_forgets_everything(progress_file):
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    assert nnscratch.progress(reset=True).passed == 0
    assert not progress_file.exists()


def test_recording_never_breaks_a_check(tmp_path, monkeypatch):
    monkeypatch.setenv(tracking.ENV, str(tmp_path))  # a folder: the file cannot be written
    assert check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x))).passed
    (tmp_path / "broken.json").write_text("{not json")
    monkeypatch.setenv(tracking.ENV, str(tmp_path / "broken.json"))
    assert check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x))).passed
    assert chapter_one(nnscratch.progress()).passed == ("inference.sigmoid",)


def test_an_empty_variable_switches_recording_off(monkeypatch, tmp_path):
    monkeypatch.setenv(tracking.ENV, "")
    monkeypatch.setenv("HOME", str(tmp_path))
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    assert list(tmp_path.iterdir()) == []
    assert "Recording is off" in str(nnscratch.progress())


def test_tests_never_write_to_the_home_folder():
    assert tracking.progress_file() is not None and "nnscratch-progress-" in str(
        tracking.progress_file()
    )


def test_importing_the_package_stays_cheap():
    code = (
        "import sys, nnscratch; nnscratch.progress; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'nbclient', 'jupyter_client', "
        "'nnscratch.tracking', 'nnscratch.classroom') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_line_shows_and_resets(progress_file):
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    shown = subprocess.run(
        [sys.executable, "-m", "nnscratch", "progress"], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0 and "Chapter 1" in shown.stdout and " 1 / 6" in shown.stdout
    subprocess.run(
        [sys.executable, "-m", "nnscratch", "progress", "--reset"], check=True, capture_output=True
    )
    assert not progress_file.exists()
