"""The repository's promises to a newcomer."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.notebook_tools import ROOT


def readme_commands(name: str = "README.md") -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / name).read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(c for c in readme_commands() if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_readme_setup_installs_requirements_and_opens_the_course():
    setup = readme_commands()[0]
    assert "pip install -r requirements.txt" in setup and "jupyter lab" in setup


def test_chinese_readme_gives_the_same_commands_opening_the_chinese_edition():
    english, chinese = readme_commands(), readme_commands("README.zh.md")
    assert len(chinese) == len(english)
    assert chinese[0] == english[0].replace("chapters/01_inference", "zh/chapters/01_inference")
    assert (ROOT / "zh" / "chapters" / "01_inference.ipynb").exists()
    assert chinese[1:] == english[1:], "the test command is the same in both READMEs"


def test_learner_requirements_hold_the_package_and_no_test_tools():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    names = {re.split(r"[<>=\[ ]", l)[0].lower() for l in lines if l}
    assert {"-e", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "notebook"} <= names
    assert not names & {"pytest", "nbval", "playwright"}


# --- imports only point down ---------------------------------------------------------------------


def package_modules() -> dict[str, Path]:
    """Every module of nnscratch by dotted name (a package by its own name, for __init__.py)."""
    modules = {}
    for path in sorted((ROOT / "nnscratch").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def imported_names(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The nnscratch modules this module imports anywhere in it (inside functions too)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package this module is in (or is)
                package = name.split(".")
                package = package[: len(package) - node.level + is_package]
                base = ".".join(package + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # from a import module
    return {m for m in found if m in modules}


def ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules importing it runs. Importing a.b.c runs a and a.b first, so those
    count too, except the importer's own ancestors (a package importing its own modules is
    how packages are made: they are already running when the importer runs)."""
    modules = package_modules()
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target in imported_names(name, path, modules):
            edges |= {target, *ancestors(target)} - set(ancestors(name)) - {name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of modules along it, or [] when there is none."""
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_nnscratch_has_no_import_cycle_lazy_or_not():
    graph = import_graph()
    assert graph["nnscratch.grader"] >= {"nnscratch.exercises", "nnscratch.grader.core"}
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_graph_sees_lazy_imports_and_the_packages_an_import_runs():
    graph = import_graph()
    assert "nnscratch.scoreboard" in graph["nnscratch"]  # imported inside progress()
    assert "nnscratch.grader" in graph["nnscratch.classroom.judge"]  # it imports grader.core
    # A table importing anything under grader/ would run grader/__init__.py, which imports the
    # tables: a cycle, however lazily either side imported the other.
    graph["nnscratch.exercises.inference"] = graph["nnscratch.exercises.inference"] | {
        "nnscratch.grader"
    }
    assert "nnscratch.grader" in find_cycle(graph)


# --- one formatter dialect ------------------------------------------------------------------------

RUFF_PATHS = ["nnscratch", "tools", "tests", "bench"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *RUFF_PATHS], cwd=ROOT, capture_output=True, text=True
    )


def test_code_is_in_ruff_format():
    done = ruff("format", "--check")
    assert done.returncode == 0, "run `ruff format` (pyproject.toml says how):\n" + done.stdout


def test_ruff_check_passes():
    done = ruff("check", "--output-format", "concise")
    assert done.returncode == 0, "run `ruff check --fix`, then fix what is left:\n" + done.stdout
