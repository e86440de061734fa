"""The repository's promises to a newcomer."""

import re

from tests.notebook_tools import ROOT


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(c for c in readme_commands() if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_readme_setup_installs_requirements_and_opens_the_course():
    setup = readme_commands()[0]
    assert "pip install -r requirements.txt" in setup and "jupyter lab" in setup


def test_learner_requirements_hold_the_package_and_no_test_tools():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    names = {re.split(r"[<>=\[ ]", l)[0].lower() for l in lines if l}
    assert {"-e", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "notebook"} <= names
    assert not names & {"pytest", "nbval", "playwright"}
