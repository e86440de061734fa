"""The Chinese edition stays in step with the English one.

Every markdown cell of an English source has a translation tied to its current text by a hash;
the Chinese notebooks' code cells are the English ones (so their checks are the same). A change
to an English cell after its translation fails here, naming the cell.
"""

from __future__ import annotations

import ast
import json
import runpy
import shutil
import subprocess
import sys

import pytest

from tests.notebook_tools import ROOT

BUILD = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
LANGUAGES = sorted(BUILD["EDITIONS"])
SOURCES = BUILD["sources"]()


def test_every_translation_is_complete_and_up_to_date():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--translations"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """The builder's functions, reading a copy of source/ that a test may change."""
    copy = tmp_path / "source"
    shutil.copytree(ROOT / "source", copy)
    globals_ = BUILD["translation_problems"].__globals__
    monkeypatch.setitem(globals_, "SOURCE", copy)
    monkeypatch.setitem(globals_, "ROOT", tmp_path)
    return copy


def first_markdown_line(path, after: int = 3) -> str:
    """A line of prose from a markdown cell some way into the source."""
    lines = path.read_text(encoding="utf-8").splitlines()
    inside = False
    seen = 0
    for line in lines:
        if line.startswith("# %%"):
            inside = line.startswith("# %% [markdown]")
            seen += inside
        elif inside and seen > after and line.startswith("# ") and len(line) > 20:
            return line
    raise AssertionError(f"no markdown prose in {path}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_changing_an_english_cell_makes_its_translation_stale(sandbox, language):
    before = set(BUILD["translation_problems"](language))
    src = sandbox / "chapters" / "02_loss.py"
    line = first_markdown_line(src)
    src.write_text(
        src.read_text(encoding="utf-8").replace(line, line + " (changed)", 1), encoding="utf-8"
    )
    problems = set(BUILD["translation_problems"](language)) - before
    assert any("02_loss" in p and "changed after it was translated" in p for p in problems), (
        problems
    )
    # ... and the old translation is named as no longer matching any English text.
    assert any("no longer in" in p for p in problems), problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_must_keep_the_model_answer_markers(sandbox, language):
    before = set(BUILD["translation_problems"](language))
    path = sandbox / language / "labs" / "lab1_inference.md"
    text = path.read_text(encoding="utf-8")
    assert "### END SOLUTION" in text, "lab1 has model answers: its translation keeps them"
    path.write_text(text.replace("### END SOLUTION", "", 1), encoding="utf-8")
    problems = set(BUILD["translation_problems"](language)) - before
    assert any("BEGIN SOLUTION" in p for p in problems), problems


def code_cells(path) -> list[str]:
    """The notebook's own code cells (the set-up cell apart: its words are translated)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("id") != "setup"]
    return ["".join(c["source"]) for c in cells]


def shape_of(code: str) -> str:
    """The code's syntax tree with every string emptied: what it does, not what it says."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_set_up_cell_does_the_same_in_every_language(language):
    english, translated = BUILD["setup_cell"]("en"), BUILD["setup_cell"](language)
    assert translated != english, "the set-up cell's words are translated"
    assert shape_of(translated) == shape_of(english)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_translated_notebooks_run_the_same_code(src, language):
    """Same code cells, so the same checks; the first one only adds the feedback's language."""
    home = BUILD["EDITIONS"][language]
    for english_folder, folder in (
        (ROOT / src.parent.name, home / src.parent.name),
        (ROOT / "solutions", home / "solutions"),
    ):
        english = code_cells(english_folder / f"{src.stem}.ipynb")
        translated = code_cells(folder / f"{src.stem}.ipynb")
        assert len(translated) == len(english)
        line = BUILD["LANGUAGE_LINE"][language]
        first = next(i for i, code in enumerate(english) if "import nnscratch" in code)
        assert translated[first] == english[first].replace(
            BUILD["VERSION_CHECK"], BUILD["VERSION_CHECK"] + line, 1
        )
        assert (
            translated[:first] + translated[first + 1 :] == english[:first] + english[first + 1 :]
        )
        meta = json.loads((folder / f"{src.stem}.ipynb").read_text(encoding="utf-8"))["metadata"]
        assert meta["nnscratch"] == {"language": language}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_markdown_is_in_the_language(language):
    """A finished translation is not the English left in place: most of its blocks hold CJK."""
    if BUILD["translation_problems"](language):
        pytest.skip("the translations are not complete yet (the test above says which)")
    for src in SOURCES:
        blocks = BUILD["read_translation"](BUILD["translation_path"](src, language))
        texts = [text for text, _ in blocks.values()]
        cjk = [t for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
        assert len(cjk) >= 0.9 * len(texts), (
            f"{src.stem}: only {len(cjk)} of {len(texts)} in Chinese"
        )
