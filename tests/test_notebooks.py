"""The notebooks: generated from one source, solved copies pass, student copies fail kindly.

Each notebook is executed once per test run, in a real kernel, by nbclient (Jupyter's own
notebook executor): tests/notebook_runs.py, through the `notebook_run` fixture, which
tests/test_book.py shares. Every test below reads that one run. This replaces nbval: nbval also
ran each notebook, but kept nothing a test could read afterwards, so the checks ran every
solved notebook twice more in this process (each was executed three times per run).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnscratch.grader import exercises
from tests.notebook_tools import ROOT

# Each edition (English at the root, Chinese in zh/) has chapters/, labs/ and solutions/.
EDITIONS = (ROOT, ROOT / "zh")
STUDENT = [
    p for home in EDITIONS for d in ("chapters", "labs") for p in sorted((home / d).glob("*.ipynb"))
]
SOLVED = [p for home in EDITIONS for p in sorted((home / "solutions").glob("*.ipynb"))]
ALL_NOTEBOOKS = STUDENT + SOLVED


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_generated_notebooks_match_their_source():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_student_notebook_has_a_solved_twin():
    assert STUDENT, "no notebooks found"
    for path in STUDENT:
        assert (path.parent.parent / "solutions" / path.name).exists(), name(path)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=name)
def test_notebook_is_clean_and_uses_the_standard_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        assert "sys.path" not in source
        assert "BEGIN SOLUTION" not in source and "END SOLUTION" not in source
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=name)
def test_notebook_runs_top_to_bottom_in_this_environment(path, notebook_run):
    done = notebook_run(path)
    assert done.error is None, f"{name(path)} stopped:\n{done.error}"
    assert Path(done.python).resolve() == Path(sys.executable).resolve()


@pytest.mark.parametrize("path", STUDENT, ids=name)
def test_student_copy_fails_every_check_as_not_attempted(path, notebook_run):
    leaked = [c["id"] for c in notebook_run(path).results() if c["status"] != "not attempted"]
    assert not leaked, f"{path.name}: these checks did not report 'not attempted': {leaked}"


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", [p for p in STUDENT if p.is_relative_to(ROOT / "zh")], ids=name)
def test_a_chinese_notebooks_checks_speak_chinese(path, notebook_run):
    """The first code cell of a Chinese notebook switches the feedback to its catalogue."""
    english = [c["id"] for c in notebook_run(path).results() if not CJK.search(c["text"])]
    assert not english, f"{name(path)}: these checks answered in English: {english}"


@pytest.mark.parametrize("path", SOLVED, ids=name)
def test_solved_copy_passes_every_check(path, notebook_run):
    failed = [c["text"] for c in notebook_run(path).results() if not c["passed"]]
    assert not failed, "\n".join(failed)


def test_every_exercise_is_checked_in_some_notebook(notebook_run):
    checked = {
        c["id"]
        for path in SOLVED
        if not notebook_run(path).error
        for c in notebook_run(path).checks
    }
    assert set(exercises()) <= checked, (
        f"exercises no notebook checks: {set(exercises()) - checked}"
    )


# --- text alternatives ---------------------------------------------------------------------
# Every picture the notebooks show carries a text alternative a screen reader can read.
#
# Each solved notebook is executed in a real kernel (nbclient, as Jupyter would run it), then
# every output holding an image is inspected:
#
# * a still figure (a matplotlib Figure from nnscratch.figures) must carry its description
#   twice: as the PNG's `alt` metadata, which nbconvert's HTML writes into <img alt=...>, and as
#   the bundle's `text/plain`, which text-only front ends show instead of the picture;
# * a live figure (a widget, with its still PNG beside it) must carry a `text/plain` line
#   (what that line says is the live figures' business);
# * no image may fall back on Python's default repr ("<Figure size 640x480 with 1 Axes>").
#
# The descriptions are checked to be more than a title: a few words at least.
# Both tests read the one run of each solved notebook above.


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_REPR = re.compile(r"^<.* at 0x[0-9a-f]+>$|^<Figure size .*>$")


def executed(path: Path, notebook_run) -> nbformat.NotebookNode:
    done = notebook_run(path)
    assert done.error is None, f"the notebook stopped:\n{done.error}"
    return done.nb


def image_outputs(nb):
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if any(mime.startswith("image/") for mime in output.get("data", {})):
                yield number, output


@pytest.mark.parametrize("path", SOLVED, ids=name)
def test_every_image_has_a_text_alternative(path, notebook_run):
    name, nb = path.name, executed(path, notebook_run)
    images = list(image_outputs(nb))
    assert images, f"{name} shows no image: is the test looking at the right notebooks?"
    for number, output in images:
        data, metadata = output["data"], output.get("metadata", {})
        text = data.get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
        where = f"{name}, cell {number}"
        assert text.strip() and not DEFAULT_REPR.match(text.strip()), (
            f"{where}: no text/plain ({text!r})"
        )
        if WIDGET_VIEW in data:
            continue
        alt = metadata.get("image/png", {}).get("alt", "")
        assert alt == text, (
            f"{where}: the PNG's alt metadata {alt!r} differs from text/plain {text!r}"
        )
        assert len(alt.split()) >= 6, f"{where}: the description is too short to help: {alt!r}"


@pytest.mark.parametrize("path", SOLVED, ids=name)
def test_nbconvert_writes_the_descriptions_into_img_alt(path, notebook_run):
    from nbconvert import HTMLExporter

    name, nb = path.name, executed(path, notebook_run)
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    missing = re.findall(r"<img(?![^>]*\balt=)[^>]*>", html)
    assert not missing, f"{name}: {len(missing)} <img> without alt in nbconvert's HTML"
