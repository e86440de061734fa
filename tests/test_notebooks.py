"""The notebooks: generated from one source, solved copies pass, student copies fail kindly."""

import json
import subprocess
import sys

import pytest

from nnscratch.grader import exercises
from tests.notebook_tools import ROOT, run_checks

STUDENT = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "labs").glob("*.ipynb"))
ALL_NOTEBOOKS = STUDENT + sorted((ROOT / "solutions").glob("*.ipynb"))


def test_generated_notebooks_match_their_source():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_student_notebook_has_a_solved_twin():
    assert STUDENT, "no notebooks found"
    for path in STUDENT:
        assert (ROOT / "solutions" / path.name).exists(), path.name


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_is_clean_and_uses_the_standard_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        assert "sys.path" not in source
        assert "BEGIN SOLUTION" not in source and "END SOLUTION" not in source
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: p.name)
def test_student_copy_fails_every_check_as_not_attempted(path, monkeypatch):
    monkeypatch.delenv("NNSCRATCH_STRICT", raising=False)
    results = run_checks(path)
    assert results, f"{path.name} runs no check"
    leaked = [r.id for r in results if r.status != "not attempted"]
    assert not leaked, f"{path.name}: these checks did not report 'not attempted': {leaked}"


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: p.name)
def test_solved_copy_passes_every_check(path, monkeypatch):
    monkeypatch.delenv("NNSCRATCH_STRICT", raising=False)
    results = run_checks(ROOT / "solutions" / path.name)
    failed = [str(r) for r in results if not r.passed]
    assert not failed, "\n".join(failed)


def test_every_exercise_is_checked_in_some_notebook(monkeypatch):
    monkeypatch.delenv("NNSCRATCH_STRICT", raising=False)
    checked = {r.id for path in STUDENT for r in run_checks(ROOT / "solutions" / path.name)}
    assert set(exercises()) <= checked, f"exercises no notebook checks: {set(exercises()) - checked}"
