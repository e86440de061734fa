"""Every way of opening the course: the set-up cell, the Binder and Colab badges, the
nbgitpuller link, all agreeing with the one repository address in tools/build_notebooks.py."""

import importlib.util
import json
import re
import runpy
import subprocess
import sys
import types

import pytest

from tests.notebook_tools import ROOT

BUILD = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
REPOSITORY, BRANCH, SETUP = BUILD["REPOSITORY"], BUILD["BRANCH"], BUILD["SETUP"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
GENERATED = sorted(p for d in ("chapters", "labs", "solutions") for p in (ROOT / d).glob("*.ipynb"))


def first_code_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_starts_with_the_set_up_cell(path):
    assert first_code_cell(path) == SETUP


def run_setup(monkeypatch, *, installed: bool, colab: bool) -> dict:
    """Execute the set-up cell with pip and Colab replaced by recorders."""
    calls = {"pip": [], "widgets": 0}
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls["pip"].append(command))
    if not installed:
        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec",
                            lambda name, *a: None if name == "nnscratch" else real(name, *a))
    if colab:
        output = types.ModuleType("google.colab.output")
        def enable_custom_widget_manager():
            calls["widgets"] += 1

        output.enable_custom_widget_manager = enable_custom_widget_manager
        colab_module = types.ModuleType("google.colab")
        colab_module.output = output
        monkeypatch.setitem(sys.modules, "google.colab", colab_module)
        monkeypatch.setitem(sys.modules, "google.colab.output", output)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(SETUP, "set-up cell", "exec"), {"__name__": "__main__"})  # noqa: S102
    return calls


def test_set_up_cell_does_nothing_where_the_package_is_installed(monkeypatch, capsys):
    assert run_setup(monkeypatch, installed=True, colab=False) == {"pip": [], "widgets": 0}
    assert capsys.readouterr().out == ""


def test_set_up_cell_on_colab_installs_from_the_repository_and_enables_widgets(monkeypatch):
    calls = run_setup(monkeypatch, installed=False, colab=True)
    assert calls["pip"] == [[sys.executable, "-m", "pip", "install", "--quiet",
                             f"nnscratch @ git+{REPOSITORY}@{BRANCH}"]]
    assert calls["widgets"] == 1


def test_set_up_cell_installs_a_valid_requirement():
    from packaging.requirements import Requirement

    requirement = Requirement(f"nnscratch @ git+{REPOSITORY}@{BRANCH}")
    assert requirement.name == "nnscratch" and requirement.url.startswith("git+https://github.com/")


def test_repository_address_is_marked_and_well_formed():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY)
    source = (ROOT / "tools" / "build_notebooks.py").read_text(encoding="utf-8")
    assert source.count(REPOSITORY) == 1, "the repository address is written in more than one place"


def notebook_rows(text: str) -> list[tuple[str, str]]:
    """(notebook path, whole row) for each table row of README that links a notebook."""
    return re.findall(r"^\| \[[^\]]+\]\(((?:chapters|labs)/[\w.-]+\.ipynb)\) \|(.*)$", text, re.M)


def test_readme_has_a_binder_badge_that_opens_chapter_1_in_jupyterlab():
    assert BUILD["binder_badge"]() in README
    url = BUILD["binder_url"]("chapters/01_inference.ipynb")
    assert url.endswith("?urlpath=lab/tree/chapters/01_inference.ipynb")


def test_every_notebook_in_the_readme_tables_has_its_colab_badge():
    rows = notebook_rows(README)
    chapters = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("chapters/*.ipynb")}
    assert chapters <= {p for p, _ in rows}, "a chapter is missing from the README's table"
    missing = [path for path, row in rows if BUILD["colab_badge"](path) not in row]
    assert not missing, ("README rows without their Colab badge (python tools/build_notebooks.py "
                         f"--links prints them): {missing}")


@pytest.mark.parametrize("name", ["README.md", "docs/jupyterhub.md"])
def test_links_to_the_course_use_the_one_repository_address(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    owner_repo = BUILD["owner_and_name"]()
    colab = re.findall(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/", text)
    binder = re.findall(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", text)
    github = re.findall(r"github\.com/([\w.-]+/[\w.-]+)/actions", text)
    puller = re.findall(r"git-pull\?repo=https%3A%2F%2Fgithub\.com%2F([\w.-]+)%2F([\w.-]+)&", text)
    found = colab + binder + github + ["/".join(p) for p in puller]
    assert set(found) <= {owner_repo}, f"{name} links to {set(found) - {owner_repo}}, not {owner_repo}"


def test_jupyterhub_page_gives_the_nbgitpuller_link_for_chapter_1():
    text = (ROOT / "docs" / "jupyterhub.md").read_text(encoding="utf-8")
    link = BUILD["nbgitpuller_url"]("https://hub.example.edu", "chapters/01_inference.ipynb")
    assert link in text
    assert "jupyterhub.md" in README


def test_readme_pictures_exist():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", README)
    assert len(pictures) >= 2, "README should show a widget and graded feedback"
    for picture in pictures:
        assert (ROOT / picture).read_bytes().startswith(b"\x89PNG"), picture


def test_browser_tests_are_test_only_and_ci_installs_chromium():
    assert "playwright" in (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in ci and "chromium" in ci and "playwright install" not in ci
    workflow = (ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    assert "bash .ci/run" in workflow and "push:" in workflow and "schedule:" in workflow


def test_gitignore_keeps_checkpoints_caches_and_build_output_out():
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").split())
    assert {".ipynb_checkpoints/", "__pycache__/", "build/", "dist/", "/artifacts/"} <= ignored
